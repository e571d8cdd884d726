//! `preflight --to X`: before an upgrade, what Mautic's migrations from the database's release
//! to X will meet on this very database. Each migration gets a verdict (already recorded, will
//! run, a data migration Mautic must run), and the upgrade's planned state is checked as
//! `apply` checks its own plan: the pre-checks on the rows (orphans, duplicates, truncation,
//! JSON, zero dates, key and row limits), a rehearsal of the schema change on a scratch copy,
//! the server version X requires, the disk a rebuild needs, and an estimated duration. It ends
//! with the one verdict (`mautic::overall`): the upgrade's blockers, else the database's own as
//! `check` gives it; exit 0 when that is in sync, 1 otherwise, 2 error.

use crate::mautic::evidence::{self, Conflict};
use crate::mautic::guards::{Guard, Judged};
use crate::mautic::overall::Verdict as Overall;
use crate::mautic::path::{Blocker, Path, Walked, World, error_text};
use crate::mautic::verdict::Verdict;
use crate::progress::Event;
use crate::schema::quote_ident;

use super::{Outcome, Source, connect_params, load_live, resolve};
use crate::apply::prechecks::{self, Failure};
use crate::apply::rehearsal::{self, Rehearsal};
use crate::cli::{Format, PreflightArgs};
use crate::config::Env;
use crate::error::{Error, Result};
use crate::mautic::check::{CheckOptions, MauticFacts, mautic_report};
use crate::mautic::migrations::Migration;
use crate::mautic::release::Release;
use crate::text::one_line;

/// The server versions a release requires (`release_metadata.json`'s `minimum_mysql_version` and
/// `minimum_mariadb_version`, present from 4.2.0; FACTS §server requirements).
type Version = (u32, u32, u32);

/// (from release, MySQL minimum, MariaDB minimum).
const MINIMUMS: &[(Version, Version, Version)] = &[((4, 2, 0), (5, 7, 14), (10, 2, 7))];

pub async fn run(args: &PreflightArgs) -> Result<Outcome> {
    if super::fleet::is_fleet(&args.common, &args.fleet) {
        return super::fleet_preflight::run(args).await;
    }
    let a = assess(&args.common, &args.to).await?;
    let (detected, to, facts, verdicts, checks) =
        (&a.detected, a.to, &a.facts, &a.verdicts, &a.checks);
    if args.format == Format::Json {
        print_json(detected, to, facts, verdicts, checks, &a.verdict);
    } else {
        print_text(detected, to, &a.source, facts, verdicts, checks);
        println!();
        for line in crate::text::wrap(&one_line(&a.verdict.line), 80, "", "  ") {
            println!("{line}");
        }
    }
    Ok(Outcome::of(&a.verdict))
}

/// What preflight found, for its own printing and for `report`.
pub(crate) struct Assessment {
    pub detected: String,
    pub to: Release,
    pub source: String,
    pub facts: MauticFacts,
    pub verdicts: Vec<Pending>,
    pub checks: Vec<Check>,
    /// The one verdict: the upgrade's blockers, else the database's own (as `check` says it).
    pub verdict: Overall,
}

impl Assessment {
    pub fn blockers(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Blocker)
            .count()
    }
}

/// Every check for an upgrade to `to`, read-only (the rehearsals work on scratch copies); its
/// stages on standard error when it is a terminal and the work takes more than a second.
pub(crate) async fn assess(common: &crate::cli::CommonArgs, to_text: &str) -> Result<Assessment> {
    let progress = crate::report::progress::progress(crate::report::progress::When::Auto);
    let stage = |what: &str| progress.event(Event::Stage(what));
    let assessed = assess_staged(common, to_text, &stage).await;
    progress.event(Event::StagesDone);
    assessed
}

