//! The JSON contract: `target`, `in_sync`, `changes` (each with `table`, `kind`, `object`,
//! `destructive`, `severity`, `detail`, `sql`), plus what the Mautic layer adds.

use serde_json::{Value, json};

use super::{Report, change_sql};

pub fn render_json(r: &Report) -> String {
    let changes: Vec<Value> = r
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "table": c.table,
                "kind": c.kind.as_str(),
                "object": c.object,
                "severity": c.severity,
                "destructive": c.destructive,
                "held_back": r.plan.skipped.contains(&i),
                "detail": c.detail,
                "sql": if c.has_fix() { change_sql(c, &r.server) } else { None },
            })
        })
        .collect();
    let mut obj = serde_json::Map::new();
    obj.insert("source".into(), json!(r.source));
    obj.insert("target".into(), json!(r.target));
    obj.insert("in_sync".into(), json!(r.in_sync()));
    obj.insert(
        "server".into(),
        json!({"flavor": r.server.flavor, "version": r.server.version_string}),
    );
    obj.insert("changes".into(), Value::Array(changes));
    // Each planned ALTER: its statement, the algorithm the server will pick, whether writes
    // wait, and the size it was estimated from (null when unknown).
    let announced = super::announce(r);
    let plan: Vec<Value> = r
        .plan
        .steps
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let a = announced.iter().find(|a| a.step == n + 1);
            json!({
                "table": s.table,
                "phase": s.phase,
                "sql": s.sql,
                "algorithm": a.map(|a| a.algorithm),
                "lock": a.map(|a| a.lock),
                "blocks_writes": a.map(|a| a.blocks_writes),
                "why": a.map(|a| &a.why),
                "rows": a.and_then(|a| a.rows),
                "bytes": a.and_then(|a| a.bytes),
                "estimated_seconds": a.and_then(|a| a.estimated_seconds),
                "split_from_copy": a.is_some_and(|a| a.split_from_copy),
            })
        })
        .collect();
    obj.insert("plan".into(), Value::Array(plan));
    obj.insert("foreign_tables".into(), json!(r.foreign_tables));
    let installs: Vec<Value> = r
        .other_installs
        .iter()
        .map(|(prefix, tables)| json!({"prefix": prefix, "tables": tables.len()}))
        .collect();
    obj.insert("other_installs".into(), Value::Array(installs));
    obj.insert("notes".into(), json!(r.notes));
    for (k, v) in &r.extra_json {
        obj.insert(k.clone(), v.clone());
    }
    let mut s = serde_json::to_string_pretty(&Value::Object(obj)).expect("JSON of plain data");
    s.push('\n');
    s
}
