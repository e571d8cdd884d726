//! The Mautic comparison: the expected schema of this install (reference of the target release,
//! prefixed, adjusted to its custom fields), the generic diff re-read through Mautic's rules,
//! the migrations state, and an explanation a DBA can act on.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::detect::detect;
use super::fields::{FieldAdjustments, apply_fields};
use super::install::{InstallData, read_install_data};
use super::migrations::{self, Migration, MigrationKind, MigrationState, Recorded};
use super::policy::Policy;
use super::prefix::{apply_prefix, other_installs};
use super::references::{self, Resolution};
use super::release::Release;
use crate::compare::{self, Live};
use crate::comparison::Comparison;
use crate::dialect::ServerInfo;
use crate::diff::{Change, ChangeKind, align_foreign_key_columns, diff_schemas};
use crate::error::{Error, Result};
use crate::mautic::facts::{
    self, MigrationRef, MigrationsFacts, PendingMigration, ReferenceUsed, ReleaseFacts,
};
use crate::plan::{PlanOptions, plan};
use crate::schema::Schema;

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

/// The check, in the order each phase needs the one before: read the install, tell its release,
/// load what it should be, compare, classify through Mautic's rules, judge its migrations,
/// settle the differences, plan, then the bookkeeping, the explanations and the facts the
/// document shows.
pub async fn mautic_report(
    live: &mut Live,
    prefix: &str,
    opts: &CheckOptions,
) -> Result<(Comparison, MauticFacts)> {
    let run = Run::new(prefix, opts);
    let install = run.read_install(live).await?;
    let mut facts = MauticFacts::default();
    let releases = run.identify(&install, &live.server, &mut facts)?;
    let expected = run.expected(live, &install, &releases, &mut facts)?;
    let mut changes = run.compare(&install, &expected, facts.target, &live.server);
    run.judge_migrations(&mut changes, &install, &expected, &live.server, &mut facts);
    run.settle(&mut changes, live, &install, &expected, &facts)
        .await?;
    let mut report = run.assemble(live, install, expected, changes, &facts);
    run.bookkeep(&mut report, &facts);
    (facts.explanation, report.removed_types_outside) =
        run.explanations(live, &report, &facts).await?;
    report.explanation = facts.explanation.clone();
    report.facts = release_facts(&facts, opts);
    Ok((report, facts))
}

/// What every phase reads: the install's prefix, the options, and the bundled migrations index.
struct Run<'a> {
    prefix: &'a str,
    opts: &'a CheckOptions,
    index: Vec<Migration>,
    /// A reference file is any schema (generic mode): Mautic's custom fields, its policy (the
    /// user's objects, history) and its migrations table do not apply; an empty database is a
    /// schema to create. Holding back destructive changes is the planner's, in both modes.
    generic: bool,
}

/// The install as the database shows it: the rows Mautic's rules read, its own tables (by
/// prefix), and the database's other tables.
struct Install {
    data: InstallData,
    mine: Schema,
    foreign: Vec<String>,
}

/// The releases in play: the one the check compares with, and the one the user or the files
/// name (the target a reference file's report states; detection does not apply there).
struct Releases {
    target: Option<Release>,
    named: Option<Release>,
}

/// What the install should be, and what the report says of it.
struct Expected {
    /// Prefixed, adjusted to the install's custom fields.
    reference: Schema,
    /// "Mautic 5.1.1", "reference file F": what the report compared with.
    target_text: String,
    /// Mautic's own table names, to recognise another install's tables.
    core_names: BTreeSet<String>,
    fields: FieldAdjustments,
}

impl<'a> Run<'a> {
    fn new(prefix: &'a str, opts: &'a CheckOptions) -> Self {
        Run {
            prefix,
            opts,
            index: migrations::index(),
            generic: opts.reference_file.is_some(),
        }
    }

