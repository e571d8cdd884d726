#!/usr/bin/env python3
"""Validate a reference schema against a real fresh-install dump, through a live MariaDB server.

Both files are loaded into scratch databases (refgen_dump_<n>, refgen_ref_<n>), then
information_schema is compared: tables and their options, columns (type, nullability,
default, collation, extra, generation expression), indexes, foreign keys and CHECK constraints.

  tools/refgen/compare.py DUMP.sql REFERENCE.sql [--prefix mautic_] [--keep]

--prefix: the dump's table prefix. Dump tables without it are reported as foreign; the prefix is
stripped from table names and from declared index names. Doctrine's hashed names
(IDX_/UNIQ_/FK_ + hex) depend on the prefixed table name (FACTS §4.3), so with a prefix those are
matched by their columns instead of their names.

Output: one line per difference, grouped by kind; comment-only differences and column order are
listed separately as cosmetic. Exit status 1 when a non-cosmetic difference remains.
Needs only the `mariadb` client (host/user from MARIADB_HOST/MARIADB_USER, default 127.0.0.1/root).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HOST = os.environ.get("MARIADB_HOST", "127.0.0.1")
USER = os.environ.get("MARIADB_USER", "root")
HASHED = re.compile(r"^(IDX|UNIQ|FK)_[0-9A-F]+$")


def client(db=None, stdin=None, sql=None):
    cmd = ["mariadb", f"-h{HOST}", f"-u{USER}", "-N", "-B", "--raw"]
    if db:
        cmd.append(db)
    if sql is not None:
        cmd += ["-e", sql]
    r = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"compare.py: mariadb failed: {r.stderr.strip()}")
    return r.stdout


def load(db, path):
    client(sql=f"DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    with open(path, "rb") as f:
        # Reference files have no SET preamble: load without FK checks so order does not matter.
        data = b"SET FOREIGN_KEY_CHECKS=0;\n" + f.read()
    r = subprocess.run(["mariadb", f"-h{HOST}", f"-u{USER}", db], input=data, capture_output=True)
    if r.returncode:
        sys.exit(f"compare.py: loading {path} failed: {r.stderr.decode().strip()}")


def rows(db, sql):
    out = client(sql=sql.replace("@DB", f"'{db}'"))
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def introspect(db, prefix):
    def tname(t):
        if not prefix:
            return t
        return t[len(prefix):] if t.startswith(prefix) else None  # None: not this install's table

    def iname(n):
        return n[len(prefix):] if prefix and n.startswith(prefix) and not HASHED.match(n) else n

    s = {"tables": {}, "foreign_tables": []}
    for r in rows(db, "SELECT JSON_OBJECT('t',TABLE_NAME,'engine',ENGINE,'coll',TABLE_COLLATION,'opts',CREATE_OPTIONS) FROM information_schema.TABLES WHERE TABLE_SCHEMA=@DB"):
        if prefix and not r["t"].startswith(prefix):
            s["foreign_tables"].append(r["t"])
            continue
        opts = " ".join(sorted(o for o in (r["opts"] or "").split() if not o.startswith("auto_increment")))
        s["tables"][tname(r["t"])] = {"options": {"engine": r["engine"], "collation": r["coll"], "create_options": opts},
                                      "columns": {}, "order": [], "indexes": {}, "fks": {}, "checks": {}}
    T = s["tables"]
    for r in rows(db, "SELECT JSON_OBJECT('t',TABLE_NAME,'c',COLUMN_NAME,'pos',ORDINAL_POSITION,'type',COLUMN_TYPE,'null',IS_NULLABLE,'def',COLUMN_DEFAULT,'coll',COLLATION_NAME,'extra',EXTRA,'gen',GENERATION_EXPRESSION,'comment',COLUMN_COMMENT) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=@DB ORDER BY TABLE_NAME, ORDINAL_POSITION"):
        t = tname(r["t"])
        if t is None or t not in T:
            continue
        T[t]["order"].append(r["c"])
        T[t]["columns"][r["c"]] = {k: r[k] for k in ("type", "null", "def", "coll", "extra", "gen", "comment")}
    idx = {}
    for r in rows(db, "SELECT JSON_OBJECT('t',TABLE_NAME,'i',INDEX_NAME,'nu',NON_UNIQUE,'seq',SEQ_IN_INDEX,'c',COLUMN_NAME,'sub',SUB_PART,'type',INDEX_TYPE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=@DB ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"):
        t = tname(r["t"])
        if t is None or t not in T:
            continue
        key = (t, r["i"])
        col = r["c"] + (f"({r['sub']})" if r["sub"] else "")
        e = idx.setdefault(key, {"unique": not int(r["nu"]), "type": r["type"], "cols": []})
        e["cols"].append(col)
    for (t, i), e in idx.items():
        e["cols"] = tuple(e["cols"])
        T[t]["indexes"][iname(i)] = e
    fks = {}
    for r in rows(db, "SELECT JSON_OBJECT('t',k.TABLE_NAME,'n',k.CONSTRAINT_NAME,'c',k.COLUMN_NAME,'rt',k.REFERENCED_TABLE_NAME,'rc',k.REFERENCED_COLUMN_NAME,'upd',rc.UPDATE_RULE,'del',rc.DELETE_RULE) FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA=k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME=k.CONSTRAINT_NAME AND rc.TABLE_NAME=k.TABLE_NAME WHERE k.TABLE_SCHEMA=@DB AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"):
        t = tname(r["t"])
        if t is None or t not in T:
            continue
        e = fks.setdefault((t, r["n"]), {"cols": [], "ref": tname(r["rt"]), "refcols": [], "update": r["upd"], "delete": r["del"]})
        e["cols"].append(r["c"])
        e["refcols"].append(r["rc"])
    for (t, n), e in fks.items():
        e["cols"], e["refcols"] = tuple(e["cols"]), tuple(e["refcols"])
        T[t]["fks"][iname(n)] = e
    for r in rows(db, "SELECT JSON_OBJECT('t',TABLE_NAME,'n',CONSTRAINT_NAME,'x',CHECK_CLAUSE) FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA=@DB"):
        t = tname(r["t"])
        if t is not None and t in T:
            T[t]["checks"][r["n"]] = r["x"]
    return s


def is_json(col, checks, name):
    """MariaDB JSON (LONGTEXT + json_valid CHECK) or a Doctrine-marked LONGTEXT json column."""
    if col["type"] != "longtext":
        return False
    if any(re.fullmatch(rf"json_valid\(`{re.escape(name)}`\)", c) for c in checks.values()):
        return True
    return col["comment"] in ("(DC2Type:json)", "(DC2Type:json_array)")


def compare(dump, ref, prefixed):
    real, cosmetic = [], []
    dt, rt = dump["tables"], ref["tables"]
    for t in sorted(set(rt) - set(dt)):
        real.append(f"table missing in dump: {t}")
    for t in sorted(set(dt) - set(rt)):
        real.append(f"table only in dump: {t}")
    for t in sorted(set(dt) & set(rt)):
        d, r = dt[t], rt[t]
        for k in ("engine", "collation", "create_options"):
            if d["options"][k] != r["options"][k]:
                real.append(f"{t}: table {k}: dump {d['options'][k]!r} ref {r['options'][k]!r}")
        dc, rc = d["columns"], r["columns"]
        for c in sorted(set(rc) - set(dc)):
            real.append(f"{t}.{c}: column missing in dump (ref {rc[c]['type']})")
        for c in sorted(set(dc) - set(rc)):
            real.append(f"{t}.{c}: column only in dump ({dc[c]['type']})")
        common = [c for c in r["order"] if c in dc]
        if common != [c for c in d["order"] if c in rc]:
            cosmetic.append(f"{t}: column order differs")
        for c in common:
            a, b = dict(dc[c]), dict(rc[c])
            ja, jb = is_json(a, d["checks"], c), is_json(b, r["checks"], c)
            if ja and jb:
                # JSON vs LONGTEXT-marked-json: the same column for Mautic; note the spelling.
                if (a["coll"], a["comment"]) != (b["coll"], b["comment"]):
                    cosmetic.append(f"{t}.{c}: json spelling: dump {a['coll']} {a['comment']!r} ref {b['coll']} {b['comment']!r}")
                for x in (a, b):
                    x["coll"] = x["comment"] = None
            if a["gen"] or b["gen"]:
                norm = lambda e: re.sub(r"\s+", "", (e or "").lower())
                a["gen"], b["gen"] = norm(a["gen"]), norm(b["gen"])
            for k in ("type", "null", "def", "coll", "extra", "gen"):
                if a[k] != b[k]:
                    real.append(f"{t}.{c}: {k}: dump {a[k]!r} ref {b[k]!r}")
            if a["comment"] != b["comment"]:
                cosmetic.append(f"{t}.{c}: comment: dump {a['comment']!r} ref {b['comment']!r}")
        # CHECK constraints other than MariaDB's json_valid ones.
        dch = {n: x for n, x in d["checks"].items() if not x.startswith("json_valid(")}
        rch = {n: x for n, x in r["checks"].items() if not x.startswith("json_valid(")}
        if dch != rch:
            real.append(f"{t}: checks: dump {dch} ref {rch}")
        for kind, key in (("index", lambda e: (e["unique"], e["type"], e["cols"])),
                          ("fk", lambda e: (e["cols"], e["ref"], e["refcols"], e["update"], e["delete"]))):
            dm, rm = d[kind + "es" if kind == "index" else "fks"], r[kind + "es" if kind == "index" else "fks"]
            dm, rm = dict(dm), dict(rm)
            for n in sorted(set(dm) & set(rm)):
                if prefixed and HASHED.match(n):
                    continue  # names collide across prefixes only by accident; match by shape below
                a, b = dm.pop(n), rm.pop(n)
                if key(a) != key(b):
                    real.append(f"{t}: {kind} {n}: dump {key(a)} ref {key(b)}")
            # Pair up the rest by shape: same definition, other name.
            for n in sorted(rm):
                b = rm[n]
                match = next((m for m in sorted(dm) if key(dm[m]) == key(b)), None)
                if match is None:
                    continue
                del dm[match]
                if prefixed and HASHED.match(n) and HASHED.match(match):
                    pass  # prefix-dependent Doctrine hash name (FACTS §4.3)
                else:
                    real.append(f"{t}: {kind} name: dump {match} ref {n} {key(b)}")
                rm[n] = None
            for n in sorted(x for x in rm if rm[x] is not None):
                real.append(f"{t}: {kind} missing in dump: {n} {key(rm[n])}")
            for n in sorted(dm):
                real.append(f"{t}: {kind} only in dump: {n} {key(dm[n])}")
    return real, cosmetic


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump")
    ap.add_argument("reference")
    ap.add_argument("--prefix", default="")
    ap.add_argument("--name", default=str(os.getpid()), help="suffix of the scratch database names")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    a = ap.parse_args()
    ddb, rdb = f"refgen_dump_{a.name}", f"refgen_ref_{a.name}"
    try:
        load(ddb, a.dump)
        load(rdb, a.reference)
        dump, ref = introspect(ddb, a.prefix), introspect(rdb, "")
    finally:
        if not a.keep:
            client(sql=f"DROP DATABASE IF EXISTS `{ddb}`; DROP DATABASE IF EXISTS `{rdb}`")
    real, cosmetic = compare(dump, ref, bool(a.prefix))
    print(f"# {a.dump} vs {a.reference} (prefix {a.prefix or 'none'}): {len(dump['tables'])} dump tables, {len(ref['tables'])} reference tables")
    if dump["foreign_tables"]:
        print(f"# dump tables without the prefix (not compared): {len(dump['foreign_tables'])}")
    for line in real:
        print("DIFF", line)
    for line in cosmetic:
        print("COSMETIC", line)
    print(f"# {len(real)} differences, {len(cosmetic)} cosmetic")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
