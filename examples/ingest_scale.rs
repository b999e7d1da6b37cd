//! How ingest's time grows with the size of the source:
//! `cargo run --release --example ingest_scale [-- MB…] [--files]`
//! generates sources of 1, 4 and 16 MB (or the sizes given) in three
//! shapes and prints, per size, the time of ingest's own work in memory
//! (reading the structure, the claims, their tags) and its growth over the
//! previous size. Near-linear work grows about as the size does (4x for
//! 4x the text); work that compares everything with everything grows with
//! its square (16x).
//!
//! The shapes:
//! - `bundled`: the four sources under `content/sources/` repeated in turn;
//! - `paragraph`: one paragraph repeated, separated by blank lines;
//! - `prose`: distinct sentences of the bundled sources' words, in
//!   paragraphs under headings (a seeded generator: the same text each run).
//!
//! `--files` also runs the whole `crossbrief ingest` into a temporary site
//! and prints its time, which writing one file per claim dominates (and
//! which the file system, not ingest, makes grow).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use crossbrief::content::schema::RawBrief;
use crossbrief::ingest::{self, IngestOptions};
use crossbrief::tag::{retag, BriefHeadings, Tagger};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BRIEF: &str = "id: scale\ntitle: \"Scale\"\npublisher: \"Scale Institute\"\npublished: \"2024\"\nsource: scale.txt\n";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files = args.iter().any(|a| a == "--files");
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![1, 4, 16];
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tagger = Tagger::load(repo).map_err(|e| anyhow!("{e}"))?;
    let table = tagger.vocabulary().table();
    let meta: RawBrief = serde_yaml::from_str(BRIEF)?;
    let mut bundled = String::new();
    let mut sources: Vec<_> = std::fs::read_dir(repo.join("content/sources"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    sources.sort();
    for p in &sources {
        bundled.push_str(&std::fs::read_to_string(p)?);
        bundled.push_str("\n\n");
    }
    println!(
        "{:<10} {:>5} {:>8} {:>10} {:>8}{}",
        "shape",
        "MB",
        "claims",
        "in memory",
        "growth",
        if files { "   with files" } else { "" }
    );
    for shape in ["bundled", "paragraph", "prose"] {
        let mut previous: Option<(usize, Duration)> = None;
        for &mb in &sizes {
            let text = generate(shape, mb << 20, &bundled);
            let t = Instant::now();
            let built = ingest::build("scale", &text, &meta, "content/briefs/scale.yaml", &table)
                .map_err(|d| anyhow!("{d}"))?;
            let mut fragments = built.fragments;
            retag::retag(&tagger, &BriefHeadings::default(), &mut fragments);
            let took = t.elapsed();
            let growth = previous.map_or(String::new(), |(pmb, pt)| {
                format!(
                    "{:.1}x/{}x",
                    took.as_secs_f64() / pt.as_secs_f64().max(1e-9),
                    mb / pmb.max(1)
                )
            });
            let with_files = if files {
                format!("   {:>8.2} s", run_with_files(repo, &text)?.as_secs_f64())
            } else {
                String::new()
            };
            println!(
                "{shape:<10} {mb:>5} {:>8} {:>8.2} s {growth:>8}{with_files}",
                fragments.len(),
                took.as_secs_f64()
            );
            previous = Some((mb, took));
        }
    }
    Ok(())
}

/// `bytes` of text of the given shape.
fn generate(shape: &str, bytes: usize, bundled: &str) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    match shape {
        "bundled" => {
            while out.len() < bytes {
                out.push_str(bundled);
            }
        }
        "paragraph" => {
            let p = "Quantum computing research in the United States and Japan has grown quickly over the past decade. Governments should fund more joint laboratories.\n\n";
            while out.len() < bytes {
                out.push_str(p);
            }
        }
        _ => {
            let words: Vec<&str> = bundled
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 3)
                .collect();
            let mut seed = 0x2545_f491_4f6c_dd1d_u64;
            let mut next = |n: usize| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % n as u64) as usize
            };
            while out.len() < bytes {
                if next(20) == 0 {
                    for i in 0..4 {
                        let w = words[next(words.len())];
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(&w[..1].to_uppercase());
                        out.push_str(&w[1..]);
                    }
                    out.push_str("\n\n");
                    continue;
                }
                for s in 0..2 + next(5) {
                    if s > 0 {
                        out.push(' ');
                    }
                    for i in 0..8 + next(18) {
                        let w = words[next(words.len())];
                        if i == 0 {
                            out.push_str(&w[..1].to_uppercase());
                            out.push_str(&w[1..]);
                        } else {
                            out.push(' ');
                            out.push_str(w);
                        }
                    }
                    out.push('.');
                }
                out.push_str("\n\n");
            }
        }
    }
    // Cut at a line end near the size, so that no sentence is cut.
    let cut = out[..bytes.min(out.len())].rfind('\n').unwrap_or(out.len());
    out.truncate(cut + 1);
    out
}

/// The whole `crossbrief ingest` of `text` into a fresh temporary site.
fn run_with_files(repo: &Path, text: &str) -> Result<Duration> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    let content = root.join("content");
    for sub in ["briefs", "sources", "taxonomy"] {
        std::fs::create_dir_all(content.join(sub))?;
    }
    std::fs::copy(repo.join("content/site.yaml"), content.join("site.yaml"))?;
    for e in std::fs::read_dir(repo.join("content/taxonomy"))? {
        let p = e?.path();
        let name = p.file_name().context("a vocabulary file")?;
        std::fs::copy(&p, content.join("taxonomy").join(name))?;
    }
    std::fs::write(content.join("briefs/scale.yaml"), BRIEF)?;
    std::fs::write(content.join("sources/scale.txt"), text)?;
    let t = Instant::now();
    ingest::run(&IngestOptions {
        root: root.to_path_buf(),
        brief: "scale".into(),
        prune: false,
        quiet: true,
        dry_run: false,
    })
    .map_err(|e| anyhow!("{e}"))?;
    Ok(t.elapsed())
}
