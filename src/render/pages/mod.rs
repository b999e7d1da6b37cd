//! The template context of each page kind (home, briefs, brief, claim,
//! taxonomy, term, 404): small serialisable structs built from borrowed
//! views (`context`), never from the whole site. `render` decides which pages
//! exist and turns these contexts into bytes.

use anyhow::Result;
use serde::Serialize;

use crate::content::model::{BriefIx, ClaimIx, TermIx};
use crate::render::inputs::{
    chapter_anchor, note_anchor, ref_anchor, section_anchor, BriefItem, ClaimItem, ClaimLink,
    Common, Inputs, TermLink,
};
use crate::render::plan::{page_count, Page, PageKind};
use crate::render::theme::error_chain;
use crate::render::urls;

#[derive(Serialize)]
struct HomeCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    description_html: Option<&'a str>,
    briefs: Vec<BriefItem<'a>>,
    claim_count: usize,
    term_count: usize,
    top_terms: Vec<TopTerms<'a>>,
    matrix: Option<MatrixView<'a>>,
}

#[derive(Serialize)]
struct TopTerms<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
    terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
struct MatrixView<'a> {
    row_title: &'a str,
    col_title: &'a str,
    row_singular: &'a str,
    col_singular: &'a str,
    cols: Vec<TermLink<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    term: TermLink<'a>,
    cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
struct MatrixCell {
    count: usize,
    /// The claims carrying both terms; `None` for an empty cell.
    url: Option<String>,
    /// Shading step, 0 (empty) to 5 (the largest count).
    heat: usize,
}

#[derive(Serialize)]
struct BriefsCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    briefs: Vec<BriefItem<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Block<'a> {
    Chapter {
        id: String,
        title: &'a str,
        authors: &'a [String],
    },
    Heading {
        level: usize,
        id: String,
        text: &'a str,
    },
    Paragraph {
        claims: Vec<InlineClaim<'a>>,
    },
    /// A claim that is not a single sentence (table, list, code).
    #[serde(rename = "block")]
    Standalone {
        claim: InlineClaim<'a>,
    },
    /// Consecutive claims that are one list item each, rebuilt as one list.
    List {
        ordered: bool,
        items: Vec<InlineClaim<'a>>,
    },
}

#[derive(Serialize)]
struct InlineClaim<'a> {
    #[serde(flatten)]
    item: ClaimItem<'a>,
    notes: Vec<NoteRef<'a>>,
}

#[derive(Serialize)]
struct NoteRef<'a> {
    id: &'a str,
    label: &'a str,
    anchor: String,
    ref_id: String,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: usize,
    id: String,
    text: &'a str,
}

#[derive(Serialize)]
struct NoteView<'a> {
    id: &'a str,
    label: &'a str,
    anchor: String,
    html: &'a str,
    backrefs: Vec<String>,
}

#[derive(Serialize)]
struct BriefCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    brief: BriefItem<'a>,
    about_html: Option<&'a str>,
    bibliography: &'a [String],
    chapters: Vec<ChapterView<'a>>,
    toc: Vec<TocEntry<'a>>,
    blocks: Vec<Block<'a>>,
    /// Notes grouped by chapter where ids are chapter-prefixed (`ch4-43`);
    /// one untitled group otherwise.
    note_groups: Vec<NoteGroup<'a>>,
    has_notes: bool,
    /// Other briefs ranked by how many of this brief's claims relate to them.
    related_briefs: Vec<RelatedBrief<'a>>,
    /// Per section, how many claims have related claims in other briefs;
    /// empty without cross-references.
    section_overlap: Vec<SectionOverlap<'a>>,
    /// Claims of this brief with a related claim in another brief.
    with_related: usize,
}

#[derive(Serialize)]
struct RelatedBrief<'a> {
    title: &'a str,
    url: &'a str,
    claims: u32,
}

