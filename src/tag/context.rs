//! Tags a claim gets from where it stands rather than from what it says,
//! and the linguistic tests behind them.
//!
//! Four rules, each visible as its own kind of reason in `crossbrief
//! explain`, applied to a taxonomy as its entry in the taxonomy table says
//! (`inherit:`; the defaults in brackets):
//! - `headings` (technologies): a claim that names none of the taxonomy's
//!   terms is about those of its innermost section heading that names one,
//!   else of its chapter title, else of the brief's title when that title
//!   is about a single family of terms (a volume on "Batteries, Biotech,
//!   and Quantum" says nothing about which one an untagged sentence
//!   concerns);
//! - back-reference, `previous` (countries, technologies, any declared
//!   taxonomy) or `previous-topic` (policies): a claim that opens by
//!   referring back ("It", "This", "These restrictions", "Such ...", "In
//!   this context", "To implement this") continues the claim before it.
//!   With `previous` its terms join the claim's own: the referent is what
//!   the claim is about. With `previous-topic` they join when the opener
//!   takes up what was said ("This is ...", "These restrictions"), after a
//!   pronoun ("It", "They") only while the claim names no term of the
//!   taxonomy itself, and not when the opener names actors ("These firms")
//!   or sets a frame ("In this case"). A dummy "It is important to ..." and
//!   "This report ..." (the document itself) do not refer back;
//!   Besides these openers, a bare definite with an anaphoric head ("The
//!   rule applies ...", "The government should ...") and a demonstrative
//!   after a preposition in the opening phrase ("By working with these
//!   institutions, ...", "An important part of this effort ...") refer back;
//! - `pairs` (countries): "both countries", "the two nations" name the two
//!   terms of the claim before, or of the nearest heading or title naming
//!   exactly two;
//! - `actors` (countries): a claim naming none of the taxonomy's terms but
//!   a national actor or instrument ("the government", "federal",
//!   "domestic", "state-owned", "the Act") is about the one term the claim
//!   before names, else the one of the nearest heading or title naming
//!   exactly one; none when the claim before names several.

use std::sync::OnceLock;

use regex::Regex;

use super::tagger::{Origin, Tag, Tagger, Tagging};
use crate::content::acronym::Definitions;
use crate::content::matcher::Hit;
use crate::content::taxonomy::Previous;
use crate::content::vocab::TermIx;

/// Where a claim stands: the headings above it and the claim before it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The brief's title.
    pub brief_title: Option<&'a str>,
    /// The title of the claim's chapter (edited volumes).
    pub chapter_title: Option<&'a str>,
    /// The section path, outermost first.
    pub section: &'a [String],
    /// The final tags of the claim just before this one in the same section
    /// and chapter, with the id of that claim (if known) for explanations.
    pub previous: Option<(&'a Tagging, Option<&'a str>)>,
    /// The acronyms the claim's document defines ("post-quantum
    /// cryptography (PQC)"): a use of one stands for its long form.
    pub definitions: Option<&'a Definitions>,
}

/// A heading a claim may inherit technologies from.
enum Level {
    Section(String),
    Chapter(String),
    Brief(String),
}

impl Level {
    fn origin(&self, written: String) -> Origin {
        match self {
            Level::Section(heading) => Origin::Section {
                heading: heading.clone(),
                written,
            },
            Level::Chapter(title) => Origin::Chapter {
                title: title.clone(),
                written,
            },
            Level::Brief(title) => Origin::BriefTitle {
                title: title.clone(),
                written,
            },
        }
    }
}

impl Tagger {
    /// The tags of a claim's `text` standing in `ctx`: direct tags, then the
    /// inheritance rules of `context`.
    pub fn tag(&self, text: &str, ctx: &Context<'_>) -> Tagging {
        let mut out = self.direct_with(text, ctx.definitions);
        self.add_previous(&mut out, text, ctx);
        for (x, tax) in self.vocabulary().taxonomies.iter().enumerate() {
            if tax.def.inherit.pairs {
                self.add_pair(&mut out, x, text, ctx);
            }
        }
        for (x, tax) in self.vocabulary().taxonomies.iter().enumerate() {
            if tax.def.inherit.actors && out.tags[x].is_empty() {
                self.add_actor(&mut out, x, text, ctx);
            }
        }
        for (x, tax) in self.vocabulary().taxonomies.iter().enumerate() {
            if tax.def.inherit.headings && out.tags[x].is_empty() {
                out.tags[x] = self.inherited(x, ctx);
            }
        }
        out
    }

