#!/usr/bin/env bash
# Check the references against the real fresh-install dumps of the shared corpus (needs a scratch
# MariaDB at 127.0.0.1:3306 as root; uses and drops databases refgen_dump_*/refgen_ref_*).
#   tools/refgen/validate.sh            # summary; full reports in $OUT (default /tmp/refgen-validate)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REFS="$HERE/../../reference-schemas"
CORPUS=${MAUTIC_CORPUS:-$HERE/../../../shared/corpus}
OUT=${OUT:-/tmp/refgen-validate}
mkdir -p "$OUT"
# dump | reference release | prefix | what the dump is
while read -r dump release prefix note; do
  [ "$prefix" = "-" ] && prefix=""
  file=$(awk -v r="$release" -F'\t' '$1==r {print $2}' "$REFS/index.tsv")
  report="$OUT/${dump%%-*}-$release.txt"
  python3 "$HERE/compare.py" "$CORPUS/$dump" "$REFS/$file" ${prefix:+--prefix "$prefix"} --name "v${dump%%-*}" > "$report"
  printf '%-34s %-7s %-8s %s  (%s)\n' "$dump" "$release" "${prefix:-none}" "$(tail -1 "$report" | sed 's/^# //')" "$note"
done <<'LIST'
10-mautic-tests-blank.sql 2.12.2 mautic_ fresh-2.12.x
09-mautic-tests-contacts.sql 2.12.2 mautic_ fresh-2.12.x-prefixed-half
13-motaword-init.sql 2.14.2 - 2.14.x+1-custom-field
12-docker-mastic.sql 5.0.4 - 5.0.x-on-MySQL8
11-mautic-tests-dump-2024.sql 5.1.1 - 5.1.x
03-kissmautic-5.2.2.sql 5.1.1 - 5.2.2-vs-generated-5.1
LIST
