//! Incremental rebuilds for `watch` and `serve`: a [`Session`] keeps the
//! parsed content files and the last good build (model, rendered Markdown,
//! page plan, each page's input fingerprint, the hash of every output file)
//! between builds. A batch of changed paths re-reads only those files,
//! re-validates the model, and re-renders only the pages whose inputs moved,
//! through the build's own render-and-write path (`render::write`), which
//! writes only the bytes that changed. The output after any sequence of
//! rebuilds is byte-identical to a clean `crossbrief build` of the same
//! content (`tests/watch_equivalence.rs`).
//!
//! What each page shows is declared by its page kind (`render::pages::inputs`);
//! site-wide pages (home, briefs, taxonomy lists, recommendations, 404) and
//! sitemap.xml are re-rendered every time. A template change re-renders
//! every page, a static file change recopies the static files, and a change
//! to site.yaml or a vocabulary reloads everything.
//!
//! The files made from the whole model (the search index, sitemap.xml, the
//! Atom feeds and the JSON and CSV downloads) are not made inside a
//! rebuild: it returns with the pages on disk, and they are made from the
//! same model on a thread of their own, one batch at a time; a finished
//! batch is written ([`Session::poll_search`], called at the start of each
//! rebuild and while the watcher is idle) only if its model is still the
//! latest, else a new one starts from the latest model. [`Session::settle`]
//! waits for it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use rayon::prelude::*;

use crate::build::load::{self, Role};
use crate::build::parse::{self, RawSite};
use crate::build::{self, BuildOptions, Failure, Timings};
use crate::content::model::Site;
use crate::diag::Diagnostic;
use crate::output::{resolve_out, Staging};
use crate::render::fingerprint::{hash_bytes, Fingerprints, PageHash};
use crate::render::inputs::{prepare_after, Inputs, Prepared};
use crate::render::pages;
use crate::render::partials::Snippets;
use crate::render::plan::{self, Page};
use crate::render::theme::Theme;
use crate::render::write::{self, Hashes, Job, ModelFiles, ModelWork, Target};
use crate::serve::watch::Change;
use crate::xref;

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
    /// Time per stage, with the build's stage names.
    pub timings: Timings,
    /// Time spent rebuilding the search index (on its own thread during
    /// `render`; zero when its records did not change or it was deferred).
    pub search_index: Duration,
    /// What became of the model's files (search index, sitemap, feeds,
    /// data).
    pub search: SearchStatus,
    /// The deferred model files of an earlier rebuild, written just before
    /// this one.
    pub search_update: Option<SearchUpdate>,
    /// Claims whose related search and related list the cross-reference
    /// update redid.
    pub xref_redone: (usize, usize),
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
        )?;
        match self.search {
            SearchStatus::Unchanged => Ok(()),
            SearchStatus::Updated => write!(f, "; search index updated"),
            SearchStatus::Pending => write!(f, "; search index, feeds and data pending"),
        }?;
        match &self.search_update {
            Some(u) => write!(f, " (earlier {u})"),
            None => Ok(()),
        }
    }
}

/// The model's files (search index, sitemap, feeds, data) after a rebuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchStatus {
    /// Nothing changed that they show: the files on disk are current.
    #[default]
    Unchanged,
    /// Made and written by the rebuild (a full build).
    Updated,
    /// They are being made on a thread of their own from this rebuild's
    /// model, and are written by a later [`Session::poll_search`].
    Pending,
}

/// Deferred model files, written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchUpdate {
    /// Files written and removed.
    pub written: usize,
    pub removed: usize,
    /// Whether the search index was rebuilt (its records changed).
    pub search: bool,
    /// From the start of the work until it was written.
    pub elapsed: Duration,
}

impl std::fmt::Display for SearchUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {} files written, {} removed in {:.0} ms",
            if self.search {
                "search index, feeds and data updated"
            } else {
                "feeds and data updated"
            },
            self.written,
            self.removed,
            self.elapsed.as_secs_f64() * 1000.0
        )
    }
}

/// The model's files being made on their own thread, for the good build
/// numbered `build`.
struct ModelJob {
    build: u64,
    started: Instant,
    handle: JoinHandle<anyhow::Result<ModelFiles>>,
}