    /// The actor rule for taxonomy `x`: a claim naming none of its terms but
    /// a national actor or instrument ("the government", "federal
    /// funding", "the Act") is about the one term the claim before names,
    /// else the one of the innermost heading, the chapter title or the
    /// brief title that names exactly one. A claim before naming several
    /// leaves the actor ambiguous: nothing is inherited.
    pub(super) fn add_actor(&self, out: &mut Tagging, x: usize, text: &str, ctx: &Context<'_>) {
        let Some(phrase) = national_actor_phrase(text) else {
            return;
        };
        if let Some((prev, _)) = ctx.previous {
            if prev.tags[x].len() > 1 {
                return;
            }
        }
        let Some((ids, from)) = self.named_before(x, 1, ctx) else {
            return;
        };
        for id in ids {
            out.tags[x].push(Tag {
                id,
                origin: Origin::Actor {
                    phrase: phrase.to_string(),
                    from: from.clone(),
                },
            });
        }
        self.sort(out);
    }

    /// The back-reference rule: a claim opening with "It", "These
    /// restrictions", "In this context" continues the claim before it, whose
    /// countries and technologies join its own (the referent is what the
    /// claim is about). Its policy topics join as [`TopicPass`] says: when
    /// the opener takes up what the claim before said ("This is ...",
    /// "These restrictions"), after a personal pronoun only when the claim
    /// names no policy of its own, and never after a demonstrative naming
    /// actors ("These firms") or a frame ("In this case").
    pub(super) fn add_previous(&self, out: &mut Tagging, text: &str, ctx: &Context<'_>) {
        let (Some(back), Some((prev, prev_id))) = (back_reference(text), ctx.previous) else {
            return;
        };
        for (ti, list) in prev.tags.iter().enumerate() {
            let passes = match self.vocabulary().taxonomies[ti].def.inherit.previous {
                Previous::Never => false,
                Previous::Referent => true,
                // A topic goes on as the opener says, judged against the
                // claim's own terms of the same taxonomy.
                Previous::Topic => match back.topic {
                    TopicPass::Always => true,
                    TopicPass::UnlessOwn => out.tags[ti].is_empty(),
                    TopicPass::Never => false,
                },
            };
            if !passes {
                continue;
            }
            for t in list {
                if out.tags[ti].iter().any(|o| o.id == t.id) {
                    continue;
                }
                out.tags[ti].push(Tag {
                    id: t.id.clone(),
                    origin: Origin::Previous {
                        opener: back.opener.clone(),
                        claim: prev_id.map(str::to_string),
                    },
                });
            }
        }
        self.sort(out);
    }

    /// The pair rule for taxonomy `x`: "both countries", "the two nations"
    /// in a claim that names fewer than two of its terms itself.
    pub(super) fn add_pair(&self, out: &mut Tagging, x: usize, text: &str, ctx: &Context<'_>) {
        if out.tags[x].len() >= 2 {
            return;
        }
        let Some(phrase) = pair_reference_phrase(text) else {
            return;
        };
        for tag in self.pair_terms(x, phrase, ctx) {
            if !out.tags[x].iter().any(|t| t.id == tag.id) {
                out.tags[x].push(tag);
            }
        }
        self.sort(out);
    }

    /// The two terms of taxonomy `x` "both countries" refers to: those of
    /// the previous claim if it names exactly two, else of the innermost
    /// heading, the chapter title or the brief title that names exactly two.
    fn pair_terms(&self, x: usize, phrase: &str, ctx: &Context<'_>) -> Vec<Tag> {
        let Some((ids, from)) = self.named_before(x, 2, ctx) else {
            return Vec::new();
        };
        ids.into_iter()
            .map(|id| Tag {
                id,
                origin: Origin::Pair {
                    phrase: phrase.to_string(),
                    from: from.clone(),
                },
            })
            .collect()
    }

