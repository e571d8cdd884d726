//! mautic-schema: compare a live Mautic MySQL/MariaDB schema with the reference of a release,
//! explain the gap and reconcile it safely.

pub mod apply;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod config;
pub mod db;
pub mod dialect;
pub mod diff;
pub mod error;
pub mod inspect;
pub mod mautic;
pub mod plan;
pub mod report;
pub mod schema;
pub mod sql;
pub mod text;
