//! A claim's page: its text and provenance (brief, chapter, sections,
//! citations), its terms, its neighbours in the brief, and its related
//! claims in other briefs with why.

use super::*;

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
    /// Its figures that other briefs state for the same quantity.
    compared: Vec<ComparedView<'a>>,
    /// The page's `<h1>`: the claim's innermost section, or its first words.
    heading: String,
    /// The claim as a reference (Chicago, BibTeX, RIS), as HTML.
    cite: crate::render::cite::Cite,
    /// The page's own address, as HTML (see `cite::Permalink`).
    permalink: String,
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
    /// A recommendation of another brief on a shared policy that points
    /// the other way.
    opposing: bool,
}

/// One of the claim's figures beside another brief's for the same
/// quantity.
#[derive(Serialize)]
struct ComparedView<'a> {
    /// This claim's figure with its words ("85% of rare earth processing").
    phrase: &'a str,
    label: &'a str,
    /// The other brief's figure, and its claim.
    other_phrase: &'a str,
    other_label: &'a str,
    other: ClaimLink<'a>,
    agree: bool,
    /// The term both are stated about.
    subject: &'a str,
}

/// A figure a claim states.
#[derive(Serialize)]
struct FigureView<'a> {
    kind: &'static str,
    label: &'a str,
    /// As written in the claim.
    text: &'a str,
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
            inp.term_chip_html(x, t, &root, &mut chips)?;
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
            link: inp.related_link_html(r.claim, &root)?,
            brief_link: inp.brief_link_html(other.brief, &root)?,
            hand_made: r.hand_made,
            score: r.score,
            shared_terms: &r.shared_terms,
            shared_figures: &r.shared_figures,
            opposing: inp
                .annotations
                .opposing
                .get(ci as usize)
                .is_some_and(|o| o.binary_search(&r.claim).is_ok()),
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
    let ann = inp.annotations;
    let compared = ann
        .figures_compared
        .get(ci as usize)
        .map_or(&[][..], |v| v)
        .iter()
        .filter_map(|c| {
            let fa = ann.figures.get(c.a.0 as usize)?.get(c.a.1 as usize)?;
            let fb = ann.figures.get(c.b.0 as usize)?.get(c.b.1 as usize)?;
            let (x, t) = c.subject;
            Some(ComparedView {
                phrase: &fa.phrase,
                label: &fa.label,
                other_phrase: &fb.phrase,
                other_label: &fb.label,
                other: inp.claim_link(c.b.0),
                agree: c.agree,
                subject: &site.taxonomies.get(x)?.terms.get(t as usize)?.name,
            })
        })
        .collect();
    let excerpt = crate::render::markdown::excerpt(&p.claim_text[ci as usize], 70);
    let mut common = inp.common(
        &page.dir,
        "briefs",
        format!("{excerpt} · {}", site.config.title),
    );
    common.description = crate::render::meta::describe(&p.claim_plain[ci as usize]);
    common.og_type = "article";
    common.code = inp.any_code(&[ci])
        || c.cites
            .iter()
            .any(|&n| crate::render::inputs::has_code(&p.note_html[c.brief as usize][n]));
    common.json_ld = Some(crate::render::meta::claim_ld(inp, ci));
    let heading = match c.section.last().map(|s| s.trim()) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => crate::render::markdown::excerpt(&p.claim_plain[ci as usize], 60),
    };
    let link = inp.permalink(&page.dir);
    let cite = crate::render::cite::claim(brief, c, &link);
    Ok(ClaimCtx {
        common,
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
        compared,
        heading,
        cite,
        permalink: link.html(),
    })
}

/// The claim page's context.
pub(super) fn context(inp: &Inputs<'_>, page: &Page, c: ClaimIx) -> Result<tera::Context> {
    tera_context(&claim_context(inp, page, c)?)
}

/// What the claim page shows: the claim and its brief, its neighbours, its
/// hand-made links, its terms, its related claims with why, its figures.
pub(super) fn inputs(h: &mut PageHash<'_>, ci: ClaimIx) {
    let (site, ann) = (h.site, h.ann);
    let c = &site.claims[ci as usize];
    let brief = site.brief_of(c);
    h.claim(ci);
    h.brief_item(c.brief as usize);
    let pos = brief.claims.binary_search(&ci).unwrap_or(0);
    for n in [pos.checked_sub(1), Some(pos + 1)] {
        match n.and_then(|n| brief.claims.get(n)) {
            Some(&n) => h.link(n),
            None => h.add(&1u8),
        }
    }
    for list in [&c.see_also, &c.seen_from] {
        h.add(&list.len());
        for &o in list.iter() {
            h.link(o);
        }
    }
    for (x, tags) in c.tags.iter().enumerate() {
        h.add(&tags.len());
        for &t in tags {
            h.term(x, t);
        }
    }
    // Whether cross-references ran at all changes how hand-made links are
    // listed.
    h.add(&(ann.related.len() == site.claims.len()));
    let related = ann.related.get(ci as usize).map_or(&[][..], |v| v);
    h.add(&related.len());
    for r in related {
        h.link(r.claim);
        h.add(&site.claims[r.claim as usize].brief);
        h.score(r.score);
        h.add(&r.hand_made);
        h.add(&r.shared_terms);
        h.add(&r.shared_figures);
    }
    h.add(ann.opposing.get(ci as usize).map_or(&[][..], |v| v));
    let figures = ann.figures.get(ci as usize).map_or(&[][..], |v| v);
    h.add(&figures.len());
    for f in figures {
        h.figure(f);
        h.add(&f.phrase);
    }
    let compared = ann.figures_compared.get(ci as usize).map_or(&[][..], |v| v);
    h.add(&compared.len());
    for c in compared {
        h.link(c.b.0);
        h.add(&c.agree);
        h.term(c.subject.0, c.subject.1);
        match ann
            .figures
            .get(c.b.0 as usize)
            .and_then(|f| f.get(c.b.1 as usize))
        {
            Some(f) => {
                h.figure(f);
                h.add(&f.phrase);
            }
            None => h.add(&2u8),
        }
    }
}
