//! Writing a build safely: every file goes into a fresh staging folder next
//! to the output folder, which is swapped in only once everything is
//! written. A failed build removes its staging folder and leaves the
//! previous output exactly as it was.
//!
//! Because a build replaces its output folder whole, the output folder is
//! never allowed to be the user's work: [`resolve_out`] (and
//! [`check_out_dir`]) refuse the site root, its ancestors, `content/`,
//! `templates/` and `static/` (and anything inside them or holding them),
//! paths that are not folders, and non-empty folders that are not a
//! previous output. Every output carries a marker file, [`MARKER`], at its
//! top; a folder holding it may be replaced. Paths are compared resolved
//! (symbolic links followed, `..` applied), and a symlinked output is built
//! at the folder it points to, so the link survives and points at the new
//! site.
//!
//! The swap is atomic on Linux (`renameat2` with `RENAME_EXCHANGE`): the
//! output path holds the complete old site or the complete new one at every
//! instant. Elsewhere, or on a file system without the exchange, the old
//! output is renamed aside and the new one renamed in; a build killed
//! between the two renames is repaired by the next one, which puts the old
//! site back before it starts.
//!
//! Staging and old folders are named after the output and the process id
//! (`.public-staging-PID`, `.public-old-PID`); each build removes those
//! left by processes that are no longer running, and never touches those
//! of a running one (a concurrent build or `serve`).
//!
//! One build at a time writes an output: [`Staging::new`] takes the lock
//! file `.NAME.lock` beside it (created exclusively, holding the process
//! id) and the staging folder releases it when dropped. A second build
//! finds the lock and stops with a message naming the process that holds
//! it; a lock whose process no longer runs (a killed build) is taken over.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};

/// The marker file written at the top of every output folder; a folder
/// holding it is a previous output that a build may replace.
pub const MARKER: &str = ".crossbrief-output";

/// The marker's text: what the folder is, for whoever opens it.
const MARKER_TEXT: &str =
    "This folder is a site built by crossbrief; every build replaces it whole.\n";

/// Where no process table is available, leftovers older than this are
/// taken to be from killed builds (a build takes seconds to minutes).
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// A staging folder being filled; dropped without [`Staging::commit`], it
/// removes itself. It holds the output's [`Lock`] until dropped.
pub struct Staging {
    dir: PathBuf,
    /// The resolved output folder (symbolic links followed).
    out: PathBuf,
    committed: bool,
    _lock: Lock,
}

/// The output's build lock, `.NAME.lock` beside it, holding the id of the
/// process that builds; removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// The lock file of output folder `out` (resolved).
    pub fn path_of(out: &Path) -> PathBuf {
        out.with_file_name(format!(".{}.lock", out_name(out)))
    }

    /// Takes the lock of `out` (resolved) for this process. A lock held by a
    /// running process is an error saying which; one left by a process that
    /// is gone (or, without a process table, older than an hour) is taken
    /// over. This process's own lock (a `serve` session's next build) is
    /// taken again.
    pub fn acquire(out: &Path) -> Result<Lock> {
        use std::io::Write as _;
        let path = Lock::path_of(out);
        let me = std::process::id();
        // Two attempts: the second after removing a stale lock (another
        // build may win that race; then it holds the lock).
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    f.write_all(format!("{me}\n").as_bytes())
                        .and_then(|()| f.sync_all())
                        .with_context(|| format!("writing the build lock {}", path.display()))?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("creating the build lock {}", path.display()))
                }
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let holder = text.trim().parse::<u32>().ok();
            let stale = match holder {
                Some(pid) if pid == me => return Ok(Lock { path }),
                Some(pid) => match owner(pid) {
                    Owner::Running => false,
                    Owner::Gone => true,
                    Owner::Unknown => modified(&path).elapsed().is_ok_and(|a| a > STALE_AFTER),
                },
                // Empty or garbled: a build killed while writing it, or
                // not ours; judged by its age.
                None => modified(&path)
                    .elapsed()
                    .is_ok_and(|a| a > Duration::from_secs(10)),
            };
            if !stale {
                let who = holder.map_or("another process".to_string(), |p| {
                    format!("another crossbrief process (pid {p})")
                });
                bail!(
                    "{} is being built by {who}: wait for that build to finish and run this one again (if no crossbrief build or serve is running, remove the lock file {})",
                    out.display(),
                    path.display()
                );
            }
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("removing the stale build lock {}", path.display())
                    })
                }
            }
        }
        bail!(
            "{} is being built by another process that just started: run this build again",
            out.display()
        )
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only our own: a lock taken over after this process was thought
        // gone is not removed.
        let ours = std::fs::read_to_string(&self.path)
            .is_ok_and(|t| t.trim() == std::process::id().to_string());
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The two kinds of sibling folders a build makes beside its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Staging,
    Old,
}

