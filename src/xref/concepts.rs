//! Concepts: what a claim's words stand for, found before the text index
//! counts words, so that two claims that name the same thing differently
//! share an index term.
//!
//! - **Vocabulary terms**: every alias of every taxonomy's terms, demonyms
//!   and adjectives included ("Finnish" and "Finland" are one concept),
//!   found by the matcher the tagger uses (`content::matcher`). An alias
//!   replaces its words; a cue ("Bureau of Industry and Security" for
//!   export controls) adds its term beside them. Regional aliases
//!   ("European") give way where the claim names one of the term's
//!   members, as in tagging.
//! - **Acronyms as the texts define them**: "post-quantum cryptography
//!   (PQC)" makes "PQC" and "post-quantum cryptography" one concept
//!   wherever either is written: in the defining brief, and in any brief
//!   where the acronym is defined the same way or not at all.
//! - **Named entities**: runs of two or more capitalised words ("Entity
//!   List", "CHIPS and Science Act", "National Quantum Initiative"), as one
//!   unit beside their words.
//!
//! A concept enters the index as a word whose stem is its key (a control
//! character first, so no written word can be the same) and whose surface
//! form is its name as a reader writes it, which is what the "why" of a
//! related claim shows.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;

use crate::content::acronym::Definitions;
use crate::content::matcher::{self, Matcher, Role};
use crate::content::model::{Site, TermIx};

use super::figures::Figure;
use crate::content::vocab::{Taxonomy, Vocabulary};

use super::text;

/// Marks the stem (key) and surface (label) of a concept in the index.
pub const MARK: char = '\u{1}';

/// One concept found in a text, as a byte range of the normalised text
/// ([`matcher::normalise`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'a> {
    pub start: usize,
    pub end: usize,
    /// Whether the concept stands in for the words of its range (a name
    /// of a term) or is counted beside them (a cue, an entity's name).
    pub replace: bool,
    /// The vocabulary term named or signalled, as (taxonomy, term).
    pub term: Option<(usize, TermIx)>,
    /// The index key, starting with [`MARK`].
    pub key: Cow<'a, str>,
    /// The surface form: [`MARK`], the name shown to readers, [`MARK`]
    /// and the key (two concepts may have the same name; a surface form
    /// belongs to one).
    pub label: Cow<'a, str>,
}

/// An acronym's concept: its key and label.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expansion {
    key: String,
    label: String,
}

impl Expansion {
    /// A use of the acronym or its long form at `start..end`.
    fn mention(&self, start: usize, end: usize) -> Mention<'_> {
        Mention {
            start,
            end,
            replace: true,
            term: None,
            key: Cow::Borrowed(&self.key),
            label: Cow::Borrowed(&self.label),
        }
    }
}

/// What the concept finder needs of a site: the vocabularies' matcher and
/// the acronyms each brief defines.
pub struct Concepts {
    taxonomies: Vec<Taxonomy>,
    /// Per taxonomy, per term: its concept.
    terms: Vec<Vec<Expansion>>,
    matcher: Option<Matcher>,
    /// Per brief: the acronyms it defines.
    defined: Vec<Definitions>,
    /// Acronyms defined with one long form across the corpus: short form
    /// to expansion, for briefs that use them without defining them.
    shared: FxHashMap<String, Expansion>,
    /// Long forms (lower-case) and their expansions, for finding them
    /// written out.
    long_forms: Option<AhoCorasick>,
    long_keys: Vec<Expansion>,
    /// Every acronym defined anywhere, for finding its uses.
    short_forms: Option<AhoCorasick>,
    short_list: Vec<String>,
    /// Expansion per lower-cased long form.
    by_long: FxHashMap<String, Expansion>,
}

/// Words that may join the capitalised words of a name.
const CONNECTORS: &[&str] = &["and", "for", "of", "on", "the", "&"];