/// The deferred model files: at most one batch is made at a time; the
/// model of a later good build waits in `queued` (only the latest).
#[derive(Default)]
struct ModelQueue {
    /// Good builds so far; the files of the last one are the only ones
    /// worth writing.
    builds: u64,
    /// The build whose model waits to be made, if any.
    queued: Option<u64>,
    running: Option<ModelJob>,
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
        let paths = files.raw.claims.iter().map(|c| &c.file);
        for f in paths.chain(files.raw.briefs.iter().map(|b| &b.file)) {
            files
                .text_hash
                .insert(f.path.clone(), hash_bytes(f.text.as_bytes()));
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

    /// Reads and parses one claim or brief file, keeping the files in the
    /// order `load` gives them (by path components).
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
        let cmp = |x: &str| Path::new(x).cmp(Path::new(&path));
        let parsed = match role {
            Role::Claim => parse::parse_claim(file, &self.raw.table).map(|c| {
                let at = self
                    .raw
                    .claims
                    .binary_search_by(|x| cmp(&x.file.path))
                    .unwrap_or_else(|i| i);
                self.raw.claims.insert(at, c);
            }),
            Role::Brief => parse::parse_brief(file).map(|b| {
                let at = self
                    .raw
                    .briefs
                    .binary_search_by(|x| cmp(&x.file.path))
                    .unwrap_or_else(|i| i);
                self.raw.briefs.insert(at, b);
            }),
            _ => Ok(()),
        };
        match parsed {
            Ok(()) => {
                self.text_hash.insert(path, hash);
            }
            Err(d) => {
                self.broken.insert(path, vec![d]);
            }
        }
    }

    /// Brings the files at or under `rel` (a path under `content/`, relative
    /// to the root) up to date, by the rule `load` reads with.
    fn refresh(&mut self, root: &Path, rel: &Path) {
        let rel = load::rel_path(Path::new(""), rel);
        if rel == "content/sources" || role_or_folder(&rel) == Some(Role::Source) {
            self.raw.sources = load::source_names(&root.join("content"));
            return;
        }
        self.forget(&rel);
        let abs = root.join(&rel);
        // Symbolic links are not followed, as `load` does not follow them.
        let meta = std::fs::symlink_metadata(&abs).ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            for role in [Role::Claim, Role::Brief] {
                // Unreadable folders surface in the full load's diagnostics.
                for p in load::files_under(root, &abs, role, &mut Vec::new()) {
                    self.add(root, &p, role);
                }
            }
        } else if meta.as_ref().is_some_and(|m| m.is_file()) {
            if let Some(role @ (Role::Claim | Role::Brief)) = load::role_of(&rel) {
                self.add(root, &abs, role);
            }
        }
    }
}

/// The role of a file, or of the files under a folder of `content/sources/`.
fn role_or_folder(rel: &str) -> Option<Role> {
    load::role_of(rel).or_else(|| load::role_of(&format!("{rel}/x")))
}

/// The last good build: what its pages were made from, and what is on disk.
struct Built {
    /// Shared with the thread that makes the model's files.
    site: Arc<Site>,
    prepared: Arc<Prepared>,
    /// The planned pages, and the fingerprint of each one's inputs (`None`
    /// for site-wide pages).
    pages: Arc<Vec<Page>>,
    page_fp: Vec<Option<u64>>,
    /// Per output file: the hash of its bytes.
    hashes: Hashes,
    /// The cross-references of `site`, updated in place by the next build
    /// (taken out while it runs, so a failed build leaves none).
    xref: Option<xref::XrefState>,
}

/// A watched site: the state kept between rebuilds.
pub struct Session {
    opts: BuildOptions,
    /// The output folder as given, for messages.
    out: PathBuf,
    /// The output folder resolved, where files are written.
    target: PathBuf,
    files: Files,
    theme: Option<Theme>,
    /// Whether the theme mentions `score` (see [`Fingerprints`]).
    shows_scores: bool,
    last: Option<Built>,
    /// What changed since the last good build (kept across failed builds).
    pending: Plan,
    search: ModelQueue,
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
    ///
    /// # Errors
    /// An output folder that must not be replaced (see
    /// `output::resolve_out`), which also rules out one inside a watched
    /// folder.
    pub fn new(opts: BuildOptions) -> anyhow::Result<Session> {
        let out = opts.out_dir();
        let target = resolve_out(&opts.root, &out)?;
        Ok(Session {
            opts,
            out,
            target,
            files: Files::default(),
            theme: None,
            shows_scores: true,
            last: None,
            pending: Plan::default(),
            search: ModelQueue::default(),
        })
    }

    /// Forgets everything kept between builds, so the next one reloads and
    /// rebuilds the whole site (after an unexpected failure mid-build).
    pub fn reset(&mut self) {
        self.last = None;
        self.pending.reload_all = true;
    }

