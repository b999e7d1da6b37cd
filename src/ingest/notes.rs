//! Footnotes and endnotes: recognising note lines in the three styles of
//! the sources (Unicode superscript numbers opening a footnote line,
//! optionally as a list item; `N | text` endnote lists), and taking the
//! markers out of running text so they become `cites`.
//!
//! Markers are either superscript digits anywhere ("power.¹") or, in
//! documents with a `N | text` endnote list, plain digits glued to the end
//! of a word or sentence ("competition.11", "modules56", "in 2020,32").
//! Glued digits are only taken as a marker when the evidence is strong:
//! after sentence punctuation or a closing quote, or after a lowercase word
//! when a note of that number exists; never inside decimals, thousands or
//! names like "G7" and "LiNbO3".

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

static PIPE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})\s*\|\s*(.*)$").expect("static regex"));
/// `[12] text`: a note line in the bracketed style of some conversions.
static BRACKET_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(\d{1,3})\]\s+(\S.*)$").expect("static regex"));

/// How footnote markers appear in a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerStyle {
    /// Superscript digits only.
    Superscript,
    /// Superscript digits and plain digits glued to words.
    Glued,
}

/// The ASCII digit for a superscript digit.
pub fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        _ => return None,
    })
}

/// A note definition line: `¹ text`, `- ²² text` or `12 | text`.
/// Returns the note number and its text.
pub fn parse_note_line(line: &str) -> Option<(String, String)> {
    let l = line.trim();
    let l = l.strip_prefix("- ").unwrap_or(l).trim_start();
    let num: String = l.chars().map_while(superscript_digit).collect();
    if !num.is_empty() {
        let rest = l[l
            .char_indices()
            .nth(num.chars().count())
            .map_or(l.len(), |(i, _)| i)..]
            .trim();
        if rest.is_empty() {
            return None;
        }
        return Some((num, rest.to_string()));
    }
    let caps = PIPE_NOTE.captures(l).or_else(|| BRACKET_NOTE.captures(l))?;
    let text = caps[2].trim();
    (!text.is_empty()).then(|| (caps[1].to_string(), text.to_string()))
}

/// Whether a line is a `N | text` endnote (the glued-marker style).
pub fn is_pipe_note(line: &str) -> bool {
    PIPE_NOTE.is_match(line.trim().trim_start_matches("- "))
}

/// One marker taken out of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Byte offset in the cleaned text where the marker stood.
    pub pos: usize,
    /// The note number as printed.
    pub number: String,
}

/// Removes footnote markers from `text`. `known` says whether a note number
/// exists (in the marker's scope). Returns the clean text and the markers.
pub fn strip_markers(
    text: &str,
    style: MarkerStyle,
    known: &dyn Fn(&str) -> bool,
) -> (String, Vec<Marker>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut markers = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if superscript_digit(c).is_some() {
            let num: String = chars[i..]
                .iter()
                .map_while(|&c| superscript_digit(c))
                .collect();
            i += num.chars().count();
            markers.push(Marker {
                pos: out.len(),
                number: num,
            });
            continue;
        }
        // "[12]" after a word or punctuation, when note 12 exists.
        if c == '[' && i > 0 && !chars[i - 1].is_whitespace() {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let close = i + 1 + digits.len();
            if !digits.is_empty()
                && digits.len() <= 3
                && chars.get(close) == Some(&']')
                && known(&digits)
            {
                markers.push(Marker {
                    pos: out.len(),
                    number: digits,
                });
                i = close + 1;
                continue;
            }
        }
        if style == MarkerStyle::Glued && c.is_ascii_digit() {
            let run: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let n = run.len();
            if is_glued_marker(&chars, i, n, &run, known) {
                markers.push(Marker {
                    pos: out.len(),
                    number: run.trim_start_matches('0').to_string(),
                });
                i += n;
                continue;
            }
            out.push_str(&run);
            i += n;
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, markers)
}

