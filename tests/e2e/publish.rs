//! What publishing needs beyond the pages: the search index and page, the
//! Atom feeds, page metadata (descriptions, Open Graph, JSON-LD), the
//! claims as CSV and JSON, the list of every claim, sorted term lists, the
//! sitemap with and without a base URL, a 404 page that works at any
//! depth, `crossbrief check`, and output that names no path of the
//! machine it was built on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use quick_xml::events::Event;

use crate::harness::SiteTest;

const BASE: &str = "https://example.org/briefs-site/";

/// Every element of an XML document, as (path of element names, text),
/// e.g. (`feed/entry/id`, `tag:…`); fails on malformed XML.
fn xml_elements(text: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    // The open elements, as (name, index in `out`).
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    let path = |open: &[(String, usize)]| {
        open.iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    loop {
        let text_of_open = |out: &mut Vec<(String, String)>, open: &[(String, usize)], s: &str| {
            if let Some((_, i)) = open.last() {
                out[*i].1.push_str(s);
            }
        };
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("bad XML: {e}\n{text}"))
        {
            Event::Start(e) => {
                open.push((e.name().as_ref().to_string(), out.len()));
                out.push((path(&open), String::new()));
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let mut attrs = String::new();
                for a in e.attributes() {
                    let a = a.unwrap();
                    attrs.push_str(&format!(
                        "{}={};",
                        a.key.as_ref(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                    ));
                }
                let p = path(&open);
                out.push((format!("{p}/{name}"), attrs));
            }
            Event::Text(t) => text_of_open(&mut out, &open, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                text_of_open(&mut out, &open, c);
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    for (_, t) in &mut out {
        *t = t.trim().to_string();
    }
    out
}

fn texts<'a>(els: &'a [(String, String)], path: &str) -> Vec<&'a str> {
    els.iter()
        .filter(|(p, _)| p == path)
        .map(|(_, t)| t.as_str())
        .collect()
}

/// Checks the required Atom elements of a feed and returns its entries'
/// ids; the feed's `updated` is its newest entry's.
fn check_atom(text: &str) -> Vec<String> {
    let els = xml_elements(text);
    for required in ["feed/id", "feed/title", "feed/updated", "feed/author/name"] {
        assert_eq!(texts(&els, required).len(), 1, "{required}:\n{text}");
        assert!(!texts(&els, required)[0].is_empty(), "{required} is empty");
    }
    let entries = texts(&els, "feed/entry").len();
    assert!(entries > 0, "no entries:\n{text}");
    for required in ["feed/entry/id", "feed/entry/title", "feed/entry/updated"] {
        assert_eq!(texts(&els, required).len(), entries, "{required}");
    }
    let links: Vec<&str> = texts(&els, "feed/entry/link");
    assert_eq!(links.len(), entries, "one link per entry");
    assert!(links.iter().all(|l| l.contains("rel=alternate;")));
    let mut updated: Vec<&str> = texts(&els, "feed/entry/updated");
    for u in &updated {
        assert!(
            u.len() == 20 && u.ends_with("T00:00:00Z"),
            "RFC 3339 date: {u}"
        );
    }
    updated.sort();
    assert_eq!(texts(&els, "feed/updated")[0], *updated.last().unwrap());
    let ids: Vec<String> = texts(&els, "feed/entry/id")
        .into_iter()
        .map(String::from)
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "entry ids are unique");
    ids
}

/// The JSON-LD of a page, parsed.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

fn meta_description(page: &str) -> String {
    let start = page
        .find("<meta name=\"description\" content=\"")
        .expect("a description")
        + "<meta name=\"description\" content=\"".len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end].to_string()
}

