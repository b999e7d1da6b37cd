//! Reading and writing one claim fragment file as a whole: front matter in a
//! fixed key order and flow style, then the Markdown body. Ingest writes
//! fragments with [`Fragment::to_file_string`], tagging re-writes only the tag
//! lists of a parsed fragment, and the build reads them with [`parse`].
//!
//! Writing is deterministic (same fragment, same bytes), which is what makes
//! re-ingesting and re-tagging idempotent.

use std::fmt::Write as _;

use crate::content::frontmatter;
use crate::content::schema::{RawClaim, TagSet};
use crate::content::taxonomy::Table;

/// A parsed fragment file: its front matter and its body as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub meta: RawClaim,
    /// The Markdown body, without the leading newline after the fence and
    /// without trailing whitespace.
    pub body: String,
}

/// Why a fragment file could not be read. `line` is a file line (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
    /// What to do about it, where the reader knows better than the caller.
    pub help: Option<String>,
}

/// Parses a fragment file's text into its front matter and body; `table`
/// says which taxonomy keys a claim may carry.
pub fn parse(text: &str, table: &Table) -> Result<Fragment, ParseError> {
    let split = frontmatter::split(text).map_err(|e| ParseError {
        line: match e {
            frontmatter::SplitError::Unclosed { line } => line,
            frontmatter::SplitError::NoOpeningFence => 1,
        },
        message: e.to_string(),
        help: None,
    })?;
    let meta: RawClaim = if split.yaml.trim().is_empty() {
        RawClaim::default()
    } else if let Some(meta) = fast::parse(split.yaml, table) {
        meta
    } else {
        general::parse(split.yaml, split.yaml_line, table)?
    };
    Ok(Fragment {
        meta,
        body: normalise_body(split.body),
    })
}

/// serde_yaml's message without its trailing " at line N column M", which the
/// diagnostic states in its own form.
pub fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// The line (from 1, within the YAML text) a syntax error is best reported
/// at: where the unfinished construct opened ("while parsing a flow
/// sequence at line 3") rather than where the parser gave up, which is
/// often the next key's line.
pub fn yaml_line(e: &serde_yaml::Error) -> Option<usize> {
    let msg = e.to_string();
    let opened = msg
        .split_once(", while parsing ")
        .and_then(|(_, rest)| rest.rsplit_once(" at line "))
        .and_then(|(_, at)| at.split(' ').next()?.parse().ok());
    opened.or_else(|| e.location().map(|l| l.line()))
}

/// The body as stored: line ends normalised to `\n`, no leading blank lines,
/// no trailing whitespace.
pub fn normalise_body(body: &str) -> String {
    body.replace("\r\n", "\n")
        .trim_start_matches('\n')
        .trim_end()
        .to_string()
}

/// A stable 64-bit FNV-1a hash, identical on every platform and release.
/// Used for claim ids and for detecting hand edits of a body.
pub fn stable_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash ingest stores in `ingest_hash` for a body.
pub fn body_hash(body: &str) -> String {
    format!("{:016x}", stable_hash(&normalise_body(body)))
}

impl Fragment {
    /// True when a person has taken this fragment over: it is marked
    /// `reviewed: true`, or its body no longer matches the hash ingest wrote.
    pub fn is_hand_edited(&self) -> bool {
        self.meta.reviewed == Some(true)
            || self
                .meta
                .ingest_hash
                .as_deref()
                .is_some_and(|h| h != body_hash(&self.body))
    }

    /// The tags the fragment carries now.
    pub fn tags(&self) -> &TagSet {
        &self.meta.tags
    }

    /// Replaces the tag lists, leaving text, id and everything else as is.
    pub fn set_tags(&mut self, tags: TagSet) {
        self.meta.tags = tags;
    }

