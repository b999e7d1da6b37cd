//! Footnotes and endnotes: recognising note lines, and taking the markers
//! out of running text so they become `cites`.
//!
//! Note lines: a Unicode superscript number opening the line (optionally
//! as a list item), `N | text`, `[N] text`, `N<TAB>text`, a number printed
//! twice (`1 1. text`), a dagger or double dagger (`† text`), and, when
//! the text has an asterisk marker, `* text`. Inside a notes section also
//! `(N) text`, `N. text` and `N text` (the last only in sequence).
//!
//! Markers: superscript digits anywhere ("power.¹"); `[12]`, `[1, 3]`,
//! `[2–4]` and, where the notes are numbered `(N)`, `(12)`, when every
//! note they name exists; `†`, `‡` and `*` glued to a word when that note
//! exists; in documents whose notes are plain numbers, digits glued to a
//! word or sentence ("competition.11", "modules56", "in 2020,32"), taken
//! only when the evidence is strong: after sentence punctuation or a
//! closing quote, or after a lowercase word when a note of that number
//! exists; never inside decimals, thousands or names like "G7" and
//! "LiNbO3". A number that could be read either way ("to about 2,500.9
//! Most", "a decade. 7 Since") is a marker only when its note exists and
//! it is the next number of the sequence read so far.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

static PIPE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})\s*\|\s*(.*)$").expect("static regex"));
/// `[12] text`: a note line in the bracketed style of some conversions.
static BRACKET_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(\d{1,3})\]\s+(\S.*)$").expect("static regex"));
/// `12<TAB>text`.
static TAB_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\t+([^\t]*\p{L}[^\t]*)$").expect("static regex"));
/// `12 12. text`: the note's number printed twice (a superscript turned
/// into a digit, then the list number).
static DOUBLE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,3})[.)]?\s+(\d{1,3})[.)]?\s+(\S.*)$").expect("static regex")
});
/// `† text`, `‡‡ text`.
static DAGGER_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([†‡]{1,3})\s*(\S.*)$").expect("static regex"));
/// `* text`, `** text`.
static STAR_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\*{1,3})\s*(\S.*)$").expect("static regex"));
/// `(12) text`, read as a note inside a notes section.
static PAREN_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\((\d{1,3})\)\s+(\S.*)$").expect("static regex"));
/// `12 text`, read as a note inside a notes section when 12 is next.
static PLAIN_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\.?\s+(\S.*)$").expect("static regex"));

/// How footnote markers appear in a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkerStyle {
    /// Plain digits glued to words are markers ("competition.11").
    pub glued: bool,
    /// `(12)` is a marker (the notes are numbered `(12)`).
    pub paren: bool,
}

impl MarkerStyle {
    /// Superscript digits, bracketed numbers and symbols only.
    pub const SUPERSCRIPT: MarkerStyle = MarkerStyle {
        glued: false,
        paren: false,
    };
    /// Also plain digits glued to words.
    pub const GLUED: MarkerStyle = MarkerStyle {
        glued: true,
        paren: false,
    };
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

/// A note definition line: `¹ text`, `- ²² text`, `12 | text`, `[12]
/// text`, `12<TAB>text`, `12 12. text` or `† text`. Returns the note
/// number (or symbol) and its text.
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
        // "¹ 1. text": the number printed twice.
        let rest = rest
            .strip_prefix(num.as_str())
            .filter(|r| r.starts_with(['.', ')', ' ']))
            .map_or(rest, |r| r.trim_start_matches(['.', ')']).trim_start());
        if rest.is_empty() {
            return None;
        }
        return Some((num, rest.to_string()));
    }
    if let Some(c) = DOUBLE_NOTE.captures(l) {
        if c[1] == c[2] {
            return Some((c[1].to_string(), c[3].trim().to_string()));
        }
    }
    let caps = PIPE_NOTE
        .captures(l)
        .or_else(|| BRACKET_NOTE.captures(l))
        .or_else(|| TAB_NOTE.captures(l))
        .or_else(|| DAGGER_NOTE.captures(l))?;
    let text = caps[2].trim();
    (!text.is_empty()).then(|| (caps[1].to_string(), text.to_string()))
}

/// `* text`: a note line in a document with asterisk markers.
pub fn parse_star_note(line: &str) -> Option<(String, String)> {
    let c = STAR_NOTE.captures(line.trim())?;
    let text = c[2].trim();
    // "**Bold** text" is emphasis, not a note.
    (!text.contains('*')).then(|| (c[1].to_string(), text.to_string()))
}