async fn assess_staged(
    common: &crate::cli::CommonArgs,
    to_text: &str,
    stage: &(dyn Fn(&str) + Sync),
) -> Result<Assessment> {
    let to = Release::parse(to_text).ok_or_else(|| {
        Error::Input(format!(
            "--to {to_text} is not a release number such as 5.1.1"
        ))
    })?;
    // `--target` names the release the database is at (its own verdict); `--to` the upgrade's.
    let at = common.target.as_deref().and_then(Release::parse);
    let mut common = common.clone();
    common.target = Some(to_text.to_string());
    let resolved = resolve(&common, &Env::from_process())?;
    stage("reading the schema");
    let mut live = load_live(&resolved).await?;
    let opts = CheckOptions {
        judge_all_migrations: true,
        target: Some(to_text.to_string()),
        reference_file: None,
        code_version: None,
        strict: common.strict,
        allow_destructive: true,
    };
    stage("comparing with the release");
    let (mut report, facts) = mautic_report(&mut live, &resolved.prefix, &opts).await?;
    let mut checks = vec![server_version(&report.server, to)];
    let pending = pending(&facts, to);
    let versions: Vec<&str> = pending.iter().map(|m| m.version.as_str()).collect();
    let walks = crate::mautic::path::walks_the_database(&versions);
    // The database outside the install: its foreign-key names (errno 121), and its tables
    // when a pending migration walks every table.
    let (elsewhere, mut others) = match &resolved.source {
        Source::Server(settings) => {
            let Some(db) = live.db.as_mut() else {
                return Err(Error::Input("preflight needs a live database".into()));
            };
            stage("checking the rows and rehearsing the repair plan");
            server_checks(db, settings, &common, &mut report, &mut checks).await?;
            let names = crate::inspect::foreign_key_names(db)
                .await
                .map_err(|e| Error::Input(format!("preflight: {e}")))?;
            let all = if walks {
                crate::inspect::inspect(db)
                    .await
                    .map_err(|e| Error::Input(format!("preflight: {e}")))?
                    .schema
            } else {
                Default::default()
            };
            (names, all)
        }
        Source::Dump(_) => {
            checks.extend(not_run_on_a_dump());
            let names = live
                .schema
                .tables
                .values()
                .flat_map(|t| {
                    t.foreign_keys
                        .iter()
                        .map(|f| (f.name.clone(), t.name.clone()))
                })
                .collect();
            (names, live.schema.clone())
        }
    };
    others
        .tables
        .retain(|name, _| report.live.table(name).is_none());
    let world = World {
        prefix: resolved.prefix.clone(),
        server: report.server.clone(),
        foreign_keys_elsewhere: elsewhere
            .into_iter()
            .filter(|(_, t)| report.live.table(t).is_none())
            .map(|(n, t)| (n.to_ascii_lowercase(), t))
            .collect(),
        others,
    };
    stage("following Mautic's upgrade path");
    let path = fold_path(&report.live, &pending, &world);
    checks.push(inserts(&path.end, &report.reference));
    let (verdicts, path_checks) = verdicts(&pending, &path, &resolved.prefix);
    checks.extend(path_checks);
    use super::preflight_statements as statements;
    let running: std::collections::BTreeSet<&str> = running(&verdicts).collect();
    let runs = statements::runs(&running, &path, crate::mautic::effects::by_version());
    if let Some(db) = live.db.as_mut() {
        stage("counting the rows Mautic's statements meet");
        checks.extend(statement_rows(db, &runs, &world, &report).await?);
    }
    if let (Some(db), Source::Server(settings)) = (live.db.as_mut(), &resolved.source) {
        let params = connect_params(settings);
        stage("rehearsing Mautic's statements on a scratch copy");
        checks.push(statements::check(db, &params, &runs, &report.live, &world).await?);
    }
    checks.push(statement_time(&verdicts, &resolved.prefix, &report));
    let detected = facts.detected.clone().unwrap_or_else(|| "unknown".into());
    let standing = standing(&mut live, &facts, at, &common, &resolved.prefix, to).await?;
    let blockers = checks
        .iter()
        .filter(|c| c.status == Status::Blocker)
        .count();
    Ok(Assessment {
        verdict: standing.upgrade(&to.to_string(), blockers),
        detected,
        to,
        source: report.source.clone(),
        facts,
        verdicts,
        checks,
    })
}

