//! The incremental cross-reference engine of watch mode: an [`XrefState`]
//! keeps what [`compute`](super::compute) derives from each claim (its
//! counted terms, figures, tags, vector, query terms and related claims)
//! and the corpus statistics (document frequencies, capitalisation and
//! surface counts per word, figure postings), and, given the site before
//! and after an edit, recomputes only what the edit can change. The result
//! is identical to `compute` on the new site (`tests/xref_incremental.rs`).
//!
//! Why local recomputation is exact (docs/xref.md, "Incremental update"):
//! a claim's vector depends on its own text and on the weights of its own
//! terms (BM25 normalises against a fixed length, not the corpus average),
//! and a term's weight on its document frequency, its capitalisation and
//! the number of claims. Sums are exact and ties are broken by what terms
//! and claims are, so the state may number new terms after old ones. An
//! edit that adds, removes, renames or moves claims (the number of claims,
//! every weight, or the claims' order, the tie-break, moves) recomputes
//! everything.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::concepts::Concepts;
use super::cooc::{self, Direction};
use super::figures::Figure;
use super::index::{better_label, slot, term_weight, weigh_row, Batch, Csr, TextIndex, PAIR_BIT};
use super::index::{fixed, rank_key, unfixed};
use super::related::{self, Features, Found, Lists};
use super::{
    brief_overlap_of, hand_links, read_claim, related_lists, search_of, tag_aggregates, tag_lists,
    Annotations, Clock, XrefOptions,
};
use crate::content::model::{ClaimIx, Site, TermIx};

/// One claim's text as the index counts it, in the state's term ids.
#[derive(Debug, Clone, Default)]
struct ClaimText {
    /// (term, frequency), ascending term id.
    row: Vec<(u32, u32)>,
    /// Per word: (word term, capitalised occurrences, occurrences).
    caps: Vec<(u32, u32, u32)>,
    /// (surface, occurrences).
    surfaces: Vec<(u32, u32)>,
}

/// A claim's text and figures, read from its body.
struct Read {
    batch: Batch,
    figures: Vec<Figure>,
}

fn read(concepts: &Concepts, brief: u32, body: &str) -> Read {
    let (normal, figures, mentions) = read_claim(concepts, brief, body);
    Read {
        figures,
        batch: Batch::read(&[normal.as_str()], &[mentions]),
    }
}

/// The cross-references of a site, kept between watch rebuilds.
pub struct XrefState {
    opts: XrefOptions,
    /// The concepts claims are read with (the site's vocabularies and
    /// acronyms).
    concepts: Concepts,
    /// Claim ids and briefs of the site described, in reading order.
    ids: Vec<String>,
    briefs: Vec<u32>,
    /// Term ids of stems (words) and of pairs of word ids.
    stem_ids: FxHashMap<String, u32>,
    pair_ids: FxHashMap<(u32, u32), u32>,
    /// Surface forms: id, word (term id), text, occurrences in the corpus.
    surface_ids: FxHashMap<String, u32>,
    surface_word: Vec<u32>,
    surface_text: Vec<String>,
    surface_count: Vec<u32>,
    /// Per word (index into the index's stems): its surface forms, and
    /// (capitalised occurrences, occurrences).
    word_surfaces: Vec<Vec<u32>>,
    caps: Vec<(u32, u32)>,
    /// Per word: its term id.
    word_term: Vec<u32>,
    /// Per term slot: claims holding it, ascending; its weight.
    holders: Vec<Vec<u32>>,
    weight: Vec<f32>,
    /// Per claim: its counted text, its vector.
    texts: Vec<ClaimText>,
    vectors: Vec<Vec<(u32, f32)>>,
    index: TextIndex,
    /// Figures: id of each key, key, bonus, claims stating it (ascending),
    /// label shown (that of the first claim stating it).
    fig_ids: FxHashMap<String, u32>,
    fig_keys: Vec<String>,
    fig_bonus: Vec<u32>,
    fig_holders: Vec<Vec<u32>>,
    fig_labels: Vec<String>,
    /// Per claim: figure ids ascending, and as stated.
    figs: Vec<Vec<u32>>,
    fig_order: Vec<Vec<u32>>,
    /// Per claim: direct tag ids, hand-made links, and what its related
    /// search read and found.
    tags: Vec<Vec<u32>>,
    hand: Vec<Vec<ClaimIx>>,
    found: Vec<Found>,
    /// Per claim: which way it points, if it is a recommendation that says
    /// (for the opposing recommendations).
    directions: Vec<Option<Direction>>,
    annotations: Annotations,
    /// Claims whose related search and related list the last update redid.
    redone: (usize, usize),
}

