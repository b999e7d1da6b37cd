//! The validated site: briefs, claims and vocabularies with every reference
//! resolved to an index, claims in reading order, and the indexes pages need
//! (claims per brief, claims per term including descendants). Immutable once
//! built; code after `validate` never meets an unknown term or brief.
//!
//! Claims are stored in reading order (brief by brief, by `order` within a
//! brief), so a sorted list of claim indexes is also in reading order.

use std::collections::HashMap;

use crate::content::config::SiteConfig;
pub use crate::content::kind::Kind;
pub use crate::content::vocab::{Taxonomy, Term, TermIx};

/// Index of a claim in [`Site::claims`].
pub type ClaimIx = u32;
/// Index of a brief in [`Site::briefs`].
pub type BriefIx = u32;

/// One chapter of an edited volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
}

/// One footnote or endnote of a brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    /// Markdown.
    pub text: String,
    /// Claims citing this note, in reading order.
    pub cited_by: Vec<ClaimIx>,
}

/// One brief (source document) and its claims.
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: String,
    /// The metadata file, relative to the site root.
    pub path: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub publisher: String,
    pub published: String,
    pub source: String,
    pub authors: Vec<String>,
    pub editors: Vec<String>,
    pub url: Option<String>,
    pub series: Option<String>,
    /// Markdown.
    pub summary: Option<String>,
    /// Markdown.
    pub about: Option<String>,
    pub chapters: Vec<Chapter>,
    /// In natural order of their ids (`2` before `10`).
    pub notes: Vec<Note>,
    pub note_by_id: HashMap<String, usize>,
    /// Markdown entries.
    pub bibliography: Vec<String>,
    /// This brief's claims in reading order.
    pub claims: Vec<ClaimIx>,
}

/// One claim.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    /// The fragment file, relative to the site root.
    pub path: String,
    pub brief: BriefIx,
    pub order: i64,
    /// Index into the brief's `chapters`.
    pub chapter: Option<usize>,
    pub section: Vec<String>,
    pub paragraph: Option<i64>,
    pub kind: Kind,
    /// Term indexes per taxonomy (indexed like [`Site::taxonomies`]), as
    /// tagged (ancestors are not added here).
    pub tags: Vec<Vec<TermIx>>,
    /// Indexes into the brief's `notes`.
    pub cites: Vec<usize>,
    /// Claims this one links to by hand.
    pub see_also: Vec<ClaimIx>,
    /// Claims that link to this one by hand (the reverse of `see_also`).
    pub seen_from: Vec<ClaimIx>,
    /// Markdown body.
    pub body: String,
    pub reviewed: bool,
}

/// The claims of one term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermClaims {
    /// Claims tagged with the term or any descendant, in reading order.
    pub claims: Vec<ClaimIx>,
    /// How many of `claims` carry the term itself.
    pub direct: usize,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The taxonomies of the table, in display order, with their
    /// vocabularies.
    pub taxonomies: Vec<Taxonomy>,
    /// Per taxonomy, per term: its claims.
    pub term_claims: Vec<Vec<TermClaims>>,
    /// Sorted by id.
    pub briefs: Vec<Brief>,
    /// In reading order.
    pub claims: Vec<Claim>,
    pub claim_by_id: HashMap<String, ClaimIx>,
}

impl Site {
    /// The brief of a claim.
    pub fn brief_of(&self, c: &Claim) -> &Brief {
        &self.briefs[c.brief as usize]
    }

    /// Term `t` of taxonomy `x`.
    pub fn term(&self, x: usize, t: TermIx) -> &Term {
        &self.taxonomies[x].terms[t as usize]
    }

    /// The claims of term `t` of taxonomy `x` (descendants included), in
    /// reading order.
    pub fn claims_of(&self, x: usize, t: TermIx) -> &[ClaimIx] {
        &self.term_claims[x][t as usize].claims
    }

    /// How many claims carry term `t` of taxonomy `x` itself.
    pub fn direct(&self, x: usize, t: TermIx) -> usize {
        self.term_claims[x][t as usize].direct
    }

    /// Fills [`Site::term_claims`] from the claims' tags: a claim tagged with
    /// a term is listed on that term and all its ancestors, once each, in
    /// reading order.
    pub fn index_terms(&mut self) {
        self.term_claims = self
            .taxonomies
            .iter()
            .map(|t| vec![TermClaims::default(); t.terms.len()])
            .collect();
        let mut seen: Vec<TermIx> = Vec::new();
        // Per taxonomy, per term: the last claim (plus one) that listed it,
        // so "already listed for this claim" is one comparison.
        let mut mark: Vec<Vec<u32>> = self
            .taxonomies
            .iter()
            .map(|t| vec![0; t.terms.len()])
            .collect();
        for (ci, claim) in self.claims.iter().enumerate() {
            let stamp = ci as u32 + 1;
            for (x, tags) in claim.tags.iter().enumerate() {
                let (tax, index) = (&self.taxonomies[x], &mut self.term_claims[x]);
                let mark = &mut mark[x];
                seen.clear();
                for &t in tags {
                    index[t as usize].direct += 1;
                    // A walk up stops at the first term already listed:
                    // its ancestors are listed too.
                    for u in std::iter::once(t).chain(tax.ancestors(t)) {
                        if mark[u as usize] == stamp {
                            break;
                        }
                        mark[u as usize] = stamp;
                        seen.push(u);
                    }
                }
                for &u in &seen {
                    index[u as usize].claims.push(ci as ClaimIx);
                }
            }
        }
    }
}
