//! crossbrief: a static-site generator for policy research.
//!
//! Source documents are ingested into claim-level Markdown fragments
//! (`ingest`), tagged against controlled vocabularies (`tag`), and built into
//! a linked static site (`pipeline`: load, parse, validate, model, render,
//! write). The content contract is CONTENT-FORMAT.md; the shapes of its files
//! are in `schema`.

pub mod annotate;
pub mod cli;
pub mod config;
pub mod context;
pub mod diag;
pub mod fragment;
pub mod frontmatter;
pub mod highlight;
pub mod ingest;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod schema;
pub mod serve;
pub mod snippets;
pub mod tag;
pub mod taxonomy;
pub mod theme;
pub mod urls;
pub mod validate;
pub mod xref;
