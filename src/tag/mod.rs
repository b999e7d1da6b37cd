//! Tagging: filling every claim's `countries`, `technologies` and `policies`
//! from the controlled vocabularies in `content/taxonomy/`, with a reason
//! for every tag.
//!
//! - `vocab`: reading and checking the three vocabulary files;
//! - `matcher`: one Aho-Corasick pass for every alias, cue and stop phrase,
//!   with whole-word, case, plural and leftmost-longest rules;
//! - `context`: tags inherited from headings and from the previous claim;
//! - `tagger`: the reusable [`Tagger`] that combines them;
//! - `retag`: re-tagging fragments while keeping a person's edits.
//!
//! This module holds the entry points of `crossbrief tag`, `crossbrief
//! explain` and ingest ([`apply_tags`]). Writing fragments is left to
//! `fragment::Fragment::to_file_string`.

pub mod context;
pub mod matcher;
pub mod retag;
pub mod tagger;
pub mod vocab;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub use context::Context;
pub use retag::BriefHeadings;
pub use tagger::{Origin, Tag, Tagger, Tagging};
pub use vocab::Vocabulary;

use crate::content::fragment::{self, Fragment};
use crate::content::schema::TAXONOMIES;

/// What `crossbrief tag` was asked to do.
#[derive(Debug, Clone)]
pub struct TagOptions {
    /// The site root (the folder holding `content/`).
    pub root: PathBuf,
    /// Brief ids; all briefs when empty.
    pub briefs: Vec<String>,
}

/// What a re-tagging run changed; `Display` prints it per term.
#[derive(Debug, Clone, Default)]
pub struct TagReport {
    /// Briefs re-tagged, in the order done.
    pub briefs: Vec<String>,
    /// Fragments read.
    pub fragments: usize,
    /// Fragment files re-written.
    pub written: usize,
    /// `reviewed: true` fragments left untouched.
    pub reviewed: usize,
    /// Per `(taxonomy, term)`: claims that gained the tag, claims that lost it.
    pub per_term: BTreeMap<(usize, String), (Vec<String>, Vec<String>)>,
}

impl fmt::Display for TagReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ((ti, term), (added, removed)) in &self.per_term {
            let name = TAXONOMIES[*ti];
            let list = |ids: &[String]| {
                let mut s = ids.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
                if ids.len() > 5 {
                    let _ = write!(s, ", … {} more", ids.len() - 5);
                }
                s
            };
            if !added.is_empty() {
                writeln!(
                    f,
                    "  + {name}/{term}: {} claims ({})",
                    added.len(),
                    list(added)
                )?;
            }
            if !removed.is_empty() {
                writeln!(
                    f,
                    "  - {name}/{term}: {} claims ({})",
                    removed.len(),
                    list(removed)
                )?;
            }
        }
        writeln!(
            f,
            "tagged {} fragments of {} briefs: {} re-written, {} unchanged, {} reviewed (left as they are)",
            self.fragments,
            self.briefs.len(),
            self.written,
            self.fragments - self.written - self.reviewed,
            self.reviewed
        )
    }
}

/// The claims folder of a site.
fn claims_dir(root: &Path) -> PathBuf {
    root.join("content").join("claims")
}