/// A note line of a notes section in the styles only read there: `(12)
/// text`, and `12 text` or `12. text` when 12 follows `last` (the number
/// of the previous note; a fresh sequence may start at 1).
pub fn parse_section_note(line: &str, last: Option<u32>) -> Option<(String, String, bool)> {
    let l = line.trim();
    if let Some(c) = PAREN_NOTE.captures(l) {
        return Some((c[1].to_string(), c[2].trim().to_string(), true));
    }
    let c = PLAIN_NOTE.captures(l)?;
    let n: u32 = c[1].parse().ok()?;
    let next = n == 1 || last.is_some_and(|l| n == l + 1);
    (next && !c[1].starts_with('0')).then(|| (c[1].to_string(), c[2].trim().to_string(), false))
}

/// A text without the note markers that may end it: superscripts,
/// `[1]`, `[1, 3]`, `(1)`, `*`, `†`, `‡`, and digits glued to its final
/// punctuation ("growth.14").
pub fn strip_trailing_markers(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        let before = t.len();
        t = t
            .trim_end_matches(|c: char| superscript_digit(c).is_some() || matches!(c, '†' | '‡'))
            .trim_end();
        // Markers are short: only the end of the text is read, so a long
        // paragraph asked once per piece it is built from costs its length.
        let mut from = t.len().saturating_sub(48);
        while !t.is_char_boundary(from) {
            from -= 1;
        }
        if let Some(m) = TRAILING_MARKER
            .captures(&t[from..])
            .and_then(|c| c.name("m").or_else(|| c.name("m2")))
        {
            t = t[..from + m.start()].trim_end();
        }
        if t.len() == before {
            return t;
        }
    }
}

/// A marker ending a text (the part named `m`): bracketed or
/// parenthesised numbers, or digits and asterisks glued to the final
/// punctuation of a word ("growth.14", not "Section 1.2").
static TRAILING_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<m>\s*\[\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\]|\s*\(\d{1,3}\))|(?:[\p{L})%][.!?,;][”’\x22]?|[.!?][”’\x22])(?P<m2>\d{1,3}|\*{1,3}))$")
        .expect("static regex")
});

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

/// The numbers of `[1]`, `[1, 3]`, `[2–4]` starting at `chars[i]` (a
/// `[`), and the index after the `]`.
fn bracket_list(chars: &[char], i: usize) -> Option<(Vec<String>, usize)> {
    let mut nums: Vec<String> = Vec::new();
    let mut j = i + 1;
    let mut range_from: Option<u32> = None;
    loop {
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        let d: String = chars[j.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if d.is_empty() || d.len() > 3 || d.starts_with('0') {
            return None;
        }
        j += d.len();
        let v: u32 = d.parse().ok()?;
        if let Some(from) = range_from.take() {
            if v <= from || v - from > 20 {
                return None;
            }
            nums.extend((from + 1..=v).map(|n| n.to_string()));
        } else {
            nums.push(d);
        }
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        match chars.get(j) {
            Some(']') => return Some((nums, j + 1)),
            Some(',' | ';') => j += 1,
            Some('-' | '–') => {
                range_from = Some(v);
                j += 1;
            }
            _ => return None,
        }
    }
}

/// Whether the character after a marker lets it end there.
fn ends_marker(c: Option<&char>) -> bool {
    match c {
        None => true,
        Some(&c) => c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | ')' | '”' | '’' | '"'),
    }
}

/// Drops the space a marker set off by a space leaves behind.
fn drop_space(out: &mut String) {
    if out.ends_with(' ') {
        out.pop();
    }
}

/// Raises the sequence read so far to `number`, if it is a number.
fn advance(last: &mut u32, number: &str) {
    if let Ok(n) = number.parse::<u32>() {
        *last = (*last).max(n);
    }
}

