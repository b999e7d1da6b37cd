//! Markdown to safe HTML: the one place pulldown-cmark's options are set.
//! Raw HTML in content is escaped (content comes from converted PDFs and
//! must not inject markup), fenced code goes through `highlight`.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::render::highlight;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML.
pub fn to_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + md.len() / 4 + 16);
    let mut code: Option<(String, String)> = None; // (lang, text)
                                                   // One entry per open link or image: true when it was neutralised, so
                                                   // its end tag becomes the end of the emphasis that replaced it.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(md, options()).filter_map(|ev| match ev {
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang = match kind {
                CodeBlockKind::Fenced(l) => l.to_string(),
                CodeBlockKind::Indented => String::new(),
            };
            code = Some((lang, String::new()));
            None
        }
        Event::End(TagEnd::CodeBlock) => code
            .take()
            .map(|(lang, text)| Event::Html(CowStr::from(highlight::code_block(&text, &lang)))),
        Event::Text(t) if code.is_some() => {
            if let Some((_, text)) = code.as_mut() {
                text.push_str(&t);
            }
            None
        }
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let bad = !safe_url(dest_url);
            links.push(bad);
            Some(if bad { Event::Start(Tag::Emphasis) } else { ev })
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            Some(if links.pop() == Some(true) {
                Event::End(TagEnd::Emphasis)
            } else {
                ev
            })
        }
        other => Some(other),
    });
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// True for link targets that cannot run code: relative URLs, fragments and
/// the http, https and mailto schemes (`javascript:`, `data:` and the like
/// are shown as plain emphasis instead).
fn safe_url(url: &str) -> bool {
    let url = url.trim_start();
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].split_once(':') {
        None => true,
        Some((scheme, _)) => matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto"
        ),
    }
}

/// The inner HTML when `html` is exactly one paragraph, so a sentence can
/// sit inline inside a rebuilt paragraph; `None` for tables, lists, code or
/// several paragraphs.
pub fn single_paragraph(html: &str) -> Option<&str> {
    let inner = html.trim_end().strip_prefix("<p>")?.strip_suffix("</p>")?;
    (!inner.contains("<p>") && !inner.contains("</p>")).then_some(inner)
}

/// When `html` is a list of exactly one item (a claim that is one bullet
/// point), whether the list is ordered and the item's inner HTML, so that
/// consecutive bullet claims can be rebuilt as one list.
pub fn single_list_item(html: &str) -> Option<(bool, &str)> {
    let html = html.trim_end();
    let (ordered, rest) = if let Some(r) = html.strip_prefix("<ul>\n<li>") {
        (false, r.strip_suffix("</li>\n</ul>")?)
    } else {
        let r = html.strip_prefix("<ol")?;
        let r = &r[r.find(">\n<li>")? + ">\n<li>".len()..];
        (true, r.strip_suffix("</li>\n</ol>")?)
    };
    (!rest.contains("<li>") && !rest.contains("<li ")).then_some((ordered, rest))
}

/// The plain text of Markdown (for excerpts and titles), whitespace
/// collapsed.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new_ext(md, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            // Inline markup ends inside a word's run ("**bold**."): no
            // space there; blocks and breaks separate words.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `text`, cut at a word boundary, with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_smart_quotes_and_escapes_html() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
        assert_eq!(to_html("\"Hi\" -- it's"), "<p>“Hi” – it’s</p>\n");
        let html = to_html("x <script>alert(1)</script>");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn neutralises_javascript_links() {
        let html = to_html("[x](javascript:alert(1))");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!to_html("[x](data:text/html,hi)").contains("href"));
        assert!(!to_html("[x](JavaScript:alert(1))").contains("href"));
        for ok in [
            "https://x.org/a",
            "../a/index.html",
            "#n",
            "mailto:a@b.c",
            "a/b:c",
        ] {
            assert!(safe_url(ok), "{ok}");
        }
        for bad in [
            "vbscript:x",
            " javascript:x",
            "data:x",
            "file:///etc/passwd",
        ] {
            assert!(!safe_url(bad), "{bad}");
        }
    }

    #[test]
    fn highlights_fenced_code() {
        let html = to_html("```rust\nlet x = 1;\n```\n");
        assert!(
            html.contains("<pre class=\"code\"><code class=\"language-rust\">"),
            "{html}"
        );
    }

    #[test]
    fn inline_only_for_one_paragraph() {
        assert_eq!(
            single_paragraph("<p>One <em>x</em>.</p>\n"),
            Some("One <em>x</em>.")
        );
        assert_eq!(single_paragraph("<p>a</p>\n<p>b</p>\n"), None);
        assert_eq!(single_paragraph("<ul>\n<li>a</li>\n</ul>\n"), None);
    }

    #[test]
    fn single_list_items() {
        assert_eq!(
            single_list_item(&to_html("- One item.")),
            Some((false, "One item."))
        );
        assert_eq!(
            single_list_item(&to_html("3. Third.")),
            Some((true, "Third."))
        );
        assert_eq!(single_list_item(&to_html("- a\n- b")), None);
        assert_eq!(single_list_item(&to_html("Plain.")), None);
        assert_eq!(single_list_item(&to_html("- a\n  - nested")), None);
    }

    #[test]
    fn plain_text_and_excerpts() {
        assert_eq!(plain_text("A *b*\nc `d`."), "A b c d.");
        assert_eq!(excerpt("one two three four", 9), "one two…");
        assert_eq!(excerpt("short", 9), "short");
    }
}