    /// Phase 1: the install's rows, and its tables apart from the database's others.
    async fn read_install(&self, live: &mut Live) -> Result<Install> {
        let data = read_install_data(live, self.prefix).await?;
        let (mine, mut foreign) = compare::split_by_prefix(&live.schema, self.prefix);
        // The journal is this tool's own table, never listed (as in `split_by_prefix`).
        foreign.extend(
            live.outside
                .iter()
                .filter(|t| !compare::is_tool_table(t))
                .cloned(),
        );
        foreign.sort();
        Ok(Install {
            data,
            mine,
            foreign,
        })
    }

    /// Phase 2: which release the database is at (`facts.detected`: by its migrations rows,
    /// else by its schema), and which one to compare with: `--target`, else the install's
    /// files, else the detected one (the newest of a range).
    fn identify(
        &self,
        install: &Install,
        server: &ServerInfo,
        facts: &mut MauticFacts,
    ) -> Result<Releases> {
        if let Some(rows) = install
            .data
            .migration_rows
            .as_deref()
            .filter(|r| !r.is_empty())
        {
            let releases = migrations::index_releases(&self.index);
            facts.detected = migrations::release_from_rows(&self.index, &releases, rows);
            facts.detected_by = "migrations";
        }
        let code = self
            .opts
            .code_version
            .as_ref()
            .and_then(|(v, _)| Release::parse(v));
        let explicit = match &self.opts.target {
            Some(t) => Some(Release::parse(t).ok_or_else(|| {
                Error::Input(format!(
                    "--target {t} is not a release number such as 5.1.1"
                ))
            })?),
            None => None,
        };
        // Without migrations rows, the schema itself says which release it is (a parse of
        // every bundled reference; not done against a reference file, where releases do not
        // apply).
        if facts.detected.is_none()
            && !self.generic
            && let Some(found) = detect(&install.mine, self.prefix, server)
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
        Ok(Releases {
            target,
            named: explicit.or(code),
        })
    }

    /// Phase 3: the expected schema: the reference, prefixed, adjusted to the install's custom
    /// fields, and refused when it and the install have too little in common to compare.
    fn expected(
        &self,
        live: &mut Live,
        install: &Install,
        releases: &Releases,
        facts: &mut MauticFacts,
    ) -> Result<Expected> {
        let (mut reference, target_text) = self.load_reference(live, releases.target, facts)?;
        facts.target = if self.generic {
            releases.named
        } else {
            releases.target
        };
        // Mautic's own tables, to recognise another install's: the reference's, and the
        // migrations table no reference lists (an install's `migrations` belongs to it, not
        // "other tables").
        let core_names: BTreeSet<String> = reference
            .tables
            .keys()
            .cloned()
            .chain(["migrations".to_string()])
            .collect();
        apply_prefix(&mut reference, self.prefix);
        let fields = match (&install.data.fields, facts.target.or(releases.target)) {
            (Some(fields), Some(t)) if !self.generic => apply_fields(
                &mut reference,
                &install.mine,
                fields,
                self.prefix,
                t.major_minor(),
            ),
            _ => Default::default(),
        };
        if !(self.generic && install.mine.tables.is_empty()) {
            compare::ensure_comparable(&install.mine, &reference, &live.description, self.prefix)?;
        }
        Ok(Expected {
            reference,
            target_text,
            core_names,
            fields,
        })
    }

    /// The reference schema (unprefixed) and how the report names it: a reference file, or the
    /// bundled reference of the target (its own, or the nearest release's).
    fn load_reference(
        &self,
        live: &mut Live,
        target: Option<Release>,
        facts: &mut MauticFacts,
    ) -> Result<(Schema, String)> {
        if let Some(f) = &self.opts.reference_file {
            let (s, warnings) = compare::load_reference_file(f, &live.server, &live.schema)?;
            for w in warnings {
                live.notes.push(format!("{}: {w}", f.display()));
            }
            return Ok((s, format!("reference file {}", f.display())));
        }
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
        Ok((s, text))
    }

