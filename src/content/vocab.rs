//! Vocabularies: `content/taxonomy/<id>.yaml` of each taxonomy in the table,
//! read and checked once, by one checker, for every stage that needs them
//! (the build, tagging, ingest). A checked [`Taxonomy`] has slug ids,
//! unique within it, parents that exist in the same file, no parent cycle,
//! a name for every term, no blank alias, cue or stop phrase, and gaps
//! (`…`) only in cues, once, between words. Every problem is reported at
//! once, with its file and line.
//!
//! Matching aliases in text is the tagger's job; the claims of each term are
//! the model's.

use std::collections::HashMap;
use std::path::Path;

use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::paths::SiteRoot;
use crate::content::schema::{RawSiteConfig, RawTerm};
use crate::content::taxonomy::{Table, TaxonomyDef};
use crate::content::SourceFile;
use crate::diag::{closest, Diagnostic};

/// Index of a term in its [`Taxonomy::terms`].
pub type TermIx = u32;

/// The mark of a gap in a cue.
pub const GAP: &str = "…";

/// One checked term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The slug.
    pub id: String,
    /// The display name.
    pub name: String,
    /// Markdown, for the term page; `None` when blank.
    pub description: Option<String>,
    pub parent: Option<TermIx>,
    /// In file order.
    pub children: Vec<TermIx>,
    /// Names of the term in running text, trimmed, without duplicates.
    pub aliases: Vec<String>,
    /// Phrases that signal the term without naming it.
    pub cues: Vec<String>,
    /// Longer phrases containing an alias that do not mean the term.
    pub stop_phrases: Vec<String>,
    /// Aliases naming the term as a region ("Europe", "European"), which
    /// give way where the claim names one of its `members`.
    pub regional_aliases: Vec<String>,
    /// Terms of the same taxonomy that belong to this one without being
    /// narrower terms (member states), in file order.
    pub members: Vec<TermIx>,
}

/// One taxonomy of the table with its checked vocabulary, terms in file
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    pub def: TaxonomyDef,
    pub terms: Vec<Term>,
    pub by_id: HashMap<String, TermIx>,
    /// The root of each term's family, by term index.
    roots: Vec<TermIx>,
}

impl Taxonomy {
    /// The taxonomy's id (also its URL segment and front-matter key).
    pub fn id(&self) -> &str {
        &self.def.id
    }

    /// The index of the term with this id.
    pub fn position(&self, id: &str) -> Option<TermIx> {
        self.by_id.get(id).copied()
    }

    /// The term with this id.
    pub fn get(&self, id: &str) -> Option<&Term> {
        self.position(id).map(|i| &self.terms[i as usize])
    }

    /// The ancestors of a term, nearest first (cycles are rejected when the
    /// vocabulary is checked).
    pub fn ancestors(&self, t: TermIx) -> impl Iterator<Item = TermIx> + '_ {
        std::iter::successors(self.terms[t as usize].parent, |&p| {
            self.terms[p as usize].parent
        })
    }

    /// The root of a term's family (the term itself when it has no parent),
    /// found without walking up.
    pub fn root(&self, t: TermIx) -> TermIx {
        self.roots[t as usize]
    }
}

/// Every taxonomy of a site with its vocabulary, in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    /// `taxonomies:` was declared in site.yaml (see [`Table::declared`]).
    pub declared: bool,
    pub taxonomies: Vec<Taxonomy>,
}

impl Vocabulary {
    /// The taxonomy with this id.
    pub fn taxonomy(&self, id: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.def.id == id)
    }

    /// The table the vocabulary was read for.
    pub fn table(&self) -> Table {
        Table {
            taxonomies: self.taxonomies.iter().map(|t| t.def.clone()).collect(),
            declared: self.declared,
            matrix: None,
        }
    }

    /// Reads the taxonomy table from `content/site.yaml` (the defaults when
    /// the file is missing) and every vocabulary it names, as `tag`, `explain`
    /// and `ingest` need them; the build reads the same files in its own
    /// stages and checks them with the same functions.
    ///
    /// # Errors
    /// Every problem of site.yaml's taxonomy keys and of every vocabulary.
    pub fn load(root: &Path) -> Result<Vocabulary, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let site_path = Path::new("content").join("site.yaml");
        let table = match read_file(root, &site_path) {
            Ok(None) => Table::defaults(),
            Ok(Some(file)) => match parse_yaml::<RawSiteConfig>(&file) {
                Ok(raw) => {
                    let (table, d) = Table::check(
                        raw.taxonomies.as_deref(),
                        raw.matrix.as_ref(),
                        &file.path,
                        &file.text,
                    );
                    diags.extend(d);
                    table
                }
                Err(d) => return Err(vec![d]),
            },
            Err(d) => return Err(vec![d]),
        };
        let mut taxonomies = Vec::new();
        for def in &table.taxonomies {
            let file = match read_file(root, Path::new(&def.path())) {
                Ok(f) => f,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            match read(def, file.as_ref(), &[]) {
                Ok(t) => taxonomies.push(t),
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(Vocabulary {
                declared: table.declared,
                taxonomies,
            })
        } else {
            crate::diag::sort(&mut diags);
            Err(diags)
        }
    }
}

