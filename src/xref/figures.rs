//! The quantities a claim states: money (currency and scale), percentages,
//! counts with a unit, and years. Each is normalised to a value and a
//! `key` so that "$52 billion", "US$52bn" and "USD 52,000 million" compare
//! equal, while the text as written is kept for display.
//!
//! Only digits are read ("two-thirds" is not a figure): spelled-out numbers
//! are rare in policy prose and ambiguous. A bare number with no currency,
//! percent sign, unit word or year shape (a table cell, a footnote number)
//! is not a figure either.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use super::text;
use crate::content::model::TermIx;
use crate::content::MONTHS;

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    Money,
    Percent,
    Count,
    Year,
}

impl FigureKind {
    /// Lower-case name, for templates and keys.
    pub fn as_str(self) -> &'static str {
        match self {
            FigureKind::Money => "money",
            FigureKind::Percent => "percent",
            FigureKind::Count => "count",
            FigureKind::Year => "year",
        }
    }
}

/// One quantity found in a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub kind: FigureKind,
    /// The value with its scale applied: 52e9 for "$52 billion", 60 for "60%".
    pub value: f64,
    /// ISO currency code for money ("USD"), the stemmed unit word for a
    /// count ("ton", "qubit"), empty for percentages and years.
    pub unit: String,
    /// The figure as written in the claim ("USD 1.46 bn").
    pub text: String,
    /// Equal keys mean the same quantity: kind, unit and the value to four
    /// significant digits.
    pub key: String,
    /// A normalised human label ("USD 1.46 billion", "60%", "240,000 tons").
    pub label: String,
    /// What the figure is stated about: per taxonomy at most one term, the
    /// one named nearest to it in its clause, else in its sentence
    /// (`concepts::attribute`). Empty when the claim names none near it.
    #[serde(skip)]
    pub subjects: Vec<(usize, TermIx)>,
    /// Said of the world ("worldwide investments exceeding $55 billion"):
    /// nobody's in particular.
    #[serde(skip)]
    pub worldwide: bool,
    /// Stems of the words around the figure in its clause that say what it
    /// counts ("share of rare earth processing": `rare`, `earth`,
    /// `process`), names of terms left out; sorted, no duplicates. Two
    /// figures of the same subject, kind and unit that share one measure
    /// the same quantity.
    #[serde(skip)]
    pub context: Vec<String>,
    /// The figure with those words, as written ("85% of rare earth
    /// processing").
    #[serde(skip)]
    pub phrase: String,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?P<cur>US\$|A\$|C\$|\$|€|£|₩|¥|₹|\b(?:USD|EUR|GBP|KRW|JPY|CNY|RMB|INR|AUD|CAD)\s?)?
            (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)",
        )
        .expect("static regex compiles")
    })
}

fn scale_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:\s?-?\s?)(?i:(?:(trillion|billion|million|thousand|tn|bn|mn|mln)\b|(b|m|k)\b))",
        )
        .expect("static regex compiles")
    })
}

fn range_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "$450–$850 billion": the first end borrows the second's scale.
    RE.get_or_init(|| {
        Regex::new(r"^\s*(?:–|-|to)\s*\\?(?:US\$|\$|€|£|₩|¥|₹)?\s?\d[\d,.]*\s?(?i:(trillion|billion|million|thousand|tn|bn|mn)\b)")
            .expect("static regex compiles")
    })
}

fn currency_word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s(?:(?:US|U\.S\.|American)\s)?(dollars?|euros?|won|yuan|renminbi|yen|pounds sterling|pounds?|rupees?|USD|EUR|KRW|JPY|CNY|RMB|GBP|INR)\b",
        )
        .expect("static regex compiles")
    })
}

fn percent_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:\s?%|\s?-?(?i:percent|per cent|percentage points?)\b)")
            .expect("static regex compiles")
    })
}