impl Tag {
    fn as_str(self) -> &'static str {
        match self {
            Tag::Staging => "staging",
            Tag::Old => "old",
        }
    }
}

fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

fn sibling_of(out: &Path, tag: Tag, pid: u32) -> PathBuf {
    out.with_file_name(format!(".{}-{}-{pid}", out_name(out), tag.as_str()))
}

fn sibling(out: &Path, tag: Tag) -> PathBuf {
    sibling_of(out, tag, std::process::id())
}

/// Which sibling folder `file` is for the output named `name`, and the
/// process that made it: `.NAME-staging-PID` or `.NAME-old-PID`.
fn parse_sibling(name: &str, file: &str) -> Option<(Tag, u32)> {
    let rest = file
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('-')?;
    let (tag, pid) = if let Some(pid) = rest.strip_prefix("staging-") {
        (Tag::Staging, pid)
    } else if let Some(pid) = rest.strip_prefix("old-") {
        (Tag::Old, pid)
    } else {
        return None;
    };
    // `parse` alone would accept `+12`, which no build writes.
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((tag, pid.parse().ok()?))
}

/// Whether the process that made a sibling folder still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Only Linux has a process table to tell `Running` from `Gone`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
enum Owner {
    Running,
    Gone,
    /// No process table to ask (not Linux, or no `/proc`).
    Unknown,
}

fn owner(pid: u32) -> Owner {
    #[cfg(target_os = "linux")]
    {
        // /proc has an entry for every running process; a container
        // without /proc mounted falls back to the age rule.
        if Path::new("/proc/self").exists() {
            return if Path::new("/proc").join(pid.to_string()).exists() {
                Owner::Running
            } else {
                Owner::Gone
            };
        }
    }
    let _ = pid;
    Owner::Unknown
}

/// `path` made absolute with every symbolic link followed and `..` applied.
/// The part of the path that does not exist yet is kept as written (minus
/// `.` and `..`), so a new output folder resolves too. A dangling link is
/// an error: what it would create is not clear.
fn resolve(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let parts: Vec<Component> = abs.components().collect();
    for k in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..k].iter().collect();
        match std::fs::canonicalize(&prefix) {
            Ok(mut real) => {
                for c in &parts[k..] {
                    match c {
                        Component::ParentDir => {
                            real.pop();
                        }
                        Component::CurDir => {}
                        other => real.push(other),
                    }
                }
                return Ok(real);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if prefix.symlink_metadata().is_ok() {
                    bail!(
                        "{} is a symbolic link to a path that does not exist; create the folder it points to, or remove the link",
                        prefix.display()
                    );
                }
            }
            Err(e) => return Err(e).with_context(|| format!("resolving {}", prefix.display())),
        }
    }
    // Not even the file-system root exists (cannot happen on a working
    // system): keep the path as written.
    Ok(abs)
}

/// `out` as the user wrote it, and what it resolves to when that differs.
fn shown(out: &Path, target: &Path) -> String {
    match std::path::absolute(out) {
        Ok(abs) if abs == target => out.display().to_string(),
        _ => format!("{} (which resolves to {})", out.display(), target.display()),
    }
}

