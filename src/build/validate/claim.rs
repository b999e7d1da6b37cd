//! Checks of one claim fragment on its own: required keys, ids, brief,
//! folder, kind, terms (with suggestions), chapter, cites, paragraph, body.
//! Checks across claims (duplicates, orders, `see_also`) are in `check`.

use std::collections::{HashMap, HashSet};

use super::{BriefDraft, ClaimDraft};
use crate::build::parse::ParsedClaim;
use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::kind::KINDS;
use crate::content::model::{BriefIx, Claim, Kind, Taxonomy, TermIx};
use crate::content::taxonomy::TaxonomyDef;
use crate::diag::{closest, Diagnostic};

/// The most text one claim may hold (bytes of its Markdown body). Claims
/// are single assertions of a few hundred bytes; the limit keeps the
/// search index, cross-references and pages of a runaway file bounded.
pub const MAX_CLAIM_TEXT: usize = 256 * 1024;

/// How many problems of one list of a claim (its terms, its cites, its
/// `see_also`) are reported one by one; the rest are counted in one more.
pub(super) const MAX_REPORTED: usize = 20;

/// Reports up to [`MAX_REPORTED`] problems, then counts them.
#[derive(Default)]
pub(super) struct Capped {
    shown: usize,
    /// Problems not reported one by one.
    pub more: usize,
}

impl Capped {
    /// Pushes the diagnostic `make` builds, or counts it past the limit
    /// (`make` is not called then: finding lines and suggestions costs).
    pub fn report(&mut self, diags: &mut Vec<Diagnostic>, make: impl FnOnce() -> Diagnostic) {
        if self.shown < MAX_REPORTED {
            self.shown += 1;
            diags.push(make());
        } else {
            self.more += 1;
        }
    }
}

/// "did you mean `x`? ", or nothing: no suggestion for an id far longer
/// than any plausible one.
pub(super) fn suggestion<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    if wanted.len() > 200 {
        return String::new();
    }
    closest(wanted, known)
        .map(|k| format!("did you mean `{k}`? "))
        .unwrap_or_default()
}

