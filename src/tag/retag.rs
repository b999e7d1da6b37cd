//! Re-tagging fragments: computing each claim's machine tags in order (so
//! the back-reference rule sees the claim before), and merging them with the
//! tags a person added or removed by hand.
//!
//! The merge rule: a fragment records in `machine_tags` what the tagger gave
//! it last time. Whatever differs between that and the fragment's lists is a
//! person's doing, and survives:
//! `new = machine now + (current − old machine) − (old machine − current)`.
//! A fragment without `machine_tags` has never been machine-tagged, so all
//! its current tags count as a person's. `reviewed: true` fragments are not
//! touched at all. Text, ids and every other key are left alone.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::context::Context;
use super::tagger::{Tagger, Tagging};
use crate::content::acronym::Definitions;
use crate::content::fragment::{yaml_message, Fragment};
use crate::content::paths::SiteRoot;
use crate::content::schema::{RawBrief, TagSet};
use crate::diag::Diagnostic;

/// What the headings of a brief say: its title and chapter titles by id.
#[derive(Debug, Clone, Default)]
pub struct BriefHeadings {
    /// The brief's `title`.
    pub title: Option<String>,
    /// Chapter titles by chapter id.
    pub chapters: HashMap<String, String>,
}

impl BriefHeadings {
    /// Reads `content/briefs/<brief>.yaml` under `root`. A brief without a
    /// metadata file yields no headings (its claims are still tagged).
    ///
    /// # Errors
    /// The file exists but cannot be read or parsed.
    pub fn load(root: &Path, brief: &str) -> Result<BriefHeadings, Diagnostic> {
        let rel = format!("content/briefs/{brief}.yaml");
        if SiteRoot::new(root).file(&rel)?.is_none() {
            return Ok(BriefHeadings::default());
        }
        let text = match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(BriefHeadings::default())
            }
            Err(e) => {
                return Err(Diagnostic::new(
                    &rel,
                    None,
                    format!("cannot read the file: {e}"),
                ))
            }
        };
        let raw: RawBrief = serde_yaml::from_str(&text).map_err(|e| {
            Diagnostic::new(
                &rel,
                crate::content::fragment::yaml_line(&e),
                format!("bad YAML: {}", yaml_message(&e)),
            )
            .help("fix the brief metadata, then tag again")
        })?;
        Ok(BriefHeadings::from_raw(&raw))
    }

    /// The headings of a parsed brief.
    pub fn from_raw(raw: &RawBrief) -> BriefHeadings {
        BriefHeadings {
            title: raw.title.clone(),
            chapters: raw
                .chapters
                .iter()
                .filter_map(|c| Some((c.id.clone()?, c.title.clone()?)))
                .collect(),
        }
    }
}

/// The machine tagging of every fragment of one brief, given in `order`.
/// The previous-claim rule links a claim only to the claim just before it in
/// the same chapter and section.
pub fn machine_taggings(
    tagger: &Tagger,
    headings: &BriefHeadings,
    fragments: &[Fragment],
) -> Vec<Tagging> {
    let mut out: Vec<Tagging> = Vec::with_capacity(fragments.len());
    // Acronyms mean what the brief defines them as, wherever it uses them.
    let definitions = Definitions::from_texts(
        headings
            .title
            .as_deref()
            .into_iter()
            .chain(fragments.iter().map(|f| f.body.as_str())),
    );
    for (i, f) in fragments.iter().enumerate() {
        let section = f.meta.section.as_deref().unwrap_or(&[]);
        let previous = i
            .checked_sub(1)
            .filter(|&p| {
                fragments[p].meta.chapter == f.meta.chapter
                    && fragments[p].meta.section.as_deref().unwrap_or(&[]) == section
            })
            .map(|p| (&out[p], fragments[p].meta.id.as_deref()));
        let ctx = Context {
            brief_title: headings.title.as_deref(),
            chapter_title: f
                .meta
                .chapter
                .as_ref()
                .and_then(|c| headings.chapters.get(c))
                .map(String::as_str),
            section,
            previous,
            definitions: Some(&definitions),
        };
        let tagging = tagger.tag(&f.body, &ctx);
        out.push(tagging);
    }
    out
}

/// One tag added to or removed from one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The claim id.
    pub claim: String,
    /// Index into the tagger's taxonomies.
    pub taxonomy: usize,
    /// The term id.
    pub term: String,
    /// True when the tag was added, false when it was removed.
    pub added: bool,
}

/// What re-tagging one brief's fragments did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Every tag added or removed, claim by claim.
    pub changes: Vec<Change>,
    /// Indexes of the fragments whose front matter changed.
    pub changed: Vec<usize>,
    /// Indexes of `reviewed: true` fragments, left as they were.
    pub reviewed: Vec<usize>,
}

