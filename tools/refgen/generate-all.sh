#!/usr/bin/env bash
# Regenerate reference-schemas/ from a Mautic git repository (all final tags 2.0.0-5.1.1) and the
# forks of migrations-index/sources.tsv (releases past 5.1.1: mautic/mautic's tags stop there).
#   tools/refgen/generate-all.sh /path/to/mautic.git OWNER/NAME=/path/to/fork.git ...
# Every repository sources.tsv names must be given (the whole set is replaced at the end).
# Needs php-cli, php-doctrine-orm, php-doctrine-dbal (Debian). Output is deterministic: a re-run
# reproduces the committed files byte for byte.
set -euo pipefail
GIT=${1:?usage: generate-all.sh MAUTIC_GIT_DIR [OWNER/NAME=FORK_GIT_DIR ...]}
shift
declare -A FORK_GIT
for a in "$@"; do FORK_GIT[${a%%=*}]=${a#*=}; done
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCES="$HERE/../../migrations-index/sources.tsv"
EXCL=(':(exclude,glob)**/Assets/**' ':(exclude,glob)**/*.js' ':(exclude,glob)**/Tests/**')
OUT="$HERE/../../reference-schemas"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" /tmp/mautic-refgen-cache-*' EXIT
NEW="$WORK/out"
mkdir -p "$OUT" "$NEW"
tags=$(git --git-dir="$GIT" tag | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | awk -F. '$1>=2 && !($1==5 && $2>1)')
: > "$WORK/index.tsv"
declare -A seen
# Releases past 5.1.1 read from forks: release<TAB>repository<TAB>commit<TAB>Mautic's root in its tree.
forks=$(awk -F'\t' '!/^#/ && NF {print $1}' "$SOURCES")
for tag in $tags $forks; do
  src="$WORK/$tag"
  mkdir -p "$src"
  row=$(awk -F'\t' -v r="$tag" '!/^#/ && $1==r' "$SOURCES")
  if [ -z "$row" ]; then
    git --git-dir="$GIT" archive "$tag" app/bundles plugins "${EXCL[@]}" | tar -x -C "$src"
    commit=$(git --git-dir="$GIT" rev-parse "$tag^{commit}")
    fork=
  else
    IFS=$'\t' read -r _ fork commit dir _ <<< "$row"
    [ -n "${FORK_GIT[$fork]:-}" ] || { echo "refgen: $tag is read from $fork: pass $fork=GITDIR" >&2; exit 1; }
    [ "$dir" = . ] && dir= || dir=":${dir%/}"
    git --git-dir="${FORK_GIT[$fork]}" archive "$commit$dir" app/bundles plugins "${EXCL[@]}" | tar -x -C "$src"
  fi
  if ! MAUTIC_COMMIT="$commit" MAUTIC_FORK="$fork" php "$HERE/gen.php" "$src" "$tag" > "$WORK/$tag.sql" 2> "$WORK/$tag.err"; then
    echo "refgen: $tag failed:" >&2; tail -5 "$WORK/$tag.err" >&2; exit 1
  fi
  rm -rf "$src"
  body=$(grep -v '^-- ' "$WORK/$tag.sql" | sha256sum | cut -c1-64)
  if [ -z "${seen[$body]:-}" ]; then
    seen[$body]=$tag
    cp "$WORK/$tag.sql" "$NEW/$tag.sql"
  fi
  printf '%s\t%s.sql\n' "$tag" "${seen[$body]}" >> "$WORK/index.tsv"
  echo "refgen: $tag → ${seen[$body]}.sql" >&2
done
# Releases newer than the public source history: derived from real fresh-install dumps.
"$HERE/from-dumps.sh" "$NEW" "$WORK/index.tsv"
# Releases with neither public source here nor a fresh-install dump: listed with no file, so
# mautic-schema compares them with the nearest bundled release and says so (references.rs).
for release in 5.2.1 5.2.2 5.2.3 5.2.4 6.0.0 6.0.1; do
  printf '%s\t\n' "$release" >> "$WORK/index.tsv"
done
{
  echo "# release<TAB>reference file (releases with identical schemas share a file; an empty file: a"
  echo "# release without a reference of its own, compared with the nearest bundled one, see references.rs)"
  sort -t$'\t' -k1,1V "$WORK/index.tsv"
} > "$NEW/index.tsv"
# Replace the whole set only once every release succeeded (no stale files survive).
rm -f "$OUT"/*.sql "$OUT"/index.tsv
cp "$NEW"/* "$OUT"/
