//! Watching a site root: notify events, debounced into batches of changed
//! paths, each classified by what it can affect (content, templates, static
//! files, the site config). The rebuild itself is the pipeline's business.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::{RecursiveMode, Watcher as _};

/// What a changed path can affect, which decides how much to rebuild.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `content/site.yaml` or a vocabulary: everything may change.
    Config(PathBuf),
    /// A brief, claim or source under `content/`.
    Content(PathBuf),
    /// A file under the site's `templates/`.
    Template(PathBuf),
    /// A file under the site's `static/`.
    Static(PathBuf),
}

impl Change {
    /// The path relative to the site root.
    pub fn path(&self) -> &Path {
        match self {
            Change::Config(p) | Change::Content(p) | Change::Template(p) | Change::Static(p) => p,
        }
    }
}

/// Classifies a changed path under `root`; `None` for paths that cannot
/// affect the site (editor swap and backup files, the output folder, dot
/// folders such as `.git`).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let name = rel.file_name()?.to_str()?;
    if is_editor_noise(name) {
        return None;
    }
    let mut parts = rel.components().filter_map(|c| c.as_os_str().to_str());
    let top = parts.next()?;
    if rel.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|s| s.starts_with('.') && s.len() > 1)
    }) {
        return None;
    }
    match top {
        "content" => {
            let second = parts.next();
            if second == Some("taxonomy") || (second == Some("site.yaml") && parts.next().is_none())
            {
                Some(Change::Config(rel))
            } else {
                Some(Change::Content(rel))
            }
        }
        "templates" => Some(Change::Template(rel)),
        "static" => Some(Change::Static(rel)),
        _ => None,
    }
}

/// Swap, backup and lock files that editors write next to the real file.
fn is_editor_noise(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913" // vim's probe file
}

/// Watches `content/`, `templates/` and `static/` of a site root.
pub struct Watcher {
    root: PathBuf,
    // Kept alive for as long as events are wanted.
    _inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

/// How long the file system must stay quiet before a batch is handed over,
/// and the longest a batch may be held back under a stream of events.
pub const QUIET: Duration = Duration::from_millis(10);
pub const MAX_WAIT: Duration = Duration::from_millis(600);

/// How often, while nothing changes, the watcher hands control to the idle
/// work (the session's deferred search index, `Session::poll_search`).
pub const IDLE: Duration = Duration::from_millis(50);

impl Watcher {
    /// Starts watching the folders of `root` that exist.
    pub fn new(root: &Path) -> anyhow::Result<Watcher> {
        let root = root
            .canonicalize()
            .with_context(|| format!("cannot open site root {}", root.display()))?;
        let (tx, events) = mpsc::channel();
        let mut inner = notify::recommended_watcher(tx).context("cannot start the file watcher")?;
        for dir in ["content", "templates", "static"] {
            let path = root.join(dir);
            if path.is_dir() {
                inner
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", path.display()))?;
            }
        }
        Ok(Watcher {
            root,
            _inner: inner,
            events,
        })
    }

    /// Blocks until something relevant changed, then returns the batch of
    /// changes once the file system has been quiet for [`QUIET`] (an
    /// editor's write-and-rename, or a save touching several files, is one
    /// batch). Returns `None` if `stop` says so while waiting.
    pub fn next_batch(&self, stop: &dyn Fn() -> bool) -> Option<BTreeSet<Change>> {
        self.next_batch_idle(stop, &mut || {})
    }

    /// [`Watcher::next_batch`], calling `idle` every [`IDLE`] while no
    /// change is waiting (never while a batch is being collected).
    pub fn next_batch_idle(
        &self,
        stop: &dyn Fn() -> bool,
        idle: &mut dyn FnMut(),
    ) -> Option<BTreeSet<Change>> {
        let mut batch = BTreeSet::new();
        let mut first: Option<Instant> = None;
        loop {
            if stop() {
                return None;
            }
            let timeout = match first {
                None => IDLE,
                Some(t) => QUIET.min(MAX_WAIT.saturating_sub(t.elapsed())),
            };
            match self.events.recv_timeout(timeout) {
                Ok(Ok(event)) => {
                    if matches!(event.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for path in &event.paths {
                        if let Some(change) = classify(&self.root, path) {
                            batch.insert(change);
                            first.get_or_insert_with(Instant::now);
                        }
                    }
                }
                // A watcher error (e.g. an overflowed queue) loses events:
                // treat it as "content changed" so the next build is full.
                Ok(Err(_)) => {
                    batch.insert(Change::Config(PathBuf::from("content")));
                    first.get_or_insert_with(Instant::now);
                }
                Err(RecvTimeoutError::Timeout) => {
                    if first.is_some() {
                        return Some(batch);
                    }
                    idle();
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if first.is_some_and(|t| t.elapsed() >= MAX_WAIT) {
                return Some(batch);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        let root = Path::new("/site");
        let p = |s: &str| PathBuf::from(s);
        let cases: &[(&str, Option<Change>)] = &[
            (
                "/site/content/site.yaml",
                Some(Change::Config(p("content/site.yaml"))),
            ),
            (
                "/site/content/taxonomy/countries.yaml",
                Some(Change::Config(p("content/taxonomy/countries.yaml"))),
            ),
            (
                "/site/content/claims/b/x.md",
                Some(Change::Content(p("content/claims/b/x.md"))),
            ),
            (
                "/site/content/briefs/b.yaml",
                Some(Change::Content(p("content/briefs/b.yaml"))),
            ),
            (
                "/site/templates/claim.html",
                Some(Change::Template(p("templates/claim.html"))),
            ),
            (
                "/site/static/style.css",
                Some(Change::Static(p("static/style.css"))),
            ),
            ("/site/content/claims/b/.x.md.swp", None),
            ("/site/content/claims/b/x.md~", None),
            ("/site/content/claims/b/4913", None),
            ("/site/content/.git/index", None),
            ("/site/public/index.html", None),
            ("/site/README.md", None),
        ];
        for (path, want) in cases {
            assert_eq!(&classify(root, Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn debounces_a_burst_into_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("content/claims/b");
        std::fs::create_dir_all(&claims).unwrap();
        let watcher = Watcher::new(dir.path()).unwrap();
        for i in 0..5 {
            std::fs::write(claims.join(format!("{i}.md")), "x").unwrap();
        }
        // Editor dance: write a temp file, rename it over the target.
        std::fs::write(claims.join("0.md.tmp"), "y").unwrap();
        std::fs::rename(claims.join("0.md.tmp"), claims.join("0.md")).unwrap();
        let batch = watcher.next_batch(&|| false).unwrap();
        let paths: Vec<_> = batch.iter().map(|c| c.path().to_path_buf()).collect();
        assert_eq!(paths.len(), 5, "{paths:?}");
        assert!(paths.contains(&PathBuf::from("content/claims/b/0.md")));
    }
}
