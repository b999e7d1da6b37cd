//! Writing a build atomically: every file goes into a fresh folder next to
//! the output folder, which is swapped in only once everything is written.
//! A failed build removes its staging folder and leaves the previous output
//! exactly as it was.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// A staging folder being filled; dropped without [`Staging::commit`], it
/// removes itself.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}-{tag}-{}", std::process::id()))
}

/// Refuses output folders that would destroy content: the site root itself,
/// one of its ancestors, or a folder holding a content tree.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, out_abs) = (abs(root), abs(out));
    if root_abs.starts_with(&out_abs) {
        bail!(
            "refusing to write the site into {}: it contains the site root {}; choose an output folder such as {}",
            out.display(),
            root.display(),
            root.join("public").display()
        );
    }
    if out_abs.join("content").join("site.yaml").exists() {
        bail!(
            "refusing to replace {}: it holds a content tree, not a built site",
            out.display()
        );
    }
    if out.exists() && !out.is_dir() {
        bail!(
            "the output path {} exists and is not a folder",
            out.display()
        );
    }
    Ok(())
}

impl Staging {
    /// Creates an empty staging folder beside `out`.
    pub fn new(out: &Path) -> Result<Staging> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let dir = sibling(out, "staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (path relative to the output root, `/`-separated),
    /// creating its folders. One write call per file.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            make_dir(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    /// Copies a file from disk into the staging folder.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<u64> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::copy(from, &path).with_context(|| format!("copying {}", from.display()))
    }

    /// Swaps the staging folder in as the output folder; the old output is
    /// moved aside first and removed after the swap.
    pub fn commit(mut self) -> Result<()> {
        let old = sibling(&self.out, "old");
        let had_old = self.out.exists();
        if had_old {
            if old.exists() {
                std::fs::remove_dir_all(&old)
                    .with_context(|| format!("removing {}", old.display()))?;
            }
            std::fs::rename(&self.out, &old).with_context(|| {
                format!("moving the previous output {} aside", self.out.display())
            })?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(e)
                .with_context(|| format!("moving the new site into {}", self.out.display()));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old)?;
        }
        Ok(())
    }
}

/// Creates folder `dir` and any missing parents. Most pages have a folder
/// of their own whose parent exists, so one `mkdir` is tried first.
fn make_dir(dir: &Path) -> Result<()> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(_) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
        }
    }
}

/// Removes a folder tree, its top-level entries in parallel (a previous
/// build can hold 100,000 folders).
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        let r = if p.is_dir() && !p.is_symlink() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        };
        r.with_context(|| format!("removing {}", p.display()))
    })?;
    std::fs::remove_dir(dir).with_context(|| format!("removing {}", dir.display()))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(out.join("a/index.html").exists());
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn dropped_staging_leaves_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("x.html", b"x").unwrap();
        }
        assert!(out.join("old.html").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_out_dir(dir.path(), dir.path()).is_err());
        assert!(check_out_dir(&dir.path().join("site"), dir.path()).is_err());
        assert!(check_out_dir(dir.path(), &dir.path().join("public")).is_ok());
    }
}
