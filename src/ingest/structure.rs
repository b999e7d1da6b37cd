//! The document's structure: each raw line typed (text, list item, note
//! line, table row, caption, noise), then read in order by a small state
//! machine that knows where the body starts and ends, which sections are
//! front or back matter, where notes and the bibliography are, which
//! headings open chapters (a heading followed by an author line), and
//! where tables, figures and author biographies stand.
//!
//! The result is a flat list of [`Item`]s (headings, paragraphs, tables)
//! plus the notes, bibliography, biographies and chapters of the brief.
//! Paragraph joins and run-in headings are applied afterwards by
//! [`finish`].

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::clean;
use super::hints::{norm_line, norm_title, Hints};
use super::notes::{self, superscript_digit};
use super::segment;
use crate::schema::RawChapter;

/// A heading's rank in the section path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A section of an edited volume with its own author line.
    Authored,
    /// A heading set in capitals ("THE CHALLENGES:", "EXECUTIVE SUMMARY"):
    /// where a document also has mixed-case headings, the capitals are the
    /// higher level.
    Major,
    /// An ordinary heading.
    Plain,
    /// A run-in heading opening a paragraph ("Export controls. The ...").
    RunIn,
}

/// One element of the body, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A new chapter (index into [`Doc::chapters`]) starts here.
    Chapter(usize),
    Heading {
        text: String,
        level: Level,
    },
    /// A paragraph or list item, markers still in the text.
    Para {
        text: String,
        list: bool,
        chapter: Option<usize>,
        line: usize,
    },
    /// A table as Markdown (caption, rows, notes).
    Table {
        text: String,
        chapter: Option<usize>,
        line: usize,
    },
}

/// A source document read into structure.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub items: Vec<Item>,
    /// Notes as (chapter scope, number, text), in source order.
    pub notes: Vec<(Option<usize>, String, String)>,
    pub bibliography: Vec<String>,
    /// Author biographies and "about" text.
    pub about: Vec<String>,
    pub chapters: Vec<RawChapter>,
    /// Whether note markers are plain digits glued to words.
    pub glued_markers: bool,
}

/// What the brief metadata says about the document, used to recognise its
/// title and author lines.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub titles: Vec<String>,
    pub people: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Blank,
    Noise,
    Note(String, String),
    Tab(Vec<String>),
    TableLabel(String),
    Figure,
    SrcNote(String),
    Url(String),
    List(String),
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Front,
    Body,
    Skip,
    Notes,
    Bib,
    About,
    End,
}

static TABLE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:TABLE|Table)\s+(\d+)[.:]?\s*(.*)$").expect("static regex"));
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:FIGURE|Figure|GRAPHIC|Graphic|CHART|Chart)\s+\d+\b").expect("static regex")
});
static SRC_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(SOURCES?|NOTES?)\s*:").expect("static regex"));
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-•▪●◦–]\s+|\*\s+|\d{1,2}[.)]\s+)(.*)$").expect("static regex")
});
static CAPS_RUN_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Z0-9 &()'’/,\-]{2,80}):\s+(\S.*)$").expect("static regex")
});
static BIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z'’\-.]+(?:\s+[A-Z][A-Z'’\-.]+){1,3}\s+(is|was|has|serves)\b")
        .expect("static regex")
});
static AUTHORED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^This (section|chapter|essay|paper) (is|was) (authored|written) by\b")
        .expect("static regex")
});
/// Copyright and imprint lines, wherever they stand.
static BOILERPLATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^©|^copyright \d|\ball rights reserved\b|^ISBN\b|^ISSN\b|^printed in ")
        .expect("static regex")
});
static NAME_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*|[A-Z]\.|Jr\.?)$").expect("static regex")
});

