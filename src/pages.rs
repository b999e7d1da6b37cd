//! The template context of each page kind (home, briefs, brief, claim,
//! taxonomy, term, 404): small serialisable structs built from borrowed
//! views (`context`), never from the whole site. `render` decides which pages
//! exist and turns these contexts into bytes.

use anyhow::Result;
use serde::Serialize;

use crate::context::{
    chapter_anchor, note_anchor, ref_anchor, section_anchor, BriefItem, ClaimItem, ClaimLink,
    Common, Inputs, TermLink,
};
use crate::model::{BriefIx, ClaimIx, TermIx};
use crate::render::{page_count, Page, PageKind};
use crate::theme::error_chain;
use crate::urls;

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
    cols: Vec<TermLink<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    term: TermLink<'a>,
    counts: &'a [usize],
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
    related: Vec<ClaimLink<'a>>,
}

#[derive(Serialize)]
struct TaxonomyCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    terms: Vec<TermTree<'a>>,
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
    claims: Vec<ClaimItem<'a>>,
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

#[derive(Serialize)]
struct CoTerm<'a> {
    taxonomy_title: &'a str,
    #[serde(flatten)]
    link: TermLink<'a>,
    shared: usize,
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
    figures: Vec<ClaimLink<'a>>,
    cooccurring: Vec<CoTerm<'a>>,
}

#[derive(Serialize)]
struct NotFoundCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
}

/// Brief indexes, most recently published first (then by id).
fn newest_first(site: &crate::model::Site) -> impl Iterator<Item = BriefIx> {
    let mut idx: Vec<BriefIx> = (0..site.briefs.len() as BriefIx).collect();
    // Dates are ISO (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), so text order is
    // date order, and a shorter date sorts before a longer one of its month.
    idx.sort_by(|&a, &b| {
        let (x, y) = (&site.briefs[a as usize], &site.briefs[b as usize]);
        y.published.cmp(&x.published).then_with(|| x.id.cmp(&y.id))
    });
    idx.into_iter()
}

fn tax_view(inp: &Inputs<'_>, x: usize) -> TaxView<'static> {
    // Taxonomy names and titles are static strings.
    let t = &inp.site.taxonomies[x];
    TaxView {
        name: t.name,
        title: t.title,
        singular: t.singular,
        url: urls::file(&urls::taxonomy(t.name)),
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
                let mut idx: Vec<usize> = (0..tax.terms.len())
                    .filter(|&t| !tax.terms[t].claims.is_empty())
                    .collect();
                idx.sort_by(|&a, &b| {
                    tax.terms[b]
                        .claims
                        .len()
                        .cmp(&tax.terms[a].claims.len())
                        .then(a.cmp(&b))
                });
                idx.truncate(10);
                top_terms.push(TopTerms {
                    name: tax.name,
                    title: tax.title,
                    url: urls::file(&urls::taxonomy(tax.name)),
                    terms: idx
                        .into_iter()
                        .map(|t| inp.term_link(x, t as TermIx))
                        .collect(),
                });
            }
            let matrix = inp.annotations.matrix.as_ref().filter(|m| {
                m.row_taxonomy < site.taxonomies.len() && m.col_taxonomy < site.taxonomies.len()
            });
            let matrix = matrix.map(|m| MatrixView {
                row_title: site.taxonomies[m.row_taxonomy].title,
                col_title: site.taxonomies[m.col_taxonomy].title,
                cols: m
                    .cols
                    .iter()
                    .map(|&t| inp.term_link(m.col_taxonomy, t))
                    .collect(),
                rows: m
                    .rows
                    .iter()
                    .zip(&m.counts)
                    .map(|(&t, counts)| MatrixRow {
                        term: inp.term_link(m.row_taxonomy, t),
                        counts,
                    })
                    .collect(),
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
        PageKind::Claim(c) => tera_context(&claim_context(inp, page, c)),
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
                        direct: term.direct,
                    });
                    stack.extend(term.children.iter().rev().map(|&c| (c, depth + 1)));
                }
                terms.push(TermTree {
                    term: TermNode {
                        link: inp.term_link(x, r as TermIx),
                        depth: 0,
                        direct: root.direct,
                    },
                    descendants,
                });
            }
            tera_context(&TaxonomyCtx {
                common: inp.common(&page.dir, tax.name, title(tax.title)),
                taxonomy: tax_view(inp, x),
                terms,
            })
        }
        PageKind::Term {
            taxonomy: x,
            term: t,
            page: n,
        } => tera_context(&term_context(inp, page, x, t, n)),
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
fn note_chapter<'b>(brief: &'b crate::model::Brief, id: &str) -> Option<&'b crate::model::Chapter> {
    brief.chapters.iter().find(|c| {
        id.strip_prefix(c.id.as_str())
            .is_some_and(|r| r.starts_with('-') && r.len() > 1)
    })
}

