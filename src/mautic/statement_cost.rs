//! What each statement of Mautic's pending migrations costs on this install: the algorithm
//! the server will use for it (the planner's one classifier, `plan::algorithm`), the table's
//! rows and bytes, and the estimate `apply`'s announcements use, so that preflight's time
//! grows with the data the statements meet rather than with the tool's own plan.

use std::collections::BTreeMap;

use crate::dialect::ServerInfo;
use crate::plan::algorithm::{Algorithm, Verdict, statement_verdict};
use crate::plan::split::Size;
use crate::schema::Schema;

use super::effects::Effect;
use super::preconditions::clause_of;

/// One ALTER of a pending migration (the effects sharing a version and step).
#[derive(Debug, Clone)]
pub struct StatementCost {
    /// Doctrine's class name.
    pub migration: String,
    pub step: u32,
    /// Prefixed.
    pub table: String,
    pub verdict: Verdict,
    pub size: Option<Size>,
    pub estimated_seconds: Option<f64>,
}

/// The cost of each ALTER of the migrations `versions`, in Mautic's order, judged on `live`
/// (statements on tables the path creates, and whole-table statements, have none).
pub fn of_migrations<'a>(
    versions: impl IntoIterator<Item = &'a str>,
    effects: &BTreeMap<String, Vec<Effect>>,
    prefix: &str,
    live: &Schema,
    server: &ServerInfo,
    sizes: Option<&BTreeMap<String, Size>>,
) -> Vec<StatementCost> {
    let mut out = Vec::new();
    for version in versions {
        let list = effects.get(version).map(Vec::as_slice).unwrap_or(&[]);
        for statement in list.chunk_by(|a, b| a.step == b.step) {
            let name = format!("{prefix}{}", statement[0].table);
            let Some(table) = live.table(&name) else {
                continue;
            };
            let clauses: Vec<_> = statement
                .iter()
                .filter(|e| e.table == statement[0].table)
                .filter_map(|e| clause_of(e, prefix, table, table, server))
                .collect();
            let Some(verdict) = statement_verdict(&clauses, Some(table), server) else {
                continue;
            };
            let size = sizes.and_then(|s| s.get(&name)).copied();
            out.push(StatementCost {
                migration: format!("Version{version}"),
                step: statement[0].step,
                table: name,
                estimated_seconds: crate::plan::algorithm::estimate_seconds(&verdict, size),
                verdict,
                size,
            });
        }
    }
    out
}

/// "about 35 s over 12 statement(s); 3 copy their table (largest: lead_event_log)".
pub fn summary(costs: &[StatementCost]) -> String {
    let seconds: f64 = costs.iter().filter_map(|c| c.estimated_seconds).sum();
    let copies: Vec<&StatementCost> = costs
        .iter()
        .filter(|c| c.verdict.algorithm == Algorithm::Copy)
        .collect();
    let largest = copies
        .iter()
        .filter_map(|c| c.size.map(|s| (s.bytes, &c.table)))
        .max()
        .map(|(_, table)| table);
    let mut text = format!(
        "about {:.0} s over {} statement(s); {} copy their table",
        seconds.ceil(),
        costs.len(),
        copies.len()
    );
    if let Some(table) = largest {
        text.push_str(&format!(" (largest: {table})"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mautic::effects::EffectOp;

    /// Mautic's MODIFY of a 4.x `json_array` LONGTEXT to JSON copies the table on MariaDB
    /// (the json_valid check validates every row), and its time follows the table's bytes.
    #[test]
    fn modify_to_json_copies_and_grows_with_the_table() {
        let server = ServerInfo::parse("10.11.19-MariaDB");
        let mut live = crate::sql::parse_schema_sql(
            "CREATE TABLE lead_event_log (id INT NOT NULL, properties LONGTEXT DEFAULT NULL \
             COMMENT '(DC2Type:json_array)', PRIMARY KEY (id)) DEFAULT CHARSET=utf8mb4;",
            &|_| false,
        )
        .schema;
        crate::dialect::normalize_schema(&mut live, &server);
        let e = Effect {
            version: "020230615115326".into(),
            step: 9,
            op: EffectOp::ModifyColumn,
            table: "lead_event_log".into(),
            object: "properties".into(),
            definition: "`properties` JSON DEFAULT NULL COMMENT '(DC2Type:json)'".into(),
            sql: String::new(),
        };
        let effects = BTreeMap::from([(e.version.clone(), vec![e])]);
        let cost = |bytes: u64| {
            let sizes = BTreeMap::from([("lead_event_log".to_string(), Size { rows: 1, bytes })]);
            of_migrations(
                ["020230615115326"],
                &effects,
                "",
                &live,
                &server,
                Some(&sizes),
            )
        };
        let small = cost(1 << 20);
        assert_eq!(small.len(), 1);
        assert_eq!(small[0].verdict.algorithm, Algorithm::Copy);
        let large = cost(1 << 30);
        assert!(large[0].estimated_seconds.unwrap() > 100.0 * small[0].estimated_seconds.unwrap());
        assert!(
            summary(&large).contains("1 copy their table"),
            "{}",
            summary(&large)
        );
    }
}
