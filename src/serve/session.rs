//! Incremental rebuilds for `watch` and `serve`: the parsed content files,
//! the last good model and a fingerprint of every page stay in memory
//! between builds; a batch of changed paths re-reads only those files,
//! re-validates the model, and re-renders only the pages whose inputs
//! changed. The output after any sequence of rebuilds is byte-identical to a
//! clean `crossbrief build` of the same content.
//!
//! How a page is known to be stale: every claim, brief and term gets a
//! fingerprint (claims and briefs from the hash of their file text plus what
//! other files resolve into them; terms from their claim lists), and every
//! page a fingerprint of the entities it shows ([`page_fingerprint`], which
//! mirrors what `render::page_context` reads for each page kind). A page is
//! re-rendered when its fingerprint moved; site-wide pages (home, briefs,
//! taxonomy lists, 404) and sitemap.xml are re-rendered every time. A
//! template change re-renders every page, a static file change recopies the
//! static files, and a change to site.yaml or a vocabulary reloads
//! everything. Rendered pages whose bytes did not change are not rewritten.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _};
use rayon::prelude::*;

use crate::build::load::{self, SourceSet};
use crate::build::parse::{self, RawSite};
use crate::build::{self, BuildOptions, Failure, Timings};
use crate::content::model::{ClaimIx, Site, TermIx};
use crate::diag::Diagnostic;
use crate::output::{check_out_dir, Staging};
use crate::render::inputs::{prepare_reusing, ClaimMarkdown, Inputs, Prepared};
use crate::render::partials::Snippets;
use crate::render::plan::{self, Page, PageKind};
use crate::render::theme::{Asset, Theme};
use crate::serve::watch::Change;
use crate::xref::Annotations;

/// A fast 64-bit hasher for fingerprints (change detection only: the same
/// page's old and new inputs are compared, never adversarial input).
#[derive(Clone, Copy)]
pub struct Fp(u64);

impl Default for Fp {
    fn default() -> Self {
        Fp(0x243f_6a88_85a3_08d3)
    }
}

impl Fp {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0 ^ w.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .rotate_left(31)
            .wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    }
}

impl Hasher for Fp {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
}

/// The fingerprint of some bytes.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = Fp::default();
    h.write(b);
    h.write_u64(b.len() as u64);
    h.finish()
}

fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Fp::default();
    v.hash(&mut h);
    h.finish()
}

/// What one rebuild did, for the terminal line.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Everything was reloaded and rendered (first build, config change).
    pub full: bool,
    /// Pages rendered.
    pub rendered: usize,
    /// Files whose bytes changed and were written.
    pub written: usize,
    /// Files removed (pages no longer planned, deleted static files).
    pub removed: usize,
    /// Pages in the site.
    pub pages: usize,
    pub claims: usize,
    pub briefs: usize,
    pub elapsed: Duration,
    /// Time per stage (validate, model, xref, markdown, plan, render, write).
    pub timings: Timings,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{} of {} pages re-rendered, {} files written, {} removed ({} briefs, {} claims) in {:.0} ms",
            if self.full { "full build: " } else { "" },
            self.rendered,
            self.pages,
            self.written,
            self.removed,
            self.briefs,
            self.claims,
            self.elapsed.as_secs_f64() * 1000.0
        )
    }
}

/// The parsed content files, kept between builds.
#[derive(Default)]
struct Files {
    raw: RawSite,
    /// Load and parse problems, by file path (relative to the root).
    broken: BTreeMap<String, Vec<Diagnostic>>,
    /// Hash of the text of every parsed brief and claim file, by path.
    text_hash: HashMap<String, u64>,
}

/// Orders paths the way `load` does (by path components).
fn path_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    Path::new(a).cmp(Path::new(b))
}

