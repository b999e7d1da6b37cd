//! Atom 1.0 feeds: the site's (`/atom.xml`: the newest briefs, each with
//! its summary and its key claims) and one per term with claims
//! (`/<taxonomy>/<term>/atom.xml`: the term's newest claims).
//!
//! Dates come from the briefs' `published` (a claim is as new as its
//! brief), never from the clock: a feed's `updated` is its newest entry's.
//! Entry ids are the entry's absolute URL when `base_url` is known, and
//! otherwise a `tag:` URI from the site's title and the entry's id
//! (`tag:mini-briefs,2024-03:claims/alpha-0001`), so they never name a
//! file path. Links are absolute with `base_url`, relative to the feed
//! otherwise.

use crate::content::model::{BriefIx, ClaimIx, Kind, Site, TermIx};
use crate::render::inputs::Prepared;
use crate::render::urls;

/// Briefs in the site feed.
pub const SITE_ENTRIES: usize = 20;
/// Key claims listed per brief in the site feed.
pub const KEY_CLAIMS: usize = 12;
/// Claims in a term's feed.
pub const TERM_ENTRIES: usize = 50;

/// Text for XML element content and attribute values: escaped, with the
/// characters XML 1.0 cannot hold (most control characters) left out.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 date-time from a brief's `published` (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`): the first day of the month or year, midnight UTC.
pub fn atom_date(published: &str) -> String {
    let mut parts = published.trim().splitn(3, '-');
    let y = parts.next().unwrap_or("1970");
    let m = parts.next().unwrap_or("01");
    let d = parts.next().unwrap_or("01");
    format!("{y}-{m:0>2}-{d:0>2}T00:00:00Z")
}

/// A slug of the site's title for `tag:` URIs: lowercase letters and
/// digits, runs of anything else as one `-` (`Mini briefs` → `mini-briefs`).
fn authority(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "crossbrief".into()
    } else {
        out.into()
    }
}

/// Where a feed is, to make its ids and links.
struct Ctx<'a> {
    site: &'a Site,
    prepared: &'a Prepared,
    base: Option<&'a str>,
    /// The feed's folder, relative to the root (`""`, `countries/china/`).
    dir: String,
}

impl Ctx<'_> {
    /// A link to the page in folder `dir` (of the root).
    fn href(&self, dir: &str) -> String {
        match self.base {
            Some(b) => urls::absolute(b, dir),
            None => urls::relative(&self.dir, dir),
        }
    }

    /// A stable id for the page in folder `dir`, published `date`.
    fn id(&self, dir: &str, date: &str) -> String {
        match self.base {
            Some(b) => urls::absolute(b, dir),
            None => format!(
                "tag:{},{}:{}",
                authority(&self.site.config.title),
                date.trim(),
                dir.trim_end_matches('/')
            ),
        }
    }

    fn head(&self, out: &mut String, title: &str, id: &str, updated: &str, self_dir: &str) {
        let cfg = &self.site.config;
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            xml_text(&cfg.language)
        ));
        out.push_str(&format!("  <title>{}</title>\n", xml_text(title)));
        if let Some(d) = &self.prepared.site_description_text {
            out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_text(d)));
        }
        out.push_str(&format!("  <id>{}</id>\n", xml_text(id)));
        out.push_str(&format!("  <updated>{updated}</updated>\n"));
        if let Some(b) = self.base {
            out.push_str(&format!(
                "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
                xml_text(&format!("{b}{self_dir}"))
            ));
        }
        out.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_text(&self.href(&self.dir))
        ));
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_text(cfg.author.as_deref().unwrap_or(&cfg.title))
        ));
        out.push_str("  <generator>crossbrief</generator>\n");
    }

    /// The authors of a brief's entry: its authors, else its editors, else
    /// its publisher.
    fn authors(&self, b: BriefIx, chapter: Option<usize>, out: &mut String) {
        let brief = &self.site.briefs[b as usize];
        let chapter_authors = chapter
            .and_then(|i| brief.chapters.get(i))
            .map(|c| c.authors.as_slice())
            .filter(|a| !a.is_empty());
        let names: Vec<&str> = match chapter_authors {
            Some(a) => a.iter().map(String::as_str).collect(),
            None if !brief.authors.is_empty() => brief.authors.iter().map(String::as_str).collect(),
            None if !brief.editors.is_empty() => brief.editors.iter().map(String::as_str).collect(),
            None => vec![brief.publisher.as_str()],
        };
        for n in names {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_text(n)
            ));
        }
    }

    /// An HTML `<a>` to the page in `dir`, escaped for the feed.
    fn html_link(&self, dir: &str, text: &str) -> String {
        format!(
            "<a href=\"{}\">{}</a>",
            crate::render::highlight::escape(&self.href(dir)),
            crate::render::highlight::escape(text)
        )
    }
}

