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
