//! A term's pages: its claims by brief (paginated), its place in the
//! vocabulary, its figures table, and the terms of other taxonomies it
//! co-occurs with.

use super::*;

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
    /// Figures of the term's claims stated about something else.
    alongside: Vec<FigureRow<'a>>,
    alongside_total: usize,
    /// Pairs of briefs' figures for the same quantity.
    compared: Vec<ComparedRow<'a>>,
}

/// Two briefs' figures for the same quantity of the term.
#[derive(Serialize)]
struct ComparedRow<'a> {
    agree: bool,
    a: ClaimLink<'a>,
    a_phrase: &'a str,
    a_label: &'a str,
    b: ClaimLink<'a>,
    b_phrase: &'a str,
    b_label: &'a str,
}

/// One choice of the claim filter: a brief, a kind or a term.
#[derive(Serialize)]
struct FilterOption<'a> {
    value: &'a str,
    label: &'a str,
    count: usize,
}

/// The claim filter's choices by brief, by kind, or by the terms of one
/// other taxonomy (`key` is `brief`, `kind` or the taxonomy's id).
#[derive(Serialize)]
struct FilterGroup<'a> {
    key: &'a str,
    title: &'a str,
    options: Vec<FilterOption<'a>>,
}

/// The filter of a page listing `slice` (claims of term `t` of taxonomy
/// `x`): by brief, by kind and by every other taxonomy, each choice with
/// how many of the listed claims it keeps; groups of one choice are left
/// out, and so is the filter of a page of one claim.
fn filters<'a>(inp: &Inputs<'a>, x: usize, slice: &[ClaimIx]) -> Vec<FilterGroup<'a>> {
    use std::collections::HashMap;
    let site = inp.site;
    if slice.len() < 2 {
        return Vec::new();
    }
    let finish = |key: &'a str, title: &'a str, counts: HashMap<(&'a str, &'a str), usize>| {
        let mut options: Vec<FilterOption<'a>> = counts
            .into_iter()
            .map(|((value, label), count)| FilterOption {
                value,
                label,
                count,
            })
            .collect();
        options.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.label.cmp(b.label))
                .then_with(|| a.value.cmp(b.value))
        });
        (options.len() > 1).then_some(FilterGroup {
            key,
            title,
            options,
        })
    };
    let mut briefs = HashMap::new();
    let mut kinds = HashMap::new();
    let mut terms: Vec<HashMap<(&'a str, &'a str), usize>> =
        vec![HashMap::new(); site.taxonomies.len()];
    for &c in slice {
        let claim = &site.claims[c as usize];
        let brief = site.brief_of(claim);
        *briefs
            .entry((brief.id.as_str(), brief.title.as_str()))
            .or_insert(0) += 1;
        let kind = claim.kind.as_str();
        *kinds.entry((kind, kind)).or_insert(0) += 1;
        for (ox, t) in inp.filter_terms(c) {
            if ox != x {
                let term = site.term(ox, t);
                *terms[ox]
                    .entry((term.id.as_str(), term.name.as_str()))
                    .or_insert(0) += 1;
            }
        }
    }
    let mut out: Vec<FilterGroup<'a>> = Vec::new();
    out.extend(finish("brief", "Brief", briefs));
    out.extend(finish("kind", "Kind", kinds));
    for (ox, counts) in terms.into_iter().enumerate() {
        let def = &site.taxonomies[ox].def;
        out.extend(finish(&def.id, &def.singular, counts));
    }
    out
}

