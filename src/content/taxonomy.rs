//! The taxonomy table: which taxonomies a site has, in display order, with
//! their display names and the context rules the tagger applies to each.
//! Everything that varies by taxonomy (vocabulary file, front-matter key,
//! URL segment, pages, tagging, cross-references, the CLI) reads this table;
//! no other code names a taxonomy.
//!
//! Without `taxonomies:` in `content/site.yaml` the table holds the three
//! defaults (countries, technologies, policies), and every claim must carry
//! each of their keys. A site that declares its own list may leave a
//! taxonomy's key out of a claim (no terms).

use crate::content::ids::{bad_id_help, is_valid_id};
use crate::content::schema::{RawMatrix, RawTaxonomy};
use crate::diag::{closest, Diagnostic};

/// Top-level paths of the built site that a taxonomy's pages would clash
/// with (`/<id>/`).
pub const RESERVED_PATHS: &[&str] = &[
    "briefs", "claims", "search", "help", "feeds", "data", "static", "pagefind", "page", "atom",
    "404", "sitemap", "robots", "index",
];

/// Front-matter keys of a claim other than the taxonomies' own.
pub const CLAIM_KEYS: &[&str] = &[
    "id",
    "brief",
    "order",
    "chapter",
    "section",
    "paragraph",
    "kind",
    "cites",
    "see_also",
    "reviewed",
    "machine_tags",
    "ingest_hash",
];

/// How a claim inherits a taxonomy's terms from where it stands (the rules
/// themselves are the tagger's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Inherit {
    /// A claim naming none of the taxonomy's terms takes those of its
    /// innermost section heading, chapter title or brief title.
    pub headings: bool,
    /// What passes on from the claim before when a claim refers back to it.
    pub previous: Previous,
    /// "Both countries", "the two nations": the two terms named just before.
    pub pairs: bool,
    /// A claim naming none of the taxonomy's terms but a national actor or
    /// instrument ("the government", "federal funding", "the Act") takes the
    /// one term of the claim before, else of the nearest heading or title
    /// naming exactly one.
    pub actors: bool,
}

/// What a claim that opens by referring back ("It", "These restrictions")
/// takes over from the claim before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Previous {
    /// Nothing.
    #[default]
    Never,
    /// Its terms, always: they name what the claim is about (a country, a
    /// technology, an organisation).
    Referent,
    /// Its terms as far as the opener takes up what was said: topics such as
    /// policies (see `tag::context::TopicPass`).
    Topic,
}

/// The names of the inheritance rules in `inherit:`.
pub const INHERIT_RULES: [&str; 5] = ["headings", "previous", "previous-topic", "pairs", "actors"];

impl Inherit {
    /// The rules named in an `inherit:` list; `Err` names an unknown one.
    pub fn parse(names: &[String]) -> Result<Inherit, String> {
        let mut out = Inherit::default();
        for name in names {
            match name.as_str() {
                "headings" => out.headings = true,
                "previous" => out.previous = Previous::Referent,
                "previous-topic" => out.previous = Previous::Topic,
                "pairs" => out.pairs = true,
                "actors" => out.actors = true,
                other => return Err(other.to_string()),
            }
        }
        Ok(out)
    }
}

/// One taxonomy of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyDef {
    /// The slug: vocabulary file `content/taxonomy/<id>.yaml`, front-matter
    /// key, URL segment `/<id>/`.
    pub id: String,
    /// Display name, plural (`Countries`).
    pub name: String,
    /// Display name of one term (`Country`).
    pub singular: String,
    pub inherit: Inherit,
    /// Whether the taxonomy's terms get a page of their recommendation
    /// claims (`/<id>/<term>/recommendations/`).
    pub recommendations: bool,
}