    /// Phases 4 and 5: the generic diff, then Mautic's rules on it (the user's custom fields
    /// and objects, history, keys its migrations made) unless the reference is any schema.
    fn compare(
        &self,
        install: &Install,
        expected: &Expected,
        target: Option<Release>,
        server: &ServerInfo,
    ) -> Vec<Change> {
        let (mine, reference) = (&install.mine, &expected.reference);
        let mut changes = diff_schemas(mine, reference);
        if self.generic {
            // Column order is part of a schema a file describes; a Mautic install upgraded by
            // migrations has its own (columns added at the end), so only generic mode compares
            // it.
            for (name, want) in &reference.tables {
                if let Some(have) = mine.tables.get(name) {
                    changes.extend(crate::diff::column_moves(have, want));
                }
            }
            return changes;
        }
        Policy {
            prefix: self.prefix,
            custom_columns: &expected.fields.custom_columns,
            strict: self.opts.strict,
            removed_types: super::policy::removed_doctrine_types(target),
        }
        .classify(&mut changes);
        super::known_keys::claim_migration_keys(
            &mut changes,
            mine,
            reference,
            self.prefix,
            self.opts.strict,
            server,
        );
        changes
    }

    /// Phase 6: the migrations table's state against the target, and each migration of the
    /// target's chain judged by its effects. Judged before the foreign-key alignment and the
    /// plan: a difference a migration should have made becomes drift, and the columns its keys
    /// link must follow it.
    fn judge_migrations(
        &self,
        changes: &mut [Change],
        install: &Install,
        expected: &Expected,
        server: &ServerInfo,
        facts: &mut MauticFacts,
    ) {
        facts.migrations = match facts.target {
            Some(t) => migrations::state(&self.index, recorded(&install.data), t),
            None => MigrationState::default(),
        };
        // Judging parses each effect's definition: done when something reads it (a migrations
        // table to explain and record, a legacy difference a migration may own, or preflight).
        let wanted = facts.migrations.has_records()
            || self.opts.judge_all_migrations
            || changes
                .iter()
                .any(|c| c.severity == crate::diff::Severity::Legacy);
        let (Some(t), false, true) = (facts.target, self.generic, wanted) else {
            return;
        };
        let mine = &install.mine;
        facts.evidence = super::evidence::judge(
            &self.index,
            t,
            mine,
            &expected.reference,
            self.prefix,
            server,
        );
        let applied = &facts.migrations.applied;
        super::evidence::promote_missing_effects(
            changes,
            &facts.evidence,
            &|v| applied.iter().any(|a| a == v),
            self.prefix,
            mine,
        );
    }

    /// Phase 7: what is left to settle before planning: history and the indexes it blocks,
    /// keys the columns must follow, the install's own migrations table, forms' results
    /// tables, and narrowings the rows already fit.
    async fn settle(
        &self,
        changes: &mut Vec<Change>,
        live: &mut Live,
        install: &Install,
        expected: &Expected,
        facts: &MauticFacts,
    ) -> Result<()> {
        let (mine, prefix) = (&install.mine, self.prefix);
        // What Mautic's own migrations leave on a site upgraded to this release: history, or a
        // migration Mautic forgot (after the evidence, which may promote a difference to drift).
        if let Some(at) = facts
            .reference
            .and_then(|r| super::history::file_release(r.file))
            .filter(|_| !self.generic)
        {
            let database = live.server.database_collation.as_deref();
            super::history::mark(changes, at, prefix, self.opts.strict, database);
        }
        // History in the way of a needed index joins the plan (it would refuse itself otherwise).
        super::blocking::promote_blocking_legacy(changes, mine, &live.server);
        align_foreign_key_columns(changes, mine, &expected.reference);
        // The install's migrations table is Mautic's own (Doctrine keeps it, no reference lists
        // it): its state is reported as migrations, never as an extra table of the user's.
        let migrations_table = format!("{prefix}migrations");
        changes.retain(|c| {
            self.generic || !(c.kind == ChangeKind::ExtraTable && c.table == migrations_table)
        });
        if let (false, Some(forms)) = (self.generic, &install.data.forms) {
            changes.extend(super::forms::missing_results_tables(
                forms,
                mine,
                prefix,
                &live.server,
            ));
        }
        changes.sort_by(|a, b| a.table.cmp(&b.table));
        super::narrowing::clear_fitting_narrowings(changes, live.db.as_mut()).await?;
        Ok(())
    }

