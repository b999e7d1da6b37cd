//! The home page: the briefs, newest first, the most used terms of each
//! taxonomy, and the matrix of two taxonomies.

use super::*;

#[derive(Serialize)]
struct HomeCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    description_html: Option<&'a str>,
    briefs: Vec<BriefItem<'a>>,
    claim_count: usize,
    term_count: usize,
    top_terms: Vec<TopTerms<'a>>,
    matrix: Option<MatrixView<'a>>,
    /// The claims as data (JSON and CSV), relative to the root.
    data: DataLinks,
}

#[derive(Serialize)]
struct DataLinks {
    json: &'static str,
    csv: &'static str,
}

#[derive(Serialize)]
struct TopTerms<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
struct MatrixView<'a> {
    row_title: &'a str,
    col_title: &'a str,
    row_singular: &'a str,
    col_singular: &'a str,
    cols: Vec<TermLink<'a>>,
    rows: Vec<MatrixRow<'a>>,
    /// The same matrix drawn as a heat map (inline SVG); the table is its
    /// text alternative.
    svg: String,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    term: TermLink<'a>,
    cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
struct MatrixCell {
    count: usize,
    /// The claims carrying both terms; `None` for an empty cell.
    url: Option<String>,
    /// Shading step, 0 (empty) to 5 (the largest count).
    heat: usize,
}

/// The home page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    let site = inp.site;
    let mut top_terms = Vec::new();
    for (x, tax) in site.taxonomies.iter().enumerate() {
        let count = |t: TermIx| site.claims_of(x, t).len();
        let mut idx: Vec<TermIx> = (0..tax.terms.len() as TermIx)
            .filter(|&t| count(t) > 0)
            .collect();
        idx.sort_by(|&a, &b| by_count_then_name(site, x, a, b));
        idx.truncate(10);
        top_terms.push(TopTerms {
            name: &tax.def.id,
            title: &tax.def.name,
            url: urls::file(&urls::taxonomy(tax.id())),
            terms: idx.into_iter().map(|t| inp.term_link(x, t)).collect(),
        });
    }
    let matrix = inp.annotations.matrix.as_ref().filter(|m| {
        m.row_taxonomy < site.taxonomies.len() && m.col_taxonomy < site.taxonomies.len()
    });
    let matrix = matrix.map(|m| {
        let max = m.counts.iter().flatten().copied().max().unwrap_or(0).max(1);
        let mut view = MatrixView {
            row_title: &site.taxonomies[m.row_taxonomy].def.name,
            col_title: &site.taxonomies[m.col_taxonomy].def.name,
            row_singular: &site.taxonomies[m.row_taxonomy].def.singular,
            col_singular: &site.taxonomies[m.col_taxonomy].def.singular,
            cols: m
                .cols
                .iter()
                .map(|&t| inp.term_link(m.col_taxonomy, t))
                .collect(),
            rows: m
                .rows
                .iter()
                .zip(&m.counts)
                .enumerate()
                .map(|(r, (&t, counts))| MatrixRow {
                    term: inp.term_link(m.row_taxonomy, t),
                    cells: counts
                        .iter()
                        .enumerate()
                        .map(|(c, &count)| MatrixCell {
                            count,
                            url: m
                                .pairs
                                .get(r)
                                .and_then(|row| row.get(c).copied().flatten())
                                .and_then(|p| pair_url(inp, p, 1)),
                            heat: count.saturating_mul(5).div_ceil(max),
                        })
                        .collect(),
                })
                .collect(),
            svg: String::new(),
        };
        view.svg = heatmap_svg(&view, &urls::root_prefix(&page.dir));
        view
    });
    let mut common = inp.common(&page.dir, "home", site.config.title.clone());
    common.code = inp
        .prepared
        .site_description
        .as_deref()
        .is_some_and(crate::render::inputs::has_code);
    if inp.prepared.site_description_text.is_none() {
        common.description = format!(
            "{}: {} claims from {} briefs, each with its source and tags.",
            site.config.title,
            site.claims.len(),
            site.briefs.len()
        );
    }
    tera_context(&HomeCtx {
        common,
        data: DataLinks {
            json: urls::DATA_JSON,
            csv: urls::DATA_CSV,
        },
        description_html: inp.prepared.site_description.as_deref(),
        briefs: newest_first(site).map(|b| inp.brief_item(b)).collect(),
        claim_count: site.claims.len(),
        term_count: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
        top_terms,
        matrix,
    })
}

/// The matrix as a heat map, its links relative to the page (`root`).
fn heatmap_svg(m: &MatrixView<'_>, root: &str) -> String {
    use crate::render::charts::{heatmap, Axis, HeatCell};
    let axis = |t: &TermLink<'_>| Axis {
        label: t.name.to_string(),
        href: format!("{root}{}", t.url),
    };
    let rows: Vec<Axis> = m.rows.iter().map(|r| axis(&r.term)).collect();
    let cols: Vec<Axis> = m.cols.iter().map(axis).collect();
    let cells: Vec<Vec<HeatCell>> = m
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| HeatCell {
                    count: c.count,
                    href: c.url.as_ref().map(|u| format!("{root}{u}")),
                    heat: c.heat,
                })
                .collect()
        })
        .collect();
    let title = format!("{} × {}", m.row_title, m.col_title);
    let desc = format!(
        "A heat map of the claims tagged with both a {} and a {}: one row per {}, one column per {}, deeper shades holding more claims. The table below gives the same counts.",
        m.row_singular.to_lowercase(),
        m.col_singular.to_lowercase(),
        m.row_singular.to_lowercase(),
        m.col_singular.to_lowercase(),
    );
    heatmap("matrix", &title, &desc, "claim", &rows, &cols, &cells)
}
