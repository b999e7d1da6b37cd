//! Every page kind, one file each, holding its template context and the
//! inputs the incremental rebuild fingerprints (`inputs`): what a page
//! shows is declared once, beside the code that shows it. The two
//! dispatchers below match on every [`PageKind`], so a new kind cannot be
//! rendered without saying what it depends on.
//!
//! Contexts are small serialisable structs built from borrowed views
//! (`render::inputs`), never from the whole site. Which pages exist is
//! `render::plan`'s business.

mod brief;
mod briefs;
mod claim;
mod claims;
mod help;
mod home;
mod not_found;
mod pair;
mod recommendations;
mod search;
mod taxonomy;
mod term;

use anyhow::Result;
use serde::Serialize;

use crate::content::model::{BriefIx, ClaimIx, TermIx};
use crate::render::fingerprint::PageHash;
use crate::render::inputs::{
    chapter_anchor, note_anchor, ref_anchor, section_anchor, BriefItem, ClaimItem, ClaimLink,
    Common, Inputs, TermLink,
};
use crate::render::plan::{page_count, Page, PageKind};
use crate::render::theme::error_chain;
use crate::render::urls;

/// Builds the template context of one page.
pub fn context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    match page.kind {
        PageKind::Home => home::context(inp, page),
        PageKind::Briefs => briefs::context(inp, page),
        PageKind::Claims { page: n } => claims::context(inp, page, n),
        PageKind::Search => search::context(inp, page),
        PageKind::Help => help::context(inp, page),
        PageKind::Brief(b) => brief::context(inp, page, b),
        PageKind::Claim(c) => claim::context(inp, page, c),
        PageKind::Taxonomy(x) => taxonomy::context(inp, page, x),
        PageKind::Term {
            taxonomy,
            term,
            page: n,
        } => term::context(inp, page, taxonomy, term, n),
        PageKind::Pair { pair, page: n } => pair::context(inp, page, pair, n),
        PageKind::Recommendations {
            taxonomy,
            term,
            page: n,
        } => recommendations::context(inp, page, taxonomy, term, n),
        PageKind::NotFound => not_found::context(inp),
    }
}

/// The fingerprint of everything `page` shows, from the entity
/// fingerprints in `h`; `None` for pages that show site-wide lists and
/// counts (home, briefs, taxonomy lists, recommendations, search, help, 404),
/// which are re-rendered on every rebuild.
pub fn inputs(mut h: PageHash<'_>, page: &Page) -> Option<u64> {
    match page.kind {
        PageKind::Home
        | PageKind::Briefs
        | PageKind::Search
        | PageKind::Help
        | PageKind::Taxonomy(_)
        | PageKind::NotFound => return None,
        PageKind::Recommendations {
            taxonomy,
            term,
            page: n,
        } => recommendations::inputs(&mut h, taxonomy, term, n),
        PageKind::Claims { page: n } => claims::inputs(&mut h, n),
        PageKind::Brief(b) => brief::inputs(&mut h, b),
        PageKind::Claim(c) => claim::inputs(&mut h, c),
        PageKind::Term {
            taxonomy,
            term,
            page: n,
        } => term::inputs(&mut h, taxonomy, term, n),
        PageKind::Pair { pair, page: n } => pair::inputs(&mut h, pair, n),
    }
    Some(h.finish())
}

/// Page `n` (from 1) of a list paginated by `size`.
fn page_slice<T>(list: &[T], size: usize, n: usize) -> &[T] {
    let size = size.max(1);
    let start = (n.max(1) - 1).saturating_mul(size).min(list.len());
    &list[start..(start + size).min(list.len())]
}

#[derive(Serialize)]
struct ChapterView<'a> {
    id: &'a str,
    title: &'a str,
    authors: &'a [String],
    anchor: String,
}

#[derive(Serialize)]
struct TaxView<'a> {
    name: &'a str,
    title: &'a str,
    singular: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TermNode<'a> {
    #[serde(flatten)]
    link: TermLink<'a>,
    depth: usize,
    direct: usize,
}

#[derive(Serialize)]
struct ClaimGroup<'a> {
    brief: BriefItem<'a>,
    /// The claims, each rendered by `partials/claim_item.html`.
    items: String,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    first_item: usize,
    last_item: usize,
    prev: Option<String>,
    next: Option<String>,
    /// A window of page numbers; `None` marks a gap.
    pages: Vec<Option<PageLink>>,
}

/// Claims of one brief as links (excerpt and kind): the compact listing of
/// intersection pages, which repeat claims the term pages show in full.
#[derive(Serialize)]
struct LinkGroup<'a> {
    brief: BriefItem<'a>,
    /// The claims, each rendered by `partials/claim_link.html`.
    items: String,
}

/// A policy's recommendations page, as a link.
#[derive(Serialize)]
struct RecommendationsLink<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

/// Brief indexes, most recently published first (then by id).
fn newest_first(site: &crate::content::model::Site) -> impl Iterator<Item = BriefIx> {
    let mut idx: Vec<BriefIx> = (0..site.briefs.len() as BriefIx).collect();
    // Dates are ISO (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), so text order is
    // date order, and a shorter date sorts before a longer one of its month.
    idx.sort_by(|&a, &b| {
        let (x, y) = (&site.briefs[a as usize], &site.briefs[b as usize]);
        y.published.cmp(&x.published).then_with(|| x.id.cmp(&y.id))
    });
    idx.into_iter()
}