/// Brief indexes, newest first (then by id).
fn newest_briefs(site: &Site) -> Vec<BriefIx> {
    let mut idx: Vec<BriefIx> = (0..site.briefs.len() as BriefIx).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&site.briefs[a as usize], &site.briefs[b as usize]);
        y.published.cmp(&x.published).then_with(|| x.id.cmp(&y.id))
    });
    idx
}

/// A brief's key claims: its recommendations and statistics, in reading
/// order, at most [`KEY_CLAIMS`].
fn key_claims(site: &Site, b: BriefIx) -> Vec<ClaimIx> {
    site.briefs[b as usize]
        .claims
        .iter()
        .copied()
        .filter(|&c| {
            matches!(
                site.claims[c as usize].kind,
                Kind::Recommendation | Kind::Statistic
            )
        })
        .take(KEY_CLAIMS)
        .collect()
}

/// `/atom.xml`: the [`SITE_ENTRIES`] newest briefs, each with its summary
/// and its key claims as links to their pages.
pub fn site_feed(site: &Site, prepared: &Prepared) -> String {
    let ctx = Ctx {
        site,
        prepared,
        base: site.config.base_url.as_deref(),
        dir: String::new(),
    };
    let briefs: Vec<BriefIx> = newest_briefs(site).into_iter().take(SITE_ENTRIES).collect();
    let updated = briefs
        .first()
        .map(|&b| atom_date(&site.briefs[b as usize].published))
        .unwrap_or_else(|| atom_date("1970"));
    let mut out = String::with_capacity(4096 + briefs.len() * 4096);
    let feed_id = match ctx.base {
        Some(b) => b.to_string(),
        None => format!("tag:{},1970:feed", authority(&site.config.title)),
    };
    ctx.head(&mut out, &site.config.title, &feed_id, &updated, urls::FEED);
    for b in briefs {
        let brief = &site.briefs[b as usize];
        let dir = urls::brief(&brief.id);
        let date = atom_date(&brief.published);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_text(&brief.title)));
        out.push_str(&format!(
            "    <id>{}</id>\n",
            xml_text(&ctx.id(&dir, &brief.published))
        ));
        out.push_str(&format!("    <published>{date}</published>\n"));
        out.push_str(&format!("    <updated>{date}</updated>\n"));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_text(&ctx.href(&dir))
        ));
        ctx.authors(b, None, &mut out);
        let summary = prepared.brief_summary_text[b as usize]
            .clone()
            .unwrap_or_else(|| {
                format!(
                    "{}, {}: {} claims.",
                    brief.publisher,
                    brief.published,
                    brief.claims.len()
                )
            });
        out.push_str(&format!("    <summary>{}</summary>\n", xml_text(&summary)));
        let mut html = String::new();
        if let Some(s) = &prepared.brief_summary[b as usize] {
            html.push_str(s);
        }
        html.push_str(&format!(
            "<p>{}, {}. {} claims: {}.</p>",
            crate::render::highlight::escape(&brief.publisher),
            crate::render::highlight::escape(&brief.published),
            brief.claims.len(),
            ctx.html_link(&dir, "read the brief")
        ));
        let keys = key_claims(site, b);
        if !keys.is_empty() {
            html.push_str("<h3>Key claims</h3><ul>");
            for c in keys {
                let claim = &site.claims[c as usize];
                html.push_str(&format!(
                    "<li>{} <em>({})</em></li>",
                    ctx.html_link(&urls::claim(&claim.id), &prepared.claim_text[c as usize]),
                    claim.kind.as_str()
                ));
            }
            html.push_str("</ul>");
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml_text(&html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The [`TERM_ENTRIES`] newest claims of a term (its descendants'
/// included): by their brief's date, newest first, then brief id, then
/// reading order.
fn newest_claims(site: &Site, x: usize, t: TermIx) -> Vec<ClaimIx> {
    let mut claims: Vec<ClaimIx> = site.claims_of(x, t).to_vec();
    claims.sort_by(|&a, &b| {
        let (ba, bb) = (
            site.brief_of(&site.claims[a as usize]),
            site.brief_of(&site.claims[b as usize]),
        );
        bb.published
            .cmp(&ba.published)
            .then_with(|| ba.id.cmp(&bb.id))
            .then(a.cmp(&b))
    });
    claims.truncate(TERM_ENTRIES);
    claims
}

/// `/<taxonomy>/<term>/atom.xml` for every term with claims, as (output
/// path, text).
pub fn term_feeds(site: &Site, prepared: &Prepared) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (x, tax) in site.taxonomies.iter().enumerate() {
        for (t, term) in tax.terms.iter().enumerate() {
            let t = t as TermIx;
            if site.claims_of(x, t).is_empty() {
                continue;
            }
            out.push((
                urls::term_feed(tax.id(), &term.id),
                term_feed(site, prepared, x, t),
            ));
        }
    }
    out
}

fn term_feed(site: &Site, prepared: &Prepared, x: usize, t: TermIx) -> String {
    let tax = &site.taxonomies[x];
    let term = &tax.terms[t as usize];
    let dir = urls::term(tax.id(), &term.id, 1);
    let ctx = Ctx {
        site,
        prepared,
        base: site.config.base_url.as_deref(),
        dir: dir.clone(),
    };
    let claims = newest_claims(site, x, t);
    let updated = claims
        .first()
        .map(|&c| atom_date(&site.brief_of(&site.claims[c as usize]).published))
        .unwrap_or_else(|| atom_date("1970"));
    let feed_id = match ctx.base {
        Some(b) => urls::absolute(b, &dir),
        None => format!(
            "tag:{},1970:{}",
            authority(&site.config.title),
            dir.trim_end_matches('/')
        ),
    };
    let title = format!("{} ({}) · {}", term.name, tax.def.name, site.config.title);
    let mut out = String::with_capacity(2048 + claims.len() * 1500);
    ctx.head(
        &mut out,
        &title,
        &feed_id,
        &updated,
        &urls::term_feed(tax.id(), &term.id),
    );
    for c in claims {
        let claim = &site.claims[c as usize];
        let brief = site.brief_of(claim);
        let cdir = urls::claim(&claim.id);
        let date = atom_date(&brief.published);
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            xml_text(&crate::render::markdown::excerpt(
                &prepared.claim_plain[c as usize],
                90
            ))
        ));
        out.push_str(&format!(
            "    <id>{}</id>\n",
            xml_text(&ctx.id(&cdir, &brief.published))
        ));
        out.push_str(&format!("    <published>{date}</published>\n"));
        out.push_str(&format!("    <updated>{date}</updated>\n"));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_text(&ctx.href(&cdir))
        ));
        ctx.authors(claim.brief, claim.chapter, &mut out);
        for (ox, tags) in claim.tags.iter().enumerate() {
            for &ot in tags {
                let otax = &site.taxonomies[ox];
                out.push_str(&format!(
                    "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>\n",
                    xml_text(&otax.terms[ot as usize].id),
                    xml_text(otax.id()),
                    xml_text(&otax.terms[ot as usize].name)
                ));
            }
        }
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_text(&prepared.claim_plain[c as usize])
        ));
        let body = if prepared.claim_inline[c as usize] {
            format!("<p>{}</p>", prepared.claim_html[c as usize])
        } else {
            prepared.claim_html[c as usize].clone()
        };
        let html = format!(
            "<blockquote>{body}</blockquote><p>{} claim from {}, {}, {}.</p>",
            claim.kind.as_str(),
            ctx.html_link(&urls::brief(&brief.id), &brief.title),
            crate::render::highlight::escape(&brief.publisher),
            crate::render::highlight::escape(&brief.published)
        );
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml_text(&html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_text() {
        assert_eq!(atom_date("2024"), "2024-01-01T00:00:00Z");
        assert_eq!(atom_date("2024-03"), "2024-03-01T00:00:00Z");
        assert_eq!(atom_date("2024-03-07"), "2024-03-07T00:00:00Z");
        assert_eq!(xml_text("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
        assert_eq!(authority("Mini briefs!"), "mini-briefs");
        assert_eq!(authority("  "), "crossbrief");
        assert_eq!(authority("Études & Co"), "tudes-co");
    }
}
