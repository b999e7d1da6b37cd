//! Template contexts: small serialisable views of the model, built per page
//! from borrowed, precomputed data ([`Prepared`]). No page's context holds
//! the whole site: a term page holds its own slice of claims, a claim page
//! its neighbours, so context size never grows with the corpus.

use serde::Serialize;

use crate::content::model::{Brief, BriefIx, ClaimIx, Site, TermIx};
use crate::render::markdown;
use crate::render::partials::{self, Snippets};
use crate::render::urls;
use crate::xref::Annotations;

/// Per-build data computed once and shared by every page: rendered Markdown
/// and URLs (relative to the output root).
pub struct Prepared {
    /// Claim HTML: the inner HTML when `claim_inline`, the block HTML if not.
    pub claim_html: Vec<String>,
    pub claim_inline: Vec<bool>,
    /// Plain-text excerpt of each claim, for link labels and titles.
    pub claim_text: Vec<String>,
    /// The whole plain text of each claim, for metadata, search and data.
    pub claim_plain: Vec<String>,
    /// Whether the claim's HTML holds a highlighted code block (the page
    /// then links highlight.css).
    pub claim_code: Vec<bool>,
    /// `claims/<id>/index.html`.
    pub claim_url: Vec<String>,
    /// `briefs/<brief>/index.html#<id>`.
    pub claim_anchor: Vec<String>,
    /// Per claim, per section level: the claim that opens that heading.
    pub section_start: Vec<Vec<ClaimIx>>,
    /// `briefs/<id>/index.html`.
    pub brief_url: Vec<String>,
    /// Per brief, per note (model order).
    pub note_html: Vec<Vec<String>>,
    pub brief_summary: Vec<Option<String>>,
    /// The summary as plain text, for metadata, feeds and search.
    pub brief_summary_text: Vec<Option<String>>,
    pub brief_about: Vec<Option<String>>,
    pub brief_bibliography: Vec<Vec<String>>,
    /// Per taxonomy, per term: page-1 URL.
    pub term_url: Vec<Vec<String>>,
    pub term_description: Vec<Vec<Option<String>>>,
    pub site_description: Option<String>,
    /// The description as plain text, for `<meta name="description">`.
    pub site_description_text: Option<String>,
    /// The taxonomies in the navigation, the same on every page.
    pub nav: Vec<NavItem>,
}

/// Everything a page context is built from.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub prepared: &'a Prepared,
    pub annotations: &'a Annotations,
    /// List items and chips, rendered once and shared by all pages.
    pub snippets: &'a Snippets<'a>,
}

/// Site-wide values every template gets.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub author: Option<&'a str>,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
}

/// A taxonomy in the navigation.
#[derive(Serialize)]
pub struct NavItem {
    /// The taxonomy id.
    pub name: String,
    /// Its display name.
    pub title: String,
    pub url: String,
}

/// The part of every page context that is the same kind of thing everywhere.
#[derive(Serialize)]
pub struct Common<'a> {
    pub site: SiteView<'a>,
    /// Prefix from this page back to the output root (`../../`).
    pub root: String,
    /// Which navigation entry is current (`home`, `briefs`, a taxonomy name).
    pub nav: &'a str,
    pub taxonomies: &'a [NavItem],
    pub page_title: String,
    /// Absolute URL of this page when `base_url` is set.
    pub canonical: Option<String>,
    /// `<meta name="description">` and `og:description`, plain text: what
    /// this page is (a claim's text, a brief's summary, …).
    pub description: String,
    /// `og:title`: the page title without the site's name.
    pub og_title: String,
    /// `og:type`: `article` for briefs and claims, `website` otherwise.
    pub og_type: &'static str,
    /// schema.org JSON-LD, escaped for a `<script>` element.
    pub json_ld: Option<String>,
    /// Atom feeds to announce (`<link rel="alternate">`): the site's, and
    /// on a term's pages the term's.
    pub feeds: Vec<FeedLink>,
    /// Asks search engines to leave the page out (a term with no claims).
    pub noindex: bool,
    /// Whether the page shows a highlighted code block, so links
    /// highlight.css (most pages do not, and it is the larger stylesheet).
    pub code: bool,
}