/// Removes footnote markers from `text`. `known` says whether a note number
/// exists (in the marker's scope); `last` is the highest note number taken
/// so far in that scope, kept across paragraphs. Returns the clean text
/// and the markers.
pub fn strip_markers(
    text: &str,
    style: MarkerStyle,
    known: &dyn Fn(&str) -> bool,
    last: &mut u32,
) -> (String, Vec<Marker>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut markers = Vec::new();
    // Asterisks kept so far: emphasis opens and closes in pairs, so a
    // marker `*` comes after an even number of them.
    let mut stars = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let glued_to_word = i > 0 && !chars[i - 1].is_whitespace();
        if superscript_digit(c).is_some() {
            let num: String = chars[i..]
                .iter()
                .map_while(|&c| superscript_digit(c))
                .collect();
            i += num.chars().count();
            advance(last, &num);
            markers.push(Marker {
                pos: out.len(),
                number: num,
            });
            continue;
        }
        // "[12]", "[1, 3]", "[2–4]" when every note named exists.
        if c == '[' && i > 0 {
            if let Some((nums, end)) = bracket_list(&chars, i) {
                if ends_marker(chars.get(end)) && nums.iter().all(|n| known(n)) {
                    drop_space(&mut out);
                    for n in nums {
                        advance(last, &n);
                        markers.push(Marker {
                            pos: out.len(),
                            number: n,
                        });
                    }
                    i = end;
                    continue;
                }
            }
        }
        // "(12)" glued to a word, or before punctuation, in a document
        // whose notes are numbered "(12)".
        if c == '(' && style.paren && i > 0 {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let close = i + 1 + digits.len();
            let after = chars.get(close + 1);
            let punct_after = after.is_none_or(|c| matches!(c, '.' | ',' | ';' | ':'));
            if !digits.is_empty()
                && digits.len() <= 3
                && chars.get(close) == Some(&')')
                && ends_marker(after)
                && (glued_to_word && chars[i - 1] != '(' || punct_after)
                && known(&digits)
            {
                drop_space(&mut out);
                advance(last, &digits);
                markers.push(Marker {
                    pos: out.len(),
                    number: digits,
                });
                i = close + 1;
                continue;
            }
        }
        // "†", "‡", "*" glued to a word when that note exists.
        if matches!(c, '†' | '‡' | '*') && glued_to_word && chars[i - 1] != '*' {
            let run: String = chars[i..].iter().take_while(|&&d| d == c).collect();
            let n = run.chars().count();
            if (c != '*' || stars.is_multiple_of(2)) && ends_marker(chars.get(i + n)) && known(&run)
            {
                markers.push(Marker {
                    pos: out.len(),
                    number: run,
                });
                i += n;
                continue;
            }
        }
        if c == '*' {
            stars += 1;
        }
        if c.is_ascii_digit() {
            let run: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let n = run.len();
            let glued = is_glued_marker(&chars, i, n, &run, known);
            if (style.glued && glued) || next_in_sequence(&chars, i, n, &run, *last, glued, known) {
                if chars[i - 1] == ' ' {
                    drop_space(&mut out);
                }
                let number = run.trim_start_matches('0').to_string();
                advance(last, &number);
                markers.push(Marker {
                    pos: out.len(),
                    number,
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

/// A plain number that reads as a marker only because its note exists and
/// it is the next of the sequence (`last` + 1): glued the way markers are
/// ("suppliers3 and", in any style), after a full stop closing a number
/// ("about 2,500.9 Most"), or set off by a space after a sentence
/// ("a decade. 7 Since") or a comma before a conjunction (", 7 and").
fn next_in_sequence(
    chars: &[char],
    i: usize,
    n: usize,
    run: &str,
    last: u32,
    glued: bool,
    known: &dyn Fn(&str) -> bool,
) -> bool {
    if n > 3 || i < 2 || run.starts_with('0') {
        return false;
    }
    if run.parse::<u32>().ok() != Some(last + 1) || !known(run) {
        return false;
    }
    let after: String = chars[i + n..].iter().take(7).collect();
    let upper_or_end = after.is_empty()
        || (after.starts_with(' ') && after[1..].chars().next().is_some_and(char::is_uppercase));
    if glued {
        return true;
    }
    let (pre, before) = (chars[i - 1], chars[i - 2]);
    if pre == '.' && before.is_ascii_digit() {
        return upper_or_end;
    }
    if pre == ' ' {
        if matches!(before, '.' | '!' | '?' | '”' | '’' | '"' | ')') {
            return upper_or_end;
        }
        if before == ',' {
            return ["and ", "or ", "but ", "while "]
                .iter()
                .any(|w| after.strip_prefix(' ').is_some_and(|a| a.starts_with(w)));
        }
    }
    false
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
            MarkerStyle::SUPERSCRIPT,
            &known_upto(20),
            &mut 0,
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
            MarkerStyle::SUPERSCRIPT,
            &|n: &str| n == "7",
            &mut 0,
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
            let (t, _) = strip_markers(input, MarkerStyle::GLUED, &k, &mut 0);
            assert_eq!(t, expected, "{input}");
        }
    }

    #[test]
    fn bracketed_lists_and_ranges_of_known_notes() {
        let k = known_upto(9);
        let (t, m) = strip_markers(
            "Demand grew [1]. Prices rose [2, 4] and fell [5–7]. See [12] and [0].",
            MarkerStyle::SUPERSCRIPT,
            &k,
            &mut 0,
        );
        assert_eq!(t, "Demand grew. Prices rose and fell. See [12] and [0].");
        let nums: Vec<&str> = m.iter().map(|m| m.number.as_str()).collect();
        assert_eq!(nums, vec!["1", "2", "4", "5", "6", "7"]);
    }

    #[test]
    fn parenthesised_markers_only_where_notes_are_numbered_so() {
        let k = known_upto(9);
        let paren = MarkerStyle {
            glued: false,
            paren: true,
        };
        let text = "It was trusted.(1) The roadmap (2023) lists (3). Options: (2) one.";
        let (t, _) = strip_markers(text, paren, &k, &mut 0);
        assert_eq!(
            t,
            "It was trusted. The roadmap (2023) lists. Options: (2) one."
        );
        let (t, _) = strip_markers(text, MarkerStyle::SUPERSCRIPT, &k, &mut 0);
        assert_eq!(t, text);
    }

    #[test]
    fn symbols_glued_to_words() {
        let k = |n: &str| n == "*" || n == "†";
        let (t, m) = strip_markers(
            "It doubled.* Most in two markets.† A *term* and ‡ stay.",
            MarkerStyle::SUPERSCRIPT,
            &k,
            &mut 0,
        );
        assert_eq!(t, "It doubled. Most in two markets. A *term* and ‡ stay.");
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn numbers_read_either_way_need_the_sequence() {
        let k = known_upto(12);
        // After note 8, "9" is next: a marker; a year or a count never is.
        let mut last = 8;
        let (t, _) = strip_markers("to about 2,500.9 Most", MarkerStyle::GLUED, &k, &mut last);
        assert_eq!(t, "to about 2,500. Most");
        assert_eq!(last, 9);
        let mut last = 6;
        let (t, _) = strip_markers(
            "It took a decade. 7 Since then, 7 and more.",
            MarkerStyle::SUPERSCRIPT,
            &k,
            &mut last,
        );
        assert_eq!(t, "It took a decade. Since then, 7 and more.");
        let mut last = 2;
        let (t, _) = strip_markers(
            "It took a decade. 7 Since then.",
            MarkerStyle::SUPERSCRIPT,
            &k,
            &mut last,
        );
        assert_eq!(t, "It took a decade. 7 Since then.");
        let mut last = 13;
        let (t, _) = strip_markers(
            "In 2023, 14 economies took part.",
            MarkerStyle::GLUED,
            &k,
            &mut last,
        );
        assert_eq!(t, "In 2023, 14 economies took part.");
        let mut last = 2;
        let (t, _) = strip_markers(
            "on suppliers3 and clouds",
            MarkerStyle::SUPERSCRIPT,
            &k,
            &mut last,
        );
        assert_eq!(t, "on suppliers and clouds");
    }

    #[test]
    fn note_lines_in_more_styles() {
        assert_eq!(
            parse_note_line("3\tThird note."),
            Some(("3".into(), "Third note.".into()))
        );
        assert_eq!(
            parse_note_line("4 4. Fourth note."),
            Some(("4".into(), "Fourth note.".into()))
        );
        assert_eq!(
            parse_note_line("¹ 1. First."),
            Some(("1".into(), "First.".into()))
        );
        assert_eq!(
            parse_note_line("† China."),
            Some(("†".into(), "China.".into()))
        );
        assert_eq!(parse_note_line("4 5. Not a note."), None);
        assert_eq!(parse_note_line("2019\t12\t14"), None);
        assert_eq!(
            parse_star_note("* Preliminary."),
            Some(("*".into(), "Preliminary.".into()))
        );
        assert_eq!(parse_star_note("**Bold** text"), None);
        assert_eq!(
            parse_section_note("(2) Second.", None),
            Some(("2".into(), "Second.".into(), true))
        );
        assert_eq!(
            parse_section_note("3 Third.", Some(2)),
            Some(("3".into(), "Third.".into(), false))
        );
        assert_eq!(parse_section_note("12 percent of it", Some(2)), None);
    }

    #[test]
    fn trailing_markers() {
        for (t, want) in [
            ("Trusted.(1)", "Trusted."),
            ("China.[1]", "China."),
            ("grew [2, 4]", "grew"),
            ("growth.14", "growth."),
            ("markets.†", "markets."),
            ("doubled.*", "doubled."),
            ("Section 1.2", "Section 1.2"),
            ("Phase 2", "Phase 2"),
        ] {
            assert_eq!(strip_trailing_markers(t), want, "{t}");
        }
    }
}
