//! RawSite to Site: every id checked, every reference (brief, term, note,
//! chapter, see_also) resolved, orders checked, and every problem reported
//! at once with its file and line. [`check`] does the per-file checks (in
//! parallel for claims); [`assemble`] builds the immutable model and its
//! indexes from what passed.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::build::parse::{file_key_line, RawSite};
use crate::content::config::{self, SiteConfig};
use crate::content::ids::is_valid_id;
use crate::content::model::{Brief, BriefIx, Claim, ClaimIx, Site, Taxonomy};
use crate::content::vocab;
use crate::diag::Diagnostic;

mod brief;
mod claim;

use brief::check_brief;
use claim::{check_claim, Capped, MAX_REPORTED};

/// A brief that passed its checks.
pub(super) struct BriefDraft {
    pub(super) brief: Brief,
    /// The chapter ids, for `chapter` checks and suggestions.
    pub(super) chapter_ids: Vec<String>,
}

/// A claim that passed its own checks; `see_also` and order are checked
/// across claims later.
pub(super) struct ClaimDraft {
    pub(super) claim: Claim,
    pub(super) see_also: Vec<String>,
    pub(super) file: usize,
}

/// Everything that passed the per-file checks, ready for [`assemble`].
pub struct Checked {
    config: SiteConfig,
    taxonomies: Vec<Taxonomy>,
    briefs: Vec<Brief>,
    claims: Vec<Claim>,
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
    let mut config = config;
    config.matrix = raw.table.matrix;
    let present: Vec<&str> = raw.vocabulary_files.iter().map(String::as_str).collect();
    let taxonomies: Vec<Option<Taxonomy>> = raw
        .taxonomies
        .iter()
        .map(|t| match vocab::read(&t.def, t.file.as_ref(), &present) {
            // Reported by the load: a refused link is not a missing file.
            Err(_) if t.file.is_none() && raw.unreadable.contains(&t.def.path()) => None,
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
        if let Some(d) = check_brief(p, &raw.sources, &raw.unreadable, &mut diags) {
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
    let keyed: Vec<(&str, Option<&Taxonomy>)> = raw
        .table
        .ids()
        .zip(taxonomies.iter().map(Option::as_ref))
        .collect();
    let results: Vec<Result<ClaimDraft, Vec<Diagnostic>>> = raw
        .claims
        .par_iter()
        .enumerate()
        .map(|(i, c)| check_claim(c, i, &brief_map, &keyed, raw.table.declared))
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
    // A suggestion compares with every claim id, so only the first few
    // missing ids of the site get one.
    let mut suggestions = 0usize;
    for d in &claims {
        let c = &raw.claims[d.file];
        let mut missing = Capped::default();
        let mut seen = HashSet::new();
        for s in &d.see_also {
            if is_valid_id(s) && !by_id.contains_key(s.as_str()) && seen.insert(s.as_str()) {
                missing.report(&mut diags, || {
                    suggestions += 1;
                    let hint = if suggestions <= MAX_REPORTED {
                        claim::suggestion(s, by_id.keys().copied())
                    } else {
                        String::new()
                    };
                    Diagnostic::new(
                        &c.file.path,
                        Some(c.value_line("see_also", s)),
                        format!("`see_also` names claim `{s}`, which does not exist"),
                    )
                    .help(format!("{hint}use the `id` of an existing claim"))
                });
            }
        }
        if missing.more > 0 {
            diags.push(
                Diagnostic::new(
                    &c.file.path,
                    Some(c.key_line("see_also")),
                    format!(
                        "… and {} more claims in `see_also` that do not exist",
                        missing.more
                    ),
                )
                .help(format!(
                    "the first {MAX_REPORTED} are listed above; use the `id` of an existing claim"
                )),
            );
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
        taxonomies,
        mut briefs,
        mut claims,
    } = checked;
    let mut seen_from: Vec<Vec<ClaimIx>> = vec![Vec::new(); claims.len()];
    for (i, c) in claims.iter().enumerate() {
        for &s in &c.see_also {
            // Claim `i` is the last one pushed anywhere so far, so a repeat
            // of it is the list's last entry.
            if s as usize != i && seen_from[s as usize].last() != Some(&(i as ClaimIx)) {
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
    let claim_by_id = claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i as ClaimIx))
        .collect();
    let mut site = Site {
        config,
        taxonomies,
        term_claims: Vec::new(),
        briefs,
        claims,
        claim_by_id,
    };
    site.index_terms();
    site
}