/// An Atom feed a page links to.
#[derive(Serialize)]
pub struct FeedLink {
    pub title: String,
    /// Relative to the output root.
    pub url: String,
}

impl<'a> Inputs<'a> {
    /// The common part for the page in folder `dir`.
    pub fn common(&self, dir: &str, nav: &'a str, page_title: String) -> Common<'a> {
        let cfg = &self.site.config;
        let suffix = format!(" · {}", cfg.title);
        let og_title = page_title
            .strip_suffix(&suffix)
            .unwrap_or(&page_title)
            .to_string();
        Common {
            site: self.site_view(),
            root: urls::root_prefix(dir),
            nav,
            taxonomies: &self.prepared.nav,
            page_title,
            canonical: cfg.base_url.as_deref().map(|b| urls::absolute(b, dir)),
            description: self.site_description(),
            og_title,
            og_type: "website",
            json_ld: None,
            feeds: vec![FeedLink {
                title: format!("{} (Atom feed)", cfg.title),
                url: urls::FEED.to_string(),
            }],
            noindex: false,
            code: false,
        }
    }

    /// The address of the page in folder `dir`, for references and print:
    /// absolute with `base_url`, else its path from the site's root.
    pub fn permalink(&self, dir: &str) -> crate::render::cite::Permalink {
        match self.site.config.base_url.as_deref() {
            Some(b) => crate::render::cite::Permalink {
                url: urls::absolute(b, dir),
                absolute: true,
            },
            None => crate::render::cite::Permalink {
                url: dir.to_string(),
                absolute: false,
            },
        }
    }

    /// Whether any of `claims` holds a highlighted code block.
    pub fn any_code(&self, claims: &[ClaimIx]) -> bool {
        claims
            .iter()
            .any(|&c| self.prepared.claim_code.get(c as usize) == Some(&true))
    }

    /// The site's description as plain text, or a sentence naming the
    /// site (the same on every page: pages that show site-wide counts say
    /// more themselves).
    pub fn site_description(&self) -> String {
        match &self.prepared.site_description_text {
            Some(d) if !d.is_empty() => crate::render::meta::describe(d),
            _ => format!(
                "{}: claims from research briefs, each with its source and tags.",
                self.site.config.title
            ),
        }
    }

    /// The site-wide values every template gets as `site`.
    pub fn site_view(&self) -> SiteView<'a> {
        let cfg = &self.site.config;
        SiteView {
            title: &cfg.title,
            description: self.prepared.site_description_text.as_deref(),
            author: cfg.author.as_deref(),
            language: &cfg.language,
            base_url: cfg.base_url.as_deref(),
        }
    }