/// The order of term lists: most claims first, then by name (A–Z,
/// ignoring case), then by vocabulary order.
fn by_count_then_name(
    site: &crate::content::model::Site,
    x: usize,
    a: TermIx,
    b: TermIx,
) -> std::cmp::Ordering {
    let count = |t: TermIx| site.claims_of(x, t).len();
    let name = |t: TermIx| site.term(x, t).name.to_lowercase();
    count(b)
        .cmp(&count(a))
        .then_with(|| name(a).cmp(&name(b)))
        .then(a.cmp(&b))
}

fn tax_view<'a>(inp: &Inputs<'a>, x: usize) -> TaxView<'a> {
    let t = &inp.site.taxonomies[x];
    TaxView {
        name: &t.def.id,
        title: &t.def.name,
        singular: &t.def.singular,
        url: urls::file(&urls::taxonomy(t.id())),
    }
}

fn tera_context<T: Serialize>(v: &T) -> Result<tera::Context> {
    tera::Context::from_serialize(v).map_err(|e| anyhow::anyhow!(error_chain(&e)))
}

/// The chapter a note belongs to, when its id starts with `<chapter id>-`.
fn note_chapter<'b>(
    brief: &'b crate::content::model::Brief,
    id: &str,
) -> Option<&'b crate::content::model::Chapter> {
    brief.chapters.iter().find(|c| {
        id.strip_prefix(c.id.as_str())
            .is_some_and(|r| r.starts_with('-') && r.len() > 1)
    })
}

/// What a reader sees as a note's number: `43` for `ch4-43` (numbering
/// restarts per chapter), the id itself otherwise.
fn note_label<'b>(brief: &crate::content::model::Brief, id: &'b str) -> &'b str {
    match note_chapter(brief, id) {
        Some(c) => &id[c.id.len() + 1..],
        None => id,
    }
}

/// Claims of a list page, grouped by brief (the list is in reading order,
/// so each brief's claims are consecutive): in full, or as one-line links.
fn grouped<'a, G>(
    inp: &Inputs<'a>,
    slice: &[ClaimIx],
    mut group: impl FnMut(BriefItem<'a>, String) -> G,
    mut item: impl FnMut(ClaimIx, &mut String) -> Result<()>,
) -> Result<Vec<G>> {
    let site = inp.site;
    let mut groups = Vec::new();
    let mut i = 0;
    while i < slice.len() {
        let b = site.claims[slice[i] as usize].brief;
        let mut items = String::new();
        while let Some(&ci) = slice
            .get(i)
            .filter(|&&c| site.claims[c as usize].brief == b)
        {
            item(ci, &mut items)?;
            i += 1;
        }
        groups.push(group(inp.brief_ref(b), items));
    }
    Ok(groups)
}

/// Claims of a list page in full, grouped by brief.
fn claim_groups<'a>(
    inp: &Inputs<'a>,
    slice: &[ClaimIx],
    root: &str,
) -> Result<Vec<ClaimGroup<'a>>> {
    grouped(
        inp,
        slice,
        |brief, items| ClaimGroup { brief, items },
        |c, out| inp.claim_item_html(c, root, out),
    )
}

/// Claims of a list page as links, grouped by brief.
fn link_groups<'a>(inp: &Inputs<'a>, slice: &[ClaimIx], root: &str) -> Result<Vec<LinkGroup<'a>>> {
    grouped(
        inp,
        slice,
        |brief, items| LinkGroup { brief, items },
        |c, out| inp.claim_link_html(c, root, out),
    )
}

/// Page `n` of a list of `len` items: the slice bounds and, when there is
/// more than one page, the navigation (`url(k)` is page k's URL).
fn paginate(
    len: usize,
    size: usize,
    n: usize,
    url: impl Fn(usize) -> String,
) -> (std::ops::Range<usize>, Option<Pagination>) {
    let size = size.max(1);
    let total = page_count(len, size);
    let start = (n.max(1) - 1).saturating_mul(size).min(len);
    let end = (start + size).min(len);
    let pagination = (total > 1).then(|| {
        let mut pages = Vec::new();
        let mut last = 0;
        for k in 1..=total {
            if k == 1 || k == total || k.abs_diff(n) <= 3 {
                if last + 1 < k {
                    pages.push(None);
                }
                pages.push(Some(PageLink {
                    n: k,
                    url: url(k),
                    current: k == n,
                }));
                last = k;
            }
        }
        Pagination {
            current: n,
            total,
            first_item: start + 1,
            last_item: end,
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages,
        }
    });
    (start..end, pagination)
}

/// The URL of page `n` of an intersection page.
fn pair_url(inp: &Inputs<'_>, pair: usize, n: usize) -> Option<String> {
    let p = inp.annotations.pairs.get(pair)?;
    let (ta, tb) = (
        inp.site.taxonomies.get(p.a.0)?,
        inp.site.taxonomies.get(p.b.0)?,
    );
    let (a, b) = (ta.terms.get(p.a.1 as usize)?, tb.terms.get(p.b.1 as usize)?);
    Some(urls::file(&urls::term_with(
        ta.id(),
        &a.id,
        tb.id(),
        &b.id,
        n,
    )))
}

/// The link to a term's recommendations page, when it has one.
fn recommendations_link<'a>(
    inp: &Inputs<'a>,
    x: usize,
    t: TermIx,
) -> Option<RecommendationsLink<'a>> {
    let claims = inp.annotations.recommendations.get(&(x, t))?;
    let tax = inp.site.taxonomies.get(x)?;
    let term = tax.terms.get(t as usize)?;
    Some(RecommendationsLink {
        name: &term.name,
        url: urls::file(&urls::recommendations(tax.id(), &term.id, 1)),
        count: claims.len(),
    })
}
