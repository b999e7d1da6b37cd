//! Acronyms as a text defines them: "post-quantum cryptography (PQC)",
//! "the Bureau of Industry and Security (BIS)", and the reverse "PQC
//! (post-quantum cryptography)". A document that defines an acronym means
//! its long form wherever it uses it, so tagging (and any stage comparing
//! claims by concept) can read "PQC" as "post-quantum cryptography", and
//! can tell that an acronym the vocabulary knows means something else in
//! this document ("IP" defined as "Internet Protocol").
//!
//! The detector is the algorithm of Schwartz and Hearst (2003, "A simple
//! algorithm for identifying abbreviation definitions in biomedical
//! text"): for a short form in parentheses, the long form is the shortest
//! run of the words just before it whose characters hold every letter and
//! digit of the short form in order, the first one at the start of a word.
//! One pass over the text; each candidate looks back a bounded number of
//! words, so the cost is linear in the text.

use std::collections::HashMap;

/// One acronym definition found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The acronym as written ("PQC").
    pub short: String,
    /// Its expansion as written ("post-quantum cryptography").
    pub long: String,
}

/// The longest short form considered, in characters.
const MAX_SHORT: usize = 10;

/// A short form: 2 to [`MAX_SHORT`] characters, one word, starting with a
/// letter or digit, holding at least one capital letter and at most as
/// many lowercase letters as capitals plus one ("QIST", "R&D", "EUV",
/// "MSIT", "H-1B"), so that a parenthesised ordinary word ("(see)") is not
/// one.
fn is_short_form(s: &str) -> bool {
    let n = s.chars().count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let lower = s.chars().filter(|c| c.is_lowercase()).count();
    (2..=MAX_SHORT).contains(&n)
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.contains(char::is_whitespace)
        && s.chars().all(|c| c.is_alphanumeric() || "-&./".contains(c))
        && upper >= 1
        && lower <= upper + 1
}

/// The long form of `short` at the end of `before` (the words just before
/// the parenthesis), by the Schwartz–Hearst rule, if any.
fn long_form(short: &str, before: &str) -> Option<String> {
    let sf: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if sf.is_empty() {
        return None;
    }
    // At most min(|SF| + 5, 2|SF|) words back, within the clause.
    let clause = before
        .rsplit(['(', ')', ';', ':', '.', '!', '?', '"'])
        .next()
        .unwrap_or(before)
        .trim_end();
    let max_words = (sf.len() + 5).min(sf.len() * 2);
    let words: Vec<&str> = clause.split_whitespace().collect();
    let from = words.len().saturating_sub(max_words);
    let candidate = words[from..].join(" ");
    let lf: Vec<char> = candidate.chars().collect();
    let mut s = sf.len();
    let mut l = lf.len();
    while s > 0 {
        let c = sf[s - 1];
        loop {
            if l == 0 {
                return None;
            }
            let here = lf[l - 1].to_lowercase().next() == Some(c);
            let word_start = l == 1 || !lf[l - 2].is_alphanumeric();
            // The first character of the short form starts a word.
            if here && (s > 1 || word_start) {
                break;
            }
            l -= 1;
        }
        l -= 1;
        s -= 1;
    }
    let start = lf[..l]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let long: String = lf[start..].iter().collect();
    let long = long
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    // The long form must be longer than the short one and not hold it, and
    // an acronym of three or more letters stands for two or more words or
    // word parts ("post-quantum"), not for one word.
    let parts = long.split([' ', '-']).filter(|p| !p.is_empty()).count();
    if long.chars().count() <= short.chars().count()
        || long.contains(short)
        || (sf.len() >= 3 && parts < 2)
    {
        return None;
    }
    Some(long)
}

/// True when `long` as a whole is an expansion of `short` by the same rule
/// ("intellectual property" of "IP", "post-quantum cryptography" of
/// "PQC"): the vocabulary's own expansion of an acronym it lists.
pub fn expands(short: &str, long: &str) -> bool {
    is_short_form(short)
        && long_form(short, long).is_some_and(|l| l.eq_ignore_ascii_case(long.trim()))
}

/// Every acronym definition in `text`, in text order: "long form (SF)" and
/// "SF (long form)".
pub fn definitions(text: &str) -> Vec<Definition> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('(').map(|i| rest + i) {
        // The innermost parenthesis: an opening one before the closing one
        // starts again from there, so every character is read once.
        let Some(close) = text[open + 1..].find(['(', ')']).map(|i| open + 1 + i) else {
            break;
        };
        if text[close..].starts_with('(') {
            rest = close;
            continue;
        }
        let inside = text[open + 1..close].trim();
        // "(PQC; see below)", "(QKD, for short)": the first part.
        let first = inside.split([';', ',']).next().unwrap_or("").trim();
        let before = &text[..open];
        if is_short_form(first) {
            if let Some(long) = long_form(first, before) {
                out.push(Definition {
                    short: first.to_string(),
                    long,
                });
            }
        } else if first.split_whitespace().count() >= 2 {
            // "SF (long form)": the word just before the parenthesis.
            let short = before
                .split_whitespace()
                .next_back()
                .unwrap_or("")
                .trim_matches(|c: char| !c.is_alphanumeric());
            if is_short_form(short) {
                if let Some(long) = long_form(short, first) {
                    if long.len() * 2 >= first.len() {
                        out.push(Definition {
                            short: short.to_string(),
                            long,
                        });
                    }
                }
            }
        }
        rest = close + 1;
    }
    out
}