    /// A claim as an item of a list (its text, links to its page and anchor).
    pub fn claim_item(&self, c: ClaimIx) -> ClaimItem<'a> {
        let p = self.prepared;
        let i = c as usize;
        let claim = &self.site.claims[i];
        ClaimItem {
            id: &claim.id,
            url: &p.claim_url[i],
            anchor: &p.claim_anchor[i],
            html: &p.claim_html[i],
            inline: p.claim_inline[i],
            kind: claim.kind.as_str(),
        }
    }

    /// A claim as a card of a list: in full, with its brief, section and
    /// terms.
    pub fn claim_card(&self, c: ClaimIx) -> ClaimCard<'a> {
        let site = self.site;
        let claim = &site.claims[c as usize];
        let brief = site.brief_of(claim);
        let mut section: Vec<&str> = Vec::new();
        if let Some(ch) = claim.chapter.and_then(|i| brief.chapters.get(i)) {
            section.push(&ch.title);
        }
        section.extend(claim.section.iter().map(String::as_str));
        let tags = (0..site.taxonomies.len())
            .flat_map(|x| {
                let tags = claim.tags.get(x).map_or(&[][..], |v| v);
                tags.iter().map(move |&t| self.term_link(x, t))
            })
            .collect();
        let mut terms = String::new();
        for (x, t) in self.filter_terms(c) {
            if !terms.is_empty() {
                terms.push(' ');
            }
            let tax = &site.taxonomies[x];
            terms.push_str(tax.id());
            terms.push(':');
            terms.push_str(&tax.terms[t as usize].id);
        }
        ClaimCard {
            item: self.claim_item(c),
            brief: &brief.id,
            section: section.join(" › "),
            tags,
            terms,
        }
    }

    /// The terms a list's filter finds claim `c` by: its own and their
    /// ancestors (it is listed on their pages too; a very deep chain is cut
    /// short), each once, taxonomy by taxonomy.
    pub fn filter_terms(&self, c: ClaimIx) -> Vec<(usize, TermIx)> {
        let claim = &self.site.claims[c as usize];
        let mut out: Vec<(usize, TermIx)> = Vec::new();
        for (x, tax) in self.site.taxonomies.iter().enumerate() {
            let start = out.len();
            for &t in claim.tags.get(x).map_or(&[][..], |v| v) {
                for a in std::iter::once(t).chain(tax.ancestors(t)).take(16) {
                    if !out[start..].iter().any(|&(_, s)| s == a) {
                        out.push((x, a));
                    }
                }
            }
        }
        out
    }

    /// A claim as a link (excerpt and brief).
    pub fn claim_link(&self, c: ClaimIx) -> ClaimLink<'a> {
        let p = self.prepared;
        let i = c as usize;
        let claim = &self.site.claims[i];
        let brief = self.site.brief_of(claim);
        ClaimLink {
            id: &claim.id,
            url: &p.claim_url[i],
            text: &p.claim_text[i],
            brief_title: &brief.title,
            brief_url: &p.brief_url[claim.brief as usize],
        }
    }

    /// A claim as a one-line link with its kind.
    pub fn kind_link(&self, c: ClaimIx) -> KindLink<'a> {
        let i = c as usize;
        let claim = &self.site.claims[i];
        KindLink {
            id: &claim.id,
            url: &self.prepared.claim_url[i],
            text: &self.prepared.claim_text[i],
            kind: claim.kind.as_str(),
        }
    }

    /// A brief as an item of a list, with its summary.
    pub fn brief_item(&self, b: BriefIx) -> BriefItem<'a> {
        let mut item = self.brief_ref(b);
        item.summary = self.prepared.brief_summary[b as usize].as_deref();
        item
    }

    /// A brief as a reference from another page: no summary, which pages
    /// other than lists do not show (and which would grow every context).
    pub fn brief_ref(&self, b: BriefIx) -> BriefItem<'a> {
        let brief: &'a Brief = &self.site.briefs[b as usize];
        BriefItem {
            id: &brief.id,
            title: &brief.title,
            subtitle: brief.subtitle.as_deref(),
            publisher: &brief.publisher,
            published: &brief.published,
            authors: &brief.authors,
            editors: &brief.editors,
            series: brief.series.as_deref(),
            external_url: brief.url.as_deref(),
            url: &self.prepared.brief_url[b as usize],
            claims: brief.claims.len(),
            summary: None,
        }
    }

    /// The site header of a page whose navigation entry is `nav`, by
    /// `partials/header.html` (rendered once per entry).
    pub fn header_html(&self, nav: &str, root: &str) -> anyhow::Result<String> {
        self.snippets.header(
            nav,
            || {
                let mut ctx = partials::context("site", &self.site_view());
                ctx.insert("nav", nav);
                ctx.insert("taxonomies", &self.prepared.nav);
                ctx
            },
            root,
        )
    }

    /// The site footer, by `partials/footer.html`.
    pub fn footer_html(&self, root: &str) -> anyhow::Result<String> {
        self.snippets
            .footer(|| partials::context("site", &self.site_view()), root)
    }

    /// Appends claim `c` as a full list item (`partials/claim_item.html`).
    pub fn claim_item_html(&self, c: ClaimIx, root: &str, out: &mut String) -> anyhow::Result<()> {
        self.snippets
            .claim_item(c, || partials::context("c", &self.claim_card(c)), root, out)
    }

    /// Appends claim `c` as a one-line link (`partials/claim_link.html`).
    pub fn claim_link_html(&self, c: ClaimIx, root: &str, out: &mut String) -> anyhow::Result<()> {
        self.snippets
            .claim_link(c, || partials::context("c", &self.kind_link(c)), root, out)
    }

    /// Claim `c` as the link of a related-claims entry
    /// (`partials/related_link.html`).
    pub fn related_link_html(&self, c: ClaimIx, root: &str) -> anyhow::Result<String> {
        self.snippets
            .related_link(c, || partials::context("c", &self.claim_link(c)), root)
    }

    /// Brief `b` as a link (`partials/brief_link.html`).
    pub fn brief_link_html(&self, b: BriefIx, root: &str) -> anyhow::Result<String> {
        self.snippets
            .brief_link(b, || partials::context("b", &self.brief_ref(b)), root)
    }

    /// Appends term `t` of taxonomy `x` as a chip (`partials/term_chip.html`).
    pub fn term_chip_html(
        &self,
        x: usize,
        t: TermIx,
        root: &str,
        out: &mut String,
    ) -> anyhow::Result<()> {
        self.snippets.term_chip(
            x,
            t,
            || partials::context("t", &self.term_link(x, t)),
            root,
            out,
        )
    }

    /// A term as a link with its claim count.
    pub fn term_link(&self, x: usize, t: TermIx) -> TermLink<'a> {
        let term = self.site.term(x, t);
        TermLink {
            id: &term.id,
            name: &term.name,
            url: &self.prepared.term_url[x][t as usize],
            count: self.site.claims_of(x, t).len(),
        }
    }
}

