//! The not-found page, served for missing paths at any depth.

use super::*;

#[derive(Serialize)]
struct NotFoundCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
}

/// The context of 404.html.
pub(super) fn context(inp: &Inputs<'_>) -> Result<tera::Context> {
    let site = inp.site;
    let title = |t: &str| format!("{t} · {}", site.config.title);
    let mut common = inp.common("", "", title("Page not found"));
    // 404.html is served for missing paths at any depth, so relative
    // links cannot work; use the site's absolute path when known.
    common.root = site
        .config
        .base_url
        .as_deref()
        .map(urls::base_path)
        .unwrap_or("")
        .to_string();
    common.canonical = None;
    tera_context(&NotFoundCtx { common })
}
