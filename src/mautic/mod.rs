//! Mautic knowledge: table prefixes and Doctrine's generated names, the reference schemas and
//! migrations of every release, custom fields, and what belongs to the user.

pub mod bookkeeping;
pub mod check;
pub mod detect;
pub mod effects;
pub mod embedded;
pub mod evidence;
pub mod fields;
pub mod guards;
pub mod install;
pub mod migrations;
pub mod names;
pub mod overall;
pub mod policy;
pub mod prefix;
pub mod references;
pub mod release;
pub mod verdict;
