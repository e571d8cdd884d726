//! Everything a comparison produced, and its four renderings: a table for people, JSON for
//! machines, SQL for review, unified diffs of canonical CREATE TABLE text.

mod announce;
pub mod contract;
mod markdown;
pub mod progress;
mod redact;
mod sql;
mod table;
mod unified;

pub use announce::{Announcement, announce, announcement_lines, duration, headline};
pub use contract::render_json;
pub use markdown::{FORUM_BUDGET, MarkdownInput, Prechecks, Preflight, render_markdown};
pub use redact::{Kind as Redacted, Secret, public_names, redact};
pub use sql::{change_sql, render_sql};
pub use table::{render_table, render_table_at};
pub use unified::render_unified;