    /// The `n` terms of taxonomy `x` named just before a claim, with where
    /// they were named: the previous claim if it names exactly `n`, else the
    /// innermost section heading, the chapter title or the brief title that
    /// names exactly `n`.
    fn named_before(&self, x: usize, n: usize, ctx: &Context<'_>) -> Option<(Vec<String>, String)> {
        if let Some((prev, prev_id)) = ctx.previous {
            if prev.tags[x].len() == n {
                let ids = prev.tags[x].iter().map(|t| t.id.clone()).collect();
                let from = match prev_id {
                    Some(id) => format!("the previous claim {id}"),
                    None => "the previous claim".to_string(),
                };
                return Some((ids, from));
            }
        }
        let mut levels: Vec<(String, &str)> = ctx
            .section
            .iter()
            .rev()
            .map(|h| (format!("section \"{h}\""), h.as_str()))
            .collect();
        levels.extend(ctx.chapter_title.map(|t| (format!("chapter \"{t}\""), t)));
        levels.extend(
            ctx.brief_title
                .map(|t| (format!("the brief title \"{t}\""), t)),
        );
        for (from, text) in levels {
            let ids = self.direct(text).tags[x]
                .iter()
                .map(|t| t.id.clone())
                .collect::<Vec<_>>();
            if ids.len() == n {
                return Some((ids, from));
            }
        }
        None
    }

    /// Terms of one taxonomy from the innermost section heading that names
    /// any, else the chapter title, else a brief title about a single
    /// family of terms.
    pub(super) fn inherited(&self, taxonomy: usize, ctx: &Context<'_>) -> Vec<Tag> {
        let from = |text: &str| -> Vec<Hit> {
            self.hits(text)
                .into_iter()
                .filter(|h| h.taxonomy == taxonomy)
                .collect()
        };
        let mut levels: Vec<(Vec<Hit>, Level)> = Vec::new();
        for heading in ctx.section.iter().rev() {
            levels.push((from(heading), Level::Section(heading.clone())));
        }
        if let Some(title) = ctx.chapter_title {
            levels.push((from(title), Level::Chapter(title.to_string())));
        }
        if let Some(title) = ctx.brief_title {
            let hits = from(title);
            let tax = &self.vocabulary().taxonomies[taxonomy];
            let mut roots: Vec<TermIx> = hits.iter().map(|h| tax.root(h.term as TermIx)).collect();
            roots.sort_unstable();
            roots.dedup();
            if roots.len() == 1 {
                levels.push((hits, Level::Brief(title.to_string())));
            }
        }
        let Some((hits, level)) = levels.into_iter().find(|(hits, _)| !hits.is_empty()) else {
            return Vec::new();
        };
        let mut out = Tagging::empty(self.vocabulary().taxonomies.len());
        for h in hits {
            self.push(&mut out, taxonomy, h.term, level.origin(h.written));
        }
        self.sort(&mut out);
        std::mem::take(&mut out.tags[taxonomy])
    }
}

/// Nouns that, after "This"/"These", name the document rather than the
/// previous sentence's subject ("This report argues ...").
const DOCUMENT_NOUNS: &str = "report|reports|chapter|chapters|paper|papers|essay|essays|perspective|study|studies|section|sections|brief|article|volume|analysis|book|note|appendix|table|figure|box|document";

fn back_reference_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"^(?:["'“‘(\[]\s*)?(?:(?:In|For|Given|Despite|Because of|Beyond|Under|With|Against|Amid|Through)\s+(?:this|these|that|those|such)\b|To this end\b|To\s+\w+\s+(?:this|these|that|those|such)\b|As such\b|(?:It|Its|They|Their|Them|This|These|Those|That|Such|Both|He|She|His|Her)\b)"#,
        )
        .expect("the back-reference pattern is valid")
    })
}

fn document_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?i:(?:in|for|throughout|within|under)\s+)?(?i:this|these)\s+(?i:{DOCUMENT_NOUNS})\b"
        ))
        .expect("the document-reference pattern is valid")
    })
}

/// Words after "This"/"These" that are not its head noun ("These are ...").
const NOT_HEAD_NOUNS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "can", "could", "will",
    "would", "may", "might", "must", "should", "do", "does", "did", "also", "in", "of", "and",
    "not", "include", "includes", "included", "means", "shows", "suggests", "reflects",
];

/// "It is important to ...", "It was clear that ...": a dummy subject, not a
/// reference back.
fn expletive_it() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^It\s+(?:is|was|will be|would be|may be|might be|could be|should be|can be|has been|had been|seems|seemed|remains|appears|becomes|became|takes|took)\s+(?:\S+\s+){0,3}?(?:to|that|whether|how|why|for|when|if)\b",
        )
        .expect("the expletive pattern is valid")
    })
}

/// How a claim opens by referring back to the claim before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackReference {
    /// The opening words, for explanations ("These restrictions", "It").
    pub opener: String,
    /// Whether the policy topics of the claim before pass on.
    pub topic: TopicPass,
}

