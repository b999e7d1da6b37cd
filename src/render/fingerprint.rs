//! Fingerprints of what pages show, for the incremental rebuild: a
//! fingerprint per entity (claim, claim as a link, brief, term), from which
//! each page kind computes the fingerprint of its own inputs next to its
//! context (`pages::inputs`). A page whose fingerprint did not move between
//! two builds is not re-rendered.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::content::model::{ClaimIx, Site, TermIx};
use crate::render::inputs::Prepared;
use crate::xref::{Annotations, Figure};

/// A fast 64-bit hasher for fingerprints (change detection only: the same
/// page's old and new inputs are compared, never adversarial input).
#[derive(Clone, Copy)]
pub struct Fp(u64);

impl Default for Fp {
    fn default() -> Self {
        Fp(0x243f_6a88_85a3_08d3)
    }
}

impl Fp {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0 ^ w.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .rotate_left(31)
            .wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    }
}

impl Hasher for Fp {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
}

/// The fingerprint of some bytes.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = Fp::default();
    h.write(b);
    h.write_u64(b.len() as u64);
    h.finish()
}

pub fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = Fp::default();
    v.hash(&mut h);
    h.finish()
}

/// Fingerprints of every entity a page can show, for one build.
pub struct Fingerprints {
    /// Per claim: its file, what other files resolve into it, its rendering.
    claim: Vec<u64>,
    /// Per claim: as a link or list item elsewhere (the claim and its brief).
    claim_link: Vec<u64>,
    /// Per brief: as shown on any page (its file and claim count).
    brief_item: Vec<u64>,
    /// Per brief: its page's own inputs (claim order, note back-references).
    brief_page: Vec<u64>,
    /// Whether any template reads a related claim's `score`: scores move
    /// a little on every edit (term weights are corpus-wide), and most
    /// themes never show them.
    scores: bool,
    /// Per taxonomy, per term: as a link (id and count).
    term_link: Vec<Vec<u64>>,
    /// Per taxonomy, per term: its pages' own inputs (the claim list).
    term_page: Vec<Vec<u64>>,
}

impl Fingerprints {
    /// The fingerprints of `site`'s entities; `text` is the hash of a
    /// content file's text by path (claims and briefs), `scores` whether
    /// any template reads a related claim's score.
    pub fn new(
        site: &Site,
        prepared: &Prepared,
        text: &(dyn Fn(&str) -> u64 + Sync),
        scores: bool,
    ) -> Fingerprints {
        let brief_item: Vec<u64> = site
            .briefs
            .iter()
            .map(|b| {
                let mut h = Fp::default();
                b.id.hash(&mut h);
                text(&b.path).hash(&mut h);
                b.claims.len().hash(&mut h);
                h.finish()
            })
            .collect();
        let id = |c: ClaimIx| site.claims[c as usize].id.as_str();
        let brief_page = site
            .briefs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut h = Fp::default();
                brief_item[i].hash(&mut h);
                for &c in &b.claims {
                    id(c).hash(&mut h);
                }
                for n in &b.notes {
                    n.cited_by.len().hash(&mut h);
                    for &c in &n.cited_by {
                        id(c).hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect();
        let claim: Vec<u64> = site
            .claims
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let mut h = Fp::default();
                c.id.hash(&mut h);
                text(&c.path).hash(&mut h);
                site.briefs[c.brief as usize].id.hash(&mut h);
                for list in [&c.see_also, &c.seen_from, &prepared.section_start[i]] {
                    list.len().hash(&mut h);
                    for &o in list {
                        id(o).hash(&mut h);
                    }
                }
                h.finish()
            })
            .collect();
        let claim_link = site
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut h = Fp::default();
                claim[i].hash(&mut h);
                brief_item[c.brief as usize].hash(&mut h);
                h.finish()
            })
            .collect();
        let term_link = site
            .taxonomies
            .iter()
            .zip(&site.term_claims)
            .map(|(t, index)| {
                t.terms
                    .iter()
                    .zip(index)
                    .map(|(term, tc)| hash_of(&(term.id.as_str(), tc.claims.len())))
                    .collect()
            })
            .collect();
        let term_page = site
            .taxonomies
            .iter()
            .zip(&site.term_claims)
            .map(|(t, index)| {
                t.terms
                    .iter()
                    .zip(index)
                    .map(|(term, tc)| {
                        let mut h = Fp::default();
                        term.id.hash(&mut h);
                        tc.direct.hash(&mut h);
                        for &c in &tc.claims {
                            id(c).hash(&mut h);
                        }
                        h.finish()
                    })
                    .collect()
            })
            .collect();
        Fingerprints {
            scores,
            claim,
            claim_link,
            brief_item,
            brief_page,
            term_link,
            term_page,
        }
    }
}

/// The fingerprint of one page's inputs being computed: the entity
/// fingerprints it reads, added in the order its context reads them.
pub struct PageHash<'a> {
    pub fps: &'a Fingerprints,
    pub site: &'a Site,
    pub ann: &'a Annotations,
    pub h: Fp,
}

impl<'a> PageHash<'a> {
    /// Starts the fingerprint of the page in folder `dir`.
    pub fn new(fps: &'a Fingerprints, site: &'a Site, ann: &'a Annotations, dir: &str) -> Self {
        let mut h = Fp::default();
        dir.hash(&mut h);
        PageHash { fps, site, ann, h }
    }

    /// Adds anything hashable.
    pub fn add<T: Hash + ?Sized>(&mut self, v: &T) {
        v.hash(&mut self.h);
    }

    /// Adds a claim as a link or list item shows it (its fingerprint
    /// covers its id).
    pub fn link(&mut self, c: ClaimIx) {
        if let Some(f) = self.fps.claim_link.get(c as usize) {
            f.hash(&mut self.h);
        }
    }

    /// Adds a claim in full (its page's own entity).
    pub fn claim(&mut self, c: ClaimIx) {
        self.fps.claim[c as usize].hash(&mut self.h);
    }

    /// Adds a brief as any page shows it.
    pub fn brief_item(&mut self, b: usize) {
        self.fps.brief_item[b].hash(&mut self.h);
    }

    /// Adds a brief's own page inputs.
    pub fn brief_page(&mut self, b: usize) {
        self.fps.brief_page[b].hash(&mut self.h);
    }

    /// Adds a term as a link (id, claim count).
    pub fn term(&mut self, x: usize, t: TermIx) {
        if let Some(f) = self.fps.term_link.get(x).and_then(|v| v.get(t as usize)) {
            (x, t).hash(&mut self.h);
            f.hash(&mut self.h);
        }
    }

    /// Adds a term's own page inputs (its claim list).
    pub fn term_page(&mut self, x: usize, t: TermIx) {
        self.fps.term_page[x][t as usize].hash(&mut self.h);
    }

    /// Adds a figure as shown.
    pub fn figure(&mut self, f: &Figure) {
        f.kind.as_str().hash(&mut self.h);
        f.label.hash(&mut self.h);
        f.text.hash(&mut self.h);
    }

    /// Adds a related claim's score, when some template shows scores.
    pub fn score(&mut self, score: f32) {
        if self.fps.scores {
            score.to_bits().hash(&mut self.h);
        }
    }

    /// The fingerprint.
    pub fn finish(&self) -> u64 {
        self.h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_tell_bytes_apart() {
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
        assert_ne!(hash_bytes(b"12345678"), hash_bytes(b"123456789"));
        assert_eq!(hash_bytes(b"same"), hash_bytes(b"same"));
    }
}
