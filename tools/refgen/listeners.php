<?php
// What Mautic's schema listeners add to the ORM schema at install time (FACTS §4.2, §4.4):
// deprecated entity tables dropped, the stock custom-field columns with their indexes, the
// generated columns, (4.3+) no single-column index on the first primary-key column, and the DDL
// that InstallBundle's data fixtures run after SchemaTool (mautic_refgen_apply_install_fixtures).

use Doctrine\DBAL\Schema\Schema;

function mautic_refgen_table_options(int $major, int $minor, string $release): array
{
    $patch = (int) (explode('.', $release)[2] ?? 0);
    $dynamic = $major >= 3 || ($major === 2 && ($minor > 15 || ($minor === 15 && $patch >= 1)));
    $opts = $major >= 3
        ? ['charset' => 'utf8mb4', 'collate' => 'utf8mb4_unicode_ci']
        : ['charset' => 'utf8', 'collate' => 'utf8_unicode_ci'];
    if ($dynamic) {
        $opts['row_format'] = 'DYNAMIC';
    }
    return $opts;
}

/** Mautic 2.0.x listed its stock fields inside the installer fixture (LeadFieldData). */
function mautic_refgen_fields_2_0(): array
{
    $fixed = ['attribution', 'attribution_date', 'title', 'firstname', 'lastname', 'position', 'company', 'email', 'phone', 'mobile', 'address1', 'address2', 'country', 'city', 'state', 'zipcode'];
    $out = [];
    foreach (['title', 'firstname', 'lastname', 'company', 'position', 'email', 'phone', 'mobile', 'fax', 'address1', 'address2', 'city', 'state', 'zipcode', 'country', 'website', 'twitter', 'facebook', 'googleplus', 'skype', 'linkedin', 'instagram', 'foursquare', 'attribution', 'attribution_date'] as $name) {
        $type = match (true) {
            in_array($name, ['title', 'company', 'city', 'zipcode'], true) => 'lookup',
            'country' === $name => 'country',
            'state' === $name => 'region',
            in_array($name, ['phone', 'mobile', 'fax'], true) => 'tel',
            'website' === $name => 'url',
            'email' === $name => 'email',
            'attribution_date' === $name => 'datetime',
            'attribution' === $name => 'number',
            default => 'text',
        };
        $out[$name] = ['type' => $type, 'unique' => 'email' === $name, 'fixed' => in_array($name, $fixed, true), 'object' => 'lead'];
    }
    return $out;
}

function mautic_refgen_schema_definition(string $alias, string $type, bool $unique): array
{
    if (class_exists('Mautic\\LeadBundle\\Field\\SchemaDefinition')) {
        return Mautic\LeadBundle\Field\SchemaDefinition::getSchemaDefinition($alias, $type, $unique);
    }
    return Mautic\LeadBundle\Model\FieldModel::getSchemaDefinition($alias, $type, $unique);
}

function mautic_refgen_apply_listeners(Schema $schema, string $src, int $major, int $minor, array $metas, $conn): void
{
    $era = $major * 100 + $minor;
    // Deprecated entities.
    foreach ($metas as $m) {
        $impl = class_implements($m->getName()) ?: [];
        if (isset($impl['Mautic\\CoreBundle\\Entity\\DeprecatedInterface']) && $schema->hasTable($m->getTableName())) {
            $schema->dropTable($m->getTableName());
        }
    }

    // Stock custom fields.
    $fm = 'Mautic\\LeadBundle\\Model\\FieldModel';
    $groups = property_exists($fm, 'coreFields')
        ? ['leads' => $fm::$coreFields, 'companies' => property_exists($fm, 'coreCompanyFields') ? $fm::$coreCompanyFields : []]
        : ['leads' => mautic_refgen_fields_2_0(), 'companies' => []];
    foreach ($groups as $tableName => $fields) {
        if (!$schema->hasTable($tableName)) {
            continue;
        }
        $table = $schema->getTable($tableName);
        foreach ($fields as $alias => $field) {
            $type = $field['type'] ?? 'text';
            $def = mautic_refgen_schema_definition($alias, $type, !empty($field['unique']));
            $had = $table->hasColumn($alias);
            if (!$had) {
                $options = $def['options'] ?? [];
                if ($major < 3 && 'datetime' === $def['type']) {
                    // 2.x added these columns at install through the schema manager, which marked
                    // Mautic's overridden datetime type (2.12/2.14 dumps: attribution_date).
                    $options['comment'] = '(DC2Type:datetime)';
                }
                $table->addColumn($def['name'], $def['type'], $options);
            }
            if ($era >= 403) {
                // InstallBundle's subscriber: an index for each column it adds, textareas aside.
                if (!$had && 'textarea' !== $type) {
                    $table->addIndex([$def['name']], $def['name'].'_search');
                }
            } elseif ('text' !== $def['type'] && !$table->hasIndex($alias.'_search')) {
                // ≤4.2: LeadBundle's subscriber indexes every field whose column is not TEXT.
                $table->addIndex([$def['name']], $def['name'].'_search');
            }
        }
        // Index names and arrival per release: `_contact_attribution` until 2.1, company indexes
        // from 2.2, date_added_country_index from 2.8.1 (read from the installers' code).
        if ('leads' === $tableName) {
            $table->addIndex(['attribution', 'attribution_date'], $era < 202 ? '_contact_attribution' : 'contact_attribution');
            if ($era > 208 || ($era === 208 && $GLOBALS['mautic_refgen_patch'] >= 1)) {
                $table->addIndex(['date_added', 'country'], 'date_added_country_index');
            }
        } elseif ($era >= 202) {
            $table->addIndex(['companyname', 'companyemail'], 'company_filter');
            $table->addIndex(['companyname', 'companycity', 'companycountry', 'companystate'], 'company_match');
        }
    }

    // Generated columns (3.3+), as the bundles' GeneratedColumnSubscribers declare them.
    if (class_exists('Mautic\\CoreBundle\\Event\\GeneratedColumnsEvent')) {
        $event = new Mautic\CoreBundle\Event\GeneratedColumnsEvent();
        foreach (glob("$src/app/bundles/*/EventListener/GeneratedColumnSubscriber.php") as $f) {
            $class = mautic_refgen_class_of($src, $f);
            $r = new ReflectionClass($class);
            $sub = $r->newInstanceWithoutConstructor();
            foreach ($r->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
                $p = $method->getParameters();
                if (count($p) === 1 && (string) $p[0]->getType() === 'Mautic\\CoreBundle\\Event\\GeneratedColumnsEvent') {
                    $method->invoke($sub, $event);
                }
            }
        }
        foreach ($event->getGeneratedColumns() as $gc) {
            if (!$schema->hasTable($gc->getTableName())) {
                continue;
            }
            $table = $schema->getTable($gc->getTableName());
            if ($table->hasColumn($gc->getColumnName())) {
                continue;
            }
            $table->addColumn($gc->getColumnName(), 'generated', ['columnDefinition' => $gc->getColumnDefinition(), 'notnull' => false]);
            $table->addIndex($gc->getIndexColumns(), $gc->getIndexName());
        }
    }

    mautic_refgen_apply_install_fixtures($schema, $src);

    // 4.3+: a single-column index on the first primary-key column is obsolete.
    if ($era >= 403) {
        foreach ($schema->getTables() as $table) {
            $pk = $table->getPrimaryKey();
            if (!$pk) {
                continue;
            }
            $first = strtolower(trim($pk->getColumns()[0], '`'));
            foreach ($table->getIndexes() as $id => $index) {
                if (!$index->isPrimary() && count($index->getColumns()) === 1 && strtolower(trim($index->getColumns()[0], '`')) === $first) {
                    $table->dropIndex($id);
                }
            }
        }
    }
}

