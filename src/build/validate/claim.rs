//! Checks of one claim fragment on its own: required keys, ids, brief,
//! folder, kind, terms (with suggestions), chapter, cites, paragraph, body.
//! Checks across claims (duplicates, orders, `see_also`) are in `check`.

use std::collections::HashMap;

use super::{BriefDraft, ClaimDraft};
use crate::build::parse::ParsedClaim;
use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::kind::KINDS;
use crate::content::model::{BriefIx, Claim, Kind, Taxonomy, TermIx};
use crate::diag::{closest, Diagnostic};

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
        for term in list {
            match tax.by_id.get(term.as_str()) {
                Some(&t) => {
                    if !tags[x].contains(&t) {
                        tags[x].push(t);
                    }
                }
                None => {
                    let hint = closest(term, tax.by_id.keys().map(String::as_str))
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    diags.push(
                        Diagnostic::new(
                            path,
                            Some(c.value_line(name, term)),
                            format!("unknown {} `{term}`", tax.def.singular_lower()),
                        )
                        .help(format!("{hint}known ids are in {}", tax.def.path())),
                    );
                }
            }
        }
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
                for n in list {
                    match b.brief.note_by_id.get(n) {
                        Some(&i) => {
                            if !cites.contains(&i) {
                                cites.push(i);
                            }
                        }
                        None => {
                            let hint = closest(n, b.brief.notes.iter().map(|x| x.id.as_str()))
                                .map(|k| format!("did you mean `{k}`? "))
                                .unwrap_or_default();
                            diags.push(
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
                                )),
                            );
                        }
                    }
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
    if c.body.trim().is_empty() {
        diags.push(
            Diagnostic::new(path, Some(c.yaml_line), "the claim has no text")
                .help("write the claim's text after the closing `---`, or delete the file"),
        );
    }
    for s in &m.see_also {
        if !is_valid_id(s) {
            diags.push(
                Diagnostic::new(
                    path,
                    Some(c.value_line("see_also", s)),
                    format!("bad claim id `{s}` in `see_also`"),
                )
                .help(bad_id_help()),
            );
        }
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
