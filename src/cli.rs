//! Command-line definitions (clap derive). Shared groups are flattened into each subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Compare a Mautic MySQL/MariaDB schema with the reference of its release, \
explain the gap and reconcile it safely.";

const LONG_ABOUT: &str = "Compare a Mautic MySQL/MariaDB schema with the reference of its release, \
explain the gap and reconcile it safely.\n\n\
MySQL and MariaDB commit every DDL statement implicitly: a schema change cannot be rolled back. \
mautic-schema therefore never relies on a transaction for DDL; `apply` takes a verified backup \
first, keeps a journal so an interrupted run resumes, and verifies the result.\n\n\
Exit codes: 0 in sync, 1 differences found, 2 error.";

#[derive(Debug, Parser)]
#[command(name = "mautic-schema", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the live schema (or a dump) with the reference and report every difference.
    Check(CheckArgs),
    /// Print the SQL that turns the live schema into the reference, for review.
    Diff(DiffArgs),
}

/// Where the schema to check comes from: one of these.
#[derive(Debug, Args, Clone)]
#[group(required = true, multiple = false)]
pub struct SourceArgs {
    /// Mautic install directory: its config/local.php (5.x) or app/config/local.php is read.
    #[arg(long, value_name = "DIR")]
    pub mautic_dir: Option<PathBuf>,
    /// A Mautic local.php file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// mysql://user@host:port/database (the password is best given in MAUTIC_DB_PASSWORD or
    /// MYSQL_PWD: on the command line, other users can read it with ps).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A schema dump (mysqldump, mariadb-dump, Navicat, SQLyog): checked offline, no server.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Table prefix of the install (overrides local.php's db_table_prefix).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Compare against this DDL file (CREATE TABLE statements, a dump or Doctrine's SQL).
    #[arg(long, value_name = "FILE")]
    pub reference_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    Table,
    /// The JSON contract, for machines.
    Json,
    /// The reconciling SQL, for review.
    Sql,
    /// Unified diff of canonical CREATE TABLE text per table.
    Diff,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Count destructive fixes (drops, narrowing changes) as proposed rather than held back.
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also emit destructive statements (dropping tables, columns, unique indexes; narrowing
    /// types). Without it they are listed as held back.
    #[arg(long)]
    pub allow_destructive: bool,
}