#[test]
fn the_search_index_and_page_are_built() {
    for fixture in ["mini", "taxonomies"] {
        let t = SiteTest::fixture(fixture).build();
        let entry: serde_json::Value =
            serde_json::from_str(&t.read("pagefind/pagefind-entry.json")).unwrap();
        let hash = entry["languages"]["en"]["hash"].as_str().unwrap();
        // 2 brief pages and 14 claims.
        assert_eq!(entry["languages"]["en"]["page_count"], 16);
        let t = t
            .assert_file(&format!("pagefind/pagefind.{hash}.pf_meta"))
            .assert_file("pagefind/pagefind.js")
            .assert_file("pagefind/wasm.en.pagefind");
        let count = |dir: &str| {
            std::fs::read_dir(t.out.join("pagefind").join(dir))
                .unwrap()
                .count()
        };
        assert_eq!(count("fragment"), 16, "{fixture}");
        assert!(count("index") >= 1);
        // brief, each taxonomy, kind and year.
        let taxonomies = if fixture == "taxonomies" { 4 } else { 3 };
        assert_eq!(count("filter"), taxonomies + 3, "{fixture}");
        // The search page offers every filter, a taxonomy's by its name.
        let search = t.read("search/index.html");
        assert!(search.contains("id=\"search-q\""));
        assert!(search.contains("src=\"../search.js\" data-root=\"../\""));
        if fixture == "taxonomies" {
            assert!(search.contains("&quot;organisations&quot;"), "{search}");
            assert!(search.contains("&quot;Organisations&quot;"));
        }
        // The links to browse instead, for when search cannot load.
        assert!(search.contains("id=\"search-unavailable\""));
        assert!(search.contains("href=\"../countries/index.html\""));
        t.assert_file("search.js");
    }
}

#[test]
fn every_page_has_the_search_box() {
    let t = SiteTest::fixture("mini").build();
    for (page, root) in [
        ("index.html", ""),
        ("claims/alpha-2024-quantum-0001/index.html", "../../"),
        ("countries/china/page/2/index.html", "../../../../"),
    ] {
        let html = t.read(page);
        assert!(
            html.contains(&format!(
                "<form class=\"search-box\" role=\"search\" action=\"{root}search/index.html\" method=\"get\">"
            )),
            "{page}"
        );
        assert!(html.contains("name=\"q\""), "{page}");
        // From disk the box says so, and offers the lists instead.
        assert!(html.contains("Search works when the site is served over HTTP"));
        assert!(html.contains("location.protocol===\"file:\""));
    }
}

#[test]
fn feeds_are_valid_atom_with_stable_ids() {
    let t = SiteTest::fixture("mini").build();
    let site = t.read("atom.xml");
    let ids = check_atom(&site);
    assert_eq!(
        ids,
        [
            "tag:mini-briefs,2025-01-15:briefs/beta-2025-volume",
            "tag:mini-briefs,2024-03:briefs/alpha-2024-quantum"
        ]
    );
    // The newest brief first, with its summary and key claims.
    assert!(site.contains(
        "<summary>How the United States and China compete in quantum technology.</summary>"
    ));
    assert!(site.contains("Key claims"), "{site}");
    let china = t.read("countries/china/atom.xml");
    let ids = check_atom(&china);
    assert!(
        ids.iter().all(|i| i.starts_with("tag:mini-briefs,")),
        "{ids:?}"
    );
    assert!(
        ids[0].contains(":claims/beta-2025-volume-"),
        "newest first: {ids:?}"
    );
    assert!(
        china.contains("href=\"../../claims/"),
        "links relative to the feed"
    );
    let page = t.read("countries/china/index.html");
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Mini briefs (Atom feed)\" href=\"../../atom.xml\">"
    ));
    assert!(page.contains("type=\"application/atom+xml\" title=\"China (Countries) · Mini briefs\" href=\"../../countries/china/atom.xml\">"));
    // Every page announces the site's feed.
    assert!(t
        .read("claims/alpha-2024-quantum-0003/index.html")
        .contains("href=\"../../atom.xml\">"));
    // With a base URL, ids and links are absolute URLs.
    let t = SiteTest::fixture("mini").build_with(&["--base-url", BASE]);
    let ids = check_atom(&t.read("atom.xml"));
    assert_eq!(ids[0], format!("{BASE}briefs/beta-2025-volume/"));
    let china = t.read("countries/china/atom.xml");
    assert!(china.contains(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}countries/china/atom.xml\"/>")));
    assert!(check_atom(&china)
        .iter()
        .all(|i| i.starts_with(&format!("{BASE}claims/"))));
}

