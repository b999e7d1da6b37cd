//! Reading the content tree: every file the build needs under `content/`,
//! as (path relative to the site root, text). Only I/O and decoding fail
//! here; what the files say is `parse`'s and `validate`'s business.
//!
//! Files are read in parallel: at 100,000 claims the build is mostly
//! small-file reads.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use crate::content::SourceFile;
use crate::diag::Diagnostic;

/// How deep under `content/taxonomy/` vocabularies are read.
pub const TAXONOMY_DEPTH: usize = 1;
/// How deep under `content/briefs/` brief files are read.
pub const BRIEF_DEPTH: usize = 1;
/// How deep under `content/claims/` fragments are read.
pub const CLAIM_DEPTH: usize = 8;

/// Every content file of a site, grouped by role.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    /// `content/site.yaml`, if present.
    pub site: Option<SourceFile>,
    /// `content/taxonomy/*.yaml`, sorted by path; which of them the site
    /// uses is the taxonomy table's business.
    pub taxonomies: Vec<SourceFile>,
    /// `content/briefs/*.yaml`, sorted by path.
    pub briefs: Vec<SourceFile>,
    /// `content/claims/*/*.md`, sorted by path.
    pub claims: Vec<SourceFile>,
    /// Names of the files under `content/sources/` (relative to that folder).
    pub sources: BTreeSet<String>,
}

/// The path of `p` relative to `root`, with `/` separators.
pub fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one file of the site at `root` (a diagnostic if it cannot be read
/// or is not UTF-8).
pub fn read(root: &Path, p: &Path) -> Result<SourceFile, Diagnostic> {
    let path = rel_path(root, p);
    match std::fs::read(p) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile { path, text }),
            Err(_) => Err(Diagnostic::new(path, None, "the file is not valid UTF-8")
                .help("save it as UTF-8 text")),
        },
        Err(e) => Err(Diagnostic::new(
            path,
            None,
            format!("cannot read the file: {e}"),
        )),
    }
}

/// Files under `dir` with extension `ext`, sorted; folders that cannot be
/// read are reported, not skipped silently.
pub fn files_under(
    root: &Path,
    dir: &Path,
    ext: &str,
    max_depth: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out; // an empty site has no briefs or claims yet
    }
    for entry in WalkDir::new(dir).min_depth(1).max_depth(max_depth) {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| rel_path(root, dir), |p| rel_path(root, p));
                diags.push(Diagnostic::new(path, None, format!("cannot read: {err}")));
                continue;
            }
        };
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_file()
            && !name.starts_with('.')
            && e.path().extension().is_some_and(|x| x == ext)
        {
            out.push(e.into_path());
        }
    }
    out.sort();
    out
}

/// Reads the content tree of the site at `root`. Returns what could be read
/// and a diagnostic for every file that could not.
pub fn load(root: &Path) -> (SourceSet, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut diags = Vec::new();
    let mut set = SourceSet::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(
                "content",
                None,
                format!("no content/ folder in {}", root.display()),
            )
            .help(
                "pass the site's folder with --root, or create a site with `crossbrief init DIR`",
            ),
        );
        return (set, diags);
    }
    let site = content.join("site.yaml");
    if site.is_file() {
        match read(root, &site) {
            Ok(f) => set.site = Some(f),
            Err(d) => diags.push(d),
        }
    }
    let taxonomy_paths = files_under(
        root,
        &content.join("taxonomy"),
        "yaml",
        TAXONOMY_DEPTH,
        &mut diags,
    );
    let brief_paths = files_under(
        root,
        &content.join("briefs"),
        "yaml",
        BRIEF_DEPTH,
        &mut diags,
    );
    // Claims sit one folder deep (claims/<brief>/x.md); deeper files are
    // walked too so a misplaced fragment is reported rather than ignored.
    let claim_paths = files_under(root, &content.join("claims"), "md", CLAIM_DEPTH, &mut diags);
    let read_all = |paths: Vec<PathBuf>| -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let results: Vec<Result<SourceFile, Diagnostic>> =
            paths.par_iter().map(|p| read(root, p)).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut errs = Vec::new();
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => errs.push(d),
            }
        }
        (files, errs)
    };
    let mut read_into = |paths: Vec<PathBuf>| {
        let (files, errs) = read_all(paths);
        diags.extend(errs);
        files
    };
    set.taxonomies = read_into(taxonomy_paths);
    set.briefs = read_into(brief_paths);
    set.claims = read_into(claim_paths);
    set.sources = source_names(&content);
    (set, diags)
}

/// Names of the files under `content/sources/` (relative to that folder).
pub fn source_names(content: &Path) -> BTreeSet<String> {
    let sources = content.join("sources");
    WalkDir::new(&sources)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| rel_path(&sources, e.path()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tree_by_role() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        std::fs::create_dir_all(c.join("claims/a")).unwrap();
        std::fs::create_dir_all(c.join("briefs")).unwrap();
        std::fs::create_dir_all(c.join("sources")).unwrap();
        std::fs::write(c.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(c.join("briefs/a.yaml"), "id: a\n").unwrap();
        std::fs::write(c.join("claims/a/2.md"), "---\n---\n").unwrap();
        std::fs::write(c.join("claims/a/1.md"), "---\n---\n").unwrap();
        std::fs::write(c.join("claims/a/notes.txt"), "ignored").unwrap();
        std::fs::write(c.join("claims/a/bad.md"), [0xff, 0xfe]).unwrap();
        std::fs::write(c.join("sources/a.txt"), "raw").unwrap();
        let (set, diags) = load(dir.path());
        assert_eq!(set.site.unwrap().path, "content/site.yaml");
        assert_eq!(set.briefs.len(), 1);
        let paths: Vec<_> = set.claims.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["content/claims/a/1.md", "content/claims/a/2.md"]);
        assert!(set.sources.contains("a.txt"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "content/claims/a/bad.md");
        assert!(set.taxonomies.is_empty());
    }

    #[test]
    fn missing_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (_, diags) = load(dir.path());
        assert!(diags[0].message.contains("no content/ folder"));
    }
}
