//! Ingest: raw source documents to claim fragments. (Being written.)

use std::path::PathBuf;

/// What `crossbrief ingest` was asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub root: PathBuf,
    pub brief: String,
    pub prune: bool,
    pub quiet: bool,
}

/// What an ingest run did; `Display` prints the end-of-run summary.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {}

impl std::fmt::Display for IngestSummary {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

/// Ingests one brief.
pub fn run(opts: &IngestOptions) -> anyhow::Result<IngestSummary> {
    anyhow::bail!("ingest of `{}` is not available yet", opts.brief)
}
