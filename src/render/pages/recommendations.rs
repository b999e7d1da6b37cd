//! The pages of a term's recommendation claims, grouped by brief.

use super::*;

/// A page listing a policy's recommendation claims, by brief.
#[derive(Serialize)]
struct RecommendationsCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    term: TermLink<'a>,
    count: usize,
    briefs: usize,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
}

fn recommendations_context<'a>(
    inp: &Inputs<'a>,
    page: &Page,
    px: usize,
    t: TermIx,
    n: usize,
) -> Result<RecommendationsCtx<'a>> {
    let site = inp.site;
    let ann = inp.annotations;
    let claims = ann
        .recommendations
        .get(&(px, t))
        .ok_or_else(|| anyhow::anyhow!("no recommendations for term {t} of taxonomy {px}"))?;
    let tax = &site.taxonomies[px];
    let id = &tax.terms[t as usize].id;
    let (range, pagination) = paginate(claims.len(), site.config.term_page_size, n, |k| {
        urls::file(&urls::recommendations(tax.id(), id, k))
    });
    let mut briefs: Vec<BriefIx> = claims
        .iter()
        .map(|&c| site.claims[c as usize].brief)
        .collect();
    briefs.dedup();
    let term = inp.term_link(px, t);
    let mut page_title = format!("Recommendations on {}", term.name);
    if n > 1 {
        page_title.push_str(&format!(" (page {n})"));
    }
    page_title.push_str(&format!(" · {}", site.config.title));
    let mut common = inp.common(&page.dir, &tax.def.id, page_title);
    common.description = format!(
        "What {} brief{} recommend on {}: {} recommendation{}, grouped by brief.",
        briefs.len(),
        if briefs.len() == 1 { "" } else { "s" },
        term.name,
        claims.len(),
        if claims.len() == 1 { "" } else { "s" }
    );
    common.code = inp.any_code(&claims[range.clone()]);
    Ok(RecommendationsCtx {
        common,
        taxonomy: tax_view(inp, px),
        term,
        count: claims.len(),
        briefs: briefs.len(),
        groups: claim_groups(inp, &claims[range], &urls::root_prefix(&page.dir))?,
        pagination,
    })
}

/// The context of page `n` of term `t`'s recommendations.
pub(super) fn context(
    inp: &Inputs<'_>,
    page: &Page,
    x: usize,
    t: TermIx,
    n: usize,
) -> Result<tera::Context> {
    tera_context(&recommendations_context(inp, page, x, t, n)?)
}

/// What page `n` of term `t`'s recommendations shows: the term, how many
/// recommendations and from which briefs, and the claims of the page.
pub(super) fn inputs(h: &mut PageHash<'_>, x: usize, t: TermIx, n: usize) {
    let (site, ann) = (h.site, h.ann);
    let Some(claims) = ann.recommendations.get(&(x, t)) else {
        return;
    };
    h.term(x, t);
    h.add(&(claims.len(), n));
    let mut briefs: Vec<BriefIx> = claims
        .iter()
        .map(|&c| site.claims[c as usize].brief)
        .collect();
    briefs.dedup();
    h.add(&briefs);
    briefs.sort_unstable();
    briefs.dedup();
    for b in briefs {
        h.brief_item(b as usize);
    }
    for &c in page_slice(claims, site.config.term_page_size, n) {
        h.link(c);
    }
}
