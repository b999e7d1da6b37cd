//! Reading raw lines: each line of a source typed (text, list item, note
//! line, table row, caption, noise), running headers and title lines
//! dropped, pull quotes and hard-wrapped paragraphs dealt with before the
//! structure is read, and the shape tests shared by the structure reader
//! (is this line a heading? an author line?).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::clean;
use super::hints::{norm_line, norm_title, Hints};
use super::notes::{self, superscript_digit};
use super::sections::{matches_any, BIB_SECTIONS, NOTES_SECTIONS};
use super::segment;

/// Why a line was removed, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Removed {
    /// Running headers and footers.
    Header,
    /// Lines holding only a page number.
    PageNumber,
    /// Copyright, licence, DOI, ISBN and imprint lines.
    Boilerplate,
    /// The title, publisher or an author's name printed alone.
    Title,
    /// Cover and title-page lines before the body.
    Cover,
    /// Table-of-contents entries.
    Contents,
    /// Blanks to fill in (`_____`) and form fields.
    Form,
    /// Figure captions, data labels and their source lines.
    Figure,
    /// The second copy of a pull quote or sidebar.
    PullQuote,
    /// Lines the brief's `ingest:` hints drop.
    Hint,
}

impl Removed {
    /// How the summary names it.
    pub fn label(self) -> &'static str {
        match self {
            Removed::Header => "running header/footer lines",
            Removed::PageNumber => "page numbers",
            Removed::Boilerplate => "copyright/licence/DOI lines",
            Removed::Title => "title and name lines",
            Removed::Cover => "cover lines",
            Removed::Contents => "contents entries",
            Removed::Form => "form lines",
            Removed::Figure => "figure lines",
            Removed::PullQuote => "pull-quote repeats",
            Removed::Hint => "lines dropped by hints",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Blank,
    Noise(Removed),
    Note(String, String),
    Tab(Vec<String>),
    TableLabel(String),
    Figure,
    SrcNote(String),
    Url(String),
    List(String),
    Text(String),
}

static TABLE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:TABLE|Table)\s+(\d+)[.:]?\s*(.*)$").expect("static regex"));
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:FIGURE|Figure|Fig\.|GRAPHIC|Graphic|CHART|Chart|EXHIBIT|Exhibit|MAP|Map)\s+\d+[.:]?\s*(.*)$",
    )
    .expect("static regex")
});
static SRC_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:sources?|notes?)\s*:").expect("static regex"));
/// A bullet (`?` stands for a bullet glyph the conversion lost), a dash,
/// or a list number, then the item.
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-•▪●◦–○■□◆◇➢➤►▸✓\u{f0b7}\u{f0a7}]\s*|\*\s+|\?\s+|\d{1,2}[.)]\s+)(.*)$")
        .expect("static regex")
});
/// Copyright, licence, DOI and imprint lines, wherever they stand.
static BOILERPLATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^©|^\(c\) \d{4}|^copyright\b|\ball rights reserved\b|^ISBN\b|^ISSN\b|^printed in ",
        r"|^doi\s*:|^https?://(dx\.)?doi\.org/|\bcreative commons\b|^licen[cs]e\s*:",
        r"|^(this|the) (work|report|paper|publication|brief|document) is (licensed|published) under",
        r"|^cc[ -]by\b|^suggested citation\s*:|^cite as\s*:"
    ))
    .expect("static regex")
});
/// A run of underscores: a blank to fill in.
static FORM_BLANK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"_{4,}").expect("static regex"));
/// A page number printed beside a header's text: `12 | Title`, `Title
/// 12`, `12<TAB>Title` (two or more spaces, a tab or a bar between).
static PAGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:page\s+)?\d{1,4}(?:\s{2,}|\s*\t\s*|\s*\|\s*)(.+?)|(.+?)(?:\s{2,}|\s*\t\s*|\s*\|\s*)(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?)$")
        .expect("static regex")
});
/// A short text and "Page N" (or "Page N of M") with three or more
/// spaces or a tab between, either way round.
static SPACED_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:.{2,60}?(?:\s{3,}|\t)page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?(?:\s{3,}|\t).{2,60})$")
        .expect("static regex")
});
static NAME_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*|[A-Z]\.|Jr\.?)$").expect("static regex")
});

