//! SourceSet to RawSite: every file's YAML parsed into the lenient `schema`
//! shapes, each kept with its file so later errors can name a line. Syntax
//! errors and unknown keys are reported here; meaning is `validate`'s job.

use rayon::prelude::*;

use crate::build::load::{SourceFile, SourceSet};
use crate::content::fragment::{self, yaml_message};
use crate::content::schema::{RawBrief, RawClaim, RawSiteConfig};
use crate::content::taxonomy::{Table, TaxonomyDef};
use crate::diag::Diagnostic;

/// A parsed YAML document with the file it came from.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub file: SourceFile,
    pub value: T,
}

/// A parsed claim fragment.
#[derive(Debug, Clone)]
pub struct ParsedClaim {
    pub file: SourceFile,
    pub meta: RawClaim,
    /// The Markdown body (normalised by `fragment::parse`).
    pub body: String,
    /// File line of the first YAML line (after the opening fence).
    pub yaml_line: usize,
}

impl ParsedClaim {
    /// The front matter text, for finding the line of a key.
    pub fn yaml(&self) -> &str {
        crate::content::frontmatter::split(&self.file.text).map_or("", |s| s.yaml)
    }

    /// File line of the top-level `key`, or the first YAML line.
    pub fn key_line(&self, key: &str) -> usize {
        crate::content::frontmatter::key_line(self.yaml(), self.yaml_line, key)
            .unwrap_or(self.yaml_line)
    }

    /// File line of the item `value` of the list under `key`.
    pub fn value_line(&self, key: &str, value: &str) -> usize {
        crate::content::frontmatter::value_line(self.yaml(), self.yaml_line, key, value)
            .unwrap_or_else(|| self.key_line(key))
    }
}

/// One taxonomy of the table and its vocabulary file (`None`: missing),
/// read and checked by `content::vocab` during validation.
#[derive(Debug, Clone)]
pub struct ParsedTaxonomy {
    pub def: TaxonomyDef,
    pub file: Option<SourceFile>,
}

/// Every content file, parsed.
#[derive(Debug, Clone, Default)]
pub struct RawSite {
    pub site: Option<Parsed<RawSiteConfig>>,
    /// site.yaml exists but could not be read or did not parse (already
    /// reported).
    pub site_unreadable: bool,
    /// The taxonomy table (the defaults without site.yaml's `taxonomies`).
    pub table: Table,
    /// Per taxonomy of the table, in order.
    pub taxonomies: Vec<ParsedTaxonomy>,
    /// Names of the vocabulary files present (`organisations` for
    /// `content/taxonomy/organisations.yaml`), for suggestions.
    pub vocabulary_files: Vec<String>,
    pub briefs: Vec<Parsed<RawBrief>>,
    pub claims: Vec<ParsedClaim>,
    pub sources: std::collections::BTreeSet<String>,
    /// Files that are there but could not be read (reported by the load).
    pub unreadable: std::collections::BTreeSet<String>,
}

/// File line of the top-level `key` in a whole YAML file.
pub fn file_key_line(text: &str, key: &str) -> Option<usize> {
    crate::content::frontmatter::key_line(text, 1, key)
}

fn yaml_diag(path: &str, e: &serde_yaml::Error, base_line: usize) -> Diagnostic {
    let line =
        base_line + crate::content::fragment::yaml_line(e).map_or(0, |l| l.saturating_sub(1));
    let msg = yaml_message(e);
    let help = if msg.contains("unknown field") {
        "remove or rename the key; the accepted keys are listed above"
    } else {
        "fix the YAML syntax (quote values containing `:` or `#`, indent list items consistently)"
    };
    Diagnostic::new(path, Some(line), format!("bad YAML: {msg}")).help(help)
}

fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    file: &SourceFile,
) -> Result<T, Diagnostic> {
    if file.text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_yaml::from_str(&file.text).map_err(|e| yaml_diag(&file.path, &e, 1))
}