/// Section titles kept out of claims by default (compared after
/// [`norm_title`]; a title also matches when it ends with one of these).
const SKIP_SECTIONS: &[&str] = &[
    "abbreviations",
    "acronyms",
    "list of abbreviations",
    "table of contents",
    "contents",
    "acknowledgments",
    "acknowledgements",
    "about this perspective",
    "about this report",
    "about the publisher",
    "research integrity",
    "limited print and electronic distribution rights",
    "board of directors",
    "board of advisors",
    "board of trustees",
    "chairs and counselors",
    "copyright",
    "disclaimer",
    "spread the word",
];
const NOTES_SECTIONS: &[&str] = &["notes", "endnotes", "footnotes"];
const BIB_SECTIONS: &[&str] = &["references", "bibliography", "works cited", "sources cited"];
const ABOUT_SECTIONS: &[&str] = &[
    "about the author",
    "about the authors",
    "about the editors",
    "about the contributors",
];

fn matches_any(title: &str, list: &[&str], extra: &[String]) -> bool {
    list.iter()
        .any(|s| title == *s || title.ends_with(&format!(" {s}")))
        || extra.iter().any(|s| title == s)
}

/// Reads a source into structure.
pub fn read(source: &str, hints: &Hints, known: &Known) -> Doc {
    let raw: Vec<&str> = source.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut headers = clean::detect_running_headers(&raw);
    headers.extend(hints.running_headers.iter().cloned());
    let titles: HashSet<String> = known
        .titles
        .iter()
        .flat_map(|t| {
            let mut v = vec![norm_line(t)];
            for part in t.split([':', '—']) {
                v.push(norm_line(part));
            }
            v
        })
        .filter(|t| t.len() > 3)
        .collect();
    let people: HashSet<String> = known.people.iter().map(|p| norm_line(p)).collect();

    let mut kinds: Vec<Kind> = raw
        .iter()
        .map(|l| type_line(l, hints, &headers, &titles, &people))
        .collect();
    unwrap_hard_wrapped(&mut kinds, &raw);
    drop_pull_quotes(&mut kinds);

    let glued = hints
        .glued_markers
        .unwrap_or_else(|| raw.iter().filter(|l| notes::is_pipe_note(l)).count() >= 3);
    let mut sm = Scanner {
        kinds: &kinds,
        raw: &raw,
        hints,
        people: &known.people,
        doc: Doc {
            glued_markers: glued,
            ..Doc::default()
        },
        region: if hints.start_at.is_some() {
            Region::Front
        } else {
            Region::Body
        },
        after_notes: false,
        chapter: None,
        table: None,
        last_note: false,
        consumed: HashSet::new(),
        in_figure: false,
    };
    sm.run();
    sm.doc
}

fn type_line(
    line: &str,
    hints: &Hints,
    headers: &HashSet<String>,
    titles: &HashSet<String>,
    people: &HashSet<String>,
) -> Kind {
    let t = line.trim();
    if t.is_empty() || matches!(t, "-" | "•" | "*" | "–") {
        return Kind::Blank;
    }
    let n = norm_line(t);
    if hints.drop_lines.iter().any(|r| r.is_match(t))
        || BOILERPLATE_LINE.is_match(t)
        || headers.contains(&n)
        || clean::is_page_number(t)
        || titles.contains(&n)
        || people.contains(&n)
        || n.starts_with("edited by")
    {
        return Kind::Noise;
    }
    if let Some((num, text)) = notes::parse_note_line(t) {
        return Kind::Note(num, clean::inline(&text));
    }
    if t.contains('\t') {
        let mut cells: Vec<String> = t.split('\t').map(clean::inline).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        return Kind::Tab(cells);
    }
    // "TABLE 1" or "Table 1: Caption" label a table; "Table 1 suggests
    // that ..." is a sentence about it.
    if let Some(c) = TABLE_LABEL.captures(t) {
        let rest = clean::inline(&c[2]);
        if rest.is_empty() || heading_like(&rest) {
            return Kind::TableLabel(format!("Table {}. {rest}", &c[1]).trim().to_string());
        }
    }
    if FIGURE.is_match(t) && heading_like(t) {
        return Kind::Figure;
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
            return if item.is_empty() {
                Kind::Blank
            } else {
                Kind::List(item)
            };
        }
    }
    Kind::Text(clean::inline(t))
}

/// Marks stand-alone repeated sentences (pull quotes) as noise.
fn drop_pull_quotes(kinds: &mut [Kind]) {
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
            kinds[idx[q]] = Kind::Noise;
        }
    }
}