impl Vocabulary {
    /// Checks vocabulary texts given in memory, one per taxonomy of `table`
    /// in order (missing texts are empty vocabularies): for tests and tools
    /// that hold the files already.
    ///
    /// # Errors
    /// Every problem of every text.
    pub fn from_texts(table: &Table, texts: &[&str]) -> Result<Vocabulary, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut taxonomies = Vec::new();
        for (i, def) in table.taxonomies.iter().enumerate() {
            let file = SourceFile {
                path: def.path(),
                text: texts.get(i).copied().unwrap_or_default().to_string(),
            };
            match read(def, Some(&file), &[]) {
                Ok(t) => taxonomies.push(t),
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(Vocabulary {
                declared: table.declared,
                taxonomies,
            })
        } else {
            Err(diags)
        }
    }
}

/// Reads `rel` under `root`: `None` when it does not exist. A symbolic
/// link is followed only inside the site (the rule of `content::paths`,
/// which the build's loader follows too).
fn read_file(root: &Path, rel: &Path) -> Result<Option<SourceFile>, Diagnostic> {
    let path = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let Some(file) = SiteRoot::new(root).file(&path)? else {
        return Ok(None);
    };
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(SourceFile { path, text })),
            Err(_) => Err(Diagnostic::new(path, None, "the file is not valid UTF-8")
                .help("save it as UTF-8 text")),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(
            path,
            None,
            format!("cannot read the file: {e}"),
        )),
    }
}

/// A YAML file as `T`; an empty file is `T::default()`.
fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    file: &SourceFile,
) -> Result<T, Diagnostic> {
    if file.text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_yaml::from_str(&file.text).map_err(|e| {
        let line = crate::content::fragment::yaml_line(&e).unwrap_or(1);
        let msg = crate::content::fragment::yaml_message(&e);
        let help = if msg.contains("unknown field") {
            "remove or rename the key; the accepted keys are listed above"
        } else {
            "fix the YAML syntax (quote values containing `:` or `#`, indent list items consistently)"
        };
        Diagnostic::new(&file.path, Some(line), format!("bad YAML: {msg}")).help(help)
    })
}

/// Reads one taxonomy's vocabulary from its file (`None`: the file is
/// missing; `present` are the names of the vocabulary files that do exist,
/// for a suggestion).
///
/// # Errors
/// A missing file, YAML that is not a list of terms, or any problem of
/// [`check`].
pub fn read(
    def: &TaxonomyDef,
    file: Option<&SourceFile>,
    present: &[&str],
) -> Result<Taxonomy, Vec<Diagnostic>> {
    let Some(file) = file else {
        let hint = closest(&def.id, present.iter().copied())
            .map(|k| format!("content/taxonomy/{k}.yaml exists: is the taxonomy `{k}`? Otherwise "))
            .unwrap_or_default();
        return Err(vec![Diagnostic::new(
            def.path(),
            None,
            format!("missing vocabulary `{}`", def.id),
        )
        .help(format!(
            "{hint}create it as a YAML list of terms, or run `crossbrief init` for a default one"
        ))]);
    };
    let raw: Vec<RawTerm> = parse_yaml(file).map_err(|d| {
        vec![d.help(
            "a vocabulary is a YAML list of terms: `- id: china` / `  name: China` / `  aliases: [Chinese]`",
        )]
    })?;
    check(def, file, &raw)
}

/// The words before and after the gap of `entry` ("investing in … R&D"),
/// if it has exactly one gap between words ("..." counts as `…`).
pub fn split_gap(entry: &str) -> Option<(&str, &str)> {
    let mark = if entry.contains(GAP) { GAP } else { "..." };
    let (before, after) = entry.split_once(mark)?;
    let (before, after) = (before.trim(), after.trim());
    let single = !after.contains(GAP) && !after.contains("...");
    (single && !before.is_empty() && !after.is_empty()).then_some((before, after))
}

