//! Every path the tool reads or writes stays inside the site root: the one
//! rule for symbolic links, the walk over a folder of the site, and the
//! rule for a brief's `source` name. Build, tag, ingest and the theme all
//! go through here.
//!
//! - A symbolic link whose target is inside the site root is followed; one
//!   that points outside it is refused with a diagnostic naming the link.
//!   A dangling link and a link loop are refused too, never skipped.
//! - A folder is read once: a link to a folder that the same walk reads at
//!   its own place, or that another link already led to, is refused (this
//!   is what keeps a tree of links from being walked again and again).
//! - A `source:` name is relative, without `..`, backslashes or control
//!   characters, and resolves (links followed) inside `content/sources/`.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::content::rel_path;
use crate::diag::Diagnostic;

/// Why a path of the site may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It resolves outside `boundary` (the site root, or a folder of it
    /// such as `content/sources/`): the resolved target.
    Outside {
        target: PathBuf,
        /// The folder it should have stayed in, relative to the root
        /// (`None`: the site root).
        boundary: Option<String>,
        folder: bool,
    },
    /// A symbolic link to nothing: what the link says.
    Dangling { target: PathBuf },
    /// A symbolic link that leads back to itself (or too many links).
    Loop,
    /// A link to a folder that is read already: that folder, relative to
    /// the root.
    ReadAlready { folder: String },
    /// Any other I/O failure.
    Io(String),
}

impl Refusal {
    /// The diagnostic for the path `shown` (relative to the root).
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        match self {
            Refusal::Outside {
                target,
                boundary,
                folder,
            } => {
                let what = if *folder { "folder" } else { "file" };
                let (place, into) = match boundary {
                    None => ("the site".to_string(), "the site".to_string()),
                    Some(b) => (format!("{b}/"), format!("{b}/")),
                };
                Diagnostic::new(
                    shown,
                    None,
                    format!(
                        "a symbolic link to a {what} outside {place} ({})",
                        target.display()
                    ),
                )
                .help(format!("copy the {what} into {into} instead"))
            }
            Refusal::Dangling { target } => Diagnostic::new(
                shown,
                None,
                format!("a symbolic link to a missing file ({})", target.display()),
            )
            .help("point the link at a file inside the site, or remove it"),
            Refusal::Loop => Diagnostic::new(
                shown,
                None,
                "a symbolic link loop: following the link leads back to it",
            )
            .help("remove the link, or point it at a file inside the site"),
            Refusal::ReadAlready { folder } => Diagnostic::new(
                shown,
                None,
                format!("a symbolic link to a folder that is read already ({folder})"),
            )
            .help("remove the link: every folder of the site is read once, at its own place"),
            Refusal::Io(e) => Diagnostic::new(shown, None, format!("cannot read: {e}")),
        }
    }
}

/// What a path of the site is, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing there (and no link either).
    Missing,
    /// A file; its resolved path.
    File(PathBuf),
    /// A folder; its resolved path.
    Dir(PathBuf),
    /// Something else (a socket, a device): never read.
    Other,
}

fn is_loop(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = e;
        false
    }
}

/// The site root, resolved once, that every path is checked against.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    root: PathBuf,
    /// The root with every link resolved (`None` when it does not exist).
    canon: Option<PathBuf>,
}

