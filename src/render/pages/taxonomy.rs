//! A taxonomy's list of terms: each root term with its descendants, and the
//! recommendations pages of its terms where it has them.

use super::*;

#[derive(Serialize)]
struct TaxonomyCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    terms: Vec<TermTree<'a>>,
    /// How many terms of the vocabulary no claim carries yet (left out of
    /// the list).
    unused: usize,
    /// On the policies index: each policy's recommendations page.
    recommendations: Vec<RecommendationsLink<'a>>,
    /// Claims per term, the most used terms, as SVG.
    chart: String,
}

/// How many terms the chart of a taxonomy's list shows.
const CHART_TERMS: usize = 20;

/// The bar chart of the terms in use, most claims first.
fn chart(inp: &Inputs<'_>, x: usize, root: &str) -> String {
    let site = inp.site;
    let tax = &site.taxonomies[x];
    let mut used: Vec<TermIx> = (0..tax.terms.len() as TermIx)
        .filter(|&t| !site.claims_of(x, t).is_empty())
        .collect();
    used.sort_by(|&a, &b| by_count_then_name(site, x, a, b));
    let total = used.len();
    used.truncate(CHART_TERMS);
    let bars: Vec<crate::render::charts::Bar> = used
        .iter()
        .map(|&t| crate::render::charts::Bar {
            label: site.term(x, t).name.clone(),
            value: site.claims_of(x, t).len(),
            href: format!("{root}{}", inp.prepared.term_url[x][t as usize]),
        })
        .collect();
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return String::new();
    };
    let shown = if total > bars.len() {
        format!(
            "The {} of {total} {} with the most claims",
            bars.len(),
            tax.def.name.to_lowercase()
        )
    } else {
        format!("All {total} {} with claims", tax.def.name.to_lowercase())
    };
    let desc = format!(
        "{shown}, from {} ({} claims) to {} ({}). A claim tagged with a narrower term counts for the broader one too. The list below has every term.",
        first.label, first.value, last.label, last.value
    );
    crate::render::charts::bars(
        "chart-terms",
        &format!("Claims per {}", tax.def.singular.to_lowercase()),
        &desc,
        "claim",
        &bars,
    )
}

#[derive(Serialize)]
struct TermTree<'a> {
    term: TermNode<'a>,
    descendants: Vec<TermNode<'a>>,
}

/// The context of taxonomy `x`'s list page.
pub(super) fn context(inp: &Inputs<'_>, page: &Page, x: usize) -> Result<tera::Context> {
    let site = inp.site;
    let title = |t: &str| format!("{t} · {}", site.config.title);
    let tax = &site.taxonomies[x];
    let used = |t: TermIx| !site.claims_of(x, t).is_empty();
    // The terms in use, most claims first (then by name): each root term
    // with its descendants (depth-first, siblings in the same order), so a
    // broader term and its narrower ones stay together. A term's count
    // includes its descendants', so an unused term has no used ones.
    let sorted = |list: &mut Vec<TermIx>| {
        list.retain(|&t| used(t));
        list.sort_by(|&a, &b| by_count_then_name(site, x, a, b));
    };
    let mut roots: Vec<TermIx> = (0..tax.terms.len() as TermIx)
        .filter(|&t| tax.terms[t as usize].parent.is_none())
        .collect();
    sorted(&mut roots);
    let mut terms = Vec::new();
    for r in roots {
        let mut descendants = Vec::new();
        let mut children = tax.terms[r as usize].children.clone();
        sorted(&mut children);
        let mut stack: Vec<(TermIx, usize)> = children.iter().rev().map(|&c| (c, 1)).collect();
        while let Some((t, depth)) = stack.pop() {
            descendants.push(TermNode {
                link: inp.term_link(x, t),
                depth,
                direct: site.direct(x, t),
            });
            let mut children = tax.terms[t as usize].children.clone();
            sorted(&mut children);
            stack.extend(children.iter().rev().map(|&c| (c, depth + 1)));
        }
        terms.push(TermTree {
            term: TermNode {
                link: inp.term_link(x, r),
                depth: 0,
                direct: site.direct(x, r),
            },
            descendants,
        });
    }
    let unused = (0..tax.terms.len() as TermIx).filter(|&t| !used(t)).count();
    let recommendations = (0..tax.terms.len() as TermIx)
        .filter_map(|t| recommendations_link(inp, x, t))
        .collect();
    let mut common = inp.common(&page.dir, &tax.def.id, title(&tax.def.name));
    common.description = format!(
        "The {} of {}: {} term{} with claims, most discussed first.",
        tax.def.name.to_lowercase(),
        site.config.title,
        tax.terms.len() - unused,
        if tax.terms.len() - unused == 1 {
            ""
        } else {
            "s"
        }
    );
    tera_context(&TaxonomyCtx {
        chart: chart(inp, x, &urls::root_prefix(&page.dir)),
        common,
        taxonomy: tax_view(inp, x),
        terms,
        unused,
        recommendations,
    })
}
