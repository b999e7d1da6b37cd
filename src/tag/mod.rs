//! Tagging: filling every claim's term lists, one per taxonomy of the
//! site's taxonomy table, from the controlled vocabularies in
//! `content/taxonomy/`, with a reason for every tag.
//!
//! - `matcher` (`content::matcher`, shared with any stage that compares
//!   claims by concept): one Aho-Corasick pass for every alias, cue and
//!   stop phrase, with whole-word, case, plural and leftmost-longest rules;
//! - `context`: tags inherited from headings and from the previous claim,
//!   as each taxonomy's `inherit` rules say;
//! - `tagger`: the reusable [`Tagger`] that combines them;
//! - `retag`: re-tagging fragments while keeping a person's edits.
//!
//! The vocabularies themselves are read and checked by `content::vocab`.
//! This module holds the entry points of `crossbrief tag`, `crossbrief
//! explain` and ingest ([`apply_tags`]); they report content problems as
//! [`Diagnostic`]s, all at once. Writing fragments is left to
//! `content::fragment`.

pub mod context;
pub use crate::content::matcher;
pub mod retag;
pub mod tagger;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub use context::Context;
pub use retag::BriefHeadings;
pub use tagger::{Origin, Tag, Tagger, Tagging};

use crate::content::fragment::{self, Fragment};
use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::paths::SiteRoot;
use crate::content::taxonomy::Table;
pub use crate::content::vocab::Vocabulary;
use crate::diag::{closest, Diagnostic, Failure};

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
    /// The taxonomy ids, in table order.
    pub taxonomies: Vec<String>,
    /// Briefs re-tagged, in the order done.
    pub briefs: Vec<String>,
    /// Fragments read.
    pub fragments: usize,
    /// Fragment files re-written.
    pub written: usize,
    /// `reviewed: true` fragments left untouched.
    pub reviewed: usize,
    /// Per `(taxonomy index, term)`: claims that gained the tag, claims that
    /// lost it.
    pub per_term: BTreeMap<(usize, String), (Vec<String>, Vec<String>)>,
}

