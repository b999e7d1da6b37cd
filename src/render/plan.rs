//! The page plan: one entry per output page, each with its kind, folder and
//! template, in a stable order. Also sitemap.xml and robots.txt, which list
//! the plan as plain text. Each kind's context and inputs are in `pages`;
//! rendering and writing are `write`'s.

use crate::content::model::{BriefIx, ClaimIx, Site, TermIx};
use crate::render::highlight::escape;
use crate::render::urls;
use crate::xref::Annotations;

/// What one output page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Briefs,
    /// Page `page` (from 1) of every claim, by brief.
    Claims {
        page: usize,
    },
    Search,
    /// Keys, citing and printing.
    Help,
    Brief(BriefIx),
    Claim(ClaimIx),
    Taxonomy(usize),
    /// Page `page` (from 1) of a term's claims.
    Term {
        taxonomy: usize,
        term: TermIx,
        page: usize,
    },
    /// Page `page` (from 1) of the claims carrying both terms of
    /// `Annotations::pairs[pair]`.
    Pair {
        pair: usize,
        page: usize,
    },
    /// Page `page` (from 1) of a term's recommendation claims.
    Recommendations {
        taxonomy: usize,
        term: TermIx,
        page: usize,
    },
    NotFound,
}

/// One planned output page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's folder (`claims/x/`); for 404 the file name itself.
    pub dir: String,
    pub kind: PageKind,
}

impl Page {
    /// The output file, relative to the output root.
    pub fn file(&self) -> String {
        match self.kind {
            PageKind::NotFound => urls::NOT_FOUND.to_string(),
            _ => urls::file(&self.dir),
        }
    }

    /// The template that renders it.
    pub fn template(&self) -> &'static str {
        match self.kind {
            PageKind::Home => "home.html",
            PageKind::Briefs => "briefs.html",
            PageKind::Claims { .. } => "claims.html",
            PageKind::Search => "search.html",
            PageKind::Help => "help.html",
            PageKind::Brief(_) => "brief.html",
            PageKind::Claim(_) => "claim.html",
            PageKind::Taxonomy(_) => "taxonomy.html",
            PageKind::Term { .. } => "term.html",
            PageKind::Pair { .. } => "pair.html",
            PageKind::Recommendations { .. } => "recommendations.html",
            PageKind::NotFound => "404.html",
        }
    }
}

/// Number of pages of a term list of `n` claims at `size` per page (≥ 1).
pub fn page_count(n: usize, size: usize) -> usize {
    n.div_ceil(size.max(1)).max(1)
}