/// A claim shown in full in a list.
#[derive(Serialize)]
pub struct ClaimItem<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub anchor: &'a str,
    pub html: &'a str,
    pub inline: bool,
    pub kind: &'static str,
}

/// A claim as a card of a list (`partials/claim_item.html`).
#[derive(Serialize)]
pub struct ClaimCard<'a> {
    #[serde(flatten)]
    pub item: ClaimItem<'a>,
    /// The brief's id.
    pub brief: &'a str,
    /// Chapter and section path, ` › ` between; empty when it has none.
    pub section: String,
    /// Its terms, every taxonomy in order.
    pub tags: Vec<TermLink<'a>>,
    /// `taxonomy:term` of its terms and their ancestors, space-separated
    /// (what the term pages' filter matches; its brief and kind are those
    /// of its group and its class).
    pub terms: String,
}

/// A claim shown as a link.
#[derive(Serialize)]
pub struct ClaimLink<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub brief_title: &'a str,
    pub brief_url: &'a str,
}

/// A claim as a one-line link with its kind.
#[derive(Serialize)]
pub struct KindLink<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub kind: &'static str,
}

/// A brief in a list.
#[derive(Serialize)]
pub struct BriefItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub publisher: &'a str,
    pub published: &'a str,
    pub authors: &'a [String],
    pub editors: &'a [String],
    pub series: Option<&'a str>,
    pub external_url: Option<&'a str>,
    pub url: &'a str,
    pub claims: usize,
    pub summary: Option<&'a str>,
}

/// A term as a link.
#[derive(Serialize)]
pub struct TermLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
}

/// A claim body rendered for pages: (HTML, inline, plain-text excerpt,
/// whole plain text), as stored in [`Prepared::claim_html`],
/// `claim_inline`, `claim_text` and `claim_plain`.
pub type ClaimMarkdown = (String, bool, String, String);

