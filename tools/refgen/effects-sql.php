<?php
// Statements → effect rows for effects.php. One row per effect: an ALTER TABLE with several
// clauses gives one row per clause, all with the statement's step. Definitions are the clause
// text with whitespace outside quotes collapsed and the object name backquoted; `sql` is the
// statement exactly as Mautic runs it (unprefixed: $this->prefix is '').

/** @return list<array> version, step, op, table, object, definition, sql */
function mautic_effects_rows(string $version, array $statements): array
{
    $rows = [];
    foreach (array_values($statements) as $i => $sql) {
        foreach (mautic_effects_pieces(trim($sql)) as $piece) {
            foreach (mautic_effects_statement($piece) as [$op, $table, $object, $def]) {
                $rows[] = [$version, $i + 1, $op, $table, $object, $def, $piece];
            }
        }
    }
    return $rows;
}

/**
 * One addSql string may hold several statements (6.0's uuid migrations: `ALTER TABLE ...; UPDATE
 * ...;`), which the driver runs in one call: each gets its rows, all with the call's step. A
 * string holding one statement is kept as it is (trailing `;` included).
 *
 * @return list<string>
 */
function mautic_effects_pieces(string $sql): array
{
    $pieces = array_values(array_filter(array_map('trim', mautic_effects_split_on($sql, ';')), 'strlen'));
    return count($pieces) > 1 ? $pieces : [$sql];
}

/** @return list<array{string,string,string,string}> op, table, object, definition */
function mautic_effects_statement(string $sql): array
{
    // Leading comment lines (`# Creating table ...`) are not part of the statement.
    $s = mautic_effects_squash(preg_replace('/^(?:\s*(?:#|--)[^\n]*\n)+/', '', $sql));
    $id = '(`[^`]+`|[\w$]+)';
    if (preg_match('/^(SELECT|SET|SHOW)\b/i', $s)) {
        return []; // changes nothing (suppressNoSQLStatementError's SELECT, session settings)
    }
    if (preg_match("/^CREATE TABLE (?:IF NOT EXISTS )?$id/i", $s, $m)) {
        return [['create_table', mautic_effects_name($m[1]), '', $s]];
    }
    if (preg_match("/^DROP TABLE (?:IF EXISTS )?(.+)$/i", $s, $m)) {
        return array_map(fn ($t) => ['drop_table', mautic_effects_name($t), '', ''], mautic_effects_split($m[1]));
    }
    if (preg_match('/^RENAME TABLE (.+)$/i', $s, $m)) {
        $out = [];
        foreach (mautic_effects_split($m[1]) as $pair) {
            if (!preg_match("/^$id TO $id$/i", $pair, $p)) {
                return [['unknown', '', '', "unrecognised RENAME TABLE: $pair"]];
            }
            $out[] = ['rename_table', mautic_effects_name($p[1]), mautic_effects_name($p[2]), ''];
        }
        return $out;
    }
    if (preg_match("/^CREATE ((?:UNIQUE |FULLTEXT |SPATIAL )?)INDEX $id ON $id ?(\(.*\))(.*)$/i", $s, $m)) {
        $def = strtoupper($m[1]).'INDEX '.mautic_effects_name($m[2]).' '.$m[4].rtrim($m[5]);
        return [['add_index', mautic_effects_name($m[3]), mautic_effects_name($m[2]), $def]];
    }
    if (preg_match("/^DROP INDEX $id ON $id$/i", $s, $m)) {
        return [['drop_index', mautic_effects_name($m[2]), mautic_effects_name($m[1]), '']];
    }
    if (preg_match("/^ALTER TABLE $id (.+)$/is", $s, $m)) {
        $table = mautic_effects_name($m[1]);
        $out = [];
        foreach (mautic_effects_split($m[2]) as $clause) {
            // MySQL's grouped form ADD [COLUMN] (a ..., b ...) adds several columns.
            if (preg_match('/^ADD(?: COLUMN)? ?\((.*)\)$/is', $clause, $g)) {
                foreach (mautic_effects_split($g[1]) as $col) {
                    [$op, $object, $def] = mautic_effects_clause("ADD COLUMN $col");
                    $out[] = [$op, $table, $object, $def];
                }
                continue;
            }
            [$op, $object, $def] = mautic_effects_clause($clause);
            $out[] = [$op, $table, $object, $def];
        }
        return $out;
    }
    if (preg_match("/^(?:UPDATE|INSERT(?: IGNORE)? INTO|REPLACE INTO|DELETE FROM|TRUNCATE(?: TABLE)?) $id/i", $s, $m)) {
        return [['data', mautic_effects_name($m[1]), '', 'changes rows']];
    }
    if (preg_match("/^(?:UPDATE|DELETE)\b/i", $s)) {
        return [['data', '', '', 'changes rows']];
    }
    return [['unknown', '', '', 'unrecognised statement']];
}