/// Whether the policy topics of the claim before pass on to a claim that
/// refers back to it. Countries and technologies always do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicPass {
    /// The opener takes up what the claim before said, so its topic is
    /// this claim's too: a demonstrative standing alone ("This is part of
    /// ...", which points at the whole statement before), a demonstrative
    /// with a noun that renames it ("These restrictions", "Such measures",
    /// "Despite these controls") and "To this end".
    Always,
    /// A personal pronoun ("It", "They", "Its") or "Both" points at
    /// entities (a country, a firm, an act) rather than at what was said of
    /// them: the topic goes on only while the claim names none of its own
    /// ("It has since broadened the rule"), not when it does ("It also
    /// shows a resolve to build a supply chain").
    UnlessOwn,
    /// A demonstrative naming actors ("These firms", "This agency") or a
    /// frame ("In this case", "In this context", "As such"): the claim
    /// moves on from what was said.
    Never,
}

/// Openers that point at an entity, not at the statement before.
const PERSONAL_OPENERS: &[&str] = &[
    "It", "Its", "They", "Their", "Them", "He", "She", "His", "Her", "Both",
];

/// Nouns naming actors: after "These"/"This" they point at who acted in the
/// claim before, not at what it said ("These firms", "This agency").
const ACTOR_NOUNS: &[&str] = &[
    "policymaker",
    "policymakers",
    "lawmaker",
    "lawmakers",
    "legislator",
    "legislators",
    "official",
    "officials",
    "leader",
    "leaders",
    "government",
    "governments",
    "administration",
    "administrations",
    "agency",
    "agencies",
    "ministry",
    "ministries",
    "department",
    "departments",
    "country",
    "countries",
    "nation",
    "nations",
    "state",
    "states",
    "economy",
    "economies",
    "partner",
    "partners",
    "ally",
    "allies",
    "company",
    "companies",
    "firm",
    "firms",
    "corporation",
    "corporations",
    "business",
    "businesses",
    "startup",
    "startups",
    "start-up",
    "start-ups",
    "maker",
    "makers",
    "manufacturer",
    "manufacturers",
    "producer",
    "producers",
    "supplier",
    "suppliers",
    "investor",
    "investors",
    "researcher",
    "researchers",
    "scientist",
    "scientists",
    "engineer",
    "engineers",
    "expert",
    "experts",
    "analyst",
    "analysts",
    "scholar",
    "scholars",
    "student",
    "students",
    "people",
    "individual",
    "individuals",
    "author",
    "authors",
    "institution",
    "institutions",
    "university",
    "universities",
    "lab",
    "labs",
    "laboratory",
    "laboratories",
    "organization",
    "organizations",
    "organisation",
    "organisations",
    "player",
    "players",
    "actor",
    "actors",
    "stakeholder",
    "stakeholders",
    "member",
    "members",
    "group",
    "groups",
    "team",
    "teams",
];

/// Nouns that make "In this ...", "Given this ..." a frame for the claim
/// rather than a reference to what was said ("In this case").
const FRAME_NOUNS: &[&str] = &[
    "case",
    "cases",
    "context",
    "regard",
    "respect",
    "sense",
    "way",
    "light",
    "vein",
    "scenario",
    "scenarios",
    "situation",
    "connection",
    "instance",
    "point",
    "time",
    "period",
    "environment",
    "climate",
    "stage",
    "moment",
    "setting",
    "backdrop",
    "background",
    "view",
    "respects",
    "ways",
];

/// The opening words of `text` when they refer back to the previous claim
/// ("These restrictions", "It", "In this context"), else `None`.
pub fn back_reference_opener(text: &str) -> Option<String> {
    back_reference(text).map(|b| b.opener)
}

