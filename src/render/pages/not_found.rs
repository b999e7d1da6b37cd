//! The not-found page, served for missing paths at any depth: by GitHub
//! Pages and Netlify for any missing URL, and by a plain server configured
//! to (`error_page 404 /404.html`). Relative links cannot work from an
//! unknown depth, so its links start with the site's absolute path when
//! `base_url` is known, and with `/` otherwise, which a small inline script
//! corrects once it has found the site's root from `location`
//! (`templates/404.html`). The theme's stylesheet is inlined, so the page
//! is styled even before (or without) finding it.

use super::*;

#[derive(Serialize)]
struct NotFoundCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    /// Whether `root` is known (from `base_url`) or a guess the script
    /// corrects.
    root_known: bool,
    /// The top-level folders of the site, for the script to recognise in a
    /// missing URL (`/sub/claims/x/` has its root at `/sub/`).
    sections: Vec<&'a str>,
    /// The default stylesheet, inlined.
    inline_css: &'static str,
}

/// The context of 404.html.
pub(super) fn context(inp: &Inputs<'_>) -> Result<tera::Context> {
    let site = inp.site;
    let title = |t: &str| format!("{t} · {}", site.config.title);
    let mut common = inp.common("", "", title("Page not found"));
    let base = site.config.base_url.as_deref().map(urls::base_path);
    common.root = base.unwrap_or("/").to_string();
    common.canonical = None;
    common.noindex = true;
    common.description = format!("This page of {} does not exist.", site.config.title);
    let mut sections: Vec<&str> = vec!["briefs", "claims", "search", "help", "data", "pagefind"];
    sections.extend(site.taxonomies.iter().map(|t| t.id()));
    tera_context(&NotFoundCtx {
        common,
        root_known: base.is_some(),
        sections,
        inline_css: crate::render::theme::default_style(),
    })
}