/// What a reader sees as a note's number: `43` for `ch4-43` (numbering
/// restarts per chapter), the id itself otherwise.
fn note_label<'b>(brief: &crate::model::Brief, id: &'b str) -> &'b str {
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
            .then(|| crate::markdown::single_list_item(item.item.html))
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
    BriefCtx {
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

fn claim_context<'a>(inp: &Inputs<'a>, page: &Page, ci: ClaimIx) -> ClaimCtx<'a> {
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
    let tags = site
        .taxonomies
        .iter()
        .enumerate()
        .filter(|(x, _)| !c.tags[*x].is_empty())
        .map(|(x, tax)| TagGroup {
            name: tax.name,
            title: tax.title,
            terms: c.tags[x].iter().map(|&t| inp.term_link(x, t)).collect(),
        })
        .collect();
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
    let related = inp
        .annotations
        .related
        .get(ci as usize)
        .map(|v| {
            v.iter()
                .filter(|&&r| (r as usize) < site.claims.len())
                .map(|&r| inp.claim_link(r))
                .collect()
        })
        .unwrap_or_default();
    let excerpt = crate::markdown::excerpt(&p.claim_text[ci as usize], 70);
    ClaimCtx {
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
        see_also: c.see_also.iter().map(|&s| inp.claim_link(s)).collect(),
        seen_from: c.seen_from.iter().map(|&s| inp.claim_link(s)).collect(),
        related,
    }
}

fn term_context<'a>(inp: &Inputs<'a>, page: &Page, x: usize, t: TermIx, n: usize) -> TermCtx<'a> {
    let site = inp.site;
    let tax = &site.taxonomies[x];
    let term = &tax.terms[t as usize];
    let size = site.config.term_page_size.max(1);
    let total = page_count(term.claims.len(), size);
    let start = (n - 1) * size;
    let slice = &term.claims[start.min(term.claims.len())..(start + size).min(term.claims.len())];
    let mut groups: Vec<ClaimGroup<'a>> = Vec::new();
    for &ci in slice {
        let b = site.claims[ci as usize].brief;
        match groups.last_mut() {
            Some(g) if g.brief.id == site.briefs[b as usize].id => {
                g.claims.push(inp.claim_item(ci))
            }
            _ => groups.push(ClaimGroup {
                brief: inp.brief_ref(b),
                claims: vec![inp.claim_item(ci)],
            }),
        }
    }
    let url = |k: usize| urls::file(&urls::term(tax.name, &term.id, k));
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
            last_item: start + slice.len(),
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages,
        }
    });
    let mut ancestors: Vec<TermLink<'a>> = tax.ancestors(t).map(|a| inp.term_link(x, a)).collect();
    ancestors.reverse();
    let key = (x, t);
    let figures = inp
        .annotations
        .term_figures
        .get(&key)
        .map(|v| {
            v.iter()
                .filter(|&&c| (c as usize) < site.claims.len())
                .map(|&c| inp.claim_link(c))
                .collect()
        })
        .unwrap_or_default();
    let cooccurring = inp
        .annotations
        .cooccurring
        .get(&key)
        .map(|v| {
            v.iter()
                .filter(|(ox, ot, _)| {
                    site.taxonomies
                        .get(*ox)
                        .is_some_and(|tx| (*ot as usize) < tx.terms.len())
                })
                .map(|&(ox, ot, shared)| CoTerm {
                    taxonomy_title: site.taxonomies[ox].title,
                    link: inp.term_link(ox, ot),
                    shared,
                })
                .collect()
        })
        .unwrap_or_default();
    let page_title = if n > 1 {
        format!(
            "{} ({}, page {n}) · {}",
            term.name, tax.title, site.config.title
        )
    } else {
        format!("{} ({}) · {}", term.name, tax.title, site.config.title)
    };
    TermCtx {
        common: inp.common(&page.dir, tax.name, page_title),
        taxonomy: tax_view(inp, x),
        term: TermNode {
            link: inp.term_link(x, t),
            depth: ancestors.len(),
            direct: term.direct,
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
    }
}
