//! Aggregates over tags: which terms of the other taxonomies are tagged
//! together with each term, the matrix of the home page, the pairs of terms
//! those link to (each with its claims), the recommendation claims of each
//! term, and each term's figures table.
//!
//! A claim tagged with a child term counts for every ancestor, as the term
//! pages list it there too. Co-occurrence and the matrix are one pass over
//! the claims' tags (a handful per claim), so they grow linearly; the pairs
//! are bounded by the vocabularies, not by the corpus.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::annotations::{CoTerm, Compared, Matrix, TermFigures, TermPair};
use super::figures::{Figure, FigureKind};
use crate::content::model::{BriefIx, ClaimIx, Kind, Site, TermIx};

/// A term of one taxonomy: (taxonomy index, term).
pub type TermRef = (usize, TermIx);

/// Each claim's terms with their ancestors, as one id space (a taxonomy's
/// terms after the previous taxonomy's).
pub(crate) struct TagStats {
    /// First id of each taxonomy.
    first: Vec<u32>,
    /// Per claim: its term ids with ancestors, ascending (row `c` is
    /// `by_claim[offsets[c]..offsets[c + 1]]`).
    offsets: Vec<u32>,
    by_claim: Vec<u32>,
}

impl TagStats {
    /// Expands each claim's tags to their ancestors, each distinct tag once.
    pub fn build(site: &Site) -> TagStats {
        let mut first = Vec::with_capacity(site.taxonomies.len());
        let mut next = 0u32;
        for tax in &site.taxonomies {
            first.push(next);
            next += tax.terms.len() as u32;
        }
        let mut offsets: Vec<u32> = Vec::with_capacity(site.claims.len() + 1);
        offsets.push(0);
        let mut by_claim: Vec<u32> = Vec::new();
        let mut expanded: Vec<u32> = Vec::new();
        for c in &site.claims {
            expanded.clear();
            for (x, list) in c.tags.iter().enumerate() {
                let tax = &site.taxonomies[x];
                for &t in list {
                    expanded.push(first[x] + t);
                    expanded.extend(tax.ancestors(t).map(|a| first[x] + a));
                }
            }
            expanded.sort_unstable();
            expanded.dedup();
            by_claim.extend_from_slice(&expanded);
            offsets.push(by_claim.len() as u32);
        }
        TagStats {
            first,
            offsets,
            by_claim,
        }
    }

