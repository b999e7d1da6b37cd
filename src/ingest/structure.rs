//! The document's structure: the typed lines of `lines`, read in order by
//! a small state machine that knows where the body starts and ends, which
//! sections are front or back matter, where notes and the bibliography
//! are, which headings open chapters (a heading followed by an author
//! line), and where tables, figures and author biographies stand.
//!
//! The result is a flat list of [`Item`]s (headings, paragraphs, tables)
//! plus the notes, bibliography, biographies and chapters of the brief.
//! Paragraph joins and run-in headings are applied afterwards by
//! `paragraphs::finish`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::clean;
use super::hints::{norm_line, norm_title, Hints};
use super::lines::{
    display_heading, drop_pull_quotes, heading_like, name_list, type_line, unwrap_hard_wrapped,
    Kind, LineContext, Removed,
};
use super::notes;
use super::sections::{matches_any, ABOUT_SECTIONS, BIB_SECTIONS, NOTES_SECTIONS, SKIP_SECTIONS};
use crate::content::schema::RawChapter;

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
    /// Headings, paragraphs and tables in reading order.
    pub items: Vec<Item>,
    /// Notes as (chapter scope, number, text), in source order.
    pub notes: Vec<(Option<usize>, String, String)>,
    /// Bibliography entries in source order.
    pub bibliography: Vec<String>,
    /// Author biographies and "about" text.
    pub about: Vec<String>,
    /// Chapters with their own authors (ids `ch1`, `ch2`, ...).
    pub chapters: Vec<RawChapter>,
    /// Whether note markers are plain digits glued to words.
    pub glued_markers: bool,
    /// False when an `ingest.start_at` hint names a line the source lacks.
    pub body_found: bool,
    /// Whether notes are numbered `(N)`, so `(N)` in the text is a marker.
    pub paren_notes: bool,
    /// Lines removed, by why.
    pub removed: BTreeMap<Removed, usize>,
}

/// What the brief metadata says about the document, used to recognise its
/// title and author lines.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Title, subtitle, series and publisher: printed alone on a line,
    /// they are cover or running-header lines.
    pub titles: Vec<String>,
    /// Authors and editors of the brief.
    pub people: Vec<String>,
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

static CAPS_RUN_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Z0-9 &()'’/,\-]{2,80}):\s+(\S.*)$").expect("static regex")
});
static BIO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z'’\-.]+(?:\s+[A-Z][A-Z'’\-.]+){1,3}\s+(is|was|has|serves)\b")
        .expect("static regex")
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}[.)]\s+\S").expect("static regex"));
static BIO_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(fellow|professor|director|researcher|scholar|analyst|scientist|economist|editor|associate|chair|president|lecturer|served|holds a|ph\.d|doctorate|degree)\b")
        .expect("static regex")
});
static AUTHORED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^This (section|chapter|essay|paper) (is|was) (authored|written) by\b")
        .expect("static regex")
});
/// Like [`matches_any`], and a title also matches when it ends with one of
/// the list's titles ("NBR Board of Directors").
fn ends_with_any(title: &str, list: &[&str], extra: &[String]) -> bool {
    matches_any(title, list, extra) || list.iter().any(|s| title.ends_with(&format!(" {s}")))
}

/// A marker `*` glued to a word or to punctuation, on a line with an odd
/// number of asterisks (so not the end of an emphasis).
static STAR_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{Ll}\d.,;:)%”’]\*{1,3}(?:\s|$)").expect("static regex"));
/// A table-of-contents entry: a title, then dot leaders, a tab or two
/// spaces, then a page number (arabic or roman).
static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S.{1,120}?)(?:\s*(?:\.\s?){3,}\s*|\s*…+\s*|\t+|\s{2,})(\d{1,4}|[ivxlc]{1,6})$")
        .expect("static regex")
});