#[test]
fn feeds_escape_what_the_content_holds() {
    let t = SiteTest::fixture("mini")
        .edit(
            "content/claims/beta-2025-volume/0001.md",
            "\n---\n",
            "\n---\nTags <script>alert(\"x\")</script> & \u{1}more: ",
        )
        .edit(
            "content/site.yaml",
            "title: \"Mini briefs\"",
            "title: \"Mini <briefs> & co\"",
        )
        .build();
    for feed in [
        "atom.xml",
        "countries/china/atom.xml",
        "policies/alliances/atom.xml",
    ] {
        if t.out.join(feed).is_file() {
            check_atom(&t.read(feed));
        }
    }
    let all: String = walkdir::WalkDir::new(t.out.join("countries"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() == "atom.xml")
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    // The claim's HTML (where Markdown already escaped the tag) is
    // escaped again as the feed's text.
    assert!(all.contains("Tags &amp;lt;script&amp;gt;"), "{all}");
    assert!(!all.contains("<script>") && !all.contains('\u{1}'));
}

#[test]
fn pages_describe_themselves() {
    let t = SiteTest::fixture("mini").build();
    let pages = [
        "index.html",
        "briefs/index.html",
        "briefs/alpha-2024-quantum/index.html",
        "claims/alpha-2024-quantum-0003/index.html",
        "countries/index.html",
        "countries/china/index.html",
        "countries/japan/index.html",
        "claims/index.html",
        "search/index.html",
    ];
    let descriptions: Vec<String> = pages.iter().map(|p| meta_description(&t.read(p))).collect();
    let unique: BTreeSet<&String> = descriptions.iter().collect();
    assert_eq!(unique.len(), pages.len(), "{descriptions:#?}");
    assert_eq!(
        descriptions[0],
        "A small site used by the end-to-end tests."
    );
    assert_eq!(
        descriptions[2],
        "How the United States and China compete in quantum technology."
    );
    assert_eq!(
        descriptions[3],
        "The United States leads in quantum computing, and China is catching up."
    );
    assert_eq!(descriptions[5], "The People’s Republic of China.");
    assert!(
        descriptions[6].contains("about Japan (country)"),
        "{}",
        descriptions[6]
    );
    // Open Graph, with og:url and a canonical link only with a base URL.
    let claim = t.read("claims/alpha-2024-quantum-0003/index.html");
    assert!(claim.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(claim.contains("<meta property=\"og:title\" content=\"The United States leads in quantum computing, and China is catching…\">"));
    assert!(!claim.contains("og:url") && !claim.contains("rel=\"canonical\""));
    let t = SiteTest::fixture("mini").build_with(&["--base-url", BASE]);
    let claim = t.read("claims/alpha-2024-quantum-0003/index.html");
    assert!(claim.contains(&format!(
        "<meta property=\"og:url\" content=\"{BASE}claims/alpha-2024-quantum-0003/\">"
    )));
    assert!(t
        .read("index.html")
        .contains("<meta property=\"og:type\" content=\"website\">"));
}

#[test]
fn json_ld_describes_briefs_and_claims() {
    let t = SiteTest::fixture("mini")
        .edit(
            "content/claims/alpha-2024-quantum/0003.md",
            "catching up.",
            "catching up &lt;/script&gt;&lt;!-- \"quoted\".",
        )
        .build_with(&["--base-url", BASE]);
    let brief = json_ld(&t.read("briefs/alpha-2024-quantum/index.html"));
    assert_eq!(brief["@context"], "https://schema.org");
    assert_eq!(brief["@type"], "Report");
    assert_eq!(brief["name"], "Alpha: The Quantum Race");
    assert_eq!(brief["author"][0]["name"], "Ann Author");
    assert_eq!(brief["author"][1]["@type"], "Person");
    assert_eq!(brief["publisher"]["name"], "Alpha Institute");
    assert_eq!(brief["datePublished"], "2024-03");
    assert_eq!(brief["url"], format!("{BASE}briefs/alpha-2024-quantum/"));
    let page = t.read("claims/alpha-2024-quantum-0003/index.html");
    // The text cannot end the script element.
    assert_eq!(
        page.matches("</script>").count(),
        page.matches("<script").count()
    );
    let claim = json_ld(&page);
    assert_eq!(claim["@type"], "Quotation");
    assert!(claim["text"]
        .as_str()
        .unwrap()
        .ends_with("catching up </script><!– “quoted”."));
    assert_eq!(claim["isPartOf"]["@type"], "Report");
    assert_eq!(claim["isPartOf"]["name"], "Alpha: The Quantum Race");
    assert_eq!(
        claim["citation"]["url"],
        format!("{BASE}briefs/alpha-2024-quantum/")
    );
    assert_eq!(claim["creator"][0]["name"], "Ann Author");
    assert_eq!(
        claim["url"],
        format!("{BASE}claims/alpha-2024-quantum-0003/")
    );
    assert!(claim["keywords"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("China")));
}

#[test]
fn claims_download_as_csv_and_json() {
    let t = SiteTest::fixture("mini")
        .edit(
            "content/claims/alpha-2024-quantum/0003.md",
            "The United States leads",
            "=cmd|' /C calc'!A0 The United States leads",
        )
        .build();
    let home = t.read("index.html");
    assert!(home.contains("href=\"data/claims.csv\""));
    assert!(home.contains("href=\"data/claims.json\""));
    let bytes = std::fs::read(t.out.join("data/claims.csv")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "brief",
            "order",
            "chapter",
            "section",
            "kind",
            "countries",
            "technologies",
            "policies",
            "cites",
            "text",
            "url"
        ]
    );
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 14);
    let r = rows
        .iter()
        .find(|r| r["id"] == "alpha-2024-quantum-0003")
        .unwrap();
    assert_eq!(r["section"], "Introduction > Computing");
    assert_eq!(r["countries"], "china;united-states");
    assert_eq!(r["cites"], "2;10");
    assert_eq!(r["url"], "claims/alpha-2024-quantum-0003/index.html");
    // A formula is neutralised, not run.
    assert!(r["text"].starts_with("'=cmd|"), "{}", r["text"]);
    let json: serde_json::Value = serde_json::from_str(&t.read("data/claims.json")).unwrap();
    let claims = json.as_array().unwrap();
    assert_eq!(claims.len(), 14);
    let ids: BTreeSet<&str> = claims.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let csv_ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, csv_ids);
    let c = claims
        .iter()
        .find(|c| c["id"] == "alpha-2024-quantum-0003")
        .unwrap();
    assert_eq!(
        c["section"],
        serde_json::json!(["Introduction", "Computing"])
    );
    assert_eq!(
        c["countries"],
        serde_json::json!(["china", "united-states"])
    );
    assert_eq!(c["kind"], "claim");
    assert_eq!(c["order"], 3);
    // JSON keeps the text as written.
    assert!(c["text"].as_str().unwrap().starts_with("=cmd"));
    // With a base URL, the URLs are absolute.
    let t = SiteTest::fixture("taxonomies").build_with(&["--base-url", BASE]);
    let text = t.read("data/claims.csv");
    assert!(text.lines().next().unwrap().contains(",organisations,"));
    assert!(text.contains(&format!(",{BASE}claims/alpha-2024-quantum-0001/\r\n")));
}

