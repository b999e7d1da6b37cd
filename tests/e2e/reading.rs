//! What a reader gets beyond the text: references to cite (claim and
//! brief), charts drawn as SVG with their text alternatives and links,
//! claim cards and the term pages' filter, the help page and its keys,
//! links made of the addresses in notes, print-only parts, and the
//! highlighting stylesheet only where code is shown. The browser side
//! (copying, filtering, keys, print emulation) is tests/browser/reading.test.mjs.

use crate::harness::SiteTest;

const CLAIM: &str = "claims/alpha-2024-quantum-0001/index.html";
const BRIEF: &str = "briefs/alpha-2024-quantum/index.html";
const BRIEF_YAML: &str = "content/briefs/alpha-2024-quantum.yaml";

/// The text of the first element `open` starts (up to `close`).
fn between<'a>(page: &'a str, open: &str, close: &str) -> &'a str {
    let i = page
        .find(open)
        .unwrap_or_else(|| panic!("no {open:?} in:\n{page}"));
    let rest = &page[i + open.len()..];
    &rest[..rest.find(close).unwrap_or(rest.len())]
}

#[test]
fn claims_and_briefs_can_be_cited_in_three_forms() {
    let t = SiteTest::fixture("mini").build().check_links(None);
    let claim = t.read(CLAIM);
    let chicago = between(&claim, "<span id=\"cite-chicago\">", "</span> <button");
    assert!(
        chicago.starts_with(
            "Author, Ann, and Bo Writer. 2024. “Alpha: The Quantum Race: Competition and cooperation.” Alpha Institute, March 2024. Section “Introduction”, claim alpha-2024-quantum-0001. "
        ),
        "{chicago}"
    );
    // Without a base URL the address is the page's path, for the script to
    // make absolute where it is read.
    assert!(chicago.contains(
        "<span class=\"permalink\" data-path=\"claims/alpha-2024-quantum-0001/\">claims/alpha-2024-quantum-0001/</span>"
    ));
    let bibtex = between(
        &claim,
        "<pre class=\"cite-code\" id=\"cite-bibtex\">",
        "</pre>",
    );
    assert!(
        bibtex.starts_with(
            "@techreport{alpha-2024-quantum-0001,\n  author = {Author, Ann and Writer, Bo},"
        ),
        "{bibtex}"
    );
    assert!(
        bibtex.contains("  year = {2024},\n  month = mar,\n"),
        "{bibtex}"
    );
    let ris = between(
        &claim,
        "<pre class=\"cite-code\" id=\"cite-ris\">",
        "</pre>",
    );
    assert!(
        ris.starts_with("TY  - RPRT\nAU  - Author, Ann\nAU  - Writer, Bo\n"),
        "{ris}"
    );
    assert!(ris.contains("PY  - 2024\nDA  - 2024/03\n"), "{ris}");
    assert!(ris.ends_with("\nER  - "), "{ris}");
    // Copy buttons wait for the script; the text is there without it.
    assert!(
        claim.contains("<button type=\"button\" class=\"copy\" data-copy=\"cite-chicago\" hidden>")
    );
    assert!(claim.contains("<a class=\"cite-jump\" href=\"#cite\">Cite this claim</a>"));
    let brief = t.read(BRIEF);
    assert!(brief.contains("<h2 id=\"h-cite\">Cite this brief</h2>"));
    let chicago = between(&brief, "<span id=\"cite-chicago\">", "</span> <button");
    assert!(
        chicago.starts_with("Author, Ann, and Bo Writer. 2024. “Alpha"),
        "{chicago}"
    );
    assert!(!chicago.contains("Section"), "{chicago}");

    // With a base URL, the permalink is absolute, and printed at the end.
    let t = SiteTest::fixture("mini").build_with(&["--base-url", "https://example.org/sub/"]);
    let claim = t.read(CLAIM);
    assert!(claim.contains("claim alpha-2024-quantum-0001. https://example.org/sub/claims/alpha-2024-quantum-0001/.</span>"));
    assert!(claim.contains("  url = {https://example.org/sub/claims/alpha-2024-quantum-0001/}"));
    assert!(claim.contains("UR  - https://example.org/sub/claims/alpha-2024-quantum-0001/\nER  - "));
    assert!(claim.contains("<p class=\"page-url\">This page: https://example.org/sub/claims/alpha-2024-quantum-0001/</p>"));
}