impl SiteRoot {
    /// The site at `root`.
    pub fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            root: root.to_path_buf(),
            canon: fs::canonicalize(root).ok(),
        }
    }

    /// The root as given.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// `p` (under the root) relative to it, `/`-separated, for messages.
    pub fn shown(&self, p: &Path) -> String {
        rel_path(&self.root, p)
    }

    /// Resolves `p`, a path under the root as the user's files name it,
    /// following every link on the way. Refused when it leads outside the
    /// root, to nothing, or round in a loop.
    pub fn resolve(&self, p: &Path) -> Result<Found, Refusal> {
        self.resolve_within(p, None)
    }

    /// Like [`SiteRoot::resolve`], but the target must also lie inside
    /// `within` (a folder relative to the root, `/`-separated, such as
    /// `content/sources`).
    pub fn resolve_within(&self, p: &Path, within: Option<&str>) -> Result<Found, Refusal> {
        let canon = match fs::canonicalize(p) {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return match fs::read_link(p) {
                    Ok(target) => Err(Refusal::Dangling { target }),
                    Err(_) if fs::symlink_metadata(p).is_ok() => {
                        // A link further up the path is dangling.
                        Err(Refusal::Dangling {
                            target: p.to_path_buf(),
                        })
                    }
                    Err(_) => Ok(Found::Missing),
                };
            }
            Err(e) if is_loop(&e) => return Err(Refusal::Loop),
            Err(e) => return Err(Refusal::Io(e.to_string())),
        };
        let meta = fs::metadata(&canon).map_err(|e| Refusal::Io(e.to_string()))?;
        let folder = meta.is_dir();
        let Some(root) = &self.canon else {
            return Ok(Found::Missing);
        };
        let inside = |boundary: &Path| canon.starts_with(boundary);
        if !inside(root) {
            return Err(Refusal::Outside {
                target: canon,
                boundary: None,
                folder,
            });
        }
        if let Some(w) = within {
            // The boundary itself may be a link inside the root.
            let b = fs::canonicalize(self.root.join(w)).unwrap_or_else(|_| root.join(w));
            if !inside(&b) {
                return Err(Refusal::Outside {
                    target: canon
                        .strip_prefix(root)
                        .map(Path::to_path_buf)
                        .unwrap_or(canon.clone()),
                    boundary: Some(w.to_string()),
                    folder,
                });
            }
        }
        Ok(if folder {
            Found::Dir(canon)
        } else if meta.is_file() {
            Found::File(canon)
        } else {
            Found::Other
        })
    }

    /// Checks one file of the site before it is read (`rel` relative to
    /// the root): `Ok(None)` when there is nothing at that path.
    ///
    /// # Errors
    /// A diagnostic naming `rel` when it is a link that may not be
    /// followed, or a folder.
    pub fn file(&self, rel: &str) -> Result<Option<PathBuf>, Diagnostic> {
        let p = self.root.join(rel);
        match self.resolve(&p) {
            Ok(Found::Missing) => Ok(None),
            Ok(Found::File(_)) => Ok(Some(p)),
            Ok(Found::Dir(_) | Found::Other) => Err(Diagnostic::new(rel, None, "not a file")
                .help("this path names a file of the site; move what is there away")),
            Err(r) => Err(r.diagnostic(rel)),
        }
    }

    /// Checks one folder of the site before it is listed (`rel` relative to
    /// the root): `Ok(false)` when there is no folder at that path.
    ///
    /// # Errors
    /// A diagnostic naming `rel` when it is a link that may not be followed.
    pub fn dir(&self, rel: &str) -> Result<bool, Diagnostic> {
        match self.resolve(&self.root.join(rel)) {
            Ok(Found::Dir(_)) => Ok(true),
            Ok(_) => Ok(false),
            Err(r) => Err(r.diagnostic(rel)),
        }
    }

    /// The files under `dir` (a folder of the site) that `wanted` accepts
    /// by their path relative to the root, links followed by the rule of
    /// this module, at most `max_depth` folders deep (1: `dir`'s own
    /// files). Paths are as found under `dir` (through any link), sorted.
    /// Every refused link and unreadable folder is pushed to `diags`;
    /// a missing `dir` has no files.
    pub fn walk(
        &self,
        dir: &Path,
        max_depth: usize,
        wanted: &dyn Fn(&str) -> bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let start = match self.resolve(dir) {
            Ok(Found::Dir(c)) => c,
            Ok(_) => return out,
            Err(r) => {
                diags.push(r.diagnostic(&self.shown(dir)));
                return out;
            }
        };
        let mut w = Walker {
            site: self,
            tree: start.clone(),
            wanted,
            visited: HashSet::from([start.clone()]),
            out: &mut out,
            diags,
        };
        let mut ancestors = vec![start.clone()];
        w.folder(dir, &start, 1, max_depth, &mut ancestors);
        out.sort();
        out
    }
}

