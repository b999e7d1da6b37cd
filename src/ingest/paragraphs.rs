//! Paragraphs put back together after the structure is read: pieces of
//! one paragraph cut by page breaks (with footnotes, tables, figures or
//! pull quotes between them) joined, and run-in headings ("Export
//! controls. The United States ...") split off their paragraphs.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::clean;
use super::notes::superscript_digit;
use super::segment;
use super::structure::{Item, Level};

/// Joins paragraphs cut by page breaks (the earlier piece unfinished, or
/// the later one starting lowercase, with only tables, notes or noise
/// between them) and splits run-in headings off their paragraphs.
pub fn finish(items: Vec<Item>, vocab: &HashSet<String>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    // The last item of `out` that is not a table, kept as items are added
    // rather than searched for.
    let mut target: Option<usize> = None;
    for item in items {
        if let Item::Para {
            text: q,
            list: q_list,
            chapter: q_ch,
            ..
        } = &item
        {
            let q_lower = q.chars().next().is_some_and(char::is_lowercase);
            if let Some(t) = target {
                if let Item::Para {
                    text: p,
                    list: p_list,
                    chapter: p_ch,
                    ..
                } = &mut out[t]
                {
                    let open = clean::is_unfinished(p) || ends_in_noun_fragment(p, q);
                    let join = !q_list && p_ch == q_ch && ((open && !*p_list) || q_lower);
                    if join {
                        clean::join_onto(p, q, vocab);
                        continue;
                    }
                }
            }
        }
        if !matches!(item, Item::Table { .. }) {
            target = Some(out.len());
        }
        out.push(item);
    }
    // Run-in headings come in series (a section of labelled paragraphs);
    // a single candidate is far more often a short verbless sentence.
    let mut accepted = HashSet::new();
    let mut group: Vec<usize> = Vec::new();
    for (i, item) in out.iter().enumerate() {
        match item {
            Item::Para {
                text, list: false, ..
            } if run_in_head(text).is_some() => group.push(i),
            Item::Heading { .. } | Item::Chapter(_) => {
                if group.len() >= 2 {
                    accepted.extend(group.iter().copied());
                }
                group.clear();
            }
            _ => {}
        }
    }
    if group.len() >= 2 {
        accepted.extend(group);
    }
    let mut result = Vec::with_capacity(out.len());
    for (i, item) in out.into_iter().enumerate() {
        match item {
            Item::Para {
                text,
                list: false,
                chapter,
                line,
            } => {
                if let Some((head, rest)) = run_in_head(&text).filter(|_| accepted.contains(&i)) {
                    result.push(Item::Heading {
                        text: head,
                        level: Level::RunIn,
                    });
                    result.push(Item::Para {
                        text: rest,
                        list: false,
                        chapter,
                        line,
                    });
                } else {
                    result.push(Item::Para {
                        text,
                        list: false,
                        chapter,
                        line,
                    });
                }
            }
            other => result.push(other),
        }
    }
    result
}

static DOTTED_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[A-Z]\.){2,}$").expect("static regex"));

/// Whether `p` ends in a dotted abbreviation ([`DOTTED_END`]), reading
/// only its end: a paragraph pieced together from many parts is asked
/// once per part.
fn ends_dotted(p: &str) -> bool {
    let t = p.trim_end();
    let b = t.as_bytes();
    let (mut end, mut reps) = (b.len(), 0);
    while end >= 2 && b[end - 1] == b'.' && b[end - 2].is_ascii_uppercase() {
        reps += 1;
        end -= 2;
        if reps == 3 {
            // The match can start at the second letter, after a dot.
            return true;
        }
    }
    if reps < 2 {
        return false;
    }
    // Two letters: the word boundary before them decides, so the pattern
    // needs only the character before.
    let from = t[..end].char_indices().next_back().map_or(0, |(i, _)| i);
    DOTTED_END.is_match(&t[from..])
}

