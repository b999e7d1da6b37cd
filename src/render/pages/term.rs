//! A term's pages: its claims by brief (paginated), its place in the
//! vocabulary, its figures table, and the terms of other taxonomies it
//! co-occurs with.

use super::*;

/// A term of another taxonomy tagged together with this one, linking to
/// the claims carrying both.
#[derive(Serialize)]
struct CoTerm<'a> {
    #[serde(flatten)]
    link: TermLink<'a>,
    shared: usize,
    /// The intersection page.
    both_url: String,
}

#[derive(Serialize)]
struct CoGroup<'a> {
    title: &'a str,
    terms: Vec<CoTerm<'a>>,
}

/// One row of a term's figures table.
#[derive(Serialize)]
struct FigureRow<'a> {
    kind: &'static str,
    label: &'a str,
    text: &'a str,
    claim: ClaimLink<'a>,
}

#[derive(Serialize)]
struct FiguresTable<'a> {
    rows: Vec<FigureRow<'a>>,
    total: usize,
}

#[derive(Serialize)]
struct TermCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    term: TermNode<'a>,
    description_html: Option<&'a str>,
    aliases: &'a [String],
    /// The breadcrumb: the root and the nearest ancestors (see
    /// [`breadcrumb`]), broadest first.
    ancestors: Vec<TermLink<'a>>,
    /// How many ancestors between the root and the nearest ones the
    /// breadcrumb leaves out (0 unless the term is deeper than
    /// [`BREADCRUMB_NEAREST`] + 1).
    ancestors_omitted: usize,
    children: Vec<TermLink<'a>>,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
    figures: Option<FiguresTable<'a>>,
    cooccurring: Vec<CoGroup<'a>>,
    recommendations: Option<RecommendationsLink<'a>>,
}

fn term_context<'a>(
    inp: &Inputs<'a>,
    page: &Page,
    x: usize,
    t: TermIx,
    n: usize,
) -> Result<TermCtx<'a>> {
    let site = inp.site;
    let tax = &site.taxonomies[x];
    let term = &tax.terms[t as usize];
    let claims = site.claims_of(x, t);
    let (range, pagination) = paginate(claims.len(), site.config.term_page_size, n, |k| {
        urls::file(&urls::term(tax.id(), &term.id, k))
    });
    let groups = claim_groups(inp, &claims[range], &urls::root_prefix(&page.dir))?;
    let (crumbs, depth) = breadcrumb(tax, t);
    let ancestors: Vec<TermLink<'a>> = crumbs.iter().map(|&a| inp.term_link(x, a)).collect();
    let ancestors_omitted = depth - crumbs.len();
    let key = (x, t);
    let ann = inp.annotations;
    // The figures table is the term's, not the page's: shown on page 1.
    let figures = ann
        .term_figures
        .get(&key)
        .filter(|_| n == 1)
        .map(|tf| FiguresTable {
            rows: tf
                .rows
                .iter()
                .filter_map(|&(c, k)| {
                    let f = ann.figures.get(c as usize)?.get(k as usize)?;
                    Some(FigureRow {
                        kind: f.kind.as_str(),
                        label: &f.label,
                        text: &f.text,
                        claim: inp.claim_link(c),
                    })
                })
                .collect(),
            total: tf.total,
        })
        .filter(|t| !t.rows.is_empty());
    let mut cooccurring: Vec<CoGroup<'a>> = Vec::new();
    if let Some(list) = ann.cooccurring.get(&key) {
        for (ox, otax) in site.taxonomies.iter().enumerate() {
            let terms: Vec<CoTerm<'a>> = list
                .iter()
                .filter(|co| co.taxonomy == ox && (co.term as usize) < otax.terms.len())
                .filter_map(|co| {
                    Some(CoTerm {
                        link: inp.term_link(ox, co.term),
                        shared: co.shared,
                        both_url: pair_url(inp, co.pair, 1)?,
                    })
                })
                .collect();
            if !terms.is_empty() {
                cooccurring.push(CoGroup {
                    title: &otax.def.name,
                    terms,
                });
            }
        }
    }
    let recommendations = recommendations_link(inp, x, t);
    let page_title = if n > 1 {
        format!(
            "{} ({}, page {n}) · {}",
            term.name, tax.def.name, site.config.title
        )
    } else {
        format!("{} ({}) · {}", term.name, tax.def.name, site.config.title)
    };
    let mut common = inp.common(&page.dir, &tax.def.id, page_title);
    let mut briefs: Vec<BriefIx> = claims
        .iter()
        .map(|&c| site.claims[c as usize].brief)
        .collect();
    briefs.sort_unstable();
    briefs.dedup();
    common.description = match term
        .description
        .as_deref()
        .map(crate::render::markdown::plain_text)
    {
        Some(d) if !d.is_empty() => crate::render::meta::describe(&d),
        _ if claims.is_empty() => format!(
            "{} ({}): no claims yet.",
            term.name,
            tax.def.singular.to_lowercase()
        ),
        _ => format!(
            "{} claim{} about {} ({}) from {} brief{}.",
            claims.len(),
            if claims.len() == 1 { "" } else { "s" },
            term.name,
            tax.def.singular.to_lowercase(),
            briefs.len(),
            if briefs.len() == 1 { "" } else { "s" }
        ),
    };
    if claims.is_empty() {
        common.noindex = true;
    } else {
        common.feeds.push(crate::render::inputs::FeedLink {
            title: format!("{} ({}) · {}", term.name, tax.def.name, site.config.title),
            url: urls::term_feed(tax.id(), &term.id),
        });
    }
    Ok(TermCtx {
        common,
        taxonomy: tax_view(inp, x),
        term: TermNode {
            link: inp.term_link(x, t),
            depth,
            direct: site.direct(x, t),
        },
        description_html: inp.prepared.term_description[x][t as usize].as_deref(),
        aliases: &term.aliases,
        ancestors,
        ancestors_omitted,
        children: {
            let mut children: Vec<TermIx> = term
                .children
                .iter()
                .copied()
                .filter(|&ch| !site.claims_of(x, ch).is_empty())
                .collect();
            children.sort_by(|&a, &b| by_count_then_name(site, x, a, b));
            children
                .into_iter()
                .map(|ch| inp.term_link(x, ch))
                .collect()
        },
        groups,
        pagination,
        figures,
        cooccurring,
        recommendations,
    })
}

