#!/usr/bin/env python3
"""Regenerate migrations-index/ from a mautic/mautic git directory (stdlib only, deterministic).

    python3 tools/migindex/generate.py /path/to/mautic.git

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
DML = re.compile(r"\b(INSERT\s+(IGNORE\s+)?INTO|(?<!ON )(?<!on )UPDATE\s+[`'\"{$\w]|DELETE\s+FROM|REPLACE\s+INTO)", re.I)
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


def main():
    gitdir = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
    tags = sorted((t for t in git(gitdir, "tag").split() if re.fullmatch(r"\d+\.\d+\.\d+", t) and vkey(t) <= (5, 1, 1)), key=vkey)
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
        commit = git(gitdir, "rev-parse", tag + "^{commit}").strip()
        files = [l for l in git(gitdir, "ls-tree", "--name-only", tag, "app/migrations/").split() if re.search(r"/Version\w+\.php$", l)]
        for f in files:
            v = re.search(r"/Version(\w+)\.php$", f).group(1)
            present.setdefault(v, []).append(tag)
        releases.append((tag, commit, len(files)))
        def show(path):
            try:
                return git(gitdir, "show", f"{tag}:{path}")
            except subprocess.CalledProcessError:
                return None
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
        code = git(gitdir, "show", f"{last}:app/migrations/Version{v}.php")
        kind = classify(code)
        tables = tables_of(code)
        note = ""
        if v in overrides:
            kind, note = overrides[v]
        summary = summary_of(up_part(code), kind, tables)
        if not contiguous:
            summary = "(not in every release between first and last) " + summary
        rows.append((v, first, last, kind, summary, ",".join(tables)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "releases.tsv"), "w", encoding="utf-8") as f:
        f.write("# Final Mautic releases 1.0.0-5.1.1 in version order: release, tag commit, number of app/migrations classes.\n")
        f.write("# Produced by tools/migindex/generate.py from the mautic/mautic git history.\n")
        for r in releases:
            f.write("\t".join(map(str, r)) + "\n")
    with open(os.path.join(OUT, "migrations.tsv"), "w", encoding="utf-8") as f:
        f.write("# Every Mautic migration class shipped in a final release 1.0.0-5.1.1.\n")
        f.write("# columns: version (class suffix after 'Version'), first release, last release, kind (schema: DDL only;\n")
        f.write("#   data: also changes rows, files or config; noop: nothing on MySQL), summary, tables touched (unprefixed).\n")
        f.write("# Produced by tools/migindex/generate.py from the mautic/mautic git history; overrides in tools/migindex/overrides.tsv.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(OUT, "code-versions.tsv"), "w", encoding="utf-8") as f:
        f.write("# Version files of each final release (FACTS §2): release, release_metadata.json version, app/version.txt,\n")
        f.write("# AppKernel MAJOR.MINOR.PATCH, AppKernel EXTRA_VERSION. Produced by tools/migindex/generate.py.\n")
        for r in versions_rows:
            f.write("\t".join(r) + "\n")


if __name__ == "__main__":
    main()
