//! Cross-references between briefs, computed from the validated model:
//! related claims (text similarity, shared figures and shared tags, plus
//! hand-made `see_also` links), the figures each claim states, term
//! co-occurrence and the pairs of terms pages link to, the matrix of two
//! taxonomies, brief overlap and recommendations per term. Input and
//! output are indexes into the model ([`Annotations`]); ids are read only
//! to break ties, so results are deterministic: the same site gives the same
//! annotations, whatever the thread count.
//!
//! - `text`: words and stop words; `stem`: the Porter stemmer
//! - `figures`: money, percentages, counts and years
//! - `index`: BM25 vectors and the inverted index
//! - `related`: candidate search and scoring
//! - `cooc`: tag aggregates (co-occurrence, matrix, pairs, recommendations)
//! - `annotations`: the result types

pub mod annotations;
pub mod concepts;
pub mod cooc;
pub mod figures;
mod incremental;
pub mod index;
pub mod related;
pub mod stem;
pub mod text;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::model::{BriefIx, ClaimIx, Site};

pub use annotations::{Annotations, CoTerm, Compared, Matrix, RelatedClaim, TermFigures, TermPair};
pub use figures::{Figure, FigureKind};
pub use incremental::XrefState;

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
    /// Rows and columns of the matrix (normally countries and policies).
    pub matrix_rows: usize,
    pub matrix_cols: usize,
    /// Shared stems shown as the "why" of a related claim.
    pub why_terms: usize,
    /// At most this many automatic related claims from one brief while
    /// claims of other briefs also reach the threshold (0: no limit).
    pub max_per_brief: usize,
    /// Co-occurring terms listed (and linked) per other taxonomy on a term
    /// page.
    pub cooccurring_per_taxonomy: usize,
    /// Rows of a term's figures table, at most.
    pub term_figure_rows: usize,
}

impl Default for XrefOptions {
    fn default() -> Self {
        XrefOptions {
            max_related: 5,
            threshold: 0.12,
            max_df: None,
            candidates: 16,
            query_terms: 16,
            max_postings: 500,
            matrix_rows: 12,
            matrix_cols: 13,
            why_terms: 3,
            max_per_brief: 2,
            cooccurring_per_taxonomy: 6,
            term_figure_rows: 100,
        }
    }
}

/// Lap timer for [`Annotations::timings`].
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

/// Cross-references of `site` with the default options.
pub fn annotate(site: &Site) -> Annotations {
    compute(site, &XrefOptions::default())
}