#[derive(Serialize)]
struct SectionOverlap<'a> {
    /// The section path, outermost first (chapter title first in a volume).
    path: Vec<&'a str>,
    /// `#anchor` of the section heading, if it has one.
    anchor: Option<String>,
    claims: usize,
    with_related: usize,
}

#[derive(Serialize)]
struct NoteGroup<'a> {
    title: Option<&'a str>,
    notes: Vec<NoteView<'a>>,
}

#[derive(Serialize)]
struct ChapterView<'a> {
    id: &'a str,
    title: &'a str,
    authors: &'a [String],
    anchor: String,
}

#[derive(Serialize)]
struct Crumb<'a> {
    text: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TagGroup<'a> {
    name: &'a str,
    title: &'a str,
    terms: Vec<TermLink<'a>>,
    /// The terms, each rendered by `partials/term_chip.html`.
    chips: String,
}

#[derive(Serialize)]
struct Citation<'a> {
    id: &'a str,
    label: &'a str,
    html: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ClaimCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    claim: ClaimItem<'a>,
    order: i64,
    reviewed: bool,
    brief: BriefItem<'a>,
    chapter: Option<ChapterView<'a>>,
    sections: Vec<Crumb<'a>>,
    tags: Vec<TagGroup<'a>>,
    citations: Vec<Citation<'a>>,
    prev: Option<ClaimLink<'a>>,
    next: Option<ClaimLink<'a>>,
    see_also: Vec<ClaimLink<'a>>,
    seen_from: Vec<ClaimLink<'a>>,
    related: Vec<RelatedView<'a>>,
    figures: Vec<FigureView<'a>>,
}

/// A related claim with why it is related.
#[derive(Serialize)]
struct RelatedView<'a> {
    #[serde(flatten)]
    claim: ClaimLink<'a>,
    /// The claim as a link, by `partials/related_link.html`.
    link: String,
    /// Its brief as a link, by `partials/brief_link.html`.
    brief_link: String,
    hand_made: bool,
    /// Relatedness score; the built-in templates do not show it, a site's
    /// own may.
    score: f32,
    shared_terms: &'a [String],
    shared_figures: &'a [String],
}

/// A figure a claim states.
#[derive(Serialize)]
struct FigureView<'a> {
    kind: &'static str,
    label: &'a str,
    /// As written in the claim.
    text: &'a str,
}

#[derive(Serialize)]
struct TaxonomyCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    terms: Vec<TermTree<'a>>,
    /// On the policies index: each policy's recommendations page.
    recommendations: Vec<RecommendationsLink<'a>>,
}

#[derive(Serialize)]
struct TermTree<'a> {
    term: TermNode<'a>,
    descendants: Vec<TermNode<'a>>,
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

/// A term of another taxonomy tagged together with this one, linking to
/// the claims carrying both.
#[derive(Serialize)]
struct CoTerm<'a> {
    #[serde(flatten)]
    link: TermLink<'a>,
    shared: usize,
    /// The intersection page.
    both_url: String,
}

#[derive(Serialize)]
struct CoGroup<'a> {
    title: &'a str,
    terms: Vec<CoTerm<'a>>,
}

/// One row of a term's figures table.
#[derive(Serialize)]
struct FigureRow<'a> {
    kind: &'static str,
    label: &'a str,
    text: &'a str,
    claim: ClaimLink<'a>,
}

#[derive(Serialize)]
struct FiguresTable<'a> {
    rows: Vec<FigureRow<'a>>,
    total: usize,
}

/// A page listing the claims that carry two terms.
#[derive(Serialize)]
struct PairCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    a: TermLink<'a>,
    a_taxonomy: TaxView<'a>,
    b: TermLink<'a>,
    b_taxonomy: TaxView<'a>,
    count: usize,
    groups: Vec<LinkGroup<'a>>,
    pagination: Option<Pagination>,
}

/// Claims of one brief as links (excerpt and kind): the compact listing of
/// intersection pages, which repeat claims the term pages show in full.
#[derive(Serialize)]
struct LinkGroup<'a> {
    brief: BriefItem<'a>,
    /// The claims, each rendered by `partials/claim_link.html`.
    items: String,
}

