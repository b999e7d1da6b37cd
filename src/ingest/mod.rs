//! Ingest: a brief's raw source document to claim-level fragments.
//!
//! `run` reads `content/briefs/<brief>.yaml` and its source under
//! `content/sources/`, types its lines (`lines`), reads the document's
//! structure (`structure`), puts paragraphs cut by page breaks back
//! together (`paragraphs`) with the cleaning rules of `clean` and the note
//! handling of `notes`, splits paragraphs into sentences (`segment`), types
//! each claim (`kind`), tags the claims (`crate::tag::apply_tags`) and
//! writes them safely (`write`).
//! Per-brief hints live under `ingest:` in the brief YAML (`hints`).
//!
//! Decisions worth knowing:
//! - A claim is a sentence of running text or of a list item, or a whole
//!   table; headings become `section`, chapters of edited volumes (a
//!   heading followed by an author line) become `chapter`.
//! - Front and back matter (boards, copyright and rights pages, contents,
//!   abbreviations, acknowledgements, study questions named in the hints)
//!   never become claims; author biographies go to the brief's `about`.
//! - Claim ids are `<brief>-<8 hex digits>` from a hash of the sentence's
//!   normalised text (letters and digits, lowercase), so an unchanged
//!   sentence keeps its id wherever it moves; a repeated sentence gets
//!   `-2`, `-3` in order.
//! - Markers pointing to no note are dropped from the text and counted as
//!   unresolved; they never become `cites`.

// Each module owns one step; see its `//!` comment.
pub mod clean;
pub mod decode;
pub mod hints;
pub mod kind;
pub mod lines;
pub mod notes;
pub mod paragraphs;
pub mod sections;
pub mod segment;
pub mod structure;
pub mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Context as _;

use crate::content::fragment::{self, Fragment};
use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::paths::{self, SiteRoot};
use crate::content::schema::{RawBrief, RawClaim, TagSet};
use crate::content::taxonomy::Table;
use crate::diag::{Diagnostic, Failure};
use crate::tag::Tagger;
use hints::Hints;
use lines::Removed;
use notes::MarkerStyle;
use regex::Regex;
use structure::{Item, Known, Level};
use write::BriefOutput;

/// What `crossbrief ingest` was asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The site root (the folder holding `content/`).
    pub root: PathBuf,
    /// The brief id; `content/briefs/<brief>.yaml` names the source.
    pub brief: String,
    /// Remove fragments whose sentence left the source (never hand-edited ones).
    pub prune: bool,
    /// No progress bar.
    pub quiet: bool,
    /// Work out and report what would be written, writing nothing.
    pub dry_run: bool,
}

/// What an ingest run did; `Display` prints the end-of-run summary.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    /// The brief id.
    pub brief: String,
    /// Fragments written for the first time.
    pub new: usize,
    /// Fragments rewritten because something in them changed.
    pub updated: usize,
    /// Fragments whose file already held exactly what ingest would write.
    pub unchanged: usize,
    /// Ids of fragments a person took over, left as they are.
    pub kept: Vec<String>,
    /// Ids of fragments removed because their sentence left the source.
    pub pruned: Vec<String>,
    /// Ids of fragments whose sentence left the source, not removed.
    pub stale: Vec<String>,
    /// Kept fragments whose `order` no longer matches their place in the
    /// source: (id, their order, the order the source gives them now).
    pub moved: Vec<(String, Option<i64>, Option<i64>)>,
    /// Claims per kind.
    pub kinds: BTreeMap<String, usize>,
    /// Notes of the brief (detected, or the person's own).
    pub notes: usize,
    /// Bibliography entries detected.
    pub bibliography: usize,
    /// Chapters detected (edited volumes).
    pub chapters: usize,
    /// Footnote markers that point to a note, and became `cites`.
    pub markers_resolved: usize,
    /// Footnote markers that point to no note: dropped, never cited.
    pub markers_unresolved: usize,
    /// Whether the brief YAML changed.
    pub brief_updated: bool,
    /// Whether the run was asked to prune.
    pub pruning: bool,
    /// Notes no marker in the text points at.
    pub notes_uncited: usize,
    /// Lines removed from the text, by why (the summary's wording).
    pub removed: Vec<(String, usize)>,
    /// Repairs applied to the text (decoding, mis-decoded characters).
    pub repairs: Vec<String>,
    /// What ingest is unsure of: each says what to check.
    pub warnings: Vec<String>,
    /// A dry run: the first fragments that would be written, one line each.
    pub preview: Option<Vec<String>>,
}