#[test]
fn every_claim_is_listed_page_by_page() {
    // 14 claims, 2 a page.
    let t = SiteTest::fixture("mini")
        .build()
        .assert_file("claims/page/7/index.html")
        .assert_no_file("claims/page/8/index.html")
        .assert_no_file("claims/page/1/index.html")
        .assert_page("claims/index.html", "14 claims from 2 briefs")
        .assert_page(
            "claims/index.html",
            "<a rel=\"next\" href=\"../claims/page/2/index.html\">",
        )
        .assert_page(
            "claims/page/2/index.html",
            "<a rel=\"prev\" href=\"../../../claims/index.html\">",
        )
        .assert_page("claims/page/7/index.html", "Claims 13–14 of 14")
        .assert_page("claims/page/7/index.html", "beta-2025-volume-0005")
        .assert_page("index.html", "href=\"claims/index.html\"");
    // Every claim, once, in reading order.
    let mut seen = Vec::new();
    for n in 1..=7 {
        let page = if n == 1 {
            t.read("claims/index.html")
        } else {
            t.read(&format!("claims/page/{n}/index.html"))
        };
        for part in page.split("id=\"item-").skip(1) {
            seen.push(part.split('"').next().unwrap().to_string());
        }
    }
    assert_eq!(seen.len(), 14);
    assert_eq!(seen[0], "alpha-2024-quantum-0001");
    assert_eq!(seen[13], "beta-2025-volume-0005");
}