/// A page listing a policy's recommendation claims, by brief.
#[derive(Serialize)]
struct RecommendationsCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    term: TermLink<'a>,
    count: usize,
    briefs: usize,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
}

/// A policy's recommendations page, as a link.
#[derive(Serialize)]
struct RecommendationsLink<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TermCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    term: TermNode<'a>,
    description_html: Option<&'a str>,
    aliases: &'a [String],
    ancestors: Vec<TermLink<'a>>,
    children: Vec<TermLink<'a>>,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
    figures: Option<FiguresTable<'a>>,
    cooccurring: Vec<CoGroup<'a>>,
    recommendations: Option<RecommendationsLink<'a>>,
}

#[derive(Serialize)]
struct NotFoundCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
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

/// Builds the template context of one page.
pub fn page_context(inp: &Inputs<'_>, page: &Page) -> Result<tera::Context> {
    let site = inp.site;
    let title = |t: &str| format!("{t} · {}", site.config.title);
    match page.kind {
        PageKind::Home => {
            let mut top_terms = Vec::new();
            for (x, tax) in site.taxonomies.iter().enumerate() {
                let count = |t: TermIx| site.claims_of(x, t).len();
                let mut idx: Vec<TermIx> = (0..tax.terms.len() as TermIx)
                    .filter(|&t| count(t) > 0)
                    .collect();
                idx.sort_by(|&a, &b| count(b).cmp(&count(a)).then(a.cmp(&b)));
                idx.truncate(10);
                top_terms.push(TopTerms {
                    name: &tax.def.id,
                    title: &tax.def.name,
                    url: urls::file(&urls::taxonomy(tax.id())),
                    terms: idx.into_iter().map(|t| inp.term_link(x, t)).collect(),
                });
            }
            let matrix = inp.annotations.matrix.as_ref().filter(|m| {
                m.row_taxonomy < site.taxonomies.len() && m.col_taxonomy < site.taxonomies.len()
            });
            let matrix = matrix.map(|m| {
                let max = m.counts.iter().flatten().copied().max().unwrap_or(0).max(1);
                MatrixView {
                    row_title: &site.taxonomies[m.row_taxonomy].def.name,
                    col_title: &site.taxonomies[m.col_taxonomy].def.name,
                    row_singular: &site.taxonomies[m.row_taxonomy].def.singular,
                    col_singular: &site.taxonomies[m.col_taxonomy].def.singular,
                    cols: m
                        .cols
                        .iter()
                        .map(|&t| inp.term_link(m.col_taxonomy, t))
                        .collect(),
                    rows: m
                        .rows
                        .iter()
                        .zip(&m.counts)
                        .enumerate()
                        .map(|(r, (&t, counts))| MatrixRow {
                            term: inp.term_link(m.row_taxonomy, t),
                            cells: counts
                                .iter()
                                .enumerate()
                                .map(|(c, &count)| MatrixCell {
                                    count,
                                    url: m
                                        .pairs
                                        .get(r)
                                        .and_then(|row| row.get(c).copied().flatten())
                                        .and_then(|p| pair_url(inp, p, 1)),
                                    heat: count.saturating_mul(5).div_ceil(max),
                                })
                                .collect(),
                        })
                        .collect(),
                }
            });
            tera_context(&HomeCtx {
                common: inp.common(&page.dir, "home", site.config.title.clone()),
                description_html: inp.prepared.site_description.as_deref(),
                briefs: newest_first(site).map(|b| inp.brief_item(b)).collect(),
                claim_count: site.claims.len(),
                term_count: site.taxonomies.iter().map(|t| t.terms.len()).sum(),
                top_terms,
                matrix,
            })
        }
        PageKind::Briefs => tera_context(&BriefsCtx {
            common: inp.common(&page.dir, "briefs", title("Briefs")),
            briefs: newest_first(site).map(|b| inp.brief_item(b)).collect(),
        }),
        PageKind::Brief(b) => tera_context(&brief_context(inp, page, b)),
        PageKind::Claim(c) => tera_context(&claim_context(inp, page, c)?),
        PageKind::Taxonomy(x) => {
            let tax = &site.taxonomies[x];
            // Each root term with its descendants (depth-first, children in
            // file order), so a broader term and its narrower ones stay together.
            let mut terms = Vec::new();
            for (r, root) in tax.terms.iter().enumerate() {
                if root.parent.is_some() {
                    continue;
                }
                let mut descendants = Vec::new();
                let mut stack: Vec<(TermIx, usize)> =
                    root.children.iter().rev().map(|&c| (c, 1)).collect();
                while let Some((t, depth)) = stack.pop() {
                    let term = &tax.terms[t as usize];
                    descendants.push(TermNode {
                        link: inp.term_link(x, t),
                        depth,
                        direct: site.direct(x, t),
                    });
                    stack.extend(term.children.iter().rev().map(|&c| (c, depth + 1)));
                }
                terms.push(TermTree {
                    term: TermNode {
                        link: inp.term_link(x, r as TermIx),
                        depth: 0,
                        direct: site.direct(x, r as TermIx),
                    },
                    descendants,
                });
            }
            let recommendations = (0..tax.terms.len() as TermIx)
                .filter_map(|t| recommendations_link(inp, x, t))
                .collect();
            tera_context(&TaxonomyCtx {
                common: inp.common(&page.dir, &tax.def.id, title(&tax.def.name)),
                taxonomy: tax_view(inp, x),
                terms,
                recommendations,
            })
        }
        PageKind::Term {
            taxonomy: x,
            term: t,
            page: n,
        } => tera_context(&term_context(inp, page, x, t, n)?),
        PageKind::Pair { pair, page: n } => tera_context(&pair_context(inp, page, pair, n)?),
        PageKind::Recommendations {
            taxonomy,
            term,
            page: n,
        } => tera_context(&recommendations_context(inp, page, taxonomy, term, n)?),
        PageKind::NotFound => {
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
    }
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

fn brief_context<'a>(inp: &Inputs<'a>, page: &Page, b: BriefIx) -> BriefCtx<'a> {
    let site = inp.site;
    let p = inp.prepared;
    let brief = &site.briefs[b as usize];
    // Chapters of an edited volume take `h2`; sections start below them.
    let base = if brief.chapters.is_empty() { 2 } else { 3 };
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut toc = Vec::new();
    let mut prev: Option<ClaimIx> = None;
    for &ci in &brief.claims {
        let c = &site.claims[ci as usize];
        let mut heading = false;
        if c.chapter.is_some()
            && prev.is_none_or(|pc| site.claims[pc as usize].chapter != c.chapter)
        {
            if let Some(ch) = c.chapter.and_then(|i| brief.chapters.get(i)) {
                let id = chapter_anchor(&ch.id);
                toc.push(TocEntry {
                    level: 2,
                    id: id.clone(),
                    text: &ch.title,
                });
                blocks.push(Block::Chapter {
                    id,
                    title: &ch.title,
                    authors: &ch.authors,
                });
                heading = true;
            }
        }
        for (d, text) in c.section.iter().enumerate() {
            if p.section_start[ci as usize][d] == ci {
                let id = section_anchor(site, ci, d);
                let level = (base + d).min(6);
                if level <= base + 1 {
                    toc.push(TocEntry {
                        level,
                        id: id.clone(),
                        text,
                    });
                }
                blocks.push(Block::Heading { level, id, text });
                heading = true;
            }
        }
        let item = InlineClaim {
            item: inp.claim_item(ci),
            notes: c
                .cites
                .iter()
                .map(|&n| {
                    let nid = &brief.notes[n].id;
                    NoteRef {
                        id: nid,
                        label: note_label(brief, nid),
                        anchor: note_anchor(nid),
                        ref_id: ref_anchor(&c.id, nid),
                    }
                })
                .collect(),
        };
        let joins = !heading
            && item.item.inline
            && c.paragraph.is_some()
            && prev.is_some_and(|pc| site.claims[pc as usize].paragraph == c.paragraph);
        let list_item = (!item.item.inline)
            .then(|| crate::render::markdown::single_list_item(item.item.html))
            .flatten();
        match (blocks.last_mut(), list_item) {
            (Some(Block::Paragraph { claims }), _) if joins => claims.push(item),
            (_, None) if item.item.inline => blocks.push(Block::Paragraph { claims: vec![item] }),
            (Some(Block::List { ordered, items }), Some((o, inner)))
                if !heading && *ordered == o =>
            {
                let mut item = item;
                item.item.html = inner;
                items.push(item);
            }
            (_, Some((ordered, inner))) => {
                let mut item = item;
                item.item.html = inner;
                blocks.push(Block::List {
                    ordered,
                    items: vec![item],
                });
            }
            (_, None) => blocks.push(Block::Standalone { claim: item }),
        }
        prev = Some(ci);
    }
    let mut note_groups: Vec<NoteGroup<'a>> = Vec::new();
    for (i, n) in brief.notes.iter().enumerate() {
        let chapter = note_chapter(brief, &n.id);
        let view = NoteView {
            id: &n.id,
            label: note_label(brief, &n.id),
            anchor: note_anchor(&n.id),
            html: &p.note_html[b as usize][i],
            backrefs: n
                .cited_by
                .iter()
                .map(|&c| ref_anchor(&site.claims[c as usize].id, &n.id))
                .collect(),
        };
        let title = chapter.map(|c| c.title.as_str());
        match note_groups.last_mut() {
            Some(g) if g.title == title => g.notes.push(view),
            _ => note_groups.push(NoteGroup {
                title,
                notes: vec![view],
            }),
        }
    }
    // Chapter-prefixed ids sort by prefix, not by chapter order.
    note_groups.sort_by_key(|g| {
        g.title
            .and_then(|t| brief.chapters.iter().position(|c| c.title == t))
            .map_or(0, |i| i + 1)
    });
    let (section_overlap, with_related) = section_overlap(inp, b);
    let related_briefs = inp
        .annotations
        .brief_overlap
        .get(b as usize)
        .map(|v| {
            v.iter()
                .filter(|(o, _)| (*o as usize) < site.briefs.len())
                .map(|&(o, claims)| RelatedBrief {
                    title: &site.briefs[o as usize].title,
                    url: &p.brief_url[o as usize],
                    claims,
                })
                .collect()
        })
        .unwrap_or_default();
    BriefCtx {
        related_briefs,
        section_overlap,
        with_related,
        common: inp.common(
            &page.dir,
            "briefs",
            format!("{} · {}", brief.title, site.config.title),
        ),
        brief: inp.brief_item(b),
        about_html: p.brief_about[b as usize].as_deref(),
        bibliography: &p.brief_bibliography[b as usize],
        chapters: brief
            .chapters
            .iter()
            .map(|ch| ChapterView {
                id: &ch.id,
                title: &ch.title,
                authors: &ch.authors,
                anchor: chapter_anchor(&ch.id),
            })
            .collect(),
        toc,
        blocks,
        has_notes: !note_groups.is_empty(),
        note_groups,
    }
}