/// Refuses `target` (a resolved path) unless a build may replace it: it
/// does not exist, or is an empty folder, or a folder holding [`MARKER`] (or
/// the files of an output from before the marker).
/// `shown` names it in messages; `suggest` is an output folder to propose.
fn check_replaceable(shown: &str, target: &Path, suggest: Option<&Path>) -> Result<()> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("reading {shown}")),
    };
    let such_as = suggest
        .filter(|s| resolve(s).ok().as_deref() != Some(target))
        .map(|s| format!(" such as {}", s.display()))
        .unwrap_or_default();
    if meta.file_type().is_symlink() {
        // `target` was resolved, so it was replaced by a link since.
        bail!("refusing to build into {shown}: it has become a symbolic link; run the build again");
    }
    if !meta.is_dir() {
        bail!(
            "refusing to build into {shown}: it exists and is not a folder; choose an output folder{such_as}"
        );
    }
    // Outputs of earlier crossbrief versions have no marker; they are known
    // by the three files only crossbrief writes together at the top.
    let legacy = ["highlight.css", "sitemap.xml", "404.html"]
        .iter()
        .all(|f| target.join(f).is_file());
    if target.join(MARKER).is_file() || legacy {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(target).with_context(|| format!("reading {shown}"))?;
    if entries.next().is_none() {
        return Ok(());
    }
    bail!(
        "refusing to replace {shown}: it is a folder with files in it and not a crossbrief output (it has no {MARKER} file), and a build replaces its output folder whole; choose an empty or new output folder{such_as}, or, if it only holds a site built by an earlier crossbrief, delete it yourself once"
    )
}

/// Checks that `out` may be an output folder of the site at `root`, and
/// returns the folder a build should write: `out` resolved (absolute,
/// symbolic links followed, `..` applied), so a symlinked `out` is built at
/// the folder it points to and the link survives. Refused, with a message
/// naming the folder: the site root or one of its ancestors; `content/`,
/// `templates/` or `static/`, anything inside them or holding them; a path
/// that exists and is not a folder; a non-empty folder without [`MARKER`]
/// (not a previous output). Nothing is changed on disk.
pub fn resolve_out(root: &Path, out: &Path) -> Result<PathBuf> {
    let target = resolve(out)?;
    let root_real = resolve(root)?;
    let suggest = root.join("public");
    let shown = shown(out, &target);
    let advice = format!(
        "a build replaces its output folder whole; choose an output folder such as {}",
        suggest.display()
    );
    if root_real.starts_with(&target) {
        let what = if root_real == target {
            "it is the site root".to_string()
        } else {
            format!("it holds the site root {}", root_real.display())
        };
        bail!("refusing to build into {shown}: {what}, and {advice}");
    }
    for folder in ["content", "templates", "static"] {
        // Resolved on its own: `content/` may be a link to elsewhere.
        let real = resolve(&root_real.join(folder))?;
        let what = if target == real {
            format!("it is the site's {folder}/ folder")
        } else if target.starts_with(&real) {
            format!(
                "it is inside the site's {folder}/ folder {}",
                real.display()
            )
        } else if real.starts_with(&target) {
            format!("it holds the site's {folder}/ folder {}", real.display())
        } else {
            continue;
        };
        bail!("refusing to build into {shown}: {what}, and {advice}");
    }
    check_replaceable(&shown, &target, Some(&suggest))?;
    Ok(target)
}

/// Refuses output folders a build must not replace; see [`resolve_out`],
/// which also returns the resolved folder to build into.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    resolve_out(root, out).map(|_| ())
}

