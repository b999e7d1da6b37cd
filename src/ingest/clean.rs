//! Cleaning rules for PDF conversions, each a pure function: running
//! headers by repetition, page numbers, inline markup and escapes, words
//! hyphenated across breaks, paragraphs cut by page breaks, and pull quotes
//! printed a second time.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::hints::norm_line;
use super::notes::superscript_digit;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(\s+of\s+\d{1,4})?$")
        .expect("static regex")
});

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z]+(?:-[A-Za-z]+)*").expect("static regex"));

/// Whether a line is only a page number ("12", "- 12 -", "Page 3 of 9").
pub fn is_page_number(line: &str) -> bool {
    PAGE_NUMBER.is_match(line.trim())
}

/// Lines repeated often enough, and shaped like a header or footer, to be
/// running headers: at least three identical stand-alone lines that carry a
/// digit, a `|` or `#` ("NBR SPECIAL REPORT #117 | MARCH 2025"). Headings
/// repeat too ("Conclusion", "EXECUTIVE SUMMARY" in every chapter), so a
/// line of words alone is not enough; the publisher's name is recognised
/// from the brief metadata instead.
pub fn detect_running_headers(lines: &[&str]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in lines {
        let t = l.trim();
        if t.is_empty() || t.len() > 90 || t.contains('\t') {
            continue;
        }
        *counts.entry(norm_line(t)).or_default() += 1;
    }
    let raw: HashMap<String, &str> = lines
        .iter()
        .map(|l| (norm_line(l.trim()), l.trim()))
        .collect();
    let mut out: HashSet<String> = counts
        .iter()
        .filter(|(k, n)| {
            **n >= 3 && {
                let orig = raw.get(*k).copied().unwrap_or("");
                orig.chars()
                    .any(|c| c.is_ascii_digit() || c == '|' || c == '#')
            }
        })
        .map(|(k, _)| k.clone())
        .collect();
    // Headers that carry the page number ("12 | RAND Perspective", "RAND
    // Perspective | 13") differ on every page: compare them with the
    // numbers masked, and require some words so "Phase 1", "Phase 2" stay.
    let mut masked: HashMap<String, Vec<&String>> = HashMap::new();
    for k in counts.keys() {
        // Repeated short notes ("5 | White House, *Strategy*.") are notes.
        let is_note = raw
            .get(k)
            .is_some_and(|orig| super::notes::parse_note_line(orig).is_some());
        if is_note || k.len() > 60 || !k.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let m: String = k
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        masked.entry(m).or_default().push(k);
    }
    for (m, keys) in masked {
        let letters = m.chars().filter(|c| c.is_alphabetic()).count();
        if keys.len() >= 3 && letters >= 10 {
            out.extend(keys.into_iter().cloned());
        }
    }
    out
}

