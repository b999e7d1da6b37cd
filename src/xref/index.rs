//! The inverted index behind related claims: every claim as a sparse,
//! L2-normalised vector of BM25-weighted stems and stem pairs, and every stem's posting
//! list (claim ids as `u32`, with the claim's weight for the stem), both in
//! compressed-row form so that 100,000 claims cost a few tens of megabytes.
//!
//! The cosine of two claim vectors is their text similarity. Building is
//! deterministic: stems get ids in order of first appearance, and posting
//! lists are in ascending claim order.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::concepts::{self, Mention};
use super::text;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// The length (terms, pairs included) BM25 normalises against: a fixed
/// typical claim rather than the corpus average, so that a claim's vector
/// depends only on its own text and the statistics of its own terms (an
/// edit elsewhere moves no vector that shares no term with it; see
/// docs/xref.md, "Incremental update").
pub const AVG_LEN: f32 = 32.0;
/// Weight of a stem pair relative to a single stem with the same
/// statistics: pairs sharpen the match without drowning the words.
const PAIR_WEIGHT: f32 = 0.5;
/// Weight of a word mostly written with a capital (a name or acronym:
/// "Quad", "Micius", "QKD", "Finland"): what two claims name is a better
/// sign that they speak of the same thing than the common words they use.
const NAME_WEIGHT: f32 = 1.5;
/// Share of capitalised occurrences that makes a word a name.
const NAME_SHARE: f32 = 0.6;
/// Marks a pair's term id (a word's id has it clear); the rest of the id
/// is the term's slot. No corpus has 2^31 terms.
pub const PAIR_BIT: u32 = 1 << 31;
/// Claims tokenised and interned per parallel batch: large enough that a
/// batch's vocabulary is mostly its own repeated words, small enough to
/// keep both cores busy on a few thousand claims.
const BATCH: usize = 2048;
/// Scale of the fixed-point sums (2^40): products of normalised weights are
/// summed as integers, so that a sum does not depend on the order of its
/// terms, hence not on how terms happen to be numbered.
const FIXED: f32 = (1u64 << 40) as f32;

/// The slot of term id `t` (its row in the postings, its place in dense
/// per-term arrays).
#[inline]
pub fn slot(t: u32) -> usize {
    (t & !PAIR_BIT) as usize
}

/// A non-negative product in fixed point (see [`FIXED`]).
#[inline]
pub fn fixed(p: f32) -> u64 {
    (p * FIXED) as u64
}

/// A fixed-point sum back as a float.
#[inline]
pub fn unfixed(sum: u64) -> f32 {
    (sum as f64 / f64::from(FIXED)) as f32
}

/// A term carried by more than this share of all claims (in a corpus of
/// at least [`BACKGROUND_MIN_CLAIMS`]) is background: China, the United
/// States, quantum in a corpus about quantum policy. Its weight is cut to
/// [`BACKGROUND_WEIGHT`] of its inverse document frequency.
const BACKGROUND_SHARE: f32 = 1.0 / 3.0;
const BACKGROUND_MIN_CLAIMS: usize = 30;
const BACKGROUND_WEIGHT: f32 = 0.25;
/// A term carried by more than this share of all claims is too common to
/// be a reason two claims belong together: it is never shown as one, and
/// it does not count among the words two claims must share.
const COMMON_SHARE: f32 = 0.15;

/// Whether a term held by `df` claims of `n` is background (the rounded
/// frequency, as the weights read it).
pub fn is_background(df: u32, n: usize) -> bool {
    n >= BACKGROUND_MIN_CLAIMS && rounded_df(df) as f32 > BACKGROUND_SHARE * n as f32
}

/// Whether a term held by `df` claims of `n` is too common to be a reason.
pub fn is_common(df: u32, n: usize) -> bool {
    n >= BACKGROUND_MIN_CLAIMS && rounded_df(df) as f32 > COMMON_SHARE * n as f32
}

/// The weight of a term: inverse document frequency over `n` claims, times
/// the boost of pairs or names, less for background terms. `caps`:
/// (capitalised occurrences, all occurrences) of a word.
pub fn term_weight(df: u32, n: usize, pair: bool, caps: (u32, u32)) -> f32 {
    let background = is_background(df, n);
    let (n, d) = (n.max(1) as f32, rounded_df(df) as f32);
    let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
    let boost = if pair {
        PAIR_WEIGHT
    } else if caps.0 as f32 >= NAME_SHARE * caps.1 as f32 {
        NAME_WEIGHT
    } else {
        1.0
    };
    idf * boost * if background { BACKGROUND_WEIGHT } else { 1.0 }
}