impl XrefState {
    /// The cross-references of `site`, computed in full.
    pub fn new(site: &Site, opts: &XrefOptions) -> XrefState {
        let mut state = XrefState {
            opts: opts.clone(),
            concepts: Concepts::new(site),
            ids: Vec::new(),
            briefs: Vec::new(),
            stem_ids: FxHashMap::default(),
            pair_ids: FxHashMap::default(),
            surface_ids: FxHashMap::default(),
            surface_word: Vec::new(),
            surface_text: Vec::new(),
            surface_count: Vec::new(),
            word_surfaces: Vec::new(),
            caps: Vec::new(),
            word_term: Vec::new(),
            holders: Vec::new(),
            weight: Vec::new(),
            texts: Vec::new(),
            vectors: Vec::new(),
            index: TextIndex::default(),
            fig_ids: FxHashMap::default(),
            fig_keys: Vec::new(),
            fig_bonus: Vec::new(),
            fig_holders: Vec::new(),
            fig_labels: Vec::new(),
            figs: Vec::new(),
            fig_order: Vec::new(),
            tags: Vec::new(),
            hand: Vec::new(),
            found: Vec::new(),
            directions: Vec::new(),
            annotations: Annotations::default(),
            redone: (0, 0),
        };
        let reads: Vec<Read> = site
            .claims
            .par_iter()
            .map(|c| read(&state.concepts, c.brief, &c.body))
            .collect();
        state.rebuild(site, reads);
        state
    }

    /// What the last computation gives the render.
    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    /// (related searches, related lists) the last update redid.
    pub fn redone(&self) -> (usize, usize) {
        self.redone
    }

    /// Brings the state from `old` (the site it was built or last updated
    /// from) to `new`; afterwards [`XrefState::annotations`] equals
    /// `compute(new)`.
    pub fn update(&mut self, old: &Site, new: &Site) {
        let same_claims = old.claims.len() == new.claims.len()
            && self.ids.len() == new.claims.len()
            && new
                .claims
                .iter()
                .zip(self.ids.iter().zip(&self.briefs))
                .all(|(c, (id, &b))| c.id == *id && c.brief == b)
            && old.taxonomies.len() == new.taxonomies.len()
            && old
                .taxonomies
                .iter()
                .zip(&new.taxonomies)
                .all(|(a, b)| a.terms.len() == b.terms.len())
            // Other vocabularies or acronyms may read any claim otherwise.
            && self.concepts.are_those_of(new);
        if !same_claims {
            // Every weight (the number of claims) or tie-break (the order)
            // may move: everything again.
            *self = XrefState::new(new, &self.opts);
            return;
        }
        let edited: Vec<usize> = (0..new.claims.len())
            .filter(|&i| old.claims[i].body != new.claims[i].body)
            .collect();
        let reads: Vec<Read> = edited
            .par_iter()
            .map(|&i| read(&self.concepts, new.claims[i].brief, &new.claims[i].body))
            .collect();
        // The aggregates made from tags and kinds alone stay as they are
        // when no claim's tags or kind moved.
        let tags_same = old
            .claims
            .iter()
            .zip(&new.claims)
            .all(|(a, b)| a.tags == b.tags && a.kind == b.kind);
        self.apply(new, &edited, reads, tags_same);
    }

