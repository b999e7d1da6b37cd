//! Finding the vocabulary's aliases and cues in running text: one
//! Aho-Corasick pass over the text for every surface form of every term of
//! every taxonomy, then the checks a linguist would make on each
//! candidate.
//!
//! The rules, all driven by how an alias is written in the vocabulary:
//! - whole words only: a match must not start or end inside a word
//!   ("Indiana" is not India); a hyphen, slash or apostrophe is a word edge,
//!   so "U.S.-ROK", "China-based" and "China's" (possessive) all match;
//! - case: an alias written in lowercase matches in any case; one with
//!   capitals matches as written or in all capitals (headings); one written
//!   entirely in capitals (`US`, `EU`, `ROK`) only as written, so "us" is
//!   never the United States;
//! - plurals: an alias written in lowercase or as an abbreviation also
//!   matches its regular English plural ("battery" → "batteries", "EV" →
//!   "EVs"), a proper name does not ("the Americas" is not `united-states`);
//!   possessives need no variant;
//! - hyphens: a compound written in lowercase matches hyphenated or open
//!   ("supply chain" → "supply-chain risks", "dual-use" → "dual use"), and
//!   one with a bound prefix also closed ("co-funding" → "cofunding");
//!   a noun made from a phrasal verb keeps its hyphen ("start-up" is not
//!   "start up"), and function words are never joined ("dependence on");
//! - gaps: a cue with `…` between two of its words matches with up to two
//!   words in that place ("investing in … R&D" finds "investing in quantum
//!   R&D"), as long as they are not a conjunction or punctuation, so a
//!   collocation survives a modifier;
//! - leftmost-longest per taxonomy: overlapping candidates of one taxonomy
//!   are resolved by taking the leftmost and, among those, the longest, so
//!   "North Korea" is one match and never also `south-korea` via "Korea",
//!   and "European Union" is one match;
//! - stop phrases: a term's stop phrase suppresses that term's aliases
//!   inside it ("American" in "American Academy of Arts and Sciences").
//!
//! What a match means for a claim (direct tag, inherited tag) is the
//! tagger's business (`tag::context`); any stage that compares claims by
//! concept may use the same matcher.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use crate::content::vocab::{split_gap, Vocabulary};

/// How an entry of the vocabulary relates to its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A name of the term (`aliases`).
    Alias,
    /// A phrase that signals the term (`cues`).
    Cue,
    /// A name of the term as a region (`regional_aliases`): it gives way
    /// where the claim names one of the term's members.
    Regional,
    /// A longer phrase that does not mean the term (`stop_phrases`).
    Stop,
}

impl Role {
    /// The vocabulary key the entry came from, as a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Alias => "alias",
            Role::Cue => "cue",
            Role::Regional => "regional alias",
            Role::Stop => "stop phrase",
        }
    }
}

/// How the case of a text must relate to the case of an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Written in lowercase: any case matches.
    Any,
    /// Written with some capitals: as written, or all in capitals.
    AsWrittenOrUpper,
    /// Written entirely in capitals (an abbreviation): only as written.
    Exact,
}

impl CaseRule {
    fn of(alias: &str) -> CaseRule {
        let upper = alias.chars().any(char::is_uppercase);
        let lower = alias.chars().any(char::is_lowercase);
        match (upper, lower) {
            (false, _) => CaseRule::Any,
            (true, true) => CaseRule::AsWrittenOrUpper,
            (true, false) => CaseRule::Exact,
        }
    }

    fn accepts(self, written: &str, found: &str) -> bool {
        match self {
            CaseRule::Any => true,
            CaseRule::Exact => written == found,
            CaseRule::AsWrittenOrUpper => {
                written == found
                    || (!found.chars().any(char::is_lowercase)
                        && found.to_uppercase() == written.to_uppercase())
            }
        }
    }
}

