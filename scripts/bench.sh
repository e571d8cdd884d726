#!/usr/bin/env bash
# Benchmark: `mautic-schema check` against `mysqldump --no-data` of the same database.
# Loads a 106-table Mautic schema (corpus file 11 by default) into a scratch database on
# 127.0.0.1:3306, runs each N times (default 20), prints mean times, the ratios and the number
# of catalog queries the inspection issued. Figures only: nothing is asserted.
# BASELINE=<git revision> also builds that revision (in a temporary worktree, its own target
# directory) and times its `check` in the same run, side by side: "nothing got slower" is then a
# comparison on the same machine under the same load, not against a figure from another day.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-tests/corpus/11-mautic-tests-dump-2024.sql}
N=${N:-20}
DB="msbench_$$"
DUMP=$(command -v mariadb-dump || command -v mysqldump)
cargo build --release -q
BIN=target/release/mautic-schema
BASE_BIN=""
if [ -n "${BASELINE:-}" ]; then
  base_tree=$(mktemp -d)
  git worktree add -q --detach "$base_tree" "$BASELINE"
  CARGO_TARGET_DIR="$PWD/target/bench-baseline" cargo build --release -q --manifest-path "$base_tree/Cargo.toml"
  git worktree remove --force "$base_tree"
  BASE_BIN=target/bench-baseline/release/mautic-schema
fi
mariadb -h127.0.0.1 -uroot -e "CREATE DATABASE \`$DB\`"
trap 'mariadb -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS \`$DB\`"' EXIT
mariadb -h127.0.0.1 -uroot "$DB" < "$CORPUS"
tables=$(mariadb -h127.0.0.1 -uroot -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$DB'")

mean_ms() { # command... → mean wall time in ms over N runs (after one warm-up)
  "$@" >/dev/null 2>&1 || true
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$N"); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo "scale=2; ($end - $start) / $N / 1000000" | bc
}

URL="mysql://root@127.0.0.1:3306/$DB"
dump_ms=$(mean_ms "$DUMP" -h127.0.0.1 -uroot --no-data "$DB")
check_ms=$(mean_ms "$BIN" check --url "$URL" --target 5.1.1 --format json)
# check exits 1 when there is something to do (the corpus has no migrations table): the
# document is what is read here.
queries=$({ "$BIN" check --url "$URL" --target 5.1.1 --format json || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["catalog_queries"])')
inspect_total=0
for _ in $(seq "$N"); do
  v=$({ "$BIN" check --url "$URL" --target 5.1.1 --format json || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["inspect_ms"])')
  inspect_total=$(echo "$inspect_total + $v" | bc)
done
inspect_ms=$(echo "scale=2; $inspect_total / $N" | bc)

echo "database: $tables tables ($(basename "$CORPUS")), $N runs each"
echo "mysqldump --no-data:           ${dump_ms} ms"
echo "mautic-schema check (whole):   ${check_ms} ms   ratio $(echo "scale=3; $check_ms / $dump_ms" | bc)x (target ≤ 0.35x)"
if [ -n "$BASE_BIN" ]; then
  base_ms=$(mean_ms "$BASE_BIN" check --url "$URL" --target 5.1.1 --format json)
  echo "baseline $BASELINE check:  ${base_ms} ms   ratio $(echo "scale=3; $base_ms / $dump_ms" | bc)x"
fi
echo "inspection alone:              ${inspect_ms} ms   ratio $(echo "scale=3; $inspect_ms / $dump_ms" | bc)x (target ≈ 0.125x)"
echo "catalog queries per inspection: $queries (constant, whatever the number of tables)"
