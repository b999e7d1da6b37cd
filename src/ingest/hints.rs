//! Per-brief ingest hints: the optional `ingest:` map of a brief's YAML.
//! Every knob is generic (a line, a section title, a pattern); detection
//! does the rest, and the hints only cover what a document cannot reveal.

use regex::Regex;
use serde::Deserialize;

use crate::diag::Diagnostic;

/// The `ingest:` map of a brief, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawHints {
    /// The first line of the body (exact text); everything before it is
    /// front matter (cover, boards, copyright page, contents).
    pub start_at: Option<String>,
    /// The first line after the body (exact text); it and everything after
    /// it is back matter.
    pub stop_at: Option<String>,
    /// Lines removed wherever they stand (running headers and footers),
    /// in addition to the ones detected by repetition.
    pub running_headers: Vec<String>,
    /// Section titles whose whole section is kept out of claims, in
    /// addition to the built-in list (boards, copyright, acknowledgements,
    /// abbreviations, contents).
    pub skip_sections: Vec<String>,
    /// Section titles whose text becomes the brief's `about`.
    pub about_sections: Vec<String>,
    /// Regular expressions: a line matching one is dropped.
    pub drop_lines: Vec<String>,
    /// `auto` (default), `superscript` or `glued`: how note markers appear.
    pub footnotes: Option<String>,
}

/// Hints ready to use.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// The first body line, compared with [`norm_line`].
    pub start_at: Option<String>,
    /// The first line after the body, compared with [`norm_line`].
    pub stop_at: Option<String>,
    /// Lines to drop wherever they stand, compared with [`norm_line`].
    pub running_headers: Vec<String>,
    /// Extra section titles kept out of claims, compared with [`norm_title`].
    pub skip_sections: Vec<String>,
    /// Extra section titles whose text goes to `about`.
    pub about_sections: Vec<String>,
    /// A line matching one of these is dropped.
    pub drop_lines: Vec<Regex>,
    /// `None` means detect.
    pub glued_markers: Option<bool>,
}

impl Hints {
    /// Reads the `ingest:` value of a brief; `file` names it in errors.
    pub fn from_value(value: Option<&serde_yaml::Value>, file: &str) -> Result<Hints, Diagnostic> {
        let raw: RawHints = match value {
            None => RawHints::default(),
            Some(v) => serde_yaml::from_value(v.clone()).map_err(|e| {
                Diagnostic::new(
                    file,
                    None,
                    format!("bad `ingest:` hints: {}", crate::content::fragment::yaml_message(&e)),
                )
                .help("the known keys are start_at, stop_at, running_headers, skip_sections, about_sections, drop_lines, footnotes")
            })?,
        };
        let mut drop_lines = Vec::new();
        for p in &raw.drop_lines {
            drop_lines.push(Regex::new(p).map_err(|e| {
                Diagnostic::new(
                    file,
                    None,
                    format!("bad `ingest.drop_lines` pattern `{p}`: {e}"),
                )
                .help("write a regular expression (regex crate syntax), or remove the pattern")
            })?);
        }
        let glued_markers = match raw.footnotes.as_deref() {
            None | Some("auto") => None,
            Some("superscript") => Some(false),
            Some("glued") => Some(true),
            Some(other) => {
                return Err(Diagnostic::new(
                    file,
                    None,
                    format!("`ingest.footnotes: {other}` is not known"),
                )
                .help("use auto, superscript or glued"))
            }
        };
        Ok(Hints {
            start_at: raw.start_at.map(|s| norm_line(&s)),
            stop_at: raw.stop_at.map(|s| norm_line(&s)),
            running_headers: raw.running_headers.iter().map(|s| norm_line(s)).collect(),
            skip_sections: raw.skip_sections.iter().map(|s| norm_title(s)).collect(),
            about_sections: raw.about_sections.iter().map(|s| norm_title(s)).collect(),
            drop_lines,
            glued_markers,
        })
    }
}

/// A line compared loosely: emphasis marks dropped, whitespace collapsed,
/// lowercase.
pub fn norm_line(s: &str) -> String {
    s.replace(['*', '_'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A section title compared loosely: as [`norm_line`], without list
/// bullets, dashes, trailing colons and footnote markers.
pub fn norm_title(s: &str) -> String {
    let l = norm_line(s);
    l.trim_start_matches("- ")
        .trim_matches(|c: char| c == '—' || c == '-' || c == ':' || c.is_whitespace())
        .trim_end_matches(|c: char| super::notes::superscript_digit(c).is_some())
        .to_string()
}