/// Renders one claim body (see [`ClaimMarkdown`]).
pub fn claim_markdown(body: &str) -> ClaimMarkdown {
    let html = markdown::to_html(body);
    let plain = markdown::plain_text(body);
    let text = markdown::excerpt(&plain, 160);
    match markdown::single_paragraph(&html) {
        Some(inner) => (inner.to_string(), true, text, plain),
        None => (html, false, text, plain),
    }
}

/// A note or bibliography entry as HTML, its addresses made links.
pub fn note_markdown(text: &str) -> String {
    crate::render::linkify::html(&markdown::to_html(text))
}

/// Builds [`Prepared`]: Markdown rendered once per text, in parallel.
pub fn prepare(site: &Site) -> Prepared {
    prepare_after(site, None)
}

/// Builds [`Prepared`], taking from `last` (the previous build's model and
/// what was prepared for it, in watch mode) the rendering of every claim
/// body and every brief's notes whose text did not change.
pub fn prepare_after(site: &Site, last: Option<(&Site, &Prepared)>) -> Prepared {
    let reuse = |c: &crate::content::model::Claim| -> Option<ClaimMarkdown> {
        let (old, prepared) = last?;
        let i = *old.claim_by_id.get(&c.id)? as usize;
        (old.claims[i].body == c.body).then(|| {
            (
                prepared.claim_html[i].clone(),
                prepared.claim_inline[i],
                prepared.claim_text[i].clone(),
                prepared.claim_plain[i].clone(),
            )
        })
    };
    let reuse_notes = |b: &Brief| -> Option<Vec<String>> {
        let (old, prepared) = last?;
        let i = old.briefs.binary_search_by(|o| o.id.cmp(&b.id)).ok()?;
        let o = &old.briefs[i];
        let same = o.notes.len() == b.notes.len()
            && o.notes.iter().zip(&b.notes).all(|(x, y)| x.text == y.text);
        same.then(|| prepared.note_html[i].clone())
    };
    use rayon::prelude::*;
    let rendered: Vec<ClaimMarkdown> = site
        .claims
        .par_iter()
        .map(|c| reuse(c).unwrap_or_else(|| claim_markdown(&c.body)))
        .collect();
    let mut claim_html = Vec::with_capacity(rendered.len());
    let mut claim_inline = Vec::with_capacity(rendered.len());
    let mut claim_text = Vec::with_capacity(rendered.len());
    let mut claim_plain = Vec::with_capacity(rendered.len());
    for (h, i, t, p) in rendered {
        claim_html.push(h);
        claim_inline.push(i);
        claim_text.push(t);
        claim_plain.push(p);
    }
    let brief_url: Vec<String> = site
        .briefs
        .iter()
        .map(|b| urls::file(&urls::brief(&b.id)))
        .collect();
    let claim_url = site
        .claims
        .iter()
        .map(|c| urls::file(&urls::claim(&c.id)))
        .collect();
    let claim_anchor = site
        .claims
        .iter()
        .map(|c| format!("{}#{}", brief_url[c.brief as usize], c.id))
        .collect();
    let md = |s: &Option<String>| s.as_deref().map(markdown::to_html);
    let note_html = site
        .briefs
        .par_iter()
        .map(|b| {
            reuse_notes(b)
                .unwrap_or_else(|| b.notes.iter().map(|n| note_markdown(&n.text)).collect())
        })
        .collect();
    Prepared {
        claim_code: claim_html.iter().map(|h| has_code(h)).collect(),
        claim_html,
        claim_inline,
        claim_text,
        claim_plain,
        claim_url,
        claim_anchor,
        section_start: section_starts(site),
        note_html,
        brief_summary: site.briefs.iter().map(|b| md(&b.summary)).collect(),
        brief_summary_text: site
            .briefs
            .iter()
            .map(|b| b.summary.as_deref().map(markdown::plain_text))
            .collect(),
        brief_about: site.briefs.iter().map(|b| md(&b.about)).collect(),
        brief_bibliography: site
            .briefs
            .iter()
            .map(|b| b.bibliography.iter().map(|e| note_markdown(e)).collect())
            .collect(),
        brief_url,
        term_url: site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| urls::file(&urls::term(t.id(), &term.id, 1)))
                    .collect()
            })
            .collect(),
        term_description: site
            .taxonomies
            .iter()
            .map(|t| t.terms.iter().map(|term| md(&term.description)).collect())
            .collect(),
        site_description: md(&site.config.description),
        nav: site
            .taxonomies
            .iter()
            .map(|t| NavItem {
                name: t.def.id.clone(),
                title: t.def.name.clone(),
                url: urls::file(&urls::taxonomy(t.id())),
            })
            .collect(),
        site_description_text: site.config.description.as_deref().map(markdown::plain_text),
    }
}