/** One ALTER TABLE clause → [op, object, definition]. */
function mautic_effects_clause(string $c): array
{
    $id = '(`[^`]+`|[\w$]+)';
    $n = 'mautic_effects_name';
    $idx = '(?:INDEX|KEY)';
    if (preg_match("/^ADD CONSTRAINT $id (FOREIGN KEY .*)$/i", $c, $m)) {
        return ['add_foreign_key', $n($m[1]), "CONSTRAINT {$n($m[1])} {$m[2]}"];
    }
    if (preg_match("/^ADD (FOREIGN KEY .*)$/i", $c, $m)) {
        return ['add_foreign_key', '', $m[1]];
    }
    if (preg_match("/^ADD (?:CONSTRAINT (?:$id )?)?PRIMARY KEY ?(\(.*\))$/i", $c, $m)) {
        return ['add_index', 'PRIMARY', "PRIMARY KEY {$m[2]}"];
    }
    if (preg_match("/^ADD (?:CONSTRAINT (?:$id )?)?(UNIQUE|FULLTEXT|SPATIAL)(?: $idx)? $id ?(\(.*\))$/i", $c, $m)) {
        return ['add_index', $n($m[3]), strtoupper($m[2])." INDEX {$n($m[3])} {$m[4]}"];
    }
    if (preg_match("/^ADD $idx $id ?(\(.*\))$/i", $c, $m)) {
        return ['add_index', $n($m[1]), "INDEX {$n($m[1])} {$m[2]}"];
    }
    if (preg_match("/^ADD (?:COLUMN )?$id (.+)$/i", $c, $m)) {
        return ['add_column', $n($m[1]), "`{$n($m[1])}` {$m[2]}"];
    }
    if (preg_match("/^CHANGE (?:COLUMN )?$id $id (.+)$/i", $c, $m)) {
        // A rename is a CHANGE too: the object is the column's old name, the definition the new.
        return ['modify_column', $n($m[1]), "`{$n($m[2])}` {$m[3]}"];
    }
    if (preg_match("/^MODIFY (?:COLUMN )?$id (.+)$/i", $c, $m)) {
        return ['modify_column', $n($m[1]), "`{$n($m[1])}` {$m[2]}"];
    }
    if (preg_match("/^DROP FOREIGN KEY $id$/i", $c, $m)) {
        return ['drop_foreign_key', $n($m[1]), ''];
    }
    if (preg_match("/^DROP PRIMARY KEY$/i", $c)) {
        return ['drop_index', 'PRIMARY', ''];
    }
    if (preg_match("/^DROP $idx $id$/i", $c, $m)) {
        return ['drop_index', $n($m[1]), ''];
    }
    if (preg_match("/^DROP (?:COLUMN )?$id$/i", $c, $m)) {
        return ['drop_column', $n($m[1]), ''];
    }
    if (preg_match("/^RENAME (?:TO|AS) $id$/i", $c, $m)) {
        return ['rename_table', $n($m[1]), ''];
    }
    if (preg_match('/^(ENGINE|ROW_FORMAT|AUTO_INCREMENT|COMMENT|CONVERT TO|(?:DEFAULT )?(?:CHARACTER SET|CHARSET|COLLATE))\b/i', $c)) {
        return ['table_options', '', $c];
    }
    return ['unknown', '', "unrecognised ALTER TABLE clause: $c"];
}

function mautic_effects_name(string $id): string
{
    $id = trim($id, '` ');
    return $id;
}

/** Whitespace runs outside quotes become one space. */
function mautic_effects_squash(string $sql): string
{
    $out = '';
    $q = null;
    $len = strlen($sql);
    for ($i = 0; $i < $len; ++$i) {
        $ch = $sql[$i];
        if ($q) {
            $out .= $ch;
            if ('\\' === $ch && $i + 1 < $len) {
                $out .= $sql[++$i];
            } elseif ($ch === $q) {
                $q = null;
            }
        } elseif ("'" === $ch || '"' === $ch || '`' === $ch) {
            $q = $ch;
            $out .= $ch;
        } elseif (ctype_space($ch)) {
            if ('' !== $out && ' ' !== substr($out, -1)) {
                $out .= ' ';
            }
        } else {
            $out .= $ch;
        }
    }
    return rtrim($out, ' ;');
}

/** Split on commas outside parentheses and quotes. */
function mautic_effects_split(string $s): array
{
    return mautic_effects_split_on($s, ',');
}

/** $s split on $sep outside quotes and parentheses, parts trimmed, empty ones dropped. */
function mautic_effects_split_on(string $s, string $sep): array
{
    $parts = [];
    $depth = 0;
    $q = null;
    $cur = '';
    $len = strlen($s);
    for ($i = 0; $i < $len; ++$i) {
        $ch = $s[$i];
        if ($q) {
            if ('\\' === $ch && $i + 1 < $len) {
                $cur .= $ch.$s[++$i];
                continue;
            }
            if ($ch === $q) {
                $q = null;
            }
        } elseif ("'" === $ch || '"' === $ch || '`' === $ch) {
            $q = $ch;
        } elseif ('(' === $ch) {
            ++$depth;
        } elseif (')' === $ch) {
            --$depth;
        } elseif ($sep === $ch && 0 === $depth) {
            $parts[] = trim($cur);
            $cur = '';
            continue;
        }
        $cur .= $ch;
    }
    $parts[] = trim($cur);
    return array_values(array_filter($parts, fn ($p) => '' !== $p));
}