/// (name, count) of the root terms listed on a taxonomy page, in order.
fn listed_roots(page: &str) -> Vec<(String, usize)> {
    page.split("<li class=\"term-root\">")
        .skip(1)
        .map(|li| {
            let name = li
                .split("\">")
                .nth(1)
                .unwrap()
                .split("</a>")
                .next()
                .unwrap();
            let count = li
                .split("<span class=\"count\">")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (name.to_string(), count)
        })
        .collect()
}

#[test]
fn term_lists_are_sorted_by_claims_then_name() {
    let t = SiteTest::fixture("taxonomies").build();
    for tax in ["countries", "technologies", "policies", "organisations"] {
        let roots = listed_roots(&t.read(&format!("{tax}/index.html")));
        assert!(!roots.is_empty(), "{tax}");
        for w in roots.windows(2) {
            assert!(
                w[0].1 > w[1].1
                    || (w[0].1 == w[1].1 && w[0].0.to_lowercase() < w[1].0.to_lowercase()),
                "{tax}: {roots:?}"
            );
        }
        assert!(roots.iter().all(|(_, n)| *n > 0), "{tax}: {roots:?}");
    }
    // The home page's most discussed terms, in the same order.
    let home = t.read("index.html");
    let countries = home
        .split("<h3><a href=\"countries/index.html\">")
        .nth(1)
        .unwrap();
    let countries = countries.split("</ul>").next().unwrap();
    let chips: Vec<(String, usize)> = countries
        .split("<a class=\"chip\"")
        .skip(1)
        .map(|c| {
            let name = c.split('>').nth(1).unwrap().trim().to_string();
            let count = c
                .split("<span class=\"count\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (name, count)
        })
        .collect();
    assert!(chips.len() >= 2, "{chips:?}");
    for w in chips.windows(2) {
        assert!(
            w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0),
            "{chips:?}"
        );
    }
}

#[test]
fn the_sitemap_needs_a_base_url() {
    let t = SiteTest::fixture("taxonomies").build();
    let sitemap = t.read("sitemap.xml");
    let els = xml_elements(&sitemap);
    assert_eq!(texts(&els, "urlset").len(), 1);
    assert!(texts(&els, "urlset/url").is_empty(), "{sitemap}");
    assert_eq!(
        t.stderr
            .matches("warning: sitemap.xml lists no URLs: set base_url in content/site.yaml or pass --base-url\n")
            .count(),
        1,
        "{}",
        t.stderr
    );
    let t = SiteTest::fixture("taxonomies").build_with(&["--base-url", BASE]);
    assert!(!t.stderr.contains("warning"), "{}", t.stderr);
    let sitemap = t.read("sitemap.xml");
    let locs = texts(&xml_elements(&sitemap), "urlset/url/loc")
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    assert!(locs.iter().all(|l| l.starts_with(BASE)), "{locs:?}");
    assert!(locs.contains(&format!("{BASE}claims/alpha-2024-quantum-0001/")));
    assert!(locs.contains(&format!("{BASE}claims/")));
    // Neither a term without claims nor the search page.
    assert!(!locs.iter().any(|l| l.contains("organisations/nist/")));
    assert!(!locs.contains(&format!("{BASE}search/")));
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
}

