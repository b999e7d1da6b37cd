//! Scoring related claims. The score of two claims is the cosine of their
//! BM25 vectors (stems and adjacent stem pairs), damped when few words
//! agree and raised by up to half when their direct tags agree, plus a
//! bonus for each figure both state (an amount, share, count or month
//! counts for far more than a bare year). Tags alone never make two claims
//! related, nor does a single shared word.
//!
//! Candidates come from the inverted index, not from all pairs: a claim's
//! most telling rare terms and figures (posting lists no longer than
//! `max_df`, at most `query_terms` terms and `max_postings` postings read)
//! accumulate partial scores over the claims of other briefs that share
//! them, the best `candidates` of those are scored in full, and the best
//! `max_related` above the threshold are kept. Very common terms still
//! count in the full score but never drive the search, so the work per
//! claim is bounded by a constant and the pass grows linearly with the
//! corpus.

use std::cmp::Ordering;

use rayon::prelude::*;

use super::figures::{Figure, FigureKind};
use super::index::{fixed, rank_key, slot, unfixed, Similarity, TextIndex};

/// Bonus for one shared figure that is not a year, in thousandths (bonuses
/// are summed as integers, in any order).
pub const FIGURE_BONUS: u32 = 150;
/// Bonus for one shared month ("September 2024"), in thousandths.
pub const DATE_BONUS: u32 = 100;
/// Bonus for one shared year, in thousandths.
pub const YEAR_BONUS: u32 = 30;
/// Cap on the sum of figure bonuses, in thousandths.
pub const FIGURE_CAP: u32 = 300;
/// The bonus of a shared figure, in thousandths.
pub fn bonus_of(f: &Figure) -> u32 {
    match f.kind {
        FigureKind::Year if f.key.contains('-') => DATE_BONUS,
        FigureKind::Year => YEAR_BONUS,
        _ => FIGURE_BONUS,
    }
}

/// Text score is scaled by shared / (shared + COORD) single words.
pub const COORD: f32 = 1.0;
/// Single words two claims must share to be related, unless they also
/// share an amount, share, count or month.
pub const MIN_WORDS: u32 = 2;
/// The text score grows by up to this share when the direct tags agree
/// (Jaccard overlap).
pub const TAG_WEIGHT: f32 = 2.0;

/// Short id lists of every claim back to back: list `r` is
/// `ids[offsets[r]..offsets[r + 1]]`. One allocation rather than one per
/// claim, so that reading a candidate's list is one memory access away,
/// not two.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lists {
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl Lists {
    /// No lists.
    pub fn new() -> Lists {
        Lists {
            offsets: vec![0],
            ids: Vec::new(),
        }
    }

    /// Appends the next list.
    pub fn push(&mut self, list: &[u32]) {
        self.ids.extend_from_slice(list);
        self.offsets.push(self.ids.len() as u32);
    }

    /// List `r`.
    pub fn get(&self, r: usize) -> &[u32] {
        &self.ids[self.offsets[r] as usize..self.offsets[r + 1] as usize]
    }
}

/// Everything the scorer reads, borrowed from `compute`.
pub(crate) struct Features<'a> {
    pub index: &'a TextIndex,
    /// Interned brief of each claim.
    pub brief: &'a [u32],
    /// Each claim's figure ids, ascending.
    pub figs: &'a Lists,
    /// Each claim's figure ids in the order the claim states them.
    pub fig_order: &'a Lists,
    /// Bonus of each figure id, in thousandths.
    pub fig_bonus: &'a [u32],
    /// Each figure id's claims, ascending.
    pub fig_postings: &'a [Vec<u32>],
    /// Each claim's direct tag ids, ascending.
    pub tags: &'a Lists,
    /// Claim ids, the tie-break of equal scores.
    pub ids: &'a [&'a str],
}

/// What a claim's candidate search read and found, kept by the
/// incremental update to tell whether an edit elsewhere can change it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    /// Automatic related claims: (claim, score), best first.
    pub related: Vec<(u32, f32)>,
    /// The candidates scored in full, ascending.
    pub cands: Vec<u32>,
    /// The [`rank_key`] a claim's partial score must beat to become a
    /// candidate (`u64::MAX`: any claim touched becomes one).
    pub cutoff: u64,
    /// The query: (term, weight, whether its postings were read),
    /// ascending term id.
    pub query: Vec<(u32, f32, bool)>,
}