/// Whether a line of text reads as a heading: short, one sentence, no
/// final punctuation, not starting lowercase.
pub fn heading_like(text: &str) -> bool {
    let t = strip_trailing_markers(text).trim();
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
/// shorter than half the width end a paragraph (or are a heading).
fn unwrap_hard_wrapped(kinds: &mut [Kind], raw: &[&str]) {
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
        let (Kind::Text(a), Kind::Text(b)) = (&kinds[i], &kinds[i + 1]) else {
            i += 1;
            continue;
        };
        if a.chars().count() * 2 < width {
            i += 1;
            continue;
        }
        let joined = clean::join_pieces(a, b, &HashSet::new());
        kinds[i] = Kind::Text(joined);
        kinds[i + 1] = Kind::Blank;
        // Pull the next line up to `i` so a chain joins into one paragraph.
        let mut j = i + 2;
        while j < kinds.len() {
            match &kinds[j] {
                Kind::Text(c) => {
                    let Kind::Text(cur) = &kinds[i] else { break };
                    let prev_len = raw.get(j - 1).map_or(0, |l| l.trim().chars().count());
                    if prev_len * 2 < width {
                        break;
                    }
                    let joined = clean::join_pieces(cur, c, &HashSet::new());
                    kinds[i] = Kind::Text(joined);
                    kinds[j] = Kind::Blank;
                    j += 1;
                }
                _ => break,
            }
        }
        i = j;
    }
}

fn strip_trailing_markers(text: &str) -> &str {
    text.trim_end()
        .trim_end_matches(|c: char| superscript_digit(c).is_some())
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

/// The names of an author line ("Charlie Vest and Sangmin Shim"), if the
/// line is one.
pub fn name_list(text: &str) -> Option<Vec<String>> {
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
        if !(2..=4).contains(&tokens.len()) || !tokens.iter().all(|w| NAME_TOKEN.is_match(w)) {
            return None;
        }
        names.push(tokens.join(" "));
    }
    (!names.is_empty()).then_some(names)
}

struct PendingTable {
    caption: String,
    caption_wanted: bool,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
    line: usize,
}

struct Scanner<'a> {
    kinds: &'a [Kind],
    raw: &'a [&'a str],
    hints: &'a Hints,
    people: &'a [String],
    doc: Doc,
    region: Region,
    after_notes: bool,
    chapter: Option<usize>,
    table: Option<PendingTable>,
    /// The last thing read was a note (so a stray line may continue it).
    last_note: bool,
    consumed: HashSet<usize>,
    in_figure: bool,
}