fn is_glued_marker(
    chars: &[char],
    i: usize,
    n: usize,
    run: &str,
    known: &dyn Fn(&str) -> bool,
) -> bool {
    if n > 3 || i == 0 || run.starts_with('0') {
        return false;
    }
    // What follows must end the token.
    match chars.get(i + n) {
        None => {}
        Some(&c) if c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | ')') => {}
        _ => return false,
    }
    let pre = chars[i - 1];
    let before = if i >= 2 { Some(chars[i - 2]) } else { None };
    let next_upper_or_end = {
        let mut k = i + n;
        while k < chars.len() && chars[k].is_whitespace() {
            k += 1;
        }
        k >= chars.len() || chars[k].is_uppercase()
    };
    match pre {
        '.' | ';' | ':' | '”' | '"' | '’' | ')' => {
            if pre == '.' && before.is_some_and(|b| b.is_ascii_digit()) {
                // "7.5" is a decimal; "in 2023.49 These" is a year, a full
                // stop and a marker.
                let left: String = chars[..i - 1]
                    .iter()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                return left.len() == 4
                    && (left.ends_with('1') || left.ends_with('2'))
                    && next_upper_or_end
                    && known(run);
            }
            known(run) || pre != ')'
        }
        ',' => {
            if before.is_some_and(|b| b.is_ascii_digit()) && n == 3 {
                return false; // thousands separator: "12,000"
            }
            known(run)
        }
        c if c.is_lowercase() => {
            // "modules56": a lowercase word of three letters or more.
            let word_len = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .count();
            let word_has_upper = chars[i - word_len..i].iter().any(|c| c.is_uppercase());
            word_len >= 3 && !word_has_upper && known(run)
        }
        _ => false,
    }
}

/// Note numbers in the order of their first definition, deduplicated.
pub fn dedup_ids(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known_upto(max: u32) -> impl Fn(&str) -> bool {
        move |n: &str| n.parse::<u32>().is_ok_and(|v| v >= 1 && v <= max)
    }

    #[test]
    fn parses_note_lines() {
        assert_eq!(
            parse_note_line("¹² White House, “Remarks.”"),
            Some(("12".into(), "White House, “Remarks.”".into()))
        );
        assert_eq!(
            parse_note_line("- ²² NSA, “Resources.”"),
            Some(("22".into(), "NSA, “Resources.”".into()))
        );
        assert_eq!(
            parse_note_line("41| Bela, Victoria (2023)."),
            Some(("41".into(), "Bela, Victoria (2023).".into()))
        );
        assert_eq!(parse_note_line("In 2022 it grew."), None);
        assert_eq!(
            parse_note_line("[7] Smith, *Widgets*."),
            Some(("7".into(), "Smith, *Widgets*.".into()))
        );
    }

    #[test]
    fn strips_superscripts() {
        let (t, m) = strip_markers(
            "as “a select few.”¹ Most moved,¹⁰ and more.",
            MarkerStyle::Superscript,
            &known_upto(20),
        );
        assert_eq!(t, "as “a select few.” Most moved, and more.");
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].number, "10");
        assert_eq!(&t[..m[0].pos], "as “a select few.”");
    }

    #[test]
    fn strips_bracketed_markers_of_known_notes() {
        let (t, m) = strip_markers(
            "It grew.[7] The list [1] and GPS[3] stay.",
            MarkerStyle::Superscript,
            &|n: &str| n == "7",
        );
        assert_eq!(t, "It grew. The list [1] and GPS[3] stay.");
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn strips_glued_digits_only_with_evidence() {
        let k = known_upto(60);
        let cases = [
            (
                "global S&T competition.11 Next",
                "global S&T competition. Next",
            ),
            ("completed in 2020,32 enabled", "completed in 2020, enabled"),
            ("connectivity modules56 and", "connectivity modules and"),
            ("(2021-2025).4 After", "(2021-2025). After"),
            ("to China in 2023.49 These", "to China in 2023. These"),
            (
                "the G7 and LiNbO3 and 12,000 km",
                "the G7 and LiNbO3 and 12,000 km",
            ),
            (
                "from 7.5% to 25%. Rose 4.7 terawatt",
                "from 7.5% to 25%. Rose 4.7 terawatt",
            ),
            (
                "silicon-28 and helium-3 and Jinan-1.",
                "silicon-28 and helium-3 and Jinan-1.",
            ),
            ("capital.”43 The", "capital.” The"),
        ];
        for (input, expected) in cases {
            let (t, _) = strip_markers(input, MarkerStyle::Glued, &k);
            assert_eq!(t, expected, "{input}");
        }
    }
}
