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