/// Computes all cross-references of a site.
pub fn compute(site: &Site, opts: &XrefOptions) -> Annotations {
    let mut clock = Clock::new();
    let claims = &site.claims;
    // Each text is cleaned once, for figures and for the text index.
    let concepts = concepts::Concepts::new(site);
    let read: Vec<(String, Vec<Figure>, Vec<concepts::Mention<'_>>)> = claims
        .par_iter()
        .map(|c| read_claim(&concepts, c.brief, &c.body))
        .collect();
    let mut cleaned: Vec<String> = Vec::with_capacity(read.len());
    let mut figures: Vec<Vec<Figure>> = Vec::with_capacity(read.len());
    let mut mentions: Vec<Vec<concepts::Mention<'_>>> = Vec::with_capacity(read.len());
    for (t, f, m) in read {
        cleaned.push(t);
        figures.push(f);
        mentions.push(m);
    }

    // Interned figure keys in first-seen order.
    let mut fig_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut fig_bonus: Vec<u32> = Vec::new();
    let mut fig_labels: Vec<&str> = Vec::new();
    let mut fig_postings: Vec<Vec<u32>> = Vec::new();
    let mut figs = related::Lists::new();
    let mut fig_order = related::Lists::new();
    for (i, list) in figures.iter().enumerate() {
        let mut ids: Vec<u32> = list
            .iter()
            .map(|f| {
                let next = fig_ids.len() as u32;
                *fig_ids.entry(f.key.as_str()).or_insert_with(|| {
                    fig_bonus.push(related::bonus_of(f));
                    fig_labels.push(f.label.as_str());
                    fig_postings.push(Vec::new());
                    next
                })
            })
            .collect();
        fig_order.push(&ids);
        ids.sort_unstable();
        ids.dedup();
        for &f in &ids {
            fig_postings[f as usize].push(i as u32);
        }
        figs.push(&ids);
    }
    drop(fig_ids);

    let tags = tag_lists(site);
    let brief: Vec<u32> = claims.iter().map(|c| c.brief).collect();

    clock.lap("figures");
    let texts: Vec<&str> = cleaned.iter().map(String::as_str).collect();
    let index = index::TextIndex::build_with_concepts(&texts, &mentions);
    clock.lap("text index");
    drop(texts);
    drop(cleaned);
    drop(mentions);
    let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
    let features = related::Features {
        index: &index,
        brief: &brief,
        figs: &figs,
        fig_order: &fig_order,
        fig_bonus: &fig_bonus,
        fig_postings: &fig_postings,
        tags: &tags,
        ids: &ids,
    };
    let search = search_of(opts);
    let auto = features.related_all(search);
    clock.lap("related search");

    let hand = hand_links(site);
    let all: Vec<usize> = (0..claims.len()).collect();
    let related = related_lists(
        &features,
        &hand,
        &|i| &auto[i],
        &|f| fig_labels[f as usize],
        &all,
        opts,
    );
    drop(auto);
    drop(index);
    clock.lap("related lists");

    let (brief_overlap, aggregates) = tag_aggregates(site, &related, &figures, opts);
    clock.lap("tag aggregates");
    Annotations {
        related,
        figures,
        brief_overlap,
        timings: clock.laps,
        ..aggregates
    }
}

/// A claim's text as the index reads it (cleaned, then normalised as the
/// vocabulary matcher reads text), its figures and its concepts.
fn read_claim<'c>(
    concepts: &'c concepts::Concepts,
    brief: BriefIx,
    body: &str,
) -> (String, Vec<Figure>, Vec<concepts::Mention<'c>>) {
    let cleaned = text::clean(body);
    let mut figures = figures::extract_cleaned(&cleaned);
    let normal = crate::content::matcher::normalise(&cleaned);
    let mentions = concepts.mentions(brief, &normal);
    concepts::attribute(&normal, &mut figures, &mentions);
    (normal, figures, mentions)
}

/// The search's tuning from the options.
fn search_of(opts: &XrefOptions) -> related::Search {
    related::Search {
        threshold: opts.threshold,
        max_related: opts.max_related,
        max_df: opts.max_df.unwrap_or(1000),
        candidates: opts.candidates.max(opts.max_related),
        query_terms: opts.query_terms,
        max_postings: opts.max_postings,
        max_per_brief: opts.max_per_brief,
    }
}

/// Each claim's direct tags as one id space: a taxonomy's terms follow the
/// previous taxonomy's.
fn tag_lists(site: &Site) -> related::Lists {
    let mut first_id = Vec::with_capacity(site.taxonomies.len());
    let mut next = 0u32;
    for tax in &site.taxonomies {
        first_id.push(next);
        next += tax.terms.len() as u32;
    }
    let mut tags = related::Lists::new();
    let mut ids: Vec<u32> = Vec::new();
    for c in &site.claims {
        ids.clear();
        for (x, list) in c.tags.iter().enumerate() {
            ids.extend(list.iter().map(|&t| first_id[x] + t));
        }
        ids.sort_unstable();
        ids.dedup();
        tags.push(&ids);
    }
    tags
}

