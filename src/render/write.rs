//! The one render-and-write path of `build` and of `watch`/`serve`: pages
//! rendered in parallel and written as they are rendered, the files made
//! from the model as a whole (sitemap.xml, the Atom feeds, the claims as
//! JSON and CSV, and the search index under `pagefind/`, built on another
//! thread while the pages render), the files generated from the
//! configuration (robots.txt, highlight.css) and the static files. A build
//! writes everything into a fresh staging folder that is swapped in whole
//! ([`Target::Fresh`]); a rebuild in watch mode updates the served folder
//! in place ([`Target::InPlace`]), writing only files whose bytes changed
//! (each through a temporary file and a rename, so the server never sends
//! half a page) and removing files the site no longer has.
//!
//! In watch mode the model's files are left out of the rebuild
//! ([`Job::defer_model`]): any edit may change them and they cost the whole
//! model's time, so they are made afterwards from the same model on a
//! thread of their own ([`ModelWork`]) and written by [`write_model`], only
//! the files whose bytes changed, the search index only when its records
//! did.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _, Result};
use rayon::prelude::*;

use crate::content::model::Site;
use crate::output::{remove_output, write_atomic, Staging};
use crate::render::fingerprint::hash_bytes;
use crate::render::inputs::{Inputs, Prepared};
use crate::render::pages;
use crate::render::plan::{self, Page};
use crate::render::theme::{error_chain, Asset, Theme};
use crate::render::{data, feeds, search, urls};

/// Where a render goes.
pub enum Target {
    /// A fresh folder beside the output, swapped in by [`Target::finish`].
    Fresh(Staging),
    /// The output folder itself, updated file by file.
    InPlace(PathBuf),
}

impl Target {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Target::Fresh(s) => s.write(rel, bytes),
            Target::InPlace(out) => write_atomic(&out.join(rel), bytes),
        }
    }

    /// Completes the output: swaps a fresh folder in (nothing to do in
    /// place).
    pub fn finish(self) -> Result<()> {
        match self {
            Target::Fresh(s) => s.commit(),
            Target::InPlace(_) => Ok(()),
        }
    }
}

/// What to render and write.
pub struct Job<'a> {
    pub inputs: &'a Inputs<'a>,
    pub theme: &'a Theme,
    /// Every page of the site, in plan order.
    pub pages: &'a [Page],
    /// The pages to render (indexes into `pages`); `None`: all of them.
    pub dirty: Option<&'a [usize]>,
    /// Also write the files generated from the configuration (robots.txt,
    /// highlight.css) and, in place, remove files the site no longer has:
    /// needed when the set of pages or static files changed. The files
    /// made from the model (sitemap, feeds, data, search) are written
    /// either way, unless deferred.
    pub generated: bool,
    /// Leave the files made from the model (sitemap, feeds, data, search)
    /// as they are on disk, for a [`ModelWork`] to make and [`write_model`]
    /// to write afterwards (watch mode, in place).
    pub defer_model: bool,
    /// Also copy the static files.
    pub statics: bool,
    /// Stops rendering as soon as it is set (Ctrl-C in watch mode).
    pub cancel: Option<&'a AtomicBool>,
}

/// What [`write`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Pages rendered.
    pub rendered: usize,
    /// Files whose bytes were written.
    pub written: usize,
    /// Files removed (in place only).
    pub removed: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Time spent rendering and writing (page writes happen inside the
    /// render tasks; their share is counted as writing).
    pub render: Duration,
    pub write: Duration,
    /// Time spent building the search index (on its own thread, beside the
    /// rendering); zero when it was kept or deferred.
    pub search: Duration,
}

/// What [`write`] returns besides its counts.
#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Written,
}

/// The files made from a model, still to be made: the model of a good
/// build, shared with the session that keeps it.
pub struct ModelWork {
    pub site: Arc<Site>,
    pub prepared: Arc<Prepared>,
    pub pages: Arc<Vec<Page>>,
    /// The fingerprint of the search records whose index is on disk: the
    /// same records are not bundled again.
    pub search_memo: Option<u64>,
}