impl Scanner<'_> {
    fn run(&mut self) {
        for i in 0..self.kinds.len() {
            if self.consumed.contains(&i) {
                continue;
            }
            let line = norm_line(self.raw[i]);
            if self.region == Region::Front {
                if self.hints.start_at.as_deref() == Some(line.as_str()) {
                    self.region = Region::Body;
                } else {
                    continue;
                }
            }
            if self.hints.stop_at.as_deref() == Some(line.as_str()) {
                self.flush_table();
                self.region = Region::End;
            }
            if self.region == Region::End {
                continue;
            }
            self.step(i);
        }
        self.flush_table();
    }

    fn step(&mut self, i: usize) {
        match self.kinds[i].clone() {
            Kind::Blank | Kind::Noise => {}
            Kind::Note(num, text) => {
                if !matches!(self.region, Region::Skip | Region::Bib | Region::About) {
                    if AUTHORED_BY.is_match(&text) {
                        self.doc.about.push(text.clone());
                    }
                    self.doc.notes.push((self.chapter, num, text));
                    self.last_note = true;
                }
            }
            Kind::Url(u) => match self.region {
                Region::Bib => {
                    if let Some(last) = self.doc.bibliography.last_mut() {
                        last.push(' ');
                        last.push_str(&u);
                    }
                }
                Region::Notes | Region::Body if self.last_note => self.append_note(&u, false),
                _ => {}
            },
            Kind::Figure => {
                self.flush_table();
                self.in_figure = true;
            }
            Kind::SrcNote(t) => {
                if let Some(tab) = self.table.as_mut() {
                    if !self.in_figure {
                        tab.notes.push(t);
                    }
                }
            }
            Kind::TableLabel(caption) => {
                self.flush_table();
                self.in_figure = false;
                if self.region == Region::Body {
                    let wanted = caption.trim_end().ends_with('.');
                    self.table = Some(PendingTable {
                        caption,
                        caption_wanted: wanted,
                        rows: Vec::new(),
                        notes: Vec::new(),
                        line: i + 1,
                    });
                }
            }
            Kind::Tab(cells) => {
                if self.region != Region::Body {
                    return;
                }
                self.in_figure = false;
                let tab = self.table.get_or_insert_with(|| PendingTable {
                    caption: String::new(),
                    caption_wanted: false,
                    rows: Vec::new(),
                    notes: Vec::new(),
                    line: i + 1,
                });
                tab.caption_wanted = false;
                tab.rows.push(cells);
            }
            Kind::List(text) => self.text(i, &text, true),
            Kind::Text(text) => self.text(i, &text, false),
        }
    }

    fn text(&mut self, i: usize, text: &str, list: bool) {
        self.in_figure = false;
        let title = norm_title(text);
        let short = text.split_whitespace().count() <= 8;
        // A section switch by its title, whatever region we are in.
        if short && (heading_like(text) || list) {
            let h = self.hints;
            let target = if matches_any(&title, NOTES_SECTIONS, &[]) {
                Some(Region::Notes)
            } else if matches_any(&title, BIB_SECTIONS, &[]) {
                Some(Region::Bib)
            } else if matches_any(&title, ABOUT_SECTIONS, &h.about_sections) {
                Some(Region::About)
            } else if matches_any(&title, SKIP_SECTIONS, &h.skip_sections) {
                Some(Region::Skip)
            } else {
                None
            };
            if let Some(r) = target {
                self.flush_table();
                if matches!(r, Region::Notes | Region::Bib) {
                    self.after_notes = true;
                }
                self.region = r;
                self.last_note = false;
                return;
            }
        }
        match self.region {
            Region::Front | Region::End => {}
            Region::Notes => {
                if self.last_note || !self.doc.notes.is_empty() {
                    self.append_note(text, list);
                }
            }
            Region::Bib => {
                if !list && (text.starts_with('<') || text.starts_with("http")) {
                    if let Some(last) = self.doc.bibliography.last_mut() {
                        last.push(' ');
                        last.push_str(text);
                        return;
                    }
                }
                self.doc.bibliography.push(text.to_string());
            }
            Region::About => {
                if heading_like(text) && !list {
                    self.region = Region::Skip;
                } else if self.people.is_empty()
                    || self.people.iter().any(|p| {
                        p.split_whitespace()
                            .last()
                            .is_some_and(|last| text.contains(last))
                    })
                {
                    self.doc.about.push(text.to_string());
                }
            }
            Region::Skip => {
                // A skipped section ends at the next heading, or at a
                // lowercase line that continues the text it interrupted
                // (an abbreviations list set in the middle of a paragraph).
                let lower_start = text.chars().next().is_some_and(char::is_lowercase);
                if !list && !self.after_notes && (lower_start || self.is_heading(i, text)) {
                    self.region = Region::Body;
                    self.body_text(i, text, list);
                }
            }
            Region::Body => self.body_text(i, text, list),
        }
    }

    fn append_note(&mut self, text: &str, list: bool) {
        if let Some((_, _, last)) = self.doc.notes.last_mut() {
            if list {
                last.push_str("\n- ");
                last.push_str(text);
            } else {
                *last = clean::join_pieces(last, text, &HashSet::new());
            }
            self.last_note = true;
        }
    }

    /// The next line that carries running text (skipping noise, notes,
    /// tables and captions).
    fn next_content(&self, i: usize) -> Option<(usize, &str, bool)> {
        let mut caption_next = false;
        for j in i + 1..self.kinds.len() {
            match &self.kinds[j] {
                Kind::TableLabel(c) => caption_next = c.ends_with('.'),
                Kind::Text(t) if caption_next && heading_like(t) => caption_next = false,
                Kind::Text(t) => return Some((j, t, false)),
                Kind::List(t) => return Some((j, t, true)),
                _ => {}
            }
        }
        None
    }

    fn is_heading(&self, i: usize, text: &str) -> bool {
        heading_like(text)
            && !self
                .next_content(i)
                .is_some_and(|(_, t, _)| t.chars().next().is_some_and(char::is_lowercase))
    }

    fn body_text(&mut self, i: usize, text: &str, list: bool) {
        // A stray line after an unfinished note continues it, unless the
        // running text itself is waiting for its continuation.
        if self.last_note && !list {
            let lower =
                text.chars().next().is_some_and(char::is_lowercase) || text.starts_with('<');
            let note_open = self
                .doc
                .notes
                .last()
                .is_some_and(|(_, _, t)| clean::is_unfinished(t));
            let body_open = self.last_para_open();
            if note_open && !body_open && (lower || !heading_like(text)) {
                self.append_note(text, false);
                return;
            }
        }
        self.last_note = false;

        // Table caption on the line after "TABLE 1".
        if let Some(tab) = self.table.as_mut() {
            if tab.caption_wanted && tab.rows.is_empty() && heading_like(text) {
                tab.caption.push(' ');
                tab.caption.push_str(text);
                tab.caption_wanted = false;
                return;
            }
        }
        self.flush_table();

        if !list {
            if let Some(c) = CAPS_RUN_IN.captures(text) {
                let head = c[1].to_string();
                if head
                    .split_whitespace()
                    .any(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 3)
                {
                    self.push_heading(&head, Level::Plain);
                    self.push_para(&c[2], false, i);
                    return;
                }
            }
            if self.is_heading(i, text) {
                // An author line right after a heading makes it a chapter
                // or an authored section.
                let mut authors = None;
                for j in i + 1..self.kinds.len() {
                    match &self.kinds[j] {
                        // A name the brief lists (an editor who also
                        // wrote a chapter) was typed as noise.
                        Kind::Noise => {
                            if let Some(names) = name_list(self.raw[j].trim()) {
                                authors = Some(names);
                                break;
                            }
                        }
                        Kind::Blank | Kind::Note(..) => continue,
                        Kind::Text(t) => {
                            if let Some(names) = name_list(t) {
                                authors = Some(names);
                                self.consumed.insert(j);
                            }
                            break;
                        }
                        _ => break,
                    }
                }
                match authors {
                    Some(names) => self.authored_heading(text, names),
                    None => self.push_heading(text, Level::Plain),
                }
                return;
            }
            if BIO.is_match(text) {
                self.doc.about.push(text.to_string());
                return;
            }
        }
        self.push_para(text, list, i);
    }

    fn last_para_open(&self) -> bool {
        for item in self.doc.items.iter().rev() {
            match item {
                Item::Para { text, list, .. } => return !list && clean::is_unfinished(text),
                Item::Table { .. } => continue,
                _ => return false,
            }
        }
        false
    }

    fn authored_heading(&mut self, text: &str, names: Vec<String>) {
        let within = self.chapter.is_some_and(|c| {
            let ch = &self.doc.chapters[c];
            names.iter().all(|n| ch.authors.contains(n))
        });
        if within {
            self.push_heading(text, Level::Authored);
            return;
        }
        let idx = self.doc.chapters.len();
        self.doc.chapters.push(RawChapter {
            id: Some(format!("ch{}", idx + 1)),
            title: Some(display_heading(text)),
            authors: names,
        });
        self.chapter = Some(idx);
        self.doc.items.push(Item::Chapter(idx));
    }

    fn push_heading(&mut self, text: &str, level: Level) {
        let caps = text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase);
        let level = if level == Level::Plain && caps {
            Level::Major
        } else {
            level
        };
        self.doc.items.push(Item::Heading {
            text: display_heading(text),
            level,
        });
    }

    fn push_para(&mut self, text: &str, list: bool, i: usize) {
        self.doc.items.push(Item::Para {
            text: text.to_string(),
            list,
            chapter: self.chapter,
            line: i + 1,
        });
    }

    fn flush_table(&mut self) {
        let Some(tab) = self.table.take() else {
            return;
        };
        if tab.rows.is_empty() {
            return;
        }
        let width = tab.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut md = String::new();
        let caption = tab.caption.trim();
        if !caption.is_empty() {
            md.push_str(&format!("**{caption}**\n\n"));
        }
        for (r, row) in tab.rows.iter().enumerate() {
            md.push('|');
            for c in 0..width {
                let cell = row.get(c).map(String::as_str).unwrap_or("");
                md.push_str(&format!(" {} |", cell.replace('|', "\\|")));
            }
            md.push('\n');
            if r == 0 {
                md.push('|');
                for _ in 0..width {
                    md.push_str(" --- |");
                }
                md.push('\n');
            }
        }
        for n in &tab.notes {
            md.push('\n');
            md.push_str(n);
            md.push('\n');
        }
        self.doc.items.push(Item::Table {
            text: md.trim_end().to_string(),
            chapter: self.chapter,
            line: tab.line,
        });
    }
}

