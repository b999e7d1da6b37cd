//! Parts that many pages show in the same way, rendered once per build.
//!
//! A claim appears as a list item on its terms' pages, its recommendation
//! pages and its intersection pages, and a term appears as a chip on every
//! claim page that carries it. Rendering those parts through tera for every
//! page that shows them was most of the template work of a build, so each
//! is rendered once, by its own overridable template, the first time a page
//! needs it:
//!
//! - `partials/claim_item.html`: a claim in full in a list, as a card (`c`:
//!   id, url, anchor, html, inline, kind, brief, section, tags, terms);
//! - `partials/claim_link.html`: a claim as a one-line link (`c`: id, url,
//!   text, kind);
//! - `partials/term_chip.html`: a term as a chip with its claim count (`t`:
//!   id, name, url, count);
//! - `partials/related_link.html`: a claim as the link of a related-claims
//!   entry (`c`: id, url, text, brief_title, brief_url);
//! - `partials/brief_link.html`: a brief as a link (`b`: id, title, url,
//!   publisher, published, authors, …);
//! - `partials/header.html` and `partials/footer.html`: the site's header
//!   (one per navigation entry) and footer (`site`, `nav`, `taxonomies`).
//!
//! Each also gets `root`. Pages sit at different depths, so a snippet is
//! rendered with a marker character in place of `root`, and the page's own
//! prefix is pasted in where the marker stands. If the data of an item
//! itself contains the marker (a control character, which no HTML page
//! should contain, but content can), that item is rendered for each page
//! instead, so the output never depends on the shortcut. Snippets are
//! trimmed of surrounding white space; lists put one item per line.

use std::sync::OnceLock;

use anyhow::{anyhow, Result};
use serde::Serialize;
use tera::Tera;

use crate::content::model::{BriefIx, ClaimIx, Site, TermIx};
use crate::render::theme::error_chain;

/// Stands for the page's root prefix in a rendered snippet.
const ROOT: char = '\u{1}';

/// Template of a claim in full in a list.
pub const CLAIM_ITEM: &str = "partials/claim_item.html";
/// Template of a claim as a one-line link.
pub const CLAIM_LINK: &str = "partials/claim_link.html";
/// Template of a term chip.
pub const TERM_CHIP: &str = "partials/term_chip.html";
/// Template of the link of a related-claims entry.
pub const RELATED_LINK: &str = "partials/related_link.html";
/// Template of a brief as a link.
pub const BRIEF_LINK: &str = "partials/brief_link.html";
/// Template of the site header.
pub const HEADER: &str = "partials/header.html";
/// Template of the site footer.
pub const FOOTER: &str = "partials/footer.html";

/// One rendered snippet.
enum Snippet {
    /// Rendered with [`ROOT`] for the root prefix.
    Shared(String),
    /// The item's data contains [`ROOT`]: render it for each page.
    PerPage,
}

type Slot = OnceLock<std::result::Result<Snippet, String>>;

/// The snippets of one build, rendered on first use (from any thread).
pub struct Snippets<'t> {
    tera: &'t Tera,
    claim_item: Vec<Slot>,
    claim_link: Vec<Slot>,
    related_link: Vec<Slot>,
    brief_link: Vec<Slot>,
    term_chip: Vec<Vec<Slot>>,
    /// Per navigation entry (`home`, `briefs`, each taxonomy).
    header: Vec<(String, Slot)>,
    footer: Slot,
}

fn slots(n: usize) -> Vec<Slot> {
    std::iter::repeat_with(OnceLock::new).take(n).collect()
}

/// A template context holding `value` as `key`.
pub fn context<T: Serialize>(key: &str, value: &T) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(key, value);
    ctx
}

/// Whether any string in `v` contains the root marker.
fn holds_marker(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains(ROOT),
        Value::Array(a) => a.iter().any(holds_marker),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains(ROOT) || holds_marker(v)),
        _ => false,
    }
}

