//! "Cite this": a brief or one of its claims as a reference, in three
//! forms: Chicago author-date (a reference-list entry), BibTeX and RIS.
//! Each names the page's permalink and the date the brief was published.
//!
//! The forms are returned as HTML ready for a template (escaped, the
//! permalink wrapped in `<span class="permalink">` when the site has no
//! `base_url`, so a script can make it absolute where the page is read).

use crate::content::model::{Brief, Chapter, Claim};
use crate::content::MONTHS;
use crate::render::highlight::escape;

/// A reference in three forms, as HTML.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cite {
    pub chicago: String,
    pub bibtex: String,
    pub ris: String,
}

/// Where the cited page lives: its absolute URL (with `base_url`), or its
/// path from the site's root.
pub struct Permalink {
    pub url: String,
    pub absolute: bool,
}

impl Permalink {
    /// The address as HTML: escaped, and marked for the script that makes
    /// a path absolute.
    pub fn html(&self) -> String {
        if self.absolute {
            escape(&self.url)
        } else {
            format!(
                "<span class=\"permalink\" data-path=\"{0}\">{0}</span>",
                escape(&self.url)
            )
        }
    }
}

const BIB_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) as (year, month 1–12,
/// day); parts that are not numbers in range are left out.
fn date_parts(iso: &str) -> (&str, Option<usize>, Option<u32>) {
    let mut it = iso.trim().splitn(3, '-');
    let year = it.next().unwrap_or("");
    let month = it
        .next()
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|m| (1..=12).contains(m));
    let day = month
        .and(it.next())
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d));
    (year, month, day)
}

/// `December 14, 2024`, `December 2024` or `2024`.
fn long_date(iso: &str) -> String {
    match date_parts(iso) {
        (y, Some(m), Some(d)) => format!("{} {d}, {y}", MONTHS[m - 1]),
        (y, Some(m), None) => format!("{} {y}", MONTHS[m - 1]),
        (y, None, _) => y.to_string(),
    }
}

/// A personal name as `Last, First` (the last word is taken for the family
/// name; a single word is left as it is).
fn inverted(name: &str) -> String {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) if !first.trim().is_empty() => format!("{last}, {}", first.trim()),
        _ => name.to_string(),
    }
}

/// Chicago's list of authors: the first inverted, the others in order,
/// `and` before the last; more than ten: the first seven and `et al.`
fn chicago_names(names: &[String]) -> String {
    let names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    let (shown, et_al) = if names.len() > 10 {
        (&names[..7], true)
    } else {
        (&names[..], false)
    };
    let mut out = String::new();
    for (i, n) in shown.iter().enumerate() {
        if i == 0 {
            out.push_str(&inverted(n));
            continue;
        }
        if et_al {
            out.push_str(", ");
        } else if i + 1 == shown.len() {
            out.push_str(", and ");
        } else {
            out.push_str(", ");
        }
        out.push_str(n);
    }
    if et_al {
        out.push_str(", et al.");
    }
    out
}

/// `First Last` names joined with `and` (for "edited by").
fn plain_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.trim().to_string(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter().map(|n| n.trim()).collect::<Vec<_>>().join(", "),
            last.trim()
        ),
    }
}

/// Ends `s` with a full stop unless it ends with punctuation already.
fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// A title in Chicago's quotation marks, its full stop inside them.
fn quoted_title(title: &str, subtitle: Option<&str>) -> String {
    let full = match subtitle.map(str::trim).filter(|s| !s.is_empty()) {
        Some(sub) => format!("{}: {sub}", title.trim().trim_end_matches(':')),
        None => title.trim().to_string(),
    };
    format!("“{}”", sentence(&full))
}

/// Text for BibTeX: special characters escaped, line breaks and braces
/// removed from the structure.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL for BibTeX's `url` field (read verbatim there): braces,
/// backslashes and control characters cannot appear.
fn bib_url(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '{' | '}' | '\\') && !c.is_control())
        .collect()
}

