//! RawSite to Site: every id checked, every reference (brief, term, note,
//! chapter, see_also) resolved, orders checked, and every problem reported
//! at once with its file and line. [`check`] does the per-file checks (in
//! parallel for claims); [`assemble`] builds the immutable model and its
//! indexes from what passed.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diag::{closest, Diagnostic};
use crate::model::{Brief, BriefIx, Chapter, Claim, ClaimIx, Kind, Note, Site, Taxonomy, TermIx};
use crate::parse::{file_key_line, ParsedClaim, RawSite};
use crate::schema::{RawBrief, KINDS, TAXONOMIES};
use crate::taxonomy;

/// True for ids of the contract: lowercase ASCII letters, digits and `-`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The help line for a bad id.
pub fn bad_id_help() -> &'static str {
    "ids use only lowercase letters a-z, digits and `-`, e.g. `rand-2023-parker-0142`"
}

/// True for note ids: letters, digits, `-`, `_` and `.` (`43`, `ch4-43`).
fn is_valid_note_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// One run of a [`natural_key`]: numbers sort before text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    Num(u64),
    Text(String),
}

/// Sort key that puts `2` before `10` and `ch2-9` before `ch10-1`.
pub fn natural_key(s: &str) -> Vec<KeyPart> {
    let mut key = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    for c in s.chars() {
        if !cur.is_empty() && c.is_ascii_digit() != digits {
            key.push(part(std::mem::take(&mut cur), digits));
        }
        digits = c.is_ascii_digit();
        cur.push(c);
    }
    if !cur.is_empty() {
        key.push(part(cur, digits));
    }
    key
}