/// How `text` opens by referring back to the previous claim, if it does.
pub fn back_reference(text: &str) -> Option<BackReference> {
    let t = text.trim_start();
    if document_reference().is_match(t) || expletive_it().is_match(t) {
        return None;
    }
    let Some(m) = back_reference_pattern().find(t) else {
        return definite_reference(t).or_else(|| demonstrative_in_subject(t));
    };
    // "That" opening a noun clause ("That China leads is clear") and "Both"
    // ending in "and" are too rare to special-case; the determiners below
    // take the next word as their head noun for the explanation.
    let opener = m
        .as_str()
        .trim_start_matches(['"', '\'', '“', '‘', '(', '['])
        .trim();
    let rest = &t[m.end()..];
    let determiner = matches!(
        opener,
        "This" | "These" | "Those" | "That" | "Such" | "Both"
    );
    let head = rest
        .split_whitespace()
        .next()
        .filter(|w| determiner && w.chars().next().is_some_and(char::is_lowercase))
        .filter(|w| !NOT_HEAD_NOUNS.contains(&w.trim_end_matches(|c: char| !c.is_alphanumeric())))
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    let first = opener.split_whitespace().next().unwrap_or_default();
    let topic = if PERSONAL_OPENERS.contains(&first) {
        TopicPass::UnlessOwn
    } else if opener == "As such" {
        TopicPass::Never
    } else if first == "To" {
        TopicPass::Always
    } else {
        // A demonstrative, alone or after a preposition: its noun phrase is
        // the next word or two, up to a verb or punctuation.
        let mut noun_phrase = Vec::new();
        for w in rest.split_whitespace().take(2) {
            let bare = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            let lower = bare.to_lowercase();
            if NOT_HEAD_NOUNS.contains(&lower.as_str()) {
                break;
            }
            noun_phrase.push(lower);
            if bare.len() != w.len() {
                break;
            }
        }
        let moves_on = noun_phrase
            .iter()
            .any(|w| ACTOR_NOUNS.contains(&w.as_str()) || FRAME_NOUNS.contains(&w.as_str()));
        if moves_on {
            TopicPass::Never
        } else {
            TopicPass::Always
        }
    };
    let opener = match head {
        Some(w) if !w.is_empty() => format!("{opener} {w}"),
        _ => opener.to_string(),
    };
    Some(BackReference { opener, topic })
}

/// Words and phrases that name a national actor or instrument without
/// naming the country: the actor rule resolves them to the one country in
/// context.
fn national_actor() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:(?:the|its|their)\s+(?:government|administration|country|nation|legislature|parliament|ministry|cabinet|president|prime minister)|government(?:-led|-backed|-funded|-sponsored|wide|-wide)?|governmental|federal|national|nationwide|domestic|domestically|policymakers|lawmakers|legislators|state(?:-owned|-led|-backed|-run|-funded|-sponsored)|the state(?: of)?)\b|\bthe\s+(?:Act|Rule|rule|law)\b",
        )
        .expect("the national-actor pattern is valid")
    })
}

/// The phrase by which a claim names a national actor or instrument
/// ("the government", "federal", "the Act"), if any.
pub fn national_actor_phrase(text: &str) -> Option<&str> {
    national_actor()
        .find_iter(text)
        .map(|m| m.as_str())
        // "the state of the art" is no state.
        .find(|m| !m.ends_with(" of"))
}

/// Head nouns that, in a bare definite ("The rule applies ..."), name a
/// thing mentioned before rather than a kind: a rule, a law, a programme,
/// a government.
const ANAPHORIC_NOUNS: &[&str] = &[
    "rule",
    "rules",
    "act",
    "law",
    "laws",
    "regulation",
    "regulations",
    "program",
    "programme",
    "programs",
    "programmes",
    "initiative",
    "initiatives",
    "policy",
    "policies",
    "measure",
    "measures",
    "strategy",
    "plan",
    "agreement",
    "framework",
    "effort",
    "efforts",
    "move",
    "decision",
    "ban",
    "restrictions",
    "controls",
    "project",
    "partnership",
    "government",
    "administration",
    "agency",
    "ministry",
    "country",
    "company",
    "firm",
    "label",
    "definition",
    "mission",
    "deal",
    "alliance",
    "dialogue",
    "legislation",
    "bill",
    "order",
    "statement",
];

/// "The rule applies ...", "The government should ...": a sentence opening
/// with "The" and an anaphoric head noun takes up a thing named before.
fn definite_reference(t: &str) -> Option<BackReference> {
    let rest = t.strip_prefix("The ")?;
    let word = rest.split_whitespace().next()?;
    let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    if !ANAPHORIC_NOUNS.contains(&bare) {
        return None;
    }
    // "The rule of law", "The act of ...": a kind, not a thing named before.
    let after = rest[word.len()..].trim_start();
    if bare.len() == word.len() && (after.starts_with("of ") || after.starts_with("that ")) {
        return None;
    }
    let topic = if ACTOR_NOUNS.contains(&bare) {
        TopicPass::Never
    } else {
        TopicPass::Always
    };
    Some(BackReference {
        opener: format!("The {bare}"),
        topic,
    })
}

