//! crossbrief: a static-site generator for policy research.
//!
//! Source documents are ingested into claim-level Markdown fragments
//! (`ingest`), tagged against controlled vocabularies (`tag`), and built into
//! a linked static site. The content contract is CONTENT-FORMAT.md; the
//! shapes of its files are in `schema`.

pub mod cli;
pub mod fragment;
pub mod frontmatter;
pub mod ingest;
pub mod schema;
pub mod tag;
pub mod xref;
