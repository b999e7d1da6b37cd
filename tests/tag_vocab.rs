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
    Vocabulary::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn bundled_vocabularies_hold_the_contract_minimum() {
    let v = bundled();
    for (name, ids) in MINIMUM {
        let tax = v.taxonomy(name).expect("taxonomy present");
        for id in ids {
            assert!(tax.get(id).is_some(), "{name} lacks `{id}`");
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
                tax.id(),
                t.id
            );
            assert!(!t.aliases.is_empty(), "{}/{} has no alias", tax.id(), t.id);
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
        assert_eq!(
            tax.terms[c as usize].parent,
            tax.position(parent),
            "{child}"
        );
    }
}

#[test]
fn bundled_vocabularies_compile() {
    let t = Tagger::new(bundled()).unwrap();
    let tags = t.direct("South Korea and the EU discussed export controls on quantum computers.");
    let s = t.tag_set(&tags);
    assert_eq!(
        s.get("countries").unwrap(),
        &["european-union", "south-korea"]
    );
    assert_eq!(s.get("technologies").unwrap(), &["quantum-computing"]);
    assert_eq!(s.get("policies").unwrap(), &["export-controls"]);
}

/// The matching cases of the tagging issue, against the bundled data.
#[test]
fn bundled_vocabularies_handle_the_hard_names() {
    let t = Tagger::new(bundled()).unwrap();
    let countries = |text: &str| {
        t.tag_set(&t.direct(text))
            .get("countries")
            .cloned()
            .unwrap_or_default()
    };
    let cases: &[(&str, &[&str])] = &[
        ("North Korea launched a satellite.", &["north-korea"]),
        (
            "North and South Korea met.",
            &["south-korea", "north-korea"],
        ),
        ("South Korea's battery makers lead.", &["south-korea"]),
        (
            "The European Union and Europe's firms.",
            &["european-union"],
        ),
        (
            "Let us compare the US and the EU.",
            &["united-states", "european-union"],
        ),
        ("tell us what you need", &[]),
        (
            "The American Academy of Arts and Sciences published it.",
            &[],
        ),
        ("1775 Massachusetts Ave NW, Washington, D.C. 20036", &[]),
        ("Seattle, Washington 98101", &[]),
        (
            "Washington and Beijing disagree.",
            &["united-states", "china"],
        ),
        ("the U.S.-ROK alliance", &["united-states", "south-korea"]),
        ("Dutch and Finnish suppliers", &["netherlands", "finland"]),
        ("the People's Republic of China (PRC)", &["china"]),
        ("Taiwan, the Republic of China", &["taiwan"]),
        ("the Americas and the Indian Ocean", &[]),
        ("officials in Seoul and Tokyo", &["south-korea", "japan"]),
    ];
    for (text, want) in cases {
        assert_eq!(countries(text), *want, "{text}");
    }
    let set = t.tag_set(&t.direct("Rare earths, QKD networks and the Entity List."));
    assert_eq!(set.get("technologies").unwrap(), &["qkd", "rare-earths"]);
    assert_eq!(set.get("policies").unwrap(), &["entity-list"]);
}