/// The checks only a server can answer: the rows, a rehearsal on a scratch copy, the
/// duration and the disk.
async fn server_checks(
    db: &mut crate::db::Db,
    settings: &crate::config::DbSettings,
    common: &crate::cli::CommonArgs,
    report: &mut crate::comparison::Comparison,
    checks: &mut Vec<Check>,
) -> Result<()> {
    let large = crate::plan::split::Large {
        min_bytes: common.large_table_size,
    };
    report.size_and_split(db, &large).await?;
    let failures: Vec<Failure> =
        prechecks::run(db, &report.changes, &report.plan, &report.live).await?;
    if failures.is_empty() {
        checks.push(Check::ok(
            "rows",
            "no row stands in the way of the schema change".into(),
        ));
    }
    checks.extend(failures.into_iter().map(|f| Check {
        name: f.check,
        status: Status::Blocker,
        message: f.message,
        investigate: f.investigate,
    }));
    let tables = rehearsal::tables_to_copy(&report.plan.steps, &report.live, &report.reference);
    let params = connect_params(settings);
    let leftovers = clean_leftovers(db).await;
    // Held for the clean-up only: the rehearsal's own copy is guarded by its own lock, and an
    // `apply` started meanwhile should not wait for a preflight.
    crate::apply::execute::release_lock(db).await;
    let leftovers = leftovers?;
    let rehearsed = rehearsal::rehearse(db, &params, &report.plan.steps, &tables).await?;
    checks.push(rehearsal_check(rehearsed));
    checks.extend(leftovers);
    checks.push(duration(report));
    let datadir =
        crate::apply::space::local_datadir(db, &settings.host, settings.socket.is_some()).await;
    checks.push(disk(report, datadir.as_deref()));
    Ok(())
}

/// Scratch databases killed runs left, dropped only while this run holds the advisory lock
/// `apply` takes (so neither drops what the other is using); one warning line each for what is
/// left alone, and one when the lock is held elsewhere.
async fn clean_leftovers(db: &mut crate::db::Db) -> Result<Vec<Check>> {
    let warning = |message: String| Check {
        name: "scratch databases",
        status: Status::Warning,
        message,
        investigate: String::new(),
    };
    if !crate::apply::execute::try_lock(db).await? {
        return Ok(vec![warning(format!(
            "another mautic-schema run holds lock '{}': scratch databases earlier runs left were not looked for",
            crate::apply::execute::lock_name(&db.database)
        ))]);
    }
    Ok(rehearsal::clean_leftovers(db)
        .await?
        .into_iter()
        .filter(|n| n.starts_with("left alone"))
        .map(warning)
        .collect())
}

/// The versions of the migrations whose statements run, in Mautic's order.
fn running(verdicts: &[Pending]) -> impl Iterator<Item = &str> {
    verdicts
        .iter()
        .filter(|p| {
            !matches!(
                p.verdict,
                Verdict::WillSkip { .. } | Verdict::AlreadyDone | Verdict::WillRun { noop: true }
            )
        })
        .filter_map(|p| p.class.strip_prefix("Version"))
}

/// What Mautic's own statements cost here: the server's algorithm for each, on this data.
fn statement_time(
    verdicts: &[Pending],
    prefix: &str,
    report: &crate::comparison::Comparison,
) -> Check {
    use crate::mautic::statement_cost::{of_migrations, summary};
    let costs = of_migrations(
        running(verdicts),
        crate::mautic::effects::by_version(),
        prefix,
        &report.live,
        &report.server,
        report.sizes.as_ref(),
    );
    Check::ok(
        "statement time",
        format!("Mautic's statements: {}", summary(&costs)),
    )
}