    /// The output folder, resolved (the folder the server serves).
    pub fn out_dir(&self) -> &Path {
        &self.target
    }

    /// The output folder as given, for messages.
    pub fn out_shown(&self) -> &Path {
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
        let before = self.poll_search();
        let mut outcome = self.rebuild(plan, cancel)?;
        if let Some(u) = before? {
            outcome.search_update = Some(u);
        }
        Ok(outcome)
    }

    /// Whether the model's files are being made or wait to be.
    pub fn search_pending(&self) -> bool {
        self.search.running.is_some() || self.search.queued.is_some()
    }

    /// Writes finished model files (search index, sitemap, feeds, data) if
    /// their model is still the latest (stale ones are dropped), and starts
    /// the next batch if a model waits; never waits. `Ok(Some(_))` when
    /// files were written.
    ///
    /// # Errors
    /// The search bundle failing, a thread that cannot be started, or a
    /// file that cannot be written (the next build then rebuilds
    /// everything).
    pub fn poll_search(&mut self) -> Result<Option<SearchUpdate>, Failure> {
        self.step_search(false)
    }

    /// Waits for the pending model files and writes them: afterwards the
    /// output is what a fresh build makes.
    ///
    /// # Errors
    /// As [`Session::poll_search`].
    pub fn settle(&mut self) -> Result<Option<SearchUpdate>, Failure> {
        let mut last = None;
        while self.search_pending() {
            if let Some(u) = self.step_search(true)? {
                last = Some(u);
            }
        }
        Ok(last)
    }