/// Per run of claims under the same chapter and section path, how many
/// have related claims in another brief; and how many in the whole brief.
fn section_overlap<'a>(inp: &Inputs<'a>, b: BriefIx) -> (Vec<SectionOverlap<'a>>, usize) {
    let site = inp.site;
    let related = &inp.annotations.related;
    if related.len() != site.claims.len() {
        return (Vec::new(), 0);
    }
    let brief = &site.briefs[b as usize];
    let mut out: Vec<SectionOverlap<'a>> = Vec::new();
    let mut prev: Option<ClaimIx> = None;
    let mut total = 0;
    for &ci in &brief.claims {
        let c = &site.claims[ci as usize];
        let hit = related[ci as usize].iter().any(|r| {
            site.claims
                .get(r.claim as usize)
                .is_some_and(|o| o.brief != b)
        });
        total += usize::from(hit);
        let same = prev.is_some_and(|pc| {
            let pc = &site.claims[pc as usize];
            pc.chapter == c.chapter && pc.section == c.section
        });
        match out.last_mut() {
            Some(s) if same => {
                s.claims += 1;
                s.with_related += usize::from(hit);
            }
            _ => {
                let mut path: Vec<&'a str> = Vec::new();
                let chapter = c.chapter.and_then(|i| brief.chapters.get(i));
                if let Some(ch) = chapter {
                    path.push(&ch.title);
                }
                path.extend(c.section.iter().map(String::as_str));
                let d = c.section.len().checked_sub(1);
                let anchor = d
                    .map(|d| {
                        format!(
                            "#{}",
                            section_anchor(site, inp.prepared.section_start[ci as usize][d], d)
                        )
                    })
                    .or_else(|| chapter.map(|ch| format!("#{}", chapter_anchor(&ch.id))));
                out.push(SectionOverlap {
                    path,
                    anchor,
                    claims: 1,
                    with_related: usize::from(hit),
                });
            }
        }
        prev = Some(ci);
    }
    (out, total)
}

