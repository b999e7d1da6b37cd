//! Property tests standing in for fuzzing (cargo-fuzz needs a nightly
//! compiler): front-matter parsing, ingest (cleaning, structure and
//! sentence segmentation), tagging, and Markdown to HTML, each on arbitrary
//! text and on text shaped like its real input. None may panic, and each
//! keeps the invariants its callers rely on.
//!
//! The normal suite runs a few dozen cases per target. A long run raises
//! the budget: `CROSSBRIEF_FUZZ_SECS=600` keeps generating cases for that
//! many seconds (`PROPTEST_CASES` sets the cases per round), e.g.
//!
//! ```text
//! CROSSBRIEF_FUZZ_SECS=600 nice -n 19 cargo test --release --test proptest_fuzz markdown -- --nocapture
//! ```
//!
//! Inputs a run found are kept below as regression tests (`found_*`).

use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crossbrief::content::fragment::{self, Fragment};
use crossbrief::content::frontmatter;
use crossbrief::content::schema::RawBrief;
use crossbrief::content::taxonomy::Table;
use crossbrief::content::vocab::Vocabulary;
use crossbrief::ingest;
use crossbrief::render::markdown;
use crossbrief::tag::matcher;
use crossbrief::tag::tagger::Tagger;

/// Runs `test` on values of `strategy`: a few dozen cases, or rounds of
/// them until `CROSSBRIEF_FUZZ_SECS` have passed. A failure panics with the
/// shrunk input.
fn fuzz<S>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    let secs: u64 = std::env::var("CROSSBRIEF_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if secs > 0 { 1000 } else { 48 });
    let started = Instant::now();
    let budget = Duration::from_secs(secs);
    let mut total = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{name}: {e}");
        }
        total += u64::from(cases);
        if started.elapsed() >= budget {
            break;
        }
    }
    eprintln!("{name}: {total} cases passed in {:.1?}", started.elapsed());
}

/// Lines shaped like the input of `what`, mixed with arbitrary ones.
fn lines_like(pieces: &'static [&'static str], max_lines: usize) -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => proptest::sample::select(pieces).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ -~]{0,40}",
    ];
    (
        proptest::collection::vec(line, 0..max_lines),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(lines, nl)| lines.join(nl))
}

const FRONT_MATTER: &[&str] = &[
    "---",
    "---",
    "\u{feff}---",
    "--- ",
    "id: alpha-2024-quantum-0001",
    "id: [a, b]",
    "id: 12",
    "brief: alpha-2024-quantum",
    "brief: [x]",
    "order: 3",
    "order: -1",
    "order: 99999999999999999999999",
    "paragraph: 2",
    "section: [\"Intro\", \"Part\"]",
    "section: {a: b}",
    "kind: statistic",
    "countries: [china, united-states]",
    "countries: china",
    "technologies: [quantum-technology, quantum-technology]",
    "policies: []",
    "cites: [\"1\", \"*\"]",
    "see_also: [beta-2025-volume-0001]",
    "reviewed: true",
    "reviewed: maybe",
    "ingest_hash: 0123456789abcdef",
    "unknown_key: x",
    "  - nested",
    "- item",
    "key: 'unterminated",
    "key: \"esc \\u12\"",
    "&anchor x: *anchor",
    "? complex",
    ": empty",
    "\t",
    "",
    "Body text with **bold** and a [link](https://example.com).",
];

fn table() -> Table {
    Table::defaults()
}

#[test]
fn front_matter_parsing_never_panics_and_rewrites_stably() {
    let table = table();
    let strategy = prop_oneof![lines_like(FRONT_MATTER, 24), any::<String>()];
    fuzz("front matter", strategy, |text| {
        if let Ok(split) = frontmatter::split(&text) {
            prop_assert!(split.yaml.len() + split.body.len() <= text.len());
        }
        match fragment::parse(&text, &table) {
            Ok(f) => rewrites_stably(&f, &table)?,
            Err(e) => {
                prop_assert!(e.line >= 1, "line {} for {text:?}", e.line);
                prop_assert!(!e.message.is_empty());
            }
        }
        Ok(())
    });
}

/// A parsed fragment, written and read again, is the same fragment, and
/// writing it again gives the same bytes.
fn rewrites_stably(f: &Fragment, table: &Table) -> Result<(), TestCaseError> {
    let written = f.to_file_string();
    let back = fragment::parse(&written, table)
        .map_err(|e| TestCaseError::fail(format!("rewritten {written:?}: {e:?}")))?;
    prop_assert_eq!(&back.to_file_string(), &written);
    prop_assert_eq!(&back.meta.id, &f.meta.id);
    prop_assert_eq!(back.body.trim(), f.body.trim());
    Ok(())
}