/// What typing a line needs to know about the document.
pub(super) struct LineContext<'a> {
    pub hints: &'a Hints,
    /// Running headers and footers, compared with [`norm_line`].
    pub headers: &'a HashSet<String>,
    /// The brief's title, subtitle, series and publisher.
    pub titles: &'a HashSet<String>,
    /// The brief's authors and editors.
    pub people: &'a HashSet<String>,
    /// The text has asterisk markers, so `* text` is a note.
    pub star_notes: bool,
}

/// The text of a header line without the page number printed beside it.
fn without_page_number(t: &str) -> Option<String> {
    let c = PAGED.captures(t)?;
    let core = c.get(1).or_else(|| c.get(2))?.as_str();
    Some(norm_line(core))
}

pub(super) fn type_line(line: &str, cx: &LineContext<'_>) -> Kind {
    let t = line.trim();
    if t.is_empty() || matches!(t, "-" | "•" | "*" | "–" | "●" | "?") {
        return Kind::Blank;
    }
    let n = norm_line(t);
    if cx.hints.drop_lines.iter().any(|r| r.is_match(t)) {
        return Kind::Noise(Removed::Hint);
    }
    if BOILERPLATE_LINE.is_match(t) {
        return Kind::Noise(Removed::Boilerplate);
    }
    if clean::is_page_number(t) {
        return Kind::Noise(Removed::PageNumber);
    }
    if cx.headers.contains(&n) {
        return Kind::Noise(Removed::Header);
    }
    if let Some(core) = without_page_number(t) {
        if cx.headers.contains(&core) || cx.titles.contains(&core) {
            return Kind::Noise(Removed::Header);
        }
    }
    // "Harbour Policy Lab      Page 2": a word "Page" and its number set
    // off from a short text by a wide gap is a page's header or footer,
    // even printed once.
    if SPACED_PAGE.is_match(t) {
        return Kind::Noise(Removed::Header);
    }
    let unprefixed = n.strip_prefix("by ").unwrap_or(&n);
    if cx.titles.contains(&n) || cx.people.contains(unprefixed) || n.starts_with("edited by") {
        return Kind::Noise(Removed::Title);
    }
    if FORM_BLANK.is_match(t) {
        return Kind::Noise(Removed::Form);
    }
    if let Some((num, text)) = notes::parse_note_line(t) {
        return Kind::Note(num, clean::inline(&text));
    }
    if cx.star_notes {
        if let Some((num, text)) = notes::parse_star_note(t) {
            return Kind::Note(num, clean::inline(&text));
        }
    }
    if t.contains('\t') {
        let mut cells: Vec<String> = t.split('\t').map(clean::inline).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        // An empty cell inside a row keeps its column.
        if cells.iter().filter(|c| !c.is_empty()).count() >= 2 {
            return Kind::Tab(cells);
        }
    }
    let t = &t.replace('\t', " ");
    // "TABLE 1" or "Table 1: Caption" label a table; "Table 1 suggests
    // that ..." is a sentence about it.
    if let Some(c) = TABLE_LABEL.captures(t) {
        let rest = clean::inline(&c[2]);
        if rest.is_empty() || heading_like(&rest) {
            return Kind::TableLabel(format!("Table {}. {rest}", &c[1]).trim().to_string());
        }
    }
    if let Some(c) = FIGURE.captures(t) {
        let rest = clean::inline(&c[1]);
        if rest.is_empty() || heading_like(&rest) || heading_like(t) {
            return Kind::Figure;
        }
    }
    if SRC_NOTE.is_match(t) {
        return Kind::SrcNote(clean::inline(t));
    }
    if (t.starts_with("<http") || t.starts_with("http")) && !t.contains(' ') {
        return Kind::Url(t.to_string());
    }
    if !t.starts_with("**") {
        if let Some(c) = LIST.captures(t) {
            let item = clean::inline(&c[1]);
            // "?" is a lost bullet only before a capital; "-" needs its space.
            let lost = t.starts_with('?') && !item.chars().next().is_some_and(char::is_uppercase);
            let dash = t.starts_with('-') && !t.starts_with("- ");
            if !lost && !dash {
                return if item.is_empty() {
                    Kind::Blank
                } else {
                    Kind::List(item)
                };
            }
        }
    }
    Kind::Text(clean::inline(t))
}