    /// Everything from the claims' reads (one per claim).
    fn rebuild(&mut self, site: &Site, reads: Vec<Read>) {
        let mut clock = Clock::new();
        let n = site.claims.len();
        self.ids = site.claims.iter().map(|c| c.id.clone()).collect();
        self.briefs = site.claims.iter().map(|c| c.brief).collect();
        self.texts = vec![ClaimText::default(); n];
        self.vectors = vec![Vec::new(); n];
        self.figs = vec![Vec::new(); n];
        self.fig_order = vec![Vec::new(); n];
        self.annotations.figures = vec![Vec::new(); n];
        let mut touched = Touched::default();
        for (i, r) in reads.into_iter().enumerate() {
            let t = self.intern(&r.batch);
            self.count(i, &t, 1, &mut touched);
            self.texts[i] = t;
            self.set_figures(i, r.figures, &mut touched);
        }
        for w in 0..self.caps.len() {
            self.index.labels[w] = self.label_of(w);
        }
        for f in 0..self.fig_keys.len() {
            self.fig_labels[f] = self.fig_label_of(f);
        }
        for s in 0..self.weight.len() {
            self.weight[s] = self.weight_of(s, n);
        }
        for i in 0..n {
            self.vectors[i] = self.vector(i);
        }
        clock.lap("texts");
        self.index.docs = Csr::from_rows(&self.vectors);
        self.index.postings = self.index.docs.transpose(self.index.terms());
        clock.lap("text index");
        self.tags = lists_to_vecs(&tag_lists(site), n);
        self.hand = hand_links(site);
        let all: Vec<usize> = (0..n).collect();
        self.found = vec![Found::default(); n];
        self.annotations.related = vec![Vec::new(); n];
        self.search(&all);
        clock.lap("related search");
        self.lists(&all);
        clock.lap("related lists");
        self.directions = cooc::directions(site);
        self.aggregates(site);
        clock.lap("tag aggregates");
        self.redone = (n, n);
        self.annotations.timings = clock.laps;
    }

