//! Every URL of the content contract, and relative links between pages.
//!
//! A page is identified by its folder relative to the output root
//! (`claims/x/`, or `""` for home); its file is that folder's `index.html`.
//! Links are written relative (`../../claims/x/index.html`), with the explicit
//! `index.html` so the site also works opened from disk (file://), and under
//! any sub-path. Only sitemap.xml, robots.txt, canonical links and 404.html
//! use the absolute `base_url`.

/// The home page's folder.
pub const HOME: &str = "";
/// The list of briefs.
pub const BRIEFS: &str = "briefs/";
/// The not-found page's file (it is served from any depth).
pub const NOT_FOUND: &str = "404.html";
/// The search page.
pub const SEARCH: &str = "search/";
/// Folder of the help page (keys, citing, printing).
pub const HELP: &str = "help/";
/// The search index folder (pagefind's bundle).
pub const PAGEFIND: &str = "pagefind/";
/// The site's Atom feed.
pub const FEED: &str = "atom.xml";
/// Every claim as JSON.
pub const DATA_JSON: &str = "data/claims.json";
/// Every claim as CSV.
pub const DATA_CSV: &str = "data/claims.csv";

/// Folder of page `n` (from 1) of the list of every claim.
pub fn claims_index(n: usize) -> String {
    paged("claims/".to_string(), n)
}

/// The Atom feed of a term (its newest claims).
pub fn term_feed(taxonomy: &str, term: &str) -> String {
    format!("{taxonomy}/{term}/atom.xml")
}

/// Folder of one brief.
pub fn brief(id: &str) -> String {
    format!("briefs/{id}/")
}

/// Folder of one claim.
pub fn claim(id: &str) -> String {
    format!("claims/{id}/")
}

/// Folder of a taxonomy's term list.
pub fn taxonomy(name: &str) -> String {
    format!("{name}/")
}

/// Folder of page `n` (from 1) of a term; page 1 is the term's own folder.
pub fn term(taxonomy: &str, term: &str, n: usize) -> String {
    if n <= 1 {
        format!("{taxonomy}/{term}/")
    } else {
        format!("{taxonomy}/{term}/page/{n}/")
    }
}

/// Folder of page `n` (from 1) of the claims carrying both `term` and
/// `term2` (a term of another taxonomy): inside the first term's folder, so
/// it cannot clash with a term or its pages.
pub fn term_with(taxonomy: &str, term: &str, taxonomy2: &str, term2: &str, n: usize) -> String {
    paged(format!("{taxonomy}/{term}/with/{taxonomy2}/{term2}/"), n)
}

/// Folder of page `n` (from 1) of a policy's recommendation claims.
pub fn recommendations(taxonomy: &str, term: &str, n: usize) -> String {
    paged(format!("{taxonomy}/{term}/recommendations/"), n)
}

fn paged(mut dir: String, n: usize) -> String {
    if n > 1 {
        dir.push_str(&format!("page/{n}/"));
    }
    dir
}

/// The file a page folder is written to.
pub fn file(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The prefix that leads from a page in `dir` back to the output root:
/// `""` at the root, `../../` for `claims/x/`.
pub fn root_prefix(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// The relative link from the page in `from` to the page in `to`.
pub fn relative(from: &str, to: &str) -> String {
    format!("{}{}", root_prefix(from), file(to))
}

/// The absolute URL of a page folder under `base` (which ends in `/`).
pub fn absolute(base: &str, dir: &str) -> String {
    format!("{base}{dir}")
}

/// The path part of a base URL (`https://x.org/a/` → `/a/`).
pub fn base_path(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_paths() {
        assert_eq!(brief("rand-2023-parker"), "briefs/rand-2023-parker/");
        assert_eq!(claim("a-1"), "claims/a-1/");
        assert_eq!(taxonomy("countries"), "countries/");
        assert_eq!(term("countries", "china", 1), "countries/china/");
        assert_eq!(term("countries", "china", 3), "countries/china/page/3/");
        assert_eq!(file(HOME), "index.html");
        assert_eq!(claims_index(1), "claims/");
        assert_eq!(claims_index(2), "claims/page/2/");
        assert_eq!(term_feed("countries", "china"), "countries/china/atom.xml");
        assert_eq!(
            term_with("countries", "china", "policies", "export-controls", 1),
            "countries/china/with/policies/export-controls/"
        );
        assert_eq!(
            term_with("countries", "china", "policies", "export-controls", 2),
            "countries/china/with/policies/export-controls/page/2/"
        );
        assert_eq!(
            recommendations("policies", "export-controls", 1),
            "policies/export-controls/recommendations/"
        );
        assert_eq!(
            recommendations("policies", "export-controls", 3),
            "policies/export-controls/recommendations/page/3/"
        );
    }

    #[test]
    fn relative_links() {
        for (from, to, want) in [
            ("", "briefs/", "briefs/index.html"),
            ("", "", "index.html"),
            ("claims/x/", "", "../../index.html"),
            ("claims/x/", "claims/y/", "../../claims/y/index.html"),
            (
                "countries/china/page/2/",
                "countries/china/",
                "../../../../countries/china/index.html",
            ),
            ("briefs/", "briefs/a/", "../briefs/a/index.html"),
        ] {
            assert_eq!(relative(from, to), want, "{from} -> {to}");
        }
    }

    #[test]
    fn base_paths() {
        assert_eq!(
            base_path("https://example.org/briefs-site/"),
            "/briefs-site/"
        );
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(
            absolute("https://example.org/a/", "claims/x/"),
            "https://example.org/a/claims/x/"
        );
    }
}