/// Tuning of the search, from `XrefOptions`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Search {
    pub threshold: f32,
    pub max_related: usize,
    pub max_df: usize,
    pub candidates: usize,
    pub query_terms: usize,
    pub max_postings: usize,
    /// At most this many related claims from one brief while claims of
    /// other briefs also qualify (0: no limit).
    pub max_per_brief: usize,
}

impl Features<'_> {
    /// The full relatedness score of claims `a` and `b`.
    pub fn score(&self, a: usize, b: usize) -> f32 {
        self.score_with(a, b, self.index.similarity(a, b))
    }

    /// The score of claims `a` and `b` given their text similarity
    /// (cosine, shared single words).
    fn score_with(&self, a: usize, b: usize, sim: Similarity) -> f32 {
        let Similarity {
            cosine,
            words,
            telling,
        } = sim;
        // One shared word, however rare, is a coincidence more often than a
        // link ("observers" / "we observe"); damp the text score until
        // several words agree, as classic IR's coordination factor does.
        let text = cosine * words as f32 / (words as f32 + COORD);
        let mut figures = 0u32;
        let mut strong = false;
        for_shared(self.figs.get(a), self.figs.get(b), |f| {
            let bonus = self.fig_bonus[f as usize];
            figures += bonus;
            strong |= bonus >= DATE_BONUS;
        });
        // A single shared word and nothing else ("AI") is not a relation.
        // Nor are words every other claim holds: something a reader can be
        // shown as the reason must be shared.
        if (words < MIN_WORDS || telling == 0) && !strong {
            return 0.0;
        }
        let mut shared = 0usize;
        for_shared(self.tags.get(a), self.tags.get(b), |_| shared += 1);
        let union = self.tags.get(a).len() + self.tags.get(b).len() - shared;
        let jaccard = if union == 0 {
            0.0
        } else {
            shared as f32 / union as f32
        };
        // Tags only sharpen a textual relation: multiplying, not adding,
        // keeps two claims that merely share "china" apart.
        text * (1.0 + TAG_WEIGHT * jaccard) + figures.min(FIGURE_CAP) as f32 / 1000.0
    }

    /// Touches the vectors and figures of `claims` at once, so that their
    /// cache misses overlap (see [`warm`]) before they are read in turn.
    pub fn warm(&self, claims: impl Iterator<Item = usize> + Clone) {
        warm(claims.clone().map(|d| self.index.docs.row(d)));
        warm(claims.map(|d| self.figs.get(d)));
    }

    /// Ids of the figures both claims state, in the order `a` states them.
    pub fn shared_figures(&self, a: usize, b: usize) -> Vec<u32> {
        let theirs = self.figs.get(b);
        self.fig_order
            .get(a)
            .iter()
            .copied()
            .filter(|f| theirs.binary_search(f).is_ok())
            .collect()
    }

    /// Orders (score, claim) best first; equal scores by claim id, then index.
    pub fn rank(&self, x: &(f32, u32), y: &(f32, u32)) -> Ordering {
        y.0.total_cmp(&x.0)
            .then_with(|| self.ids[x.1 as usize].cmp(self.ids[y.1 as usize]))
            .then(x.1.cmp(&y.1))
    }

    /// For every claim, its automatic related claims from other briefs:
    /// (claim, score), best first.
    pub fn related_all(&self, search: Search) -> Vec<Vec<(u32, f32)>> {
        let all: Vec<usize> = (0..self.brief.len()).collect();
        self.related_of(&all, search)
            .into_iter()
            .map(|f| f.related)
            .collect()
    }

    /// The searches of the claims `which` only, in that order.
    pub fn related_of(&self, which: &[usize], search: Search) -> Vec<Found> {
        which
            .par_iter()
            .copied()
            // Few jobs, so the per-job scratch (a score per claim) is
            // allocated rarely; many short-lived copies fragment the heap.
            .with_min_len(1024)
            .map_init(
                // Each claim's brief beside its score slot: one cache line
                // per posting read instead of two.
                // With a slot per term for the claim's own vector, scored
                // against each candidate in turn.
                || {
                    let slots: Vec<(u64, u32)> = self.brief.iter().map(|&b| (0, b)).collect();
                    let dense = vec![0.0f32; self.index.terms()];
                    (slots, Vec::<u32>::new(), dense)
                },
                |(acc, touched, dense), i| self.related_one(i, search, acc, touched, dense),
            )
            .collect()
    }

    /// The terms that drive claim `i`'s candidate search, in the order
    /// they are read: its most telling terms (largest weight, ties by
    /// term) with at most `max_df` postings, at most `query_terms` of them.
    /// This bounds the work per claim whatever the corpus size; common
    /// terms still count in the full score of the candidates found.
    pub fn query(&self, i: usize, search: Search) -> Vec<(f32, u32)> {
        let mut query: Vec<(f32, u32)> = self
            .index
            .docs
            .row(i)
            .iter()
            .filter(|&&(t, _)| self.index.df(t) <= search.max_df)
            .map(|&(t, w)| (w, t))
            .collect();
        let rank = |x: &(f32, u32), y: &(f32, u32)| self.index.rank_terms(x, y);
        if query.len() > search.query_terms {
            query.select_nth_unstable_by(search.query_terms, rank);
            query.truncate(search.query_terms);
        }
        query.sort_unstable_by(rank);
        query
    }

    fn related_one(
        &self,
        i: usize,
        search: Search,
        acc: &mut [(u64, u32)],
        touched: &mut Vec<u32>,
        dense: &mut [f32],
    ) -> Found {
        let own = self.brief[i];
        // Partial scores are summed in fixed point, so that they do not
        // depend on the order terms are read in; every contribution counts
        // at least one unit, so that a touched claim is never zero.
        let mut add = |d: u32, v: u64| {
            let cell = &mut acc[d as usize];
            if cell.1 == own {
                return;
            }
            if cell.0 == 0 {
                touched.push(d);
            }
            cell.0 += v.max(1);
        };
        // The claim's query terms drive the search, no more than
        // `max_postings` postings read in all.
        let query = self.query(i, search);
        warm(query.iter().map(|&(_, t)| self.index.postings.row(slot(t))));
        let mut budget = search.max_postings;
        let mut read: Vec<(u32, f32, bool)> = Vec::with_capacity(query.len());
        for &(w, t) in &query {
            let docs = self.index.postings.row(slot(t));
            if docs.len() > budget {
                read.push((t, w, false));
                continue;
            }
            read.push((t, w, true));
            budget -= docs.len();
            for &(d, x) in docs {
                add(d, fixed(w * x));
            }
        }
        for &f in self.figs.get(i) {
            let docs = &self.fig_postings[f as usize];
            if docs.len() > search.max_df {
                continue;
            }
            for &d in docs {
                add(d, fixed(self.fig_bonus[f as usize] as f32 / 1000.0));
            }
        }
        let mut cands: Vec<u64> = touched
            .iter()
            .map(|&d| rank_key(unfixed(acc[d as usize].0), d))
            .collect();
        for &d in touched.iter() {
            acc[d as usize].0 = 0;
        }
        let full = touched.len() >= search.candidates;
        touched.clear();
        if cands.len() > search.candidates {
            cands.select_nth_unstable(search.candidates);
            cands.truncate(search.candidates);
        }
        let cutoff = match cands.iter().max() {
            Some(&k) if full => k,
            _ => u64::MAX,
        };
        let claims = cands.iter().map(|&k| k as u32 as usize);
        self.warm(claims.clone());
        warm(claims.map(|d| self.tags.get(d)));
        // Iterating by reference, not `into_iter`: an in-place collect would
        // keep the candidate buffer's capacity alive in every result.
        // The claim's vector is spread over a slot per term once, and each
        // candidate's row read against it (a merge per candidate otherwise).
        let spread = self.index.spread(i, dense);
        let mut scored: Vec<(f32, u32)> = cands
            .iter()
            .map(|&k| k as u32)
            .map(|d| {
                let similarity = if spread {
                    self.index.similarity_spread(dense, d as usize)
                } else {
                    self.index.similarity(i, d as usize)
                };
                (self.score_with(i, d as usize, similarity), d)
            })
            .filter(|(s, _)| *s >= search.threshold)
            .collect();
        if spread {
            self.index.unspread(i, dense);
        }
        scored.sort_by(|x, y| self.rank(x, y));
        self.diverse(&mut scored, search);
        let mut ids: Vec<u32> = cands.iter().map(|&k| k as u32).collect();
        ids.sort_unstable();
        read.sort_unstable_by_key(|e| e.0);
        Found {
            related: scored.iter().map(|&(s, d)| (d, s)).collect(),
            cands: ids,
            cutoff,
            query: read,
        }
    }
}