/// The charts of a term's first page: its claims per brief and per kind,
/// as SVG. A brief's bar leads to its claims on this page (or, when they
/// are all on later pages, to the brief); a kind's bar to the page of its
/// first claim, on this page if there is one.
fn charts(
    inp: &Inputs<'_>,
    name: &str,
    claims: &[ClaimIx],
    shown: std::ops::Range<usize>,
    root: &str,
) -> (String, String) {
    use crate::render::charts::{bars, Bar};
    let site = inp.site;
    let p = inp.prepared;
    let mut per_brief: Vec<(BriefIx, usize)> = Vec::new();
    // Per kind: its count and its first claim on this page, else its
    // first of all (as a position in `claims`).
    let mut per_kind: Vec<(&'static str, usize, usize)> = Vec::new();
    for (i, &c) in claims.iter().enumerate() {
        let claim = &site.claims[c as usize];
        // The list is in reading order: a brief's claims are consecutive.
        match per_brief.last_mut() {
            Some((b, n)) if *b == claim.brief => *n += 1,
            _ => match per_brief.iter_mut().find(|(b, _)| *b == claim.brief) {
                Some((_, n)) => *n += 1,
                None => per_brief.push((claim.brief, 1)),
            },
        }
        let kind = claim.kind.as_str();
        match per_kind.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, n, first)) => {
                *n += 1;
                if shown.contains(&i) && !shown.contains(first) {
                    *first = i;
                }
            }
            None => per_kind.push((kind, 1, i)),
        }
    }
    per_brief.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    per_kind.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let on_page = |b: BriefIx| {
        claims[shown.clone()]
            .iter()
            .any(|&c| site.claims[c as usize].brief == b)
    };
    let brief_bars: Vec<Bar> = per_brief
        .iter()
        .map(|&(b, n)| Bar {
            label: site.briefs[b as usize].title.clone(),
            value: n,
            href: if on_page(b) {
                format!("#group-{}", site.briefs[b as usize].id)
            } else {
                format!("{root}{}", p.brief_url[b as usize])
            },
        })
        .collect();
    let kind_bars: Vec<Bar> = per_kind
        .iter()
        .map(|&(k, n, first)| {
            let c = claims[first] as usize;
            Bar {
                label: k.to_string(),
                value: n,
                href: format!("{root}{}", p.claim_url[c]),
            }
        })
        .collect();
    let describe = |what: &str, bars: &[Bar]| {
        let parts: Vec<String> = bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.value))
            .collect();
        format!("Claims about {name} {what}: {}.", parts.join(", "))
    };
    (
        bars(
            "chart-briefs",
            &format!("Claims about {name} per brief"),
            &describe("per brief", &brief_bars),
            "claim",
            &brief_bars,
        ),
        bars(
            "chart-kinds",
            &format!("Claims about {name} per kind"),
            &describe("per kind", &kind_bars),
            "claim",
            &kind_bars,
        ),
    )
}

