//! The reusable [`Tagger`]: the vocabulary and its compiled matcher, loaded
//! once, turning a text into the tags it earns by itself, with reasons; the
//! rules that add tags from where a claim stands are `context`'s, which
//! also combines both (`Tagger::tag`).
//!
//! Direct tags come from `matcher` hits in the text itself; inherited ones
//! from the rules of `context`. Every tag carries its [`Origin`], so that
//! `crossbrief explain` and any later stage can tell them apart.

use std::fmt;
use std::path::Path;

use std::collections::HashMap;

use crate::content::acronym::{self, Definitions};
use crate::content::matcher::{normalise, Hit, Matcher, Role};
use crate::content::schema::TagSet;
use crate::content::vocab::{TermIx, Vocabulary};
use crate::diag::Failure;

/// Why a tag was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The claim's text names the term: `written` is the vocabulary entry,
    /// `found` the text as found, `span` its byte range in the normalised
    /// text (`matcher::normalise`).
    Direct {
        role: Role,
        written: String,
        found: String,
        span: (usize, usize),
    },
    /// An acronym the text or its document defines ("PQC" after
    /// "post-quantum cryptography (PQC)"), whose long form names the term
    /// through the vocabulary entry `written`.
    Acronym {
        short: String,
        long: String,
        role: Role,
        written: String,
        span: (usize, usize),
    },
    /// Inherited from a section heading (taxonomies with the `headings` rule).
    Section { heading: String, written: String },
    /// Inherited from the chapter title (`headings` rule).
    Chapter { title: String, written: String },
    /// Inherited from the brief's title (`headings` rule).
    BriefTitle { title: String, written: String },
    /// Taken over from the previous claim, which this one continues.
    Previous {
        opener: String,
        claim: Option<String>,
    },
    /// "Both countries", "the two nations": the pair named just before
    /// (`from` says where: the previous claim, a heading, the title).
    Pair { phrase: String, from: String },
    /// "The government", "federal funding": a national actor or instrument
    /// whose one term is named just before (`from`, as for `Pair`).
    Actor { phrase: String, from: String },
}

impl Origin {
    /// Where in the claim's normalised text the tag was found, for direct
    /// tags.
    pub fn span(&self) -> Option<(usize, usize)> {
        match self {
            Origin::Direct { span, .. } | Origin::Acronym { span, .. } => Some(*span),
            _ => None,
        }
    }

    /// True when the claim's own text produced the tag.
    pub fn is_direct(&self) -> bool {
        matches!(self, Origin::Direct { .. } | Origin::Acronym { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Direct {
                role,
                written,
                found,
                ..
            } if written == found => {
                write!(f, "direct: {} \"{written}\"", role.label())
            }
            Origin::Direct {
                role,
                written,
                found,
                ..
            } => {
                write!(f, "direct: {} \"{written}\" (as \"{found}\")", role.label())
            }
            Origin::Acronym {
                short,
                long,
                role,
                written,
                ..
            } => {
                write!(
                    f,
                    "direct: \"{short}\", defined in the text as \"{long}\" ({} \"{written}\")",
                    role.label()
                )
            }
            Origin::Section { heading, written } => {
                write!(f, "inherited from section \"{heading}\" (\"{written}\")")
            }
            Origin::Chapter { title, written } => {
                write!(f, "inherited from chapter \"{title}\" (\"{written}\")")
            }
            Origin::BriefTitle { title, written } => {
                write!(
                    f,
                    "inherited from the brief title \"{title}\" (\"{written}\")"
                )
            }
            Origin::Pair { phrase, from } => {
                write!(
                    f,
                    "inherited: \"{phrase}\" refers to the two countries of {from}"
                )
            }
            Origin::Actor { phrase, from } => {
                write!(
                    f,
                    "inherited: \"{phrase}\" is a national actor, the one named in {from}"
                )
            }
            Origin::Previous { opener, claim } => {
                write!(f, "inherited from the previous claim")?;
                if let Some(c) = claim {
                    write!(f, " {c}")?;
                }
                write!(f, " (the claim opens with \"{opener}\")")
            }
        }
    }
}

/// One tag with the reason it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The term id.
    pub id: String,
    /// Why the tag was given.
    pub origin: Origin,
}

/// The tags of one text, per taxonomy of the vocabulary (in its order),
/// each list in vocabulary order and free of duplicates (the first reason is
/// kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tagging {
    /// One list per taxonomy.
    pub tags: Vec<Vec<Tag>>,
}

impl Tagging {
    /// No tags, for `n` taxonomies.
    pub fn empty(n: usize) -> Tagging {
        Tagging {
            tags: vec![Vec::new(); n],
        }
    }
}

/// The vocabulary and its matcher, loaded once and used for any number of
/// texts.
#[derive(Debug, Clone)]
pub struct Tagger {
    vocab: Vocabulary,
    matcher: Matcher,
}

