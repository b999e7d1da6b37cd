//! Writing a brief's fragments and its YAML safely.
//!
//! Fragments: a file is rewritten only when its bytes change; a fragment a
//! person took over (`reviewed: true`, or a body that no longer matches its
//! `ingest_hash`) is never touched; fragments whose sentence left the
//! source are removed only when pruning, and never when hand-edited.
//! Tags, `see_also` and `machine_tags` of an existing fragment are carried
//! into the new one before tagging, so re-tagging can keep a person's
//! additions and removals.
//!
//! Every file is written to a temporary sibling (a dot file, which the
//! build never reads) and renamed over the old one, so a process that
//! crashes or is killed leaves the old file or the new one, never half of
//! either. Just before a fragment is replaced, the file is read again: if
//! a person took it over while ingest ran (marked it `reviewed: true`,
//! changed its text, or left its front matter unfinished), it is not
//! replaced and ingest stops with a message saying so.
//!
//! Brief YAML: the file is split at a marker comment. Everything above it
//! is the person's and is kept byte for byte; ingest writes, below it,
//! only the keys the person did not write (`chapters`, `about`, `notes`,
//! `bibliography`). Moving a key above the marker takes it over.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::content::fragment::{self, Fragment};
use crate::content::paths::SiteRoot;
use crate::content::schema::{RawBrief, RawChapter};
use crate::content::taxonomy::Table;
use crate::diag::{Diagnostic, Failure};

/// The line separating a brief's hand-written keys from ingest's.
pub const MARKER: &str = "# --- written by `crossbrief ingest` below this line: edits here are replaced; move a key above this line to keep it ---";

/// An existing fragment file.
#[derive(Debug, Clone)]
pub struct Existing {
    /// Where the file is.
    pub path: PathBuf,
    /// Its bytes as read.
    pub text: String,
    /// Its parse.
    pub fragment: Fragment,
}

/// Reads every `*.md` fragment of a claims folder (`rel` relative to the
/// site root, for messages), keyed by id; every fragment that does not
/// parse is a diagnostic.
pub fn read_existing(
    site: &SiteRoot,
    dir: &Path,
    rel: &str,
    table: &Table,
) -> Result<BTreeMap<String, Existing>, Failure> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    let mut problems = Vec::new();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A link is read (and later written) only inside the site.
        match site.file(&format!("{rel}/{name}")) {
            Ok(Some(_)) => {}
            Ok(None) => continue,
            Err(d) => {
                problems.push(d);
                continue;
            }
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let fragment = match fragment::parse(&text, table) {
            Ok(f) => f,
            Err(e) => {
                let help = e.help.map_or_else(String::new, |h| format!("{h}; "));
                problems.push(
                    Diagnostic::new(format!("{rel}/{name}"), Some(e.line), e.message).help(
                        format!(
                        "{help}fix the front matter, or delete the file to let ingest rewrite it"
                    ),
                    ),
                );
                continue;
            }
        };
        let id = fragment.meta.id.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        out.insert(
            id,
            Existing {
                path,
                text,
                fragment,
            },
        );
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    Ok(out)
}

/// Copies what a person may have added to a fragment that ingest still
/// owns (tags, machine tags, see_also) into its new version.
pub fn carry_over(new: &mut Fragment, old: &Fragment) {
    for (taxonomy, list) in old.meta.tags.iter() {
        new.meta.tags.set(taxonomy, list.to_vec());
    }
    new.meta.machine_tags = old.meta.machine_tags.clone();
    new.meta.see_also = old.meta.see_also.clone();
}

/// What ingest detected for the brief YAML.
#[derive(Debug, Clone, Default)]
pub struct BriefOutput {
    /// Chapters detected.
    pub chapters: Vec<RawChapter>,
    /// Author biographies and "about" text, as Markdown paragraphs.
    pub about: Option<String>,
    /// Notes in source order.
    pub notes: Vec<(String, String)>,
    /// Bibliography entries in source order.
    pub bibliography: Vec<String>,
}