/// How many of a term's nearest ancestors its breadcrumb shows, after the
/// root. A term page listing every ancestor makes a deep vocabulary's pages
/// quadratic in its depth (a 5,000-level chain: 12.5 million links).
pub(super) const BREADCRUMB_NEAREST: usize = 8;

/// A term's breadcrumb, broadest first: its root, then at most
/// [`BREADCRUMB_NEAREST`] nearest ancestors; and the term's depth (the
/// number of all its ancestors). Walks the parent chain once, keeping only
/// what is shown.
pub(super) fn breadcrumb(tax: &crate::content::model::Taxonomy, t: TermIx) -> (Vec<TermIx>, usize) {
    let mut nearest = Vec::with_capacity(BREADCRUMB_NEAREST + 1);
    let mut depth = 0;
    let mut root = None;
    for a in tax.ancestors(t) {
        depth += 1;
        if nearest.len() < BREADCRUMB_NEAREST {
            nearest.push(a);
        } else {
            root = Some(a);
        }
    }
    nearest.extend(root);
    nearest.reverse();
    (nearest, depth)
}

/// The context of page `n` of term `t` of taxonomy `x`.
pub(super) fn context(
    inp: &Inputs<'_>,
    page: &Page,
    x: usize,
    t: TermIx,
    n: usize,
) -> Result<tera::Context> {
    tera_context(&term_context(inp, page, x, t, n)?)
}

/// What a term page shows: its claim list, the claims of this page, its
/// ancestors and children, its figures table, its co-occurring terms and
/// its recommendations link.
pub(super) fn inputs(h: &mut PageHash<'_>, x: usize, t: TermIx, n: usize) {
    let (site, ann) = (h.site, h.ann);
    let tax = &site.taxonomies[x];
    h.term_page(x, t);
    h.add(&n);
    for &c in page_slice(site.claims_of(x, t), site.config.term_page_size, n) {
        h.link(c);
    }
    let (crumbs, depth) = breadcrumb(tax, t);
    h.add(&depth);
    for a in crumbs {
        h.term(x, a);
    }
    for &ch in &tax.terms[t as usize].children {
        h.term(x, ch);
    }
    h.term(x, t);
    let key = (x, t);
    match ann.term_figures.get(&key) {
        Some(v) => {
            h.add(&v.total);
            h.add(&v.rows.len());
            for &(c, k) in &v.rows {
                h.link(c);
                match ann.figures.get(c as usize).and_then(|f| f.get(k as usize)) {
                    Some(f) => h.figure(f),
                    None => h.add(&2u8),
                }
            }
        }
        None => h.add(&0u8),
    }
    match ann.cooccurring.get(&key) {
        Some(v) => {
            h.add(&v.len());
            for co in v {
                h.term(co.taxonomy, co.term);
                h.add(&co.shared);
                match ann.pairs.get(co.pair) {
                    Some(p) => {
                        h.term(p.a.0, p.a.1);
                        h.term(p.b.0, p.b.1);
                    }
                    None => h.add(&3u8),
                }
            }
        }
        None => h.add(&0u8),
    }
    h.add(&ann.recommendations.get(&key).map(Vec::len));
}