/// Words between a number and its unit that do not name the unit
/// ("34 or more physical qubits", "240,000 metric tons").
const UNIT_MODIFIERS: &[&str] = &[
    "active",
    "additional",
    "annual",
    "approximately",
    "cumulative",
    "current",
    "different",
    "distinct",
    "domestic",
    "foreign",
    "full-time",
    "individual",
    "large",
    "leading",
    "less",
    "logical",
    "major",
    "metric",
    "more",
    "new",
    "or",
    "other",
    "physical",
    "plus",
    "separate",
    "short",
    "small",
    "square",
    "total",
    "young",
];

fn currency_code(symbol: &str) -> Option<&'static str> {
    Some(match symbol.trim() {
        "$" | "US$" | "USD" | "dollar" | "dollars" => "USD",
        "A$" | "AUD" => "AUD",
        "C$" | "CAD" => "CAD",
        "€" | "EUR" | "euro" | "euros" => "EUR",
        "£" | "GBP" | "pound" | "pounds" | "pounds sterling" => "GBP",
        "₩" | "KRW" | "won" => "KRW",
        "¥" | "JPY" | "yen" => "JPY",
        "CNY" | "RMB" | "yuan" | "renminbi" => "CNY",
        "₹" | "INR" | "rupee" | "rupees" => "INR",
        _ => return None,
    })
}

fn scale_value(word: &str) -> f64 {
    match word.to_ascii_lowercase().as_str() {
        "trillion" | "tn" => 1e12,
        "billion" | "bn" | "b" => 1e9,
        "million" | "mn" | "mln" | "m" => 1e6,
        "thousand" | "k" => 1e3,
        _ => 1.0,
    }
}

/// The figures of a text, in order of appearance, each key at most once.
pub fn extract(text_in: &str) -> Vec<Figure> {
    extract_cleaned(&text::clean(text_in))
}

/// [`extract`] of a text already passed through [`text::clean`].
pub fn extract_cleaned(cleaned: &str) -> Vec<Figure> {
    // Every figure has a digit; most claims without one are done here.
    if !cleaned.chars().any(char::is_numeric) {
        return Vec::new();
    }
    // Markdown escapes dollars ("\$4.13 billion").
    let src: Cow<'_, str> = if cleaned.contains("\\$") {
        Cow::Owned(cleaned.replace("\\$", "$"))
    } else {
        Cow::Borrowed(cleaned)
    };
    let src = src.as_ref();
    let mut out: Vec<Figure> = Vec::new();
    // Matches are found without capture groups (the fast engine): a
    // currency never contains a digit, so the number starts at the
    // match's first digit and the currency is what comes before it.
    for whole in number_re().find_iter(src) {
        let Some(split) = whole.as_str().find(|c: char| c.is_numeric()) else {
            continue;
        };
        let num = &whole.as_str()[split..];
        let cur = (split > 0).then(|| &whole.as_str()[..split]);
        // A number glued to a word or a decimal ("H100", "5G", "v2.0") or
        // inside a longer digit run is not a quantity.
        let before = src[..whole.start()].chars().next_back();
        if cur.is_none() && before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',') {
            continue;
        }
        let after_num = &src[whole.end()..];
        if after_num
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !matches!(c, 'b' | 'm' | 'k' | 'B' | 'M' | 'K'))
        {
            continue;
        }
        let digits = num.replace(',', "");
        let Ok(base) = digits.parse::<f64>() else {
            continue;
        };
        let mut end = whole.end();
        let mut scale = 1.0;
        let mut rest = &src[end..];
        if let Some(s) = scale_re().captures(rest) {
            // Single-letter scales ("$2.7B") only after a currency sign;
            // "5 m" is more often metres.
            let word = s.get(1).or_else(|| s.get(2).filter(|_| cur.is_some()));
            if let (Some(w), Some(all)) = (word, s.get(0)) {
                scale = scale_value(w.as_str());
                end += all.end();
                rest = &src[end..];
            }
        } else if let Some(r) = range_re().captures(rest) {
            if let Some(w) = r.get(1) {
                scale = scale_value(w.as_str());
            }
        }
        let value = base * scale;
        let mut code = cur.and_then(currency_code);
        if code.is_none() {
            if let Some(c) = currency_word_re().captures(rest) {
                if let (Some(w), Some(all)) = (c.get(1), c.get(0)) {
                    code = currency_code(w.as_str());
                    end += all.end();
                }
            }
        }
        let figure = if let Some(code) = code {
            Some(make(
                FigureKind::Money,
                value,
                code,
                &src[whole.start()..end],
            ))
        } else if let Some(p) = percent_re().find(rest) {
            end += p.end();
            Some(make(
                FigureKind::Percent,
                value,
                "",
                &src[whole.start()..end],
            ))
        } else if scale == 1.0
            && digits.len() == 4
            && !num.contains([',', '.'])
            && (1900.0..=2099.0).contains(&base)
        {
            // "September 2024" names a moment, and is far more telling
            // than the bare year, which is kept as well.
            if let Some((month, from)) = month_before(&src[..whole.start()]) {
                let mut f = make(FigureKind::Year, base, "", num);
                f.key = format!("year:{base:.0}-{month:02}");
                f.label = format!("{} {base:.0}", MONTHS[month - 1]);
                f.text = src[from..whole.end()].to_string();
                if !out.iter().any(|o| o.key == f.key) {
                    out.push(f);
                }
            }
            Some(make(FigureKind::Year, base, "", num))
        } else {
            count_unit(rest).map(|(unit, used)| {
                end += used;
                make(FigureKind::Count, value, &unit, &src[whole.start()..end])
            })
        };
        if let Some(f) = figure {
            if !out.iter().any(|o| o.key == f.key) {
                out.push(f);
            }
        }
    }
    out
}

