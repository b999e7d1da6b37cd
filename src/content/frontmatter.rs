//! Splitting a fragment into its YAML front matter and Markdown body, and
//! mapping positions inside the YAML back to lines of the file.
//!
//! Parsing the YAML itself is left to the callers (`schema` shapes via
//! serde_yaml); this module only knows about the `---` fences.

/// A fragment split at its fences. Line numbers count from 1, from the top of
/// the file, so diagnostics can point into the file a person edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, without the fences.
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening fence).
    pub yaml_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Why a fragment could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpeningFence,
    /// The opening fence is never closed; carries the opening fence's line.
    Unclosed { line: usize },
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::NoOpeningFence => {
                write!(f, "missing front matter: the file must start with a `---` line")
            }
            SplitError::Unclosed { line } => write!(
                f,
                "front matter opened at line {line} is never closed: add a `---` line after the YAML"
            ),
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits `text` at its `---` fences. A leading byte-order mark, blank lines
/// before the opening fence, CRLF line ends and trailing spaces on the fence
/// lines are tolerated.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = 0;
    let mut line_no = 0;
    let mut opened: Option<(usize, usize)> = None; // (byte after fence, fence line)
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']).trim_end();
        match opened {
            None if content.is_empty() => continue,
            None if content == "---" => opened = Some((offset, line_no)),
            None => return Err(SplitError::NoOpeningFence),
            Some((yaml_start, fence_line)) if content == "---" || content == "..." => {
                return Ok(Split {
                    yaml: &text[yaml_start..start],
                    yaml_line: fence_line + 1,
                    body: &text[offset..],
                    body_line: line_no + 1,
                });
            }
            Some(_) => {}
        }
    }
    match opened {
        Some((_, line)) => Err(SplitError::Unclosed { line }),
        None => Err(SplitError::NoOpeningFence),
    }
}

/// The file line of the top-level `key:` in `yaml`, whose first line is file
/// line `yaml_line`. Used to point a semantic error (unknown term, bad id) at
/// the line that holds the offending key.
pub fn key_line(yaml: &str, yaml_line: usize, key: &str) -> Option<usize> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some(yaml_line + i)
    })
}

/// The file line of the first line at or after the top-level `key:` that
/// contains `value` (e.g. one item of a block or flow list).
pub fn value_line(yaml: &str, yaml_line: usize, key: &str, value: &str) -> Option<usize> {
    let start = key_line(yaml, yaml_line, key)? - yaml_line;
    yaml.lines()
        .enumerate()
        .skip(start)
        .take_while(|(i, line)| {
            *i == start || line.starts_with([' ', '\t', '-']) || line.trim().is_empty()
        })
        .find(|(_, line)| line.contains(value))
        .map(|(i, _)| yaml_line + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let s = split("---\nid: a\nbrief: b\n---\nBody text.\n").unwrap();
        assert_eq!(s.yaml, "id: a\nbrief: b\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body text.\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn tolerates_bom_crlf_and_leading_blank_lines() {
        let s = split("\u{feff}\n---\r\nid: a\r\n---  \r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "id: a\r\n");
        assert_eq!(s.yaml_line, 3);
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn empty_body_and_empty_yaml() {
        let s = split("---\n---\n").unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert_eq!(split("id: a\n"), Err(SplitError::NoOpeningFence));
        assert_eq!(split(""), Err(SplitError::NoOpeningFence));
        assert_eq!(
            split("---\nid: a\nbody\n"),
            Err(SplitError::Unclosed { line: 1 })
        );
    }

    #[test]
    fn finds_key_and_value_lines() {
        let yaml = "id: a\ncountries: [china]\ncites:\n  - \"1\"\n  - \"29\"\nkind: claim\n";
        assert_eq!(key_line(yaml, 2, "countries"), Some(3));
        assert_eq!(key_line(yaml, 2, "kind"), Some(7));
        assert_eq!(key_line(yaml, 2, "missing"), None);
        assert_eq!(value_line(yaml, 2, "cites", "\"29\""), Some(6));
        assert_eq!(value_line(yaml, 2, "countries", "china"), Some(3));
        assert_eq!(value_line(yaml, 2, "cites", "claim"), None);
    }
}