impl Files {
    fn from_disk(root: &Path) -> Files {
        let (set, diags) = load::load(root);
        let (raw, more) = parse::parse(set);
        let mut files = Files {
            raw,
            ..Files::default()
        };
        for d in diags.into_iter().chain(more) {
            files.broken.entry(d.path.clone()).or_default().push(d);
        }
        for c in &files.raw.claims {
            files
                .text_hash
                .insert(c.file.path.clone(), hash_bytes(c.file.text.as_bytes()));
        }
        for b in &files.raw.briefs {
            files
                .text_hash
                .insert(b.file.path.clone(), hash_bytes(b.file.text.as_bytes()));
        }
        files
    }

    fn diagnostics(&self) -> Vec<Diagnostic> {
        self.broken.values().flatten().cloned().collect()
    }

    /// Forgets the file at `rel` and every file under it.
    fn forget(&mut self, rel: &str) {
        let under = |p: &str| p == rel || p.strip_prefix(rel).is_some_and(|r| r.starts_with('/'));
        self.raw.claims.retain(|c| !under(&c.file.path));
        self.raw.briefs.retain(|b| !under(&b.file.path));
        self.broken.retain(|p, _| !under(p));
        self.text_hash.retain(|p, _| !under(p));
    }

    /// Reads and parses one claim or brief file.
    fn add(&mut self, root: &Path, abs: &Path, role: Role) {
        let file = match load::read(root, abs) {
            Ok(f) => f,
            Err(d) => {
                self.broken.entry(d.path.clone()).or_default().push(d);
                return;
            }
        };
        let path = file.path.clone();
        let hash = hash_bytes(file.text.as_bytes());
        let set = match role {
            Role::Claim => SourceSet {
                claims: vec![file],
                ..SourceSet::default()
            },
            Role::Brief => SourceSet {
                briefs: vec![file],
                ..SourceSet::default()
            },
        };
        let (raw, diags) = parse::parse(set);
        if !diags.is_empty() {
            self.broken.insert(path, diags);
            return;
        }
        self.text_hash.insert(path.clone(), hash);
        for c in raw.claims {
            let at = self
                .raw
                .claims
                .binary_search_by(|x| path_cmp(&x.file.path, &path))
                .unwrap_or_else(|i| i);
            self.raw.claims.insert(at, c);
        }
        for b in raw.briefs {
            let at = self
                .raw
                .briefs
                .binary_search_by(|x| path_cmp(&x.file.path, &path))
                .unwrap_or_else(|i| i);
            self.raw.briefs.insert(at, b);
        }
    }

