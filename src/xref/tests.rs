//! Unit tests of `compute` on small hand-written sites.

use std::collections::HashMap;

use super::*;
use crate::content::config::SiteConfig;
use crate::content::model::{Brief, Claim, Kind, TermIx};
use crate::content::taxonomy::Table;
use crate::content::vocab::Vocabulary;

const COUNTRIES: &str = "- {id: china, name: China}\n- {id: south-korea, name: South Korea}\n";
const TECHNOLOGIES: &str = "- {id: quantum-technology, name: Quantum}\n- {id: quantum-communication, name: QC, parent: quantum-technology}\n- {id: critical-materials, name: CM}\n";
const POLICIES: &str =
    "- {id: supply-chains, name: Supply chains}\n- {id: commercialization, name: Commercialization}\n";

/// One claim of a test site: id, brief, text, and what else it carries.
struct Spec {
    id: &'static str,
    brief: &'static str,
    text: &'static str,
    kind: Kind,
    /// (taxonomy index, term id).
    tags: Vec<(usize, &'static str)>,
    see_also: Vec<&'static str>,
}

fn claim(id: &'static str, brief: &'static str, text: &'static str) -> Spec {
    Spec {
        id,
        brief,
        text,
        kind: Kind::Claim,
        tags: Vec::new(),
        see_also: Vec::new(),
    }
}

/// A validated site of `specs` (claims sorted into reading order: brief,
/// then the number after the id's last `-`).
fn site(specs: &[Spec]) -> Site {
    let vocab =
        Vocabulary::from_texts(&Table::defaults(), &[COUNTRIES, TECHNOLOGIES, POLICIES]).unwrap();
    let mut brief_ids: Vec<&str> = specs.iter().map(|s| s.brief).collect();
    brief_ids.sort_unstable();
    brief_ids.dedup();
    let order = |s: &Spec| -> i64 {
        s.id.rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let mut sorted: Vec<&Spec> = specs.iter().collect();
    sorted.sort_by_key(|s| (brief_ids.binary_search(&s.brief).unwrap(), order(s)));
    let index: HashMap<&str, ClaimIx> = sorted
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i as ClaimIx))
        .collect();
    let mut claims: Vec<Claim> = sorted
        .iter()
        .map(|s| {
            let mut tags = vec![Vec::new(); 3];
            for &(x, id) in &s.tags {
                tags[x].push(vocab.taxonomies[x].position(id).expect("a known term"));
            }
            Claim {
                id: s.id.to_string(),
                path: format!("content/claims/{}/{}.md", s.brief, s.id),
                brief: brief_ids.binary_search(&s.brief).unwrap() as BriefIx,
                order: order(s),
                chapter: None,
                section: vec!["Main".to_string()],
                paragraph: None,
                kind: s.kind,
                tags,
                cites: Vec::new(),
                see_also: s
                    .see_also
                    .iter()
                    .filter_map(|id| index.get(id).copied())
                    .collect(),
                seen_from: Vec::new(),
                body: s.text.to_string(),
                reviewed: false,
            }
        })
        .collect();
    let mut seen_from = vec![Vec::new(); claims.len()];
    for (i, c) in claims.iter().enumerate() {
        for &j in &c.see_also {
            if j as usize != i && !seen_from[j as usize].contains(&(i as ClaimIx)) {
                seen_from[j as usize].push(i as ClaimIx);
            }
        }
    }
    for (c, v) in claims.iter_mut().zip(seen_from) {
        c.seen_from = v;
    }
    let briefs = brief_ids
        .iter()
        .enumerate()
        .map(|(b, id)| Brief {
            id: id.to_string(),
            path: format!("content/briefs/{id}.yaml"),
            title: id.to_uppercase(),
            subtitle: None,
            publisher: "P".into(),
            published: "2024".into(),
            source: format!("{id}.txt"),
            authors: Vec::new(),
            editors: Vec::new(),
            url: None,
            series: None,
            summary: None,
            about: None,
            chapters: Vec::new(),
            notes: Vec::new(),
            note_by_id: HashMap::new(),
            bibliography: Vec::new(),
            claims: (0..claims.len() as ClaimIx)
                .filter(|&c| claims[c as usize].brief as usize == b)
                .collect(),
        })
        .collect();
    let claim_by_id = claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i as ClaimIx))
        .collect();
    let mut site = Site {
        config: SiteConfig {
            matrix: Some((0, 2)),
            ..SiteConfig::default()
        },
        taxonomies: vocab.taxonomies,
        term_claims: Vec::new(),
        briefs,
        claims,
        claim_by_id,
    };
    site.index_terms();
    site
}

