//! The content format that ingest, tag and build share: acronyms as a text
//! defines them (`acronym`), finding the vocabularies' aliases and cues in
//! running text (`matcher`), the shapes of every
//! file under `content/` (`schema`), id rules (`ids`), claim kinds (`kind`),
//! the taxonomy table (`taxonomy`) and the vocabularies (`vocab`), front
//! matter and fragment files (`frontmatter`, `fragment`), the site
//! configuration (`config`), the rule that keeps every path inside the
//! site root (`paths`), and the validated model the build produces
//! from all of them (`model`).

pub mod acronym;
pub mod config;
pub mod fragment;
pub mod frontmatter;
pub mod ids;
pub mod kind;
pub mod matcher;
pub mod model;
pub mod paths;
pub mod schema;
pub mod taxonomy;
pub mod vocab;

/// One file of the site, read and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators
    /// (`content/claims/a/0001.md`).
    pub path: String,
    pub text: String,
}

/// The path of `p` relative to `root`, with `/` separators: how every
/// message and every output path names a file.
pub fn rel_path(root: &std::path::Path, p: &std::path::Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// English month names, January first: how dates read in citations and in
/// the figures cross-references compare.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
