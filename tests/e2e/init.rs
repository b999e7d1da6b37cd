//! `crossbrief init DIR` scaffolds a site that builds at once.

use crate::harness::SiteTest;

#[test]
fn init_then_build() {
    let t = SiteTest::empty().run(&["init", "new-site"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let t = t.run(&["build", "--root", "new-site"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let out = t.root.join("new-site/public");
    for page in [
        "index.html",
        "briefs/sample-brief/index.html",
        "claims/sample-brief-0003/index.html",
        "countries/brazil/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    let broken = crate::harness::broken_links(&out, None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Ingesting the sample's own source gives its three claims, in the files
/// init wrote, and the next build still succeeds (no doubled `order`).
#[test]
fn init_sample_ingests_into_its_three_claims() {
    let t = SiteTest::empty().run(&["init", "new-site"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let t = t.run(&["ingest", "sample-brief", "--root", "new-site", "--dry-run"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(
        t.stdout.contains("dry run: nothing was written"),
        "{}",
        t.stdout
    );
    let t = t.run(&["ingest", "sample-brief", "--root", "new-site", "-q"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(
        t.stdout.contains("sample-brief: 3 claims (0 new,"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout
            .contains("kinds: claim 1, recommendation 1, statistic 1"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains("2 markers resolved, 0 unresolved"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("warning"), "{}", t.stdout);
    let claims = t.root.join("new-site/content/claims/sample-brief");
    let mut files: Vec<String> = std::fs::read_dir(&claims)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, vec!["0001.md", "0002.md", "0003.md"]);
    let t = t.run(&["build", "--root", "new-site"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
}

#[test]
fn init_refuses_an_existing_site() {
    let t = SiteTest::fixture("mini").run(&["init", "."]);
    assert_eq!(t.success, Some(false));
    assert!(
        t.stderr.contains("already holds a content/ folder"),
        "{}",
        t.stderr
    );
}

/// A new source in the sample's place, with a third note the brief YAML
/// does not list and a page footer printed once: the footer is not a
/// heading, the third marker leaves the text, and ingest says what to do
/// about the note instead of dropping it silently.
#[test]
fn a_new_source_with_a_note_the_brief_does_not_list_is_reported() {
    let t = SiteTest::empty().run(&["init", "new-site"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let t = t
        .write(
            "new-site/content/sources/sample-brief.txt",
            "Harbour Policy Lab                                    Working Paper 7\n\n\
             Grid Storage and the Lithium Question\n\nSummary\n\n\
             Battery storage on European grids grew fourfold between 2020 and 2023.[1] \
             Most of the cells came from Chinese suppliers, which held about 75 percent of global cell capacity in 2023.[2]\n\n\
             Harbour Policy Lab                                    Page 2\n\n\
             Recommendations\n\n\
             Governments should fund recycling plants near demand centres. \
             They should also avoid blanket tariffs on cells, which would slow deployment.[3]\n\n\
             Notes\n[1] European Storage Association, Annual Review 2024.\n\
             [2] IEA, Global EV Outlook 2024.\n[3] Nordic Grid Survey, tender data, 2023.\n",
        )
        .run(&["ingest", "sample-brief", "--root", "new-site", "--dry-run"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(t.stdout.contains("3 markers resolved"), "{}", t.stdout);
    assert!(
        t.stdout
            .contains("notes 3 are in the source but not in the brief's own `notes:`"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("Page 2"), "{}", t.stdout);
    assert!(!t.stdout.contains("deployment.[3]"), "{}", t.stdout);
}
