//! `crossbrief serve` and `crossbrief watch`: the development server with
//! live reload (`server`), the file watcher (`watch`), incremental rebuilds
//! (`incremental`), and the loop tying them together ([`run`]).

pub mod http;
pub mod server;
pub mod session;
pub mod watch;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context as _;

use crate::build::{BuildOptions, Failure};
use crate::diag;
use server::{LiveState, Server};
use session::Session;
use watch::{Change, Watcher};

/// The server part of `crossbrief serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (127.0.0.1 unless `--bind` says otherwise).
    pub addr: SocketAddr,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Builds the site, then rebuilds it on every change until `stop` is set
/// (Ctrl-C); with `serve`, also serves it with live reload. Content errors
/// never end the loop: they are printed (and shown in the browser), and the
/// last good site stays in place.
pub fn run(
    opts: BuildOptions,
    serve: Option<ServeOptions>,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<()> {
    let mut session = Session::new(opts.clone())?;
    let live = Arc::new(LiveState::default());
    // Watch before the first build, so edits made during it are not lost.
    let watcher = Watcher::new(&opts.root)?;
    let out = session.out_dir().to_path_buf();
    let first = session.full_build(&stop);
    if stop.load(Ordering::Relaxed) {
        println!("stopped");
        return Ok(());
    }
    report(&live, &out, "initial build", first);
    let server = match &serve {
        Some(s) => {
            std::fs::create_dir_all(session.out_dir())
                .with_context(|| format!("creating {}", session.out_dir().display()))?;
            let server =
                Server::start(session.out_dir(), s.addr, Arc::clone(&live)).with_context(|| {
                    format!(
                        "choose another port with --port, or stop whatever uses {}",
                        s.addr
                    )
                })?;
            let url = format!("http://{}/", server.addr());
            println!(
                "serving {} at {url} (watching for changes; Ctrl-C stops)",
                session.out_dir().display()
            );
            if s.open {
                open_browser(&url);
            }
            Some(server)
        }
        None => {
            println!(
                "watching {} for changes (Ctrl-C stops)",
                opts.root.display()
            );
            None
        }
    };
    let _ = std::io::stdout().flush();
    let should_stop = || stop.load(Ordering::Relaxed);
    // While nothing changes, the search index, feeds and data made
    // meanwhile are written.
    let idle = |session: &mut Session| match session.poll_search() {
        Ok(Some(update)) => {
            println!("{update}");
            let _ = std::io::stdout().flush();
        }
        Ok(None) => {}
        Err(e) => report(&live, &out, "search index, feeds and data", Err(e)),
    };
    while let Some(batch) = watcher.next_batch_idle(&should_stop, &mut || idle(&mut session)) {
        let what = describe(&batch);
        // A bug in a rebuild must not end the session: report it, and
        // start the next build from scratch.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.apply(&batch, &stop)
        }))
        .unwrap_or_else(|_| {
            session.reset();
            Err(Failure::Io(anyhow::anyhow!(
                "internal error while rebuilding; the next change rebuilds everything"
            )))
        });
        if should_stop() {
            break;
        }
        report(&live, &out, &what, result);
    }
    if let Some(server) = server {
        server.shutdown();
    }
    println!("stopped");
    Ok(())
}

/// What a batch changed, for the terminal line: the first path and a count.
pub fn describe(batch: &BTreeSet<Change>) -> String {
    let mut paths = batch.iter().map(|c| c.path().display().to_string());
    match (paths.next(), batch.len()) {
        (None, _) => "nothing".into(),
        (Some(p), 1) => p,
        (Some(p), n) => format!("{p} and {} more", n - 1),
    }
}

/// Prints one rebuild's outcome and tells the open tabs.
fn report(
    live: &LiveState,
    out: &std::path::Path,
    what: &str,
    result: Result<session::Outcome, Failure>,
) {
    match result {
        Ok(outcome) => {
            println!("{what}: {outcome}");
            live.reloaded();
        }
        Err(Failure::Content(diags)) => {
            let text = diag::report(&diags, &diag::build_outcome(&format!("{}/", out.display())));
            println!("{what}: build failed");
            eprint!("{text}");
            live.failed(text);
        }
        Err(Failure::Io(e)) => {
            let text = format!("error: {e:#}\n");
            println!("{what}: build failed");
            eprint!("{text}");
            live.failed(text);
        }
    }
    let _ = std::io::stdout().flush();
}

/// Opens `url` in the desktop's browser; a failure is only reported.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(cmd.0)
        .args(&cmd.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("could not open a browser ({e}); open {url} yourself");
    }
}