/// One vocabulary entry a pattern stands for.
#[derive(Debug, Clone)]
struct Entry {
    taxonomy: usize,
    term: usize,
    role: Role,
    /// The alias, cue or stop phrase as written in the vocabulary.
    written: String,
    /// The surface form searched for (the written form or its plural).
    variant: String,
    case: CaseRule,
    /// Which part of the entry the surface form is.
    part: Part,
}

/// What part of a vocabulary entry a searched surface form is: all of it,
/// or the words before or after the gap of a cue with a gap (`…`), the
/// gapped cue being numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Whole,
    BeforeGap(usize),
    AfterGap(usize),
}

/// The most words a gap stands for.
const MAX_GAP_WORDS: usize = 2;

/// Words that cannot fill a gap: a coordination starts a new phrase
/// ("investment and research" is not "investment in research").
const NOT_IN_GAP: &[&str] = &["and", "or", "but", "nor", "than", "as", "while", "whereas"];

/// True when `between`, the text between the two parts of a gapped cue,
/// is a space, or up to [`MAX_GAP_WORDS`] words separated by single spaces.
fn fills_gap(between: &str) -> bool {
    let Some(inner) = between
        .strip_prefix(' ')
        .and_then(|b| b.strip_suffix(' ').or((b.is_empty()).then_some(b)))
    else {
        return false;
    };
    if inner.is_empty() {
        return true;
    }
    let words: Vec<&str> = inner.split(' ').collect();
    words.len() <= MAX_GAP_WORDS
        && words.iter().all(|w| {
            !w.is_empty()
                && w.chars().all(|c| c.is_alphanumeric() || "-'&".contains(c))
                && !NOT_IN_GAP.contains(&w.to_lowercase().as_str())
        })
}

/// One accepted occurrence of an alias or cue in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Vocabulary::taxonomies`].
    pub taxonomy: usize,
    /// Index of the term in its taxonomy.
    pub term: usize,
    /// Alias or cue (stop phrases never become hits).
    pub role: Role,
    /// The vocabulary entry as written ("U.S.", "export control").
    pub written: String,
    /// The text as found, after whitespace and quote normalisation.
    pub found: String,
    /// Byte range in the normalised text ([`normalise`]).
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
}

/// The compiled search over all aliases, cues and stop phrases.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: AhoCorasick,
    /// Entries per pattern id.
    entries: Vec<Vec<Entry>>,
    /// Pattern ids by lowercased surface form, for elliptical coordination.
    by_text: HashMap<String, Vec<usize>>,
    /// The next conjunct of a coordination: ", sensing", " and sensing".
    conjunct: Regex,
    /// The conjunct before: "North and " before "South Korea".
    preceding: Regex,
}

/// The text as the matcher sees it: every run of whitespace (line breaks,
/// no-break spaces) is one space and typographic quotes are plain, so an
/// alias that wraps across a line, or is written with a curly apostrophe,
/// still matches.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}' | '\u{2011}' => '-',
            c => c,
        });
    }
    out
}

/// The regular English plural of the last word of `alias`, if it has one
/// worth searching for (abbreviations take a bare `s`: "EVs", "SMEs").
fn plural(alias: &str) -> Option<String> {
    let last = alias.chars().last()?;
    if !last.is_ascii_alphabetic() {
        return None;
    }
    let last_word = alias.rsplit(' ').next().unwrap_or(alias);
    match CaseRule::of(alias) {
        CaseRule::Exact => return Some(format!("{alias}s")),
        // A proper name's plural is seldom the same thing ("the Americas",
        // "the two Koreas"); demonym plurals are listed as aliases. A name
        // ending in a common noun still has one ("Biden administrations").
        CaseRule::AsWrittenOrUpper if last_word.chars().any(char::is_uppercase) => return None,
        _ => {}
    }
    let lower = alias.to_ascii_lowercase();
    let before_y = lower.chars().rev().nth(1);
    if lower.ends_with('y') && before_y.is_some_and(|c| !"aeiou".contains(c)) {
        return Some(format!("{}ies", &alias[..alias.len() - 1]));
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Some(format!("{alias}es"));
    }
    Some(format!("{alias}s"))
}

