//! Mautic knowledge: table prefixes and Doctrine's generated names, the reference schemas and
//! migrations of every release, custom fields, and what belongs to the user.

pub mod embedded;
pub mod fields;
pub mod migrations;
pub mod policy;
pub mod prefix;
pub mod references;
pub mod release;