struct Walker<'a, 'w> {
    site: &'a SiteRoot,
    /// The resolved folder the walk started in.
    tree: PathBuf,
    wanted: &'a dyn Fn(&str) -> bool,
    /// Resolved folders read so far.
    visited: HashSet<PathBuf>,
    out: &'w mut Vec<PathBuf>,
    diags: &'w mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    /// Reads folder `dir` (found at `dir`, resolved `canon`) at `depth`.
    fn folder(
        &mut self,
        dir: &Path,
        canon: &Path,
        depth: usize,
        max_depth: usize,
        ancestors: &mut Vec<PathBuf>,
    ) {
        if depth > max_depth {
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    self.site.shown(dir),
                    None,
                    format!("cannot read: {e}"),
                ));
                return;
            }
        };
        let mut entries: Vec<fs::DirEntry> = entries
            .filter_map(|e| match e {
                Ok(e) => Some(e),
                Err(err) => {
                    self.diags.push(Diagnostic::new(
                        self.site.shown(dir),
                        None,
                        format!("cannot read: {err}"),
                    ));
                    None
                }
            })
            .collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for e in entries {
            let path = e.path();
            let name = e.file_name();
            let Ok(kind) = e.file_type() else { continue };
            let shown = self.site.shown(&path);
            if kind.is_file() {
                if (self.wanted)(&shown) {
                    self.out.push(path);
                }
            } else if kind.is_dir() {
                let sub = canon.join(&name);
                if self.visited.insert(sub.clone()) {
                    ancestors.push(sub.clone());
                    self.folder(&path, &sub, depth + 1, max_depth, ancestors);
                    ancestors.pop();
                }
            } else if kind.is_symlink() {
                let hidden = name.to_string_lossy().starts_with('.');
                match self.site.resolve(&path) {
                    Ok(Found::File(_)) => {
                        if (self.wanted)(&shown) {
                            self.out.push(path);
                        }
                    }
                    Ok(Found::Dir(target)) => {
                        if depth + 1 > max_depth || hidden {
                            continue;
                        }
                        let refusal = if ancestors.iter().any(|a| a == &target) {
                            Some(Refusal::Loop)
                        } else if target.starts_with(&self.tree) || self.visited.contains(&target) {
                            let root = self.site.canon.as_deref().unwrap_or(Path::new(""));
                            Some(Refusal::ReadAlready {
                                folder: rel_path(root, &target),
                            })
                        } else {
                            None
                        };
                        match refusal {
                            Some(r) => self.diags.push(r.diagnostic(&shown)),
                            None => {
                                self.visited.insert(target.clone());
                                ancestors.push(target.clone());
                                self.folder(&path, &target, depth + 1, max_depth, ancestors);
                                ancestors.pop();
                            }
                        }
                    }
                    Ok(Found::Missing | Found::Other) => {}
                    // A file the walk would not read anyway is not its
                    // business; a folder link always is.
                    Err(r @ Refusal::Outside { folder: false, .. })
                    | Err(r @ Refusal::Dangling { .. }) => {
                        if (self.wanted)(&shown) {
                            self.diags.push(r.diagnostic(&shown));
                        }
                    }
                    Err(r) => {
                        if !hidden {
                            self.diags.push(r.diagnostic(&shown));
                        }
                    }
                }
            }
        }
    }
}

