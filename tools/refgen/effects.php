<?php
// Migration effects for mautic-schema: runs Mautic migrations (preUp, up, postUp) against the
// Doctrine Schema of the release before their first release, collects what Doctrine Migrations
// would execute (up()'s addSql statements, then the Schema diff SQL, the order of Migrations
// 1.x-3.x Version::execute / DbalExecutor) and prints one TSV row per effect (effects-sql.php).
// Usage: php effects.php <schema file> <migration src> <release> <version>...
//   <schema file>: the previous release's Schema, serialized by effects-schema.php;
//   <migration src>: extracted app/bundles, plugins and app/migrations of the migration's first
//   release (the code that runs the migration).
// Never connects to a database: a migration that reads or writes through the connection, the
// container or the entity manager gets a `data` row with the reason instead of guessed effects.

error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
require __DIR__.'/effects-stubs.php';
require __DIR__.'/effects-sql.php';

[, $schemaFile, $migSrc, $release] = $argv + [null, null, null, null];
$versions = array_slice($argv, 4);
if (!$schemaFile || !$migSrc || !$release || !$versions) {
    fwrite(STDERR, "usage: php effects.php <schema file> <migration src> <release> <version>...\n");
    exit(2);
}
$migSrc = rtrim(realpath($migSrc), '/');

// gen.php on the migration's own release: its classes, its DBAL types, its connection (platform
// of that major). Its schema and DDL are not wanted; $conn is left in this (global) scope.
$argv = [__DIR__.'/gen.php', $migSrc, $release];
ob_start();
require __DIR__.'/gen.php';
ob_end_clean();
require __DIR__.'/effects-container.php';
$relPlatform = $conn->getDatabasePlatform();
$fromSchema = unserialize(file_get_contents($schemaFile));
if (!$fromSchema instanceof Doctrine\DBAL\Schema\Schema) {
    fwrite(STDERR, "effects: $schemaFile holds no serialized Schema\n");
    exit(1);
}
// Tables the migration creates get the options of its release's connection.
[$relMajor, $relMinor] = array_map('intval', explode('.', $release));
$schemaConfig = (new ReflectionProperty($fromSchema, '_schemaConfig'))->getValue($fromSchema);
$schemaConfig->setDefaultTableOptions(mautic_refgen_table_options($relMajor, $relMinor, $release));

$runs = [];
foreach ($versions as $version) {
    $runs[$version] = mautic_effects_run($migSrc, $version, $fromSchema, $relPlatform);
}
// Some statements carry the clock or a random value (date_added = NOW, a webhook secret): run
// again a second later and blank the literals that changed, so the file is reproducible.
if (array_filter($runs, 'mautic_effects_has_data')) {
    sleep(1);
}
foreach ($runs as $version => $rows) {
    if (mautic_effects_has_data($rows)) {
        $rows = mautic_effects_stable($rows, mautic_effects_run($migSrc, $version, $fromSchema, $relPlatform));
    }
    foreach ($rows as $row) {
        echo implode("\t", array_map('mautic_effects_escape', $row)), "\n";
    }
}

function mautic_effects_has_data(array $rows): bool
{
    return (bool) array_filter($rows, fn ($r) => 'data' === $r[2]);
}

/** Rows of the first run, with the quoted literals that differ in the second one replaced. */
function mautic_effects_stable(array $a, array $b): array
{
    if (count($a) !== count($b)) {
        $a[] = [$a[0][0], end($a)[1] + 1, 'unknown', '', '', 'two runs of the migration give different statements', ''];
        return $a;
    }
    $lit = "/'(?:[^'\\\\]|\\\\.)*'/s";
    foreach ($a as $i => $row) {
        if ($row[6] === $b[$i][6]) {
            continue;
        }
        preg_match_all($lit, $b[$i][6], $other);
        $k = 0;
        $a[$i][6] = preg_replace_callback($lit, function ($m) use ($other, &$k) {
            $same = ($other[0][$k++] ?? null) === $m[0];
            return $same ? $m[0] : "'<value at run time>'";
        }, $row[6]);
    }
    return $a;
}