    /// The whole file: front matter in contract order, then the body.
    pub fn to_file_string(&self) -> String {
        let m = &self.meta;
        let mut out = String::with_capacity(self.body.len() + 256);
        out.push_str("---\n");
        scalar(&mut out, "id", m.id.as_deref());
        scalar(&mut out, "brief", m.brief.as_deref());
        if let Some(order) = m.order {
            let _ = writeln!(out, "order: {order}");
        }
        scalar(&mut out, "chapter", m.chapter.as_deref());
        if let Some(section) = &m.section {
            list(&mut out, "section", section);
        }
        if let Some(p) = m.paragraph {
            let _ = writeln!(out, "paragraph: {p}");
        }
        scalar(&mut out, "kind", m.kind.as_deref());
        for (key, v) in m.tags.iter() {
            list(&mut out, key, v);
        }
        if let Some(v) = &m.cites {
            list(&mut out, "cites", v);
        }
        if !m.see_also.is_empty() {
            list(&mut out, "see_also", &m.see_also);
        }
        if let Some(r) = m.reviewed {
            let _ = writeln!(out, "reviewed: {r}");
        }
        if let Some(t) = &m.machine_tags {
            out.push_str("machine_tags:\n");
            for (key, v) in t.iter() {
                out.push_str("  ");
                list(&mut out, key, v);
            }
        }
        scalar(&mut out, "ingest_hash", m.ingest_hash.as_deref());
        out.push_str("---\n");
        out.push_str(&self.body);
        out.push('\n');
        out
    }
}

fn scalar(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{key}: {}", yaml_str(v));
    }
}

fn list(out: &mut String, key: &str, items: &[String]) {
    let _ = write!(out, "{key}: [");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&yaml_str(item));
    }
    out.push_str("]\n");
}

/// A YAML scalar for `s`: bare when it is a plain slug that YAML reads back
/// as the same string, double-quoted (JSON escaping, valid YAML) otherwise.
fn yaml_str(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string always serialises to JSON")
    }
}

/// A reader for exactly the front matter [`Fragment::to_file_string`]
/// writes (one `key: value` a line, flow lists, JSON-quoted strings, bare
/// slugs, integers, the `machine_tags` block). Building a site spends most
/// of its parsing time in the general YAML parser; on this subset the
/// meaning is unambiguous, so it is read directly. Anything outside the
/// subset (comments, block lists, unknown or repeated keys, odd scalars)
/// returns `None` and goes to serde_yaml, which also words every error.
mod fast {
    use crate::content::schema::{RawClaim, TagSet};
    use crate::content::taxonomy::{Table, CLAIM_KEYS};

    pub fn parse(yaml: &str, table: &Table) -> Option<RawClaim> {
        let mut m = RawClaim::default();
        let mut seen = 0u32;
        let mut lines = yaml.lines().peekable();
        while let Some(line) = lines.next() {
            let (key, value) = line
                .split_once(": ")
                .or_else(|| line.strip_suffix(':').map(|k| (k, "")))?;
            if let Some(k) = CLAIM_KEYS.iter().position(|k| *k == key) {
                let bit = 1u32 << k;
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
            } else if table.position(key).is_some() {
                if m.tags.has(key) {
                    return None;
                }
                m.tags.set(key, list(value)?);
                continue;
            } else {
                return None;
            }
            match key {
                "id" => m.id = Some(string(value)?),
                "brief" => m.brief = Some(string(value)?),
                "chapter" => m.chapter = Some(string(value)?),
                "kind" => m.kind = Some(string(value)?),
                "ingest_hash" => m.ingest_hash = Some(string(value)?),
                "order" => m.order = Some(integer(value)?),
                "paragraph" => m.paragraph = Some(integer(value)?),
                "reviewed" => {
                    m.reviewed = Some(match value {
                        "true" => true,
                        "false" => false,
                        _ => return None,
                    })
                }
                "section" => m.section = Some(list(value)?),
                "cites" => m.cites = Some(list(value)?),
                "see_also" => m.see_also = list(value)?,
                "machine_tags" if value.is_empty() => {
                    let mut tags = TagSet::default();
                    while let Some(line) = lines.next_if(|l| l.starts_with("  ")) {
                        let (name, rest) = line[2..].split_once(": ")?;
                        if !plain(name) || tags.has(name) {
                            return None;
                        }
                        tags.set(name, list(rest)?);
                    }
                    m.machine_tags = Some(tags);
                }
                _ => return None,
            }
        }
        Some(m)
    }

    fn integer(v: &str) -> Option<i64> {
        let digits = v.strip_prefix('-').unwrap_or(v);
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // YAML reads a leading zero as octal-ish in some schemas: leave it
        // to the real parser.
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        v.parse().ok()
    }

