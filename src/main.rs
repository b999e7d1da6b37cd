//! The `crossbrief` binary: parse the command line, call the library, print
//! what went wrong and choose the exit code.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use crossbrief::build::{BuildError, BuildOptions};
use crossbrief::cli::{Cli, Command};

// Builds allocate many small strings and JSON values per page; mimalloc
// keeps that cheap on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
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
        Command::Serve {
            root,
            out,
            port,
            bind,
            open,
        } => watch(
            root,
            out,
            Some(crossbrief::serve::ServeOptions {
                addr: std::net::SocketAddr::new(bind, port),
                open,
            }),
        ),
        Command::Watch { root, out } => watch(root, out, None),
        Command::Init { dir } => crossbrief::init::init(&dir).map(|summary| emit(&summary)),
        Command::Ingest {
            brief,
            root,
            prune,
            quiet,
        } => crossbrief::ingest::run(&crossbrief::ingest::IngestOptions {
            root,
            brief,
            prune,
            quiet,
        })
        .map(|summary| emit(&summary)),
        Command::Tag { briefs, root } => {
            crossbrief::tag::run(&crossbrief::tag::TagOptions { root, briefs })
                .map(|report| emit(&report))
        }
        Command::Explain { claim, root } => {
            crossbrief::tag::explain(&root, &claim).map(|text| emit(&text))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
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
    crossbrief::serve::run(opts, serve, Box::new(crossbrief::build::annotate), stop)
}

fn build(opts: BuildOptions, timings: bool) -> ExitCode {
    match crossbrief::xref::site::build(&opts) {
        Ok((report, steps)) => {
            // A closed pipe (`| head`) is not an error of the build.
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{report}");
            if timings {
                let _ = write!(out, "{}", report.timings);
                // The xref stage's own steps, below the stage table.
                let _ = writeln!(out, "  xref steps:");
                for (name, secs) in steps {
                    let _ = writeln!(out, "    {name:<16} {:>9.1} ms", secs * 1000.0);
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diags)) => {
            let out = opts.out_dir();
            let shown = out.strip_prefix(".").unwrap_or(&out);
            eprint!(
                "{}",
                crossbrief::diag::report(&diags, &format!("{}/", shown.display()))
            );
            ExitCode::FAILURE
        }
        Err(BuildError::Io(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a command's output; a closed pipe (`| head`) is not an error.
fn emit(text: &dyn std::fmt::Display) {
    use std::io::Write as _;
    let _ = write!(std::io::stdout().lock(), "{text}");
}
