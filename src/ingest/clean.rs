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

/// Per line, whether it stands at the edge of a page: among the first or
/// last two lines with text of a page. Pages are separated by form feeds
/// or by runs of three or more blank (or whitespace-only) lines.
pub fn page_edges(lines: &[&str]) -> Vec<bool> {
    let mut edge = vec![false; lines.len()];
    let mut page: Vec<usize> = Vec::new();
    let mut blanks = 0usize;
    let mark = |page: &mut Vec<usize>, edge: &mut Vec<bool>| {
        for &j in page.iter().take(2).chain(page.iter().rev().take(2)) {
            edge[j] = true;
        }
        page.clear();
    };
    for (i, l) in lines.iter().enumerate() {
        if l.contains('\u{c}') {
            mark(&mut page, &mut edge);
            blanks = 0;
        }
        if l.trim().is_empty() {
            blanks += 1;
            if blanks == 3 {
                mark(&mut page, &mut edge);
            }
            continue;
        }
        blanks = 0;
        page.push(i);
    }
    mark(&mut page, &mut edge);
    edge
}

/// Whether a masked line (digits as `#`) carries a page number: "page #",
/// "# of #", or a number set off at its start or end by a bar, a tab or
/// two spaces.
fn has_page_cue(masked: &str, orig: &str) -> bool {
    static CUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)page\s+#|#+\s+of\s+#|^#+(\s{2,}|\s*\t|\s*\|)|(\s{2,}|\t\s*|\|\s*)#+$")
            .expect("static regex")
    });
    CUE.is_match(masked) || CUE.is_match(&mask_digits(orig))
}