/// The files made from a model ([`ModelWork::make`]), not yet written.
#[derive(Debug)]
pub struct ModelFiles {
    files: Files,
    /// The search index, when its records changed.
    search: Option<SearchBundle>,
}

impl ModelWork {
    /// Makes the model's files, and the search index when its records
    /// differ from those on disk (the bundle takes seconds on a large
    /// site).
    ///
    /// # Errors
    /// pagefind failing to index or to build its files.
    pub fn make(self) -> Result<ModelFiles> {
        // The bundle runs on this thread, not in the thread pool: pagefind
        // blocks on an async runtime, and a pool thread that is waiting
        // inside one (a full build's bundle) may pick up other pool work,
        // which must not start a second runtime.
        let (files, search) = std::thread::scope(|scope| {
            let make_files = || model_files(&self.site, &self.prepared, &self.pages);
            // Without a second thread, one after the other.
            let files = std::thread::Builder::new()
                .name("model-feeds".into())
                .spawn_scoped(scope, make_files)
                .map_err(|_| make_files());
            let search = search_index(&self.site, &self.prepared, self.search_memo)
                .map(|(fp, files)| files.map(|files| SearchBundle { fp, files }));
            let files = match files {
                Ok(handle) => handle
                    .join()
                    .map_err(|_| anyhow!("making the feeds and data stopped unexpectedly")),
                Err(files) => Ok(files),
            };
            (files, search)
        });
        let files = files?;
        Ok(ModelFiles {
            files,
            search: search?,
        })
    }
}

/// A search index built from the records of fingerprint `fp`, not yet
/// written.
#[derive(Debug)]
pub struct SearchBundle {
    pub fp: u64,
    files: Files,
}

/// What [`write_model`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelWritten {
    pub written: usize,
    pub removed: usize,
    /// Whether the search index was rebuilt.
    pub search: bool,
}

/// Writes the model's files into the output folder `out`, in place: those
/// whose bytes changed (each through a temporary file and a rename), then
/// removes the model's files of the last build that this one does not make
/// (a feed of a term that lost its last claim). A new search index is
/// written the same way, its new file names first, and the files of the
/// previous index it does not have are removed after, so the folder holds
/// one whole index at every moment (pagefind's file names carry their
/// content's hash). A file a static file shadows (`statics`) is neither
/// written nor removed, as in [`write`].
///
/// # Errors
/// A file that cannot be written or removed.
pub fn write_model(
    out: &Path,
    hashes: &mut Hashes,
    statics: &BTreeMap<String, Asset>,
    made: ModelFiles,
) -> Result<ModelWritten> {
    let mut done = ModelWritten {
        search: made.search.is_some(),
        ..ModelWritten::default()
    };
    let mut write_new = |files: &[(String, Vec<u8>)], hashes: &mut Hashes| -> Result<()> {
        for (path, b) in files {
            let new = hash_bytes(b);
            if hashes.get(path) == Some(&new) {
                continue;
            }
            write_atomic(&out.join(path), b)?;
            hashes.insert(path.clone(), new);
            done.written += 1;
        }
        Ok(())
    };
    let shown = |files: Files| -> Files {
        files
            .into_iter()
            .filter(|(p, _)| !statics.contains_key(p))
            .collect()
    };
    let files = shown(made.files);
    write_new(&files, hashes)?;
    let mut keep: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let search = made.search.map(|b| {
        // New names (pagefind's content-hashed files) before the files
        // that replace one of the same name (its entry points), so that
        // these never name a file not yet written.
        let mut index = shown(b.files);
        index.sort_by_key(|(p, _)| hashes.contains_key(p));
        (b.fp, index)
    });
    if let Some((_, index)) = &search {
        write_new(index, hashes)?;
        keep.extend(index.iter().map(|(p, _)| p.as_str()));
    }
    let gone: Vec<String> = hashes
        .keys()
        .filter(|p| is_model_file(p) && p.as_str() != SEARCH_MEMO)
        .filter(|p| search.is_some() || !p.starts_with(urls::PAGEFIND))
        .filter(|p| !keep.contains(p.as_str()) && !statics.contains_key(*p))
        .cloned()
        .collect();
    for path in &gone {
        hashes.remove(path);
        remove_output(out, path)?;
    }
    done.removed = gone.len();
    if let Some((fp, _)) = search {
        hashes.insert(SEARCH_MEMO.to_string(), fp);
    }
    Ok(done)
}

