#!/usr/bin/env bash
# Benchmark: does the site keep writing while `apply` changes a big table? A writer (one INSERT
# per iteration into the table being changed) and a reader (primary-key SELECTs on it) run
# against 127.0.0.1 while `apply` repairs lead_event_log with ROWS rows (default 2,000,000):
# a column type change (which MariaDB can only do by copying the table) and two missing
# indexes. Once with `--online never` (the server's ALTER, ALGORITHM=COPY: writes wait for the
# whole copy) and once with `--online auto` (pt-online-schema-change). Prints the writer's and
# the reader's latency p50/p99/max side by side, the failed queries, and each run's total time.
# Figures only: nothing is asserted. Needs percona-toolkit and Perl's DBD::mysql (its dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-2000000}
# MIN_SIZE: --online-min-size (default the tool's, 64M); CHUNK_TIME: --online-chunk-time;
# KEEP=/path/prefix: keep each apply's stderr (pt-osc's timestamped progress) there;
# ONLY=auto: skip the `never` run (its figures are then blank)
CORPUS=${CORPUS:-tests/corpus/11-mautic-tests-dump-2024.sql}
command -v pt-online-schema-change >/dev/null || { echo "bench-online.sh: needs pt-online-schema-change (apt-get install percona-toolkit)" >&2; exit 1; }
cargo build --release -q
BIN=target/release/mautic-schema
# shellcheck source=scripts/lib/big-table.sh
. scripts/lib/big-table.sh

# run MODE DB: apply under load; leaves "writer reader seconds size" in $WORK/MODE.
run() {
  local mode=$1 db=$2 stop="$WORK/stop-$1"
  echo "apply --online $mode under load ..." >&2
  local size
  size=$($M -N -e "SELECT ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = 'lead_event_log'")
  perl "$WORK/load.pl" "$db" write "$stop" 900 > "$WORK/$mode.w" &
  local w=$!
  perl "$WORK/load.pl" "$db" read "$stop" 900 > "$WORK/$mode.r" &
  local r=$!
  sleep 2 # both clients warm
  local t0 t1
  t0=$(date +%s%N)
  "$BIN" apply --url "mysql://root@127.0.0.1:3306/$db" --target 5.1.1 --strict --allow-destructive \
    --yes --no-backup --online "$mode" --online-min-size "${MIN_SIZE:-64M}" ${CHUNK_TIME:+--online-chunk-time "$CHUNK_TIME"} >"$WORK/$mode.out" 2>"$WORK/$mode.err" || { echo "apply --online $mode failed:" >&2; tail -5 "$WORK/$mode.err" >&2; exit 1; }
  t1=$(date +%s%N)
  [ -n "${KEEP:-}" ] && cp "$WORK/$mode.err" "$KEEP-$mode.err"
  sleep 2
  touch "$stop"
  wait "$w" "$r"
  echo "$(cat "$WORK/$mode.w") | $(cat "$WORK/$mode.r") | $(( (t1 - t0) / 1000000 )) | $size" > "$WORK/$mode"
  "$BIN" check --url "mysql://root@127.0.0.1:3306/$db" --target 5.1.1 --strict >/dev/null || echo "warning: $db not in sync after --online $mode" >&2
}

A="msbench_never_$$"; B="msbench_auto_$$"
echo "loading two copies of lead_event_log with $ROWS rows ..." >&2
if [ "${ONLY:-}" != auto ]; then
  setup "$A"
  run never "$A"
  $M -e "DROP DATABASE \`$A\`"
else
  echo "- - - - - - - - - - - - - -" > "$WORK/never"; touch "$WORK/never.err"
fi
setup "$B"
run auto "$B"

read -r wn50 wn99 wnmax wncount wnerr wnat rn50 rn99 rnmax rncount rnerr rnat nms nsize < <(tr '|' ' ' < "$WORK/never")
read -r wa50 wa99 wamax wacount waerr waat ra50 ra99 ramax racount raerr raat ams asize < <(tr '|' ' ' < "$WORK/auto")
echo "lead_event_log: $ROWS rows (~${asize} MiB); change: object_id BIGINT→INT (a COPY rebuild) + 2 missing indexes"
echo "writer: one INSERT into the table every 20 ms; reader: one primary-key SELECT every 20 ms (127.0.0.1)"
printf '%-28s %18s %18s\n' "" "--online never" "--online auto"
printf '%-28s %18s %18s\n' "writer p50 / p99 (ms)" "$wn50 / $wn99" "$wa50 / $wa99"
printf '%-28s %18s %18s\n' "writer max (ms)" "$wnmax" "$wamax"
printf '%-28s %18s %18s\n' "writer max at (clock)" "$wnat" "$waat"
printf '%-28s %18s %18s\n' "writes done / failed" "$wncount / $wnerr" "$wacount / $waerr"
printf '%-28s %18s %18s\n' "reader p50 / p99 (ms)" "$rn50 / $rn99" "$ra50 / $ra99"
printf '%-28s %18s %18s\n' "reader max (ms)" "$rnmax" "$ramax"
printf '%-28s %18s %18s\n' "reads done / failed" "$rncount / $rnerr" "$racount / $raerr"
printf '%-28s %18s %18s\n' "apply total (ms)" "$nms" "$ams"
how() { grep -q '\[pt-online-schema-change lead_event_log\]' "$WORK/$1.err" && echo pt-osc || echo "server ALTER"; }
printf '%-28s %18s %18s\n' "lead_event_log changed by" "$(how never)" "$(how auto)"