impl Features<'_> {
    /// Keeps the best `max_related` of ranked candidates, at most
    /// `max_per_brief` of them from one brief as long as candidates from
    /// other briefs remain: a reader sees what several reports say, not the
    /// five nearest sentences of the longest one. Slots nobody else can
    /// fill go back to the best of the rest. The result stays ranked.
    fn diverse(&self, ranked: &mut Vec<(f32, u32)>, search: Search) {
        if search.max_per_brief == 0 || ranked.len() <= search.max_related {
            ranked.truncate(search.max_related);
            return;
        }
        let mut keep = vec![false; ranked.len()];
        let mut per: Vec<(u32, usize)> = Vec::new();
        let mut kept = 0;
        for (k, &(_, d)) in ranked.iter().enumerate() {
            if kept == search.max_related {
                break;
            }
            let b = self.brief[d as usize];
            let n = match per.iter_mut().find(|(x, _)| *x == b) {
                Some((_, n)) => n,
                None => {
                    per.push((b, 0));
                    &mut per.last_mut().expect("just pushed").1
                }
            };
            if *n < search.max_per_brief {
                *n += 1;
                keep[k] = true;
                kept += 1;
            }
        }
        for k in keep.iter_mut() {
            if kept == search.max_related {
                break;
            }
            if !*k {
                *k = true;
                kept += 1;
            }
        }
        let mut k = 0;
        ranked.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
}

