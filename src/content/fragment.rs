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
}

/// Parses a fragment file's text into its front matter and body.
pub fn parse(text: &str) -> Result<Fragment, ParseError> {
    let split = frontmatter::split(text).map_err(|e| ParseError {
        line: match e {
            frontmatter::SplitError::Unclosed { line } => line,
            frontmatter::SplitError::NoOpeningFence => 1,
        },
        message: e.to_string(),
    })?;
    let meta: RawClaim = if split.yaml.trim().is_empty() {
        RawClaim::default()
    } else if let Some(meta) = fast::parse(split.yaml) {
        meta
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| ParseError {
            line: split.yaml_line + e.location().map_or(0, |l| l.line().saturating_sub(1)),
            message: yaml_message(&e),
        })?
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
    pub fn tags(&self) -> TagSet {
        TagSet {
            countries: self.meta.countries.clone().unwrap_or_default(),
            technologies: self.meta.technologies.clone().unwrap_or_default(),
            policies: self.meta.policies.clone().unwrap_or_default(),
        }
    }

    /// Replaces the tag lists, leaving text, id and everything else as is.
    pub fn set_tags(&mut self, tags: TagSet) {
        self.meta.countries = Some(tags.countries);
        self.meta.technologies = Some(tags.technologies);
        self.meta.policies = Some(tags.policies);
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
        for (key, value) in [
            ("countries", &m.countries),
            ("technologies", &m.technologies),
            ("policies", &m.policies),
            ("cites", &m.cites),
        ] {
            if let Some(v) = value {
                list(&mut out, key, v);
            }
        }
        if !m.see_also.is_empty() {
            list(&mut out, "see_also", &m.see_also);
        }
        if let Some(r) = m.reviewed {
            let _ = writeln!(out, "reviewed: {r}");
        }
        if let Some(t) = &m.machine_tags {
            out.push_str("machine_tags:\n");
            for (key, v) in [
                ("countries", &t.countries),
                ("technologies", &t.technologies),
                ("policies", &t.policies),
            ] {
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

    pub fn parse(yaml: &str) -> Option<RawClaim> {
        let mut m = RawClaim::default();
        let mut seen = 0u32;
        let mut lines = yaml.lines().peekable();
        while let Some(line) = lines.next() {
            let (key, value) = line
                .split_once(": ")
                .or_else(|| line.strip_suffix(':').map(|k| (k, "")))?;
            let bit = 1u32 << KEYS.iter().position(|k| *k == key)?;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
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
                "countries" => m.countries = Some(list(value)?),
                "technologies" => m.technologies = Some(list(value)?),
                "policies" => m.policies = Some(list(value)?),
                "cites" => m.cites = Some(list(value)?),
                "see_also" => m.see_also = list(value)?,
                "machine_tags" if value.is_empty() => {
                    let mut tags = TagSet::default();
                    for name in ["countries", "technologies", "policies"] {
                        let line = lines.next()?;
                        let rest = line.strip_prefix("  ")?.strip_prefix(name)?;
                        *tags.get_mut(name)? = list(rest.strip_prefix(": ")?)?;
                    }
                    m.machine_tags = Some(tags);
                }
                _ => return None,
            }
        }
        Some(m)
    }

    const KEYS: [&str; 15] = [
        "id",
        "brief",
        "order",
        "chapter",
        "section",
        "paragraph",
        "kind",
        "countries",
        "technologies",
        "policies",
        "cites",
        "see_also",
        "reviewed",
        "machine_tags",
        "ingest_hash",
    ];

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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fragment {
        Fragment {
            meta: RawClaim {
                id: Some("rand-2023-parker-0142".into()),
                brief: Some("rand-2023-parker".into()),
                order: Some(142),
                section: Some(vec!["International: \"Landscape\"".into()]),
                kind: Some("claim".into()),
                countries: Some(vec!["china".into()]),
                technologies: Some(vec!["quantum-communication".into()]),
                policies: Some(vec![]),
                cites: Some(vec!["29".into(), "ch4-3".into()]),
                machine_tags: Some(TagSet {
                    countries: vec!["china".into()],
                    ..TagSet::default()
                }),
                ingest_hash: Some(body_hash("In quantum communications, China leads.")),
                ..RawClaim::default()
            },
            body: "In quantum communications, China leads.".into(),
        }
    }

    #[test]
    fn writes_contract_order_and_reads_back() {
        let f = sample();
        let text = f.to_file_string();
        assert!(text
            .starts_with("---\nid: rand-2023-parker-0142\nbrief: rand-2023-parker\norder: 142\n"));
        assert!(text.contains("cites: [\"29\", ch4-3]\n"));
        assert!(text.contains("section: [\"International: \\\"Landscape\\\"\"]\n"));
        let back = parse(&text).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.to_file_string(), text);
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
        let err = parse("---\nid: a\norder: [\n---\nbody\n").unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        let err = parse("---\nid: a\nbogus: 1\n---\nbody\n").unwrap_err();
        assert!(err.message.contains("bogus"), "{}", err.message);
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
        let slow: RawClaim = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(fast::parse(yaml), Some(slow));
    }

    #[test]
    fn fast_reader_leaves_the_rest_to_yaml() {
        for yaml in [
            "id: a # comment\n",
            "id: a\nid: b\n",
            "countries:\n  - china\n",
            "order: 012\n",
            "kind: no\n",
            "bogus: 1\n",
            "section: ['a']\n",
            "id: A\n",
            "cites: [\"a\\x41\"]\n",
            "countries: [china,japan]\n",
        ] {
            assert_eq!(fast::parse(yaml), None, "{yaml}");
        }
        let gen = "id: cset-0007\nbrief: cset\norder: 7\nsection: [\"Q: B\", \"S\"]\nkind: recommendation\ncountries: [united-states, ireland]\ntechnologies: []\npolicies: []\ncites: [\"2\", \"4\"]\nparagraph: 3\n";
        let slow: RawClaim = serde_yaml::from_str(gen).unwrap();
        assert_eq!(fast::parse(gen), Some(slow));
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
            if let Some(meta) = fast::parse(yaml) {
                let slow: RawClaim = serde_yaml::from_str(yaml).unwrap();
                assert_eq!(meta, slow, "{}", entry.path().display());
                fast_read += 1;
            }
        }
        assert!(fast_read > 0 || cfg!(miri));
    }
}
