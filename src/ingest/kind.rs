//! The `kind` of a claim: `recommendation`, `definition`, `statistic` or
//! plain `claim` (tables are typed where they are built). Cue-based and
//! ordered: a sentence urging an action is a recommendation even when it
//! also carries a figure.

use std::sync::LazyLock;

use regex::Regex;

use super::segment::IMPERATIVES;

static RECOMMEND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(should|must|ought to|needs? to|we recommend|recommends?|recommended that|is essential|are essential|it is imperative)\b",
    )
    .expect("static regex")
});

/// Uses of the cues that do not urge anything: a noun ("the need to"), a
/// description ("which is essential"), a denial ("does not imply that
/// ... must"), or a reported designation ("selected as one of the
/// technologies that should be prioritized").
static NOT_URGING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(the|a|an)\s+need\s+to\b
      | \b(which|that)\s+(is|are)\s+essential\b
      | \b(does|do|did)\s+not\s+(imply|mean|suggest|require)\s+that\b
      | \b(designated|selected|identified|listed|classified|named|deemed)\b.*\bthat\s+(should|must)\s+be\b
      | \b(respondents|employers|firms|participants|interviewees)\s+(said|say|reported|thought|believed|asked)\b.*\b(should|must)\b",
    )
    .expect("static regex")
});

static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"“[^”]*”|"[^"]*""#).expect("static regex"));

static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?i:\b(refers?\ to|is\ defined\ as|are\ defined\ as|is\ a\ class\ of|(is|are)\ known\ as|is\ a\ term\ for|the\ term\ \*?[\w\ -]+\*?\ to\ refer)\b)
      # Biotechnology—the application of biological processes ...—is used
      | ^[A-Z][\w-]+(\ [\w-]+){0,2}—(or\ )?(the|an?)\ [^—]{5,120}—(is|are|refers|means|has)\b
      # ... engage in *industrial policy*: targeted policies aimed at ...
      | \*[^*]{2,40}\*:\ (a|an|the\ )?[a-z]",
    )
    .expect("static regex")
});

static STATISTIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        [$€£¥]\s?\d
      | \b(USD|CNY|RMB|EUR|KRW|GBP|JPY)\s?\d
      | \d\s?%
      | \b\d+(\.\d+)?\s+(percent|per\s+cent)\b
      | \b\d+(\.\d+)?\s+(thousand|million|billion|trillion)\b
      | \b\d+(\.\d+)?\s*[-–]?\s*(fold|times)\b
      | \b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|[a-z]+-[a-z]+-)\s?(fold|times)\b
      | \b(several|a\ few|many|hundreds\ of|tens\ of)\s+(thousand|million|billion|trillion)\b
      | \b(more\ than|fewer\ than|less\ than|at\ least|up\ to|up\ from|down\ from|roughly|nearly|almost)\s+\d
      | \b(an|the)\ (average|median)\ of\b
      | \b\d{1,3}(,\d{3})+\b
      | \b(half|one[- ]third|two[- ]thirds|a\ third|a\ quarter|three[- ]quarters)\s+of\b
      | \b(half|a\ third|two[- ]thirds|a\ quarter|three[- ]quarters)\ of\ (the\ )?(respondents|firms|companies|countries|institutions|universities|employers)\b
      | \b(\d+(\.\d+)?|eight|ten|three|four|five|six|seven|nine)\s+(kilometers|kilometres|miles|qubits|gigawatt|terawatt|microwatts|watts|kelvin|tons|tonnes)\b",
    )
    .expect("static regex")
});

/// A count: a number, not a year, before a lowercase word ("214
/// responses", "17 countries"), not a function word ("1 or 0").
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,3}(?:,\d{3})*|\d{4,})\s+(\p{Ll}+)").expect("static regex")
});

/// Words after a number that do not make it a count.
const NOT_COUNTED: &[&str] = &[
    "and", "or", "to", "of", "in", "on", "at", "the", "a", "an", "for", "with", "is", "are", "was",
    "were", "by", "as", "from", "than", "that", "which", "but",
];

/// Base verbs that open an advice list item or sentence, besides
/// `segment::IMPERATIVES` ("Finance refining capacity ...", "Treat indium
/// ... as strategic").
const MORE_IMPERATIVES: &[&str] = &[
    "Finance",
    "Conclude",
    "Make",
    "Treat",
    "Give",
    "Allow",
    "Offer",
    "Open",
    "Publish",
    "Appoint",
    "Review",
    "Share",
    "Pool",
    "Grant",
    "Reform",
    "Remove",
    "Lift",
    "Lower",
    "Raise",
    "Simplify",
    "Extend",
    "Broaden",
    "Tighten",
    "Restrict",
    "Screen",
    "Track",
    "Assess",
    "Measure",
    "Train",
    "Recruit",
    "Retain",
    "Attract",
    "Keep",
    "Stop",
    "Start",
    "Define",
    "Agree",
    "Negotiate",
    "Mandate",
    "Incentivize",
    "Incentivise",
    "Subsidize",
    "Subsidise",
    "Stockpile",
    "Secure",
    "Scale",
    "Accelerate",
    "Prepare",
    "Plan",
    "Bring",
    "Join",
    "Commit",
    "Introduce",
    "Update",
    "Revise",
    "Clarify",
    "Collect",
    "Report",
    "Explore",
    "Identify",
    "Avoid",
    "Resist",
    "Apply",
];