/// Reads a source into structure. Form feeds are page breaks; `vocab`
/// (`clean::vocabulary`) is the document's evidence for hyphenation.
pub fn read(source: &str, hints: &Hints, known: &Known, vocab: &HashSet<String>) -> Doc {
    // A form feed stands on a line of its own, as a blank line.
    let source = source.replace('\u{c}', "\n\u{c}\n");
    let raw: Vec<&str> = source.lines().map(|l| l.trim_end_matches('\r')).collect();
    let edges = clean::page_edges(&raw);
    let mut headers = clean::detect_running_headers(&raw, &edges);
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
    headers.extend(title_headers(&raw, &titles, &edges));
    let people: HashSet<String> = known.people.iter().map(|p| norm_line(p)).collect();
    let star_notes = raw.iter().any(|l| {
        !l.matches('*').count().is_multiple_of(2)
            && STAR_MARKER.is_match(l)
            && notes::parse_star_note(l).is_none()
    }) && raw.iter().any(|l| notes::parse_star_note(l).is_some());
    let cx = LineContext {
        hints,
        headers: &headers,
        titles: &titles,
        people: &people,
        star_notes,
    };

    let mut kinds: Vec<Kind> = raw.iter().map(|l| type_line(l, &cx)).collect();
    drop_contents(&mut kinds, &raw);
    if hints.start_at.is_none() {
        drop_cover(&mut kinds);
    }
    unwrap_hard_wrapped(&mut kinds, &raw, vocab);
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
        last_non_table: None,
        next: NextContent::new(&kinds),
    };
    sm.run();
    sm.doc.body_found = sm.region != Region::Front;
    for k in &kinds {
        if let Kind::Noise(why) = k {
            *sm.doc.removed.entry(*why).or_default() += 1;
        }
    }
    // One "chapter" opening the document is a title and its author line,
    // not an edited volume.
    if sm.doc.chapters.len() == 1 && sm.doc.items.first() == Some(&Item::Chapter(0)) {
        sm.doc.chapters.clear();
        sm.doc.items.retain(|i| !matches!(i, Item::Chapter(_)));
        for item in &mut sm.doc.items {
            if let Item::Para { chapter, .. } | Item::Table { chapter, .. } = item {
                *chapter = None;
            }
        }
        for n in &mut sm.doc.notes {
            n.0 = None;
        }
    }
    // Notes but not one superscript digit in the whole text, nor a
    // bracketed or parenthesised marker: the markers can only be plain
    // digits glued to words.
    let bracketed = raw
        .iter()
        .filter(|l| notes::parse_note_line(l).is_none())
        .filter(|l| BRACKET_MARKER.is_match(l))
        .count();
    if hints.glued_markers.is_none()
        && !sm.doc.notes.is_empty()
        && !sm.doc.paren_notes
        && bracketed < 3
        && !source
            .chars()
            .any(|c| notes::superscript_digit(c).is_some())
    {
        sm.doc.glued_markers = true;
    }
    sm.doc
}

static BRACKET_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\S\s?\[\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\]").expect("static regex")
});

/// Short lines that hold the brief's title or publisher ("NORTHBRIDGE
/// ENERGY FORUM — POLICY NOTE") printed three times, or twice at a page's
/// edge (`edges`) each time: running headers. (A heading holding the
/// title printed once in the contents and once in the body is not.)
fn title_headers(raw: &[&str], titles: &HashSet<String>, edges: &[bool]) -> HashSet<String> {
    let long: Vec<&String> = titles.iter().filter(|t| t.len() >= 8).collect();
    let mut counts: HashMap<String, (usize, bool)> = HashMap::new();
    for (i, l) in raw.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() || t.split_whitespace().count() > 12 || t.ends_with('.') {
            continue;
        }
        let e = counts.entry(norm_line(t)).or_insert((0, true));
        e.0 += 1;
        e.1 &= edges.get(i).copied().unwrap_or(false);
    }
    counts
        .into_iter()
        .filter(|(k, (n, all_edge))| {
            (*n >= 3 || *n == 2 && *all_edge) && long.iter().any(|t| k.contains(t.as_str()))
        })
        .map(|(k, _)| k)
        .collect()
}

