<?php
// Reference-schema generator for mautic-schema: runs Mautic's own entity metadata
// (static loadMetadata() of app/bundles/*/Entity and plugins/*/Entity) through Doctrine's
// SchemaTool, then applies what Mautic's schema listeners add at install time.
// Usage: php gen.php <extracted Mautic tag dir> <release>   (DDL on stdout)
// Runs with Debian's php-cli, php-doctrine-orm and php-doctrine-dbal; no Composer.

error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);
// References are unprefixed; mautic-schema prefixes them at run time.
define('MAUTIC_TABLE_PREFIX', '');
require '/usr/share/php/Doctrine/ORM/autoload.php';
require '/usr/share/php/Doctrine/DBAL/autoload.php';

[$self, $src, $release] = $argv + [null, null, null];
if (!$src || !$release) {
    fwrite(STDERR, "usage: php gen.php <mautic-src> <release>\n");
    exit(2);
}
$src = rtrim(realpath($src), '/');
[$major, $minor] = array_map('intval', explode('.', $release));
$GLOBALS['mautic_refgen_patch'] = (int) (explode('.', $release)[2] ?? 0);
$era = $major * 100 + $minor;

// DBAL 2 code in Mautic ≤4 (Type::TEXT constants, old custom-type signatures) is rewritten
// while loading; everything else unknown becomes an empty stub (interfaces, traits, classes).
require __DIR__.'/compat.php';
require __DIR__.'/listeners.php';
mautic_refgen_register_autoloaders($src);

use Doctrine\DBAL\Types\Type;
use Doctrine\ORM\Mapping\Driver\StaticPHPDriver;
use Doctrine\ORM\Tools\SchemaTool;

class MauticRefgenJsonArrayType extends Doctrine\DBAL\Types\JsonType
{
    public function getName() { return 'json_array'; }
    public function requiresSQLCommentHint(Doctrine\DBAL\Platforms\AbstractPlatform $platform) { return true; }
}

// Mautic's DBAL types (app/bundles/CoreBundle/Doctrine/Type).
foreach (['array' => 'ArrayType', 'datetime' => 'UTCDateTimeType', 'generated' => 'GeneratedType'] as $name => $class) {
    $fqcn = "Mautic\\CoreBundle\\Doctrine\\Type\\$class";
    if (!is_file("$src/app/bundles/CoreBundle/Doctrine/Type/$class.php") || !class_exists($fqcn)) {
        continue;
    }
    if (Type::hasType($name)) {
        Type::overrideType($name, $fqcn);
    } else {
        Type::addType($name, $fqcn);
    }
}

// DBAL 2's json_array (gone in DBAL 3): JSON on MySQL 5.7.8+, LONGTEXT before, always with its
// comment hint (DBAL 2 JsonArrayType::requiresSQLCommentHint() is true).
if (!Type::hasType('json_array')) {
    Type::addType('json_array', MauticRefgenJsonArrayType::class);
}

$paths = [];
foreach (glob("$src/app/bundles/*/Entity", GLOB_ONLYDIR) as $d) {
    $paths[] = $d;
}
foreach (glob("$src/plugins/*/Entity", GLOB_ONLYDIR) as $d) {
    $paths[] = $d;
}
$files = [];
foreach ($paths as $p) {
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($p, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $f) {
        if (substr($f->getFilename(), -4) === '.php') {
            $files[] = $f->getPathname();
        }
    }
}
sort($files);
$classes = [];
foreach ($files as $f) {
    $class = mautic_refgen_class_of($src, $f);
    if (!$class) {
        continue;
    }
    try {
        if (!class_exists($class) || !method_exists($class, 'loadMetadata')) {
            continue;
        }
    } catch (Throwable $e) {
        fwrite(STDERR, "skip $class: {$e->getMessage()}\n");
        continue;
    }
    $r = new ReflectionClass($class);
    if ($r->isAbstract() || $r->isInterface()) {
        continue;
    }
    $classes[] = $class;
}

$config = Doctrine\ORM\ORMSetup::createConfiguration(true);
$config->setMetadataDriverImpl(new class($classes) extends StaticPHPDriver {
    public function __construct(private array $list) { parent::__construct([]); }
    public function getAllClassNames() { return $this->list; }
});
$config->setNamingStrategy(new Doctrine\ORM\Mapping\DefaultNamingStrategy());
// Never connects: the schema is computed from metadata alone.
class MauticRefgenConnection extends Doctrine\DBAL\Connection
{
    public function getDatabase() { return 'mautic'; }
}
$conn = Doctrine\DBAL\DriverManager::getConnection([
    'driver' => 'pdo_mysql',
    'wrapperClass' => MauticRefgenConnection::class,
    // 2.x connected with db_server_version '5.5' (MySQL platform: JSON as LONGTEXT, as in the
    // 2.12/2.14 fresh-install dumps); 3.x+ with '5.7' (MySQL 5.7 platform: native JSON).
    'serverVersion' => $major >= 3 ? '5.7.9' : '5.5.3',
    'charset' => $major >= 3 ? 'utf8mb4' : 'utf8',
    'defaultTableOptions' => mautic_refgen_table_options($major, $minor, $release),
], $config);
foreach (['enum', 'point', 'bit'] as $t) {
    $conn->getDatabasePlatform()->registerDoctrineTypeMapping($t, 'string');
}
$em = new Doctrine\ORM\EntityManager($conn, $config);
$metas = [];
foreach ($classes as $c) {
    try {
        $m = $em->getClassMetadata($c);
    } catch (Throwable $e) {
        fwrite(STDERR, "metadata $c: ".get_class($e).': '.$e->getMessage()."\n");
        continue;
    }
    if ($m->isMappedSuperclass || $m->isEmbeddedClass) {
        continue;
    }
    $metas[] = $m;
}
$tool = new SchemaTool($em);
$schema = $tool->getSchemaFromMetadata($metas);

mautic_refgen_apply_listeners($schema, $src, $major, $minor, $metas, $conn);

$platform = $conn->getDatabasePlatform();
$sql = $schema->toSql($platform);
$creates = $alters = $indexes = [];
foreach ($sql as $s) {
    if (str_starts_with($s, 'CREATE TABLE')) {
        $creates[] = $s;
    } elseif (str_starts_with($s, 'ALTER TABLE')) {
        $alters[] = $s;
    } else {
        $indexes[] = $s;
    }
}
sort($creates);
sort($alters);
sort($indexes);
echo "-- mautic-schema reference schema for Mautic $release (unprefixed)\n";
$commit = getenv('MAUTIC_COMMIT') ?: 'unknown';
// A release past mautic/mautic's tags is read from a fork (migrations-index/sources.tsv): say which.
$fork = getenv('MAUTIC_FORK');
$at = $fork ? "release $release of the fork $fork" : "tag $release";
$where = $fork ? "; migrations-index/sources.tsv" : '';
echo "-- provenance: generated by tools/refgen from Mautic's entity metadata at $at (commit $commit$where)\n";
foreach (array_merge($creates, $alters, $indexes) as $s) {
    echo $s, ";\n";
}
