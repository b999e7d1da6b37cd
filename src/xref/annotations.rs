//! What the cross-reference stage hands to the render: related claims,
//! figures, co-occurrence, intersection pairs, the matrix, brief overlap and
//! recommendations, every one of them by index into the model.

use std::collections::HashMap;

use crate::content::model::{BriefIx, ClaimIx, TermIx};
use crate::xref::Figure;

/// Results of the cross-referencing stage that runs between the model and
/// the render: related claims across briefs, the figures
/// claims state, co-occurrence, the matrix of two taxonomies, brief overlap
/// and recommendations per term. Empty by default: pages show a section
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
    /// Per claim (may be shorter): related claims of other briefs whose
    /// recommendation on a shared policy points the other way, ascending.
    pub opposing: Vec<Vec<ClaimIx>>,
    /// Per claim (may be shorter): its figures compared with other briefs'
    /// ([`Compared`] of every term, this claim's side as `a`).
    pub figures_compared: Vec<Vec<Compared>>,
    /// Per (taxonomy index, term): the rows of the term's figures table.
    pub term_figures: HashMap<(usize, TermIx), TermFigures>,
    /// Per (taxonomy index, term): the terms of the other taxonomies most
    /// often tagged together with it, largest first.
    pub cooccurring: HashMap<(usize, TermIx), Vec<CoTerm>>,
    /// The home page's matrix (by default countries × policies).
    pub matrix: Option<Matrix>,
    /// Pairs of terms of two taxonomies with the claims carrying both: one
    /// (paginated) page each. Only pairs linked from a co-occurrence list or
    /// the matrix are here, so their number is bounded by the vocabularies.
    pub pairs: Vec<TermPair>,
    /// Per brief (may be shorter): the other briefs its claims relate to,
    /// as (brief, claims of this brief related to it), most first.
    pub brief_overlap: Vec<Vec<(BriefIx, u32)>>,
    /// Per (taxonomy index, term) of a taxonomy with recommendation pages
    /// (descendants included): its `recommendation` claims in reading
    /// order, hence grouped by brief. Only terms that have some.
    pub recommendations: HashMap<(usize, TermIx), Vec<ClaimIx>>,
    /// Time of each cross-referencing step in seconds, for `--timings`.
    pub timings: Vec<(&'static str, f64)>,
}

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
    /// (claim, index into that claim's figures), ordered for display: the
    /// figures stated about the term (or a narrower one).
    pub rows: Vec<(ClaimIx, u32)>,
    /// Rows before the cap.
    pub total: usize,
    /// Figures of the term's claims stated about something else, or whose
    /// subject the claim leaves unclear: "mentioned alongside".
    pub alongside: Vec<(ClaimIx, u32)>,
    pub alongside_total: usize,
    /// Figures of two briefs for the same quantity of the term: "figures
    /// compared", disagreements first.
    pub compared: Vec<Compared>,
}

/// Two figures from different briefs stated about the same subject, of
/// the same kind and unit, that measure the same quantity (words around
/// them agree): whether the briefs agree on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compared {
    /// (claim, index into its figures), the earlier claim first.
    pub a: (ClaimIx, u32),
    pub b: (ClaimIx, u32),
    /// Values within 5% of each other.
    pub agree: bool,
    /// The subject both are stated about.
    pub subject: (usize, TermIx),
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