/// The person's part of a brief file (above the marker) and what it sets.
pub fn split_brief(text: &str) -> (&str, bool) {
    match text.find(MARKER) {
        Some(i) => (&text[..i], true),
        None => (text, false),
    }
}

/// The brief file with ingest's part rewritten. `head` is the person's
/// part, `head_brief` its parse.
pub fn render_brief(head: &str, head_brief: &RawBrief, out: &BriefOutput) -> String {
    let mut tail = String::new();
    if head_brief.chapters.is_empty() && !out.chapters.is_empty() {
        tail.push_str("chapters:\n");
        for c in &out.chapters {
            let _ = writeln!(tail, "  - id: {}", q(c.id.as_deref().unwrap_or("")));
            let _ = writeln!(tail, "    title: {}", q(c.title.as_deref().unwrap_or("")));
            let authors: Vec<String> = c.authors.iter().map(|a| q(a)).collect();
            let _ = writeln!(tail, "    authors: [{}]", authors.join(", "));
        }
    }
    if head_brief.about.is_none() {
        if let Some(a) = &out.about {
            let _ = writeln!(tail, "about: {}", q(a));
        }
    }
    if head_brief.notes.is_empty() && !out.notes.is_empty() {
        tail.push_str("notes:\n");
        for (id, text) in &out.notes {
            let _ = writeln!(tail, "  {}: {}", q(id), q(text));
        }
    }
    if head_brief.bibliography.is_empty() && !out.bibliography.is_empty() {
        tail.push_str("bibliography:\n");
        for b in &out.bibliography {
            let _ = writeln!(tail, "  - {}", q(b));
        }
    }
    let mut text = head.trim_end().to_string();
    text.push('\n');
    if !tail.is_empty() {
        text.push('\n');
        text.push_str(MARKER);
        text.push('\n');
        text.push_str(&tail);
    }
    text
}

/// A double-quoted YAML scalar (JSON escaping is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises to JSON")
}

