//! The bundled vocabularies under content/taxonomy/: they load without a
//! problem, hold every id the content contract requires, and every term has
//! what a term page shows (a name, a description, at least one alias or cue).

use std::path::Path;

use crossbrief::tag::{Tagger, Vocabulary};

const MINIMUM: [(&str, &[&str]); 3] = [
    (
        "countries",
        &[
            "united-states",
            "china",
            "european-union",
            "south-korea",
            "japan",
            "india",
            "united-kingdom",
            "germany",
            "france",
            "netherlands",
            "canada",
            "australia",
            "russia",
            "taiwan",
            "finland",
            "sweden",
            "spain",
            "austria",
            "switzerland",
            "denmark",
            "italy",
            "norway",
            "ireland",
            "ukraine",
            "chile",
            "myanmar",
            "indonesia",
            "brazil",
        ],
    ),
    (
        "technologies",
        &[
            "quantum-technology",
            "quantum-computing",
            "quantum-communication",
            "quantum-sensing",
            "post-quantum-cryptography",
            "semiconductors",
            "batteries",
            "biotechnology",
            "artificial-intelligence",
            "critical-materials",
            "telecommunications",
        ],
    ),
    (
        "policies",
        &[
            "export-controls",
            "intellectual-property",
            "supply-chains",
            "standards",
            "talent-and-immigration",
            "research-funding",
            "joint-research",
            "research-security",
            "industrial-policy",
            "regulation",
            "alliances",
            "workforce",
            "commercialization",
        ],
    ),
];

fn bundled() -> Vocabulary {
    Vocabulary::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bundled_vocabularies_hold_the_contract_minimum() {
    let v = bundled();
    for (name, ids) in MINIMUM {
        let tax = v.taxonomy(name).expect("taxonomy present");
        for id in ids {
            assert!(tax.term(id).is_some(), "{name} lacks `{id}`");
        }
    }
}

#[test]
fn every_term_is_described_and_findable() {
    let v = bundled();
    for tax in &v.taxonomies {
        for t in &tax.terms {
            assert!(
                t.description.as_deref().is_some_and(|d| !d.is_empty()),
                "{}/{}",
                tax.name,
                t.id
            );
            assert!(!t.aliases.is_empty(), "{}/{} has no alias", tax.name, t.id);
        }
    }
}

#[test]
fn required_children_refine_their_parents() {
    let v = bundled();
    for (name, child, parent) in [
        ("technologies", "rare-earths", "critical-materials"),
        ("technologies", "qkd", "quantum-communication"),
        ("policies", "entity-list", "export-controls"),
        ("technologies", "quantum-computing", "quantum-technology"),
    ] {
        let tax = v.taxonomy(name).unwrap();
        let c = tax.position(child).unwrap_or_else(|| panic!("no {child}"));
        assert_eq!(tax.terms[c].parent, tax.position(parent), "{child}");
    }
}

#[test]
fn bundled_vocabularies_compile() {
    let t = Tagger::new(bundled()).unwrap();
    let tags = t.direct("South Korea and the EU discussed export controls on quantum computers.");
    let s = tags.to_tag_set();
    assert_eq!(s.countries, ["european-union", "south-korea"]);
    assert_eq!(s.technologies, ["quantum-computing"]);
    assert_eq!(s.policies, ["export-controls"]);
}
