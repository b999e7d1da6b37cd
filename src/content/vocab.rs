//! Vocabularies: a parsed taxonomy file to a checked [`Taxonomy`] (ids,
//! duplicates, parents, cycles), and the claim index of each term closed over
//! descendants, so a claim tagged with a child appears on its ancestors'
//! pages. Alias matching for tagging lives with the tagger.

use std::collections::HashMap;

use crate::build::parse::ParsedTaxonomy;
use crate::build::validate::{bad_id_help, is_valid_id};
use crate::content::model::{Claim, ClaimIx, Taxonomy, Term, TermIx};
use crate::diag::{closest, Diagnostic};

/// Display title and singular noun of a taxonomy.
pub fn titles(name: &str) -> (&'static str, &'static str) {
    match name {
        "countries" => ("Countries", "country"),
        "technologies" => ("Technologies", "technology"),
        "policies" => ("Policies", "policy"),
        _ => ("Terms", "term"),
    }
}

/// File lines where each top-level list item starts (`- id: …`).
fn item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| *l == "-" || l.starts_with("- "))
        .map(|(i, _)| i + 1)
        .collect()
}

/// File line of `key:` inside the list item starting at `start` (both from 1).
fn item_key_line(text: &str, start: usize, key: &str) -> usize {
    for (i, line) in text.lines().enumerate().skip(start - 1) {
        if i + 1 > start && (line == "-" || line.starts_with("- ")) {
            break;
        }
        let t = line.trim_start().trim_start_matches("- ").trim_start();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return i + 1;
        }
    }
    start
}

