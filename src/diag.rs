//! Content diagnostics: one problem in one file (`path:line: message`, plus a
//! `help:` line saying what to do), and the report a failed build prints.
//!
//! Every stage that reads content (load, parse, validate, theme) reports its
//! problems as a list of [`Diagnostic`]s instead of stopping at the first one;
//! `main` prints them with [`report`]. Unexpected failures (disk, permissions)
//! are `anyhow` errors instead.

use std::borrow::Cow;
use std::fmt;

/// One problem with the content, located as precisely as is known.
/// Serialisable, so a dev server can show it in the browser too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// File line, counting from 1; `None` when the problem is the whole file.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a help line.
    pub fn new(path: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            message: message.into(),
            help: None,
        }
    }

    /// Adds the `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// One `error:` line and one `help:` line; file names and values in
    /// them are printed with [`escape`], so content cannot forge lines of
    /// its own or drive the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, message) = (escape(&self.path), escape(&self.message));
        match self.line {
            Some(line) => write!(f, "error: {path}:{line}: {message}")?,
            None => write!(f, "error: {path}: {message}")?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape(help))?;
        }
        Ok(())
    }
}

/// `text` with every character that could break a report's lines or act on
/// a terminal written as an escape: control characters (newlines, carriage
/// returns, the ESC of colour and cursor sequences, DEL, C1 controls) as
/// `\n`, `\r`, `\t` or `\u{..}`, and the Unicode line separators and
/// bidirectional overrides (which can make text read in another order) as
/// `\u{..}`. A backslash is left alone: file names on Windows hold them.
pub fn escape(text: &str) -> Cow<'_, str> {
    fn risky(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    }
    if !text.chars().any(risky) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if risky(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Sorts by path, then line, and drops exact duplicates, so a report reads top
/// to bottom through each file.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort();
    diags.dedup();
}

/// Why a command failed: problems with the content, all of them, sorted;
/// or an unexpected failure (disk, permissions) with context.
#[derive(Debug)]
pub enum Failure {
    Content(Vec<Diagnostic>),
    Io(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(mut d: Vec<Diagnostic>) -> Self {
        sort(&mut d);
        Failure::Content(d)
    }
}

impl fmt::Display for Failure {
    /// Every diagnostic, a line each (no count line), or the error and its
    /// causes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Content(d) => {
                for (i, d) in d.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Failure::Io(e) => write!(f, "error: {}", escape(&format!("{e:#}"))),
        }
    }
}

impl Failure {
    /// What to print: every diagnostic and a count line ending in
    /// `outcome` (what was and was not done), or the error and its causes.
    pub fn report(&self, outcome: &str) -> String {
        match self {
            Failure::Content(d) => report(d, outcome),
            Failure::Io(e) => format!("error: {}\n", escape(&format!("{e:#}"))),
        }
    }
}

/// The whole report of failed work: every diagnostic, then a count line
/// that says what `outcome` there was ("nothing was written, public/ still
/// holds the last good build").
pub fn report(diags: &[Diagnostic], outcome: &str) -> String {
    let mut s = String::new();
    for d in diags {
        s.push_str(&d.to_string());
        s.push('\n');
    }
    let n = diags.len();
    s.push_str(&format!(
        "{n} error{} in content/; {outcome}\n",
        if n == 1 { "" } else { "s" }
    ));
    s
}

/// The outcome line of a failed build into `out`.
pub fn build_outcome(out: &str) -> String {
    format!("nothing was written, {out} still holds the last good build")
}

/// Levenshtein distance between two short strings (ids), for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The known id closest to `wanted`, if it is close enough to be a plausible
/// typo, or if one contains the other (`korea` → `south-korea`).
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let limit = (wanted.chars().count() / 3).max(2);
    let wanted_len = wanted.chars().count();
    for k in known {
        // The distance is at least the difference in length: an id far
        // longer or shorter is neither a typo nor (checked first) a part.
        let contained = wanted.len() >= 3 && (k.contains(wanted) || wanted.contains(k));
        if !contained && wanted_len.abs_diff(k.chars().count()) > limit {
            continue;
        }
        let typo = edit_distance(wanted, k);
        // Containment (`korea` in `south-korea`) is a strong hint even when
        // the edit distance is large; a near-typo still wins over it.
        let d = if contained { typo.min(2) } else { typo };
        if best.is_none_or(|(bd, bk)| d < bd || (d == bd && k < bk)) {
            best = Some((d, k));
        }
    }
    best.filter(|(d, _)| *d <= limit).map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_path_line_message_and_help() {
        let d = Diagnostic::new(
            "content/briefs/a.yaml",
            Some(4),
            "missing required key `published`",
        )
        .help("add `published: YYYY-MM`");
        assert_eq!(
            d.to_string(),
            "error: content/briefs/a.yaml:4: missing required key `published`\n  help: add `published: YYYY-MM`"
        );
        let d = Diagnostic::new("content/site.yaml", None, "cannot read");
        assert_eq!(d.to_string(), "error: content/site.yaml: cannot read");
    }

    #[test]
    fn file_names_and_values_cannot_forge_lines_or_drive_the_terminal() {
        let d = Diagnostic::new(
            "content/claims/a\nerror: content/x.md:1: forged.md",
            Some(2),
            "unknown term `\u{1b}[2J\u{1b}[31mred\r`",
        )
        .help("use `a\u{202e}b` or `c\u{7}`");
        let text = d.to_string();
        assert_eq!(
            text,
            "error: content/claims/a\\nerror: content/x.md:1: forged.md:2: unknown term `\\u{1b}[2J\\u{1b}[31mred\\r`\n  help: use `a\\u{202e}b` or `c\\u{7}`"
        );
        assert_eq!(text.lines().count(), 2);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
        let io = Failure::Io(anyhow::anyhow!("cannot read a\nb\u{1b}]0;title\u{7}"));
        assert_eq!(
            io.report(""),
            "error: cannot read a\\nb\\u{1b}]0;title\\u{7}\n"
        );
        // Ordinary text, and a Windows path, are printed as they are.
        assert!(matches!(escape("content\\a — “b” ü"), Cow::Borrowed(_)));
    }

    #[test]
    fn report_counts() {
        let d = vec![Diagnostic::new("a", Some(1), "x")];
        assert!(report(&d, &build_outcome("public/")).ends_with(
            "1 error in content/; nothing was written, public/ still holds the last good build\n"
        ));
    }

    #[test]
    fn edit_distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("kitten", "sitting", 3),
            ("chna", "china", 1),
            ("", "ab", 2),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
        }
    }

    #[test]
    fn suggests_close_ids_only() {
        let known = ["china", "south-korea", "japan", "united-states"];
        assert_eq!(closest("chna", known), Some("china"));
        assert_eq!(closest("korea", known), Some("south-korea"));
        assert_eq!(closest("united-state", known), Some("united-states"));
        assert_eq!(closest("brazil", known), None);
    }
}