/// The month (1-12) named by the last word of `before` ("in September "),
/// with the byte offset where that word starts.
fn month_before(before: &str) -> Option<(usize, usize)> {
    let trimmed = before.trim_end();
    if trimmed.len() == before.len() {
        return None;
    }
    let from = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &trimmed[from..];
    MONTHS
        .iter()
        .position(|m| *m == word)
        .map(|i| (i + 1, from))
}

/// The unit word after a count ("34 or more physical qubits" -> "qubit"),
/// and how many bytes of `rest` it spans.
fn count_unit(rest: &str) -> Option<(String, usize)> {
    let mut pos = 0;
    for _ in 0..4 {
        let tail = &rest[pos..];
        let trimmed = tail.trim_start_matches([' ', '+']);
        let lead = tail.len() - trimmed.len();
        if lead == 0 && pos > 0 {
            return None;
        }
        let word_len = trimmed
            .char_indices()
            .find(|(_, c)| !(c.is_alphabetic() || *c == '-'))
            .map_or(trimmed.len(), |(i, _)| i);
        if word_len == 0 {
            return None;
        }
        let word = &trimmed[..word_len];
        let lower = word.to_lowercase();
        pos += lead + word_len;
        if UNIT_MODIFIERS.contains(&lower.as_str()) {
            continue;
        }
        // A capitalised word after a number starts a name or a sentence
        // ("in 2020 China"), a stop word is no unit ("3 of them").
        if word.chars().next().is_some_and(char::is_uppercase) || text::is_stop_word(&lower) {
            return None;
        }
        return Some((text::stem(lower.trim_matches('-')), pos));
    }
    None
}