impl IngestSummary {
    /// All claims of the brief after the run.
    pub fn total(&self) -> usize {
        self.kinds.values().sum()
    }
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ingested {}: {} claims ({} new, {} updated, {} unchanged, {} kept because edited)",
            self.brief,
            self.total(),
            self.new,
            self.updated,
            self.unchanged,
            self.kept.len()
        )?;
        let kinds: Vec<String> = self.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(f, "  kinds: {}", kinds.join(", "))?;
        writeln!(
            f,
            "  notes: {} ({} markers resolved, {} unresolved; {} notes never cited); bibliography: {} entries; chapters: {}",
            self.notes,
            self.markers_resolved,
            self.markers_unresolved,
            self.notes_uncited,
            self.bibliography,
            self.chapters
        )?;
        if !self.removed.is_empty() {
            let parts: Vec<String> = self
                .removed
                .iter()
                .map(|(what, n)| format!("{n} {what}"))
                .collect();
            writeln!(f, "  removed: {}", parts.join(", "))?;
        }
        for r in &self.repairs {
            writeln!(f, "  repaired: {r}")?;
        }
        for w in &self.warnings {
            writeln!(f, "  warning: {w}")?;
        }
        for id in &self.kept {
            writeln!(f, "  kept (reviewed or edited by hand): {id}")?;
        }
        for (id, old, new) in &self.moved {
            writeln!(
                f,
                "  warning: {id} keeps `order: {}` but the source now places it at {}; set its order by hand",
                old.unwrap_or_default(),
                new.unwrap_or_default()
            )?;
        }
        for id in &self.pruned {
            writeln!(f, "  pruned: {id}")?;
        }
        if !self.stale.is_empty() {
            let what = if self.pruning {
                "kept because a person edited them; delete them by hand if they should go"
            } else {
                "run with --prune to remove them"
            };
            writeln!(
                f,
                "  {} fragment(s) no longer match a sentence of the source ({what}):",
                self.stale.len()
            )?;
            for id in &self.stale {
                writeln!(f, "    {id}")?;
            }
        }
        if self.brief_updated {
            let what = if self.preview.is_some() {
                "brief metadata would be updated"
            } else {
                "brief metadata updated"
            };
            writeln!(f, "  {what} (notes, bibliography, chapters, about)")?;
        }
        if let Some(preview) = &self.preview {
            writeln!(
                f,
                "dry run: nothing was written; the first {} of {} fragments:",
                preview.len(),
                self.total()
            )?;
            for line in preview {
                writeln!(f, "  {line}")?;
            }
        }
        Ok(())
    }
}

/// The claims and brief metadata of one source, before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// Fragments in `order`, tags empty, `ingest_hash` not yet set.
    pub fragments: Vec<Fragment>,
    /// What ingest writes into the brief YAML.
    pub brief: BriefOutput,
    /// Markers that became `cites`.
    pub markers_resolved: usize,
    /// Markers that point to no note.
    pub markers_unresolved: usize,
    /// Notes no marker points at.
    pub notes_uncited: usize,
    /// Notes the source has and markers point at, missing from the brief
    /// YAML's own `notes:` (so not cited), in text order.
    pub notes_not_in_brief: Vec<String>,
    /// Lines removed, by why.
    pub removed: BTreeMap<Removed, usize>,
    /// Mis-decoded sequences repaired, and the code page they were read as.
    pub repaired: Option<(decode::CodePage, usize)>,
    /// What ingest is unsure of.
    pub warnings: Vec<String>,
}