/// Tables of contents: two or more entries (a title, then dot leaders, a
/// tab or a wide gap, then a page number) in a row, with page numbers that
/// never go down, are removed.
fn drop_contents(kinds: &mut [Kind], raw: &[&str]) {
    let entry = |i: usize| -> Option<u32> {
        let t = raw[i].trim();
        let c = TOC_ENTRY.captures(t)?;
        let title = c[1].trim();
        if !title
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            return None;
        }
        if title.contains('\t') || title.split_whitespace().count() > 16 {
            return None;
        }
        Some(c[2].parse().unwrap_or(0))
    };
    let mut i = 0;
    while i < kinds.len() {
        let mut run: Vec<usize> = Vec::new();
        let mut j = i;
        let mut last_page = 0u32;
        while j < kinds.len() {
            if matches!(kinds[j], Kind::Blank) {
                j += 1;
                continue;
            }
            match entry(j) {
                Some(p) if p >= last_page || p == 0 => {
                    last_page = last_page.max(p);
                    run.push(j);
                    j += 1;
                }
                _ => break,
            }
        }
        if run.len() >= 2 {
            for r in run {
                kinds[r] = Kind::Noise(Removed::Contents);
            }
        }
        i = j.max(i + 1);
    }
}

/// The cover and title page: before the first line of running text (a
/// line that is not heading-like, of six words or more, or of four or more
/// ending in a full stop; a list item; a table), every line is removed
/// except the heading directly above that text (with the heading above it
/// when it is an author line: a chapter's title), and except the titles of
/// sections ingest knows by name (contents, notes, acknowledgements ...).
fn drop_cover(kinds: &mut [Kind]) {
    // A line the next line continues in lowercase is running text cut by
    // a line break, however heading-like it looks.
    let continued = |j: usize| {
        kinds[j + 1..]
            .iter()
            .find(|k| !matches!(k, Kind::Blank | Kind::Noise(_)))
            .is_some_and(
                |k| matches!(k, Kind::Text(n) if n.chars().next().is_some_and(char::is_lowercase)),
            )
    };
    let body = kinds.iter().enumerate().position(|(j, k)| match k {
        Kind::Text(t) => {
            let words = t.split_whitespace().count();
            let end = strip_end(t);
            if heading_like(t) {
                words >= 4 && continued(j)
            } else {
                end.ends_with('.') && words >= 4
                    || words >= 6 && !(end.ends_with('?') && words < 10)
            }
        }
        Kind::List(t) => t.split_whitespace().count() >= 4,
        Kind::Tab(_) | Kind::TableLabel(_) => true,
        _ => false,
    });
    let Some(body) = body else { return };
    // The heading-like lines stacked directly above the text, nearest
    // first (at most four).
    let mut stack: Vec<usize> = Vec::new();
    for j in (0..body).rev() {
        match &kinds[j] {
            Kind::Blank | Kind::Noise(_) => continue,
            // A numbered heading ("1. Introduction") is typed as a list item.
            Kind::Text(t) | Kind::List(t) if heading_like(t) && stack.len() < 4 => stack.push(j),
            _ => break,
        }
    }
    let text = |j: usize| match &kinds[j] {
        Kind::Text(t) | Kind::List(t) => t.as_str(),
        _ => "",
    };
    // A chapter's title and its author line (and the affiliation lines
    // after it) stay; otherwise the nearest heading, if the document has
    // headings at all: a lone heading-like line over a document without
    // sections is its title or subtitle.
    let mut keep: Vec<usize> = Vec::new();
    // The author line is the nearest, or has one affiliation line
    // ("Senior Fellow, Aster Institute") between it and the text.
    if let Some(a) = stack.iter().position(|&j| name_list(text(j)).is_some()) {
        let adjacent = a == 0 || (a == 1 && text(stack[0]).contains(','));
        if adjacent && a + 1 < stack.len() {
            keep.extend(&stack[..=a + 1]);
        }
    }
    if keep.is_empty() {
        let sections_later = kinds[body..].iter().any(|k| match k {
            Kind::Text(t) | Kind::List(t) => heading_like(t) && !known_section(t),
            _ => false,
        });
        if sections_later {
            keep.extend(stack.first());
        }
    }
    for (j, k) in kinds.iter_mut().enumerate().take(body) {
        if keep.contains(&j) {
            continue;
        }
        if let Kind::Text(t) | Kind::List(t) = k {
            if known_section(t) {
                continue;
            }
            *k = Kind::Noise(Removed::Cover);
        } else if matches!(k, Kind::Figure | Kind::SrcNote(_) | Kind::Url(_)) {
            *k = Kind::Noise(Removed::Cover);
        }
    }
}

