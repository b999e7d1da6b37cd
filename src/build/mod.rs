//! The build: load, parse and validate `content/` into the model
//! (`load`, `parse`, `validate`), and the stage sequence of `crossbrief
//! build`: model, cross-references, render, write, with the build report.
//! Anything that needs only the model calls [`load_site`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::config;
use crate::content::model::Site;
pub use crate::diag::Failure;
use crate::diag::{self, Diagnostic};
use crate::output::{check_out_dir, Staging};
use crate::render::inputs::{prepare, Inputs, Prepared};
use crate::render::partials::Snippets;
use crate::render::plan::{self, plan_with};
use crate::render::theme::{Asset, Theme};
use crate::xref::{self, Annotations};

pub mod load;
pub mod parse;
pub mod validate;

/// What `crossbrief build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (the folder holding `content/`).
    pub root: PathBuf,
    /// The output folder; `<root>/public` when `None`.
    pub out: Option<PathBuf>,
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// Options for building the site at `root` into `<root>/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            base_url: None,
        }
    }

    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Time spent in each stage, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn add(&mut self, name: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((name, now - since));
        now
    }

    /// Total of all stages.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, d) in &self.stages {
            writeln!(f, "  {name:<10} {:>9.1} ms", d.as_secs_f64() * 1000.0)?;
        }
        writeln!(
            f,
            "  {:<10} {:>9.1} ms",
            "total",
            self.total().as_secs_f64() * 1000.0
        )
    }
}

/// What a successful build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub out: PathBuf,
    pub briefs: usize,
    pub claims: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub timings: Timings,
    /// Time of each cross-reference step, in seconds.
    pub xref_steps: Vec<(&'static str, f64)>,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "built {} pages ({} briefs, {} claims; {} files, {:.1} MB) into {} in {:.0} ms",
            self.pages,
            self.briefs,
            self.claims,
            self.files,
            self.bytes as f64 / 1e6,
            self.out.display(),
            self.timings.total().as_secs_f64() * 1000.0
        )
    }
}

/// A loaded, validated site and the time each stage took.
pub fn load_site_timed(root: &Path, timings: &mut Timings) -> Result<Site, Vec<Diagnostic>> {
    let t = Instant::now();
    let (set, mut diags) = load::load(root);
    let t = timings.add("load", t);
    let (raw, d) = parse::parse(set);
    diags.extend(d);
    let t = timings.add("parse", t);
    model_from(&raw, diags, timings, t)
}

/// Validates parsed files into the model; `diags` are the load and parse
/// problems already found (any of them fails the build). Times `validate`
/// and `model` from `t`.
pub fn model_from(
    raw: &parse::RawSite,
    mut diags: Vec<Diagnostic>,
    timings: &mut Timings,
    t: Instant,
) -> Result<Site, Vec<Diagnostic>> {
    let checked = validate::check(raw);
    let t = timings.add("validate", t);
    match checked {
        Ok(c) if diags.is_empty() => {
            let site = validate::assemble(c);
            timings.add("model", t);
            Ok(site)
        }
        Ok(_) => {
            diag::sort(&mut diags);
            Err(diags)
        }
        Err(d) => {
            diags.extend(d);
            diag::sort(&mut diags);
            Err(diags)
        }
    }
}

/// Loads and validates the site at `root` into the model.
pub fn load_site(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    load_site_timed(root, &mut Timings::default())
}

/// Builds the site: load, parse, validate, cross-reference, render and
/// write into the output folder. Markdown is rendered beside the
/// cross-references, on the other threads; the two are reported together as
/// `xref+md`, and the cross-reference steps on their own in the report.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let mut timings = Timings::default();
    let out = opts.out_dir();
    check_out_dir(&opts.root, &out)?;
    let loaded = load_site_timed(&opts.root, &mut timings);
    let t = Instant::now();
    // Template errors are reported together with content errors.
    let theme = Theme::load(&opts.root);
    let (mut site, theme) = match (loaded, theme) {
        (Ok(site), Ok(theme)) => (site, theme),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            diag::sort(&mut a);
            return Err(Failure::Content(a));
        }
        (Err(a), Ok(_)) | (Ok(_), Err(a)) => return Err(Failure::Content(a)),
    };
    let t = timings.add("theme", t);
    apply_base_url(&mut site, opts)?;
    let (annotations, prepared) = rayon::join(|| xref::annotate(&site), || prepare(&site));
    timings.add("xref+md", t);
    let written = write_site(&site, &annotations, &prepared, &theme, &out, &mut timings)?;
    Ok(BuildReport {
        out,
        briefs: site.briefs.len(),
        claims: site.claims.len(),
        pages: written.pages,
        files: written.files,
        bytes: written.bytes,
        timings,
        xref_steps: annotations.timings.clone(),
    })
}