/// The rows each statement of the migrations that run would meet (Mautic's own statements,
/// judged on the schema the path leaves before each, counted on the live rows under the server's global sql_mode, which Mautic's connection
/// keeps): a blocker for each precondition with rows in the way.
async fn statement_rows(
    db: &mut crate::db::Db,
    runs: &[super::preflight_statements::Run<'_>],
    world: &World,
    report: &crate::comparison::Comparison,
) -> Result<Vec<Check>> {
    use crate::mautic::preconditions::of_migrations;
    let mode = db
        .rows(
            "reading the server's sql_mode",
            "SELECT CAST(@@GLOBAL.sql_mode AS CHAR)",
            &[],
        )
        .await?;
    let mode = mode.first().and_then(|r| r[0].clone()).unwrap_or_default();
    let mode = crate::plan::preconditions::SqlMode::parse(&mode);
    let effects = crate::mautic::effects::by_version();
    let runs = runs.iter().map(|r| (r.version, r.before));
    let todo = of_migrations(runs, effects, world, &report.live, mode);
    let mut found = Vec::new();
    for sc in &todo {
        let n = prechecks::count_rows(db, &sc.precondition).await?;
        if n > 0 {
            found.push(Check {
                name: sc.precondition.class.check_name(),
                status: Status::Blocker,
                message: sc.message(n),
                investigate: sc.precondition.list_sql.clone(),
            });
        }
    }
    if found.is_empty() {
        found.push(Check::ok(
            "statement rows",
            format!(
                "no row stands in the way of Mautic's statements ({} check(s) on the rows)",
                todo.len()
            ),
        ));
    }
    Ok(found)
}

/// A dump has the schema alone: what needs rows or a server is said not run, never passed.
fn not_run_on_a_dump() -> Vec<Check> {
    let not_run = |name: &'static str, what: &str| Check {
        name,
        status: Status::Warning,
        message: format!(
            "not run: {what} (a dump is judged on its schema alone; run preflight on the server for it)"
        ),
        investigate: String::new(),
    };
    vec![
        not_run("rows", "no row was checked"),
        not_run("rehearsal", "no statement was rehearsed on a server"),
        not_run("disk", "the server's free space is unknown"),
    ]
}

/// The fold of the pending migrations over the live schema.
fn fold_path(live: &crate::schema::Schema, pending: &[Migration], world: &World) -> Path {
    crate::mautic::path::fold_migrations(live, pending, world)
}

/// The database's own verdict, as `check` gives it: compared with the release it is at
/// (`--target`, else the detected one, its newest when a range; `to` when it cannot be told),
/// with what an interrupted run left.
async fn standing(
    live: &mut crate::compare::Live,
    facts: &MauticFacts,
    at: Option<Release>,
    common: &crate::cli::CommonArgs,
    prefix: &str,
    to: Release,
) -> Result<Overall> {
    let at = at
        .or_else(|| {
            let d = facts.detected.as_deref()?;
            Release::parse(d.rsplit('-').next().unwrap_or(d))
        })
        .unwrap_or(to);
    let opts = CheckOptions {
        target: Some(at.to_string()),
        reference_file: None,
        code_version: None,
        strict: common.strict,
        allow_destructive: false,
        judge_all_migrations: false,
    };
    let (mut report, _) = mautic_report(live, prefix, &opts).await?;
    if let Some(db) = live.db.as_mut() {
        super::note_interrupted(db, &mut report, prefix).await?;
    }
    Ok(Overall::of(&report))
}

/// One line of the verdict: a check, how it went, why, and the query that shows what is in
/// the way.
pub(crate) struct Check {
    pub name: &'static str,
    pub status: Status,
    pub message: String,
    pub investigate: String,
}

impl Check {
    fn ok(name: &'static str, message: String) -> Check {
        Check {
            name,
            status: Status::Ok,
            message,
            investigate: String::new(),
        }
    }
}

