//! Mautic knowledge: table prefixes and Doctrine's generated names, the reference schemas and
//! migrations of every release, custom fields, and what belongs to the user.

pub mod prefix;