impl fmt::Display for TagReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ((ti, term), (added, removed)) in &self.per_term {
            let name = self.taxonomies.get(*ti).map_or("?", String::as_str);
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

/// Every brief id with a folder under `content/claims/`, sorted.
fn all_briefs(root: &Path) -> anyhow::Result<Vec<String>> {
    let dir = root.join("content").join("claims");
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        // A link to a folder counts; whether it may be followed is
        // checked when the folder is read.
        let is_dir = entry
            .file_type()
            .is_ok_and(|t| t.is_dir() || (t.is_symlink() && entry.path().is_dir()));
        if is_dir {
            if let Some(name) = entry.file_name().to_str().filter(|n| is_valid_id(n)) {
                out.push(name.to_string());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The problem with a brief id given on the command line, if any: an id is
/// never a path, and it must have a folder of claims.
fn check_brief_arg(root: &Path, brief: &str, known: &[String]) -> Option<Diagnostic> {
    if !is_valid_id(brief) {
        return Some(
            Diagnostic::new(brief, None, format!("`{brief}` is not a brief id"))
                .help(format!("{} (a brief id, not a path)", bad_id_help())),
        );
    }
    if !root.join("content/claims").join(brief).is_dir() {
        let hint = closest(brief, known.iter().map(String::as_str))
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        return Some(
            Diagnostic::new(
                format!("content/claims/{brief}"),
                None,
                format!("no claims folder for brief `{brief}`"),
            )
            .help(format!(
                "{hint}known briefs are the folders under content/claims/"
            )),
        );
    }
    None
}

/// A fragment read from disk: its path (relative to the root) and its
/// parsed form.
struct Loaded {
    rel: PathBuf,
    fragment: Fragment,
}

/// Reads every fragment of one brief, sorted by `order`; each fragment that
/// cannot be read or parsed is a diagnostic.
fn load_brief_fragments(
    root: &Path,
    brief: &str,
    table: &Table,
) -> Result<Vec<Loaded>, Vec<Diagnostic>> {
    let rel_dir = Path::new("content").join("claims").join(brief);
    let dir = root.join(&rel_dir);
    let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
    // Fragments are read, and written back, only inside the site.
    let site = SiteRoot::new(root);
    site.dir(&shown(&rel_dir)).map_err(|d| vec![d])?;
    let listed = std::fs::read_dir(&dir).map_err(|e| {
        vec![Diagnostic::new(
            shown(&rel_dir),
            None,
            format!("cannot list the folder: {e}"),
        )]
    })?;
    let mut paths: Vec<PathBuf> = listed
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let rel = rel_dir.join(path.file_name().unwrap_or_default());
        match site.file(&shown(&rel)) {
            Ok(Some(_)) => {}
            Ok(None) => continue,
            Err(d) => {
                problems.push(d);
                continue;
            }
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Diagnostic::new(
                    shown(&rel),
                    None,
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        match fragment::parse(&text, table) {
            Ok(fragment) => out.push(Loaded { rel, fragment }),
            Err(e) => problems.push(
                Diagnostic::new(shown(&rel), Some(e.line), e.message).help(
                    e.help
                        .unwrap_or_else(|| "fix the fragment, then tag again".into()),
                ),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.sort_by_key(|l| (l.fragment.meta.order.unwrap_or(i64::MAX), l.rel.clone()));
    Ok(out)
}

/// One brief's fragments and headings, read before anything is written.
struct BriefInput {
    brief: String,
    headings: BriefHeadings,
    loaded: Vec<Loaded>,
}

/// Re-tags existing fragments (`crossbrief tag [BRIEF…]`): every brief under
/// `content/claims/` when `opts.briefs` is empty. Text, ids, other keys and
/// `reviewed: true` fragments are left alone; tags a person added or removed
/// survive. A file is re-written only when its tags change. Everything is
/// read and checked first: with any problem, no file is written.
///
/// # Errors
/// Every vocabulary problem, bad or unknown brief ids, unparsable fragments
/// or brief metadata (all at once), or a file that cannot be written.
pub fn run(opts: &TagOptions) -> Result<TagReport, Failure> {
    let tagger = Tagger::load(&opts.root);
    let known = all_briefs(&opts.root)?;
    let briefs = if opts.briefs.is_empty() {
        known.clone()
    } else {
        opts.briefs.clone()
    };
    let mut diags: Vec<Diagnostic> = briefs
        .iter()
        .filter_map(|b| check_brief_arg(&opts.root, b, &known))
        .collect();
    let tagger = match tagger {
        Ok(t) => Some(t),
        Err(Failure::Content(d)) => {
            diags.extend(d);
            None
        }
        Err(e) => return Err(e),
    };
    let table = tagger
        .as_ref()
        .map_or_else(Table::defaults, |t| t.vocabulary().table());
    let mut inputs = Vec::new();
    if diags.is_empty() {
        for brief in &briefs {
            let headings = BriefHeadings::load(&opts.root, brief);
            let loaded = load_brief_fragments(&opts.root, brief, &table);
            match (headings, loaded) {
                (Ok(headings), Ok(loaded)) => inputs.push(BriefInput {
                    brief: brief.clone(),
                    headings,
                    loaded,
                }),
                (h, l) => {
                    diags.extend(h.err());
                    diags.extend(l.err().into_iter().flatten());
                }
            }
        }
    }
    let Some(tagger) = tagger.filter(|_| diags.is_empty()) else {
        return Err(diags.into());
    };
    let mut report = TagReport {
        taxonomies: table.ids().map(str::to_string).collect(),
        ..TagReport::default()
    };
    for input in inputs {
        let (rels, mut fragments): (Vec<PathBuf>, Vec<Fragment>) = input
            .loaded
            .into_iter()
            .map(|l| (l.rel, l.fragment))
            .unzip();
        let outcome = retag::retag(&tagger, &input.headings, &mut fragments);
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
        report.briefs.push(input.brief);
    }
    Ok(report)
}

/// Tags the fragments of ONE brief, given in `order` (ingest calls this
/// before writing), with `tagger`. Reads `content/briefs/<brief>.yaml`
/// from `root`; sets each fragment's tag lists and `machine_tags`, keeping
/// a person's additions and removals; `reviewed: true` fragments are left
/// as they are.
///
/// # Errors
/// Unparsable brief metadata.
pub fn apply_tags(
    root: &Path,
    tagger: &Tagger,
    fragments: &mut [Fragment],
) -> Result<(), Diagnostic> {
    let Some(brief) = fragments.iter().find_map(|f| f.meta.brief.clone()) else {
        return Ok(());
    };
    let headings = BriefHeadings::load(root, &brief)?;
    retag::retag(tagger, &headings, fragments);
    Ok(())
}

/// Explains each tag of one claim (`crossbrief explain CLAIM-ID`): the alias,
/// cue, acronym or rule that produced it and, for a direct tag, where in the
/// text it matched; whether it is direct or inherited; and which tags a
/// person added or removed by hand.
///
/// # Errors
/// A bad or unknown claim id, vocabulary problems, or a brief whose
/// fragments or metadata cannot be read.
pub fn explain(root: &Path, claim_id: &str) -> Result<String, Failure> {
    if !is_valid_id(claim_id) {
        return Err(vec![Diagnostic::new(
            claim_id,
            None,
            format!("`{claim_id}` is not a claim id"),
        )
        .help(format!(
            "{}; e.g. `crossbrief explain rand-2023-parker-0142`",
            bad_id_help()
        ))]
        .into());
    }
    let tagger = Tagger::load(root)?;
    let table = tagger.vocabulary().table();
    let mut briefs = all_briefs(root)?;
    // The brief whose id prefixes the claim's is almost always the right one.
    briefs.sort_by_key(|b| !claim_id.starts_with(b.as_str()));
    for brief in briefs {
        let loaded = load_brief_fragments(root, &brief, &table)?;
        let Some(pos) = loaded
            .iter()
            .position(|l| l.fragment.meta.id.as_deref() == Some(claim_id))
        else {
            continue;
        };
        let headings = BriefHeadings::load(root, &brief).map_err(|d| vec![d])?;
        let fragments: Vec<Fragment> = loaded.iter().map(|l| l.fragment.clone()).collect();
        let taggings = retag::machine_taggings(&tagger, &headings, &fragments);
        return Ok(explain_one(
            &tagger,
            &loaded[pos].rel,
            &fragments[pos],
            &taggings[pos],
        ));
    }
    Err(vec![Diagnostic::new(
        "content/claims",
        None,
        format!("no claim with id `{claim_id}`"),
    )
    .help("claim ids are the `id:` keys of the fragments, e.g. `crossbrief explain rand-2023-parker-0142`")]
    .into())
}

/// Characters of context shown on each side of a match.
const SNIPPET_CONTEXT: usize = 30;

/// Where a match lies in the claim's normalised text `norm`: its character
/// position and the words around it, the match in brackets ("at 4: …the
/// [U.S.] Bureau…").
fn snippet(norm: &str, (start, end): (usize, usize)) -> String {
    let (start, end) = (start.min(norm.len()), end.min(norm.len()));
    if !norm.is_char_boundary(start) || !norm.is_char_boundary(end) || start > end {
        return String::new();
    }
    let before: String = {
        let b: Vec<char> = norm[..start]
            .chars()
            .rev()
            .take(SNIPPET_CONTEXT + 1)
            .collect();
        let cut = b.len() > SNIPPET_CONTEXT;
        let mut s: String = b
            .into_iter()
            .take(SNIPPET_CONTEXT)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if cut {
            s.insert(0, '…');
        }
        s
    };
    let after: String = {
        let mut s: String = norm[end..].chars().take(SNIPPET_CONTEXT).collect();
        if norm[end..].chars().nth(SNIPPET_CONTEXT).is_some() {
            s.push('…');
        }
        s
    };
    format!(
        "at {}: \"{before}[{}]{after}\"",
        norm[..start].chars().count(),
        &norm[start..end]
    )
}

fn explain_one(tagger: &Tagger, rel: &Path, f: &Fragment, machine: &Tagging) -> String {
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
    let norm = matcher::normalise(&f.body);
    let current = f.tags();
    let old = f.meta.machine_tags.as_ref();
    for (ti, tax) in tagger.vocabulary().taxonomies.iter().enumerate() {
        let name = tax.id();
        let empty = Vec::new();
        let cur = current.get(name).unwrap_or(&empty);
        let old_list: Option<std::collections::HashSet<&String>> =
            old.and_then(|o| o.get(name)).map(|o| o.iter().collect());
        let cur_set: std::collections::HashSet<&String> = cur.iter().collect();
        let _ = writeln!(out, "{name}:");
        if cur.is_empty() {
            let _ = writeln!(out, "  (none)");
        }
        for id in cur {
            let found = machine.tags[ti].iter().find(|t| &t.id == id);
            let why = match (found, &old_list) {
                (_, Some(o)) if !o.contains(id) => "added by hand".to_string(),
                (_, None) if found.is_none() => "added by hand".to_string(),
                (Some(t), _) => t.origin.to_string(),
                (None, _) => {
                    "from an earlier vocabulary; `crossbrief tag` will drop it".to_string()
                }
            };
            let _ = writeln!(out, "  {id:<28} {why}");
            if let Some(span) = found.and_then(|t| t.origin.span()) {
                let _ = writeln!(out, "  {:<28}   {}", "", snippet(&norm, span));
            }
        }
        for t in &machine.tags[ti] {
            if !cur_set.contains(&t.id) {
                let why = if old_list.as_ref().is_some_and(|o| o.contains(&t.id)) {
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
