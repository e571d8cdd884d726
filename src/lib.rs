//! mautic-schema: compare a live Mautic MySQL/MariaDB schema with the reference of a release,
//! explain the gap and reconcile it safely.

pub mod cli;
pub mod config;
pub mod db;
pub mod dialect;
pub mod diff;
pub mod inspect;
pub mod plan;
pub mod report;
pub mod schema;
pub mod sql;
// pub mod commands; (waits for the config API)
pub mod apply;
pub mod compare;
pub mod error;
pub mod mautic;