/// The acronyms one document defines, each with the long form it was first
/// defined with: what an acronym means wherever the document uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Definitions {
    by_short: HashMap<String, String>,
}

impl Definitions {
    /// The definitions of every text of one document, in order; an acronym
    /// defined twice keeps its first long form.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Definitions {
        let mut out = Definitions::default();
        for text in texts {
            out.add(text);
        }
        out
    }

    /// Adds the definitions of one more text.
    pub fn add(&mut self, text: &str) {
        for d in definitions(text) {
            self.by_short.entry(d.short).or_insert(d.long);
        }
    }

    /// Adds one definition, unless `short` is defined already.
    pub fn add_one(&mut self, short: &str, long: &str) {
        self.by_short
            .entry(short.to_string())
            .or_insert_with(|| long.to_string());
    }

    /// The long form of `short` (exact case), if the document defines it.
    pub fn long(&self, short: &str) -> Option<&str> {
        self.by_short.get(short).map(String::as_str)
    }

    /// Every (short form, long form), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_short.iter().map(|(s, l)| (s.as_str(), l.as_str()))
    }

    /// True when nothing is defined.
    pub fn is_empty(&self) -> bool {
        self.by_short.is_empty()
    }

    /// Every defined acronym in `text`, whole words only, with its byte
    /// range and its long form, in text order.
    pub fn uses<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str, &'a str)> {
        if self.by_short.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let is_part = |c: char| c.is_alphanumeric() || "-&./".contains(c);
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (start, is_part(c)) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    // A word may end in a full stop or a plural or
                    // possessive "s" ("PQC.", "SMEs", "BIS's").
                    let word = text[s..i].trim_end_matches(['.', '/', '-']);
                    let bare = word.strip_suffix("'s").unwrap_or(word);
                    let hit = self.by_short.get_key_value(bare).or_else(|| {
                        bare.strip_suffix('s')
                            .and_then(|b| self.by_short.get_key_value(b))
                    });
                    if let Some((short, long)) = hit {
                        out.push((s, s + short.len(), short.as_str(), long.as_str()));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        definitions(text)
            .into_iter()
            .map(|d| (d.short, d.long))
            .collect()
    }

    #[test]
    fn finds_long_forms_before_and_after() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "a migration to post-quantum cryptography (PQC) is due",
                &[("PQC", "post-quantum cryptography")],
            ),
            (
                "The US Bureau of Industry and Security (BIS) issued an Interim Final Rule (IFR) in 2024.",
                &[
                    ("BIS", "Bureau of Industry and Security"),
                    ("IFR", "Interim Final Rule"),
                ],
            ),
            (
                "quantum information science and technology (QIST) matters",
                &[("QIST", "quantum information science and technology")],
            ),
            (
                "the Ministry of Science and ICT (MSIT) said",
                &[("MSIT", "Ministry of Science and ICT")],
            ),
            (
                "Quantum key distribution (QKD; see below) is secure",
                &[("QKD", "Quantum key distribution")],
            ),
            (
                "the NQI (National Quantum Initiative) was passed",
                &[("NQI", "National Quantum Initiative")],
            ),
            (
                "research and development (R&D) funding",
                &[("R&D", "research and development")],
            ),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(s, l)| (s.to_string(), l.to_string()))
                .collect();
            assert_eq!(pairs(text), want, "{text}");
        }
    }

    #[test]
    fn expansions() {
        assert!(expands("IP", "intellectual property"));
        assert!(expands("PQC", "post-quantum cryptography"));
        assert!(expands("EAR", "Export Administration Regulations"));
        assert!(!expands("IP", "Internet"));
        assert!(!expands("CATL", "Contemporary Amperex"));
        assert!(!expands("QKD", "the quantum key distribution"));
    }

    #[test]
    fn parentheses_that_define_nothing() {
        for text in [
            "China (the largest producer) leads.",
            "output grew (see Figure 2).",
            "the EU ($1 billion) and Japan (2023)",
            "a firm (IBM) and a lab",
            "unclosed (PQC",
            "(PQC) at the start",
            "((((((",
            "",
        ] {
            assert!(pairs(text).is_empty(), "{text}: {:?}", pairs(text));
        }
    }

    #[test]
    fn nested_and_unclosed_parentheses() {
        assert_eq!(
            pairs("the (draft) post-quantum cryptography (PQC) rules"),
            [("PQC".to_string(), "post-quantum cryptography".to_string())]
        );
        // many openings before one closing: each is read once
        let text = format!("{}Quantum key distribution (QKD)", "( ".repeat(50_000));
        assert_eq!(pairs(&text).len(), 1);
    }

    #[test]
    fn uses_of_defined_acronyms() {
        let d = Definitions::from_texts([
            "post-quantum cryptography (PQC)",
            "small and medium-sized enterprises (SMEs)",
            "Another text redefines it: Public Quantum Cloud (PQC).",
        ]);
        assert_eq!(d.long("PQC"), Some("post-quantum cryptography"));
        let text = "PQC migration; the PQC's cost. pqc is not it. SMEs and SME grants.";
        let uses: Vec<(&str, &str)> = d
            .uses(text)
            .into_iter()
            .map(|(s, e, short, _)| (&text[s..e], short))
            .collect();
        assert_eq!(uses, [("PQC", "PQC"), ("PQC", "PQC"), ("SMEs", "SMEs")]);
        assert!(d.uses("nothing defined here").is_empty());
        assert!(Definitions::default().uses("PQC").is_empty());
    }
}