/// BibTeX names: `Last, First and Last, First`.
fn bib_names(names: &[String]) -> String {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| bib(&inverted(n)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// One RIS value: on one line.
fn ris(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// What is cited: a brief, or a claim in it (and its chapter, in an edited
/// volume).
struct Work<'a> {
    brief: &'a Brief,
    chapter: Option<&'a Chapter>,
    claim: Option<&'a Claim>,
}

impl Work<'_> {
    /// The authors of the cited text: the chapter's, else the brief's.
    fn authors(&self) -> &[String] {
        match self.chapter {
            Some(ch) if !ch.authors.is_empty() => &ch.authors,
            _ => &self.brief.authors,
        }
    }

    /// Where in the brief a claim stands: `Section “A › B”, claim <id>`.
    fn locator(&self) -> Option<String> {
        let c = self.claim?;
        let mut parts = Vec::new();
        if !c.section.is_empty() {
            parts.push(format!("Section “{}”", c.section.join(" › ")));
        }
        parts.push(format!("claim {}", c.id));
        Some(parts.join(", "))
    }
}

fn chicago(w: &Work<'_>, link: &Permalink) -> String {
    let b = w.brief;
    let (year, _, _) = date_parts(&b.published);
    let mut t = String::new();
    let authors = chicago_names(w.authors());
    let lead = if authors.is_empty() {
        b.publisher.trim()
    } else {
        &authors
    };
    t.push_str(&sentence(lead));
    t.push(' ');
    t.push_str(&sentence(year));
    t.push(' ');
    match w.chapter {
        Some(ch) => {
            t.push_str(&quoted_title(&ch.title, None));
            t.push_str(" In ");
            t.push_str(b.title.trim());
            if let Some(sub) = b.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
                t.push_str(": ");
                t.push_str(sub.trim());
            }
            if !b.editors.is_empty() {
                t.push_str(", edited by ");
                t.push_str(&plain_names(&b.editors));
            }
            t.push('.');
        }
        None => t.push_str(&quoted_title(&b.title, b.subtitle.as_deref())),
    }
    if let Some(series) = b.series.as_deref().filter(|s| !s.trim().is_empty()) {
        t.push(' ');
        t.push_str(&sentence(series));
    }
    t.push(' ');
    if authors.is_empty() {
        t.push_str(&sentence(&long_date(&b.published)));
    } else {
        t.push_str(&sentence(&format!(
            "{}, {}",
            b.publisher.trim(),
            long_date(&b.published)
        )));
    }
    if let Some(loc) = w.locator() {
        t.push(' ');
        t.push_str(&sentence(&loc));
    }
    t.push(' ');
    format!("{}{}.", escape(&t), link.html())
}

fn bibtex(w: &Work<'_>, link: &Permalink) -> String {
    let b = w.brief;
    let (year, month, _) = date_parts(&b.published);
    let key = w.claim.map_or(b.id.as_str(), |c| c.id.as_str());
    let mut fields: Vec<(&str, String)> = Vec::new();
    let authors = bib_names(w.authors());
    if !authors.is_empty() {
        fields.push(("author", authors));
    }
    let entry = match w.chapter {
        Some(ch) => {
            fields.push(("title", format!("{{{}}}", bib(ch.title.trim()))));
            fields.push(("booktitle", format!("{{{}}}", bib(b.title.trim()))));
            if !b.editors.is_empty() {
                fields.push(("editor", bib_names(&b.editors)));
            }
            fields.push(("publisher", bib(b.publisher.trim())));
            "incollection"
        }
        None => {
            let title = match b.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => format!("{}: {}", b.title.trim(), s.trim()),
                None => b.title.trim().to_string(),
            };
            fields.push(("title", format!("{{{}}}", bib(&title))));
            fields.push(("institution", bib(b.publisher.trim())));
            if let Some(series) = b.series.as_deref().filter(|s| !s.trim().is_empty()) {
                fields.push(("type", bib(series.trim())));
            }
            "techreport"
        }
    };
    fields.push(("year", bib(year)));
    let mut out = format!("@{entry}{{{},\n", bib(key));
    for (k, v) in &fields {
        out.push_str(&format!("  {k} = {{{v}}},\n"));
    }
    if let Some(m) = month {
        out.push_str(&format!("  month = {},\n", BIB_MONTHS[m - 1]));
    }
    let mut html = escape(&out);
    html.push_str("  url = {");
    let url = bib_url(&link.url);
    html.push_str(
        &Permalink {
            url,
            absolute: link.absolute,
        }
        .html(),
    );
    html.push('}');
    if let Some(loc) = w.locator() {
        html.push_str(&escape(&format!(",\n  note = {{{}}}", bib(&loc))));
    }
    html.push_str("\n}");
    html
}

