//! Ingest on small synthetic sources (tests/fixtures/ingest/mini): each
//! cleaning rule end to end, and the safety of re-ingesting (idempotent,
//! stable ids, hand edits and reviewed fragments never overwritten,
//! pruning only when asked, a person's brief keys kept).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crossbrief::content::fragment::{self, Fragment};
use crossbrief::content::taxonomy::Table;
mod support;

use crossbrief::content::schema::RawBrief;
use crossbrief::diag::Failure;
use crossbrief::ingest::{self, IngestOptions, IngestSummary};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/mini")
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::copy_tree(&fixture(), dir.path());
    dir
}

fn run(root: &Path, brief: &str, prune: bool) -> Result<IngestSummary, Failure> {
    ingest::run(&IngestOptions {
        root: root.to_path_buf(),
        brief: brief.to_string(),
        prune,
        quiet: true,
        dry_run: false,
    })
}

fn ingest(root: &Path, brief: &str, prune: bool) -> IngestSummary {
    run(root, brief, prune).unwrap()
}

/// The whole error chain of an ingest that must fail.
fn ingest_error(root: &Path, brief: &str) -> String {
    run(root, brief, false)
        .unwrap_err()
        .report("nothing was written")
}

fn claims(root: &Path, brief: &str) -> Vec<(PathBuf, Fragment)> {
    let dir = root.join("content/claims").join(brief);
    let mut out: Vec<(PathBuf, Fragment)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let f = fragment::parse(&fs::read_to_string(&p).unwrap(), &Table::defaults()).unwrap();
            (p, f)
        })
        .collect();
    out.sort_by_key(|(_, f)| f.meta.order);
    out
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root.join("content")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.insert(
                e.path().to_path_buf(),
                fs::read_to_string(e.path()).unwrap(),
            );
        }
    }
    out
}

fn find<'a>(cs: &'a [(PathBuf, Fragment)], body: &str) -> &'a (PathBuf, Fragment) {
    cs.iter()
        .find(|(_, f)| f.body == body)
        .unwrap_or_else(|| panic!("no claim `{body}`"))
}