fn corpus() -> Vec<Spec> {
    let mut c = vec![
        claim("a-1", "a", "China dominates rare earth processing, with about 90% of global refining capacity."),
        claim("a-2", "a", "The Chips and Science Act provides $52 billion for domestic semiconductor manufacturing."),
        claim("a-3", "a", "China is the world leader in quantum key distribution and launched the Micius quantum satellite."),
        claim("a-4", "a", "Rare earth refining in China also feeds magnet production."),
        claim("b-1", "b", "Roughly 90% of rare earth refining capacity sits in China."),
        claim("b-2", "b", "Washington committed $52 billion to semiconductor manufacturing through the CHIPS Act."),
        claim("b-3", "b", "With the Micius satellite, China leads the world in quantum key distribution networks."),
        claim("b-4", "b", "Seoul hosts an annual biotechnology trade fair for pharmaceutical start-ups."),
        claim("c-1", "c", "Gardening clubs meet weekly to discuss tomato varieties and compost."),
    ];
    c[0].tags = vec![
        (0, "china"),
        (1, "critical-materials"),
        (2, "supply-chains"),
    ];
    c[2].tags = vec![(0, "china"), (1, "quantum-communication")];
    c[4].tags = vec![(0, "china"), (1, "critical-materials")];
    c[6].tags = vec![(0, "china"), (1, "quantum-communication")];
    c[7].kind = Kind::Recommendation;
    c[7].tags = vec![(0, "south-korea"), (2, "commercialization")];
    c
}

fn run(s: &Site) -> Annotations {
    compute(s, &XrefOptions::default())
}

fn ix(s: &Site, id: &str) -> usize {
    s.claim_by_id[id] as usize
}

fn related_ids(x: &Annotations, s: &Site, id: &str) -> Vec<String> {
    x.related[ix(s, id)]
        .iter()
        .map(|r| s.claims[r.claim as usize].id.clone())
        .collect()
}

fn term(s: &Site, x: usize, id: &str) -> (usize, TermIx) {
    (x, s.taxonomies[x].position(id).unwrap())
}

#[test]
fn comparable_claims_of_other_briefs_are_related() {
    let s = site(&corpus());
    let x = run(&s);
    assert_eq!(related_ids(&x, &s, "a-1")[0], "b-1");
    assert_eq!(related_ids(&x, &s, "a-2")[0], "b-2");
    assert_eq!(related_ids(&x, &s, "a-3")[0], "b-3");
    let r = &x.related[ix(&s, "a-2")][0];
    assert!(
        r.shared_figures.contains(&"USD 52 billion".to_string()),
        "{r:?}"
    );
    assert!(r.shared_terms.contains(&"chips".to_string()), "{r:?}");
    assert!(!r.hand_made);
}

#[test]
fn no_related_claim_from_the_same_brief() {
    let s = site(&corpus());
    let x = run(&s);
    for (i, list) in x.related.iter().enumerate() {
        for r in list {
            assert_ne!(
                s.claims[i].brief, s.claims[r.claim as usize].brief,
                "{} -> {}",
                s.claims[i].id, s.claims[r.claim as usize].id
            );
        }
    }
    // a-4 is close to a-1 in wording but shares its brief.
    assert!(!related_ids(&x, &s, "a-4").contains(&"a-1".to_string()));
}

