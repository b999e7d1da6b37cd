//! Hostile input: paths that lead out of the site, symbolic links, binary
//! sources, and sizes that would make quadratic work hang. Every refusal
//! is a diagnostic naming the file, with a help line. The size cases take
//! about a second each in a debug build; they assert what bounds the work
//! (how many diagnostics, how many claims), not the time.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::harness::SiteTest;

const ALPHA: &str = "content/briefs/alpha-2024-quantum.yaml";
const C1: &str = "content/claims/alpha-2024-quantum/0001.md";

/// A file outside the site (next to its root, in the test's temp folder).
fn outside(t: &SiteTest, name: &str, text: &str) -> PathBuf {
    let p = t.root.parent().unwrap().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Replaces (or creates) `rel` in the site by a symbolic link to `target`.
fn link(t: SiteTest, rel: &str, target: &Path) -> SiteTest {
    let p = t.root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&p);
    symlink(target, &p).unwrap();
    t
}

/// Runs `crossbrief ARGS`; it must fail.
fn fails(t: SiteTest, args: &[&str]) -> SiteTest {
    let t = t.run(args);
    assert_eq!(t.success, Some(false), "{args:?} succeeded:\n{}", t.stdout);
    t
}

const OUTSIDE_HELP: &str = "help: copy the file into the site instead";

#[test]
fn a_source_that_leaves_the_site_is_refused_by_build_and_ingest() {
    let t = SiteTest::fixture("mini").edit(
        ALPHA,
        "source: alpha-2024-quantum.txt",
        "source: ../../etc/passwd",
    );
    let want = "error: content/briefs/alpha-2024-quantum.yaml:6: bad source path `../../etc/passwd`: it leads out of content/sources/ (`..`)\n  help: name a file inside content/sources/";
    let t = t.build_fails().assert_stderr(want);
    fails(t, &["ingest", "alpha-2024-quantum"]).assert_stderr(want);
}

#[test]
fn an_absolute_or_odd_source_is_refused() {
    let t = SiteTest::fixture("mini").edit(
        ALPHA,
        "source: alpha-2024-quantum.txt",
        "source: /etc/passwd",
    );
    let want = "bad source path `/etc/passwd`: it is an absolute path";
    let t = t.build_fails().assert_stderr(want);
    let t = fails(t, &["ingest", "alpha-2024-quantum"]).assert_stderr(want);
    let t = t
        .edit(ALPHA, "source: /etc/passwd", "source: \"a\\\\b.txt\"")
        .build_fails()
        .assert_stderr("bad source path `a\\\\b.txt`: it contains a backslash");
    t.edit(ALPHA, "source: \"a\\\\b.txt\"", "source: \"a\\tb.txt\"")
        .build_fails()
        .assert_stderr("bad source path `a\\tb.txt`: it contains a control character");
}

#[test]
fn a_source_linked_to_a_file_outside_is_refused() {
    let t = SiteTest::fixture("mini");
    let secret = outside(&t, "passwd", "root:x:0:0\n");
    let t = link(t, "content/sources/alpha-2024-quantum.txt", &secret);
    let want = "error: content/sources/alpha-2024-quantum.txt: a symbolic link to a file outside the site (";
    let t = t
        .build_fails()
        .assert_stderr(want)
        .assert_stderr(OUTSIDE_HELP);
    // One problem, one message: not also "does not exist".
    assert!(!t.stderr.contains("does not exist"), "{}", t.stderr);
    let t = fails(t, &["ingest", "alpha-2024-quantum"]).assert_stderr(want);
    let claims = t.root.join("content/claims/alpha-2024-quantum");
    assert_eq!(
        std::fs::read_dir(claims).unwrap().count(),
        9,
        "ingest wrote claims"
    );
    // A link to another file of the site that is not a source is refused
    // by ingest too.
    let t = link(
        t,
        "content/sources/alpha-2024-quantum.txt",
        Path::new("../site.yaml"),
    );
    fails(t, &["ingest", "alpha-2024-quantum"]).assert_stderr(
        "error: content/sources/alpha-2024-quantum.txt: a symbolic link to a file outside content/sources/ (content/site.yaml)",
    );
}