    /// Claim `c`'s term ids with ancestors, ascending.
    fn terms_of(&self, c: usize) -> &[u32] {
        &self.by_claim[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    /// The taxonomy and term of an id.
    fn term(&self, id: u32) -> TermRef {
        let x = self.first.partition_point(|&f| f <= id) - 1;
        (x, id - self.first[x])
    }

    /// Per term, the terms of other taxonomies carried by the same claims:
    /// at most `per_taxonomy` of each other taxonomy, most claims first
    /// (then in table order, then by term id). Each listed pair is interned
    /// in `pairs`.
    pub fn cooccurring(
        &self,
        site: &Site,
        per_taxonomy: usize,
        pairs: &mut Pairs,
    ) -> HashMap<TermRef, Vec<CoTerm>> {
        let mut counts: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for c in 0..site.claims.len() {
            let terms = self.terms_of(c);
            for (k, &a) in terms.iter().enumerate() {
                for &b in &terms[k + 1..] {
                    if self.term(a).0 != self.term(b).0 {
                        *counts.entry((a, b)).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut by_term: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        for ((a, b), n) in counts {
            by_term.entry(a).or_default().push((b, n));
            by_term.entry(b).or_default().push((a, n));
        }
        // Terms in table order, then by id, so that pairs are interned (and
        // their pages planned) in an order that does not depend on the
        // vocabulary files' term order.
        let key_of = |id: u32| {
            let (x, t) = self.term(id);
            (x, site.term(x, t).id.as_str())
        };
        let mut keys: Vec<u32> = by_term.keys().copied().collect();
        keys.sort_unstable_by(|&a, &b| key_of(a).cmp(&key_of(b)));
        let mut out = HashMap::new();
        for a in keys {
            let mut list = by_term.remove(&a).unwrap_or_default();
            list.sort_by(|p, q| q.1.cmp(&p.1).then_with(|| key_of(p.0).cmp(&key_of(q.0))));
            let me = self.term(a);
            let mut taken = vec![0usize; site.taxonomies.len()];
            let mut terms = Vec::new();
            for (b, n) in list {
                let them = self.term(b);
                if taken[them.0] >= per_taxonomy {
                    continue;
                }
                taken[them.0] += 1;
                terms.push(CoTerm {
                    taxonomy: them.0,
                    term: them.1,
                    shared: n as usize,
                    pair: pairs.intern(me, them),
                });
            }
            if !terms.is_empty() {
                out.insert(me, terms);
            }
        }
        out
    }

    /// The matrix of the `rows` terms of taxonomy `rx` and the `cols` terms
    /// of taxonomy `cx` with the most claims (ties by id); `None` when
    /// either side has no term with claims. Each non-empty cell's pair is
    /// interned in `pairs`.
    pub fn matrix(
        &self,
        site: &Site,
        rx: usize,
        cx: usize,
        rows: usize,
        cols: usize,
        pairs: &mut Pairs,
    ) -> Option<Matrix> {
        let top = |x: usize, k: usize| -> Vec<TermIx> {
            let Some(tax) = site.taxonomies.get(x) else {
                return Vec::new();
            };
            let mut ts: Vec<TermIx> = (0..tax.terms.len() as TermIx)
                .filter(|&t| !site.claims_of(x, t).is_empty())
                .collect();
            ts.sort_by(|&a, &b| {
                site.claims_of(x, b)
                    .len()
                    .cmp(&site.claims_of(x, a).len())
                    .then_with(|| site.term(x, a).id.cmp(&site.term(x, b).id))
            });
            ts.truncate(k);
            ts
        };
        let (r, c) = (top(rx, rows), top(cx, cols));
        if r.is_empty() || c.is_empty() {
            return None;
        }
        // Counted claim by claim (a handful of terms each) rather than by
        // intersecting the long claim lists of the most common terms.
        let mut row_of: FxHashMap<u32, usize> = FxHashMap::default();
        let mut col_of: FxHashMap<u32, usize> = FxHashMap::default();
        for (k, &t) in r.iter().enumerate() {
            row_of.insert(self.first[rx] + t, k);
        }
        for (k, &t) in c.iter().enumerate() {
            col_of.insert(self.first[cx] + t, k);
        }
        let mut counts = vec![vec![0usize; c.len()]; r.len()];
        for claim in 0..site.claims.len() {
            let terms = self.terms_of(claim);
            for a in terms {
                let Some(&row) = row_of.get(a) else { continue };
                for b in terms {
                    if let Some(&col) = col_of.get(b) {
                        counts[row][col] += 1;
                    }
                }
            }
        }
        let cells = counts
            .iter()
            .zip(&r)
            .map(|(row, &rt)| {
                row.iter()
                    .zip(&c)
                    .map(|(&n, &ct)| (n > 0).then(|| pairs.intern((rx, rt), (cx, ct))))
                    .collect()
            })
            .collect();
        Some(Matrix {
            row_taxonomy: rx,
            col_taxonomy: cx,
            rows: r,
            cols: c,
            counts,
            pairs: cells,
        })
    }
}

/// Pairs of terms as pages link them, numbered in the order first linked;
/// each is keyed with the earlier taxonomy first.
#[derive(Debug, Default)]
pub(crate) struct Pairs {
    ids: HashMap<(TermRef, TermRef), usize>,
    keys: Vec<(TermRef, TermRef)>,
}

impl Pairs {
    /// The number of the pair of `a` and `b`.
    pub fn intern(&mut self, a: TermRef, b: TermRef) -> usize {
        let key = if a <= b { (a, b) } else { (b, a) };
        *self.ids.entry(key).or_insert_with(|| {
            self.keys.push(key);
            self.keys.len() - 1
        })
    }

    /// Every pair with the claims carrying both terms (reading order,
    /// descendants included), in parallel.
    pub fn lists(self, site: &Site) -> Vec<TermPair> {
        self.keys
            .par_iter()
            .map(|&(a, b)| TermPair {
                a,
                b,
                claims: intersect(site.claims_of(a.0, a.1), site.claims_of(b.0, b.1)),
            })
            .collect()
    }
}

/// Per term of a taxonomy with recommendation pages: its `recommendation`
/// claims (descendants included) in reading order; terms without any are
/// left out.
pub fn recommendations(site: &Site) -> HashMap<TermRef, Vec<ClaimIx>> {
    let mut out = HashMap::new();
    for (x, tax) in site.taxonomies.iter().enumerate() {
        if !tax.def.recommendations {
            continue;
        }
        for t in 0..tax.terms.len() as TermIx {
            let claims: Vec<ClaimIx> = site
                .claims_of(x, t)
                .iter()
                .copied()
                .filter(|&c| site.claims[c as usize].kind == Kind::Recommendation)
                .collect();
            if !claims.is_empty() {
                out.insert((x, t), claims);
            }
        }
    }
    out
}

/// Which way a recommendation points: to act (impose, expand, fund) or to
/// hold back (avoid, refrain, not impose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Act,
    HoldBack,
}

/// Phrases that turn a recommendation against an action.
const HOLD_BACK: &[&str] = &[
    "avoid",
    "refrain",
    "should not",
    "must not",
    "shouldn't",
    "need not",
    "not impose",
    "not introduce",
    "not adopt",
    "not expand",
    "resist",
    "oppose",
    "ease ",
    "loosen",
    "relax",
    "lift ",
    "scale back",
    "roll back",
    "rather than impos",
    "against impos",
    "caution against",
    "be wary of",
    "not be used",
    "premature",
];

/// The direction of a recommendation's text, if it has one: holding
/// back wins over the `should` every recommendation has.
pub fn direction(text: &str) -> Option<Direction> {
    let t = text.to_lowercase();
    if HOLD_BACK.iter().any(|p| t.contains(p)) {
        Some(Direction::HoldBack)
    } else if ["should", "must", "need to", "ought to", "recommend", "urge"]
        .iter()
        .any(|p| t.contains(p))
    {
        Some(Direction::Act)
    } else {
        None
    }
}

/// Per claim (may be shorter), the related claims of other briefs whose
/// recommendation on a policy they share points the other way ("impose
/// controls" against "avoid controls"), ascending.
pub fn opposing(site: &Site, related: &[Vec<super::RelatedClaim>]) -> Vec<Vec<ClaimIx>> {
    let dirs = directions(site);
    (0..related.len())
        .map(|i| opposing_of(site, related, &dirs, i))
        .collect()
}

/// Which way each claim points, if it is a recommendation that says.
pub fn directions(site: &Site) -> Vec<Option<Direction>> {
    (0..site.claims.len())
        .map(|c| directions_of(site, c))
        .collect()
}

/// Which way claim `c` points, if it is a recommendation that says.
pub fn directions_of(site: &Site, c: usize) -> Option<Direction> {
    let claim = &site.claims[c];
    (claim.kind == Kind::Recommendation)
        .then(|| direction(&claim.body))
        .flatten()
}

/// [`opposing`] of claim `i`, given every claim's [`directions`].
pub fn opposing_of(
    site: &Site,
    related: &[Vec<super::RelatedClaim>],
    dirs: &[Option<Direction>],
    i: usize,
) -> Vec<ClaimIx> {
    let policy_tags = |c: usize| {
        site.taxonomies
            .iter()
            .enumerate()
            .filter(|(_, tax)| tax.def.recommendations)
            .flat_map(move |(x, _)| {
                site.claims[c]
                    .tags
                    .get(x)
                    .into_iter()
                    .flatten()
                    .map(move |&t| (x, t))
            })
    };
    let Some(di) = dirs.get(i).copied().flatten() else {
        return Vec::new();
    };
    let mine: Vec<(usize, TermIx)> = policy_tags(i).collect();
    let mut out: Vec<ClaimIx> = related[i]
        .iter()
        .map(|r| r.claim)
        .filter(|&j| {
            let j = j as usize;
            site.claims[j].brief != site.claims[i].brief
                && dirs.get(j).copied().flatten().is_some_and(|dj| dj != di)
                && policy_tags(j).any(|t| mine.contains(&t))
        })
        .collect();
    out.sort_unstable();
    out
}

/// Whether a figure belongs in a term's figures table: amounts, shares and
/// counts, which readers compare across briefs. Bare years and dates are
/// shown on the claim page only (nearly every claim has one).
fn tabled(kind: FigureKind) -> bool {
    !matches!(kind, FigureKind::Year)
}

/// Per term with figures, its table rows: amounts, then shares, then counts,
/// each in reading order. Beyond `limit` rows, rows are taken from the
/// briefs in turn, so every brief that states a figure keeps some.
pub fn term_figures(
    site: &Site,
    figures: &[Vec<Figure>],
    limit: usize,
) -> HashMap<TermRef, TermFigures> {
    let keys: Vec<TermRef> = site
        .taxonomies
        .iter()
        .enumerate()
        .flat_map(|(x, tax)| (0..tax.terms.len()).map(move |t| (x, t as TermIx)))
        .collect();
    keys.into_par_iter()
        .filter_map(|key| Some((key, term_figures_of(site, figures, limit, key)?)))
        .collect()
}

/// [`term_figures`] of one term: `None` when no claim of it states a
/// figure.
pub fn term_figures_of(
    site: &Site,
    figures: &[Vec<Figure>],
    limit: usize,
    (x, t): TermRef,
) -> Option<TermFigures> {
    let tax = &site.taxonomies[x];
    let mut rows: Vec<(ClaimIx, u32)> = Vec::new();
    let mut alongside: Vec<(ClaimIx, u32)> = Vec::new();
    for &c in site.claims_of(x, t) {
        if let Some(list) = figures.get(c as usize) {
            for (k, f) in list.iter().enumerate() {
                if !tabled(f.kind) {
                    continue;
                }
                let about = match f.subjects.iter().find(|s| s.0 == x) {
                    Some(&(_, s)) => within(tax, s, t),
                    // A claim that names no term of the taxonomy near the
                    // figure ("It reports $15 billion") states it about its
                    // one tag, if it has one.
                    None => {
                        !f.worldwide
                            && matches!(
                                site.claims[c as usize].tags.get(x).map(Vec::as_slice),
                                Some(&[only]) if within(tax, only, t)
                            )
                    }
                };
                if about {
                    rows.push((c, k as u32));
                } else {
                    alongside.push((c, k as u32));
                }
            }
        }
    }
    if rows.is_empty() && alongside.is_empty() {
        return None;
    }
    let (total, alongside_total) = (rows.len(), alongside.len());
    let order = |rows: Vec<(ClaimIx, u32)>| {
        let mut rows = if rows.len() > limit {
            round_robin(site, rows, limit)
        } else {
            rows
        };
        rows.sort_by_key(|&(c, k)| (figures[c as usize][k as usize].kind, c, k));
        rows
    };
    let compared = compare(site, figures, &rows, x, t);
    Some(TermFigures {
        compared,
        rows: order(rows),
        total,
        alongside: order(alongside),
        alongside_total,
    })
}

/// Figures compared per term, at most.
const COMPARED_PER_TERM: usize = 50;
/// Figures of one kind and unit read for comparison per term, at most
/// (pairs are checked among them).
const COMPARED_CANDIDATES: usize = 200;
/// Relative difference within which two figures agree.
const AGREE_WITHIN: f64 = 0.05;

/// Pairs of the term's own figures (`rows`, stated about it) from
/// different briefs that measure the same quantity: same kind and unit,
/// stated about the same term exactly, sharing two words (or terms) of
/// their context.
/// Disagreements first, then in reading order.
fn compare(
    site: &Site,
    figures: &[Vec<Figure>],
    rows: &[(ClaimIx, u32)],
    x: usize,
    t: TermIx,
) -> Vec<Compared> {
    let fig = |&(c, k): &(ClaimIx, u32)| &figures[c as usize][k as usize];
    let mut groups: HashMap<(FigureKind, &str), Vec<(ClaimIx, u32)>> = HashMap::new();
    for r in rows {
        let f = fig(r);
        if f.kind != FigureKind::Year && f.subjects.contains(&(x, t)) && !f.context.is_empty() {
            let g = groups.entry((f.kind, f.unit.as_str())).or_default();
            if g.len() < COMPARED_CANDIDATES {
                g.push(*r);
            }
        }
    }
    // The term itself is what both are about, not a word they share.
    let own = super::concepts::context_term(x, t);
    let mut out: Vec<Compared> = Vec::new();
    let mut keys: Vec<&(FigureKind, &str)> = groups.keys().collect();
    keys.sort();
    for key in keys {
        let g = &groups[key];
        for (i, a) in g.iter().enumerate() {
            for b in &g[i + 1..] {
                let (fa, fb) = (fig(a), fig(b));
                if site.claims[a.0 as usize].brief == site.claims[b.0 as usize].brief
                    || shared(&fa.context, &fb.context, &own) < 2
                {
                    continue;
                }
                let agree = agree(interval(fa), interval(fb));
                out.push(Compared {
                    a: *a,
                    b: *b,
                    agree,
                    subject: (x, t),
                });
            }
        }
    }
    out.sort_by_key(|c| (c.agree, c.a, c.b));
    out.truncate(COMPARED_PER_TERM);
    out
}

/// The values a figure states: a range for "80-90%" or "80 to 90
/// percent" (the figure's value is the upper end), else its value.
fn interval(f: &Figure) -> (f64, f64) {
    let number = |t: &str| t.trim_matches('.').replace(',', "").parse::<f64>().ok();
    let numbers: Vec<f64> = f
        .text
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter_map(number)
        .collect();
    let ranged = f.text.contains(['-', '–']) || f.text.contains(" to ");
    if let [lo, hi] = numbers.as_slice() {
        if ranged && *hi > 0.0 && lo < hi {
            return (f.value * lo / hi, f.value);
        }
    }
    // The lower end may be written before the figure found: "80-90%".
    let before = f
        .phrase
        .find(f.text.as_str())
        .map(|i| f.phrase[..i].trim_end())
        .and_then(|b| {
            b.strip_suffix('-')
                .or_else(|| b.strip_suffix('–'))
                .or_else(|| b.strip_suffix(" to"))
        })
        .and_then(|b| b.trim_end().rsplit(' ').next())
        .and_then(number);
    match (before, numbers.first()) {
        (Some(lo), Some(&hi)) if hi > 0.0 && lo < hi => (f.value * lo / hi, f.value),
        _ => (f.value, f.value),
    }
}

/// Whether two stated values (ranges) agree: they overlap once widened by
/// [`AGREE_WITHIN`] of the larger.
fn agree(a: (f64, f64), b: (f64, f64)) -> bool {
    let slack = AGREE_WITHIN * a.1.abs().max(b.1.abs());
    a.0 <= b.1 + slack && b.0 <= a.1 + slack
}

/// How many elements two sorted lists share, `except` left out.
fn shared(a: &[String], b: &[String], except: &str) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                n += usize::from(a[i] != except);
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    n
}

/// Per claim, the comparisons of its figures over every term, this
/// claim's side first, each pair of figures once, in figure order.
pub fn figures_compared(
    claims: usize,
    term_figures: &HashMap<TermRef, TermFigures>,
) -> Vec<Vec<Compared>> {
    let mut out: Vec<Vec<Compared>> = vec![Vec::new(); claims];
    for tf in term_figures.values() {
        for c in &tf.compared {
            let flipped = Compared {
                a: c.b,
                b: c.a,
                ..*c
            };
            for x in [*c, flipped] {
                if let Some(list) = out.get_mut(x.a.0 as usize) {
                    list.push(x);
                }
            }
        }
    }
    for list in &mut out {
        list.sort_by_key(|c| (c.a.1, c.b, c.subject));
        list.dedup_by_key(|c| (c.a, c.b));
    }
    out
}

/// Whether term `s` is `t` or narrower than it.
fn within(tax: &crate::content::vocab::Taxonomy, s: TermIx, t: TermIx) -> bool {
    let mut at = Some(s);
    // A parent chain is acyclic (the vocabulary checker refuses cycles);
    // the bound only guards against a malformed one.
    for _ in 0..=tax.terms.len() {
        match at {
            Some(a) if a == t => return true,
            Some(a) => at = tax.terms.get(a as usize).and_then(|x| x.parent),
            None => return false,
        }
    }
    false
}

/// Up to `limit` rows, one brief at a time in turn (rows of a brief in
/// reading order).
fn round_robin(site: &Site, rows: Vec<(ClaimIx, u32)>, limit: usize) -> Vec<(ClaimIx, u32)> {
    let mut by_brief: Vec<Vec<(ClaimIx, u32)>> = Vec::new();
    let mut last: Option<BriefIx> = None;
    for r in rows {
        let b = site.claims[r.0 as usize].brief;
        if last != Some(b) {
            by_brief.push(Vec::new());
            last = Some(b);
        }
        if let Some(v) = by_brief.last_mut() {
            v.push(r);
        }
    }
    let mut out = Vec::with_capacity(limit);
    let mut k = 0;
    while out.len() < limit {
        let before = out.len();
        for v in &by_brief {
            if let Some(&r) = v.get(k) {
                out.push(r);
                if out.len() == limit {
                    break;
                }
            }
        }
        if out.len() == before {
            break;
        }
        k += 1;
    }
    out
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
mod tests {
    use super::*;

    fn figure(text: &str, phrase: &str) -> Figure {
        let mut f = super::super::figures::extract_cleaned(text).remove(0);
        f.phrase = phrase.to_string();
        f
    }

    #[test]
    fn recommendations_point_one_way_or_the_other() {
        assert_eq!(
            direction("Washington should impose export controls on quantum computers."),
            Some(Direction::Act)
        );
        assert_eq!(
            direction("Governments should avoid blanket tariffs on cells."),
            Some(Direction::HoldBack)
        );
        assert_eq!(
            direction("The United States should not impose controls yet."),
            Some(Direction::HoldBack)
        );
        assert_eq!(direction("China leads in quantum communication."), None);
    }

    #[test]
    fn ranges_agree_with_values_inside_them() {
        let range = figure("90%", "processes 80-90%");
        assert_eq!(interval(&range), (80.0, 90.0));
        let inside = figure("85%", "85% of processing");
        let outside = figure("60%", "60% of processing");
        assert!(agree(interval(&range), interval(&inside)));
        assert!(!agree(interval(&range), interval(&outside)));
        // within 5% of each other
        assert!(agree((100.0, 100.0), (104.0, 104.0)));
        assert!(!agree((100.0, 100.0), (110.0, 110.0)));
    }

    #[test]
    fn shared_context_leaves_out_the_term_itself() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(shared(&s(&["a", "b", "t"]), &s(&["b", "c", "t"]), "t"), 1);
        assert_eq!(shared(&s(&["a", "b"]), &s(&["a", "b"]), "t"), 2);
    }

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