/// Joins paragraphs cut by page breaks (the earlier piece unfinished, or
/// the later one starting lowercase, with only tables, notes or noise
/// between them) and splits run-in headings off their paragraphs.
pub fn finish(items: Vec<Item>, vocab: &HashSet<String>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        if let Item::Para {
            text: q,
            list: q_list,
            chapter: q_ch,
            ..
        } = &item
        {
            let q_lower = q.chars().next().is_some_and(char::is_lowercase);
            let target = out.iter().rposition(|it| !matches!(it, Item::Table { .. }));
            if let Some(t) = target {
                if let Item::Para {
                    text: p,
                    list: p_list,
                    chapter: p_ch,
                    ..
                } = &mut out[t]
                {
                    let open = clean::is_unfinished(p) || ends_in_noun_fragment(p, q);
                    let join = !q_list && p_ch == q_ch && ((open && !*p_list) || q_lower);
                    if join {
                        *p = clean::join_pieces(p, q, vocab);
                        continue;
                    }
                }
            }
        }
        out.push(item);
    }
    // Run-in headings come in series (a section of labelled paragraphs);
    // a single candidate is far more often a short verbless sentence.
    let mut accepted = HashSet::new();
    let mut group: Vec<usize> = Vec::new();
    for (i, item) in out.iter().enumerate() {
        match item {
            Item::Para {
                text, list: false, ..
            } if run_in_head(text).is_some() => group.push(i),
            Item::Heading { .. } | Item::Chapter(_) => {
                if group.len() >= 2 {
                    accepted.extend(group.iter().copied());
                }
                group.clear();
            }
            _ => {}
        }
    }
    if group.len() >= 2 {
        accepted.extend(group);
    }
    let mut result = Vec::with_capacity(out.len());
    for (i, item) in out.into_iter().enumerate() {
        match item {
            Item::Para {
                text,
                list: false,
                chapter,
                line,
            } => {
                if let Some((head, rest)) = run_in_head(&text).filter(|_| accepted.contains(&i)) {
                    result.push(Item::Heading {
                        text: head,
                        level: Level::RunIn,
                    });
                    result.push(Item::Para {
                        text: rest,
                        list: false,
                        chapter,
                        line,
                    });
                } else {
                    result.push(Item::Para {
                        text,
                        list: false,
                        chapter,
                        line,
                    });
                }
            }
            other => result.push(other),
        }
    }
    result
}