/// Builds the claims of `source` for brief `id` described by `meta` (the
/// person's part of the brief YAML).
pub fn build(
    id: &str,
    source: &str,
    meta: &RawBrief,
    file: &str,
    table: &Table,
) -> Result<Built, Diagnostic> {
    let hints = Hints::from_value(meta.ingest.as_ref(), file)?;
    let known = Known {
        titles: [
            meta.title.clone(),
            meta.subtitle.clone(),
            meta.series.clone(),
            // "The National Bureau of Asian Research (NBR)" prints as a
            // footer without its abbreviation.
            meta.publisher
                .as_deref()
                .map(|p| p.split(" (").next().unwrap_or(p).to_string()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        people: meta.authors.iter().chain(&meta.editors).cloned().collect(),
    };
    let (source, repaired) = decode::repair(source);
    let source: &str = &source;
    let vocab = clean::vocabulary(source);
    let doc = structure::read(source, &hints, &known, &vocab);
    if !doc.body_found {
        return Err(Diagnostic::new(
            file,
            None,
            "the `ingest.start_at` line was not found in the source, so nothing would be ingested",
        )
        .help("copy the first line of the body exactly as the source prints it"));
    }
    let items = paragraphs::finish(doc.items.clone(), &vocab);
    let style = MarkerStyle {
        glued: doc.glued_markers,
        paren: doc.paren_notes,
    };
    let chapter_ids: Vec<String> = doc
        .chapters
        .iter()
        .map(|c| c.id.clone().unwrap_or_default())
        .collect();
    let scoped = |ch: Option<usize>, num: &str| -> String {
        match ch {
            Some(c) if !chapter_ids.is_empty() => format!("{}-{num}", chapter_ids[c]),
            _ => num.to_string(),
        }
    };

    // Notes: the first definition of a number in a scope wins.
    let mut detected: Vec<(String, String)> = Vec::new();
    let mut seen = HashSet::new();
    for (ch, num, text) in &doc.notes {
        let nid = scoped(*ch, num);
        if seen.insert(nid.clone()) {
            detected.push((nid, text.trim().to_string()));
        }
    }
    detected.sort_by(|a, b| write::note_order(&a.0, &b.0));
    // Markers resolve against the notes of the source and those the brief
    // YAML lists (a person's `notes:` win over what is detected, and are
    // never rewritten); a note only the source has is cited only when the
    // YAML lists none, since the build checks cites against the YAML.
    let mut note_ids: HashSet<String> = detected.iter().map(|(k, _)| k.clone()).collect();
    note_ids.extend(meta.notes.keys().cloned());
    let citable = |nid: &str| meta.notes.is_empty() || meta.notes.contains_key(nid);

    let mut built = Built {
        removed: doc.removed.clone(),
        repaired,
        ..Built::default()
    };
    // The highest note number taken so far, per chapter.
    let mut sequence: HashMap<Option<usize>, u32> = HashMap::new();
    let mut cited_notes: HashSet<String> = HashSet::new();
    let mut apparent = 0usize;
    let mut section: Vec<(u8, String)> = Vec::new();
    let mut chapter: Option<usize> = None;
    let mut paragraph = 0i64;
    let mut prev_plain: Option<u8> = None;
    let mut claims: Vec<(String, RawClaim)> = Vec::new();
    for item in &items {
        match item {
            Item::Chapter(c) => {
                chapter = Some(*c);
                section.clear();
                prev_plain = None;
            }
            Item::Heading { text, level } => {
                let rank = match level {
                    Level::Authored => 10,
                    Level::Major => 15,
                    Level::Plain => prev_plain.map_or(20, |r| r + 1),
                    Level::RunIn => 90,
                };
                section.retain(|(r, _)| *r < rank);
                section.push((rank, text.clone()));
                prev_plain = (*level == Level::Plain).then_some(rank);
            }
            Item::Para {
                text, chapter: ch, ..
            }
            | Item::Table {
                text, chapter: ch, ..
            } => {
                prev_plain = None;
                paragraph += 1;
                let known = |n: &str| note_ids.contains(&scoped(*ch, n));
                let last = sequence.entry(*ch).or_default();
                let (clean_text, markers) = notes::strip_markers(text, style, &known, last);
                apparent += APPARENT_MARKER.find_iter(&clean_text).count();
                let is_table = matches!(item, Item::Table { .. });
                let spans = if is_table {
                    std::iter::once(0..clean_text.len()).collect()
                } else {
                    segment::split(&clean_text)
                };
                let mut cites: Vec<Vec<String>> = vec![Vec::new(); spans.len()];
                let mut cited: HashSet<(usize, String)> = HashSet::new();
                // Markers come in text order: the sentence of each is found
                // by moving forward, not by searching all sentences.
                let mut s = 0;
                for m in &markers {
                    let nid = scoped(*ch, &m.number);
                    if !note_ids.contains(&nid) {
                        built.markers_unresolved += 1;
                        continue;
                    }
                    built.markers_resolved += 1;
                    cited_notes.insert(nid.clone());
                    if !citable(&nid) {
                        if !built.notes_not_in_brief.contains(&nid) {
                            built.notes_not_in_brief.push(nid);
                        }
                        continue;
                    }
                    while s + 1 < spans.len() && spans[s + 1].start <= m.pos {
                        s += 1;
                    }
                    if let Some(list) = cites.get_mut(s) {
                        if cited.insert((s, nid.clone())) {
                            list.push(nid);
                        }
                    }
                }
                for (span, cites) in spans.iter().zip(cites) {
                    let body = if is_table {
                        clean_text.trim().to_string()
                    } else {
                        tidy(&clean_text[span.clone()])
                    };
                    if !body.chars().any(char::is_alphanumeric) {
                        continue;
                    }
                    let kind = if is_table {
                        "table"
                    } else {
                        kind::classify(&body)
                    };
                    let meta = RawClaim {
                        brief: Some(id.to_string()),
                        chapter: ch.and_then(|c| chapter_ids.get(c).cloned()),
                        section: Some(section.iter().map(|(_, t)| t.clone()).collect()),
                        paragraph: Some(paragraph),
                        kind: Some(kind.to_string()),
                        tags: TagSet::empty(table.ids()),
                        cites: Some(cites),
                        ..RawClaim::default()
                    };
                    claims.push((body, meta));
                }
                let _ = chapter;
            }
        }
    }
    let mut ids: Vec<String> = claims.iter().map(|(body, _)| claim_id(id, body)).collect();
    write::disambiguate(&mut ids);
    for (i, ((body, mut meta), cid)) in claims.into_iter().zip(ids).enumerate() {
        meta.id = Some(cid);
        meta.order = Some(i as i64 + 1);
        built.fragments.push(Fragment { meta, body });
    }
    built.notes_uncited = note_ids.difference(&cited_notes).count();
    built.warnings = warnings(&built, note_ids.len(), apparent);
    built.brief = BriefOutput {
        chapters: doc.chapters.clone(),
        about: (!doc.about.is_empty()).then(|| doc.about.join("\n\n")),
        notes: detected,
        bibliography: doc.bibliography.clone(),
    };
    Ok(built)
}

/// What still looks like a note marker in a cleaned text: `[3]`, `(3)`
/// glued to a word, digits glued to a sentence's end before the next one.
static APPARENT_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]|\S\(\d{1,2}\)|\p{Ll}[.,;:]\d{1,3}(?:\s+\p{Lu}|$)",
    )
    .expect("static regex")
});

