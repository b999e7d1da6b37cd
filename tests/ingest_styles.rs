//! Footnote and layout styles the unseen corpus does not cover, in small
//! documents of our own (tests/fixtures/ingest/styles): each must ingest
//! into exactly its expected claims (text, kind, cites, section, chapter,
//! in order, nothing else) and notes. See expected.yaml there for what
//! each document exercises.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crossbrief::content::fragment;
use crossbrief::content::taxonomy::Table;
use crossbrief::ingest::{self, IngestOptions};
use serde::Deserialize;
mod support;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Claim {
    brief: String,
    text: String,
    kind: String,
    cites: Vec<String>,
    section: Vec<String>,
    #[serde(default)]
    chapter: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Notes {
    brief: String,
    notes: BTreeMap<String, String>,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

#[test]
fn each_style_ingests_exactly() {
    let styles = fixtures().join("styles");
    let expected: Vec<Claim> =
        serde_yaml::from_str(&fs::read_to_string(styles.join("expected.yaml")).unwrap()).unwrap();
    let notes: Vec<Notes> =
        serde_yaml::from_str(&fs::read_to_string(styles.join("notes.yaml")).unwrap()).unwrap();
    assert!(notes.len() >= 3);

    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    let unseen = fixtures().join("unseen/content");
    fs::create_dir_all(&content).unwrap();
    fs::copy(unseen.join("site.yaml"), content.join("site.yaml")).unwrap();
    support::copy_tree(&unseen.join("taxonomy"), &content.join("taxonomy"));
    support::copy_tree(&styles.join("briefs"), &content.join("briefs"));
    support::copy_tree(&styles.join("sources"), &content.join("sources"));

    let mut failures = Vec::new();
    for n in &notes {
        let summary = ingest::run(&IngestOptions {
            root: site.path().to_path_buf(),
            brief: n.brief.clone(),
            prune: false,
            quiet: true,
            dry_run: false,
        })
        .unwrap_or_else(|e| panic!("{}: {e}", n.brief));
        if !summary.warnings.is_empty() {
            failures.push(format!("[{}] warnings: {:?}", n.brief, summary.warnings));
        }
        let dir = content.join("claims").join(&n.brief);
        let mut got: Vec<fragment::Fragment> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let text = fs::read_to_string(e.unwrap().path()).unwrap();
                fragment::parse(&text, &Table::defaults()).unwrap()
            })
            .collect();
        got.sort_by_key(|f| f.meta.order);
        let got: Vec<Claim> = got
            .into_iter()
            .map(|f| Claim {
                brief: n.brief.clone(),
                text: f.body,
                kind: f.meta.kind.unwrap_or_default(),
                cites: f.meta.cites.unwrap_or_default(),
                section: f.meta.section.unwrap_or_default(),
                chapter: f.meta.chapter,
            })
            .collect();
        let want: Vec<&Claim> = expected.iter().filter(|c| c.brief == n.brief).collect();
        if got.iter().collect::<Vec<_>>() != want {
            failures.push(format!(
                "[{}] claims:\n  got  {got:#?}\n  want {want:#?}",
                n.brief
            ));
        }
        let brief =
            fs::read_to_string(content.join("briefs").join(format!("{}.yaml", n.brief))).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(&brief).unwrap();
        let got_notes: BTreeMap<String, String> = value
            .get("notes")
            .and_then(|v| serde_yaml::from_value(v.clone()).ok())
            .unwrap_or_default();
        if got_notes != n.notes {
            failures.push(format!(
                "[{}] notes: got {got_notes:?}, want {:?}",
                n.brief, n.notes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
