//! The list of briefs, newest first.

use super::*;

#[derive(Serialize)]
struct BriefsCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    briefs: Vec<BriefItem<'a>>,
}

/// The briefs page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    let site = inp.site;
    tera_context(&BriefsCtx {
        common: inp.common(
            &page.dir,
            "briefs",
            format!("Briefs · {}", site.config.title),
        ),
        briefs: newest_first(site).map(|b| inp.brief_item(b)).collect(),
    })
}
