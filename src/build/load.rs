//! Reading the content tree: every file the build needs under `content/`,
//! as (path relative to the site root, text). Only I/O and decoding fail
//! here; what the files say is `parse`'s and `validate`'s business.
//!
//! Files are read in parallel: at 100,000 claims the build is mostly
//! small-file reads.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::paths::{Found, SiteRoot};
pub use crate::content::{rel_path, SourceFile};
use crate::diag::Diagnostic;

/// What a file under `content/` is to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `content/site.yaml`.
    Site,
    /// `content/taxonomy/<id>.yaml`.
    Vocabulary,
    /// `content/briefs/<brief>.yaml`.
    Brief,
    /// `content/claims/<brief>/<name>.md` (deeper files too, so that a
    /// misplaced fragment is reported rather than ignored).
    Claim,
    /// Anything under `content/sources/`.
    Source,
}

/// Claim fragments are read up to this many folders below
/// `content/claims/`.
pub const CLAIM_DEPTH: usize = 8;

/// The role of a path relative to the site root (`/`-separated), or `None`
/// for a file the build does not read: the one rule both the full load and
/// the incremental rebuild follow. Hidden files (`.name`) are never read.
pub fn role_of(rel: &str) -> Option<Role> {
    let rest = rel.strip_prefix("content/")?;
    let name = rest.rsplit('/').next()?;
    if name.starts_with('.') || name.is_empty() {
        return None;
    }
    let (top, below) = rest.split_once('/').unwrap_or((rest, ""));
    let depth = below.split('/').filter(|p| !p.is_empty()).count();
    match (top, depth) {
        ("site.yaml", 0) if below.is_empty() => Some(Role::Site),
        ("taxonomy", 1) if name.ends_with(".yaml") => Some(Role::Vocabulary),
        ("briefs", 1) if name.ends_with(".yaml") => Some(Role::Brief),
        ("claims", 1..=CLAIM_DEPTH) if name.ends_with(".md") => Some(Role::Claim),
        ("sources", 1..) => Some(Role::Source),
        _ => None,
    }
}

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
    /// Paths of files that are there but could not be read, or may not be
    /// followed (already reported): later stages do not call them missing.
    pub unreadable: BTreeSet<String>,
}

/// Reads one file of the site at `root` (a diagnostic if it cannot be read,
/// is not UTF-8, or is a symbolic link that leads outside the site).
pub fn read(root: &Path, p: &Path) -> Result<SourceFile, Diagnostic> {
    read_in(&SiteRoot::new(root), p)
}

/// [`read`] with the site root resolved already.
fn read_in(site: &SiteRoot, p: &Path) -> Result<SourceFile, Diagnostic> {
    let path = site.shown(p);
    match site.resolve(p) {
        Ok(Found::File(_) | Found::Missing) => {}
        Ok(_) => {
            return Err(Diagnostic::new(path, None, "not a file")
                .help("this path names a file of the site; move what is there away"))
        }
        Err(r) => return Err(r.diagnostic(&path)),
    }
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

/// The files under `dir` (a folder of the site at `root`) that have
/// `role`, sorted; folders that cannot be read and symbolic links that may
/// not be followed (`content::paths`) are reported, not skipped silently.
/// Links inside the site are followed.
pub fn files_under(
    root: &Path,
    dir: &Path,
    role: Role,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let site = SiteRoot::new(root);
    files_in(&site, dir, role, diags)
}

fn files_in(site: &SiteRoot, dir: &Path, role: Role, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let depth = if role == Role::Source {
        usize::MAX
    } else {
        CLAIM_DEPTH + 1
    };
    site.walk(dir, depth, &|rel| role_of(rel) == Some(role), diags)
}

/// Reads the content tree of the site at `root`. Returns what could be read
/// and a diagnostic for every file that could not.
pub fn load(root: &Path) -> (SourceSet, Vec<Diagnostic>) {
    let site = SiteRoot::new(root);
    let content = root.join("content");
    let mut diags = Vec::new();
    let mut set = SourceSet::default();
    match site.dir("content") {
        Ok(true) => {}
        Ok(false) => {
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
        Err(d) => {
            diags.push(d);
            return (set, diags);
        }
    }
    match site.file("content/site.yaml") {
        Ok(Some(p)) => match read_in(&site, &p) {
            Ok(f) => set.site = Some(f),
            Err(d) => diags.push(d),
        },
        Ok(None) => {}
        Err(d) => diags.push(d),
    }
    let taxonomy_paths = files_in(
        &site,
        &content.join("taxonomy"),
        Role::Vocabulary,
        &mut diags,
    );
    let brief_paths = files_in(&site, &content.join("briefs"), Role::Brief, &mut diags);
    let claim_paths = files_in(&site, &content.join("claims"), Role::Claim, &mut diags);
    let read_all = |paths: Vec<PathBuf>| -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let results: Vec<Result<SourceFile, Diagnostic>> =
            paths.par_iter().map(|p| read_plain(&site, p)).collect();
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
    set.sources = sources_in(&site, &content, &mut diags);
    set.unreadable = diags.iter().map(|d| d.path.clone()).collect();
    (set, diags)
}

/// Reads a file the walk found (links already checked by the walk).
fn read_plain(site: &SiteRoot, p: &Path) -> Result<SourceFile, Diagnostic> {
    let path = site.shown(p);
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

/// Names of the files under `content/sources/` (relative to that folder);
/// links that may not be followed are left out (the full [`load`] reports
/// them).
pub fn source_names(content: &Path) -> BTreeSet<String> {
    let root = content.parent().unwrap_or(content);
    sources_in(&SiteRoot::new(root), content, &mut Vec::new())
}

/// Names of the files under `content/sources/`, every refused link
/// reported.
fn sources_in(site: &SiteRoot, content: &Path, diags: &mut Vec<Diagnostic>) -> BTreeSet<String> {
    let sources = content.join("sources");
    let mut names = BTreeSet::new();
    for p in files_in(site, &sources, Role::Source, diags) {
        // A source must also stay inside content/sources/ itself.
        let name = rel_path(&sources, &p);
        match site.source_file(&name) {
            Ok(_) => {
                names.insert(name);
            }
            Err(d) => diags.push(d),
        }
    }
    names
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
    fn one_rule_says_what_each_file_is() {
        for (path, role) in [
            ("content/site.yaml", Some(Role::Site)),
            ("content/taxonomy/countries.yaml", Some(Role::Vocabulary)),
            ("content/taxonomy/deep/x.yaml", None),
            ("content/briefs/a.yaml", Some(Role::Brief)),
            ("content/briefs/a.yml", None),
            ("content/claims/a/1.md", Some(Role::Claim)),
            ("content/claims/a/b/1.md", Some(Role::Claim)),
            ("content/claims/1.md", Some(Role::Claim)),
            ("content/claims/a/.1.md", None),
            ("content/claims/a/1.txt", None),
            ("content/sources/a.txt", Some(Role::Source)),
            ("content/other.yaml", None),
            ("templates/claim.html", None),
        ] {
            assert_eq!(role_of(path), role, "{path}");
        }
    }

    #[test]
    fn missing_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (_, diags) = load(dir.path());
        assert!(diags[0].message.contains("no content/ folder"));
    }
}
