//! Recall of related claims on a hand-labelled set of comparable claims
//! from different seed briefs (tests/fixtures/xref/pairs.yaml), and the share
//! of claims that get at least one related claim. Both ratchet: raise the
//! constants when the numbers improve, never lower them silently.
//!
//! The corpus is the bundled one (content/claims/**/*.md and
//! content/taxonomy/*.yaml). While content/claims is empty, the test falls
//! back to sentences split roughly from content/sources/*.txt, without
//! tags, and says so in its output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crossbrief::content::fragment;
use crossbrief::content::schema::RawTerm;
use crossbrief::xref::{self, Vocab, XrefClaim, XrefOptions};
use serde::Deserialize;

/// Ratchets on the bundled claim corpus.
const CORPUS_MIN_RECALL: f64 = 0.89;
const CORPUS_MIN_COVERAGE: f64 = 0.72;
/// Ratchets on the fallback sentences split from the sources.
const FALLBACK_MIN_RECALL: f64 = 0.81;
const FALLBACK_MIN_COVERAGE: f64 = 0.70;

#[derive(Debug, Deserialize)]
struct Side {
    brief: String,
    text: String,
}

#[derive(Debug, Deserialize)]
struct Pair {
    topic: String,
    a: Side,
    b: Side,
}

/// One claim of the test corpus, owned.
struct Claim {
    id: String,
    brief: String,
    order: usize,
    section: Vec<String>,
    kind: String,
    body: String,
    countries: Vec<String>,
    technologies: Vec<String>,
    policies: Vec<String>,
    see_also: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    out.sort();
    out
}

fn load_fragments(paths: &[PathBuf]) -> Vec<Claim> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable fragment");
            let frag = fragment::parse(&text)
                .unwrap_or_else(|e| panic!("{}:{}: {}", path.display(), e.line, e.message));
            let m = frag.meta;
            Claim {
                id: m.id.unwrap_or_default(),
                brief: m.brief.unwrap_or_default(),
                order: m.order.unwrap_or(0).max(0) as usize,
                section: m.section.unwrap_or_default(),
                kind: m.kind.unwrap_or_default(),
                body: frag.body,
                countries: m.countries.unwrap_or_default(),
                technologies: m.technologies.unwrap_or_default(),
                policies: m.policies.unwrap_or_default(),
                see_also: m.see_also,
            }
        })
        .collect()
}

fn load_terms(name: &str) -> Vec<RawTerm> {
    let path = root().join("content/taxonomy").join(format!("{name}.yaml"));
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        }
        Err(_) => Vec::new(),
    }
}

/// Rough sentences of every source, for use only while no claims exist:
/// footnote lines dropped, lines broken mid-sentence (or mid-word at a
/// hyphen) joined, list items and paragraphs kept apart.
fn fallback_claims() -> Vec<Claim> {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root().join("content/sources"))
        .expect("content/sources exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    sources.sort();
    let mut out = Vec::new();
    for path in sources {
        let brief = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("readable source");
        let mut order = 0;
        for para in paragraphs(&text) {
            for sentence in sentences(&para) {
                if sentence.split_whitespace().count() < 5 {
                    continue;
                }
                order += 1;
                out.push(Claim {
                    id: format!("{brief}-{order:04}"),
                    brief: brief.clone(),
                    order,
                    section: Vec::new(),
                    kind: "claim".to_string(),
                    body: sentence,
                    countries: Vec::new(),
                    technologies: Vec::new(),
                    policies: Vec::new(),
                    see_also: Vec::new(),
                });
            }
        }
    }
    out
}

const SUPERSCRIPTS: &[char] = &['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn paragraphs(text: &str) -> Vec<String> {
    let mut paras: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let is_note = line.starts_with(SUPERSCRIPTS)
            || line.contains("http")
            || line
                .split_once(" | ")
                .is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok());
        if line.is_empty() || is_note {
            continue;
        }
        let line: String = line.chars().filter(|c| !SUPERSCRIPTS.contains(c)).collect();
        let starts_lower = line.chars().next().is_some_and(char::is_lowercase);
        match paras.last_mut() {
            Some(prev) if starts_lower && prev.ends_with('-') => {
                prev.pop();
                prev.push_str(&line);
            }
            Some(prev) if starts_lower => {
                prev.push(' ');
                prev.push_str(&line);
            }
            _ => paras.push(line),
        }
    }
    paras
}

