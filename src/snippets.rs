//! Parts that many pages show in the same way, rendered once per build.
//!
//! A claim appears as a list item on its terms' pages, its recommendation
//! pages and its intersection pages, and a term appears as a chip on every
//! claim page that carries it. Rendering those parts through tera for every
//! page that shows them was most of the template work of a build, so each
//! is rendered once, by its own overridable template, the first time a page
//! needs it:
//!
//! - `items/claim.html`: a claim in full in a list (`c`: id, url, anchor,
//!   html, inline, kind);
//! - `items/claim_link.html`: a claim as a one-line link (`c`: id, url,
//!   text, kind);
//! - `items/term_chip.html`: a term as a chip with its claim count (`t`:
//!   id, name, url, count);
//! - `items/related_link.html`: a claim as the link of a related-claims
//!   entry (`c`: id, url, text, brief_title, brief_url);
//! - `items/brief_link.html`: a brief as a link (`b`: id, title, url,
//!   publisher, published, authors, …).
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

use crate::context::{ClaimItem, Inputs, TermLink};
use crate::model::{BriefIx, ClaimIx, Site, TermIx};
use crate::theme::error_chain;

/// Stands for the page's root prefix in a rendered snippet.
const ROOT: char = '\u{1}';

/// Template of a claim in full in a list.
pub const CLAIM_ITEM: &str = "items/claim.html";
/// Template of a claim as a one-line link.
pub const CLAIM_LINK: &str = "items/claim_link.html";
/// Template of a term chip.
pub const TERM_CHIP: &str = "items/term_chip.html";
/// Template of the link of a related-claims entry.
pub const RELATED_LINK: &str = "items/related_link.html";
/// Template of a brief as a link.
pub const BRIEF_LINK: &str = "items/brief_link.html";

/// A claim as a one-line link in a list.
#[derive(Serialize)]
pub struct KindLink<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub kind: &'static str,
}

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
}

fn slots(n: usize) -> Vec<Slot> {
    std::iter::repeat_with(OnceLock::new).take(n).collect()
}