/// Checks one claim against the briefs and vocabularies (`None` where a
/// vocabulary failed its own checks). With `declared` taxonomies a missing
/// taxonomy key means no terms; without, each default key is required.
pub(super) fn check_claim(
    c: &ParsedClaim,
    file: usize,
    briefs: &HashMap<&str, (BriefIx, &BriefDraft)>,
    taxonomies: &[(&str, Option<&Taxonomy>)],
    declared: bool,
) -> Result<ClaimDraft, Vec<Diagnostic>> {
    let path = c.file.path.as_str();
    let m = &c.meta;
    let mut diags = Vec::new();
    let missing = |key: &str, help: &str| {
        Diagnostic::new(
            path,
            Some(c.yaml_line),
            format!("missing required key `{key}`"),
        )
        .help(help.to_string())
    };
    let folder = path
        .strip_prefix("content/claims/")
        .and_then(|r| r.split_once('/'))
        .map(|(f, rest)| (f, rest.contains('/')));
    let id = match m.id.as_deref() {
        None => {
            diags.push(missing(
                "id",
                "add `id: BRIEF-NNNN`, unique across the site",
            ));
            ""
        }
        Some(id) if !is_valid_id(id) => {
            diags.push(
                Diagnostic::new(path, Some(c.key_line("id")), format!("bad claim id `{id}`"))
                    .help(bad_id_help()),
            );
            ""
        }
        Some(id) => id,
    };
    let brief = match m.brief.as_deref() {
        None => {
            diags.push(missing(
                "brief",
                "add `brief: BRIEF`, the id of a file in content/briefs/",
            ));
            None
        }
        Some(b) if !is_valid_id(b) => {
            diags.push(
                Diagnostic::new(
                    path,
                    Some(c.key_line("brief")),
                    format!("bad brief id `{b}`"),
                )
                .help(bad_id_help()),
            );
            None
        }
        Some(b) => {
            match briefs.get(b) {
                Some(found) => Some(*found),
                None => {
                    let hint = closest(b, briefs.keys().copied())
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    diags.push(
                    Diagnostic::new(path, Some(c.key_line("brief")), format!("unknown brief `{b}`"))
                        .help(format!(
                            "{hint}a claim's brief must have its metadata in content/briefs/{b}.yaml"
                        )),
                );
                    None
                }
            }
        }
    };
    match (folder, m.brief.as_deref()) {
        (Some((f, false)), Some(b)) if f != b && is_valid_id(b) => diags.push(
            Diagnostic::new(
                path,
                Some(c.key_line("brief")),
                format!("claim of brief `{b}` is in the folder of brief `{f}`"),
            )
            .help(format!(
                "move the file to content/claims/{b}/ or fix `brief`"
            )),
        ),
        (Some((_, true)), _) | (None, _) => diags.push(
            Diagnostic::new(path, None, "claim fragment outside content/claims/<brief>/")
                .help("put each fragment directly in the folder of its brief"),
        ),
        _ => {}
    }
    let order = match m.order {
        None => {
            diags.push(missing(
                "order",
                "add `order: N`, the claim's position in its brief",
            ));
            0
        }
        Some(o) => o,
    };
    let section = match &m.section {
        None => {
            diags.push(missing(
                "section",
                "add `section: []` or the heading path, outermost first",
            ));
            Vec::new()
        }
        Some(s) => s.clone(),
    };
    let kind = match m.kind.as_deref() {
        None => {
            diags.push(missing(
                "kind",
                &format!("add `kind:` with one of {}", KINDS.join(", ")),
            ));
            Kind::Claim
        }
        Some(k) => Kind::parse(k).unwrap_or_else(|| {
            let hint = closest(k, KINDS)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    path,
                    Some(c.key_line("kind")),
                    format!("unknown kind `{k}`"),
                )
                .help(format!("{hint}kind is one of {}", KINDS.join(", "))),
            );
            Kind::Claim
        }),
    };
    let mut tags: Vec<Vec<TermIx>> = vec![Vec::new(); taxonomies.len()];
    // Unknown ids are reported one by one up to a limit, then counted, so
    // a claim with 100,000 bad tags costs no more than one with 20.
    let mut unknown = Capped::default();
    let mut more_in: Vec<&TaxonomyDef> = Vec::new();
    for (x, &(name, tax)) in taxonomies.iter().enumerate() {
        let Some(list) = m.tags.get(name) else {
            if !declared {
                diags.push(missing(
                    name,
                    &format!("add `{name}: []` or a list of term ids"),
                ));
            }
            continue;
        };
        let Some(tax) = tax else { continue };
        let mut known = HashSet::with_capacity(list.len().min(64));
        let mut unknown_here: HashSet<&str> = HashSet::new();
        let more_before = unknown.more;
        for term in list {
            match tax.by_id.get(term.as_str()) {
                Some(&t) => {
                    if known.insert(t) {
                        tags[x].push(t);
                    }
                }
                None if !unknown_here.insert(term.as_str()) => {}
                None => unknown.report(&mut diags, || {
                    let hint = suggestion(term, tax.by_id.keys().map(String::as_str));
                    Diagnostic::new(
                        path,
                        Some(c.value_line(name, term)),
                        format!("unknown {} `{term}`", tax.def.singular_lower()),
                    )
                    .help(format!("{hint}known ids are in {}", tax.def.path()))
                }),
            }
        }
        if unknown.more > more_before {
            more_in.push(&tax.def);
        }
    }
    if unknown.more > 0 {
        let what = match more_in.as_slice() {
            [one] => one.name.to_lowercase(),
            _ => "terms".to_string(),
        };
        let files: Vec<String> = more_in.iter().map(|d| d.path()).collect();
        diags.push(
            Diagnostic::new(
                path,
                Some(c.key_line(&more_in[0].id)),
                format!("… and {} more unknown {what} in this claim", unknown.more),
            )
            .help(format!(
                "the first {MAX_REPORTED} are listed above; known ids are in {}",
                files.join(", ")
            )),
        );
    }
    let mut chapter = None;
    if let (Some(ch), Some((_, b))) = (m.chapter.as_deref(), brief) {
        match b.chapter_ids.iter().position(|x| x == ch) {
            Some(i) => chapter = Some(i),
            None => {
                let help = if b.chapter_ids.is_empty() {
                    format!(
                        "brief `{}` has no `chapters`; add the chapter there or remove `chapter`",
                        b.brief.id
                    )
                } else {
                    let hint = closest(ch, b.chapter_ids.iter().map(String::as_str))
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    format!(
                        "{hint}the chapters of `{}` are: {}",
                        b.brief.id,
                        b.chapter_ids.join(", ")
                    )
                };
                diags.push(
                    Diagnostic::new(
                        path,
                        Some(c.key_line("chapter")),
                        format!("unknown chapter `{ch}`"),
                    )
                    .help(help),
                );
            }
        }
    }
    let mut cites = Vec::new();
    match &m.cites {
        None => diags.push(missing(
            "cites",
            "add `cites: []` or the note ids this claim cites",
        )),
        Some(list) => {
            if let Some((_, b)) = brief {
                let mut seen = HashSet::new();
                let mut unknown_seen: HashSet<&str> = HashSet::new();
                let mut unknown = Capped::default();
                for n in list {
                    match b.brief.note_by_id.get(n) {
                        Some(&i) => {
                            if seen.insert(i) {
                                cites.push(i);
                            }
                        }
                        None if !unknown_seen.insert(n.as_str()) => {}
                        None => unknown.report(&mut diags, || {
                            let hint = suggestion(n, b.brief.notes.iter().map(|x| x.id.as_str()));
                            Diagnostic::new(
                                path,
                                Some(c.value_line("cites", n)),
                                format!(
                                    "cites note `{n}`, which brief `{}` does not have",
                                    b.brief.id
                                ),
                            )
                            .help(format!(
                                "{hint}add the note under `notes:` in {} or fix the id",
                                b.brief.path
                            ))
                        }),
                    }
                }
                if unknown.more > 0 {
                    diags.push(
                        Diagnostic::new(
                            path,
                            Some(c.key_line("cites")),
                            format!(
                                "… and {} more notes that brief `{}` does not have",
                                unknown.more, b.brief.id
                            ),
                        )
                        .help(format!(
                            "the first {MAX_REPORTED} are listed above; the notes are under `notes:` in {}",
                            b.brief.path
                        )),
                    );
                }
            }
        }
    }
    if let Some(p) = m.paragraph {
        if p < 0 {
            diags.push(
                Diagnostic::new(
                    path,
                    Some(c.key_line("paragraph")),
                    "`paragraph` must not be negative",
                )
                .help("number the source's paragraphs from 0 or 1"),
            );
        }
    }
    if c.body.len() > MAX_CLAIM_TEXT {
        // The first body line: after the YAML and its closing fence.
        let body_line = c.yaml_line + c.yaml().lines().count() + 1;
        diags.push(
            Diagnostic::new(
                path,
                Some(body_line),
                format!(
                    "the claim's text is {} KB; a claim holds at most {} KB",
                    c.body.len() / 1024,
                    MAX_CLAIM_TEXT / 1024
                ),
            )
            .help("a claim is one quotable assertion: split the text into several claim files, or move long material to the brief's source"),
        );
    }
    if c.body.trim().is_empty() {
        diags.push(
            Diagnostic::new(path, Some(c.yaml_line), "the claim has no text")
                .help("write the claim's text after the closing `---`, or delete the file"),
        );
    }
    let mut bad = Capped::default();
    let mut bad_seen: HashSet<&str> = HashSet::new();
    for s in &m.see_also {
        if !is_valid_id(s) && bad_seen.insert(s.as_str()) {
            bad.report(&mut diags, || {
                Diagnostic::new(
                    path,
                    Some(c.value_line("see_also", s)),
                    format!("bad claim id `{s}` in `see_also`"),
                )
                .help(bad_id_help())
            });
        }
    }
    if bad.more > 0 {
        diags.push(
            Diagnostic::new(
                path,
                Some(c.key_line("see_also")),
                format!("… and {} more bad claim ids in `see_also`", bad.more),
            )
            .help(format!(
                "the first {MAX_REPORTED} are listed above; {}",
                bad_id_help()
            )),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let (brief_ix, _) = brief.expect("a missing brief was reported above");
    Ok(ClaimDraft {
        claim: Claim {
            id: id.to_string(),
            path: path.to_string(),
            brief: brief_ix,
            order,
            chapter,
            section,
            paragraph: m.paragraph,
            kind,
            tags,
            cites,
            see_also: Vec::new(),
            seen_from: Vec::new(),
            body: c.body.clone(),
            reviewed: m.reviewed == Some(true),
        },
        see_also: m.see_also.clone(),
        file,
    })
}
