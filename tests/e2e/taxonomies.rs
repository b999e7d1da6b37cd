//! A fourth taxonomy declared in site.yaml alone (`tests/fixtures/taxonomies`:
//! the mini briefs with `organisations`) gets everything the default three
//! get: its list page, term pages, navigation, chips on claim pages,
//! co-occurrence and intersection pages, the sitemap, tagging from its
//! aliases, `explain`, and the same errors. The watch side is in
//! `tests/watch_equivalence.rs`.

use crate::harness::{orphan_pages, SiteTest};

const C2: &str = "content/claims/beta-2025-volume/0002.md";

#[test]
fn a_declared_taxonomy_gets_its_pages() {
    let t = SiteTest::fixture("taxonomies").build().check_links(None);
    // Its list page, in the navigation of every page, after the defaults.
    let home = t.read("index.html");
    let nav: Vec<usize> = ["Countries", "Technologies", "Policies", "Organisations"]
        .iter()
        .map(|n| {
            home.find(&format!(">{n}</a>"))
                .unwrap_or_else(|| panic!("{n} in nav"))
        })
        .collect();
    assert!(
        nav.windows(2).all(|w| w[0] < w[1]),
        "display order: {nav:?}"
    );
    let t = t
        .assert_page(
            "organisations/index.html",
            "href=\"../organisations/bis/index.html\"",
        )
        .assert_page(
            "organisations/index.html",
            "Bureau of Industry and Security",
        )
        // A term page lists its claims and describes the term.
        .assert_page(
            "organisations/bis/index.html",
            "href=\"../../briefs/beta-2025-volume/index.html#beta-2025-volume-0002\"",
        )
        .assert_page("organisations/bis/index.html", "The US Commerce Department")
        // Claim pages show the term as a chip.
        .assert_page(
            "claims/beta-2025-volume-0002/index.html",
            "href=\"../../organisations/bis/index.html\"",
        );
    // Co-occurrence: the term page links to the claims it shares with a
    // term of another taxonomy, on an intersection page keyed with the
    // earlier taxonomy first.
    let bis = t.read("organisations/bis/index.html");
    assert!(
        bis.contains("href=\"../../countries/china/with/organisations/bis/index.html\""),
        "{bis}"
    );
    let t = t
        .assert_page(
            "countries/china/with/organisations/bis/index.html",
            "beta-2025-volume-0002",
        )
        .assert_page(
            "policies/export-controls/with/organisations/bis/index.html",
            "alpha-2024-quantum-0006",
        );
    let sitemap = SiteTest::fixture("taxonomies")
        .build_with(&["--base-url", "https://example.org/"])
        .read("sitemap.xml");
    for page in [
        "organisations/",
        "organisations/bis/",
        "countries/china/with/organisations/bis/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{page}</loc>")),
            "{page}"
        );
    }
    // A term no claim carries keeps its page, marked as having no claims
    // yet, but no list or sitemap names it.
    assert!(!sitemap.contains("organisations/nist/"), "{sitemap}");
    let t = t
        .assert_page_lacks("organisations/index.html", "nist/index.html")
        .assert_page("organisations/nist/index.html", "No claims yet")
        .assert_page(
            "organisations/nist/index.html",
            "<meta name=\"robots\" content=\"noindex\">",
        );
    assert_eq!(
        orphan_pages(&t.out),
        vec!["organisations/nist/index.html".to_string()]
    );
}

#[test]
fn a_claim_may_leave_a_declared_taxonomy_out() {
    // alpha-2024-quantum-0001 has no `organisations` key at all.
    let t = SiteTest::fixture("taxonomies").build();
    let page = t.read("claims/alpha-2024-quantum-0001/index.html");
    let chip = regex::Regex::new(r"organisations/[a-z-]+/index\.html").unwrap();
    assert!(!chip.is_match(&page), "{page}");
    assert!(page.contains("countries/china/index.html"), "{page}");
}

#[test]
fn tagging_and_explain_know_the_fourth_taxonomy() {
    // Without its tags, the claim gets them back from the vocabulary's
    // aliases ("Bureau of Industry and Security"); a person's removal of
    // the key does not stop the tagger.
    let t = SiteTest::fixture("taxonomies")
        .edit(C2, "organisations: [bis]\n", "")
        .run(&["tag"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(
        t.stdout
            .contains("  + organisations/bis: 1 claims (beta-2025-volume-0002)"),
        "{}",
        t.stdout
    );
    let text = std::fs::read_to_string(t.root.join(C2)).unwrap();
    assert!(text.contains("organisations: [bis]\n"), "{text}");
    assert!(text.contains("machine_tags:\n"), "{text}");
    assert!(text.contains("  organisations: [bis]\n"), "{text}");
    // explain names the alias.
    let t = t.run(&["explain", "beta-2025-volume-0002"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(t.stdout.contains("organisations:\n"), "{}", t.stdout);
    assert!(
        t.stdout.contains(
            "  bis                          direct: alias \"Bureau of Industry and Security\""
        ),
        "{}",
        t.stdout
    );
    // The rebuilt site still builds, and a second tag run changes nothing.
    let t = t.build().run(&["tag"]);
    assert!(t.stdout.contains("0 re-written"), "{}", t.stdout);
}

#[test]
fn declared_taxonomies_are_checked() {
    SiteTest::fixture("taxonomies")
        .edit(
            "content/site.yaml",
            "  - { id: organisations, name: Organisations, singular: Organisation }\n",
            "  - { id: organisations, name: Organisations, singular: Organisation }\n  - { id: briefs, name: Briefs }\n  - { id: sectors, name: Sectors }\n",
        )
        .edit(C2, "organisations: [bis]", "organisations: [bsi]")
        .build_fails()
        .assert_stderr("error: content/site.yaml:11: taxonomy id `briefs` clashes with the site's own pages at /briefs/\n  help: rename the taxonomy")
        .assert_stderr("error: content/taxonomy/sectors.yaml: missing vocabulary `sectors`")
        .assert_stderr(&format!(
            "error: {C2}:12: unknown organisation `bsi`\n  help: did you mean `bis`? known ids are in content/taxonomy/organisations.yaml"
        ))
        .assert_stderr("3 errors in content/");
    // A key for a taxonomy the site does not declare is an unknown key.
    SiteTest::fixture("mini")
        .edit(
            "content/claims/alpha-2024-quantum/0001.md",
            "cites:",
            "organisations: [bis]\ncites:",
        )
        .build_fails()
        .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:11: bad YAML: unknown field `organisations`");
}