/// Claims (tables and list items aside) longer than this many words
/// usually hold several sentences merged.
const LONG_CLAIM: usize = 80;
/// ... and shorter than this are usually fragments of one.
const SHORT_CLAIM: usize = 4;

/// What ingest is unsure of, each with what to check.
fn warnings(built: &Built, notes: usize, apparent: usize) -> Vec<String> {
    let mut w = Vec::new();
    if let Some((cp, n)) = built.repaired {
        w.push(format!(
            "the text was mis-decoded (UTF-8 read as {}): {n} sequences such as `{}` were put back; check accented letters and quotes",
            cp.name(),
            cp.example()
        ));
    }
    if notes == 0 && apparent >= 3 {
        w.push(format!(
            "{apparent} places in the text look like note markers but no notes were found: the markers stay in the text; check the notes section (its heading and numbering)"
        ));
    } else if notes > 0 && apparent >= 1 {
        w.push(format!(
            "{apparent} places in the text look like note markers that match no note: they stay in the text; check the notes and the markers"
        ));
    }
    if !built.notes_not_in_brief.is_empty() {
        w.push(format!(
            "notes {} are in the source but not in the brief's own `notes:`: their markers were taken out of the text but not cited; add them to the brief YAML's `notes:` (or delete `notes:` there so that ingest writes every note) and ingest again",
            built.notes_not_in_brief.join(", ")
        ));
    }
    if built.markers_unresolved > 0 {
        w.push(format!(
            "{} markers point to no note: they were dropped from the text and not cited",
            built.markers_unresolved
        ));
    }
    if notes > 0 && built.markers_resolved == 0 {
        w.push(format!(
            "{notes} notes were found but no marker in the text points at them; check how the markers are printed"
        ));
    } else if notes >= 4 && built.notes_uncited * 2 > notes {
        w.push(format!(
            "{} of {notes} notes are never cited: markers may have been missed",
            built.notes_uncited
        ));
    }
    let prose: Vec<usize> = built
        .fragments
        .iter()
        .filter(|f| f.meta.kind.as_deref() != Some("table"))
        .map(|f| f.body.split_whitespace().count())
        .collect();
    let long = prose.iter().filter(|&&n| n > LONG_CLAIM).count();
    let short = prose.iter().filter(|&&n| n < SHORT_CLAIM).count();
    let few = |n: usize| n > 0 && n * 100 > prose.len() * 3;
    if few(long) {
        w.push(format!(
            "{long} of {} claims are over {LONG_CLAIM} words: sentences or paragraphs may have been merged",
            prose.len()
        ));
    }
    if few(short) {
        w.push(format!(
            "{short} of {} claims are under {SHORT_CLAIM} words: headings, labels or furniture may have been read as text",
            prose.len()
        ));
    }
    if built.fragments.is_empty() {
        w.push(
            "no claim was found in the text: ingest did not recognise this layout (everything was read as headings, page furniture, front matter or a skipped section); look at `--dry-run`, and name the sections to keep or skip with the brief's `ingest:` hints (docs/content-format.md, section 7)"
                .to_string(),
        );
    }
    let no_sections = built
        .fragments
        .iter()
        .all(|f| f.meta.section.as_ref().is_none_or(|s| s.is_empty()));
    if built.fragments.len() >= 10 && no_sections {
        w.push(
            "no heading was recognised (an unfamiliar layout?): every claim has an empty `section`"
                .to_string(),
        );
    }
    w
}