fn claim_context<'a>(inp: &Inputs<'a>, page: &Page, ci: ClaimIx) -> Result<ClaimCtx<'a>> {
    let root = urls::root_prefix(&page.dir);
    let site = inp.site;
    let p = inp.prepared;
    let c = &site.claims[ci as usize];
    let brief = site.brief_of(c);
    let brief_url = &p.brief_url[c.brief as usize];
    let pos = brief.claims.binary_search(&ci).unwrap_or(0);
    let chapter = c
        .chapter
        .and_then(|i| brief.chapters.get(i))
        .map(|ch| ChapterView {
            id: &ch.id,
            title: &ch.title,
            authors: &ch.authors,
            anchor: format!("{brief_url}#{}", chapter_anchor(&ch.id)),
        });
    let sections = c
        .section
        .iter()
        .enumerate()
        .map(|(d, text)| Crumb {
            text,
            url: format!(
                "{brief_url}#{}",
                section_anchor(site, p.section_start[ci as usize][d], d)
            ),
        })
        .collect();
    let mut tags = Vec::new();
    for (x, tax) in site.taxonomies.iter().enumerate() {
        if c.tags[x].is_empty() {
            continue;
        }
        let mut chips = String::new();
        for &t in &c.tags[x] {
            inp.snippets.term_chip(inp, x, t, &root, &mut chips)?;
        }
        tags.push(TagGroup {
            name: &tax.def.id,
            title: &tax.def.name,
            terms: c.tags[x].iter().map(|&t| inp.term_link(x, t)).collect(),
            chips,
        });
    }
    let citations = c
        .cites
        .iter()
        .map(|&n| Citation {
            id: &brief.notes[n].id,
            label: note_label(brief, &brief.notes[n].id),
            html: &p.note_html[c.brief as usize][n],
            url: format!("{brief_url}#{}", note_anchor(&brief.notes[n].id)),
        })
        .collect();
    // With cross-references, hand-made links are the first related claims
    // (both directions), so they are not listed twice.
    let annotated = inp.annotations.related.len() == site.claims.len();
    let mut related: Vec<RelatedView<'a>> = Vec::new();
    for r in inp
        .annotations
        .related
        .get(ci as usize)
        .into_iter()
        .flatten()
    {
        let Some(other) = site.claims.get(r.claim as usize) else {
            continue;
        };
        related.push(RelatedView {
            claim: inp.claim_link(r.claim),
            link: inp.snippets.related_link(inp, r.claim, &root)?,
            brief_link: inp.snippets.brief_link(inp, other.brief, &root)?,
            hand_made: r.hand_made,
            score: r.score,
            shared_terms: &r.shared_terms,
            shared_figures: &r.shared_figures,
        });
    }
    let figures = inp
        .annotations
        .figures
        .get(ci as usize)
        .map(|v| {
            v.iter()
                .map(|f| FigureView {
                    kind: f.kind.as_str(),
                    label: &f.label,
                    text: &f.text,
                })
                .collect()
        })
        .unwrap_or_default();
    let excerpt = crate::render::markdown::excerpt(&p.claim_text[ci as usize], 70);
    Ok(ClaimCtx {
        common: inp.common(
            &page.dir,
            "briefs",
            format!("{excerpt} · {}", site.config.title),
        ),
        claim: inp.claim_item(ci),
        order: c.order,
        reviewed: c.reviewed,
        brief: inp.brief_ref(c.brief),
        chapter,
        sections,
        tags,
        citations,
        prev: pos.checked_sub(1).map(|i| inp.claim_link(brief.claims[i])),
        next: brief.claims.get(pos + 1).map(|&n| inp.claim_link(n)),
        see_also: if annotated {
            Vec::new()
        } else {
            c.see_also.iter().map(|&s| inp.claim_link(s)).collect()
        },
        seen_from: if annotated {
            Vec::new()
        } else {
            c.seen_from.iter().map(|&s| inp.claim_link(s)).collect()
        },
        related,
        figures,
    })
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
        |c, out| inp.snippets.claim_item(inp, c, root, out),
    )
}

