//! One redaction pass over a finished Markdown text: known values (host, user, database name,
//! site URL, install folder, password) and every e-mail address are replaced by placeholders
//! such as `<database>`. Outside code fences the placeholder's angle brackets are escaped so it
//! shows as written instead of vanishing as an HTML tag.

/// A value to hide and what to show instead (`database` → `<database>`).
#[derive(Debug, Clone)]
pub struct Secret {
    pub value: String,
    pub label: &'static str,
}

/// Replace every secret (whole words only, longest first so a URL goes before its host) and,
/// with `emails`, every e-mail address in `text`.
pub fn redact(text: &str, secrets: &[Secret], emails: bool) -> String {
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
            l = replace_words(&l, &s.value, &format!("{open}{}{close}", s.label));
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

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `from` replaced where it is not part of a longer word (`root` in `rooted` stays).
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        let edge = |c: Option<char>, inner: Option<char>| {
            // A value that itself starts or ends with punctuation (a path, a URL) needs no edge.
            c.is_none_or(|c| !word_char(c)) || inner.is_some_and(|c| !word_char(c))
        };
        out.push_str(&rest[..i]);
        if edge(before, from.chars().next()) && edge(after, from.chars().next_back()) {
            out.push_str(to);
        } else {
            out.push_str(from);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

fn local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// Every `local@domain.tld` replaced by `to`.
fn replace_emails(text: &str, to: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > 0 && local_char(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && domain_char(chars[end]) {
                end += 1;
            }
            // A trailing dot ends the sentence, not the domain.
            while end > i + 1 && chars[end - 1] == '.' {
                end -= 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            if start < i && domain.contains('.') && !domain.starts_with('.') {
                out.extend(&chars[copied..start]);
                out.push_str(to);
                copied = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: &str, label: &'static str) -> Secret {
        Secret {
            value: value.into(),
            label,
        }
    }

    #[test]
    fn emails_words_and_fences() {
        let secrets = [s("root", "user"), s("https://m.example/x", "site-url")];
        let text = "root wrote to a.b+c@ex-ample.org. rooted\n```sql\n-- root: see https://m.example/x\n```\n";
        assert_eq!(
            redact(text, &secrets, true),
            "\\<user\\> wrote to \\<e-mail\\>. rooted\n```sql\n-- <user>: see <site-url>\n```\n"
        );
        assert_eq!(
            redact("user@localhost and @x.y", &[], true),
            "user@localhost and @x.y"
        );
    }
}
