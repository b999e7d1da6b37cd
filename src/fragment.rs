//! Reading and writing one claim fragment file as a whole: front matter in a
//! fixed key order and flow style, then the Markdown body. Ingest writes
//! fragments with [`Fragment::to_file_string`], tagging re-writes only the tag
//! lists of a parsed fragment, and the build reads them with [`parse`].
//!
//! Writing is deterministic (same fragment, same bytes), which is what makes
//! re-ingesting and re-tagging idempotent.

use std::fmt::Write as _;

use crate::frontmatter;
use crate::schema::{RawClaim, TagSet};

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
}
