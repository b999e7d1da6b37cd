//! End-to-end tests of `crossbrief tag`, `crossbrief explain` and
//! `apply_tags` on the tiny site in tests/fixtures/tagging/site/: re-tagging
//! is idempotent, a new alias changes only the claims it should, and a
//! person's edits (added and removed tags, reviewed fragments, edited text)
//! survive re-tagging and re-ingest.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crossbrief::content::fragment::{self, body_hash, Fragment};
use crossbrief::content::schema::{RawClaim, TagSet};
use crossbrief::content::taxonomy::Table;
use crossbrief::tag::{self, TagOptions};

const FIXTURE: &str = "tests/fixtures/tagging/site";

/// The fragments of the fixture brief, as ingest would write them (no tags
/// yet). The files under the fixture are exactly these, written with
/// `Fragment::to_file_string`; `REGEN_TAG_FIXTURE=1` rewrites them.
fn fixture_fragments() -> Vec<Fragment> {
    let rows: [(&str, &[&str], &str, bool); 6] = [
        (
            "batteries",
            &["Overview"],
            "South Korea and the United States are deepening their battery alliance.",
            false,
        ),
        (
            "batteries",
            &["Overview"],
            "These ties also cover the supply chain for rare earths.",
            false,
        ),
        (
            "batteries",
            &["Overview"],
            "Officials in Seoul see resilience as the main goal.",
            false,
        ),
        (
            "quantum",
            &["Controls"],
            "The U.S. added Chinese quantum firms to the Entity List.",
            false,
        ),
        (
            "quantum",
            &["Controls"],
            "It has since broadened the rule.",
            false,
        ),
        (
            "quantum",
            &["Controls"],
            "North Korea is mentioned only here.",
            true,
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (chapter, section, body, reviewed))| Fragment {
            meta: RawClaim {
                id: Some(format!("demo-{:04}", i + 1)),
                brief: Some("demo".into()),
                order: Some(i as i64 + 1),
                chapter: Some(chapter.to_string()),
                section: Some(section.iter().map(|s| s.to_string()).collect()),
                kind: Some("claim".into()),
                tags: TagSet::empty(["countries", "technologies", "policies"]),
                cites: Some(vec![]),
                reviewed: reviewed.then_some(true),
                ingest_hash: Some(body_hash(body)),
                ..RawClaim::default()
            },
            body: body.to_string(),
        })
        .collect()
}

fn fragment_path(root: &Path, n: usize) -> PathBuf {
    root.join(format!("content/claims/demo/demo-{n:04}.md"))
}

#[test]
fn fixture_fragments_are_written_by_fragment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    for (i, f) in fixture_fragments().iter().enumerate() {
        let path = fragment_path(&root, i + 1);
        if std::env::var_os("REGEN_TAG_FIXTURE").is_some() {
            fs::write(&path, f.to_file_string()).unwrap();
        }
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            f.to_file_string(),
            "{}",
            path.display()
        );
    }
}

/// A fresh copy of the fixture site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&from).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(entry.path(), &to).unwrap();
            }
        }
        Site { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn tag(&self) -> tag::TagReport {
        tag::run(&TagOptions {
            root: self.root().to_path_buf(),
            briefs: vec![],
        })
        .unwrap_or_else(|e| panic!("{e:#}"))
    }

    fn read(&self, n: usize) -> Fragment {
        fragment::parse(
            &fs::read_to_string(fragment_path(self.root(), n)).unwrap(),
            &Table::defaults(),
        )
        .unwrap()
    }

    fn write(&self, n: usize, f: &Fragment) {
        fs::write(fragment_path(self.root(), n), f.to_file_string()).unwrap();
    }

    /// Every fragment file's text, by file name.
    fn snapshot(&self) -> BTreeMap<String, String> {
        let dir = self.root().join("content/claims/demo");
        fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    fs::read_to_string(&p).unwrap(),
                )
            })
            .collect()
    }

    fn add_alias(&self, term: &str, alias: &str) {
        let path = self.root().join("content/taxonomy/countries.yaml");
        let text = fs::read_to_string(&path).unwrap();
        let marker = format!("- id: {term}\n");
        let start = text.find(&marker).expect("term present");
        let aliases =
            start + text[start..].find("  aliases: [").expect("aliases") + "  aliases: [".len();
        let text = format!("{}{alias}, {}", &text[..aliases], &text[aliases..]);
        fs::write(&path, text).unwrap();
    }
}

