//! Watch-mode latency: builds the site at DIR, watches it as `crossbrief
//! watch` does (notify, debounce, incremental rebuild), then edits one claim
//! at a time and times from the file write to the updated claim page on
//! disk. Prints the median and p95, and the rebuild alone. The search index
//! is built after the rebuild, on a thread of its own: after each edit the
//! probe also waits until it is on disk and reports that time. The edited
//! files are restored at the end.
//!
//! `cargo run --release --example watch_latency -- DIR [--out OUT] [--edits N]`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use crossbrief::build::BuildOptions;
use crossbrief::serve::session::Session;
use crossbrief::serve::watch::Watcher;

// The same allocator as the `crossbrief` binary, so that a rebuild costs
// here what it costs in `crossbrief serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        bail!("usage: watch_latency DIR [--out OUT] [--edits N]");
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let out = flag("--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("public"));
    let edits: usize = flag("--edits").map_or(Ok(25), |n| n.parse())?;

    let opts = BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let mut session = Session::new(opts)?;
    let t = Instant::now();
    let first = session
        .full_build(&stop)
        .map_err(|e| anyhow::anyhow!("the initial build failed: {e:?}"))?;
    println!(
        "initial build: {first} ({:.0} ms)",
        t.elapsed().as_secs_f64() * 1000.0
    );

    // The watch loop, as `crossbrief watch` runs it, on its own thread;
    // it reports when each rebuild has written its files.
    let watcher = Watcher::new(&root)?;
    let (done_tx, done_rx) = mpsc::channel::<(Instant, Duration, String)>();
    let (stage_tx, stage_rx) = mpsc::channel::<String>();
    let (search_tx, search_rx) = mpsc::channel::<Instant>();
    let loop_stop = Arc::clone(&stop);
    let worker = std::thread::spawn(move || {
        let should_stop = || loop_stop.load(Ordering::Relaxed);
        let idle = |session: &mut Session| match session.poll_search() {
            Ok(Some(_)) => {
                let _ = search_tx.send(Instant::now());
            }
            Ok(None) => {}
            Err(e) => println!("        (the search index failed: {e:?})"),
        };
        while let Some(batch) = watcher.next_batch_idle(&should_stop, &mut || idle(&mut session)) {
            let result = session.apply(&batch, &loop_stop);
            let now = Instant::now();
            if result.as_ref().is_ok_and(|o| o.search_update.is_some()) {
                let _ = search_tx.send(now);
            }
            let line = match &result {
                Ok(o) => o.to_string(),
                Err(e) => format!("failed: {e:?}"),
            };
            if let Ok(o) = &result {
                let stages: Vec<String> = o
                    .timings
                    .stages
                    .iter()
                    .map(|(n, d)| format!("{n} {:.0}", d.as_secs_f64() * 1000.0))
                    .collect();
                let _ = stage_tx.send(format!(
                    "{}; search index {:.0} ms; xref redid {:?} searches and lists",
                    stages.join(", "),
                    o.search_index.as_secs_f64() * 1000.0,
                    o.xref_redone
                ));
            }
            let took = result.map(|o| o.elapsed).unwrap_or_default();
            if done_tx.send((now, took, line)).is_err() {
                break;
            }
        }
    });

    let mut claims: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/claims"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        // Plain sentences only: text appended to a table or list claim may
        // not show on its page, which would make the probe wait forever.
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.lines().any(|l| l == "kind: claim")))
        .collect();
    claims.sort();
    if claims.is_empty() {
        bail!("no claims under {}", root.join("content/claims").display());
    }
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    let mut searches = Vec::new();
    let mut originals: Vec<(PathBuf, String)> = Vec::new();
    for n in 0..edits {
        let file = &claims[(n * 7919) % claims.len()];
        let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .context("a claim without an id line")?
            .trim()
            .to_string();
        if !originals.iter().any(|(p, _)| p == file) {
            originals.push((file.clone(), text.clone()));
        }
        let marker = format!("Latency probe {n}.");
        let edited = format!("{} {marker}\n", text.trim_end());
        let page = out.join("claims").join(&id).join("index.html");
        let t0 = Instant::now();
        std::fs::write(file, edited)?;
        // A rebuild may finish for an earlier batch (a late event of the
        // previous edit); the edit counts as done when its page shows it.
        let (done, took, line) = loop {
            let (done, took, line) = done_rx
                .recv_timeout(Duration::from_secs(120))
                .context("no rebuild within 120 s")?;
            let on_disk = std::fs::read_to_string(&page).unwrap_or_default();
            if on_disk.contains(&marker) {
                break (done, took, line);
            }
            println!("        (a rebuild without the edit yet: {line})");
        };
        let ms = (done - t0).as_secs_f64() * 1000.0;
        latencies.push(ms);
        rebuilds.push(took.as_secs_f64() * 1000.0);
        println!("edit {n:>2}: {ms:>7.1} ms write→page ({line})");
        if line.contains("pending") {
            let at = search_rx
                .recv_timeout(Duration::from_secs(600))
                .context("no search index within 600 s")?;
            let ms = (at - t0).as_secs_f64() * 1000.0;
            searches.push(ms);
            println!("         {ms:>7.1} ms write→search index on disk");
        }
        if let Some(stages) = stage_rx.try_iter().last() {
            println!("         stages (ms): {stages}");
        }
        std::thread::sleep(Duration::from_millis(150));
        // Drain a stray second batch, if an editor-like double event split.
        while done_rx.try_recv().is_ok() {}
    }
    for (p, text) in &originals {
        std::fs::write(p, text)?;
    }
    let _ = done_rx.recv_timeout(Duration::from_secs(120));
    stop.store(true, Ordering::Relaxed);
    let _ = worker.join();
    latencies.sort_by(f64::total_cmp);
    rebuilds.sort_by(f64::total_cmp);
    println!(
        "{} edits of {}: write→page median {:.1} ms, p95 {:.1} ms; rebuild alone median {:.1} ms, p95 {:.1} ms",
        latencies.len(),
        Path::new(&root).display(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&rebuilds, 0.5),
        percentile(&rebuilds, 0.95),
    );
    searches.sort_by(f64::total_cmp);
    if !searches.is_empty() {
        println!(
            "{} search indexes: write→index on disk median {:.1} ms, p95 {:.1} ms",
            searches.len(),
            percentile(&searches, 0.5),
            percentile(&searches, 0.95),
        );
    }
    Ok(())
}
