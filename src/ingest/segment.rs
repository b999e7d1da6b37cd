//! Sentence segmentation of one cleaned paragraph.
//!
//! A rule-based splitter tuned for policy prose: it breaks after `.`, `!`
//! and `?` (and any closing quotes, brackets or emphasis that follow) when
//! the next word can open a sentence, and it does not break after titles and
//! reference abbreviations ("Dr.", "No. 18", "Vol. 574"), initials
//! ("Michael J. D. Vermeer"), decimals, spaced ellipses (". . ."), or dotted
//! abbreviations ("U.S.", "e.g.", "i.e.") unless the next word is one that
//! normally starts a sentence ("... and the U.S. The rule ...").

use std::ops::Range;

/// Abbreviations after which a sentence never ends (compared lowercase,
/// without the final dot).
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vol", "vols", "pp", "p",
    "fig", "figs", "sec", "art", "gen", "lt", "col", "sen", "rep", "gov", "corp", "co", "dept",
    "approx", "cf", "al", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "est", "ed", "eds", "rev", "ca", "e.g", "i.e", "viz", "mt", "adm",
];

/// Words that open a sentence; after a dotted abbreviation ("U.S.") a break
/// is made only before one of these (or an imperative verb).
const STARTERS: &[&str] = &[
    "The",
    "This",
    "These",
    "That",
    "Those",
    "It",
    "Its",
    "In",
    "But",
    "However",
    "Moreover",
    "And",
    "As",
    "At",
    "For",
    "If",
    "We",
    "They",
    "He",
    "She",
    "There",
    "Such",
    "Although",
    "While",
    "With",
    "A",
    "An",
    "On",
    "By",
    "To",
    "Yet",
    "So",
    "Still",
    "Also",
    "Thus",
    "Meanwhile",
    "Similarly",
    "Furthermore",
    "Additionally",
    "Nevertheless",
    "Instead",
    "Indeed",
    "Finally",
    "First",
    "Second",
    "Third",
    "Given",
    "Since",
    "When",
    "Many",
    "Most",
    "Some",
    "One",
    "Other",
    "Each",
    "Both",
    "Our",
    "His",
    "Her",
    "Their",
    "I",
    "After",
    "Before",
    "Despite",
    "Under",
    "Over",
    "Unlike",
    "Because",
    "Even",
    "Only",
];

/// Base verbs that open an imperative sentence ("Develop alternative
/// materials ..."); shared with the kind classifier.
pub const IMPERATIVES: &[&str] = &[
    "Reduce",
    "Develop",
    "Establish",
    "Encourage",
    "Promote",
    "Invest",
    "Create",
    "Strengthen",
    "Expand",
    "Build",
    "Adopt",
    "Align",
    "Ensure",
    "Maintain",
    "Champion",
    "Consider",
    "Foster",
    "Support",
    "Prioritize",
    "Prioritise",
    "Harmonize",
    "Harmonise",
    "Increase",
    "Leverage",
    "Pursue",
    "Coordinate",
    "Facilitate",
    "Engage",
    "Improve",
    "Enhance",
    "Avoid",
    "Protect",
    "Limit",
    "Require",
    "Provide",
    "Fund",
    "Launch",
    "Set",
    "Use",
    "Work",
    "Deepen",
    "Streamline",
    "Clarify",
    "Designate",
    "Diversify",
    "Integrate",
    "Implement",
    "Monitor",
];

/// Splits `text` into sentence byte ranges (trimmed, never empty).
pub fn split(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !matches!(c, '.' | '!' | '?') {
            i += 1;
            continue;
        }
        // Take the whole run of terminal punctuation and closers.
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?') {
            j += 1;
        }
        while j < chars.len() && is_closer(chars[j].1) {
            j += 1;
        }
        let end = if j < chars.len() {
            chars[j].0
        } else {
            text.len()
        };
        if j >= chars.len() {
            break;
        }
        if !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        if c == '.' && !break_after_period(text, &chars, i, k) {
            i = j;
            continue;
        }
        if !can_open(&chars, k) {
            i = j;
            continue;
        }
        push_trimmed(text, start..end, &mut out);
        start = chars[k].0;
        let _ = pos;
        i = k;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// The sentences of `text` as owned strings.
pub fn sentences(text: &str) -> Vec<String> {
    split(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if s.trim().is_empty() {
        return;
    }
    out.push(r.start + lead..r.end - trail);
}

fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '*' | '»' | '_')
}

/// Whether the character at `k` can begin a sentence.
fn can_open(chars: &[(usize, char)], k: usize) -> bool {
    let c = chars[k].1;
    if c.is_uppercase() || c.is_ascii_digit() {
        return true;
    }
    if matches!(
        c,
        '“' | '‘' | '"' | '\'' | '(' | '[' | '*' | '_' | '¿' | '—'
    ) {
        // An opener counts when what it opens is not lowercase.
        return chars
            .get(k + 1)
            .map(|&(_, n)| !n.is_lowercase())
            .unwrap_or(false);
    }
    false
}

