//! Building the complete mini site: every contract page exists, links and
//! anchors resolve (at the root, under a sub-path), the model's rules show
//! on the pages.

use crate::harness::{broken_links, SiteTest};

#[test]
fn every_contract_page_exists() {
    let t = SiteTest::fixture("mini").build();
    for page in [
        "index.html",
        "briefs/index.html",
        "briefs/alpha-2024-quantum/index.html",
        "briefs/beta-2025-volume/index.html",
        "claims/alpha-2024-quantum-0001/index.html",
        "claims/beta-2025-volume-0005/index.html",
        "countries/index.html",
        "technologies/index.html",
        "policies/index.html",
        "countries/china/index.html",
        "countries/china/page/2/index.html",
        "countries/china/page/3/index.html",
        "technologies/quantum-computing/index.html",
        "policies/alliances/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
        "highlight.css",
    ] {
        assert!(t.out.join(page).is_file(), "missing {page}");
    }
    let t = t
        .assert_no_file("countries/china/page/4/index.html")
        .assert_no_file("countries/china/page/1/index.html");
    assert!(t.stdout.contains("2 briefs, 14 claims"), "{}", t.stdout);
    // 14 claims, all listed in the sitemap (which needs a base URL), and the
    // 7 pages of the list of every claim.
    let t = SiteTest::fixture("mini").build_with(&["--base-url", "https://example.org/"]);
    assert_eq!(
        t.read("sitemap.xml")
            .matches("<loc>https://example.org/claims/")
            .count(),
        14 + 7
    );
}

#[test]
fn links_and_anchors_resolve() {
    SiteTest::fixture("mini").build().check_links(None);
}

#[test]
fn links_resolve_under_a_sub_path() {
    let t = SiteTest::fixture("mini")
        .build_with(&["--base-url", "https://example.org/briefs-site"])
        .check_links(Some("/briefs-site/"))
        .assert_page("sitemap.xml", "<loc>https://example.org/briefs-site/claims/alpha-2024-quantum-0001/</loc>")
        .assert_page("robots.txt", "Sitemap: https://example.org/briefs-site/sitemap.xml")
        .assert_page("404.html", "href=\"/briefs-site/index.html\"")
        .assert_page(
            "claims/alpha-2024-quantum-0001/index.html",
            "<link rel=\"canonical\" href=\"https://example.org/briefs-site/claims/alpha-2024-quantum-0001/\">",
        );
    // Page-to-page links stay relative whatever the base URL.
    t.assert_page(
        "claims/alpha-2024-quantum-0001/index.html",
        "href=\"../../briefs/index.html\"",
    );
}

#[test]
fn child_terms_show_on_ancestor_pages() {
    // 0003 is tagged quantum-computing only; it must be on quantum-technology.
    let t = SiteTest::fixture("mini").build();
    let mut all = String::new();
    // 10 claims at 2 per page: read every page.
    for n in 1..=5 {
        let dir = if n == 1 {
            String::new()
        } else {
            format!("page/{n}/")
        };
        all.push_str(&t.read(&format!("technologies/quantum-technology/{dir}index.html")));
    }
    assert!(all.contains("id=\"item-alpha-2024-quantum-0003\""));
    assert!(all.contains("id=\"item-beta-2025-volume-0004\""));
    t.assert_page("technologies/quantum-computing/index.html", "Broader")
        .assert_page("technologies/quantum-technology/index.html", "Narrower")
        .assert_page(
            "technologies/quantum-technology/index.html",
            "tagged directly",
        )
        .assert_page("countries/china/index.html", "People’s Republic of China.")
        .assert_page("countries/china/index.html", "Also written as");
}

#[test]
fn term_pages_paginate_with_prev_and_next() {
    let t = SiteTest::fixture("mini").build();
    // China has 6 claims at 2 per page: pages 1, 2, 3.
    t.assert_page(
        "countries/china/index.html",
        "rel=\"next\" href=\"../../countries/china/page/2/index.html\"",
    )
    .assert_page_lacks("countries/china/index.html", "rel=\"prev\"")
    .assert_page(
        "countries/china/page/2/index.html",
        "rel=\"prev\" href=\"../../../../countries/china/index.html\"",
    )
    .assert_page(
        "countries/china/page/2/index.html",
        "rel=\"next\" href=\"../../../../countries/china/page/3/index.html\"",
    )
    .assert_page("countries/china/page/3/index.html", "Claims 5–6 of 6")
    .assert_page_lacks("countries/china/page/3/index.html", "rel=\"next\"");
}