#[test]
fn the_404_page_works_at_any_depth() {
    let t = SiteTest::fixture("mini").build_with(&["--base-url", BASE]);
    let page = t.read("404.html");
    // Styled without finding the stylesheet, and links from the base path.
    assert!(page.contains("<style>/* crossbrief default theme"));
    for link in [
        "href=\"/briefs-site/style.css\"",
        "href=\"/briefs-site/index.html\"",
        "href=\"/briefs-site/briefs/index.html\"",
        "action=\"/briefs-site/search/index.html\"",
    ] {
        assert!(page.contains(link), "{link}");
    }
    assert!(
        !page.contains("pagefind-entry.json"),
        "no root finding needed"
    );
    let t = t.check_links(Some("/briefs-site/"));
    drop(t);
    // Without a base URL: root-relative links, and a script that finds
    // the root from the address.
    let t = SiteTest::fixture("mini").build();
    let page = t.read("404.html");
    assert!(page.contains("href=\"/index.html\""));
    assert!(page.contains("pagefind/pagefind-entry.json"));
    assert!(page.contains("[\"briefs\",\"claims\",\"search\",\"help\",\"data\",\"pagefind\",\"countries\",\"technologies\",\"policies\"]"));
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn check_passes_on_a_build_and_names_a_broken_link() {
    let t = SiteTest::fixture("mini").build().run(&["check"]);
    assert_eq!(t.success, Some(true), "{}\n{}", t.stdout, t.stderr);
    assert!(
        t.stdout
            .contains("pages in public/: every link and anchor resolves"),
        "{}",
        t.stdout
    );
    let page = t.out.join("claims/alpha-2024-quantum-0003/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        html.replacen(
            "href=\"../../briefs/index.html\"",
            "href=\"../../briefs/gone.html\"",
            1,
        )
        .replacen("#note-2\"", "#note-99\"", 1),
    )
    .unwrap();
    let t = t.run(&["check"]);
    assert_eq!(t.success, Some(false));
    assert!(t.stderr.contains(
        "public/claims/alpha-2024-quantum-0003/index.html: broken link ../../briefs/gone.html (no file briefs/gone.html)"
    ), "{}", t.stderr);
    assert!(t.stderr.contains(
        "public/claims/alpha-2024-quantum-0003/index.html: broken link ../../briefs/alpha-2024-quantum/index.html#note-99 (no id \"note-99\" in briefs/alpha-2024-quantum/index.html)"
    ), "{}", t.stderr);
    assert!(
        t.stderr.contains("2 broken links in public/"),
        "{}",
        t.stderr
    );
    // Content problems are the build's, and nothing is written.
    let t = t
        .edit(
            "content/claims/alpha-2024-quantum/0001.md",
            "countries: [united-states, china]",
            "countries: [united-states, chna]",
        )
        .run(&["check"]);
    assert_eq!(t.success, Some(false));
    assert!(t.stderr.contains("unknown country `chna`"), "{}", t.stderr);
    // A site under a sub-path is checked against its own base path.
    let t = SiteTest::fixture("mini")
        .build_with(&["--base-url", BASE])
        .run(&["check"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
}

/// Every text file of an output.
fn text_files(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().display().to_string(), text))
        })
        .collect()
}

#[test]
fn the_output_names_no_machine_path_or_local_server() {
    let t = SiteTest::fixture("mini").build();
    let root = t.root.display().to_string();
    let tmp = std::env::temp_dir().display().to_string();
    for (path, text) in text_files(&t.out) {
        assert!(!text.contains(&root), "{path} names {root}");
        assert!(!text.contains(&tmp), "{path} names {tmp}");
        assert!(
            !text.contains("localhost") && !text.contains("127.0.0.1"),
            "{path}"
        );
        assert!(!text.contains("file://"), "{path}");
    }
}
