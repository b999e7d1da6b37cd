//! Times the cross-reference computation on a site's content:
//! `cargo run --release --example xref_bench -- SITE_DIR` loads the site as
//! the build does, runs `xref::compute`, and prints the time of loading and
//! of computing, with a summary of the result and the time of each step.
//! Run it under `/usr/bin/time -v` for the peak resident memory, and under
//! `perf stat -e instructions` (with and without `--load-only`) for a
//! count of work that a busy machine does not distort. `--runs N` computes
//! N times and prints the fastest time of each step (a busy machine only
//! ever makes a step slower).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use crossbrief::xref::{self, XrefOptions};

// The same allocator as the `crossbrief` binary, so that the steps cost
// here what they cost in a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let site = crossbrief::build::load_site(&dir)
        .map_err(|d| anyhow::anyhow!("{}", crossbrief::diag::report(&d, "nothing was computed")))?;
    let load = t0.elapsed();
    // `--load-only` stops here, so that a profiler's count for the load can
    // be subtracted from a full run's.
    if args.iter().any(|a| a == "--load-only") {
        println!("claims           {}", site.claims.len());
        println!("load             {:.3} s", load.as_secs_f64());
        return Ok(());
    }

    let mut best: Option<(f64, Vec<(&'static str, f64)>)> = None;
    let mut x = xref::Annotations::default();
    for _ in 0..runs {
        drop(x);
        let t1 = Instant::now();
        x = xref::compute(&site, &XrefOptions::default());
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

    let n = site.claims.len();
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
    println!("term pairs       {}", x.pairs.len());
    println!("briefs           {}", site.briefs.len());
    Ok(())
}
