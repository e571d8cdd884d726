#!/usr/bin/env bash
# Benchmark: inspection cost per install, not per database. Builds one database holding a
# single Mautic install (corpus file 11, 106 tables, prefix t01_) and one holding TENANTS
# (default 50) copies of it under prefixes t01_..tNN_ (table and constraint names prefixed, as Mautic
# names them per install), then prints side by side, mean of N runs (default 5):
#   - `check` of one install alone, and of one prefix among the many;
#   - `mariadb-dump --no-data` of that prefix's tables (what the user compares with);
#   - `check` with no prefix over the whole multi-tenant database (a 5,000-table install);
#   - `check` of all TENANTS installs in one run (one --mautic-dir each: the catalog is read
#     once) against TENANTS separate `check --prefix` runs;
#   - each run's maximum resident set size (GNU time).
#   - DBS (default 20) installs in databases of their own, read with --jobs 1, 4 and 8.
# Figures only: nothing is asserted. KEEP=1 keeps the databases for a rerun; PART=dbs runs
# only the last part.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-tests/corpus/11-mautic-tests-dump-2024.sql}
TENANTS=${TENANTS:-50}
N=${N:-5}
M="mariadb -h127.0.0.1 -uroot"
ONE=msbench_one; MANY=msbench_many
DUMP=$(command -v mariadb-dump || command -v mysqldump)
cargo build --release -q
BIN=target/release/mautic-schema
WORK=$(mktemp -d)
cleanup() { rm -rf "$WORK"; [ -n "${KEEP:-}" ] || $M -e "DROP DATABASE IF EXISTS $ONE; DROP DATABASE IF EXISTS $MANY"; }
trap cleanup EXIT

# the corpus with table and constraint names under prefix t$1_
prefixed() {
  sed -e "s/CREATE TABLE \`/CREATE TABLE \`t${1}_/; s/^INSERT INTO \`/INSERT INTO \`t${1}_/; s/^LOCK TABLES \`/LOCK TABLES \`t${1}_/; s/^ALTER TABLE \`/ALTER TABLE \`t${1}_/; s/^DROP TABLE IF EXISTS \`/DROP TABLE IF EXISTS \`t${1}_/; s/REFERENCES \`/REFERENCES \`t${1}_/; s/CONSTRAINT \`/CONSTRAINT \`t${1}_/" "$CORPUS"
}

# mean wall ms and max RSS (MB) of N runs of a command
measure() {
  "$@" >/dev/null 2>&1 || true
  local total=0 rss=0
  for _ in $(seq "$N"); do
    local s e r
    s=$(date +%s%N)
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    r=$(tail -1 "$WORK/rss")
    total=$((total + e - s)); [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$((total / N / 1000000)) ms, $((rss / 1024)) MB"
}

# Installs in databases of their own (DBS, default 20): nothing to share, so --jobs decides how
# many databases are read at once.
dbs_part() {
  DBS=${DBS:-20}
  for i in $(seq -w 1 "$DBS"); do
    have=$($M -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'msbench_db$i'")
    if [ "$have" -lt 100 ]; then
      $M -e "DROP DATABASE IF EXISTS msbench_db$i; CREATE DATABASE msbench_db$i"
      $M "msbench_db$i" < "$CORPUS"
    fi
    mkdir -p "$WORK/d$i/config"
    printf "<?php\n\$parameters = array('db_host' => '127.0.0.1', 'db_port' => 3306, 'db_name' => 'msbench_db%s', 'db_user' => 'root', 'db_table_prefix' => '');\n" "$i" > "$WORK/d$i/config/local.php"
  done
  cleanup_dbs() { [ -n "${KEEP:-}" ] || for i in $(seq -w 1 "$DBS"); do $M -e "DROP DATABASE IF EXISTS msbench_db$i"; done; cleanup; }
  trap cleanup_dbs EXIT
  for jobs in 1 4 8; do
    printf '%-58s %s\n' "check of $DBS installs in $DBS databases, --jobs $jobs:" "$(measure $BIN check --mautic-dir "$WORK/d*" --jobs $jobs --target 5.1.1 --format json)"
  done
}

# PART=dbs runs only the databases-of-their-own part.
if [ "${PART:-all}" = dbs ]; then dbs_part; exit 0; fi

have=$($M -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$MANY'")
if [ "$have" -lt $((TENANTS * 100)) ]; then
  $M -e "DROP DATABASE IF EXISTS $ONE; CREATE DATABASE $ONE; DROP DATABASE IF EXISTS $MANY; CREATE DATABASE $MANY"
  prefixed 01 | $M $ONE
  for i in $(seq -w 1 "$TENANTS"); do
    prefixed "$i"
  done | $M $MANY
fi
tables=$($M -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$MANY'")
one_prefix_tables=$($M -N -e "SELECT GROUP_CONCAT(TABLE_NAME SEPARATOR ' ') FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$MANY' AND TABLE_NAME LIKE 't01\\_%'")

echo "one install: 106 tables; multi-tenant: $tables tables ($TENANTS installs); $N runs each"
printf '%-58s %s\n' "check --prefix t01_, database holding only that install:" "$(measure $BIN check --url mysql://root@127.0.0.1/$ONE --prefix t01_ --target 5.1.1 --format json)"
printf '%-58s %s\n' "check --prefix t01_, among $TENANTS installs:" "$(measure $BIN check --url mysql://root@127.0.0.1/$MANY --prefix t01_ --target 5.1.1 --format json)"
# shellcheck disable=SC2086
printf '%-58s %s\n' "mariadb-dump --no-data of t01_'s tables:" "$(measure $DUMP -h127.0.0.1 -uroot --no-data $MANY $one_prefix_tables)"
printf '%-58s %s\n' "check, no prefix: the whole $tables-table database:" "$(measure $BIN check --url mysql://root@127.0.0.1/$MANY --target 5.1.1 --format json)"

# One Mautic folder per tenant, each local.php naming its prefix.
dirs=()
for i in $(seq -w 1 "$TENANTS"); do
  mkdir -p "$WORK/m$i/config"
  printf "<?php\n\$parameters = array('db_host' => '127.0.0.1', 'db_port' => 3306, 'db_name' => '%s', 'db_user' => 'root', 'db_table_prefix' => 't%s_');\n" "$MANY" "$i" > "$WORK/m$i/config/local.php"
  dirs+=(--mautic-dir "$WORK/m$i")
done
separate() { for i in $(seq -w 1 "$TENANTS"); do $BIN check --url "mysql://root@127.0.0.1/$MANY" --prefix "t${i}_" --target 5.1.1 --format json >/dev/null 2>&1 || true; done; }
N_SAVED=$N; N=1
printf '%-58s %s\n' "check of all $TENANTS installs in one run:" "$(measure $BIN check "${dirs[@]}" --target 5.1.1 --format json)"
t0=$(date +%s%N); separate; t1=$(date +%s%N)
printf '%-58s %s\n' "$TENANTS separate checks, one per prefix:" "$(( (t1 - t0) / 1000000 )) ms"
N=$N_SAVED


dbs_part
