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

use super::matcher::{Hit, Matcher, Role};
use crate::content::schema::TagSet;
use crate::content::vocab::{TermIx, Vocabulary};
use crate::diag::Failure;

/// Why a tag was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The claim's text names the term: `written` is the vocabulary entry,
    /// `found` the text as found.
    Direct {
        role: Role,
        written: String,
        found: String,
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
    /// True when the claim's own text produced the tag.
    pub fn is_direct(&self) -> bool {
        matches!(self, Origin::Direct { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Direct {
                role,
                written,
                found,
            } if written == found => {
                write!(f, "direct: {} \"{written}\"", role.label())
            }
            Origin::Direct {
                role,
                written,
                found,
            } => {
                write!(f, "direct: {} \"{written}\" (as \"{found}\")", role.label())
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

    /// The tags `text` earns by itself, without context.
    pub fn direct(&self, text: &str) -> Tagging {
        let mut out = Tagging::empty(self.vocab.taxonomies.len());
        for h in self.matcher.find(text) {
            let origin = Origin::Direct {
                role: h.role,
                written: h.written,
                found: h.found,
            };
            self.push(&mut out, h.taxonomy, h.term, origin);
        }
        self.sort(&mut out);
        out
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