#[test]
fn a_chapter_is_cited_in_its_volume() {
    let t = SiteTest::fixture("mini").build();
    let claim = t.read("claims/beta-2025-volume-0002/index.html");
    let bibtex = between(&claim, "id=\"cite-bibtex\">", "</pre>");
    assert!(
        bibtex.starts_with("@incollection{beta-2025-volume-0002,"),
        "{bibtex}"
    );
    assert!(bibtex.contains("booktitle = "), "{bibtex}");
    assert!(claim.contains("TY  - CHAP\n"));
}

#[test]
fn claim_pages_have_a_meaningful_heading() {
    let t = SiteTest::fixture("mini").build();
    let claim = t.read(CLAIM);
    assert_eq!(
        between(&claim, "<h1 class=\"claim-heading\">", "</h1>"),
        "Introduction"
    );
    // Every claim page's heading says something of its claim.
    for e in std::fs::read_dir(t.out.join("claims")).unwrap() {
        let page = e.unwrap().path().join("index.html");
        if !page.is_file() || page.parent().unwrap().ends_with("claims/page") {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        let h1 = between(&html, "<h1", "</h1>");
        let text = h1.rsplit('>').next().unwrap_or("").trim();
        assert!(
            text.len() > 3 && text != "claim",
            "{}: {h1}",
            page.display()
        );
    }
    // Home shows the site's title as its heading, not in the header too.
    let home = t.read("index.html");
    assert!(home.contains("<h1>Mini briefs</h1>"));
    let header = between(&home, "<header class=\"site-header\">", "</header>");
    assert!(!header.contains("Mini briefs"), "{header}");
    assert!(t.read(CLAIM).contains("<a class=\"brand\""));
}

#[test]
fn charts_are_svg_with_text_alternatives_and_links() {
    let t = SiteTest::fixture("mini").build().check_links(None);
    let list = t.read("countries/index.html");
    let svg = between(&list, "<svg class=\"chart bars\"", "</svg>");
    assert!(svg.contains("aria-labelledby=\"chart-terms-t\" aria-describedby=\"chart-terms-d\""));
    assert!(svg.contains("<title id=\"chart-terms-t\">Claims per country</title>"));
    assert!(svg.contains("<desc id=\"chart-terms-d\">"));
    assert!(
        svg.contains("<a href=\"../countries/china/index.html\"><title>China: 6 claims</title>"),
        "{svg}"
    );
    // Bars are in the order of the list below: most claims first.
    let china = svg.find("China").unwrap();
    let us = svg.find("United States").unwrap();
    assert!(china < us, "{svg}");

    // A term's first page: claims per brief and per kind, leading to the
    // claims on the page.
    let term = t.read("countries/united-states/index.html");
    assert!(
        term.contains("<title id=\"chart-briefs-t\">Claims about United States per brief</title>")
    );
    assert!(
        term.contains("<title id=\"chart-kinds-t\">Claims about United States per kind</title>")
    );
    assert!(
        term.contains("<a href=\"#group-alpha-2024-quantum\">"),
        "{term}"
    );
    assert!(!t
        .read("countries/united-states/page/2/index.html")
        .contains("chart-briefs"));

    // A brief: one strip row per taxonomy, each stretch linking to its
    // first claim.
    let brief = t.read(BRIEF);
    let strip = between(&brief, "<svg class=\"chart strip\"", "</svg>");
    for row in ["Countries", "Technologies", "Policies"] {
        assert!(strip.contains(&format!(">{row}</text>")), "{strip}");
    }
    assert!(strip.contains("<a href=\"#alpha-2024-quantum-0001\"><title>Claims 1–1, Introduction (1 claim; Countries: 1; Technologies: 1; Policies: 0)</title>"), "{strip}");

    // A declared taxonomy gets its row and its chart.
    let t = SiteTest::fixture("taxonomies").build().check_links(None);
    let strip = t.read(BRIEF);
    assert!(strip.contains(">Organisations</text>"));
    assert!(t
        .read("organisations/index.html")
        .contains("<title id=\"chart-terms-t\">Claims per organisation</title>"));
}

#[test]
fn term_pages_list_claim_cards_with_a_filter() {
    let t = SiteTest::fixture("taxonomies").build();
    let page = t.read("countries/united-states/index.html");
    let card = between(
        &page,
        "<li class=\"claim-item kind-claim\" id=\"item-alpha-2024-quantum-0001\"",
        "</li>",
    );
    assert!(card.contains("data-terms=\"countries:united-states countries:china technologies:quantum-technology\""), "{card}");
    assert!(card.contains(">Introduction</a> · <a href=\"../../claims/alpha-2024-quantum-0001/index.html\">Claim page</a>"), "{card}");
    assert!(card.contains("<p class=\"card-tags\"><a href=\"../../countries/united-states/index.html\">United States</a> · <a href=\"../../countries/china/index.html\">China</a>"), "{card}");
    // The filter is hidden until the script shows it; it offers the other
    // taxonomies, not the page's own.
    let form = between(
        &page,
        "<form class=\"claim-filter\" id=\"claim-filter\" hidden",
        "</form>",
    );
    assert!(
        form.contains("<select data-filter=\"technologies\">"),
        "{form}"
    );
    assert!(!form.contains("data-filter=\"countries\""), "{form}");
    assert!(form.contains("<option value=\"\">All</option>"));
    // A narrower term's claims match their broader term in the filter.
    let q = t.read("technologies/quantum-computing/index.html");
    assert!(
        q.contains("technologies:quantum-computing technologies:quantum-technology"),
        "{q}"
    );
}

#[test]
fn the_help_page_lists_the_keys_and_every_page_links_it() {
    let t = SiteTest::fixture("mini").build().check_links(None);
    let help = t.read("help/index.html");
    for key in [
        "<kbd>j</kbd>",
        "<kbd>k</kbd>",
        "<kbd>/</kbd>",
        "<kbd>?</kbd>",
    ] {
        assert!(help.contains(key), "{key}");
    }
    for page in [CLAIM, BRIEF, "index.html", "countries/china/index.html"] {
        let html = t.read(page);
        assert!(html.contains("<link rel=\"help\" href=\""), "{page}");
        assert!(html.contains("reading.js\" defer></script>"), "{page}");
    }
    t.assert_file("reading.js").assert_page(
        CLAIM,
        "rel=\"next\" href=\"../../claims/alpha-2024-quantum-0002/index.html\"",
    );
}

#[test]
fn addresses_in_notes_become_safe_links() {
    let t = SiteTest::fixture("mini")
        .edit(
            BRIEF_YAML,
            "\"2\": \"Survey of funding, 2022.\"",
            "\"2\": \"Survey, https://example.org/s?a=1&b=2. Also doi:10.7249/RRA869-1 and javascript:alert(1) <b>x</b>\"",
        )
        .build()
        .check_links(None);
    let brief = t.read(BRIEF);
    assert!(brief.contains("<a href=\"https://example.org/s?a=1&amp;b=2\" rel=\"noopener\">https://example.org/s?a=1&amp;b=2</a>."), "{brief}");
    assert!(brief.contains(
        "<a href=\"https://doi.org/10.7249/RRA869-1\" rel=\"noopener\">doi:10.7249/RRA869-1</a>"
    ));
    assert!(!brief.contains("href=\"javascript:"));
    // The claim that cites the note shows the same links.
    let cites = t.read("claims/alpha-2024-quantum-0003/index.html");
    assert!(
        cites.contains("href=\"https://doi.org/10.7249/RRA869-1\""),
        "{cites}"
    );
}

#[test]
fn the_highlighting_stylesheet_is_linked_only_where_code_is_shown() {
    let t = SiteTest::fixture("mini").build();
    for page in [CLAIM, BRIEF, "index.html", "countries/index.html"] {
        t.read(page)
            .contains("highlight.css")
            .then(|| panic!("{page} links highlight.css"));
    }
    let t = SiteTest::fixture("mini")
        .edit(
            "content/claims/alpha-2024-quantum/0009.md",
            "- Fund shared testbeds for *five* years.",
            "```rust\nfn fund() {}\n```",
        )
        .build();
    t.assert_page(
        "claims/alpha-2024-quantum-0009/index.html",
        "highlight.css\">",
    )
    .assert_page(BRIEF, "highlight.css\">")
    .assert_page_lacks(CLAIM, "highlight.css")
    .assert_page_lacks("index.html", "highlight.css");
}

#[test]
fn chip_counts_are_valid_markup() {
    let t = SiteTest::fixture("mini").build();
    for page in [CLAIM, "index.html", "countries/united-states/index.html"] {
        let html = t.read(page);
        assert!(!html.contains("<span class=\"count\" aria-label"), "{page}");
    }
    t.assert_page(
        CLAIM,
        "<span class=\"visually-hidden\"> claims</span></span></a></li>",
    );
}
