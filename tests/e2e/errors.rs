//! Bad content: every problem is reported at once with its file and line,
//! the build exits non-zero, and the previous output stays as it was.

use crate::harness::SiteTest;

const C1: &str = "content/claims/alpha-2024-quantum/0001.md";
const C3: &str = "content/claims/alpha-2024-quantum/0003.md";
const ALPHA: &str = "content/briefs/alpha-2024-quantum.yaml";

/// Builds the mini site once, breaks it with `change`, builds again: the
/// error must be reported and the first build's output left intact.
fn broken(change: impl FnOnce(SiteTest) -> SiteTest) -> SiteTest {
    let t = SiteTest::fixture("mini").build();
    let before = t.read("claims/alpha-2024-quantum-0001/index.html");
    let t = change(t).build_fails();
    assert_eq!(
        t.read("claims/alpha-2024-quantum-0001/index.html"),
        before,
        "output changed"
    );
    assert!(t.stderr.contains("nothing was written"), "{}", t.stderr);
    t
}

#[test]
fn malformed_yaml() {
    broken(|t| t.edit(C1, "order: 1\n", "order: [1\n"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:")
        .assert_stderr("bad YAML");
}

#[test]
fn unknown_key() {
    broken(|t| t.edit(C1, "kind: claim\n", "kind: claim\ncountry: [china]\n")).assert_stderr(
        "error: content/claims/alpha-2024-quantum/0001.md:8: bad YAML: unknown field `country`",
    );
}

#[test]
fn missing_required_keys() {
    broken(|t| {
        t.edit(C1, "cites: [\"1\"]\n", "")
            .edit(ALPHA, "publisher: Alpha Institute\n", "")
    })
    .assert_stderr(
        "error: content/claims/alpha-2024-quantum/0001.md:2: missing required key `cites`",
    )
    .assert_stderr(
        "error: content/briefs/alpha-2024-quantum.yaml:1: missing required key `publisher`",
    )
    .assert_stderr("2 errors in content/");
}

#[test]
fn unknown_term_suggests_the_closest_id() {
    // The whole report, verbatim, so a change in wording shows up in review.
    let t = broken(|t| {
        t.edit(
            C1,
            "countries: [united-states, china]",
            "countries: [united-states, chna]",
        )
    });
    assert_eq!(
        t.stderr,
        "error: content/claims/alpha-2024-quantum/0001.md:8: unknown country `chna`\n  \
         help: did you mean `china`? known ids are in content/taxonomy/countries.yaml\n\
         1 error in content/; nothing was written, public/ still holds the last good build\n"
    );
}

#[test]
fn unknown_brief() {
    broken(|t| t.edit(C1, "brief: alpha-2024-quantum\n", "brief: alpha-2024-quantun\n"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:3: unknown brief `alpha-2024-quantun`\n  help: did you mean `alpha-2024-quantum`?");
}

#[test]
fn duplicate_claim_ids() {
    broken(|t| t.edit(C3, "id: alpha-2024-quantum-0003", "id: alpha-2024-quantum-0001"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0003.md:2: duplicate claim id `alpha-2024-quantum-0001`\n  help: content/claims/alpha-2024-quantum/0001.md already uses it");
}

#[test]
fn bad_ids() {
    broken(|t| t.edit(C1, "id: alpha-2024-quantum-0001", "id: ../x"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:2: bad claim id `../x`")
        .assert_stderr("help: ids use only lowercase letters");
}

#[test]
fn unresolved_cites() {
    broken(|t| t.edit(C1, "cites: [\"1\"]", "cites: [\"11\"]"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:11: cites note `11`, which brief `alpha-2024-quantum` does not have");
}

#[test]
fn see_also_pointing_nowhere() {
    broken(|t| t.edit("content/claims/alpha-2024-quantum/0006.md", "see_also: [beta-2025-volume-0003]", "see_also: [beta-2025-volume-0009]"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0006.md:12: `see_also` names claim `beta-2025-volume-0009`, which does not exist");
}

#[test]
fn equal_orders() {
    broken(|t| t.edit(C3, "order: 3\n", "order: 2\n"))
        .assert_stderr("error: content/claims/alpha-2024-quantum/0003.md:4: order 2 is already used by content/claims/alpha-2024-quantum/0002.md");
}

#[test]
fn unknown_chapter() {
    broken(|t| t.edit("content/claims/beta-2025-volume/0001.md", "chapter: ch1", "chapter: ch3"))
        .assert_stderr("error: content/claims/beta-2025-volume/0001.md:5: unknown chapter `ch3`\n  help: did you mean `ch1`? the chapters of `beta-2025-volume` are: ch1, ch2");
}

#[test]
fn missing_source_file() {
    broken(|t| t.remove("content/sources/alpha-2024-quantum.txt"))
        .assert_stderr("error: content/briefs/alpha-2024-quantum.yaml:6: source file `content/sources/alpha-2024-quantum.txt` does not exist");
}

#[test]
fn bad_brief_url() {
    broken(|t| {
        t.edit(
            ALPHA,
            "url: https://example.com/alpha.pdf",
            "url: javascript:alert(1)",
        )
    })
    .assert_stderr(
        "error: content/briefs/alpha-2024-quantum.yaml:8: bad url `javascript:alert(1)`",
    );
}

#[test]
fn bad_notes_and_dates() {
    broken(|t| {
        t.edit(ALPHA, "\"10\": \"A tenth", "\"1 0\": \"A tenth")
            .edit(ALPHA, "published: \"2024-03\"", "published: \"March 2024\"")
    })
    .assert_stderr("error: content/briefs/alpha-2024-quantum.yaml:5: bad date `March 2024`")
    .assert_stderr("bad note id `1 0`");
}

#[test]
fn taxonomy_problems() {
    let tech = "content/taxonomy/technologies.yaml";
    broken(|t| {
        t.edit(tech, "- id: semiconductors\n", "- id: quantum-computing\n")
            .edit(tech, "parent: quantum-technology\n  description: QKD", "parent: quantum-tech\n  description: QKD")
    })
    .assert_stderr("error: content/taxonomy/technologies.yaml:14: duplicate term id `quantum-computing`")
    .assert_stderr("error: content/taxonomy/technologies.yaml:11: term `quantum-communication` has unknown parent `quantum-tech`\n  help: did you mean `quantum-technology`?");
}

#[test]
fn parent_cycles() {
    broken(|t| {
        t.edit("content/taxonomy/technologies.yaml", "  description: The field as a whole.\n", "  parent: quantum-computing\n")
    })
    .assert_stderr("error: content/taxonomy/technologies.yaml:1: term `quantum-technology` is its own ancestor");
}

#[test]
fn reports_every_problem_at_once() {
    broken(|t| {
        t.edit(C1, "kind: claim", "kind: clam")
            .edit(
                C3,
                "policies: [export-controls]",
                "policies: [export-control]",
            )
            .write(
                "content/claims/alpha-2024-quantum/0099.md",
                "no front matter\n",
            )
    })
    .assert_stderr("0001.md:7: unknown kind `clam`\n  help: did you mean `claim`?")
    .assert_stderr("0003.md:10: unknown policy `export-control`")
    .assert_stderr("0099.md:1: missing front matter")
    .assert_stderr("3 errors in content/");
}

#[test]
fn refuses_to_overwrite_the_site_root() {
    let t = SiteTest::fixture("mini").run(&["build", "--out", "."]);
    assert_eq!(t.success, Some(false));
    assert!(t.stderr.contains("refusing"), "{}", t.stderr);
    assert!(t.root.join("content/site.yaml").is_file());
}

#[test]
fn unreadable_site_yaml_is_one_error() {
    broken(|t| {
        t.edit(
            "content/site.yaml",
            "term_page_size: 2\n",
            "term_page_size: [2\n",
        )
    })
    .assert_stderr("error: content/site.yaml:")
    .assert_stderr("1 error in content/");
}

#[test]
fn template_and_content_errors_come_together() {
    broken(|t| {
        t.write("templates/term.html", "{% for %}")
            .edit(C1, "kind: claim", "kind: clam")
    })
    .assert_stderr("error: content/claims/alpha-2024-quantum/0001.md:7: unknown kind `clam`")
    .assert_stderr("error: templates/term.html: template error")
    .assert_stderr("2 errors in content/");
}

#[test]
fn missing_vocabulary() {
    broken(|t| t.remove("content/taxonomy/policies.yaml"))
        .assert_stderr("error: content/taxonomy/policies.yaml: missing vocabulary `policies`")
        .assert_stderr("1 error in content/");
}

#[test]
fn claims_in_the_wrong_folder() {
    let text = std::fs::read_to_string(crate::harness::fixture_dir("mini").join(C1)).unwrap();
    broken(|t| {
        t.remove(C1)
            .write("content/claims/beta-2025-volume/0001-moved.md", &text)
            .write("content/claims/stray.md", &text.replace("-0001", "-0099").replace("order: 1\n", "order: 99\n"))
    })
    .assert_stderr("error: content/claims/beta-2025-volume/0001-moved.md:3: claim of brief `alpha-2024-quantum` is in the folder of brief `beta-2025-volume`\n  help: move the file to content/claims/alpha-2024-quantum/ or fix `brief`")
    .assert_stderr("error: content/claims/stray.md: claim fragment outside content/claims/<brief>/");
}

#[test]
fn brief_id_must_match_its_file() {
    broken(|t| t.edit(ALPHA, "id: alpha-2024-quantum\n", "id: alpha-2024\n"))
        .assert_stderr("error: content/briefs/alpha-2024-quantum.yaml:1: brief id `alpha-2024` does not match the file name `alpha-2024-quantum.yaml`")
        // Its claims are not buried under "unknown brief" noise.
        .assert_stderr("1 error in content/");
}

#[test]
fn bad_base_url() {
    let t = SiteTest::fixture("mini").run(&["build", "--base-url", "example.org/x"]);
    assert_eq!(t.success, Some(false));
    assert!(
        t.stderr.contains(
            "error: --base-url: base_url `example.org/x` must start with http:// or https://"
        ),
        "{}",
        t.stderr
    );
}