    /// A bare slug that YAML reads as the same string, or a JSON string.
    fn string(v: &str) -> Option<String> {
        if v.starts_with('"') {
            let (s, rest) = quoted(v)?;
            return rest.is_empty().then_some(s);
        }
        plain(v).then(|| v.to_string())
    }

    fn plain(v: &str) -> bool {
        v.starts_with(|c: char| c.is_ascii_lowercase())
            && v.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !matches!(
                v,
                "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
            )
    }

    /// A leading JSON string literal and what follows it.
    fn quoted(v: &str) -> Option<(String, &str)> {
        let bytes = v.as_bytes();
        let mut i = 1;
        let mut escaped = false;
        while i < bytes.len() {
            match bytes[i] {
                // YAML double-quoted escapes beyond JSON's (\x, \e, ...)
                // never come from the writer: JSON's set only.
                _ if escaped => {
                    if !matches!(
                        bytes[i],
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' | b'u'
                    ) {
                        return None;
                    }
                    escaped = false;
                }
                b'\\' => escaped = true,
                b'"' => {
                    let s: String = serde_json::from_str(&v[..=i]).ok()?;
                    return Some((s, &v[i + 1..]));
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn list(v: &str) -> Option<Vec<String>> {
        let mut rest = v.strip_prefix('[')?.strip_suffix(']')?;
        let mut out = Vec::new();
        if rest.is_empty() {
            return Some(out);
        }
        loop {
            let (item, after) = if rest.starts_with('"') {
                quoted(rest)?
            } else {
                let end = rest.find([',', '"']).unwrap_or(rest.len());
                let item = &rest[..end];
                if !plain(item) {
                    return None;
                }
                (item.to_string(), &rest[end..])
            };
            out.push(item);
            if after.is_empty() {
                return Some(out);
            }
            rest = after.strip_prefix(", ")?;
        }
    }
}

/// The reader for any other front matter: the YAML mapping, then each key
/// by name. A key that is neither a claim key nor a taxonomy of the site is
/// an error naming the key's line, as is a value of the wrong type.
mod general {
    use serde::de::DeserializeOwned;
    use serde_yaml::{Mapping, Value};

    use super::{yaml_message, ParseError};
    use crate::content::frontmatter;
    use crate::content::schema::{RawClaim, TagSet};
    use crate::content::taxonomy::Table;
    use crate::diag::closest;

    pub fn parse(yaml: &str, yaml_line: usize, table: &Table) -> Result<RawClaim, ParseError> {
        let map: Mapping = serde_yaml::from_str(yaml).map_err(|e| ParseError {
            line: yaml_line + super::yaml_line(&e).map_or(0, |l| l.saturating_sub(1)),
            message: yaml_message(&e),
            help: None,
        })?;
        let line_of = |key: &str| frontmatter::key_line(yaml, yaml_line, key).unwrap_or(yaml_line);
        let mut m = RawClaim::default();
        for (k, v) in map {
            let key = match &k {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            let at = line_of(&key);
            match key.as_str() {
                "id" => m.id = typed(&key, v, at)?,
                "brief" => m.brief = typed(&key, v, at)?,
                "order" => m.order = typed(&key, v, at)?,
                "chapter" => m.chapter = typed(&key, v, at)?,
                "section" => m.section = typed(&key, v, at)?,
                "paragraph" => m.paragraph = typed(&key, v, at)?,
                "kind" => m.kind = typed(&key, v, at)?,
                "cites" => m.cites = typed(&key, v, at)?,
                "see_also" => {
                    m.see_also = typed::<Option<Vec<String>>>(&key, v, at)?.unwrap_or_default()
                }
                "reviewed" => m.reviewed = typed(&key, v, at)?,
                "ingest_hash" => m.ingest_hash = typed(&key, v, at)?,
                "machine_tags" => {
                    let map: Option<Mapping> = typed(&key, v, at)?;
                    m.machine_tags = match map {
                        None => None,
                        Some(map) => {
                            let mut tags = TagSet::default();
                            for (k, v) in map {
                                let name = k.as_str().unwrap_or_default().to_string();
                                let list: Option<Vec<String>> =
                                    typed(&format!("machine_tags.{name}"), v, at)?;
                                tags.set(&name, list.unwrap_or_default());
                            }
                            Some(tags)
                        }
                    };
                }
                _ if table.position(&key).is_some() => {
                    // A key with no value (`countries:`) is a missing list.
                    if let Some(list) = typed::<Option<Vec<String>>>(&key, v, at)? {
                        m.tags.set(&key, list);
                    }
                }
                _ => {
                    let keys = table.claim_keys();
                    // A singular for a plural key (`country`) is the
                    // likeliest slip; otherwise the nearest key.
                    let plural = key
                        .strip_suffix('y')
                        .map_or_else(|| format!("{key}s"), |stem| format!("{stem}ies"));
                    let hint = keys
                        .iter()
                        .copied()
                        .find(|k| *k == plural)
                        .or_else(|| closest(&key, keys.iter().copied()))
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    return Err(ParseError {
                        line: at,
                        message: format!("unknown field `{key}`"),
                        help: Some(format!(
                            "{hint}remove or rename the key; a claim's keys are {}",
                            keys.join(", ")
                        )),
                    });
                }
            }
        }
        Ok(m)
    }

    /// The value of `key` as a `T`, or an error at the key's line.
    fn typed<T: DeserializeOwned>(key: &str, v: Value, line: usize) -> Result<T, ParseError> {
        serde_yaml::from_value(v).map_err(|e| ParseError {
            line,
            message: format!("{key}: {}", yaml_message(&e)),
            help: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::defaults()
    }

    fn tags(lists: &[(&str, &[&str])]) -> TagSet {
        let mut t = TagSet::default();
        for (name, ids) in lists {
            t.set(name, ids.iter().map(|s| s.to_string()).collect());
        }
        t
    }

    fn sample() -> Fragment {
        Fragment {
            meta: RawClaim {
                id: Some("rand-2023-parker-0142".into()),
                brief: Some("rand-2023-parker".into()),
                order: Some(142),
                section: Some(vec!["International: \"Landscape\"".into()]),
                kind: Some("claim".into()),
                tags: tags(&[
                    ("countries", &["china"]),
                    ("technologies", &["quantum-communication"]),
                    ("policies", &[]),
                ]),
                cites: Some(vec!["29".into(), "ch4-3".into()]),
                machine_tags: Some(tags(&[
                    ("countries", &["china"]),
                    ("technologies", &[]),
                    ("policies", &[]),
                ])),
                ingest_hash: Some(body_hash("In quantum communications, China leads.")),
                ..RawClaim::default()
            },
            body: "In quantum communications, China leads.".into(),
        }
    }

    /// The general reader's result, for comparison with the fast one.
    fn slow(yaml: &str) -> RawClaim {
        general::parse(yaml, 2, &table()).unwrap()
    }

    #[test]
    fn writes_contract_order_and_reads_back() {
        let f = sample();
        let text = f.to_file_string();
        assert!(text
            .starts_with("---\nid: rand-2023-parker-0142\nbrief: rand-2023-parker\norder: 142\n"));
        assert!(text.contains("kind: claim\ncountries: [china]\ntechnologies: [quantum-communication]\npolicies: []\ncites: [\"29\", ch4-3]\n"));
        assert!(text.contains("section: [\"International: \\\"Landscape\\\"\"]\n"));
        assert!(text
            .contains("machine_tags:\n  countries: [china]\n  technologies: []\n  policies: []\n"));
        let back = parse(&text, &table()).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.to_file_string(), text);
    }

    #[test]
    fn any_declared_taxonomy_is_a_key() {
        let mut t = table();
        t.taxonomies
            .push(crate::content::taxonomy::TaxonomyDef::new(
                "organisations",
                "Organisations",
                "Organisation",
            ));
        let text =
            "---\nid: a\norganisations: [bis]\nmachine_tags:\n  organisations: [bis]\n---\nBody.\n";
        let f = parse(text, &t).unwrap();
        assert_eq!(f.meta.tags.get("organisations").unwrap(), &["bis"]);
        assert_eq!(
            f.meta
                .machine_tags
                .as_ref()
                .unwrap()
                .get("organisations")
                .unwrap(),
            &["bis"]
        );
        assert_eq!(f.to_file_string(), text);
        // The same key without the taxonomy in the table is unknown.
        let err = parse(text, &table()).unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (3, "unknown field `organisations`")
        );
        let flow = "---\nid: a\norganisations:\n  - bis\n---\nBody.\n";
        assert_eq!(
            parse(flow, &t)
                .unwrap()
                .meta
                .tags
                .get("organisations")
                .unwrap(),
            &["bis"]
        );
    }

    #[test]
    fn tag_sets_compare_in_any_order() {
        let a = tags(&[("countries", &["china"]), ("policies", &[])]);
        let b = tags(&[("policies", &[]), ("countries", &["china"])]);
        assert_eq!(a, b);
        assert_ne!(a, tags(&[("countries", &["china"])]));
    }

    #[test]
    fn detects_hand_edits() {
        let mut f = sample();
        assert!(!f.is_hand_edited());
        f.body.push_str(" Edited.");
        assert!(f.is_hand_edited());
        let mut f = sample();
        f.meta.reviewed = Some(true);
        assert!(f.is_hand_edited());
    }

    #[test]
    fn quotes_what_yaml_would_misread() {
        for s in ["29", "no", "true", "a b", "Ünïcode", "x: y", "-x", ""] {
            let q = yaml_str(s);
            let back: String = serde_yaml::from_str(&q).unwrap();
            assert_eq!(back, s, "{q}");
        }
        assert_eq!(yaml_str("south-korea"), "south-korea");
    }

    #[test]
    fn reports_yaml_errors_at_file_lines() {
        let err = parse("---\nid: a\norder: [\n---\nbody\n", &table()).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        let err = parse("---\nid: a\nbogus: 1\n---\nbody\n", &table()).unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (3, "unknown field `bogus`")
        );
        let err = parse("---\nid: a\ncountry: [china]\n---\nbody\n", &table()).unwrap_err();
        assert!(err.help.unwrap().starts_with("did you mean `countries`?"));
        let err = parse("---\nid: a\n\norder: abc\n---\nbody\n", &table()).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(
            err.message.starts_with("order: invalid type"),
            "{}",
            err.message
        );
    }

    #[test]
    fn stable_hash_is_fixed() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(format!("{:016x}", stable_hash("a")), "af63dc4c8601ec8c");
    }

    #[test]
    fn fast_reader_agrees_with_yaml() {
        let mut f = sample();
        f.meta.chapter = Some("ch2".into());
        f.meta.paragraph = Some(7);
        f.meta.see_also = vec!["x-1".into()];
        f.meta.reviewed = Some(false);
        f.meta.section = Some(vec!["a, \"b\"".into(), "c\\d ü".into(), String::new()]);
        let text = f.to_file_string();
        let yaml = crate::content::frontmatter::split(&text).unwrap().yaml;
        assert_eq!(fast::parse(yaml, &table()), Some(slow(yaml)));
    }

    #[test]
    fn fast_reader_leaves_the_rest_to_yaml() {
        for yaml in [
            "id: a # comment\n",
            "id: a\nid: b\n",
            "countries:\n  - china\n",
            "countries: []\ncountries: []\n",
            "order: 012\n",
            "kind: no\n",
            "bogus: 1\n",
            "section: ['a']\n",
            "id: A\n",
            "cites: [\"a\\x41\"]\n",
            "countries: [china,japan]\n",
        ] {
            assert_eq!(fast::parse(yaml, &table()), None, "{yaml}");
        }
        let gen = "id: cset-0007\nbrief: cset\norder: 7\nsection: [\"Q: B\", \"S\"]\nkind: recommendation\ncountries: [united-states, ireland]\ntechnologies: []\npolicies: []\ncites: [\"2\", \"4\"]\nparagraph: 3\n";
        assert_eq!(fast::parse(gen, &table()), Some(slow(gen)));
    }

    #[test]
    fn fast_reader_agrees_with_yaml_on_the_bundled_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/claims");
        let mut fast_read = 0;
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let yaml = crate::content::frontmatter::split(&text).unwrap().yaml;
            if let Some(meta) = fast::parse(yaml, &table()) {
                assert_eq!(meta, slow(yaml), "{}", entry.path().display());
                fast_read += 1;
            }
        }
        assert!(fast_read > 0 || cfg!(miri));
    }
}