impl TaxonomyDef {
    /// A taxonomy with the defaults its id implies: the three built-in ones
    /// get the rules they always had; any other id inherits its terms from
    /// a claim that refers back to the one before.
    pub fn new(id: &str, name: &str, singular: &str) -> TaxonomyDef {
        let inherit = match id {
            "countries" => Inherit {
                previous: Previous::Referent,
                pairs: true,
                actors: true,
                ..Inherit::default()
            },
            "technologies" => Inherit {
                headings: true,
                previous: Previous::Referent,
                ..Inherit::default()
            },
            "policies" => Inherit {
                previous: Previous::Topic,
                ..Inherit::default()
            },
            _ => Inherit {
                previous: Previous::Referent,
                ..Inherit::default()
            },
        };
        TaxonomyDef {
            id: id.to_string(),
            name: name.to_string(),
            singular: singular.to_string(),
            inherit,
            recommendations: id == "policies",
        }
    }

    /// The vocabulary file, relative to the site root.
    pub fn path(&self) -> String {
        vocabulary_path(&self.id)
    }

    /// The singular name as it reads inside a sentence ("unknown country").
    pub fn singular_lower(&self) -> String {
        self.singular.to_lowercase()
    }
}

/// The vocabulary file of taxonomy `id`, relative to the site root.
pub fn vocabulary_path(id: &str) -> String {
    format!("content/taxonomy/{id}.yaml")
}

/// Every taxonomy of a site, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub taxonomies: Vec<TaxonomyDef>,
    /// `taxonomies:` is in site.yaml: a claim may leave a taxonomy's key
    /// out. Without it every claim must carry each default key.
    pub declared: bool,
    /// (rows, columns): the taxonomy indexes of the home page's matrix.
    pub matrix: Option<(usize, usize)>,
}

impl Default for Table {
    fn default() -> Self {
        Table::defaults()
    }
}

impl Table {
    /// Countries, technologies and policies, with the country × policy
    /// matrix.
    pub fn defaults() -> Table {
        Table {
            taxonomies: vec![
                TaxonomyDef::new("countries", "Countries", "Country"),
                TaxonomyDef::new("technologies", "Technologies", "Technology"),
                TaxonomyDef::new("policies", "Policies", "Policy"),
            ],
            declared: false,
            matrix: Some((0, 2)),
        }
    }

    /// The index of taxonomy `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.taxonomies.iter().position(|t| t.id == id)
    }

    /// The taxonomy ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.taxonomies.iter().map(|t| t.id.as_str())
    }

    /// Every front-matter key a claim may carry: the fixed ones, then one
    /// per taxonomy.
    pub fn claim_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = CLAIM_KEYS[..7].to_vec();
        keys.extend(self.ids());
        keys.extend(&CLAIM_KEYS[7..]);
        keys
    }

    /// The table site.yaml declares (`taxonomies`, `matrix`), or the
    /// defaults. Problems are reported against `path`, whose text `text`
    /// locates them; entries with problems are left out.
    pub fn check(
        raw: Option<&[RawTaxonomy]>,
        matrix: Option<&RawMatrix>,
        path: &str,
        text: &str,
    ) -> (Table, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut table = match raw {
            None => Table::defaults(),
            Some(list) => {
                let items = list_item_lines(text, "taxonomies");
                let mut taxonomies: Vec<TaxonomyDef> = Vec::new();
                for (i, t) in list.iter().enumerate() {
                    let line = items
                        .get(i)
                        .copied()
                        .or_else(|| key_line(text, "taxonomies"));
                    if let Some(def) = check_one(t, line, path, &taxonomies, &mut diags) {
                        taxonomies.push(def);
                    }
                }
                Table {
                    taxonomies,
                    declared: true,
                    matrix: None,
                }
            }
        };
        table.matrix = match matrix {
            Some(m) => check_matrix(&table, m, path, key_line(text, "matrix"), &mut diags),
            None => table.position("countries").zip(table.position("policies")),
        };
        (table, diags)
    }
}

