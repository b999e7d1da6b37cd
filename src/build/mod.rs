//! The build: load, parse and validate `content/` into the model
//! (`load`, `parse`, `validate`), and the stage sequence of `crossbrief
//! build`: model, cross-references, render, write, with the build report.
//! Anything that needs only the model calls [`load_site`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::config;
use crate::content::model::Site;
pub use crate::diag::Failure;
use crate::diag::{self, Diagnostic};
use crate::output::{resolve_out, Staging};
use crate::render::inputs::{prepare, Inputs, Prepared};
use crate::render::partials::Snippets;
use crate::render::plan::plan;
use crate::render::theme::Theme;
use crate::render::write::{self, Job, Target, Written};
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
    /// Records stage `name` as the time since `since`; returns now, the
    /// start of the next stage.
    pub fn add(&mut self, name: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((name, now - since));
        now
    }

    /// Records stage `name` as taking `d`.
    pub fn push(&mut self, name: &'static str, d: Duration) {
        self.stages.push((name, d));
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
    /// Things the build did but the site should fix (one line each).
    pub warnings: Vec<String>,
    /// Time spent building the search index, on its own thread during
    /// `render` (part of it, not a stage of its own).
    pub search_index: Duration,
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
    let target = resolve_out(&opts.root, &out)?;
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
    let (pages, written) = write_site(
        &site,
        &annotations,
        &prepared,
        &theme,
        &target,
        &mut timings,
    )?;
    let mut warnings = Vec::new();
    if site.config.base_url.is_none() {
        warnings.push(crate::render::plan::SITEMAP_WARNING.to_string());
    }
    Ok(BuildReport {
        warnings,
        out,
        briefs: site.briefs.len(),
        claims: site.claims.len(),
        pages,
        files: written.written,
        bytes: written.bytes,
        timings,
        xref_steps: annotations.timings.clone(),
        search_index: written.search,
    })
}

/// The render and write stages of a build as a function of the model:
/// every page of `site` (with `annotations` and its `prepared` Markdown
/// and URLs) rendered into a fresh folder beside `out` (resolved), with
/// the generated and static files, then swapped in. Stage times go to
/// `timings` (render, write).
pub fn write_site(
    site: &Site,
    annotations: &Annotations,
    prepared: &Prepared,
    theme: &Theme,
    out: &Path,
    timings: &mut Timings,
) -> anyhow::Result<(usize, Written)> {
    let snippets = Snippets::for_site(&theme.tera, site);
    let inputs = Inputs {
        site,
        prepared,
        annotations,
        snippets: &snippets,
    };
    let pages = plan(site, annotations);
    let target = Target::Fresh(Staging::new(out)?);
    let job = Job {
        inputs: &inputs,
        theme,
        pages: &pages,
        dirty: None,
        generated: true,
        defer_model: false,
        statics: true,
        cancel: None,
    };
    let written = write::write(&job, &target, None)?.written;
    let t = Instant::now();
    target.finish()?;
    timings.push("render", written.render);
    timings.push("write", written.write + t.elapsed());
    Ok((pages.len(), written))
}

/// What `crossbrief check` found: the content problems a build would
/// report, and the broken links and anchors of the built site.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    /// The output folder checked and how many HTML files it holds; `None`
    /// when there is no built site there.
    pub checked: Option<(PathBuf, usize)>,
    pub links: Vec<crate::render::check::Problem>,
}

impl CheckReport {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty() && self.links.is_empty()
    }
}

/// `crossbrief check`: the build's content and template checks, writing
/// nothing, and, when the output folder holds a built site, its links.
///
/// # Errors
/// An output folder that cannot be read.
pub fn check(opts: &BuildOptions) -> anyhow::Result<CheckReport> {
    let mut report = CheckReport::default();
    let loaded = load_site(&opts.root);
    let theme = Theme::load(&opts.root);
    for r in [loaded.err(), theme.err()].into_iter().flatten() {
        report.diagnostics.extend(r);
    }
    diag::sort(&mut report.diagnostics);
    let out = opts.out_dir();
    if out.join("index.html").is_file() {
        let base = crate::render::check::base_path_of(&out);
        report.links = crate::render::check::links(&out, base.as_deref())?;
        let pages = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count();
        report.checked = Some((out, pages));
    }
    Ok(report)
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
