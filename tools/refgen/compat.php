<?php
// Class loading for the generator: Mautic's own classes from the extracted tag, rewritten where
// the DBAL 2 API they were written for differs from Debian's DBAL 3; every other unknown class
// becomes an empty stub so that entity files load without Symfony, JMS or the rest of vendor/.

function mautic_refgen_class_of(string $src, string $file): ?string
{
    $rel = substr($file, strlen($src) + 1);
    if (str_starts_with($rel, 'app/bundles/')) {
        $ns = 'Mautic\\'.str_replace('/', '\\', substr($rel, strlen('app/bundles/'), -4));
    } elseif (str_starts_with($rel, 'plugins/')) {
        $ns = 'MauticPlugin\\'.str_replace('/', '\\', substr($rel, strlen('plugins/'), -4));
    } else {
        return null;
    }
    return $ns;
}

function mautic_refgen_rewrite(string $code): string
{
    // DBAL 2 type-name constants on Type → the type names themselves (DBAL 3 moved and
    // renamed them; json_array is gone and is registered again by gen.php).
    $names = ['TARRAY' => 'array', 'SIMPLE_ARRAY' => 'simple_array', 'JSON_ARRAY' => 'json_array', 'JSON' => 'json',
        'BIGINT' => 'bigint', 'BOOLEAN' => 'boolean', 'DATETIME' => 'datetime', 'DATETIMETZ' => 'datetimetz',
        'DATE' => 'date', 'TIME' => 'time', 'DECIMAL' => 'decimal', 'INTEGER' => 'integer', 'OBJECT' => 'object',
        'SMALLINT' => 'smallint', 'STRING' => 'string', 'TEXT' => 'text', 'BINARY' => 'binary', 'BLOB' => 'blob',
        'FLOAT' => 'float', 'GUID' => 'guid', 'DATEINTERVAL' => 'dateinterval'];
    $code = preg_replace_callback('/\\\\?(?:Doctrine\\\\DBAL\\\\Types\\\\)?\bType::([A-Z][A-Z_0-9]*)\b/', function ($m) use ($names) {
        return isset($names[$m[1]]) ? var_export($names[$m[1]], true) : $m[0];
    }, $code);
    // Old Doctrine Common persistence namespace.
    $code = str_replace('Doctrine\\Common\\Persistence\\', 'Doctrine\\Persistence\\', $code);
    // DBAL 2 platform class name.
    $code = preg_replace('/\bMySqlPlatform\b/', 'MySQLPlatform', $code);
    // Return types DBAL 3 / ORM 2.14 parents do not declare would be incompatible; drop the
    // ones on the few overridden methods (custom types).
    $code = preg_replace('/(function (?:getSQLDeclaration|convertToDatabaseValue|convertToPHPValue|getName|requiresSQLCommentHint)\([^)]*\))\s*:\s*\??[\\\\\w]+/', '$1', $code);
    return $code;
}

// Third-party base classes whose properties Mautic's entities map: FOSOAuthServerBundle's
// token and client models (ApiBundle/Entity/oAuth2). Mautic 6 redeclares some of them with types
// (`protected ?string $randomId`), which PHP refuses over an untyped parent property: the stub
// leaves out what the release's entity declares itself.
function mautic_refgen_known_stubs(string $src): void
{
    $own = function (string $entity) use ($src): array {
        $file = "$src/app/bundles/ApiBundle/Entity/oAuth2/$entity.php";
        $code = is_file($file) ? file_get_contents($file) : '';
        preg_match_all('/^\s*(?:protected|private|public)\s+(?:\??[\w\\\\]+\s+)?\$(\w+)/m', $code, $m);
        return $m[1];
    };
    $props = fn (array $names, string $entity) => implode(' ', array_map(
        fn ($p) => str_ends_with($p, '[]') ? 'protected $'.substr($p, 0, -2).' = [];' : "protected \$$p;",
        array_filter($names, fn ($p) => !in_array(rtrim($p, '[]'), $own($entity), true))
    ));
    $token = ['id', 'client', 'token', 'expiresAt', 'scope', 'user', 'redirectUri'];
    foreach (['Entity', 'Model'] as $ns) {
        foreach (['AccessToken', 'RefreshToken', 'AuthCode', 'Token'] as $c) {
            eval("namespace FOS\\OAuthServerBundle\\$ns; class $c { ".$props($token, $c).' public function __call($n, $a) { return null; } }');
        }
        eval("namespace FOS\\OAuthServerBundle\\$ns; class Client { ".$props(['id', 'randomId', 'secret', 'redirectUris[]', 'allowedGrantTypes[]'], 'Client').' public function __call($n, $a) { return null; } }');
    }
}

// APIs newer than Debian 12's Doctrine that Mautic 6 entities use while loading their metadata.
// Defined before the stub autoloader below could make an empty class of them.
function mautic_refgen_newer_doctrine(): void
{
    // Doctrine Collections 2.2's Order enum (Webhook::loadMetadata sorts by Order::Descending->value);
    // Debian 12 ships Collections 2.1.
    if (!enum_exists('Doctrine\\Common\\Collections\\Order')) {
        eval('namespace Doctrine\\Common\\Collections; enum Order: string { case Ascending = \'ASC\'; case Descending = \'DESC\'; }');
    }
}

function mautic_refgen_register_autoloaders(string $src): void
{
    mautic_refgen_newer_doctrine();
    mautic_refgen_known_stubs($src);
    $cache = sys_get_temp_dir().'/mautic-refgen-cache-'.md5($src);
    @mkdir($cache, 0700, true);
    spl_autoload_register(function (string $class) use ($src, $cache) {
        if (str_starts_with($class, 'Mautic\\')) {
            $file = "$src/app/bundles/".str_replace('\\', '/', substr($class, 7)).'.php';
        } elseif (str_starts_with($class, 'MauticPlugin\\')) {
            $file = "$src/plugins/".str_replace('\\', '/', substr($class, 13)).'.php';
        } else {
            return;
        }
        if (!is_file($file)) {
            return;
        }
        $target = $cache.'/'.md5($file).'.php';
        if (!is_file($target)) {
            file_put_contents($target, mautic_refgen_rewrite(file_get_contents($file)));
        }
        require $target;
    });
    // Last resort: an empty stub, shaped by its name. Never for Mautic's own classes: a class a
    // release does not have must stay missing (callers test with class_exists()).
    spl_autoload_register(function (string $class) {
        if (str_starts_with($class, 'Mautic\\') || str_starts_with($class, 'MauticPlugin\\')) {
            return;
        }
        if (class_exists($class, false) || interface_exists($class, false) || trait_exists($class, false)) {
            return;
        }
        $pos = strrpos($class, '\\');
        $ns = $pos === false ? '' : substr($class, 0, $pos);
        $short = $pos === false ? $class : substr($class, $pos + 1);
        $kind = 'class';
        if (str_ends_with($short, 'Interface') || in_array($short, ['Serializable', 'ObjectManager', 'UserInterface'], true)) {
            $kind = 'interface';
        } elseif (str_ends_with($short, 'Trait')) {
            $kind = 'trait';
        }
        $body = $kind === 'class' ? '{ public function __construct(...$a) {} public static function __callStatic($n, $a) { return null; } public function __call($n, $a) { return null; } }' : '{}';
        eval(($ns ? "namespace $ns; " : '')."$kind $short $body");
    }, true, false);
}