#[test]
fn nothing_close_gives_no_related_claims() {
    let s = site(&corpus());
    let x = run(&s);
    assert!(x.related[ix(&s, "c-1")].is_empty());
    assert!(x.related[ix(&s, "b-4")].is_empty());
    // A threshold above any score leaves every list empty.
    let strict = XrefOptions {
        threshold: 10.0,
        ..XrefOptions::default()
    };
    let x = compute(&s, &strict);
    assert!(x.related.iter().all(Vec::is_empty));
}

#[test]
fn hand_made_links_work_both_ways_and_come_first() {
    let mut specs = corpus();
    specs[0].see_also = vec!["c-1", "a-4", "a-1"];
    let s = site(&specs);
    let x = run(&s);
    let first = related_ids(&x, &s, "a-1");
    assert_eq!(first[..2], ["c-1", "a-4"]);
    let a1 = ix(&s, "a-1");
    assert!(x.related[a1][0].hand_made && x.related[a1][1].hand_made);
    assert_eq!(first[2], "b-1");
    assert!(!x.related[a1][2].hand_made);
    // The reverse direction, even from an unrelated text.
    assert_eq!(related_ids(&x, &s, "c-1"), ["a-1"]);
    assert!(x.related[ix(&s, "c-1")][0].hand_made);
    assert_eq!(related_ids(&x, &s, "a-4")[0], "a-1");
}

#[test]
fn same_input_gives_same_output() {
    let s = site(&corpus());
    let a = run(&s);
    let b = run(&s);
    assert_eq!(a.related, b.related);
    assert_eq!(a.figures, b.figures);
    assert_eq!(a.cooccurring, b.cooccurring);
    assert_eq!(a.brief_overlap, b.brief_overlap);
    // And on another thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let c = pool.install(|| run(&s));
    assert_eq!(a.related, c.related);
}

#[test]
fn at_most_max_related_links() {
    let ids = [
        "b0-1", "b1-1", "b2-1", "b3-1", "b4-1", "b5-1", "b6-1", "b7-1", "b8-1", "b9-1", "b10-1",
        "b11-1",
    ];
    let text = "China leads quantum key distribution with the Micius satellite.";
    let mut specs: Vec<Spec> = ids
        .iter()
        .map(|id| claim(id, id.strip_suffix("-1").unwrap(), text))
        .collect();
    specs.push(claim("z-1", "z", text));
    let s = site(&specs);
    let x = run(&s);
    assert!(x.related.iter().all(|r| r.len() == 5));
    // Equal scores are ordered by claim id.
    assert_eq!(
        related_ids(&x, &s, "z-1"),
        ["b0-1", "b1-1", "b10-1", "b11-1", "b2-1"]
    );
}

#[test]
fn figures_are_kept_per_claim() {
    let s = site(&corpus());
    let x = run(&s);
    let keys: Vec<&str> = x.figures[ix(&s, "a-2")]
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(keys, ["money:USD:5.200e10"]);
    assert!(x.figures[ix(&s, "c-1")].is_empty());
}

#[test]
fn tag_aggregates_count_ancestors() {
    let s = site(&corpus());
    let x = run(&s);
    let qt = term(&s, 1, "quantum-technology");
    let china = term(&s, 0, "china");
    assert_eq!(s.claims_of(qt.0, qt.1), [2, 6]);
    let with_china = &x.cooccurring[&china];
    assert_eq!(with_china[0].shared, 2);
    let to_qt = with_china
        .iter()
        .find(|co| (co.taxonomy, co.term) == qt)
        .expect("china co-occurs with quantum technology");
    assert_eq!(to_qt.shared, 2);
    assert_eq!(x.pairs[to_qt.pair].claims, [2, 6]);
    // Same-taxonomy terms are not co-occurrences.
    assert!(with_china.iter().all(|co| co.taxonomy != 0));
    let m = x.matrix.as_ref().expect("countries and policies");
    assert_eq!(m.rows[0], china.1);
    let col = m
        .cols
        .iter()
        .position(|&t| t == term(&s, 2, "supply-chains").1)
        .unwrap();
    assert_eq!(m.counts[0][col], 1);
    assert_eq!(x.pairs[m.pairs[0][col].unwrap()].claims, [0]);
}