/// The server version X requires, against this server's.
fn server_version(server: &crate::dialect::ServerInfo, to: Release) -> Check {
    let Some((_, mysql, maria)) = MINIMUMS
        .iter()
        .rev()
        .find(|(from, _, _)| Release(from.0, from.1, from.2) <= to)
    else {
        return Check::ok(
            "server version",
            format!("{to} names no minimum server version"),
        );
    };
    let maria_db = server.flavor == crate::dialect::Flavor::MariaDb;
    let need = if maria_db { *maria } else { *mysql };
    Check {
        name: "server version",
        status: if server.version >= need {
            Status::Ok
        } else {
            Status::Blocker
        },
        message: format!(
            "{to} needs {} {}.{}.{} or newer; this server is {}",
            if maria_db { "MariaDB" } else { "MySQL" },
            need.0,
            need.1,
            need.2,
            server.version_string
        ),
        investigate: String::new(),
    }
}

fn rehearsal_check(outcome: Rehearsal) -> Check {
    match outcome {
        Rehearsal::Passed { statements, .. } => Check::ok(
            "rehearsal",
            format!("the server accepts all {statements} statement(s) on a schema-only copy"),
        ),
        Rehearsal::Refused {
            number,
            of,
            table,
            error,
            sql,
        } => Check {
            name: "rehearsal",
            status: Status::Blocker,
            message: format!("statement {number} of {of} ({table}) is refused: {error}"),
            investigate: sql,
        },
        Rehearsal::Skipped { why } => Check {
            name: "rehearsal",
            status: Status::Warning,
            message: format!("not rehearsed: {why}"),
            investigate: String::new(),
        },
    }
}

/// The schema change's estimated time, from the announcement's sizes.
fn duration(report: &crate::comparison::Comparison) -> Check {
    let announced = crate::report::announce(report);
    let seconds: f64 = announced.iter().filter_map(|a| a.estimated_seconds).sum();
    let blocking = announced.iter().filter(|a| a.blocks_writes).count();
    Check::ok(
        "duration",
        format!(
            "about {:.0} s of schema change, {blocking} statement(s) blocking writes while they copy",
            if seconds > 0.0 { seconds.ceil() } else { 0.0 }
        ),
    )
}

/// Columns the release does not know that are NOT NULL without a default once Mautic's
/// migrations ran (`after`, the path's end: a column a pending migration drops is not there):
/// Mautic's INSERTs do not name them, so under a strict sql_mode every insert into the table
/// fails (error 1364, "Field doesn't have a default value"); the upgrade keeps them (nothing of
/// the user's is dropped), so they must get a default or allow NULL first.
fn inserts(after: &crate::schema::Schema, reference: &crate::schema::Schema) -> Check {
    let mut found = Vec::new();
    for (name, live) in &after.tables {
        let Some(target) = reference.tables.get(name) else {
            continue;
        };
        for c in &live.columns {
            let blocks = !c.nullable
                && c.default.is_none()
                && !c.auto_increment
                && c.generated.is_none()
                && target.column(&c.name).is_none();
            if blocks {
                found.push((name.clone(), c.name.clone()));
            }
        }
    }
    if found.is_empty() {
        return Check::ok(
            "inserts",
            "no column outside the release stops Mautic's inserts".into(),
        );
    }
    let list: Vec<String> = found.iter().map(|(t, c)| format!("{t}.{c}")).collect();
    let (t, c) = &found[0];
    Check {
        name: "inserts",
        status: Status::Blocker,
        message: format!(
            "{} column(s) outside the release are NOT NULL without a default, so Mautic's inserts fail with error 1364: {}",
            found.len(),
            list.join(", ")
        ),
        investigate: format!(
            "SHOW CREATE TABLE {}; then give it a default (ALTER TABLE {} ALTER COLUMN {} SET DEFAULT ...) or allow NULL (ALTER TABLE ... MODIFY ... NULL)",
            quote_ident(t),
            quote_ident(t),
            quote_ident(c)
        ),
    }
}

