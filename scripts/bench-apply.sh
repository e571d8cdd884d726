#!/usr/bin/env bash
# Benchmark: one batched ALTER per table (what `mautic-schema apply` runs) against the same
# changes as separate statements (what Mautic's own migrations do), on a table of ROWS rows
# (default 1,000,000). Prints both times and the ratio. Figures only: nothing is asserted.
#
# The change set repairs lead_event_log of a Mautic 5.1 schema where a half-applied upgrade
# left two integer columns at BIGINT where the release declares INT (each type change rebuilds
# the table) and two indexes missing. `apply --strict`, because without it a wider integer is
# tolerated as legacy, and `--allow-destructive`, because narrowing an integer can lose data
# (the truncation pre-check verifies that no value is out of range first).
#
# Then the memory a backup needs: with the database in sync, one index of lead_event_log is
# dropped again and `apply --backup tables` dumps the whole table (hashing it as it streams);
# prints the backup's size and the run's maximum resident set size (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
CORPUS=${CORPUS:-tests/corpus/11-mautic-tests-dump-2024.sql}
cargo build --release -q
BIN=target/release/mautic-schema
M="mariadb -h127.0.0.1 -uroot"
A="msbench_batched_$$"; S="msbench_separate_$$"
WORK=$(mktemp -d)
trap '$M -e "DROP DATABASE IF EXISTS \`$A\`; DROP DATABASE IF EXISTS \`$S\`"; rm -rf "$WORK"' EXIT
for db in "$A" "$S"; do
  $M -e "CREATE DATABASE \`$db\`"
  $M "$db" < "$CORPUS"
  $M "$db" -e "SET foreign_key_checks = 0;
    INSERT INTO lead_event_log (lead_id, user_id, user_name, bundle, object, action, object_id, date_added, properties)
      SELECT NULL, 1, 'admin', 'lead', 'lead', ELT(1 + seq % 4, 'create', 'update', 'delete', 'merge'), seq, NOW() - INTERVAL seq SECOND, '{}'
      FROM seq_1_to_$ROWS;
    ALTER TABLE lead_event_log DROP INDEX lead_timeline_action_index, DROP INDEX lead_date_added_index,
      MODIFY user_id BIGINT DEFAULT NULL, MODIFY object_id BIGINT DEFAULT NULL;"
done

now() { date +%s%N; }
t0=$(now)
"$BIN" apply --url "mysql://root@127.0.0.1:3306/$A" --target 5.1.1 --strict --allow-destructive --yes --no-backup --online never --format json >"$WORK/apply.json" 2>/dev/null
t1=$(now)
$M "$S" -e "ALTER TABLE lead_event_log MODIFY user_id INT DEFAULT NULL;
  ALTER TABLE lead_event_log MODIFY object_id INT DEFAULT NULL;
  CREATE INDEX lead_timeline_action_index ON lead_event_log (action);
  CREATE INDEX lead_date_added_index ON lead_event_log (date_added);"
t2=$(now)
batched=$(( (t1 - t0) / 1000000 )); separate=$(( (t2 - t1) / 1000000 ))
steps=$(python3 -c "import json,sys; print(sum(1 for s in json.load(open(sys.argv[1]))['summary']['steps'] if s['table'] == 'lead_event_log'))" "$WORK/apply.json")
algos=$(python3 -c "import json,sys; print(' + '.join(s.get('algorithm', '?') for s in json.load(open(sys.argv[1]))['summary']['steps'] if s['table'] == 'lead_event_log'))" "$WORK/apply.json")
echo "lead_event_log: $ROWS rows; change set: 2 column changes + 2 indexes"
echo "mautic-schema apply ($steps statement(s) on the table: $algos; one copy at most; whole run incl. checks): ${batched} ms"
echo "separate statements (4, as Mautic's migrations issue them):                   ${separate} ms"
echo "ratio batched/separate: $(echo "scale=3; $batched / $separate" | bc)"
"$BIN" check --url "mysql://root@127.0.0.1:3306/$A" --target 5.1.1 --strict >/dev/null && echo "batched database in sync afterwards: yes"

$M "$A" -e "ALTER TABLE lead_event_log DROP INDEX lead_date_added_index"
/usr/bin/time -v -o "$WORK/time.txt" "$BIN" apply --url "mysql://root@127.0.0.1:3306/$A" --target 5.1.1 --strict --yes \
  --backup tables --backup-dir "$WORK/backups" >/dev/null 2>&1
bytes=$(find "$WORK/backups" -name '*.sql' -printf '%s\n' | head -1)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
echo "backup of lead_event_log: $((bytes / 1048576)) MB; apply's maximum RSS: $((rss / 1024)) MB"