/// A text without the closing quotes, brackets and markers that may end it.
fn strip_end(t: &str) -> &str {
    t.trim_end().trim_end_matches(|c: char| {
        notes::superscript_digit(c).is_some() || matches!(c, '”' | '’' | '"' | '*' | ')')
    })
}

/// Whether a line is the title of a section ingest knows by name.
fn known_section(text: &str) -> bool {
    let title = norm_title(text);
    text.split_whitespace().count() <= 8
        && (matches_any(&title, NOTES_SECTIONS, &[])
            || matches_any(&title, BIB_SECTIONS, &[])
            || matches_any(&title, ABOUT_SECTIONS, &[])
            || ends_with_any(&title, SKIP_SECTIONS, &[]))
}

/// For every line, the next line that carries running text: read forward
/// from a line, noise, notes and tables are skipped, and so is a caption
/// line (heading-like) after a `Table 1.` label. Worked out for all lines
/// at once, from the end, so that asking after every line costs one pass.
struct NextContent {
    /// `from[j]`: the answer of a scan starting at line `j`.
    from: Vec<Option<usize>>,
}

impl NextContent {
    fn new(kinds: &[Kind]) -> NextContent {
        let n = kinds.len();
        // `from_caption[j]`: the answer from line `j` with a caption pending.
        let mut from = vec![None; n + 1];
        let mut from_caption = vec![None; n + 1];
        for j in (0..n).rev() {
            let (plain, caption) = match &kinds[j] {
                Kind::TableLabel(c) => {
                    let next = if c.ends_with('.') {
                        from_caption[j + 1]
                    } else {
                        from[j + 1]
                    };
                    (next, next)
                }
                Kind::Text(t) => (
                    Some(j),
                    if heading_like(t) {
                        from[j + 1]
                    } else {
                        Some(j)
                    },
                ),
                Kind::List(_) => (Some(j), Some(j)),
                _ => (from[j + 1], from_caption[j + 1]),
            };
            from[j] = plain;
            from_caption[j] = caption;
        }
        NextContent { from }
    }

