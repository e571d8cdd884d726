<?php
// What a Mautic migration needs from Doctrine Migrations (not packaged in Debian) and from a live
// installation, for effects.php. Doctrine Migrations 1.x (Doctrine\DBAL\Migrations, Mautic 1-2)
// and 2.x/3.x (Doctrine\Migrations, Mautic 3-5) are both served by one AbstractMigration: no
// return types, so that the subclasses of every era stay compatible with it.

namespace {
    /** Thrown instead of reading or writing rows: the migration's effect depends on data. */
    class MauticEffectsNeedsData extends RuntimeException
    {
    }

    interface MauticEffectsSkip
    {
    }
}

namespace Doctrine\DBAL\Migrations {
    class MigrationException extends \Exception
    {
    }
    class SkipMigrationException extends MigrationException implements \MauticEffectsSkip
    {
    }
    class AbortMigrationException extends MigrationException
    {
    }
    class IrreversibleMigrationException extends MigrationException
    {
    }
}

namespace Doctrine\Migrations\Exception {
    class SkipMigration extends \RuntimeException implements \MauticEffectsSkip
    {
    }
    class AbortMigration extends \RuntimeException
    {
    }
    class IrreversibleMigration extends \RuntimeException
    {
    }
}

namespace Doctrine\Migrations {
    use Doctrine\DBAL\Schema\Schema;

    abstract class AbstractMigration
    {
        protected $connection;
        protected $sm;
        protected $platform;
        protected $prefix = '';
        protected $container;
        protected $entityManager;
        protected $factory;
        /** Set once up() is over: statements added in postUp() are not executed by Migrations. */
        public $mauticEffectsPost = false;
        private $mauticEffectsSql = [];

        public function __construct($connection)
        {
            $this->connection = $connection;
            $this->sm = $connection->getSchemaManager();
            // What AbstractMauticMigration::setContainer() sets on a MySQL installation.
            $this->platform = 'mysql';
            $this->prefix = '';
            $this->container = new \MauticEffectsService('the service container');
            $this->entityManager = new \MauticEffectsService('the entity manager');
            $this->factory = new \MauticEffectsService('MauticFactory');
        }

        public function mauticEffectsSql(): array
        {
            return $this->mauticEffectsSql;
        }

        public function getDescription()
        {
            return '';
        }

        public function isTransactional()
        {
            return true;
        }

        abstract public function up(Schema $schema);

        public function down(Schema $schema)
        {
        }

        public function preUp(Schema $schema)
        {
        }

        public function postUp(Schema $schema)
        {
        }

        public function preDown(Schema $schema)
        {
        }

        public function postDown(Schema $schema)
        {
        }

        protected function addSql($sql, $params = [], $types = [])
        {
            if ($this->mauticEffectsPost) {
                return;
            }
            foreach ((array) $sql as $s) {
                $this->mauticEffectsSql[] = \mautic_effects_bind($s, $params);
            }
        }

        protected function write($message)
        {
        }

        protected function warnIf($condition, $message = '')
        {
        }

        protected function skipIf($condition, $message = '')
        {
            if ($condition) {
                throw new Exception\SkipMigration($message ?: 'skipIf');
            }
        }

        protected function abortIf($condition, $message = '')
        {
            if ($condition) {
                throw new Exception\AbortMigration($message ?: 'abortIf');
            }
        }

        protected function throwIrreversibleMigrationException($message = null)
        {
            throw new Exception\IrreversibleMigration((string) $message);
        }
    }
}

namespace Doctrine\DBAL\Migrations {
    class_alias(\Doctrine\Migrations\AbstractMigration::class, AbstractMigration::class);
}

namespace {
    /** Container, entity manager, factory: every use depends on the installation. */
    class MauticEffectsService
    {
        public function __construct(private string $what)
        {
        }

        public function __call($name, $args)
        {
            $arg = is_string($args[0] ?? null) ? "('{$args[0]}')" : '()';
            throw new MauticEffectsNeedsData("uses {$this->what}: $name$arg");
        }
    }

    /** The connection: its platform and its schema (the previous release's), never its rows. */
    class MauticEffectsConnection
    {
        private $sm;

        public function __construct(private $platform, $schema)
        {
            $this->sm = new MauticEffectsSchemaManager($schema);
        }

        public function getDatabasePlatform()
        {
            return $this->platform;
        }

        public function getSchemaManager()
        {
            return $this->sm;
        }

        public function createSchemaManager()
        {
            return $this->sm;
        }

        public function getDatabase()
        {
            return 'mautic';
        }

        /** PDO MySQL quoting (mysql_real_escape_string), for statements built in PHP. */
        public function quote($value)
        {
            return "'".strtr((string) $value, ["\\" => '\\\\', "\0" => '\\0', "\n" => '\\n', "\r" => '\\r', "'" => "\\'", '"' => '\\"', "\x1a" => '\\Z'])."'";
        }

        public function quoteIdentifier($name)
        {
            return $this->platform->quoteIdentifier($name);
        }

        public function __call($name, $args)
        {
            throw new MauticEffectsNeedsData("calls the connection's $name(): the statements depend on the rows");
        }
    }

    /** Answers from the schema the migration sees (what the live database would report). */
    class MauticEffectsSchemaManager
    {
        public function __construct(private $schema)
        {
        }

        public function createSchema()
        {
            return clone $this->schema;
        }

        public function tablesExist($names)
        {
            foreach ((array) $names as $n) {
                if (!$this->schema->hasTable($n)) {
                    return false;
                }
            }
            return true;
        }

        public function listTableNames()
        {
            return array_map(fn ($t) => $t->getName(), $this->schema->getTables());
        }

        public function listTableColumns($table)
        {
            return $this->schema->getTable($table)->getColumns();
        }

        public function listTableIndexes($table)
        {
            return $this->schema->getTable($table)->getIndexes();
        }

        public function listTableForeignKeys($table)
        {
            return array_values($this->schema->getTable($table)->getForeignKeys());
        }

        public function listTableDetails($table)
        {
            return clone $this->schema->getTable($table);
        }

        public function introspectTable($table)
        {
            return clone $this->schema->getTable($table);
        }

        public function __call($name, $args)
        {
            throw new MauticEffectsNeedsData("calls the schema manager's $name()");
        }
    }

    /** Positional parameters inlined as MySQL literals, so the row shows the statement run. */
    function mautic_effects_bind(string $sql, array $params): string
    {
        if (!$params || array_keys($params) !== range(0, count($params) - 1) || substr_count($sql, '?') !== count($params)) {
            return $params ? $sql.' -- parameters: '.json_encode($params) : $sql;
        }
        $parts = explode('?', $sql);
        $out = array_shift($parts);
        foreach ($params as $i => $p) {
            $lit = null === $p ? 'NULL' : (is_int($p) || is_float($p) ? (string) $p : "'".addslashes((string) $p)."'");
            $out .= $lit.$parts[$i];
        }
        return $out;
    }
}
