//! The link check of a built site (`crossbrief check`, and the end-to-end
//! tests): every internal `href`, `src` and `action` of every HTML file
//! must name a file of the output, and every `#anchor` an `id` in it.
//!
//! The scan reads attributes with one pattern over the raw bytes, not a
//! parser: it understands the HTML the templates write (double-quoted
//! attributes, entities in URLs) and skips external links (`http:`,
//! `mailto:`, `//host`, …). Links starting with `/` (404.html's) are
//! resolved under the site's base path, the path part of `base_url`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

/// One broken link or anchor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The HTML file, relative to the output folder (`/`-separated).
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// What one HTML file links to and which ids it has.
struct Scan {
    links: Vec<String>,
    ids: HashSet<String>,
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn scan(text: &str, attr: &regex::Regex) -> Scan {
    let mut links = Vec::new();
    let mut ids = HashSet::new();
    for cap in attr.captures_iter(text) {
        let value = decode(&cap[2]);
        if &cap[1] == "id" {
            ids.insert(value);
        } else {
            links.push(value);
        }
    }
    Scan { links, ids }
}

/// Whether a link leaves the site: a scheme (`https:`, `mailto:`, `data:`)
/// or a host (`//cdn`).
fn external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    match link.find(':') {
        Some(i) => !link[..i].contains(['/', '?', '#']),
        None => false,
    }
}

/// `a/b/../c` → `a/c`; `None` if it climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The base path (`/briefs-site/`) a built site was made for, from the
/// canonical link of its home page; `None` without one (no `base_url`).
pub fn base_path_of(out: &Path) -> Option<String> {
    let home = std::fs::read_to_string(out.join("index.html")).ok()?;
    let re = regex::Regex::new(r#"<link rel="canonical" href="([^"]*)""#).ok()?;
    let href = decode(&re.captures(&home)?[1]);
    Some(crate::render::urls::base_path(&href).to_string())
}

/// Every broken internal link and anchor of the HTML under `out`, sorted.
/// `base_path` is the path part of the base URL, for links starting with
/// `/`; without it they are taken from the output's root.
///
/// # Errors
/// A file that cannot be read.
pub fn links(out: &Path, base_path: Option<&str>) -> Result<Vec<Problem>> {
    let mut files: HashSet<String> = HashSet::new();
    let mut pages: Vec<String> = Vec::new();
    for e in WalkDir::new(out).min_depth(1) {
        let e = e.with_context(|| format!("reading {}", out.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = crate::content::rel_path(out, e.path());
        if rel.ends_with(".html") {
            pages.push(rel.clone());
        }
        files.insert(rel);
    }
    pages.sort();
    let attr = regex::Regex::new(r#"\s(href|src|action|id)="([^"]*)""#).expect("a valid pattern");
    let scans: Vec<(String, Scan)> = pages
        .par_iter()
        .map(|rel| -> Result<(String, Scan)> {
            let text = std::fs::read_to_string(out.join(rel))
                .with_context(|| format!("reading {}", out.join(rel).display()))?;
            Ok((rel.clone(), scan(&text, &attr)))
        })
        .collect::<Result<_>>()?;
    let ids: HashMap<&str, &HashSet<String>> =
        scans.iter().map(|(p, s)| (p.as_str(), &s.ids)).collect();
    let base = base_path.unwrap_or("/");
    let mut problems: Vec<Problem> = scans
        .par_iter()
        .flat_map_iter(|(page, s)| {
            let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
            let mut out = Vec::new();
            for link in &s.links {
                if external(link) {
                    continue;
                }
                let no_query = |p: &str| p.split('?').next().unwrap_or("").to_string();
                let (path, anchor) = match link.split_once('#') {
                    Some((p, a)) => (no_query(p), Some(a)),
                    None => (no_query(link), None),
                };
                let broken = |why: String| Problem {
                    file: page.clone(),
                    message: format!("broken link {link} ({why})"),
                };
                let target = if path.is_empty() {
                    Some(page.clone())
                } else if path.starts_with('/') {
                    match path.strip_prefix(base) {
                        Some(rest) => normalise(rest),
                        None if path.trim_end_matches('/') == base.trim_end_matches('/') => {
                            Some(String::new())
                        }
                        None => {
                            out.push(broken(format!("outside the site's base path {base}")));
                            continue;
                        }
                    }
                } else {
                    normalise(&format!("{dir}/{path}"))
                };
                let Some(mut target) = target else {
                    out.push(broken("above the site's root".into()));
                    continue;
                };
                if target.is_empty() || path.ends_with('/') || !files.contains(&target) {
                    let index = if target.is_empty() {
                        "index.html".to_string()
                    } else {
                        format!("{}/index.html", target.trim_end_matches('/'))
                    };
                    if files.contains(&index) {
                        target = index;
                    }
                }
                if !files.contains(&target) {
                    out.push(broken(format!("no file {target}")));
                    continue;
                }
                if let (Some(a), Some(ids)) = (anchor, ids.get(target.as_str())) {
                    if !a.is_empty() && !ids.contains(a) {
                        out.push(broken(format!("no id \"{a}\" in {target}")));
                    }
                }
            }
            out
        })
        .collect();
    problems.sort();
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_and_normalised() {
        for (link, ext) in [
            ("https://x.org/", true),
            ("mailto:a@b", true),
            ("//cdn.x/a.js", true),
            ("data:image/png;base64,x", true),
            ("../a/index.html", false),
            ("index.html?q=a:b", false),
            ("#note-1", false),
            ("/sub/index.html", false),
        ] {
            assert_eq!(external(link), ext, "{link}");
        }
        assert_eq!(normalise("a/b/../c/./d").as_deref(), Some("a/c/d"));
        assert_eq!(normalise("a/../../b"), None);
    }

    #[test]
    fn finds_broken_links_and_anchors() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("claims/a")).unwrap();
        std::fs::write(
            out.join("index.html"),
            r#"<a href="claims/a/index.html#x">a</a> <a href="claims/a/index.html#nope">b</a> <a href="gone/index.html">c</a> <a href="https://x.org/">d</a> <form action="search/index.html"></form>"#,
        )
        .unwrap();
        std::fs::write(
            out.join("claims/a/index.html"),
            r#"<p id="x"><a href="../../index.html">home</a> <a href="/sub/claims/a/">abs</a> <a href="/elsewhere/">out</a></p>"#,
        )
        .unwrap();
        let got: Vec<String> = links(out, Some("/sub/"))
            .unwrap()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "claims/a/index.html: broken link /elsewhere/ (outside the site's base path /sub/)",
                "index.html: broken link claims/a/index.html#nope (no id \"nope\" in claims/a/index.html)",
                "index.html: broken link gone/index.html (no file gone/index.html)",
                "index.html: broken link search/index.html (no file search/index.html)",
            ]
        );
    }
}
