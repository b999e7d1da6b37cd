//! A brief's page: its full text rebuilt from its claims in order
//! (headings, paragraphs, lists, standalone blocks), its notes grouped by
//! chapter, and how it overlaps with other briefs.

use super::*;

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
    /// Where in the brief each taxonomy's terms occur, as SVG.
    strip: String,
    /// The brief as a reference (Chicago, BibTeX, RIS), as HTML.
    cite: crate::render::cite::Cite,
    /// The page's own address, as HTML (see `cite::Permalink`).
    permalink: String,
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
    let mut common = inp.common(
        &page.dir,
        "briefs",
        format!("{} · {}", brief.title, site.config.title),
    );
    common.description = match &p.brief_summary_text[b as usize] {
        Some(s) if !s.is_empty() => crate::render::meta::describe(s),
        _ => crate::render::meta::describe(&format!(
            "{}{}. {}, {}.",
            brief.title,
            brief
                .subtitle
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default(),
            brief.publisher,
            brief.published
        )),
    };
    common.og_type = "article";
    let code_in = |h: &Option<String>| h.as_deref().is_some_and(crate::render::inputs::has_code);
    common.code = inp.any_code(&brief.claims)
        || p.note_html[b as usize]
            .iter()
            .chain(&p.brief_bibliography[b as usize])
            .any(|h| crate::render::inputs::has_code(h))
        || code_in(&p.brief_summary[b as usize])
        || code_in(&p.brief_about[b as usize]);
    common.json_ld = Some(crate::render::meta::brief_ld(inp, b));
    let link = inp.permalink(&page.dir);
    BriefCtx {
        strip: strip(inp, brief),
        cite: crate::render::cite::brief(brief, &link),
        permalink: link.html(),
        related_briefs,
        section_overlap,
        with_related,
        common,
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

/// How many stretches the strip of a brief divides it into.
const STRIP_STRETCHES: usize = 32;

/// The strip of where in `brief` each taxonomy's terms occur: the brief in
/// reading order, cut into stretches of claims, each leading to its first
/// claim.
fn strip(inp: &Inputs<'_>, brief: &crate::content::model::Brief) -> String {
    use crate::render::charts::{stretches, strip, Stretch};
    let site = inp.site;
    let rows: Vec<&str> = site
        .taxonomies
        .iter()
        .map(|t| t.def.name.as_str())
        .collect();
    let mut totals = vec![0usize; rows.len()];
    let parts: Vec<Stretch> = stretches(brief.claims.len(), STRIP_STRETCHES)
        .into_iter()
        .map(|r| {
            let claims = &brief.claims[r.clone()];
            let first = &site.claims[claims[0] as usize];
            let hits: Vec<usize> = (0..rows.len())
                .map(|x| {
                    claims
                        .iter()
                        .filter(|&&c| {
                            site.claims[c as usize]
                                .tags
                                .get(x)
                                .is_some_and(|t| !t.is_empty())
                        })
                        .count()
                })
                .collect();
            for (t, h) in totals.iter_mut().zip(&hits) {
                *t += h;
            }
            let place = match first.section.last() {
                Some(s) => format!("Claims {}–{}, {s}", r.start + 1, r.end),
                None => format!("Claims {}–{}", r.start + 1, r.end),
            };
            Stretch {
                href: format!("#{}", first.id),
                label: place,
                claims: claims.len(),
                hits,
            }
        })
        .collect();
    let counts: Vec<String> = rows
        .iter()
        .zip(&totals)
        .map(|(name, n)| format!("{name}: {n}"))
        .collect();
    let desc = format!(
        "The brief's {} claims from start to end in {} stretches; the darker a stretch, the more of its claims carry a term of that row's taxonomy. Claims with terms, per taxonomy: {}.",
        brief.claims.len(),
        parts.len(),
        counts.join(", ")
    );
    strip(
        "chart-strip",
        "Where the brief's terms occur",
        &desc,
        &rows,
        &parts,
    )
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

/// The brief page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page, b: BriefIx) -> Result<tera::Context> {
    tera_context(&brief_context(inp, page, b))
}

/// What the brief page shows: its own inputs and every claim in full, the
/// briefs it overlaps with, and per claim whether it has related claims in
/// another brief (the per-section counts).
pub(super) fn inputs(h: &mut PageHash<'_>, b: BriefIx) {
    let (site, ann) = (h.site, h.ann);
    let b = b as usize;
    h.brief_page(b);
    for &c in &site.briefs[b].claims {
        h.claim(c);
    }
    let annotated = ann.related.len() == site.claims.len();
    h.add(&annotated);
    if annotated {
        for &c in &site.briefs[b].claims {
            h.add(
                &ann.related[c as usize]
                    .iter()
                    .any(|r| site.claims[r.claim as usize].brief as usize != b),
            );
        }
    }
    for &(o, n) in ann.brief_overlap.get(b).map_or(&[][..], |v| v) {
        h.brief_item(o as usize);
        h.add(&n);
    }
}
