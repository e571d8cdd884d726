//! One redaction pass over a finished Markdown text: known values (host, user, database name,
//! site URL and host, install folder, password) and every e-mail address or fragment of one are
//! replaced by placeholders such as `<database>`. Outside code fences the placeholder's angle
//! brackets are escaped so it shows as written instead of vanishing as an HTML tag.
//!
//! How a value is found depends on what it is ([`Kind`]): a name is hidden also inside a longer
//! name (`acme` in `acme_prod`, `acme2`) but not inside a longer word (`root` in `rooted`), and
//! not where it is part of a name Mautic or this tool gives everyone (`mautic` in
//! `mautic-schema`, a database called `leads` in the table `leads`): those say nothing about
//! the install. A host is found in any letter case, bare, with a port or in a URL of any scheme.

use std::collections::BTreeSet;

/// How a value is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A user, database or password: case as written; not inside a longer word; kept inside a
    /// public name.
    Name,
    /// A host name or address: any letter case; not inside a longer host name.
    Host,
    /// A path or URL: anywhere it occurs as written.
    Text,
}

/// A value to hide, what to show instead (`database` → `<database>`) and how to find it.
#[derive(Debug, Clone)]
pub struct Secret {
    pub value: String,
    pub label: &'static str,
    pub kind: Kind,
}

/// Names this tool writes whatever the install: never hidden.
const TOOL_WORDS: &[&str] = &[
    "mautic-schema",
    "mautic_schema_journal",
    "mautic_schema_backups",
];

/// Replace every secret (longest first, so a URL goes before its host) and, with `emails`,
/// every e-mail address or fragment in `text`. `public` lists names that say nothing about the
/// install (Mautic's own tables, columns, indexes, the prefix): a name-kind secret inside one
/// of them is left alone.
pub fn redact(text: &str, secrets: &[Secret], emails: bool, public: &BTreeSet<String>) -> String {
    let mut secrets: Vec<&Secret> = secrets.iter().filter(|s| s.value.len() >= 2).collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.value.len()));
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let fence_line = line.trim_start().starts_with("```");
        let (open, close) = if in_fence && !fence_line {
            ("<", ">")
        } else {
            ("\\<", "\\>")
        };
        let mut l = line.to_string();
        for s in &secrets {
            l = replace(&l, s, &format!("{open}{}{close}", s.label), public);
        }
        if emails {
            l = replace_emails(&l, &format!("{open}e-mail{close}"));
        }
        out.push_str(&l);
        if fence_line {
            in_fence = !in_fence;
        }
    }
    out
}