fn part(run: String, digits: bool) -> KeyPart {
    match run.parse() {
        Ok(n) if digits => KeyPart::Num(n),
        _ => KeyPart::Text(run),
    }
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

/// A brief that passed its checks.
struct BriefDraft {
    brief: Brief,
    /// The chapter ids, for `chapter` checks and suggestions.
    chapter_ids: Vec<String>,
}

/// A claim that passed its own checks; `see_also` and order are checked
/// across claims later.
struct ClaimDraft {
    claim: Claim,
    see_also: Vec<String>,
    file: usize,
}

/// Everything that passed the per-file checks, ready for [`assemble`].
pub struct Checked {
    config: SiteConfig,
    taxonomies: Vec<Taxonomy>,
    briefs: Vec<Brief>,
    claims: Vec<Claim>,
}

fn check_brief(
    p: &crate::parse::Parsed<RawBrief>,
    sources: &std::collections::BTreeSet<String>,
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
    if !source.is_empty() {
        let name = source
            .strip_prefix("content/sources/")
            .or_else(|| source.strip_prefix("sources/"))
            .unwrap_or(&source);
        if name.split('/').any(|c| c == ".." || c.is_empty()) || name.starts_with('/') {
            diags.push(
                Diagnostic::new(path, line("source"), format!("bad source path `{source}`"))
                    .help("name a file inside content/sources/, e.g. `source: report.txt`"),
            );
        } else if !sources.contains(name) {
            diags.push(
                Diagnostic::new(
                    path,
                    line("source"),
                    format!("source file `content/sources/{name}` does not exist"),
                )
                .help("put the raw document there, or fix the `source` path"),
            );
        }
    }
    let mut chapters = Vec::new();
    for ch in &b.chapters {
        let cid = ch.id.as_deref().unwrap_or("");
        let cline = crate::frontmatter::value_line(text, 1, "chapters", cid)
            .filter(|_| !cid.is_empty())
            .or(line("chapters"));
        if !is_valid_id(cid) {
            diags.push(
                Diagnostic::new(path, cline, format!("bad or missing chapter id `{cid}`"))
                    .help(bad_id_help()),
            );
            continue;
        }
        if chapters.iter().any(|c: &Chapter| c.id == cid) {
            diags.push(
                Diagnostic::new(path, cline, format!("duplicate chapter id `{cid}`"))
                    .help("give each chapter its own id"),
            );
            continue;
        }
        let ctitle = ch.title.clone().filter(|t| !t.trim().is_empty());
        if ctitle.is_none() {
            diags.push(
                Diagnostic::new(path, cline, format!("chapter `{cid}` has no `title`"))
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
        let nline = crate::frontmatter::value_line(text, 1, "notes", nid).or(line("notes"));
        if !is_valid_note_id(nid) {
            diags.push(
                Diagnostic::new(path, nline, format!("bad note id `{nid}`"))
                    .help("note ids use letters, digits, `-`, `_` and `.`, e.g. `43` or `ch4-43`"),
            );
        } else if ntext.trim().is_empty() {
            diags.push(
                Diagnostic::new(path, nline, format!("note `{nid}` has no text"))
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

fn check_claim(
    c: &ParsedClaim,
    file: usize,
    briefs: &HashMap<&str, (BriefIx, &BriefDraft)>,
    taxonomies: &[Option<Taxonomy>],
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
    let lists = [&m.countries, &m.technologies, &m.policies];
    let mut tags: [Vec<TermIx>; 3] = Default::default();
    for (x, name) in TAXONOMIES.iter().enumerate() {
        let Some(list) = lists[x] else {
            diags.push(missing(
                name,
                &format!("add `{name}: []` or a list of term ids"),
            ));
            continue;
        };
        let Some(tax) = &taxonomies[x] else { continue };
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
                            format!("unknown {} `{term}`", tax.singular),
                        )
                        .help(format!(
                            "{hint}known ids are in content/taxonomy/{name}.yaml"
                        )),
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

/// Checks every file and reference; returns every problem at once.
pub fn check(raw: &RawSite) -> Result<Checked, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let config = match &raw.site {
        None if raw.site_unreadable => SiteConfig::default(),
        None => {
            diags.push(
                Diagnostic::new("content/site.yaml", None, "missing site configuration")
                    .help("create content/site.yaml with at least `title: Your site`"),
            );
            SiteConfig::default()
        }
        Some(p) => config::check(&p.value, &p.file.path, |k| file_key_line(&p.file.text, k))
            .unwrap_or_else(|e| {
                diags.extend(e);
                SiteConfig::default()
            }),
    };
    let taxonomies: Vec<Option<Taxonomy>> = raw
        .taxonomies
        .iter()
        .map(|t| match taxonomy::build(t) {
            Ok(t) => Some(t),
            Err(e) => {
                diags.extend(e);
                None
            }
        })
        .collect();
    let mut drafts: Vec<BriefDraft> = Vec::new();
    let mut brief_files: HashMap<String, String> = HashMap::new();
    for p in &raw.briefs {
        if let Some(d) = check_brief(p, &raw.sources, &mut diags) {
            if let Some(first) = brief_files.get(&d.brief.id) {
                diags.push(
                    Diagnostic::new(
                        &p.file.path,
                        file_key_line(&p.file.text, "id"),
                        format!("duplicate brief id `{}`", d.brief.id),
                    )
                    .help(format!("{first} already uses it")),
                );
                continue;
            }
            brief_files.insert(d.brief.id.clone(), p.file.path.clone());
            drafts.push(d);
        }
    }
    drafts.sort_by(|a, b| a.brief.id.cmp(&b.brief.id));
    let brief_map: HashMap<&str, (BriefIx, &BriefDraft)> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.brief.id.as_str(), (i as BriefIx, d)))
        .collect();
    // Claims of a brief whose metadata failed are still checked, but the
    // "unknown brief" they would report is noise: skip that one message.
    let failed_briefs: std::collections::HashSet<String> = raw
        .briefs
        .iter()
        .filter_map(|p| {
            let stem = p.file.path.rsplit('/').next()?.strip_suffix(".yaml")?;
            (!brief_map.contains_key(stem)).then(|| stem.to_string())
        })
        .collect();
    let results: Vec<Result<ClaimDraft, Vec<Diagnostic>>> = raw
        .claims
        .par_iter()
        .enumerate()
        .map(|(i, c)| check_claim(c, i, &brief_map, &taxonomies))
        .collect();
    let mut claims: Vec<ClaimDraft> = Vec::with_capacity(results.len());
    for (r, c) in results.into_iter().zip(&raw.claims) {
        match r {
            Ok(d) => claims.push(d),
            Err(e) => {
                let b = c.meta.brief.as_deref().unwrap_or("");
                diags.extend(e.into_iter().filter(|d| {
                    !(failed_briefs.contains(b) && d.message.starts_with("unknown brief"))
                }));
            }
        }
    }
    // Duplicate ids: every file after the first is reported, naming the first.
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(raw.claims.len());
    for (i, c) in raw.claims.iter().enumerate() {
        let Some(id) = c.meta.id.as_deref() else {
            continue;
        };
        match by_id.get(id) {
            Some(&first) => diags.push(
                Diagnostic::new(
                    &c.file.path,
                    Some(c.key_line("id")),
                    format!("duplicate claim id `{id}`"),
                )
                .help(format!(
                    "{} already uses it; claim ids are unique across the site",
                    raw.claims[first].file.path
                )),
            ),
            None => {
                by_id.insert(id, i);
            }
        }
    }
    // Orders: strictly increasing within a brief, so equal orders clash.
    let mut orders: HashMap<(BriefIx, i64), usize> = HashMap::new();
    for d in &claims {
        let key = (d.claim.brief, d.claim.order);
        if let Some(&first) = orders.get(&key) {
            let other = &raw.claims[first];
            let this = &raw.claims[d.file];
            // Report on the later file (by path) so the message is stable.
            let (a, b) = if other.file.path < this.file.path {
                (other, this)
            } else {
                (this, other)
            };
            diags.push(
                Diagnostic::new(
                    &b.file.path,
                    Some(b.key_line("order")),
                    format!("order {} is already used by {}", d.claim.order, a.file.path),
                )
                .help(
                    "orders must be strictly increasing within a brief; renumber one of the claims",
                ),
            );
        } else {
            orders.insert(key, d.file);
        }
    }
    // see_also against every id that exists (even in a failing file, so one
    // error does not cascade into many).
    for d in &claims {
        let c = &raw.claims[d.file];
        for s in &d.see_also {
            if is_valid_id(s) && !by_id.contains_key(s.as_str()) {
                let hint = closest(s, by_id.keys().copied())
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::new(
                        &c.file.path,
                        Some(c.value_line("see_also", s)),
                        format!("`see_also` names claim `{s}`, which does not exist"),
                    )
                    .help(format!("{hint}use the `id` of an existing claim")),
                );
            }
        }
    }
    if !diags.is_empty() {
        crate::diag::sort(&mut diags);
        return Err(diags);
    }
    let taxonomies: Vec<Taxonomy> = taxonomies.into_iter().flatten().collect();
    let mut briefs: Vec<Brief> = drafts.into_iter().map(|d| d.brief).collect();
    claims.sort_by_key(|d| (d.claim.brief, d.claim.order));
    let index: HashMap<&str, ClaimIx> = claims
        .iter()
        .enumerate()
        .map(|(i, d)| (d.claim.id.as_str(), i as ClaimIx))
        .collect();
    let see_also: Vec<Vec<ClaimIx>> = claims
        .iter()
        .map(|d| {
            let mut v: Vec<ClaimIx> = d
                .see_also
                .iter()
                .filter_map(|s| index.get(s.as_str()).copied())
                .collect();
            v.dedup();
            v
        })
        .collect();
    let mut claims: Vec<Claim> = claims.into_iter().map(|d| d.claim).collect();
    for (i, v) in see_also.into_iter().enumerate() {
        claims[i].see_also = v;
    }
    for (i, c) in claims.iter().enumerate() {
        briefs[c.brief as usize].claims.push(i as ClaimIx);
    }
    Ok(Checked {
        config,
        taxonomies,
        briefs,
        claims,
    })
}

/// Builds the immutable model from checked content: reverse `see_also`
/// links, note back-references and per-term claim lists.
pub fn assemble(checked: Checked) -> Site {
    let Checked {
        config,
        mut taxonomies,
        mut briefs,
        mut claims,
    } = checked;
    let mut seen_from: Vec<Vec<ClaimIx>> = vec![Vec::new(); claims.len()];
    for (i, c) in claims.iter().enumerate() {
        for &s in &c.see_also {
            if s as usize != i && !seen_from[s as usize].contains(&(i as ClaimIx)) {
                seen_from[s as usize].push(i as ClaimIx);
            }
        }
    }
    for (c, v) in claims.iter_mut().zip(seen_from) {
        c.seen_from = v;
    }
    for (i, c) in claims.iter().enumerate() {
        for &n in &c.cites {
            briefs[c.brief as usize].notes[n]
                .cited_by
                .push(i as ClaimIx);
        }
    }
    taxonomy::index_claims(&mut taxonomies, &claims);
    let claim_by_id = claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i as ClaimIx))
        .collect();
    Site {
        config,
        taxonomies,
        briefs,
        claims,
        claim_by_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["a", "rand-2023-parker-0142", "0"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "../x", "A", "a_b", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in ["2024", "2024-03", "2024-12-31"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in [
            "24",
            "2024-13",
            "2024-3",
            "2024-01-32",
            "March 2024",
            "2024-01-01-01",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn natural_order() {
        let mut ids = vec!["10", "2", "ch10-1", "ch2-9", "1", "a"];
        ids.sort_by_key(|s| natural_key(s));
        assert_eq!(ids, ["1", "2", "10", "a", "ch2-9", "ch10-1"]);
    }
}