/// Reads one element per cache line of each row (and its last), so that the cache misses
/// of all of them overlap. At 100,000 claims the rows a claim reads next
/// (the postings of its query terms, the vectors, figures and tags of its
/// candidates) are scattered over far more memory than the caches hold.
/// Read as they are used, each line of each row costs a memory round trip
/// in turn (a row of 30 terms spans four lines, too few for the hardware
/// prefetcher to catch on); touched together first, they arrive in
/// parallel.
fn warm<'r, T: Id + 'r>(rows: impl Iterator<Item = &'r [T]>) {
    let step = (64 / std::mem::size_of::<T>()).max(1);
    // The ids read are summed and the sum handed to `black_box`, so that
    // the reads are kept but each costs little more than the load itself:
    // the fewer instructions between them, the more are in flight at once.
    let mut sum = 0u32;
    for row in rows {
        let mut k = 0;
        while k < row.len() {
            sum = sum.wrapping_add(row[k].id());
            k += step;
        }
        if let Some(last) = row.last() {
            sum = sum.wrapping_add(last.id());
        }
    }
    std::hint::black_box(sum);
}

/// An element of a row [`warm`] reads: something with an id.
trait Id: Copy {
    fn id(&self) -> u32;
}

impl Id for u32 {
    fn id(&self) -> u32 {
        *self
    }
}

impl Id for (u32, f32) {
    fn id(&self) -> u32 {
        self.0
    }
}

/// Calls `f` for each id in both ascending lists.
fn for_shared(a: &[u32], b: &[u32], mut f: impl FnMut(u32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                f(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_each_list_apart() {
        let mut lists = Lists::new();
        lists.push(&[3, 5]);
        lists.push(&[]);
        lists.push(&[1]);
        assert_eq!(lists.get(0), [3, 5]);
        assert!(lists.get(1).is_empty());
        assert_eq!(lists.get(2), [1]);
    }
}