/// Words a hyphen never joins to their neighbour ("dependence on", "rules of
/// origin"): an open compound with one of them has no hyphenated spelling.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "to", "for", "and", "or", "by", "with", "from", "at", "as",
    "into", "than",
];

/// Particles of phrasal verbs: "start-up", "spin-off" and "scale-up" are
/// nouns, but "start up", "spin off" and "scale up" are verbs, so such a
/// compound has no open spelling.
const PARTICLES: &[&str] = &["up", "off", "out", "in", "on", "down", "over", "back"];

/// Prefixes that are not words of their own: "co-funding" is also written
/// "cofunding", never "co funding".
const BOUND_PREFIXES: &[&str] = &[
    "co", "re", "de", "non", "pre", "post", "anti", "multi", "inter", "bi", "tri", "semi", "sub",
];

/// The spellings an alias is searched for, itself first. A compound written
/// in lowercase is also searched for with each space between two content
/// words made a hyphen ("supply-chain") and each hyphen made a space
/// ("dual use") or, after a bound prefix, dropped ("cofunding"). Names and
/// abbreviations are searched for as written.
fn spellings(alias: &str) -> Vec<String> {
    let mut out = vec![alias.to_string()];
    if CaseRule::of(alias) != CaseRule::Any {
        return out;
    }
    let is_word = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
    let words: Vec<&str> = alias.split(' ').collect();
    for i in 1..words.len() {
        let (left, right) = (words[i - 1], words[i]);
        let left_last = left.rsplit('-').next().unwrap_or(left);
        let right_first = right.split('-').next().unwrap_or(right);
        if is_word(left_last)
            && is_word(right_first)
            && !FUNCTION_WORDS.contains(&left_last)
            && !FUNCTION_WORDS.contains(&right_first)
        {
            let mut joined = words.clone();
            let glued = format!("{left}-{right}");
            joined.splice(i - 1..=i, [glued.as_str()]);
            out.push(joined.join(" "));
        }
    }
    for (i, _) in alias.match_indices('-') {
        let before = alias[..i].rsplit([' ', '-']).next().unwrap_or_default();
        let after = alias[i + 1..].split([' ', '-']).next().unwrap_or_default();
        if !is_word(before) || !is_word(after) {
            continue;
        }
        let variant = if BOUND_PREFIXES.contains(&before) {
            format!("{}{}", &alias[..i], &alias[i + 1..])
        } else if PARTICLES.contains(&after) {
            continue;
        } else {
            format!("{} {}", &alias[..i], &alias[i + 1..])
        };
        out.push(variant);
    }
    out.dedup();
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Matcher {
    /// Compiles every alias, cue and stop phrase of `vocab` (and their
    /// plurals) into one automaton.
    ///
    /// # Errors
    /// Only if the automaton cannot be built (pattern set too large).
    pub fn new(vocab: &Vocabulary) -> anyhow::Result<Matcher> {
        let mut by_pattern: HashMap<String, Vec<Entry>> = HashMap::new();
        // (pattern, taxonomy, term, role, part) already entered: many terms
        // may share a pattern, and a set keeps that linear.
        let mut entered: HashSet<(String, usize, usize, Role, Part)> = HashSet::new();
        let mut order: Vec<String> = Vec::new();
        let mut gaps = 0;
        for (ti, tax) in vocab.taxonomies.iter().enumerate() {
            for (term_i, term) in tax.terms.iter().enumerate() {
                let lists = [
                    (Role::Alias, &term.aliases),
                    (Role::Cue, &term.cues),
                    (Role::Stop, &term.stop_phrases),
                    (Role::Regional, &term.regional_aliases),
                ];
                for (role, list) in lists {
                    for written in list {
                        let norm = normalise(written);
                        let parts = match (role, split_gap(&norm)) {
                            (Role::Cue, Some((before, after))) => {
                                gaps += 1;
                                vec![
                                    (before.to_string(), Part::BeforeGap(gaps)),
                                    (after.to_string(), Part::AfterGap(gaps)),
                                ]
                            }
                            _ => vec![(norm, Part::Whole)],
                        };
                        for (form, part) in parts {
                            let case = CaseRule::of(&form);
                            let mut variants = Vec::new();
                            for spelling in spellings(&form) {
                                // Words before a gap are not the end of a noun phrase.
                                if !matches!(part, Part::BeforeGap(_)) {
                                    variants.extend(plural(&spelling));
                                }
                                variants.push(spelling);
                            }
                            for variant in variants {
                                let entries =
                                    by_pattern.entry(variant.clone()).or_insert_with(|| {
                                        order.push(variant.clone());
                                        Vec::new()
                                    });
                                if !entered.insert((variant.clone(), ti, term_i, role, part)) {
                                    continue;
                                }
                                entries.push(Entry {
                                    taxonomy: ti,
                                    term: term_i,
                                    role,
                                    written: written.clone(),
                                    variant,
                                    case,
                                    part,
                                });
                            }
                        }
                    }
                }
            }
        }
        let entries: Vec<Vec<Entry>> = order
            .iter()
            .map(|p| by_pattern.remove(p).unwrap_or_default())
            .collect();
        let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in order.iter().enumerate() {
            by_text.entry(p.to_lowercase()).or_default().push(i);
        }
        let mut builder = AhoCorasick::builder();
        builder
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard);
        // A DFA where it fits (about a fifth faster over every claim of a
        // large site), else what the crate picks.
        let ac = match builder
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&order)
        {
            Ok(ac) => ac,
            Err(_) => builder.kind(None).build(&order)?,
        };
        let conjunct =
            Regex::new(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([\p{L}][\p{L}\p{N}-]*)")
                .expect("the conjunct pattern is valid");
        let preceding = Regex::new(
            r"(?:^|[\s(])([\p{L}][\p{L}\p{N}.'-]*)(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$",
        )
        .expect("the preceding-conjunct pattern is valid");
        Ok(Matcher {
            ac,
            entries,
            by_text,
            conjunct,
            preceding,
        })
    }

    /// Every accepted alias and cue occurrence in `text`, leftmost first,
    /// after the whole-word, case, stop-phrase and leftmost-longest rules.
    /// Offsets refer to [`normalise`]d text.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.find_normalised(&normalise(text))
    }

    /// [`Matcher::find`] of a text already passed through [`normalise`].
    pub fn find_normalised(&self, text: &str) -> Vec<Hit> {
        let mut candidates: Vec<Hit> = Vec::new();
        let mut gap_parts: Vec<(Part, Hit)> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
                continue;
            }
            let found = &text[start..end];
            for e in &self.entries[m.pattern().as_usize()] {
                if e.case.accepts(&e.variant, found) {
                    let hit = Hit {
                        taxonomy: e.taxonomy,
                        term: e.term,
                        role: e.role,
                        written: e.written.clone(),
                        found: found.to_string(),
                        start,
                        end,
                    };
                    match e.part {
                        Part::Whole => candidates.push(hit),
                        part => gap_parts.push((part, hit)),
                    }
                }
            }
        }
        self.add_elliptic(text, &mut candidates);
        let stops: Vec<Hit> = candidates
            .iter()
            .filter(|h| h.role == Role::Stop)
            .cloned()
            .collect();
        let stopped = |h: &Hit| {
            stops.iter().any(|s| {
                s.taxonomy == h.taxonomy && s.term == h.term && s.start <= h.start && h.end <= s.end
            })
        };
        candidates.retain(|h| h.role != Role::Stop && !stopped(h));
        // Leftmost first, then longest; an alias beats a cue on the same span.
        candidates.sort_by(|a, b| {
            (a.taxonomy, a.start, b.end, a.role == Role::Cue, a.term).cmp(&(
                b.taxonomy,
                b.start,
                a.end,
                b.role == Role::Cue,
                b.term,
            ))
        });
        let mut out: Vec<Hit> = Vec::new();
        let mut taken: Option<(usize, usize, usize)> = None; // (taxonomy, start, end)
        for h in candidates {
            match taken {
                Some((t, s, e)) if t == h.taxonomy && (s, e) == (h.start, h.end) => {
                    // Same span, another term: a phrase may signal several terms.
                    if !out
                        .iter()
                        .any(|o| o.taxonomy == h.taxonomy && o.term == h.term && o.start == h.start)
                    {
                        out.push(h);
                    }
                }
                Some((t, _, e)) if t == h.taxonomy && h.start < e => {}
                _ => {
                    taken = Some((h.taxonomy, h.start, h.end));
                    out.push(h);
                }
            }
        }
        // A gapped cue competes with the other hits by its own words only:
        // it takes over shorter hits inside them ("exports" in "controls on
        // chip exports") and leaves alone those in its gap ("workforce" in
        // "joint workforce training programs").
        for g in join_gaps(text, &gap_parts) {
            if stopped(&g.hit) {
                continue;
            }
            let parts = [(g.hit.start, g.head_end), (g.tail_start, g.hit.end)];
            let inside = |o: &Hit| parts.iter().any(|&(s, e)| s <= o.start && o.end <= e);
            let overlaps = |o: &Hit| parts.iter().any(|&(s, e)| o.start < e && s < o.end);
            let rival = |o: &Hit| o.taxonomy == g.hit.taxonomy && overlaps(o);
            if out.iter().any(|o| rival(o) && !inside(o)) {
                // A longer phrase already holds some of its words.
                continue;
            }
            out.retain(|o| !rival(o));
            out.push(g.hit);
        }
        out.sort_by_key(|h| (h.start, h.taxonomy, h.term));
        out
    }
}