impl Tagger {
    /// Compiles a checked vocabulary.
    pub fn new(vocab: Vocabulary) -> anyhow::Result<Tagger> {
        let matcher = Matcher::new(&vocab)?;
        Ok(Tagger { vocab, matcher })
    }

    /// Loads the taxonomy table and vocabularies of the site at `root`.
    ///
    /// # Errors
    /// Every problem of site.yaml's taxonomies and of every vocabulary, each
    /// with its file and line.
    pub fn load(root: &Path) -> Result<Tagger, Failure> {
        let vocab = Vocabulary::load(root).map_err(Failure::Content)?;
        Tagger::new(vocab).map_err(Failure::Io)
    }

    /// The tag ids of a tagging as a [`TagSet`], every taxonomy in order.
    pub fn tag_set(&self, tagging: &Tagging) -> TagSet {
        let mut set = TagSet::default();
        for (tax, list) in self.vocab.taxonomies.iter().zip(&tagging.tags) {
            set.set(tax.id(), list.iter().map(|t| t.id.clone()).collect());
        }
        set
    }

    /// The vocabulary the tagger was built from.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Every alias and cue occurrence in `text` (see `matcher`).
    pub fn hits(&self, text: &str) -> Vec<Hit> {
        self.matcher.find(text)
    }

    /// The tags `text` earns by itself, without context (acronyms count as
    /// the text itself defines them).
    pub fn direct(&self, text: &str) -> Tagging {
        self.direct_with(text, None)
    }

    /// The tags `text` earns by itself, reading acronyms as the text, else
    /// its document (`doc`), defines them: a use of a defined acronym tags
    /// what its long form names, and an acronym the vocabulary lists with
    /// its own expansion ("IP", intellectual property) does not count where
    /// the text defines it as something else ("Internet Protocol (IP)").
    pub fn direct_with(&self, text: &str, doc: Option<&Definitions>) -> Tagging {
        let own = if text.contains('(') {
            Definitions::from_texts([text])
        } else {
            Definitions::default()
        };
        let long_of = |short: &str| own.long(short).or_else(|| doc.and_then(|d| d.long(short)));
        // The hits of each long form, found once per claim.
        let mut expanded: HashMap<String, Vec<Hit>> = HashMap::new();
        let mut out = Tagging::empty(self.vocab.taxonomies.len());
        let hits = self.matcher.find(text);
        // A regional alias gives way to a named member ("European firms
        // such as Finland's Bluefors" is about Finland).
        let named: std::collections::HashSet<(usize, TermIx)> = hits
            .iter()
            .map(|h| (h.taxonomy, h.term as TermIx))
            .collect();
        for h in hits {
            if h.role == Role::Regional {
                let members = &self.vocab.taxonomies[h.taxonomy].terms[h.term].members;
                if members.iter().any(|&m| named.contains(&(h.taxonomy, m))) {
                    continue;
                }
            }
            if let Some(long) = long_of(&h.found) {
                let hits = expanded
                    .entry(long.to_string())
                    .or_insert_with(|| self.matcher.find(long));
                if !hits
                    .iter()
                    .any(|l| (l.taxonomy, l.term) == (h.taxonomy, h.term))
                    && self.expands_otherwise(h.taxonomy, h.term, &h.found, long)
                {
                    continue;
                }
            }
            let origin = Origin::Direct {
                role: h.role,
                written: h.written,
                found: h.found,
                span: (h.start, h.end),
            };
            self.push(&mut out, h.taxonomy, h.term, origin);
        }
        let norm = normalise(text);
        let mut uses = own.uses(&norm);
        if let Some(d) = doc {
            uses.extend(d.uses(&norm));
        }
        for (start, end, short, long) in uses {
            let hits = expanded
                .entry(long.to_string())
                .or_insert_with(|| self.matcher.find(long));
            for l in hits.iter() {
                let origin = Origin::Acronym {
                    short: short.to_string(),
                    long: long.to_string(),
                    role: l.role,
                    written: l.written.clone(),
                    span: (start, end),
                };
                self.push(&mut out, l.taxonomy, l.term, origin);
            }
        }
        self.sort(&mut out);
        out
    }

    /// True when the vocabulary lists an expansion of `short` for the term
    /// (an alias or cue whose initials spell it) and `long`, the text's
    /// expansion, is not one of them.
    fn expands_otherwise(&self, taxonomy: usize, term: usize, short: &str, long: &str) -> bool {
        let t = &self.vocab.taxonomies[taxonomy].terms[term];
        let mut own = t
            .aliases
            .iter()
            .chain(&t.cues)
            .filter(|w| acronym::expands(short, w));
        match own.next() {
            None => false,
            Some(first) => {
                let same = |w: &String| w.eq_ignore_ascii_case(long);
                !same(first) && !own.any(same)
            }
        }
    }