    /// Phase 8: the plan, and the report that carries it with what the install read said.
    fn assemble(
        &self,
        live: &Live,
        install: Install,
        expected: Expected,
        changes: Vec<Change>,
        facts: &MauticFacts,
    ) -> Comparison {
        let plan = plan(
            &changes,
            &install.mine,
            &expected.reference,
            &PlanOptions {
                allow_destructive: self.opts.allow_destructive,
                server: live.server.clone(),
            },
        );
        let notes = notes(live, &install, &expected);
        Comparison {
            source: live.description.clone(),
            target: expected.target_text,
            server: live.server.clone(),
            changes,
            plan,
            other_installs: other_installs(&install.foreign, &expected.core_names),
            foreign_tables: install.foreign,
            notes,
            explanation: Vec::new(),
            live: install.mine,
            reference: expected.reference,
            facts: Default::default(),
            stats: crate::comparison::Stats {
                catalog_queries: live.queries,
                inspect_ms: (live.inspect_seconds * 1000.0).round(),
            },
            pending_schema_migrations: facts.migrations.pending_of(MigrationKind::Schema).count(),
            bookkeeping: Default::default(),
            sizes: None,
            interrupted: None,
            removed_types_outside: Vec::new(),
        }
    }

    /// Phase 9: the migrations table's bookkeeping (rows to record, the table to create). A
    /// migration is provably done when the whole plan is (no drift left unfixed, nothing
    /// skipped), or when its own effects are all present.
    fn bookkeep(&self, report: &mut Comparison, facts: &MauticFacts) {
        let Some(t) = facts.target else {
            return;
        };
        let complete = report.plan.skipped.is_empty()
            && report
                .changes
                .iter()
                .filter(|c| c.severity == crate::diff::Severity::Drift)
                .all(|c| c.has_fix());
        let applied_now = |v: &str| facts.evidence.get(v).is_some_and(|e| e.applied());
        let migrations_table = format!("{}migrations", self.prefix);
        report.bookkeeping = super::bookkeeping::bookkeeping(
            &facts.migrations,
            &self.index,
            self.prefix,
            t,
            complete,
            &applied_now,
            report.live.table(&migrations_table),
        );
    }

    /// Phase 10: the explanation a DBA reads, with the columns of Doctrine types the target's
    /// DBAL no longer knows anywhere in the database (outside the compared tables, whose
    /// comments are column differences already, see `policy`); those columns are returned too,
    /// for the verdict.
    async fn explanations(
        &self,
        live: &mut Live,
        report: &Comparison,
        facts: &MauticFacts,
    ) -> Result<(Vec<String>, Vec<(String, String, String)>)> {
        let mut lines = explain(report, facts, self.opts);
        let removed = super::policy::removed_doctrine_types(facts.target);
        if removed.is_empty() {
            return Ok((lines, Vec::new()));
        }
        let mut found = super::removed_types::in_schema(&live.schema, removed);
        if let Some(db) = live.db.as_mut() {
            found.extend(super::removed_types::in_database(db, removed).await?);
        }
        found.sort();
        found.dedup();
        found.retain(|(t, _, _)| !report.reference.tables.contains_key(t));
        lines.extend(super::removed_types::explain(&found));
        Ok((lines, found))
    }
}

/// The inspection's notes, and what the install's rows left unjudged or changed in the
/// expectation.
fn notes(live: &Live, install: &Install, expected: &Expected) -> Vec<String> {
    let mut notes = live.notes.clone();
    if install.data.rows_unknown {
        notes.push(
            "the dump holds no rows (made with --no-data?): the rows of lead_fields and migrations are unknown, so custom fields, deleted stock fields and pending migrations are not judged"
                .into(),
        );
    }
    if !expected.fields.removed_stock.is_empty() {
        notes.push(format!(
            "stock fields deleted by the user, their columns not expected: {}",
            expected
                .fields
                .removed_stock
                .iter()
                .map(|(_, c)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

/// What the live side says of the migrations table's rows.
fn recorded(data: &InstallData) -> Recorded<'_> {
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
        let console = self.code.console();
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
