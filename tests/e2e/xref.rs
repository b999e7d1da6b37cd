//! Cross-references on the built mini site: related claims with their
//! "why", figures, co-occurrence links, the home matrix, intersection and
//! recommendation pages; every page linked, listed in the sitemap, and
//! every link resolving.

use crate::harness::{orphan_pages, SiteTest};

/// The ids of the claims an HTML list page shows, in order.
fn listed_claims(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"id="item-([^"]+)""#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn claim_pages_show_related_claims_and_why() {
    let t = SiteTest::fixture("mini").build();
    let page = t.read("claims/alpha-2024-quantum-0006/index.html");
    let related = &page[page.find("id=\"h-related\"").expect("a related section")..];
    // The hand-made link comes first, marked, with its brief.
    let first = related.find("class=\"related-item\"").unwrap();
    let item = &related[first..related[first..].find("</li>").unwrap() + first];
    assert!(
        item.contains("href=\"../../claims/beta-2025-volume-0003/index.html\""),
        "{item}"
    );
    assert!(item.contains("linked by hand"), "{item}");
    assert!(item.contains("Beta: An Edited Volume"), "{item}");
    // Automatic links say why.
    assert!(
        related.contains("<span class=\"why\">both: <em>"),
        "{related}"
    );
    // Both directions, and not repeated in a separate see-also list.
    let t = t
        .assert_page(
            "claims/beta-2025-volume-0003/index.html",
            "href=\"../../claims/alpha-2024-quantum-0006/index.html\"",
        )
        .assert_page("claims/beta-2025-volume-0003/index.html", "linked by hand")
        .assert_page_lacks("claims/beta-2025-volume-0003/index.html", "id=\"h-see\"");
    // A claim with nothing close shows no section.
    t.assert_page_lacks("claims/alpha-2024-quantum-0007/index.html", "h-related");
}

#[test]
fn shared_figures_relate_claims_and_fill_term_tables() {
    let t = SiteTest::fixture("mini")
        .write(
            "content/claims/beta-2025-volume/0006.md",
            "---\nid: beta-2025-volume-0006\nbrief: beta-2025-volume\norder: 60\nchapter: ch2\nsection: [\"Networks\"]\nparagraph: 5\nkind: statistic\ncountries: [china]\ntechnologies: [quantum-technology]\npolicies: [research-funding]\ncites: []\n---\nChinese public funding for quantum research is put at US$15bn, or 40% of the world total.\n",
        )
        .build()
        .assert_page(
            "claims/beta-2025-volume-0006/index.html",
            "<h2 id=\"h-figs\">Figures stated</h2>",
        )
        .assert_page("claims/beta-2025-volume-0006/index.html", "USD 15 billion")
        .assert_page("claims/beta-2025-volume-0006/index.html", ">40%<")
        .assert_page(
            "claims/alpha-2024-quantum-0004/index.html",
            "href=\"../../claims/beta-2025-volume-0006/index.html\"",
        )
        .assert_page(
            "claims/alpha-2024-quantum-0004/index.html",
            "<strong>USD 15 billion</strong></span>",
        );
    // The China page tabulates both briefs' figures, one row per figure.
    let china = t.read("countries/china/index.html");
    let table = &china[china
        .find("class=\"figures-table\"")
        .expect("a figures table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<caption>"), "{table}");
    assert_eq!(table.matches("<tr class=\"fig-").count(), 3, "{table}");
    assert!(table.contains("Alpha: The Quantum Race"), "{table}");
    assert!(table.contains("Beta: An Edited Volume"), "{table}");
    assert!(table.contains("“US$15bn”"), "{table}");
    // Both briefs put China's public funding at USD 15 billion: compared,
    // and in agreement, on the term page and on both claim pages.
    let compared = &china[china
        .find("class=\"figures-table figures-compared\"")
        .expect("a figures-compared table")..];
    let compared = &compared[..compared.find("</table>").unwrap()];
    assert!(compared.contains("<tr class=\"agrees\">"), "{compared}");
    assert!(compared.contains("USD 15 billion"), "{compared}");
    let t = t.assert_page(
        "claims/beta-2025-volume-0006/index.html",
        "<li class=\"compared agrees\">",
    );
    // Only on the term's first page.
    t.assert_page_lacks("countries/china/page/2/index.html", "figures-table")
        .check_links(None);
}

#[test]
fn cooccurring_terms_link_to_the_claims_carrying_both() {
    let t = SiteTest::fixture("mini").build();
    let china = t.read("countries/china/index.html");
    let co = &china[china.find("id=\"h-co\"").expect("a co-occurrence section")..];
    let co = &co[..co.find("</section>").unwrap()];
    assert!(co.contains("Technologies"), "{co}");
    assert!(co.contains("Policies"), "{co}");
    assert!(
        co.contains("href=\"../../countries/china/with/policies/export-controls/index.html\""),
        "{co}"
    );
    // The intersection page lists exactly the claims tagged with both.
    let both = t.read("countries/china/with/policies/export-controls/index.html");
    assert_eq!(
        listed_claims(&both),
        ["alpha-2024-quantum-0003", "beta-2025-volume-0002"]
    );
    assert!(both.contains("2 claims tagged with both"), "{both}");
    // Seen from the policy, the same page is linked (one page per pair).
    t.assert_page(
        "policies/export-controls/index.html",
        "href=\"../../countries/china/with/policies/export-controls/index.html\"",
    )
    .assert_no_file("policies/export-controls/with/countries/china/index.html");
}

#[test]
fn intersection_pages_paginate_like_term_pages() {
    // quantum-technology (with its narrower terms) and research-funding
    // share 3 claims; the mini site shows 2 per page.
    let t = SiteTest::fixture("mini").build();
    let dir = "technologies/quantum-technology/with/policies/research-funding";
    let one = t.read(&format!("{dir}/index.html"));
    let two = t.read(&format!("{dir}/page/2/index.html"));
    let mut all = listed_claims(&one);
    all.extend(listed_claims(&two));
    assert_eq!(
        all,
        [
            "alpha-2024-quantum-0004",
            "alpha-2024-quantum-0005",
            "beta-2025-volume-0005"
        ]
    );
    assert!(
        one.contains(&format!(
            "rel=\"next\" href=\"../../../../../{dir}/page/2/index.html\""
        )),
        "{one}"
    );
    t.assert_no_file(&format!("{dir}/page/3/index.html"))
        .assert_no_file(&format!("{dir}/page/1/index.html"));
}

#[test]
fn home_matrix_cells_link_to_both_tags() {
    let t = SiteTest::fixture("mini").build();
    let home = t.read("index.html");
    let m = &home[home.find("class=\"heatmap\"").expect("the matrix")..];
    let m = &m[..m.find("</table>").unwrap()];
    assert!(m.contains("<caption>"), "{m}");
    assert!(m.contains("<th scope=\"row\">"), "{m}");
    // Every non-empty cell is a link with its count as text, shaded.
    let cell =
        regex::Regex::new(r#"<td class="heat-(\d)">(<a href="([^"]+)"[^>]*>)?(\d+)"#).unwrap();
    let mut links = 0;
    for c in cell.captures_iter(m) {
        let n: usize = c[4].parse().unwrap();
        let heat: usize = c[1].parse().unwrap();
        assert_eq!(n == 0, c.get(3).is_none(), "{}", &c[0]);
        assert_eq!(n == 0, heat == 0, "{}", &c[0]);
        if let Some(url) = c.get(3) {
            links += 1;
            let page = t.read(url.as_str());
            assert_eq!(
                listed_claims(&page).len().min(2),
                n.min(2),
                "{}",
                url.as_str()
            );
        }
    }
    assert!(links >= 8, "{links} linked cells");
    assert!(m.contains("href=\"countries/china/with/policies/export-controls/index.html\""));
    // The heat map draws the same cells, with the same links and shading.
    let svg = &home[home
        .find("<svg class=\"chart heatmap-chart\"")
        .expect("the heat map")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains("<title id=\"matrix-t\">Countries × Policies</title>"));
    let mark = regex::Regex::new(
        r#"<a class="heat-(\d)" href="([^"]+)"><title>[^<]*: (\d+) claims?</title>"#,
    )
    .unwrap();
    let drawn: Vec<(String, String, String)> = mark
        .captures_iter(svg)
        .map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string()))
        .collect();
    let listed: Vec<(String, String, String)> = cell
        .captures_iter(m)
        .filter_map(|c| {
            Some((
                c[1].to_string(),
                c.get(3)?.as_str().to_string(),
                c[4].to_string(),
            ))
        })
        .collect();
    assert_eq!(drawn, listed);
}

#[test]
fn recommendations_view_per_policy() {
    let t = SiteTest::fixture("mini").build();
    let recs = t.read("policies/alliances/recommendations/index.html");
    // Only recommendation claims (beta-0001 is a plain claim on alliances).
    assert_eq!(
        listed_claims(&recs),
        ["alpha-2024-quantum-0006", "alpha-2024-quantum-0008"]
    );
    assert!(recs.contains("Recommendations on Alliances"));
    let t = t
        .assert_page(
            "policies/alliances/index.html",
            "href=\"../../policies/alliances/recommendations/index.html\"",
        )
        .assert_page(
            "policies/index.html",
            "href=\"../policies/alliances/recommendations/index.html\"",
        )
        // Grouped by brief: research funding has one of each brief.
        .assert_page(
            "policies/research-funding/recommendations/index.html",
            "Alpha: The Quantum Race",
        )
        .assert_page(
            "policies/research-funding/recommendations/index.html",
            "Beta: An Edited Volume",
        );
    // No page for a term of another taxonomy.
    t.assert_no_file("countries/china/recommendations/index.html");
}

#[test]
fn brief_pages_rank_the_other_briefs() {
    SiteTest::fixture("mini")
        .build()
        .assert_page(
            "briefs/alpha-2024-quantum/index.html",
            "Connections to other briefs",
        )
        .assert_page(
            "briefs/alpha-2024-quantum/index.html",
            "<li><a href=\"../../briefs/beta-2025-volume/index.html\">Beta: An Edited Volume",
        )
        .assert_page(
            "briefs/alpha-2024-quantum/index.html",
            "<summary>Per section</summary>",
        )
        .assert_page(
            "briefs/beta-2025-volume/index.html",
            "href=\"#s1-beta-2025-volume-0003\"",
        );
}

#[test]
fn every_page_is_linked_listed_and_resolves() {
    let t = SiteTest::fixture("mini")
        .build_with(&["--base-url", "https://example.org/"])
        .check_links(None);
    let orphans = orphan_pages(&t.out);
    assert!(orphans.is_empty(), "pages nothing links to: {orphans:?}");
    let sitemap = t.read("sitemap.xml");
    for e in walkdir::WalkDir::new(&t.out)
        .into_iter()
        .map(|e| e.unwrap())
    {
        let rel = e
            .path()
            .strip_prefix(&t.out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Every page but the search page (the mini site has no unused
        // term) is in the sitemap, by its folder's absolute URL.
        if rel.ends_with("index.html") && rel != "search/index.html" {
            let dir = rel.trim_end_matches("index.html");
            assert!(
                sitemap.contains(&format!("<loc>https://example.org/{dir}</loc>")),
                "{rel} is not in the sitemap"
            );
        }
    }
}

#[test]
fn timings_show_the_xref_steps() {
    let t = SiteTest::fixture("mini").build_with(&["--timings"]);
    for step in [
        "xref",
        "xref steps:",
        "related search",
        "figures",
        "text index",
        "related lists",
        "tag aggregates",
    ] {
        assert!(t.stdout.contains(step), "{step} missing:\n{}", t.stdout);
    }
}

/// Two briefs recommend opposite things on the same policy: the related
/// link between them is marked, and only that one.
#[test]
fn opposing_recommendations_are_marked() {
    let rec = |id: &str, brief: &str, order: u32, text: &str| {
        format!(
            "---\nid: {id}\nbrief: {brief}\norder: {order}\nsection: [\"Recommendations\"]\nparagraph: 9\nkind: recommendation\ncountries: [united-states, china]\ntechnologies: [quantum-computing]\npolicies: [export-controls]\ncites: []\n---\n{text}\n"
        )
    };
    let t = SiteTest::fixture("mini")
        .write(
            "content/claims/alpha-2024-quantum/0010.md",
            &rec(
                "alpha-2024-quantum-0010",
                "alpha-2024-quantum",
                100,
                "Washington should impose export controls on quantum computers sold to Chinese laboratories.",
            ),
        )
        .write(
            "content/claims/beta-2025-volume/0007.md",
            &rec(
                "beta-2025-volume-0007",
                "beta-2025-volume",
                70,
                "Washington should avoid export controls on quantum computers sold to Chinese laboratories for now.",
            ),
        )
        .build();
    let page = t.read("claims/alpha-2024-quantum-0010/index.html");
    let related = &page[page.find("id=\"h-related\"").expect("a related section")..];
    let item = &related[related
        .find("href=\"../../claims/beta-2025-volume-0007/index.html\"")
        .expect("the two are related")..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(item.contains("opposing recommendation"), "{item}");
    t.assert_page(
        "claims/beta-2025-volume-0007/index.html",
        "opposing recommendation",
    )
    .assert_page_lacks(
        "claims/alpha-2024-quantum-0006/index.html",
        "opposing recommendation",
    );
}