/// Every page of the site, in a stable order: the contract's pages, then
/// the pages that exist for cross-references (intersections of two terms,
/// recommendations per policy), which `annotations` bounds.
pub fn plan(site: &Site, annotations: &Annotations) -> Vec<Page> {
    let size = site.config.term_page_size;
    let mut pages = vec![
        Page {
            dir: urls::HOME.into(),
            kind: PageKind::Home,
        },
        Page {
            dir: urls::BRIEFS.into(),
            kind: PageKind::Briefs,
        },
    ];
    for n in 1..=page_count(site.claims.len(), size) {
        pages.push(Page {
            dir: urls::claims_index(n),
            kind: PageKind::Claims { page: n },
        });
    }
    pages.push(Page {
        dir: urls::SEARCH.into(),
        kind: PageKind::Search,
    });
    pages.push(Page {
        dir: urls::HELP.into(),
        kind: PageKind::Help,
    });
    for (i, b) in site.briefs.iter().enumerate() {
        pages.push(Page {
            dir: urls::brief(&b.id),
            kind: PageKind::Brief(i as BriefIx),
        });
    }
    for (i, c) in site.claims.iter().enumerate() {
        pages.push(Page {
            dir: urls::claim(&c.id),
            kind: PageKind::Claim(i as ClaimIx),
        });
    }
    for (x, tax) in site.taxonomies.iter().enumerate() {
        pages.push(Page {
            dir: urls::taxonomy(tax.id()),
            kind: PageKind::Taxonomy(x),
        });
        for (t, term) in tax.terms.iter().enumerate() {
            for n in 1..=page_count(site.claims_of(x, t as TermIx).len(), size) {
                pages.push(Page {
                    dir: urls::term(tax.id(), &term.id, n),
                    kind: PageKind::Term {
                        taxonomy: x,
                        term: t as TermIx,
                        page: n,
                    },
                });
            }
        }
    }
    for (i, pair) in annotations.pairs.iter().enumerate() {
        let (ta, tb) = (&site.taxonomies[pair.a.0], &site.taxonomies[pair.b.0]);
        let (a, b) = (&ta.terms[pair.a.1 as usize], &tb.terms[pair.b.1 as usize]);
        for n in 1..=page_count(pair.claims.len(), size) {
            pages.push(Page {
                dir: urls::term_with(ta.id(), &a.id, tb.id(), &b.id, n),
                kind: PageKind::Pair { pair: i, page: n },
            });
        }
    }
    let mut terms: Vec<(&(usize, TermIx), &Vec<ClaimIx>)> =
        annotations.recommendations.iter().collect();
    terms.sort_unstable_by_key(|(k, _)| **k);
    for (&(x, t), claims) in terms {
        let tax = &site.taxonomies[x];
        for n in 1..=page_count(claims.len(), size) {
            pages.push(Page {
                dir: urls::recommendations(tax.id(), &tax.terms[t as usize].id, n),
                kind: PageKind::Recommendations {
                    taxonomy: x,
                    term: t,
                    page: n,
                },
            });
        }
    }
    pages.push(Page {
        dir: String::new(),
        kind: PageKind::NotFound,
    });
    pages
}

/// Whether a page belongs in sitemap.xml: not 404 and the search page
/// (they show nothing of their own), nor the pages of a term without
/// claims.
pub fn in_sitemap(site: &Site, page: &Page) -> bool {
    match page.kind {
        PageKind::NotFound | PageKind::Search => false,
        PageKind::Term { taxonomy, term, .. } => !site.claims_of(taxonomy, term).is_empty(),
        _ => true,
    }
}

/// The warning a build without `base_url` prints: sitemap.xml then lists
/// nothing, since a sitemap's locations must be absolute.
pub const SITEMAP_WARNING: &str =
    "sitemap.xml lists no URLs: set base_url in content/site.yaml or pass --base-url";

/// sitemap.xml: the absolute URL of every page [`in_sitemap`] keeps under
/// `base_url`; without one a valid, empty urlset (locations must be
/// absolute, and the build warns, [`SITEMAP_WARNING`]).
pub fn sitemap(site: &Site, pages: &[Page]) -> String {
    let base = site.config.base_url.as_deref();
    let mut s = String::with_capacity(base.map_or(0, |_| pages.len() * 80) + 200);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    if let Some(b) = base {
        for p in pages.iter().filter(|p| in_sitemap(site, p)) {
            s.push_str("  <url><loc>");
            s.push_str(&escape(&urls::absolute(b, &p.dir)));
            s.push_str("</loc></url>\n");
        }
    }
    s.push_str("</urlset>\n");
    s
}

/// robots.txt: allow everything and point at the sitemap.
pub fn robots(base_url: Option<&str>) -> String {
    match base_url {
        Some(b) => format!("User-agent: *\nAllow: /\n\nSitemap: {b}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n\n# Sitemap: sitemap.xml (set base_url in content/site.yaml, or pass --base-url, for an absolute Sitemap line)\n".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts() {
        for (n, size, want) in [
            (0, 200, 1),
            (1, 200, 1),
            (200, 200, 1),
            (201, 200, 2),
            (5, 2, 3),
        ] {
            assert_eq!(page_count(n, size), want, "{n} {size}");
        }
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert!(robots(Some("https://x.org/b/")).contains("Sitemap: https://x.org/b/sitemap.xml"));
        assert!(!robots(None).contains("\nSitemap:"));
    }
}
