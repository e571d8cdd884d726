#!/usr/bin/env bash
# Regenerate migrations-index/effects.tsv from a Mautic git repository: every migration of
# migrations-index/migrations.tsv run by effects.php against the schema of the release before
# its first release.   tools/refgen/generate-effects.sh /path/to/mautic.git [OWNER/NAME=/path/to/fork.git ...]
# Releases listed in migrations-index/sources.tsv (past 5.1.1: mautic/mautic's tags stop there) are
# read from the fork and commit recorded there; its git directory is given as OWNER/NAME=GITDIR.
# Needs php-cli, php-doctrine-orm, php-doctrine-dbal (Debian). Deterministic: a re-run
# reproduces the committed file byte for byte.
set -euo pipefail
GIT=${1:?usage: generate-effects.sh MAUTIC_GIT_DIR [OWNER/NAME=FORK_GIT_DIR ...]}
shift
declare -A FORK_GIT
for a in "$@"; do FORK_GIT[${a%%=*}]=${a#*=}; done
HERE=$(cd "$(dirname "$0")" && pwd)
INDEX="$HERE/../../migrations-index"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# gen.php's and effects.php's rewritten-class caches go to sys_get_temp_dir(): keep them here.
mkdir -p "$WORK/tmp"
export TMPDIR="$WORK/tmp"
EXCL=(':(exclude,glob)**/Assets/**' ':(exclude,glob)**/*.js' ':(exclude,glob)**/Tests/**')
releases=$(grep -v '^#' "$INDEX/releases.tsv" | cut -f1)
# archive RELEASE DEST PATH...: the release's tree (Mautic's root) extracted into DEST.
archive() {
  local rel=$1 dest=$2 src
  shift 2
  src=$(awk -F'\t' -v r="$rel" '!/^#/ && $1==r' "$INDEX/sources.tsv" 2>/dev/null || true)
  if [ -z "$src" ]; then
    git --git-dir="$GIT" archive "$rel" "$@" "${EXCL[@]}" | tar -x -C "$dest"
    return
  fi
  local repo commit dir
  IFS=$'\t' read -r _ repo commit dir _ <<< "$src"
  [ -n "${FORK_GIT[$repo]:-}" ] || { echo "effects: $rel is read from $repo: pass $repo=GITDIR" >&2; exit 1; }
  [ "$dir" = . ] && dir= || dir=":${dir%/}"
  git --git-dir="${FORK_GIT[$repo]}" archive "$commit$dir" "$@" "${EXCL[@]}" | tar -x -C "$dest"
}
firsts=$(grep -v '^#' "$INDEX/migrations.tsv" | cut -f2 | sort -uV)
: > "$WORK/rows.tsv"
for rel in $firsts; do
  prev=$(printf '%s\n' $releases | grep -x -B1 -F "$rel" | head -1)
  [ "$prev" = "$rel" ] && prev=
  versions=$(awk -F'\t' -v r="$rel" '!/^#/ && $2==r {print $1}' "$INDEX/migrations.tsv")
  if [ -z "$prev" ] || [ "${prev%%.*}" -lt 2 ]; then
    # gen.php's listeners know no 1.x stock-field definitions: no 1.x schema to run against.
    for v in $versions; do
      printf '%s\t1\tunknown\t\t\tnot extracted: the harness cannot build the schema of %s (gen.php supports 2.0.0+)\t\n' "$v" "${prev:-the release before 1.0.0}" >> "$WORK/rows.tsv"
    done
    echo "effects: $rel (${prev:-none}) → unknown (no schema before 2.0.0)" >&2
    continue
  fi
  # Directories named per release: gen.php's class cache is keyed by the source path.
  P="$WORK/prev-$prev" R="$WORK/rel-$rel"
  mkdir -p "$P" "$R"
  archive "$prev" "$P" app/bundles plugins
  archive "$rel" "$R" app/bundles app/migrations plugins
  if ! php "$HERE/effects-schema.php" "$P" "$prev" > "$WORK/schema.ser" 2> "$WORK/err"; then
    echo "effects: schema of $prev failed:" >&2; tail -5 "$WORK/err" >&2; exit 1
  fi
  # shellcheck disable=SC2086
  if ! php "$HERE/effects.php" "$WORK/schema.ser" "$R" "$rel" $versions >> "$WORK/rows.tsv" 2> "$WORK/err"; then
    echo "effects: $rel failed:" >&2; tail -5 "$WORK/err" >&2; exit 1
  fi
  rm -rf "$P" "$R"
  echo "effects: $rel (schema of $prev) → $(wc -w <<< "$versions") migrations" >&2
done
{
  cat <<'HEAD'
# What each Mautic migration of migrations.tsv does, as data: one row per effect, in the order Mautic runs them.
# columns: version (as in migrations.tsv), step (1-based statement number: up()'s addSql statements, then the
#   Schema diff SQL, as Doctrine Migrations runs them; 0 for a note before the statements), op (create_table,
#   drop_table, rename_table, add_column, modify_column, drop_column, add_index, drop_index, add_foreign_key,
#   drop_foreign_key, table_options, data, unknown), table (unprefixed), object (column, index or constraint; new
#   name for rename_table; old name for a renaming modify_column), definition (column definition as in CREATE TABLE,
#   index or constraint clause, whole CREATE TABLE, table options; for data/unknown the reason), sql (the statement).
# Values escape \t, \n, \r and \\. SELECT/SET statements change nothing and give no row (their step is skipped).
# Produced by tools/refgen/generate-effects.sh: each migration run by tools/refgen/effects.php against the schema
#   gen.php builds for the release before its first release (mautic/mautic git history; releases past 5.1.1 from
#   the forks of sources.tsv, where the release before is the one before in releases.tsv); never written by hand.
HEAD
  LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2n -s "$WORK/rows.tsv"
} > "$INDEX/effects.tsv.new"
mv "$INDEX/effects.tsv.new" "$INDEX/effects.tsv"
