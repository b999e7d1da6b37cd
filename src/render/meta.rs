//! Page metadata for links shared in mail, chat and search engines: the
//! description text, and schema.org JSON-LD for briefs (`Report`) and
//! claims (`Quotation`, part of its brief's `Report`). The tags themselves
//! are in `templates/base.html`; each page kind fills the fields of
//! `inputs::Common` from here.

use serde_json::{json, Map, Value};

use crate::content::model::{BriefIx, ClaimIx};
use crate::render::inputs::Inputs;
use crate::render::markdown::excerpt;
use crate::render::urls;

/// Longest description, in characters: what search engines and chat
/// previews show before cutting.
const DESCRIPTION_MAX: usize = 200;

/// A description from plain text: at most [`DESCRIPTION_MAX`] characters,
/// cut at a word.
pub fn describe(text: &str) -> String {
    excerpt(text.trim(), DESCRIPTION_MAX)
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and
/// `&` as JSON escapes, so no text of the data (`</script>`, `<!--`) can
/// end or change the element.
pub fn json_ld(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

fn people(names: &[String]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|n| json!({"@type": "Person", "name": n}))
            .collect(),
    )
}

/// The absolute URL of a page folder, when the base URL is known.
fn absolute(inp: &Inputs<'_>, dir: &str) -> Option<String> {
    inp.site
        .config
        .base_url
        .as_deref()
        .map(|b| urls::absolute(b, dir))
}

/// A brief as a schema.org `Report`: name, authors, editors, publisher,
/// date, summary, the original document, and its URL when known.
pub fn report(inp: &Inputs<'_>, b: BriefIx) -> Value {
    let brief = &inp.site.briefs[b as usize];
    let mut m = Map::new();
    m.insert("@type".into(), "Report".into());
    m.insert("name".into(), brief.title.clone().into());
    m.insert("headline".into(), brief.title.clone().into());
    if let Some(s) = &brief.subtitle {
        m.insert("alternativeHeadline".into(), s.clone().into());
    }
    if !brief.authors.is_empty() {
        m.insert("author".into(), people(&brief.authors));
    }
    if !brief.editors.is_empty() {
        m.insert("editor".into(), people(&brief.editors));
    }
    m.insert(
        "publisher".into(),
        json!({"@type": "Organization", "name": brief.publisher}),
    );
    m.insert("datePublished".into(), brief.published.clone().into());
    if let Some(s) = &inp.prepared.brief_summary_text[b as usize] {
        m.insert("description".into(), describe(s).into());
    }
    if let Some(series) = &brief.series {
        m.insert("reportNumber".into(), series.clone().into());
    }
    if let Some(u) = &brief.url {
        m.insert("sameAs".into(), u.clone().into());
    }
    if let Some(u) = absolute(inp, &urls::brief(&brief.id)) {
        m.insert("url".into(), u.into());
    }
    m.insert("inLanguage".into(), inp.site.config.language.clone().into());
    Value::Object(m)
}

/// A brief's page JSON-LD.
pub fn brief_ld(inp: &Inputs<'_>, b: BriefIx) -> String {
    let mut v = report(inp, b);
    if let Value::Object(m) = &mut v {
        let mut with = Map::new();
        with.insert("@context".into(), "https://schema.org".into());
        with.extend(std::mem::take(m));
        *m = with;
    }
    json_ld(&v)
}

/// A claim's page JSON-LD: a `Quotation` of its text, created by the
/// brief's (or chapter's) authors, part of and citing the brief's
/// `Report`, with its terms as keywords.
pub fn claim_ld(inp: &Inputs<'_>, c: ClaimIx) -> String {
    let site = inp.site;
    let claim = &site.claims[c as usize];
    let brief = site.brief_of(claim);
    let report = report(inp, claim.brief);
    let mut m = Map::new();
    m.insert("@context".into(), "https://schema.org".into());
    m.insert("@type".into(), "Quotation".into());
    m.insert(
        "text".into(),
        inp.prepared.claim_plain[c as usize].clone().into(),
    );
    let authors = claim
        .chapter
        .and_then(|i| brief.chapters.get(i))
        .map(|ch| &ch.authors)
        .filter(|a| !a.is_empty())
        .unwrap_or(&brief.authors);
    if !authors.is_empty() {
        m.insert("creator".into(), people(authors));
    }
    m.insert("datePublished".into(), brief.published.clone().into());
    m.insert("genre".into(), claim.kind.as_str().into());
    let keywords: Vec<Value> = claim
        .tags
        .iter()
        .enumerate()
        .flat_map(|(x, tags)| tags.iter().map(move |&t| (x, t)))
        .map(|(x, t)| site.term(x, t).name.clone().into())
        .collect();
    if !keywords.is_empty() {
        m.insert("keywords".into(), Value::Array(keywords));
    }
    if let Some(u) = absolute(inp, &urls::claim(&claim.id)) {
        m.insert("url".into(), u.into());
    }
    m.insert("isPartOf".into(), report.clone());
    m.insert("citation".into(), report);
    json_ld(&Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = json!({"text": "a </script><!-- b & c >"});
        let s = json_ld(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn descriptions_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let d = describe(&long);
        assert!(d.chars().count() <= DESCRIPTION_MAX + 1, "{d}");
        assert!(d.ends_with('…'));
        assert_eq!(describe("  short  "), "short");
    }
}
