//! The cross-reference stage of the build: maps the validated [`Site`] to
//! the borrowed claims `xref::compute` reads, and its index-based result
//! back into [`Annotations`], the shape pages need (related claims with
//! their "why", figures per claim and per term, co-occurring terms with the
//! intersection pages they link to, the matrix, brief overlap,
//! recommendations per policy).
//!
//! Everything here is bounded per term or per claim: co-occurrence lists
//! keep the top few terms per taxonomy, figures tables a fixed number of
//! rows, and only pairs of terms that some page links to get an
//! intersection list, so the stage stays linear in the corpus.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::build::{self, BuildError, BuildOptions, BuildReport};
use crate::content::model::{
    Annotations, BriefIx, ClaimIx, CoTerm, Matrix, RelatedClaim, Site, TermFigures, TermIx,
    TermPair,
};
use crate::xref::{self, FigureKind, Taxonomy, TermKey, Vocab, XrefClaim, XrefOptions};

/// Co-occurring terms listed (and linked) per other taxonomy on a term page.
pub const COOCCURRING_PER_TAXONOMY: usize = 6;
/// Rows of a term's figures table, at most.
pub const TERM_FIGURE_ROWS: usize = 100;

/// Time of each cross-referencing step, in seconds.
pub type XrefSteps = Vec<(&'static str, f64)>;

/// A term of one taxonomy: (taxonomy index, term).
type TermRef = (usize, TermIx);

/// Cross-references of `site` with the default options.
pub fn annotate(site: &Site) -> Annotations {
    annotate_with(site, &XrefOptions::default())
}

/// Builds the site with cross-references, as `crossbrief build` does. The
/// report's `xref` stage is this module's; its steps come back beside it.
pub fn build(opts: &BuildOptions) -> Result<(BuildReport, XrefSteps), BuildError> {
    let mut steps = Vec::new();
    let report = build::build_with(opts, |site| {
        let a = annotate(site);
        steps = a.timings.clone();
        a
    })?;
    Ok((report, steps))
}

/// Cross-references of `site` with `opts`.
pub fn annotate_with(site: &Site, opts: &XrefOptions) -> Annotations {
    let start = std::time::Instant::now();
    // Which model taxonomy holds each xref taxonomy.
    let tax_index = |t: Taxonomy| site.taxonomies.iter().position(|x| x.name == t.as_str());
    let owned: Vec<([Vec<String>; 3], Vec<String>)> = site
        .claims
        .par_iter()
        .map(|c| {
            let mut tags: [Vec<String>; 3] = Default::default();
            for (k, t) in Taxonomy::ALL.into_iter().enumerate() {
                if let Some(x) = tax_index(t) {
                    let terms = &site.taxonomies[x].terms;
                    tags[k] = c.tags[x]
                        .iter()
                        .map(|&i| terms[i as usize].id.clone())
                        .collect();
                }
            }
            let see_also = c
                .see_also
                .iter()
                .map(|&s| site.claims[s as usize].id.clone())
                .collect();
            (tags, see_also)
        })
        .collect();
    let view: Vec<XrefClaim<'_>> = site
        .claims
        .iter()
        .zip(&owned)
        .map(|(c, (tags, see_also))| XrefClaim {
            id: &c.id,
            brief: &site.briefs[c.brief as usize].id,
            order: c.order.max(0) as usize,
            section: &c.section,
            kind: c.kind.as_str(),
            text: &c.body,
            countries: &tags[0],
            technologies: &tags[1],
            policies: &tags[2],
            see_also,
        })
        .collect();
    let mut vocab = Vocab::default();
    for t in Taxonomy::ALL {
        let Some(x) = tax_index(t) else { continue };
        let terms = &site.taxonomies[x].terms;
        let parents: HashMap<&str, &str> = terms
            .iter()
            .filter_map(|term| Some((term.id.as_str(), terms[term.parent? as usize].id.as_str())))
            .collect();
        match t {
            Taxonomy::Countries => vocab.countries = parents,
            Taxonomy::Technologies => vocab.technologies = parents,
            Taxonomy::Policies => vocab.policies = parents,
        }
    }
    let mapped = start.elapsed().as_secs_f64();
    let mut x = xref::compute(&view, &vocab, opts);
    drop(view);
    drop(owned);
    let lap = std::time::Instant::now();

    let term_of = |k: &TermKey| -> Option<(usize, TermIx)> {
        let xi = tax_index(k.taxonomy)?;
        Some((xi, *site.taxonomies[xi].by_id.get(&k.id)?))
    };
    let brief_of = |id: &str| -> Option<BriefIx> {
        site.briefs
            .binary_search_by(|b| b.id.as_str().cmp(id))
            .ok()
            .map(|b| b as BriefIx)
    };

    // Pairs are interned as they are linked: co-occurrence first, then the
    // matrix, each keyed with the earlier taxonomy first.
    let mut pair_ids: HashMap<(TermRef, TermRef), usize> = HashMap::new();
    let mut pair_keys: Vec<(TermRef, TermRef)> = Vec::new();
    let mut intern = |a: TermRef, b: TermRef| -> usize {
        let key = if a <= b { (a, b) } else { (b, a) };
        *pair_ids.entry(key).or_insert_with(|| {
            pair_keys.push(key);
            pair_keys.len() - 1
        })
    };

    let mut cooccurring: HashMap<(usize, TermIx), Vec<CoTerm>> = HashMap::new();
    for (key, list) in &x.cooccurring {
        let Some(me) = term_of(key) else { continue };
        let mut taken = [0usize; 3];
        let mut out = Vec::new();
        for (other, n) in list {
            let slot = Taxonomy::ALL
                .iter()
                .position(|t| *t == other.taxonomy)
                .unwrap_or(0);
            if taken[slot] >= COOCCURRING_PER_TAXONOMY || *n == 0 {
                continue;
            }
            let Some(them) = term_of(other) else { continue };
            taken[slot] += 1;
            out.push(CoTerm {
                taxonomy: them.0,
                term: them.1,
                shared: *n as usize,
                pair: intern(me, them),
            });
        }
        if !out.is_empty() {
            cooccurring.insert(me, out);
        }
    }

    let matrix = match (
        tax_index(Taxonomy::Countries),
        tax_index(Taxonomy::Policies),
    ) {
        (Some(rx), Some(cx)) if !x.matrix.countries.is_empty() => {
            let rows: Vec<Option<TermIx>> = x
                .matrix
                .countries
                .iter()
                .map(|(id, _)| site.taxonomies[rx].by_id.get(id).copied())
                .collect();
            let cols: Vec<Option<TermIx>> = x
                .matrix
                .policies
                .iter()
                .map(|(id, _)| site.taxonomies[cx].by_id.get(id).copied())
                .collect();
            let mut m = Matrix {
                row_taxonomy: rx,
                col_taxonomy: cx,
                ..Matrix::default()
            };
            let keep_cols: Vec<usize> = (0..cols.len()).filter(|&c| cols[c].is_some()).collect();
            m.cols = keep_cols.iter().filter_map(|&c| cols[c]).collect();
            for (r, row) in rows.iter().enumerate() {
                let Some(rt) = *row else { continue };
                let counts: Vec<usize> = keep_cols
                    .iter()
                    .map(|&c| x.matrix.counts[r].get(c).copied().unwrap_or(0) as usize)
                    .collect();
                let pairs = keep_cols
                    .iter()
                    .zip(&counts)
                    .map(|(&c, &n)| {
                        let ct = cols[c]?;
                        (n > 0).then(|| intern((rx, rt), (cx, ct)))
                    })
                    .collect();
                m.rows.push(rt);
                m.counts.push(counts);
                m.pairs.push(pairs);
            }
            (!m.rows.is_empty() && !m.cols.is_empty()).then_some(m)
        }
        _ => None,
    };

    // The intersection lists, from the model's per-term lists (reading
    // order, descendants included), in parallel.
    let pairs: Vec<TermPair> = pair_keys
        .par_iter()
        .map(|&(a, b)| TermPair {
            a,
            b,
            claims: xref::cooc::intersect(
                &site.taxonomies[a.0].terms[a.1 as usize].claims,
                &site.taxonomies[b.0].terms[b.1 as usize].claims,
            ),
        })
        .collect();

    let term_figures = term_figures(site, &x.figures);

    let mut brief_overlap: Vec<Vec<(BriefIx, u32)>> = vec![Vec::new(); site.briefs.len()];
    for (id, o) in &x.brief_overlap {
        if let Some(b) = brief_of(id) {
            brief_overlap[b as usize] = o
                .others
                .iter()
                .filter_map(|(other, n)| Some((brief_of(other)?, *n)))
                .collect();
        }
    }

    let policy_taxonomy = tax_index(Taxonomy::Policies);
    let mut recommendations = HashMap::new();
    if let Some(px) = policy_taxonomy {
        for (id, groups) in &x.recommendations {
            let Some(&t) = site.taxonomies[px].by_id.get(id) else {
                continue;
            };
            let mut claims: Vec<ClaimIx> = groups
                .iter()
                .flat_map(|g| g.claims.iter().map(|&c| c as ClaimIx))
                .collect();
            claims.sort_unstable();
            claims.dedup();
            recommendations.insert(t, claims);
        }
    }

    let related = std::mem::take(&mut x.related)
        .into_iter()
        .map(|list| {
            list.into_iter()
                .map(|r| RelatedClaim {
                    claim: r.claim as ClaimIx,
                    score: r.score,
                    hand_made: r.hand_made,
                    shared_terms: r.shared_terms,
                    shared_figures: r.shared_figures,
                })
                .collect()
        })
        .collect();
    let mut timings = vec![("mapping", mapped)];
    timings.append(&mut x.timings);
    timings.push(("page data", lap.elapsed().as_secs_f64()));
    Annotations {
        related,
        figures: std::mem::take(&mut x.figures),
        term_figures,
        cooccurring,
        matrix,
        pairs,
        brief_overlap,
        policy_taxonomy,
        recommendations,
        timings,
    }
}

/// Whether a figure belongs in a term's figures table: amounts, shares and
/// counts, which readers compare across briefs. Bare years and dates are
/// shown on the claim page only (nearly every claim has one).
fn tabled(kind: FigureKind) -> bool {
    !matches!(kind, FigureKind::Year)
}

/// Per term with figures, its table rows: amounts, then shares, then counts,
/// each in reading order. Beyond [`TERM_FIGURE_ROWS`], rows are taken from
/// the briefs in turn, so every brief that states a figure keeps some.
fn term_figures(
    site: &Site,
    figures: &[Vec<xref::Figure>],
) -> HashMap<(usize, TermIx), TermFigures> {
    let keys: Vec<(usize, TermIx)> = site
        .taxonomies
        .iter()
        .enumerate()
        .flat_map(|(x, tax)| (0..tax.terms.len()).map(move |t| (x, t as TermIx)))
        .collect();
    keys.into_par_iter()
        .filter_map(|(x, t)| {
            let claims = &site.taxonomies[x].terms[t as usize].claims;
            let mut rows: Vec<(ClaimIx, u32)> = Vec::new();
            for &c in claims {
                if let Some(list) = figures.get(c as usize) {
                    for (k, f) in list.iter().enumerate() {
                        if tabled(f.kind) {
                            rows.push((c, k as u32));
                        }
                    }
                }
            }
            if rows.is_empty() {
                return None;
            }
            let total = rows.len();
            if total > TERM_FIGURE_ROWS {
                rows = round_robin(site, rows, TERM_FIGURE_ROWS);
            }
            rows.sort_by_key(|&(c, k)| (figures[c as usize][k as usize].kind, c, k));
            Some(((x, t), TermFigures { rows, total }))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mini() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
        crate::build::load_site(&root).expect("the mini fixture loads")
    }

    #[test]
    fn every_linked_pair_has_its_claims() {
        let site = mini();
        let a = annotate(&site);
        assert_eq!(a.related.len(), site.claims.len());
        assert!(!a.pairs.is_empty());
        for p in &a.pairs {
            assert!(p.a.0 < p.b.0, "pairs keep the earlier taxonomy first");
            assert!(!p.claims.is_empty());
            for &c in &p.claims {
                let claim = &site.claims[c as usize];
                for (x, t) in [p.a, p.b] {
                    assert!(site.taxonomies[x].terms[t as usize].claims.contains(&c));
                    let _ = claim;
                }
            }
        }
        for list in a.cooccurring.values() {
            for co in list {
                assert_eq!(a.pairs[co.pair].claims.len(), co.shared);
            }
        }
        let m = a
            .matrix
            .as_ref()
            .expect("the mini site has countries and policies");
        for (r, row) in m.counts.iter().enumerate() {
            for (c, &n) in row.iter().enumerate() {
                assert_eq!(
                    m.pairs[r][c].map(|p| a.pairs[p].claims.len()),
                    (n > 0).then_some(n)
                );
            }
        }
    }

    #[test]
    fn hand_made_links_come_first_both_ways() {
        let site = mini();
        let a = annotate(&site);
        let from = site.claim_by_id["alpha-2024-quantum-0006"];
        let to = site.claim_by_id["beta-2025-volume-0003"];
        assert_eq!(a.related[from as usize][0].claim, to);
        assert!(a.related[from as usize][0].hand_made);
        assert_eq!(a.related[to as usize][0].claim, from);
    }

    #[test]
    fn recommendations_are_recommendation_claims_of_the_policy() {
        let site = mini();
        let a = annotate(&site);
        let px = a.policy_taxonomy.expect("policies");
        assert!(!a.recommendations.is_empty());
        for (&t, claims) in &a.recommendations {
            for &c in claims {
                assert_eq!(
                    site.claims[c as usize].kind,
                    crate::content::model::Kind::Recommendation
                );
                assert!(site.taxonomies[px].terms[t as usize].claims.contains(&c));
            }
            assert!(claims.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn figures_tables_are_capped_across_briefs() {
        let site = mini();
        let rows: Vec<(ClaimIx, u32)> = site
            .claims
            .iter()
            .enumerate()
            .map(|(i, _)| (i as ClaimIx, 0))
            .collect();
        let picked = round_robin(&site, rows, 4);
        assert_eq!(picked.len(), 4);
        let briefs: std::collections::BTreeSet<BriefIx> = picked
            .iter()
            .map(|r| site.claims[r.0 as usize].brief)
            .collect();
        assert_eq!(briefs.len(), 2, "both briefs keep rows");
    }
}
