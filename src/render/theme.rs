//! The default theme compiled into the binary (templates and static files),
//! and a site's own `templates/` and `static/` laid over it: a site file with
//! the same name replaces the default one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::content::paths::SiteRoot;
use crate::content::rel_path;
use crate::diag::Diagnostic;

/// The default templates, under the names a site would use to override them.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("briefs.html", include_str!("../../templates/briefs.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("claim.html", include_str!("../../templates/claim.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("pair.html", include_str!("../../templates/pair.html")),
    (
        "recommendations.html",
        include_str!("../../templates/recommendations.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("claims.html", include_str!("../../templates/claims.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("help.html", include_str!("../../templates/help.html")),
    (
        "partials/claim_item.html",
        include_str!("../../templates/partials/claim_item.html"),
    ),
    (
        "partials/claim_link.html",
        include_str!("../../templates/partials/claim_link.html"),
    ),
    (
        "partials/term_chip.html",
        include_str!("../../templates/partials/term_chip.html"),
    ),
    (
        "partials/related_link.html",
        include_str!("../../templates/partials/related_link.html"),
    ),
    (
        "partials/brief_link.html",
        include_str!("../../templates/partials/brief_link.html"),
    ),
    (
        "partials/header.html",
        include_str!("../../templates/partials/header.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../templates/partials/footer.html"),
    ),
];

/// The default static files, by output path.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("reading.js", include_bytes!("../../static/reading.js")),
];

/// The default stylesheet's text (inlined where a page cannot know where
/// `style.css` is: 404.html).
pub fn default_style() -> &'static str {
    include_str!("../../static/style.css")
}

/// One static file to copy into the output.
#[derive(Debug, Clone)]
pub enum Asset {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Templates ready to render, and the static files to copy.
pub struct Theme {
    pub tera: Tera,
    /// Output path (relative, `/`-separated) to contents.
    pub statics: BTreeMap<String, Asset>,
}

/// The error text of a tera error with its causes (tera puts the useful part
/// in the source chain).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

impl Theme {
    /// The defaults, with `root/templates/` and `root/static/` laid over
    /// them. A template that fails to parse is reported with its path.
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    (format!("(built-in) templates/{n}"), s.to_string()),
                )
            })
            .collect();
        // Links are followed inside the site only (content::paths).
        let site = SiteRoot::new(root);
        let dir = root.join("templates");
        let visible = |rel: &str| !rel.rsplit('/').next().unwrap_or("").starts_with('.');
        for p in site.walk(&dir, usize::MAX, &visible, &mut diags) {
            let name = rel_path(&dir, &p);
            let shown = rel_path(root, &p);
            match std::fs::read_to_string(&p) {
                Ok(text) => {
                    sources.insert(name, (shown, text));
                }
                Err(err) => diags.push(Diagnostic::new(
                    shown,
                    None,
                    format!("cannot read template: {err}"),
                )),
            }
        }
        // Parse each template alone first, so an error names its file.
        for (name, (shown, text)) in &sources {
            if let Err(e) = tera::Template::new(name, None, text) {
                diags.push(
                    Diagnostic::new(shown, None, format!("template error: {}", error_chain(&e)))
                        .help(
                            "fix the tera syntax, or delete the file to use the built-in template",
                        ),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            return Err(vec![Diagnostic::new(
                "templates",
                None,
                format!("template error: {}", error_chain(&e)),
            )
            .help("check `extends`, `import` and `include` names")]);
        }
        let mut statics: BTreeMap<String, Asset> = DEFAULT_STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), Asset::Embedded(b)))
            .collect();
        let sdir = root.join("static");
        let mut refused = Vec::new();
        for p in site.walk(&sdir, usize::MAX, &|_| true, &mut refused) {
            statics.insert(rel_path(&sdir, &p), Asset::Disk(p));
        }
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok(Theme { tera, statics })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkdir::WalkDir;

    #[test]
    fn every_template_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| rel_path(&dir, e.path()))
            .collect();
        on_disk.sort();
        let mut table: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        table.sort();
        assert_eq!(on_disk, table);
        let sdir = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
        let n = std::fs::read_dir(sdir).unwrap().count();
        assert_eq!(n, DEFAULT_STATIC.len());
    }

    #[test]
    fn site_files_override_defaults_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "custom").unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        let theme = Theme::load(dir.path()).ok().unwrap();
        let out = theme
            .tera
            .render("404.html", &tera::Context::new())
            .unwrap();
        assert_eq!(out, "custom");
        assert!(matches!(
            theme.statics.get("style.css"),
            Some(Asset::Disk(_))
        ));
        std::fs::write(dir.path().join("templates/claim.html"), "{% if %}").unwrap();
        let errs = Theme::load(dir.path()).err().unwrap();
        assert_eq!(errs[0].path, "templates/claim.html");
    }
}
