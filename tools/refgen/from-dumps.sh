#!/usr/bin/env bash
# References for Mautic releases newer than the public source history (5.2.x, 6.0.x): their
# schemas are known only from real fresh-install dumps in the shared corpus. Keeps the CREATE
# TABLE statements (without AUTO_INCREMENT counters) and says where they come from. A release
# whose statements equal an earlier one's shares that file (index.tsv).
#   tools/refgen/from-dumps.sh OUT_DIR INDEX_TSV
set -euo pipefail
OUT=${1:?}
INDEX=${2:?}
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS=${MAUTIC_CORPUS:-$HERE/../../../shared/corpus}
declare -A seen
while read -r release file; do
  src="$CORPUS/$file"
  [ -f "$src" ] || { echo "refgen: missing $src" >&2; exit 1; }
  body=$(python3 - "$src" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r"^CREATE TABLE .*?^\) [^;]*;", text, re.S | re.M):
    stmt = re.sub(r" AUTO_INCREMENT=\d+", "", m.group(0))
    print(stmt)
PY
)
  sum=$(printf '%s\n' "$body" | sha256sum | cut -c1-64)
  if [ -z "${seen[$sum]:-}" ]; then
    seen[$sum]=$release
    {
      echo "-- mautic-schema reference schema for Mautic $release (unprefixed)"
      echo "-- provenance: derived from real fresh-install dump $file of the shared corpus (no public source for this release here)"
      printf '%s\n' "$body"
    } > "$OUT/$release.sql"
    echo "refgen: $release ← $file" >&2
  else
    echo "refgen: $release ← $file (same statements as ${seen[$sum]})" >&2
  fi
  printf '%s\t%s.sql\n' "$release" "${seen[$sum]}" >> "$INDEX"
done <<'LIST'
5.2.5 01-kissmautic-5.2.5.sql
5.2.6 04-kissmautic-5.2.6.sql
6.0.2 02-kissmautic-6.0.2.sql
LIST
