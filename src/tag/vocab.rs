//! The controlled vocabularies: reading `content/taxonomy/<taxonomy>.yaml`
//! into checked [`Vocabulary`] values, and the parent/ancestor relation.
//!
//! Matching the aliases in text is `matcher`'s job; this module only makes
//! sure that what it gets is sound: ids are slugs, unique within a taxonomy,
//! every parent exists in the same taxonomy, there is no parent cycle, every
//! term has a name, no alias, cue or stop phrase is blank, and a gap (`…`)
//! stands only in a cue, once, between words. Problems are collected, not
//! stopped at, and each names its file and line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::content::schema::{RawTerm, TAXONOMIES};

/// One checked term of a taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The slug.
    pub id: String,
    /// The display name.
    pub name: String,
    /// One line for the term page.
    pub description: Option<String>,
    /// Index of the parent term in the same taxonomy.
    pub parent: Option<usize>,
    /// Names of the term in running text, trimmed and without duplicates.
    pub aliases: Vec<String>,
    /// Phrases that signal the term without naming it.
    pub cues: Vec<String>,
    /// Longer phrases containing an alias that do not mean the term.
    pub stop_phrases: Vec<String>,
}

/// One taxonomy (`countries`, `technologies` or `policies`), terms in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    /// The taxonomy's name, one of [`TAXONOMIES`].
    pub name: &'static str,
    /// The terms in file order.
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
}

impl Taxonomy {
    /// The index of a term by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A term by id.
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.position(id).map(|i| &self.terms[i])
    }

    /// The indexes of a term's ancestors, nearest first (the term excluded).
    pub fn ancestors(&self, term: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.terms.get(term).and_then(|t| t.parent);
        // Cycles are rejected at load time; the bound is a second guard.
        while let Some(p) = cur {
            if out.contains(&p) || out.len() > self.terms.len() {
                break;
            }
            out.push(p);
            cur = self.terms[p].parent;
        }
        out
    }

    /// The indexes of a term's children, in file order.
    pub fn children(&self, term: usize) -> Vec<usize> {
        (0..self.terms.len())
            .filter(|&i| self.terms[i].parent == Some(term))
            .collect()
    }

    /// The root of a term's family (the term itself when it has no parent).
    pub fn root(&self, term: usize) -> usize {
        self.ancestors(term).last().copied().unwrap_or(term)
    }
}

/// The three taxonomies, in the order of [`TAXONOMIES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    /// Countries, technologies, policies.
    pub taxonomies: Vec<Taxonomy>,
}

/// One problem found in a vocabulary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabError {
    /// The file, relative to the site root where known.
    pub path: PathBuf,
    /// The file line, from 1, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found while loading the vocabularies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabErrors(pub Vec<VocabError>);

impl fmt::Display for VocabErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VocabErrors {}

/// The mark of a gap in a cue.
pub const GAP: &str = "…";

/// The words before and after the gap of `entry` ("investing in … R&D"),
/// if it has exactly one gap between words ("..." counts as `…`).
pub fn split_gap(entry: &str) -> Option<(&str, &str)> {
    let mark = if entry.contains(GAP) { GAP } else { "..." };
    let (before, after) = entry.split_once(mark)?;
    let (before, after) = (before.trim(), after.trim());
    let single = !after.contains(GAP) && !after.contains("...");
    (single && !before.is_empty() && !after.is_empty()).then_some((before, after))
}

/// The path of a taxonomy file relative to the site root.
pub fn taxonomy_path(taxonomy: &str) -> PathBuf {
    Path::new("content")
        .join("taxonomy")
        .join(format!("{taxonomy}.yaml"))
}