#[derive(Serialize)]
struct TermCtx<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    taxonomy: TaxView<'a>,
    term: TermNode<'a>,
    description_html: Option<&'a str>,
    aliases: &'a [String],
    /// The breadcrumb: the root and the nearest ancestors (see
    /// [`breadcrumb`]), broadest first.
    ancestors: Vec<TermLink<'a>>,
    /// How many ancestors between the root and the nearest ones the
    /// breadcrumb leaves out (0 unless the term is deeper than
    /// [`BREADCRUMB_NEAREST`] + 1).
    ancestors_omitted: usize,
    children: Vec<TermLink<'a>>,
    groups: Vec<ClaimGroup<'a>>,
    pagination: Option<Pagination>,
    figures: Option<FiguresTable<'a>>,
    cooccurring: Vec<CoGroup<'a>>,
    recommendations: Option<RecommendationsLink<'a>>,
    /// The filter of the listed claims (shown by script).
    filters: Vec<FilterGroup<'a>>,
    /// On the first page, claims per brief and per kind, as SVG.
    chart_briefs: String,
    chart_kinds: String,
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
    let code = inp.any_code(&claims[range.clone()]);
    let filters = filters(inp, x, &claims[range.clone()]);
    let (chart_briefs, chart_kinds) = if n == 1 && claims.len() > 1 {
        charts(
            inp,
            &term.name,
            claims,
            range.clone(),
            &urls::root_prefix(&page.dir),
        )
    } else {
        Default::default()
    };
    let groups = claim_groups(inp, &claims[range], &urls::root_prefix(&page.dir))?;
    let (crumbs, depth) = breadcrumb(tax, t);
    let ancestors: Vec<TermLink<'a>> = crumbs.iter().map(|&a| inp.term_link(x, a)).collect();
    let ancestors_omitted = depth - crumbs.len();
    let key = (x, t);
    let ann = inp.annotations;
    // The figures table is the term's, not the page's: shown on page 1.
    let figures = ann
        .term_figures
        .get(&key)
        .filter(|_| n == 1)
        .map(|tf| {
            let rows = |list: &[(ClaimIx, u32)]| -> Vec<FigureRow<'a>> {
                list.iter()
                    .filter_map(|&(c, k)| {
                        let f = ann.figures.get(c as usize)?.get(k as usize)?;
                        Some(FigureRow {
                            kind: f.kind.as_str(),
                            label: &f.label,
                            text: &f.text,
                            claim: inp.claim_link(c),
                        })
                    })
                    .collect()
            };
            FiguresTable {
                rows: rows(&tf.rows),
                total: tf.total,
                alongside: rows(&tf.alongside),
                alongside_total: tf.alongside_total,
                compared: tf
                    .compared
                    .iter()
                    .filter_map(|c| {
                        let fa = ann.figures.get(c.a.0 as usize)?.get(c.a.1 as usize)?;
                        let fb = ann.figures.get(c.b.0 as usize)?.get(c.b.1 as usize)?;
                        Some(ComparedRow {
                            agree: c.agree,
                            a: inp.claim_link(c.a.0),
                            a_phrase: &fa.phrase,
                            a_label: &fa.label,
                            b: inp.claim_link(c.b.0),
                            b_phrase: &fb.phrase,
                            b_label: &fb.label,
                        })
                    })
                    .collect(),
            }
        })
        .filter(|t| !t.rows.is_empty() || !t.alongside.is_empty());
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
    let mut common = inp.common(&page.dir, &tax.def.id, page_title);
    common.code = code
        || inp.prepared.term_description[x][t as usize]
            .as_deref()
            .is_some_and(crate::render::inputs::has_code);
    let mut briefs: Vec<BriefIx> = claims
        .iter()
        .map(|&c| site.claims[c as usize].brief)
        .collect();
    briefs.sort_unstable();
    briefs.dedup();
    common.description = match term
        .description
        .as_deref()
        .map(crate::render::markdown::plain_text)
    {
        Some(d) if !d.is_empty() => crate::render::meta::describe(&d),
        _ if claims.is_empty() => format!(
            "{} ({}): no claims yet.",
            term.name,
            tax.def.singular.to_lowercase()
        ),
        _ => format!(
            "{} claim{} about {} ({}) from {} brief{}.",
            claims.len(),
            if claims.len() == 1 { "" } else { "s" },
            term.name,
            tax.def.singular.to_lowercase(),
            briefs.len(),
            if briefs.len() == 1 { "" } else { "s" }
        ),
    };
    if claims.is_empty() {
        common.noindex = true;
    } else {
        common.feeds.push(crate::render::inputs::FeedLink {
            title: format!("{} ({}) · {}", term.name, tax.def.name, site.config.title),
            url: urls::term_feed(tax.id(), &term.id),
        });
    }
    Ok(TermCtx {
        common,
        taxonomy: tax_view(inp, x),
        term: TermNode {
            link: inp.term_link(x, t),
            depth,
            direct: site.direct(x, t),
        },
        description_html: inp.prepared.term_description[x][t as usize].as_deref(),
        aliases: &term.aliases,
        ancestors,
        ancestors_omitted,
        children: {
            let mut children: Vec<TermIx> = term
                .children
                .iter()
                .copied()
                .filter(|&ch| !site.claims_of(x, ch).is_empty())
                .collect();
            children.sort_by(|&a, &b| by_count_then_name(site, x, a, b));
            children
                .into_iter()
                .map(|ch| inp.term_link(x, ch))
                .collect()
        },
        groups,
        pagination,
        figures,
        cooccurring,
        recommendations,
        filters,
        chart_briefs,
        chart_kinds,
    })
}

