//! Links made of the addresses written in running text: notes cite their
//! sources as plain `https://…` addresses and `doi:10.…` names, and a
//! reader should be able to follow them.
//!
//! [`html`] works on rendered, escaped HTML: only text outside tags and
//! outside existing links is touched, and only `http://`, `https://` and
//! `doi:` addresses become links (a DOI links to its resolver,
//! `https://doi.org/`). An address is taken up to the first character that
//! cannot be part of one in escaped text (space, `<`, a quote, an entity
//! other than `&amp;`, anything outside printable ASCII), so the `href`
//! written is the address's own escaped text and no markup can be made of
//! it. Punctuation that ends a sentence is left outside the link, and a
//! closing bracket too unless the address opened one.

/// `html` with every bare `http://`, `https://` and `doi:` address in its
/// text turned into a link.
pub fn html(html: &str) -> String {
    if !html.contains("http://") && !html.contains("https://") && !html.contains("doi:") {
        return html.to_string();
    }
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 64);
    let mut i = 0;
    // Depth of open `<a>` elements: their text is a link already.
    let mut in_link = 0usize;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] == b'<' {
            out.push_str(&linkify_text(&html[text_start..i], in_link > 0));
            let end = tag_end(b, i);
            let tag = &html[i..end];
            let name: String = tag[1..]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if name == "a" {
                if tag.starts_with("</") {
                    in_link = in_link.saturating_sub(1);
                } else if !tag.ends_with("/>") {
                    in_link += 1;
                }
            }
            out.push_str(tag);
            i = end;
            text_start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&linkify_text(&html[text_start..], in_link > 0));
    out
}

/// The end (exclusive) of the tag starting at `start`: the first `>`
/// outside a quoted attribute value, or the end of the input.
fn tag_end(b: &[u8], start: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = start + 1;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Whether byte `c` can be part of an address in escaped text.
fn url_byte(c: u8) -> bool {
    c.is_ascii_graphic() && !matches!(c, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

/// The length of the address at the start of `s` (escaped text), before
/// trailing punctuation is trimmed.
fn url_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && url_byte(b[i]) {
        if b[i] == b'&' {
            if s[i..].starts_with("&amp;") {
                i += 5;
                continue;
            }
            break;
        }
        i += 1;
    }
    i
}

/// Trims what ends a sentence rather than an address: `.,;:!?`, and a
/// closing bracket that the address did not open.
fn trim_end(url: &str) -> &str {
    let mut u = url;
    loop {
        let Some(last) = u.as_bytes().last() else {
            return u;
        };
        let opener = match last {
            b')' => Some(b'('),
            b']' => Some(b'['),
            b'}' => Some(b'{'),
            _ => None,
        };
        let trim = match opener {
            Some(o) => {
                let opens = u.bytes().filter(|&c| c == o).count();
                let closes = u.bytes().filter(|&c| c == *last).count();
                closes > opens
            }
            None => matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*'),
        };
        if !trim {
            return u;
        }
        u = &u[..u.len() - 1];
    }
}

/// Links the addresses of one run of text (`in_link`: inside an `<a>`,
/// left as it is).
fn linkify_text(text: &str, in_link: bool) -> String {
    if in_link || text.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((pos, scheme)) = next_scheme(rest) {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        let len = url_len(from);
        let url = trim_end(&from[..len]);
        let body = &url[scheme.len()..];
        let ok = match scheme {
            "doi:" => body.starts_with("10.") && body.len() > 3 && body.contains('/'),
            _ => body.len() > 1 && body.as_bytes()[0].is_ascii_alphanumeric(),
        };
        if ok {
            let href = if scheme == "doi:" {
                format!("https://doi.org/{body}")
            } else {
                url.to_string()
            };
            out.push_str("<a href=\"");
            out.push_str(&href);
            out.push_str("\" rel=\"noopener\">");
            out.push_str(url);
            out.push_str("</a>");
            rest = &from[url.len()..];
        } else {
            out.push_str(&from[..scheme.len()]);
            rest = &from[scheme.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// The first address start in `s` that begins a word: its byte offset and
/// scheme.
fn next_scheme(s: &str) -> Option<(usize, &'static str)> {
    let lower = s.to_ascii_lowercase();
    let mut best: Option<(usize, &'static str)> = None;
    for scheme in ["https://", "http://", "doi:"] {
        let mut from = 0;
        while let Some(p) = lower[from..].find(scheme) {
            let at = from + p;
            let starts_word = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            if starts_word {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, scheme));
                }
                break;
            }
            from = at + scheme.len();
        }
    }
    // Keep the text's own spelling of the scheme, but only lowercase
    // schemes are linked (the match above is on the lowercased text).
    best.filter(|&(at, scheme)| s[at..].starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn bare_addresses_become_links_without_trailing_punctuation() {
        assert_eq!(
            html("<p>See https://example.org/a?b=1&amp;c=2.</p>"),
            "<p>See <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"noopener\">https://example.org/a?b=1&amp;c=2</a>.</p>"
        );
        assert_eq!(
            html("(from http://x.org/p_(1)), more"),
            "(from <a href=\"http://x.org/p_(1)\" rel=\"noopener\">http://x.org/p_(1)</a>), more"
        );
    }

    #[test]
    fn dois_link_to_the_resolver() {
        assert_eq!(
            html("doi:10.7249/RRA869-1; next"),
            "<a href=\"https://doi.org/10.7249/RRA869-1\" rel=\"noopener\">doi:10.7249/RRA869-1</a>; next"
        );
        assert_eq!(html("doi:nothing"), "doi:nothing");
    }

    #[test]
    fn existing_links_tags_and_other_schemes_are_left_alone() {
        let linked = "<a href=\"https://a.org/\">https://a.org/</a>";
        assert_eq!(html(linked), linked);
        let attr = "<img alt=\"https://x.org/ > y\" src=\"z\">";
        assert_eq!(html(attr), attr);
        for s in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x.org/",
            "xhttps://x.org/",
            "HTTPS://X.ORG/",
        ] {
            assert_eq!(html(s), s);
        }
    }

    #[test]
    fn nothing_escaped_can_close_the_attribute() {
        let out = html("https://x.org/&quot;onmouseover=&quot;alert(1) https://y.org/&lt;b&gt;");
        assert!(out.contains("href=\"https://x.org/\""), "{out}");
        assert!(out.contains("href=\"https://y.org/\""), "{out}");
        assert!(!out.contains("href=\"https://x.org/&quot;"), "{out}");
        assert_eq!(html("https://"), "https://");
        assert_eq!(
            html("<p>unclosed <a href=\"x\">https://q.org"),
            "<p>unclosed <a href=\"x\">https://q.org"
        );
        assert_eq!(html("text <b"), "text <b");
    }
}
