//! Checks of one brief's metadata file: required keys, id and file name,
//! date, source file, chapters and notes.

use std::collections::BTreeSet;

use super::BriefDraft;
use crate::build::parse::{file_key_line, Parsed};
use crate::content::ids::{bad_id_help, is_valid_id, is_valid_note_id, natural_key, valid_date};
use crate::content::model::{Brief, Chapter, Note};
use crate::content::schema::RawBrief;
use crate::diag::Diagnostic;

/// Checks one brief; `None` when it has problems (pushed to `diags`).
pub(super) fn check_brief(
    p: &Parsed<RawBrief>,
    sources: &BTreeSet<String>,
    unreadable: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<BriefDraft> {
    let path = p.file.path.as_str();
    let text = p.file.text.as_str();
    let b = &p.value;
    let line = |key: &str| file_key_line(text, key).or(Some(1));
    let start = diags.len();
    let stem = path
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".yaml"))
        .unwrap_or("");
    let mut required = |key: &str, v: &Option<String>, help: &str| -> String {
        match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => {
                diags.push(
                    Diagnostic::new(path, line(key), format!("missing required key `{key}`"))
                        .help(help.to_string()),
                );
                String::new()
            }
        }
    };
    let id = required(
        "id",
        &b.id,
        &format!("add `id: {stem}` (the file name without .yaml)"),
    );
    let title = required("title", &b.title, "add `title: The brief's title`");
    let publisher = required(
        "publisher",
        &b.publisher,
        "add `publisher: Who published it`",
    );
    let published = required(
        "published",
        &b.published,
        "add `published: YYYY-MM` or `published: YYYY-MM-DD`",
    );
    let source = required(
        "source",
        &b.source,
        "add `source: FILE.txt`, the raw document under content/sources/",
    );
    if !id.is_empty() {
        if !is_valid_id(&id) {
            diags.push(
                Diagnostic::new(path, line("id"), format!("bad brief id `{id}`"))
                    .help(bad_id_help()),
            );
        } else if id != stem {
            diags.push(
                Diagnostic::new(
                    path,
                    line("id"),
                    format!("brief id `{id}` does not match the file name `{stem}.yaml`"),
                )
                .help(format!(
                    "rename the file to `{id}.yaml` or set `id: {stem}`"
                )),
            );
        }
    }
    if !published.is_empty() && !valid_date(&published) {
        diags.push(
            Diagnostic::new(path, line("published"), format!("bad date `{published}`"))
                .help("write `YYYY-MM` or `YYYY-MM-DD`, e.g. `2024-03`"),
        );
    }
    if let Some(url) = b.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://"))
            || url.contains(char::is_whitespace)
        {
            diags.push(
                Diagnostic::new(path, line("url"), format!("bad url `{url}`"))
                    .help("give the original document's address as http:// or https://"),
            );
        }
    }
    if !source.is_empty() {
        match crate::content::paths::source_name(&source, path, line("source")) {
            Err(d) => diags.push(d),
            // A refused link is reported by the load, not as missing.
            Ok(name)
                if !sources.contains(name)
                    && !unreadable.contains(&format!("content/sources/{name}")) =>
            {
                diags.push(
                    Diagnostic::new(
                        path,
                        line("source"),
                        format!("source file `content/sources/{name}` does not exist"),
                    )
                    .help("put the raw document there, or fix the `source` path"),
                )
            }
            Ok(_) => {}
        }
    }
    let mut chapters = Vec::new();
    for ch in &b.chapters {
        let cid = ch.id.as_deref().unwrap_or("");
        // Found only for a diagnostic: a scan of the file per chapter.
        let cline = || {
            crate::content::frontmatter::value_line(text, 1, "chapters", cid)
                .filter(|_| !cid.is_empty())
                .or(line("chapters"))
        };
        if !is_valid_id(cid) {
            diags.push(
                Diagnostic::new(path, cline(), format!("bad or missing chapter id `{cid}`"))
                    .help(bad_id_help()),
            );
            continue;
        }
        if chapters.iter().any(|c: &Chapter| c.id == cid) {
            diags.push(
                Diagnostic::new(path, cline(), format!("duplicate chapter id `{cid}`"))
                    .help("give each chapter its own id"),
            );
            continue;
        }
        let ctitle = ch.title.clone().filter(|t| !t.trim().is_empty());
        if ctitle.is_none() {
            diags.push(
                Diagnostic::new(path, cline(), format!("chapter `{cid}` has no `title`"))
                    .help("add `title:` to the chapter"),
            );
        }
        chapters.push(Chapter {
            id: cid.to_string(),
            title: ctitle.unwrap_or_default(),
            authors: ch.authors.clone(),
        });
    }
    let mut notes: Vec<Note> = Vec::with_capacity(b.notes.len());
    for (nid, ntext) in &b.notes {
        // Found only for a diagnostic: a scan of the file per note.
        let nline =
            || crate::content::frontmatter::value_line(text, 1, "notes", nid).or(line("notes"));
        if !is_valid_note_id(nid) {
            diags.push(
                Diagnostic::new(path, nline(), format!("bad note id `{nid}`"))
                    .help("note ids have no spaces, e.g. `43` or `ch4-43`"),
            );
        } else if ntext.trim().is_empty() {
            diags.push(
                Diagnostic::new(path, nline(), format!("note `{nid}` has no text"))
                    .help("write the note's text, or remove the note"),
            );
        } else {
            notes.push(Note {
                id: nid.clone(),
                text: ntext.clone(),
                cited_by: Vec::new(),
            });
        }
    }
    notes.sort_by_cached_key(|n| natural_key(&n.id));
    let note_by_id = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect();
    if diags.len() > start {
        return None;
    }
    let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    Some(BriefDraft {
        chapter_ids: chapters.iter().map(|c| c.id.clone()).collect(),
        brief: Brief {
            id,
            path: path.to_string(),
            title,
            subtitle: nonempty(&b.subtitle),
            publisher,
            published,
            source,
            authors: b.authors.clone(),
            editors: b.editors.clone(),
            url: nonempty(&b.url),
            series: nonempty(&b.series),
            summary: nonempty(&b.summary),
            about: nonempty(&b.about),
            chapters,
            notes,
            note_by_id,
            bibliography: b.bibliography.clone(),
            claims: Vec::new(),
        },
    })
}