/// The id of a claim: the brief id and a hash of the normalised text.
pub fn claim_id(brief: &str, body: &str) -> String {
    let norm = clean::compare_key(body);
    format!("{brief}-{:08x}", fragment::stable_hash(&norm) as u32)
}

/// Final touches on a claim's text: spaces left by removed markers.
fn tidy(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    t.replace(" ,", ",").replace(" ;", ";").trim().to_string()
}

/// Ingests one brief. Everything is read and checked before the first
/// file is written: with any problem, nothing is.
///
/// # Errors
/// A bad brief id, unreadable or invalid brief metadata, a missing source,
/// vocabulary problems, fragments that do not parse (all as diagnostics),
/// or a file that cannot be written.
pub fn run(opts: &IngestOptions) -> Result<IngestSummary, Failure> {
    let brief_rel = format!("content/briefs/{}.yaml", opts.brief);
    let one = |path: &str, line: Option<usize>, message: String, help: &str| -> Failure {
        vec![Diagnostic::new(path, line, message).help(help)].into()
    };
    if !is_valid_id(&opts.brief) {
        return Err(one(
            &opts.brief,
            None,
            format!("`{}` is not a brief id", opts.brief),
            &format!("{} (a brief id, not a path)", bad_id_help()),
        ));
    }
    let content = opts.root.join("content");
    // Every file read or written stays inside the site (content::paths).
    let site = SiteRoot::new(&opts.root);
    let claims_rel = format!("content/claims/{}", opts.brief);
    let mut refused: Vec<Diagnostic> = Vec::new();
    refused.extend(site.file(&brief_rel).err());
    refused.extend(site.dir(&claims_rel).err());
    if !refused.is_empty() {
        return Err(refused.into());
    }
    let brief_path = opts.root.join(&brief_rel);
    let brief_text = match fs::read_to_string(&brief_path) {
        Ok(t) => t,
        Err(e) => {
            return Err(one(
                &brief_rel,
                None,
                format!("cannot read the brief's metadata: {e}"),
                "write the brief's metadata first (id, title, publisher, published, source)",
            ))
        }
    };
    let (head, _) = write::split_brief(&brief_text);
    let yaml_error = |e: serde_yaml::Error, help: &str| {
        one(
            &brief_rel,
            Some(fragment::yaml_line(&e).unwrap_or(1)),
            format!("bad YAML: {}", fragment::yaml_message(&e)),
            help,
        )
    };
    let meta: RawBrief = serde_yaml::from_str(head)
        .map_err(|e| yaml_error(e, "fix the brief metadata, then ingest again"))?;
    if let Err(e) = serde_yaml::from_str::<RawBrief>(&brief_text) {
        return Err(yaml_error(
            e,
            "the part below the ingest marker is rewritten by ingest; delete it to start afresh",
        ));
    }
    if let Some(declared) = &meta.id {
        if declared != &opts.brief {
            return Err(one(
                &brief_rel,
                crate::content::frontmatter::key_line(head, 1, "id"),
                format!("`id: {declared}` does not match the file name"),
                &format!("use `id: {}`", opts.brief),
            ));
        }
    }
    let Some(source_name) = meta.source.clone() else {
        return Err(one(
            &brief_rel,
            Some(1),
            "missing required key `source`".into(),
            "add `source: <file name under content/sources/>`",
        ));
    };
    let source_line = crate::content::frontmatter::key_line(head, 1, "source");
    let source_name = paths::source_name(&source_name, &brief_rel, source_line)
        .map_err(|d| vec![d])?
        .to_string();
    site.source_file(&source_name).map_err(|d| vec![d])?;
    let source_rel = format!("content/sources/{source_name}");
    let bytes = fs::read(opts.root.join(&source_rel)).map_err(|e| {
        one(
            &brief_rel,
            source_line,
            format!("cannot read its source {source_rel}: {e}"),
            "put the raw text under content/sources/ with this name, or fix `source`",
        )
    })?;
    let bytes = if is_pdf(&bytes) {
        pdf_text(&opts.root.join(&source_rel), &source_rel).map_err(|d| vec![d])?
    } else {
        bytes
    };
    if let Some(why) = not_text(&bytes) {
        return Err(one(
            &source_rel,
            None,
            format!("the source is not text: {why}"),
            &format!(
                "ingest reads plain text: convert the document first (e.g. `pdftotext report.pdf content/sources/report.txt`) and name the text file in `source` of {brief_rel}; a complete PDF is read directly when pdftotext (poppler-utils) is installed"
            ),
        ));
    }
    // Conversions are not always valid UTF-8: a source in an 8-bit code
    // page is read as Windows-1252, and a replaced byte is better than no
    // ingest. Form feeds (pdftotext's page breaks) are read by `structure`.
    let (source, decoding) = decode::decode(&bytes);
    if source.trim().is_empty() {
        // Most often a conversion that found no text layer (a scanned
        // PDF): ingesting it would report zero claims and look like
        // success.
        return Err(one(
            &source_rel,
            None,
            "the source holds no text (it is empty or only white space)".into(),
            &format!(
                "convert the document again (`pdftotext -layout report.pdf {source_rel}`; a scanned PDF needs OCR first) and ingest again; existing fragments were left as they are"
            ),
        ));
    }

    let tagger = Tagger::load(&opts.root)?;
    let table = tagger.vocabulary().table();
    let built = build(&opts.brief, &source, &meta, &brief_rel, &table).map_err(|d| vec![d])?;
    let dir = content.join("claims").join(&opts.brief);
    let existing = write::read_existing(&site, &dir, &claims_rel, &table)?;

    let mut summary = IngestSummary {
        brief: opts.brief.clone(),
        notes: if meta.notes.is_empty() {
            built.brief.notes.len()
        } else {
            meta.notes.len()
        },
        bibliography: built.brief.bibliography.len().max(meta.bibliography.len()),
        chapters: built.brief.chapters.len().max(meta.chapters.len()),
        markers_resolved: built.markers_resolved,
        markers_unresolved: built.markers_unresolved,
        pruning: opts.prune,
        notes_uncited: built.notes_uncited,
        removed: built
            .removed
            .iter()
            .map(|(why, n)| (why.label().to_string(), *n))
            .collect(),
        warnings: built.warnings.clone(),
        ..IngestSummary::default()
    };
    if let Some(cp) = decoding.read_as {
        summary
            .repairs
            .push(format!("the source is not UTF-8: read as {}", cp.name()));
    }
    if decoding.replaced > 0 {
        summary.repairs.push(format!(
            "{} bytes that are not UTF-8 were replaced by `�`",
            decoding.replaced
        ));
    }

    let mut fragments = built.fragments;
    // A fragment of the folder that holds the same sentence under another
    // id (the `init` sample's, or one a person wrote and named) keeps its
    // id and file, so its `order` is not doubled by a new copy.
    let new_ids: HashSet<String> = fragments.iter().filter_map(|f| f.meta.id.clone()).collect();
    let mut by_text: HashMap<String, Vec<String>> = HashMap::new();
    for (id, old) in existing.iter().rev() {
        if !new_ids.contains(id) {
            by_text
                .entry(clean::compare_key(&old.fragment.body))
                .or_default()
                .push(id.clone());
        }
    }
    for f in &mut fragments {
        let id = f.meta.id.clone().unwrap_or_default();
        if existing.contains_key(&id) {
            continue;
        }
        if let Some(old_id) = by_text
            .get_mut(&clean::compare_key(&f.body))
            .and_then(Vec::pop)
        {
            f.meta.id = Some(old_id);
        }
    }
    let mut kept = vec![false; fragments.len()];
    let mut moved = Vec::new();
    for (i, f) in fragments.iter_mut().enumerate() {
        let id = f.meta.id.clone().unwrap_or_default();
        if let Some(old) = existing.get(&id) {
            if old.fragment.is_hand_edited() {
                let position = f.meta.order;
                *f = old.fragment.clone();
                kept[i] = true;
                if f.meta.order != position {
                    moved.push((id.clone(), f.meta.order, position));
                }
            } else {
                write::carry_over(f, &old.fragment);
            }
        }
    }
    summary.moved = moved;
    crate::tag::apply_tags(&opts.root, &tagger, &mut fragments).map_err(|d| vec![d])?;

    let bar = if opts.quiet || opts.dry_run {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(fragments.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} claims")
        {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_prefix(format!("ingest {}", opts.brief));
        b
    };
    let mut current: HashSet<String> = HashSet::new();
    for (f, kept) in fragments.iter_mut().zip(kept) {
        bar.inc(1);
        let id = f.meta.id.clone().unwrap_or_default();
        current.insert(id.clone());
        *summary
            .kinds
            .entry(f.meta.kind.clone().unwrap_or_else(|| "claim".into()))
            .or_default() += 1;
        if kept {
            summary.kept.push(id);
            continue;
        }
        f.meta.ingest_hash = Some(fragment::body_hash(&f.body));
        let path = existing
            .get(&id)
            .map(|e| e.path.clone())
            .unwrap_or_else(|| dir.join(format!("{id}.md")));
        let text = f.to_file_string();
        match existing.get(&id) {
            Some(old) if old.text == text => summary.unchanged += 1,
            Some(_) => {
                if !opts.dry_run {
                    write::write_if_changed(&path, &text)?;
                }
                summary.updated += 1;
            }
            None => {
                if !opts.dry_run {
                    write::write_if_changed(&path, &text)?;
                }
                summary.new += 1;
            }
        }
    }
    bar.finish_and_clear();

    for (id, old) in &existing {
        if current.contains(id) {
            continue;
        }
        if opts.prune && !old.fragment.is_hand_edited() {
            if !opts.dry_run {
                fs::remove_file(&old.path)
                    .with_context(|| format!("removing {}", old.path.display()))?;
            }
            summary.pruned.push(id.clone());
        } else {
            summary.stale.push(id.clone());
        }
    }

    let rendered = write::render_brief(head, &meta, &built.brief);
    if opts.dry_run {
        summary.brief_updated = rendered != brief_text;
        summary.preview = Some(fragments.iter().take(PREVIEW).map(preview_line).collect());
    } else {
        summary.brief_updated = write::write_if_changed(&brief_path, &rendered)?;
    }
    Ok(summary)
}

/// Fragments a dry run shows.
const PREVIEW: usize = 8;

/// One fragment in a dry run's preview: order, kind, cites, section, the
/// start of the text.
fn preview_line(f: &Fragment) -> String {
    let cites = f.meta.cites.clone().unwrap_or_default();
    let section = f.meta.section.clone().unwrap_or_default();
    let mut text: String = f.body.replace('\n', " ⏎ ");
    if text.chars().count() > 100 {
        text = text.chars().take(99).collect::<String>() + "…";
    }
    format!(
        "{:>4} {:<14} {}{}{}",
        f.meta.order.unwrap_or_default(),
        f.meta.kind.as_deref().unwrap_or("claim"),
        if cites.is_empty() {
            String::new()
        } else {
            format!("[cites {}] ", cites.join(", "))
        },
        if section.is_empty() {
            String::new()
        } else {
            format!("({}) ", section.join(" > "))
        },
        text
    )
}

/// Whether the bytes are a complete PDF: its header, and its end-of-file
/// marker in the last kilobyte. Anything else is judged as text or not.
fn is_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// The program that extracts a PDF's text: `pdftotext` (Debian's
/// poppler-utils), or the one `CROSSBRIEF_PDFTOTEXT` names.
fn pdftotext() -> std::ffi::OsString {
    std::env::var_os("CROSSBRIEF_PDFTOTEXT").unwrap_or_else(|| "pdftotext".into())
}

/// The text of a PDF source, in reading order, pages separated by form
/// feeds (`pdftotext -enc UTF-8 FILE -`). `rel` names it in diagnostics.
fn pdf_text(path: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    let program = pdftotext();
    let shown = program.to_string_lossy().into_owned();
    let out = std::process::Command::new(&program)
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output();
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Diagnostic::new(
            rel,
            None,
            format!("the source is a PDF, and no text extractor was found (`{shown}` is not installed)"),
        )
        .help(format!(
            "install poppler-utils (Debian and Ubuntu: `apt-get install poppler-utils`; macOS: `brew install poppler`), or convert it yourself with `pdftotext {rel} content/sources/NAME.txt` and name the .txt file in the brief's `source`"
        ))),
        Err(e) => Err(Diagnostic::new(rel, None, format!("cannot run `{shown}` on the PDF: {e}"))
            .help("check that pdftotext (poppler-utils) is installed and runs, or convert the PDF to text yourself")),
        Ok(o) if !o.status.success() => {
            let why = String::from_utf8_lossy(&o.stderr);
            let why = why.lines().next().unwrap_or("").trim();
            Err(Diagnostic::new(
                rel,
                None,
                format!("`{shown}` could not read the PDF ({}): {why}", o.status),
            )
            .help("the file may be damaged, encrypted or a scan without text: open it, export its text, and name the .txt file in the brief's `source`"))
        }
        Ok(o) if o.stdout.iter().all(|b| b.is_ascii_whitespace() || *b == 0x0c) => Err(Diagnostic::new(
            rel,
            None,
            "the PDF holds no text (a scanned document?)",
        )
        .help("run OCR on it first (e.g. `ocrmypdf`), or type or export its text and name the .txt file in the brief's `source`")),
        Ok(o) => Ok(o.stdout),
    }
}