/// Inline clean-up of one line of running text: `\$` and similar Markdown
/// escapes of the conversion become plain characters, `<i>`/`<b>` become
/// Markdown emphasis, whitespace is collapsed.
pub fn inline(text: &str) -> String {
    let t = text
        .replace("\\$", "$")
        .replace("\\%", "%")
        .replace("\\&", "&")
        .replace("<i>", "*")
        .replace("</i>", "*")
        .replace("<b>", "**")
        .replace("</b>", "**")
        .replace('\u{a0}', " ")
        .replace(['\u{ad}', '\u{200b}', '\u{feff}'], "")
        .replace('ﬀ', "ff")
        .replace('ﬁ', "fi")
        .replace('ﬂ', "fl")
        .replace('ﬃ', "ffi")
        .replace('ﬄ', "ffl");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when a paragraph ends mid-sentence: no terminal punctuation (after
/// markers, closing quotes and emphasis), or a trailing hyphen or comma.
pub fn is_unfinished(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(|c: char| superscript_digit(c).is_some());
    let t = t.trim_end_matches(['”', '’', '"', '\'', ')', ']', '*', '_']);
    !matches!(t.chars().last(), Some('.' | '!' | '?' | ':' | '…'))
}

/// The words of a document, lowercase, for hyphenation evidence.
pub fn vocabulary(text: &str) -> HashSet<String> {
    let mut v = HashSet::new();
    for m in WORD.find_iter(text) {
        v.insert(m.as_str().to_lowercase());
    }
    v
}

/// Joins two pieces of one paragraph cut by a line or page break. A
/// trailing hyphen is dropped ("manu-" + "facturing") unless the document
/// itself writes the hyphenated form and not the joined one, or the second
/// piece starts with a capital ("U.S.-" + "ROK").
pub fn join_pieces(left: &str, right: &str, vocab: &HashSet<String>) -> String {
    let left = left.trim_end();
    let right = right.trim_start();
    if let Some(stem) = left.strip_suffix('-') {
        let head: String = stem
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let tail: String = right.chars().take_while(|c| c.is_alphabetic()).collect();
        let starts_upper = right.chars().next().is_some_and(char::is_uppercase);
        if !head.is_empty() && !tail.is_empty() && !starts_upper {
            let joined = format!("{head}{tail}").to_lowercase();
            let hyphenated = format!("{head}-{tail}").to_lowercase();
            let keep = vocab.contains(&hyphenated) && !vocab.contains(&joined);
            return if keep {
                format!("{left}{right}")
            } else {
                format!("{stem}{right}")
            };
        }
        return format!("{left}{right}");
    }
    format!("{left} {right}")
}

/// Text compared for pull-quote detection: markers, emphasis and
/// punctuation dropped, lowercase, single spaces.
pub fn compare_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if superscript_digit(c).is_some() {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Indices of pull quotes among `paras` (the body paragraphs in order): a
/// paragraph of one or two sentences whose text also stands inside another
/// paragraph (or spans a page break between two). The copy inside running
/// text is the original; of two identical stand-alone copies the later
/// one is dropped.
pub fn pull_quotes(paras: &[&str]) -> HashSet<usize> {
    let keys: Vec<String> = paras.iter().map(|p| compare_key(p)).collect();
    let mut concat = String::new();
    let mut spans = Vec::with_capacity(keys.len());
    for k in &keys {
        if !concat.is_empty() {
            concat.push(' ');
        }
        let s = concat.len();
        concat.push_str(k);
        spans.push(s..concat.len());
    }
    let mut out = HashSet::new();
    for (i, k) in keys.iter().enumerate() {
        let words = k.split(' ').count();
        if !(6..=60).contains(&words) || is_unfinished(paras[i]) {
            continue;
        }
        for (o, _) in concat.match_indices(k.as_str()) {
            if o == spans[i].start {
                continue;
            }
            // The paragraph holding this occurrence.
            let Some(j) = spans.iter().position(|s| s.start <= o && o < s.end) else {
                continue;
            };
            if out.contains(&j) {
                continue;
            }
            let longer = keys[j].len() > k.len() || spans[j].end < o + k.len();
            if longer || j < i {
                out.insert(i);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for l in ["12", "- 12 -", "Page 3 of 9", " 7 "] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["12 percent", "2024 was a year", "G7"] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn running_headers_by_repetition() {
        let lines = [
            "NBR SPECIAL REPORT #117 | MARCH 2025",
            "Conclusion",
            "NBR SPECIAL REPORT #117 | MARCH 2025",
            "Conclusion",
            "NBR SPECIAL REPORT #117 | MARCH 2025",
            "EXECUTIVE SUMMARY",
            "EXECUTIVE SUMMARY",
            "EXECUTIVE SUMMARY",
            "THE NATIONAL BUREAU *of* ASIAN RESEARCH",
            "THE NATIONAL BUREAU *of* ASIAN RESEARCH",
            "THE NATIONAL BUREAU *of* ASIAN RESEARCH",
        ];
        let h = detect_running_headers(&lines);
        assert!(h.contains("nbr special report #117 | march 2025"));
        assert!(!h.contains("the national bureau of asian research"));
        assert!(!h.contains("conclusion"));
        assert!(!h.contains("executive summary"));
        let lines = [
            "Promoting Collaboration | 12",
            "Phase 1",
            "Promoting Collaboration | 13",
            "Phase 2",
            "Promoting Collaboration | 14",
            "Phase 3",
        ];
        let h = detect_running_headers(&lines);
        assert!(h.contains("promoting collaboration | 13"));
        assert!(!h.contains("phase 2"));
        let notes = [
            "5 | White House, Strategy.",
            "6 | White House, Strategy.",
            "7 | White House, Strategy.",
        ];
        assert!(detect_running_headers(&notes).is_empty());
    }

    #[test]
    fn inline_unescapes() {
        assert_eq!(
            inline("invests \\$52  billion in <i>Chair</i>"),
            "invests $52 billion in *Chair*"
        );
        assert_eq!(
            inline("the \u{fb01}rst \u{fb02}ow, re\u{ad}search"),
            "the first flow, research"
        );
    }

    #[test]
    fn hyphenation_uses_document_evidence() {
        let vocab = vocabulary("decision-making matters; Japanese firms; the self-sufficient");
        assert_eq!(
            join_pieces("semiconductor manu-", "facturing.", &vocab),
            "semiconductor manufacturing."
        );
        assert_eq!(
            join_pieces("the Japa-", "nese from", &vocab),
            "the Japanese from"
        );
        assert_eq!(
            join_pieces("for decision-", "making", &vocab),
            "for decision-making"
        );
        assert_eq!(
            join_pieces("joint U.S.-", "ROK work", &vocab),
            "joint U.S.-ROK work"
        );
        assert_eq!(
            join_pieces("a world", "leader in", &vocab),
            "a world leader in"
        );
    }

    #[test]
    fn unfinished_paragraphs() {
        assert!(is_unfinished("The United States appears to be a world"));
        assert!(is_unfinished("in quantum technology,"));
        assert!(!is_unfinished("as critical emerging technologies.⁶"));
        assert!(!is_unfinished("“devastating to . . . our nation.”"));
    }

    #[test]
    fn pull_quotes_keep_the_original() {
        let paras = [
            "The United States appears to be a world",
            "The global quantum ecosystem is growing rapidly but is still nascent.",
            "leader in this area.",
            "The global quantum ecosystem is growing rapidly but is still nascent. No quantum technologies have yet clearly demonstrated any practical applications.",
        ];
        let q = pull_quotes(&paras);
        assert_eq!(q.into_iter().collect::<Vec<_>>(), vec![1]);
        // A pull quote printed before its original, which carries a marker.
        let paras = [
            "As quantum technologies become more mature, the supply chains will matter.",
            "As quantum technologies become more mature, the supply chains will matter.⁷⁷ These supply chains are hard to assess.",
        ];
        assert_eq!(pull_quotes(&paras).into_iter().collect::<Vec<_>>(), vec![0]);
    }
}
