//! The validated site: briefs, claims and vocabularies with every reference
//! resolved to an index, claims in reading order, and the indexes pages need
//! (claims per brief, claims per term including descendants). Immutable once
//! built; code after `validate` never meets an unknown term or brief.
//!
//! Claims are stored in reading order (brief by brief, by `order` within a
//! brief), so a sorted list of claim indexes is also in reading order.

use std::collections::HashMap;

use crate::content::config::SiteConfig;

/// Index of a claim in [`Site::claims`].
pub type ClaimIx = u32;
/// Index of a brief in [`Site::briefs`].
pub type BriefIx = u32;
/// Index of a term in its [`Taxonomy::terms`].
pub type TermIx = u32;

/// The claim kinds of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Claim,
    Recommendation,
    Statistic,
    Table,
    Definition,
}

impl Kind {
    /// Parses a contract kind name.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "claim" => Kind::Claim,
            "recommendation" => Kind::Recommendation,
            "statistic" => Kind::Statistic,
            "table" => Kind::Table,
            "definition" => Kind::Definition,
            _ => return None,
        })
    }

    /// The contract name, also used as a CSS class.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Recommendation => "recommendation",
            Kind::Statistic => "statistic",
            Kind::Table => "table",
            Kind::Definition => "definition",
        }
    }
}

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
    /// Term indexes per taxonomy, in [`crate::content::schema::TAXONOMIES`] order, as
    /// tagged (ancestors are not added here).
    pub tags: [Vec<TermIx>; 3],
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

/// One vocabulary term.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    pub parent: Option<TermIx>,
    pub children: Vec<TermIx>,
    /// Claims tagged with this term or any descendant, in reading order.
    pub claims: Vec<ClaimIx>,
    /// How many of `claims` carry this term itself.
    pub direct: usize,
}

/// One vocabulary (countries, technologies or policies).
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `countries`, `technologies` or `policies`: also the URL segment.
    pub name: &'static str,
    /// Display title, e.g. `Countries`.
    pub title: &'static str,
    /// Singular display name, e.g. `country`.
    pub singular: &'static str,
    pub terms: Vec<Term>,
    pub by_id: HashMap<String, TermIx>,
}

impl Taxonomy {
    /// The term with this id.
    pub fn get(&self, id: &str) -> Option<&Term> {
        self.by_id.get(id).map(|&i| &self.terms[i as usize])
    }

    /// The ancestors of a term, nearest first.
    pub fn ancestors(&self, t: TermIx) -> impl Iterator<Item = TermIx> + '_ {
        std::iter::successors(self.terms[t as usize].parent, |&p| {
            self.terms[p as usize].parent
        })
    }
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The three vocabularies, in [`crate::content::schema::TAXONOMIES`] order.
    pub taxonomies: Vec<Taxonomy>,
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
}

/// Results of the cross-referencing stage that runs between the model and
/// the render (`annotate`): related claims across briefs, the figures
/// claims state, co-occurrence, the country × policy matrix, brief overlap
/// and recommendations per policy. Empty by default: pages show a section
/// only when its data is present, and pages that exist only for it (term
/// intersections, recommendations) are planned only from it.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Per claim (indexed like [`Site::claims`]; may be shorter): hand-made
    /// links first (both directions), then related claims of other briefs,
    /// best first.
    pub related: Vec<Vec<RelatedClaim>>,
    /// Per claim (may be shorter): the figures it states, in order of
    /// appearance.
    pub figures: Vec<Vec<Figure>>,
    /// Per (taxonomy index, term): the rows of the term's figures table.
    pub term_figures: HashMap<(usize, TermIx), TermFigures>,
    /// Per (taxonomy index, term): the terms of the other taxonomies most
    /// often tagged together with it, largest first.
    pub cooccurring: HashMap<(usize, TermIx), Vec<CoTerm>>,
    /// The home page's country × policy matrix.
    pub matrix: Option<Matrix>,
    /// Pairs of terms of two taxonomies with the claims carrying both: one
    /// (paginated) page each. Only pairs linked from a co-occurrence list or
    /// the matrix are here, so their number is bounded by the vocabularies.
    pub pairs: Vec<TermPair>,
    /// Per brief (may be shorter): the other briefs its claims relate to,
    /// as (brief, claims of this brief related to it), most first.
    pub brief_overlap: Vec<Vec<(BriefIx, u32)>>,
    /// The taxonomy index of the policies, for [`Annotations::recommendations`].
    pub policy_taxonomy: Option<usize>,
    /// Per policy term (with descendants): its `recommendation` claims in
    /// reading order, hence grouped by brief. Only policies that have some.
    pub recommendations: HashMap<TermIx, Vec<ClaimIx>>,
    /// Time of each cross-referencing step in seconds, for `--timings`.
    pub timings: Vec<(&'static str, f64)>,
}

pub use crate::xref::Figure;

/// A related claim and why it is related.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedClaim {
    pub claim: ClaimIx,
    pub score: f32,
    /// Linked by `see_also`, in either direction.
    pub hand_made: bool,
    /// Words both claims use, most telling first.
    pub shared_terms: Vec<String>,
    /// Figures both claims state (normalised labels).
    pub shared_figures: Vec<String>,
}

/// A term's figures table: at most a bounded number of rows, chosen across
/// briefs, and how many there were in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermFigures {
    /// (claim, index into that claim's figures), ordered for display.
    pub rows: Vec<(ClaimIx, u32)>,
    /// Rows before the cap.
    pub total: usize,
}

/// A co-occurring term and the intersection page listing the claims that
/// carry both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoTerm {
    pub taxonomy: usize,
    pub term: TermIx,
    /// Claims carrying both terms.
    pub shared: usize,
    /// Index into [`Annotations::pairs`].
    pub pair: usize,
}

/// Two terms of different taxonomies (the first in the earlier taxonomy)
/// and the claims carrying both, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermPair {
    pub a: (usize, TermIx),
    pub b: (usize, TermIx),
    pub claims: Vec<ClaimIx>,
}

/// Claim counts for pairs of terms from two taxonomies.
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    /// Taxonomy index of the rows (normally countries).
    pub row_taxonomy: usize,
    /// Taxonomy index of the columns (normally policies).
    pub col_taxonomy: usize,
    pub rows: Vec<TermIx>,
    pub cols: Vec<TermIx>,
    /// `counts[r][c]` claims carry both `rows[r]` and `cols[c]`.
    pub counts: Vec<Vec<usize>>,
    /// `pairs[r][c]`: the intersection page of a non-empty cell (index into
    /// [`Annotations::pairs`]).
    pub pairs: Vec<Vec<Option<usize>>>,
}