impl Concepts {
    /// The concepts of a site's vocabularies and briefs.
    pub fn new(site: &Site) -> Concepts {
        let vocab = Vocabulary {
            declared: false,
            taxonomies: site.taxonomies.clone(),
        };
        // A vocabulary too large for the automaton leaves the concepts to
        // acronyms and names; the build has validated it already.
        let matcher = Matcher::new(&vocab).ok();
        let defined = Concepts::definitions(site);
        let mut all: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for d in &defined {
            for (short, long) in d.iter() {
                all.entry(short.to_string())
                    .or_default()
                    .push(long.to_string());
            }
        }
        let terms = site
            .taxonomies
            .iter()
            .map(|tax| {
                tax.terms
                    .iter()
                    .map(|t| {
                        let key = format!("{MARK}{}/{}", tax.id(), t.id);
                        Expansion {
                            label: surface(&t.name, &key),
                            key,
                        }
                    })
                    .collect()
            })
            .collect();
        let mut concepts = Concepts {
            taxonomies: site.taxonomies.clone(),
            terms,
            matcher,
            defined,
            shared: FxHashMap::default(),
            long_forms: None,
            long_keys: Vec::new(),
            short_forms: None,
            short_list: Vec::new(),
            by_long: FxHashMap::default(),
        };
        let mut shorts: Vec<(String, Vec<String>)> = all.into_iter().collect();
        shorts.sort();
        let mut longs: Vec<String> = Vec::new();
        for (short, forms) in &shorts {
            for long in forms {
                let lower = long.to_lowercase();
                if !concepts.by_long.contains_key(&lower) {
                    let e = concepts.expansion_of(short, long);
                    concepts.by_long.insert(lower.clone(), e);
                    longs.push(lower);
                }
            }
            let mut distinct: Vec<String> = forms.iter().map(|l| l.to_lowercase()).collect();
            distinct.sort();
            distinct.dedup();
            if let [only] = distinct.as_slice() {
                let e = concepts.by_long[only].clone();
                concepts.shared.insert(short.clone(), e);
            }
        }
        concepts.short_list = shorts.iter().map(|(short, _)| short.clone()).collect();
        concepts.short_forms = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&concepts.short_list)
            .ok()
            .filter(|_| !concepts.short_list.is_empty());
        longs.sort();
        concepts.long_keys = longs.iter().map(|l| concepts.by_long[l].clone()).collect();
        concepts.long_forms = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&longs)
            .ok()
            .filter(|_| !longs.is_empty());
        concepts
    }

    /// Per brief, the acronyms its claims define.
    pub fn definitions(site: &Site) -> Vec<Definitions> {
        let mut defined = vec![Definitions::default(); site.briefs.len()];
        for c in &site.claims {
            if c.body.contains('(') {
                defined[c.brief as usize].add(&matcher::normalise(&c.body));
            }
        }
        defined
    }

    /// Whether these concepts are those of `site`: the same vocabularies
    /// and the same acronyms defined by each brief (an edit that changes
    /// either may change the concepts of any claim).
    pub fn are_those_of(&self, site: &Site) -> bool {
        self.taxonomies == site.taxonomies && self.defined == Concepts::definitions(site)
    }

    /// The concept of an acronym's long form: the vocabulary term it names
    /// when the whole long form is one alias, else the long form itself.
    fn expansion_of(&self, short: &str, long: &str) -> Expansion {
        if let Some(m) = &self.matcher {
            let hits = m.find(long);
            if let [h] = hits.as_slice() {
                if h.role == Role::Alias && h.start == 0 && h.end == matcher::normalise(long).len()
                {
                    return self.terms[h.taxonomy][h.term].clone();
                }
            }
        }
        let words: Vec<String> = text::raw_words(long).map(str::to_lowercase).collect();
        let key = format!("{MARK}a:{}", words.join(" "));
        Expansion {
            label: surface(&format!("{long} ({short})"), &key),
            key,
        }
    }

    /// The concepts of a normalised, cleaned text of brief `brief`, by
    /// start.
    pub fn mentions(&self, brief: u32, text: &str) -> Vec<Mention<'_>> {
        let mut out: Vec<Mention<'_>> = Vec::new();
        if let Some(m) = &self.matcher {
            let hits = m.find_normalised(text);
            let named: Vec<(usize, usize)> = hits
                .iter()
                .filter(|h| h.role == Role::Alias)
                .map(|h| (h.taxonomy, h.term))
                .collect();
            for h in &hits {
                let term = &self.taxonomies[h.taxonomy].terms[h.term];
                if h.role == Role::Regional
                    && term
                        .members
                        .iter()
                        .any(|&x| named.contains(&(h.taxonomy, x as usize)))
                {
                    continue;
                }
                let e = &self.terms[h.taxonomy][h.term];
                out.push(Mention {
                    start: h.start,
                    end: h.end,
                    replace: h.role != Role::Cue,
                    term: Some((h.taxonomy, h.term as TermIx)),
                    key: Cow::Borrowed(&e.key),
                    label: Cow::Borrowed(&e.label),
                });
            }
        }
        let words = words_with_spans(text);
        let defined = self.defined.get(brief as usize);
        if self.short_forms.is_some() {
            self.acronyms(defined, text, &mut out);
        }
        let mut found = Vec::new();
        names(text, &words, &mut found);
        // A name that is all one term's alias or an acronym's long form is
        // that concept already.
        found.retain(|n| {
            !out.iter()
                .any(|m| m.replace && m.start <= n.start && n.end <= m.end)
        });
        out.extend(found);
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        // Ranges of concepts that replace their words do not overlap: the
        // first (and longest) wins.
        let mut last_end = 0;
        out.retain(|m| {
            if !m.replace {
                return true;
            }
            if m.start < last_end {
                return false;
            }
            last_end = m.end;
            true
        });
        out
    }

    /// Acronyms used (read as the brief defines them, else as the corpus
    /// does) and long forms written out.
    fn acronyms<'a>(
        &'a self,
        defined: Option<&Definitions>,
        text: &str,
        out: &mut Vec<Mention<'a>>,
    ) {
        let covered = |out: &[Mention], s: usize, e: usize| {
            out.iter().any(|m| m.replace && m.start <= s && e <= m.end)
        };
        let mut found: Vec<Mention<'a>> = Vec::new();
        let part = |c: char| c.is_alphanumeric() || "-&./".contains(c);
        if let Some(ac) = &self.short_forms {
            for m in ac.find_iter(text) {
                let (s, e) = (m.start(), m.end());
                // Whole words only; a plural or possessive "s" may follow
                // ("SMEs", "BIS's").
                let rest = &text[e..];
                let rest = rest
                    .strip_prefix("'s")
                    .or_else(|| rest.strip_prefix('s'))
                    .unwrap_or(rest);
                if text[..s].chars().next_back().is_some_and(part)
                    || rest.chars().next().is_some_and(char::is_alphanumeric)
                    || covered(out, s, e)
                {
                    continue;
                }
                let short = &self.short_list[m.pattern().as_usize()];
                // As the brief defines it, else as the corpus does.
                let x = match defined.and_then(|d| d.long(short)) {
                    Some(long) => self.by_long.get(&long.to_lowercase()),
                    None => self.shared.get(short),
                };
                let Some(x) = x else { continue };
                found.push(x.mention(s, e));
            }
        }
        if let Some(ac) = &self.long_forms {
            for m in ac.find_iter(text) {
                let (s, e) = (m.start(), m.end());
                let before = text[..s].chars().next_back();
                let after = text[e..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                    || covered(out, s, e)
                {
                    continue;
                }
                found.push(self.long_keys[m.pattern().as_usize()].mention(s, e));
            }
        }
        out.extend(found);
    }
}