/// A document frequency as the weights count it: exact below 16, else its
/// four leading binary digits (16, 18, …, 30, 32, 36, …: steps of at most
/// an eighth, an inverse document frequency off by at most 0.12). One more
/// or one fewer claim with a common term then leaves its weight, and the
/// vectors of all claims holding it, as they were in all but one case out
/// of several (docs/xref.md, "Incremental update").
pub fn rounded_df(df: u32) -> u32 {
    if df < 16 {
        return df;
    }
    let shift = 31 - df.leading_zeros() - 3;
    (df >> shift) << shift
}

/// A claim's vector from its (term, frequency) row: BM25 weights,
/// L2-normalised (the norm summed exactly, in any order), then only the
/// terms `stored` keeps (held by another claim too).
pub fn weigh_row(
    row: &[(u32, u32)],
    weight: impl Fn(u32) -> f32,
    stored: impl Fn(u32) -> bool,
) -> Vec<(u32, f32)> {
    let len: u32 = row.iter().map(|r| r.1).sum();
    let norm_len = 1.0 - B + B * len as f32 / AVG_LEN;
    let mut weighted: Vec<(u32, f32)> = row
        .iter()
        .map(|&(t, tf)| {
            let tf = tf as f32;
            (t, weight(t) * tf * (K1 + 1.0) / (tf + K1 * norm_len))
        })
        .collect();
    // Squares are exact in f64 and summed as integers (2^64 per unit), so
    // the norm is the same whatever order the terms come in.
    let sum: u128 = weighted
        .iter()
        .map(|w| (f64::from(w.1) * f64::from(w.1) * 18_446_744_073_709_551_616.0) as u128)
        .sum();
    let norm = (sum as f64 / 18_446_744_073_709_551_616.0).sqrt() as f32;
    if norm > 0.0 {
        for w in &mut weighted {
            w.1 /= norm;
        }
    }
    // A term no other claim holds counts in the norm (it is part of
    // what this claim says) but can never be shared: not stored.
    weighted.retain(|&(t, _)| stored(t));
    weighted
}

/// Sparse vectors in compressed-row form: row `r` is
/// `entries[offsets[r]..offsets[r + 1]]`, (id, weight) pairs side by side
/// so that reading a row touches one run of memory, not two.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    offsets: Vec<u32>,
    entries: Vec<(u32, f32)>,
}

impl Csr {
    /// Row `r`: (id, weight), ascending id.
    pub fn row(&self, r: usize) -> &[(u32, f32)] {
        let (a, b) = (self.offsets[r] as usize, self.offsets[r + 1] as usize);
        &self.entries[a..b]
    }

    /// Number of entries in row `r`.
    pub fn row_len(&self, r: usize) -> usize {
        (self.offsets[r + 1] - self.offsets[r]) as usize
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The transpose: for each column slot below `cols` (ids through
    /// [`slot`]), the rows holding it, ascending, with their weights.
    pub fn transpose(&self, cols: usize) -> Csr {
        let mut counts = vec![0u32; cols + 1];
        for &(id, _) in &self.entries {
            counts[slot(id) + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut entries = vec![(0u32, 0f32); self.entries.len()];
        for r in 0..self.rows() {
            for &(c, w) in self.row(r) {
                let at = &mut next[slot(c)];
                entries[*at as usize] = (r as u32, w);
                *at += 1;
            }
        }
        Csr { offsets, entries }
    }

    /// Builds from rows that are already sorted by id.
    pub fn from_rows<R: AsRef<[(u32, f32)]>>(rows: &[R]) -> Csr {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0);
        let mut csr = Csr {
            offsets,
            entries: Vec::with_capacity(rows.iter().map(|r| r.as_ref().len()).sum()),
        };
        for row in rows {
            csr.entries.extend_from_slice(row.as_ref());
            csr.offsets.push(csr.entries.len() as u32);
        }
        csr
    }
}

/// The text similarity of two claims.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Cosine of their vectors.
    pub cosine: f32,
    /// Single words and concepts (not pairs) both hold.
    pub words: u32,
    /// Of those, the ones not too common to be a reason ([`is_common`]).
    pub telling: u32,
}

/// A [`Similarity`] being summed, one shared term at a time.
#[derive(Default)]
struct Tally {
    sum: u64,
    words: u32,
    telling: u32,
}

impl Tally {
    /// Term `t` with weight `wa` in one claim (0 when absent) and `wb` in
    /// the other.
    #[inline]
    fn add(&mut self, index: &TextIndex, t: u32, wa: f32, wb: f32) {
        self.sum += fixed(wa * wb);
        if wa > 0.0 && t & PAIR_BIT == 0 {
            self.words += 1;
            self.telling += u32::from(!index.common(t));
        }
    }

    fn similarity(&self) -> Similarity {
        Similarity {
            cosine: unfixed(self.sum),
            words: self.words,
            telling: self.telling,
        }
    }
}

/// The text index of a corpus.
///
/// How terms are numbered is not part of any result: sums of products are
/// exact ([`fixed`]) and ties between terms are broken by the terms
/// themselves ([`TextIndex::cmp_terms`]), so an index whose terms were
/// numbered in another order (as the incremental update numbers new terms
/// after the old ones) gives the same scores, bit for bit.
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// Per claim: term ids and normalised weights, ascending id.
    pub docs: Csr,
    /// Per term slot: the claims containing it, ascending, with their
    /// weights.
    pub postings: Csr,
    /// Per term slot: a word's index in `stems`, or `PAIR_BIT` and a pair's
    /// index in `parts`.
    pub(crate) kinds: Vec<u32>,
    /// Per word: its stem.
    pub(crate) stems: Vec<String>,
    /// Per word: the surface form most often written for it.
    pub(crate) labels: Vec<String>,
    /// Per pair of adjacent words: the two words' term ids.
    pub(crate) parts: Vec<(u32, u32)>,
}

impl TextIndex {
    /// Indexes the texts; claim `i` of the index is `texts[i]`.
    pub fn build(texts: &[&str]) -> TextIndex {
        let cleaned: Vec<_> = texts.par_iter().map(|t| text::clean(t)).collect();
        let cleaned: Vec<&str> = cleaned.iter().map(|t| t.as_ref()).collect();
        TextIndex::build_cleaned(&cleaned)
    }

