//! The shapes of every content file, exactly as written on disk (see
//! docs/content-format.md). They are lenient where the build wants to report
//! every problem at once: required keys are `Option` here, and `validate`
//! turns a missing one into a diagnostic. Unknown keys are rejected, so a
//! typo surfaces instead of being dropped.
//!
//! Claim front matter has one key per taxonomy of the site, so it is not a
//! fixed serde struct: [`RawClaim`] keeps the taxonomies' lists in a
//! [`TagSet`], and `fragment` reads and writes it.
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
    /// The site's taxonomies, in display order; the three defaults when
    /// absent.
    #[serde(default)]
    pub taxonomies: Option<Vec<RawTaxonomy>>,
    /// The two taxonomies of the home page's matrix (default: countries ×
    /// policies, when the site has both).
    #[serde(default)]
    pub matrix: Option<RawMatrix>,
}

/// One entry of `taxonomies:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTaxonomy {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub singular: Option<String>,
    /// Context rules that add the taxonomy's terms to a claim: `headings`,
    /// `previous`, `previous-topic`, `pairs` (see `content::taxonomy`).
    #[serde(default)]
    pub inherit: Option<Vec<String>>,
    /// Whether its terms get a page of their recommendation claims.
    #[serde(default)]
    pub recommendations: Option<bool>,
}

/// `matrix:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawMatrix {
    pub rows: Option<String>,
    pub columns: Option<String>,
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
    /// Aliases that name the term as a region or by its adjective
    /// ("Europe", "European"): they count only where the claim names none
    /// of the term's `members`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regional_aliases: Vec<String>,
    /// Ids of terms of the same taxonomy that belong to this one without
    /// being narrower terms (the member states of the European Union).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// A claim's term ids per taxonomy, keyed by taxonomy id, in the order
/// they were written or set. Two sets with the same lists are equal in any
/// order. A taxonomy without an entry had no key in the file.
#[derive(Debug, Clone, Default)]
pub struct TagSet {
    lists: Vec<(String, Vec<String>)>,
}

impl TagSet {
    /// An empty list for each of `taxonomies`.
    pub fn empty<'a>(taxonomies: impl IntoIterator<Item = &'a str>) -> TagSet {
        TagSet {
            lists: taxonomies
                .into_iter()
                .map(|t| (t.to_string(), Vec::new()))
                .collect(),
        }
    }

    /// The list of one taxonomy, if the set has one.
    pub fn get(&self, taxonomy: &str) -> Option<&Vec<String>> {
        self.lists
            .iter()
            .find(|(t, _)| t == taxonomy)
            .map(|(_, l)| l)
    }

    /// Sets the list of one taxonomy (in its place, or at the end).
    pub fn set(&mut self, taxonomy: &str, ids: Vec<String>) {
        match self.lists.iter_mut().find(|(t, _)| t == taxonomy) {
            Some((_, l)) => *l = ids,
            None => self.lists.push((taxonomy.to_string(), ids)),
        }
    }

    /// Whether the set has a list for `taxonomy`.
    pub fn has(&self, taxonomy: &str) -> bool {
        self.get(taxonomy).is_some()
    }

    /// (taxonomy, list) in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.lists.iter().map(|(t, l)| (t.as_str(), l.as_slice()))
    }

    /// Number of taxonomies with a list.
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    /// True when no taxonomy has a list.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

impl PartialEq for TagSet {
    fn eq(&self, other: &TagSet) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(t, l)| other.get(t).is_some_and(|o| o == l))
    }
}

/// The front matter of `content/claims/<brief>/*.md`; read and written by
/// `fragment`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawClaim {
    pub id: Option<String>,
    pub brief: Option<String>,
    pub order: Option<i64>,
    pub chapter: Option<String>,
    pub section: Option<Vec<String>>,
    pub paragraph: Option<i64>,
    pub kind: Option<String>,
    /// One list per taxonomy key present.
    pub tags: TagSet,
    pub cites: Option<Vec<String>>,
    pub see_also: Vec<String>,
    pub reviewed: Option<bool>,
    /// The tags the tagger produced last time, so that a person's additions
    /// and removals (the difference to `tags`) survive re-tagging.
    pub machine_tags: Option<TagSet>,
    /// Hash of the body as ingest wrote it: a body that no longer matches was
    /// edited by a person and is never overwritten.
    pub ingest_hash: Option<String>,
}
