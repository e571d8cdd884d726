//! The Mautic comparison: the expected schema of this install (reference of the target release,
//! prefixed, adjusted to its custom fields), the generic diff re-read through Mautic's rules,
//! the migrations state, and an explanation a DBA can act on.

use std::path::PathBuf;

use super::detect::detect;
use super::fields::apply_fields;
use super::install::read_install_data;
use super::migrations::{self, MigrationKind, MigrationState, Recorded};
use super::policy::Policy;
use super::prefix::{apply_prefix, other_installs};
use super::references::{self, Resolution};
use super::release::Release;
use crate::compare::{self, Live};
use crate::comparison::Comparison;
use crate::diff::{ChangeKind, align_foreign_key_columns, diff_schemas};
use crate::error::{Error, Result};
use crate::mautic::facts::{
    self, MigrationRef, MigrationsFacts, PendingMigration, ReferenceUsed, ReleaseFacts,
};
use crate::plan::{PlanOptions, plan};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--target X`.
    pub target: Option<String>,
    /// `--reference-file F`: compare with a file instead of a bundled release.
    pub reference_file: Option<PathBuf>,
    /// Code version from the install's files, and the file it came from.
    pub code_version: Option<(String, String)>,
    pub strict: bool,
    pub allow_destructive: bool,
    /// Judge every migration of the target by its effects even when nothing in the report
    /// asks (preflight foresees each migration it lists).
    pub judge_all_migrations: bool,
}

/// Everything a Mautic check learnt, beyond the report itself.
#[derive(Debug, Clone, Default)]
pub struct MauticFacts {
    pub target: Option<Release>,
    pub detected: Option<String>,
    pub detected_by: &'static str,
    pub migrations: MigrationState,
    pub explanation: Vec<String>,
    /// The bundled reference compared with (the target's own, or the nearest one).
    pub reference: Option<Resolution>,
    /// Each migration of the target's chain judged by its effects on the live schema.
    pub evidence: std::collections::BTreeMap<String, super::effects::Evidence>,
}

pub async fn mautic_report(
    live: &mut Live,
    prefix: &str,
    opts: &CheckOptions,
) -> Result<(Comparison, MauticFacts)> {
    let data = read_install_data(live, prefix).await?;
    let index = migrations::index();
    let releases = migrations::index_releases(&index);
    let (mine, mut foreign) = compare::split_by_prefix(&live.schema, prefix);
    // The journal is this tool's own table, never listed (as in `split_by_prefix`).
    foreign.extend(
        live.outside
            .iter()
            .filter(|t| !compare::is_tool_table(t))
            .cloned(),
    );
    foreign.sort();

    let mut facts = MauticFacts::default();
    if let Some(rows) = data.migration_rows.as_deref().filter(|r| !r.is_empty()) {
        facts.detected = migrations::release_from_rows(&index, &releases, rows);
        facts.detected_by = "migrations";
    }
    let code = opts
        .code_version
        .as_ref()
        .and_then(|(v, _)| Release::parse(v));
    let explicit = match &opts.target {
        Some(t) => Some(Release::parse(t).ok_or_else(|| {
            Error::Input(format!(
                "--target {t} is not a release number such as 5.1.1"
            ))
        })?),
        None => None,
    };
    // Without migrations rows, the schema itself says which release it is (a parse of every
    // bundled reference; not done against a reference file, where releases do not apply).
    if facts.detected.is_none()
        && opts.reference_file.is_none()
        && let Some(found) = detect(&mine, prefix, &live.server)
    {
        facts.detected = Some(found.range());
        facts.detected_by = "schema";
    }
    let target = explicit.or(code).or_else(|| {
        facts
            .detected
            .as_deref()
            .and_then(|d| Release::parse(d.rsplit('-').next().unwrap_or(d)))
    });

    let (mut reference, target_text) = match &opts.reference_file {
        Some(f) => {
            let (s, warnings) = compare::load_reference_file(f, &live.server, &live.schema)?;
            for w in warnings {
                live.notes.push(format!("{}: {w}", f.display()));
            }
            (s, format!("reference file {}", f.display()))
        }
        None => {
            let t = target.ok_or_else(|| {
                Error::Input("cannot tell which Mautic release to compare with: give --target X (or --mautic-dir so the install's files say)".into())
            })?;
            let (s, res) = references::load(t, &live.server)?;
            facts.reference = Some(res);
            let text = if res.exact {
                format!("Mautic {t}")
            } else {
                format!("Mautic {t} ({}'s reference)", res.used)
            };
            (s, text)
        }
    };
    facts.target = if opts.reference_file.is_some() {
        explicit.or(code)
    } else {
        target
    };
    // Mautic's own tables, to recognise another install's: the reference's, and the migrations
    // table no reference lists (an install's `migrations` belongs to it, not "other tables").
    let core_names: std::collections::BTreeSet<String> = reference
        .tables
        .keys()
        .cloned()
        .chain(["migrations".to_string()])
        .collect();
    apply_prefix(&mut reference, prefix);
    // A reference file is any schema (generic mode): Mautic's custom fields, its policy (the
    // user's objects, history) and its migrations table do not apply; an empty database is a
    // schema to create. Holding back destructive changes is the planner's, in both modes.
    let generic = opts.reference_file.is_some();
    let adj = match (&data.fields, facts.target.or(target), generic) {
        (Some(fields), Some(t), false) => {
            apply_fields(&mut reference, &mine, fields, prefix, t.major_minor())
        }
        _ => Default::default(),
    };
    if !(generic && mine.tables.is_empty()) {
        compare::ensure_comparable(&mine, &reference, &live.description, prefix)?;
    }

    let mut changes = diff_schemas(&mine, &reference);
    if generic {
        // Column order is part of a schema a file describes; a Mautic install upgraded by
        // migrations has its own (columns added at the end), so only generic mode compares it.
        for (name, want) in &reference.tables {
            if let Some(have) = mine.tables.get(name) {
                changes.extend(crate::diff::column_moves(have, want));
            }
        }
    } else {
        Policy {
            prefix,
            custom_columns: &adj.custom_columns,
            strict: opts.strict,
            removed_types: super::policy::removed_doctrine_types(facts.target),
        }
        .classify(&mut changes);
        super::known_keys::claim_migration_keys(
            &mut changes,
            &mine,
            &reference,
            prefix,
            opts.strict,
            &live.server,
        );
    }
    facts.migrations = match facts.target {
        Some(t) => migrations::state(&index, recorded(&data), t),
        None => MigrationState::default(),
    };
    // Judged before the foreign-key alignment and the plan: a difference a migration should
    // have made becomes drift, and the columns its keys link must follow it.
    // Judging parses each effect's definition: done when something reads it (a migrations
    // table to explain and record, a legacy difference a migration may own, or preflight).
    let wanted = facts.migrations.has_records()
        || opts.judge_all_migrations
        || changes
            .iter()
            .any(|c| c.severity == crate::diff::Severity::Legacy);
    if let (Some(t), None, true) = (facts.target, &opts.reference_file, wanted) {
        facts.evidence = super::evidence::judge(&index, t, &mine, &reference, prefix, &live.server);
        let applied = &facts.migrations.applied;
        super::evidence::promote_missing_effects(
            &mut changes,
            &facts.evidence,
            &|v| applied.iter().any(|a| a == v),
            prefix,
            &mine,
        );
    }

    // What Mautic's own migrations leave on a site upgraded to this release: history, or a
    // migration Mautic forgot (after the evidence, which may promote a difference to drift).
    if let Some(at) = facts
        .reference
        .and_then(|r| super::history::file_release(r.file))
        .filter(|_| !generic)
    {
        let database = live.server.database_collation.as_deref();
        super::history::mark(&mut changes, at, prefix, opts.strict, database);
    }
    // History in the way of a needed index joins the plan (it would refuse itself otherwise).
    super::blocking::promote_blocking_legacy(&mut changes, &mine, &live.server);
    align_foreign_key_columns(&mut changes, &mine, &reference);
    // The install's migrations table is Mautic's own (Doctrine keeps it, no reference lists
    // it): its state is reported as migrations, never as an extra table of the user's.
    let migrations_table = format!("{prefix}migrations");
    changes
        .retain(|c| generic || !(c.kind == ChangeKind::ExtraTable && c.table == migrations_table));
    if let (false, Some(forms)) = (generic, &data.forms) {
        changes.extend(super::forms::missing_results_tables(
            forms,
            &mine,
            prefix,
            &live.server,
        ));
    }
    changes.sort_by(|a, b| a.table.cmp(&b.table));
    super::narrowing::clear_fitting_narrowings(&mut changes, live.db.as_mut()).await?;

    let plan = plan(
        &changes,
        &mine,
        &reference,
        &PlanOptions {
            allow_destructive: opts.allow_destructive,
            server: live.server.clone(),
        },
    );
    let mut report = Comparison {
        source: live.description.clone(),
        target: target_text,
        server: live.server.clone(),
        changes,
        plan,
        other_installs: other_installs(&foreign, &core_names),
        foreign_tables: foreign,
        notes: live.notes.clone(),
        explanation: Vec::new(),
        live: mine,
        reference,
        facts: Default::default(),
        stats: crate::comparison::Stats {
            catalog_queries: live.queries,
            inspect_ms: (live.inspect_seconds * 1000.0).round(),
        },
        pending_schema_migrations: facts.migrations.pending_of(MigrationKind::Schema).count(),
        bookkeeping: Default::default(),
        sizes: None,
        interrupted: None,
    };
    if data.rows_unknown {
        report.notes.push(
            "the dump holds no rows (made with --no-data?): the rows of lead_fields and migrations are unknown, so custom fields, deleted stock fields and pending migrations are not judged"
                .into(),
        );
    }
    if !adj.removed_stock.is_empty() {
        report.notes.push(format!(
            "stock fields deleted by the user, their columns not expected: {}",
            adj.removed_stock
                .iter()
                .map(|(_, c)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(t) = facts.target {
        let complete = report.plan.skipped.is_empty()
            && report
                .changes
                .iter()
                .filter(|c| c.severity == crate::diff::Severity::Drift)
                .all(|c| c.has_fix());
        let applied_now = |v: &str| facts.evidence.get(v).is_some_and(|e| e.applied());
        report.bookkeeping = super::bookkeeping::bookkeeping(
            &facts.migrations,
            &index,
            prefix,
            t,
            complete,
            &applied_now,
            report.live.table(&migrations_table),
        );
    }
    facts.explanation = explain(&report, &facts, opts);
    let removed = super::policy::removed_doctrine_types(facts.target);
    if !removed.is_empty() {
        let mut found = super::removed_types::in_schema(&live.schema, removed);
        if let Some(db) = live.db.as_mut() {
            found.extend(super::removed_types::in_database(db, removed).await?);
        }
        found.sort();
        found.dedup();
        // A compared table's comment is a column difference already (see `policy`).
        found.retain(|(t, _, _)| !report.reference.tables.contains_key(t));
        facts
            .explanation
            .extend(super::removed_types::explain(&found));
    }
    report.explanation = facts.explanation.clone();
    report.facts = release_facts(&facts, opts);
    Ok((report, facts))
}

/// What the live side says of the migrations table's rows.
fn recorded(data: &super::install::InstallData) -> Recorded<'_> {
    match (&data.migration_rows, data.rows_unknown) {
        (None, _) => Recorded::NoTable,
        (Some(_), true) => Recorded::Unknown,
        (Some(rows), false) => Recorded::Rows(rows),
    }
}

/// "database is at 4.4.6 (migrations), files are 4.4.13, 3 migrations pending ..."
fn explain(r: &Comparison, f: &MauticFacts, opts: &CheckOptions) -> Vec<String> {
    let mut lines = Vec::new();
    let db = match (&f.detected, f.detected_by) {
        (Some(d), by) => format!("database is at {d} (by its {by})"),
        (None, _) => "database version unknown".to_string(),
    };
    let files = match &opts.code_version {
        Some((v, src)) => format!("files are {v} ({src})"),
        None => "code version unknown (--mautic-dir reads it from the install)".to_string(),
    };
    lines.push(format!("{db}; {files}; compared with {}", r.target));
    if let Some(ahead) = code_ahead(f, opts) {
        lines.extend(ahead.advice());
    }
    if let Some(w) = f.reference.and_then(|res| res.warning()) {
        lines.push(format!("warning: {w}"));
    }
    let m = &f.migrations;
    if let (Some(t), false) = (f.target, m.covered) {
        lines.push(format!(
            "pending migrations of {t} unknown: the bundled migrations index {}; `php bin/console doctrine:migrations:status` lists them",
            migrations::reach_text(&migrations::index())
        ));
    }
    if m.rows_unknown {
        lines.push(
            "migrations rows unknown (the dump holds no rows): pending migrations are not judged; check the database itself"
                .into(),
        );
    } else if !m.has_records() && f.target.is_some() {
        // Without a release there is no bookkeeping to propose (a reference file alone).
        let (what, offer) = if m.table_present {
            (
                "the migrations table is empty (Mautic's installer fills it)",
                "record",
            )
        } else {
            (
                "no migrations table (Mautic's installer makes one)",
                "create it and record",
            )
        };
        lines.push(format!(
            "{what}: `diff` offers the statements that {offer} this release's migrations"
        ));
    } else if !m.pending.is_empty() {
        let data = m.pending_of(MigrationKind::Data).count();
        let half = if f.evidence.is_empty() {
            guessed_half_applied(r, m)
        } else {
            Vec::new()
        };
        let judged_half = m
            .pending
            .iter()
            .filter(|p| f.evidence.get(&p.version).is_some_and(|e| e.partial()))
            .count();
        let half_count = if f.evidence.is_empty() {
            half.len()
        } else {
            judged_half
        };
        lines.push(format!(
            "{} migration(s) pending for {}: {} schema-only, {data} changing data too{}",
            m.pending.len(),
            f.target.map(|t| t.to_string()).unwrap_or_default(),
            m.pending.len() - data,
            if half_count == 0 {
                String::new()
            } else {
                format!("; {half_count} of them half-applied")
            }
        ));
        for h in half {
            lines.push(format!("half-applied (guessed from its tables): {h}"));
        }
    }
    if m.has_records()
        && let Some(t) = f.target
    {
        let index = migrations::index();
        let chain = super::evidence::chain(&index, t);
        let recorded = |v: &str| m.applied.iter().any(|a| a == v);
        lines.extend(super::evidence::explain_lines(
            &chain,
            &f.evidence,
            &recorded,
        ));
    }
    let drift = r.drift_count();
    if drift > 0 {
        let tables: std::collections::BTreeSet<&str> = r
            .changes
            .iter()
            .filter(|c| c.severity == crate::diff::Severity::Drift)
            .map(|c| c.table.as_str())
            .collect();
        lines.push(format!(
            "{drift} difference(s) to fix in {}: {}",
            if tables.len() == 1 {
                "1 table".to_string()
            } else {
                format!("{} tables", tables.len())
            },
            tables.into_iter().take(8).collect::<Vec<_>>().join(", ")
        ));
    }
    lines
}

/// Without effects data: a pending migration whose tables still differ was most likely
/// stopped half way (a guess, said as one).
fn guessed_half_applied(r: &Comparison, m: &MigrationState) -> Vec<String> {
    m.pending
        .iter()
        .filter_map(|p| {
            let hits: Vec<&crate::diff::Change> = r
                .changes
                .iter()
                .filter(|c| {
                    c.severity == crate::diff::Severity::Drift
                        && p.tables.iter().any(|t| c.table.ends_with(t.as_str()))
                })
                .collect();
            (!hits.is_empty()).then(|| {
                format!(
                    "{} ({}): {}",
                    p.class_name(),
                    p.summary,
                    hits.iter()
                        .take(3)
                        .map(|c| format!("{} {}", c.kind.as_str().replace('_', " "), c.object))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })
        .collect()
}

/// The install's files are a newer release than its database: an upgrade whose migrations
/// have not run (or stopped).
#[derive(Debug, Clone)]
pub struct CodeAhead {
    pub database: Release,
    pub code: Release,
    /// The index's migrations of `code` that change data and that the database has not had:
    /// not in the database's release, and not recorded in its migrations table. `None` when
    /// the index does not reach `code`.
    pub data_migrations: Option<Vec<migrations::Migration>>,
}

/// `Some` when the code version is newer than the database's release (the newest of the
/// detected range: the most the database can be).
pub fn code_ahead(f: &MauticFacts, opts: &CheckOptions) -> Option<CodeAhead> {
    let code = Release::parse(&opts.code_version.as_ref()?.0)?;
    let detected = f.detected.as_deref()?;
    let database = Release::parse(detected.rsplit('-').next().unwrap_or(detected))?;
    if code <= database {
        return None;
    }
    let index = migrations::index();
    let covered = migrations::covers(&index, code);
    let applied: std::collections::BTreeSet<&str> =
        f.migrations.applied.iter().map(String::as_str).collect();
    let data_migrations = covered.then(|| {
        migrations::of_release(&index, code)
            .into_iter()
            .filter(|m| {
                m.kind == MigrationKind::Data
                    && !m.in_release(database)
                    && !applied.contains(m.version.as_str())
            })
            .cloned()
            .collect()
    });
    Some(CodeAhead {
        database,
        code,
        data_migrations,
    })
}

/// `s` cut to `width` characters, with an ellipsis when cut.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

impl CodeAhead {
    /// A few lines of at most 78 columns (the table output indents them by 2).
    pub fn advice(&self) -> Vec<String> {
        let console = if self.code.0 >= 3 {
            "php bin/console"
        } else {
            "php app/console"
        };
        let mut v = vec![
            fit(
                &format!(
                    "the files ({}) are ahead of the database ({}): let Mautic upgrade it:",
                    self.code, self.database
                ),
                78,
            ),
            "1. mautic-schema apply --dry-run (rehearses; changes nothing)".into(),
            format!("2. {console} doctrine:migrations:migrate (runs data migrations too)"),
            "3. mautic-schema check; only if the migrations failed: mautic-schema apply".into(),
        ];
        match &self.data_migrations {
            None => v.push(fit(
                &format!(
                    "data migrations of {} unknown (the bundled index {})",
                    self.code,
                    migrations::reach_text(&migrations::index())
                ),
                78,
            )),
            Some(ms) if ms.is_empty() => v.push(fit(
                &format!(
                    "no data migrations between {} and {} (per the bundled index)",
                    self.database, self.code
                ),
                78,
            )),
            Some(ms) => {
                v.push(fit(
                    &format!(
                        "{} data migration(s) that apply would not run, only Mautic's migrate:",
                        ms.len()
                    ),
                    78,
                ));
                for m in ms {
                    v.push(fit(&format!("- {}: {}", m.class_name(), m.summary), 78));
                }
            }
        }
        v
    }
}

/// The facts the check document shows (mapped by `report::contract::ReleaseFacts::of`).
fn release_facts(f: &MauticFacts, opts: &CheckOptions) -> ReleaseFacts {
    let m = &f.migrations;
    let covered = m.covered || f.target.is_none();
    let known = covered && !m.rows_unknown;
    let pending = m
        .pending
        .iter()
        .map(|p| PendingMigration {
            version: p.version.clone(),
            kind: p.kind,
            summary: p.summary.clone(),
        })
        .collect();
    ReleaseFacts {
        detected_version: f.detected.clone(),
        detected_by: f.detected.as_ref().map(|_| f.detected_by),
        code_version: opts.code_version.as_ref().map(|(v, _)| v.clone()),
        target_release: f.target.map(|t| t.to_string()),
        reference: f.reference.as_ref().map(|res| ReferenceUsed {
            target_exact: res.exact,
            reference_release: res.used.to_string(),
            reference_file: res.file.to_string(),
        }),
        migrations: MigrationsFacts {
            table_present: m.table_present,
            rows_unknown: m.rows_unknown,
            index_covers_target: covered,
            applied: m.applied.clone(),
            pending: known.then_some(pending),
            unknown: known.then(|| m.unknown.clone()),
        },
        code_ahead: code_ahead(f, opts).map(|a| facts::CodeAhead {
            database: a.database.to_string(),
            code: a.code.to_string(),
            data_migrations: a.data_migrations.map(|ms| {
                ms.iter()
                    .map(|m| MigrationRef {
                        version: m.version.clone(),
                        summary: m.summary.clone(),
                    })
                    .collect()
            }),
        }),
        explanation: f.explanation.clone(),
    }
}