/// Whether rendered HTML holds a highlighted code block
/// (`highlight::code_block`).
pub fn has_code(html: &str) -> bool {
    html.contains("<pre class=\"code\"")
}

/// For each claim and section level, the claim where that heading opens:
/// a heading opens where the chapter changes or the section path differs
/// from the previous claim's up to that level.
// `d` indexes the section paths of two claims and the previous result.
#[allow(clippy::needless_range_loop)]
fn section_starts(site: &Site) -> Vec<Vec<ClaimIx>> {
    let mut out: Vec<Vec<ClaimIx>> = Vec::with_capacity(site.claims.len());
    for b in &site.briefs {
        let mut prev: Option<ClaimIx> = None;
        for &ci in &b.claims {
            let c = &site.claims[ci as usize];
            let mut starts = Vec::with_capacity(c.section.len());
            for d in 0..c.section.len() {
                let same = prev.is_some_and(|p| {
                    let pc = &site.claims[p as usize];
                    pc.chapter == c.chapter
                        && pc.section.len() > d
                        && pc.section[..=d] == c.section[..=d]
                });
                let start = match prev {
                    Some(p) if same => out[p as usize][d],
                    _ => ci,
                };
                starts.push(start);
            }
            out.push(starts);
            prev = Some(ci);
        }
    }
    out
}

/// The heading anchor of section level `d` opened by claim `start`.
pub fn section_anchor(site: &Site, start: ClaimIx, d: usize) -> String {
    format!("s{}-{}", d + 1, site.claims[start as usize].id)
}

/// The heading anchor of a chapter.
pub fn chapter_anchor(chapter_id: &str) -> String {
    format!("chapter-{chapter_id}")
}

/// The anchor of a note in its brief page's note list.
pub fn note_anchor(note_id: &str) -> String {
    format!("note-{}", anchor_safe(note_id))
}

/// The anchor of one citation marker of a claim in its brief page.
pub fn ref_anchor(claim_id: &str, note_id: &str) -> String {
    format!("ref-{claim_id}-{}", anchor_safe(note_id))
}

/// A note id as it can appear in an HTML id and a URL fragment without
/// escaping: letters, digits, `-`, `_` and `.` stay, any other byte becomes
/// `_XX` (hex), so distinct ids stay distinct (`*` → `_2a`, `†` → `_e2_80_a0`).
pub fn anchor_safe(id: &str) -> std::borrow::Cow<'_, str> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.');
    if id.bytes().all(plain) {
        return std::borrow::Cow::Borrowed(id);
    }
    let mut out = String::with_capacity(id.len() * 3);
    for b in id.bytes() {
        if plain(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_safe_and_distinct() {
        assert_eq!(note_anchor("43"), "note-43");
        assert_eq!(note_anchor("ch4-43"), "note-ch4-43");
        assert_eq!(note_anchor("*"), "note-_2a");
        assert_eq!(note_anchor("a_b"), "note-a_5fb");
        assert_ne!(note_anchor("a_5fb"), note_anchor("a_b"));
        assert_eq!(ref_anchor("c-1", "†"), "ref-c-1-_e2_80_a0");
    }
}
