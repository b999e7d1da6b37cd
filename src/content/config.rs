//! `content/site.yaml` to [`SiteConfig`]: defaults, the normalised base URL
//! and the term page size. Parsing the YAML is `parse`'s job; this module
//! turns the lenient shape into the checked one.

use crate::content::schema::RawSiteConfig;
use crate::diag::Diagnostic;

/// Claims per term page when site.yaml does not say.
pub const DEFAULT_TERM_PAGE_SIZE: usize = 200;

/// The checked site configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: String,
    pub description: Option<String>,
    /// Absolute URL ending in `/`, e.g. `https://example.org/briefs-site/`.
    /// Used for sitemap.xml, robots.txt, canonical links and 404.html; page
    /// links stay relative whatever it is.
    pub base_url: Option<String>,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    pub author: Option<String>,
    pub term_page_size: usize,
    /// (rows, columns): the taxonomy indexes of the home page's matrix,
    /// from the taxonomy table.
    pub matrix: Option<(usize, usize)>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "crossbrief".into(),
            description: None,
            base_url: None,
            language: "en".into(),
            author: None,
            term_page_size: DEFAULT_TERM_PAGE_SIZE,
            matrix: None,
        }
    }
}

/// Checks a base URL and gives it its trailing slash. `Err` says what is wrong.
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url `{url}` has no host"));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "base_url `{url}` must not contain a query, fragment, spaces or quotes"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Turns the raw site.yaml (or its absence) into a [`SiteConfig`]. `line_of`
/// finds the file line of a key for diagnostics.
pub fn check(
    raw: &RawSiteConfig,
    path: &str,
    line_of: impl Fn(&str) -> Option<usize>,
) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut cfg = SiteConfig::default();
    match raw.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => cfg.title = t.to_string(),
        _ => diags.push(
            Diagnostic::new(
                path,
                line_of("title").or(Some(1)),
                "missing required key `title`",
            )
            .help("add `title: Your site's name`"),
        ),
    }
    cfg.description = raw.description.clone().filter(|d| !d.trim().is_empty());
    cfg.author = raw.author.clone().filter(|a| !a.trim().is_empty());
    if let Some(lang) = raw.language.as_deref() {
        if lang.is_empty() || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            diags.push(
                Diagnostic::new(
                    path,
                    line_of("language"),
                    format!("bad language tag `{lang}`"),
                )
                .help("use a tag such as `en` or `en-GB`"),
            );
        } else {
            cfg.language = lang.to_string();
        }
    }
    if let Some(url) = raw.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
        match normalise_base_url(url) {
            Ok(u) => cfg.base_url = Some(u),
            Err(e) => diags.push(
                Diagnostic::new(path, line_of("base_url"), e)
                    .help("write the absolute URL the site is published under, e.g. `https://example.org/briefs/`"),
            ),
        }
    }
    match raw.term_page_size {
        Some(0) => diags.push(
            Diagnostic::new(
                path,
                line_of("term_page_size"),
                "`term_page_size` must be at least 1",
            )
            .help(format!(
                "remove the key to use the default of {DEFAULT_TERM_PAGE_SIZE}"
            )),
        ),
        Some(n) => cfg.term_page_size = n,
        None => {}
    }
    if diags.is_empty() {
        Ok(cfg)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalise_base_url("https://example.org/briefs-site").unwrap(),
            "https://example.org/briefs-site/"
        );
        assert_eq!(
            normalise_base_url("http://localhost:8000/").unwrap(),
            "http://localhost:8000/"
        );
        for bad in ["example.org", "https://", "ftp://x", "https://x/?a=1"] {
            assert!(normalise_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_and_errors() {
        let raw = RawSiteConfig {
            title: Some("T".into()),
            ..Default::default()
        };
        let cfg = check(&raw, "content/site.yaml", |_| None).unwrap();
        assert_eq!(cfg.term_page_size, 200);
        assert_eq!(cfg.language, "en");
        let raw = RawSiteConfig {
            term_page_size: Some(0),
            ..Default::default()
        };
        let errs = check(&raw, "content/site.yaml", |_| Some(3)).unwrap_err();
        assert_eq!(errs.len(), 2);
    }
}
