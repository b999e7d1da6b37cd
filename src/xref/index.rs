//! The inverted index behind related claims: every claim as a sparse,
//! L2-normalised vector of BM25-weighted stems and stem pairs, and every stem's posting
//! list (claim ids as `u32`, with the claim's weight for the stem), both in
//! compressed-row form so that 100,000 claims cost a few tens of megabytes.
//!
//! The cosine of two claim vectors is their text similarity. Building is
//! deterministic: stems get ids in order of first appearance, and posting
//! lists are in ascending claim order.

use std::collections::HashMap;

use rayon::prelude::*;

use super::text;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// Weight of a stem pair relative to a single stem with the same
/// statistics: pairs sharpen the match without drowning the words.
const PAIR_WEIGHT: f32 = 0.5;
/// Weight of a word mostly written with a capital (a name or acronym:
/// "Quad", "Micius", "QKD", "Finland"): what two claims name is a better
/// sign that they speak of the same thing than the common words they use.
const NAME_WEIGHT: f32 = 1.5;
/// Share of capitalised occurrences that makes a word a name.
const NAME_SHARE: f32 = 0.6;
/// Marks a pair id while the index is read; no corpus has 2^31 words.
const PAIR_BIT: u32 = 1 << 31;
/// Claims tokenised per parallel batch; bounds the memory held by token
/// strings before they are interned.
const BATCH: usize = 8192;

/// Sparse vectors in compressed-row form: row `r` is
/// `ids[offsets[r]..offsets[r + 1]]` with the matching `weights`.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    ids: Vec<u32>,
    weights: Vec<f32>,
}

