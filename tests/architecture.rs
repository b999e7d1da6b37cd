//! The stages depend on each other in one direction only (see the map at
//! the top of `src/lib.rs` and docs/architecture.md): a later stage uses an
//! earlier one, never the other way round. This reads `use crate::…` and
//! `crate::…` paths in every file under `src/` (test modules excluded) and
//! fails on any dependency the table below does not allow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("diag", &[]),
    ("output", &[]),
    ("cli", &[]),
    ("content", &["diag"]),
    ("tag", &["content", "diag"]),
    ("ingest", &["content", "diag", "tag"]),
    ("init", &["diag"]),
    ("build", &["content", "diag", "output", "xref", "render"]),
    ("xref", &["content"]),
    ("render", &["content", "diag", "output", "xref"]),
    (
        "serve",
        &["build", "content", "diag", "output", "render", "xref"],
    ),
];

#[test]
fn stages_depend_on_earlier_stages_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let path_re = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let stage = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if matches!(stage, "lib" | "main") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let Some(ok) = allowed.get(stage) else {
            wrong.push(format!("{rel}: stage `{stage}` is not in the table"));
            continue;
        };
        for cap in path_re.captures_iter(code) {
            let dep = &cap[1];
            if dep != stage && !ok.contains(dep) {
                wrong.push(format!("{rel} uses crate::{dep}"));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "dependencies against the stage order:\n{}",
        wrong.join("\n")
    );
}