    fn step_search(&mut self, wait: bool) -> Result<Option<SearchUpdate>, Failure> {
        let mut update = None;
        let finished = self
            .search
            .running
            .as_ref()
            .is_some_and(|j| wait || j.handle.is_finished());
        let job = if finished {
            self.search.running.take()
        } else {
            None
        };
        if let Some(job) = job {
            let result = job
                .handle
                .join()
                .map_err(|_| {
                    anyhow!("making the search index, feeds and data stopped unexpectedly")
                })
                .and_then(|r| r);
            if job.build == self.search.builds {
                let made =
                    result.map_err(|e| Failure::Io(e.context("building the search index")))?;
                if let (Some(last), Some(theme)) = (self.last.as_mut(), self.theme.as_ref()) {
                    let done =
                        write::write_model(&self.target, &mut last.hashes, &theme.statics, made)
                            .inspect_err(|_| self.last = None)
                            .map_err(|e| {
                                Failure::Io(e.context("writing the search index, feeds and data"))
                            })?;
                    update = Some(SearchUpdate {
                        written: done.written,
                        removed: done.removed,
                        search: done.search,
                        elapsed: job.started.elapsed(),
                    });
                }
            }
        }
        if self.search.running.is_none() {
            if let Some(build) = self.search.queued.take() {
                if let Some(last) = self.last.as_ref().filter(|_| build == self.search.builds) {
                    let work = ModelWork {
                        site: Arc::clone(&last.site),
                        prepared: Arc::clone(&last.prepared),
                        pages: Arc::clone(&last.pages),
                        search_memo: write::search_memo(&last.hashes),
                    };
                    let handle = std::thread::Builder::new()
                        .name("model-files".into())
                        .spawn(move || work.make())
                        .map_err(|e| {
                            Failure::Io(anyhow!("cannot start the search indexer: {e}"))
                        })?;
                    self.search.running = Some(ModelJob {
                        build,
                        started: Instant::now(),
                        handle,
                    });
                }
            }
        }
        Ok(update)
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
        // The kept cross-references are taken out: updated, they describe
        // the new site, and only a good build puts them back (after a
        // failed build or a reload they are computed afresh).
        let state = self.last.as_mut().and_then(|l| l.xref.take());
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
        let t = timings.add("theme", t);
        let last = self.last.as_ref();
        let (state, prepared) = rayon::join(
            || match (state, last) {
                (Some(mut state), Some(last)) if !plan.reload_all => {
                    state.update(&last.site, &site);
                    state
                }
                _ => xref::XrefState::new(&site, &xref::XrefOptions::default()),
            },
            || prepare_after(&site, last.map(|l| (&*l.site, &*l.prepared))),
        );
        let annotations = state.annotations();
        let t = timings.add("xref+md", t);
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| anyhow!("the theme is not loaded"))?;
        let pages = plan::plan(&site, annotations);
        let text = &self.files.text_hash;
        let fps = Fingerprints::new(
            &site,
            &prepared,
            &|path| text.get(path).copied().unwrap_or(0),
            self.shows_scores,
        );
        let page_fp: Vec<Option<u64>> = pages
            .par_iter()
            .map(|p| pages::inputs(PageHash::new(&fps, &site, annotations, &p.dir), p))
            .collect();
        // A full swap when there is no good output to update.
        let fresh = plan.reload_all || self.last.is_none() || !self.target.is_dir();
        let everything = fresh || plan.templates;
        let last = if fresh { None } else { self.last.take() };
        let dirty = dirty_pages(last.as_ref(), &pages, &page_fp, everything);
        timings.add("plan", t);
        let snippets = Snippets::for_site(&theme.tera, &site);
        let inputs = Inputs {
            site: &site,
            prepared: &prepared,
            annotations,
            snippets: &snippets,
        };
        // The sitemap lists the pages, and the set of files only changes
        // with the plan or the static files: otherwise nothing else to do.
        let same_plan = last.as_ref().is_some_and(|l| *l.pages == pages);
        let job = Job {
            inputs: &inputs,
            theme,
            pages: &pages,
            dirty: Some(&dirty),
            generated: fresh || !same_plan || plan.statics,
            // In place, the model's files are made after the rebuild.
            defer_model: !fresh,
            statics: fresh || plan.statics,
            cancel: Some(cancel),
        };
        let target = if fresh {
            Target::Fresh(Staging::new(&self.target)?)
        } else {
            Target::InPlace(self.target.clone())
        };
        let (mut hashes, last) = match last {
            Some(mut l) => (std::mem::take(&mut l.hashes), Some(l)),
            None => (Hashes::new(), None),
        };
        // Some pages may be written and others not when this fails: the
        // next build then starts from scratch.
        let done = write::write(&job, &target, Some(&mut hashes))
            .and_then(|w| target.finish().map(|()| w))
            .inspect_err(|_| self.last = None)?;
        let written = done.written;
        let defer_model = job.defer_model;
        let search = if defer_model {
            SearchStatus::Pending
        } else if written.search > Duration::ZERO {
            SearchStatus::Updated
        } else {
            SearchStatus::Unchanged
        };
        timings.push("render", written.render);
        timings.push("write", written.write);
        let outcome = Outcome {
            full: fresh,
            rendered: written.rendered,
            written: written.written,
            removed: written.removed,
            pages: pages.len(),
            claims: site.claims.len(),
            briefs: site.briefs.len(),
            elapsed: start.elapsed(),
            timings,
            search_index: written.search,
            search,
            search_update: None,
            xref_redone: state.redone(),
        };
        drop(snippets);
        drop(fps);
        let previous = self.last.replace(Built {
            site: Arc::new(site),
            prepared: Arc::new(prepared),
            pages: Arc::new(pages),
            page_fp,
            hashes,
            xref: Some(state),
        });
        // Freeing the previous model takes tens of milliseconds at 100,000
        // claims; nobody waits for it.
        let garbage = (previous, last);
        std::thread::spawn(move || drop(garbage));
        self.pending = Plan::default();
        // The model files of this build are the only ones worth writing;
        // a batch still being made for an older model is dropped when done.
        self.search.builds += 1;
        self.search.queued = defer_model.then_some(self.search.builds);
        let mut outcome = outcome;
        outcome.search_update = self.step_search(false)?;
        Ok(outcome)
    }
}

/// The pages to render: all of them after a template change or without a
/// previous build, else the site-wide ones and those whose input
/// fingerprint moved. The common case, an edit that adds, removes and
/// moves no page, compares fingerprints by position; otherwise by file.
fn dirty_pages(
    last: Option<&Built>,
    pages: &[Page],
    page_fp: &[Option<u64>],
    everything: bool,
) -> Vec<usize> {
    let Some(last) = last.filter(|_| !everything) else {
        return (0..pages.len()).collect();
    };
    let moved: Box<dyn Fn(usize) -> bool + '_> = if last.pages.as_slice() == pages {
        Box::new(|i| last.page_fp[i] != page_fp[i])
    } else {
        let old: HashMap<String, Option<u64>> = last
            .pages
            .iter()
            .zip(&last.page_fp)
            .map(|(p, f)| (p.file(), *f))
            .collect();
        Box::new(move |i| old.get(&pages[i].file()) != Some(&page_fp[i]))
    };
    (0..pages.len())
        .filter(|&i| page_fp[i].is_none() || moved(i))
        .collect()
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
}