/// Whether any of `fields` contains the root marker.
fn marked(fields: &[&str]) -> bool {
    fields.iter().any(|f| f.contains(ROOT))
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
        }
    }

    /// Empty slots for every claim and term of `site`.
    pub fn for_site(tera: &'t Tera, site: &Site) -> Self {
        Self::new(
            tera,
            site.claims.len(),
            site.briefs.len(),
            site.taxonomies.iter().map(|t| t.terms.len()),
        )
    }

    /// Renders `template` with `key` = `value` and `root`.
    fn render<T: Serialize>(
        &self,
        template: &str,
        key: &str,
        value: &T,
        root: &str,
    ) -> Result<String> {
        let mut ctx = tera::Context::new();
        ctx.insert(key, value);
        ctx.insert("root", root);
        let out = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow!("template {template}: {}", error_chain(&e)))?;
        Ok(out.trim().to_string())
    }

    /// Appends the snippet in `slot` to `out` with `root` pasted in; renders
    /// it first if no page has needed it yet.
    fn paste<T: Serialize>(
        &self,
        slot: Option<&Slot>,
        template: &str,
        key: &str,
        value: impl Fn() -> (T, bool),
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let slot = slot.ok_or_else(|| anyhow!("{template}: no such item"))?;
        let snippet = slot.get_or_init(|| {
            let (v, has_marker) = value();
            if has_marker {
                return Ok(Snippet::PerPage);
            }
            self.render(template, key, &v, &ROOT.to_string())
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
            Ok(Snippet::PerPage) => out.push_str(&self.render(template, key, &value().0, root)?),
            Err(e) => return Err(anyhow!("{e}")),
        }
        Ok(())
    }

    /// Appends claim `c` as a full list item, then a newline.
    pub fn claim_item(
        &self,
        inp: &Inputs<'_>,
        c: ClaimIx,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let value = || {
            let item: ClaimItem<'_> = inp.claim_item(c);
            let m = marked(&[item.id, item.url, item.anchor, item.html]);
            (item, m)
        };
        self.paste(
            self.claim_item.get(c as usize),
            CLAIM_ITEM,
            "c",
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
        inp: &Inputs<'_>,
        c: ClaimIx,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let value = || {
            let p = inp.prepared;
            let claim = &inp.site.claims[c as usize];
            let link = KindLink {
                id: &claim.id,
                url: &p.claim_url[c as usize],
                text: &p.claim_text[c as usize],
                kind: claim.kind.as_str(),
            };
            let m = marked(&[link.id, link.url, link.text]);
            (link, m)
        };
        self.paste(
            self.claim_link.get(c as usize),
            CLAIM_LINK,
            "c",
            value,
            root,
            out,
        )?;
        out.push('\n');
        Ok(())
    }

    /// Claim `c` as the link of a related-claims entry.
    pub fn related_link(&self, inp: &Inputs<'_>, c: ClaimIx, root: &str) -> Result<String> {
        let value = || {
            let link = inp.claim_link(c);
            let m = marked(&[
                link.id,
                link.url,
                link.text,
                link.brief_title,
                link.brief_url,
            ]);
            (link, m)
        };
        let mut out = String::new();
        self.paste(
            self.related_link.get(c as usize),
            RELATED_LINK,
            "c",
            value,
            root,
            &mut out,
        )?;
        Ok(out)
    }

    /// Brief `b` as a link.
    pub fn brief_link(&self, inp: &Inputs<'_>, b: BriefIx, root: &str) -> Result<String> {
        let value = || {
            let brief = inp.brief_ref(b);
            let mut fields = vec![
                brief.id,
                brief.title,
                brief.url,
                brief.publisher,
                brief.published,
            ];
            fields.extend(
                brief
                    .authors
                    .iter()
                    .chain(brief.editors)
                    .map(String::as_str),
            );
            fields.extend(
                brief
                    .subtitle
                    .iter()
                    .chain(&brief.series)
                    .chain(&brief.external_url),
            );
            let m = marked(&fields);
            (brief, m)
        };
        let mut out = String::new();
        self.paste(
            self.brief_link.get(b as usize),
            BRIEF_LINK,
            "b",
            value,
            root,
            &mut out,
        )?;
        Ok(out)
    }

    /// Appends term `t` of taxonomy `x` as a chip.
    pub fn term_chip(
        &self,
        inp: &Inputs<'_>,
        x: usize,
        t: TermIx,
        root: &str,
        out: &mut String,
    ) -> Result<()> {
        let value = || {
            let link: TermLink<'_> = inp.term_link(x, t);
            let m = marked(&[link.id, link.name, link.url]);
            (link, m)
        };
        let slot = self.term_chip.get(x).and_then(|v| v.get(t as usize));
        self.paste(slot, TERM_CHIP, "t", value, root, out)
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
            ("x.html", false)
        };
        let mut out = String::new();
        s.paste(
            s.term_chip[0].first(),
            TERM_CHIP,
            "t",
            value,
            "../../",
            &mut out,
        )
        .unwrap();
        s.paste(s.term_chip[0].first(), TERM_CHIP, "t", value, "", &mut out)
            .unwrap();
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
        let value = || (odd.as_str(), marked(&[&odd]));
        let mut out = String::new();
        s.paste(
            s.term_chip[0].first(),
            TERM_CHIP,
            "t",
            value,
            "../",
            &mut out,
        )
        .unwrap();
        s.paste(s.term_chip[0].first(), TERM_CHIP, "t", value, "", &mut out)
            .unwrap();
        assert_eq!(out, format!("../|a{ROOT}b|a{ROOT}b"));
    }

    #[test]
    fn template_errors_are_reported_on_every_use() {
        let t = tera(TERM_CHIP, "{{ missing.field }}");
        let s = Snippets::new(&t, 0, 0, [1]);
        let mut out = String::new();
        for _ in 0..2 {
            let e = s
                .paste(
                    s.term_chip[0].first(),
                    TERM_CHIP,
                    "t",
                    || ("x", false),
                    "",
                    &mut out,
                )
                .unwrap_err();
            assert!(e.to_string().contains(TERM_CHIP), "{e}");
        }
        assert!(s
            .paste(None, TERM_CHIP, "t", || ("x", false), "", &mut out)
            .is_err());
    }
}