/// The related claims of the claims `which` (in that order), with why:
/// hand-made links first, then the automatic ones (`auto`, best first)
/// while there is room.
fn related_lists<'a>(
    features: &related::Features<'_>,
    hand: &[Vec<ClaimIx>],
    auto: &(dyn Fn(usize) -> &'a [(u32, f32)] + Sync),
    fig_label: &(dyn Fn(u32) -> &'a str + Sync),
    which: &[usize],
    opts: &XrefOptions,
) -> Vec<Vec<RelatedClaim>> {
    let index = features.index;
    which
        .par_iter()
        .copied()
        // As in the search: few jobs, each with a slot per term for the
        // claim's vector, against which each related claim is read.
        .with_min_len(1024)
        .map_init(
            || vec![0.0f32; index.terms()],
            |dense, i| {
                let auto = auto(i);
                features.warm(
                    hand[i]
                        .iter()
                        .map(|&j| j as usize)
                        .chain(auto.iter().map(|&(j, _)| j as usize)),
                );
                let spread = index.spread(i, dense);
                let why = |j: usize, score: f32, hand_made: bool| RelatedClaim {
                    claim: j as ClaimIx,
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
                        .map(|f| fig_label(f).to_string())
                        .collect(),
                };
                let mut out: Vec<RelatedClaim> = hand[i]
                    .iter()
                    .map(|&j| why(j as usize, features.score(i, j as usize), true))
                    .collect();
                let room = opts.max_related.saturating_sub(out.len());
                out.extend(
                    auto.iter()
                        .filter(|(j, _)| !hand[i].contains(j))
                        .take(room)
                        .map(|&(j, s)| why(j as usize, s, false)),
                );
                if spread {
                    index.unspread(i, dense);
                }
                out
            },
        )
        .collect()
}

/// Brief overlap (from the related claims) and the aggregates over tags:
/// co-occurrence, the matrix, term pairs, recommendations and term
/// figures, in an [`Annotations`] with nothing else.
fn tag_aggregates(
    site: &Site,
    related: &[Vec<RelatedClaim>],
    figures: &[Vec<Figure>],
    opts: &XrefOptions,
) -> (Vec<Vec<(BriefIx, u32)>>, Annotations) {
    let brief_overlap = brief_overlap(site, related);
    let tags = cooc::TagStats::build(site);
    let mut pairs = cooc::Pairs::default();
    let cooccurring = tags.cooccurring(site, opts.cooccurring_per_taxonomy, &mut pairs);
    let matrix = site
        .config
        .matrix
        .and_then(|(r, c)| tags.matrix(site, r, c, opts.matrix_rows, opts.matrix_cols, &mut pairs));
    let pairs = pairs.lists(site);
    let recommendations = cooc::recommendations(site);
    let term_figures = cooc::term_figures(site, figures, opts.term_figure_rows);
    let figures_compared = cooc::figures_compared(site.claims.len(), &term_figures);
    let opposing = cooc::opposing(site, related);
    (
        brief_overlap,
        Annotations {
            term_figures,
            figures_compared,
            opposing,
            cooccurring,
            matrix,
            pairs,
            recommendations,
            ..Annotations::default()
        },
    )
}

/// Per claim, its hand-made links: its own `see_also` in written order,
/// then claims that name it, in reading order; never itself, never twice.
fn hand_links(site: &Site) -> Vec<Vec<ClaimIx>> {
    site.claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut out: Vec<ClaimIx> = Vec::new();
            for &j in c.see_also.iter().chain(&c.seen_from) {
                if j as usize != i && !out.contains(&j) {
                    out.push(j);
                }
            }
            out
        })
        .collect()
}

/// Per brief: the other briefs its claims relate to, with how many of its
/// claims relate to each, most first (then in brief order, which is id
/// order).
fn brief_overlap(site: &Site, related: &[Vec<RelatedClaim>]) -> Vec<Vec<(BriefIx, u32)>> {
    let mut counts: Vec<u32> = vec![0; site.briefs.len()];
    (0..site.briefs.len())
        .map(|b| brief_overlap_of(site, related, b, &mut counts))
        .collect()
}

/// [`brief_overlap`] of brief `b`; `counts` is scratch space, one per brief.
fn brief_overlap_of(
    site: &Site,
    related: &[Vec<RelatedClaim>],
    b: usize,
    counts: &mut [u32],
) -> Vec<(BriefIx, u32)> {
    counts.fill(0);
    let mut others: Vec<BriefIx> = Vec::new();
    for &c in &site.briefs[b].claims {
        others.clear();
        others.extend(
            related[c as usize]
                .iter()
                .map(|r| site.claims[r.claim as usize].brief)
                .filter(|&o| o as usize != b),
        );
        others.sort_unstable();
        others.dedup();
        for &o in &others {
            counts[o as usize] += 1;
        }
    }
    let mut ranked: Vec<(BriefIx, u32)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(o, &n)| (o as BriefIx, n))
        .collect();
    ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    ranked
}

#[cfg(test)]
mod tests;
