//! Cross-references between briefs: related claims (text similarity, shared
//! figures and shared tags, plus hand-made `see_also` links), the figures
//! each claim states, term co-occurrence, the country × policy matrix, brief
//! overlap and recommendations per policy.
//!
//! This is the computational core only: it takes borrowed claims and the
//! vocabularies' parent links and returns owned, index-based results. Pages
//! and templates are the build's business. Results are deterministic: the
//! same claims in the same order give the same `Xref`, whatever the thread
//! count.
//!
//! - `text`: words and stop words; `stem`: the Porter stemmer
//! - `figures`: money, percentages, counts and years
//! - `index`: BM25 vectors and the inverted index
//! - `related`: candidate search and scoring
//! - `cooc`: tag aggregates

pub mod cooc;
pub mod figures;
pub mod index;
pub mod related;
pub mod site;
pub mod stem;
pub mod text;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::content::schema::RawTerm;

pub use figures::{Figure, FigureKind};

/// One of the three taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Countries,
    Technologies,
    Policies,
}

impl Taxonomy {
    /// All three, in the order of `schema::TAXONOMIES`.
    pub const ALL: [Taxonomy; 3] = [
        Taxonomy::Countries,
        Taxonomy::Technologies,
        Taxonomy::Policies,
    ];

    /// The taxonomy's name as in `schema::TAXONOMIES` and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Taxonomy::Countries => "countries",
            Taxonomy::Technologies => "technologies",
            Taxonomy::Policies => "policies",
        }
    }
}

/// A term of one taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TermKey {
    pub taxonomy: Taxonomy,
    pub id: String,
}

impl TermKey {
    /// The term `id` of `taxonomy`.
    pub fn new(taxonomy: Taxonomy, id: &str) -> TermKey {
        TermKey {
            taxonomy,
            id: id.to_string(),
        }
    }
}

/// One claim as the cross-referencer sees it, borrowed from the site model.
#[derive(Debug, Clone, Copy)]
pub struct XrefClaim<'a> {
    pub id: &'a str,
    pub brief: &'a str,
    /// Position in its brief (the front matter's `order`).
    pub order: usize,
    /// Heading path, outermost first.
    pub section: &'a [String],
    /// `claim`, `recommendation`, `statistic`, `table` or `definition`.
    pub kind: &'a str,
    /// The Markdown body.
    pub text: &'a str,
    pub countries: &'a [String],
    pub technologies: &'a [String],
    pub policies: &'a [String],
    /// Claim ids linked by hand.
    pub see_also: &'a [String],
}

impl<'a> XrefClaim<'a> {
    /// The claim's tags of one taxonomy.
    pub fn tags(&self, taxonomy: Taxonomy) -> &'a [String] {
        match taxonomy {
            Taxonomy::Countries => self.countries,
            Taxonomy::Technologies => self.technologies,
            Taxonomy::Policies => self.policies,
        }
    }
}

/// The parent of each term that has one, per taxonomy (child id -> parent id).
#[derive(Debug, Clone, Default)]
pub struct Vocab<'a> {
    pub countries: HashMap<&'a str, &'a str>,
    pub technologies: HashMap<&'a str, &'a str>,
    pub policies: HashMap<&'a str, &'a str>,
}

impl<'a> Vocab<'a> {
    /// The parent links of the three taxonomy files' terms.
    pub fn from_terms(
        countries: &'a [RawTerm],
        technologies: &'a [RawTerm],
        policies: &'a [RawTerm],
    ) -> Vocab<'a> {
        let links = |terms: &'a [RawTerm]| -> HashMap<&'a str, &'a str> {
            terms
                .iter()
                .filter_map(|t| Some((t.id.as_deref()?, t.parent.as_deref()?)))
                .collect()
        };
        Vocab {
            countries: links(countries),
            technologies: links(technologies),
            policies: links(policies),
        }
    }

    /// The parent links of one taxonomy.
    pub fn parents(&self, taxonomy: Taxonomy) -> &HashMap<&'a str, &'a str> {
        match taxonomy {
            Taxonomy::Countries => &self.countries,
            Taxonomy::Technologies => &self.technologies,
            Taxonomy::Policies => &self.policies,
        }
    }
}