fn mask_digits(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Lines repeated often enough, and shaped like a header or footer, to be
/// running headers:
/// - three or more identical stand-alone lines that carry a digit, a `|`
///   or `#` ("NBR SPECIAL REPORT #117 | MARCH 2025"), or that stand at a
///   page's edge every time and carry a separator (`—`, `–`, `·`, `/`);
/// - lines that differ only in a page number ("12 | RAND Perspective",
///   "RAND Perspective | 13"): three or more variants with ten letters,
///   or two when the number is set off as a page number ("Orrin Institute
///   | Page 1 of 2");
/// - lines shaped like `N | text` notes whose text repeats with three or
///   more numbers, never on neighbouring lines, and does not end like a
///   citation ("1 | Halvorsen Centre for Research Policy").
///
/// Headings repeat too ("Conclusion", "EXECUTIVE SUMMARY" in every
/// chapter), so a line of words alone is not enough; the publisher's name
/// is recognised from the brief metadata instead. `edge` (from
/// [`page_edges`]) says which lines stand at a page's edge.
pub fn detect_running_headers(lines: &[&str], edge: &[bool]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut off_edge: HashSet<String> = HashSet::new();
    let mut at: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() || t.len() > 90 || t.contains('\t') && !t.contains("  ") {
            continue;
        }
        let k = norm_line(t);
        *counts.entry(k.clone()).or_default() += 1;
        if !edge.get(i).copied().unwrap_or(false) {
            off_edge.insert(k.clone());
        }
        at.entry(k).or_default().push(i);
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
                    || (!off_edge.contains(*k)
                        && orig.contains(['—', '–', '·', '/'])
                        && super::notes::parse_note_line(orig).is_none())
            }
        })
        .map(|(k, _)| k.clone())
        .collect();
    // Headers that carry the page number ("12 | RAND Perspective", "RAND
    // Perspective | 13") differ on every page: compare them with the
    // numbers masked, and require some words so "Phase 1", "Phase 2" stay.
    let mut masked: HashMap<String, Vec<&String>> = HashMap::new();
    let mut note_shaped: HashMap<String, Vec<&String>> = HashMap::new();
    for k in counts.keys() {
        if k.len() > 60 || !k.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let m = mask_digits(k);
        // Repeated short notes ("5 | White House, *Strategy*.") are notes.
        let is_note = raw
            .get(k)
            .is_some_and(|orig| super::notes::parse_note_line(orig).is_some());
        if is_note {
            note_shaped.entry(m).or_default().push(k);
        } else {
            masked.entry(m).or_default().push(k);
        }
    }
    for (m, keys) in masked {
        let letters = m.chars().filter(|c| c.is_alphabetic()).count();
        let orig = raw.get(keys[0]).copied().unwrap_or("");
        if (keys.len() >= 3 && letters >= 10)
            || (keys.len() >= 2 && letters >= 5 && has_page_cue(&m, orig))
        {
            out.extend(keys.into_iter().cloned());
        }
    }
    for (m, keys) in note_shaped {
        let letters = m.chars().filter(|c| c.is_alphabetic()).count();
        let text_end = m.trim_end().chars().last().unwrap_or('.');
        if keys.len() < 3 || letters < 10 || matches!(text_end, '.' | ',' | ';' | ')') {
            continue;
        }
        let mut lines_at: Vec<usize> = keys
            .iter()
            .flat_map(|k| at.get(*k).cloned().unwrap_or_default())
            .collect();
        lines_at.sort_unstable();
        if lines_at.windows(2).all(|w| w[1] - w[0] > 2) {
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
    let t = super::notes::strip_trailing_markers(text);
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
    let mut out = left.to_string();
    join_onto(&mut out, right, vocab);
    out
}

/// The longest run of letters read on either side of a hyphen: longer
/// runs are not words the document's evidence could speak for.
const MAX_WORD: usize = 64;

/// [`join_pieces`] in place: `right` is appended to `left`, so a paragraph
/// pieced together from many parts costs its length, not its length
/// times the number of parts.
pub fn join_onto(left: &mut String, right: &str, vocab: &HashSet<String>) {
    left.truncate(left.trim_end().len());
    let right = right.trim_start();
    if let Some(stem) = left.strip_suffix('-') {
        let run = stem
            .chars()
            .rev()
            .take(MAX_WORD + 1)
            .take_while(|c| c.is_alphabetic())
            .count();
        let head: String = stem
            .chars()
            .rev()
            .take(run.min(MAX_WORD))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let tail: String = right
            .chars()
            .take(MAX_WORD + 1)
            .take_while(|c| c.is_alphabetic())
            .collect();
        let starts_upper = right.chars().next().is_some_and(char::is_uppercase);
        if !head.is_empty() && !tail.is_empty() && !starts_upper {
            let long = run > MAX_WORD || tail.chars().count() > MAX_WORD;
            let joined = format!("{head}{tail}").to_lowercase();
            let hyphenated = format!("{head}-{tail}").to_lowercase();
            let keep = !long && vocab.contains(&hyphenated) && !vocab.contains(&joined);
            if !keep {
                left.pop(); // the hyphen
            }
        }
        left.push_str(right);
        return;
    }
    left.push(' ');
    left.push_str(right);
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
///
/// Texts are compared as [`compare_key`]s, word for word. All candidate
/// texts (6 to 60 words) are found in the whole document in one pass of an
/// Aho-Corasick automaton over the words, so the cost grows with the
/// document's length, not with its square.
pub fn pull_quotes(paras: &[&str]) -> HashSet<usize> {
    let keys: Vec<String> = paras.iter().map(|p| compare_key(p)).collect();
    // Every word once, as a four-byte token whose first byte alone has the
    // high bit set: a match of token sequences starts and ends on whole
    // words.
    let mut word_ids: HashMap<&str, u32> = HashMap::new();
    let mut text: Vec<u8> = Vec::new();
    let mut para_of_word: Vec<u32> = Vec::new();
    let mut first_word: Vec<usize> = Vec::with_capacity(keys.len());
    let mut word_count: Vec<usize> = Vec::with_capacity(keys.len());
    for (j, k) in keys.iter().enumerate() {
        first_word.push(para_of_word.len());
        let mut n = 0;
        for w in k.split(' ').filter(|w| !w.is_empty()) {
            let next = word_ids.len() as u32;
            let id = *word_ids.entry(w).or_insert(next);
            text.extend(token(id));
            para_of_word.push(j as u32);
            n += 1;
        }
        word_count.push(n);
    }
    if word_ids.len() >= 1 << 28 {
        return HashSet::new(); // more words than the tokens can tell apart
    }
    // The candidates and their distinct texts.
    let mut pattern_of: Vec<Option<usize>> = vec![None; keys.len()];
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<&[u8]> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if !(6..=60).contains(&word_count[i]) || is_unfinished(paras[i]) {
            continue;
        }
        let next = patterns.len();
        let p = *by_key.entry(k.as_str()).or_insert(next);
        if p == next {
            let at = first_word[i] * 4;
            patterns.push(&text[at..at + word_count[i] * 4]);
        }
        pattern_of[i] = Some(p);
    }
    if patterns.is_empty() {
        return HashSet::new();
    }
    // Per pattern, the paragraphs holding it: as the whole paragraph
    // (`exact`), or inside or across paragraphs (`inside`, by the
    // paragraph the occurrence starts in). Both ascending.
    let mut exact: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    let mut inside: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    let Ok(ac) = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&patterns)
    else {
        return HashSet::new();
    };
    for m in ac.find_overlapping_iter(&text) {
        let (p, w, n) = (m.pattern().as_usize(), m.start() / 4, m.len() / 4);
        let j = para_of_word[w] as usize;
        let list = if w == first_word[j] && n == word_count[j] {
            &mut exact[p]
        } else {
            &mut inside[p]
        };
        if list.last() != Some(&j) {
            list.push(j);
        }
    }
    // Paragraph `i` is a pull quote when its text stands inside a
    // paragraph that is not an earlier pull quote (the paragraph itself
    // included, across its end), or is an earlier paragraph, not a pull
    // quote, of the same text. Each list is read once, in order.
    let mut out = HashSet::new();
    let mut quote = vec![false; keys.len()];
    let mut read = vec![(0usize, false, 0usize, false); patterns.len()];
    for (i, p) in pattern_of.iter().enumerate() {
        let Some(p) = *p else { continue };
        let (ie, ie_open, xe, xe_open) = &mut read[p];
        while *ie < inside[p].len() && inside[p][*ie] < i {
            *ie_open |= !quote[inside[p][*ie]];
            *ie += 1;
        }
        while *xe < exact[p].len() && exact[p][*xe] < i {
            *xe_open |= !quote[exact[p][*xe]];
            *xe += 1;
        }
        if *ie_open || *ie < inside[p].len() || *xe_open {
            quote[i] = true;
            out.insert(i);
        }
    }
    out
}

