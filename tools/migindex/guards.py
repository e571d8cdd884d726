#!/usr/bin/env python3
"""Write migrations-index/guards.tsv: for every migration of migrations.tsv, the condition under
which Mautic skips it (its own guard), read from its PHP source (stdlib only, deterministic).

    python3 tools/migindex/guards.py GITDIR [GITDIR ...]

Each GITDIR is a bare Mautic repository (mautic/mautic, or a fork carrying later releases), named
OWNER/NAME by its mirror directory (.../OWNER+NAME/repo). A migration is read at the newest
release of its range (migrations.tsv) whose source holds it: an official release at its tag in
mautic/mautic, a release past the official history at the fork commit sources.tsv names (the
same trees the index was generated from, never a branch head). Migrations live under
app/migrations/ (or .../app/migrations/ in a fork's docroot). A migration no given repository
holds is written `unknown: source not found`.

A guard is what runs before the statements and skips the migration: `throw new SkipMigration`
under an `if`, `$this->skipIf(...)`, the assertions of PreUpAssertionMigration (skipped when
all hold), or an early `return;` in up() before any statement. It is written as alternatives
joined by ' OR ' (any one skips), each a conjunction of atoms joined by ' AND ':
    table_exists T | table_missing T | column_exists T.C | column_missing T.C
    index_exists T.I | index_missing T.I | fk_exists T.F | fk_missing T.F
    column_type_is T.C TYPE | column_type_is_not T.C TYPE     (TYPE: Doctrine type, e.g. text)
    prefix_empty | prefix_set
T is unprefixed; an index or key name containing the install's prefix has '{prefix}'.
`none`: nothing skips it. `unknown: <why>`: a guard (or statements run only under a condition on
the schema or the rows) this tool cannot express; the migration must not be judged by its
effects alone.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INDEX = os.path.join(HERE, "..", "..", "migrations-index")
PATH_RE = re.compile(r"(?:^|/)app/migrations/Version(\w+)\.php$")


def git(gitdir, *args):
    r = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, text=True, errors="replace")
    return r.stdout if r.returncode == 0 else None


class Unknown(Exception):
    pass


def strip_comments(code):
    """The code without comments; strings (which may hold '/*' or '//') kept as they are."""
    out, i, quote = [], 0, None
    while i < len(code):
        ch = code[i]
        if quote:
            out.append(ch)
            if ch == "\\":
                out.append(code[i + 1: i + 2])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = len(code) if end < 0 else end + 2
            continue
        elif code.startswith("//", i) or ch == "#":
            end = code.find("\n", i)
            i = len(code) if end < 0 else end
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def matching(code, start, open_c, close_c):
    """Index just past the bracket closing the one at `start` (strings skipped)."""
    depth, i, quote = 0, start, None
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == open_c:
            depth += 1
        elif ch == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise Unknown("unbalanced brackets")


def methods(code):
    """name -> (parameter names, body)."""
    out = {}
    for m in re.finditer(r"function\s+(\w+)\s*\(([^)]*)\)[^{;]*\{", code):
        end = matching(code, m.end() - 1, "{", "}")
        out[m.group(1)] = (re.findall(r"\$(\w+)", m.group(2)), code[m.end(): end - 1])
    return out


def split_top(expr, sep):
    parts, depth, quote, last, i = [], 0, None, 0, 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and expr.startswith(sep, i):
            parts.append(expr[last:i])
            last = i + len(sep)
            i = last
            continue
        i += 1
    parts.append(expr[last:])
    return [p.strip() for p in parts]


def unwrap(expr):
    expr = expr.strip()
    while expr.startswith("(") and matching(expr, 0, "(", ")") == len(expr):
        expr = expr[1:-1].strip()
    return expr


class Klass:
    """What a migration class declares: constants, property defaults, methods."""

    def __init__(self, code, load=lambda path: None):
        """`load(path)` reads another file of the same revision (an entity's constants)."""
        self.code = code
        self.load = load
        self.uses = {n.split("\\")[-1]: n for n in re.findall(r"^use\s+([\w\\]+)\s*;", code, flags=re.M)}
        self.params = {}
        self.methods = {}
        for name, (params, body) in methods(code).items():
            self.params[name] = params
            self.methods[name] = body
        self.inherited = {}
        self.inherit(code)
        self.consts = dict(re.findall(r"const\s+(\w+)\s*=\s*'([^']*)'\s*;", code))
        self.props = dict(re.findall(r"(?:private|protected|public)\s+(?:static\s+)?(?:\??string\s+)?\$(\w+)\s*=\s*'([^']*)'\s*;", code))

    def inherit(self, code):
        """Methods the migration inherits from a Mautic parent class (6.x's AbstractMauticMigration
        defines getPrefixedTableName(), which earlier migrations declared themselves)."""
        parent = re.search(r"class\s+\w+\s+extends\s+(\w+)", code)
        full = parent and self.uses.get(parent.group(1), "")
        parts = full.split("\\") if full else []
        if len(parts) < 3 or parts[0] != "Mautic":
            return
        base = self.load("app/bundles/" + "/".join(parts[1:]) + ".php")
        # Kept apart from the class's own methods: only expressions consult them, the guard
        # reader must not take the parent's preUp() for the migration's.
        self.inherited = methods(strip_comments(base or ""))

    def string(self, expr, depth=0):
        """A PHP string expression as text, the install's prefix as {prefix}."""
        out = []
        for part in split_top(unwrap(expr), "."):
            part = unwrap(part)
            if re.fullmatch(r"'[^']*'", part):
                out.append(part[1:-1])
            elif re.fullmatch(r'"[^"]*"', part):
                s = part[1:-1]
                s = s.replace("{$this->prefix}", "{prefix}").replace("$this->prefix", "{prefix}")
                if "$" in s:
                    raise Unknown("interpolation in " + part)
                out.append(s)
            elif part in ("$this->prefix", "MAUTIC_TABLE_PREFIX"):
                out.append("{prefix}")
            elif m := re.fullmatch(r"(?:self|static)::(\w+)", part):
                if m.group(1) not in self.consts:
                    raise Unknown("constant " + part)
                out.append(self.consts[m.group(1)])
            elif m := re.fullmatch(r"(\w+)::(\w+)", part):
                out.append(self.foreign_const(m.group(1), m.group(2)))
            elif m := re.fullmatch(r"(?:self|static)::\$(\w+)", part):
                if m.group(1) not in self.props:
                    raise Unknown("property " + part)
                out.append(self.props[m.group(1)])
            elif m := re.fullmatch(r"\$this->(\w+)", part):
                if m.group(1) not in self.props:
                    raise Unknown("property " + part)
                out.append(self.props[m.group(1)])
            elif m := re.fullmatch(r"\$this->(\w+)\((.*)\)", part, flags=re.S):
                out.append(self.returned(m.group(1), m.group(2), depth))
            else:
                raise Unknown("expression " + part)
        return "".join(out)

    def foreign_const(self, cls, name):
        """A constant of a Mautic class the migration imports (an entity's TABLE_NAME)."""
        full = self.uses.get(cls, "")
        parts = full.split("\\")
        if len(parts) < 3 or parts[0] != "Mautic":
            raise Unknown(f"constant {cls}::{name}")
        code = self.load("app/bundles/" + "/".join(parts[1:]) + ".php")
        found = code and re.search(r"const\s+%s\s*=\s*'([^']*)'\s*;" % name, strip_comments(code))
        if not found:
            raise Unknown(f"constant {cls}::{name}")
        return found.group(1)

    def returned(self, name, args, depth):
        """What method `name` returns for `args`, when its body is one `return` of a string."""
        params, body = (self.params[name], self.methods[name]) if name in self.methods else self.inherited.get(name, ([], None))
        args = [a for a in split_top(args, ",") if a]
        # `if (null === $p) { $p = X; }` before the return: an omitted argument stands for X.
        defaults = {}
        for d in re.finditer(r"if\s*\(\s*null\s*===\s*\$(\w+)\s*\)\s*\{\s*\$\1\s*=\s*(.*?);\s*\}", body or "", flags=re.S):
            defaults[d.group(1)] = d.group(2)
        rest = re.sub(r"if\s*\(\s*null\s*===\s*\$(\w+)\s*\)\s*\{.*?\}", "", body or "", flags=re.S)
        m = body is not None and re.fullmatch(r"\s*return\s+(.*?);\s*", rest, flags=re.S)
        missing = params[len(args):]
        if not m or depth > 3 or len(args) > len(params) or any(p not in defaults for p in missing):
            raise Unknown(f"method {name}()")
        args = args + [defaults[p] for p in missing]
        expr = m.group(1)
        # A parameter stands for its argument: evaluate the argument in the caller's terms.
        for p, a in zip(params, args):
            expr = re.sub(r"\$%s\b" % p, lambda _: "'" + self.string(a, depth + 1).replace("'", "") + "'", expr)
        return self.string(expr, depth + 1)

    def table(self, expr):
        s = self.string(expr)
        if not s.startswith("{prefix}") or "{prefix}" in s[8:]:
            raise Unknown("table name " + s)
        return s[len("{prefix}"):]


def bindings(k, body):
    """$var = $schema->getTable(T) and $var = <table>->getColumn(C) assignments in a body."""
    tables, columns = {}, {}
    for m in re.finditer(r"\$(\w+)\s*=\s*\$schema->getTable\((.*?)\)\s*;", body):
        try:
            tables[m.group(1)] = k.table(m.group(2))
        except Unknown:
            pass
    for m in re.finditer(r"\$(\w+)\s*=\s*(.*?)->getColumn\((.*?)\)\s*;", body):
        try:
            columns[m.group(1)] = (table_of(k, tables, m.group(2)), k.string(m.group(3)))
        except Unknown:
            pass
    return tables, columns


def table_of(k, tables, expr):
    expr = unwrap(expr)
    if m := re.fullmatch(r"\$(\w+)", expr):
        if m.group(1) in tables:
            return tables[m.group(1)]
        raise Unknown("variable " + expr)
    if m := re.fullmatch(r"\$schema->getTable\((.*)\)", expr, flags=re.S):
        return k.table(m.group(1))
    raise Unknown("table expression " + expr)


TYPE_CONST = {"TEXT": "text", "STRING": "string", "BOOLEAN": "boolean", "INTEGER": "integer", "BIGINT": "bigint", "JSON": "json", "DATETIME": "datetime"}


def atom(k, tables, columns, expr, neg=False):
    expr = unwrap(expr)
    if expr.startswith("!") and not expr.startswith("!="):
        return atom(k, tables, columns, expr[1:], not neg)
    if m := re.fullmatch(r"empty\(\$this->prefix\)", expr):
        return "prefix_set" if neg else "prefix_empty"
    if m := re.fullmatch(r"\$schema->hasTable\((.*)\)", expr, flags=re.S):
        return ("table_missing " if neg else "table_exists ") + k.table(m.group(1))
    if m := re.fullmatch(r"(.*)->(hasColumn|hasIndex|hasForeignKey)\((.*)\)", expr, flags=re.S):
        kind = {"hasColumn": "column", "hasIndex": "index", "hasForeignKey": "fk"}[m.group(2)]
        t = table_of(k, tables, m.group(1))
        return f"{kind}_{'missing' if neg else 'exists'} {t}.{k.string(m.group(3))}"
    if m := re.fullmatch(r"(.*?)->getType\(\)\s+instanceof\s+\\?(?:[\w\\]*\\)?(\w+)Type", expr, flags=re.S):
        t, c = column_of(k, tables, columns, m.group(1))
        return f"column_type_is{'_not' if neg else ''} {t}.{c} {m.group(2).lower()}"
    if m := re.fullmatch(r"(?:\\?(?:[\w\\]*\\)?Types?)::(\w+)\s*===\s*(.*?)->getType\(\)", expr, flags=re.S):
        t, c = column_of(k, tables, columns, m.group(2))
        if m.group(1) not in TYPE_CONST:
            raise Unknown("type " + m.group(1))
        return f"column_type_is{'_not' if neg else ''} {t}.{c} {TYPE_CONST[m.group(1)]}"
    if m := re.fullmatch(r"\$this->(\w+)\(\$schema\)", expr):
        body = k.methods.get(m.group(1), "")
        r = re.search(r"return\s+(.*?);\s*$", body, flags=re.S)
        if r is None or body.count("return") != 1:
            raise Unknown(f"method {m.group(1)}()")
        t2, c2 = bindings(k, body)
        inner = alternatives(k, {**tables, **t2}, {**columns, **c2}, r.group(1))
        if len(inner) != 1 or len(inner[0]) != 1:
            raise Unknown(f"method {m.group(1)}() returns a compound condition")
        a = inner[0][0]
        return negate(a) if neg else a
    raise Unknown("condition " + re.sub(r"\s+", " ", expr)[:80])


def negate(a):
    pairs = [("_exists", "_missing"), ("_missing", "_exists"), ("prefix_empty", "prefix_set"), ("prefix_set", "prefix_empty")]
    if a.startswith("column_type_is_not "):
        return "column_type_is " + a[len("column_type_is_not "):]
    if a.startswith("column_type_is "):
        return "column_type_is_not " + a[len("column_type_is "):]
    head, _, rest = a.partition(" ")
    for x, y in pairs:
        if head.endswith(x):
            return (head[: -len(x)] + y + " " + rest).strip()
    raise Unknown("cannot negate " + a)


def column_of(k, tables, columns, expr):
    expr = unwrap(expr)
    if m := re.fullmatch(r"\$(\w+)", expr):
        if m.group(1) in columns:
            return columns[m.group(1)]
        raise Unknown("variable " + expr)
    if m := re.fullmatch(r"(.*)->getColumn\((.*)\)", expr, flags=re.S):
        return table_of(k, tables, m.group(1)), k.string(m.group(2))
    raise Unknown("column expression " + expr)


def alternatives(k, tables, columns, cond):
    """A condition as OR of ANDs of atoms."""
    alts = []
    for alt in split_top(unwrap(cond), "||"):
        parts = split_top(unwrap(alt), "&&")
        if len(parts) > 1 and any("||" in p for p in parts):
            raise Unknown("nested condition")
        alts.append([atom(k, tables, columns, p) for p in parts])
    return alts


def first_statement(body):
    m = re.search(r"->addSql\(|->createTable\(|->addColumn\(|->dropColumn\(|->addIndex\(|->dropIndex\(|->dropTable\(|->addForeignKeyConstraint\(|->changeColumn\(|->modifyColumn\(|->renameTable\(|->executeStatement\(|->executeQuery\(|->query\(", body)
    return m.start() if m else len(body)


def guard(code, load=lambda path: None):
    code = strip_comments(code)
    k = Klass(code, load)
    names = [n for n in ("preUpAssertions", "preUp", "up", "mysqlUp", "postUp") if n in k.methods]
    alts, assertions, why = [], [], []
    for name in names:
        body = k.methods[name]
        tables, columns = bindings(k, body)
        consumed = []
        for m in re.finditer(r"\bif\s*\(", body):
            cend = matching(body, m.end() - 1, "(", ")")
            cond = body[m.end(): cend - 1]
            rest = body[cend:].lstrip()
            skips = re.match(r"\{\s*throw\s+new\s+\\?(?:[\w\\]*\\)?SkipMigration(?:Exception)?\s*\(", rest)
            early = re.match(r"\{\s*return\s*;\s*\}", rest) and m.start() < first_statement(body)
            if skips or early:
                alts.extend(alternatives(k, tables, columns, cond))
                consumed.append((m.start(), cend))
        for m in re.finditer(r"\$this->skipIf\(", body):
            end = matching(body, m.end() - 1, "(", ")")
            args = split_top(body[m.end(): end - 1], ",")
            alts.extend(alternatives(k, tables, columns, args[0]))
            consumed.append((m.start(), end))
        for m in re.finditer(r"\$this->skipAssertion\(", body):
            if re.search(r"\bforeach\s*\(", body[: m.start()]):
                raise Unknown("skipAssertion in a loop")
            end = matching(body, m.end() - 1, "(", ")")
            fn = split_top(body[m.end(): end - 1], ",")[0]
            f = re.fullmatch(r"fn\s*\(\s*Schema\s+\$schema\s*\)\s*=>\s*(.*)", fn, flags=re.S)
            g = re.fullmatch(r"function\s*\(\s*Schema\s+\$schema\s*\)\s*\{(.*)\}", fn, flags=re.S)
            if g:
                inner = g.group(1)
                r = re.fullmatch(r"(.*?)return\s+(.*?);\s*", inner, flags=re.S)
                if not r or "connection" in inner or "Query" in inner:
                    raise Unknown("skip assertion reads rows or is not one return")
                t2, c2 = bindings(k, r.group(1))
                found = alternatives(k, {**tables, **t2}, {**columns, **c2}, r.group(2))
            elif f:
                found = alternatives(k, tables, columns, f.group(1))
            else:
                raise Unknown("skip assertion is not a closure")
            assertions.append(found)
            consumed.append((m.start(), end))
        # Schema checks outside the guards make statements conditional: effects alone mislead.
        rest = body
        for s, e in sorted(consumed, reverse=True):
            rest = rest[:s] + rest[e:]
        rest = re.sub(r"\$\w+\s*=\s*\$schema->getTable\([^;]*;", "", rest)
        if re.search(r"->has(Table|Column|Index|ForeignKey|PrimaryKey)\(|->getType\(\)|->fetch\w*\(|executeQuery\(", rest):
            why.append(f"{name}() runs statements under a condition on the schema or the rows")
        if re.search(r"\$this->\w+\(\$schema\)", rest) and name != "postUp":
            for h in re.findall(r"\$this->(\w+)\(\$schema\)", rest):
                hb = k.methods.get(h, "")
                if re.search(r"->has(Table|Column|Index|ForeignKey)\(|->getType\(\)|->fetch\w*\(|executeQuery\(", hb):
                    why.append(f"{h}() runs statements under a condition on the schema or the rows")
    if assertions:
        # PreUpAssertionMigration skips only when every assertion holds.
        combined = [[]]
        for found in assertions:
            combined = [c + a for c in combined for a in found]
        alts.extend(combined)
    if why:
        raise Unknown("; ".join(sorted(set(why))))
    if not alts:
        return "none"
    return " OR ".join(" AND ".join(a) for a in alts)


def repositories(specs):
    """{OWNER/NAME: gitdir} for the given mirrors (.../OWNER+NAME/repo)."""
    out = {}
    for spec in specs:
        gitdir = os.path.abspath(spec)
        d = os.path.basename(os.path.dirname(gitdir)) if os.path.basename(gitdir) == "repo" else os.path.basename(gitdir)
        out[d.replace("+", "/")] = gitdir
    return out


def release_trees():
    """[(release, repository, revision)] in version order: official releases at their tag in
    mautic/mautic, later ones at the fork commit of sources.tsv."""
    forks = {}
    for line in open(os.path.join(INDEX, "sources.tsv"), encoding="utf-8"):
        if not line.startswith("#") and line.strip():
            rel, repo, commit = line.split("\t")[:3]
            forks[rel] = (repo, commit)
    out = []
    for line in open(os.path.join(INDEX, "releases.tsv"), encoding="utf-8"):
        if not line.startswith("#") and line.strip():
            rel = line.split("\t")[0]
            out.append((rel,) + forks.get(rel, ("mautic/mautic", rel)))
    return out


def listing(gitdir, rev, cache):
    if (gitdir, rev) not in cache:
        text = git(gitdir, "ls-tree", "-r", "--name-only", rev) or ""
        found = {}
        for path in text.splitlines():
            m = PATH_RE.search(path)
            if m and "/bundles/" not in path:
                found.setdefault(m.group(1), path)
        cache[(gitdir, rev)] = found
    return cache[(gitdir, rev)]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    repos = repositories(sys.argv[1:])
    trees = release_trees()
    order = [t[0] for t in trees]
    rows, cache = [], {}
    for line in open(os.path.join(INDEX, "migrations.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        version, first, last = line.split("\t")[:3]
        span = trees[order.index(first) : order.index(last) + 1]
        found = None
        for _rel, label, rev in reversed(span):
            gitdir = repos.get(label)
            path = gitdir and listing(gitdir, rev, cache).get(version)
            if path:
                # What precedes app/ (a fork's docroot), for the classes a migration imports.
                start = PATH_RE.search(path).start()
                root = path[: start + 1] if start else ""
                found = (label, rev, git(gitdir, "show", f"{rev}:{path}"), gitdir, root)
                break
        if not found:
            rows.append((version, "unknown: source not found", ""))
            continue
        label, rev, code, gitdir, root = found

        def load(path, gitdir=gitdir, rev=rev, root=root):
            return git(gitdir, "show", f"{rev}:{root}{path}")

        try:
            g = guard(code, load)
        except Unknown as e:
            g = "unknown: " + re.sub(r"\s+", " ", str(e)).replace("\t", " ")
        rows.append((version, g, f"{label}@{rev}"))
    with open(os.path.join(INDEX, "guards.tsv"), "w", encoding="utf-8") as f:
        f.write("# Each migration's own guard: the condition under which Mautic skips it (SkipMigration, skipIf,\n")
        f.write("#   PreUpAssertionMigration's assertions, an early return). columns: version (as in migrations.tsv),\n")
        f.write("#   guard ('none'; 'unknown: why'; else alternatives joined by ' OR ', each atoms joined by ' AND ':\n")
        f.write("#   table_exists|table_missing T, column_exists|column_missing|index_exists|index_missing|fk_exists|\n")
        f.write("#   fk_missing T.NAME, column_type_is|column_type_is_not T.C DOCTRINE_TYPE, prefix_empty|prefix_set;\n")
        f.write("#   T unprefixed, {prefix} for the install's prefix in a name), source (repository@revision read).\n")
        f.write("# Produced by tools/migindex/guards.py from the PHP source in the given git histories; never written by hand.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


if __name__ == "__main__":
    main()
