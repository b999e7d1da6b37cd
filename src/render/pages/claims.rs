//! The list of every claim, by brief in the site's order, paginated like a
//! term's claims (`/claims/`, `/claims/page/<n>/`).

use super::*;

#[derive(Serialize)]
struct ClaimsCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    count: usize,
    briefs: usize,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
}

/// The context of page `n` of the list of every claim.
pub(super) fn context(inp: &Inputs<'_>, page: &Page, n: usize) -> Result<tera::Context> {
    let site = inp.site;
    let all: Vec<ClaimIx> = (0..site.claims.len() as ClaimIx).collect();
    let (range, pagination) = paginate(all.len(), site.config.term_page_size, n, |k| {
        urls::file(&urls::claims_index(k))
    });
    let mut title = "All claims".to_string();
    if n > 1 {
        title.push_str(&format!(" (page {n})"));
    }
    let mut common = inp.common(
        &page.dir,
        "claims",
        format!("{title} · {}", site.config.title),
    );
    common.description = format!(
        "Every claim of {}, {} in all, listed by brief with links to each claim's page and its place in the brief.",
        site.config.title,
        all.len()
    );
    common.code = inp.any_code(&all[range.clone()]);
    tera_context(&ClaimsCtx {
        common,
        count: all.len(),
        briefs: site.briefs.len(),
        groups: claim_groups(inp, &all[range], &urls::root_prefix(&page.dir))?,
        pagination,
    })
}

/// What a page of the list shows: the claim count, the number of briefs,
/// and the claims of this page with their briefs.
pub(super) fn inputs(h: &mut PageHash<'_>, n: usize) {
    let site = h.site;
    h.add(&(site.claims.len(), site.briefs.len(), n));
    let size = site.config.term_page_size.max(1);
    let start = (n.max(1) - 1).saturating_mul(size).min(site.claims.len());
    let end = (start + size).min(site.claims.len());
    for c in start..end {
        h.link(c as ClaimIx);
        h.brief_item(site.claims[c].brief as usize);
    }
}
