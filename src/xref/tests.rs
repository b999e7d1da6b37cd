//! Unit tests of `compute` on small hand-written corpora.

use super::*;

/// An owned claim for tests: (id, brief, kind, text, countries, technologies,
/// policies, see_also).
struct Owned {
    id: String,
    brief: String,
    order: usize,
    section: Vec<String>,
    kind: String,
    text: String,
    countries: Vec<String>,
    technologies: Vec<String>,
    policies: Vec<String>,
    see_also: Vec<String>,
}

fn claim(id: &str, brief: &str, text: &str) -> Owned {
    Owned {
        id: id.to_string(),
        brief: brief.to_string(),
        order: id
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        section: vec!["Main".to_string()],
        kind: "claim".to_string(),
        text: text.to_string(),
        countries: Vec::new(),
        technologies: Vec::new(),
        policies: Vec::new(),
        see_also: Vec::new(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn view(owned: &[Owned]) -> Vec<XrefClaim<'_>> {
    owned
        .iter()
        .map(|o| XrefClaim {
            id: &o.id,
            brief: &o.brief,
            order: o.order,
            section: &o.section,
            kind: &o.kind,
            text: &o.text,
            countries: &o.countries,
            technologies: &o.technologies,
            policies: &o.policies,
            see_also: &o.see_also,
        })
        .collect()
}

fn corpus() -> Vec<Owned> {
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
    c[0].countries = strings(&["china"]);
    c[0].technologies = strings(&["critical-materials"]);
    c[0].policies = strings(&["supply-chains"]);
    c[2].technologies = strings(&["quantum-communication"]);
    c[2].countries = strings(&["china"]);
    c[4].countries = strings(&["china"]);
    c[4].technologies = strings(&["critical-materials"]);
    c[6].technologies = strings(&["quantum-communication"]);
    c[6].countries = strings(&["china"]);
    c[7].kind = "recommendation".to_string();
    c[7].policies = strings(&["commercialization"]);
    c[7].countries = strings(&["south-korea"]);
    c
}

fn vocab() -> Vocab<'static> {
    let mut v = Vocab::default();
    v.technologies
        .insert("quantum-communication", "quantum-technology");
    v
}

fn run(owned: &[Owned]) -> Xref {
    compute(&view(owned), &vocab(), &XrefOptions::default())
}

fn related_ids(x: &Xref, owned: &[Owned], i: usize) -> Vec<String> {
    x.related[i]
        .iter()
        .map(|r| owned[r.claim].id.clone())
        .collect()
}

#[test]
fn comparable_claims_of_other_briefs_are_related() {
    let owned = corpus();
    let x = run(&owned);
    assert_eq!(related_ids(&x, &owned, 0)[0], "b-1");
    assert_eq!(related_ids(&x, &owned, 1)[0], "b-2");
    assert_eq!(related_ids(&x, &owned, 2)[0], "b-3");
    let r = &x.related[1][0];
    assert!(
        r.shared_figures.contains(&"USD 52 billion".to_string()),
        "{r:?}"
    );
    assert!(r.shared_terms.contains(&"chips".to_string()), "{r:?}");
    assert!(!r.hand_made);
}

#[test]
fn no_related_claim_from_the_same_brief() {
    let owned = corpus();
    let x = run(&owned);
    for (i, list) in x.related.iter().enumerate() {
        for r in list {
            assert_ne!(
                owned[i].brief, owned[r.claim].brief,
                "{} -> {}",
                owned[i].id, owned[r.claim].id
            );
        }
    }
    // a-4 is close to a-1 in wording but shares its brief.
    assert!(!related_ids(&x, &owned, 3).contains(&"a-1".to_string()));
}

#[test]
fn nothing_close_gives_no_related_claims() {
    let owned = corpus();
    let x = run(&owned);
    assert!(x.related[8].is_empty(), "{:?}", x.related[8]);
    assert!(x.related[7].is_empty(), "{:?}", x.related[7]);
    // A threshold above any score leaves every list empty.
    let strict = XrefOptions {
        threshold: 10.0,
        ..XrefOptions::default()
    };
    let x = compute(&view(&owned), &vocab(), &strict);
    assert!(x.related.iter().all(Vec::is_empty));
}

#[test]
fn hand_made_links_work_both_ways_and_come_first() {
    let mut owned = corpus();
    owned[0].see_also = strings(&["c-1", "a-4", "a-1", "missing-9"]);
    let x = run(&owned);
    let first = related_ids(&x, &owned, 0);
    assert_eq!(first[..2], ["c-1", "a-4"]);
    assert!(x.related[0][0].hand_made && x.related[0][1].hand_made);
    assert_eq!(first[2], "b-1");
    assert!(!x.related[0][2].hand_made);
    // The reverse direction, even from an unrelated text.
    assert_eq!(related_ids(&x, &owned, 8), ["a-1"]);
    assert!(x.related[8][0].hand_made);
    assert_eq!(related_ids(&x, &owned, 3)[0], "a-1");
    assert_eq!(x.unresolved_see_also, [(0, "missing-9".to_string())]);
}

#[test]
fn same_input_gives_same_output() {
    let owned = corpus();
    let a = run(&owned);
    let b = run(&owned);
    assert_eq!(a.related, b.related);
    assert_eq!(a.figures, b.figures);
    assert_eq!(a.cooccurring, b.cooccurring);
    assert_eq!(a.brief_overlap, b.brief_overlap);
    // And on another thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let c = pool.install(|| run(&owned));
    assert_eq!(a.related, c.related);
}

#[test]
fn at_most_max_related_links() {
    let mut owned: Vec<Owned> = (0..12)
        .map(|i| {
            claim(
                &format!("b{i}-1"),
                &format!("b{i}"),
                "China leads quantum key distribution with the Micius satellite.",
            )
        })
        .collect();
    owned.push(claim(
        "z-1",
        "z",
        "China leads quantum key distribution with the Micius satellite.",
    ));
    let x = run(&owned);
    assert!(x.related.iter().all(|r| r.len() == 5));
    // Equal scores are ordered by claim id.
    assert_eq!(
        related_ids(&x, &owned, 12),
        ["b0-1", "b1-1", "b10-1", "b11-1", "b2-1"]
    );
}

#[test]
fn figures_are_kept_per_claim() {
    let owned = corpus();
    let x = run(&owned);
    let keys: Vec<&str> = x.figures[1].iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["money:USD:5.200e10"]);
    assert!(x.figures[8].is_empty());
}

