<?php
// The Doctrine Schema gen.php builds for a release, serialized (for effects.php, which runs the
// migrations of the next release in a process that loads that release's classes instead).
// Usage: php effects-schema.php <extracted Mautic tag dir> <release> > schema.ser

$argv = [__DIR__.'/gen.php', $argv[1] ?? null, $argv[2] ?? null];
ob_start();
require __DIR__.'/gen.php';
ob_end_clean();
echo serialize($schema);
