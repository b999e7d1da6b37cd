//! The help page: the keys every page answers to, how to cite a claim or a
//! brief, and what a printed page holds.

use super::*;

#[derive(Serialize)]
struct HelpCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
}

/// The help page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    let site = inp.site;
    let mut common = inp.common(&page.dir, "help", format!("Help · {}", site.config.title));
    common.description = format!(
        "How to read {}: keyboard shortcuts, citing a claim or a brief, printing.",
        site.config.title
    );
    tera_context(&HelpCtx { common })
}