fn ris_record(w: &Work<'_>, link: &Permalink) -> String {
    let b = w.brief;
    let (year, month, day) = date_parts(&b.published);
    let mut lines: Vec<(&str, String)> = Vec::new();
    lines.push((
        "TY",
        if w.chapter.is_some() { "CHAP" } else { "RPRT" }.into(),
    ));
    for a in w.authors().iter().filter(|a| !a.trim().is_empty()) {
        lines.push(("AU", ris(&inverted(a))));
    }
    match w.chapter {
        Some(ch) => {
            lines.push(("TI", ris(&ch.title)));
            lines.push(("T2", ris(&b.title)));
            for e in b.editors.iter().filter(|e| !e.trim().is_empty()) {
                lines.push(("A2", ris(&inverted(e))));
            }
        }
        None => {
            let title = match b.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => format!("{}: {}", b.title.trim(), s.trim()),
                None => b.title.clone(),
            };
            lines.push(("TI", ris(&title)));
            if let Some(series) = b.series.as_deref().filter(|s| !s.trim().is_empty()) {
                lines.push(("T3", ris(series)));
            }
        }
    }
    lines.push(("PB", ris(&b.publisher)));
    lines.push(("PY", ris(year)));
    let da = match (month, day) {
        (Some(m), Some(d)) => format!("{year}/{m:02}/{d:02}"),
        (Some(m), None) => format!("{year}/{m:02}"),
        _ => year.to_string(),
    };
    lines.push(("DA", ris(&da)));
    if let Some(loc) = w.locator() {
        lines.push(("N1", ris(&loc)));
    }
    let mut html = String::new();
    for (tag, v) in &lines {
        html.push_str(&escape(&format!("{tag}  - {v}\n")));
    }
    html.push_str("UR  - ");
    html.push_str(
        &Permalink {
            url: ris(&link.url),
            absolute: link.absolute,
        }
        .html(),
    );
    html.push_str("\nER  - ");
    html
}

fn cite(w: &Work<'_>, link: &Permalink) -> Cite {
    Cite {
        chicago: chicago(w, link),
        bibtex: bibtex(w, link),
        ris: ris_record(w, link),
    }
}

/// The reference of a brief, at `link`.
pub fn brief(brief: &Brief, link: &Permalink) -> Cite {
    cite(
        &Work {
            brief,
            chapter: None,
            claim: None,
        },
        link,
    )
}