/// Why a brief's `source:` value is not a name under `content/sources/`.
fn source_name_problem(source: &str) -> Option<&'static str> {
    if source.contains('\0') || source.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if source.contains('\\') {
        return Some("it contains a backslash");
    }
    let p = Path::new(source);
    if source.starts_with('/')
        || p.is_absolute()
        || p.components()
            .any(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
    {
        return Some("it is an absolute path");
    }
    if source.split('/').any(|c| c == "..") {
        return Some("it leads out of content/sources/ (`..`)");
    }
    if source.split('/').any(|c| c.is_empty() || c == ".") {
        return Some("it has an empty or `.` part");
    }
    None
}

/// The file name a brief's `source:` names, relative to
/// `content/sources/` (a leading `content/sources/` or `sources/` is
/// accepted and dropped): the one rule build and ingest apply.
///
/// # Errors
/// The diagnostic for `brief` (its file, and the line of `source`) when the
/// name is absolute, contains `..`, a backslash or a control character.
pub fn source_name<'s>(
    source: &'s str,
    brief: &str,
    line: Option<usize>,
) -> Result<&'s str, Diagnostic> {
    let name = source
        .strip_prefix("content/sources/")
        .or_else(|| source.strip_prefix("sources/"))
        .unwrap_or(source);
    match source_name_problem(source).or_else(|| source_name_problem(name)) {
        None => Ok(name),
        Some(why) => Err(Diagnostic::new(
            brief,
            line,
            format!("bad source path `{}`: {why}", source.escape_debug()),
        )
        .help("name a file inside content/sources/, e.g. `source: report.txt`")),
    }
}