#[test]
fn term_figures_list_claims_of_the_term() {
    let s = site(&corpus());
    let x = run(&s);
    let rows: Vec<(ClaimIx, &str)> = x.term_figures[&term(&s, 0, "china")]
        .rows
        .iter()
        .map(|&(c, k)| (c, x.figures[c as usize][k as usize].label.as_str()))
        .collect();
    assert_eq!(rows, [(0, "90%"), (4, "90%")]);
    assert!(!x
        .term_figures
        .contains_key(&term(&s, 2, "commercialization")));
}

#[test]
fn recommendations_are_recommendation_claims_of_the_term() {
    let s = site(&corpus());
    let x = run(&s);
    let c = term(&s, 2, "commercialization");
    assert_eq!(x.recommendations[&c], [ix(&s, "b-4") as ClaimIx]);
    assert!(!x
        .recommendations
        .contains_key(&term(&s, 2, "supply-chains")));
    assert_eq!(x.recommendations.len(), 1, "only policies have them");
}

#[test]
fn brief_overlap_ranks_other_briefs() {
    let s = site(&corpus());
    let x = run(&s);
    let a = &x.brief_overlap[0];
    assert_eq!(a[0].0, 1, "a relates to b first");
    assert!(a[0].1 >= 3);
    assert!(x.brief_overlap[2].is_empty(), "c relates to nothing");
}

#[test]
fn empty_site() {
    let s = site(&[]);
    let x = run(&s);
    assert!(x.related.is_empty() && x.pairs.is_empty() && x.matrix.is_none());
}

#[test]
fn related_claims_come_from_several_briefs() {
    // Four close paraphrases in brief b and a weaker one in brief c: with
    // two per brief, c's claim gets a slot; with no limit, b fills them.
    let specs = vec![
        claim("a-1", "a", "China dominates rare earth refining with about 90% of global capacity and most magnet output."),
        claim("b-1", "b", "China dominates rare earth refining, about 90% of global capacity."),
        claim("b-2", "b", "Rare earth refining: China holds about 90% of global capacity."),
        claim("b-3", "b", "Global rare earth refining capacity is about 90% Chinese; China dominates."),
        claim("b-4", "b", "China dominates global rare earth refining capacity and magnet output."),
        claim("c-1", "c", "China leads magnet output."),
    ];
    let s = site(&specs);
    let ids = |x: &Annotations, s: &Site| related_ids(x, s, "a-1");
    let opts = XrefOptions {
        max_related: 3,
        threshold: 0.01,
        ..XrefOptions::default()
    };
    let diverse = compute(&s, &opts);
    let got = ids(&diverse, &s);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.contains(&"c-1".to_string()), "{got:?}");
    assert_eq!(
        got.iter().filter(|id| id.starts_with("b-")).count(),
        2,
        "{got:?}"
    );
    let scores: Vec<f32> = diverse.related[0].iter().map(|r| r.score).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "still ranked: {scores:?}"
    );
    let open = compute(
        &s,
        &XrefOptions {
            max_per_brief: 0,
            ..opts.clone()
        },
    );
    assert!(!ids(&open, &s).contains(&"c-1".to_string()));
    // Alone, one brief may fill every slot.
    let only_b = site(
        &specs
            .into_iter()
            .filter(|c| c.brief != "c")
            .collect::<Vec<_>>(),
    );
    assert_eq!(ids(&compute(&only_b, &opts), &only_b).len(), 3);
}
