//! The serde shapes of every content file, exactly as written on disk
//! (see CONTENT-FORMAT.md). They are lenient where the build wants to report
//! every problem at once: required keys are `Option` here, and `validate`
//! turns a missing one into a diagnostic. Unknown keys are rejected, so a
//! typo surfaces instead of being dropped.
//!
//! Shared by the build (reading), ingest (writing briefs and fragments) and
//! tagging (reading vocabularies, re-writing tags).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `content/site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSiteConfig {
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Absolute URL the site is published under, e.g.
    /// `https://example.org/briefs-site/`. Used for sitemap.xml and
    /// canonical links; page-to-page links stay relative.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    /// The author line shown in the footer.
    #[serde(default)]
    pub author: Option<String>,
    /// Claims per term page before the page is split (default 200).
    #[serde(default)]
    pub term_page_size: Option<usize>,
}

/// One chapter of an edited volume (`chapters:` in a brief).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawChapter {
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
}

/// `content/briefs/<brief>.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBrief {
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    pub publisher: Option<String>,
    /// `YYYY-MM` or `YYYY-MM-DD` (a bare year is accepted as `YYYY`).
    pub published: Option<String>,
    /// Path of the raw source under `content/sources/`.
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Markdown: what the brief is about, shown on its page and in lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Markdown: "about the authors" and similar text kept out of claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<RawChapter>,
    /// Footnotes and endnotes, keyed by a note id unique within the brief.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
    /// Bibliography entries, in the source's order (Markdown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bibliography: Vec<String>,
    /// Per-source hints for `crossbrief ingest`; the build ignores them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingest: Option<serde_yaml::Value>,
}

/// One term of `content/taxonomy/<taxonomy>.yaml` (the file is a list).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Surface forms that mean this term in running text.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Phrases that signal the topic without naming it (policies mostly).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
    /// Longer phrases containing an alias that do NOT mean this term
    /// ("American Academy of Arts and Sciences").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_phrases: Vec<String>,
}

/// The three taxonomies, in the order pages and tags list them.
pub const TAXONOMIES: [&str; 3] = ["countries", "technologies", "policies"];

/// The tags a claim carries, one list per taxonomy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TagSet {
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub policies: Vec<String>,
}

impl TagSet {
    /// The list of one taxonomy by its name in [`TAXONOMIES`].
    pub fn get(&self, taxonomy: &str) -> Option<&Vec<String>> {
        match taxonomy {
            "countries" => Some(&self.countries),
            "technologies" => Some(&self.technologies),
            "policies" => Some(&self.policies),
            _ => None,
        }
    }

    /// Mutable access to the list of one taxonomy.
    pub fn get_mut(&mut self, taxonomy: &str) -> Option<&mut Vec<String>> {
        match taxonomy {
            "countries" => Some(&mut self.countries),
            "technologies" => Some(&mut self.technologies),
            "policies" => Some(&mut self.policies),
            _ => None,
        }
    }
}

/// The front matter of `content/claims/<brief>/*.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub id: Option<String>,
    pub brief: Option<String>,
    pub order: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    pub section: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<i64>,
    pub kind: Option<String>,
    pub countries: Option<Vec<String>>,
    pub technologies: Option<Vec<String>>,
    pub policies: Option<Vec<String>>,
    pub cites: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub see_also: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<bool>,
    /// The tags the tagger produced last time, so that a person's additions
    /// and removals (the difference to the lists above) survive re-tagging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_tags: Option<TagSet>,
    /// Hash of the body as ingest wrote it: a body that no longer matches was
    /// edited by a person and is never overwritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingest_hash: Option<String>,
}

/// The claim kinds of the contract.
pub const KINDS: [&str; 5] = [
    "claim",
    "recommendation",
    "statistic",
    "table",
    "definition",
];