/// Parses every file of `set`; files that fail are reported and left out.
pub fn parse(set: SourceSet) -> (RawSite, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut raw = RawSite {
        sources: set.sources,
        // A site.yaml that could not be read is reported, not missing.
        site_unreadable: set.unreadable.contains("content/site.yaml"),
        unreadable: set.unreadable,
        ..RawSite::default()
    };
    if let Some(file) = set.site {
        match parse_yaml::<RawSiteConfig>(&file) {
            Ok(value) => raw.site = Some(Parsed { file, value }),
            Err(d) => {
                raw.site_unreadable = true;
                diags.push(d);
            }
        }
    }
    // The table decides which vocabularies are read and which keys a claim
    // may carry, so it comes before both.
    if let Some(p) = &raw.site {
        let (table, d) = Table::check(
            p.value.taxonomies.as_deref(),
            p.value.matrix.as_ref(),
            &p.file.path,
            &p.file.text,
        );
        raw.table = table;
        diags.extend(d);
    }
    let mut files: Vec<(String, SourceFile)> = set
        .taxonomies
        .into_iter()
        .filter_map(|f| {
            let name = f
                .path
                .strip_prefix("content/taxonomy/")?
                .strip_suffix(".yaml")?;
            Some((name.to_string(), f))
        })
        .collect();
    raw.vocabulary_files = files.iter().map(|(n, _)| n.clone()).collect();
    for def in &raw.table.taxonomies {
        let file = files
            .iter()
            .position(|(n, _)| *n == def.id)
            .map(|i| files.swap_remove(i).1);
        raw.taxonomies.push(ParsedTaxonomy {
            def: def.clone(),
            file,
        });
    }
    // Brief files carry every note of their brief: parsed in parallel.
    let briefs: Vec<Result<Parsed<RawBrief>, Diagnostic>> =
        set.briefs.into_par_iter().map(parse_brief).collect();
    for b in briefs {
        match b {
            Ok(b) => raw.briefs.push(b),
            Err(d) => diags.push(d),
        }
    }
    let table = &raw.table;
    let claims: Vec<Result<ParsedClaim, Diagnostic>> = set
        .claims
        .into_par_iter()
        .map(|file| parse_claim(file, table))
        .collect();
    for c in claims {
        match c {
            Ok(c) => raw.claims.push(c),
            Err(d) => diags.push(d),
        }
    }
    (raw, diags)
}

/// Parses one brief file.
pub fn parse_brief(file: SourceFile) -> Result<Parsed<RawBrief>, Diagnostic> {
    parse_yaml::<RawBrief>(&file).map(|value| Parsed { file, value })
}

/// Parses one claim fragment; `table` says which taxonomy keys it may carry.
pub fn parse_claim(file: SourceFile, table: &Table) -> Result<ParsedClaim, Diagnostic> {
    match fragment::parse(&file.text, table) {
        Ok(f) => {
            let yaml_line =
                crate::content::frontmatter::split(&file.text).map_or(1, |s| s.yaml_line);
            Ok(ParsedClaim {
                meta: f.meta,
                body: f.body,
                yaml_line,
                file,
            })
        }
        Err(e) => {
            let help = match e.help {
                Some(help) => help,
                None if e.message.contains("front matter") => {
                    "a fragment starts with `---`, then YAML, then `---`, then the claim text"
                        .into()
                }
                None => "fix the YAML syntax (quote values containing `:` or `#`)".into(),
            };
            let message = if e.message.contains("front matter") {
                e.message
            } else {
                format!("bad YAML: {}", e.message)
            };
            Err(Diagnostic::new(file.path, Some(e.line), message).help(help))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn reports_yaml_errors_with_lines() {
        let set = SourceSet {
            briefs: vec![file("content/briefs/a.yaml", "id: a\ntitle: x\nbogus: 1\n")],
            claims: vec![
                file(
                    "content/claims/a/1.md",
                    "---\nid: a-1\norder: [\n---\ntext\n",
                ),
                file("content/claims/a/2.md", "no fence\n"),
                file("content/claims/a/3.md", "---\nid: a-3\n---\ntext\n"),
            ],
            ..SourceSet::default()
        };
        let (raw, diags) = parse(set);
        assert_eq!(raw.claims.len(), 1);
        assert_eq!(raw.claims[0].yaml_line, 2);
        assert_eq!(diags.len(), 3);
        assert_eq!(diags[0].line, Some(3));
        assert!(diags[0].message.contains("bogus"));
        assert_eq!(diags[2].path, "content/claims/a/2.md");
        assert!(diags[2].message.contains("missing front matter"));
    }
}