fn check_one(
    t: &RawTaxonomy,
    line: Option<usize>,
    path: &str,
    known: &[TaxonomyDef],
    diags: &mut Vec<Diagnostic>,
) -> Option<TaxonomyDef> {
    let example = "`- { id: organisations, name: Organisations, singular: Organisation }`";
    let Some(id) = t.id.as_deref().map(str::trim) else {
        diags.push(
            Diagnostic::new(path, line, "taxonomy without `id`")
                .help(format!("give every taxonomy an `id`, e.g. {example}")),
        );
        return None;
    };
    let mut bad = |message: String, help: String| {
        diags.push(Diagnostic::new(path, line, message).help(help));
        None
    };
    if !is_valid_id(id) {
        return bad(format!("bad taxonomy id `{id}`"), bad_id_help().to_string());
    }
    if RESERVED_PATHS.contains(&id) {
        return bad(
            format!("taxonomy id `{id}` clashes with the site's own pages at /{id}/"),
            "rename the taxonomy; its vocabulary file and front-matter key follow its id".into(),
        );
    }
    if CLAIM_KEYS.contains(&id) {
        return bad(
            format!("taxonomy id `{id}` clashes with the claim key `{id}`"),
            "rename the taxonomy; its id is also its key in claim front matter".into(),
        );
    }
    if known.iter().any(|k| k.id == id) {
        return bad(
            format!("taxonomy `{id}` is declared twice"),
            "remove one of the two entries".into(),
        );
    }
    let name = match t.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n,
        _ => {
            return bad(
                format!("taxonomy `{id}` has no `name`"),
                format!("add its display name, e.g. {example}"),
            )
        }
    };
    let singular = t
        .singular
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    let mut def = TaxonomyDef::new(id, name, singular);
    if let Some(rules) = &t.inherit {
        match Inherit::parse(rules) {
            Ok(rules) => def.inherit = rules,
            Err(unknown) => {
                let hint = closest(&unknown, INHERIT_RULES)
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                return bad(
                    format!("taxonomy `{id}` has an unknown rule `{unknown}` in `inherit`"),
                    format!("{hint}the rules are: {}", INHERIT_RULES.join(", ")),
                );
            }
        }
    }
    if let Some(r) = t.recommendations {
        def.recommendations = r;
    }
    Some(def)
}

fn check_matrix(
    table: &Table,
    m: &RawMatrix,
    path: &str,
    line: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(usize, usize)> {
    let mut find = |key: &str, id: &Option<String>| -> Option<usize> {
        let Some(id) = id.as_deref() else {
            diags.push(
                Diagnostic::new(path, line, format!("`matrix` has no `{key}`"))
                    .help("write `matrix: { rows: countries, columns: policies }`"),
            );
            return None;
        };
        let found = table.position(id);
        if found.is_none() {
            let hint = closest(id, table.ids())
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    path,
                    line,
                    format!("`matrix` names unknown taxonomy `{id}`"),
                )
                .help(format!(
                    "{hint}the taxonomies are: {}",
                    table.ids().collect::<Vec<_>>().join(", ")
                )),
            );
        }
        found
    };
    let rows = find("rows", &m.rows);
    let cols = find("columns", &m.columns);
    match (rows, cols) {
        (Some(r), Some(c)) if r == c => {
            diags.push(
                Diagnostic::new(
                    path,
                    line,
                    "`matrix` has the same taxonomy as rows and columns",
                )
                .help("name two different taxonomies"),
            );
            None
        }
        (Some(r), Some(c)) => Some((r, c)),
        _ => None,
    }
}

/// File line of the top-level `key:` in a YAML file.
fn key_line(text: &str, key: &str) -> Option<usize> {
    crate::content::frontmatter::key_line(text, 1, key)
}

