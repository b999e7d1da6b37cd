//! Aggregates over tags: which claims each term covers (its own and its
//! descendants'), which terms of the other taxonomies are tagged together
//! with it, the country × policy matrix of the home page, and the
//! recommendation claims of each policy grouped by brief.
//!
//! A claim tagged with a child term counts for every ancestor, as the term
//! pages list it there too. Everything here is a single pass over the
//! claims' tags (a handful per claim), so it grows linearly.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{BriefGroup, Matrix, Taxonomy, TermKey, Vocab, XrefClaim};

/// Tag aggregates of a corpus, before they are copied into `Xref`.
pub(crate) struct TagStats {
    /// Interned terms (every term some claim carries, with ancestors).
    pub terms: Vec<TermKey>,
    /// Per term id: claims carrying it or a descendant, ascending.
    pub claims: Vec<Vec<u32>>,
    /// Per claim: its term ids with ancestors, ascending (row `c` is
    /// `by_claim[offsets[c]..offsets[c + 1]]`).
    offsets: Vec<u32>,
    by_claim: Vec<u32>,
}

/// The term and its ancestors, nearest first; stops at a cycle or an
/// unknown parent so that a bad vocabulary cannot hang the build.
pub fn with_ancestors<'a>(vocab: &Vocab<'a>, taxonomy: Taxonomy, id: &'a str) -> Vec<&'a str> {
    let parents = vocab.parents(taxonomy);
    let mut out = vec![id];
    let mut cur = id;
    while let Some(&p) = parents.get(cur) {
        if out.contains(&p) {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

impl TagStats {
    /// Interns every term of every claim (with ancestors) and lists its
    /// claims. Terms are numbered in order of first appearance; each
    /// distinct tag is expanded to its ancestors once.
    pub fn build(claims: &[XrefClaim<'_>], vocab: &Vocab<'_>) -> TagStats {
        let mut ids: FxHashMap<(Taxonomy, &str), u32> = FxHashMap::default();
        // Per distinct tag: its term id and its ancestors' (a range of
        // `expansions`).
        let mut expanded_tags: FxHashMap<(Taxonomy, &str), (u32, u32)> = FxHashMap::default();
        let mut expansions: Vec<u32> = Vec::new();
        let mut terms: Vec<TermKey> = Vec::new();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        let mut offsets: Vec<u32> = Vec::with_capacity(claims.len() + 1);
        offsets.push(0);
        let mut by_claim: Vec<u32> = Vec::new();
        let mut expanded: Vec<u32> = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            expanded.clear();
            for tax in Taxonomy::ALL {
                for tag in c.tags(tax) {
                    let (from, to) =
                        *expanded_tags.entry((tax, tag.as_str())).or_insert_with(|| {
                            let from = expansions.len() as u32;
                            for term in with_ancestors(vocab, tax, tag.as_str()) {
                                let next = terms.len() as u32;
                                let id = *ids.entry((tax, term)).or_insert_with(|| {
                                    terms.push(TermKey::new(tax, term));
                                    lists.push(Vec::new());
                                    next
                                });
                                expansions.push(id);
                            }
                            (from, expansions.len() as u32)
                        });
                    expanded.extend_from_slice(&expansions[from as usize..to as usize]);
                }
            }
            expanded.sort_unstable();
            expanded.dedup();
            for &t in &expanded {
                lists[t as usize].push(i as u32);
            }
            by_claim.extend_from_slice(&expanded);
            offsets.push(by_claim.len() as u32);
        }
        TagStats {
            terms,
            claims: lists,
            offsets,
            by_claim,
        }
    }

    /// Claim `c`'s term ids with ancestors, ascending.
    fn terms_of(&self, c: usize) -> &[u32] {
        &self.by_claim[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    /// Number of claims.
    fn n_claims(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Per term, the terms of other taxonomies carried by the same claims,
    /// with how many claims carry both; most frequent first, then by key.
    pub fn cooccurring(&self) -> BTreeMap<TermKey, Vec<(TermKey, u32)>> {
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for c in 0..self.n_claims() {
            let terms = self.terms_of(c);
            for (k, &a) in terms.iter().enumerate() {
                for &b in &terms[k + 1..] {
                    if self.terms[a as usize].taxonomy != self.terms[b as usize].taxonomy {
                        *pairs.entry((a, b)).or_insert(0) += 1;
                    }
                }
            }
        }
        // Per term id, then keyed; each list holds every other term once,
        // so the sort below fixes its order whatever the map's.
        let mut by_term: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.terms.len()];
        for ((a, b), n) in pairs {
            by_term[a as usize].push((b, n));
            by_term[b as usize].push((a, n));
        }
        self.terms
            .iter()
            .zip(by_term)
            .filter(|(_, list)| !list.is_empty())
            .map(|(key, list)| {
                let mut list: Vec<(TermKey, u32)> = list
                    .into_iter()
                    .map(|(t, n)| (self.terms[t as usize].clone(), n))
                    .collect();
                list.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                (key.clone(), list)
            })
            .collect()
    }

    /// Claims per term, keyed by term.
    pub fn term_claims(self) -> BTreeMap<TermKey, Vec<u32>> {
        self.terms.into_iter().zip(self.claims).collect()
    }

    /// The matrix of the `rows` countries and `cols` policies with the most
    /// claims (ties by id).
    pub fn matrix(&self, rows: usize, cols: usize) -> Matrix {
        let top = |tax: Taxonomy, k: usize| -> Vec<usize> {
            let mut ts: Vec<usize> = (0..self.terms.len())
                .filter(|&t| self.terms[t].taxonomy == tax)
                .collect();
            ts.sort_by(|&a, &b| {
                self.claims[b]
                    .len()
                    .cmp(&self.claims[a].len())
                    .then_with(|| self.terms[a].id.cmp(&self.terms[b].id))
            });
            ts.truncate(k);
            ts
        };
        let r = top(Taxonomy::Countries, rows);
        let c = top(Taxonomy::Policies, cols);
        // Counted claim by claim (a handful of terms each) rather than by
        // intersecting the long claim lists of the most common terms.
        let mut row_of = vec![None; self.terms.len()];
        let mut col_of = vec![None; self.terms.len()];
        for (k, &t) in r.iter().enumerate() {
            row_of[t] = Some(k);
        }
        for (k, &t) in c.iter().enumerate() {
            col_of[t] = Some(k);
        }
        let mut counts = vec![vec![0u32; c.len()]; r.len()];
        for claim in 0..self.n_claims() {
            let terms = self.terms_of(claim);
            for &a in terms {
                let Some(row) = row_of[a as usize] else {
                    continue;
                };
                for &b in terms {
                    if let Some(col) = col_of[b as usize] {
                        counts[row][col] += 1;
                    }
                }
            }
        }
        let label = |ts: &[usize]| -> Vec<(String, u32)> {
            ts.iter()
                .map(|&t| (self.terms[t].id.clone(), self.claims[t].len() as u32))
                .collect()
        };
        Matrix {
            countries: label(&r),
            policies: label(&c),
            counts,
        }
    }

    /// Per policy (with ancestors), its `recommendation` claims grouped by
    /// brief: groups by brief id, claims in brief order.
    pub fn recommendations(&self, claims: &[XrefClaim<'_>]) -> BTreeMap<String, Vec<BriefGroup>> {
        let mut out = BTreeMap::new();
        for (t, key) in self.terms.iter().enumerate() {
            if key.taxonomy != Taxonomy::Policies {
                continue;
            }
            let mut by_brief: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &c in &self.claims[t] {
                let claim = &claims[c as usize];
                if claim.kind == "recommendation" {
                    by_brief.entry(claim.brief).or_default().push(c as usize);
                }
            }
            if by_brief.is_empty() {
                continue;
            }
            let groups = by_brief
                .into_iter()
                .map(|(brief, mut list)| {
                    list.sort_by_key(|&c| (claims[c].order, c));
                    BriefGroup {
                        brief: brief.to_string(),
                        claims: list,
                    }
                })
                .collect();
            out.insert(key.id.clone(), groups);
        }
        out
    }
}

/// Number of ids in both ascending lists.
pub fn intersect_len(a: &[u32], b: &[u32]) -> u32 {
    intersect(a, b).len() as u32
}

/// Ids in both ascending lists, ascending. When one list is much shorter
/// (a rare term against `china`), each of its ids is found in the other by
/// binary search on the remaining tail, so the cost follows the short list.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::new();
    if short.len().saturating_mul(16) < long.len() {
        let mut rest = long;
        for &x in short {
            match rest.binary_search(&x) {
                Ok(k) => {
                    out.push(x);
                    rest = &rest[k + 1..];
                }
                Err(k) => rest = &rest[k..],
            }
            if rest.is_empty() {
                break;
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod intersect_tests {
    use super::intersect;

    #[test]
    fn short_and_balanced_lists_agree() {
        let long: Vec<u32> = (0..1000).map(|i| i * 3).collect();
        let short = vec![0, 4, 9, 10, 2997, 3000];
        assert_eq!(intersect(&short, &long), [0, 9, 2997]);
        assert_eq!(intersect(&long, &short), [0, 9, 2997]);
        let b: Vec<u32> = (0..500).map(|i| i * 2).collect();
        let want: Vec<u32> = (0..500).map(|i| i * 6).filter(|&x| x < 1000).collect();
        assert_eq!(intersect(&long, &b), want);
        assert!(intersect(&[], &long).is_empty());
    }
}
