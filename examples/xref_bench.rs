//! Times the cross-reference computation on a site's content:
//! `cargo run --release --example xref_bench -- SITE_DIR` reads
//! `SITE_DIR/content/claims/**/*.md` and `SITE_DIR/content/taxonomy/*.yaml`,
//! runs `xref::compute`, and prints the time of loading and of computing,
//! with a summary of the result and the time of each step. Run it under
//! `/usr/bin/time -v` for the peak resident memory, and under
//! `perf stat -e instructions` (with and without `--load-only`) for a
//! count of work that a busy machine does not distort. `--runs N` computes
//! N times and prints the fastest time of each step (a busy machine only
//! ever makes a step slower).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use crossbrief::content::fragment;
use crossbrief::content::schema::RawTerm;
use crossbrief::xref::{self, Vocab, XrefClaim, XrefOptions};

// The same allocator as the `crossbrief` binary, so that the steps cost
// here what they cost in a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Loaded {
    id: String,
    brief: String,
    order: usize,
    section: Vec<String>,
    kind: String,
    body: String,
    countries: Vec<String>,
    technologies: Vec<String>,
    policies: Vec<String>,
    see_also: Vec<String>,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        bail!("usage: xref_bench SITE_DIR [--load-only] [--runs N]");
    };
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(k) => args
            .get(k + 1)
            .and_then(|n| n.parse().ok())
            .filter(|&n| n > 0)
            .context("--runs takes a positive number")?,
        None => 1,
    };
    let t0 = Instant::now();
    let claims = load_claims(&dir.join("content/claims"))?;
    let terms = |name: &str| -> Result<Vec<RawTerm>> {
        let path = dir.join("content/taxonomy").join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    };
    let (countries, technologies, policies) = (
        terms("countries")?,
        terms("technologies")?,
        terms("policies")?,
    );
    let load = t0.elapsed();
    // `--load-only` stops here, so that a profiler's count for the load can
    // be subtracted from a full run's.
    if args.iter().any(|a| a == "--load-only") {
        println!("claims           {}", claims.len());
        println!("load             {:.3} s", load.as_secs_f64());
        return Ok(());
    }

    let vocab = Vocab::from_terms(&countries, &technologies, &policies);
    let view: Vec<XrefClaim<'_>> = claims
        .iter()
        .map(|c| XrefClaim {
            id: &c.id,
            brief: &c.brief,
            order: c.order,
            section: &c.section,
            kind: &c.kind,
            text: &c.body,
            countries: &c.countries,
            technologies: &c.technologies,
            policies: &c.policies,
            see_also: &c.see_also,
        })
        .collect();
    let mut best: Option<(f64, Vec<(&'static str, f64)>)> = None;
    let mut x = xref::Xref::default();
    for _ in 0..runs {
        drop(x);
        let t1 = Instant::now();
        x = xref::compute(&view, &vocab, &XrefOptions::default());
        let secs = t1.elapsed().as_secs_f64();
        best = Some(match best {
            None => (secs, x.timings.clone()),
            Some((b, steps)) => (
                b.min(secs),
                steps
                    .iter()
                    .zip(&x.timings)
                    .map(|(&(name, a), &(_, s))| (name, a.min(s)))
                    .collect(),
            ),
        });
    }
    let (compute, steps) = best.unwrap_or_default();

    let n = claims.len();
    let links: usize = x.related.iter().map(Vec::len).sum();
    let with = x.related.iter().filter(|r| !r.is_empty()).count();
    let figures: usize = x.figures.iter().map(Vec::len).sum();
    println!("claims           {n}");
    println!("load             {:.3} s", load.as_secs_f64());
    println!("xref::compute    {compute:.3} s (fastest of {runs})");
    for (step, secs) in &steps {
        println!("  {step:<15}{secs:.3} s");
    }
    println!("threads          {}", rayon::current_num_threads());
    println!(
        "related links    {links} ({:.2} a claim; {:.1}% of claims have one)",
        links as f64 / n.max(1) as f64,
        100.0 * with as f64 / n.max(1) as f64
    );
    println!("figures          {figures}");
    println!("terms            {}", x.term_claims.len());
    println!("briefs           {}", x.brief_overlap.len());
    Ok(())
}

fn load_claims(root: &Path) -> Result<Vec<Loaded>> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let frag = fragment::parse(&text)
            .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
        let m = frag.meta;
        out.push(Loaded {
            id: m.id.unwrap_or_default(),
            brief: m.brief.unwrap_or_default(),
            order: m.order.unwrap_or(0).max(0) as usize,
            section: m.section.unwrap_or_default(),
            kind: m.kind.unwrap_or_default(),
            body: frag.body,
            countries: m.countries.unwrap_or_default(),
            technologies: m.technologies.unwrap_or_default(),
            policies: m.policies.unwrap_or_default(),
            see_also: m.see_also,
        });
    }
    Ok(out)
}