/// Words that make a capitalised first word a noun rather than an order
/// ("Finance ministries have ...").
const FINITE: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "remains",
    "remain",
    "ministries",
    "ministers",
    "officials",
    "and",
    "or",
    "to",
    "of",
    "in",
    "for",
    "with",
];

/// Classifies one sentence or list item.
pub fn classify(text: &str) -> &'static str {
    if is_recommendation(text) {
        "recommendation"
    } else if DEFINITION.is_match(text) {
        "definition"
    } else if STATISTIC.is_match(text) || counts(text) >= 2 {
        "statistic"
    } else {
        "claim"
    }
}

/// The counts in a text, years aside.
fn counts(text: &str) -> usize {
    COUNT
        .captures_iter(text)
        .filter(|c| {
            let n: u32 = c[1].replace(',', "").parse().unwrap_or(0);
            (!(1800..=2100).contains(&n) || c[1].contains(',')) && !NOT_COUNTED.contains(&&c[2])
        })
        .count()
}

fn is_recommendation(text: &str) -> bool {
    let t = text.trim_end_matches(['*', '”', '"', ')', ' ']);
    if t.ends_with('?') {
        return false;
    }
    // Words inside quotation marks are someone else's ("“the United
    // States must be the best ...”"), not the source urging an action.
    let unquoted = QUOTED.replace_all(text, "“”");
    if RECOMMEND.is_match(&unquoted) {
        // Every cue must be a real one for the denial rules to win: "the
        // need to X; policymakers should Y" still urges Y.
        let cues = RECOMMEND.find_iter(&unquoted).count();
        let excused = NOT_URGING.find_iter(&unquoted).count();
        return excused < cues;
    }
    // An imperative, possibly after a short run-in label
    // ("Strengthening Supply Chains: Reduce reliance on ...").
    let body = match text.split_once(": ") {
        Some((label, rest)) if label.split_whitespace().count() <= 8 => rest,
        _ => text,
    };
    let mut words = body.split_whitespace();
    let mut first = words.next().unwrap_or("");
    if first.ends_with("ly") && first.chars().next().is_some_and(char::is_uppercase) {
        // "Actively engage in ..."
        first = words.next().unwrap_or("");
        let cap: String = first
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
            .collect();
        return IMPERATIVES.contains(&cap.as_str());
    }
    let first = first.trim_matches(|c: char| !c.is_alphabetic());
    if IMPERATIVES.contains(&first) {
        return true;
    }
    MORE_IMPERATIVES.contains(&first)
        && words.next().is_some_and(|w| {
            w.chars().next().is_some_and(char::is_lowercase) && !FINITE.contains(&w)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_cue() {
        let cases = [
            ("Countries should align their export control frameworks.", "recommendation"),
            ("Policymakers will need to decide what degree of dependence is acceptable.", "recommendation"),
            ("Strengthening Supply Chains: Reduce reliance on China.", "recommendation"),
            ("Actively engage in multilateral decision-making bodies.", "recommendation"),
            ("*If export controls are imposed, should they be at the component level?*", "claim"),
            ("*Quantum sensing* refers to various types of sensors.", "definition"),
            ("It leads to a *quantum winter*: a period of disillusionment.", "definition"),
            ("Biomanufacturing—or the production of biotech products—is still maturing.", "definition"),
            ("Its partnership with GM—the Ultium Cells joint venture—is a cornerstone.", "claim"),
            ("Biotechnology—the application of biological processes to develop new products—is used widely.", "definition"),
            ("China accounts for around 61% of lithium refining.", "statistic"),
            ("The Chips and Science Act invests $52 billion.", "statistic"),
            ("The network is now 12,000 kilometers long.", "statistic"),
            ("About half of U.S. quantum science publications have a coauthor from a foreign institution.", "statistic"),
            ("China leads in quantum communications.", "claim"),
            ("The proposed end state does not imply that the United States must lead everywhere.", "claim"),
            ("The White House designated it as one of 20 technologies that must be “controlled.”", "claim"),
            ("This measure underscores the need to safeguard the bioeconomy.", "claim"),
            ("Firms develop storage, which are essential for renewables.", "claim"),
            ("It might be read as suggesting that “the United States must be the best.”", "claim"),
            ("The committee urges more investment “for the US to maintain its lead.”", "claim"),
            ("Demand could grow twelvefold by 2030 and twenty-one-fold by 2050.", "statistic"),
            ("Runs used roughly ten times the compute of those of 2021.", "statistic"),
            ("Funding passed several billion dollars a year across the G7.", "statistic"),
            ("The survey received 214 responses from employers in 17 countries.", "statistic"),
            ("Participation is strongest where 19 countries take part.", "claim"),
            ("The committee was created in 2024 and met in 2025.", "claim"),
            ("Start-ups wait an average of nine months for a slot.", "statistic"),
            ("More than two-thirds of respondents said governments should fund placements.", "statistic"),
            ("Finance refining capacity through the European Investment Bank.", "recommendation"),
            ("Treat indium and germanium as strategic materials.", "recommendation"),
            ("Finance ministries have resisted the plan.", "claim"),
            ("Open and collaborative innovation are key factors for leadership.", "claim"),
            ("A qubit, unlike a bit holding 1 or 0, can hold both 0 and 1.", "claim"),
        ];
        for (text, kind) in cases {
            assert_eq!(classify(text), kind, "{text}");
        }
    }
}