static DOTTED_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[A-Z]\.){2,}$").expect("static regex"));

/// "... developed by the U.S." + "National Institute of Standards and
/// Technology (NIST). NIST has ...": a paragraph ending in a dotted
/// abbreviation, followed by one whose first sentence is a short verbless
/// name, is one sentence cut by a page break.
fn ends_in_noun_fragment(p: &str, q: &str) -> bool {
    if !DOTTED_END.is_match(p.trim_end()) {
        return false;
    }
    let q: String = q
        .chars()
        .filter(|c| superscript_digit(*c).is_none())
        .collect();
    let spans = segment::split(&q);
    let Some(first) = spans.first().map(|s| &q[s.clone()]) else {
        return false;
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    words.len() <= 12
        && spans.len() > 1
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !NOT_FIRST.contains(&words[0])
        && !words
            .iter()
            .any(|w| VERBS.contains(&w.to_lowercase().as_str()))
}

const VERBS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "may",
    "might",
    "do",
    "does",
    "did",
    "remain",
    "remains",
    "seems",
    "became",
    "become",
    "makes",
    "made",
    "shows",
    "said",
    "says",
    "arises",
    "arise",
    "include",
    "includes",
    "provides",
    "provide",
    "offers",
    "faces",
    "leads",
    "drives",
    "aims",
    "seeks",
    "requires",
    "depends",
    "continues",
    "plays",
    "relies",
    "creates",
    "allows",
    "helps",
    "needs",
    "reflects",
    "suggests",
    "complements",
    "lament",
    "laments",
    "posit",
    "extend",
    "extends",
    "follows",
    "means",
    "lacks",
    "lags",
];
/// Words that make a short phrase a sentence rather than a label.
const DETERMINERS: &[&str] = &[
    "these", "this", "those", "its", "their", "a", "an", "our", "his", "her", "which", "that",
    "who", "it", "they", "we",
];
const NOT_FIRST: &[&str] = &[
    "Another", "Each", "Every", "Many", "Most", "Some", "The", "These", "This", "That", "Those",
    "It", "Its", "They", "We", "He", "She", "There", "Such", "Our", "Their", "A", "An", "In", "On",
    "At", "As", "I", "But", "And", "So",
];