    /// An update of the claims `edited` (same claims, same order).
    fn apply(&mut self, site: &Site, edited: &[usize], reads: Vec<Read>, tags_same: bool) {
        let mut clock = Clock::new();
        let n = site.claims.len();
        let max_df = self.opts.max_df.unwrap_or(1000);
        // The edited claims' old contributions out, new ones in.
        let mut touched = Touched::default();
        let mut old_df: FxHashMap<u32, u32> = FxHashMap::default();
        for &i in edited {
            for &(t, _) in &self.texts[i].row {
                old_df.entry(t).or_insert(self.index_df(t));
            }
        }
        let mut old_figs: FxHashMap<usize, Vec<u32>> = FxHashMap::default();
        for (&i, r) in edited.iter().zip(reads) {
            old_figs.insert(i, self.figs[i].clone());
            let old = std::mem::take(&mut self.texts[i]);
            self.count(i, &old, -1, &mut touched);
            let t = self.intern(&r.batch);
            for &(term, _) in &t.row {
                old_df.entry(term).or_insert(self.index_df(term));
            }
            self.count(i, &t, 1, &mut touched);
            self.texts[i] = t;
            self.set_figures(i, r.figures, &mut touched);
        }
        // Claims whose vector moves: the edited ones and the holders of
        // every term whose weight (or whether it is stored) moved.
        let mut changed: FxHashSet<usize> = edited.iter().copied().collect();
        let mut crossing: Vec<u32> = Vec::new();
        for (&t, &before) in &old_df {
            let s = slot(t);
            let w = self.weight_of(s, n);
            let after = self.holders[s].len() as u32;
            if w.to_bits() != self.weight[s].to_bits() || (before > 1) != (after > 1) {
                self.weight[s] = w;
                changed.extend(self.holders[s].iter().map(|&c| c as usize));
            }
            let stored = |df: u32| if df > 1 { df as usize } else { 0 };
            if (stored(before) <= max_df) != (stored(after) <= max_df) {
                crossing.push(t);
            }
        }
        // Words whose capitalisation moved may change weight too.
        for &w in &touched.words {
            let s = self.word_slot(w);
            let weight = self.weight_of(s, n);
            if weight.to_bits() != self.weight[s].to_bits() {
                self.weight[s] = weight;
                changed.extend(self.holders[s].iter().map(|&c| c as usize));
            }
        }
        let mut relabelled: FxHashSet<usize> = FxHashSet::default();
        for &w in &touched.words {
            let label = self.label_of(w as usize);
            if label != self.index.labels[w as usize] {
                self.index.labels[w as usize] = label;
                relabelled.extend(self.holders[self.word_slot(w)].iter().map(|&c| c as usize));
            }
        }
        for &f in &touched.figs {
            let label = self.fig_label_of(f as usize);
            if label != self.fig_labels[f as usize] {
                self.fig_labels[f as usize] = label;
                relabelled.extend(self.fig_holders[f as usize].iter().map(|&c| c as usize));
            }
        }
        let tags = lists_to_vecs(&tag_lists(site), n);
        let hand = hand_links(site);
        changed.extend((0..n).filter(|&i| tags[i] != self.tags[i]));
        let hand_moved: Vec<usize> = (0..n).filter(|&i| hand[i] != self.hand[i]).collect();
        self.tags = tags;
        self.hand = hand;
        let mut changed: Vec<usize> = changed.into_iter().collect();
        changed.sort_unstable();
        // Per changed claim: the terms its old vector stored that the new
        // one does not, and the figures it no longer states.
        let mut old_terms: FxHashMap<usize, Vec<u32>> = FxHashMap::default();
        for &c in &changed {
            let v = self.vector(c);
            let gone: Vec<u32> = self.vectors[c]
                .iter()
                .map(|e| e.0)
                .filter(|t| v.binary_search_by_key(t, |e| e.0).is_err())
                .collect();
            if !gone.is_empty() {
                old_terms.insert(c, gone);
            }
            self.vectors[c] = v;
        }
        clock.lap("texts");
        self.index.docs = Csr::from_rows(&self.vectors);
        self.index.postings = self.index.docs.transpose(self.index.terms());
        clock.lap("text index");
        // Claims whose related claims may move: the changed ones; those
        // whose query holds a term whose postings grew or shrank so that
        // the budget reads other postings; the holders of terms and figures
        // that crossed `max_df`; those of which a changed claim was a
        // candidate, or becomes one (its new partial score beats the
        // claim's cutoff). Any other claim reads the same postings, finds
        // the same candidates and scores them the same.
        let mut search: FxHashSet<usize> = changed.iter().copied().collect();
        let queried = |y: usize, t: u32| {
            self.found[y]
                .query
                .binary_search_by_key(&t, |e| e.0)
                .ok()
                .map(|k| self.found[y].query[k])
        };
        // Claims whose query holds a term whose postings grew or shrank:
        // searched again if the budget now reads other postings.
        let mut grown: FxHashSet<usize> = FxHashSet::default();
        for (&t, &before) in &old_df {
            if before as usize != self.holders[slot(t)].len() {
                for &(y, _) in self.index.postings.row(slot(t)) {
                    if queried(y as usize, t).is_some() {
                        grown.insert(y as usize);
                    }
                }
            }
        }
        let reads_moved = |y: usize| {
            let mut query: Vec<(f32, u32, bool)> = self.found[y]
                .query
                .iter()
                .map(|&(t, w, r)| (w, t, r))
                .collect();
            query.sort_unstable_by(|a, b| self.index.rank_terms(&(a.0, a.1), &(b.0, b.1)));
            let mut budget = self.opts.max_postings;
            query.iter().any(|&(_, t, was)| {
                let len = self.index.postings.row_len(slot(t));
                let read = len <= budget;
                if read {
                    budget -= len;
                }
                read != was
            })
        };
        search.extend(grown.into_iter().filter(|&y| reads_moved(y)));
        for &t in &crossing {
            search.extend(self.holders[slot(t)].iter().map(|&c| c as usize));
        }
        for &f in &touched.figs {
            let f = f as usize;
            let now = self.fig_holders[f].len();
            let before = touched.fig_len.get(&(f as u32)).copied().unwrap_or(now);
            if (now <= max_df) != (before <= max_df) {
                search.extend(self.fig_holders[f].iter().map(|&c| c as usize));
            }
        }
        let mut partial: FxHashMap<u32, u64> = FxHashMap::default();
        for &x in &changed {
            partial.clear();
            let own = self.briefs[x];
            let mut consider = |y: u32, add: Option<u64>, search: &mut FxHashSet<usize>| {
                let yu = y as usize;
                if yu == x || self.briefs[yu] == own || search.contains(&yu) {
                    return;
                }
                if self.found[yu].cands.binary_search(&(x as u32)).is_ok() {
                    search.insert(yu);
                } else if let Some(v) = add {
                    *partial.entry(y).or_insert(0) += v.max(1);
                }
            };
            for &(t, wx) in &self.vectors[x] {
                for &(y, _) in self.index.postings.row(slot(t)) {
                    if let Some((_, wy, true)) = queried(y as usize, t) {
                        consider(y, Some(fixed(wy * wx)), &mut search);
                    }
                }
            }
            for &t in old_terms.get(&x).map_or(&[][..], Vec::as_slice) {
                for &(y, _) in self.index.postings.row(slot(t)) {
                    if let Some((_, _, true)) = queried(y as usize, t) {
                        consider(y, None, &mut search);
                    }
                }
            }
            for &f in self.figs[x]
                .iter()
                .chain(old_figs.get(&x).map_or(&[][..], Vec::as_slice))
            {
                let holders = &self.fig_holders[f as usize];
                if holders.len() > max_df {
                    continue;
                }
                let add = self.figs[x]
                    .binary_search(&f)
                    .is_ok()
                    .then(|| fixed(self.fig_bonus[f as usize] as f32 / 1000.0));
                for &y in holders {
                    consider(y, add, &mut search);
                }
            }
            for (&y, &acc) in &partial {
                if rank_key(unfixed(acc), x as u32) < self.found[y as usize].cutoff {
                    search.insert(y as usize);
                }
            }
        }
        let mut search: Vec<usize> = search.into_iter().collect();
        search.sort_unstable();
        self.search(&search);
        clock.lap("related search");
        // Related lists: those searched again, those whose hand-made links
        // moved or point to a changed claim, those showing a label that
        // moved.
        let mut lists: FxHashSet<usize> = search.iter().copied().collect();
        lists.extend(hand_moved);
        for &c in &changed {
            lists.extend(self.hand[c].iter().map(|&j| j as usize));
        }
        lists.extend(relabelled);
        let mut lists: Vec<usize> = lists.into_iter().collect();
        lists.sort_unstable();
        self.lists(&lists);
        clock.lap("related lists");
        for &i in edited {
            self.directions[i] = cooc::directions_of(site, i);
        }
        if tags_same {
            self.aggregates_after(site, edited, &lists);
        } else {
            self.aggregates(site);
        }
        clock.lap("tag aggregates");
        self.redone = (search.len(), lists.len());
        self.annotations.timings = clock.laps;
    }

