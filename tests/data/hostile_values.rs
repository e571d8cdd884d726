//! The corpus of hostile values (`hostile_values.json` beside this file): what an attacker who
//! writes `local.php`, or names tables and databases, may hand to the programs the tool runs.
//! Read by the unit tests of `src/external` and by `tests/hostile_values.rs` (both include this
//! file with `#[path]`).
//!
//! Each entry has a `name`, a `what` (why it is hostile) and its value: `text` (repeated
//! `repeat` times, then `then` appended) or `hex` for bytes that are not UTF-8 (paths only).
//! `{dir}` in a value stands for a folder the test watches: an injected option would write
//! there.

#![allow(dead_code)]

pub struct Hostile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Hostile {
    /// The value as text, when it is UTF-8 (everything but paths).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

/// Every value, `{dir}` left as it is.
pub fn values() -> Vec<Hostile> {
    values_in("{dir}")
}

/// Every value, `{dir}` replaced by `dir`.
pub fn values_in(dir: &str) -> Vec<Hostile> {
    let raw: Vec<serde_json::Value> = serde_json::from_str(include_str!("hostile_values.json"))
        .expect("hostile_values.json parses");
    raw.iter()
        .map(|v| {
            let name = v["name"]
                .as_str()
                .expect("each value has a name")
                .to_string();
            let bytes = match v["hex"].as_str() {
                Some(h) => (0..h.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                    .collect(),
                None => {
                    let text = v["text"].as_str().expect("text or hex");
                    let n = v["repeat"].as_u64().unwrap_or(1) as usize;
                    let mut s = text.repeat(n);
                    s.push_str(v["then"].as_str().unwrap_or(""));
                    s.replace("{dir}", dir).into_bytes()
                }
            };
            Hostile { name, bytes }
        })
        .collect()
}