#[test]
fn brief_page_rebuilds_the_text() {
    let t = SiteTest::fixture("mini").build();
    let page = t.read("briefs/alpha-2024-quantum/index.html");
    // Claims 1 and 2 share paragraph 1: one <p> holds both spans.
    let p1 = page.find("id=\"alpha-2024-quantum-0001\"").unwrap();
    let p2 = page.find("id=\"alpha-2024-quantum-0002\"").unwrap();
    assert!(
        !page[p1..p2].contains("<p>"),
        "claims of one paragraph were split"
    );
    // Sections as headings, nested.
    assert!(page.contains("<h2 id=\"s1-alpha-2024-quantum-0001\">Introduction</h2>"));
    assert!(page.contains("<h3 id=\"s2-alpha-2024-quantum-0003\">Computing</h3>"));
    // Footnote markers, notes in natural order with back-links.
    assert!(page.contains(
        "<sup class=\"noteref\" id=\"ref-alpha-2024-quantum-0003-10\"><a href=\"#note-10\""
    ));
    let n2 = page.find("id=\"note-2\"").unwrap();
    let n10 = page.find("id=\"note-10\"").unwrap();
    assert!(n2 < n10, "notes not in natural order");
    assert!(page.contains("href=\"#ref-alpha-2024-quantum-0004-2\""));
    // A symbol as note id becomes a safe anchor.
    assert!(page.contains("<a href=\"#note-_2a\" aria-label=\"Note *\">*</a>"));
    // The table claim is a rendered table, smart punctuation applies.
    assert!(page.contains("<table>"));
    assert!(page.contains("“strategic”"));
    t.assert_page(
        "briefs/beta-2025-volume/index.html",
        "<h2 id=\"chapter-ch2\" class=\"chapter-title\">Quantum Networks</h2>",
    )
    .assert_page("briefs/beta-2025-volume/index.html", "Dee Kim, Eve Park")
    .assert_page(
        "briefs/beta-2025-volume/index.html",
        "<pre class=\"code\"><code class=\"language-yaml\">",
    )
    .assert_page("highlight.css", ".hl-");
}

#[test]
fn claim_page_has_context_citations_and_links() {
    SiteTest::fixture("mini")
        .build()
        .assert_page("claims/beta-2025-volume-0003/index.html", "Quantum Networks")
        .assert_page("claims/beta-2025-volume-0003/index.html", "chapter by Dee Kim, Eve Park")
        .assert_page("claims/beta-2025-volume-0003/index.html", "Network trial results, 2024.")
        // see_also, in the reverse direction.
        .assert_page("claims/beta-2025-volume-0003/index.html", "href=\"../../claims/alpha-2024-quantum-0006/index.html\"")
        .assert_page("claims/alpha-2024-quantum-0006/index.html", "href=\"../../claims/beta-2025-volume-0003/index.html\"")
        .assert_page("claims/alpha-2024-quantum-0003/index.html", "rel=\"prev\" href=\"../../claims/alpha-2024-quantum-0002/index.html\"")
        .assert_page("claims/alpha-2024-quantum-0003/index.html", "rel=\"next\" href=\"../../claims/alpha-2024-quantum-0004/index.html\"")
        .assert_page("claims/alpha-2024-quantum-0003/index.html", "href=\"../../briefs/alpha-2024-quantum/index.html#s2-alpha-2024-quantum-0003\">Computing</a>")
        .assert_page("claims/alpha-2024-quantum-0003/index.html", "href=\"../../technologies/quantum-computing/index.html\"")
        .assert_page("claims/alpha-2024-quantum-0003/index.html", "Survey of funding, 2022.");
}

#[test]
fn rebuild_replaces_the_output() {
    let t = SiteTest::fixture("mini").build();
    std::fs::write(t.out.join("stale.html"), "old").unwrap();
    let t = t.build().assert_no_file("stale.html");
    // No staging or old folders are left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bundled_content_builds_when_present() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let claims = root.join("content/claims");
    let has_claims = claims.is_dir()
        && walkdir::WalkDir::new(&claims)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "md"));
    if !has_claims {
        println!("note: content/claims holds no fragments yet; skipping the bundled-site build");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_crossbrief"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let broken = broken_links(&out, None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn brief_lists_show_the_newest_first() {
    let t = SiteTest::fixture("mini").build();
    for page in ["index.html", "briefs/index.html"] {
        let html = t.read(page);
        let beta = html.find("Beta: An Edited Volume").unwrap();
        let alpha = html.find("Alpha: The Quantum Race").unwrap();
        assert!(
            beta < alpha,
            "{page}: 2025 brief not listed before the 2024 one"
        );
    }
}