    /// Claims storing term `t` (its postings before this update).
    fn index_df(&self, t: u32) -> u32 {
        self.holders.get(slot(t)).map_or(0, |h| h.len() as u32)
    }

    fn word_slot(&self, w: u32) -> usize {
        slot(self.word_term[w as usize])
    }

    /// A claim's batch in the state's ids, new terms and surfaces added.
    fn intern(&mut self, batch: &Batch) -> ClaimText {
        let words: Vec<u32> = batch
            .stems
            .iter()
            .map(|stem| {
                if let Some(&t) = self.stem_ids.get(stem) {
                    return t;
                }
                let t = self.new_slot(self.index.stems.len() as u32);
                self.index.stems.push(stem.clone());
                self.index.labels.push(String::new());
                self.word_surfaces.push(Vec::new());
                self.caps.push((0, 0));
                self.word_term.push(t);
                self.stem_ids.insert(stem.clone(), t);
                t
            })
            .collect();
        let pairs: Vec<u32> = batch
            .pairs
            .iter()
            .map(|&(a, b)| {
                let key = (words[a as usize], words[b as usize]);
                if let Some(&t) = self.pair_ids.get(&key) {
                    return t;
                }
                let t = PAIR_BIT | self.new_slot(PAIR_BIT | self.index.parts.len() as u32);
                self.index.parts.push(key);
                self.pair_ids.insert(key, t);
                t
            })
            .collect();
        let mut row: Vec<(u32, u32)> = batch
            .rows
            .first()
            .map(|r| {
                r.iter()
                    .map(|&(local, tf)| {
                        let t = if local & PAIR_BIT != 0 {
                            pairs[(local & !PAIR_BIT) as usize]
                        } else {
                            words[local as usize]
                        };
                        (t, tf)
                    })
                    .collect()
            })
            .unwrap_or_default();
        row.sort_unstable();
        let caps = batch
            .capitals
            .iter()
            .zip(&words)
            .map(|(&(c, a), &w)| (self.index.kinds[slot(w)], c, a))
            .collect();
        let surfaces = batch
            .surfaces
            .iter()
            .map(|(surface, local, count)| {
                let id = match self.surface_ids.get(surface) {
                    Some(&s) => s,
                    None => {
                        let s = self.surface_text.len() as u32;
                        let word = self.index.kinds[slot(words[*local as usize])];
                        self.surface_ids.insert(surface.clone(), s);
                        self.surface_text.push(surface.clone());
                        self.surface_word.push(word);
                        self.surface_count.push(0);
                        self.word_surfaces[word as usize].push(s);
                        s
                    }
                };
                (id, *count)
            })
            .collect();
        ClaimText {
            row,
            caps,
            surfaces,
        }
    }