/// File lines where each top-level list item starts (`- id: …`).
fn item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| *l == "-" || l.starts_with("- "))
        .map(|(i, _)| i + 1)
        .collect()
}

/// File line of `key:` inside the list item starting at `start` (both from
/// 1), in the file's `lines`: only the item's own lines are read.
fn item_key_line(lines: &[&str], start: usize, key: &str) -> usize {
    for (i, line) in lines.iter().enumerate().skip(start - 1) {
        if i + 1 > start && (*line == "-" || line.starts_with("- ")) {
            break;
        }
        let t = line.trim_start().trim_start_matches("- ").trim_start();
        let t = t.trim_start_matches('{').trim_start();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return i + 1;
        }
    }
    start
}

/// Trimmed entries without blanks or duplicates, in file order.
fn cleaned(v: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty() && seen.insert(*a))
        .map(str::to_string)
        .collect()
}

/// The root of every term's family, each parent link followed once
/// (the parents have no cycle).
fn roots(terms: &[Term]) -> Vec<TermIx> {
    const UNKNOWN: TermIx = TermIx::MAX;
    let mut roots = vec![UNKNOWN; terms.len()];
    let mut path = Vec::new();
    for start in 0..terms.len() {
        let mut t = start as TermIx;
        while roots[t as usize] == UNKNOWN {
            path.push(t);
            match terms[t as usize].parent {
                Some(p) => t = p,
                None => {
                    roots[t as usize] = t;
                    break;
                }
            }
        }
        let root = roots[t as usize];
        for u in path.drain(..) {
            roots[u as usize] = root;
        }
    }
    roots
}

