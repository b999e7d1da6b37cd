//! crossbrief: a static-site generator for policy research.
//!
//! The stages, each a folder:
//! - `content`: the content format shared by every stage (file shapes,
//!   fragments, vocabularies, the validated model);
//! - `build`: load, parse and validate `content/` into the model, and the
//!   stage sequence of `crossbrief build`;
//! - `xref`: cross-references between briefs, computed from the model;
//! - `render`: the page plan and every page kind, templates and URLs;
//! - `serve`: watch, incremental rebuilds and the dev server;
//! - `ingest`, `tag`, `init`: source documents to fragments, tagging, and
//!   the scaffold of a new site.

pub mod build;
pub mod cli;
pub mod content;
pub mod diag;
pub mod ingest;
pub mod init;
pub mod output;
pub mod render;
pub mod serve;
pub mod tag;
pub mod xref;