    /// A new term slot of kind `kind`; returns the slot.
    fn new_slot(&mut self, kind: u32) -> u32 {
        let s = self.index.kinds.len() as u32;
        self.index.kinds.push(kind);
        self.holders.push(Vec::new());
        self.weight.push(0.0);
        s
    }

    /// Adds (`sign` 1) or removes (-1) claim `i`'s text from the statistics.
    fn count(&mut self, i: usize, t: &ClaimText, sign: i32, touched: &mut Touched) {
        let i = i as u32;
        for &(term, _) in &t.row {
            let h = &mut self.holders[slot(term)];
            match (h.binary_search(&i), sign > 0) {
                (Err(at), true) => h.insert(at, i),
                (Ok(at), false) => {
                    h.remove(at);
                }
                _ => {}
            }
        }
        let add = |x: &mut u32, by: u32| {
            *x = if sign > 0 {
                *x + by
            } else {
                x.saturating_sub(by)
            }
        };
        for &(w, c, a) in &t.caps {
            let caps = &mut self.caps[w as usize];
            add(&mut caps.0, c);
            add(&mut caps.1, a);
            touched.words.insert(w);
        }
        for &(s, c) in &t.surfaces {
            add(&mut self.surface_count[s as usize], c);
            touched.words.insert(self.surface_word[s as usize]);
        }
    }