/// Checks the parsed terms of one vocabulary file.
///
/// # Errors
/// Every problem, with its line in `file`.
pub fn check(
    def: &TaxonomyDef,
    file: &SourceFile,
    raw: &[RawTerm],
) -> Result<Taxonomy, Vec<Diagnostic>> {
    let path = file.path.as_str();
    let mut diags = Vec::new();
    let items = item_lines(&file.text);
    let lines: Vec<&str> = file.text.lines().collect();
    let line_of = |i: usize, key: &str| {
        items
            .get(i)
            .map(|&start| item_key_line(&lines, start, key))
            .unwrap_or(1)
    };
    // (term, line of its id)
    let mut terms: Vec<(Term, usize)> = Vec::with_capacity(raw.len());
    let mut by_id: HashMap<String, TermIx> = HashMap::new();
    for (i, t) in raw.iter().enumerate() {
        let line = line_of(i, "id");
        let id = match t.id.as_deref() {
            None => {
                diags.push(
                    Diagnostic::new(path, Some(line), "term without `id`")
                        .help("give every term an `id` such as `south-korea`"),
                );
                continue;
            }
            Some(id) if !is_valid_id(id) => {
                diags.push(
                    Diagnostic::new(path, Some(line), format!("bad term id `{id}`"))
                        .help(bad_id_help()),
                );
                continue;
            }
            Some(id) => id,
        };
        let name = match t.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => {
                diags.push(
                    Diagnostic::new(path, Some(line), format!("term `{id}` has no `name`"))
                        .help("add the display name, e.g. `name: South Korea`"),
                );
                id.to_string()
            }
        };
        for (key, list) in [
            ("aliases", &t.aliases),
            ("cues", &t.cues),
            ("stop_phrases", &t.stop_phrases),
            ("regional_aliases", &t.regional_aliases),
        ] {
            let at = Some(line_of(i, key));
            if list.iter().any(|a| a.trim().is_empty()) {
                diags.push(
                    Diagnostic::new(
                        path,
                        at,
                        format!("term `{id}` has an empty entry in `{key}`"),
                    )
                    .help("remove the empty entry"),
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
                diags.push(Diagnostic::new(path, at, message).help(help));
            }
        }
        if let Some(&first) = by_id.get(id) {
            let first_line = terms[first as usize].1;
            diags.push(
                Diagnostic::new(path, Some(line), format!("duplicate term id `{id}`")).help(
                    format!(
                        "the id is already defined at line {first_line}; merge the two terms or rename one"
                    ),
                ),
            );
            continue;
        }
        by_id.insert(id.to_string(), terms.len() as TermIx);
        terms.push((
            Term {
                id: id.to_string(),
                name,
                description: t
                    .description
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
                parent: None,
                children: Vec::new(),
                aliases: cleaned(&t.aliases),
                cues: cleaned(&t.cues),
                stop_phrases: cleaned(&t.stop_phrases),
                regional_aliases: cleaned(&t.regional_aliases),
                members: Vec::new(),
            },
            line,
        ));
    }
    // Parents, once every id is known; index `i` of `raw` differs from the
    // term index when terms were skipped, so map by id.
    let mut suggested = 0usize;
    for (i, t) in raw.iter().enumerate() {
        let (Some(id), Some(parent)) = (t.id.as_deref(), t.parent.as_deref()) else {
            continue;
        };
        let Some(&ti) = by_id.get(id) else { continue };
        if terms[ti as usize].1 != line_of(i, "id") {
            continue; // a duplicate, already reported
        }
        match by_id.get(parent) {
            Some(&p) if p == ti => diags.push(
                Diagnostic::new(
                    path,
                    Some(line_of(i, "parent")),
                    format!("term `{id}` is its own parent"),
                )
                .help("remove the `parent` key or name a broader term"),
            ),
            Some(&p) => terms[ti as usize].0.parent = Some(p),
            None => {
                // A suggestion compares with every term: the first few only.
                suggested += 1;
                let hint = if suggested <= 20 {
                    closest(parent, by_id.keys().map(String::as_str))
                        .map(|c| format!("did you mean `{c}`? "))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                diags.push(
                    Diagnostic::new(
                        path,
                        Some(line_of(i, "parent")),
                        format!("term `{id}` has unknown parent `{parent}`"),
                    )
                    .help(format!(
                        "{hint}a parent must be the id of another term in this file"
                    )),
                );
            }
        }
    }
    // Members, once every id is known: ids of this file, not the term
    // itself.
    for (i, t) in raw.iter().enumerate() {
        let Some(&ti) = t.id.as_deref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        if terms[ti as usize].1 != line_of(i, "id") {
            continue; // a duplicate, already reported
        }
        for member in &t.members {
            match by_id.get(member.as_str()) {
                Some(&m) if m != ti => {
                    if !terms[ti as usize].0.members.contains(&m) {
                        terms[ti as usize].0.members.push(m);
                    }
                }
                found => {
                    let id = &terms[ti as usize].0.id;
                    let (message, help) = if found.is_some() {
                        (
                            format!("term `{id}` lists itself as a member"),
                            "remove it from `members`".to_string(),
                        )
                    } else {
                        (
                            format!("term `{id}` has unknown member `{member}`"),
                            closest(member, by_id.keys().map(String::as_str))
                                .map(|c| format!("did you mean `{c}`? "))
                                .unwrap_or_default()
                                + "a member must be the id of another term in this file",
                        )
                    };
                    diags.push(
                        Diagnostic::new(path, Some(line_of(i, "members")), message).help(help),
                    );
                }
            }
        }
    }
    // Cycles: a walk up from a term that takes more steps than there are
    // terms never reaches a root. Each walk stops at the first repeat, so a
    // long chain costs its length once per term on it, not more.
    let n = terms.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 done
    let mut in_cycle = vec![false; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut cur = Some(start as TermIx);
        while let Some(t) = cur {
            let t = t as usize;
            match state[t] {
                2 => break,
                1 => {
                    // The walk met itself: every term from `t` on is on a cycle.
                    let from = walk.iter().position(|&w| w == t).unwrap_or(0);
                    for &w in &walk[from..] {
                        in_cycle[w] = true;
                    }
                    break;
                }
                _ => {
                    state[t] = 1;
                    walk.push(t);
                    cur = terms[t].0.parent;
                }
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    for (t, (term, line)) in terms.iter().enumerate() {
        if in_cycle[t] {
            diags.push(
                Diagnostic::new(
                    path,
                    Some(*line),
                    format!(
                        "term `{}` is its own ancestor (a cycle of `parent` keys)",
                        term.id
                    ),
                )
                .help("break the cycle: a broader term must not have a narrower one as parent"),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut terms: Vec<Term> = terms.into_iter().map(|(t, _)| t).collect();
    for t in 0..terms.len() {
        if let Some(p) = terms[t].parent {
            terms[p as usize].children.push(t as TermIx);
        }
    }
    let roots = roots(&terms);
    Ok(Taxonomy {
        def: def.clone(),
        terms,
        by_id,
        roots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "content/taxonomy/technologies.yaml".into(),
            text: text.into(),
        }
    }

    fn checked(text: &str) -> Result<Taxonomy, Vec<Diagnostic>> {
        let def = TaxonomyDef::new("technologies", "Technologies", "Technology");
        read(&def, Some(&file(text)), &[])
    }

    #[test]
    fn builds_children_and_ancestors() {
        let t = checked("- id: quantum\n  name: Quantum\n  aliases: [' quantum ', quantum]\n- id: qc\n  name: QC\n  parent: quantum\n").unwrap();
        assert_eq!(t.terms[0].children, vec![1]);
        assert_eq!(t.ancestors(1).collect::<Vec<_>>(), vec![0]);
        assert_eq!(t.root(1), 0);
        assert_eq!(t.terms[0].aliases, ["quantum"]);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = "- id: a\n  name: A\n  parent: b\n- id: b\n  name: B\n  parent: a\n- id: a\n  name: A2\n- id: c\n  name: C\n  parent: bb\n- id: Bad\n  name: X\n- id: d\n  aliases: ['']\n";
        let errs = checked(text).unwrap_err();
        let lines: Vec<_> = errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        for want in [
            (Some(7), "duplicate term id `a`"),
            (Some(11), "term `c` has unknown parent `bb`"),
            (Some(12), "bad term id `Bad`"),
            (Some(14), "term `d` has no `name`"),
            (Some(15), "term `d` has an empty entry in `aliases`"),
        ] {
            assert!(lines.contains(&want), "{want:?} not in {lines:?}");
        }
        let cycles = lines
            .iter()
            .filter(|(l, m)| m.contains("cycle") && matches!(l, Some(1) | Some(4)))
            .count();
        assert_eq!(cycles, 2, "{lines:?}");
    }

    #[test]
    fn members_are_terms_of_the_same_file() {
        let t = checked("- {id: eu, name: EU, regional_aliases: [European], members: [fi, fi, se]}\n- {id: fi, name: Finland}\n- {id: se, name: Sweden}\n").unwrap();
        assert_eq!(t.terms[0].members, [1, 2]);
        assert_eq!(t.terms[0].regional_aliases, ["European"]);
        let errs =
            checked("- id: eu\n  name: EU\n  members: [fi, eu, fx]\n- {id: fi, name: Finland}\n")
                .unwrap_err();
        let got: Vec<(Option<usize>, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(3), "term `eu` lists itself as a member"),
                (Some(3), "term `eu` has unknown member `fx`"),
            ]
        );
        assert!(errs[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `fi`?"));
    }

    #[test]
    fn gaps_only_in_cues_and_only_between_words() {
        let ok = "- {id: a, name: A, cues: [investing in … R&D, controls on ... exports]}\n";
        assert!(checked(ok).is_ok());
        let bad = "- {id: a, name: A, aliases: [a … b], cues: [… R&D, a … b … c], stop_phrases: [x ... y]}\n";
        let msgs: Vec<String> = checked(bad)
            .unwrap_err()
            .iter()
            .map(|d| d.message.clone())
            .collect();
        let all = msgs.join("\n");
        assert!(
            all.contains("has a gap (`…`) in `aliases`: \"a … b\""),
            "{all}"
        );
        assert!(all.contains("has a gap (`…`) in `stop_phrases`"), "{all}");
        assert!(all.contains("misplaced gap: \"… R&D\""), "{all}");
        assert!(all.contains("misplaced gap: \"a … b … c\""), "{all}");
    }

    #[test]
    fn missing_and_unparsable_files() {
        let def = TaxonomyDef::new("organisations", "Organisations", "Organisation");
        let errs = read(&def, None, &["organizations", "countries"]).unwrap_err();
        assert_eq!(errs[0].path, "content/taxonomy/organisations.yaml");
        assert_eq!(errs[0].message, "missing vocabulary `organisations`");
        assert!(errs[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("content/taxonomy/organizations.yaml exists"));
        let errs = checked("- id: x\n  nmae: X\n").unwrap_err();
        assert_eq!(errs[0].line, Some(2));
        assert!(errs[0].message.contains("unknown field `nmae`"));
    }

    #[test]
    fn a_long_parent_chain_is_checked_in_linear_time() {
        let mut text = String::from("- {id: t0, name: T}\n");
        for i in 1..5000 {
            text.push_str(&format!("- {{id: t{i}, name: T, parent: t{}}}\n", i - 1));
        }
        let t = checked(&text).unwrap();
        assert_eq!(t.ancestors(4999).count(), 4999);
        assert!((0..5000).all(|i| t.root(i) == 0));
        let t = checked(
            "- {id: a, name: A, parent: b}\n- {id: b, name: B}\n- {id: c, name: C, parent: a}\n",
        )
        .unwrap();
        assert_eq!((t.root(0), t.root(1), t.root(2)), (1, 1, 1));
    }
}