/// The fingerprint of the search records whose index is on disk, among
/// watch mode's file hashes.
pub fn search_memo(hashes: &Hashes) -> Option<u64> {
    hashes.get(SEARCH_MEMO).copied()
}

/// Per output file, the hash of the bytes last written: kept by watch mode
/// between rebuilds, so that unchanged bytes are not written again.
pub type Hashes = HashMap<String, u64>;

/// Renders one page to bytes.
///
/// # Errors
/// A context that cannot be built or a template that fails, naming the page.
pub fn render_page(inp: &Inputs<'_>, theme: &Theme, page: &Page) -> Result<Vec<u8>> {
    let mut ctx = pages::context(inp, page)
        .with_context(|| format!("building the context of {}", page.file()))?;
    // The header and footer are the same on many pages: rendered once each.
    let text = |key: &str| {
        ctx.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (root, nav) = (text("root"), text("nav"));
    let header = inp.header_html(&nav, &root);
    let footer = inp.footer_html(&root);
    let parts = header.and_then(|h| Ok((h, footer?)));
    let (header, footer) = parts.with_context(|| format!("rendering {}", page.file()))?;
    ctx.insert("header", &header);
    ctx.insert("footer", &footer);
    let mut out = Vec::with_capacity(16 * 1024);
    theme
        .tera
        .render_to(page.template(), &ctx, &mut out)
        .map_err(|e| anyhow!("template {}: {}", page.template(), error_chain(&e)))
        .with_context(|| format!("rendering {}", page.file()))?;
    Ok(out)
}

/// The files generated from the configuration and theme: robots.txt and
/// highlight.css, as (output path, bytes).
pub fn generated_files(base_url: Option<&str>, highlight_css: &str) -> Vec<(String, Vec<u8>)> {
    vec![
        ("robots.txt".into(), plan::robots(base_url).into_bytes()),
        ("highlight.css".into(), highlight_css.as_bytes().to_vec()),
    ]
}

/// The files made from the model as a whole, search index aside:
/// sitemap.xml, the site's and each term's Atom feed, and the claims as
/// JSON and CSV, as (output path, bytes).
pub fn model_files(site: &Site, prepared: &Prepared, pages: &[Page]) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        (
            "sitemap.xml".to_string(),
            plan::sitemap(site, pages).into_bytes(),
        ),
        (
            urls::FEED.to_string(),
            feeds::site_feed(site, prepared).into_bytes(),
        ),
        (
            urls::DATA_JSON.to_string(),
            data::json(site, prepared).into_bytes(),
        ),
        (
            urls::DATA_CSV.to_string(),
            data::csv(site, prepared).into_bytes(),
        ),
    ];
    out.extend(
        feeds::term_feeds(site, prepared)
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes())),
    );
    out
}

/// Whether an output path is one of the model's files ([`model_files`] and
/// the search index), which the site may stop making after any edit.
fn is_model_file(path: &str) -> bool {
    path == "sitemap.xml"
        || path == urls::FEED
        || path.ends_with("/atom.xml")
        || path.starts_with(urls::PAGEFIND)
        || path == urls::DATA_JSON
        || path == urls::DATA_CSV
}

/// Output files as (path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Where watch mode keeps the fingerprint of the search index's records
/// among the file hashes (not a file: no output path holds a NUL).
const SEARCH_MEMO: &str = "pagefind/\0records";