    /// Brings the files at or under `rel` (a content path) up to date.
    fn refresh(&mut self, root: &Path, rel: &Path) {
        let rel_str = load::rel_path(Path::new(""), rel);
        let abs = root.join(rel);
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        if parts.get(1) == Some(&"sources") {
            self.raw.sources = load::source_names(&root.join("content"));
            return;
        }
        self.forget(&rel_str);
        let content = root.join("content");
        let wanted = |p: &Path| -> Option<Role> {
            let name = p.file_name()?.to_str()?;
            if name.starts_with('.') {
                return None;
            }
            let ext = p.extension()?.to_str()?;
            if let Ok(r) = p.strip_prefix(content.join("claims")) {
                (ext == "md" && r.components().count() <= load::CLAIM_DEPTH).then_some(Role::Claim)
            } else if let Ok(r) = p.strip_prefix(content.join("briefs")) {
                (ext == "yaml" && r.components().count() <= load::BRIEF_DEPTH)
                    .then_some(Role::Brief)
            } else {
                None
            }
        };
        // Symlinks are not followed, as `load` does not follow them.
        let meta = std::fs::symlink_metadata(&abs).ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            for (dir, ext, depth, role) in [
                (content.join("claims"), "md", load::CLAIM_DEPTH, Role::Claim),
                (
                    content.join("briefs"),
                    "yaml",
                    load::BRIEF_DEPTH,
                    Role::Brief,
                ),
            ] {
                let Ok(below) = abs.strip_prefix(&dir) else {
                    continue;
                };
                let left = depth.saturating_sub(below.components().count());
                if left == 0 {
                    continue;
                }
                // Unreadable folders surface in the full load's diagnostics.
                for p in load::files_under(root, &abs, ext, left, &mut Vec::new()) {
                    self.add(root, &p, role);
                }
            }
        } else if meta.as_ref().is_some_and(|m| m.is_file()) {
            if let Some(role) = wanted(&abs) {
                self.add(root, &abs, role);
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Role {
    Claim,
    Brief,
}

/// The last good build: what its pages were made from, and what is on disk.
struct Built {
    site: Site,
    prepared: Prepared,
    /// The planned pages, and the fingerprint of each one's inputs.
    pages: Vec<Page>,
    page_fp: Vec<u64>,
    /// Per output file: the hash of its bytes.
    out_hash: HashMap<String, u64>,
}

/// A watched site: the state kept between rebuilds.
pub struct Session {
    opts: BuildOptions,
    out: PathBuf,
    files: Files,
    theme: Option<Theme>,
    /// Whether the theme mentions `score` (see [`Fingerprints`]).
    shows_scores: bool,
    last: Option<Built>,
    /// What changed since the last good build (kept across failed builds).
    pending: Plan,
}

/// What a batch of changes asks for.
#[derive(Debug, Default, Clone, Copy)]
struct Plan {
    reload_all: bool,
    templates: bool,
    statics: bool,
}

impl Session {
    /// A session for the site of `opts`; nothing is read until the first
    /// [`Session::full_build`].
    pub fn new(opts: BuildOptions) -> anyhow::Result<Session> {
        let out = opts.out_dir();
        check_out_dir(&opts.root, &out)?;
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        for watched in ["content", "templates", "static"] {
            if abs(&out).starts_with(abs(&opts.root.join(watched))) {
                anyhow::bail!(
                    "the output folder {} is inside the watched folder {watched}/: every build would trigger the next; choose an output folder such as {}",
                    out.display(),
                    opts.root.join("public").display()
                );
            }
        }
        Ok(Session {
            opts,
            out,
            files: Files::default(),
            theme: None,
            shows_scores: true,
            last: None,
            pending: Plan::default(),
        })
    }

    /// Forgets everything kept between builds, so the next one reloads and
    /// rebuilds the whole site (after an unexpected failure mid-build).
    pub fn reset(&mut self) {
        self.last = None;
        self.pending.reload_all = true;
    }

    /// The output folder.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Reads everything from disk and builds the whole site into a fresh
    /// output folder (swapped in atomically, as `build` does).
    pub fn full_build(&mut self, cancel: &AtomicBool) -> Result<Outcome, Failure> {
        self.rebuild(
            Plan {
                reload_all: true,
                templates: true,
                statics: true,
            },
            cancel,
        )
    }

    /// Applies a batch of changes from the watcher and updates the output.
    /// On error the previous output stays as it was, and the next call
    /// picks up from the files as they are then.
    pub fn apply(
        &mut self,
        changes: &BTreeSet<Change>,
        cancel: &AtomicBool,
    ) -> Result<Outcome, Failure> {
        let mut plan = Plan::default();
        for c in changes {
            match c {
                Change::Config(_) => plan.reload_all = true,
                Change::Template(_) => plan.templates = true,
                Change::Static(_) => plan.statics = true,
                Change::Content(p) => {
                    // `content`, `content/claims` itself: a whole-tree event.
                    if p.components().count() < 3 {
                        plan.reload_all = true;
                    }
                }
            }
        }
        if !plan.reload_all {
            for c in changes {
                if let Change::Content(p) = c {
                    self.files.refresh(&self.opts.root, p);
                }
            }
        }
        self.rebuild(plan, cancel)
    }

    fn rebuild(&mut self, plan: Plan, cancel: &AtomicBool) -> Result<Outcome, Failure> {
        let start = Instant::now();
        let root = self.opts.root.clone();
        if plan.reload_all {
            self.files = Files::from_disk(&root);
        }
        // Template and static changes since the last good build still count
        // when that build's successor failed.
        let mut plan = Plan {
            reload_all: plan.reload_all || self.pending.reload_all,
            templates: plan.templates || self.pending.templates || plan.reload_all,
            statics: plan.statics || self.pending.statics || plan.reload_all,
        };
        self.pending = plan;
        plan.templates |= self.last.is_none();
        let mut timings = Timings::default();
        // Content before templates, as `build` does, so that the same
        // problems are reported.
        let mut site = build::model_from(
            &self.files.raw,
            self.files.diagnostics(),
            &mut timings,
            Instant::now(),
        )
        .map_err(Failure::Content)?;
        build::apply_base_url(&mut site, &self.opts)?;
        let t = Instant::now();
        if plan.templates || plan.statics || self.theme.is_none() {
            self.theme = None;
            let theme = Theme::load(&root).map_err(Failure::Content)?;
            self.shows_scores = mentions(&theme, "score");
            self.theme = Some(theme);
        }
        let t = lap(&mut timings, "theme", t);
        let annotations = crate::xref::annotate(&site);
        let t = lap(&mut timings, "xref", t);
        let prepared = {
            let last = self.last.as_ref();
            prepare_reusing(&site, &|c| reuse_markdown(last, c), &|b| {
                reuse_notes(last, b)
            })
        };
        let t = lap(&mut timings, "markdown", t);
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| anyhow!("the theme is not loaded"))?;
        let pages = plan::plan_with(&site, &annotations);
        let fps = Fingerprints::new(&site, &self.files, &prepared, self.shows_scores);
        let page_fp: Vec<u64> = pages
            .par_iter()
            .map(|p| page_fingerprint(&fps, &site, &annotations, p))
            .collect();
        // A full swap when there is no good output to update.
        let fresh = plan.reload_all || self.last.is_none() || !self.out.is_dir();
        let everything = fresh || plan.templates;
        let last = if fresh { None } else { self.last.take() };
        // The common case, an edit that adds, removes and moves no page,
        // compares fingerprints by position; otherwise by output file.
        let same_plan = last.as_ref().is_some_and(|l| l.pages == pages);
        let old_fp: Option<HashMap<String, u64>> = match &last {
            Some(l) if !same_plan => Some(
                l.pages
                    .iter()
                    .zip(&l.page_fp)
                    .map(|(p, f)| (p.file(), *f))
                    .collect(),
            ),
            _ => None,
        };
        let dirty: Vec<usize> = (0..pages.len())
            .filter(|&i| {
                everything
                    || site_wide(&pages[i])
                    || match (&last, &old_fp) {
                        (Some(l), None) => l.page_fp[i] != page_fp[i],
                        (_, Some(m)) => m.get(&pages[i].file()) != Some(&page_fp[i]),
                        (None, None) => true,
                    }
            })
            .collect();
        let t = lap(&mut timings, "plan", t);
        let snippets = Snippets::for_site(&theme.tera, &site);
        let inputs = Inputs {
            site: &site,
            prepared: &prepared,
            annotations: &annotations,
            snippets: &snippets,
        };
        let statics: &BTreeMap<String, Asset> = &theme.statics;
        let writer = if fresh {
            Writer::Staging(Staging::new(&self.out)?)
        } else {
            Writer::InPlace(&self.out)
        };
        let (mut out_hash, last) = match last {
            Some(mut l) => (std::mem::take(&mut l.out_hash), Some(l)),
            None => (HashMap::new(), None),
        };
        // Render and write in one task per page; results carry the new hash.
        let results: Vec<(String, u64, bool)> = dirty
            .par_iter()
            .map(|&i| -> anyhow::Result<(String, u64, bool)> {
                if cancel.load(Ordering::Relaxed) {
                    return Err(anyhow!("interrupted"));
                }
                let page = &pages[i];
                let file = page.file();
                let html = plan::render_page(&inputs, theme, page)?;
                let h = hash_bytes(&html);
                // A static file of the same name wins, as in `build`.
                let shadowed = statics.contains_key(&file);
                let changed = fresh || out_hash.get(&file) != Some(&h);
                if changed && !shadowed {
                    writer.write(&file, &html)?;
                }
                Ok((file, h, changed && !shadowed))
            })
            .collect::<anyhow::Result<_>>()
            .map_err(|e| {
                // Some pages may be written and others not: the next build
                // must start from scratch.
                self.last = None;
                Failure::Io(e)
            })?;
        let t = lap(&mut timings, "render", t);
        let mut outcome = Outcome {
            full: fresh,
            rendered: dirty.len(),
            pages: pages.len(),
            claims: site.claims.len(),
            briefs: site.briefs.len(),
            ..Outcome::default()
        };
        for (file, h, written) in results {
            outcome.written += usize::from(written);
            out_hash.insert(file, h);
        }
        // The sitemap lists the pages, and the set of files only changes
        // with the plan or the static files: otherwise nothing else to do.
        let structural = fresh || !same_plan || plan.statics;
        let mut others = Vec::new();
        let mut keep: HashSet<String> = HashSet::new();
        if structural {
            others = build::generated_files(
                &pages,
                site.config.base_url.as_deref(),
                crate::render::highlight::theme_css(),
            );
            keep.extend(pages.iter().map(|p| p.file()));
            keep.extend(others.iter().map(|(p, _)| p.clone()));
            keep.extend(statics.keys().cloned());
        }
        if plan.statics || fresh {
            for (path, asset) in statics {
                let bytes = match asset {
                    Asset::Embedded(b) => b.to_vec(),
                    Asset::Disk(p) => std::fs::read(p)
                        .with_context(|| format!("copying {}", p.display()))
                        .map_err(Failure::Io)?,
                };
                others.push((path.clone(), bytes));
            }
        }
        for (path, bytes) in &others {
            let h = hash_bytes(bytes);
            if fresh || out_hash.get(path) != Some(&h) {
                writer.write(path, bytes).map_err(|e| {
                    self.last = None;
                    Failure::Io(e)
                })?;
                outcome.written += 1;
            }
            out_hash.insert(path.clone(), h);
        }
        // Files of the last build that this one no longer makes.
        let gone: Vec<String> = if structural {
            out_hash
                .keys()
                .filter(|p| !keep.contains(*p))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        for path in gone {
            out_hash.remove(&path);
            if !fresh {
                remove_output(&self.out, &path).map_err(Failure::Io)?;
                outcome.removed += 1;
            }
        }
        if let Writer::Staging(s) = writer {
            s.commit().map_err(Failure::Io)?;
        }
        let previous = self.last.replace(Built {
            site,
            prepared,
            pages,
            page_fp,
            out_hash,
        });
        // Freeing the previous model takes tens of milliseconds at 100,000
        // claims; nobody waits for it.
        let garbage = (previous, last, old_fp, keep, fps, annotations);
        std::thread::spawn(move || drop(garbage));
        self.pending = Plan::default();
        lap(&mut timings, "write", t);
        outcome.timings = timings;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }
}

fn lap(timings: &mut Timings, name: &'static str, since: Instant) -> Instant {
    let now = Instant::now();
    timings.stages.push((name, now - since));
    now
}

/// Whether any template (its parsed form, macros and blocks included)
/// mentions `name`; a false positive only costs re-rendering.
fn mentions(theme: &Theme, name: &str) -> bool {
    theme
        .tera
        .templates
        .values()
        .any(|t| format!("{t:?}").contains(name))
}

/// The previous build's rendering of a claim body, when the body is unchanged.
fn reuse_markdown(last: Option<&Built>, c: &crate::content::model::Claim) -> Option<ClaimMarkdown> {
    let last = last?;
    let &i = last.site.claim_by_id.get(&c.id)?;
    let i = i as usize;
    (last.site.claims[i].body == c.body).then(|| {
        (
            last.prepared.claim_html[i].clone(),
            last.prepared.claim_inline[i],
            last.prepared.claim_text[i].clone(),
        )
    })
}

/// The previous build's rendering of a brief's notes, when they are unchanged.
fn reuse_notes(last: Option<&Built>, b: &crate::content::model::Brief) -> Option<Vec<String>> {
    let last = last?;
    let i = last
        .site
        .briefs
        .binary_search_by(|o| o.id.cmp(&b.id))
        .ok()?;
    let old = &last.site.briefs[i];
    let same = old.notes.len() == b.notes.len()
        && old
            .notes
            .iter()
            .zip(&b.notes)
            .all(|(x, y)| x.text == y.text);
    same.then(|| last.prepared.note_html[i].clone())
}

/// Pages that show site-wide lists and counts: always re-rendered.
fn site_wide(p: &Page) -> bool {
    matches!(
        p.kind,
        PageKind::Home
            | PageKind::Briefs
            | PageKind::Taxonomy(_)
            | PageKind::NotFound
            // Few, bounded by the vocabulary, and built from many claims.
            | PageKind::Recommendations { .. }
    )
}

enum Writer<'a> {
    Staging(Staging),
    InPlace(&'a Path),
}

impl Writer<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Writer::Staging(s) => s.write(rel, bytes),
            Writer::InPlace(out) => write_atomic(&out.join(rel), bytes),
        }
    }
}