impl<'t> Snippets<'t> {
    /// Empty slots for `claims` claims, `briefs` briefs and, per taxonomy,
    /// its term count.
    pub fn new(
        tera: &'t Tera,
        claims: usize,
        briefs: usize,
        terms: impl IntoIterator<Item = usize>,
    ) -> Self {
        Snippets {
            tera,
            claim_item: slots(claims),
            claim_link: slots(claims),
            related_link: slots(claims),
            brief_link: slots(briefs),
            term_chip: terms.into_iter().map(slots).collect(),
            header: Vec::new(),
            footer: OnceLock::new(),
        }
    }

    /// Empty slots for every claim, brief, term and navigation entry of
    /// `site`.
    pub fn for_site(tera: &'t Tera, site: &Site) -> Self {
        let mut s = Self::new(
            tera,
            site.claims.len(),
            site.briefs.len(),
            site.taxonomies.iter().map(|t| t.terms.len()),
        );
        s.header = ["home", "briefs", "claims", "search", "help"]
            .into_iter()
            .chain(site.taxonomies.iter().map(|t| t.id()))
            .map(|nav| (nav.to_string(), OnceLock::new()))
            .collect();
        s
    }

    /// The site header for the page whose navigation entry is `nav`.
    /// `value` gives its context (`site`, `nav`, `taxonomies`) if it has
    /// to be rendered.
    pub fn header(
        &self,
        nav: &str,
        value: impl Fn() -> tera::Context,
        root: &str,
    ) -> Result<String> {
        match self.header.iter().find(|(n, _)| n == nav) {
            Some((_, slot)) => self.pasted(Some(slot), HEADER, value, root),
            // A navigation entry of a site's own: rendered for its page.
            None => self.render(HEADER, value(), root),
        }
    }

    /// The site footer.
    pub fn footer(&self, value: impl Fn() -> tera::Context, root: &str) -> Result<String> {
        self.pasted(Some(&self.footer), FOOTER, value, root)
    }

    /// Appends claim `c` as a full list item, then a newline.
    pub fn claim_item(
        &self,
        c: ClaimIx,
        value: impl Fn() -> tera::Context,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        self.paste(
            self.claim_item.get(c as usize),
            CLAIM_ITEM,
            value,
            root,
            out,
        )?;
        out.push('\n');
        Ok(())
    }

    /// Appends claim `c` as a one-line link list item, then a newline.
    pub fn claim_link(
        &self,
        c: ClaimIx,
        value: impl Fn() -> tera::Context,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        self.paste(
            self.claim_link.get(c as usize),
            CLAIM_LINK,
            value,
            root,
            out,
        )?;
        out.push('\n');
        Ok(())
    }

    /// Claim `c` as the link of a related-claims entry.
    pub fn related_link(
        &self,
        c: ClaimIx,
        value: impl Fn() -> tera::Context,
        root: &str,
    ) -> Result<String> {
        self.pasted(self.related_link.get(c as usize), RELATED_LINK, value, root)
    }

    /// Brief `b` as a link.
    pub fn brief_link(
        &self,
        b: BriefIx,
        value: impl Fn() -> tera::Context,
        root: &str,
    ) -> Result<String> {
        self.pasted(self.brief_link.get(b as usize), BRIEF_LINK, value, root)
    }

    /// Appends term `t` of taxonomy `x` as a chip.
    pub fn term_chip(
        &self,
        x: usize,
        t: TermIx,
        value: impl Fn() -> tera::Context,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let slot = self.term_chip.get(x).and_then(|v| v.get(t as usize));
        self.paste(slot, TERM_CHIP, value, root, out)
    }

