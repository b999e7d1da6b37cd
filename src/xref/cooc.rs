//! Aggregates over tags: which claims each term covers (its own and its
//! descendants'), which terms of the other taxonomies are tagged together
//! with it, the country × policy matrix of the home page, and the
//! recommendation claims of each policy grouped by brief.
//!
//! A claim tagged with a child term counts for every ancestor, as the term
//! pages list it there too. Everything here is a single pass over the
//! claims' tags (a handful per claim), so it grows linearly.

use std::collections::{BTreeMap, HashMap};

use super::{BriefGroup, Matrix, Taxonomy, TermKey, Vocab, XrefClaim};

/// Tag aggregates of a corpus, before they are copied into `Xref`.
pub(crate) struct TagStats {
    /// Interned terms (every term some claim carries, with ancestors).
    pub terms: Vec<TermKey>,
    /// Per term id: claims carrying it or a descendant, ascending.
    pub claims: Vec<Vec<u32>>,
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
    /// Interns every term of every claim (with ancestors) and lists its claims.
    pub fn build(claims: &[XrefClaim<'_>], vocab: &Vocab<'_>) -> TagStats {
        let mut ids: HashMap<(Taxonomy, &str), u32> = HashMap::new();
        let mut terms: Vec<TermKey> = Vec::new();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        let mut expanded: Vec<u32> = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            expanded.clear();
            for tax in Taxonomy::ALL {
                for tag in c.tags(tax) {
                    for term in with_ancestors(vocab, tax, tag.as_str()) {
                        let next = terms.len() as u32;
                        let id = *ids.entry((tax, term)).or_insert_with(|| {
                            terms.push(TermKey::new(tax, term));
                            lists.push(Vec::new());
                            next
                        });
                        expanded.push(id);
                    }
                }
            }
            expanded.sort_unstable();
            expanded.dedup();
            for &t in &expanded {
                lists[t as usize].push(i as u32);
            }
        }
        TagStats {
            terms,
            claims: lists,
        }
    }

    /// Per term, the terms of other taxonomies carried by the same claims,
    /// with how many claims carry both; most frequent first, then by key.
    pub fn cooccurring(&self, n_claims: usize) -> BTreeMap<TermKey, Vec<(TermKey, u32)>> {
        // Claims' expanded term lists, rebuilt from the per-term lists.
        let mut per_claim: Vec<Vec<u32>> = vec![Vec::new(); n_claims];
        for (t, list) in self.claims.iter().enumerate() {
            for &c in list {
                per_claim[c as usize].push(t as u32);
            }
        }
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        for terms in &per_claim {
            for (k, &a) in terms.iter().enumerate() {
                for &b in &terms[k + 1..] {
                    if self.terms[a as usize].taxonomy != self.terms[b as usize].taxonomy {
                        *pairs.entry((a, b)).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut out: BTreeMap<TermKey, Vec<(TermKey, u32)>> = BTreeMap::new();
        for ((a, b), n) in pairs {
            let (ka, kb) = (&self.terms[a as usize], &self.terms[b as usize]);
            out.entry(ka.clone()).or_default().push((kb.clone(), n));
            out.entry(kb.clone()).or_default().push((ka.clone(), n));
        }
        for list in out.values_mut() {
            list.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        }
        out
    }

    /// Claims per term, keyed by term.
    pub fn term_claims(&self) -> BTreeMap<TermKey, Vec<u32>> {
        self.terms
            .iter()
            .cloned()
            .zip(self.claims.iter().cloned())
            .collect()
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
        let counts = r
            .iter()
            .map(|&a| {
                c.iter()
                    .map(|&b| intersect_len(&self.claims[a], &self.claims[b]))
                    .collect()
            })
            .collect();
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
