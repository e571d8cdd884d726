#!/usr/bin/env python3
"""Regenerate migrations-index/ from a mautic/mautic git directory (stdlib only, deterministic).

    python3 tools/migindex/generate.py /path/to/mautic.git [OWNER/NAME=/path/to/fork.git ...]

The official history gives every final release 1.0.0-5.1.1 (its tags stop there). Releases after
it are read from forks of mautic/mautic that carry them: forks.tsv next to this script names, for
each, the repository, the commit and the directory holding Mautic's root; each fork's git
directory is passed as OWNER/NAME=GITDIR. A fork release is used only when its tree says it is
that release (app/release_metadata.json), and sources.tsv records where it came from and what was
checked. Releases with no source stay out of the index.

Writes migrations-index/releases.tsv (every final release 1.0.0-5.1.1, its commit and migration
count), migrations-index/migrations.tsv (every migration class shipped in a final release: first
and last release, whether it changes data as well as schema, a summary and the tables it touches)
and migrations-index/code-versions.tsv (the version files of each release, FACTS §2).

Classification is conservative: a migration is `schema` only when every statement it issues is
DDL (CREATE/ALTER/DROP/RENAME of tables and indexes) and it touches no rows, files or config;
anything else is `data`. A wrong `schema` label would let the tool record a data migration as
executed without running it. Overrides with reasons live in overrides.tsv next to this script.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "migrations-index")


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True, errors="replace").stdout


def vkey(tag):
    return tuple(int(p) for p in tag.split("."))


# No trailing \b: "UPDATE `{$this->prefix}leads`" has no word boundary after the backtick.
# "UPDATE %s SET" (a sprintf'd table name, 6.0's 20250207035735) is DML too.
DML = re.compile(r"\b(INSERT\s+(IGNORE\s+)?INTO|(?<!ON )(?<!on )UPDATE\s+[`'\"{$%\w]|DELETE\s+FROM|REPLACE\s+INTO)", re.I)
DATA_CALLS = re.compile(
    r"(->insert\(|->update\(|->delete\(|getEntityManager|->persist\(|->flush\(|->getRepository\(|"
    r"file_put_contents|rename\(|copy\(|unlink\(|->container->|getContainer\(|->get\('mautic\.|"
    r"executeStatement\(\s*['\"]\s*(INSERT|UPDATE|DELETE)|executeUpdate\(|->query\(|"
    r"mautic\.helper|CoreParametersHelper|Configurator|setParameter|fetchAll|fetchAllAssociative|"
    r"fetchAssociative|fetchOne|executeQuery)",
    re.I,
)


def up_part(code):
    """The code that runs on the way up: everything but the down() method."""
    body = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    body = re.sub(r"^\s*//.*$", "", body, flags=re.M)
    up = body
    # Only what runs on the way up matters.
    m = re.search(r"function\s+down\s*\(", body)
    if m:
        # cut the down() method out: from "function down(" to the next method or end of class
        rest = body[m.end():]
        nxt = re.search(r"\n\s*(public|protected|private)\s+function\s+", rest)
        up = body[: m.start()] + (rest[nxt.start():] if nxt else "")
    return up


def classify(code):
    up = up_part(code)
    if DML.search(up) or DATA_CALLS.search(up):
        return "data"
    has_ddl = re.search(r"addSql|->createTable|->addColumn|->dropColumn|->addIndex|->dropIndex|->addForeignKeyConstraint|->dropTable|->getTable\(|->changeColumn|->renameIndex|->setPrimaryKey|->dropPrimaryKey|->removeForeignKey|->renameTable|->modifyColumn", up)
    return "schema" if has_ddl else "noop"


TABLE_PATTERNS = [
    r"\$this->prefix\s*\.\s*'([a-z0-9_]+)'",
    r"\{\$this->prefix\}([a-z0-9_]+)",
    r"MAUTIC_TABLE_PREFIX\s*\.\s*'([a-z0-9_]+)'",
    r"\$this->prefix\s*\.\s*\"([a-z0-9_]+)\"",
    r"getPrefixedTableName\(\s*'([a-z0-9_]+)'",
    r"getPrefixedTableName\(\s*([A-Za-z]+)::TABLE_NAME",
    # PreUpAssertionMigration subclasses (5.x+) name their table once, for getPrefixedTableName().
    r"const\s+TABLE_NAME\s*=\s*'([a-z0-9_]+)'",
]


def tables_of(code):
    found = set()
    for p in TABLE_PATTERNS:
        for m in re.finditer(p, code):
            found.add(m.group(1))
    return sorted(t for t in found if not t.endswith("_") and len(t) > 2)


def summary_of(code, kind, tables):
    m = re.search(r"function\s+getDescription\(\)[^{]*\{\s*return\s+['\"]([^'\"]+)['\"]", code)
    if m:
        text = m.group(1)
    else:
        verbs = []
        for v in re.findall(r"\b(CREATE TABLE|ALTER TABLE|DROP TABLE|CREATE INDEX|DROP INDEX|RENAME TABLE|INSERT INTO|(?<!ON )UPDATE(?= )|DELETE FROM)\b", code):
            if v not in verbs:
                verbs.append(v)
        text = ", ".join(verbs[:4]) or kind
        if tables:
            text += " on " + ", ".join(tables[:4]) + (" ..." if len(tables) > 4 else "")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:100]


class Tree:
    """One release's source: a commit of a git directory, Mautic's root at `prefix` inside it."""

    def __init__(self, gitdir, rev, prefix=""):
        self.gitdir, self.rev, self.prefix = gitdir, rev, prefix

    def commit(self):
        return git(self.gitdir, "rev-parse", self.rev + "^{commit}").strip()

    def ls(self, path):
        return [l[len(self.prefix):] for l in git(self.gitdir, "ls-tree", "--name-only", self.rev, self.prefix + path).split()]

    def blobs(self, path):
        """name -> blob id of the files directly under path."""
        out = {}
        for line in git(self.gitdir, "ls-tree", self.rev, self.prefix + path).splitlines():
            meta, name = line.split("\t", 1)
            out[name.rsplit("/", 1)[-1]] = meta.split()[2]
        return out

    def show(self, path):
        try:
            return git(self.gitdir, "show", f"{self.rev}:{self.prefix}{path}")
        except subprocess.CalledProcessError:
            return None


LAST_OFFICIAL = (5, 1, 1)


def fork_trees(args):
    """forks.tsv rows whose repository's git directory was given, verified against their tree."""
    dirs = {}
    for a in args:
        name, _, path = a.partition("=")
        if not path:
            sys.exit(f"fork argument {a!r} is not OWNER/NAME=GITDIR")
        dirs[name] = path
    rows = []
    for line in open(os.path.join(HERE, "forks.tsv"), encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        release, repo, rev, prefix = line.rstrip("\n").split("\t")[:4]
        if repo not in dirs:
            print(f"generate: {release} skipped: no git directory given for {repo}", file=sys.stderr)
            continue
        tree = Tree(dirs[repo], rev, prefix)
        meta = tree.show("app/release_metadata.json")
        claimed = json.loads(meta).get("version", "") if meta else ""
        if claimed != release:
            sys.exit(f"{repo} {rev}: app/release_metadata.json says {claimed!r}, not {release}")
        rows.append((release, repo, rev, prefix, tree))
    return rows


def main():
    gitdir = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
    tags = sorted((t for t in git(gitdir, "tag").split() if re.fullmatch(r"\d+\.\d+\.\d+", t) and vkey(t) <= LAST_OFFICIAL), key=vkey)
    trees = {t: Tree(gitdir, t) for t in tags}
    forks = fork_trees(sys.argv[2:])
    for release, _, _, _, tree in forks:
        trees[release] = tree
    tags = sorted(trees, key=vkey)
    overrides = {}
    opath = os.path.join(HERE, "overrides.tsv")
    if os.path.exists(opath):
        for line in open(opath, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                version, kind, reason = line.rstrip("\n").split("\t", 2)
                overrides[version] = (kind, reason)
    present = {}  # version -> list of tags
    releases = []
    versions_rows = []
    for tag in tags:
        tree = trees[tag]
        commit = tree.commit()
        files = [l for l in tree.ls("app/migrations/") if re.search(r"/Version\w+\.php$", l)]
        for f in files:
            v = re.search(r"/Version(\w+)\.php$", f).group(1)
            present.setdefault(v, []).append(tag)
        releases.append((tag, commit, len(files)))
        show = tree.show
        meta = show("app/release_metadata.json")
        meta_v = json.loads(meta).get("version", "") if meta else ""
        vtxt = (show("app/version.txt") or "").strip()
        kernel = show("app/AppKernel.php") or ""
        consts = []
        for c in ("MAJOR_VERSION", "MINOR_VERSION", "PATCH_VERSION", "EXTRA_VERSION"):
            m = re.search(r"const\s+%s\s*=\s*['\"]?([^;'\"]*)['\"]?;" % c, kernel)
            consts.append(m.group(1) if m else "")
        versions_rows.append((tag, meta_v, vtxt, ".".join(consts[:3]) if consts[0] else "", consts[3]))
    order = {t: i for i, t in enumerate(tags)}
    rows = []
    for v, ts in sorted(present.items()):
        ts = sorted(ts, key=vkey)
        first, last = ts[0], ts[-1]
        contiguous = [t for t in tags[order[first]: order[last] + 1]] == ts
        code = trees[last].show(f"app/migrations/Version{v}.php")
        kind = classify(code)
        tables = tables_of(code)
        note = ""
        if v in overrides:
            kind, note = overrides[v]
        summary = summary_of(up_part(code), kind, tables)
        if not contiguous:
            summary = "(not in every release between first and last) " + summary
        rows.append((v, first, last, kind, summary, ",".join(tables)))
    official_last = ".".join(map(str, LAST_OFFICIAL))
    fork_list = ", ".join(r[0] for r in forks)
    scope = f"1.0.0-{official_last}" + (f", then {fork_list} from forks (sources.tsv)" if forks else "")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "releases.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# Final Mautic releases {scope} in version order: release, commit, number of app/migrations classes.\n")
        f.write(f"# Produced by tools/migindex/generate.py from the mautic/mautic git history (every final tag to {official_last})")
        if forks:
            f.write(";\n#   past it only the releases a fork carries; any other release after "
                    f"{official_last} has no source here and is not listed (its migrations are unknown).\n")
        else:
            f.write(".\n")
        for r in releases:
            f.write("\t".join(map(str, r)) + "\n")
    with open(os.path.join(OUT, "migrations.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# Every Mautic migration class shipped in a final release {scope}.\n")
        f.write("# columns: version (class suffix after 'Version'), first release, last release, kind (schema: DDL only;\n")
        f.write("#   data: also changes rows, files or config; noop: nothing on MySQL), summary, tables touched (unprefixed).\n")
        f.write("# First and last are releases of releases.tsv: past 5.1.1 a migration may have come in a release not listed there.\n" if forks else "")
        f.write("# Produced by tools/migindex/generate.py from the mautic/mautic git history; overrides in tools/migindex/overrides.tsv.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(OUT, "code-versions.tsv"), "w", encoding="utf-8") as f:
        f.write("# Version files of each final release (FACTS §2): release, release_metadata.json version, app/version.txt,\n")
        f.write("# AppKernel MAJOR.MINOR.PATCH, AppKernel EXTRA_VERSION. Produced by tools/migindex/generate.py.\n")
        for r in versions_rows:
            f.write("\t".join(r) + "\n")
    if forks:
        with open(os.path.join(OUT, "sources.tsv"), "w", encoding="utf-8") as f:
            f.write(f"# Where each release after {official_last} in releases.tsv was read from (mautic/mautic's tags stop at {official_last}):\n")
            f.write("# release, repository (a fork of mautic/mautic on GitHub), commit, directory of Mautic's root in it, what was checked.\n")
            f.write("# Produced by tools/migindex/generate.py from tools/migindex/forks.tsv.\n")
            for release, repo, rev, prefix, tree in forks:
                f.write("\t".join((release, repo, tree.commit(), prefix or ".", verification(release, rev, tree, tags, trees))) + "\n")


def verification(release, rev, tree, tags, trees):
    """What ties a fork's tree to the release it claims, as one line."""
    notes = [f"app/release_metadata.json version {release}"]
    if re.fullmatch(r"\d+\.\d+\.\d+", rev):
        notes.append(f"tag {rev}: {git(tree.gitdir, 'log', '-1', '--format=%s (%cs)', rev + '^{commit}').strip()}")
    else:
        notes.append(f"commit of {git(tree.gitdir, 'log', '-1', '--format=%cs', rev).strip()}")
    prev = tags[tags.index(release) - 1]
    mine = {k: v for k, v in tree.blobs("app/migrations/").items() if re.fullmatch(r"Version\w+\.php", k)}
    theirs = {k: v for k, v in trees[prev].blobs("app/migrations/").items() if re.fullmatch(r"Version\w+\.php", k)}
    shared = sorted(set(mine) & set(theirs))
    same = sum(mine[k] == theirs[k] for k in shared)
    notes.append(
        f"app/migrations: {len(mine)} classes; of the {len(shared)} also in {prev}, {same} byte-identical"
        f"; {len(set(mine) - set(theirs))} new, {len(set(theirs) - set(mine))} gone"
    )
    return "; ".join(notes)

if __name__ == "__main__":
    main()