/// Every brief id with a folder under `content/claims/`, sorted.
fn all_briefs(root: &Path) -> anyhow::Result<Vec<String>> {
    let dir = claims_dir(root);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if entry.path().is_dir() {
            if let Some(name) = entry.file_name().to_str() {
                out.push(name.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A fragment read from disk: its path (relative to the root) and its
/// parsed form.
struct Loaded {
    rel: PathBuf,
    fragment: Fragment,
}

/// Reads every fragment of one brief, sorted by `order`.
///
/// # Errors
/// Lists every fragment that cannot be read or parsed, with file and line.
fn load_brief_fragments(root: &Path, brief: &str) -> anyhow::Result<Vec<Loaded>> {
    let rel_dir = Path::new("content").join("claims").join(brief);
    let dir = root.join(&rel_dir);
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: no such brief folder\n  help: known briefs are the folders under content/claims/",
            rel_dir.display()
        );
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", rel_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let rel = rel_dir.join(path.file_name().unwrap_or_default());
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", rel.display()))?;
        match fragment::parse(&text) {
            Ok(fragment) => out.push(Loaded { rel, fragment }),
            Err(e) => problems.push(format!("{}:{}: {}", rel.display(), e.line, e.message)),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "{}\n  help: fix these fragments; nothing was re-tagged in {brief}",
            problems.join("\n")
        );
    }
    out.sort_by_key(|l| (l.fragment.meta.order.unwrap_or(i64::MAX), l.rel.clone()));
    Ok(out)
}

/// Re-tags existing fragments (`crossbrief tag [BRIEF…]`): every brief under
/// `content/claims/` when `opts.briefs` is empty. Text, ids, other keys and
/// `reviewed: true` fragments are left alone; tags a person added or removed
/// survive. A file is re-written only when its tags change.
///
/// # Errors
/// Vocabulary problems, an unknown brief, unparsable fragments or brief
/// metadata, or a file that cannot be written.
pub fn run(opts: &TagOptions) -> anyhow::Result<TagReport> {
    let tagger = Tagger::load(&opts.root)?;
    let briefs = if opts.briefs.is_empty() {
        all_briefs(&opts.root)?
    } else {
        opts.briefs.clone()
    };
    let mut report = TagReport::default();
    for brief in briefs {
        let headings = BriefHeadings::load(&opts.root, &brief)?;
        let loaded = load_brief_fragments(&opts.root, &brief)?;
        let (rels, mut fragments): (Vec<PathBuf>, Vec<Fragment>) =
            loaded.into_iter().map(|l| (l.rel, l.fragment)).unzip();
        let outcome = retag::retag(&tagger, &headings, &mut fragments);
        for &i in &outcome.changed {
            let path = opts.root.join(&rels[i]);
            std::fs::write(&path, fragments[i].to_file_string())
                .with_context(|| format!("cannot write {}", rels[i].display()))?;
        }
        for c in outcome.changes {
            let entry = report.per_term.entry((c.taxonomy, c.term)).or_default();
            if c.added {
                entry.0.push(c.claim);
            } else {
                entry.1.push(c.claim);
            }
        }
        report.fragments += fragments.len();
        report.written += outcome.changed.len();
        report.reviewed += outcome.reviewed.len();
        report.briefs.push(brief);
    }
    Ok(report)
}

/// Tags the fragments of ONE brief, given in `order` (ingest calls this
/// before writing). Reads the vocabularies and `content/briefs/<brief>.yaml`
/// from `root`; sets each fragment's tag lists and `machine_tags`, keeping a
/// person's additions and removals; `reviewed: true` fragments are left
/// as they are.
///
/// # Errors
/// Vocabulary problems or unparsable brief metadata.
pub fn apply_tags(root: &Path, fragments: &mut [Fragment]) -> anyhow::Result<()> {
    let Some(brief) = fragments.iter().find_map(|f| f.meta.brief.clone()) else {
        return Ok(());
    };
    let tagger = Tagger::load(root)?;
    let headings = BriefHeadings::load(root, &brief)?;
    retag::retag(&tagger, &headings, fragments);
    Ok(())
}

/// Explains each tag of one claim (`crossbrief explain CLAIM-ID`): the alias,
/// cue or rule that produced it, whether it is direct or inherited, and
/// which tags a person added or removed by hand.
///
/// # Errors
/// The claim is not found, or its brief cannot be read.
pub fn explain(root: &Path, claim_id: &str) -> anyhow::Result<String> {
    let tagger = Tagger::load(root)?;
    let mut briefs = all_briefs(root)?;
    // The brief whose id prefixes the claim's is almost always the right one.
    briefs.sort_by_key(|b| !claim_id.starts_with(b.as_str()));
    for brief in briefs {
        let loaded = load_brief_fragments(root, &brief)?;
        let Some(pos) = loaded
            .iter()
            .position(|l| l.fragment.meta.id.as_deref() == Some(claim_id))
        else {
            continue;
        };
        let headings = BriefHeadings::load(root, &brief)?;
        let fragments: Vec<Fragment> = loaded.iter().map(|l| l.fragment.clone()).collect();
        let taggings = retag::machine_taggings(&tagger, &headings, &fragments);
        return Ok(explain_one(
            &loaded[pos].rel,
            &fragments[pos],
            &taggings[pos],
        ));
    }
    anyhow::bail!(
        "no claim with id `{claim_id}` under content/claims/\n  help: claim ids are the `id:` keys of the fragments, e.g. `crossbrief explain rand-2023-parker-0142`"
    )
}

fn explain_one(rel: &Path, f: &Fragment, machine: &Tagging) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({})",
        f.meta.id.as_deref().unwrap_or("?"),
        rel.display()
    );
    let text: String = f.body.chars().take(300).collect();
    let ellipsis = if f.body.chars().count() > 300 {
        "…"
    } else {
        ""
    };
    let _ = writeln!(out, "  {}{ellipsis}", matcher::normalise(&text));
    if f.meta.reviewed == Some(true) {
        let _ = writeln!(
            out,
            "  (reviewed: true; re-tagging leaves this claim as it is)"
        );
    }
    let current = f.tags();
    let old = f.meta.machine_tags.as_ref();
    for (ti, name) in TAXONOMIES.iter().enumerate() {
        let empty = Vec::new();
        let cur = current.get(name).unwrap_or(&empty);
        let old_list = old.and_then(|o| o.get(name));
        let _ = writeln!(out, "{name}:");
        if cur.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        for id in cur {
            let found = machine.tags[ti].iter().find(|t| &t.id == id);
            let why = match (found, old_list) {
                (_, Some(o)) if !o.contains(id) => "added by hand".to_string(),
                (_, None) if found.is_none() => "added by hand".to_string(),
                (Some(t), _) => t.origin.to_string(),
                (None, _) => {
                    "from an earlier vocabulary; `crossbrief tag` will drop it".to_string()
                }
            };
            let _ = writeln!(out, "  {id:<28} {why}");
        }
        for t in &machine.tags[ti] {
            if !cur.contains(&t.id) {
                let why = if old_list.is_some_and(|o| o.contains(&t.id)) {
                    "removed by hand".to_string()
                } else {
                    "not yet applied; `crossbrief tag` will add it".to_string()
                };
                let _ = writeln!(out, "  ({} {why}; the tagger gives it: {})", t.id, t.origin);
            }
        }
    }
    out
}