/// Merges the tagger's result with a person's additions and removals.
pub fn merge(
    tagger: &Tagger,
    machine_now: &TagSet,
    current: &TagSet,
    old_machine: Option<&TagSet>,
) -> TagSet {
    let mut out = TagSet::default();
    for (ti, tax) in tagger.vocabulary().taxonomies.iter().enumerate() {
        let name = tax.id();
        let empty = Vec::new();
        let now = machine_now.get(name).unwrap_or(&empty);
        let cur = current.get(name).unwrap_or(&empty);
        // Sets, so that a list of 100,000 ids costs no more than reading it.
        let old: Option<HashSet<&str>> = old_machine
            .and_then(|m| m.get(name))
            .map(|o| o.iter().map(String::as_str).collect());
        let cur_set: HashSet<&str> = cur.iter().map(String::as_str).collect();
        let mut list: Vec<String> = Vec::new();
        let mut listed: HashSet<&str> = HashSet::new();
        let removed = |id: &str| {
            old.as_ref()
                .is_some_and(|o| o.contains(id) && !cur_set.contains(id))
        };
        for id in now {
            if !removed(id) && listed.insert(id) {
                list.push(id.clone());
            }
        }
        for id in cur {
            let by_hand = old.as_ref().is_none_or(|o| !o.contains(id.as_str()));
            if by_hand && listed.insert(id) {
                list.push(id.clone());
            }
        }
        tagger.order_ids(ti, &mut list);
        out.set(name, list);
    }
    out
}

/// Re-tags the fragments of one brief in place (given in `order`), keeping
/// a person's edits, and reports what changed.
pub fn retag(tagger: &Tagger, headings: &BriefHeadings, fragments: &mut [Fragment]) -> Outcome {
    let taggings = machine_taggings(tagger, headings, fragments);
    let mut outcome = Outcome::default();
    for (i, (f, tagging)) in fragments.iter_mut().zip(&taggings).enumerate() {
        if f.meta.reviewed == Some(true) {
            outcome.reviewed.push(i);
            continue;
        }
        let machine_now = tagger.tag_set(tagging);
        let current = f.tags().clone();
        let new = merge(tagger, &machine_now, &current, f.meta.machine_tags.as_ref());
        let claim = f.meta.id.clone().unwrap_or_default();
        for (ti, tax) in tagger.vocabulary().taxonomies.iter().enumerate() {
            let empty = Vec::new();
            let before = current.get(tax.id()).unwrap_or(&empty);
            let Some(after) = new.get(tax.id()) else {
                continue;
            };
            let (before_set, after_set): (HashSet<&String>, HashSet<&String>) =
                (before.iter().collect(), after.iter().collect());
            for id in after.iter().filter(|id| !before_set.contains(id)) {
                outcome.changes.push(Change {
                    claim: claim.clone(),
                    taxonomy: ti,
                    term: id.clone(),
                    added: true,
                });
            }
            for id in before.iter().filter(|id| !after_set.contains(id)) {
                outcome.changes.push(Change {
                    claim: claim.clone(),
                    taxonomy: ti,
                    term: id.clone(),
                    added: false,
                });
            }
        }
        let lists_missing = tagger
            .vocabulary()
            .taxonomies
            .iter()
            .any(|t| !f.meta.tags.has(t.id()));
        if new != current || f.meta.machine_tags.as_ref() != Some(&machine_now) || lists_missing {
            f.set_tags(new);
            f.meta.machine_tags = Some(machine_now);
            outcome.changed.push(i);
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::taxonomy::Table;
    use crate::content::vocab::Vocabulary;

    fn tagger() -> Tagger {
        let c = "- {id: china, name: China, aliases: [China]}\n- {id: japan, name: Japan, aliases: [Japan]}\n- {id: india, name: India, aliases: [India]}\n";
        Tagger::new(Vocabulary::from_texts(&Table::defaults(), &[c, "", ""]).unwrap()).unwrap()
    }

    fn set(countries: &[&str]) -> TagSet {
        let mut t = TagSet::empty(["countries", "technologies", "policies"]);
        t.set(
            "countries",
            countries.iter().map(|s| s.to_string()).collect(),
        );
        t
    }

    #[test]
    fn merge_keeps_hand_edits() {
        let t = tagger();
        // person added india, removed japan; the tagger now also finds china
        let now = set(&["china", "japan"]);
        let old = set(&["japan"]);
        let cur = set(&["india"]);
        assert_eq!(merge(&t, &now, &cur, Some(&old)), set(&["china", "india"]));
        // never machine-tagged: everything present is a person's
        assert_eq!(
            merge(&t, &set(&["china"]), &set(&["india"]), None),
            set(&["china", "india"])
        );
        // nothing changed by hand: the machine's new result wins
        assert_eq!(
            merge(
                &t,
                &set(&["japan"]),
                &set(&["china"]),
                Some(&set(&["china"]))
            ),
            set(&["japan"])
        );
        // unknown ids a person typed stay, at the end
        assert_eq!(
            merge(&t, &set(&["china"]), &set(&["chna"]), Some(&set(&[]))),
            set(&["china", "chna"])
        );
    }
}
