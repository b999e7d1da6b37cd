//! `crossbrief init DIR`: scaffold a new site that builds at once: the
//! default site.yaml, the three vocabularies (with every id the content
//! contract requires), and a sample brief with its source and a few claims.
//! The files are compiled into the binary.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::diag::{Diagnostic, Failure};

/// The scaffold: path under DIR, contents.
pub const FILES: &[(&str, &str)] = &[
    ("content/site.yaml", include_str!("site.yaml")),
    (
        "content/taxonomy/countries.yaml",
        include_str!("countries.yaml"),
    ),
    (
        "content/taxonomy/technologies.yaml",
        include_str!("technologies.yaml"),
    ),
    (
        "content/taxonomy/policies.yaml",
        include_str!("policies.yaml"),
    ),
    (
        "content/briefs/sample-brief.yaml",
        include_str!("sample-brief.yaml"),
    ),
    (
        "content/sources/sample-brief.txt",
        include_str!("sample-brief.txt"),
    ),
    (
        "content/claims/sample-brief/0001.md",
        include_str!("0001.md"),
    ),
    (
        "content/claims/sample-brief/0002.md",
        include_str!("0002.md"),
    ),
    (
        "content/claims/sample-brief/0003.md",
        include_str!("0003.md"),
    ),
    (".gitignore", "/public\n/.public-*\n"),
];

/// What `init` created.
#[derive(Debug, Clone)]
pub struct InitSummary {
    pub dir: PathBuf,
    pub files: usize,
}

impl fmt::Display for InitSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "created a new site in {} ({} files)",
            self.dir.display(),
            self.files
        )?;
        writeln!(f, "next: crossbrief build --root {}", self.dir.display())
    }
}

/// Creates the site in `dir` (created if missing). Refuses a folder that
/// already holds a `content/` folder, so nothing is ever overwritten.
///
/// # Errors
/// `dir` holds a site already or is not a folder (as diagnostics naming
/// it), or a file cannot be written.
pub fn init(dir: &Path) -> Result<InitSummary, Failure> {
    let shown = dir.display().to_string();
    if dir.join("content").exists() {
        return Err(vec![Diagnostic::new(
            format!("{shown}/content"),
            None,
            format!("{shown} already holds a content/ folder"),
        )
        .help("init only creates new sites: choose a new or empty folder")]
        .into());
    }
    if dir.exists() && !dir.is_dir() {
        return Err(
            vec![Diagnostic::new(&shown, None, "exists and is not a folder")
                .help("choose a new or empty folder")]
            .into(),
        );
    }
    let mut files = 0;
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if rel.starts_with('.') && path.exists() {
            continue; // keep an existing .gitignore
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        files += 1;
    }
    Ok(InitSummary {
        dir: dir.to_path_buf(),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_hold_the_contract_ids() {
        let required = [
            ("countries", "united-states china european-union south-korea japan india united-kingdom germany france netherlands canada australia russia taiwan finland sweden spain austria switzerland denmark italy norway ireland ukraine chile myanmar indonesia brazil"),
            ("technologies", "quantum-technology quantum-computing quantum-communication quantum-sensing post-quantum-cryptography semiconductors batteries biotechnology artificial-intelligence critical-materials telecommunications"),
            ("policies", "export-controls intellectual-property supply-chains standards talent-and-immigration research-funding joint-research research-security industrial-policy regulation alliances workforce commercialization"),
        ];
        for (name, ids) in required {
            let text = FILES
                .iter()
                .find(|(p, _)| p.ends_with(&format!("{name}.yaml")))
                .unwrap()
                .1;
            let terms: Vec<crate::content::schema::RawTerm> = serde_yaml::from_str(text).unwrap();
            for id in ids.split(' ') {
                assert!(
                    terms.iter().any(|t| t.id.as_deref() == Some(id)),
                    "{name}: {id}"
                );
            }
        }
    }

    #[test]
    fn refuses_existing_sites() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path()).unwrap();
        assert!(init(dir.path()).is_err());
    }
}
