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
