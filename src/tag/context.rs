//! Tags a claim gets from where it stands rather than from what it says.
//!
//! Two rules, both conservative, both visible in `crossbrief explain`:
//! - a claim that names no technology is about the technology of its
//!   innermost section heading that names one, else of its chapter title,
//!   else of the brief's title when that title is about a single technology
//!   family (a volume on "Batteries, Biotech, and Quantum" says nothing
//!   about which one an untagged sentence concerns);
//! - a claim that opens by referring back ("It", "This", "These
//!   restrictions", "Such ...", "In this context") continues the claim
//!   before it, and takes that claim's tags in each taxonomy where it names
//!   nothing itself.

use regex::Regex;
use std::sync::OnceLock;

/// Where a claim stands: the headings above it and the claim before it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The brief's title.
    pub brief_title: Option<&'a str>,
    /// The title of the claim's chapter (edited volumes).
    pub chapter_title: Option<&'a str>,
    /// The section path, outermost first.
    pub section: &'a [String],
    /// The final tags of the claim just before this one in the same section
    /// and chapter, with the id of that claim (if known) for explanations.
    pub previous: Option<(&'a super::Tagging, Option<&'a str>)>,
}

/// Nouns that, after "This"/"These", name the document rather than the
/// previous sentence's subject ("This report argues ...").
const DOCUMENT_NOUNS: &str = "report|reports|chapter|chapters|paper|papers|essay|essays|perspective|study|studies|section|sections|brief|article|volume|analysis|book|note|appendix|table|figure|box|document";

fn back_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"^(?:["'“‘(\[]\s*)?(?:(?:In|For|Given|Despite|Because of|Beyond|Under|With|Against|Amid|Through)\s+(?:this|these|that|those|such)\b|To this end\b|To\s+\w+\s+(?:this|these|that|those|such)\b|As such\b|(?:It|Its|They|Their|Them|This|These|Those|That|Such|Both|He|She|His|Her)\b)"#,
        )
        .expect("the back-reference pattern is valid")
    })
}

fn document_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?i:(?:in|for|throughout|within|under)\s+)?(?i:this|these)\s+(?i:{DOCUMENT_NOUNS})\b"
        ))
        .expect("the document-reference pattern is valid")
    })
}

/// Words after "This"/"These" that are not its head noun ("These are ...").
const NOT_HEAD_NOUNS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "will",
    "would", "may", "might", "must", "should", "do", "does", "did", "also", "in", "of", "and",
    "not", "include", "includes", "included", "means", "shows", "suggests", "reflects",
];

/// "It is important to ...", "It was clear that ...": a dummy subject, not a
/// reference back.
fn expletive_it() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^It\s+(?:is|was|will be|would be|may be|might be|could be|should be|can be|has been|had been|seems|seemed|remains|appears|becomes|became|takes|took)\s+(?:\S+\s+){0,3}?(?:to|that|whether|how|why|for|when|if)\b",
        )
        .expect("the expletive pattern is valid")
    })
}

/// The opening words of `text` when they refer back to the previous claim
/// ("These restrictions", "It", "In this context"), else `None`.
pub fn back_reference_opener(text: &str) -> Option<String> {
    let t = text.trim_start();
    let m = back_reference().find(t)?;
    if document_reference().is_match(t) || expletive_it().is_match(t) {
        return None;
    }
    // "That" opening a noun clause ("That China leads is clear") and "Both"
    // ending in "and" are too rare to special-case; the determiners below
    // take the next word as their head noun for the explanation.
    let opener = m
        .as_str()
        .trim_start_matches(['"', '\'', '“', '‘', '(', '['])
        .trim();
    let rest = &t[m.end()..];
    let determiner = matches!(
        opener,
        "This" | "These" | "Those" | "That" | "Such" | "Both"
    );
    let head = rest
        .split_whitespace()
        .next()
        .filter(|w| determiner && w.chars().next().is_some_and(char::is_lowercase))
        .filter(|w| !NOT_HEAD_NOUNS.contains(&w.trim_end_matches(|c: char| !c.is_alphanumeric())))
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    Some(match head {
        Some(w) if !w.is_empty() => format!("{opener} {w}"),
        _ => opener.to_string(),
    })
}

fn pair_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:both|the two)\s+(?:countries|nations|governments|states|sides|allies|partners|economies)\b")
            .expect("the pair pattern is valid")
    })
}

/// The phrase by which a claim refers to two countries named before it
/// ("both countries", "the two nations"), if any.
pub fn pair_reference_phrase(text: &str) -> Option<&str> {
    pair_reference().find(text).map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_references() {
        assert_eq!(
            pair_reference_phrase("so both countries gain"),
            Some("both countries")
        );
        assert_eq!(
            pair_reference_phrase("The two nations agreed."),
            Some("The two nations")
        );
        assert_eq!(pair_reference_phrase("two countries of five"), None);
    }

    #[test]
    fn back_references() {
        let cases = [
            ("It reports over $15 billion in funding.", Some("It")),
            (
                "These restrictions apply to qubits.",
                Some("These restrictions"),
            ),
            ("This, in turn, matters.", Some("This")),
            ("Such controls are rare.", Some("Such controls")),
            ("They limit the exchange of knowledge.", Some("They")),
            ("In this context, Korea acts.", Some("In this")),
            ("To this end, the US funds labs.", Some("To this end")),
            (
                "To implement this, a lab was set up.",
                Some("To implement this"),
            ),
            ("“These are hard,” she said.", Some("These")),
            ("It is important to note that China leads.", None),
            ("It is essential for allies to coordinate.", None),
            ("This report examines batteries.", None),
            ("These chapters discuss it.", None),
            ("In this Perspective, I do not assume a background.", None),
            ("Italy joined.", None),
            ("Itself a leader, China ...", None),
            ("China leads.", None),
            ("Thus, it matters.", None),
        ];
        for (text, want) in cases {
            assert_eq!(back_reference_opener(text).as_deref(), want, "{text}");
        }
    }
}