fn sentences(para: &str) -> Vec<String> {
    const ABBREV: &[&str] = &[
        "e.g.", "i.e.", "Mr.", "Dr.", "No.", "Vol.", "vs.", "St.", "al.", "Inc.", "Co.",
    ];
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = para.char_indices().collect();
    for (k, &(_, c)) in bytes.iter().enumerate() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        // The end mark may carry a closing quote and a glued footnote
        // number ("regulations.”88 In November").
        let mut j = k + 1;
        while bytes
            .get(j)
            .is_some_and(|x| matches!(x.1, '”' | '"' | '’' | ')') || x.1.is_ascii_digit())
        {
            j += 1;
        }
        let next = bytes.get(j).map(|x| x.1);
        let after = bytes.get(j + 1).map(|x| x.1);
        if next != Some(' ') || !after.is_some_and(|a| a.is_uppercase() || a == '“' || a == '"') {
            continue;
        }
        let i = bytes[j - 1].0;
        let word = para[..=bytes[k].0].rsplit(' ').next().unwrap_or("");
        let dotted = word.len() >= 2 && word.chars().filter(|&c| c == '.').count() >= 2;
        if ABBREV.contains(&word) || dotted || word.len() <= 2 {
            continue;
        }
        let end = i + bytes[j - 1].1.len_utf8();
        out.push(para[start..end].trim().to_string());
        start = end;
    }
    let rest = para[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Case, quotes, dashes, escapes and whitespace folded, so a substring
/// written from the source finds the claim as ingested.
fn norm(s: &str) -> String {
    let mapped: String = s
        .chars()
        .filter(|c| *c != '\\' && !SUPERSCRIPTS.contains(c))
        .map(|c| match c {
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn related_claims_recall_on_labelled_pairs() {
    let claims_dir = root().join("content/claims");
    let paths = md_files(&claims_dir);
    let fallback = paths.is_empty();
    let claims = if fallback {
        fallback_claims()
    } else {
        load_fragments(&paths)
    };
    let (countries, technologies, policies) = (
        load_terms("countries"),
        load_terms("technologies"),
        load_terms("policies"),
    );
    let vocab = Vocab::from_terms(&countries, &technologies, &policies);
    let view: Vec<XrefClaim<'_>> = claims
        .iter()
        .map(|c| XrefClaim {
            id: &c.id,
            brief: &c.brief,
            order: c.order,
            section: &c.section,
            kind: &c.kind,
            text: &c.body,
            countries: &c.countries,
            technologies: &c.technologies,
            policies: &c.policies,
            see_also: &c.see_also,
        })
        .collect();
    let x = xref::compute(&view, &vocab, &XrefOptions::default());

    let pairs: Vec<Pair> = serde_yaml::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/xref/pairs.yaml"))
            .expect("pairs.yaml"),
    )
    .expect("pairs.yaml parses");
    assert!(
        pairs.len() >= 30,
        "the labelled set needs at least 30 pairs"
    );

    let normed: Vec<String> = claims.iter().map(|c| norm(&c.body)).collect();
    let find = |side: &Side| -> Vec<usize> {
        let needle = norm(&side.text);
        (0..claims.len())
            .filter(|&i| claims[i].brief == side.brief && normed[i].contains(&needle))
            .collect()
    };
    let mut hits = 0;
    let mut report = Vec::new();
    for p in &pairs {
        assert_ne!(p.a.brief, p.b.brief, "{}: a pair joins two briefs", p.topic);
        let (a, b) = (find(&p.a), find(&p.b));
        let linked = |from: &[usize], to: &[usize]| {
            from.iter()
                .any(|&i| x.related[i].iter().any(|r| to.contains(&r.claim)))
        };
        if a.is_empty() || b.is_empty() {
            report.push(format!(
                "  not found: {} ({} in {}: {}, {} in {}: {})",
                p.topic,
                p.a.text,
                p.a.brief,
                a.len(),
                p.b.text,
                p.b.brief,
                b.len()
            ));
        } else if linked(&a, &b) || linked(&b, &a) {
            hits += 1;
        } else {
            report.push(format!(
                "  missed: {} ({} <-> {})",
                p.topic, claims[a[0]].id, claims[b[0]].id
            ));
        }
    }
    let recall = hits as f64 / pairs.len() as f64;
    let n = claims.len();
    let with_related = x.related.iter().filter(|r| !r.is_empty()).count();
    let coverage = with_related as f64 / n.max(1) as f64;
    let links: usize = x.related.iter().map(Vec::len).sum();
    println!(
        "corpus: {} ({n} claims)",
        if fallback {
            "FALLBACK sentences split from content/sources (content/claims is empty)"
        } else {
            "content/claims"
        }
    );
    println!("pair recall: {hits}/{} = {recall:.3}", pairs.len());
    println!(
        "claims with a related claim: {with_related}/{n} = {coverage:.3}; links per claim {:.2}",
        links as f64 / n.max(1) as f64
    );
    for line in &report {
        println!("{line}");
    }

    for (i, list) in x.related.iter().enumerate() {
        assert!(
            list.len() <= 5,
            "{} has {} related claims",
            claims[i].id,
            list.len()
        );
        for r in list.iter().filter(|r| !r.hand_made) {
            assert_ne!(
                claims[i].brief, claims[r.claim].brief,
                "{} -> same brief",
                claims[i].id
            );
        }
    }
    let (min_recall, min_coverage) = if fallback {
        (FALLBACK_MIN_RECALL, FALLBACK_MIN_COVERAGE)
    } else {
        (CORPUS_MIN_RECALL, CORPUS_MIN_COVERAGE)
    };
    assert!(
        recall >= min_recall,
        "pair recall {recall:.3} fell below {min_recall}"
    );
    assert!(
        coverage >= min_coverage,
        "share of claims with a related claim {coverage:.3} fell below {min_coverage}"
    );
}

/// Duplicate brief ids in the fallback would make every pair trivially
/// same-brief; guard the splitter itself.
#[test]
fn fallback_splitter_keeps_sentences_apart() {
    let s = sentences("The U.S. rule applies to 34 qubits. China leads in QKD, e.g. on satellites. Europe follows.");
    assert_eq!(
        s,
        [
            "The U.S. rule applies to 34 qubits.",
            "China leads in QKD, e.g. on satellites.",
            "Europe follows."
        ]
    );
    let p = paragraphs("to promote U.S. semiconductor manu-\nfacturing.\n\n¹ A note.\nNext one.");
    assert_eq!(
        p,
        ["to promote U.S. semiconductor manufacturing.", "Next one."]
    );
    let mut briefs: HashMap<String, usize> = HashMap::new();
    for c in fallback_claims() {
        *briefs.entry(c.brief).or_default() += 1;
    }
    assert_eq!(briefs.len(), 4, "{briefs:?}");
}