fn make(kind: FigureKind, value: f64, unit: &str, written: &str) -> Figure {
    let sig = format!("{value:.3e}");
    let key = match kind {
        FigureKind::Year => format!("year:{value:.0}"),
        _ => format!("{}:{unit}:{sig}", kind.as_str()),
    };
    let label = match kind {
        FigureKind::Money => format!("{unit} {}", human(value)),
        FigureKind::Percent => format!("{}%", trim_number(value, 2)),
        FigureKind::Year => format!("{value:.0}"),
        FigureKind::Count => written.trim().to_string(),
    };
    Figure {
        subjects: Vec::new(),
        context: Vec::new(),
        phrase: String::new(),
        worldwide: false,
        kind,
        value,
        unit: unit.to_string(),
        text: written.trim().to_string(),
        key,
        label,
    }
}

/// "52 billion", "1.46 billion", "7,500".
fn human(value: f64) -> String {
    for (scale, name) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        if value >= scale {
            return format!("{} {name}", trim_number(value / scale, 3));
        }
    }
    trim_number(value, 2)
}

/// A number with up to `decimals` decimals, trailing zeros dropped, and
/// thousands separated by commas.
fn trim_number(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        extract(text).into_iter().map(|f| f.key).collect()
    }

    #[test]
    fn extraction_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "the Chips and Science Act provides $52 billion",
                &["money:USD:5.200e10"],
            ),
            ("a €1 billion Quantum Flagship", &["money:EUR:1.000e9"]),
            ("USD 1.46 bn in 2023", &["money:USD:1.460e9", "year:2023"]),
            ("US$1,460 million", &["money:USD:1.460e9"]),
            ("\\$4.13 billion", &["money:USD:4.130e9"]),
            ("₩5.2 trillion", &["money:KRW:5.200e12"]),
            ("5.2 trillion won", &["money:KRW:5.200e12"]),
            ("RMB 18 million", &["money:CNY:1.800e7"]),
            ("$2.7B for 2025", &["money:USD:2.700e9", "year:2025"]),
            (
                "$450–$850 billion",
                &["money:USD:4.500e11", "money:USD:8.500e11"],
            ),
            ("$7,500 in subsidies", &["money:USD:7.500e3"]),
            ("China holds 60% of output", &["percent::6.000e1"]),
            ("about 41 percent of", &["percent::4.100e1"]),
            ("a 23 per cent stake", &["percent::2.300e1"]),
            ("240,000 metric tons of ore", &["count:ton:2.400e5"]),
            ("34 or more physical qubits", &["count:qubit:3.400e1"]),
            ("12,000 kilometers long", &["count:kilomet:1.200e4"]),
            ("18 million people", &["count:peopl:1.800e7"]),
            ("in September 2024 the rule", &["year:2024-09", "year:2024"]),
            (
                "in\u{a0}September\u{a0}2024",
                &["year:2024-09", "year:2024"],
            ),
            ("from 1990 to 2030", &["year:1990", "year:2030"]),
            // Not figures: glued to words, bare numbers, table cells.
            ("Nvidia H100 chips and 5G networks", &[]),
            ("| Ireland | 6,747 |", &[]),
            ("see note 12.", &[]),
            ("In 3 Chinese provinces", &[]),
        ];
        let wrong: Vec<String> = table
            .iter()
            .filter(|(t, want)| keys(t) != *want)
            .map(|(t, want)| format!("{t:?}: got {:?}, want {want:?}", keys(t)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn equal_amounts_written_differently_share_a_key() {
        let a = extract("$52 billion");
        let b = extract("USD 52,000 million");
        assert_eq!(a[0].key, b[0].key);
        assert_eq!(a[0].label, "USD 52 billion");
        assert_eq!(b[0].text, "USD 52,000 million");
    }

    #[test]
    fn labels_are_normalised() {
        let f = extract("USD 1.46 bn, 60.0% and 240,000 metric tons");
        let labels: Vec<&str> = f.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["USD 1.46 billion", "60%", "240,000 metric tons"]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "$",
            "$.5",
            "€,",
            "1,",
            "99999999999999999999999999 tons",
            "₩₩1",
            "2024-",
        ] {
            let _ = extract(t);
        }
    }
}