/// `text` with each occurrence of `s` that counts (see [`Kind`]) replaced by `to`.
fn replace(text: &str, s: &Secret, to: &str, public: &BTreeSet<String>) -> String {
    let (hay, needle) = match s.kind {
        // ASCII lower case keeps every byte offset.
        Kind::Host => (text.to_ascii_lowercase(), s.value.to_ascii_lowercase()),
        _ => (text.to_string(), s.value.clone()),
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = hay[from..].find(&needle) {
        let (start, end) = (from + found, from + found + needle.len());
        if counts(text, start, end, s.kind, public) {
            out.push_str(&text[copied..start]);
            out.push_str(to);
            copied = end;
            from = end;
        } else {
            // Not this one: an occurrence may still start inside it.
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether the occurrence `text[start..end]` is the secret rather than part of something else.
fn counts(text: &str, start: usize, end: usize, kind: Kind, public: &BTreeSet<String>) -> bool {
    let value = &text[start..end];
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    // Whether `c` next to the value's edge `inner` would make one longer word or name.
    let joins = |c: Option<char>, inner: Option<char>| -> bool {
        let (Some(c), Some(inner)) = (c, inner) else {
            return false;
        };
        match kind {
            Kind::Text => false,
            Kind::Name => inner.is_alphabetic() && c.is_alphabetic(),
            Kind::Host => inner.is_alphanumeric() && (c.is_alphanumeric() || "-_".contains(c)),
        }
    };
    if joins(before, value.chars().next()) || joins(after, value.chars().next_back()) {
        return false;
    }
    kind != Kind::Name || !public.contains(token(text, start, end))
}

/// The name around `text[start..end]`: the longest run of letters, digits, `_`, `-` and `$`.
fn token(text: &str, start: usize, end: usize) -> &str {
    let part = |c: char| c.is_alphanumeric() || "_-$".contains(c);
    let left = text[..start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(start, |(i, _)| i);
    let right = text[end..]
        .char_indices()
        .find(|(_, c)| !part(*c))
        .map_or(text.len(), |(i, _)| end + i);
    &text[left..right]
}

/// The public names of a report: the tool's own, and those given.
pub fn public_names(names: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = names.into_iter().collect();
    set.extend(TOOL_WORDS.iter().map(|w| w.to_string()));
    set
}

fn local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// Every e-mail address replaced by `to`, and every fragment of one: `bob@corp` (no dot),
/// `alice.smith@` (cut before the domain), `@corp.example` (cut before the @), and the same
/// with `%40` for the @. Left alone: `user@localhost` (a MySQL account), `@@global.x` and
/// `@var` (SQL variables).
fn replace_emails(text: &str, to: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        let at_len = match chars[i] {
            '@' => 1,
            '%' if chars.get(i + 1) == Some(&'4') && chars.get(i + 2) == Some(&'0') => 3,
            _ => 0,
        };
        if at_len == 0 || chars.get(i + at_len) == Some(&'@') || (i > 0 && chars[i - 1] == '@') {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > copied && local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + at_len;
        while end < chars.len() && domain_char(chars[end]) {
            end += 1;
        }
        // A trailing dot ends the sentence, not the domain.
        while end > i + at_len && chars[end - 1] == '.' {
            end -= 1;
        }
        let local: String = chars[start..i].iter().collect();
        let domain: String = chars[i + at_len..end].iter().collect();
        if is_email(&local, &domain, chars.get(end).copied()) {
            out.extend(&chars[copied..start]);
            out.push_str(to);
            copied = end;
            i = end;
        } else {
            i += at_len;
        }
    }
    out.extend(&chars[copied..]);
    out
}

/// Whether `local@domain` (either may be empty: a fragment) followed by `next` is an address
/// or part of one.
fn is_email(local: &str, domain: &str, next: Option<char>) -> bool {
    let local = local.trim_start_matches(['%', '+', '-', '.']);
    // A MySQL account's host, not a mail domain.
    if domain == "localhost"
        || (!domain.is_empty() && domain.chars().all(|c| c.is_ascii_digit() || c == '.'))
    {
        return false;
    }
    match (local.is_empty(), domain.is_empty()) {
        (true, true) => false,
        // `@corp.example`: a domain with a top level of two letters or more.
        (true, false) => domain.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(char::is_alphabetic)
        }),
        // `alice.smith@`: cut right after the @ (`user@%`, `user@'host'` are accounts).
        (false, true) => !next.is_some_and(|c| "%'\"`".contains(c)),
        (false, false) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: &str, label: &'static str, kind: Kind) -> Secret {
        Secret {
            value: value.into(),
            label,
            kind,
        }
    }

    fn none() -> BTreeSet<String> {
        public_names([])
    }

    #[test]
    fn emails_words_and_fences() {
        let secrets = [
            s("root", "user", Kind::Name),
            s("https://m.example/x", "site-url", Kind::Text),
        ];
        let text = "root wrote to a.b+c@ex-ample.org. rooted\n```sql\n-- root: see https://m.example/x\n```\n";
        assert_eq!(
            redact(text, &secrets, true, &none()),
            "\\<user\\> wrote to \\<e-mail\\>. rooted\n```sql\n-- <user>: see <site-url>\n```\n"
        );
    }

    /// Fragments are hidden: no dot, cut before the domain, cut before the @, %40; accounts
    /// and SQL variables are not addresses.
    #[test]
    fn email_fragments() {
        let r = |t: &str| redact(t, &[], true, &none());
        assert_eq!(r("ask bob@corp now"), "ask \\<e-mail\\> now");
        assert_eq!(r("value 'alice.smith@…'"), "value '\\<e-mail\\>…'");
        assert_eq!(r("domain @corp.example."), "domain \\<e-mail\\>.");
        assert_eq!(r("mailto:bob%40corp.example"), "mailto:\\<e-mail\\>");
        for kept in [
            "user@localhost",
            "root@127.0.0.1",
            "SELECT @@global.sql_mode, @x",
            "@x.y",
            "a @ b",
            "GRANT ALL TO mautic@% and 'mautic'@'%'",
        ] {
            assert_eq!(r(kept), kept);
        }
    }

    /// The site's host without a scheme, under http:// and in any case; a host inside a longer
    /// host name or a parameter name is not it.
    #[test]
    fn hosts_in_any_form() {
        let secrets = [
            s("https://shop.acme.example", "site-url", Kind::Text),
            s("shop.acme.example", "site-host", Kind::Host),
            s("db", "host", Kind::Host),
        ];
        let r = |t: &str| redact(t, &secrets, false, &none());
        assert_eq!(
            r("see https://shop.acme.example/a, http://shop.acme.example/b, Shop.Acme.Example"),
            "see \\<site-url\\>/a, http://\\<site-host\\>/b, \\<site-host\\>"
        );
        assert_eq!(
            r("on db:3306 (db_host_ro; mydb; db-2)"),
            "on \\<host\\>:3306 (db_host_ro; mydb; db-2)"
        );
    }

    /// Names inside longer names are hidden, ordinary words and Mautic's own names are not.
    #[test]
    fn names_inside_names_but_not_inside_words_or_public_names() {
        let secrets = [
            s("acme", "database", Kind::Name),
            s("mautic", "user", Kind::Name),
            s("leads", "database", Kind::Name),
        ];
        let public = public_names(["leads".to_string(), "mautic_leads".to_string()]);
        let r = |t: &str| redact(t, &secrets, false, &public);
        assert_eq!(
            r("acme_prod acme2 x_acme acmeish Acme"),
            "\\<database\\>_prod \\<database\\>2 x_\\<database\\> acmeish Acme"
        );
        assert_eq!(
            r(
                "# mautic-schema report: Mautic 5.1.1, table mautic_leads, journal mautic_schema_journal"
            ),
            "# mautic-schema report: Mautic 5.1.1, table mautic_leads, journal mautic_schema_journal"
        );
        assert_eq!(
            r("database `mautic` as mautic@x; table leads; leadsx"),
            "database `\\<user\\>` as \\<user\\>@x; table leads; leadsx"
        );
    }
}