/// Checks one vocabulary and builds its terms (claim lists still empty).
pub fn build(parsed: &ParsedTaxonomy) -> Result<Taxonomy, Vec<Diagnostic>> {
    let (title, singular) = titles(parsed.name);
    let path = format!("content/taxonomy/{}.yaml", parsed.name);
    let mut diags = Vec::new();
    let Some(file) = &parsed.file else {
        // A missing file; a file that failed to parse was already reported.
        return Err(vec![]);
    };
    let items = item_lines(&file.text);
    let line_of = |i: usize, key: &str| {
        items
            .get(i)
            .map(|&start| item_key_line(&file.text, start, key))
            .unwrap_or(1)
    };
    let mut terms = Vec::with_capacity(parsed.terms.len());
    let mut by_id: HashMap<String, TermIx> = HashMap::new();
    for (i, raw) in parsed.terms.iter().enumerate() {
        let id = match raw.id.as_deref() {
            None => {
                diags.push(
                    Diagnostic::new(&path, Some(line_of(i, "id")), "term without `id`")
                        .help("give every term an `id` such as `south-korea`"),
                );
                continue;
            }
            Some(id) if !is_valid_id(id) => {
                diags.push(
                    Diagnostic::new(&path, Some(line_of(i, "id")), format!("bad term id `{id}`"))
                        .help(bad_id_help()),
                );
                continue;
            }
            Some(id) => id,
        };
        let name = match raw.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => {
                diags.push(
                    Diagnostic::new(
                        &path,
                        Some(line_of(i, "id")),
                        format!("term `{id}` has no `name`"),
                    )
                    .help("add the display name, e.g. `name: South Korea`"),
                );
                id.to_string()
            }
        };
        if let Some(&first) = by_id.get(id) {
            let first_line = terms
                .get(first as usize)
                .map(|(_, l): &(Term, usize)| *l)
                .unwrap_or(1);
            diags.push(
                Diagnostic::new(&path, Some(line_of(i, "id")), format!("duplicate term id `{id}`"))
                    .help(format!(
                        "the id is already defined at line {first_line}; merge the two terms or rename one"
                    )),
            );
            continue;
        }
        by_id.insert(id.to_string(), terms.len() as TermIx);
        terms.push((
            Term {
                id: id.to_string(),
                name,
                description: raw.description.clone().filter(|d| !d.trim().is_empty()),
                aliases: raw.aliases.clone(),
                parent: None,
                children: Vec::new(),
                claims: Vec::new(),
                direct: 0,
            },
            line_of(i, "id"),
        ));
    }
    // Parents, once every id is known; index `i` of `parsed.terms` differs
    // from the term index when terms were skipped, so map by id.
    for (i, raw) in parsed.terms.iter().enumerate() {
        let (Some(id), Some(parent)) = (raw.id.as_deref(), raw.parent.as_deref()) else {
            continue;
        };
        let Some(&t) = by_id.get(id) else { continue };
        if terms[t as usize].1 != line_of(i, "id") {
            continue; // a duplicate, already reported
        }
        match by_id.get(parent) {
            Some(&p) if p == t => diags.push(
                Diagnostic::new(
                    &path,
                    Some(line_of(i, "parent")),
                    format!("term `{id}` is its own parent"),
                )
                .help("remove the `parent` key or name a broader term"),
            ),
            Some(&p) => terms[t as usize].0.parent = Some(p),
            None => {
                let hint = closest(parent, by_id.keys().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::new(
                        &path,
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
    // Cycles: walk up from every term; a walk longer than the term count
    // never reaches a root.
    let n = terms.len();
    let mut in_cycle = vec![false; n];
    for start in 0..n {
        let mut cur = terms[start].0.parent;
        let mut steps = 0;
        while let Some(p) = cur {
            if p as usize == start {
                in_cycle[start] = true;
                break;
            }
            steps += 1;
            if steps > n {
                break;
            }
            cur = terms[p as usize].0.parent;
        }
    }
    for (t, (term, line)) in terms.iter().enumerate() {
        if in_cycle[t] {
            diags.push(
                Diagnostic::new(
                    &path,
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
    Ok(Taxonomy {
        name: parsed.name,
        title,
        singular,
        terms,
        by_id,
    })
}

/// Fills each term's claim list: a claim tagged with a term is listed on that
/// term and all its ancestors, once each, in reading order.
pub fn index_claims(taxonomies: &mut [Taxonomy], claims: &[Claim]) {
    for (x, tax) in taxonomies.iter_mut().enumerate() {
        let mut seen: Vec<TermIx> = Vec::new();
        for (ci, claim) in claims.iter().enumerate() {
            let Some(tags) = claim.tags.get(x) else {
                continue;
            };
            seen.clear();
            for &t in tags {
                tax.terms[t as usize].direct += 1;
                let mut cur = Some(t);
                while let Some(u) = cur {
                    if seen.contains(&u) {
                        break;
                    }
                    seen.push(u);
                    cur = tax.terms[u as usize].parent;
                }
            }
            for &u in &seen {
                tax.terms[u as usize].claims.push(ci as ClaimIx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::load::SourceFile;

    fn parsed(text: &str) -> ParsedTaxonomy {
        ParsedTaxonomy {
            name: "technologies",
            terms: serde_yaml::from_str(text).unwrap(),
            file: Some(SourceFile {
                path: "content/taxonomy/technologies.yaml".into(),
                text: text.into(),
            }),
        }
    }

    #[test]
    fn builds_children() {
        let t = build(&parsed(
            "- id: quantum\n  name: Quantum\n- id: qc\n  name: QC\n  parent: quantum\n",
        ))
        .unwrap();
        assert_eq!(t.terms[0].children, vec![1]);
        assert_eq!(t.ancestors(1).collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn reports_duplicates_unknown_parents_and_cycles() {
        let text = "- id: a\n  name: A\n  parent: b\n- id: b\n  name: B\n  parent: a\n- id: a\n  name: A2\n- id: c\n  name: C\n  parent: bb\n- id: Bad\n  name: X\n";
        let errs = build(&parsed(text)).unwrap_err();
        let lines: Vec<_> = errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            lines.contains(&(Some(7), "duplicate term id `a`")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(Some(11), "term `c` has unknown parent `bb`")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(Some(12), "bad term id `Bad`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == Some(1) && m.contains("cycle")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == Some(4) && m.contains("cycle")),
            "{lines:?}"
        );
    }
}