    /// Renders `template` with `ctx` and `root`.
    fn render(&self, template: &str, mut ctx: tera::Context, root: &str) -> Result<String> {
        ctx.insert("root", root);
        let out = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow!("template {template}: {}", error_chain(&e)))?;
        Ok(out.trim().to_string())
    }

    /// The snippet in `slot` with `root` pasted in, as a string of its own.
    fn pasted(
        &self,
        slot: Option<&Slot>,
        template: &str,
        value: impl Fn() -> tera::Context,
        root: &str,
    ) -> Result<String> {
        let mut out = String::new();
        self.paste(slot, template, value, root, &mut out)?;
        Ok(out)
    }

    /// Appends the snippet in `slot` to `out` with `root` pasted in; renders
    /// it first, from the context `value` gives, if no page has needed it
    /// yet.
    fn paste(
        &self,
        slot: Option<&Slot>,
        template: &str,
        value: impl Fn() -> tera::Context,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let slot = slot.ok_or_else(|| anyhow!("{template}: no such item"))?;
        let snippet = slot.get_or_init(|| {
            let ctx = value();
            if holds_marker(&ctx.clone().into_json()) {
                return Ok(Snippet::PerPage);
            }
            self.render(template, ctx, &ROOT.to_string())
                .map(Snippet::Shared)
                .map_err(|e| e.to_string())
        });
        match snippet {
            Ok(Snippet::Shared(s)) => {
                let mut parts = s.split(ROOT);
                if let Some(first) = parts.next() {
                    out.push_str(first);
                }
                for p in parts {
                    out.push_str(root);
                    out.push_str(p);
                }
            }
            Ok(Snippet::PerPage) => out.push_str(&self.render(template, value(), root)?),
            Err(e) => return Err(anyhow!("{e}")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(template: &str, text: &str) -> Tera {
        let mut t = Tera::default();
        t.autoescape_on(vec![".html"]);
        t.add_raw_template(template, text).unwrap();
        t
    }

    fn paste_chip(
        s: &Snippets<'_>,
        value: impl Fn() -> tera::Context,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        s.paste(s.term_chip[0].first(), TERM_CHIP, value, root, out)
    }

    #[test]
    fn root_is_pasted_per_page_and_snippet_rendered_once() {
        let t = tera(
            TERM_CHIP,
            "  <a href=\"{{ root | safe }}{{ t | safe }}\">{{ root | safe }}</a>\n",
        );
        let s = Snippets::new(&t, 0, 0, [1]);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let value = || {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            context("t", &"x.html")
        };
        let mut out = String::new();
        paste_chip(&s, value, "../../", &mut out).unwrap();
        paste_chip(&s, value, "", &mut out).unwrap();
        assert_eq!(
            out,
            "<a href=\"../../x.html\">../../</a><a href=\"x.html\"></a>"
        );
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1);
    }

    #[test]
    fn data_holding_the_marker_is_rendered_per_page() {
        let t = tera(TERM_CHIP, "{{ root | safe }}|{{ t | safe }}");
        let s = Snippets::new(&t, 0, 0, [1]);
        let odd = format!("a{ROOT}b");
        let value = || context("t", &odd);
        let mut out = String::new();
        paste_chip(&s, value, "../", &mut out).unwrap();
        paste_chip(&s, value, "", &mut out).unwrap();
        assert_eq!(out, format!("../|a{ROOT}b|a{ROOT}b"));
    }

    #[test]
    fn template_errors_are_reported_on_every_use() {
        let t = tera(TERM_CHIP, "{{ missing.field }}");
        let s = Snippets::new(&t, 0, 0, [1]);
        let mut out = String::new();
        let value = || context("t", &"x");
        for _ in 0..2 {
            let e = paste_chip(&s, value, "", &mut out).unwrap_err();
            assert!(e.to_string().contains(TERM_CHIP), "{e}");
        }
        assert!(s.paste(None, TERM_CHIP, value, "", &mut out).is_err());
    }

    #[test]
    fn the_marker_is_found_anywhere_in_the_context() {
        let mut ctx = context(
            "site",
            &serde_json::json!({"title": "t", "authors": ["a", "b"]}),
        );
        assert!(!holds_marker(&ctx.clone().into_json()));
        ctx.insert("nav", &[format!("x{ROOT}")]);
        assert!(holds_marker(&ctx.into_json()));
    }
}
