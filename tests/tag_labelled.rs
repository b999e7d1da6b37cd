//! Measures the tagger against hand-labelled claims from all four seed
//! briefs (tests/fixtures/tagging/labelled.yaml): per-taxonomy precision,
//! recall and F1 on tag sets closed under ancestors, with the bundled
//! vocabularies. The floors below are the figures reached, rounded down a
//! little; raise them when the tagger improves, never lower them to pass.
//!
//! The 53 claims marked `set: holdout` were labelled after the rules were
//! tuned on the others, in two batches. The first 23 scored F1 0.895
//! (countries), 0.892 (technologies) and 0.706 (policies) at their first
//! measurement; four vocabulary gaps they revealed (dual-use catalogs,
//! NIST's name read as "standards", firm names of quantum companies,
//! "trading blocs") were then filled, so they are no longer strictly
//! unseen. The next 30, drawn at random from the bundled claims, scored
//! 1.000, 0.896 and 0.694 (policies P 0.781, R 0.625) when labelled; after
//! the policies vocabulary and the back-reference rule were tuned on the
//! other claims, without looking at them, policies reached 0.712 (P 0.788,
//! R 0.650) and the first 23 stayed at 0.800. Their figures are printed
//! apart.
//!
//! `TAG_DIFF=1 cargo test --test tag_labelled -- --nocapture` lists every
//! claim where the tagger and the analyst disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crossbrief::tag::{Context, Tagger, Tagging};
use serde::Deserialize;

/// The labelled set's taxonomies: the bundled site's three defaults, in
/// their table order.
const TAXONOMIES: [&str; 3] = ["countries", "technologies", "policies"];

/// Minimum F1 per taxonomy, in TAXONOMIES order.
/// Reached on all 237 claims: countries 0.962, technologies 0.930, policies 0.855.
const F1_FLOOR: [f64; 3] = [0.955, 0.925, 0.85];
/// Minimum precision per taxonomy (reached 0.991, 0.934, 0.909).
const P_FLOOR: [f64; 3] = [0.985, 0.93, 0.90];
/// Minimum recall per taxonomy (reached 0.934, 0.926, 0.808).
const R_FLOOR: [f64; 3] = [0.93, 0.92, 0.80];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    briefs: BTreeMap<String, BriefInfo>,
    claims: Vec<Claim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BriefInfo {
    title: String,
    #[serde(default)]
    chapters: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Claim {
    brief: String,
    /// `holdout` for claims labelled after tuning and never tuned on.
    #[serde(default)]
    set: Option<String>,
    #[serde(default)]
    chapter: Option<String>,
    #[serde(default)]
    section: Vec<String>,
    #[serde(default)]
    previous: Option<String>,
    text: String,
    countries: Vec<String>,
    technologies: Vec<String>,
    policies: Vec<String>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A tag list with every ancestor added, as term pages show it.
fn closed(tagger: &Tagger, taxonomy: usize, ids: &[String]) -> BTreeSet<String> {
    let tax = &tagger.vocabulary().taxonomies[taxonomy];
    let mut out = BTreeSet::new();
    for id in ids {
        let pos = tax
            .position(id)
            .unwrap_or_else(|| panic!("labelled set uses unknown {} `{id}`", tax.id()));
        out.insert(id.clone());
        for a in tax.ancestors(pos) {
            out.insert(tax.terms[a as usize].id.clone());
        }
    }
    out
}

fn ids(t: &Tagging, taxonomy: usize) -> Vec<String> {
    t.tags[taxonomy].iter().map(|t| t.id.clone()).collect()
}

fn print_table(title: &str, counts: &[Counts; 3]) {
    println!("{title}");
    println!(
        "{:<14} {:>9} {:>9} {:>9}",
        "taxonomy", "precision", "recall", "F1"
    );
    for (ti, c) in counts.iter().enumerate() {
        println!(
            "{:<14} {:>9.3} {:>9.3} {:>9.3}   (tp {}, fp {}, fn {})",
            TAXONOMIES[ti],
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
}

#[test]
fn labelled_claims_meet_the_floors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tagger = Tagger::load(root).unwrap_or_else(|e| panic!("{e:#}"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/tagging/labelled.yaml"))
        .expect("labelled set present");
    let set: Labelled = serde_yaml::from_str(&text).expect("labelled set parses");
    assert!(
        set.claims.len() >= 150,
        "the labelled set must hold at least 150 claims"
    );
    let briefs: BTreeSet<&str> = set.claims.iter().map(|c| c.brief.as_str()).collect();
    assert_eq!(briefs.len(), 4, "claims from all four briefs");

    let show = std::env::var_os("TAG_DIFF").is_some();
    let mut counts = [Counts::default(); 3];
    let mut holdout = [Counts::default(); 3];
    let mut holdout_claims = 0;
    for claim in &set.claims {
        let info = set
            .briefs
            .get(&claim.brief)
            .unwrap_or_else(|| panic!("no brief info for {}", claim.brief));
        let chapter_title = claim.chapter.as_ref().map(|c| {
            info.chapters
                .get(c)
                .unwrap_or_else(|| panic!("unknown chapter {c}"))
                .as_str()
        });
        let base = Context {
            brief_title: Some(&info.title),
            chapter_title,
            section: &claim.section,
            previous: None,
        };
        let prev = claim.previous.as_deref().map(|p| tagger.tag(p, &base));
        let ctx = Context {
            previous: prev.as_ref().map(|p| (p, None)),
            ..base
        };
        let got = tagger.tag(&claim.text, &ctx);
        let want = [&claim.countries, &claim.technologies, &claim.policies];
        let held = claim.set.as_deref() == Some("holdout");
        holdout_claims += usize::from(held);
        for ti in 0..3 {
            let g = closed(&tagger, ti, &ids(&got, ti));
            let w = closed(&tagger, ti, want[ti]);
            for c in std::iter::once(&mut counts[ti]).chain(held.then_some(&mut holdout[ti])) {
                c.tp += g.intersection(&w).count();
                c.fp += g.difference(&w).count();
                c.fn_ += w.difference(&g).count();
            }
            if show && g != w {
                println!(
                    "{}: {}\n  extra {:?}  missing {:?}\n  why: {}",
                    TAXONOMIES[ti],
                    claim.text,
                    g.difference(&w).collect::<Vec<_>>(),
                    w.difference(&g).collect::<Vec<_>>(),
                    got.tags[ti]
                        .iter()
                        .map(|t| format!("{} ({})", t.id, t.origin))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
        }
    }
    print_table(
        &format!("all {} labelled claims", set.claims.len()),
        &counts,
    );
    print_table(&format!("the {holdout_claims} held-out claims"), &holdout);
    for (ti, c) in counts.iter().enumerate() {
        let name = TAXONOMIES[ti];
        assert!(
            c.f1() >= F1_FLOOR[ti],
            "{name} F1 {:.3} fell below {}",
            c.f1(),
            F1_FLOOR[ti]
        );
        assert!(
            c.precision() >= P_FLOOR[ti],
            "{name} precision {:.3} fell below {}",
            c.precision(),
            P_FLOOR[ti]
        );
        assert!(
            c.recall() >= R_FLOOR[ti],
            "{name} recall {:.3} fell below {}",
            c.recall(),
            R_FLOOR[ti]
        );
    }
}