/// Claims of a list page as links, grouped by brief.
fn link_groups<'a>(inp: &Inputs<'a>, slice: &[ClaimIx], root: &str) -> Result<Vec<LinkGroup<'a>>> {
    grouped(
        inp,
        slice,
        |brief, items| LinkGroup { brief, items },
        |c, out| inp.snippets.claim_link(inp, c, root, out),
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

fn term_context<'a>(
    inp: &Inputs<'a>,
    page: &Page,
    x: usize,
    t: TermIx,
    n: usize,
) -> Result<TermCtx<'a>> {
    let site = inp.site;
    let tax = &site.taxonomies[x];
    let term = &tax.terms[t as usize];
    let claims = site.claims_of(x, t);
    let (range, pagination) = paginate(claims.len(), site.config.term_page_size, n, |k| {
        urls::file(&urls::term(tax.id(), &term.id, k))
    });
    let groups = claim_groups(inp, &claims[range], &urls::root_prefix(&page.dir))?;
    let mut ancestors: Vec<TermLink<'a>> = tax.ancestors(t).map(|a| inp.term_link(x, a)).collect();
    ancestors.reverse();
    let key = (x, t);
    let ann = inp.annotations;
    // The figures table is the term's, not the page's: shown on page 1.
    let figures = ann
        .term_figures
        .get(&key)
        .filter(|_| n == 1)
        .map(|tf| FiguresTable {
            rows: tf
                .rows
                .iter()
                .filter_map(|&(c, k)| {
                    let f = ann.figures.get(c as usize)?.get(k as usize)?;
                    Some(FigureRow {
                        kind: f.kind.as_str(),
                        label: &f.label,
                        text: &f.text,
                        claim: inp.claim_link(c),
                    })
                })
                .collect(),
            total: tf.total,
        })
        .filter(|t| !t.rows.is_empty());
    let mut cooccurring: Vec<CoGroup<'a>> = Vec::new();
    if let Some(list) = ann.cooccurring.get(&key) {
        for (ox, otax) in site.taxonomies.iter().enumerate() {
            let terms: Vec<CoTerm<'a>> = list
                .iter()
                .filter(|co| co.taxonomy == ox && (co.term as usize) < otax.terms.len())
                .filter_map(|co| {
                    Some(CoTerm {
                        link: inp.term_link(ox, co.term),
                        shared: co.shared,
                        both_url: pair_url(inp, co.pair, 1)?,
                    })
                })
                .collect();
            if !terms.is_empty() {
                cooccurring.push(CoGroup {
                    title: &otax.def.name,
                    terms,
                });
            }
        }
    }
    let recommendations = recommendations_link(inp, x, t);
    let page_title = if n > 1 {
        format!(
            "{} ({}, page {n}) · {}",
            term.name, tax.def.name, site.config.title
        )
    } else {
        format!("{} ({}) · {}", term.name, tax.def.name, site.config.title)
    };
    Ok(TermCtx {
        common: inp.common(&page.dir, &tax.def.id, page_title),
        taxonomy: tax_view(inp, x),
        term: TermNode {
            link: inp.term_link(x, t),
            depth: ancestors.len(),
            direct: site.direct(x, t),
        },
        description_html: inp.prepared.term_description[x][t as usize].as_deref(),
        aliases: &term.aliases,
        ancestors,
        children: term
            .children
            .iter()
            .map(|&ch| inp.term_link(x, ch))
            .collect(),
        groups,
        pagination,
        figures,
        cooccurring,
        recommendations,
    })
}