impl Csr {
    /// Row `r` as parallel slices of ids and weights.
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.offsets[r] as usize, self.offsets[r + 1] as usize);
        (&self.ids[a..b], &self.weights[a..b])
    }

    /// Number of entries in row `r`.
    pub fn row_len(&self, r: usize) -> usize {
        (self.offsets[r + 1] - self.offsets[r]) as usize
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The transpose: for each column id below `cols`, the rows holding it,
    /// ascending, with their weights.
    pub fn transpose(&self, cols: usize) -> Csr {
        let mut counts = vec![0u32; cols + 1];
        for &id in &self.ids {
            counts[id as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut ids = vec![0u32; self.ids.len()];
        let mut weights = vec![0f32; self.ids.len()];
        for r in 0..self.rows() {
            let (rid, rw) = self.row(r);
            for (&c, &w) in rid.iter().zip(rw) {
                let slot = next[c as usize] as usize;
                ids[slot] = r as u32;
                weights[slot] = w;
                next[c as usize] += 1;
            }
        }
        Csr {
            offsets,
            ids,
            weights,
        }
    }

    /// Builds from rows that are already sorted by id.
    pub fn from_rows(rows: impl IntoIterator<Item = Vec<(u32, f32)>>) -> Csr {
        let mut csr = Csr {
            offsets: vec![0],
            ids: Vec::new(),
            weights: Vec::new(),
        };
        for row in rows {
            for (id, w) in row {
                csr.ids.push(id);
                csr.weights.push(w);
            }
            csr.offsets.push(csr.ids.len() as u32);
        }
        csr
    }
}

/// The text index of a corpus.
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// Per claim: stem ids and normalised weights, ascending stem id.
    pub docs: Csr,
    /// Per stem: the claims containing it, ascending, with their weights.
    pub postings: Csr,
    /// Per word (term ids below `labels.len()`): the surface form most
    /// often written for it.
    labels: Vec<String>,
    /// Per pair of adjacent words (term ids from `labels.len()` on): the
    /// two word ids.
    parts: Vec<(u32, u32)>,
}

impl TextIndex {
    /// Indexes the texts; claim `i` of the index is `texts[i]`.
    pub fn build(texts: &[&str]) -> TextIndex {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        // Per term id: the two word ids of a pair, `None` for a word.
        // Pairs are numbered apart from words while reading (tagged with
        // PAIR_BIT) and moved after the last word at the end, so per-word
        // data is never allocated for the far more numerous pairs.
        let mut parts: Vec<(u32, u32)> = Vec::new();
        // Per word: surface forms with their counts, and
        // (capitalised occurrences, all occurrences).
        let mut surfaces: Vec<HashMap<String, u32>> = Vec::new();
        let mut capitals: Vec<(u32, u32)> = Vec::new();
        // Per claim: (term id, term frequency), ascending term id.
        let mut counted: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            let tokens: Vec<Vec<text::Token>> = batch.par_iter().map(|t| text::tokens(t)).collect();
            for doc in tokens {
                let mut row: Vec<(u32, u32)> = Vec::with_capacity(2 * doc.len());
                let mut word_ids: Vec<u32> = Vec::with_capacity(doc.len());
                for tok in doc {
                    let next = surfaces.len() as u32;
                    let id = *words.entry(tok.stem).or_insert_with(|| {
                        surfaces.push(HashMap::new());
                        capitals.push((0, 0));
                        next
                    });
                    let i = id as usize;
                    *surfaces[i].entry(tok.surface).or_insert(0) += 1;
                    capitals[i].0 += u32::from(tok.capital);
                    capitals[i].1 += 1;
                    word_ids.push(id);
                    row.push((id, 1));
                }
                // Adjacent pairs of content words ("quantum communication",
                // "export controls", "entity list") are far more specific
                // than either word, so they are index terms too.
                for w in word_ids.windows(2) {
                    let next = parts.len() as u32 | PAIR_BIT;
                    let id = *pairs.entry((w[0], w[1])).or_insert_with(|| {
                        parts.push((w[0], w[1]));
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
                counted.push(row);
            }
        }
        drop(words);
        drop(pairs);
        let n_words = surfaces.len() as u32;
        let n_terms = surfaces.len() + parts.len();
        // Words sort before tagged pairs and keep their order, so rows stay
        // sorted once pairs are renumbered after the words.
        for row in &mut counted {
            for entry in row.iter_mut() {
                if entry.0 & PAIR_BIT != 0 {
                    entry.0 = n_words + (entry.0 & !PAIR_BIT);
                }
            }
        }
        let labels: Vec<String> = surfaces
            .into_iter()
            .map(|m| {
                // Most frequent surface, ties to the alphabetically first.
                m.into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(s, _)| s)
                    .unwrap_or_default()
            })
            .collect();

        let mut df = vec![0u32; n_terms];
        let mut total_len = 0u64;
        for row in &counted {
            for &(t, tf) in row {
                df[t as usize] += 1;
                total_len += u64::from(tf);
            }
        }
        let n = counted.len().max(1) as f32;
        let avg_len = (total_len as f32 / n).max(1.0);
        let weight: Vec<f32> = (0..n_terms)
            .map(|t| {
                let d = df[t] as f32;
                let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
                let boost = if t >= n_words as usize {
                    PAIR_WEIGHT
                } else if capitals[t].0 as f32 >= NAME_SHARE * capitals[t].1 as f32 {
                    NAME_WEIGHT
                } else {
                    1.0
                };
                idf * boost
            })
            .collect();
        drop(capitals);
        let (weight, df_ref) = (&weight, &df);
        let rows = counted.into_par_iter().map(|row| {
            let len: u32 = row.iter().map(|r| r.1).sum();
            let norm_len = 1.0 - B + B * len as f32 / avg_len;
            let mut weighted: Vec<(u32, f32)> = row
                .iter()
                .map(|&(t, tf)| {
                    let tf = tf as f32;
                    (
                        t,
                        weight[t as usize] * tf * (K1 + 1.0) / (tf + K1 * norm_len),
                    )
                })
                .collect();
            let norm = weighted.iter().map(|w| w.1 * w.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                for w in &mut weighted {
                    w.1 /= norm;
                }
            }
            // A term no other claim holds counts in the norm (it is part of
            // what this claim says) but can never be shared: not stored.
            weighted.retain(|&(t, _)| df_ref[t as usize] > 1);
            weighted.shrink_to_fit();
            weighted
        });
        let rows: Vec<Vec<(u32, f32)>> = rows.collect();
        let docs = Csr::from_rows(rows);
        let postings = docs.transpose(n_terms);
        TextIndex {
            docs,
            postings,
            labels,
            parts,
        }
    }

    /// Number of claims holding stem `t`.
    pub fn df(&self, t: u32) -> usize {
        self.postings.row_len(t as usize)
    }

    /// Cosine similarity of claims `a` and `b`.
    pub fn cosine(&self, a: usize, b: usize) -> f32 {
        self.similarity(a, b).0
    }

    /// Cosine similarity of claims `a` and `b`, and how many single stems
    /// (not pairs) they share.
    pub fn similarity(&self, a: usize, b: usize) -> (f32, u32) {
        let mut sum = 0.0;
        let mut words = 0;
        merge(self.docs.row(a), self.docs.row(b), |t, wa, wb| {
            sum += wa * wb;
            words += u32::from((t as usize) < self.labels.len());
        });
        (sum, words)
    }

    /// The stems claims `a` and `b` share, largest contribution to their
    /// cosine first (ties by stem id), as display labels.
    pub fn shared_labels(&self, a: usize, b: usize, limit: usize) -> Vec<String> {
        let mut shared: Vec<(f32, u32)> = Vec::new();
        merge(self.docs.row(a), self.docs.row(b), |t, wa, wb| {
            shared.push((wa * wb, t))
        });
        shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        shared
            .into_iter()
            .take(limit)
            .map(|(_, t)| self.label(t))
            .collect()
    }

    /// How a term is shown: its usual surface form, or the pair's two.
    pub fn label(&self, t: u32) -> String {
        let t = t as usize;
        match self.parts.get(t.wrapping_sub(self.labels.len())) {
            Some(&(a, b)) if t >= self.labels.len() => {
                format!("{} {}", self.labels[a as usize], self.labels[b as usize])
            }
            _ => self.labels.get(t).cloned().unwrap_or_default(),
        }
    }
}

/// Calls `f(id, weight_a, weight_b)` for every id in both sorted rows, in
/// ascending id order.
fn merge(a: (&[u32], &[f32]), b: (&[u32], &[f32]), mut f: impl FnMut(u32, f32, f32)) {
    // A table claim can hold hundreds of terms and be a candidate for many
    // claims: walk the short row and search the long one instead of
    // stepping through both.
    if a.0.len() * 8 < b.0.len() {
        return search_merge(a, b, &mut f);
    }
    if b.0.len() * 8 < a.0.len() {
        return search_merge(b, a, |t, y, x| f(t, x, y));
    }
    let (mut i, mut j) = (0, 0);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a.0[i], a.1[i], b.1[j]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// `merge` for a short row against a long one, by binary search.
fn search_merge(short: (&[u32], &[f32]), long: (&[u32], &[f32]), mut f: impl FnMut(u32, f32, f32)) {
    let mut lo = 0;
    for (k, &t) in short.0.iter().enumerate() {
        match long.0[lo..].binary_search(&t) {
            Ok(p) => {
                f(t, short.1[k], long.1[lo + p]);
                lo += p + 1;
            }
            Err(p) => lo += p,
        }
        if lo >= long.0.len() {
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
        let t = (0..(idx.labels.len() + idx.parts.len()) as u32)
            .find(|&t| idx.label(t) == "export")
            .unwrap();
        assert_eq!(idx.postings.row(t as usize).0, &[0, 2]);
        assert_eq!(idx.df(t), 2);
    }

    #[test]
    fn merge_by_search_matches_stepwise_merge() {
        let long: Vec<u32> = (0..200).map(|i| i * 3).collect();
        let lw = vec![1.0f32; long.len()];
        let short = [0u32, 4, 9, 300, 597, 700];
        let sw = [2.0f32; 6];
        let mut got = Vec::new();
        merge((&short, &sw), (&long, &lw), |t, x, y| got.push((t, x, y)));
        let mut back = Vec::new();
        merge((&long, &lw), (&short, &sw), |t, x, y| back.push((t, y, x)));
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