/// File lines of the items of the block list under the top-level `key:`
/// (`- …` lines at the list's own indentation).
fn list_item_lines(text: &str, key: &str) -> Vec<usize> {
    let Some(start) = key_line(text, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate().skip(start) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = line.len() - trimmed.len();
        if at == 0 && !trimmed.starts_with('-') {
            break; // the next top-level key
        }
        if trimmed == "-" || trimmed.starts_with("- ") {
            match indent {
                None => {
                    indent = Some(at);
                    out.push(i + 1);
                }
                Some(n) if n == at => out.push(i + 1),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Vec<RawTaxonomy> {
        #[derive(serde::Deserialize)]
        struct Doc {
            taxonomies: Vec<RawTaxonomy>,
        }
        serde_yaml::from_str::<Doc>(text).unwrap().taxonomies
    }

    #[test]
    fn defaults_without_the_key() {
        let (t, diags) = Table::check(None, None, "content/site.yaml", "title: x\n");
        assert!(diags.is_empty());
        assert!(!t.declared);
        assert_eq!(
            t.ids().collect::<Vec<_>>(),
            ["countries", "technologies", "policies"]
        );
        assert_eq!(t.matrix, Some((0, 2)));
        assert!(t.taxonomies[1].inherit.headings);
        assert!(t.taxonomies[0].inherit.actors && !t.taxonomies[2].inherit.actors);
        assert!(t.taxonomies[2].recommendations);
        assert_eq!(t.taxonomies[0].singular_lower(), "country");
    }

    #[test]
    fn declared_taxonomies_keep_their_order_and_rules() {
        let text = "title: x\ntaxonomies:\n  - { id: organisations, name: Organisations, singular: Organisation }\n  - { id: countries, name: Countries, singular: Country }\n  - { id: topics, name: Topics, inherit: [headings] }\n";
        let list = raw(text);
        let (t, diags) = Table::check(Some(&list), None, "content/site.yaml", text);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(t.declared);
        assert_eq!(
            t.ids().collect::<Vec<_>>(),
            ["organisations", "countries", "topics"]
        );
        assert_eq!(t.taxonomies[0].inherit.previous, Previous::Referent);
        assert!(t.taxonomies[1].inherit.pairs);
        assert_eq!(t.taxonomies[2].singular, "Topics");
        assert!(t.taxonomies[2].inherit.headings);
        assert_eq!(t.taxonomies[2].inherit.previous, Previous::Never);
        assert_eq!(t.matrix, None, "no policies: no default matrix");
        assert_eq!(
            t.claim_keys()[7..10],
            ["organisations", "countries", "topics"]
        );
    }

    #[test]
    fn bad_entries_are_reported_at_their_line() {
        let text = "title: x\ntaxonomies:\n  - { id: briefs, name: B }\n  - { id: Bad, name: B }\n  - { id: kind, name: K }\n  - { id: a, name: A }\n  - { id: a, name: A }\n  - { id: b }\n  - { id: c, name: C, inherit: [heading] }\nmatrix: { rows: a, columns: zz }\n";
        let list = raw(text);
        let doc = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap();
        let m: RawMatrix = serde_yaml::from_value(doc["matrix"].clone()).unwrap();
        let (t, diags) = Table::check(Some(&list), Some(&m), "content/site.yaml", text);
        let got: Vec<(Option<usize>, &str)> =
            diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    Some(3),
                    "taxonomy id `briefs` clashes with the site's own pages at /briefs/"
                ),
                (Some(4), "bad taxonomy id `Bad`"),
                (
                    Some(5),
                    "taxonomy id `kind` clashes with the claim key `kind`"
                ),
                (Some(7), "taxonomy `a` is declared twice"),
                (Some(8), "taxonomy `b` has no `name`"),
                (
                    Some(9),
                    "taxonomy `c` has an unknown rule `heading` in `inherit`"
                ),
                (Some(10), "`matrix` names unknown taxonomy `zz`"),
            ]
        );
        assert!(diags[5].help.as_deref().unwrap().contains("`headings`"));
        assert_eq!(t.ids().collect::<Vec<_>>(), ["a"]);
    }
}