/// The search index of `site` and its records' fingerprint; no index when
/// the fingerprint is `memo` (the index on disk was made from the same
/// records).
fn search_index(
    site: &Site,
    prepared: &Prepared,
    memo: Option<u64>,
) -> Result<(u64, Option<Files>)> {
    let records = search::records(site, prepared);
    let language = &site.config.language;
    let fp = search::fingerprint(&records, language);
    if memo == Some(fp) {
        return Ok((fp, None));
    }
    Ok((fp, Some(search::bundle(records, language)?)))
}

/// Renders and writes `job` into `target`. With `hashes` (watch mode), a
/// file whose bytes hash as before is not written again, the hashes are
/// updated, and, in place with `job.generated`, files of the last build
/// that this one no longer makes are removed. With `job.defer_model`, the
/// model's files (search index included) are neither made nor removed. A
/// page that a static file of the same name shadows is not written (the
/// static file wins, as it would overwrite it).
///
/// # Errors
/// A page that fails to render, a file that cannot be written, or
/// cancellation; the output may then be partly updated in place (a fresh
/// folder is dropped with the error).
pub fn write(job: &Job<'_>, target: &Target, mut hashes: Option<&mut Hashes>) -> Result<Outcome> {
    let t = Instant::now();
    let fresh = matches!(target, Target::Fresh(_));
    let statics = &job.theme.statics;
    let all: Vec<usize>;
    let dirty = match job.dirty {
        Some(d) => d,
        None => {
            all = (0..job.pages.len()).collect();
            &all
        }
    };
    let bytes = AtomicU64::new(0);
    let written = AtomicUsize::new(0);
    let write_nanos = AtomicU64::new(0);
    let old = hashes.as_deref();
    // Render and write in the same task, so no page is held in memory
    // longer than it takes to write it. The highlighting CSS (a fixed cost
    // of a few ms) and the model's files (the search index is one thread's
    // work for seconds on a large site) are made alongside.
    let (results, (css, model)) = rayon::join(
        || {
            dirty
                .par_iter()
                .map(|&i| -> Result<Option<(String, u64)>> {
                    if job.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                        return Err(anyhow!("interrupted"));
                    }
                    let page = &job.pages[i];
                    let file = page.file();
                    let html = render_page(job.inputs, job.theme, page)?;
                    if statics.contains_key(&file) {
                        return Ok(None);
                    }
                    let h = old.map(|_| hash_bytes(&html));
                    if !fresh && h.is_some() && old.and_then(|o| o.get(&file)) == h.as_ref() {
                        return Ok(h.map(|h| (file, h)));
                    }
                    let w = Instant::now();
                    target.write(&file, &html)?;
                    write_nanos.fetch_add(w.elapsed().as_nanos() as u64, Ordering::Relaxed);
                    bytes.fetch_add(html.len() as u64, Ordering::Relaxed);
                    written.fetch_add(1, Ordering::Relaxed);
                    Ok(h.map(|h| (file, h)))
                })
                .collect::<Result<Vec<_>>>()
        },
        || {
            let css = crate::render::highlight::theme_css();
            if job.defer_model {
                return (css, None);
            }
            let (search, files) = rayon::join(
                || {
                    let t = Instant::now();
                    let memo = if fresh {
                        None
                    } else {
                        old.and_then(search_memo)
                    };
                    search_index(job.inputs.site, job.inputs.prepared, memo)
                        .map(|r| (r, t.elapsed()))
                },
                || model_files(job.inputs.site, job.inputs.prepared, job.pages),
            );
            (css, Some((search, files)))
        },
    );
    let results = results?;
    let (search, model) = match model {
        Some((search, files)) => (Some(search?), files),
        None => (None, Vec::new()),
    };
    let ((search_fp, search), search_time) = search.unwrap_or(((0, None), Duration::ZERO));
    // Page writes are summed over threads; spread over the pool, they are
    // moved from the render time to the write time.
    let page_writes = Duration::from_nanos(
        write_nanos.load(Ordering::Relaxed) / rayon::current_num_threads().max(1) as u64,
    );
    let render = t.elapsed().saturating_sub(page_writes);
    let t = Instant::now();
    let mut out = Written {
        rendered: dirty.len(),
        ..Written::default()
    };
    if let Some(h) = hashes.as_deref_mut() {
        h.extend(results.into_iter().flatten());
    }
    // A static file of the same name wins over a file of the model, as it
    // does over a page.
    let search_kept = search.is_none();
    let mut others: Vec<(String, Vec<u8>)> = model
        .into_iter()
        .chain(search.into_iter().flatten())
        .filter(|(p, _)| !statics.contains_key(p))
        .collect();
    if job.generated {
        others.extend(generated_files(
            job.inputs.site.config.base_url.as_deref(),
            css,
        ));
    }
    if job.statics {
        for (path, asset) in statics {
            match asset {
                Asset::Embedded(b) => others.push((path.clone(), b.to_vec())),
                // Copied without reading when nothing compares its bytes.
                Asset::Disk(p) if hashes.is_none() => {
                    if let Target::Fresh(s) = target {
                        bytes.fetch_add(s.copy(path, p)?, Ordering::Relaxed);
                        written.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let b = std::fs::read(p).with_context(|| format!("copying {}", p.display()))?;
                    others.push((path.clone(), b));
                }
                Asset::Disk(p) => {
                    let b = std::fs::read(p).with_context(|| format!("copying {}", p.display()))?;
                    others.push((path.clone(), b));
                }
            }
        }
    }
    for (path, b) in &others {
        match hashes.as_deref_mut() {
            Some(h) => {
                let new = hash_bytes(b);
                if !fresh && h.get(path) == Some(&new) {
                    continue;
                }
                target.write(path, b)?;
                h.insert(path.clone(), new);
            }
            None => target.write(path, b)?,
        }
        bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
        written.fetch_add(1, Ordering::Relaxed);
    }
    if let Some(h) = hashes {
        if !job.defer_model {
            h.insert(SEARCH_MEMO.to_string(), search_fp);
        }
        // Without `generated`, only the model's files can be gone, and
        // deferred they are not this call's to remove.
        let removable = job.generated || !job.defer_model;
        if let (Target::InPlace(dir), true) = (target, removable) {
            out.removed = remove_gone(dir, h, job, &others, search_kept)?;
        }
    }
    out.bytes = bytes.load(Ordering::Relaxed);
    out.written = written.load(Ordering::Relaxed);
    out.render = render;
    out.search = if search_kept {
        Duration::ZERO
    } else {
        search_time
    };
    out.write = t.elapsed() + page_writes;
    Ok(Outcome { written: out })
}

/// Removes from `out` the files of the last build that this one does not
/// make, and forgets their hashes: with `job.generated`, pages no longer
/// planned and deleted static files; unless the model's files were
/// deferred, files of the model the site no longer makes (a feed of a term
/// that lost its last claim, search index files whose hash changed),
/// unless the search index was kept as it was (`search_kept`).
fn remove_gone(
    out: &Path,
    hashes: &mut Hashes,
    job: &Job<'_>,
    others: &[(String, Vec<u8>)],
    search_kept: bool,
) -> Result<usize> {
    let mut keep: HashSet<String> = job.pages.iter().map(Page::file).collect();
    keep.extend(others.iter().map(|(p, _)| p.clone()));
    keep.extend(job.theme.statics.keys().cloned());
    keep.insert(SEARCH_MEMO.to_string());
    let gone: Vec<String> = hashes
        .keys()
        .filter(|p| !keep.contains(*p))
        .filter(|p| {
            if is_model_file(p) {
                !job.defer_model
            } else {
                job.generated
            }
        })
        .filter(|p| !(search_kept && p.starts_with(urls::PAGEFIND)))
        .cloned()
        .collect();
    for path in &gone {
        hashes.remove(path);
        remove_output(out, path)?;
    }
    Ok(gone.len())
}
