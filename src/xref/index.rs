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
    /// Per stem: the surface form most often written for it.
    pub labels: Vec<String>,
    /// Per stem: true for a pair of adjacent stems.
    pub is_pair: Vec<bool>,
}

impl TextIndex {
    /// Indexes the texts; claim `i` of the index is `texts[i]`.
    pub fn build(texts: &[&str]) -> TextIndex {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut surfaces: Vec<HashMap<String, u32>> = Vec::new();
        // Per stem: (capitalised occurrences, all occurrences).
        let mut capitals: Vec<(u32, u32)> = Vec::new();
        // Per claim: (stem id, term frequency), ascending stem id.
        let mut counted: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            let tokens: Vec<Vec<text::Token>> = batch.par_iter().map(|t| text::tokens(t)).collect();
            for doc in tokens {
                let mut row: Vec<(u32, u32)> = Vec::with_capacity(2 * doc.len());
                let mut intern = |stem: String, surface: String, capital: bool| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(stem).or_insert(next);
                    if id as usize == surfaces.len() {
                        surfaces.push(HashMap::new());
                        capitals.push((0, 0));
                    }
                    *surfaces[id as usize].entry(surface).or_insert(0) += 1;
                    let c = &mut capitals[id as usize];
                    c.0 += u32::from(capital);
                    c.1 += 1;
                    row.push((id, 1));
                };
                // Adjacent pairs of content words ("quantum communication",
                // "export controls", "entity list") are far more specific
                // than either word, so they are index terms too. A space
                // never occurs inside a stem, so pairs and words cannot clash.
                for pair in doc.windows(2) {
                    intern(
                        format!("{} {}", pair[0].stem, pair[1].stem),
                        format!("{} {}", pair[0].surface, pair[1].surface),
                        false,
                    );
                }
                for tok in doc {
                    intern(tok.stem, tok.surface, tok.capital);
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
        let n_terms = ids.len();
        let mut is_pair = vec![false; n_terms];
        for (stem, &id) in &ids {
            is_pair[id as usize] = stem.contains(' ');
        }
        drop(ids);
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
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| (1.0 + (n - d as f32 + 0.5) / (d as f32 + 0.5)).ln())
            .collect();
        let boost: Vec<f32> = (0..n_terms)
            .map(|t| {
                let (caps, all) = capitals[t];
                if is_pair[t] {
                    PAIR_WEIGHT
                } else if caps as f32 >= NAME_SHARE * all as f32 {
                    NAME_WEIGHT
                } else {
                    1.0
                }
            })
            .collect();
        drop(capitals);
        let boost = &boost;
        let rows = counted.into_par_iter().map(|row| {
            let len: u32 = row.iter().map(|r| r.1).sum();
            let norm_len = 1.0 - B + B * len as f32 / avg_len;
            let mut weighted: Vec<(u32, f32)> = row
                .into_iter()
                .map(|(t, tf)| {
                    let tf = tf as f32;
                    let w = idf[t as usize] * tf * (K1 + 1.0) / (tf + K1 * norm_len);
                    (t, w * boost[t as usize])
                })
                .collect();
            let norm = weighted.iter().map(|w| w.1 * w.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                for w in &mut weighted {
                    w.1 /= norm;
                }
            }
            weighted
        });
        let rows: Vec<Vec<(u32, f32)>> = rows.collect();
        let docs = Csr::from_rows(rows);
        let postings = docs.transpose(n_terms);
        TextIndex {
            docs,
            postings,
            labels,
            is_pair,
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
            words += u32::from(!self.is_pair[t as usize]);
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
            .map(|(_, t)| self.labels[t as usize].clone())
            .collect()
    }
}

/// Calls `f(id, weight_a, weight_b)` for every id in both sorted rows.
fn merge(a: (&[u32], &[f32]), b: (&[u32], &[f32]), mut f: impl FnMut(u32, f32, f32)) {
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
        let t = idx.labels.iter().position(|l| l == "export").unwrap() as u32;
        assert_eq!(idx.postings.row(t as usize).0, &[0, 2]);
        assert_eq!(idx.df(t), 2);
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