/// Cleans up after killed builds of `out` (resolved) before a new one
/// starts. If `out` is missing and a previous build was killed between the
/// two renames of the fallback swap, its `.NAME-old-PID` folder (the
/// complete old site) is put back at `out`. Then every staging and old
/// folder of a process that no longer runs is removed; those of running
/// processes, and this process's own (handled by [`Staging`]), are kept.
fn sweep(out: &Path) -> Result<()> {
    let Some(parent) = out.parent() else {
        return Ok(());
    };
    let name = out_name(out);
    let me = std::process::id();
    let entries =
        std::fs::read_dir(parent).with_context(|| format!("reading {}", parent.display()))?;
    let mut found: Vec<(Tag, Owner, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some((tag, pid)) = file.to_str().and_then(|f| parse_sibling(&name, f)) else {
            continue;
        };
        // Only real folders: a link named like a leftover is not ours to
        // follow. (DirEntry::file_type does not follow links.)
        if pid == me || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let who = owner(pid);
        if who != Owner::Running {
            found.push((tag, who, entry.path()));
        }
    }
    let missing = matches!(
        std::fs::symlink_metadata(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound
    );
    if missing {
        // The newest old site, if several builds were killed this way.
        let newest = found
            .iter()
            .filter(|(tag, _, _)| *tag == Tag::Old)
            .max_by_key(|(_, _, p)| modified(p));
        if let Some((_, _, old)) = newest {
            std::fs::rename(old, out).with_context(|| {
                format!(
                    "putting back the previous site {} (left by a build that was stopped) at {}",
                    old.display(),
                    out.display()
                )
            })?;
        }
    }
    for (_, who, path) in &found {
        if !path.exists() {
            continue; // the folder just put back at `out`
        }
        let stale = match who {
            Owner::Gone => true,
            Owner::Unknown => modified(path).elapsed().is_ok_and(|age| age > STALE_AFTER),
            Owner::Running => false,
        };
        if stale {
            // A leftover that cannot be removed only costs disk space; it
            // must not stop the build.
            let _ = remove_tree(path);
        }
    }
    Ok(())
}

fn modified(p: &Path) -> std::time::SystemTime {
    std::fs::symlink_metadata(p)
        .and_then(|m| m.modified())
        .unwrap_or(std::time::UNIX_EPOCH)
}

/// Exchanges folders `a` and `b` in one step. `Ok(false)` when the system
/// or file system cannot (the caller falls back to two renames).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The raw system call rather than glibc's wrapper, which only exists
    // from glibc 2.28.
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call; renameat2 reads them and nothing else.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // No renameat2 (old kernel), no exchange on this file system, or a
        // sandbox that filters the call: the two-rename fallback reports
        // any real permission problem itself.
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP | libc::EPERM) => Ok(false),
        _ => Err(e),
    }
}

/// Exchanges folders `a` and `b` in one step; not available here.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