/// Marks stand-alone repeated sentences (pull quotes) as noise.
pub(super) fn drop_pull_quotes(kinds: &mut [Kind]) {
    // Pull quotes stand in the body; after the notes or references begin,
    // a repeated line is a citation, not a quote.
    let body_end = kinds
        .iter()
        .position(|k| match k {
            Kind::Text(t) | Kind::List(t) => {
                let title = norm_title(t);
                t.split_whitespace().count() <= 3
                    && (matches_any(&title, NOTES_SECTIONS, &[])
                        || matches_any(&title, BIB_SECTIONS, &[]))
            }
            _ => false,
        })
        .unwrap_or(kinds.len());
    let idx: Vec<usize> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k, Kind::Text(_)))
        .map(|(i, _)| i)
        .collect();
    let texts: Vec<&str> = idx
        .iter()
        .map(|&i| match &kinds[i] {
            Kind::Text(t) => t.as_str(),
            _ => "",
        })
        .collect();
    let quotes = clean::pull_quotes(&texts);
    for q in quotes {
        if idx[q] < body_end {
            kinds[idx[q]] = Kind::Noise(Removed::PullQuote);
        }
    }
}

/// Whether a line of text reads as a heading: short, one sentence, no
/// final punctuation, not starting lowercase.
pub fn heading_like(text: &str) -> bool {
    let t = notes::strip_trailing_markers(text).trim();
    let Some(first) = t.chars().next() else {
        return false;
    };
    if !(first.is_uppercase() || first.is_ascii_digit() || first == '“' || first == '*') {
        return false;
    }
    if t.len() > 170 || t.split_whitespace().count() > 20 {
        return false;
    }
    let last = t.chars().last().unwrap_or('.');
    let caps = !t.chars().any(char::is_lowercase);
    if matches!(last, '.' | ',' | ';' | '!' | '?' | '”' | '"' | '’') || (last == ':' && !caps) {
        return false;
    }
    // A line ending in a function word is a sentence cut by a break.
    let last_word = t
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    if t.split_whitespace().count() > 1 && FUNCTION_WORDS.contains(&last_word.as_str()) {
        return false;
    }
    segment::split(t).len() == 1
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "in", "for", "with", "on", "by", "as", "at", "from",
    "that", "which", "is", "are", "was", "were", "its", "their", "but", "than",
];

/// In a document whose paragraphs are separated by blank lines and whose
/// lines are wrapped at a fixed width, consecutive lines of text are one
/// paragraph: they are joined before anything else looks at them. Lines
/// shorter than half the width end a paragraph (or are a heading). A word
/// hyphenated at a line end is joined as the document's `vocab` evidences
/// (`clean::join_onto`).
pub(super) fn unwrap_hard_wrapped(kinds: &mut [Kind], raw: &[&str], vocab: &HashSet<String>) {
    let blank = raw.iter().filter(|l| l.trim().is_empty()).count();
    let mut lengths: Vec<usize> = kinds
        .iter()
        .filter_map(|k| match k {
            Kind::Text(t) => Some(t.chars().count()),
            _ => None,
        })
        .collect();
    if lengths.len() < 10 || blank * 10 < (raw.len() - blank) * 3 {
        return;
    }
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 9 / 10];
    if width > 120 {
        return;
    }
    let mut i = 0;
    while i + 1 < kinds.len() {
        let (head, rest) = kinds.split_at_mut(i + 1);
        let (Kind::Text(a), Kind::Text(b)) = (&mut head[i], &rest[0]) else {
            i += 1;
            continue;
        };
        if a.chars().count() * 2 < width && !hyphenated(a) {
            i += 1;
            continue;
        }
        let mut joined = std::mem::take(a);
        clean::join_onto(&mut joined, b, vocab);
        kinds[i + 1] = Kind::Blank;
        // Pull the next line up to `i` so a chain joins into one paragraph
        // (appended in place: a long chain costs its length).
        let mut j = i + 2;
        while j < kinds.len() {
            let Kind::Text(c) = &kinds[j] else { break };
            let prev = raw.get(j - 1).map_or("", |l| l.trim());
            if prev.chars().count() * 2 < width && !hyphenated(prev) {
                break;
            }
            clean::join_onto(&mut joined, c, vocab);
            kinds[j] = Kind::Blank;
            j += 1;
        }
        kinds[i] = Kind::Text(joined);
        i = j;
    }
}

/// Whether a line ends in a word hyphenated at the line break ("pro-"),
/// so the next line continues it however short the line is.
fn hyphenated(line: &str) -> bool {
    let t = line.trim_end();
    t.strip_suffix('-')
        .is_some_and(|s| s.chars().last().is_some_and(char::is_alphabetic))
}