#[test]
fn cleaning_rules_end_to_end_superscript_style() {
    let s = site();
    let summary = ingest(s.path(), "mini-report", false);
    let cs = claims(s.path(), "mini-report");
    let bodies: Vec<&str> = cs.iter().map(|(_, f)| f.body.as_str()).collect();
    assert_eq!(
        bodies,
        vec![
            "Widgets are spreading across the world, and the U.S. government has taken note.",
            "Dr. Smith of No. 10 Labs estimates that 7.5 percent of firms use them.",
            "The market grew fast in 2023.",
            "Most growth came from Asia (e.g., Japan and Korea).",
            "It was “remarkable.”",
            "Analysts disagree about what comes next.",
            "Investment in widgets has risen sharply but manufacturing capacity remains concentrated in a few countries.",
            "Widget firms are growing fast everywhere.",
            "**Table 1. Widget output by country**\n\n| Country | Output |\n| --- | --- |\n| Japan | 12 |\n| Korea | 9 |\n\nNOTE: Figures are rough.",
            "Policymakers should fund widget research.",
            "Governments must also coordinate.",
        ]
    );
    let kinds: Vec<&str> = cs
        .iter()
        .map(|(_, f)| f.meta.kind.as_deref().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "claim",
            "statistic",
            "claim",
            "claim",
            "claim",
            "claim",
            "claim",
            "claim",
            "table",
            "recommendation",
            "recommendation"
        ]
    );
    assert_eq!(cs[0].1.meta.cites, Some(vec!["1".to_string()]));
    assert_eq!(cs[4].1.meta.cites, Some(vec!["2".to_string()]));
    assert_eq!(
        cs[0].1.meta.section,
        Some(vec!["Widgets in Context".to_string()])
    );
    // Orders strictly increase; sentences of one paragraph share its index.
    assert!(cs.windows(2).all(|w| w[0].1.meta.order < w[1].1.meta.order));
    assert_eq!(cs[0].1.meta.paragraph, cs[5].1.meta.paragraph);
    assert_ne!(cs[5].1.meta.paragraph, cs[6].1.meta.paragraph);
    // Ids are the brief id and a hash, and name the file.
    for (path, f) in &cs {
        let id = f.meta.id.as_deref().unwrap();
        assert!(id.starts_with("mini-report-"), "{id}");
        assert_eq!(path.file_stem().unwrap().to_str().unwrap(), id);
        assert_eq!(
            f.meta.ingest_hash.as_deref(),
            Some(fragment::body_hash(&f.body).as_str())
        );
    }

    let brief: RawBrief = serde_yaml::from_str(
        &fs::read_to_string(s.path().join("content/briefs/mini-report.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        brief.notes.get("1").map(String::as_str),
        Some("A note about widgets.")
    );
    assert_eq!(
        brief.notes.get("2").map(String::as_str),
        Some("Another note, which continues on the next page.")
    );
    assert_eq!(
        brief.bibliography,
        vec!["Lee, Ann. *Widgets*. 2020. <https://example.org/widgets>".to_string()]
    );
    assert_eq!(brief.about.as_deref(), Some("Ann Lee is a widget scholar."));
    assert_eq!(summary.markers_resolved, 2);
    assert_eq!(summary.markers_unresolved, 0);
    assert_eq!(summary.new, 11);
}

#[test]
fn cleaning_rules_end_to_end_glued_style() {
    let s = site();
    ingest(s.path(), "mini-notes", false);
    let cs = claims(s.path(), "mini-notes");
    let got: Vec<(&str, &str, Vec<String>)> = cs
        .iter()
        .map(|(_, f)| {
            (
                f.body.as_str(),
                f.meta.kind.as_deref().unwrap(),
                f.meta.cites.clone().unwrap(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            ("Gadgets lead the market in 2024.", "claim", s(&[])),
            ("Gadgets matter for global competition.", "claim", s(&["1"])),
            (
                "Exports rose to USD 5 billion in 2024, driven by demand for modules and sensors.",
                "statistic",
                s(&["2", "3"])
            ),
            (
                "There are 12,000 shops and the G7 noted it.",
                "statistic",
                s(&[])
            ),
            ("LiNbO3 crystals and helium-3 are inputs.", "claim", s(&[])),
            ("It was completed in 2023.", "claim", s(&["4"])),
            ("Then it grew.", "claim", s(&[])),
        ]
    );
    assert_eq!(cs[0].1.meta.section, Some(vec!["Key findings".to_string()]));
    assert_eq!(
        cs[1].1.meta.section,
        Some(vec!["Introduction: gadgets everywhere".to_string()])
    );
}

#[test]
fn reingest_twice_changes_no_file() {
    let s = site();
    ingest(s.path(), "mini-report", false);
    let before = snapshot(s.path());
    let again = ingest(s.path(), "mini-report", false);
    assert_eq!(snapshot(s.path()), before);
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 11));
    assert!(!again.brief_updated);
    assert!(again.stale.is_empty() && again.pruned.is_empty() && again.kept.is_empty());
}

#[test]
fn hand_edited_and_reviewed_fragments_are_never_overwritten() {
    let s = site();
    ingest(s.path(), "mini-report", false);
    let cs = claims(s.path(), "mini-report");

    // A person rewrites one body, and marks another reviewed after
    // changing its kind and tags.
    let (edited_path, edited) = find(&cs, "The market grew fast in 2023.").clone();
    let mut e = edited.clone();
    e.body = "The market grew very fast in 2023.".into();
    fs::write(&edited_path, e.to_file_string()).unwrap();
    let (reviewed_path, reviewed) = find(&cs, "Governments must also coordinate.").clone();
    let mut r = reviewed.clone();
    r.meta.reviewed = Some(true);
    r.meta.kind = Some("claim".into());
    r.meta.tags.set("countries", vec!["japan".into()]);
    fs::write(&reviewed_path, r.to_file_string()).unwrap();
    let edited_text = fs::read_to_string(&edited_path).unwrap();
    let reviewed_text = fs::read_to_string(&reviewed_path).unwrap();

    let summary = ingest(s.path(), "mini-report", false);
    assert_eq!(fs::read_to_string(&edited_path).unwrap(), edited_text);
    assert_eq!(fs::read_to_string(&reviewed_path).unwrap(), reviewed_text);
    let mut kept = summary.kept.clone();
    kept.sort();
    let mut want = vec![
        edited.meta.id.clone().unwrap(),
        reviewed.meta.id.clone().unwrap(),
    ];
    want.sort();
    assert_eq!(kept, want);
    assert!(summary
        .to_string()
        .contains("kept (reviewed or edited by hand)"));

    // A sentence added before them moves them; ingest says so.
    let src = s.path().join("content/sources/mini-report.txt");
    let text = fs::read_to_string(&src).unwrap();
    fs::write(
        &src,
        text.replace(
            "Widgets are spreading",
            "A new sentence. Widgets are spreading",
        ),
    )
    .unwrap();
    let summary = ingest(s.path(), "mini-report", false);
    assert_eq!(fs::read_to_string(&reviewed_path).unwrap(), reviewed_text);
    assert_eq!(summary.moved.len(), 2, "{summary}");
    assert!(summary.to_string().contains("set its order by hand"));
    fs::write(&src, text).unwrap();

    // Even when its sentence leaves the source and pruning is asked for.
    let src = s.path().join("content/sources/mini-report.txt");
    let text = fs::read_to_string(&src).unwrap();
    fs::write(&src, text.replace(" The market grew fast in 2023.", "")).unwrap();
    let summary = ingest(s.path(), "mini-report", true);
    assert!(edited_path.exists());
    assert!(summary.stale.contains(&edited.meta.id.clone().unwrap()));
    assert!(summary
        .to_string()
        .contains("kept because a person edited them"));
}

#[test]
fn prunes_only_when_asked_and_lists_what_it_pruned() {
    let s = site();
    ingest(s.path(), "mini-report", false);
    let cs = claims(s.path(), "mini-report");
    let (gone_path, gone) = find(&cs, "Analysts disagree about what comes next.").clone();
    let gone_id = gone.meta.id.clone().unwrap();
    let src = s.path().join("content/sources/mini-report.txt");
    let text = fs::read_to_string(&src).unwrap();
    fs::write(
        &src,
        text.replace(" Analysts disagree about what comes next.", ""),
    )
    .unwrap();

    let summary = ingest(s.path(), "mini-report", false);
    assert!(gone_path.exists());
    assert_eq!(summary.stale, vec![gone_id.clone()]);
    assert!(summary.to_string().contains("--prune"));

    let summary = ingest(s.path(), "mini-report", true);
    assert!(!gone_path.exists());
    assert_eq!(summary.pruned, vec![gone_id.clone()]);
    assert!(summary.to_string().contains(&format!("pruned: {gone_id}")));
}

#[test]
fn ids_stay_stable_when_text_moves() {
    let s = site();
    ingest(s.path(), "mini-report", false);
    let before: Vec<String> = claims(s.path(), "mini-report")
        .iter()
        .map(|(_, f)| f.meta.id.clone().unwrap())
        .collect();
    let src = s.path().join("content/sources/mini-report.txt");
    let text = fs::read_to_string(&src).unwrap();
    fs::write(
        &src,
        text.replace(
            "Widgets are spreading",
            "A new first sentence arrives. Widgets are spreading",
        ),
    )
    .unwrap();
    let summary = ingest(s.path(), "mini-report", false);
    let after: Vec<String> = claims(s.path(), "mini-report")
        .iter()
        .map(|(_, f)| f.meta.id.clone().unwrap())
        .collect();
    assert_eq!(&after[1..], &before[..]);
    assert_eq!(summary.new, 1);
    assert_eq!(summary.updated, 11, "orders moved by one");
}

#[test]
fn a_persons_brief_keys_are_kept() {
    let s = site();
    let path = s.path().join("content/briefs/mini-report.yaml");
    let head = fs::read_to_string(&path).unwrap();
    ingest(s.path(), "mini-report", false);
    let written = fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with(&head),
        "the person's part is kept byte for byte"
    );
    assert!(written.contains("notes:\n"));

    // A person takes the notes over by writing them above the marker.
    let own = format!("{}notes:\n  \"1\": \"My own note.\"\n", head);
    fs::write(&path, own.clone()).unwrap();
    ingest(s.path(), "mini-report", false);
    let written = fs::read_to_string(&path).unwrap();
    assert!(written.starts_with(&own));
    let brief: RawBrief = serde_yaml::from_str(&written).unwrap();
    assert_eq!(brief.notes.len(), 1);
    assert_eq!(brief.notes["1"], "My own note.");
    // Only note 1 exists now, so marker 2 is unresolved and not cited.
    let cs = claims(s.path(), "mini-report");
    assert_eq!(find(&cs, "It was “remarkable.”").1.meta.cites, Some(vec![]));
}

