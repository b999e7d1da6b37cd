//! A chainable harness: copy a fixture into a temp folder, change files,
//! run `crossbrief`, and assert on its output and the produced site.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use walkdir::WalkDir;

pub use crate::support::copy_tree;

/// One site under test.
pub struct SiteTest {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
    pub stdout: String,
    pub stderr: String,
    pub success: Option<bool>,
}

/// Path of a fixture folder.
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl SiteTest {
    /// A temp copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> SiteTest {
        let t = SiteTest::empty();
        copy_tree(&fixture_dir(name), &t.root);
        t
    }

    /// An empty temp folder as the site root (not created yet).
    pub fn empty() -> SiteTest {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        SiteTest {
            _tmp: tmp,
            root,
            out,
            stdout: String::new(),
            stderr: String::new(),
            success: None,
        }
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(self, rel: &str, text: &str) -> Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces `from` by `to` in a file of the site; the text must be there.
    pub fn edit(self, rel: &str, from: &str, to: &str) -> Self {
        let p = self.root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// Removes a file of the site.
    pub fn remove(self, rel: &str) -> Self {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    /// Runs `crossbrief ARGS` in the temp folder.
    pub fn run(mut self, args: &[&str]) -> Self {
        let out = Command::new(env!("CARGO_BIN_EXE_crossbrief"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        self.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        self.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        self.success = Some(out.status.success());
        self
    }

    /// `crossbrief build` with extra arguments; must succeed.
    pub fn build_with(self, args: &[&str]) -> Self {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let t = self.run(&all);
        assert_eq!(t.success, Some(true), "build failed:\n{}", t.stderr);
        t
    }

    /// `crossbrief build`; must succeed.
    pub fn build(self) -> Self {
        self.build_with(&[])
    }

    /// `crossbrief build`; must fail.
    pub fn build_fails(self) -> Self {
        let t = self.run(&["build"]);
        assert_eq!(
            t.success,
            Some(false),
            "build unexpectedly succeeded:\n{}",
            t.stdout
        );
        t
    }

    /// stderr must contain `text`.
    pub fn assert_stderr(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    /// A produced file, as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A produced file must exist.
    pub fn assert_file(self, rel: &str) -> Self {
        assert!(self.out.join(rel).is_file(), "missing {rel}");
        self
    }

    /// A produced file must not exist.
    pub fn assert_no_file(self, rel: &str) -> Self {
        assert!(!self.out.join(rel).exists(), "unexpected {rel}");
        self
    }

    /// A produced page must contain `text`.
    pub fn assert_page(self, rel: &str, text: &str) -> Self {
        let page = self.read(rel);
        assert!(page.contains(text), "{rel} lacks {text:?}:\n{page}");
        self
    }

    /// A produced page must not contain `text`.
    pub fn assert_page_lacks(self, rel: &str, text: &str) -> Self {
        let page = self.read(rel);
        assert!(!page.contains(text), "{rel} has {text:?}");
        self
    }

    /// Every internal `href`/`src` of every page resolves to a file, and
    /// every `#anchor` to an id in it. `base_path` is the path part of the
    /// base URL, for the few absolute links (404.html).
    pub fn check_links(self, base_path: Option<&str>) -> Self {
        let broken = broken_links(&self.out, base_path);
        assert!(
            broken.is_empty(),
            "{} broken links:\n{}",
            broken.len(),
            broken.join("\n")
        );
        self
    }
}

fn decode(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every broken internal link under `out`, as `page: message`, by the
/// library's check (`crossbrief check` runs the same). `base_path` is the
/// path part of the base URL, for the few absolute links (404.html).
pub fn broken_links(out: &Path, base_path: Option<&str>) -> Vec<String> {
    assert!(
        out.join("index.html").is_file(),
        "no site under {}",
        out.display()
    );
    crossbrief::render::check::links(out, base_path)
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// Every HTML page under `out` (relative, `/`-separated) that no other page
/// links to, the home page and 404.html aside.
pub fn orphan_pages(out: &Path) -> Vec<String> {
    let attr = regex::Regex::new(r##"(?:href|action)="([^"#]*)(?:#[^"]*)?""##).unwrap();
    let mut pages = Vec::new();
    let mut linked: HashSet<PathBuf> = HashSet::new();
    for e in WalkDir::new(out).into_iter().map(|e| e.unwrap()) {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        pages.push(e.path().to_path_buf());
        let text = std::fs::read_to_string(e.path()).unwrap();
        let dir = e.path().parent().unwrap();
        for cap in attr.captures_iter(&text) {
            let link = decode(&cap[1]);
            if link.is_empty() || link.contains("://") || link.starts_with('/') {
                continue;
            }
            let target = normalise(&dir.join(&link));
            if target != e.path() {
                linked.insert(target);
            }
        }
    }
    let mut orphans: Vec<String> = pages
        .into_iter()
        .filter(|p| !linked.contains(p))
        .map(|p| {
            p.strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != "index.html" && p != "404.html")
        .collect();
    orphans.sort();
    orphans
}