/// Nouns after "this"/"these" that point at time, not at what was said
/// ("this year", "these days").
const TIME_NOUNS: &[&str] = &[
    "year", "years", "month", "months", "week", "weeks", "decade", "decades", "century", "day",
    "days", "spring", "summer", "autumn", "fall", "winter", "quarter",
];

/// Words after which a demonstrative opens a phrase that takes up what was
/// said ("part of this effort", "By working with these institutions").
const PREPOSITIONS: &[&str] = &[
    "of", "with", "on", "by", "from", "to", "for", "under", "in", "through", "after", "despite",
    "against", "beyond", "upon", "like", "without",
];

/// The most words before a demonstrative that may still be the opening
/// phrase of the sentence ("By working with these institutions, ...", "An
/// important part of this effort ...").
const MAX_WORDS_BEFORE_DEMONSTRATIVE: usize = 5;

/// A demonstrative in the sentence's opening phrase, before its first
/// comma ("By working with these institutions, Korean firms ..."): the
/// phrase takes up what the claim before named. "Such as" is not one, nor
/// are time words ("this year") or the document ("this report").
fn demonstrative_in_subject(t: &str) -> Option<BackReference> {
    let head = t.split([',', ';', ':']).next().unwrap_or(t);
    let words: Vec<&str> = head.split_whitespace().collect();
    let limit = words.len().min(MAX_WORDS_BEFORE_DEMONSTRATIVE + 1);
    for i in 1..limit {
        let w = words[i];
        if !matches!(w, "this" | "these" | "those" | "such")
            || !PREPOSITIONS.contains(&words[i - 1].to_lowercase().as_str())
        {
            continue;
        }
        let next = words.get(i + 1)?;
        let noun = next
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let not_a_reference = noun.is_empty()
            || noun == "as"
            || TIME_NOUNS.contains(&noun.as_str())
            || DOCUMENT_NOUNS.split('|').any(|d| d == noun)
            || NOT_HEAD_NOUNS.contains(&noun.as_str());
        if not_a_reference {
            return None;
        }
        let moves_on = ACTOR_NOUNS.contains(&noun.as_str()) || FRAME_NOUNS.contains(&noun.as_str());
        return Some(BackReference {
            opener: format!("{} {}", words[..=i].join(" "), noun),
            topic: if moves_on {
                TopicPass::Never
            } else {
                TopicPass::Always
            },
        });
    }
    None
}

fn pair_reference() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:both|the two)\s+(?:countries|nations|governments|states|sides|allies|partners|economies)\b")
            .expect("the pair pattern is valid")
    })
}