/// Writes `text` to `path` unless it already holds exactly that, through
/// a temporary file and a rename (see the module comment). A fragment
/// (`.md`) that a person took over since ingest read it is not replaced:
/// that is an error naming the file. Returns whether the file changed.
pub fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<bool> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = replace(path, &tmp, text);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn replace(path: &Path, tmp: &Path, text: &str) -> anyhow::Result<bool> {
    use std::io::Write as _;
    match fs::read(path) {
        Ok(old) if old == text.as_bytes() => return Ok(false),
        Ok(old) => {
            let fragment = path.extension().is_some_and(|e| e == "md");
            if fragment && taken_over(&String::from_utf8_lossy(&old)) {
                anyhow::bail!(
                    "{} was edited while ingest ran (it is marked `reviewed: true`, its text changed, or its front matter is unfinished), so it was not replaced; run ingest again once the edit is saved",
                    path.display()
                );
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    let mut file = fs::File::create(tmp).with_context(|| format!("writing {}", tmp.display()))?;
    // Not flushed to disk one by one (ingest writes thousands): the rename
    // is what keeps a killed or crashed process from leaving half a file.
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", tmp.display()))?;
    drop(file);
    fs::rename(tmp, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(true)
}

/// Whether a fragment file's text is a person's now, by the rule of
/// [`Fragment::is_hand_edited`] (`reviewed: true`, or a body that no longer
/// matches its `ingest_hash`), read from the text alone so that it holds
/// whatever taxonomies the site declares; a file whose front matter does
/// not close is a person's too (an edit being made).
fn taken_over(text: &str) -> bool {
    let Ok(split) = crate::content::frontmatter::split(text) else {
        return true;
    };
    let value = |key: &str| {
        split.yaml.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.strip_prefix(':')?;
            let v = v.split(" #").next().unwrap_or(v).trim();
            Some(v.trim_matches(['"', '\'']).to_string())
        })
    };
    if value("reviewed").as_deref() == Some("true") {
        return true;
    }
    value("ingest_hash").is_some_and(|h| h != fragment::body_hash(split.body))
}

/// Natural order of note ids: "2" before "10", "ch1-9" before "ch1-10".
pub fn note_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(String, u64)> {
        s.split('-')
            .map(|p| {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                let alpha: String = p.chars().filter(|c| !c.is_ascii_digit()).collect();
                (alpha, digits.parse().unwrap_or(0))
            })
            .collect()
    }
    key(a).cmp(&key(b))
}

/// Ids made unique in order: the second "x" becomes "x-2".
pub fn disambiguate(ids: &mut [String]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for id in ids.iter_mut() {
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *id = format!("{id}-{n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_keeps_the_persons_part() {
        let head = "id: b\ntitle: \"T\"  # a comment\nnotes:\n  \"1\": \"mine\"\n";
        let brief: RawBrief = serde_yaml::from_str(head).unwrap();
        let out = BriefOutput {
            notes: vec![("1".into(), "detected".into())],
            bibliography: vec!["A book.".into()],
            ..BriefOutput::default()
        };
        let text = render_brief(head, &brief, &out);
        assert!(text.starts_with(head));
        assert!(!text.contains("detected"));
        assert!(text.contains("bibliography:\n  - \"A book.\"\n"));
        let back: RawBrief = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back.bibliography, vec!["A book.".to_string()]);
        // Re-rendering from the written file gives the same bytes.
        let (h, _) = split_brief(&text);
        let hb: RawBrief = serde_yaml::from_str(h).unwrap();
        assert_eq!(render_brief(h, &hb, &out), text);
    }

    #[test]
    fn writes_through_a_temporary_file_and_never_replaces_a_persons_fragment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("claims/b/0001.md");
        let body = "A claim.";
        let ours = format!(
            "---\nid: b-0001\nbrief: b\ningest_hash: {}\n---\n{body}\n",
            fragment::body_hash(body)
        );
        assert!(write_if_changed(&path, &ours).unwrap());
        assert!(!write_if_changed(&path, &ours).unwrap(), "unchanged");
        // Still ingest's: replaced.
        let next = ours.replace("A claim.", "A claim, revised.");
        let next = next.replace(
            &fragment::body_hash(body),
            &fragment::body_hash("A claim, revised."),
        );
        assert!(write_if_changed(&path, &next).unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), next);
        // A person's now: refused, the file kept as the person left it.
        for theirs in [
            next.replace("A claim, revised.", "My own words."),
            next.replace("brief: b\n", "brief: b\nreviewed: true\n"),
            next.replace("brief: b\n", "brief: b\nreviewed: true # checked\n"),
            "---\nid: b-0001\nbrief: b\n".to_string(),
        ] {
            fs::write(&path, &theirs).unwrap();
            let e = write_if_changed(&path, &ours).unwrap_err().to_string();
            assert!(e.contains("was edited while ingest ran"), "{e}");
            assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
        }
        // No temporary file is left, and none is visible to the build.
        let names: Vec<String> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["0001.md"]);
        // A brief's YAML is not a fragment: replaced whatever it holds.
        let brief = dir.path().join("b.yaml");
        fs::write(&brief, "id: b\nreviewed: true\n").unwrap();
        assert!(write_if_changed(&brief, "id: b\n").unwrap());
    }

    #[test]
    fn orders_and_disambiguates() {
        let mut v = vec!["10", "2", "ch1-10", "ch1-9", "1"];
        v.sort_by(|a, b| note_order(a, b));
        assert_eq!(v, vec!["1", "2", "10", "ch1-9", "ch1-10"]);
        let mut ids = vec!["a".to_string(), "b".into(), "a".into()];
        disambiguate(&mut ids);
        assert_eq!(ids, vec!["a", "b", "a-2"]);
    }
}