/// What [`write_site`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// The render stage as a function of the model: renders every page of
/// `site` (with `annotations` and its `prepared` Markdown and URLs) in
/// parallel into a fresh folder beside `out`, adds sitemap, robots.txt,
/// highlight CSS and static files, then swaps the folder in. Stage times go
/// to `timings` (render, write).
pub fn write_site(
    site: &Site,
    annotations: &Annotations,
    prepared: &Prepared,
    theme: &Theme,
    out: &Path,
    timings: &mut Timings,
) -> anyhow::Result<Written> {
    let t = Instant::now();
    let snippets = Snippets::for_site(&theme.tera, site);
    let inputs = Inputs {
        site,
        prepared,
        annotations,
        snippets: &snippets,
    };
    let pages = plan_with(site, annotations);
    let staging = Staging::new(out)?;
    let bytes = AtomicU64::new(0);
    let write_nanos = AtomicU64::new(0);
    // Render and write in the same task, so no page is held in memory
    // longer than it takes to write it.
    // The highlighting CSS (a fixed cost of a few ms) is generated
    // alongside.
    let (rendered, css) = rayon::join(
        || {
            pages.par_iter().try_for_each(|page| -> anyhow::Result<()> {
                let html = plan::render_page(&inputs, theme, page)?;
                let w = Instant::now();
                staging.write(&page.file(), &html)?;
                write_nanos.fetch_add(w.elapsed().as_nanos() as u64, Ordering::Relaxed);
                bytes.fetch_add(html.len() as u64, Ordering::Relaxed);
                Ok(())
            })
        },
        crate::render::highlight::theme_css,
    );
    rendered?;
    // Page files are written by the render tasks; move that share (summed
    // over threads, spread over the pool) from `render` to `write`.
    let page_writes = Duration::from_nanos(
        write_nanos.load(Ordering::Relaxed) / rayon::current_num_threads().max(1) as u64,
    );
    let rendered = t.elapsed();
    timings
        .stages
        .push(("render", rendered.saturating_sub(page_writes)));
    let t = Instant::now();
    let mut files = pages.len();
    let mut extra = generated_files(&pages, site.config.base_url.as_deref(), css);
    for (path, asset) in &theme.statics {
        match asset {
            Asset::Embedded(b) => extra.push((path.clone(), b.to_vec())),
            Asset::Disk(p) => {
                bytes.fetch_add(staging.copy(path, p)?, Ordering::Relaxed);
                files += 1;
            }
        }
    }
    for (path, b) in &extra {
        staging.write(path, b)?;
        bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
        files += 1;
    }
    staging.commit()?;
    timings.stages.push(("write", t.elapsed() + page_writes));
    Ok(Written {
        pages: pages.len(),
        files,
        bytes: bytes.load(Ordering::Relaxed),
    })
}

/// Applies `--base-url` (when given) over site.yaml's `base_url`.
pub fn apply_base_url(site: &mut Site, opts: &BuildOptions) -> Result<(), Failure> {
    if let Some(url) = &opts.base_url {
        site.config.base_url = Some(config::normalise_base_url(url).map_err(|e| {
            Failure::Content(vec![Diagnostic::new("--base-url", None, e)
                .help("pass an absolute URL such as https://example.org/briefs/")])
        })?);
    }
    Ok(())
}

/// The files a build writes besides pages and static files: sitemap.xml,
/// robots.txt and highlight.css, as (output path, bytes).
pub fn generated_files(
    pages: &[plan::Page],
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
