//! The `crossbrief` binary: parse the command line, call the library, print
//! what went wrong and choose the exit code.

use std::process::ExitCode;

use clap::Parser;
use crossbrief::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
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
        .map(|summary| print!("{summary}")),
        Command::Tag { briefs, root } => {
            crossbrief::tag::run(&crossbrief::tag::TagOptions { root, briefs })
                .map(|report| print!("{report}"))
        }
        Command::Explain { claim, root } => {
            crossbrief::tag::explain(&root, &claim).map(|text| print!("{text}"))
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
