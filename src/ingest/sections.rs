//! The section titles ingest knows by name: front and back matter kept out
//! of claims, notes and bibliography sections, author biographies.

/// Section titles kept out of claims by default (compared after
/// `hints::norm_title`; a title also matches when it ends with one of these).
pub const SKIP_SECTIONS: &[&str] = &[
    "abbreviations",
    "acronyms",
    "list of abbreviations",
    "table of contents",
    "contents",
    "acknowledgments",
    "acknowledgements",
    "about this perspective",
    "about this report",
    "about the publisher",
    "research integrity",
    "limited print and electronic distribution rights",
    "board of directors",
    "board of advisors",
    "board of trustees",
    "chairs and counselors",
    "copyright",
    "disclaimer",
    "spread the word",
];
pub const NOTES_SECTIONS: &[&str] = &["notes", "endnotes", "footnotes"];
pub const BIB_SECTIONS: &[&str] = &["references", "bibliography", "works cited", "sources cited"];
pub const ABOUT_SECTIONS: &[&str] = &[
    "about the author",
    "about the authors",
    "about the editors",
    "about the contributors",
];

pub fn matches_any(title: &str, list: &[&str], extra: &[String]) -> bool {
    list.contains(&title) || extra.iter().any(|s| title == s)
}