/// True for an id of the contract: lowercase ASCII letters, digits and `-`,
/// starting with a letter or digit.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Vocabulary {
    /// Reads and checks the three files under `root/content/taxonomy/`.
    ///
    /// # Errors
    /// A missing or unreadable file, YAML that is not a list of terms, or any
    /// problem of [`Vocabulary::from_texts`]; every problem is listed.
    pub fn load(root: &Path) -> Result<Vocabulary, VocabErrors> {
        let mut texts = Vec::new();
        let mut errors = Vec::new();
        for name in TAXONOMIES {
            let rel = taxonomy_path(name);
            match std::fs::read_to_string(root.join(&rel)) {
                Ok(text) => texts.push(text),
                Err(e) => {
                    errors.push(VocabError {
                        path: rel.clone(),
                        line: None,
                        message: format!("cannot read the {name} vocabulary: {e}"),
                        help: Some(format!(
                            "create {} as a YAML list of terms (id, name, aliases)",
                            rel.display()
                        )),
                    });
                    texts.push(String::new());
                }
            }
        }
        if !errors.is_empty() {
            return Err(VocabErrors(errors));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Vocabulary::from_texts([refs[0], refs[1], refs[2]])
    }

    /// Parses and checks the texts of the three files, in [`TAXONOMIES`] order.
    pub fn from_texts(texts: [&str; 3]) -> Result<Vocabulary, VocabErrors> {
        let mut errors = Vec::new();
        let mut taxonomies = Vec::new();
        for (name, text) in TAXONOMIES.into_iter().zip(texts) {
            let rel = taxonomy_path(name);
            let raw: Vec<RawTerm> = if text.trim().is_empty() {
                Vec::new()
            } else {
                match serde_yaml::from_str(text) {
                    Ok(raw) => raw,
                    Err(e) => {
                        errors.push(VocabError {
                            path: rel,
                            line: e.location().map(|l| l.line()),
                            message: crate::content::fragment::yaml_message(&e),
                            help: Some(
                                "each term is `- id: slug` with `name:` and `aliases: [...]`; \
                                 quote values that contain `: ` or `, `"
                                    .into(),
                            ),
                        });
                        continue;
                    }
                }
            };
            taxonomies.push(check(name, &rel, text, raw, &mut errors));
        }
        if errors.is_empty() {
            Ok(Vocabulary { taxonomies })
        } else {
            Err(VocabErrors(errors))
        }
    }

    /// A taxonomy by its name.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The file line of `- id: <id>` (or `id: <id>` inside a list item).
fn id_line(text: &str, id: &str) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, line)| {
        let l = line.trim_start().trim_start_matches('-').trim_start();
        let rest = l.strip_prefix("id:")?.trim();
        (rest.trim_matches(['"', '\'']) == id).then_some(i + 1)
    })
}