/** @return list<array> rows: version, step, op, table, object, definition, sql */
function mautic_effects_run(string $migSrc, string $version, $fromSchema, $platform): array
{
    $file = "$migSrc/app/migrations/Version$version.php";
    if (!is_file($file)) {
        return [[$version, 1, 'unknown', '', '', 'migration class file not found at its first release', '']];
    }
    $class = "Mautic\\Migrations\\Version$version";
    $from = clone $fromSchema;
    $conn = new MauticEffectsConnection($platform, $from);
    $stage = 'loading the class';
    $sql = [];
    try {
        mautic_effects_require($file);
        $m = new $class($conn);
        // Symfony's migrations bundle hands every ContainerAware migration the container.
        $stage = 'setContainer()';
        if (method_exists($m, 'setContainer')) {
            $m->setContainer(new MauticEffectsContainer());
        }
        $stage = 'preUp()';
        $skipped = null;
        try {
            $m->preUp($from);
        } catch (MauticEffectsSkip $e) {
            // A schema guard against the previous release's schema: Migrations would record the
            // migration without running it. The rows still say what up() runs when not skipped.
            $skipped = $e->getMessage();
        }
        $stage = 'up()';
        $to = clone $from;
        $m->up($to);
        $sql = $m->mauticEffectsSql();
        $stage = 'the Schema diff';
        foreach ($from->getMigrateToSql($to, $platform) as $s) {
            $sql[] = $s;
        }
        $stage = 'postUp()';
        $m->mauticEffectsPost = true;
        $m->postUp($to);
    } catch (MauticEffectsNeedsData $e) {
        return mautic_effects_with_stop($version, $sql ?: (isset($m) ? $m->mauticEffectsSql() : []), 'data', "$stage {$e->getMessage()}");
    } catch (MauticEffectsSkip $e) {
        return mautic_effects_with_stop($version, $sql ?: (isset($m) ? $m->mauticEffectsSql() : []), 'unknown', "$stage skips the migration in the harness: {$e->getMessage()}");
    } catch (Throwable $e) {
        $msg = preg_replace('/\s+/', ' ', $e->getMessage());
        return mautic_effects_with_stop($version, $sql ?: (isset($m) ? $m->mauticEffectsSql() : []), 'unknown', "$stage fails in the harness: ".get_class($e).": $msg");
    }
    $rows = mautic_effects_rows($version, $sql);
    if (null !== $skipped) {
        array_unshift($rows, [$version, 0, 'unknown', '', '', "preUp() skips this migration against the previous release's schema ($skipped): Migrations records it without running it; the rows after this one are what up() runs when it is not skipped", '']);
    }
    if (!$rows) {
        $rows[] = [$version, 1, 'unknown', '', '', 'no statements: nothing to run on MySQL against the previous release\'s schema', ''];
    }
    return $rows;
}

/** The statements collected before the migration stopped, then one row saying why it stopped. */
function mautic_effects_with_stop(string $version, array $sql, string $op, string $reason): array
{
    $rows = mautic_effects_rows($version, $sql);
    $rows[] = [$version, count($sql) + 1, $op, '', '', $reason, ''];
    return $rows;
}

function mautic_effects_escape($v): string
{
    return strtr((string) $v, ['\\' => '\\\\', "\t" => '\\t', "\n" => '\\n', "\r" => '\\r']);
}

function mautic_effects_require(string $file): void
{
    $target = sys_get_temp_dir().'/mautic-effects-cache-'.md5($file.file_get_contents($file)).'.php';
    if (!is_file($target)) {
        file_put_contents($target, mautic_refgen_rewrite(file_get_contents($file)));
    }
    require_once $target;
}
