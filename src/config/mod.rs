//! Finding and reading Mautic's database settings (local.php, env overrides, URLs).
