//! The mini site's output, file by file, against a checked-in listing of
//! paths and content hashes (`tests/golden/mini.txt`). Any change to the
//! output shows up here and in review; after a deliberate change, run
//! `CROSSBRIEF_BLESS=1 cargo test --test e2e golden` and commit the listing.

use std::path::Path;

use crate::harness::SiteTest;

fn listing(out: &Path) -> String {
    let mut files: Vec<(String, u64, usize)> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = String::from_utf8_lossy(&bytes);
            (
                rel,
                crossbrief::content::fragment::stable_hash(&text),
                bytes.len(),
            )
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|(p, h, n)| format!("{h:016x} {n:>7} {p}\n"))
        .collect()
}

#[test]
fn output_matches_the_golden_listing() {
    let t = SiteTest::fixture("mini").build();
    let got = listing(&t.out);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/mini.txt");
    if std::env::var_os("CROSSBRIEF_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    if got != want {
        let diff: Vec<String> = got
            .lines()
            .filter(|l| !want.lines().any(|w| w == *l))
            .map(|l| format!("+ {l}"))
            .chain(
                want.lines()
                    .filter(|w| !got.lines().any(|l| l == *w))
                    .map(|l| format!("- {l}")),
            )
            .collect();
        panic!(
            "the mini site's output changed:\n{}\nif the change is deliberate, run `CROSSBRIEF_BLESS=1 cargo test --test e2e golden` and commit tests/golden/mini.txt",
            diff.join("\n")
        );
    }
}

#[test]
fn output_is_deterministic() {
    // Pages are rendered in parallel, and the search index's own maps are
    // unordered; two builds must still be identical, with and without a
    // base URL, feeds, data and search index included.
    for (fixture, args) in [
        ("mini", &[][..]),
        (
            "taxonomies",
            &["--base-url", "https://example.org/sub/"][..],
        ),
    ] {
        let a = SiteTest::fixture(fixture).build_with(args);
        let b = SiteTest::fixture(fixture).build_with(args);
        let listing_a = listing(&a.out);
        for file in [
            "atom.xml",
            "countries/china/atom.xml",
            "data/claims.csv",
            "data/claims.json",
            "pagefind/pagefind-entry.json",
            ".pf_meta",
            ".pf_filter",
            ".pf_fragment",
            ".pf_index",
            "claims/page/2/index.html",
            "search/index.html",
        ] {
            assert!(listing_a.contains(file), "{fixture}: {file}");
        }
        assert_eq!(listing_a, listing(&b.out), "{fixture}");
    }
}