fn ids<'a>(tags: &'a TagSet, taxonomy: &str) -> Vec<&'a str> {
    tags.get(taxonomy)
        .map(|l| l.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn tags(f: &Fragment) -> [Vec<&str>; 3] {
    ["countries", "technologies", "policies"].map(|t| ids(&f.meta.tags, t))
}

#[test]
fn tags_every_fragment_and_is_idempotent() {
    let site = Site::new();
    let before = site.snapshot();
    let report = site.tag();
    assert_eq!(
        (report.fragments, report.written, report.reviewed),
        (6, 5, 1),
        "{report}"
    );

    let want: [[&[&str]; 3]; 5] = [
        [
            &["united-states", "south-korea"],
            &["batteries"],
            &["alliances"],
        ],
        // "These ties" continues claim 1: its tags join the claim's own
        [
            &["united-states", "south-korea"],
            &["batteries", "rare-earths"],
            &["supply-chains", "alliances"],
        ],
        // names no technology: the chapter "Battery Supply Chains" supplies it
        [&[], &["batteries"], &["supply-chains"]],
        [
            &["united-states", "china"],
            &["quantum-technology"],
            &["entity-list"],
        ],
        [
            &["united-states", "china"],
            &["quantum-technology"],
            &["entity-list"],
        ],
    ];
    for (i, w) in want.iter().enumerate() {
        let f = site.read(i + 1);
        assert_eq!(tags(&f), w.map(|l| l.to_vec()), "demo-{:04}", i + 1);
        let m = f.meta.machine_tags.as_ref().expect("machine tags recorded");
        assert_eq!(
            ids(m, "countries"),
            w[0],
            "machine tags of demo-{:04}",
            i + 1
        );
        // text, id and the other keys are untouched
        let original = &fixture_fragments()[i];
        assert_eq!(f.body, original.body);
        assert_eq!(f.meta.id, original.meta.id);
        assert_eq!(f.meta.ingest_hash, original.meta.ingest_hash);
        assert_eq!(f.meta.section, original.meta.section);
    }
    // the reviewed fragment is left byte for byte
    assert_eq!(site.snapshot()["demo-0006.md"], before["demo-0006.md"]);

    let text = report.to_string();
    assert!(
        text.contains("  + countries/south-korea: 2 claims (demo-0001, demo-0002)\n"),
        "{text}"
    );
    assert!(
        text.contains("  + policies/entity-list: 2 claims (demo-0004, demo-0005)\n"),
        "{text}"
    );
    assert!(text.ends_with("tagged 6 fragments of 1 briefs: 5 re-written, 0 unchanged, 1 reviewed (left as they are)\n"), "{text}");

    let tagged = site.snapshot();
    let again = site.tag();
    assert_eq!(again.written, 0, "{again}");
    assert!(again.per_term.is_empty(), "{again}");
    assert_eq!(site.snapshot(), tagged, "a second run changes no file");
}

#[test]
fn adding_an_alias_changes_only_what_it_should() {
    let site = Site::new();
    site.tag();
    let before = site.snapshot();
    site.add_alias("south-korea", "Seoul");
    let report = site.tag();
    let after = site.snapshot();

    let changed: Vec<&String> = after.keys().filter(|k| after[*k] != before[*k]).collect();
    assert_eq!(changed, ["demo-0003.md"], "{report}");
    assert_eq!(report.written, 1);
    assert_eq!(report.per_term.len(), 1, "{report}");
    assert!(
        report
            .to_string()
            .contains("  + countries/south-korea: 1 claims (demo-0003)\n"),
        "{report}"
    );

    // in that file, only the country list and its machine record changed
    let old = fragment::parse(&before["demo-0003.md"], &Table::defaults()).unwrap();
    let mut new = fragment::parse(&after["demo-0003.md"], &Table::defaults()).unwrap();
    assert_eq!(ids(&new.meta.tags, "countries"), ["south-korea"]);
    assert_eq!(
        ids(new.meta.machine_tags.as_ref().unwrap(), "countries"),
        ["south-korea"]
    );
    new.meta.tags = old.meta.tags.clone();
    new.meta.machine_tags = old.meta.machine_tags.clone();
    assert_eq!(new, old);
}

#[test]
fn hand_edits_survive_retagging() {
    let site = Site::new();
    site.tag();

    // a person removes south-korea and adds north-korea to claim 1, and
    // removes entity-list from claim 4 in favour of its parent
    let mut f1 = site.read(1);
    f1.meta.tags.set(
        "countries",
        vec!["united-states".into(), "north-korea".into()],
    );
    site.write(1, &f1);
    let mut f4 = site.read(4);
    f4.meta.tags.set("policies", vec!["export-controls".into()]);
    site.write(4, &f4);
    // and rewrites the text of claim 3 by hand
    let mut f3 = site.read(3);
    f3.body = "Officials in Beijing see resilience as the main goal.".into();
    site.write(3, &f3);
    let reviewed = site.snapshot()["demo-0006.md"].clone();

    site.add_alias("south-korea", "Seoul");
    site.tag();

    let f1 = site.read(1);
    assert_eq!(
        ids(&f1.meta.tags, "countries"),
        ["united-states", "north-korea"]
    );
    assert_eq!(
        ids(f1.meta.machine_tags.as_ref().unwrap(), "countries"),
        ["united-states", "south-korea"]
    );
    let f4 = site.read(4);
    assert_eq!(ids(&f4.meta.tags, "policies"), ["export-controls"]);
    let f3 = site.read(3);
    assert_eq!(
        f3.body, "Officials in Beijing see resilience as the main goal.",
        "text is never touched"
    );
    assert_eq!(
        ids(&f3.meta.tags, "countries"),
        ["china"],
        "an edited text is tagged as it now reads"
    );
    assert_eq!(site.snapshot()["demo-0006.md"], reviewed);

    // re-ingest hands the parsed fragments to apply_tags: same rules
    let mut fragments: Vec<Fragment> = (1..=6).map(|n| site.read(n)).collect();
    tag::apply_tags(
        site.root(),
        &tag::Tagger::load(site.root()).unwrap(),
        &mut fragments,
    )
    .unwrap();
    assert_eq!(
        ids(&fragments[0].meta.tags, "countries"),
        ["united-states", "north-korea"]
    );
    assert_eq!(
        ids(&fragments[3].meta.tags, "policies"),
        ["export-controls"]
    );
    assert_eq!(
        fragments[5],
        site.read(6),
        "reviewed fragments are left alone"
    );
    for (i, f) in fragments.iter().enumerate() {
        assert_eq!(
            f.to_file_string(),
            site.snapshot()[&format!("demo-{:04}.md", i + 1)]
        );
    }
}

#[test]
fn apply_tags_tags_new_fragments() {
    let site = Site::new();
    let mut fragments = fixture_fragments();
    tag::apply_tags(
        site.root(),
        &tag::Tagger::load(site.root()).unwrap(),
        &mut fragments,
    )
    .unwrap();
    assert_eq!(
        ids(&fragments[3].meta.tags, "countries"),
        ["united-states", "china"]
    );
    assert_eq!(ids(&fragments[2].meta.tags, "technologies"), ["batteries"]);
    assert!(
        fragments[5].meta.machine_tags.is_none(),
        "reviewed: untouched"
    );
    assert!(fragments[0].meta.machine_tags.is_some());
}

#[test]
fn explain_names_the_alias_or_rule() {
    let site = Site::new();
    site.tag();
    let mut f3 = site.read(3);
    f3.meta.tags.set("countries", vec!["north-korea".into()]);
    site.write(3, &f3);

    let text = tag::explain(site.root(), "demo-0003").unwrap();
    assert!(
        text.starts_with("demo-0003 (content/claims/demo/demo-0003.md)\n"),
        "{text}"
    );
    assert!(
        text.contains("  north-korea                  added by hand\n"),
        "{text}"
    );
    assert!(
        text.contains("  batteries                    inherited from chapter \"Battery Supply Chains\" (\"battery\")\n"),
        "{text}"
    );
    assert!(
        text.contains("  supply-chains                direct: cue \"resilience\"\n"),
        "{text}"
    );
    // a direct tag shows where it matched
    let at = text
        .lines()
        .skip_while(|l| !l.starts_with("  supply-chains "))
        .nth(1)
        .unwrap_or_default();
    assert!(
        at.trim_start().starts_with("at ") && at.contains("[resilience]"),
        "{text}"
    );

    let text = tag::explain(site.root(), "demo-0005").unwrap();
    assert!(
        text.contains("  china                        inherited from the previous claim demo-0004 (the claim opens with \"It\")\n"),
        "{text}"
    );
    let text = tag::explain(site.root(), "demo-0004").unwrap();
    assert!(
        text.contains("  united-states                direct: alias \"U.S.\"\n"),
        "{text}"
    );
    assert!(
        text.contains("  china                        direct: alias \"Chinese\"\n"),
        "{text}"
    );

    let err = tag::explain(site.root(), "demo-9999")
        .unwrap_err()
        .report("nothing to explain");
    assert!(
        err.starts_with("error: content/claims: no claim with id `demo-9999`\n"),
        "{err}"
    );
    // An id is never a path.
    let err = tag::explain(site.root(), "../demo-0001")
        .unwrap_err()
        .to_string();
    assert!(err.contains("`../demo-0001` is not a claim id"), "{err}");
}

#[test]
fn vocabulary_errors_name_file_and_line() {
    let site = Site::new();
    let path = site.root().join("content/taxonomy/policies.yaml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("parent: export-controls", "parent: export-control");
    fs::write(&path, text).unwrap();
    let before = site.snapshot();
    let err = tag::run(&TagOptions {
        root: site.root().to_path_buf(),
        briefs: vec![],
    })
    .unwrap_err()
    .report("no fragment was re-tagged");
    assert_eq!(
        err,
        "error: content/taxonomy/policies.yaml:9: term `entity-list` has unknown parent `export-control`\n  \
         help: did you mean `export-controls`? a parent must be the id of another term in this file\n\
         1 error in content/; no fragment was re-tagged\n"
    );
    assert_eq!(site.snapshot(), before, "nothing written");

    let err = tag::run(&TagOptions {
        root: Site::new().root().to_path_buf(),
        briefs: vec!["nope".into()],
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("error: content/claims/nope: no claims folder for brief `nope`"),
        "{err}"
    );
    let err = tag::run(&TagOptions {
        root: Site::new().root().to_path_buf(),
        briefs: vec!["../../elsewhere".into()],
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("error: ../../elsewhere: `../../elsewhere` is not a brief id"),
        "{err}"
    );
}
