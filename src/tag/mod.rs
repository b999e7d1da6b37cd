//! Tagging: controlled vocabularies and explainable tags. (Being written.)

use std::path::{Path, PathBuf};

use crate::fragment::Fragment;

/// What `crossbrief tag` was asked to do.
#[derive(Debug, Clone)]
pub struct TagOptions {
    pub root: PathBuf,
    /// Brief ids; all briefs when empty.
    pub briefs: Vec<String>,
}

/// What a re-tagging run changed; `Display` prints it per term.
#[derive(Debug, Clone, Default)]
pub struct TagReport {}

impl std::fmt::Display for TagReport {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

/// Re-tags existing fragments.
pub fn run(_opts: &TagOptions) -> anyhow::Result<TagReport> {
    anyhow::bail!("tagging is not available yet")
}

/// Explains the tags of one claim.
pub fn explain(_root: &Path, claim: &str) -> anyhow::Result<String> {
    anyhow::bail!("explain `{claim}` is not available yet")
}

/// Tags the fragments of one brief, given in `order`. Ingest calls this for
/// the fragments it writes. Hand-edited fragments keep a person's changes.
pub fn apply_tags(_root: &Path, fragments: &mut [Fragment]) -> anyhow::Result<()> {
    for f in fragments {
        let tags = f.tags();
        f.set_tags(tags);
    }
    Ok(())
}
