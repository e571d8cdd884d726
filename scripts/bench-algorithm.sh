#!/usr/bin/env bash
# Benchmark: how long do writes stall when a big table's ALTER must copy it? lead_event_log
# with ROWS rows (default 1,000,000) needs a column type change (object_id BIGINT→INT: the
# server can only copy) and two missing indexes (which it can build in place, writes flowing).
# Two plans, each applied while a writer inserts into the table (one INSERT every 20 ms):
#   folded: one ALTER, the indexes built inside the copy (--large-table-size 1T: the table
#           counts as small, as every table did before the split existed);
#   split:  the default for a table of 64 MiB or more: the COPY for the type change, then an
#           INPLACE ALTER (LOCK=NONE) for the indexes.
# Both with --online never (the server's ALTER, no pt-online-schema-change). Prints, side by
# side: apply's total time, each statement's algorithm and time, the writer's p50/p99/max
# latency (max = the longest stall) and its failures. Figures only: nothing is asserted.
# Needs Perl's DBI and DBD::mysql.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
CORPUS=${CORPUS:-tests/corpus/11-mautic-tests-dump-2024.sql}
cargo build --release -q
BIN=target/release/mautic-schema
# shellcheck source=scripts/lib/big-table.sh
. scripts/lib/big-table.sh

# run NAME DB LARGE: apply under the writer; leaves figures in $WORK/NAME.*
run() {
  local name=$1 db=$2 large=$3 stop="$WORK/stop-$1"
  local url="mysql://root@127.0.0.1:3306/$db"
  local args=(--url "$url" --target 5.1.1 --strict --allow-destructive --large-table-size "$large")
  "$BIN" diff "${args[@]}" > "$WORK/$name.sql" || true
  $M -N -e "SELECT ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = 'lead_event_log'" > "$WORK/$name.size"
  echo "apply ($name plan) under a writer ..." >&2
  perl "$WORK/load.pl" "$db" write "$stop" 900 > "$WORK/$name.w" &
  local w=$!
  sleep 2
  local t0 t1
  t0=$(date +%s%N)
  "$BIN" apply "${args[@]}" --yes --no-backup --online never --format json > "$WORK/$name.json" 2>"$WORK/$name.err" \
    || { echo "apply ($name) failed:" >&2; tail -5 "$WORK/$name.err" >&2; exit 1; }
  t1=$(date +%s%N)
  sleep 2
  touch "$stop"
  wait "$w"
  echo $(( (t1 - t0) / 1000000 )) > "$WORK/$name.ms"
  python3 - "$WORK/$name.json" > "$WORK/$name.steps" <<'PY'
import json, sys
steps = [s for s in json.load(open(sys.argv[1]))["summary"]["steps"] if s["table"] == "lead_event_log"]
print(" + ".join(f'{s["algorithm"]} {s["seconds"]:.1f}s' for s in steps))
PY
  "$BIN" check --url "$url" --target 5.1.1 --strict >/dev/null || echo "warning: $db not in sync after the $name plan" >&2
}

A="msbench_folded_$$"; B="msbench_split_$$"
echo "loading lead_event_log with $ROWS rows ..." >&2
setup "$A"
run folded "$A" 1T
$M -e "DROP DATABASE \`$A\`"
setup "$B"
run split "$B" 64M

read -r f50 f99 fmax fcount ferr _ < "$WORK/folded.w"
read -r s50 s99 smax scount serr _ < "$WORK/split.w"
echo "lead_event_log: $ROWS rows (~$(cat "$WORK/split.size") MiB); change: object_id BIGINT→INT (COPY) + 2 missing indexes"
echo "writer: one INSERT into the table every 20 ms (127.0.0.1); --online never"
echo "announced (diff) for the split plan:"
grep -A3 '^-- lead_event_log: ALGORITHM' "$WORK/split.sql" | grep '^-- ' | sed 's/^/  /'
printf '%-30s %26s %26s\n' "" "folded (1 ALTER)" "split (COPY + INPLACE)"
printf '%-30s %26s %26s\n' "statements on the table" "$(cat "$WORK/folded.steps")" "$(cat "$WORK/split.steps")"
printf '%-30s %26s %26s\n' "apply total (ms)" "$(cat "$WORK/folded.ms")" "$(cat "$WORK/split.ms")"
printf '%-30s %26s %26s\n' "writer p50 / p99 (ms)" "$f50 / $f99" "$s50 / $s99"
printf '%-30s %26s %26s\n' "writer max = longest stall (ms)" "$fmax" "$smax"
printf '%-30s %26s %26s\n' "writes done / failed" "$fcount / $ferr" "$scount / $serr"