/// The reference of claim `claim` of `brief`, at `link`.
pub fn claim(brief: &Brief, claim: &Claim, link: &Permalink) -> Cite {
    cite(
        &Work {
            brief,
            chapter: claim.chapter.and_then(|i| brief.chapters.get(i)),
            claim: Some(claim),
        },
        link,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief_with(authors: &[&str]) -> Brief {
        Brief {
            id: "rand-2023-parker".into(),
            path: String::new(),
            title: "Mapping <Quantum> & more".into(),
            subtitle: Some("A survey".into()),
            publisher: "RAND Corporation".into(),
            published: "2023-02-14".into(),
            source: String::new(),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            editors: Vec::new(),
            url: None,
            series: Some("Research Report".into()),
            summary: None,
            about: None,
            chapters: Vec::new(),
            notes: Vec::new(),
            note_by_id: Default::default(),
            bibliography: Vec::new(),
            claims: Vec::new(),
        }
    }

    fn abs() -> Permalink {
        Permalink {
            url: "https://example.org/briefs/rand-2023-parker/".into(),
            absolute: true,
        }
    }

    #[test]
    fn chicago_author_date_names_date_and_permalink() {
        let b = brief_with(&["Edward Parker", "Dan Gonzales", "Ajay K. Kochhar"]);
        let c = brief(&b, &abs());
        assert_eq!(
            c.chicago,
            "Parker, Edward, Dan Gonzales, and Ajay K. Kochhar. 2023. “Mapping &lt;Quantum&gt; &amp; more: A survey.” Research Report. RAND Corporation, February 14, 2023. https://example.org/briefs/rand-2023-parker/."
        );
        let two = brief(&brief_with(&["A B", "C D"]), &abs());
        assert!(
            two.chicago.starts_with("B, A, and C D. 2023."),
            "{}",
            two.chicago
        );
        let none = brief(&brief_with(&[]), &abs());
        assert!(none.chicago.starts_with("RAND Corporation. 2023. “Mapping"));
        assert!(none.chicago.contains(" February 14, 2023. https://"));
    }

    #[test]
    fn bibtex_and_ris_escape_and_carry_the_date() {
        let mut b = brief_with(&["Edward Parker"]);
        b.publisher = "R&D {Lab} 100%".into();
        b.published = "2024-12".into();
        let c = brief(&b, &abs());
        assert!(
            c.bibtex.starts_with("@techreport{rand-2023-parker,\n"),
            "{}",
            c.bibtex
        );
        assert!(c.bibtex.contains("author = {Parker, Edward}"));
        assert!(
            c.bibtex
                .contains("institution = {R\\&amp;D \\{Lab\\} 100\\%}"),
            "{}",
            c.bibtex
        );
        assert!(c.bibtex.contains("year = {2024},\n  month = dec,"));
        assert!(c
            .bibtex
            .contains("url = {https://example.org/briefs/rand-2023-parker/}"));
        assert!(
            c.ris.starts_with("TY  - RPRT\nAU  - Parker, Edward\n"),
            "{}",
            c.ris
        );
        assert!(c.ris.contains("PY  - 2024\nDA  - 2024/12\n"));
        assert!(c
            .ris
            .ends_with("UR  - https://example.org/briefs/rand-2023-parker/\nER  - "));
        assert!(!c.ris.contains("<"), "{}", c.ris);
    }

    #[test]
    fn a_claim_names_its_section_and_chapter() {
        let mut b = brief_with(&["Ed One"]);
        b.editors = vec!["Ann Editor".into()];
        b.chapters = vec![Chapter {
            id: "ch1".into(),
            title: "Chips \"now\"".into(),
            authors: vec!["Kim Lee".into()],
        }];
        let claim = Claim {
            id: "x-0001".into(),
            path: String::new(),
            brief: 0,
            order: 1,
            chapter: Some(0),
            section: vec!["Intro".into(), "Why".into()],
            paragraph: None,
            kind: crate::content::kind::Kind::Claim,
            tags: Vec::new(),
            cites: Vec::new(),
            see_also: Vec::new(),
            seen_from: Vec::new(),
            body: String::new(),
            reviewed: false,
        };
        let rel = Permalink {
            url: "claims/x-0001/".into(),
            absolute: false,
        };
        let c = super::claim(&b, &claim, &rel);
        assert!(
            c.chicago
                .starts_with("Lee, Kim. 2023. “Chips &quot;now&quot;.” In Mapping"),
            "{}",
            c.chicago
        );
        assert!(c.chicago.contains("edited by Ann Editor."));
        assert!(c.chicago.contains("Section “Intro › Why”, claim x-0001."));
        assert!(c.chicago.ends_with(
            "<span class=\"permalink\" data-path=\"claims/x-0001/\">claims/x-0001/</span>."
        ));
        assert!(c.bibtex.starts_with("@incollection{x-0001,"));
        assert!(c.bibtex.contains("editor = {Editor, Ann}"));
        assert!(c
            .ris
            .starts_with("TY  - CHAP\nAU  - Lee, Kim\nTI  - Chips &quot;now&quot;\nT2  - Mapping"));
    }

    #[test]
    fn odd_dates_and_names_do_not_panic() {
        for d in ["", "20", "2024-13", "2024-00-99", "x-y-z", "2024-02-"] {
            let mut b = brief_with(&[" ", "Solo"]);
            b.published = d.into();
            let c = brief(&b, &abs());
            assert!(c.ris.contains("PY  - "));
        }
        assert_eq!(long_date("2024-12-03"), "December 3, 2024");
        assert_eq!(long_date("2024-12"), "December 2024");
        assert_eq!(chicago_names(&["Solo".into()]), "Solo");
        let many: Vec<String> = (0..12).map(|i| format!("A{i} B{i}")).collect();
        assert!(chicago_names(&many).ends_with("A6 B6, et al."));
    }
}