/// A hit of a gapped cue, with where its gap lies.
struct Gapped {
    hit: Hit,
    /// End of the words before the gap.
    head_end: usize,
    /// Start of the words after the gap.
    tail_start: usize,
}

/// The hits of gapped cues: each part before a gap joined with the nearest
/// part after the same gap that follows it across a gap of up to
/// [`MAX_GAP_WORDS`] words.
fn join_gaps(text: &str, parts: &[(Part, Hit)]) -> Vec<Gapped> {
    let mut out = Vec::new();
    for (part, head) in parts {
        let Part::BeforeGap(gap) = *part else {
            continue;
        };
        let tail = parts
            .iter()
            .filter(|(p, t)| {
                *p == Part::AfterGap(gap)
                    && t.start > head.end
                    && text.is_char_boundary(head.end)
                    && fills_gap(&text[head.end..t.start])
            })
            .map(|(_, t)| t)
            .min_by_key(|t| t.start);
        if let Some(tail) = tail {
            out.push(Gapped {
                hit: Hit {
                    found: text[head.start..tail.end].to_string(),
                    end: tail.end,
                    ..head.clone()
                },
                head_end: head.end,
                tail_start: tail.start,
            });
        }
    }
    out
}

impl Matcher {
    /// Elliptical coordination, both ways. Forward: in "quantum computing,
    /// sensing, and communication" the modifier of the first conjunct is
    /// shared, so "sensing" stands for "quantum sensing". Backward: in
    /// "North and South Korea" the head of the last conjunct is shared, so
    /// "North" stands for "North Korea". For every multi-word hit the
    /// neighbouring conjuncts are tried; a chain stops at the first conjunct
    /// that does not form a known alias or cue of the same taxonomy.
    fn add_elliptic(&self, text: &str, candidates: &mut Vec<Hit>) {
        let mut extra = Vec::new();
        for h in candidates.iter().filter(|h| h.role != Role::Stop) {
            if let Some((modifier, _)) = h.found.rsplit_once(' ') {
                let mut pos = h.end;
                while let Some(word) = self.conjunct.captures(&text[pos..]).and_then(|c| c.get(1)) {
                    let (start, end) = (pos + word.start(), pos + word.end());
                    let phrase = format!("{modifier} {}", word.as_str());
                    if !self.push_elliptic(h.taxonomy, &phrase, start, end, &mut extra) {
                        break;
                    }
                    pos = end;
                }
            }
            if let Some((_, head)) = h.found.split_once(' ') {
                let mut pos = h.start;
                while let Some(word) = self.preceding.captures(&text[..pos]).and_then(|c| c.get(1))
                {
                    let phrase = format!("{} {head}", word.as_str());
                    if !self.push_elliptic(
                        h.taxonomy,
                        &phrase,
                        word.start(),
                        word.end(),
                        &mut extra,
                    ) {
                        break;
                    }
                    pos = word.start();
                }
            }
        }
        candidates.extend(extra);
    }