/// Tuning knobs; `Default` is what the site uses.
#[derive(Debug, Clone)]
pub struct XrefOptions {
    /// At most this many related claims per claim, hand-made ones included
    /// (hand-made links are never dropped, even beyond this).
    pub max_related: usize,
    /// Minimum score of an automatic related claim.
    pub threshold: f32,
    /// Stems and figures in more claims than this do not drive the
    /// candidate search (they still count in the score). `None`: 1,000.
    pub max_df: Option<usize>,
    /// Candidates scored in full per claim.
    pub candidates: usize,
    /// Rare stems of a claim that drive its candidate search (the ones
    /// with the largest weights).
    pub query_terms: usize,
    /// Postings read per claim in the candidate search, at most.
    pub max_postings: usize,
    /// Rows (countries) and columns (policies) of the matrix.
    pub matrix_countries: usize,
    pub matrix_policies: usize,
    /// Shared stems shown as the "why" of a related claim.
    pub why_terms: usize,
    /// At most this many automatic related claims from one brief while
    /// claims of other briefs also reach the threshold (0: no limit).
    pub max_per_brief: usize,
}

impl Default for XrefOptions {
    fn default() -> Self {
        XrefOptions {
            max_related: 5,
            threshold: 0.09,
            max_df: None,
            candidates: 16,
            query_terms: 16,
            max_postings: 500,
            matrix_countries: 12,
            matrix_policies: 13,
            why_terms: 3,
            max_per_brief: 2,
        }
    }
}

/// A related claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// Index of the related claim in the input slice.
    pub claim: usize,
    pub score: f32,
    /// Linked by `see_also` (in either direction).
    pub hand_made: bool,
    /// Words both claims use, most telling first (surface forms).
    pub shared_terms: Vec<String>,
    /// Figures both claims state (normalised labels).
    pub shared_figures: Vec<String>,
}

/// The country × policy matrix: `counts[r][c]` claims carry country `r`
/// and policy `c` (ancestors included).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Matrix {
    /// (term id, claims) of each row, most claims first.
    pub countries: Vec<(String, u32)>,
    /// (term id, claims) of each column, most claims first.
    pub policies: Vec<(String, u32)>,
    pub counts: Vec<Vec<u32>>,
}

/// Claims of one brief, in brief order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefGroup {
    pub brief: String,
    pub claims: Vec<usize>,
}

/// How one section of a brief connects to other briefs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionOverlap {
    pub section: Vec<String>,
    pub claims: u32,
    /// Claims with at least one related claim in another brief.
    pub with_related: u32,
}

/// How one brief connects to the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BriefOverlap {
    /// Other briefs with how many of this brief's claims relate to them,
    /// most first, then by brief id.
    pub others: Vec<(String, u32)>,
    /// Sections in brief order.
    pub sections: Vec<SectionOverlap>,
}

/// Everything computed; claim numbers index the input slice. Not itself
/// serialisable (its maps are keyed by `TermKey`): pages borrow its parts.
#[derive(Debug, Clone, Default)]
pub struct Xref {
    /// Per claim: hand-made links first, then the automatic ones, best first.
    pub related: Vec<Vec<Related>>,
    /// Per claim: the figures it states, in order of appearance.
    pub figures: Vec<Vec<Figure>>,
    /// Per term: claims carrying it or a descendant, ascending.
    pub term_claims: BTreeMap<TermKey, Vec<u32>>,
    /// Per term: terms of the other taxonomies on the same claims, with the
    /// number of such claims, most first.
    pub cooccurring: BTreeMap<TermKey, Vec<(TermKey, u32)>>,
    pub matrix: Matrix,
    /// Per brief id.
    pub brief_overlap: BTreeMap<String, BriefOverlap>,
    /// Per policy id: its `recommendation` claims grouped by brief.
    pub recommendations: BTreeMap<String, Vec<BriefGroup>>,
    /// (claim, id) of `see_also` ids that name no claim, for diagnostics.
    pub unresolved_see_also: Vec<(usize, String)>,
    /// Wall time of each step in seconds, for `--timings`.
    pub timings: Vec<(&'static str, f64)>,
}

/// Lap timer for [`Xref::timings`].
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

impl Xref {
    /// The figures stated by the claims of a term (ancestors included), as
    /// (claim, figure) in claim order: the rows of a term page's figures
    /// table.
    pub fn term_figures(&self, term: &TermKey) -> Vec<(usize, &Figure)> {
        self.term_claims.get(term).map_or_else(Vec::new, |claims| {
            claims
                .iter()
                .flat_map(|&c| {
                    self.figures[c as usize]
                        .iter()
                        .map(move |f| (c as usize, f))
                })
                .collect()
        })
    }

