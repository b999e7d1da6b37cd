//! The content format that ingest, tag and build share: the serde shapes of
//! every file under `content/` (`schema`), front matter and fragment files
//! (`frontmatter`, `fragment`), the site configuration (`config`), the
//! vocabularies (`vocab`) and the validated model the build produces
//! (`model`).

pub mod config;
pub mod fragment;
pub mod frontmatter;
pub mod model;
pub mod schema;
pub mod vocab;