    /// Adds a hit for every alias or cue of `taxonomy` that `phrase` (an
    /// elided conjunct made whole) spells; false when there is none.
    fn push_elliptic(
        &self,
        taxonomy: usize,
        phrase: &str,
        start: usize,
        end: usize,
        out: &mut Vec<Hit>,
    ) -> bool {
        let mut found = false;
        for &pid in self
            .by_text
            .get(&phrase.to_lowercase())
            .into_iter()
            .flatten()
        {
            for e in &self.entries[pid] {
                if e.role != Role::Stop
                    && e.part == Part::Whole
                    && e.taxonomy == taxonomy
                    && e.case.accepts(&e.variant, phrase)
                {
                    found = true;
                    out.push(Hit {
                        taxonomy,
                        term: e.term,
                        role: e.role,
                        written: e.written.clone(),
                        found: phrase.to_string(),
                        start,
                        end,
                    });
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::taxonomy::Table;

    const COUNTRIES: &str = r#"
- id: united-states
  name: United States
  aliases: [United States, U.S., US, USA, America, American, Americans, Washington]
  stop_phrases: [American Academy of Arts and Sciences, "Washington, D.C.", University of Washington]
- id: south-korea
  name: South Korea
  aliases: [South Korea, Republic of Korea, ROK, Korea, Korean, Seoul]
- id: north-korea
  name: North Korea
  aliases: [North Korea, North Korean, DPRK]
- id: european-union
  name: European Union
  aliases: [European Union, EU, Europe, European]
- id: china
  name: China
  aliases: [China, People's Republic of China, PRC, Chinese, Beijing]
- id: taiwan
  name: Taiwan
  aliases: [Taiwan, Republic of China]
  stop_phrases: [People's Republic of China]
"#;
    const TECH: &str = r#"
- id: batteries
  name: Batteries
  aliases: [battery, lithium-ion]
  cues: [EV]
- id: quantum-technology
  name: Quantum technology
  aliases: [quantum]
- id: quantum-computing
  name: Quantum computing
  parent: quantum-technology
  aliases: [quantum computing, quantum computer]
- id: quantum-sensing
  name: Quantum sensing
  parent: quantum-technology
  aliases: [quantum sensing]
- id: quantum-communication
  name: Quantum communication
  parent: quantum-technology
  aliases: [quantum communication]
"#;
    const POLICIES: &str = r#"
- id: export-controls
  name: Export controls
  aliases: [export control]
  cues: [Entity List, dual-use list]
- id: intellectual-property
  name: Intellectual property
  aliases: [intellectual property, IP, intellectual property theft]
- id: research-security
  name: Research security
  aliases: [espionage, intellectual property theft]
"#;

    fn matcher() -> (Vocabulary, Matcher) {
        let v = Vocabulary::from_texts(&Table::defaults(), &[COUNTRIES, TECH, POLICIES]).unwrap();
        let m = Matcher::new(&v).unwrap();
        (v, m)
    }

    /// The `(term id, found)` pairs of a text, in text order.
    fn hits(text: &str) -> Vec<(String, String)> {
        let (v, m) = matcher();
        m.find(text)
            .into_iter()
            .map(|h| (v.taxonomies[h.taxonomy].terms[h.term].id.clone(), h.found))
            .collect()
    }

    fn ids(text: &str) -> Vec<String> {
        hits(text).into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn table_of_cases() {
        let cases: &[(&str, &[&str])] = &[
            // longest match: one term per name, never the shorter inside it
            ("North Korea tested a missile.", &["north-korea"]),
            (
                "South Korea and North Korea met.",
                &["south-korea", "north-korea"],
            ),
            (
                "the Republic of Korea (ROK)",
                &["south-korea", "south-korea"],
            ),
            ("the European Union budget", &["european-union"]),
            ("the People's Republic of China", &["china"]),
            ("the Republic of China on Taiwan", &["taiwan", "taiwan"]),
            // case rules
            ("let us see what the US does", &["united-states"]),
            (
                "US and U.S. and USA",
                &["united-states", "united-states", "united-states"],
            ),
            ("Tell us. Join us!", &[]),
            (
                "THE U.S.-ROK ALLIANCE AND CHINA",
                &["united-states", "south-korea", "china"],
            ),
            ("The eu is not written so.", &[]),
            ("a china cup", &[]),
            // possessives, plurals, hyphens
            ("China's lead and Korea’s answer", &["china", "south-korea"]),
            ("Americans' views", &["united-states"]),
            ("the Americas", &[]),
            (
                "U.S.-ROK cooperation on batteries for EVs",
                &["united-states", "south-korea", "batteries", "batteries"],
            ),
            ("lithium-ion Batteries", &["batteries", "batteries"]),
            ("China-based firms", &["china"]),
            // whole words only
            ("Indiana and Koreatown and ChinaTown", &[]),
            ("equip ipsum", &[]),
            // stop phrases
            ("the American Academy of Arts and Sciences reported", &[]),
            ("an American firm", &["united-states"]),
            ("based in Washington, D.C., and Seattle", &[]),
            ("the University of Washington lab", &[]),
            (
                "Washington and Seoul agreed",
                &["united-states", "south-korea"],
            ),
            // across a line break, curly apostrophe
            (
                "the United\nStates and Europe",
                &["united-states", "european-union"],
            ),
            // one phrase, two terms of one taxonomy
            (
                "intellectual property theft",
                &["intellectual-property", "research-security"],
            ),
            (
                "quantum computers and quantum sensing",
                &["quantum-computing", "quantum-sensing"],
            ),
            (
                "the Entity List and the dual-use lists",
                &["export-controls", "export-controls"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(ids(text), *want, "{text}");
        }
    }

    #[test]
    fn south_korea_is_one_match() {
        assert_eq!(
            hits("South Korea's firms"),
            vec![("south-korea".into(), "South Korea".into())]
        );
    }

    #[test]
    fn reports_written_form_and_role() {
        let (_, m) = matcher();
        let h = m.find("the Entity List");
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].role, h[0].written.as_str()),
            (Role::Cue, "Entity List")
        );
    }

    #[test]
    fn plurals() {
        for (alias, p) in [
            ("battery", "batteries"),
            ("EV", "EVs"),
            ("export control", "export controls"),
            ("tax", "taxes"),
            ("key", "keys"),
            ("U.S.", ""),
            ("America", ""),
            ("Biden administration", "Biden administrations"),
        ] {
            assert_eq!(plural(alias).unwrap_or_default(), p);
        }
    }

    #[test]
    fn spellings_of_compounds() {
        let cases: &[(&str, &[&str])] = &[
            ("supply chain", &["supply chain", "supply-chain"]),
            ("dual-use", &["dual-use", "dual use"]),
            ("co-funding", &["co-funding", "cofunding"]),
            ("de-risk", &["de-risk", "derisk"]),
            ("start-up", &["start-up"]),
            ("spin-off", &["spin-off"]),
            ("dependence on", &["dependence on"]),
            (
                "export control regime",
                &[
                    "export control regime",
                    "export-control regime",
                    "export control-regime",
                ],
            ),
            (
                "state-owned firm",
                &["state-owned firm", "state-owned-firm", "state owned firm"],
            ),
            ("R&D funding", &["R&D funding"]),
            ("Entity List", &["Entity List"]),
            ("H-1B", &["H-1B"]),
            ("battery", &["battery"]),
        ];
        for (alias, want) in cases {
            assert_eq!(spellings(alias), *want, "{alias}");
        }
    }

    #[test]
    fn compounds_match_open_hyphenated_and_closed() {
        let v = Vocabulary::from_texts(
            &Table::defaults(),
            &[
                "",
                "",
                "- {id: supply-chains, name: Supply chains, aliases: [supply chain, start-up]}\n\
             - {id: research-funding, name: Funding, aliases: [co-funding]}\n",
            ],
        )
        .unwrap();
        let m = Matcher::new(&v).unwrap();
        let found = |text: &str| -> Vec<String> {
            m.find(text)
                .into_iter()
                .map(|h| format!("{} {}", h.written, h.found))
                .collect()
        };
        assert_eq!(
            found("supply-chain risks and Supply-Chains"),
            ["supply chain supply-chain", "supply chain Supply-Chains"]
        );
        assert_eq!(
            found("cofunding and co-funding"),
            ["co-funding cofunding", "co-funding co-funding"]
        );
        assert_eq!(
            found("firms start up plants; a start-up"),
            ["start-up start-up"]
        );
    }

    #[test]
    fn gapped_cues_take_up_to_two_words() {
        let v = Vocabulary::from_texts(
            &Table::defaults(),
            &[
                "",
                "",
                "- {id: research-funding, name: Funding, cues: [investing in … R&D]}\n\
             - {id: export-controls, name: Export controls, cues: [controls on ... exports]}\n\
             - {id: trade, name: Trade, aliases: [exports]}\n",
            ],
        )
        .unwrap();
        let m = Matcher::new(&v).unwrap();
        let found = |text: &str| -> Vec<String> {
            m.find(text)
                .into_iter()
                .map(|h| format!("{}: {}", v.taxonomies[2].terms[h.term].id, h.found))
                .collect()
        };
        assert_eq!(
            found("investing in R&D"),
            ["research-funding: investing in R&D"]
        );
        assert_eq!(
            found("Korea is investing in quantum R&D."),
            ["research-funding: investing in quantum R&D"]
        );
        assert_eq!(
            found("investing in next-generation battery R&D"),
            ["research-funding: investing in next-generation battery R&D"]
        );
        // three words, a conjunction or punctuation break the collocation
        assert!(found("investing in three distinct quantum R&D").is_empty());
        assert!(found("investing in people and R&D").is_empty());
        assert!(found("investing in talent, R&D").is_empty());
        assert!(found("R&D investing in").is_empty());
        // the gapped cue covers the alias inside it
        assert_eq!(
            found("new controls on chip exports"),
            ["export-controls: controls on chip exports"]
        );
        assert_eq!(found("exports grew"), ["trade: exports"]);
    }

    #[test]
    fn words_in_a_gap_keep_their_own_terms() {
        let v = Vocabulary::from_texts(
            &Table::defaults(),
            &[
                "",
                "",
                "- {id: joint-research, name: Joint research, cues: [joint … programs]}\n\
             - {id: workforce, name: Workforce, aliases: [workforce, training]}\n\
             - {id: export-controls, name: Export controls, aliases: [export control programs]}\n",
            ],
        )
        .unwrap();
        let m = Matcher::new(&v).unwrap();
        let ids = |text: &str| -> Vec<String> {
            m.find(text)
                .into_iter()
                .map(|h| v.taxonomies[2].terms[h.term].id.clone())
                .collect()
        };
        assert_eq!(
            ids("joint workforce training programs"),
            ["joint-research", "workforce", "workforce"]
        );
        // a longer phrase holding the cue's words wins
        assert_eq!(ids("joint export control programs"), ["export-controls"]);
    }

    #[test]
    fn normalises_space_and_quotes() {
        assert_eq!(normalise("  a\n\u{a0}b’s  "), "a b's");
    }
}