    /// [`TextIndex::build`] of texts already passed through
    /// [`text::clean`] (the build cleans each claim once, for figures too).
    pub fn build_cleaned(cleaned: &[&str]) -> TextIndex {
        TextIndex::build_in_batches(cleaned, &[], BATCH)
    }

    /// [`TextIndex::build_cleaned`] of texts normalised
    /// ([`crate::content::matcher::normalise`]) with the concepts each one
    /// mentions ([`concepts::Concepts::mentions`]), one list per text.
    pub fn build_with_concepts(normalised: &[&str], mentions: &[Vec<Mention<'_>>]) -> TextIndex {
        TextIndex::build_in_batches(normalised, mentions, BATCH)
    }

    /// [`TextIndex::build_with_concepts`] with `batch` claims per batch;
    /// the result does not depend on it. `mentions` is empty or has one
    /// list per text.
    fn build_in_batches(
        cleaned: &[&str],
        mentions: &[Vec<Mention<'_>>],
        batch: usize,
    ) -> TextIndex {
        // Batches are tokenised and interned on their own, in parallel;
        // their local ids are then mapped to global ones in batch order,
        // which numbers words and pairs in order of first appearance in
        // the whole corpus, as a single pass would, on any thread count.
        let batch = batch.max(1);
        let batches: Vec<Batch> = cleaned
            .par_chunks(batch)
            .enumerate()
            .map(|(k, texts)| {
                let from = (k * batch).min(mentions.len());
                let to = (from + texts.len()).min(mentions.len());
                Batch::read(texts, &mentions[from..to])
            })
            .collect();
        let mut words: FxHashMap<&str, u32> = FxHashMap::default();
        let mut stems: Vec<String> = Vec::new();
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        // Per global pair: the two word ids.
        let mut parts: Vec<(u32, u32)> = Vec::new();
        // Per global word: (capitalised occurrences, all occurrences).
        let mut capitals: Vec<(u32, u32)> = Vec::new();
        // Per surface form: (global word, occurrences).
        let mut surfaces: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
        // Per batch: global word id of each local word, global pair index
        // of each local pair.
        let mut maps: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(batches.len());
        for batch in &batches {
            let word_map: Vec<u32> = batch
                .stems
                .iter()
                .zip(&batch.capitals)
                .map(|(stem, &(caps, all))| {
                    let next = capitals.len() as u32;
                    let id = *words.entry(stem.as_str()).or_insert_with(|| {
                        capitals.push((0, 0));
                        stems.push(stem.clone());
                        next
                    });
                    capitals[id as usize].0 += caps;
                    capitals[id as usize].1 += all;
                    id
                })
                .collect();
            let pair_map: Vec<u32> = batch
                .pairs
                .iter()
                .map(|&(a, b)| {
                    let key = (word_map[a as usize], word_map[b as usize]);
                    let next = parts.len() as u32;
                    *pairs.entry(key).or_insert_with(|| {
                        parts.push(key);
                        next
                    })
                })
                .collect();
            for (surface, word, count) in &batch.surfaces {
                surfaces
                    .entry(surface.as_str())
                    .or_insert((word_map[*word as usize], 0))
                    .1 += count;
            }
            maps.push((word_map, pair_map));
        }
        drop(words);
        drop(pairs);
        let n_words = capitals.len() as u32;
        let n_terms = capitals.len() + parts.len();
        // Per word, its most frequent surface form, ties to the
        // alphabetically first.
        let mut best: Vec<Option<(u32, &str)>> = vec![None; capitals.len()];
        for (&surface, &(word, count)) in &surfaces {
            let slot = &mut best[word as usize];
            if better_label((count, surface), *slot) {
                *slot = Some((count, surface));
            }
        }
        let labels: Vec<String> = best
            .into_iter()
            .map(|b| b.map(|(_, s)| s.to_string()).unwrap_or_default())
            .collect();
        drop(surfaces);

        // Local ids to global ones: words keep their ids, pairs follow the
        // last word. Document frequencies are summed from the batches'.
        let mut df = vec![0u32; n_terms];
        for (batch, (word_map, pair_map)) in batches.iter().zip(&maps) {
            for (&word, &n) in word_map.iter().zip(&batch.word_df) {
                df[word as usize] += n;
            }
            for (&pair, &n) in pair_map.iter().zip(&batch.pair_df) {
                df[(n_words + pair) as usize] += n;
            }
        }
        let counted: Vec<Vec<(u32, u32)>> = batches
            .into_par_iter()
            .zip(maps)
            .flat_map_iter(|(batch, (word_map, pair_map))| {
                batch.rows.into_iter().map(move |mut row| {
                    for entry in &mut row {
                        entry.0 = global_id(entry.0, &word_map, &pair_map, n_words);
                    }
                    row.sort_unstable();
                    row
                })
            })
            .collect();

        let n = counted.len();
        let weight: Vec<f32> = (0..n_terms)
            .map(|t| {
                let pair = t >= n_words as usize;
                let caps = if pair { (0, 0) } else { capitals[t] };
                term_weight(df[t], n, pair, caps)
            })
            .collect();
        drop(capitals);
        let (weight, df_ref) = (&weight, &df);
        let rows: Vec<Vec<(u32, f32)>> = counted
            .into_par_iter()
            .map(|row| weigh_row(&row, |t| weight[slot(t)], |t| df_ref[slot(t)] > 1))
            .collect();
        let docs = Csr::from_rows(&rows);
        let postings = docs.transpose(n_terms);
        let kinds = (0..n_words)
            .chain((0..parts.len() as u32).map(|k| PAIR_BIT | k))
            .collect();
        TextIndex {
            docs,
            postings,
            kinds,
            stems,
            labels,
            parts,
        }
    }

    /// Number of claims holding term `t` (whose vector stores it).
    pub fn df(&self, t: u32) -> usize {
        self.postings.row_len(slot(t))
    }

    /// Cosine similarity of claims `a` and `b`.
    pub fn cosine(&self, a: usize, b: usize) -> f32 {
        self.similarity(a, b).cosine
    }

    /// Cosine similarity of claims `a` and `b`, and how many single stems
    /// (not pairs) they share. The products are summed in fixed point.
    pub fn similarity(&self, a: usize, b: usize) -> Similarity {
        let mut tally = Tally::default();
        merge(self.docs.row(a), self.docs.row(b), |t, wa, wb| {
            tally.add(self, t, wa, wb);
        });
        tally.similarity()
    }

    /// Spreads claim `a`'s vector over `dense` (one slot per term, all
    /// zero before), so that [`TextIndex::similarity_spread`] can score it
    /// against many claims without merging rows. Returns false, leaving
    /// `dense` as it was, if some weight is not positive: then a zero slot
    /// would not mean "absent", and callers merge instead. (BM25 weights
    /// are positive on any real corpus.)
    pub fn spread(&self, a: usize, dense: &mut [f32]) -> bool {
        let row = self.docs.row(a);
        if !row.iter().all(|&(_, w)| w > 0.0) {
            return false;
        }
        for &(t, w) in row {
            dense[slot(t)] = w;
        }
        true
    }

    /// Zeroes what [`TextIndex::spread`] wrote for claim `a`.
    pub fn unspread(&self, a: usize, dense: &mut [f32]) {
        for &(t, _) in self.docs.row(a) {
            dense[slot(t)] = 0.0;
        }
    }

    /// [`TextIndex::similarity`] of the claim spread over `dense` and
    /// claim `b`, bit for bit: the same products summed exactly, a zero
    /// for the terms only `b` holds. Reading one slot per term of `b` has
    /// no unpredictable branch, unlike a merge.
    pub fn similarity_spread(&self, dense: &[f32], b: usize) -> Similarity {
        let mut tally = Tally::default();
        for &(t, wb) in self.docs.row(b) {
            tally.add(self, t, dense[slot(t)], wb);
        }
        tally.similarity()
    }

    /// Whether term `t` is too common to be a reason ([`is_common`])
    /// among the claims indexed.
    pub fn common(&self, t: u32) -> bool {
        is_common(self.postings.row_len(slot(t)) as u32, self.docs.rows())
    }

    /// Number of term slots (words and pairs).
    pub fn terms(&self) -> usize {
        self.kinds.len()
    }

    /// Orders two terms by what they are, not by their ids: by stem, a word
    /// before the pairs it starts, pairs by their second stem.
    pub fn cmp_terms(&self, a: u32, b: u32) -> Ordering {
        let key = |t: u32| -> (&str, Option<&str>) {
            let k = self.kinds[slot(t)];
            if k & PAIR_BIT == 0 {
                (&self.stems[k as usize], None)
            } else {
                let (x, y) = self.parts[(k & !PAIR_BIT) as usize];
                let stem = |w: u32| self.stems[self.kinds[slot(w)] as usize].as_str();
                (stem(x), Some(stem(y)))
            }
        };
        key(a).cmp(&key(b))
    }

    /// Orders (value, term) best first: larger values, then terms by
    /// [`TextIndex::cmp_terms`].
    pub fn rank_terms(&self, x: &(f32, u32), y: &(f32, u32)) -> Ordering {
        y.0.total_cmp(&x.0).then_with(|| self.cmp_terms(x.1, y.1))
    }

    /// The stems claims `a` and `b` share, largest contribution to their
    /// cosine first (ties by term), as display labels.
    pub fn shared_labels(&self, a: usize, b: usize, limit: usize) -> Vec<String> {
        let mut shared: Vec<(f32, u32)> = Vec::new();
        merge(self.docs.row(a), self.docs.row(b), |t, wa, wb| {
            if !self.common(t) {
                shared.push((wa * wb, t));
            }
        });
        self.top_labels(shared, limit)
    }

    /// [`TextIndex::shared_labels`] of the claim spread over `dense` (see
    /// [`TextIndex::spread`]) and claim `b`.
    pub fn shared_labels_spread(&self, dense: &[f32], b: usize, limit: usize) -> Vec<String> {
        let shared: Vec<(f32, u32)> = self
            .docs
            .row(b)
            .iter()
            .filter(|&&(t, _)| dense[slot(t)] > 0.0 && !self.common(t))
            .map(|&(t, wb)| (dense[slot(t)] * wb, t))
            .collect();
        self.top_labels(shared, limit)
    }

    /// The labels of the `limit` best of `shared` (contribution, term),
    /// best first.
    fn top_labels(&self, mut shared: Vec<(f32, u32)>, limit: usize) -> Vec<String> {
        if shared.len() > limit {
            shared.select_nth_unstable_by(limit, |x, y| self.rank_terms(x, y));
            shared.truncate(limit);
        }
        shared.sort_unstable_by(|x, y| self.rank_terms(x, y));
        shared.into_iter().map(|(_, t)| self.label(t)).collect()
    }

    /// How a term is shown: its usual surface form, or the pair's two.
    pub fn label(&self, t: u32) -> String {
        let Some(&k) = self.kinds.get(slot(t)) else {
            return String::new();
        };
        if k & PAIR_BIT == 0 {
            return self
                .labels
                .get(k as usize)
                .map(|l| concepts::display(l).to_string())
                .unwrap_or_default();
        }
        let Some(&(a, b)) = self.parts.get((k & !PAIR_BIT) as usize) else {
            return String::new();
        };
        let word = |w: u32| {
            self.kinds
                .get(slot(w))
                .and_then(|&k| self.labels.get(k as usize))
                .map_or("", |l| concepts::display(l))
        };
        let (a, b) = (word(a), word(b));
        let mut label = String::with_capacity(a.len() + 1 + b.len());
        label.push_str(a);
        label.push(' ');
        label.push_str(b);
        label
    }
}

/// Whether a surface form seen `count` times beats the best so far as a
/// word's label: more often written, ties to the alphabetically first.
pub fn better_label(candidate: (u32, &str), best: Option<(u32, &str)>) -> bool {
    let (count, surface) = candidate;
    best.is_none_or(|(c, s)| count > c || (count == c && surface < s))
}

/// The global id of a batch-local term id: a word's global id, or a pair's
/// global index after the last word, marked with `PAIR_BIT`.
fn global_id(local: u32, word_map: &[u32], pair_map: &[u32], n_words: u32) -> u32 {
    if local & PAIR_BIT != 0 {
        PAIR_BIT | (n_words + pair_map[(local & !PAIR_BIT) as usize])
    } else {
        word_map[local as usize]
    }
}

/// A batch of claims tokenised and interned on its own. Ids are local to
/// the batch, in order of first appearance in it; pair ids carry
/// `PAIR_BIT`.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Per local word: its stem.
    pub(crate) stems: Vec<String>,
    /// Per local word: (capitalised occurrences, all occurrences).
    pub(crate) capitals: Vec<(u32, u32)>,
    /// Per local pair: its two local word ids.
    pub(crate) pairs: Vec<(u32, u32)>,
    /// (surface form, local word, occurrences).
    pub(crate) surfaces: Vec<(String, u32, u32)>,
    /// Per local word, then per local pair: the number of the batch's
    /// claims holding it.
    pub(crate) word_df: Vec<u32>,
    pub(crate) pair_df: Vec<u32>,
    /// Per claim: (local term id, term frequency), ascending local id.
    pub(crate) rows: Vec<Vec<(u32, u32)>>,
}

impl Batch {
    /// Tokenises and interns cleaned texts. Each distinct word as written
    /// is resolved (lower-cased, filtered, stemmed) once, not per
    /// occurrence.
    /// `mentions`: empty, or per text the concepts it mentions, by start
    /// (offsets into the text).
    pub(crate) fn read(cleaned: &[&str], mentions: &[Vec<Mention<'_>>]) -> Batch {
        let mut batch = Batch::default();
        // Per word as written: its surface index (`None`: not an index
        // word) and whether it is capitalised.
        let mut written: FxHashMap<&str, (Option<u32>, bool)> = FxHashMap::default();
        let mut surface_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut pair_ids: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut word_ids: Vec<u32> = Vec::new();
        for (k, text) in cleaned.iter().enumerate() {
            word_ids.clear();
            let concepts = mentions.get(k).map_or(&[][..], Vec::as_slice);
            // Concepts in order of their end: a concept is counted once the
            // words before its end are, and the words a name replaces are
            // not counted at all.
            let mut ends: Vec<&Mention<'_>> = concepts.iter().collect();
            ends.sort_by_key(|m| (m.end, m.start));
            let mut next_end = 0;
            let mut replaced = concepts.iter().filter(|m| m.replace).peekable();
            for raw in text::raw_words(text) {
                let at = raw.as_ptr() as usize - text.as_ptr() as usize;
                while next_end < ends.len() && ends[next_end].end <= at {
                    word_ids.push(batch.concept(ends[next_end], &mut surface_ids, &mut stem_ids));
                    next_end += 1;
                }
                while replaced.peek().is_some_and(|m| m.end <= at) {
                    replaced.next();
                }
                if replaced.peek().is_some_and(|m| m.start <= at) {
                    continue;
                }
                let (surface, capital) = *written.entry(raw).or_insert_with(|| {
                    let capital = text::is_capitalised(raw);
                    let Some(surface) = text::surface(raw) else {
                        return (None, capital);
                    };
                    let next = batch.surfaces.len() as u32;
                    let id = match surface_ids.entry(surface) {
                        Entry::Occupied(e) => *e.get(),
                        Entry::Vacant(e) => {
                            let stem = text::stem(e.key());
                            let next_word = batch.stems.len() as u32;
                            let word = *stem_ids.entry(stem).or_insert_with_key(|stem| {
                                batch.stems.push(stem.clone());
                                batch.capitals.push((0, 0));
                                batch.word_df.push(0);
                                next_word
                            });
                            batch.surfaces.push((e.key().clone(), word, 0));
                            *e.insert(next)
                        }
                    };
                    (Some(id), capital)
                });
                let Some(surface) = surface else { continue };
                let entry = &mut batch.surfaces[surface as usize];
                entry.2 += 1;
                let word = entry.1;
                batch.capitals[word as usize].0 += u32::from(capital);
                batch.capitals[word as usize].1 += 1;
                word_ids.push(word);
            }
            for m in &ends[next_end..] {
                word_ids.push(batch.concept(m, &mut surface_ids, &mut stem_ids));
            }
            let mut row: Vec<(u32, u32)> = Vec::with_capacity(2 * word_ids.len());
            row.extend(word_ids.iter().map(|&w| (w, 1)));
            // Adjacent pairs of content words ("quantum communication",
            // "export controls", "entity list") are far more specific
            // than either word, so they are index terms too.
            // A concept is already a unit: it forms no pairs.
            let concept = |w: u32| batch.stems[w as usize].starts_with(concepts::MARK);
            for w in word_ids.windows(2) {
                if concept(w[0]) || concept(w[1]) {
                    continue;
                }
                let next = batch.pairs.len() as u32 | PAIR_BIT;
                let id = *pair_ids.entry((w[0], w[1])).or_insert_with(|| {
                    batch.pairs.push((w[0], w[1]));
                    batch.pair_df.push(0);
                    next
                });
                row.push((id, 1));
            }
            row.sort_unstable();
            row.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 += b.1;
                    true
                } else {
                    false
                }
            });
            for &(t, _) in &row {
                if t & PAIR_BIT != 0 {
                    batch.pair_df[(t & !PAIR_BIT) as usize] += 1;
                } else {
                    batch.word_df[t as usize] += 1;
                }
            }
            batch.rows.push(row);
        }
        batch
    }

