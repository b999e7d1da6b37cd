//! The search page: a form whose query and filters live in the URL
//! (`?q=…&countries=China`), run by `static/search.js` against the
//! pagefind index under `/pagefind/` (`render::search`), with the
//! taxonomy lists to browse where search cannot load.

use super::*;

/// A filter of the search index, as the page offers it.
#[derive(Serialize)]
struct FilterView<'a> {
    /// The filter's key in the index and in the URL.
    key: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct SearchCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    /// The filters in display order, as JSON for the script.
    filters_json: String,
}

/// The search page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    let site = inp.site;
    let filters: Vec<FilterView<'_>> = crate::render::search::filters(site)
        .into_iter()
        .map(|(key, label)| FilterView { key, label })
        .collect();
    let mut common = inp.common(
        &page.dir,
        "search",
        format!("Search · {}", site.config.title),
    );
    common.description = format!(
        "Search every claim and brief of {}, filtered by brief, {}, kind and year.",
        site.config.title,
        site.taxonomies
            .iter()
            .map(|t| t.def.singular.to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    );
    tera_context(&SearchCtx {
        common,
        filters_json: serde_json::to_string(&filters)?,
    })
}