/// Writes a file through a temporary sibling and a rename, so a reader (the
/// server, a browser) never sees half a page.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = path
        .parent()
        .ok_or_else(|| anyhow!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("replacing {}", path.display())
    })
}

/// Removes an output file and the folders it leaves empty.
fn remove_output(out: &Path, rel: &str) -> anyhow::Result<()> {
    let path = out.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Fingerprints of every entity a page can show, for one build.
pub struct Fingerprints {
    /// Per claim: its file, what other files resolve into it, its rendering.
    claim: Vec<u64>,
    /// Per claim: as a link or list item elsewhere (the claim and its brief).
    claim_link: Vec<u64>,
    /// Per brief: as shown on any page (its file and claim count).
    brief_item: Vec<u64>,
    /// Per brief: its page's own inputs (claim order, note back-references).
    brief_page: Vec<u64>,
    /// Whether any template reads a related claim's `score`: scores move
    /// a little on every edit (term weights are corpus-wide), and most
    /// themes never show them.
    scores: bool,
    /// Per taxonomy, per term: as a link (id and count).
    term_link: Vec<Vec<u64>>,
    /// Per taxonomy, per term: its pages' own inputs (the claim list).
    term_page: Vec<Vec<u64>>,
}

impl Fingerprints {
    fn new(site: &Site, files: &Files, prepared: &Prepared, scores: bool) -> Fingerprints {
        let text = |path: &str| files.text_hash.get(path).copied().unwrap_or(0);
        let brief_item: Vec<u64> = site
            .briefs
            .iter()
            .map(|b| {
                let mut h = Fp::default();
                b.id.hash(&mut h);
                text(&b.path).hash(&mut h);
                b.claims.len().hash(&mut h);
                h.finish()
            })
            .collect();
        let id = |c: ClaimIx| site.claims[c as usize].id.as_str();
        let brief_page = site
            .briefs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut h = Fp::default();
                brief_item[i].hash(&mut h);
                for &c in &b.claims {
                    id(c).hash(&mut h);
                }
                for n in &b.notes {
                    n.cited_by.len().hash(&mut h);
                    for &c in &n.cited_by {
                        id(c).hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect();
        let claim: Vec<u64> = site
            .claims
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let mut h = Fp::default();
                c.id.hash(&mut h);
                text(&c.path).hash(&mut h);
                site.briefs[c.brief as usize].id.hash(&mut h);
                for list in [&c.see_also, &c.seen_from, &prepared.section_start[i]] {
                    list.len().hash(&mut h);
                    for &o in list {
                        id(o).hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect();
        let claim_link = site
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut h = Fp::default();
                claim[i].hash(&mut h);
                brief_item[c.brief as usize].hash(&mut h);
                h.finish()
            })
            .collect();
        let term_link = site
            .taxonomies
            .iter()
            .zip(&site.term_claims)
            .map(|(t, index)| {
                t.terms
                    .iter()
                    .zip(index)
                    .map(|(term, tc)| hash_of(&(term.id.as_str(), tc.claims.len())))
                    .collect()
            })
            .collect();
        let term_page = site
            .taxonomies
            .iter()
            .zip(&site.term_claims)
            .map(|(t, index)| {
                t.terms
                    .iter()
                    .zip(index)
                    .map(|(term, tc)| {
                        let mut h = Fp::default();
                        term.id.hash(&mut h);
                        tc.direct.hash(&mut h);
                        for &c in &tc.claims {
                            id(c).hash(&mut h);
                        }
                        h.finish()
                    })
                    .collect()
            })
            .collect();
        Fingerprints {
            scores,
            claim,
            claim_link,
            brief_item,
            brief_page,
            term_link,
            term_page,
        }
    }
}

/// The fingerprint of everything `page` shows. Mirrors what
/// `render::page_context` reads for each page kind: when a page starts to
/// show something new, it must be added here (the watch equivalence test
/// fails otherwise). Site-wide pages are always re-rendered and get 0.
pub fn page_fingerprint(fps: &Fingerprints, site: &Site, ann: &Annotations, page: &Page) -> u64 {
    let mut h = Fp::default();
    page.dir.hash(&mut h);
    let link = |h: &mut Fp, c: ClaimIx| {
        if let Some(f) = fps.claim_link.get(c as usize) {
            site.claims[c as usize].id.hash(h);
            f.hash(h);
        }
    };
    let term = |h: &mut Fp, x: usize, t: TermIx| {
        if let Some(f) = fps.term_link.get(x).and_then(|v| v.get(t as usize)) {
            (x, t).hash(h);
            f.hash(h);
        }
    };
    let figure = |h: &mut Fp, f: &crate::xref::Figure| {
        f.kind.as_str().hash(h);
        f.label.hash(h);
        f.text.hash(h);
    };
    match page.kind {
        PageKind::Home | PageKind::Briefs | PageKind::Taxonomy(_) | PageKind::NotFound => return 0,
        PageKind::Brief(b) => {
            let b = b as usize;
            fps.brief_page[b].hash(&mut h);
            for &c in &site.briefs[b].claims {
                fps.claim[c as usize].hash(&mut h);
            }
            // The brief's overlap with other briefs, and per claim whether
            // it has related claims elsewhere (the per-section counts).
            let annotated = ann.related.len() == site.claims.len();
            annotated.hash(&mut h);
            if annotated {
                for &c in &site.briefs[b].claims {
                    ann.related[c as usize]
                        .iter()
                        .any(|r| site.claims[r.claim as usize].brief as usize != b)
                        .hash(&mut h);
                }
            }
            for &(o, n) in ann.brief_overlap.get(b).map_or(&[][..], |v| v) {
                fps.brief_item[o as usize].hash(&mut h);
                n.hash(&mut h);
            }
        }
        PageKind::Recommendations { .. } => return 0,
        PageKind::Pair { pair, page: n } => {
            // The two terms (names, counts, URLs), the pair's claim count,
            // and the claims of this page with their briefs.
            let Some(p) = ann.pairs.get(pair) else {
                return 0;
            };
            term(&mut h, p.a.0, p.a.1);
            term(&mut h, p.b.0, p.b.1);
            (p.claims.len(), n).hash(&mut h);
            let size = site.config.term_page_size.max(1);
            let start = (n.max(1) - 1).saturating_mul(size).min(p.claims.len());
            let end = (start + size).min(p.claims.len());
            for &c in &p.claims[start..end] {
                link(&mut h, c);
            }
        }
        PageKind::Claim(ci) => {
            let c = &site.claims[ci as usize];
            let brief = site.brief_of(c);
            fps.claim[ci as usize].hash(&mut h);
            fps.brief_item[c.brief as usize].hash(&mut h);
            let pos = brief.claims.binary_search(&ci).unwrap_or(0);
            // Previous and next claims of the brief.
            for n in [pos.checked_sub(1), Some(pos + 1)] {
                match n.and_then(|n| brief.claims.get(n)) {
                    Some(&n) => link(&mut h, n),
                    None => h.write_u64(1),
                }
            }
            for list in [&c.see_also, &c.seen_from] {
                h.write_u64(list.len() as u64);
                for &o in list.iter() {
                    link(&mut h, o);
                }
            }
            for (x, tags) in c.tags.iter().enumerate() {
                h.write_u64(tags.len() as u64);
                for &t in tags {
                    term(&mut h, x, t);
                }
            }
            // Whether cross-references ran at all changes how hand-made
            // links are listed.
            (ann.related.len() == site.claims.len()).hash(&mut h);
            let related = ann.related.get(ci as usize).map_or(&[][..], |v| v);
            h.write_u64(related.len() as u64);
            for r in related {
                link(&mut h, r.claim);
                site.claims[r.claim as usize].brief.hash(&mut h);
                if fps.scores {
                    r.score.to_bits().hash(&mut h);
                }
                r.hand_made.hash(&mut h);
                r.shared_terms.hash(&mut h);
                r.shared_figures.hash(&mut h);
            }
            let figures = ann.figures.get(ci as usize).map_or(&[][..], |v| v);
            h.write_u64(figures.len() as u64);
            for f in figures {
                figure(&mut h, f);
            }
        }
        PageKind::Term {
            taxonomy: x,
            term: t,
            page: n,
        } => {
            let tax = &site.taxonomies[x];
            let tm = &tax.terms[t as usize];
            fps.term_page[x][t as usize].hash(&mut h);
            n.hash(&mut h);
            let size = site.config.term_page_size.max(1);
            let claims = site.claims_of(x, t);
            let start = (n.saturating_sub(1) * size).min(claims.len());
            let end = (start + size).min(claims.len());
            for &c in &claims[start..end] {
                link(&mut h, c);
            }
            for a in tax.ancestors(t) {
                term(&mut h, x, a);
            }
            for &ch in &tm.children {
                term(&mut h, x, ch);
            }
            term(&mut h, x, t);
            let key = (x, t);
            match ann.term_figures.get(&key) {
                Some(v) => {
                    v.total.hash(&mut h);
                    h.write_u64(v.rows.len() as u64);
                    for &(c, k) in &v.rows {
                        link(&mut h, c);
                        match ann.figures.get(c as usize).and_then(|f| f.get(k as usize)) {
                            Some(f) => figure(&mut h, f),
                            None => h.write_u64(2),
                        }
                    }
                }
                None => h.write_u64(0),
            }
            match ann.cooccurring.get(&key) {
                Some(v) => {
                    h.write_u64(v.len() as u64);
                    for co in v {
                        term(&mut h, co.taxonomy, co.term);
                        co.shared.hash(&mut h);
                        match ann.pairs.get(co.pair) {
                            Some(p) => {
                                term(&mut h, p.a.0, p.a.1);
                                term(&mut h, p.b.0, p.b.1);
                            }
                            None => h.write_u64(3),
                        }
                    }
                }
                None => h.write_u64(0),
            }
            ann.recommendations.get(&key).map(Vec::len).hash(&mut h);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_shows_no_scores() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path()).ok().unwrap();
        assert!(!mentions(&theme, "score"));
        assert!(mentions(&theme, "related"));
    }

    #[test]
    fn hashes_tell_bytes_apart() {
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
        assert_ne!(hash_bytes(b"12345678"), hash_bytes(b"123456789"));
        assert_eq!(hash_bytes(b"same"), hash_bytes(b"same"));
    }

    #[test]
    fn atomic_writes_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/index.html");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
        remove_output(dir.path(), "a/b/index.html").unwrap();
        assert!(!dir.path().join("a").exists());
        assert!(dir.path().exists());
    }
}