    /// Adds a tag unless the term is already there (the first reason wins).
    pub(super) fn push(&self, out: &mut Tagging, taxonomy: usize, term: usize, origin: Origin) {
        let id = &self.vocab.taxonomies[taxonomy].terms[term].id;
        if !out.tags[taxonomy].iter().any(|t| &t.id == id) {
            out.tags[taxonomy].push(Tag {
                id: id.clone(),
                origin,
            });
        }
    }

    /// Puts each list in vocabulary order, so files list tags stably.
    pub(super) fn sort(&self, out: &mut Tagging) {
        for (ti, list) in out.tags.iter_mut().enumerate() {
            let tax = &self.vocab.taxonomies[ti];
            list.sort_by_key(|t| tax.position(&t.id).unwrap_or(TermIx::MAX));
        }
    }

    /// Orders term ids of one taxonomy as the vocabulary lists them; unknown
    /// ids (a person's typo, reported by the build) keep their place at the end.
    pub fn order_ids(&self, taxonomy: usize, ids: &mut [String]) {
        let tax = &self.vocab.taxonomies[taxonomy];
        ids.sort_by_key(|id| tax.position(id).unwrap_or(TermIx::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::taxonomy::Table;

    fn tagger() -> Tagger {
        let c =
            "- {id: united-states, name: US, aliases: [U.S.], cues: [Inflation Reduction Act]}\n";
        let t =
            "- {id: post-quantum-cryptography, name: PQC, aliases: [post-quantum cryptography]}\n";
        let p = "- {id: intellectual-property, name: IP, aliases: [intellectual property, IP]}\n\
                 - {id: industrial-policy, name: Industrial policy, cues: [Inflation Reduction Act]}\n";
        Tagger::new(Vocabulary::from_texts(&Table::defaults(), &[c, t, p]).unwrap()).unwrap()
    }

    fn ids(t: &Tagging) -> Vec<Vec<&str>> {
        t.tags
            .iter()
            .map(|l| l.iter().map(|t| t.id.as_str()).collect())
            .collect()
    }

    #[test]
    fn a_regional_alias_gives_way_to_a_named_member() {
        let c = "- {id: european-union, name: EU, aliases: [European Union, EU], regional_aliases: [Europe, European], members: [finland]}\n\
                 - {id: finland, name: Finland, aliases: [Finland, Finnish]}\n\
                 - {id: japan, name: Japan, aliases: [Japan]}\n";
        let t = Tagger::new(Vocabulary::from_texts(&Table::defaults(), &[c]).unwrap()).unwrap();
        let countries = |text: &str| -> Vec<String> {
            t.direct(text).tags[0]
                .iter()
                .map(|t| t.id.clone())
                .collect()
        };
        assert_eq!(countries("European firms lead."), ["european-union"]);
        assert_eq!(
            countries("European firms such as Finnish Bluefors."),
            ["finland"]
        );
        assert_eq!(
            countries("Europe and Japan lead."),
            ["european-union", "japan"]
        );
        // the Union by name stays
        assert_eq!(
            countries("The European Union and Finland agreed."),
            ["european-union", "finland"]
        );
        assert_eq!(
            t.direct("Europe leads.").tags[0][0].origin.to_string(),
            "direct: regional alias \"Europe\""
        );
    }

    #[test]
    fn acronyms_mean_what_the_document_defines() {
        let t = tagger();
        let doc = Definitions::from_texts([
            "The move to post-quantum cryptography (PQC) and the Inflation Reduction Act (IRA).",
            "Devices get an Internet Protocol (IP) address.",
        ]);
        // a use of a defined acronym tags what its long form names
        let got = t.direct_with("The IRA funds PQC pilots.", Some(&doc));
        assert_eq!(
            ids(&got),
            [
                vec!["united-states"],
                vec!["post-quantum-cryptography"],
                vec!["industrial-policy"]
            ]
        );
        assert_eq!(
            got.tags[1][0].origin.to_string(),
            "direct: \"PQC\", defined in the text as \"post-quantum cryptography\" (alias \"post-quantum cryptography\")"
        );
        // an acronym the vocabulary expands otherwise does not count here
        assert!(t.direct_with("Each IP is logged.", Some(&doc)).tags[2].is_empty());
        // without the document's definition, it does
        assert_eq!(
            ids(&t.direct("Each IP is protected.")),
            [vec![], vec![], vec!["intellectual-property"]]
        );
        // a definition in the claim itself counts too
        assert!(t.direct("An Internet Protocol (IP) address.").tags[2].is_empty());
        assert_eq!(
            ids(&t.direct("Its intellectual property (IP) is protected.")),
            [vec![], vec![], vec!["intellectual-property"]]
        );
    }
}