/// Why the bytes of a source are not text, if they are not: a NUL byte
/// (word-processor files, PDFs, UTF-16), or a first 8 KB of which more
/// than 30% are invalid UTF-8 or control characters. A text with a few bad
/// bytes passes; they are replaced when it is read.
pub fn not_text(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return Some("it contains NUL bytes, as PDF, word-processor and UTF-16 files do".into());
    }
    let head = &bytes[..bytes.len().min(8192)];
    let (mut text, mut other) = (0usize, 0usize);
    for chunk in head.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
                other += 1;
            } else {
                text += 1;
            }
        }
        other += chunk.invalid().len();
    }
    let all = text + other;
    (all > 0 && other * 10 > all * 3).then(|| {
        format!(
            "{}% of its first {} KB are not text (invalid UTF-8 or control characters)",
            other * 100 / all,
            head.len().div_ceil(1024)
        )
    })
}

/// The claims folder of a brief under a site root.
pub fn claims_dir(root: &Path, brief: &str) -> PathBuf {
    root.join("content").join("claims").join(brief)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_not_text() {
        assert_eq!(
            not_text(b"Plain text.\n\tIndented.\r\n\x0cNext page."),
            None
        );
        assert_eq!(not_text("Un texte accentué.".as_bytes()), None);
        // A few bad bytes are replaced when read, not refused.
        let mut latin1 = b"Caf\xe9 and cr\xe8me, ".repeat(20);
        latin1.extend(b"then plenty of plain words".repeat(20));
        assert_eq!(not_text(&latin1), None);
        assert!(not_text(b"%PDF-1.7\n\0\x01").unwrap().contains("NUL"));
        let junk: Vec<u8> = (0..4000u32).map(|i| (i * 37 % 255 + 1) as u8).collect();
        assert!(not_text(&junk).unwrap().contains("are not text"));
        assert_eq!(not_text(b""), None);
    }
}