/// Room for the rebuilds: a table copy (ALGORITHM=COPY, or an in-place rebuild) needs about
/// the table's size again in the server's data directory while it runs; rebuilds run one after
/// the other, so the largest one counts.
fn disk(report: &crate::comparison::Comparison, datadir: Option<&std::path::Path>) -> Check {
    use crate::apply::space::{free_bytes, human};
    let largest = report
        .plan
        .steps
        .iter()
        .filter(|s| crate::plan::algorithm::step_rebuilds(s, &report.live, &report.server))
        .filter_map(|s| {
            let size = report.sizes.as_ref()?.get(&s.table)?;
            Some((size.bytes, s.table.clone()))
        })
        .max();
    let Some((need, table)) = largest else {
        return Check::ok("disk", "no table is rebuilt".into());
    };
    // InnoDB's estimate is rough; a tenth more is the margin.
    let need = need + need / 10;
    match datadir.and_then(|d| free_bytes(d).map(|f| (d, f))) {
        Some((dir, free)) if free < need => Check {
            name: "disk",
            status: Status::Blocker,
            message: format!(
                "rebuilding {table} needs about {} free in {}, {} free",
                human(need),
                dir.display(),
                human(free)
            ),
            investigate: format!("df -h {}", dir.display()),
        },
        Some((dir, free)) => Check::ok(
            "disk",
            format!(
                "the largest rebuild ({table}) needs about {}; {} free in {}",
                human(need),
                human(free),
                dir.display()
            ),
        ),
        None => Check {
            name: "disk",
            status: Status::Warning,
            message: format!(
                "the largest rebuild ({table}) needs about {} free in the server's data directory, which is not on this host: check it there",
                human(need)
            ),
            investigate: "SELECT @@datadir; then df -h on the server".into(),
        },
    }
}

/// One migration to run and what Mautic will do with it here.
pub(crate) struct Pending {
    /// Doctrine's class name.
    pub class: String,
    pub summary: String,
    pub verdict: Verdict,
    /// Its guard (guards.tsv).
    pub guard: Guard,
    /// The install's table prefix, for the names the lines print.
    pub prefix: String,
}

impl Pending {
    /// A guard's text with this install's prefix in its names.
    fn named(&self, guard: &str) -> String {
        guard.replace("{prefix}", &self.prefix)
    }

    /// Why a would-fail is not skipped (`Ok`), or why its guard cannot be judged (`Err`).
    fn not_skipped(&self, judged: &Judged) -> std::result::Result<String, String> {
        match (judged, &self.guard) {
            (Judged::CannotJudge(why), _) => Err(why.clone()),
            (_, Guard::None) => Ok("nothing in it checks first".into()),
            (_, guard) => Ok(format!(
                "its guard ({}) does not hold here",
                self.named(&guard.to_string())
            )),
        }
    }

    /// The verdict with its reason, for the migrations list.
    pub fn line(&self) -> String {
        match &self.verdict {
            Verdict::WillSkip { guard } => {
                format!("will skip (Mautic's guard: {})", self.named(guard))
            }
            Verdict::WouldFail { conflict, guard } => match self.not_skipped(guard) {
                Ok(why) => format!("would fail: {}; {why}", conflict.error),
                Err(why) => format!(
                    "would fail: {}; its guard cannot be judged: {why}",
                    conflict.error
                ),
            },
            Verdict::AlreadyDone => "already done: its effects are all present: record it (apply does) or Mautic's run of it fails".into(),
            v => v.label().into(),
        }
    }
}

