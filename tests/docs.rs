//! The documentation says what the code does (offline): every change kind the JSON can carry
//! is listed, and every page the README's table links to exists.

use std::path::Path;

use mautic_schema::diff::ChangeKind;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn every_change_kind_is_documented() {
    let json = read("docs/json.md");
    let row = json
        .lines()
        .find(|l| l.starts_with("| `changes[].kind`"))
        .expect("docs/json.md has a changes[].kind row");
    let missing: Vec<&str> = ChangeKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !row.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/json.md: {missing:?}");
    // And nothing listed that the code does not produce.
    let listed = row
        .split('`')
        .skip(3)
        .step_by(2)
        .filter(|w| w.contains('_'));
    let known: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
    let unknown: Vec<&str> = listed.filter(|w| !known.contains(w)).collect();
    assert!(unknown.is_empty(), "listed but not produced: {unknown:?}");
}

#[test]
fn the_readme_links_to_pages_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read("README.md");
    let mut links = 0;
    for part in readme.split("](").skip(1) {
        let target = &part[..part.find(')').unwrap()];
        if target.starts_with("http") {
            continue;
        }
        let file = target.split('#').next().unwrap();
        assert!(root.join(file).exists(), "README links to missing {target}");
        links += 1;
    }
    assert!(
        links >= 8,
        "the README's documentation table lost its links"
    );
}

#[test]
fn one_exit_code_table() {
    let tables = [
        "README.md",
        "docs/json.md",
        "docs/reading-the-output.md",
        "docs/usage.md",
    ]
    .iter()
    .filter(|p| read(p).contains("| code |"))
    .count();
    assert_eq!(tables, 1, "the exit codes are tabled in one place (README)");
}

#[test]
fn every_page_of_the_guide_is_an_explain_topic() {
    use mautic_schema::commands::explain::TOPICS;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut pages = Vec::new();
    for dir in [root.clone(), root.join("errors")] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") && !p.ends_with("README.md") {
                pages.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let missing = pages
        .iter()
        .filter(|text| !TOPICS.iter().any(|(_, page)| page == text))
        .map(|text| text.lines().next().unwrap_or_default().to_string())
        .collect::<Vec<_>>();
    assert!(
        missing.is_empty(),
        "pages `explain` cannot print: {missing:?}"
    );
}

#[test]
fn every_refusal_has_an_explain_page_and_a_documented_name() {
    use mautic_schema::commands::explain::TOPICS;
    use mautic_schema::error::RefusalKind;
    let json = read("docs/json.md");
    for k in RefusalKind::ALL {
        assert!(
            TOPICS.iter().any(|(t, _)| *t == k.topic()),
            "{k:?}: no explain page {}",
            k.topic()
        );
        assert!(
            json.contains(&format!("`{}`", k.as_str())),
            "{k:?}: docs/json.md does not name {}",
            k.as_str()
        );
    }
}
