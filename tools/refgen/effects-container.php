<?php
// The service container a migration gets through setContainer() (required after gen.php, whose
// stub autoloader provides Symfony's ContainerInterface): the table prefix ('') and the services
// AbstractMauticMigration::setContainer() fetches, each of which refuses any real use.

class MauticEffectsContainer implements Symfony\Component\DependencyInjection\ContainerInterface
{
    public function getParameter($name)
    {
        if ('mautic.db_table_prefix' === $name) {
            return '';
        }
        throw new MauticEffectsNeedsData("reads the configuration parameter '$name'");
    }

    public function get($id, $invalid = 1)
    {
        return match ($id) {
            'mautic.factory' => new MauticEffectsService('MauticFactory'),
            'doctrine' => new class {
                public function getManager()
                {
                    return new MauticEffectsService('the entity manager');
                }
            },
            default => throw new MauticEffectsNeedsData("uses the service container: get('$id')"),
        };
    }

    public function __call($name, $args)
    {
        throw new MauticEffectsNeedsData("uses the service container: $name()");
    }
}