    /// Claims carrying both terms (ancestors included), ascending: the list
    /// a matrix cell or a co-occurrence entry links to.
    pub fn claims_with_both(&self, a: &TermKey, b: &TermKey) -> Vec<u32> {
        match (self.term_claims.get(a), self.term_claims.get(b)) {
            (Some(x), Some(y)) => cooc::intersect(x, y),
            _ => Vec::new(),
        }
    }
}

/// Computes all cross-references of a corpus.
pub fn compute(claims: &[XrefClaim<'_>], vocab: &Vocab<'_>, opts: &XrefOptions) -> Xref {
    let mut clock = Clock::new();
    // Each text is cleaned once, for figures and for the text index.
    let (cleaned, figures): (Vec<Cow<'_, str>>, Vec<Vec<Figure>>) = claims
        .par_iter()
        .map(|c| {
            let cleaned = text::clean(c.text);
            let figures = figures::extract_cleaned(&cleaned);
            (cleaned, figures)
        })
        .unzip();

    // Interned figure keys, briefs and direct tags, in first-seen order.
    let mut fig_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut fig_bonus: Vec<f32> = Vec::new();
    let mut fig_labels: Vec<&str> = Vec::new();
    let mut fig_postings: Vec<Vec<u32>> = Vec::new();
    let mut figs = related::Lists::new();
    for (i, list) in figures.iter().enumerate() {
        let mut ids: Vec<u32> = list
            .iter()
            .map(|f| {
                let next = fig_ids.len() as u32;
                *fig_ids.entry(f.key.as_str()).or_insert_with(|| {
                    fig_bonus.push(match f.kind {
                        FigureKind::Year if f.key.contains('-') => related::DATE_BONUS,
                        FigureKind::Year => related::YEAR_BONUS,
                        _ => related::FIGURE_BONUS,
                    });
                    fig_labels.push(f.label.as_str());
                    fig_postings.push(Vec::new());
                    next
                })
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for &f in &ids {
            fig_postings[f as usize].push(i as u32);
        }
        figs.push(&ids);
    }
    drop(fig_ids);

    let mut brief_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let brief: Vec<u32> = claims
        .iter()
        .map(|c| {
            let next = brief_ids.len() as u32;
            *brief_ids.entry(c.brief).or_insert(next)
        })
        .collect();
    let mut tag_ids: FxHashMap<(Taxonomy, &str), u32> = FxHashMap::default();
    let mut tags = related::Lists::new();
    let mut ids: Vec<u32> = Vec::new();
    for c in claims {
        ids.clear();
        for t in Taxonomy::ALL {
            for id in c.tags(t) {
                let next = tag_ids.len() as u32;
                ids.push(*tag_ids.entry((t, id.as_str())).or_insert(next));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        tags.push(&ids);
    }
    drop(tag_ids);

    clock.lap("figures");
    let texts: Vec<&str> = cleaned.iter().map(|t| t.as_ref()).collect();
    let index = index::TextIndex::build_cleaned(&texts);
    clock.lap("text index");
    drop(texts);
    drop(cleaned);
    let ids: Vec<&str> = claims.iter().map(|c| c.id).collect();
    let features = related::Features {
        index: &index,
        brief: &brief,
        figs: &figs,
        fig_bonus: &fig_bonus,
        fig_postings: &fig_postings,
        tags: &tags,
        ids: &ids,
    };
    let search = related::Search {
        threshold: opts.threshold,
        max_related: opts.max_related,
        max_df: opts.max_df.unwrap_or(1000),
        candidates: opts.candidates.max(opts.max_related),
        query_terms: opts.query_terms,
        max_postings: opts.max_postings,
        max_per_brief: opts.max_per_brief,
    };
    let auto = features.related_all(search);
    clock.lap("related search");

    let (hand, unresolved_see_also) = hand_links(claims);
    let related: Vec<Vec<Related>> = auto
        .into_par_iter()
        .enumerate()
        // As in the search: few jobs, each with a slot per term for the
        // claim's vector, against which each related claim is read.
        .with_min_len(1024)
        .map_init(
            || vec![0.0f32; index.terms()],
            |dense, (i, auto)| {
                features.warm(
                    hand[i]
                        .iter()
                        .copied()
                        .chain(auto.iter().map(|&(j, _)| j as usize)),
                );
                let spread = index.spread(i, dense);
                let why = |j: usize, score: f32, hand_made: bool| Related {
                    claim: j,
                    score,
                    hand_made,
                    shared_terms: if spread {
                        index.shared_labels_spread(dense, j, opts.why_terms)
                    } else {
                        index.shared_labels(i, j, opts.why_terms)
                    },
                    shared_figures: features
                        .shared_figures(i, j)
                        .into_iter()
                        .map(|f| fig_labels[f as usize].to_string())
                        .collect(),
                };
                let mut out: Vec<Related> = hand[i]
                    .iter()
                    .map(|&j| why(j, features.score(i, j), true))
                    .collect();
                let room = opts.max_related.saturating_sub(out.len());
                out.extend(
                    auto.into_iter()
                        .filter(|(j, _)| !hand[i].contains(&(*j as usize)))
                        .take(room)
                        .map(|(j, s)| why(j as usize, s, false)),
                );
                if spread {
                    index.unspread(i, dense);
                }
                out
            },
        )
        .collect();
    drop(index);
    clock.lap("related lists");

    let stats = cooc::TagStats::build(claims, vocab);
    let brief_overlap = brief_overlap(claims, &related);
    let matrix = stats.matrix(opts.matrix_countries, opts.matrix_policies);
    let cooccurring = stats.cooccurring();
    let recommendations = stats.recommendations(claims);
    let term_claims = stats.term_claims();
    clock.lap("tag aggregates");
    Xref {
        matrix,
        cooccurring,
        recommendations,
        term_claims,
        timings: clock.laps,
        brief_overlap,
        related,
        figures,
        unresolved_see_also,
    }
}

/// Per claim, its hand-made links: its own `see_also` in written order,
/// then claims that name it, in input order; never itself, never twice.
fn hand_links(claims: &[XrefClaim<'_>]) -> (Vec<Vec<usize>>, Vec<(usize, String)>) {
    let by_id: FxHashMap<&str, usize> = claims.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); claims.len()];
    let mut back: Vec<Vec<usize>> = vec![Vec::new(); claims.len()];
    let mut unresolved = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        for target in c.see_also {
            match by_id.get(target.as_str()) {
                Some(&j) if j != i => {
                    own[i].push(j);
                    back[j].push(i);
                }
                Some(_) => {}
                None => unresolved.push((i, target.clone())),
            }
        }
    }
    let links = own
        .into_iter()
        .zip(back)
        .map(|(mut mine, theirs)| {
            for j in theirs {
                mine.push(j);
            }
            let mut seen = std::collections::HashSet::new();
            mine.retain(|j| seen.insert(*j));
            mine
        })
        .collect();
    (links, unresolved)
}

/// Per brief: the other briefs its claims relate to, and per section how
/// many claims have a related claim in another brief.
fn brief_overlap(
    claims: &[XrefClaim<'_>],
    related: &[Vec<Related>],
) -> BTreeMap<String, BriefOverlap> {
    // Brief ids in order, and each claim's brief as its rank among them,
    // so that claims sort and briefs count by number.
    let mut names: Vec<&str> = claims.iter().map(|c| c.brief).collect();
    names.sort_unstable();
    names.dedup();
    let ranks: FxHashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(k, &b)| (b, k as u32))
        .collect();
    let rank: Vec<u32> = claims.iter().map(|c| ranks[c.brief]).collect();
    drop(ranks);
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_unstable_by_key(|&i| (rank[i], claims[i].order, i));

    let mut out: BTreeMap<String, BriefOverlap> = BTreeMap::new();
    // Per other brief: how many of the current brief's claims relate to it.
    let mut counts: Vec<u32> = vec![0; names.len()];
    let mut others: Vec<u32> = Vec::new();
    for run in order.chunk_by(|&a, &b| rank[a] == rank[b]) {
        let own = rank[run[0]];
        let mut overlap = BriefOverlap::default();
        counts.fill(0);
        for &i in run {
            others.clear();
            others.extend(
                related[i]
                    .iter()
                    .map(|r| rank[r.claim])
                    .filter(|&b| b != own),
            );
            others.sort_unstable();
            others.dedup();
            for &o in &others {
                counts[o as usize] += 1;
            }
            let hit = u32::from(!others.is_empty());
            let section = claims[i].section;
            match overlap.sections.last_mut() {
                Some(s) if s.section.as_slice() == section => {
                    s.claims += 1;
                    s.with_related += hit;
                }
                _ => overlap.sections.push(SectionOverlap {
                    section: section.to_vec(),
                    claims: 1,
                    with_related: hit,
                }),
            }
        }
        let mut ranked: Vec<(String, u32)> = counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(b, &n)| (names[b].to_string(), n))
            .collect();
        ranked.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        overlap.others = ranked;
        out.insert(names[own as usize].to_string(), overlap);
    }
    out
}

#[cfg(test)]
mod tests;