fn pair_context<'a>(inp: &Inputs<'a>, page: &Page, pair: usize, n: usize) -> Result<PairCtx<'a>> {
    let site = inp.site;
    let p = inp
        .annotations
        .pairs
        .get(pair)
        .ok_or_else(|| anyhow::anyhow!("no term pair {pair}"))?;
    let (range, pagination) = paginate(p.claims.len(), site.config.term_page_size, n, |k| {
        pair_url(inp, pair, k).unwrap_or_default()
    });
    let a = inp.term_link(p.a.0, p.a.1);
    let b = inp.term_link(p.b.0, p.b.1);
    let mut page_title = format!("{} and {}", a.name, b.name);
    if n > 1 {
        page_title.push_str(&format!(" (page {n})"));
    }
    page_title.push_str(&format!(" · {}", site.config.title));
    Ok(PairCtx {
        common: inp.common(&page.dir, site.taxonomies[p.a.0].id(), page_title),
        a_taxonomy: tax_view(inp, p.a.0),
        b_taxonomy: tax_view(inp, p.b.0),
        a,
        b,
        count: p.claims.len(),
        groups: link_groups(inp, &p.claims[range], &urls::root_prefix(&page.dir))?,
        pagination,
    })
}

fn recommendations_context<'a>(
    inp: &Inputs<'a>,
    page: &Page,
    px: usize,
    t: TermIx,
    n: usize,
) -> Result<RecommendationsCtx<'a>> {
    let site = inp.site;
    let ann = inp.annotations;
    let claims = ann
        .recommendations
        .get(&(px, t))
        .ok_or_else(|| anyhow::anyhow!("no recommendations for term {t} of taxonomy {px}"))?;
    let tax = &site.taxonomies[px];
    let id = &tax.terms[t as usize].id;
    let (range, pagination) = paginate(claims.len(), site.config.term_page_size, n, |k| {
        urls::file(&urls::recommendations(tax.id(), id, k))
    });
    let mut briefs: Vec<BriefIx> = claims
        .iter()
        .map(|&c| site.claims[c as usize].brief)
        .collect();
    briefs.dedup();
    let term = inp.term_link(px, t);
    let mut page_title = format!("Recommendations on {}", term.name);
    if n > 1 {
        page_title.push_str(&format!(" (page {n})"));
    }
    page_title.push_str(&format!(" · {}", site.config.title));
    Ok(RecommendationsCtx {
        common: inp.common(&page.dir, &tax.def.id, page_title),
        taxonomy: tax_view(inp, px),
        term,
        count: claims.len(),
        briefs: briefs.len(),
        groups: claim_groups(inp, &claims[range], &urls::root_prefix(&page.dir))?,
        pagination,
    })
}
