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

#[derive(Debug, Subcommand)]
pub enum Command {
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