/// A heading as shown in a section path: markers and a trailing colon
/// dropped, all-capitals turned to title case.
pub fn display_heading(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| superscript_digit(*c).is_none())
        .collect();
    let t = t.trim().trim_end_matches(':').trim();
    if t.chars().any(char::is_lowercase) {
        return t.to_string();
    }
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
    ];
    t.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if w.starts_with('(')
                || (w.len() <= 4 && w.chars().all(|c| c.is_uppercase()) && !is_word(&lower))
            {
                w.to_string()
            } else if i > 0 && SMALL.contains(&lower.as_str()) {
                lower
            } else {
                let mut c = lower.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Short all-capital words that are ordinary words, not acronyms.
fn is_word(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "way"
            | "to"
            | "of"
            | "and"
            | "in"
            | "for"
            | "a"
            | "an"
            | "on"
            | "past"
            | "year"
            | "main"
            | "key"
            | "new"
            | "our"
            | "its"
            | "what"
            | "why"
            | "how"
    )
}

/// Words of headings, never of personal names.
const NOT_NAMES: &[&str] = &[
    "summary",
    "executive",
    "introduction",
    "conclusion",
    "conclusions",
    "policy",
    "policies",
    "background",
    "context",
    "findings",
    "key",
    "recommendations",
    "overview",
    "chapter",
    "section",
    "part",
    "appendix",
    "analysis",
    "stock",
    "taking",
    "options",
    "implications",
    "argument",
    "main",
    "notes",
    "references",
    "contents",
    "abstract",
    "methodology",
    "methods",
    "results",
    "discussion",
    "outlook",
    "way",
    "forward",
    "challenges",
    "opportunities",
    "strategy",
    "strategies",
    "technology",
    "technologies",
    "cooperation",
    "collaboration",
    "security",
    "supply",
    "chains",
    "chain",
    "research",
    "development",
    "quantum",
    "trade",
    "export",
    "controls",
    "market",
    "markets",
    "industry",
    "global",
    "national",
    "international",
    "future",
    "current",
    "landscape",
    "table",
    "figure",
    "box",
    "annex",
    "glossary",
    "preface",
    "foreword",
    "acknowledgments",
    "acknowledgements",
    "about",
    "authors",
    "author",
    "by",
];

/// The names of an author line ("Charlie Vest and Sangmin Shim"), if the
/// line is one.
pub fn name_list(text: &str) -> Option<Vec<String>> {
    // A two-word title ("Executive Summary", "Taking Stock") has the shape
    // of a name; the words of headings give it away.
    let t = text.trim();
    if t.len() > 90 || t.ends_with(['.', ':', ',', ';']) {
        return None;
    }
    let t = t
        .replace(", and ", ", ")
        .replace(" and ", ", ")
        .replace(" & ", ", ");
    let mut names = Vec::new();
    for part in t.split(", ") {
        let tokens: Vec<&str> = part.split_whitespace().collect();
        if !(2..=4).contains(&tokens.len())
            || !tokens.iter().all(|w| NAME_TOKEN.is_match(w))
            || tokens
                .iter()
                .any(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
        {
            return None;
        }
        names.push(tokens.join(" "));
    }
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert!(heading_like("International Quantum Technology Landscape"));
        assert!(heading_like(
            "Implications of U.S. De-risking Policy for U.S.-ROK Cooperation on Batteries¹"
        ));
        assert!(heading_like("THE CHALLENGES:"));
        assert!(!heading_like("consortia. Of course, companies differ."));
        assert!(!heading_like("Quantum technology is no exception."));
        assert_eq!(display_heading("THE WAY FORWARD:"), "The Way Forward");
        assert_eq!(
            display_heading("INTRODUCTION TO QUANTUM TECHNOLOGY (QT)"),
            "Introduction to Quantum Technology (QT)"
        );
    }

    #[test]
    fn fragments_ending_in_function_words_are_not_headings() {
        assert!(!heading_like(
            "The United States has imposed controls on exporting to the"
        ));
        assert!(heading_like("Export Controls"));
    }

    #[test]
    fn author_lines() {
        assert_eq!(
            name_list("Charlie Vest and Sangmin Shim"),
            Some(vec!["Charlie Vest".into(), "Sangmin Shim".into()])
        );
        assert_eq!(
            name_list("Hyun-Chul Kim"),
            Some(vec!["Hyun-Chul Kim".into()])
        );
        assert_eq!(name_list("Seattle and Washington, D.C."), None);
        assert_eq!(name_list("Key findings"), None);
        assert_eq!(name_list("Executive Summary"), None);
        assert_eq!(name_list("Taking Stock"), None);
    }
}