/// A run-in heading: a short first "sentence" without a verb or comma that
/// labels the paragraph ("Export controls. The United States requires ...").
pub fn run_in_head(text: &str) -> Option<(String, String)> {
    let spans = segment::split(text);
    if spans.len() < 2 {
        return None;
    }
    let first = &text[spans[0].clone()];
    let rest = text[spans[1].start..].to_string();
    let head = first.strip_suffix('.')?;
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 12
        || head.contains([',', ';', ':', '“', '"', '(']) && !head.contains(" (")
        || head.contains(',')
        || rest.split_whitespace().count() < 8
        || !head.chars().next().is_some_and(char::is_uppercase)
        || NOT_FIRST.contains(&words[0])
        || (segment::IMPERATIVES.contains(&words[0])
            && !words
                .get(1)
                .is_some_and(|w| matches!(*w, "for" | "of" | "to" | "in" | "on" | "and")))
        || words.iter().any(|w| {
            let l = w.to_lowercase();
            VERBS.contains(&l.as_str()) || DETERMINERS.contains(&l.as_str())
        })
        || head.chars().any(|c| superscript_digit(c).is_some())
    {
        return None;
    }
    Some((head.to_string(), rest))
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
    fn hard_wrapped_paragraphs_are_unwrapped() {
        let mut src = String::from("Widgets Today\n\n");
        for n in 0..6 {
            src.push_str(&format!(
                "Paragraph {n} starts here and the text runs on for a while until the\nline is full, and then it continues on the next line to end.\n\n"
            ));
        }
        let doc = read(&src, &Hints::default(), &Known::default());
        let paras: Vec<&Item> = doc
            .items
            .iter()
            .filter(|i| matches!(i, Item::Para { .. }))
            .collect();
        assert_eq!(paras.len(), 6);
        assert!(matches!(&doc.items[0], Item::Heading { text, .. } if text == "Widgets Today"));
        assert!(
            matches!(paras[0], Item::Para { text, .. } if text.ends_with("until the line is full, and then it continues on the next line to end."))
        );
    }

    #[test]
    fn sentences_about_tables_and_figures_stay_text() {
        let src = "Findings\n\nTable 1 suggests that the case is stronger for sensors. Indeed, it is.\n\nFigure 2 shows that investment fell sharply in 2024.\n\nFIGURE 3 Investment by year\n\nSOURCE: Rhodium Group.\n";
        let doc = read_str(src);
        let paras: Vec<&str> = doc
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Para { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            paras,
            vec![
                "Table 1 suggests that the case is stronger for sensors. Indeed, it is.",
                "Figure 2 shows that investment fell sharply in 2024."
            ]
        );
    }

    #[test]
    fn capital_headings_rank_above_mixed_case_ones() {
        let doc = read_str("THE CHALLENGES:\n- Costs: They rise.\nSpecialized Components\nParts are rare.\nTHE WAY FORWARD:\nWork together.\n");
        let levels: Vec<(String, Level)> = doc
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Heading { text, level } => Some((text.clone(), *level)),
                _ => None,
            })
            .collect();
        assert_eq!(
            levels,
            vec![
                ("The Challenges".to_string(), Level::Major),
                ("Specialized Components".to_string(), Level::Plain),
                ("The Way Forward".to_string(), Level::Major),
            ]
        );
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
    }

    #[test]
    fn run_in_heads() {
        let (h, r) = run_in_head(
            "Export controls. The United States requires licenses for the export of certain batteries.",
        )
        .unwrap();
        assert_eq!(h, "Export controls");
        assert!(r.starts_with("The United States"));
        assert!(run_in_head("These restrictions extend to researchers. Quantum researchers have emphasized the importance of their work.").is_none());
        assert!(run_in_head("Maintain government-level channels for promoting cooperation in quantum. The U.S. and ROK governments have for decades engaged.").is_none());
        assert!(run_in_head("Quantum technology is no exception. In this Perspective, I will briefly consider some challenges.").is_none());
    }

    fn read_str(src: &str) -> Doc {
        let mut doc = read(src, &Hints::default(), &Known::default());
        doc.items = finish(doc.items, &clean::vocabulary(src));
        doc
    }

    #[test]
    fn joins_page_breaks_across_pull_quotes_and_notes() {
        let src = "Heading One\n\nThe United States appears to be a world\n\nThe global ecosystem is growing rapidly but is still nascent.\n\nleader in this area, while China lags.\n\nThe global ecosystem is growing rapidly but is still nascent. It grows.\n\n¹ A note.\n";
        let doc = read_str(src);
        let paras: Vec<&str> = doc
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Para { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            paras,
            vec![
                "The United States appears to be a world leader in this area, while China lags.",
                "The global ecosystem is growing rapidly but is still nascent. It grows."
            ]
        );
        assert_eq!(doc.notes, vec![(None, "1".into(), "A note.".into())]);
    }

    #[test]
    fn chapters_from_author_lines() {
        let src = "Battery Chapter\n\nAnn Lee and Bo Kim\n\nText one here is long enough to be a claim.\n\nFirst Section¹\n\nAnn Lee\n\nMore text here.²\n\n¹ Authored by Ann Lee.\n\nQuantum Chapter\n\nCy Park\n\nText.¹\n\n¹ Restarted note.\n";
        let doc = read_str(src);
        assert_eq!(doc.chapters.len(), 2);
        assert_eq!(
            doc.chapters[0].authors,
            vec!["Ann Lee".to_string(), "Bo Kim".to_string()]
        );
        assert_eq!(doc.notes[0].0, Some(0));
        assert_eq!(doc.notes[1].0, Some(1));
        assert!(doc.items.contains(&Item::Heading {
            text: "First Section".into(),
            level: Level::Authored
        }));
    }

    #[test]
    fn tables_with_caption_and_note() {
        let src = "Some text that is unfinished at the\n\nTABLE 1\n\nKey Considerations\n\nQuestion\tA\tB\nCan it?\tNo\tMaybe\n\nNOTE: Rough.\n\nend of a page.\n";
        let doc = read_str(src);
        assert_eq!(
            doc.items,
            vec![
                Item::Para { text: "Some text that is unfinished at the end of a page.".into(), list: false, chapter: None, line: 1 },
                Item::Table {
                    text: "**Table 1. Key Considerations**\n\n| Question | A | B |\n| --- | --- | --- |\n| Can it? | No | Maybe |\n\nNOTE: Rough.".into(),
                    chapter: None,
                    line: 3
                },
            ]
        );
    }
}