impl Staging {
    /// Creates an empty staging folder beside the output folder `out`.
    /// `out` is resolved first (pass [`resolve_out`]'s result, or a path
    /// to be resolved here: a symlinked `out` is built at its target).
    /// Leftovers of killed builds are cleaned up first (see the module
    /// comment). Refuses an `out` that is not a folder, or a non-empty
    /// folder that is not a previous output; it does not know the site
    /// root, so call [`resolve_out`] or [`check_out_dir`] before.
    pub fn new(out: &Path) -> Result<Staging> {
        let out = resolve(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| anyhow!("{} cannot be an output folder", out.display()))?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        // Before the sweep: a concurrent build's staging folder is not
        // a leftover, and the lock tells them apart.
        let lock = Lock::acquire(&out)?;
        sweep(&out)?;
        check_replaceable(&out.display().to_string(), &out, None)?;
        let dir = sibling(&out, Tag::Staging);
        // This process's own leftover (a `serve` build whose cleanup
        // failed): nobody else uses the name.
        remove_any(&dir)?;
        std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging {
            dir,
            out,
            committed: false,
            _lock: lock,
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

    /// Writes [`MARKER`] and swaps the staging folder in as the output
    /// folder, atomically where the system can (see the module comment),
    /// then removes the previous output.
    pub fn commit(mut self) -> Result<()> {
        // Last, so a static file of the same name cannot replace it.
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        // The build took a while: whatever is at `out` now is what the swap
        // replaces.
        check_replaceable(&self.out.display().to_string(), &self.out, None)?;
        let exists = match std::fs::symlink_metadata(&self.out) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(e).with_context(|| format!("reading {}", self.out.display())),
        };
        if !exists {
            std::fs::rename(&self.dir, &self.out)
                .with_context(|| format!("moving the new site into {}", self.out.display()))?;
            self.committed = true;
            return Ok(());
        }
        let exchanged = exchange(&self.dir, &self.out).with_context(|| {
            format!(
                "swapping the new site {} with {}",
                self.dir.display(),
                self.out.display()
            )
        })?;
        if exchanged {
            self.committed = true;
            // The previous site is now at the staging path.
            return remove_tree(&self.dir);
        }
        self.swap_aside()
    }

    /// The swap where no exchange is available: the old output is renamed
    /// aside, the new one renamed in. A build killed between the two leaves
    /// `.NAME-old-PID` and no output, which the next build's [`sweep`]
    /// puts back.
    fn swap_aside(&mut self) -> Result<()> {
        let old = sibling(&self.out, Tag::Old);
        remove_any(&old)?;
        std::fs::rename(&self.out, &old)
            .with_context(|| format!("moving the previous output {} aside", self.out.display()))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            let _ = std::fs::rename(&old, &self.out);
            return Err(e)
                .with_context(|| format!("moving the new site into {}", self.out.display()));
        }
        self.committed = true;
        remove_tree(&old)
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

/// Removes whatever is at `path` (a folder tree, a file or a link; a link
/// is removed, not followed); nothing there is fine.
fn remove_any(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => remove_tree(path),
        Ok(_) => std::fs::remove_file(path).with_context(|| format!("removing {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Removes a folder tree, its top-level entries in parallel (a previous
/// build can hold 100,000 folders). Refuses a symbolic link: listing it
/// would empty the folder it points to.
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let meta =
        std::fs::symlink_metadata(dir).with_context(|| format!("reading {}", dir.display()))?;
    if !meta.is_dir() {
        bail!("not removing {}: it is not a folder", dir.display());
    }
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

/// Writes a file through a temporary sibling and a rename, so a reader (the
/// server, a browser) never sees half a page.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = path
        .parent()
        .ok_or_else(|| anyhow!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("replacing {}", path.display())
    })
}

/// Removes an output file and the folders it leaves empty.
pub fn remove_output(out: &Path, rel: &str) -> anyhow::Result<()> {
    let path = out.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root with content, templates and static files, in a temp
    /// folder of its own.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        for (rel, text) in [
            ("content/site.yaml", "title: T\n"),
            ("content/claims/a/0001.md", "claim\n"),
            ("templates/base.html", "<html>\n"),
            ("static/style.css", "body{}\n"),
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        (tmp, root)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// The id of a process that has exited and been reaped.
    #[cfg(unix)]
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    fn refusal(root: &Path, out: &Path) -> String {
        match resolve_out(root, out) {
            Ok(t) => panic!("{} accepted as {}", out.display(), t.display()),
            Err(e) => format!("{e:#}"),
        }
    }

    fn build(out: &Path, files: &[(&str, &str)]) -> Result<()> {
        let s = Staging::new(out)?;
        for (rel, text) in files {
            s.write(rel, text.as_bytes())?;
        }
        s.commit()
    }

    #[test]
    fn swaps_in_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("old.html", "old")]).unwrap();
        build(&out, &[("a/index.html", "new")]).unwrap();
        assert!(out.join("a/index.html").exists());
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            MARKER_TEXT
        );
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn dropped_staging_leaves_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("old.html", "old")]).unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("x.html", b"x").unwrap();
        }
        assert!(out.join("old.html").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn refuses_the_root_and_its_ancestors() {
        let (tmp, root) = site();
        assert!(refusal(&root, &root).contains("it is the site root"));
        let e = refusal(&root, tmp.path());
        assert!(e.contains("it holds the site root"), "{e}");
        assert!(e.contains("choose an output folder such as"), "{e}");
        assert!(refusal(&root, &root.join("content/..")).contains("site root"));
        assert!(refusal(&root, Path::new("/")).contains("site root"));
    }

    #[test]
    fn refuses_content_templates_static_and_inside_them() {
        let (_tmp, root) = site();
        for (out, folder) in [
            ("content", "content"),
            ("content/claims", "content"),
            ("content/claims/new", "content"),
            ("content/../content", "content"),
            ("templates", "templates"),
            ("static", "static"),
            ("static/img", "static"),
        ] {
            let e = refusal(&root, &root.join(out));
            assert!(e.contains(&format!("{folder}/ folder")), "{out}: {e}");
            assert!(
                e.contains(&root.join("public").display().to_string()),
                "{e}"
            );
        }
        // Missing folders are protected too: a later build would fill them.
        std::fs::remove_dir_all(root.join("templates")).unwrap();
        assert!(refusal(&root, &root.join("templates")).contains("templates/ folder"));
    }

    #[test]
    #[cfg(unix)]
    fn refuses_through_symbolic_links() {
        let (tmp, root) = site();
        // A link to content/ elsewhere, and a content/ that is a link.
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        let e = refusal(&root, &link.join("claims"));
        assert!(e.contains("which resolves to"), "{e}");
        assert!(e.contains("content/ folder"), "{e}");
        let other = tmp.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::rename(root.join("content"), other.join("content")).unwrap();
        std::os::unix::fs::symlink(other.join("content"), root.join("content")).unwrap();
        assert!(refusal(&root, &other.join("content/claims")).contains("content/ folder"));
        assert!(refusal(&root, &other).contains("holds the site's content/ folder"));
    }

    #[test]
    fn refuses_unmarked_folders_and_files() {
        let (tmp, root) = site();
        let notes = tmp.path().join("notes");
        std::fs::create_dir(&notes).unwrap();
        std::fs::write(notes.join("todo.txt"), "keep me").unwrap();
        let e = refusal(&root, &notes);
        assert!(e.contains("not a crossbrief output"), "{e}");
        assert!(e.contains(MARKER), "{e}");
        // Staging refuses it on its own too, and leaves it alone.
        assert!(build(&notes, &[("index.html", "x")]).is_err());
        assert_eq!(names(&notes), ["todo.txt"]);
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(refusal(&root, &file).contains("not a folder"));
        assert!(Staging::new(&file).is_err());
        // Offered root/public itself is not suggested back.
        std::fs::create_dir(root.join("public")).unwrap();
        std::fs::write(root.join("public/keep.txt"), "x").unwrap();
        let e = refusal(&root, &root.join("public"));
        assert!(!e.contains("such as"), "{e}");
        // An output of a version before the marker is known by its files.
        for f in ["highlight.css", "sitemap.xml", "404.html"] {
            std::fs::write(root.join("public").join(f), "x").unwrap();
        }
        assert!(check_out_dir(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn accepts_new_empty_and_marked_folders() {
        let (tmp, root) = site();
        let out = root.join("public");
        assert_eq!(
            resolve_out(&root, &out).unwrap(),
            root.canonicalize().unwrap().join("public")
        );
        assert!(check_out_dir(&root, &tmp.path().join("elsewhere/deep/out")).is_ok());
        std::fs::create_dir(&out).unwrap();
        assert!(check_out_dir(&root, &out).is_ok());
        std::fs::write(out.join("index.html"), "x").unwrap();
        assert!(check_out_dir(&root, &out).is_err());
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_out_dir(&root, &out).is_ok());
    }

    #[test]
    #[cfg(unix)]
    fn symlinked_output_is_built_at_its_target() {
        let (tmp, root) = site();
        let target = tmp.path().join("www");
        let link = root.join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        // A link to a missing folder: refused, nothing created.
        assert!(check_out_dir(&root, &link).is_err());
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep.txt"), "mine").unwrap();
        // Not an output: refused, the target untouched.
        assert!(check_out_dir(&root, &link).is_err());
        assert!(build(&link, &[("index.html", "new")]).is_err());
        assert_eq!(names(&target), ["keep.txt"]);
        // A previous output: replaced, the link kept.
        std::fs::write(target.join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(
            resolve_out(&root, &link).unwrap(),
            target.canonicalize().unwrap()
        );
        build(&link, &[("index.html", "new")]).unwrap();
        build(&link, &[("index.html", "newer")]).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), target);
        assert_eq!(
            std::fs::read_to_string(link.join("index.html")).unwrap(),
            "newer"
        );
        assert_eq!(names(&target), [MARKER, "index.html"]);
        assert_eq!(names(tmp.path()), ["site", "www"]);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn exchange_swaps_and_leaves_no_siblings() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("x"), "a").unwrap();
        if !exchange(&a, &b).unwrap() {
            eprintln!("note: this file system cannot exchange folders; fallback tested only");
            return;
        }
        assert!(b.join("x").exists() && !a.join("x").exists());
        let out = dir.path().join("public");
        build(&out, &[("1.html", "1")]).unwrap();
        build(&out, &[("2.html", "2")]).unwrap();
        assert_eq!(names(&out), [MARKER, "2.html"]);
        assert_eq!(names(dir.path()), ["a", "b", "public"]);
    }

    #[test]
    fn fallback_swap_leaves_no_siblings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("1.html", "1")]).unwrap();
        let mut s = Staging::new(&out).unwrap();
        s.write("2.html", b"2").unwrap();
        s.write(MARKER, MARKER_TEXT.as_bytes()).unwrap();
        s.swap_aside().unwrap();
        drop(s);
        assert_eq!(names(&out), [MARKER, "2.html"]);
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn leftovers_of_dead_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("1.html", "1")]).unwrap();
        let dead = dead_pid();
        for tag in [Tag::Staging, Tag::Old] {
            let p = sibling_of(&out, tag, dead);
            std::fs::create_dir_all(p.join("deep/er")).unwrap();
            std::fs::write(p.join("deep/er/page.html"), "x").unwrap();
        }
        // Not ours: another output's leftovers, and a look-alike.
        let other = dir.path().join(format!(".publicx-staging-{dead}"));
        std::fs::create_dir(&other).unwrap();
        std::fs::create_dir(dir.path().join(".public-staging-+1")).unwrap();
        build(&out, &[("2.html", "2")]).unwrap();
        assert_eq!(
            names(dir.path()),
            [
                ".public-staging-+1".to_string(),
                format!(".publicx-staging-{dead}"),
                "public".to_string()
            ]
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn leftovers_of_running_processes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let live = sibling_of(&out, Tag::Staging, child.id());
        std::fs::create_dir(&live).unwrap();
        std::fs::write(live.join("page.html"), "x").unwrap();
        build(&out, &[("1.html", "1")]).unwrap();
        build(&out, &[("2.html", "2")]).unwrap();
        let _ = child.kill();
        let _ = child.wait();
        assert!(live.join("page.html").exists());
    }

    #[test]
    #[cfg(unix)]
    fn a_build_killed_between_the_two_renames_is_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("old.html", "old")]).unwrap();
        // What a build killed after moving the output aside leaves: the old
        // site aside, its complete staging folder, no output.
        let dead = dead_pid();
        std::fs::rename(&out, sibling_of(&out, Tag::Old, dead)).unwrap();
        let staging = sibling_of(&out, Tag::Staging, dead);
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("half.html"), "x").unwrap();
        let s = Staging::new(&out).unwrap();
        // The old site is back while the new one is built.
        assert!(out.join("old.html").exists());
        s.write("new.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(names(&out), [MARKER, "new.html"]);
        // Elsewhere the dead build's staging folder stays for an hour.
        #[cfg(target_os = "linux")]
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_second_build_is_refused_while_the_first_runs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "first")]).unwrap();
        assert!(!Lock::path_of(&out).exists(), "released after the build");
        // Another build, running: a live process holds the lock.
        let mut other = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        std::fs::write(Lock::path_of(&out), format!("{}\n", other.id())).unwrap();
        let e = format!(
            "{:#}",
            build(&out, &[("index.html", "second")]).unwrap_err()
        );
        assert!(
            e.contains(&format!(
                "is being built by another crossbrief process (pid {})",
                other.id()
            )),
            "{e}"
        );
        assert!(e.contains("remove the lock file"), "{e}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "first"
        );
        assert_eq!(names(dir.path()), [".public.lock", "public"]);
        // It is killed: its lock is stale and taken over.
        other.kill().unwrap();
        other.wait().unwrap();
        build(&out, &[("index.html", "third")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "third"
        );
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_of_a_dead_process_or_this_one_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::write(Lock::path_of(&out), format!("{}\n", dead_pid())).unwrap();
        let lock = Lock::acquire(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(Lock::path_of(&out)).unwrap(),
            format!("{}\n", std::process::id())
        );
        // This process's own (a serve session's next build).
        let again = Lock::acquire(&out).unwrap();
        drop(again);
        drop(lock);
        assert!(!Lock::path_of(&out).exists());
        // A lock just created and not yet written is a build starting.
        std::fs::write(Lock::path_of(&out), "").unwrap();
        assert!(Lock::acquire(&out).is_err());
    }

    #[test]
    fn sibling_names_parse() {
        assert_eq!(
            parse_sibling("public", ".public-staging-12"),
            Some((Tag::Staging, 12))
        );
        assert_eq!(
            parse_sibling("public", ".public-old-7"),
            Some((Tag::Old, 7))
        );
        assert_eq!(parse_sibling("public", ".public-old-"), None);
        assert_eq!(parse_sibling("public", ".public-new-7"), None);
        assert_eq!(parse_sibling("pub", ".public-old-7"), None);
        assert_eq!(parse_sibling("a", ".a-old-old-7"), None);
    }
}
