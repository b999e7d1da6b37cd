//! Ingest quality on the four bundled seed briefs: the hand-checked
//! expected claims (tests/fixtures/ingest/expected-claims.yaml) reproduced
//! by a fresh ingest, and the bundled corpus under content/claims/ free of
//! conversion artifacts.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use crossbrief::content::fragment::{self, Fragment};
use crossbrief::content::taxonomy::Table;
mod support;

use crossbrief::ingest::{self, IngestOptions};
use serde::Deserialize;

const BRIEFS: [&str; 4] = [
    "orf-2025-quantum-collaboration",
    "rand-2023-parker",
    "merics-2024-quantum",
    "nbr-2025-us-rok-tech",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    brief: String,
    text: String,
    kind: String,
    cites: Vec<String>,
    #[serde(default)]
    section: Option<Vec<String>>,
    #[serde(default)]
    chapter: Option<String>,
    #[serde(default)]
    covers: Option<String>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary site holding the repository's content without its claims.
fn fresh_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("content");
    for entry in fs::read_dir(&content).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "claims" {
            continue;
        }
        let target = dir.path().join("content").join(&name);
        if entry.file_type().unwrap().is_dir() {
            support::copy_tree(&entry.path(), &target);
        } else {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn fragments(root: &Path, brief: &str) -> Vec<Fragment> {
    let dir = root.join("content/claims").join(brief);
    let mut out: Vec<Fragment> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let text = fs::read_to_string(e.unwrap().path()).unwrap();
            fragment::parse(&text, &Table::defaults()).unwrap()
        })
        .collect();
    out.sort_by_key(|f| f.meta.order);
    out
}