impl SiteRoot {
    /// The source file of a brief (`name` as [`source_name`] returned it),
    /// checked to resolve inside `content/sources/`: `Ok(None)` when it
    /// does not exist.
    ///
    /// # Errors
    /// A diagnostic naming the source file when it is a link that leads
    /// outside `content/sources/`, dangles or loops.
    pub fn source_file(&self, name: &str) -> Result<Option<PathBuf>, Diagnostic> {
        let rel = format!("content/sources/{name}");
        let p = self.root.join(&rel);
        match self.resolve_within(&p, Some("content/sources")) {
            Ok(Found::Missing) => Ok(None),
            Ok(Found::File(_)) => Ok(Some(p)),
            Ok(Found::Dir(_) | Found::Other) => Err(Diagnostic::new(rel, None, "not a file")
                .help("`source` names a text file under content/sources/")),
            Err(r) => Err(r.diagnostic(&rel)),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content/claims/a")).unwrap();
        fs::create_dir_all(root.join("content/sources")).unwrap();
        (dir, root)
    }

    #[test]
    fn source_names() {
        for ok in [
            "a.txt",
            "sub/a.txt",
            "content/sources/a.txt",
            "sources/a.txt",
        ] {
            assert!(source_name(ok, "b", None).is_ok(), "{ok}");
        }
        assert_eq!(
            source_name("content/sources/a.txt", "b", None).unwrap(),
            "a.txt"
        );
        for (bad, why) in [
            ("../../etc/passwd", "`..`"),
            ("sources/../x", "`..`"),
            ("/etc/passwd", "absolute"),
            ("a\\b.txt", "backslash"),
            ("a\0b", "control"),
            ("a\nb", "control"),
            ("a//b", "empty"),
            ("./a", "`.`"),
        ] {
            let d = source_name(bad, "content/briefs/b.yaml", Some(3)).unwrap_err();
            assert!(d.message.contains(why), "{bad}: {}", d.message);
            assert_eq!(d.line, Some(3));
        }
    }

    #[test]
    fn links_inside_are_followed_and_outside_refused() {
        let (dir, root) = site();
        let s = SiteRoot::new(&root);
        fs::write(dir.path().join("secret.md"), "x").unwrap();
        fs::write(root.join("content/claims/a/1.md"), "x").unwrap();
        symlink("1.md", root.join("content/claims/a/2.md")).unwrap();
        symlink(
            dir.path().join("secret.md"),
            root.join("content/claims/a/3.md"),
        )
        .unwrap();
        symlink("nowhere.md", root.join("content/claims/a/4.md")).unwrap();
        symlink("5.md", root.join("content/claims/a/5.md")).unwrap();
        symlink(
            dir.path().join("secret.md"),
            root.join("content/claims/a/x.txt"),
        )
        .unwrap();
        let mut diags = Vec::new();
        let md = |r: &str| r.ends_with(".md");
        let files = s.walk(&root.join("content/claims"), 8, &md, &mut diags);
        let names: Vec<String> = files.iter().map(|p| s.shown(p)).collect();
        assert_eq!(names, ["content/claims/a/1.md", "content/claims/a/2.md"]);
        let msgs: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0]
            .starts_with("content/claims/a/3.md: a symbolic link to a file outside the site ("));
        assert!(msgs[1].starts_with("content/claims/a/4.md: a symbolic link to a missing file"));
        assert!(msgs[2].starts_with("content/claims/a/5.md: a symbolic link loop"));
    }

    #[test]
    fn folder_links_loops_and_repeats() {
        let (dir, root) = site();
        let s = SiteRoot::new(&root);
        fs::write(root.join("content/claims/a/1.md"), "x").unwrap();
        symlink("..", root.join("content/claims/a/up")).unwrap();
        symlink("a", root.join("content/claims/b")).unwrap();
        fs::create_dir_all(root.join("drafts/c")).unwrap();
        fs::write(root.join("drafts/c/1.md"), "x").unwrap();
        symlink("../../drafts/c", root.join("content/claims/c")).unwrap();
        symlink("../../drafts/c", root.join("content/claims/d")).unwrap();
        fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        symlink(dir.path().join("elsewhere"), root.join("content/claims/e")).unwrap();
        let mut diags = Vec::new();
        let md = |r: &str| r.ends_with(".md");
        let files = s.walk(&root.join("content/claims"), 8, &md, &mut diags);
        let names: Vec<String> = files.iter().map(|p| s.shown(p)).collect();
        assert_eq!(names, ["content/claims/a/1.md", "content/claims/c/1.md"]);
        let msgs: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            msgs[0].starts_with("content/claims/a/up: a symbolic link loop"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("content/claims/b: a symbolic link to a folder that is read already (content/claims/a)"), "{msgs:?}");
        assert!(
            msgs[2].starts_with(
                "content/claims/d: a symbolic link to a folder that is read already (drafts/c)"
            ),
            "{msgs:?}"
        );
        assert!(
            msgs[3].starts_with("content/claims/e: a symbolic link to a folder outside the site"),
            "{msgs:?}"
        );
    }

    #[test]
    fn sources_stay_in_their_folder() {
        let (dir, root) = site();
        let s = SiteRoot::new(&root);
        fs::write(root.join("content/sources/a.txt"), "x").unwrap();
        fs::write(root.join("content/site.yaml"), "x").unwrap();
        fs::write(dir.path().join("passwd"), "x").unwrap();
        symlink("a.txt", root.join("content/sources/b.txt")).unwrap();
        symlink("../site.yaml", root.join("content/sources/c.txt")).unwrap();
        symlink(
            dir.path().join("passwd"),
            root.join("content/sources/d.txt"),
        )
        .unwrap();
        assert!(s.source_file("a.txt").unwrap().is_some());
        assert!(s.source_file("b.txt").unwrap().is_some());
        assert!(s.source_file("zz.txt").unwrap().is_none());
        let d = s.source_file("c.txt").unwrap_err();
        assert_eq!(d.path, "content/sources/c.txt");
        assert_eq!(
            d.message,
            "a symbolic link to a file outside content/sources/ (content/site.yaml)"
        );
        let d = s.source_file("d.txt").unwrap_err();
        assert!(d
            .message
            .starts_with("a symbolic link to a file outside the site ("));
        assert_eq!(
            d.help.as_deref(),
            Some("copy the file into the site instead")
        );
    }
}