    /// The local word of a concept mention, counted once more (always
    /// capitalised: a concept is a name).
    fn concept(
        &mut self,
        m: &Mention<'_>,
        surface_ids: &mut FxHashMap<String, u32>,
        stem_ids: &mut FxHashMap<String, u32>,
    ) -> u32 {
        let surface = match surface_ids.get(m.label.as_ref()) {
            Some(&s) => s,
            None => {
                let next_word = self.stems.len() as u32;
                let word = *stem_ids.entry(m.key.to_string()).or_insert_with(|| {
                    self.stems.push(m.key.to_string());
                    self.capitals.push((0, 0));
                    self.word_df.push(0);
                    next_word
                });
                let s = self.surfaces.len() as u32;
                self.surfaces.push((m.label.to_string(), word, 0));
                surface_ids.insert(m.label.to_string(), s);
                s
            }
        };
        let entry = &mut self.surfaces[surface as usize];
        entry.2 += 1;
        let word = entry.1;
        self.capitals[word as usize].0 += 1;
        self.capitals[word as usize].1 += 1;
        word
    }
}

/// An integer that orders (value, id) pairs largest value first, in
/// [`f32::total_cmp`]'s order, then smallest id first. Selecting and
/// sorting such keys is much cheaper than calling a two-step comparison.
pub fn rank_key(value: f32, id: u32) -> u64 {
    let bits = value.to_bits();
    // `total_cmp`'s order as unsigned integers: negative values (sign bit
    // set) reversed and below all the others.
    let ascending = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    (u64::from(!ascending) << 32) | u64::from(id)
}

