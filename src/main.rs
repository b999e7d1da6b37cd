//! The `crossbrief` binary: parse the command line, call the library, print
//! what went wrong and choose the exit code.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use crossbrief::build::BuildOptions;
use crossbrief::cli::{Cli, Command};
use crossbrief::diag::Failure;

// Builds allocate many small strings and JSON values per page; mimalloc
// keeps that cheap on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Each command's result, and what its failure leaves behind.
    let (result, outcome): (Result<(), Failure>, &str) = match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            timings,
        } => {
            return build(
                BuildOptions {
                    root,
                    out,
                    base_url,
                },
                timings,
            )
        }
        Command::Check { root, out } => {
            return check(BuildOptions {
                root,
                out,
                base_url: None,
            })
        }
        Command::Serve {
            root,
            out,
            port,
            bind,
            open,
        } => (
            watch(
                root,
                out,
                Some(crossbrief::serve::ServeOptions {
                    addr: std::net::SocketAddr::new(bind, port),
                    open,
                }),
            )
            .map_err(Failure::Io),
            "",
        ),
        Command::Watch { root, out } => (watch(root, out, None).map_err(Failure::Io), ""),
        Command::Init { dir } => (
            crossbrief::init::init(&dir).map(|summary| emit(&summary)),
            "nothing was created",
        ),
        Command::Ingest {
            brief,
            root,
            prune,
            quiet,
            dry_run,
        } => (
            crossbrief::ingest::run(&crossbrief::ingest::IngestOptions {
                root,
                brief,
                prune,
                quiet,
                dry_run,
            })
            .map(|summary| emit(&summary)),
            "nothing was written",
        ),
        Command::Tag { briefs, root } => (
            crossbrief::tag::run(&crossbrief::tag::TagOptions { root, briefs })
                .map(|report| emit(&report)),
            "no fragment was re-tagged",
        ),
        Command::Explain { claim, root } => (
            crossbrief::tag::explain(&root, &claim).map(|text| emit(&text)),
            "nothing to explain",
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", e.report(outcome));
            ExitCode::FAILURE
        }
    }
}

/// `serve` and `watch`: runs until Ctrl-C, which lets the current build
/// finish or abandons it (no staging folder is left behind).
fn watch(
    root: std::path::PathBuf,
    out: Option<std::path::PathBuf>,
    serve: Option<crossbrief::serve::ServeOptions>,
) -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| anyhow::anyhow!("cannot handle Ctrl-C: {e}"))?;
    let opts = BuildOptions {
        root,
        out,
        base_url: None,
    };
    crossbrief::serve::run(opts, serve, stop)
}

fn build(opts: BuildOptions, timings: bool) -> ExitCode {
    match crossbrief::build::build(&opts) {
        Ok(report) => {
            // A closed pipe (`| head`) is not an error of the build.
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{report}");
            if timings {
                let _ = write!(out, "{}", report.timings);
                let _ = writeln!(
                    out,
                    "  search index {:>7.1} ms (on its own thread, within render)",
                    report.search_index.as_secs_f64() * 1000.0
                );
                // The xref stage's own steps, below the stage table.
                let _ = writeln!(out, "  xref steps:");
                for (name, secs) in &report.xref_steps {
                    let _ = writeln!(out, "    {name:<16} {:>9.1} ms", secs * 1000.0);
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diags)) => {
            let out = opts.out_dir();
            let shown = out.strip_prefix(".").unwrap_or(&out);
            eprint!(
                "{}",
                crossbrief::diag::report(
                    &diags,
                    &crossbrief::diag::build_outcome(&format!("{}/", shown.display()))
                )
            );
            ExitCode::FAILURE
        }
        Err(Failure::Io(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `check`: content problems as `path:line: message`, then broken links as
/// `path: message`; fails if there is any.
fn check(opts: BuildOptions) -> ExitCode {
    let report = match crossbrief::build::check(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut err = std::io::stderr().lock();
    if !report.diagnostics.is_empty() {
        let _ = write!(
            err,
            "{}",
            crossbrief::diag::report(&report.diagnostics, "nothing was written")
        );
    }
    let shown = |p: &std::path::Path| {
        let p = p.strip_prefix(".").unwrap_or(p);
        p.display().to_string()
    };
    match &report.checked {
        Some((out, pages)) => {
            for p in &report.links {
                let _ = writeln!(err, "{}/{}: {}", shown(out), p.file, p.message);
            }
            if report.links.is_empty() {
                let _ = writeln!(
                    std::io::stdout(),
                    "checked {pages} pages in {}/: every link and anchor resolves",
                    shown(out)
                );
            } else {
                let _ = writeln!(
                    err,
                    "{} broken link{} in {}/",
                    report.links.len(),
                    if report.links.len() == 1 { "" } else { "s" },
                    shown(out)
                );
            }
        }
        None => {
            let _ = writeln!(
                std::io::stdout(),
                "no built site in {}/ (run `crossbrief build` first): links not checked",
                shown(&opts.out_dir())
            );
        }
    }
    if report.diagnostics.is_empty() {
        let _ = writeln!(std::io::stdout(), "content: no problems");
    }
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints a command's output; a closed pipe (`| head`) is not an error.
fn emit(text: &dyn std::fmt::Display) {
    use std::io::Write as _;
    let _ = write!(std::io::stdout().lock(), "{text}");
}