    /// The next line carrying running text after line `i`.
    fn after(&self, i: usize) -> Option<usize> {
        self.from.get(i + 1).copied().flatten()
    }
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
    /// Index in `doc.items` of the last item that is not a table.
    last_non_table: Option<usize>,
    /// Per line, the line [`Scanner::next_content`] finds after it.
    next: NextContent,
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
            Kind::Blank | Kind::Noise(_) => {}
            Kind::Note(num, text) => {
                if self.region == Region::Bib {
                    // A numbered reference list ("[7] Smith, *Widgets*.").
                    self.doc.bibliography.push(self.raw[i].trim().to_string());
                } else if !matches!(self.region, Region::Skip | Region::About) {
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
                self.count(Removed::Figure);
            }
            Kind::SrcNote(t) => match self.table.as_mut() {
                Some(tab) if !self.in_figure => tab.notes.push(t),
                _ => {
                    self.in_figure = false;
                    self.count(Removed::Figure);
                }
            },
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
            // A numbered heading also ends a skipped section before the
            // notes ("Contents", then "1. Summary").
            Kind::List(text)
                if (self.region == Region::Body
                    || self.region == Region::Skip && !self.after_notes)
                    && self.numbered_heading(i, &text) =>
            {
                self.flush_table();
                self.last_note = false;
                self.region = Region::Body;
                self.push_heading(&text, Level::Plain);
            }
            Kind::List(text) => self.text(i, &text, true),
            Kind::Text(text) => self.text(i, &text, false),
        }
    }

    fn text(&mut self, i: usize, text: &str, list: bool) {
        if self.in_figure && self.figure_label(i, text) {
            self.count(Removed::Figure);
            return;
        }
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
            } else if ends_with_any(&title, SKIP_SECTIONS, &h.skip_sections) {
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
            Region::Notes | Region::Bib if !list && self.opens_chapter(i, text) => {
                // Endnotes at the end of a chapter, then the next chapter.
                self.after_notes = false;
                self.region = Region::Body;
                self.last_note = false;
                self.body_text(i, text, list);
            }
            Region::Notes if list && NUMBERED.is_match(self.raw[i].trim()) => {
                // Endnotes set as a numbered list ("12. Smith, *Widgets*.").
                let num: String = self.raw[i]
                    .trim()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                self.doc.notes.push((self.chapter, num, text.to_string()));
                self.last_note = true;
            }
            Region::Notes => {
                if !list {
                    let last = self
                        .doc
                        .notes
                        .last()
                        .filter(|(ch, _, _)| *ch == self.chapter)
                        .and_then(|(_, n, _)| n.parse().ok());
                    if let Some((num, body, paren)) = notes::parse_section_note(self.raw[i], last) {
                        self.doc.paren_notes |= paren;
                        self.doc
                            .notes
                            .push((self.chapter, num, clean::inline(&body)));
                        self.last_note = true;
                        return;
                    }
                }
                let continues = list
                    || text.chars().next().is_some_and(char::is_lowercase)
                    || self
                        .doc
                        .notes
                        .last()
                        .is_some_and(|(_, _, t)| clean::is_unfinished(t));
                if !continues && self.is_heading(i, text) {
                    // An unknown section after the notes is back matter.
                    self.region = Region::Skip;
                } else if self.last_note || !self.doc.notes.is_empty() {
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
                clean::join_onto(last, text, &HashSet::new());
            }
            self.last_note = true;
        }
    }

    /// The next line that carries running text (skipping noise, notes,
    /// tables and captions).
    fn next_content(&self, i: usize) -> Option<(usize, &str, bool)> {
        let j = self.next.after(i)?;
        match &self.kinds[j] {
            Kind::Text(t) => Some((j, t, false)),
            Kind::List(t) => Some((j, t, true)),
            _ => None,
        }
    }

    /// A heading followed by an author line: a chapter (or authored
    /// section) of an edited volume starts here.
    fn opens_chapter(&self, i: usize, text: &str) -> bool {
        if !heading_like(text) {
            return false;
        }
        for j in i + 1..self.kinds.len() {
            match &self.kinds[j] {
                Kind::Blank | Kind::Note(..) => continue,
                Kind::Text(t) => return name_list(t).is_some(),
                Kind::Noise(_) => {
                    if self.listed_names(j).is_some() {
                        return true;
                    }
                }
                _ => return false,
            }
        }
        false
    }

    fn count(&mut self, why: Removed) {
        *self.doc.removed.entry(why).or_default() += 1;
    }

    /// Whether a line after a figure caption is one of its data labels: a
    /// line holding a figure ("Start-ups 71%", "2018 2019 2020"), or one of
    /// four words or fewer followed by another label or a source line.
    fn figure_label(&self, i: usize, text: &str) -> bool {
        let words = text.split_whitespace().count();
        let label =
            |t: &str| t.split_whitespace().count() <= 8 && t.chars().any(|c| c.is_ascii_digit());
        if label(text) {
            return true;
        }
        if words > 4 {
            return false;
        }
        for k in &self.kinds[i + 1..] {
            match k {
                Kind::Blank | Kind::Noise(_) => continue,
                Kind::SrcNote(_) => return true,
                Kind::Text(t) | Kind::List(t) => {
                    return label(t) || t.split_whitespace().count() <= 4;
                }
                _ => return false,
            }
        }
        false
    }

    /// The names of line `j` when it is an author line removed because
    /// the brief lists all its names (an editor who also wrote a chapter).
    fn listed_names(&self, j: usize) -> Option<Vec<String>> {
        if self.kinds[j] != Kind::Noise(Removed::Title) {
            return None;
        }
        let names = name_list(self.raw[j].trim())?;
        names
            .iter()
            .all(|n| self.people.iter().any(|p| norm_line(p) == norm_line(n)))
            .then_some(names)
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
                        Kind::Noise(_) => {
                            if let Some(names) = self.listed_names(j) {
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
            // "JUNGMI CHA is a Research Fellow at ...": a name in capitals
            // and the words of a biography (not "US DOD is ...").
            if BIO.is_match(text) && BIO_WORDS.is_match(text) {
                self.doc.about.push(text.to_string());
                return;
            }
        }
        self.push_para(text, list, i);
    }

    /// Whether the last item before any tables is a paragraph (not a list
    /// item) that ends mid-sentence.
    fn last_para_open(&self) -> bool {
        match self.last_non_table.map(|i| &self.doc.items[i]) {
            Some(Item::Para { text, list, .. }) => !list && clean::is_unfinished(text),
            _ => false,
        }
    }

    /// Adds a heading, chapter or paragraph to the items.
    fn push_item(&mut self, item: Item) {
        self.last_non_table = Some(self.doc.items.len());
        self.doc.items.push(item);
    }

    /// A numbered section heading ("1. Introduction"): a numbered item
    /// that reads as a heading, with running text after it and no list
    /// item on either side.
    fn numbered_heading(&self, i: usize, text: &str) -> bool {
        if !NUMBERED.is_match(self.raw[i].trim())
            || !heading_like(text)
            || text.split_whitespace().count() > 10
        {
            return false;
        }
        let before = self.kinds[..i]
            .iter()
            .rev()
            .find(|k| !matches!(k, Kind::Blank | Kind::Noise(_)));
        if matches!(before, Some(Kind::List(_))) {
            return false;
        }
        match self.next_content(i) {
            Some((_, t, false)) => {
                !heading_like(t) && t.chars().next().is_some_and(char::is_uppercase)
            }
            _ => false,
        }
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
        self.push_item(Item::Chapter(idx));
    }

    fn push_heading(&mut self, text: &str, level: Level) {
        let caps = text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase);
        let level = if level == Level::Plain && caps {
            Level::Major
        } else {
            level
        };
        self.push_item(Item::Heading {
            text: display_heading(text),
            level,
        });
    }

    fn push_para(&mut self, text: &str, list: bool, i: usize) {
        self.push_item(Item::Para {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::paragraphs::finish;

    /// The forward scan `NextContent` stands for, one line at a time.
    fn scan(kinds: &[Kind], i: usize) -> Option<usize> {
        let mut caption_next = false;
        for (j, k) in kinds.iter().enumerate().skip(i + 1) {
            match k {
                Kind::TableLabel(c) => caption_next = c.ends_with('.'),
                Kind::Text(t) if caption_next && heading_like(t) => caption_next = false,
                Kind::Text(_) | Kind::List(_) => return Some(j),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn next_content_agrees_with_a_forward_scan() {
        let kinds = vec![
            Kind::Text("A Heading".into()),
            Kind::Blank,
            Kind::TableLabel("Table 1.".into()),
            Kind::Text("The Caption".into()),
            Kind::Tab(vec!["a".into()]),
            Kind::Text("a sentence.".into()),
            Kind::TableLabel("Table 2".into()),
            Kind::Text("Not a Caption".into()),
            Kind::TableLabel("Table 3.".into()),
            Kind::Text("lowercase text.".into()),
            Kind::Note("1".into(), "x".into()),
            Kind::List("item".into()),
            Kind::TableLabel("Table 4.".into()),
            Kind::Text("Caption Only".into()),
            Kind::Noise(Removed::Header),
        ];
        let next = NextContent::new(&kinds);
        for i in 0..kinds.len() + 1 {
            assert_eq!(next.after(i), scan(&kinds, i), "after line {i}");
        }
    }

    #[test]
    fn hard_wrapped_paragraphs_are_unwrapped() {
        let mut src = String::from("Widgets Today\n\n");
        let tail = "Widgets Tomorrow\n\nThe end of the document has its own section.\n";
        for n in 0..6 {
            src.push_str(&format!(
                "Paragraph {n} starts here and the text runs on for a while until the\nline is full, and then it continues on the next line to end.\n\n"
            ));
        }
        src.push_str(tail);
        let doc = read(
            &src,
            &Hints::default(),
            &Known::default(),
            &clean::vocabulary(&src),
        );
        let paras: Vec<&Item> = doc
            .items
            .iter()
            .filter(|i| matches!(i, Item::Para { .. }))
            .collect();
        assert_eq!(paras.len(), 7);
        assert!(matches!(&doc.items[0], Item::Heading { text, .. } if text == "Widgets Today"));
        assert!(
            matches!(paras[0], Item::Para { text, .. } if text.ends_with("until the line is full, and then it continues on the next line to end."))
        );
    }

    #[test]
    fn cover_lines_before_the_text_are_removed() {
        // Title, subtitle, author with affiliation, date, publisher: the
        // heading above the first paragraph stays.
        let src = "Open Labs\nResearch Security in Practice\nBy Ann Lee\nSenior Fellow, Widget Institute\nMarch 2024\n\nIntroduction\n\nUniversities have built their reputation on openness for decades.\n\nThe Risks\n\nThree kinds of risk recur in the guidance.\n";
        let doc = read_str(src);
        let heads = heading_texts(&doc);
        assert_eq!(heads, vec!["Introduction", "The Risks"]);
        assert_eq!(doc.removed.get(&Removed::Cover), Some(&5));
        // Over a document without sections, a lone heading-like line is
        // its title, not a section.
        let doc = read_str("The Case for Public Compute\n\nEvery few months a new model arrives that was trained on more.\n");
        assert!(doc.items.iter().all(|i| matches!(i, Item::Para { .. })));
        // An edited volume's first chapter keeps its title and author line.
        let doc = read_str("A Volume\n\nFirst Chapter\nAnn Lee\n\nBody one is here, at length.\n\nSecond Chapter\nBo Kim\n\nBody two is here, at length.\n");
        assert_eq!(doc.chapters.len(), 2);
    }

    #[test]
    fn numbered_section_headings() {
        let src = "1. Introduction\n\nDemand grows every year in every region.\n\n2. Options\n\nThree options stand out.\n\n1. Fund refining.\n2. Build partnerships\n3. Recycle more\n\nEach carries risks.\n";
        let doc = read_str(src);
        let heads = heading_texts(&doc);
        assert_eq!(heads, vec!["Introduction", "Options"]);
        assert_eq!(para_texts(&doc).len(), 6);
    }

    #[test]
    fn contents_entries_are_removed() {
        let src = "Contents\nWhy It Matters\t2\nWhere Supply Is . . . . . 3\nPolicy Options ........ 4\n\nWhy It Matters\n\nDemand grows every year in every region.\n";
        let doc = read_str(src);
        assert_eq!(
            para_texts(&doc),
            vec!["Demand grows every year in every region."]
        );
        assert_eq!(doc.removed.get(&Removed::Contents), Some(&3));
    }

    #[test]
    fn numbered_headings_end_a_contents_section() {
        let src = "Contents\n1. Summary ........ 2\n2. Supply chains ........ 3\n\n1. Summary\n\nFinland imports most of its transformers.\n\n2. Supply chains\n\nLead times have grown to three years.\n";
        let doc = read_str(src);
        assert_eq!(heading_texts(&doc), vec!["Summary", "Supply chains"]);
        assert_eq!(
            para_texts(&doc),
            vec![
                "Finland imports most of its transformers.",
                "Lead times have grown to three years."
            ]
        );
    }

    #[test]
    fn notes_sections_in_several_styles() {
        let src = "Findings\n\nDemand grew (1). It grew again.(2)\n\nNotes\n(1) First note.\n(2) Second note,\nwrapped.\n";
        let doc = read_str(src);
        assert!(doc.paren_notes);
        assert_eq!(doc.notes.len(), 2);
        assert_eq!(doc.notes[1].2, "Second note, wrapped.");
        let src = "Findings\n\nDemand grew.1 It grew again.2\n\nNotes\n\n1 First note.\n2 Second note\n3\tThird note.\n";
        let doc = read_str(src);
        let nums: Vec<&str> = doc.notes.iter().map(|n| n.1.as_str()).collect();
        assert_eq!(nums, vec!["1", "2", "3"]);
        assert!(doc.glued_markers);
    }

    #[test]
    fn running_headers_found_from_the_page_layout() {
        let mut src = String::new();
        for (p, w) in ["one", "two", "three"].iter().enumerate() {
            src.push_str(&format!("\u{c}WIDGET FORUM — POLICY NOTE\n\nSection {w} Title\n\nThe text of page {w} runs here as a sentence.\n\n{} | Widget Forum for Policy\n", p + 1));
        }
        let doc = read_str(&src);
        assert_eq!(para_texts(&doc).len(), 3);
        assert!(para_texts(&doc).iter().all(|p| !p.contains("Widget")));
        assert_eq!(doc.removed.get(&Removed::Header), Some(&6));
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn sentences_about_tables_and_figures_stay_text() {
        let src = "Findings\n\nTable 1 suggests that the case is stronger for sensors. Indeed, it is.\n\nFigure 2 shows that investment fell sharply in 2024.\n\nFIGURE 3 Investment by year\n\nSOURCE: Rhodium Group.\n";
        let doc = read_str(src);
        let paras = para_texts(&doc);
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

    /// The text of every paragraph item, in order.
    fn para_texts(doc: &Doc) -> Vec<&str> {
        doc.items
            .iter()
            .filter_map(|i| match i {
                Item::Para { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn heading_texts(doc: &Doc) -> Vec<&str> {
        doc.items
            .iter()
            .filter_map(|i| match i {
                Item::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn read_str(src: &str) -> Doc {
        let mut doc = read(
            src,
            &Hints::default(),
            &Known::default(),
            &clean::vocabulary(src),
        );
        doc.items = finish(doc.items, &clean::vocabulary(src));
        doc
    }

    #[test]
    fn joins_page_breaks_across_pull_quotes_and_notes() {
        let src = "Heading One\n\nIntro text comes first, as in a report.\n\nThe United States appears to be a world\n\nThe global ecosystem is growing rapidly but is still nascent.\n\nleader in this area, while China lags.\n\nThe global ecosystem is growing rapidly but is still nascent. It grows.\n\n¹ A note.\n";
        let doc = read_str(src);
        let paras = para_texts(&doc);
        assert_eq!(
            paras,
            vec![
                "Intro text comes first, as in a report.",
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
    fn chapters_after_chapter_endnotes_are_read() {
        let src = "First Chapter\n\nAnn Lee\n\nBody one is here.¹\n\nNotes\n\n¹ Note one.\n\nSecond Chapter\n\nBo Kim\n\nBody two is here.¹\n\nNotes\n\n¹ Note two.\n\nAbout This Report\n\nBoilerplate text.\n\nPublisher Information\n\nMore boilerplate.\n";
        let doc = read_str(src);
        let paras = para_texts(&doc);
        assert_eq!(paras, vec!["Body one is here.¹", "Body two is here.¹"]);
        assert_eq!(doc.chapters.len(), 2);
        assert_eq!(
            doc.notes,
            vec![
                (Some(0), "1".to_string(), "Note one.".to_string()),
                (Some(1), "1".to_string(), "Note two.".to_string())
            ]
        );
    }

    #[test]
    fn numbered_endnote_lists() {
        let doc = read_str("Body text is here.²\n\nEndnotes\n\n1. First note.\n2. Second note, which\ncontinues.\n");
        assert_eq!(
            doc.notes,
            vec![
                (None, "1".to_string(), "First note.".to_string()),
                (
                    None,
                    "2".to_string(),
                    "Second note, which continues.".to_string()
                )
            ]
        );
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