/// Sets each figure's subjects: per taxonomy, the term named nearest to
/// the figure in its clause (before it, else after it), else in its
/// sentence. "China's share of processing is 90%, against 10% in the US":
/// 90% is China's, 10% the United States'. `text` is the normalised text
/// the mentions were found in; figures are found in it by what they say.
pub fn attribute(text: &str, figures: &mut [Figure], mentions: &[Mention<'_>]) {
    let named: Vec<(usize, usize, usize, TermIx)> = mentions
        .iter()
        .filter_map(|m| m.term.map(|(x, t)| (m.start, m.end, x, t)))
        .collect();
    if figures.is_empty() {
        return;
    }
    let taxonomies = named.iter().map(|n| n.2).max().map_or(0, |x| x + 1);
    let mut from = 0;
    for f in figures.iter_mut() {
        let written = matcher::normalise(&f.text);
        let Some(at) = text
            .get(from..)
            .and_then(|rest| rest.find(written.as_str()))
            .map(|i| from + i)
            .or_else(|| text.find(written.as_str()))
        else {
            continue;
        };
        from = at + written.len();
        let end = at + written.len();
        let clause = bounds(text, at, end, b",;:()");
        let sentence = bounds(text, at, end, b";");
        // "worldwide investments exceeding $55 billion, led by China": a
        // figure said of the world is nobody's in particular.
        let global = {
            let head = text[clause.0..at].to_lowercase();
            GLOBAL.iter().any(|w| head.contains(w))
        };
        f.worldwide = global;
        f.subjects.clear();
        for x in 0..taxonomies {
            let of_x = named.iter().filter(|n| n.2 == x);
            let before = |(a, _): (usize, usize)| {
                of_x.clone()
                    .filter(|n| n.0 >= a && n.1 <= at)
                    .max_by_key(|n| n.1)
            };
            let after = of_x
                .clone()
                .filter(|n| n.0 >= end && n.1 <= clause.1)
                .min_by_key(|n| n.0);
            let subject = before(clause)
                .or(if global { None } else { after })
                .or_else(|| if global { None } else { before(sentence) });
            if let Some(n) = subject {
                f.subjects.push((x, n.3));
            }
        }
        (f.context, f.phrase) = context(text, clause, at, end, &named);
    }
}

/// Content words read on each side of a figure for its context.
const CONTEXT_BEFORE: usize = 5;
const CONTEXT_AFTER: usize = 4;
/// Bytes beyond those words within which a named term still counts.
const NEAR: usize = 24;

/// The stems of the content words near `at..end` within `clause`, words
/// of named terms left out.
fn context(
    text: &str,
    clause: (usize, usize),
    at: usize,
    end: usize,
    named: &[(usize, usize, usize, TermIx)],
) -> (Vec<String>, String) {
    // (start, end, stem) of the content words of a range.
    let words = |range: &str, base: usize| -> Vec<(usize, usize, String)> {
        text::raw_words(range)
            .map(|w| {
                let p = base + (w.as_ptr() as usize - range.as_ptr() as usize);
                (p, p + w.len(), w)
            })
            .filter(|(p, _, _)| !named.iter().any(|n| n.0 <= *p && *p < n.1))
            .filter_map(|(p, e, w)| text::surface(w).map(|s| (p, e, text::stem(&s))))
            .filter(|(_, _, s)| !GENERIC.contains(&s.as_str()))
            .collect()
    };
    let before: Vec<_> = words(&text[clause.0..at], clause.0)
        .into_iter()
        .rev()
        .take(CONTEXT_BEFORE)
        .collect();
    let after: Vec<_> = words(&text[end..clause.1], end)
        .into_iter()
        .take(CONTEXT_AFTER)
        .collect();
    let from = before.last().map_or(at, |w| w.0);
    let to = after.last().map_or(end, |w| w.1);
    let mut stems: Vec<String> = before.into_iter().chain(after).map(|w| w.2).collect();
    // Terms named in the window count as words of the context ("of rare
    // earth processing"; see [`context_term`]).
    let near = |n: &(usize, usize, usize, TermIx)| {
        n.0 >= clause.0
            && n.1 <= clause.1
            && ((n.0 >= from && n.1 <= to)
                || (n.0 >= end && n.0 <= to.max(end) + NEAR)
                || (n.1 <= at && n.1 + NEAR >= from.min(at)))
    };
    for n in named.iter().filter(|n| near(n)) {
        stems.push(context_term(n.2, n.3));
    }
    stems.sort();
    stems.dedup();
    (stems, text[from..to].to_string())
}

/// How a term named near a figure is written in its context.
pub fn context_term(taxonomy: usize, term: TermIx) -> String {
    format!("{MARK}{taxonomy}/{term}")
}

/// Stems of words that say how much, not of what ("around", "exceeding",
/// "accounts for"): never what makes two figures the same quantity.
const GENERIC: &[&str] = &[
    "about", "account", "almost", "approxim", "around", "estim", "exceed", "least", "nearli",
    "rough", "some", "total", "reach", "report", "than", "over", "up", "current", "percent",
    "cent", "billion", "million", "trillion", "thousand", "hundr",
];

/// Words before a figure in its clause that make it the world's, not a
/// named subject's.
const GLOBAL: &[&str] = &[
    "global",
    "worldwide",
    "world-wide",
    "across the world",
    "in total",
];

/// The span around `at..end` up to the nearest of `stops` (and sentence
/// ends: a full stop, question or exclamation mark before a space) on
/// either side.
fn bounds(text: &str, at: usize, end: usize, stops: &[u8]) -> (usize, usize) {
    let bytes = text.as_bytes();
    let stop = |i: usize| {
        let b = bytes[i];
        stops.contains(&b)
            || (matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|&n| n == b' '))
    };
    let start = (0..at).rev().find(|&i| stop(i)).map_or(0, |i| i + 1);
    let stop_end = (end..bytes.len()).find(|&i| stop(i)).unwrap_or(bytes.len());
    (start, stop_end)
}