#[test]
fn generated_fragments_round_trip() {
    let table = table();
    let strategy = (
        "[a-z][a-z0-9-]{0,20}",
        1u32..100_000,
        proptest::collection::vec("[a-z][a-z-]{0,12}", 0..4),
        "[^\u{0}-\u{8}\u{b}-\u{1f}\u{7f}]{1,200}",
        any::<bool>(),
    );
    fuzz(
        "fragments",
        strategy,
        |(id, order, countries, body, reviewed)| {
            let body = body.trim().to_string();
            prop_assume!(!body.is_empty() && !body.starts_with("---"));
            let text = format!(
                "---\nid: {id}\nbrief: b\norder: {order}\ncountries: [{}]\nreviewed: {reviewed}\n---\n{body}\n",
                // Quoted: a bare `null` or `no` is YAML's, not an id (see
                // `found_a_bare_yaml_keyword_in_a_tag_list`).
                countries
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let f = fragment::parse(&text, &table)
                .map_err(|e| TestCaseError::fail(format!("{text:?}: {e:?}")))?;
            prop_assert_eq!(f.meta.id.as_deref(), Some(id.as_str()));
            prop_assert_eq!(f.meta.order, Some(i64::from(order)));
            prop_assert_eq!(f.meta.reviewed, Some(reviewed));
            rewrites_stably(&f, &table)
        },
    );
}

const SOURCE: &[&str] = &[
    "",
    "",
    "1",
    "12",
    "Page 3 of 40",
    "ALPHA INSTITUTE · QUANTUM REPORT",
    "Chapter 1",
    "1. Introduction",
    "2.3 Funding and export controls",
    "EXECUTIVE SUMMARY",
    "Key findings",
    "• The United States leads in quantum computing.",
    "- China invested $15 billion in 2022.",
    "* Japan should fund joint laboratories.",
    "Quantum technology is a field of strategic competi-",
    "tion between the United States and China.1",
    "Governments should coordinate export controls.",
    "The U.S. and the E.U. agreed (see p. 4). It was signed.",
    "“Quantum is the next frontier,” said the minister.",
    "1 Ministry of Science, Quantum Plan, 2023.",
    "2 Survey of funding, 2022.",
    "Notes",
    "References",
    "Table 1: Funding by country",
    "Country   2020   2021   2022",
    "China     1.2    3.4    5.6",
    "Recommendations",
    "1. Create a joint working group.",
    "Figure 2. Patents, 2010–2020",
    "\u{c}",
    "    indented code-like line",
    "Mr. Smith et al. wrote e.g. this… and that?! Yes.",
];

#[test]
fn ingest_never_panics_and_keeps_claims_whole() {
    let table = table();
    let strategy = prop_oneof![4 => lines_like(SOURCE, 120), 1 => any::<String>()];
    fuzz("ingest", strategy, |source| {
        let meta = RawBrief::default();
        match ingest::build(
            "zeta-2024-fuzz",
            &source,
            &meta,
            "content/sources/z.txt",
            &table,
        ) {
            Ok(built) => {
                for (i, f) in built.fragments.iter().enumerate() {
                    prop_assert!(!f.body.trim().is_empty(), "claim {i} is empty");
                    prop_assert!(f
                        .meta
                        .id
                        .as_deref()
                        .is_some_and(|id| id.starts_with("zeta-2024-fuzz-")));
                    // What ingest writes, the build reads back as written.
                    let back = fragment::parse(&f.to_file_string(), &table)
                        .map_err(|e| TestCaseError::fail(format!("claim {i}: {e:?}")))?;
                    prop_assert_eq!(back.body.trim(), f.body.trim());
                }
            }
            Err(d) => prop_assert!(!d.message.is_empty()),
        }
        Ok(())
    });
}

#[test]
fn sentence_segmentation_gives_ordered_trimmed_ranges() {
    let strategy = prop_oneof![lines_like(SOURCE, 20), any::<String>()];
    fuzz("segment", strategy, |text| {
        let mut last = 0;
        for r in ingest::segment::split(&text) {
            prop_assert!(r.start >= last && r.start < r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let s = &text[r.clone()];
            prop_assert_eq!(s.trim(), s, "untrimmed {:?}", s);
            last = r.end;
        }
        for s in ingest::segment::sentences(&text) {
            prop_assert!(!s.trim().is_empty());
        }
        // Cleaning helpers on the same text.
        let _ = ingest::clean::inline(&text);
        let _ = ingest::clean::compare_key(&text);
        let lines: Vec<&str> = text.lines().collect();
        let edges = ingest::clean::page_edges(&lines);
        prop_assert_eq!(edges.len(), lines.len());
        let _ = ingest::clean::detect_running_headers(&lines, &edges);
        let _ = ingest::clean::pull_quotes(&lines);
        Ok(())
    });
}

const CLAIM_TEXT: &[&str] = &[
    "The United States",
    "the U.S.",
    "U.S.-China",
    "China's",
    "quantum computing",
    "Quantum-computing",
    "QKD",
    "export controls",
    "semiconductors",
    "chips",
    "Japan",
    "South Korea",
    "research funding",
    "“quoted”",
    "don't",
    "  ",
    ".",
    ",",
    "(",
    ")",
    "é",
    "İstanbul",
    "ß",
    "\u{301}",
    "\u{200b}",
];

fn tagger() -> Tagger {
    let texts = [
        include_str!("../src/init/countries.yaml"),
        include_str!("../src/init/technologies.yaml"),
        include_str!("../src/init/policies.yaml"),
    ];
    let vocab = Vocabulary::from_texts(&Table::defaults(), &texts).expect("the init vocabularies");
    Tagger::new(vocab).expect("the init vocabularies compile")
}

#[test]
fn tagging_never_panics_and_hits_lie_in_the_text() {
    let tagger = tagger();
    let words = proptest::collection::vec(
        prop_oneof![
            3 => proptest::sample::select(CLAIM_TEXT).prop_map(str::to_string),
            1 => any::<String>()
        ],
        0..60,
    )
    .prop_map(|w| w.join(" "));
    let strategy = prop_oneof![4 => words, 1 => any::<String>()];
    fuzz("tagging", strategy, |text| {
        let normal = matcher::normalise(&text);
        for h in tagger.hits(&text) {
            prop_assert!(
                h.start < h.end && h.end <= normal.len(),
                "{h:?} in {normal:?}"
            );
            prop_assert!(normal.is_char_boundary(h.start) && normal.is_char_boundary(h.end));
            prop_assert!(h.taxonomy < tagger.vocabulary().taxonomies.len());
            prop_assert!(h.term < tagger.vocabulary().taxonomies[h.taxonomy].terms.len());
        }
        let tagging = tagger.direct(&text);
        for (x, tags) in tagging.tags.iter().enumerate() {
            let tax = &tagger.vocabulary().taxonomies[x];
            for t in tags {
                prop_assert!(tax.by_id.contains_key(&t.id), "unknown {}", t.id);
            }
            let mut ids: Vec<&str> = tags.iter().map(|t| t.id.as_str()).collect();
            ids.dedup();
            prop_assert_eq!(ids.len(), tags.len(), "a term twice");
        }
        Ok(())
    });
}

const MARKDOWN: &[&str] = &[
    "# Heading",
    "## Sub",
    "> quote",
    ">>>>> deep",
    "- item",
    "1. one",
    "   - nested",
    "```rust",
    "```",
    "~~~",
    "    code",
    "| a | b |",
    "|---|---|",
    "**bold** *em* ~~del~~ `code`",
    "[link](https://example.com \"t\")",
    "[js](javascript:alert(1))",
    "[js2](JAVASCRIPT:alert(1))",
    "[js3]( javascript:alert(1))",
    "[data](data:text/html,<script>alert(1)</script>)",
    "[vb](vbscript:msgbox)",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<https://example.com>",
    "[ref]: javascript:alert(1)",
    "[ref]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=x></iframe>",
    "<svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "<!-- comment -->",
    "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;script&gt; &amp; &#x3c;script&#x3e;",
    "footnote[^1]",
    "[^1]: note <script>",
    "---",
    "***",
    "\\",
    "",
];

#[test]
fn markdown_never_emits_live_markup() {
    let strategy = prop_oneof![4 => lines_like(MARKDOWN, 40), 1 => any::<String>()];
    fuzz("markdown", strategy, |md| {
        let html = markdown::to_html(&md);
        // Text has its `<` escaped, so every `<` starts a tag the
        // renderer wrote: none may be a script-capable element, carry an
        // event handler, or link to a script URL.
        let lower = html.to_ascii_lowercase();
        prop_assert!(!lower.contains("<!--"), "a comment in {html:?}");
        for tag in lower.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            prop_assert!(
                !matches!(
                    name.as_str(),
                    "script" | "iframe" | "svg" | "object" | "embed" | "math" | "style" | "frame"
                ),
                "<{tag}> in {html:?}"
            );
            // Attribute names are what lies outside the quoted values.
            let names: String = tag.split('"').step_by(2).collect();
            prop_assert!(!names.contains(" on"), "handler in <{tag}>");
            for (k, _) in tag.match_indices("=\"") {
                let value = tag[k + 2..].trim_start();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!value.starts_with(scheme), "<{tag}> in {html:?}");
                }
            }
        }
        let plain = markdown::plain_text(&md);
        let _ = markdown::excerpt(&plain, 1);
        let _ = markdown::excerpt(&plain, 160);
        let _ = markdown::single_paragraph(&html);
        let _ = markdown::single_list_item(&html);
        Ok(())
    });
}

/// Found by the long run of `generated_fragments_round_trip`: an id that is
/// a YAML keyword, unquoted in a list, is YAML's null; it is a located
/// error, and the writer quotes such ids so what it writes reads back.
#[test]
fn found_a_bare_yaml_keyword_in_a_tag_list() {
    let table = table();
    let text = "---\nid: a\nbrief: b\norder: 1\ncountries: [null]\nreviewed: false\n---\na\n";
    let e = fragment::parse(text, &table).unwrap_err();
    assert_eq!(e.line, 5, "{e:?}");
    let quoted = text.replace("[null]", "[\"null\"]");
    let f = fragment::parse(&quoted, &table).unwrap();
    rewrites_stably(&f, &table).unwrap();
    assert!(
        f.to_file_string().contains("countries: [\"null\"]"),
        "{}",
        f.to_file_string()
    );
}