/// How many of a term's nearest ancestors its breadcrumb shows, after the
/// root. A term page listing every ancestor makes a deep vocabulary's pages
/// quadratic in its depth (a 5,000-level chain: 12.5 million links).
pub(super) const BREADCRUMB_NEAREST: usize = 8;

/// A term's breadcrumb, broadest first: its root, then at most
/// [`BREADCRUMB_NEAREST`] nearest ancestors; and the term's depth (the
/// number of all its ancestors). Walks the parent chain once, keeping only
/// what is shown.
pub(super) fn breadcrumb(tax: &crate::content::model::Taxonomy, t: TermIx) -> (Vec<TermIx>, usize) {
    let mut nearest = Vec::with_capacity(BREADCRUMB_NEAREST + 1);
    let mut depth = 0;
    let mut root = None;
    for a in tax.ancestors(t) {
        depth += 1;
        if nearest.len() < BREADCRUMB_NEAREST {
            nearest.push(a);
        } else {
            root = Some(a);
        }
    }
    nearest.extend(root);
    nearest.reverse();
    (nearest, depth)
}

/// The context of page `n` of term `t` of taxonomy `x`.
pub(super) fn context(
    inp: &Inputs<'_>,
    page: &Page,
    x: usize,
    t: TermIx,
    n: usize,
) -> Result<tera::Context> {
    tera_context(&term_context(inp, page, x, t, n)?)
}

/// What a term page shows: its claim list, the claims of this page, its
/// ancestors and children, its figures table, its co-occurring terms and
/// its recommendations link.
pub(super) fn inputs(h: &mut PageHash<'_>, x: usize, t: TermIx, n: usize) {
    let (site, ann) = (h.site, h.ann);
    let tax = &site.taxonomies[x];
    h.term_page(x, t);
    h.add(&n);
    // The charts of page 1 count every claim by brief and kind.
    if n == 1 {
        let mut briefs: Vec<usize> = Vec::new();
        for &c in site.claims_of(x, t) {
            let claim = &site.claims[c as usize];
            h.add(&(claim.brief, claim.kind.as_str()));
            if !briefs.contains(&(claim.brief as usize)) {
                briefs.push(claim.brief as usize);
            }
        }
        for b in briefs {
            h.brief_item(b);
        }
    }
    for &c in page_slice(site.claims_of(x, t), site.config.term_page_size, n) {
        h.link(c);
    }
    let (crumbs, depth) = breadcrumb(tax, t);
    h.add(&depth);
    for a in crumbs {
        h.term(x, a);
    }
    for &ch in &tax.terms[t as usize].children {
        h.term(x, ch);
    }
    h.term(x, t);
    let key = (x, t);
    match ann.term_figures.get(&key) {
        Some(v) => {
            h.add(&v.compared.len());
            for c in &v.compared {
                h.add(&c.agree);
                for (cl, k) in [c.a, c.b] {
                    h.link(cl);
                    match ann.figures.get(cl as usize).and_then(|f| f.get(k as usize)) {
                        Some(f) => {
                            h.figure(f);
                            h.add(&f.phrase);
                        }
                        None => h.add(&2u8),
                    }
                }
            }
            for (total, rows) in [(v.total, &v.rows), (v.alongside_total, &v.alongside)] {
                h.add(&total);
                h.add(&rows.len());
                for &(c, k) in rows {
                    h.link(c);
                    match ann.figures.get(c as usize).and_then(|f| f.get(k as usize)) {
                        Some(f) => h.figure(f),
                        None => h.add(&2u8),
                    }
                }
            }
        }
        None => h.add(&0u8),
    }
    match ann.cooccurring.get(&key) {
        Some(v) => {
            h.add(&v.len());
            for co in v {
                h.term(co.taxonomy, co.term);
                h.add(&co.shared);
                match ann.pairs.get(co.pair) {
                    Some(p) => {
                        h.term(p.a.0, p.a.1);
                        h.term(p.b.0, p.b.1);
                    }
                    None => h.add(&3u8),
                }
            }
        }
        None => h.add(&0u8),
    }
    h.add(&ann.recommendations.get(&key).map(Vec::len));
}