/**
 * DDL run by InstallBundle's data fixtures once SchemaTool has created the tables. Each step is
 * keyed on its fixture file being in the tag, so the release range follows the source:
 * PageHitIndex (2.15.1–4.1.x; from 4.2 the entity itself declares the index) and
 * RemoveDuplicateIndexData (3.3.2–4.2.x; upgraded sites get the same drop from migrations).
 */
function mautic_refgen_apply_install_fixtures(Schema $schema, string $src): void
{
    $dir = "$src/app/bundles/InstallBundle/InstallFixtures/ORM";
    $pageHit = @file_get_contents("$dir/PageHitIndex.php");
    if ($pageHit !== false && $schema->hasTable('page_hits')) {
        // "CREATE INDEX {prefix}page_hit_url ON {prefix}page_hits (url(128))": a prefix index,
        // which Doctrine's entity mapping could not declare before 4.2.
        if (!preg_match('/CREATE INDEX \{\$prefix\}(\w+) ON \{\$prefix\}(\w+) \((\w+)\((\d+)\)\)/', $pageHit, $m)) {
            throw new RuntimeException("PageHitIndex.php: CREATE INDEX statement not recognised");
        }
        $table = $schema->getTable($m[2]);
        if (!$table->hasIndex($m[1])) {
            $table->addIndex([$m[3]], $m[1], [], ['lengths' => [(int) $m[4]]]);
        }
    }
    $dedup = @file_get_contents("$dir/RemoveDuplicateIndexData.php");
    if ($dedup !== false) {
        foreach (mautic_refgen_duplicate_index_tables($dedup) as $tableName => $columns) {
            if ($schema->hasTable($tableName)) {
                mautic_refgen_drop_first_index_on($schema->getTable($tableName), $columns);
            }
        }
    }
}

/** The fixture's `private $tables = ['table' => ['column', ...], ...]` map, read from its source. */
function mautic_refgen_duplicate_index_tables(string $code): array
{
    if (!preg_match('/\$tables\s*=\s*\[(.*?)\];/s', $code, $block)
        || !preg_match_all("/'(\w+)'\s*=>\s*\[([^\]]*)\]/", $block[1], $rows, PREG_SET_ORDER)) {
        throw new RuntimeException('RemoveDuplicateIndexData.php: $tables map not recognised');
    }
    $out = [];
    foreach ($rows as [, $table, $cols]) {
        preg_match_all("/'(\w+)'/", $cols, $c);
        $out[$table] = $c[1];
    }
    return $out;
}

/**
 * The fixture asks `SHOW INDEX FROM t WHERE Key_name <> 'PRIMARY' AND Column_name = c` and drops
 * the first index returned: the first non-primary index that holds the column.
 */
function mautic_refgen_drop_first_index_on(Doctrine\DBAL\Schema\Table $table, array $columns): void
{
    foreach ($columns as $column) {
        foreach ($table->getIndexes() as $id => $index) {
            $cols = array_map(fn ($c) => strtolower(trim($c, '`')), $index->getColumns());
            if (!$index->isPrimary() && in_array(strtolower($column), $cols, true)) {
                $table->dropIndex($id);
                break;
            }
        }
    }
}