/// The migrations to run, in the order Doctrine runs them (by version string). Without a
/// migrations table, those of X that the detected release did not ship.
fn pending(facts: &MauticFacts, to: Release) -> Vec<Migration> {
    let index = crate::mautic::migrations::index();
    let mut pending: Vec<Migration> = if facts.migrations.has_records() {
        facts.migrations.pending.clone()
    } else {
        let from = facts
            .detected
            .as_deref()
            .and_then(|d| Release::parse(d.rsplit('-').next().unwrap_or(d)));
        crate::mautic::migrations::of_release(&index, to)
            .into_iter()
            .filter(|m| from.is_none_or(|f| !m.in_release(f)))
            .cloned()
            .collect()
    };
    pending.sort_by(|a, b| a.version.cmp(&b.version));
    pending
}

/// Each migration to run with its verdict, from the fold of the path (see `mautic::path`),
/// and the path's checks: every blocker in path order, and a warning for each migration the
/// index cannot fully judge.
fn verdicts(pending: &[Migration], path: &Path, prefix: &str) -> (Vec<Pending>, Vec<Check>) {
    let mut out = Vec::new();
    let mut checks = Vec::new();
    for (m, w) in pending.iter().zip(&path.walked) {
        let guard = crate::mautic::guards::of(&m.version);
        let p = Pending {
            class: m.class_name(),
            summary: m.summary.clone(),
            verdict: walked_verdict(m, w),
            guard,
            prefix: prefix.to_string(),
        };
        checks.extend(w.blockers.iter().map(|b| blocker_check(&p, w, b)));
        checks.extend(unjudged_check(&p, w));
        out.push(p);
    }
    (out, checks)
}

fn walked_verdict(m: &Migration, w: &Walked) -> Verdict {
    use crate::mautic::migrations::MigrationKind;
    if let Judged::Holds(guard) = &w.guard {
        return Verdict::WillSkip {
            guard: guard.clone(),
        };
    }
    if let Some(b) = w.blockers.first() {
        return Verdict::WouldFail {
            conflict: conflict(b),
            guard: w.guard.clone(),
        };
    }
    if w.already_done {
        return Verdict::AlreadyDone;
    }
    // A migration that issues DDL is judged by it, whatever else it does.
    match (m.kind, w.ddl) {
        (MigrationKind::Noop, _) => Verdict::WillRun { noop: true },
        (_, true) => Verdict::WillRun { noop: false },
        (MigrationKind::Data, false) => Verdict::DataMigration,
        (_, false) => Verdict::Unknown,
    }
}

fn conflict(b: &Blocker) -> Conflict {
    let r = &b.refusal;
    Conflict {
        statement: b.statement.clone(),
        error: format!("{}: {}", error_text(r.error, r.errno), r.why),
        query: r.query.clone(),
        fix: r.fix.clone(),
    }
}

/// A blocker of the path as a check: a warning instead when the migration's guard cannot be
/// judged (it may skip itself).
fn blocker_check(p: &Pending, w: &Walked, b: &Blocker) -> Check {
    let c = conflict(b);
    let (status, why) = match p.not_skipped(&w.guard) {
        Ok(why) => (Status::Blocker, format!("and {why}")),
        Err(why) => (
            Status::Warning,
            format!("unless its guard skips it (cannot be judged: {why})"),
        ),
    };
    Check {
        name: "migration",
        status,
        message: format!(
            "{} would fail with {} (in the way: {}) {why}; its statement (tables unprefixed): {}",
            p.class, c.error, b.refusal.object, c.statement
        ),
        investigate: format!("{}; fix: {}", c.query, c.fix),
    }
}

/// Never a silent go: what a migration does that the index cannot judge, and why.
fn unjudged_check(p: &Pending, w: &Walked) -> Option<Check> {
    if w.skipped() || w.already_done {
        return None;
    }
    let mut why: Vec<String> = w.unjudged.clone();
    if let Judged::CannotJudge(g) = &w.guard {
        why.insert(0, format!("its guard cannot be judged ({g})"));
    }
    if why.is_empty() {
        return None;
    }
    Some(Check {
        name: "migration",
        status: Status::Warning,
        message: format!(
            "{} ({}) cannot be fully judged here: {}",
            p.class,
            p.summary,
            why.join("; ")
        ),
        investigate: String::new(),
    })
}