/// The phrase by which a claim refers to two countries named before it
/// ("both countries", "the two nations"), if any.
pub fn pair_reference_phrase(text: &str) -> Option<&str> {
    pair_reference().find(text).map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::taxonomy::Table;
    use crate::content::vocab::Vocabulary;

    fn tagger() -> Tagger {
        let c = "- {id: united-states, name: US, aliases: [U.S., United States]}\n\
                 - {id: china, name: China, aliases: [China]}\n\
                 - {id: south-korea, name: South Korea, aliases: [ROK, South Korea]}\n";
        let t = "- {id: batteries, name: Batteries, aliases: [battery, batteries]}\n\
                 - {id: biotechnology, name: Biotechnology, aliases: [biotech]}\n\
                 - {id: quantum-technology, name: Quantum, aliases: [quantum]}\n\
                 - {id: quantum-computing, name: QC, parent: quantum-technology, aliases: [quantum computing]}\n";
        let p = "- {id: export-controls, name: Export controls, aliases: [export controls]}\n";
        Tagger::new(Vocabulary::from_texts(&Table::defaults(), &[c, t, p]).unwrap()).unwrap()
    }

    fn ids(t: &Tagging, ti: usize) -> Vec<&str> {
        t.tags[ti].iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn technologies_come_from_the_nearest_heading_that_names_one() {
        let t = tagger();
        let section = vec!["Quantum Computing".to_string(), "Overview".to_string()];
        let ctx = Context {
            brief_title: Some("Quantum and Batteries"),
            chapter_title: Some("The Battery Chapter"),
            section: &section,
            previous: None,
            definitions: None,
        };
        let got = t.tag("Resilience matters.", &ctx);
        assert_eq!(ids(&got, 1), ["quantum-computing"]);
        assert!(
            matches!(&got.tags[1][0].origin, Origin::Section { heading, .. } if heading == "Quantum Computing")
        );
        // a claim naming its own technology inherits nothing
        assert_eq!(ids(&t.tag("Biotech matters.", &ctx), 1), ["biotechnology"]);
        // no heading names one: the chapter title
        let ctx = Context {
            section: &[],
            ..ctx
        };
        assert_eq!(ids(&t.tag("Resilience matters.", &ctx), 1), ["batteries"]);
        // a brief title about two families says nothing; about one, it does
        let ctx = Context {
            chapter_title: None,
            ..ctx
        };
        assert!(t.tag("Resilience matters.", &ctx).tags[1].is_empty());
        let ctx = Context {
            brief_title: Some("Quantum computing and quantum"),
            ..ctx
        };
        assert_eq!(
            ids(&t.tag("Resilience matters.", &ctx), 1),
            ["quantum-technology", "quantum-computing"]
        );
    }

    #[test]
    fn back_references_and_pairs_bring_the_previous_claims_tags() {
        let t = tagger();
        let base = Context::default();
        let prev = t.tag("The U.S. tightened export controls on China.", &base);
        let ctx = Context {
            previous: Some((&prev, Some("c-1"))),
            ..base
        };
        let got = t.tag("These restrictions also hit South Korea.", &ctx);
        assert_eq!(ids(&got, 0), ["united-states", "china", "south-korea"]);
        assert_eq!(ids(&got, 2), ["export-controls"]);
        assert_eq!(
            got.tags[2][0].origin.to_string(),
            "inherited from the previous claim c-1 (the claim opens with \"These restrictions\")"
        );
        // no back-reference, no inheritance
        assert!(t.tag("Korea also acts.", &ctx).tags[2].is_empty());
        // "both countries": the pair of the claim before, else of a heading
        let two = t.tag("The U.S. and the ROK met.", &base);
        let ctx = Context {
            previous: Some((&two, None)),
            ..base
        };
        assert_eq!(
            ids(&t.tag("Both countries gain.", &ctx), 0),
            ["united-states", "south-korea"]
        );
        let section = vec!["U.S.-ROK Cooperation".to_string()];
        let ctx = Context {
            section: &section,
            ..base
        };
        let got = t.tag("The two countries should act.", &ctx);
        assert_eq!(ids(&got, 0), ["united-states", "south-korea"]);
        assert_eq!(
            got.tags[0][0].origin.to_string(),
            "inherited: \"The two countries\" refers to the two countries of section \"U.S.-ROK Cooperation\""
        );
    }

    #[test]
    fn policies_pass_on_as_the_opener_says() {
        let c = "- {id: united-states, name: US, aliases: [U.S.]}\n\
                 - {id: china, name: China, aliases: [China]}\n";
        let p = "- {id: export-controls, name: Export controls, aliases: [export controls]}\n\
                 - {id: supply-chains, name: Supply chains, aliases: [supply chain]}\n";
        let t =
            Tagger::new(Vocabulary::from_texts(&Table::defaults(), &[c, "", p]).unwrap()).unwrap();
        let base = Context::default();
        let prev = t.tag("The U.S. tightened export controls on China.", &base);
        let ctx = Context {
            previous: Some((&prev, None)),
            ..base
        };
        for (text, policies) in [
            (
                "These restrictions also hit allies.",
                &["export-controls"][..],
            ),
            (
                "This is part of a supply chain push.",
                &["export-controls", "supply-chains"],
            ),
            ("Despite these measures, trade grew.", &["export-controls"]),
            ("To this end, a desk was set up.", &["export-controls"]),
            ("It has since broadened the rule.", &["export-controls"]),
            (
                "It also shows a resolve to build a supply chain.",
                &["supply-chains"],
            ),
            ("These firms moved away.", &[]),
            ("In this case, allies should wait.", &[]),
        ] {
            let got = t.tag(text, &ctx);
            assert_eq!(ids(&got, 0), ["united-states", "china"], "{text}");
            assert_eq!(ids(&got, 2), policies, "{text}");
        }
    }

    #[test]
    fn what_a_back_reference_passes_on() {
        use TopicPass::{Always, Never, UnlessOwn};
        let cases = [
            ("This, in turn, matters.", Always),
            ("These new controls bite.", Always),
            ("Such measures are rare.", Always),
            ("To implement this, a lab was set up.", Always),
            ("They limit the exchange of knowledge.", UnlessOwn),
            ("Its budget grew.", UnlessOwn),
            ("These Chinese companies grew.", Never),
            ("This agency acts.", Never),
            ("In this context, Korea acts.", Never),
            ("As such, it matters.", Never),
        ];
        for (text, want) in cases {
            let got = back_reference(text).map(|b| b.topic);
            assert_eq!(got, Some(want), "{text}");
        }
    }

    #[test]
    fn a_national_actor_is_the_one_country_named_before() {
        let t = tagger();
        let base = Context::default();
        let one = t.tag("The U.S. tightened its rules.", &base);
        let two = t.tag("The U.S. and China met.", &base);
        let none = t.tag("Markets grew.", &base);
        let section = vec!["Policy in South Korea".to_string(), "Funding".to_string()];
        let under = |prev: &Tagging, text: &str| -> Vec<String> {
            let ctx = Context {
                section: &section,
                previous: Some((prev, None)),
                ..base
            };
            t.tag(text, &ctx).tags[0]
                .iter()
                .map(|t| t.id.clone())
                .collect()
        };
        // the claim before names one: that one
        assert_eq!(under(&one, "Federal funding rose."), ["united-states"]);
        // it names none: the innermost heading naming one
        assert_eq!(under(&none, "The government should act."), ["south-korea"]);
        // it names two: the actor is ambiguous
        assert!(under(&two, "Federal rules should change.").is_empty());
        // no national actor, or a country of its own: nothing inherited
        assert!(under(&one, "Costs fell.").is_empty());
        assert_eq!(under(&one, "China's government acts."), ["china"]);
        let ctx = Context {
            section: &section,
            ..base
        };
        assert_eq!(
            t.tag("Domestic firms gain.", &ctx).tags[0][0]
                .origin
                .to_string(),
            "inherited: \"Domestic\" is a national actor, the one named in section \"Policy in South Korea\""
        );
        for (text, want) in [
            ("the state has formulated plans", Some("the state")),
            ("the state of the art", None),
            ("state-owned firms", Some("state-owned")),
            ("international partners", None),
            ("Government-led programs", Some("Government-led")),
        ] {
            assert_eq!(national_actor_phrase(text), want, "{text}");
        }
    }

    #[test]
    fn definite_and_embedded_references() {
        use TopicPass::{Always, Never};
        let cases = [
            ("The rule applies to qubits.", Some(("The rule", Always))),
            (
                "The government should act.",
                Some(("The government", Never)),
            ),
            ("The rule of law matters.", None),
            ("The market grew.", None),
            (
                "By working with these institutions, firms gain.",
                Some(("By working with these institutions", Never)),
            ),
            (
                "An important part of this effort is trade.",
                Some(("An important part of this effort", Always)),
            ),
            ("Firms such as these grew.", None),
            ("How important this development is, nobody knows.", None),
            ("In 2024 of this year, firms grew.", None),
            (
                "Most of these firms left.",
                Some(("Most of these firms", Never)),
            ),
        ];
        for (text, want) in cases {
            let got = back_reference(text);
            assert_eq!(
                got.as_ref().map(|b| (b.opener.as_str(), b.topic)),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn pair_references() {
        assert_eq!(
            pair_reference_phrase("so both countries gain"),
            Some("both countries")
        );
        assert_eq!(
            pair_reference_phrase("The two nations agreed."),
            Some("The two nations")
        );
        assert_eq!(pair_reference_phrase("two countries of five"), None);
    }

    #[test]
    fn back_references() {
        let cases = [
            ("It reports over $15 billion in funding.", Some("It")),
            (
                "These restrictions apply to qubits.",
                Some("These restrictions"),
            ),
            ("This, in turn, matters.", Some("This")),
            ("Such controls are rare.", Some("Such controls")),
            ("They limit the exchange of knowledge.", Some("They")),
            ("In this context, Korea acts.", Some("In this")),
            ("To this end, the US funds labs.", Some("To this end")),
            (
                "To implement this, a lab was set up.",
                Some("To implement this"),
            ),
            ("“These are hard,” she said.", Some("These")),
            ("It is important to note that China leads.", None),
            ("It is essential for allies to coordinate.", None),
            ("This report examines batteries.", None),
            ("These chapters discuss it.", None),
            ("In this Perspective, I do not assume a background.", None),
            ("Italy joined.", None),
            ("Itself a leader, China ...", None),
            ("China leads.", None),
            ("Thus, it matters.", None),
        ];
        for (text, want) in cases {
            assert_eq!(back_reference_opener(text).as_deref(), want, "{text}");
        }
    }
}