#[test]
fn pdf_page_breaks_and_bad_bytes_are_tolerated() {
    let s = site();
    let src = s.path().join("content/sources/mini-notes.txt");
    let mut bytes = fs::read(&src).unwrap();
    // A form feed between two lines and a stray Latin-1 byte.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let text = text.replace(
        "Then it grew.",
        "Then it grew.\u{c}It grew again \u{fb01}ne.",
    );
    bytes = text.into_bytes();
    bytes.extend_from_slice(b"\n\xe9\n");
    fs::write(&src, bytes).unwrap();
    ingest(s.path(), "mini-notes", false);
    let cs = claims(s.path(), "mini-notes");
    assert!(cs.iter().any(|(_, f)| f.body == "It grew again fine."));
}

#[test]
fn errors_name_the_file_and_what_to_do() {
    let s = site();
    let brief = s.path().join("content/briefs/mini-notes.yaml");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        text.replace("ingest:\n", "ingest:\n  start_at: \"No such line\"\n"),
    )
    .unwrap();
    let msg = ingest_error(s.path(), "mini-notes");
    assert!(
        msg.contains("content/briefs/mini-notes.yaml: the `ingest.start_at` line"),
        "{msg}"
    );
    fs::write(
        &brief,
        text.replace("ingest:\n", "ingest:\n  strat_at: \"typo\"\n"),
    )
    .unwrap();
    let msg = ingest_error(s.path(), "mini-notes");
    assert!(msg.contains("bad `ingest:` hints"), "{msg}");

    let msg = ingest_error(s.path(), "missing-brief");
    assert!(msg.contains("content/briefs/missing-brief.yaml"), "{msg}");
    let msg = ingest_error(s.path(), "Not An Id");
    assert!(msg.contains("not a brief id"), "{msg}");
}
