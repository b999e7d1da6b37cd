//! The pages of the claims carrying two terms of different taxonomies.

use super::*;

/// A page listing the claims that carry two terms.
#[derive(Serialize)]
struct PairCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    a: TermLink<'a>,
    a_taxonomy: TaxView<'a>,
    b: TermLink<'a>,
    b_taxonomy: TaxView<'a>,
    count: usize,
    groups: Vec<LinkGroup<'a>>,
    pagination: Option<Pagination>,
}

fn pair_context<'a>(inp: &Inputs<'a>, page: &Page, pair: usize, n: usize) -> Result<PairCtx<'a>> {
    let site = inp.site;
    let p = inp
        .annotations
        .pairs
        .get(pair)
        .ok_or_else(|| anyhow::anyhow!("no term pair {pair}"))?;
    let (range, pagination) = paginate(p.claims.len(), site.config.term_page_size, n, |k| {
        pair_url(inp, pair, k).unwrap_or_default()
    });
    let a = inp.term_link(p.a.0, p.a.1);
    let b = inp.term_link(p.b.0, p.b.1);
    let mut page_title = format!("{} and {}", a.name, b.name);
    if n > 1 {
        page_title.push_str(&format!(" (page {n})"));
    }
    page_title.push_str(&format!(" · {}", site.config.title));
    let mut common = inp.common(&page.dir, site.taxonomies[p.a.0].id(), page_title);
    common.description = format!(
        "{} claim{} tagged with both {} ({}) and {} ({}).",
        p.claims.len(),
        if p.claims.len() == 1 { "" } else { "s" },
        a.name,
        site.taxonomies[p.a.0].def.singular.to_lowercase(),
        b.name,
        site.taxonomies[p.b.0].def.singular.to_lowercase()
    );
    Ok(PairCtx {
        common,
        a_taxonomy: tax_view(inp, p.a.0),
        b_taxonomy: tax_view(inp, p.b.0),
        a,
        b,
        count: p.claims.len(),
        groups: link_groups(inp, &p.claims[range], &urls::root_prefix(&page.dir))?,
        pagination,
    })
}

/// The context of page `n` of the pair `pair`.
pub(super) fn context(
    inp: &Inputs<'_>,
    page: &Page,
    pair: usize,
    n: usize,
) -> Result<tera::Context> {
    tera_context(&pair_context(inp, page, pair, n)?)
}

/// What an intersection page shows: the two terms (names, counts, URLs),
/// the pair's claim count, and the claims of this page with their briefs.
pub(super) fn inputs(h: &mut PageHash<'_>, pair: usize, n: usize) {
    let (site, ann) = (h.site, h.ann);
    let Some(p) = ann.pairs.get(pair) else {
        return;
    };
    h.term(p.a.0, p.a.1);
    h.term(p.b.0, p.b.1);
    h.add(&(p.claims.len(), n));
    for &c in page_slice(&p.claims, site.config.term_page_size, n) {
        h.link(c);
    }
}