#[test]
fn expected_claims_are_reproduced() {
    let text =
        fs::read_to_string(repo().join("tests/fixtures/ingest/expected-claims.yaml")).unwrap();
    let expected: Vec<Expected> = serde_yaml::from_str(&text).unwrap();
    assert!(
        expected.len() >= 100,
        "only {} expected claims",
        expected.len()
    );
    for b in BRIEFS {
        assert!(
            expected.iter().filter(|e| e.brief == b).count() >= 10,
            "too few expected claims from {b}"
        );
    }

    let site = fresh_site();
    let mut by_brief: HashMap<String, Vec<Fragment>> = HashMap::new();
    for b in BRIEFS {
        ingest::run(&IngestOptions {
            root: site.path().to_path_buf(),
            brief: b.to_string(),
            prune: false,
            quiet: true,
            dry_run: false,
        })
        .unwrap();
        by_brief.insert(b.to_string(), fragments(site.path(), b));
    }

    let mut exact = 0;
    let mut misses = Vec::new();
    for e in &expected {
        let frags = &by_brief[&e.brief];
        let Some(f) = frags.iter().find(|f| f.body == e.text) else {
            misses.push(format!("[{}] text not found: {}", e.brief, e.text));
            continue;
        };
        let mut wrong = Vec::new();
        if f.meta.kind.as_deref() != Some(e.kind.as_str()) {
            wrong.push(format!("kind {:?} (expected {})", f.meta.kind, e.kind));
        }
        if f.meta.cites.as_deref().unwrap_or_default() != e.cites.as_slice() {
            wrong.push(format!("cites {:?} (expected {:?})", f.meta.cites, e.cites));
        }
        if let Some(section) = &e.section {
            if f.meta.section.as_ref() != Some(section) {
                wrong.push(format!(
                    "section {:?} (expected {:?})",
                    f.meta.section, section
                ));
            }
        }
        if let Some(chapter) = &e.chapter {
            if f.meta.chapter.as_ref() != Some(chapter) {
                wrong.push(format!("chapter {:?} (expected {chapter})", f.meta.chapter));
            }
        }
        if wrong.is_empty() {
            exact += 1;
        } else {
            misses.push(format!(
                "[{}] {}: {}{}",
                e.brief,
                &e.text.chars().take(70).collect::<String>(),
                wrong.join("; "),
                e.covers
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ));
        }
    }
    let share = exact as f64 / expected.len() as f64;
    println!(
        "expected claims reproduced exactly: {exact}/{} ({:.1}%)",
        expected.len(),
        share * 100.0
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(
        share >= 0.95,
        "{exact}/{} reproduced exactly",
        expected.len()
    );
}

/// Running headers, markers, hyphenation, pull quotes and front matter
/// must not reach the bundled corpus.
#[test]
fn bundled_corpus_has_no_artifacts() {
    let headers = [
        "NBR SPECIAL REPORT",
        "NATIONAL BUREAU *of*",
        "THE NATIONAL BUREAU",
        "Board of Directors",
        "Board of Advisors",
        "©",
        "may be reproduced",
        "Distribution Rights",
        "UPSC",
        "PRACTICE QUESTION",
        "Critically analyze",
        "Spread the Word",
        "\\$",
        "<i>",
    ];
    let mut problems = Vec::new();
    let mut total = 0;
    for b in BRIEFS {
        let frags = fragments(&repo(), b);
        assert!(frags.len() > 20, "{b} has {} claims", frags.len());
        total += frags.len();
        let mut bodies: BTreeMap<&str, usize> = BTreeMap::new();
        let mut per_paragraph: BTreeMap<i64, usize> = BTreeMap::new();
        for f in &frags {
            *bodies.entry(f.body.as_str()).or_default() += 1;
            *per_paragraph
                .entry(f.meta.paragraph.unwrap_or(-1))
                .or_default() += 1;
        }
        for f in &frags {
            let id = f.meta.id.clone().unwrap_or_default();
            let body = &f.body;
            for h in headers {
                if body.contains(h) {
                    problems.push(format!("{id}: contains `{h}`"));
                }
            }
            if body.chars().any(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c)) {
                problems.push(format!("{id}: superscript digit"));
            }
            if f.meta.kind.as_deref() != Some("table") {
                for token in body.split_whitespace() {
                    if glued_marker(token) {
                        problems.push(format!("{id}: glued marker in `{token}`"));
                    }
                }
                if broken_hyphenation(body) {
                    problems.push(format!("{id}: broken hyphenation: {body}"));
                }
                if body.lines().count() > 1 {
                    problems.push(format!("{id}: several lines"));
                }
            }
            // A pull quote is a stand-alone one-sentence paragraph printed
            // again elsewhere.
            let alone = per_paragraph.get(&f.meta.paragraph.unwrap_or(-1)) == Some(&1);
            if alone && body.split_whitespace().count() >= 6 && bodies[body.as_str()] > 1 {
                problems.push(format!("{id}: duplicated stand-alone sentence: {body}"));
            }
        }
    }
    assert!(total > 1000, "only {total} claims in the bundled corpus");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// "competition.11", "modules56", "2020,32": digits glued to a lowercase
/// word or to its closing punctuation.
fn glued_marker(token: &str) -> bool {
    let t = token.trim_start_matches(['(', '“', '"', '*']);
    let t = t.trim_end_matches(['.', ',', ';', ':', ')']);
    let digits = t.chars().rev().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 || digits == t.len() {
        return false;
    }
    let head = &t[..t.len() - digits];
    let letters: String = head
        .trim_end_matches(['.', ',', ';', ':', '”', '’', '"', ')'])
        .to_string();
    let punct = letters.len() < head.len();
    if head.chars().all(|c| c.is_ascii_digit() || c == ',') {
        // "2020,32" but not "12,000".
        return head.ends_with(',') && digits != 3 && head.len() == 5;
    }
    let lower_word = letters.len() >= 3 && letters.chars().all(|c| c.is_lowercase());
    (punct && letters.chars().last().is_some_and(char::is_alphabetic)) || (lower_word && !punct)
}

/// A word split by a line-break hyphen and a space ("manu- facturing"), or
/// a known split left in place.
fn broken_hyphenation(body: &str) -> bool {
    let chars: Vec<char> = body.chars().collect();
    chars
        .windows(4)
        .any(|w| w[0].is_lowercase() && w[1] == '-' && w[2] == ' ' && w[3].is_lowercase())
        || [
            "manu-facturing",
            "technologi-cally",
            "Japa-nese",
            "bor-ders",
            "smart-phones",
        ]
        .iter()
        .any(|s| body.contains(s))
}

#[test]
fn artifact_checks_catch_what_they_should() {
    for t in [
        "competition.11",
        "modules56",
        "2020,32",
        "state-of-the-art.1",
        "technologies.”43",
    ] {
        assert!(glued_marker(t), "{t}");
    }
    for t in [
        "12,000",
        "G7",
        "LiNbO3",
        "CRISPR-Cas9",
        "helium-3",
        "7.5%",
        "2024.",
        "(2021-2025).",
    ] {
        assert!(!glued_marker(t), "{t}");
    }
    assert!(broken_hyphenation(
        "to promote U.S. semiconductor manu- facturing."
    ));
    assert!(!broken_hyphenation("decision-making and pre-2020 rules"));
}
