//! A taxonomy's list of terms: each root term with its descendants, and the
//! recommendations pages of its terms where it has them.

use super::*;

#[derive(Serialize)]
struct TaxonomyCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    terms: Vec<TermTree<'a>>,
    /// On the policies index: each policy's recommendations page.
    recommendations: Vec<RecommendationsLink<'a>>,
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
    // Each root term with its descendants (depth-first, children in
    // file order), so a broader term and its narrower ones stay together.
    let mut terms = Vec::new();
    for (r, root) in tax.terms.iter().enumerate() {
        if root.parent.is_some() {
            continue;
        }
        let mut descendants = Vec::new();
        let mut stack: Vec<(TermIx, usize)> = root.children.iter().rev().map(|&c| (c, 1)).collect();
        while let Some((t, depth)) = stack.pop() {
            let term = &tax.terms[t as usize];
            descendants.push(TermNode {
                link: inp.term_link(x, t),
                depth,
                direct: site.direct(x, t),
            });
            stack.extend(term.children.iter().rev().map(|&c| (c, depth + 1)));
        }
        terms.push(TermTree {
            term: TermNode {
                link: inp.term_link(x, r as TermIx),
                depth: 0,
                direct: site.direct(x, r as TermIx),
            },
            descendants,
        });
    }
    let recommendations = (0..tax.terms.len() as TermIx)
        .filter_map(|t| recommendations_link(inp, x, t))
        .collect();
    tera_context(&TaxonomyCtx {
        common: inp.common(&page.dir, &tax.def.id, title(&tax.def.name)),
        taxonomy: tax_view(inp, x),
        terms,
        recommendations,
    })
}