    /// Claim `i` states `list` now.
    fn set_figures(&mut self, i: usize, list: Vec<Figure>, touched: &mut Touched) {
        for &f in &self.figs[i] {
            touched.figs.insert(f);
            let h = &mut self.fig_holders[f as usize];
            touched.fig_len.entry(f).or_insert(h.len());
            if let Ok(at) = h.binary_search(&(i as u32)) {
                h.remove(at);
            }
        }
        let order: Vec<u32> = list
            .iter()
            .map(|f| match self.fig_ids.get(&f.key) {
                Some(&id) => id,
                None => {
                    let id = self.fig_keys.len() as u32;
                    self.fig_ids.insert(f.key.clone(), id);
                    self.fig_keys.push(f.key.clone());
                    self.fig_bonus.push(related::bonus_of(f));
                    self.fig_holders.push(Vec::new());
                    self.fig_labels.push(String::new());
                    id
                }
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        sorted.dedup();
        for &f in &sorted {
            touched.figs.insert(f);
            let h = &mut self.fig_holders[f as usize];
            touched.fig_len.entry(f).or_insert(h.len());
            if let Err(at) = h.binary_search(&(i as u32)) {
                h.insert(at, i as u32);
            }
        }
        self.figs[i] = sorted;
        self.fig_order[i] = order;
        self.annotations.figures[i] = list;
    }

    /// A word's label: its most written surface form.
    fn label_of(&self, w: usize) -> String {
        let mut best: Option<(u32, &str)> = None;
        for &s in &self.word_surfaces[w] {
            let count = self.surface_count[s as usize];
            let text = self.surface_text[s as usize].as_str();
            if count > 0 && better_label((count, text), best) {
                best = Some((count, text));
            }
        }
        best.map(|(_, s)| s.to_string()).unwrap_or_default()
    }

    /// A figure's label: as the first claim stating it writes it.
    fn fig_label_of(&self, f: usize) -> String {
        let key = &self.fig_keys[f];
        self.fig_holders[f]
            .first()
            .and_then(|&c| {
                self.annotations.figures[c as usize]
                    .iter()
                    .find(|x| x.key == *key)
            })
            .map(|x| x.label.clone())
            .unwrap_or_default()
    }

    /// The weight of the term in slot `s` among `n` claims.
    fn weight_of(&self, s: usize, n: usize) -> f32 {
        let k = self.index.kinds[s];
        let pair = k & PAIR_BIT != 0;
        let caps = if pair { (0, 0) } else { self.caps[k as usize] };
        term_weight(self.holders[s].len() as u32, n, pair, caps)
    }

    /// Claim `i`'s vector from its text and the current weights.
    fn vector(&self, i: usize) -> Vec<(u32, f32)> {
        weigh_row(
            &self.texts[i].row,
            |t| self.weight[slot(t)],
            |t| self.holders[slot(t)].len() > 1,
        )
    }

    /// The features the scorer reads, over the current state.
    fn with_features<R>(&self, f: impl FnOnce(&Features<'_>) -> R) -> R {
        let to_lists = |v: &[Vec<u32>]| {
            let mut l = Lists::new();
            for x in v {
                l.push(x);
            }
            l
        };
        let (figs, fig_order, tags) = (
            to_lists(&self.figs),
            to_lists(&self.fig_order),
            to_lists(&self.tags),
        );
        let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
        f(&Features {
            index: &self.index,
            brief: &self.briefs,
            figs: &figs,
            fig_order: &fig_order,
            fig_bonus: &self.fig_bonus,
            fig_postings: &self.fig_holders,
            tags: &tags,
            ids: &ids,
        })
    }

    /// Searches the related claims of `which` again.
    fn search(&mut self, which: &[usize]) {
        let search = search_of(&self.opts);
        let found = self.with_features(|f| f.related_of(which, search));
        for (&i, x) in which.iter().zip(found) {
            self.found[i] = x;
        }
    }

    /// Makes the related lists (with why) of `which` again.
    fn lists(&mut self, which: &[usize]) {
        let lists = self.with_features(|f| {
            related_lists(
                f,
                &self.hand,
                &|i| &self.found[i].related,
                &|x| self.fig_labels[x as usize].as_str(),
                which,
                &self.opts,
            )
        });
        for (&i, l) in which.iter().zip(lists) {
            self.annotations.related[i] = l;
        }
    }

    /// Brief overlap and the aggregates over tags, in full.
    /// The aggregates after an update that moved no claim's tags or kind:
    /// only the `edited` claims' text (and so their figures and direction)
    /// and the related lists of `lists`. Co-occurrence, the matrix, term
    /// pairs and recommendations are made from tags and kinds alone and
    /// stay; a term's figures are made again where one of its claims was
    /// edited, a brief's overlap where one of its claims' related lists
    /// was, a claim's opposing recommendations where its related list was,
    /// it was edited, or it relates to an edited claim. The same result as
    /// [`XrefState::aggregates`] (`tests/xref_incremental.rs`).
    fn aggregates_after(&mut self, site: &Site, edited: &[usize], lists: &[usize]) {
        let a = &mut self.annotations;
        let mut briefs: Vec<usize> = lists
            .iter()
            .map(|&c| site.claims[c].brief as usize)
            .collect();
        briefs.sort_unstable();
        briefs.dedup();
        let mut counts: Vec<u32> = vec![0; site.briefs.len()];
        for b in briefs {
            a.brief_overlap[b] = brief_overlap_of(site, &a.related, b, &mut counts);
        }
        if !edited.is_empty() {
            for (x, tax) in site.taxonomies.iter().enumerate() {
                for t in 0..tax.terms.len() as TermIx {
                    let of = site.claims_of(x, t);
                    if !edited.iter().any(|&c| of.contains(&(c as ClaimIx))) {
                        continue;
                    }
                    match cooc::term_figures_of(
                        site,
                        &a.figures,
                        self.opts.term_figure_rows,
                        (x, t),
                    ) {
                        Some(f) => {
                            a.term_figures.insert((x, t), f);
                        }
                        None => {
                            a.term_figures.remove(&(x, t));
                        }
                    }
                }
            }
            a.figures_compared = cooc::figures_compared(site.claims.len(), &a.term_figures);
        }
        let mut again: FxHashSet<usize> = lists.iter().copied().collect();
        again.extend(edited.iter().copied());
        let edited_set: FxHashSet<ClaimIx> = edited.iter().map(|&c| c as ClaimIx).collect();
        if !edited_set.is_empty() {
            again.extend(
                (0..a.related.len())
                    .filter(|&i| a.related[i].iter().any(|r| edited_set.contains(&r.claim))),
            );
        }
        if a.opposing.len() < a.related.len() {
            a.opposing.resize(a.related.len(), Vec::new());
        }
        for i in again {
            a.opposing[i] = cooc::opposing_of(site, &a.related, &self.directions, i);
        }
    }

    fn aggregates(&mut self, site: &Site) {
        let (overlap, agg) = tag_aggregates(
            site,
            &self.annotations.related,
            &self.annotations.figures,
            &self.opts,
        );
        let a = &mut self.annotations;
        a.brief_overlap = overlap;
        a.term_figures = agg.term_figures;
        a.figures_compared = agg.figures_compared;
        a.opposing = agg.opposing;
        a.cooccurring = agg.cooccurring;
        a.matrix = agg.matrix;
        a.pairs = agg.pairs;
        a.recommendations = agg.recommendations;
    }
}

/// What an update of the statistics touched.
#[derive(Default)]
struct Touched {
    /// Words whose capitalisation or surface counts moved.
    words: FxHashSet<u32>,
    /// Figures whose claims moved.
    figs: FxHashSet<u32>,
    /// Figures' claim counts before the update.
    fig_len: FxHashMap<u32, usize>,
}

fn lists_to_vecs(l: &Lists, n: usize) -> Vec<Vec<u32>> {
    (0..n).map(|i| l.get(i).to_vec()).collect()
}