/// Decides a break after the period at index `i`, the next word starting
/// at index `k`.
fn break_after_period(text: &str, chars: &[(usize, char)], i: usize, k: usize) -> bool {
    // Spaced ellipsis ". . ." on either side of this period.
    if i >= 2 && chars[i - 1].1 == ' ' && chars[i - 2].1 == '.' {
        return false;
    }
    if chars.get(i + 2).map(|c| c.1) == Some('.') && chars.get(i + 1).map(|c| c.1) == Some(' ') {
        return false;
    }
    // The token before the period.
    let mut b = i;
    while b > 0 && !chars[b - 1].1.is_whitespace() {
        b -= 1;
    }
    let token: String = chars[b..i]
        .iter()
        .map(|&(_, c)| c)
        .collect::<String>()
        .trim_start_matches(['(', '“', '"', '‘', '[', '*', '_'])
        .to_string();
    if token.is_empty() {
        return true;
    }
    // Decimals never reach here (no whitespace after the dot); a bare number
    // before the period ends a sentence ("... in 2022. The ...").
    let lower = token.to_lowercase();
    if NEVER_FINAL.contains(&lower.as_str()) {
        return false;
    }
    let letters: Vec<char> = token.chars().collect();
    // An initial: one capital letter ("J. D. Vermeer").
    if letters.len() == 1 && letters[0].is_uppercase() {
        return false;
    }
    let next_word = word_at(text, chars, k);
    // Dotted abbreviations ("U.S", "D.C", "Ph.D"): break only before a
    // sentence opener.
    if token.contains('.')
        && token
            .chars()
            .all(|c| c.is_alphabetic() || c == '.' || c == '-')
    {
        return STARTERS.contains(&next_word.as_str()) || IMPERATIVES.contains(&next_word.as_str());
    }
    true
}

fn word_at(text: &str, chars: &[(usize, char)], k: usize) -> String {
    let start = chars[k].0;
    text[start..]
        .trim_start_matches(['“', '"', '(', '‘', '*'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(sentences(text), expected, "{text}");
    }

    #[test]
    fn does_not_break_at_abbreviations() {
        check(
            "The U.S. government acted. It did so (e.g., by law) and i.e. quickly.",
            &[
                "The U.S. government acted.",
                "It did so (e.g., by law) and i.e. quickly.",
            ],
        );
        check(
            "Dr. Smith wrote it. See No. 18 and Vol. 574 of Nature.",
            &["Dr. Smith wrote it.", "See No. 18 and Vol. 574 of Nature."],
        );
        check(
            "Michael J. D. Vermeer and Evan D. Peet wrote it. Then it ended.",
            &[
                "Michael J. D. Vermeer and Evan D. Peet wrote it.",
                "Then it ended.",
            ],
        );
    }

    #[test]
    fn keeps_decimals_and_ellipses() {
        check(
            "Tariffs rose from 7.5% to 25%. It was “devastating to . . . our nation” in 2022.",
            &[
                "Tariffs rose from 7.5% to 25%.",
                "It was “devastating to . . . our nation” in 2022.",
            ],
        );
    }

    #[test]
    fn breaks_after_quotes_and_brackets() {
        check(
            "He called it “a select few.” Most agree. (The three cost $3 billion.) Others did not.",
            &[
                "He called it “a select few.”",
                "Most agree.",
                "(The three cost $3 billion.)",
                "Others did not.",
            ],
        );
        check(
            "Two questions. *Should they be unilateral?* Because the United States does.",
            &[
                "Two questions.",
                "*Should they be unilateral?*",
                "Because the United States does.",
            ],
        );
    }

    #[test]
    fn dotted_abbreviation_at_sentence_end() {
        check(
            "It draws on Australia, India, and the U.S. Develop alternative materials.",
            &[
                "It draws on Australia, India, and the U.S.",
                "Develop alternative materials.",
            ],
        );
        check(
            "The EU-U.S. Data Privacy Framework could serve. The rule applies.",
            &[
                "The EU-U.S. Data Privacy Framework could serve.",
                "The rule applies.",
            ],
        );
        check(
            "Produced in Germany and the U.S. The rule applies.",
            &["Produced in Germany and the U.S.", "The rule applies."],
        );
    }

    #[test]
    fn questions_and_lowercase_continuations() {
        check(
            "Could these serve as a model? Probably not. It works e.g. here.",
            &[
                "Could these serve as a model?",
                "Probably not.",
                "It works e.g. here.",
            ],
        );
    }
}
