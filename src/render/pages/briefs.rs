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
    let mut common = inp.common(
        &page.dir,
        "briefs",
        format!("Briefs · {}", site.config.title),
    );
    common.description = format!(
        "The {} briefs of {}, newest first, each rebuilt in full from its claims.",
        site.briefs.len(),
        site.config.title
    );
    common.code = inp
        .prepared
        .brief_summary
        .iter()
        .flatten()
        .any(|h| crate::render::inputs::has_code(h));
    tera_context(&BriefsCtx {
        common,
        briefs: newest_first(site).map(|b| inp.brief_item(b)).collect(),
    })
}
