//! The command line: clap derive types for every subcommand and option. No
//! logic lives here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// crossbrief: build a linked static site from policy briefs split into claims.
#[derive(Debug, Parser)]
#[command(name = "crossbrief", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: content/ to a linked static site in public/.
    Build {
        /// The site root (the folder holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Absolute URL the site is published under (overrides site.yaml's
        /// base_url), e.g. https://example.org/briefs-site/.
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Check the content as a build would, writing nothing, and every
    /// internal link and anchor of the built site (when there is one).
    Check {
        /// The site root (the folder holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site to check [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build the site, serve it locally and rebuild and reload on every change.
    Serve {
        /// The site root (the folder holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; only this machine can connect by
        /// default. Use 0.0.0.0 to let the local network in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the site and rebuild it on every change (no server).
    Watch {
        /// The site root (the folder holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: ROOT/public].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Create a new site in DIR (config, vocabularies, a sample brief).
    Init {
        /// The folder to create; it must not hold a content/ folder yet.
        dir: PathBuf,
    },
    /// Split a brief's raw source into claim fragments under content/claims/BRIEF/.
    Ingest {
        /// The brief id (content/briefs/BRIEF.yaml names its source).
        brief: String,
        /// The site root (the folder holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Remove fragments whose sentence no longer exists in the source.
        #[arg(long)]
        prune: bool,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Print what would be written (counts, warnings, the first
        /// fragments) without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Re-tag existing fragments after a vocabulary change (all briefs by default).
    Tag {
        /// Brief ids to re-tag; all when none is given.
        briefs: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print each tag of a claim with the alias or rule that produced it.
    Explain {
        /// The claim id.
        claim: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}