/// "... developed by the U.S." + "National Institute of Standards and
/// Technology (NIST). NIST has ...": a paragraph ending in a dotted
/// abbreviation, followed by one whose first sentence is a short verbless
/// name, is one sentence cut by a page break.
fn ends_in_noun_fragment(p: &str, q: &str) -> bool {
    if !ends_dotted(p) {
        return false;
    }
    let q: String = q
        .chars()
        .filter(|c| superscript_digit(*c).is_none())
        .collect();
    let spans = segment::split(&q);
    let Some(first) = spans.first().map(|s| &q[s.clone()]) else {
        return false;
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    words.len() <= 12
        && spans.len() > 1
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !NOT_FIRST.contains(&words[0])
        && !words
            .iter()
            .any(|w| VERBS.contains(&w.to_lowercase().as_str()))
}

const VERBS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "may",
    "might",
    "do",
    "does",
    "did",
    "remain",
    "remains",
    "seems",
    "became",
    "become",
    "makes",
    "made",
    "shows",
    "said",
    "says",
    "arises",
    "arise",
    "include",
    "includes",
    "provides",
    "provide",
    "offers",
    "faces",
    "leads",
    "drives",
    "aims",
    "seeks",
    "requires",
    "depends",
    "continues",
    "plays",
    "relies",
    "creates",
    "allows",
    "helps",
    "needs",
    "reflects",
    "suggests",
    "complements",
    "lament",
    "laments",
    "posit",
    "extend",
    "extends",
    "follows",
    "means",
    "lacks",
    "lags",
];
/// Words that make a short phrase a sentence rather than a label.
const DETERMINERS: &[&str] = &[
    "these", "this", "those", "its", "their", "a", "an", "our", "his", "her", "which", "that",
    "who", "it", "they", "we",
];
const NOT_FIRST: &[&str] = &[
    "Another", "Each", "Every", "Many", "Most", "Some", "The", "These", "This", "That", "Those",
    "It", "Its", "They", "We", "He", "She", "There", "Such", "Our", "Their", "A", "An", "In", "On",
    "At", "As", "I", "But", "And", "So",
];

/// A run-in heading: a short first "sentence" without a verb or comma that
/// labels the paragraph ("Export controls. The United States requires ...").
pub fn run_in_head(text: &str) -> Option<(String, String)> {
    let spans = segment::split(text);
    if spans.len() < 2 {
        return None;
    }
    let first = &text[spans[0].clone()];
    let rest = text[spans[1].start..].to_string();
    let head = first.strip_suffix('.')?;
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 12
        || head.contains([',', ';', ':', '“', '"', '(']) && !head.contains(" (")
        || head.contains(',')
        || rest.split_whitespace().count() < 8
        || !head.chars().next().is_some_and(char::is_uppercase)
        || NOT_FIRST.contains(&words[0])
        || (segment::IMPERATIVES.contains(&words[0])
            && !words
                .get(1)
                .is_some_and(|w| matches!(*w, "for" | "of" | "to" | "in" | "on" | "and")))
        || words.iter().any(|w| {
            let l = w.to_lowercase();
            VERBS.contains(&l.as_str()) || DETERMINERS.contains(&l.as_str())
        })
        || head.chars().any(|c| superscript_digit(c).is_some())
    {
        return None;
    }
    Some((head.to_string(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_in_heads() {
        let (h, r) = run_in_head(
            "Export controls. The United States requires licenses for the export of certain batteries.",
        )
        .unwrap();
        assert_eq!(h, "Export controls");
        assert!(r.starts_with("The United States"));
        assert!(run_in_head("These restrictions extend to researchers. Quantum researchers have emphasized the importance of their work.").is_none());
        assert!(run_in_head("Maintain government-level channels for promoting cooperation in quantum. The U.S. and ROK governments have for decades engaged.").is_none());
        assert!(run_in_head("Quantum technology is no exception. In this Perspective, I will briefly consider some challenges.").is_none());
    }
}
