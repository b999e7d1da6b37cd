//! The one render-and-write path of `build` and of `watch`/`serve`: pages
//! rendered in parallel and written as they are rendered, then the files
//! generated from the plan (sitemap.xml, robots.txt, highlight.css) and the
//! static files. A build writes everything into a fresh staging folder that
//! is swapped in whole ([`Target::Fresh`]); a rebuild in watch mode updates
//! the served folder in place ([`Target::InPlace`]), writing only files
//! whose bytes changed (each through a temporary file and a rename, so the
//! server never sends half a page) and removing files the site no longer
//! has.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _, Result};
use rayon::prelude::*;

use crate::output::{remove_output, write_atomic, Staging};
use crate::render::fingerprint::hash_bytes;
use crate::render::inputs::Inputs;
use crate::render::pages;
use crate::render::plan::{self, Page};
use crate::render::theme::{error_chain, Asset, Theme};

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
    /// Also write the files generated from the plan (sitemap.xml,
    /// robots.txt, highlight.css) and, in place, remove files the site no
    /// longer has: needed when the set of pages or static files changed.
    pub generated: bool,
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

/// The files generated from the plan: sitemap.xml, robots.txt and
/// highlight.css, as (output path, bytes).
pub fn generated_files(
    pages: &[Page],
    base_url: Option<&str>,
    highlight_css: &str,
) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "sitemap.xml".into(),
            plan::sitemap(pages, base_url).into_bytes(),
        ),
        ("robots.txt".into(), plan::robots(base_url).into_bytes()),
        ("highlight.css".into(), highlight_css.as_bytes().to_vec()),
    ]
}

/// Renders and writes `job` into `target`. With `hashes` (watch mode), a
/// file whose bytes hash as before is not written again, the hashes are
/// updated, and, in place with `job.generated`, files of the last build
/// that this one no longer makes are removed. A page that a static file of
/// the same name shadows is not written (the static file wins, as it would
/// overwrite it).
///
/// # Errors
/// A page that fails to render, a file that cannot be written, or
/// cancellation; the output may then be partly updated in place (a fresh
/// folder is dropped with the error).
pub fn write(job: &Job<'_>, target: &Target, mut hashes: Option<&mut Hashes>) -> Result<Written> {
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
    // of a few ms) is generated alongside.
    let (results, css) = rayon::join(
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
        crate::render::highlight::theme_css,
    );
    let results = results?;
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
    let mut others: Vec<(String, Vec<u8>)> = Vec::new();
    if job.generated {
        others = generated_files(job.pages, job.inputs.site.config.base_url.as_deref(), css);
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
    if let (Some(h), Target::InPlace(dir), true) = (hashes, target, job.generated) {
        out.removed = remove_gone(dir, h, job, &others)?;
    }
    out.bytes = bytes.load(Ordering::Relaxed);
    out.written = written.load(Ordering::Relaxed);
    out.render = render;
    out.write = t.elapsed() + page_writes;
    Ok(out)
}

/// Removes from `out` the files of the last build that this one does not
/// make (pages no longer planned, static files deleted), and forgets their
/// hashes.
fn remove_gone(
    out: &Path,
    hashes: &mut Hashes,
    job: &Job<'_>,
    others: &[(String, Vec<u8>)],
) -> Result<usize> {
    let mut keep: HashSet<String> = job.pages.iter().map(Page::file).collect();
    keep.extend(others.iter().map(|(p, _)| p.clone()));
    keep.extend(job.theme.statics.keys().cloned());
    let gone: Vec<String> = hashes
        .keys()
        .filter(|p| !keep.contains(*p))
        .cloned()
        .collect();
    for path in &gone {
        hashes.remove(path);
        remove_output(out, path)?;
    }
    Ok(gone.len())
}
