//! Mautic knowledge: table prefixes and Doctrine's generated names, the reference schemas and
//! migrations of every release, custom fields, and what belongs to the user.

pub mod blocking;
pub mod bookkeeping;
pub mod check;
pub mod detect;
pub mod effects;
pub mod embedded;
pub mod evidence;
pub mod facts;
pub mod fields;
pub mod forms;
pub mod guards;
pub mod history;
pub mod install;
pub mod known_keys;
pub mod migrations;
pub mod names;
pub mod narrowing;
pub mod overall;
pub mod path;
pub mod policy;
pub mod preconditions;
pub mod prefix;
pub mod preflight;
pub mod references;
pub mod release;
pub mod removed_types;
pub mod statement_cost;
pub mod verdict;