#[test]
fn links_inside_the_site_are_followed() {
    let t = SiteTest::fixture("mini");
    let drafts = t.root.join("drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    std::fs::rename(t.root.join(C1), drafts.join("0001.md")).unwrap();
    std::fs::rename(
        t.root.join("content/sources/alpha-2024-quantum.txt"),
        t.root.join("content/sources/real.txt"),
    )
    .unwrap();
    let t = link(t, C1, Path::new("../../../drafts/0001.md"));
    let t = link(
        t,
        "content/sources/alpha-2024-quantum.txt",
        Path::new("real.txt"),
    );
    t.build()
        .assert_page("claims/alpha-2024-quantum-0001/index.html", "strategic");
}

#[test]
fn site_yaml_linked_outside_is_refused_by_build_and_tag() {
    let t = SiteTest::fixture("mini");
    let target = outside(&t, "site.yaml", "title: Elsewhere\n");
    let t = link(t, "content/site.yaml", &target);
    let want = "error: content/site.yaml: a symbolic link to a file outside the site (";
    let t = t
        .build_fails()
        .assert_stderr(want)
        .assert_stderr(OUTSIDE_HELP);
    assert!(
        !t.stderr.contains("missing site configuration"),
        "{}",
        t.stderr
    );
    fails(t, &["tag"]).assert_stderr(want);
}

#[test]
fn a_vocabulary_linked_outside_is_refused_by_build_and_tag() {
    let t = SiteTest::fixture("mini");
    let text = std::fs::read_to_string(t.root.join("content/taxonomy/countries.yaml")).unwrap();
    let target = outside(&t, "countries.yaml", &text);
    let t = link(t, "content/taxonomy/countries.yaml", &target);
    let want =
        "error: content/taxonomy/countries.yaml: a symbolic link to a file outside the site (";
    let t = t
        .build_fails()
        .assert_stderr(want)
        .assert_stderr(OUTSIDE_HELP);
    // Not reported as a missing vocabulary.
    assert!(!t.stderr.contains("missing vocabulary"), "{}", t.stderr);
    fails(t, &["tag"]).assert_stderr(want);
}

#[test]
fn a_claim_linked_outside_is_refused() {
    let t = SiteTest::fixture("mini");
    let text = std::fs::read_to_string(t.root.join(C1)).unwrap();
    let target = outside(&t, "0001.md", &text);
    let t = link(t, C1, &target);
    let want = "error: content/claims/alpha-2024-quantum/0001.md: a symbolic link to a file outside the site (";
    let t = t
        .build_fails()
        .assert_stderr(want)
        .assert_stderr(OUTSIDE_HELP);
    fails(t, &["tag", "alpha-2024-quantum"]).assert_stderr(want);
}

#[test]
fn a_brief_linked_outside_is_refused_by_build_and_ingest() {
    let t = SiteTest::fixture("mini");
    let text = std::fs::read_to_string(t.root.join(ALPHA)).unwrap();
    let target = outside(&t, "alpha.yaml", &text);
    let t = link(t, ALPHA, &target);
    let want = "error: content/briefs/alpha-2024-quantum.yaml: a symbolic link to a file outside the site (";
    let t = t.build_fails().assert_stderr(want);
    let _t = fails(t, &["ingest", "alpha-2024-quantum"]).assert_stderr(want);
    // Ingest wrote nothing through the link.
    assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
}

#[test]
fn a_template_or_static_file_linked_outside_is_refused() {
    let t = SiteTest::fixture("mini");
    let target = outside(&t, "claim.html", "{{ secret }}");
    let t = link(t, "templates/claim.html", &target);
    let t = t
        .build_fails()
        .assert_stderr("error: templates/claim.html: a symbolic link to a file outside the site (")
        .assert_stderr(OUTSIDE_HELP);
    std::fs::remove_file(t.root.join("templates/claim.html")).unwrap();
    let target = outside(&t, "id_rsa", "PRIVATE KEY");
    let t = link(t, "static/key.txt", &target);
    let t = t
        .build_fails()
        .assert_stderr("error: static/key.txt: a symbolic link to a file outside the site (")
        .assert_stderr(OUTSIDE_HELP);
    assert!(!t.out.join("key.txt").exists());
}

#[test]
fn a_symlink_loop_under_claims_is_an_error_not_a_hang() {
    let t = SiteTest::fixture("mini");
    let t = link(t, "content/claims/alpha-2024-quantum/up", Path::new(".."));
    let t = link(
        t,
        "content/claims/alpha-2024-quantum/self.md",
        Path::new("self.md"),
    );
    let t = t.build_fails();
    t.assert_stderr("error: content/claims/alpha-2024-quantum/up: a symbolic link loop")
        .assert_stderr("error: content/claims/alpha-2024-quantum/self.md: a symbolic link loop")
        .assert_stderr("2 errors in content/");
}

#[test]
fn a_binary_source_is_not_ingested() {
    let t = SiteTest::fixture("mini")
        .write(
            "content/briefs/gamma-2024-binary.yaml",
            "id: gamma-2024-binary\ntitle: \"Gamma\"\npublisher: Gamma\npublished: \"2024\"\nsource: gamma.pdf\n",
        )
        .write("content/sources/gamma.pdf", "%PDF-1.7\n\0\0\u{1}\u{2}stream\n");
    let t = fails(t, &["ingest", "gamma-2024-binary"])
        .assert_stderr(
            "error: content/sources/gamma.pdf: the source is not text: it contains NUL bytes",
        )
        .assert_stderr("help: ingest reads plain text: convert the document first");
    assert!(!t.root.join("content/claims/gamma-2024-binary").exists());
    // Mostly control characters, no NUL.
    let junk: String = (0..4000).map(|i| char::from(1 + (i % 8) as u8)).collect();
    let t = t.write("content/sources/gamma.pdf", &format!("Title\n{junk}"));
    fails(t, &["ingest", "gamma-2024-binary"])
        .assert_stderr("are not text (invalid UTF-8 or control characters)");
}

/// The first claim of the mini site with `list` as its countries.
fn with_countries(t: SiteTest, list: &str) -> SiteTest {
    t.edit(
        C1,
        "countries: [united-states, china]",
        &format!("countries: [{list}]"),
    )
}

#[test]
fn a_claim_with_100000_unknown_tags_fails_fast_with_few_diagnostics() {
    let tags: Vec<String> = (0..100_000)
        .map(|i| format!("no-such-country-{i}"))
        .collect();
    let t = with_countries(SiteTest::fixture("mini"), &tags.join(", "));
    let t = t.build_fails();
    t.assert_stderr(
        "error: content/claims/alpha-2024-quantum/0001.md:8: unknown country `no-such-country-0`",
    )
    .assert_stderr(
        "error: content/claims/alpha-2024-quantum/0001.md:8: … and 99980 more unknown countries in this claim\n  help: the first 20 are listed above; known ids are in content/taxonomy/countries.yaml",
    )
    .assert_stderr("21 errors in content/");
}

#[test]
fn a_claim_with_100000_copies_of_one_tag_builds() {
    let tags = vec!["china"; 100_000].join(", ");
    let t = with_countries(SiteTest::fixture("mini"), &tags);
    let t = t.build();
    t.assert_page("countries/china/index.html", "alpha-2024-quantum-0001");
}

/// A technologies vocabulary with a chain of `depth` terms under
/// `semiconductors`, each the parent of the next.
fn chain(t: SiteTest, depth: usize) -> SiteTest {
    let path = t.root.join("content/taxonomy/technologies.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut parent = "semiconductors".to_string();
    for i in 0..depth {
        text.push_str(&format!(
            "- {{id: level-{i}, name: Level {i}, parent: {parent}, aliases: [level {i} chips]}}\n"
        ));
        parent = format!("level-{i}");
    }
    std::fs::write(path, text).unwrap();
    t
}

#[test]
fn a_5000_level_parent_chain_is_checked_through_the_build() {
    // A planted error stops the build after validation: what is timed is
    // loading, parsing and checking the vocabulary and a claim tagged with
    // the deepest term (rendering is the next test's).
    let t = chain(SiteTest::fixture("mini"), 5000)
        .edit(
            C1,
            "technologies: [quantum-technology]",
            "technologies: [quantum-technology, level-4999]",
        )
        .edit(C1, "paragraph: 1\n", "paragraph: -1\n");
    let t = t.build_fails();
    let t = t
        .assert_stderr("`paragraph` must not be negative")
        .assert_stderr("1 error in content/");
    // The tagger on the same vocabulary: a claim naming the deepest term.
    let t = t.edit(C1, "paragraph: -1\n", "paragraph: 1\n").edit(
        C1,
        "Quantum technology is",
        "Level 4999 chips and level 2500 chips show that quantum technology is",
    );
    let t = t.run(&["tag"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let claim = std::fs::read_to_string(t.root.join(C1)).unwrap();
    assert!(claim.contains("level-2500, level-4999"), "{claim}");
}

#[test]
fn a_5000_level_parent_chain_builds() {
    // A term page's breadcrumb shows the root and the nearest eight
    // ancestors, so the 5,000 pages hold a bounded number of links each
    // (every ancestor on every page was 12.5 million links, 800 MB).
    let t = chain(SiteTest::fixture("mini"), 5000).edit(
        C1,
        "technologies: [quantum-technology]",
        "technologies: [quantum-technology, level-4999]",
    );
    t.build()
        .assert_page("technologies/level-0/index.html", "alpha-2024-quantum-0001")
        .assert_page("technologies/level-4999/index.html", ">Level 4998<")
        .assert_page("technologies/level-4999/index.html", ">Level 4991<")
        .assert_page_lacks("technologies/level-4999/index.html", ">Level 4990<")
        .assert_page(
            "technologies/level-4999/index.html",
            "4991 broader terms not shown",
        )
        .assert_page_lacks("technologies/level-4999/index.html", ">Level 0<")
        .assert_page("technologies/level-4999/index.html", ">Semiconductors<");
}

#[test]
fn a_source_of_one_paragraph_repeated_ingests_once_per_sentence() {
    let para = "Quantum computing research in the United States and Japan has grown quickly over the past decade. Governments should fund more joint laboratories.\n\n";
    let t = SiteTest::fixture("mini")
        .write(
            "content/briefs/delta-2024-repeat.yaml",
            "id: delta-2024-repeat\ntitle: \"Delta\"\npublisher: Delta\npublished: \"2024\"\nsource: delta.txt\n",
        )
        .write("content/sources/delta.txt", &para.repeat(3000));
    let t = t.run(&["ingest", "delta-2024-repeat", "--quiet"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let dir = t.root.join("content/claims/delta-2024-repeat");
    let mut bodies: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            text.rsplit("---\n").next().unwrap().trim().to_string()
        })
        .collect();
    bodies.sort();
    // The copies after the first are detected as repeats: one claim per
    // distinct sentence.
    assert_eq!(
        bodies,
        [
            "Governments should fund more joint laboratories.",
            "Quantum computing research in the United States and Japan has grown quickly over the past decade."
        ]
    );
    assert!(
        t.stdout.contains("ingested delta-2024-repeat: 2 claims"),
        "{}",
        t.stdout
    );
}

/// Markup that would run script if it reached a page as HTML: raw tags,
/// event handlers, script URLs, and break-outs of `<title>`, `<script>` and
/// attribute values.
const XSS: &str = r#"<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=javascript:alert(3)></iframe><svg onload=alert(4)></svg></title><script>alert(5)</script></script><script>alert(6)</script>" onmouseover="alert(7) [a](javascript:alert(8)) [b](JaVaScRiPt:alert(9)) [c](data:text/html,alert(10)) ![d](javascript:alert(11)) <javascript:alert(12)>"#;

/// The markup in `html` that could run script: an `<iframe>`, `<object>`,
/// `<embed>` or `<math>` element (an `<svg>`, which the built-in charts
/// are, counts by its handlers, scripts and links like any element), a `<script>` holding the
/// payload's `alert(` (JSON-LD only if it is not whole JSON), an `on…=` attribute, or an `href`/`src`/`action`
/// that is a `javascript:` or `data:` URL. Text (where `<` is escaped) is
/// never markup.
fn live_markup(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = lower[i..].find('<') {
        let start = i + at;
        let rest = &lower[start + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let end = rest.find('>').map_or(lower.len(), |e| start + 1 + e);
        i = start + 1;
        if name.is_empty() {
            continue;
        }
        let tag = &lower[start..end];
        if matches!(name.as_str(), "iframe" | "object" | "embed" | "math") {
            found.push(tag.to_string());
        }
        if name == "script" {
            let body = lower.get(end + 1..).unwrap_or("");
            let body = &body[..body.find("</script").unwrap_or(body.len())];
            // JSON-LD is data as long as it is whole JSON (nothing broke
            // out of it); any other script must not hold the payload.
            let data = tag.contains("application/ld+json")
                && serde_json::from_str::<serde_json::Value>(body).is_ok();
            if body.contains("alert(") && !data {
                found.push(format!("{tag}>{body}"));
            }
        }
        // Attributes as a browser reads them: name, `=`, a quoted or bare
        // value (whose text is never an attribute).
        let mut attrs =
            tag[1 + name.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        while !attrs.is_empty() {
            let n = attrs
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(attrs.len())
                .max(1);
            let attr = &attrs[..n];
            attrs = attrs[n..].trim_start();
            let mut value = "";
            if let Some(rest) = attrs.strip_prefix('=') {
                let rest = rest.trim_start();
                let (v, after) = match rest.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let body = &rest[1..];
                        let close = body.find(q).unwrap_or(body.len());
                        (&body[..close], body.get(close + 1..).unwrap_or(""))
                    }
                    _ => {
                        let close = rest.find(char::is_whitespace).unwrap_or(rest.len());
                        (&rest[..close], &rest[close..])
                    }
                };
                value = v.trim();
                attrs = after;
            }
            attrs = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if attr.starts_with("on") && attr.len() > 2
                || matches!(
                    attr,
                    "href" | "xlink:href" | "src" | "action" | "formaction"
                ) && (value.starts_with("javascript:") || value.starts_with("data:"))
            {
                found.push(tag.to_string());
            }
        }
    }
    found
}

#[test]
fn live_markup_finds_what_runs_and_passes_text() {
    assert!(live_markup("<p>&lt;script&gt;alert(1) onerror=x &lt;iframe</p>").is_empty());
    assert!(live_markup(
        "<svg class=\"chart\" role=\"group\"><title>t</title><a href=\"../x/\"><rect/></a></svg>"
    )
    .is_empty());
    assert!(
        live_markup("<a href=\"https://x\" title=\"on=1\">x</a><script>let a = 1;</script>")
            .is_empty()
    );
    for live in [
        "<IFRAME src=x>",
        "<svg onload=alert(1)>",
        "<svg><a xlink:href=\"javascript:alert(1)\">",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<p class=\"x\" onmouseover=\"alert(1)\">",
        "<a href=\" javascript:alert(1)\">",
        "<a HREF='data:text/html,x'>",
    ] {
        assert_eq!(live_markup(live).len(), 1, "{live}");
    }
}

/// The HTML a feed carries (the text of each `<content type="html">`,
/// unescaped once), which a feed reader renders as HTML.
fn feed_html(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in xml.split("type=\"html\">").skip(1) {
        let text = part.split("</").next().unwrap_or("");
        out.push(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        );
    }
    out
}

#[test]
fn raw_html_and_script_urls_in_every_field_cannot_run_script() {
    let q = XSS.replace('\'', "''");
    let t = SiteTest::fixture("mini")
        .edit(
            C1,
            "between the United States and China.",
            &format!("between the United States and China. {XSS}"),
        )
        .edit(
            C1,
            "section: [\"Introduction\"]",
            &format!("section: ['{q}']"),
        )
        .edit(
            ALPHA,
            "title: \"Alpha: The Quantum Race\"",
            &format!("title: 'Alpha {q}'"),
        )
        .edit(
            ALPHA,
            "subtitle: \"Competition and cooperation\"",
            &format!("subtitle: '{q}'"),
        )
        .edit(
            ALPHA,
            "publisher: Alpha Institute",
            &format!("publisher: 'Alpha {q}'"),
        )
        .edit(
            ALPHA,
            "authors: [Ann Author, Bo Writer]",
            &format!("authors: ['{q}', Bo Writer]"),
        )
        .edit(
            ALPHA,
            "  Ann Author studies technology policy.",
            &format!("  Ann Author {XSS}"),
        )
        .edit(
            ALPHA,
            "  How the United States and China compete",
            &format!("  {XSS}\n  How the United States and China compete"),
        )
        .edit(
            ALPHA,
            "\"Ministry of Science, *Quantum Plan*, 2023.\"",
            &format!("'{q}'"),
        )
        .edit(
            ALPHA,
            "\"Author, A. (2023). *Quantum Things*.\"",
            &format!("'{q}'"),
        )
        .edit(
            "content/site.yaml",
            "title: \"Mini briefs\"",
            &format!("title: 'Mini {q}'"),
        )
        .edit(
            "content/site.yaml",
            "description: \"A *small* site used by the end-to-end tests.\"",
            &format!("description: '{q}'"),
        )
        .edit(
            "content/site.yaml",
            "author: \"crossbrief tests\"",
            &format!("author: '{q}'"),
        )
        .edit(
            "content/taxonomy/technologies.yaml",
            "  name: Quantum technology\n  description: The field as a whole.",
            &format!("  name: 'Quantum {q}'\n  description: '{q}'"),
        );
    let t = t.build();
    // The text is still there, shown as text.
    let page = t.read("claims/alpha-2024-quantum-0001/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&t.out) {
        let entry = entry.unwrap();
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "xml" | "txt" | "js") {
            continue;
        }
        let raw = std::fs::read_to_string(path).unwrap();
        // XML is checked for raw markup and for the HTML its feeds carry;
        // its plain-text elements hold the payload escaped, as text.
        let texts = if ext == "xml" {
            assert!(!raw.contains("<script"), "{}", path.display());
            feed_html(&raw)
        } else {
            vec![raw]
        };
        for text in &texts {
            let live = live_markup(text);
            assert!(
                live.is_empty(),
                "{} holds live markup: {live:#?}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");
    // A brief's document address is a link: only http(s) is accepted.
    t.edit(
        ALPHA,
        "url: https://example.com/alpha.pdf",
        "url: 'javascript:alert(13)'",
    )
    .build_fails()
    .assert_stderr("alpha-2024-quantum.yaml:8: bad url `javascript:alert(13)`");
}

#[test]
fn a_file_name_with_a_newline_and_terminal_escapes_is_printed_escaped() {
    let name =
        "content/claims/alpha-2024-quantum/x\nerror: content/site.yaml:1: forged\u{1b}[2J.md";
    let t = SiteTest::fixture("mini")
        .write(name, "---\nid: [not, an, id]\n---\nBody.\n")
        .build_fails();
    assert!(
        t.stderr
            .contains("content/claims/alpha-2024-quantum/x\\nerror: content/site.yaml:1: forged\\u{1b}[2J.md:"),
        "{}",
        t.stderr
    );
    assert!(!t.stderr.contains('\u{1b}'), "{:?}", t.stderr);
    assert!(
        !t.stderr
            .lines()
            .any(|l| l.starts_with("error: content/site.yaml")),
        "a forged line: {}",
        t.stderr
    );
}

/// The mini site with brief `epsilon-2024-src` whose source is `text`.
fn with_source(text: &str) -> SiteTest {
    SiteTest::fixture("mini")
        .write(
            "content/briefs/epsilon-2024-src.yaml",
            "id: epsilon-2024-src\ntitle: \"Epsilon\"\npublisher: Epsilon\npublished: \"2024\"\nsource: epsilon.txt\n",
        )
        .write("content/sources/epsilon.txt", text)
}

/// The bodies of the claims ingest wrote for `epsilon-2024-src`, each file
/// parsed whole.
fn epsilon_claims(t: &SiteTest) -> Vec<String> {
    let dir = t.root.join("content/claims/epsilon-2024-src");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let table = crossbrief::content::taxonomy::Table::defaults();
    let mut bodies: Vec<String> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            crossbrief::content::fragment::parse(&text, &table)
                .unwrap_or_else(|e| panic!("{} is torn: {e:?}", p.display()))
                .body
        })
        .collect();
    bodies.sort();
    bodies
}

#[test]
fn an_empty_source_and_an_unknown_brief_fail_clearly() {
    for empty in ["", " \n\n\t\n"] {
        fails(
            with_source(empty),
            &["ingest", "epsilon-2024-src", "--quiet"],
        )
        .assert_stderr("content/sources/epsilon.txt: the source holds no text")
        .assert_stderr("help: convert the document again");
    }
    fails(with_source(""), &["ingest", "no-such-brief-2024"])
        .assert_stderr("no-such-brief-2024")
        .assert_stderr("help:");
}

#[test]
fn a_source_that_gives_no_claim_says_ingest_did_not_recognise_it() {
    let t = with_source(
        "Abbreviations\n\nBIS Bureau of Industry and Security\nEU European Union\nNQI National Quantum Initiative\n",
    )
    .run(&["ingest", "epsilon-2024-src", "--dry-run"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert!(
        t.stdout.contains(
            "warning: no claim was found in the text: ingest did not recognise this layout"
        ),
        "{}",
        t.stdout
    );
}

#[test]
fn a_source_without_headings_or_notes_ingests_its_sentences() {
    let t = with_source(
        "Quantum computing research in Japan has grown quickly. Governments should fund joint laboratories.\n\nChina invested heavily in 2022.\n",
    )
    .run(&["ingest", "epsilon-2024-src", "--quiet"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert_eq!(
        epsilon_claims(&t),
        [
            "China invested heavily in 2022.",
            "Governments should fund joint laboratories.",
            "Quantum computing research in Japan has grown quickly.",
        ]
    );
    t.build();
}

/// About `kb` kilobytes of distinct prose in paragraphs of three sentences.
fn prose(kb: usize) -> String {
    let mut s = String::with_capacity(kb << 10);
    let mut i = 0u64;
    while s.len() < kb << 10 {
        s.push_str(&format!(
            "In year {i} the programme funded {} laboratories across {} regions. Spending on item {i} rose by {} percent. Officials said review {i} would follow.\n\n",
            i % 97,
            i % 13,
            i % 41
        ));
        i += 1;
    }
    s
}

/// A report-like source of about `mb` megabytes: numbered sections of
/// paragraphs, each of three distinct sentences (a seeded generator), and
/// the number of sentences.
fn report(mb: usize) -> (String, usize) {
    const NOUNS: &[&str] = &[
        "programme",
        "ministry",
        "laboratory",
        "supplier",
        "regulator",
        "alliance",
        "consortium",
        "agency",
        "university",
        "start-up",
        "standard",
        "export licence",
        "research centre",
    ];
    const VERBS: &[&str] = &[
        "funded",
        "expanded",
        "reviewed",
        "restricted",
        "announced",
        "delayed",
        "published",
        "negotiated",
        "approved",
    ];
    const PLACES: &[&str] = &[
        "Japan",
        "Finland",
        "South Korea",
        "China",
        "the United States",
        "Germany",
        "India",
        "the European Union",
        "Canada",
        "Australia",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut pick = |list: &[&'static str]| -> &'static str {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        list[(seed % list.len() as u64) as usize]
    };
    let mut s = String::with_capacity((mb << 20) + 4096);
    let (mut sentences, mut i) = (0, 0usize);
    while s.len() < mb << 20 {
        if i % 40 == 0 {
            s.push_str(&format!(
                "\n{}. Developments in period {}\n\n",
                i / 40 + 1,
                i / 40 + 1
            ));
        }
        for k in 0..3 {
            s.push_str(&format!(
                "The {} in {} {} {} new {}s in case {i}-{k}, officials said. ",
                pick(NOUNS),
                pick(PLACES),
                pick(VERBS),
                3 + (i * 7 + k) % 90,
                pick(NOUNS),
            ));
            sentences += 1;
        }
        s.push_str("\n\n");
        i += 1;
    }
    (s, sentences)
}

/// Ingest stays near-linear in the size of its source: a 20 MB report
/// finishes (in a few seconds in a release build; this debug-build test
/// takes about a minute) and keeps its sentences as claims.
#[test]
fn a_20_mb_source_ingests() {
    let (text, sentences) = report(20);
    assert!(text.len() >= 20 << 20);
    let t = with_source(&text).run(&["ingest", "epsilon-2024-src", "--dry-run", "--quiet"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let summary = t.stdout.lines().next().unwrap_or_default();
    let claims: usize = summary
        .strip_prefix("ingested epsilon-2024-src: ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no claim count in {summary:?}"));
    assert!(
        claims * 100 >= sentences * 99 && claims <= sentences,
        "{claims} claims from {sentences} sentences"
    );
}

#[cfg(unix)]
#[test]
fn an_ingest_killed_at_any_moment_leaves_whole_fragments_and_a_reviewed_one_untouched() {
    let t = with_source(&prose(64)).run(&["ingest", "epsilon-2024-src", "--quiet"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    let dir = t.root.join("content/claims/epsilon-2024-src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // A person reviews one claim and edits another.
    let reviewed = files[10].clone();
    let text = std::fs::read_to_string(&reviewed).unwrap();
    let reviewed_text = text.replacen("\n---\n", "\nreviewed: true\n---\n", 1);
    std::fs::write(&reviewed, &reviewed_text).unwrap();
    let edited = files[20].clone();
    let text = std::fs::read_to_string(&edited).unwrap();
    let edited_text = format!("{} My own words.\n", text.trim_end());
    std::fs::write(&edited, &edited_text).unwrap();
    // Two versions of the source: each ingest rewrites every other fragment.
    let versions = [prose(64), prose(64).replace("rose by", "grew by")];
    let source = t.root.join("content/sources/epsilon.txt");
    let ingest = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_crossbrief"))
            .args(["ingest", "epsilon-2024-src", "--quiet"])
            .current_dir(&t.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    std::fs::write(&source, &versions[1]).unwrap();
    let started = std::time::Instant::now();
    assert!(ingest().wait().unwrap().success());
    let whole = started.elapsed();
    for i in 0..10u32 {
        std::fs::write(&source, &versions[(i % 2) as usize]).unwrap();
        let mut child = ingest();
        std::thread::sleep(whole * i / 10);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        // Every fragment parses whole: none is half written.
        assert!(!epsilon_claims(&t).is_empty(), "kill {i}");
        assert_eq!(
            std::fs::read_to_string(&reviewed).unwrap(),
            reviewed_text,
            "kill {i}"
        );
        assert_eq!(
            std::fs::read_to_string(&edited).unwrap(),
            edited_text,
            "kill {i}"
        );
    }
    let t = t.run(&["ingest", "epsilon-2024-src", "--quiet"]);
    assert_eq!(t.success, Some(true), "{}", t.stderr);
    assert_eq!(std::fs::read_to_string(&reviewed).unwrap(), reviewed_text);
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), edited_text);
}

/// Content that is broken in one way: each gives `path[:line]: message`
/// with a help line, and no panic.
#[test]
fn broken_content_of_every_shape_is_a_located_diagnostic() {
    let claim = std::fs::read_to_string(crate::harness::fixture_dir("mini").join(C1)).unwrap();
    let cases: &[(&str, String, &str)] = &[
        (
            "invalid UTF-8",
            String::new(),
            "content/claims/alpha-2024-quantum/0001.md",
        ),
        (
            "no front matter",
            "Just a body.\n".into(),
            "content/claims/alpha-2024-quantum/0001.md:1:",
        ),
        (
            "unterminated front matter",
            claim.replacen("---\nQuantum", "Quantum", 1),
            "content/claims/alpha-2024-quantum/0001.md:1:",
        ),
        (
            "a map where a list belongs",
            claim.replace("countries: [united-states, china]", "countries: {a: b}"),
            "content/claims/alpha-2024-quantum/0001.md:",
        ),
        (
            "a number as an id",
            claim.replace("id: alpha-2024-quantum-0001", "id: 12"),
            "content/claims/alpha-2024-quantum/0001.md:",
        ),
        (
            "a list as a brief",
            claim.replace("brief: alpha-2024-quantum", "brief: [alpha-2024-quantum]"),
            "content/claims/alpha-2024-quantum/0001.md:",
        ),
        (
            "an id that climbs out",
            claim.replace("id: alpha-2024-quantum-0001", "id: ../../../etc/x"),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "an absolute id",
            claim.replace("id: alpha-2024-quantum-0001", "id: /tmp/x"),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "an encoded id",
            claim.replace("id: alpha-2024-quantum-0001", "id: a%2e%2e"),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "a backslash id",
            claim.replace("id: alpha-2024-quantum-0001", "id: 'a\\..\\b'"),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "a NUL in an id",
            claim.replace("id: alpha-2024-quantum-0001", "id: \"a\\0b\""),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "a device name id",
            claim.replace("id: alpha-2024-quantum-0001", "id: CON"),
            "content/claims/alpha-2024-quantum/0001.md:2:",
        ),
        (
            "a term id that climbs out",
            claim.replace("[quantum-technology]", "[../../x]"),
            "content/claims/alpha-2024-quantum/0001.md:",
        ),
    ];
    for (what, text, want) in cases {
        let t = SiteTest::fixture("mini");
        if text.is_empty() {
            std::fs::write(t.root.join(C1), b"---\nid: \xff\xfe\n---\n\xc3\x28\n").unwrap();
        } else {
            std::fs::write(t.root.join(C1), text).unwrap();
        }
        let t = t.run(&["build"]);
        assert_eq!(t.success, Some(false), "{what}: built");
        assert!(t.stderr.contains(want), "{what}: {}", t.stderr);
        assert!(!t.stderr.contains("panicked"), "{what}: {}", t.stderr);
        assert!(
            t.stderr.contains("error in content/") || t.stderr.contains("errors in content/"),
            "{what}: {}",
            t.stderr
        );
        // Nothing was written outside the output folder.
        assert!(
            !t.root.join("etc").exists() && !t.root.parent().unwrap().join("etc").exists(),
            "{what}"
        );
    }
}

/// Content that is odd but harmless builds.
#[test]
fn odd_but_harmless_content_builds() {
    let claim = std::fs::read_to_string(crate::harness::fixture_dir("mini").join(C1)).unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("a byte-order mark", format!("\u{feff}{claim}")),
        ("CRLF line ends", claim.replace('\n', "\r\n")),
        (
            "front matter but no body",
            claim.split_inclusive("---\n").take(2).collect(),
        ),
        (
            "10,000 nested lists",
            format!("{claim}\n{}x\n", "- ".repeat(10_000)),
        ),
        (
            "10,000 nested block quotes",
            format!("{claim}\n{}x\n", "> ".repeat(10_000)),
        ),
        (
            "a 1 MB line",
            format!("{claim}\n{}\n", "word ".repeat(200_000)),
        ),
    ];
    for (what, text) in cases {
        let t = SiteTest::fixture("mini").write(C1, &text).run(&["build"]);
        assert!(
            t.success == Some(true)
                || t.stderr
                    .contains("content/claims/alpha-2024-quantum/0001.md"),
            "{what}: {}",
            t.stderr
        );
        assert!(!t.stderr.contains("panicked"), "{what}: {}", t.stderr);
    }
}

/// A runaway claim file (50 MB of text) is refused with its path and the
/// line its text starts on, before any stage works on its text.
#[test]
fn a_50_mb_claim_is_refused_by_its_size() {
    let claim = std::fs::read_to_string(crate::harness::fixture_dir("mini").join(C1)).unwrap();
    let text = format!(
        "{claim}{}\n",
        "Quantum supply chains matter. ".repeat(1_700_000)
    );
    assert!(text.len() > 50_000_000);
    let t = SiteTest::fixture("mini").write(C1, &text).run(&["build"]);
    assert_eq!(t.success, Some(false), "{}", t.stderr);
    assert!(
        t.stderr
            .contains("content/claims/alpha-2024-quantum/0001.md:13: the claim's text is"),
        "{}",
        t.stderr
    );
    assert!(
        t.stderr.contains("help: a claim is one quotable assertion"),
        "{}",
        t.stderr
    );
    assert!(!t.out.exists());
}

#[test]
fn an_empty_content_tree_or_a_missing_site_yaml_is_a_clear_error() {
    let t = SiteTest::empty().write("content/.keep", "").run(&["build"]);
    assert_eq!(t.success, Some(false));
    assert!(t.stderr.contains("content/site.yaml"), "{}", t.stderr);
    assert!(t.stderr.contains("help:"), "{}", t.stderr);
    let t = SiteTest::fixture("mini")
        .remove("content/site.yaml")
        .run(&["build"]);
    assert_eq!(t.success, Some(false));
    assert!(t.stderr.contains("content/site.yaml"), "{}", t.stderr);
    assert!(!t.out.exists());
}

#[test]
fn a_template_including_a_file_outside_templates_is_refused() {
    let secret = std::env::temp_dir().join("crossbrief-secret-template.html");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    for include in [
        "../../../../../../tmp/crossbrief-secret-template.html".to_string(),
        secret.display().to_string(),
        "..\\\\..\\\\content\\\\site.yaml".to_string(),
        "../content/site.yaml".to_string(),
    ] {
        let t = SiteTest::fixture("mini")
            .write(
                "templates/term.html",
                &format!("{{% include \"{include}\" %}}"),
            )
            .run(&["build"]);
        assert_eq!(t.success, Some(false), "{include}: built");
        // Templates are looked up by name among those loaded from
        // templates/: a path is a name that is not there.
        assert!(t.stderr.contains("term.html"), "{include}: {}", t.stderr);
        assert!(t.stderr.contains("not found"), "{include}: {}", t.stderr);
        assert!(!t.stderr.contains("panicked"));
        if t.out.exists() {
            let page = std::fs::read_to_string(t.out.join("index.html")).unwrap_or_default();
            assert!(!page.contains("TOP-SECRET"));
        }
    }
}

#[test]
fn brief_and_claim_ids_given_on_the_command_line_are_never_paths() {
    for id in [
        "../../etc",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "%2e%2e",
        "CON",
        "",
    ] {
        let t = fails(SiteTest::fixture("mini"), &["ingest", id]);
        assert!(t.stderr.contains("help:"), "ingest {id:?}: {}", t.stderr);
        let t = fails(t, &["tag", id]);
        assert!(!t.stderr.contains("panicked"), "tag {id:?}: {}", t.stderr);
        let t = fails(t, &["explain", id]);
        assert!(
            !t.stderr.contains("panicked"),
            "explain {id:?}: {}",
            t.stderr
        );
    }
}
