//! Words of a claim for text similarity: Markdown and URLs stripped,
//! dotted abbreviations joined ("U.S." -> "US" -> `usa`), lower-cased,
//! split on anything that is not a letter or digit, English stop words and
//! bare numbers dropped (numbers are the business of `figures`), and each
//! word reduced to its Porter stem (`stem`) so that "communications" and
//! "communication" meet.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

pub use super::stem::stem;

/// One word of a claim: its stem (the index key) and its lower-cased
/// surface form (shown to readers as a "shared term").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub stem: String,
    pub surface: String,
    /// Written with a capital letter (names, acronyms, sentence starts).
    pub capital: bool,
}

/// English function words that carry no topic. Kept short on purpose:
/// inverse document frequency already discounts words common in the corpus.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "additionally",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "com",
    "could",
    "currently",
    "despite",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "either",
    "else",
    "etc",
    "even",
    "ever",
    "every",
    "example",
    "few",
    "finally",
    "for",
    "from",
    "further",
    "furthermore",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hence",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "html",
    "http",
    "https",
    "i",
    "if",
    "in",
    "including",
    "indeed",
    "instance",
    "instead",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "least",
    "less",
    "like",
    "many",
    "may",
    "me",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "nevertheless",
    "no",
    "nonetheless",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "org",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "particularly",
    "pdf",
    "per",
    "perhaps",
    "rather",
    "recent",
    "recently",
    "same",
    "several",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "various",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "www",
    "year",
    "years",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// True for a word (lower-case) that [`tokens`] drops as a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn markup_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Link targets, bare URLs and inline HTML tags: their words are not
    // the claim's words.
    RE.get_or_init(|| {
        Regex::new(r"\]\([^)]*\)|https?://\S+|www\.\S+|</?[A-Za-z][^>]*>")
            .expect("static regex compiles")
    })
}

fn dotted_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "U.S.", "U.K.", "E.U.": letters joined so they survive as one word.
    RE.get_or_init(|| Regex::new(r"\b(?:[A-Za-z]\.){2,}").expect("static regex compiles"))
}

/// The text with Markdown link targets, URLs and tags blanked and dotted
/// abbreviations joined; the input of both tokenising and figure-finding.
/// Borrows the text when there is nothing to change (most claims).
pub fn clean(text: &str) -> Cow<'_, str> {
    let stripped = markup_re().replace_all(text, " ");
    let joined = match dotted_re().replace_all(&stripped, |c: &regex::Captures<'_>| {
        c[0].chars().filter(|ch| *ch != '.').collect::<String>()
    }) {
        Cow::Borrowed(_) => None,
        Cow::Owned(joined) => Some(joined),
    };
    joined.map_or(stripped, Cow::Owned)
}

/// The words of a cleaned text as written, in order: maximal runs of
/// letters and digits.
pub fn raw_words(cleaned: &str) -> impl Iterator<Item = &str> {
    cleaned
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The surface form the index keeps for a word as written (lower-cased,
/// "US" and "USA" as `usa`), or `None` for a word it drops: shorter than
/// two characters, a bare number or a stop word.
pub fn surface(raw: &str) -> Option<String> {
    // "US" in capitals is the country; "us" is a pronoun and a stop word.
    let lower = if raw == "US" || raw == "USA" {
        "usa".to_string()
    } else {
        raw.to_lowercase()
    };
    if lower.chars().count() < 2 || lower.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if is_stop_word(&lower) {
        return None;
    }
    Some(lower)
}

/// Whether a word as written starts with a capital letter.
pub fn is_capitalised(raw: &str) -> bool {
    raw.chars().next().is_some_and(char::is_uppercase)
}

/// The index words of a text, in order of appearance (duplicates kept, so
/// callers can count term frequency). The index itself resolves each
/// distinct written word once ([`raw_words`], [`surface`], [`stem`]);
/// this is the same per token.
pub fn tokens(text: &str) -> Vec<Token> {
    let cleaned = clean(text);
    raw_words(&cleaned)
        .filter_map(|raw| {
            let surface = surface(raw)?;
            Some(Token {
                stem: stem(&surface),
                surface,
                capital: is_capitalised(raw),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS, "keep STOP_WORDS in sorted order");
    }

    #[test]
    fn tokens_drop_stop_words_numbers_and_urls() {
        let stems: Vec<String> = tokens(
            "The U.S. and China's [export controls](https://x.org/a) rose 40% in 2024; US chips.",
        )
        .into_iter()
        .map(|t| t.stem)
        .collect();
        assert_eq!(
            stems,
            ["usa", "china", "export", "control", "rose", "usa", "chip"]
        );
    }

    #[test]
    fn clean_borrows_unless_it_changes_something() {
        assert!(matches!(clean("plain words, 40%"), Cow::Borrowed(_)));
        assert_eq!(
            clean("the U.S. and [EU](https://eu.eu) rules"),
            "the US and [EU  rules"
        );
        assert_eq!(clean("U.K. <b>rules</b>"), "UK  rules ");
    }

    #[test]
    fn surface_drops_short_numeric_and_stop_words() {
        assert_eq!(surface("US").as_deref(), Some("usa"));
        assert_eq!(surface("us"), None);
        assert_eq!(surface("Quantum").as_deref(), Some("quantum"));
        assert_eq!(surface("x"), None);
        assert_eq!(surface("2024"), None);
        assert_eq!(surface("5G").as_deref(), Some("5g"));
        assert_eq!(surface("However"), None);
        assert!(is_capitalised("Élysée") && !is_capitalised("élysée"));
    }

    #[test]
    fn tokens_keep_surface_form() {
        let t = tokens("Quantum Communications");
        assert_eq!(t[1].surface, "communications");
        assert_eq!(t[1].stem, "commun");
    }
}