/// Whether a capitalised word is a stop word ("The", "However"), without
/// allocating: no stop word is longer than 12 letters.
fn is_stop_word_as_written(w: &str) -> bool {
    let mut buf = [0u8; 12];
    if w.len() > buf.len() || !w.is_ascii() {
        return false;
    }
    for (b, c) in buf.iter_mut().zip(w.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..w.len()]).is_ok_and(text::is_stop_word)
}

/// The surface form of a concept named `name` with key `key`.
fn surface(name: &str, key: &str) -> String {
    format!("{MARK}{name}{key}")
}

/// The name a concept's surface form shows ([`Mention::label`]), or the
/// surface form itself if it is a written word's.
pub fn display(surface: &str) -> &str {
    match surface.strip_prefix(MARK) {
        Some(rest) => rest.split(MARK).next().unwrap_or(rest),
        None => surface,
    }
}

/// Words of a text with their byte ranges: runs of letters, digits and
/// `&`, `-` inside a word ("R&D", "H-1B").
fn words_with_spans(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let part = c.is_alphanumeric() || ((c == '&' || c == '-') && start.is_some());
        match (start, part) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let w = text[s..i].trim_end_matches(['-', '&']);
                if !w.is_empty() {
                    out.push((s, s + w.len(), w));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Named entities: runs of two or more capitalised words, joined by
/// spaces or by the connectors of names ("Bureau of Industry and
/// Security"), not starting with a stop word ("The", "In", "However").
fn names(text: &str, words: &[(usize, usize, &str)], out: &mut Vec<Mention<'_>>) {
    let capital = |w: &str| text::is_capitalised(w) && !is_stop_word_as_written(w);
    let mut i = 0;
    while i < words.len() {
        if !capital(words[i].2) {
            i += 1;
            continue;
        }
        // Extend while the gap is a single space and the next word is
        // capitalised, or a connector followed by a capitalised word.
        let mut j = i;
        let mut caps = 1;
        loop {
            let gap_ok = |a: usize, b: usize| &text[words[a].1..words[b].0] == " ";
            if j + 1 < words.len() && gap_ok(j, j + 1) && capital(words[j + 1].2) {
                j += 1;
                caps += 1;
            } else if j + 2 < words.len()
                && gap_ok(j, j + 1)
                && gap_ok(j + 1, j + 2)
                && CONNECTORS.contains(&words[j + 1].2)
                && capital(words[j + 2].2)
            {
                j += 2;
                caps += 1;
            } else {
                break;
            }
        }
        if caps >= 2 {
            let (s, e) = (words[i].0, words[j].1);
            let key: Vec<String> = words[i..=j].iter().map(|w| w.2.to_lowercase()).collect();
            let key = format!("{MARK}n:{}", key.join(" "));
            out.push(Mention {
                start: s,
                end: e,
                replace: false,
                term: None,
                label: Cow::Owned(surface(&text[s..e], &key)),
                key: Cow::Owned(key),
            });
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ms: &[Mention]) -> Vec<String> {
        ms.iter().map(|m| m.key.replace(MARK, "")).collect()
    }

    #[test]
    fn names_are_runs_of_capitalised_words() {
        let mut out = Vec::new();
        let text =
            "The Bureau of Industry and Security added firms to the Entity List. However Finland";
        names(text, &words_with_spans(text), &mut out);
        assert_eq!(
            keys(&out),
            ["n:bureau of industry and security", "n:entity list"]
        );
        assert_eq!(display(&out[1].label), "Entity List");
    }

    fn named(text: &str, name: &str, x: usize, t: TermIx) -> Mention<'static> {
        let start = text.find(name).unwrap();
        Mention {
            start,
            end: start + name.len(),
            replace: true,
            term: Some((x, t)),
            key: Cow::Owned(format!("{MARK}{x}/{t}")),
            label: Cow::Owned(name.to_string()),
        }
    }

    #[test]
    fn figures_belong_to_the_term_named_nearest_in_their_clause() {
        let text = "China accounts for 63% of rare earth mining, while the United States holds 12%. Worldwide output grew by 5%.";
        let mut figures = super::super::figures::extract_cleaned(text);
        assert_eq!(figures.len(), 3);
        let mentions = [
            named(text, "China", 0, 1),
            named(text, "United States", 0, 2),
        ];
        attribute(text, &mut figures, &mentions);
        assert_eq!(figures[0].subjects, [(0, 1)]);
        assert_eq!(figures[1].subjects, [(0, 2)]);
        // said of the world, in a sentence naming nobody
        assert!(figures[2].subjects.is_empty());
        assert!(
            figures[0].context.contains(&"mine".to_string()),
            "{:?}",
            figures[0].context
        );
        assert_eq!(figures[0].phrase, "63% of rare earth mining");
    }

    #[test]
    fn a_worldwide_figure_is_nobodys_even_beside_a_name() {
        let text = "Worldwide investments exceeded $55 billion, led by China.";
        let mut figures = super::super::figures::extract_cleaned(text);
        attribute(text, &mut figures, &[named(text, "China", 0, 1)]);
        assert!(figures[0].subjects.is_empty(), "{:?}", figures[0].subjects);
    }

    #[test]
    fn words_with_spans_keep_inner_ampersands() {
        let w: Vec<&str> = words_with_spans("R&D and H-1B- visas")
            .into_iter()
            .map(|x| x.2)
            .collect();
        assert_eq!(w, ["R&D", "and", "H-1B", "visas"]);
    }
}