fn print_json(
    detected: &str,
    to: Release,
    facts: &MauticFacts,
    verdicts: &[Pending],
    checks: &[Check],
    overall: &Overall,
) {
    let blockers = checks
        .iter()
        .filter(|c| c.status == Status::Blocker)
        .count();
    use crate::report::contract::{
        FORMAT_VERSION, PreflightCheck, PreflightDoc, PreflightMigration, to_json,
    };
    let doc = PreflightDoc {
        format_version: FORMAT_VERSION,
        from: detected.to_string(),
        to: to.to_string(),
        go: blockers == 0,
        verdict: crate::report::contract::VerdictDoc::of(overall),
        migrations_known: facts.migrations.covered,
        migrations_recorded: facts.migrations.applied.len(),
        migrations: verdicts
            .iter()
            .map(|p| {
                let conflict = match &p.verdict {
                    Verdict::WouldFail { conflict, .. } => Some(conflict),
                    _ => None,
                };
                let text = |f: fn(&evidence::Conflict) -> &String| {
                    conflict.map(|c| f(c).clone()).unwrap_or_default()
                };
                PreflightMigration {
                    migration: p.class.clone(),
                    verdict: p.verdict.label(),
                    summary: p.summary.clone(),
                    error: text(|c| &c.error),
                    statement: text(|c| &c.statement),
                    query: text(|c| &c.query),
                    fix: text(|c| &c.fix),
                    guarded: match p.guard {
                        Guard::None => Some(false),
                        Guard::Unknown(_) => None,
                        Guard::Any(_) => Some(true),
                    },
                    guard: p.guard.to_string(),
                    skipped_because: match &p.verdict {
                        Verdict::WillSkip { guard } => guard.clone(),
                        _ => String::new(),
                    },
                }
            })
            .collect(),
        checks: checks
            .iter()
            .map(|c| PreflightCheck {
                check: c.name,
                status: c.status.as_str(),
                message: c.message.clone(),
                investigate: c.investigate.clone(),
            })
            .collect(),
    };
    print!("{}", to_json(&doc));
}

fn print_text(
    detected: &str,
    to: Release,
    source: &str,
    facts: &MauticFacts,
    verdicts: &[Pending],
    checks: &[Check],
) {
    print_wrapped(
        "",
        &format!("preflight: {detected} → {to} on {}", one_line(source)),
    );
    if facts.migrations.covered {
        println!(
            "\nmigrations: {} recorded, {} to run",
            facts.migrations.applied.len(),
            verdicts.len()
        );
        for p in verdicts {
            print_wrapped("  ", &one_line(&format!("{}: {}", p.class, p.line())));
        }
    } else {
        println!(
            "\nmigrations: the bundled index does not list {to} (it {}): which are pending is unknown",
            crate::mautic::migrations::reach_text(&crate::mautic::migrations::index())
        );
    }
    println!("\nchecks:");
    for c in checks {
        let head = format!("  {:<8} ", c.status.as_str());
        print_wrapped(&head, &format!("{}: {}", c.name, one_line(&c.message)));
        if !c.investigate.is_empty() {
            print_wrapped(
                &" ".repeat(head.len()),
                &format!("investigate: {}", one_line(&c.investigate)),
            );
        }
    }
}

/// `text` after `head`, wrapped at 80 columns under itself (queries wrap at spaces too).
fn print_wrapped(head: &str, text: &str) {
    let indent = " ".repeat(head.chars().count());
    for line in crate::text::wrap(text, 80, head, &indent) {
        println!("{line}");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Ok,
    Warning,
    Blocker,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Blocker => "BLOCKER",
        }
    }
}