/// The four bytes standing for word `id` in [`pull_quotes`].
fn token(id: u32) -> [u8; 4] {
    [
        0x80 | ((id >> 21) & 0x7f) as u8,
        ((id >> 14) & 0x7f) as u8,
        ((id >> 7) & 0x7f) as u8,
        (id & 0x7f) as u8,
    ]
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
        let h = detect_running_headers(&lines, &[]);
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
        let h = detect_running_headers(&lines, &[]);
        assert!(h.contains("promoting collaboration | 13"));
        assert!(!h.contains("phase 2"));
        let notes = [
            "5 | White House, Strategy.",
            "6 | White House, Strategy.",
            "7 | White House, Strategy.",
        ];
        assert!(detect_running_headers(&notes, &[]).is_empty());
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

    #[test]
    fn pull_quotes_compare_whole_words() {
        // "big" is not "bigger": the quote's text must stand word for word.
        let paras = [
            "Quantum sensing will matter for navigation and is big.",
            "Quantum sensing will matter for navigation and is bigger than we think, say many.",
        ];
        assert!(pull_quotes(&paras).is_empty());
        let paras = [
            "Quantum sensing will matter for navigation and is big.",
            "Many say quantum sensing will matter for navigation and is big, and soon.",
        ];
        assert_eq!(pull_quotes(&paras).into_iter().collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn repeated_paragraphs_keep_the_first_copy() {
        let p = "Quantum computing research has grown quickly over the past decade. Governments should fund it.";
        let paras = vec![p; 5000];
        let mut q: Vec<usize> = pull_quotes(&paras).into_iter().collect();
        q.sort_unstable();
        assert_eq!(q, (1..5000).collect::<Vec<_>>());
        // A copy inside running text, then stand-alone copies: all go.
        let long = format!("Before it. {p} After it.");
        let paras = [long.as_str(), p, p];
        let mut q: Vec<usize> = pull_quotes(&paras).into_iter().collect();
        q.sort_unstable();
        assert_eq!(q, vec![1, 2]);
    }

    #[test]
    fn joins_in_place() {
        let vocab = vocabulary("decision-making");
        let mut s = String::from("for decision-  ");
        join_onto(&mut s, "  making and manu-", &vocab);
        join_onto(&mut s, "facturing", &vocab);
        assert_eq!(s, "for decision-making and manufacturing");
        let long = "a".repeat(200);
        let mut s = format!("x {long}-");
        join_onto(&mut s, "b", &vocabulary(&format!("{long}-b")));
        assert_eq!(s, format!("x {long}b"), "a run too long for a word");
    }
}