fn check(
    name: &'static str,
    rel: &Path,
    text: &str,
    raw: Vec<RawTerm>,
    errors: &mut Vec<VocabError>,
) -> Taxonomy {
    let mut err = |line: Option<usize>, message: String, help: Option<String>| {
        errors.push(VocabError {
            path: rel.to_path_buf(),
            line,
            message,
            help,
        })
    };
    let mut terms: Vec<Term> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parents: Vec<Option<String>> = Vec::new();
    for (n, t) in raw.into_iter().enumerate() {
        let Some(id) = t.id.clone() else {
            err(
                None,
                format!("term #{} has no `id`", n + 1),
                Some("add `id: some-slug`".into()),
            );
            continue;
        };
        let line = id_line(text, &id);
        if !is_slug(&id) {
            err(
                line,
                format!("term id `{id}` is not a slug"),
                Some("use lowercase ASCII letters, digits and `-`".into()),
            );
        }
        if index.contains_key(&id) {
            err(
                line,
                format!("term id `{id}` is defined twice"),
                Some("merge the two terms or rename one".into()),
            );
            continue;
        }
        let name_ = match t.name.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => {
                err(
                    line,
                    format!("term `{id}` has no `name`"),
                    Some("add the display name, e.g. `name: South Korea`".into()),
                );
                id.clone()
            }
        };
        for (key, list) in [
            ("aliases", &t.aliases),
            ("cues", &t.cues),
            ("stop_phrases", &t.stop_phrases),
        ] {
            if list.iter().any(|a| a.trim().is_empty()) {
                err(
                    line,
                    format!("term `{id}` has an empty entry in `{key}`"),
                    Some("remove the empty entry".into()),
                );
            }
            for entry in list.iter().filter(|a| a.contains(GAP) || a.contains("...")) {
                let (message, help) = if key != "cues" {
                    (
                        format!("term `{id}` has a gap (`{GAP}`) in `{key}`: \"{entry}\""),
                        "gaps are for `cues`; write names and stop phrases in full",
                    )
                } else if split_gap(entry).is_none() {
                    (
                        format!("term `{id}` has a cue with a misplaced gap: \"{entry}\""),
                        "a cue takes one gap, between words: `investing in … R&D`",
                    )
                } else {
                    continue;
                };
                err(line, message, Some(help.into()));
            }
        }
        let clean = |v: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for a in v {
                let a = a.trim();
                if !a.is_empty() && !out.iter().any(|o| o == a) {
                    out.push(a.to_string());
                }
            }
            out
        };
        index.insert(id.clone(), terms.len());
        parents.push(t.parent.clone());
        terms.push(Term {
            aliases: clean(&t.aliases),
            cues: clean(&t.cues),
            stop_phrases: clean(&t.stop_phrases),
            id,
            name: name_,
            description: t.description.map(|d| d.trim().to_string()),
            parent: None,
        });
    }
    for (i, parent) in parents.iter().enumerate() {
        let Some(p) = parent else { continue };
        let line = id_line(text, &terms[i].id);
        match index.get(p) {
            Some(&pi) if pi == i => err(
                line,
                format!("term `{}` is its own parent", terms[i].id),
                Some("remove `parent`".into()),
            ),
            Some(&pi) => terms[i].parent = Some(pi),
            None => err(
                line,
                format!("term `{}` has unknown parent `{p}`", terms[i].id),
                Some(format!(
                    "a parent must be a term of {} itself",
                    rel.display()
                )),
            ),
        }
    }
    // A cycle would make ancestor pages recurse forever: report each term on one.
    for i in 0..terms.len() {
        let mut seen = vec![i];
        let mut cur = terms[i].parent;
        while let Some(p) = cur {
            if p == i {
                err(
                    id_line(text, &terms[i].id),
                    format!("term `{}` is its own ancestor (parent cycle)", terms[i].id),
                    Some("break the cycle by changing one `parent`".into()),
                );
                break;
            }
            if seen.contains(&p) {
                break;
            }
            seen.push(p);
            cur = terms[p].parent;
        }
    }
    Taxonomy { name, terms, index }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTRIES: &str = "- id: china\n  name: China\n  aliases: [China, PRC]\n\
        - id: hong-kong\n  name: Hong Kong\n  parent: china\n  aliases: [Hong Kong]\n";

    #[test]
    fn loads_terms_and_ancestors() {
        let v = Vocabulary::from_texts([COUNTRIES, "", ""]).unwrap();
        let c = v.taxonomy("countries").unwrap();
        let hk = c.position("hong-kong").unwrap();
        assert_eq!(c.ancestors(hk), vec![c.position("china").unwrap()]);
        assert_eq!(c.children(0), vec![hk]);
        assert_eq!(c.root(hk), 0);
        assert!(v.taxonomy("policies").unwrap().terms.is_empty());
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = "- id: a\n  name: A\n  parent: b\n- id: Bad Id\n  name: B\n- id: a\n  name: Again\n- id: c\n  aliases: ['']\n";
        let errs = Vocabulary::from_texts([text, "", ""]).unwrap_err();
        let msgs: Vec<String> = errs.0.iter().map(ToString::to_string).collect();
        let all = msgs.join("\n");
        assert!(
            all.contains("content/taxonomy/countries.yaml:4: term id `Bad Id` is not a slug"),
            "{all}"
        );
        assert!(
            all.contains("countries.yaml:1: term id `a` is defined twice"),
            "{all}"
        );
        assert!(all.contains("term `c` has no `name`"), "{all}");
        assert!(
            all.contains("term `c` has an empty entry in `aliases`"),
            "{all}"
        );
        assert!(
            all.contains("countries.yaml:1: term `a` has unknown parent `b`"),
            "{all}"
        );
    }

    #[test]
    fn rejects_parent_cycles_and_bad_yaml() {
        let text = "- {id: a, name: A, parent: b}\n- {id: b, name: B, parent: a}\n";
        let errs = Vocabulary::from_texts(["", text, ""]).unwrap_err();
        assert_eq!(errs.0.len(), 2, "{errs}");
        assert!(errs.to_string().contains("parent cycle"));
        let errs = Vocabulary::from_texts(["", "", "- id: x\n  nmae: X\n"]).unwrap_err();
        let msg = errs.to_string();
        assert!(
            msg.starts_with("content/taxonomy/policies.yaml:2: "),
            "{msg}"
        );
        assert!(msg.contains("unknown field `nmae`"), "{msg}");
    }

    #[test]
    fn gaps_only_in_cues_and_only_between_words() {
        let ok = "- {id: a, name: A, cues: [investing in … R&D, controls on ... exports]}\n";
        assert!(Vocabulary::from_texts(["", "", ok]).is_ok());
        let bad = "- {id: a, name: A, aliases: [a … b], cues: [… R&D, a … b … c], stop_phrases: [x ... y]}\n";
        let msg = Vocabulary::from_texts(["", "", bad])
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("has a gap (`…`) in `aliases`: \"a … b\""),
            "{msg}"
        );
        assert!(msg.contains("has a gap (`…`) in `stop_phrases`"), "{msg}");
        assert!(msg.contains("misplaced gap: \"… R&D\""), "{msg}");
        assert!(msg.contains("misplaced gap: \"a … b … c\""), "{msg}");
    }

    #[test]
    fn slugs() {
        for ok in ["china", "south-korea", "5g", "a1"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "South", "a b", "-a", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
