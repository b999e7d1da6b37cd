//! The claims as data for spreadsheets and scripts: `/data/claims.json`
//! (an array, one object per claim and per line) and `/data/claims.csv`
//! (RFC 4180: UTF-8, CRLF line ends, a header row). Both hold each claim's
//! id, brief, order, chapter, section, kind, its terms per taxonomy (one
//! key or column each, term ids), the notes it cites, its text as plain
//! text and its page's URL (absolute with `base_url`, relative to the site
//! root otherwise).
//!
//! A CSV cell that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.

use serde::Serialize;

use crate::content::model::{Claim, Site};
use crate::render::inputs::Prepared;
use crate::render::urls;

/// One claim's row, in column order.
struct Row<'a> {
    id: &'a str,
    brief: &'a str,
    order: i64,
    chapter: Option<&'a str>,
    section: &'a [String],
    kind: &'static str,
    /// Per taxonomy: term ids.
    tags: Vec<Vec<&'a str>>,
    cites: Vec<&'a str>,
    text: &'a str,
    url: String,
}

fn rows<'a>(site: &'a Site, prepared: &'a Prepared) -> impl Iterator<Item = Row<'a>> + 'a {
    site.claims
        .iter()
        .enumerate()
        .map(move |(i, c): (usize, &Claim)| {
            let brief = site.brief_of(c);
            Row {
                id: &c.id,
                brief: &brief.id,
                order: c.order,
                chapter: c
                    .chapter
                    .and_then(|k| brief.chapters.get(k))
                    .map(|ch| ch.id.as_str()),
                section: &c.section,
                kind: c.kind.as_str(),
                tags: c
                    .tags
                    .iter()
                    .enumerate()
                    .map(|(x, tags)| tags.iter().map(|&t| site.term(x, t).id.as_str()).collect())
                    .collect(),
                cites: c
                    .cites
                    .iter()
                    .map(|&n| brief.notes[n].id.as_str())
                    .collect(),
                text: &prepared.claim_plain[i],
                url: match site.config.base_url.as_deref() {
                    Some(b) => urls::absolute(b, &urls::claim(&c.id)),
                    None => prepared.claim_url[i].clone(),
                },
            }
        })
}

/// `/data/claims.json`: an array of claims, one per line.
pub fn json(site: &Site, prepared: &Prepared) -> String {
    #[derive(Serialize)]
    struct J<'a> {
        id: &'a str,
        brief: &'a str,
        order: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        chapter: Option<&'a str>,
        section: &'a [String],
        kind: &'static str,
        #[serde(flatten)]
        tags: serde_json::Map<String, serde_json::Value>,
        cites: &'a [&'a str],
        text: &'a str,
        url: &'a str,
    }
    let mut out = String::with_capacity(site.claims.len() * 400 + 4);
    out.push('[');
    for (i, r) in rows(site, prepared).enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let tags = site
            .taxonomies
            .iter()
            .zip(&r.tags)
            .map(|(t, ids)| (t.id().to_string(), serde_json::json!(ids)))
            .collect();
        let j = J {
            id: r.id,
            brief: r.brief,
            order: r.order,
            chapter: r.chapter,
            section: r.section,
            kind: r.kind,
            tags,
            cites: &r.cites,
            text: r.text,
            url: &r.url,
        };
        out.push_str(&serde_json::to_string(&j).expect("claims serialise"));
    }
    out.push_str("\n]\n");
    out
}

/// One CSV cell: neutralised if a spreadsheet would run it, quoted if it
/// holds a comma, a quote or a line end.
fn cell(out: &mut String, value: &str) {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = risky || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

fn record(out: &mut String, cells: &[&str]) {
    for (i, v) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, v);
    }
    out.push_str("\r\n");
}

/// `/data/claims.csv`: a header row, then one row per claim; sections
/// joined with ` > `, term ids and note ids with `;`.
pub fn csv(site: &Site, prepared: &Prepared) -> String {
    let mut out = String::with_capacity(site.claims.len() * 400 + 200);
    let mut header: Vec<&str> = vec!["id", "brief", "order", "chapter", "section", "kind"];
    header.extend(site.taxonomies.iter().map(|t| t.id()));
    header.extend(["cites", "text", "url"]);
    record(&mut out, &header);
    for r in rows(site, prepared) {
        let order = r.order.to_string();
        let section = r.section.join(" > ");
        let tags: Vec<String> = r.tags.iter().map(|t| t.join(";")).collect();
        let cites = r.cites.join(";");
        let mut cells: Vec<&str> = vec![
            r.id,
            r.brief,
            &order,
            r.chapter.unwrap_or(""),
            &section,
            r.kind,
        ];
        cells.extend(tags.iter().map(String::as_str));
        cells.extend([cites.as_str(), r.text, r.url.as_str()]);
        record(&mut out, &cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: &str) -> String {
        let mut s = String::new();
        cell(&mut s, v);
        s
    }

    #[test]
    fn cells_are_quoted_and_neutralised() {
        assert_eq!(one("plain"), "plain");
        assert_eq!(one("a,b"), "\"a,b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("two\nlines"), "\"two\nlines\"");
        assert_eq!(one("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
        assert_eq!(one("+1"), "\"'+1\"");
        assert_eq!(one("-1"), "\"'-1\"");
        assert_eq!(one("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(one("\tx"), "\"'\tx\"");
        assert_eq!(one(""), "");
    }
}