#[test]
fn tag_aggregates_count_ancestors() {
    let owned = corpus();
    let x = run(&owned);
    let qt = TermKey::new(Taxonomy::Technologies, "quantum-technology");
    let china = TermKey::new(Taxonomy::Countries, "china");
    assert_eq!(x.term_claims[&qt], [2, 6]);
    assert_eq!(x.claims_with_both(&china, &qt), [2, 6]);
    let with_china = &x.cooccurring[&china];
    assert_eq!(with_china[0].1, 2);
    assert!(with_china.contains(&(qt.clone(), 2)));
    // Same-taxonomy terms are not co-occurrences.
    assert!(with_china
        .iter()
        .all(|(k, _)| k.taxonomy != Taxonomy::Countries));
    assert_eq!(x.matrix.countries[0], ("china".to_string(), 4));
    let col = x
        .matrix
        .policies
        .iter()
        .position(|p| p.0 == "supply-chains")
        .unwrap();
    assert_eq!(x.matrix.counts[0][col], 1);
}

#[test]
fn term_figures_list_claims_of_the_term() {
    let owned = corpus();
    let x = run(&owned);
    let china = TermKey::new(Taxonomy::Countries, "china");
    let rows: Vec<(usize, &str)> = x
        .term_figures(&china)
        .into_iter()
        .map(|(c, f)| (c, f.label.as_str()))
        .collect();
    assert_eq!(rows, [(0, "90%"), (4, "90%")]);
    let none = TermKey::new(Taxonomy::Policies, "no-such-term");
    assert!(x.term_figures(&none).is_empty());
}

#[test]
fn recommendations_grouped_by_brief() {
    let owned = corpus();
    let x = run(&owned);
    assert_eq!(
        x.recommendations["commercialization"],
        [BriefGroup {
            brief: "b".to_string(),
            claims: vec![7]
        }]
    );
    assert!(!x.recommendations.contains_key("supply-chains"));
}

#[test]
fn brief_overlap_ranks_other_briefs() {
    let owned = corpus();
    let x = run(&owned);
    let a = &x.brief_overlap["a"];
    assert_eq!(a.others[0].0, "b");
    assert!(a.others[0].1 >= 3);
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].claims, 4);
    assert!(a.sections[0].with_related >= 3);
    assert_eq!(x.brief_overlap["c"].sections[0].with_related, 0);
}

#[test]
fn empty_corpus() {
    let x = compute(&[], &Vocab::default(), &XrefOptions::default());
    assert!(x.related.is_empty() && x.term_claims.is_empty());
}

#[test]
fn related_claims_come_from_several_briefs() {
    // Four close paraphrases in brief b and a weaker one in brief c: with
    // two per brief, c's claim gets a slot; with no limit, b fills them.
    let owned = vec![
        claim("a-1", "a", "China dominates rare earth refining with about 90% of global capacity and most magnet output."),
        claim("b-1", "b", "China dominates rare earth refining, about 90% of global capacity."),
        claim("b-2", "b", "Rare earth refining: China holds about 90% of global capacity."),
        claim("b-3", "b", "Global rare earth refining capacity is about 90% Chinese; China dominates."),
        claim("b-4", "b", "China dominates global rare earth refining capacity and magnet output."),
        claim("c-1", "c", "China leads magnet output."),
    ];
    let v = view(&owned);
    let vocab = Vocab::default();
    let ids = |x: &Xref| -> Vec<&str> {
        x.related[0]
            .iter()
            .map(|r| owned[r.claim].id.as_str())
            .collect()
    };
    let opts = XrefOptions {
        max_related: 3,
        threshold: 0.01,
        ..XrefOptions::default()
    };
    let diverse = compute(&v, &vocab, &opts);
    let got = ids(&diverse);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.contains(&"c-1"), "{got:?}");
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
        &v,
        &vocab,
        &XrefOptions {
            max_per_brief: 0,
            ..opts.clone()
        },
    );
    assert!(!ids(&open).contains(&"c-1"), "{:?}", ids(&open));
    // Alone, one brief may fill every slot.
    let only_b = compute(&v[..5], &vocab, &opts);
    assert_eq!(ids(&only_b).len(), 3);
}