/// The value and id a [`rank_key`] was made of.
pub fn from_rank_key(key: u64) -> (f32, u32) {
    let ascending = !((key >> 32) as u32);
    let bits = if ascending >> 31 == 1 {
        ascending & !(1 << 31)
    } else {
        !ascending
    };
    (f32::from_bits(bits), key as u32)
}

/// Calls `f(id, weight_a, weight_b)` for every id in both sorted rows, in
/// ascending id order.
fn merge(a: &[(u32, f32)], b: &[(u32, f32)], mut f: impl FnMut(u32, f32, f32)) {
    // A table claim can hold hundreds of terms and be a candidate for many
    // claims: walk the short row and search the long one instead of
    // stepping through both.
    if a.len() * 8 < b.len() {
        return search_merge(a, b, &mut f);
    }
    if b.len() * 8 < a.len() {
        return search_merge(b, a, |t, y, x| f(t, x, y));
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let ((x, wx), (y, wy)) = (a[i], b[j]);
        if x == y {
            f(x, wx, wy);
        }
        // Which row is behind is a coin toss at every step: advancing by
        // comparison results instead of a branch avoids a misprediction
        // per step, the main cost of scoring a candidate.
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
}

/// `merge` for a short row against a long one, by binary search.
fn search_merge(short: &[(u32, f32)], long: &[(u32, f32)], mut f: impl FnMut(u32, f32, f32)) {
    let mut lo = 0;
    for &(t, w) in short {
        match long[lo..].binary_search_by_key(&t, |e| e.0) {
            Ok(p) => {
                f(t, w, long[lo + p].1);
                lo += p + 1;
            }
            Err(p) => lo += p,
        }
        if lo >= long.len() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_have_cosine_one_and_disjoint_zero() {
        let idx = TextIndex::build(&[
            "quantum key distribution networks",
            "quantum key distribution networks",
            "rare earth processing capacity",
        ]);
        assert!((idx.cosine(0, 1) - 1.0).abs() < 1e-5);
        assert_eq!(idx.cosine(0, 2), 0.0);
    }

    #[test]
    fn postings_list_claims_in_order() {
        let idx = TextIndex::build(&["export controls", "quantum", "new export rule"]);
        let t = (0..idx.labels.len() as u32)
            .find(|&t| idx.label(t) == "export")
            .unwrap();
        let docs: Vec<u32> = idx.postings.row(t as usize).iter().map(|e| e.0).collect();
        assert_eq!(docs, [0, 2]);
        assert_eq!(idx.df(t), 2);
    }

    #[test]
    fn batch_size_does_not_change_the_index() {
        let texts = [
            "Quantum communication satellites and QKD",
            "quantum Communications in the US",
            "rare earth processing; the U.S. and quantum communication",
            "Rare earths processing capacity and QKD networks",
            "QKD QKD quantum communication quantum communication",
        ];
        let one = TextIndex::build(&texts);
        let cleaned: Vec<_> = texts.iter().map(|t| text::clean(t)).collect();
        let cleaned: Vec<&str> = cleaned.iter().map(|t| t.as_ref()).collect();
        for batch in [1, 2, 3] {
            let other = TextIndex::build_in_batches(&cleaned, &[], batch);
            assert_eq!(other.labels, one.labels, "batch {batch}");
            assert_eq!(other.parts, one.parts, "batch {batch}");
            assert_eq!(other.docs, one.docs, "batch {batch}");
            assert_eq!(other.postings, one.postings, "batch {batch}");
        }
        // First appearance numbers the words; the usual surface labels them.
        assert_eq!(one.labels[..3], ["quantum", "communication", "satellites"]);
        assert_eq!(
            one.label(PAIR_BIT | one.labels.len() as u32),
            "quantum communication"
        );
    }

    #[test]
    fn rounded_frequencies_keep_four_binary_digits() {
        let got: Vec<u32> = [1, 15, 16, 17, 18, 31, 32, 35, 36, 1000, 1023]
            .map(rounded_df)
            .to_vec();
        assert_eq!(got, [1, 15, 16, 16, 18, 30, 32, 32, 36, 960, 960]);
    }

    #[test]
    fn rank_keys_order_like_the_comparison_and_round_trip() {
        let values = [
            0.0f32,
            -0.0,
            1.0,
            0.5,
            -2.0,
            1e-30,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
            0.5,
        ];
        let mut pairs: Vec<(f32, u32)> = values
            .iter()
            .enumerate()
            .map(|(k, &v)| (v, (k * 7 % 5) as u32))
            .collect();
        let mut keys: Vec<u64> = pairs.iter().map(|&(v, t)| rank_key(v, t)).collect();
        pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        keys.sort_unstable();
        let back: Vec<(u32, u32)> = keys
            .iter()
            .map(|&k| from_rank_key(k))
            .map(|(v, t)| (v.to_bits(), t))
            .collect();
        let want: Vec<(u32, u32)> = pairs.iter().map(|&(v, t)| (v.to_bits(), t)).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn spread_similarity_is_bit_identical_to_merging() {
        let texts = [
            "quantum key distribution networks and quantum satellites",
            "quantum satellites launched for key distribution",
            "rare earth processing capacity in China",
            "China expands rare earth processing and quantum networks",
            "networks",
        ];
        let idx = TextIndex::build(&texts);
        let mut dense = vec![0.0f32; idx.terms()];
        for a in 0..texts.len() {
            assert!(idx.spread(a, &mut dense));
            for b in 0..texts.len() {
                let x = idx.similarity(a, b);
                let y = idx.similarity_spread(&dense, b);
                assert_eq!(
                    (x.cosine.to_bits(), x.words, x.telling),
                    (y.cosine.to_bits(), y.words, y.telling),
                    "{a} {b}"
                );
                assert_eq!(
                    idx.shared_labels(a, b, 3),
                    idx.shared_labels_spread(&dense, b, 3)
                );
            }
            idx.unspread(a, &mut dense);
            assert!(dense.iter().all(|&w| w == 0.0));
        }
    }

    #[test]
    fn merge_by_search_matches_stepwise_merge() {
        let long: Vec<(u32, f32)> = (0..200).map(|i| (i * 3, 1.0)).collect();
        let short: Vec<(u32, f32)> = [0, 4, 9, 300, 597, 700].map(|t| (t, 2.0)).to_vec();
        let mut got = Vec::new();
        merge(&short, &long, |t, x, y| got.push((t, x, y)));
        let mut back = Vec::new();
        merge(&long, &short, |t, x, y| back.push((t, y, x)));
        let mut stepwise = Vec::new();
        merge(&short, &long[..40], |t, x, y| stepwise.push((t, x, y)));
        assert_eq!(
            got,
            [
                (0, 2.0, 1.0),
                (9, 2.0, 1.0),
                (300, 2.0, 1.0),
                (597, 2.0, 1.0)
            ]
        );
        assert_eq!(got, back);
        assert_eq!(stepwise, got[..2], "ids 0..120 hold 0 and 9");
    }

    #[test]
    fn rare_shared_words_outweigh_common_ones() {
        let idx = TextIndex::build(&[
            "china leads quantum communication satellites",
            "china leads quantum computing",
            "china quantum satellites",
            "china quantum sensing",
        ]);
        assert_eq!(idx.shared_labels(0, 2, 1), ["satellites"]);
        assert!(idx.cosine(0, 2) > idx.cosine(0, 3));
    }
}
