//! Sentence alignment of a derived article to one source.
//!
//! The aligner works on the full score matrix of the two articles, so
//! sentences may be reordered freely. It runs in two phases:
//!
//! 1. **One to one.** Pairs whose combined score clears `min_score` (or
//!    where one side is almost wholly contained in the other) are taken
//!    greedily, best first, while both sentences are free.
//! 2. **Splits and merges.** A free derived sentence may join a source
//!    sentence that is already matched (a sentence split in two), and a free
//!    source sentence may join a matched derived sentence (two merged into
//!    one), but only when it *adds* coverage: the new sentence must explain
//!    source content the group did not yet explain (`split_gain`), and most
//!    of its own content must come from there (`split_precision`). This is
//!    what keeps a photo caption that repeats the names of the lead sentence
//!    from being aligned to it.
//!
//! Each resulting group is labelled `verbatim`, `edited` or `paraphrase`
//! from its word sequences, and scored as one text.

use serde::Serialize;

use std::collections::HashMap;

use crate::analyzed::AnalyzedArticle;
use crate::semantic::{
    dot, Blend, EmbeddingKind, Semantic, BORDERLINE_BAND, SEMANTIC_MIN_INFO, SEMANTIC_MIN_SHARED,
};
use crate::similarity::{PairSimilarity, SentenceScore, TermRarity};

/// How a derived sentence (or group) relates to its source sentence(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same words in the same order (case, punctuation and quote style aside).
    Verbatim,
    /// Mostly the same word sequence, with words inserted, removed or replaced.
    Edited,
    /// The same content in different words.
    Paraphrase,
}

impl MatchKind {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Verbatim => "verbatim",
            MatchKind::Edited => "edited",
            MatchKind::Paraphrase => "paraphrase",
        }
    }
}

/// One aligned group: derived sentence indices matched to source sentence indices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlignedGroup {
    /// Indices of the derived article's sentences, ascending.
    pub derived: Vec<usize>,
    /// Indices of the source article's sentences, ascending.
    pub source: Vec<usize>,
    /// The kind of reuse.
    pub kind: MatchKind,
    /// The combined similarity of the group in `[0, 1]`.
    pub score: f32,
    /// Corpus information (nats) of the terms the group shares: the
    /// evidence that this is reuse rather than common phrasing.
    pub info: f32,
}

/// The alignment of a derived article to one source.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Alignment {
    /// Aligned groups, in the derived article's order.
    pub groups: Vec<AlignedGroup>,
    /// For each derived sentence, whether it is aligned.
    pub derived_matched: Vec<bool>,
    /// For each source sentence, whether it is aligned.
    pub source_matched: Vec<bool>,
}

impl Alignment {
    /// Share of the derived article's sentences explained by the source.
    pub fn coverage(&self) -> f32 {
        share(&self.derived_matched)
    }

    /// Share of the source's sentences reused in the derived article.
    pub fn source_coverage(&self) -> f32 {
        share(&self.source_matched)
    }

    /// Number of derived sentences aligned.
    pub fn derived_aligned(&self) -> usize {
        self.derived_matched.iter().filter(|&&m| m).count()
    }

    /// Number of source sentences aligned.
    pub fn source_aligned(&self) -> usize {
        self.source_matched.iter().filter(|&&m| m).count()
    }

    /// Total corpus information of the shared terms over all groups (nats).
    pub fn info(&self) -> f32 {
        self.groups.iter().map(|g| g.info).sum()
    }

    /// Mean group score weighted by the number of derived sentences, or 0.
    pub fn mean_score(&self) -> f32 {
        let (mut sum, mut n) = (0.0, 0.0);
        for g in &self.groups {
            sum += g.score * g.derived.len() as f32;
            n += g.derived.len() as f32;
        }
        if n > 0.0 {
            sum / n
        } else {
            0.0
        }
    }
}

fn share(flags: &[bool]) -> f32 {
    if flags.is_empty() {
        0.0
    } else {
        flags.iter().filter(|&&m| m).count() as f32 / flags.len() as f32
    }
}

/// Builds an [`Aligner`].
#[derive(Clone, Debug)]
pub struct AlignerBuilder {
    config: Config,
}

#[derive(Clone, Debug)]
struct Config {
    min_score: f32,
    min_contained: f32,
    min_shared: usize,
    min_info: f32,
    split_gain: f32,
    split_novelty: f32,
    split_precision: f32,
    edited_min: f32,
}

impl Default for AlignerBuilder {
    fn default() -> Self {
        AlignerBuilder {
            config: Config {
                min_score: 0.30,
                min_contained: 0.70,
                min_shared: 3,
                min_info: 10.0,
                split_gain: 0.08,
                split_novelty: 0.5,
                split_precision: 0.45,
                edited_min: 0.70,
            },
        }
    }
}

impl AlignerBuilder {
    /// The default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lowest combined score for a one-to-one match. Default 0.30.
    pub fn min_score(mut self, v: f32) -> Self {
        self.config.min_score = v;
        self
    }

    /// Lowest share of one sentence's term weight found in the other for a
    /// match on containment (a trimmed or padded sentence). Default 0.70.
    pub fn min_contained(mut self, v: f32) -> Self {
        self.config.min_contained = v;
        self
    }

    /// Fewest distinct shared content terms for any match. Default 3.
    pub fn min_shared(mut self, v: usize) -> Self {
        self.config.min_shared = v;
        self
    }

    /// Least corpus information (nats) a non-verbatim match must share.
    /// Default 10: about two rare words, or four ordinary ones; boilerplate
    /// such as "net loss ... mln vs profit" carries less.
    pub fn min_info(mut self, v: f32) -> Self {
        self.config.min_info = v;
        self
    }

    /// Least share of the target sentence's weight a joining sentence must
    /// newly explain to join a split or merge. Default 0.08.
    pub fn split_gain(mut self, v: f32) -> Self {
        self.config.split_gain = v;
        self
    }

    /// Least share of what a joining sentence shares with the target that
    /// must be new to the group. Default 0.5.
    pub fn split_novelty(mut self, v: f32) -> Self {
        self.config.split_novelty = v;
        self
    }

    /// Least share of a joining sentence's own content that must come from
    /// the group it joins. Default 0.45.
    pub fn split_precision(mut self, v: f32) -> Self {
        self.config.split_precision = v;
        self
    }

    /// Lowest word-sequence similarity (2·LCS / total words) for `edited`
    /// rather than `paraphrase`. Default 0.70.
    pub fn edited_min(mut self, v: f32) -> Self {
        self.config.edited_min = v;
        self
    }

    /// Builds the aligner.
    pub fn build(self) -> Aligner {
        Aligner {
            config: self.config,
        }
    }
}

/// Aligns the sentences of a derived article to those of a source.
#[derive(Clone, Debug)]
pub struct Aligner {
    config: Config,
}

impl Default for Aligner {
    fn default() -> Self {
        AlignerBuilder::new().build()
    }
}

impl Aligner {
    /// An aligner with the default settings.
    pub fn new() -> Aligner {
        Aligner::default()
    }

    /// Aligns `derived` to `source` without corpus statistics.
    pub fn align(&self, derived: &AnalyzedArticle, source: &AnalyzedArticle) -> Alignment {
        self.align_with(derived, source, None)
    }

    /// Aligns `derived` to `source`, weighing terms by their corpus rarity
    /// when given (see [`TermRarity`]).
    pub fn align_with(
        &self,
        derived: &AnalyzedArticle,
        source: &AnalyzedArticle,
        rarity: Option<&TermRarity>,
    ) -> Alignment {
        self.align_semantic(derived, source, rarity, None)
    }

    /// Aligns `derived` to `source` like [`Aligner::align_with`], adding
    /// matches on embedding evidence when `semantic` gives sentence vectors
    /// of both articles (see [`crate::semantic`] for the rules: embeddings
    /// only ever add a match lexical evidence misses, under lowered lexical
    /// floors, and never where names or numbers disagree). With `None` this
    /// is exactly the lexical alignment.
    ///
    /// # Panics
    /// If `semantic` holds a different number of vectors than there are
    /// sentences.
    pub fn align_semantic(
        &self,
        derived: &AnalyzedArticle,
        source: &AnalyzedArticle,
        rarity: Option<&TermRarity>,
        semantic: Option<&Semantic<'_>>,
    ) -> Alignment {
        let sim = PairSimilarity::with_rarity(derived, source, rarity);
        let (n, m) = (derived.sentences.len(), source.sentences.len());
        let c = &self.config;
        if let Some(sem) = semantic {
            assert_eq!(sem.derived.len(), n, "one vector per derived sentence");
            assert_eq!(sem.source.len(), m, "one vector per source sentence");
        }

        let mut scores: Vec<(usize, usize, SentenceScore)> = Vec::new();
        // Pairs that only embedding evidence could admit.
        let mut semantic_candidates: Vec<(usize, usize, SentenceScore)> = Vec::new();
        for i in 0..n {
            if sim.derived_terms(i).is_empty() {
                continue;
            }
            for j in 0..m {
                let s = sim.score(derived, i, source, j);
                // A near-identical sentence is evidence whatever it says;
                // otherwise the shared terms must be many and rare enough.
                let literal = s.shared >= 1 && s.chars >= 0.9;
                let gated = literal || (s.shared >= c.min_shared && s.shared_info >= c.min_info);
                if gated {
                    scores.push((i, j, s));
                }
                let lexical_match = gated
                    && (s.score >= c.min_score
                        || s.derived_contained >= c.min_contained
                        || s.source_contained >= c.min_contained);
                if semantic.is_some()
                    && !lexical_match
                    && s.shared >= SEMANTIC_MIN_SHARED
                    && s.shared_info >= SEMANTIC_MIN_INFO
                    && !sim.salient_conflict(i, j)
                {
                    semantic_candidates.push((i, j, s));
                }
            }
        }
        // Calibrated probability of each pair admitted on embedding evidence.
        let semantic_p: HashMap<(usize, usize), f32> = match semantic {
            Some(sem) => self.semantic_matches(sem, &semantic_candidates),
            None => HashMap::new(),
        };
        for &(i, j, s) in &semantic_candidates {
            if semantic_p.contains_key(&(i, j)) && !scores.iter().any(|x| x.0 == i && x.1 == j) {
                scores.push((i, j, s));
            }
        }

        // Phase 1: one to one, best first.
        let mut d_group: Vec<Option<usize>> = vec![None; n];
        let mut s_group: Vec<Option<usize>> = vec![None; m];
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        // Containment lets a trimmed or padded sentence match, but only
        // when it is strong; otherwise the plain score ranks the pair.
        // A pair admitted on embedding evidence ranks by its calibrated
        // probability when that is higher.
        let strength = |&(i, j, ref s): &(usize, usize, SentenceScore)| {
            let contained = s.derived_contained.max(s.source_contained);
            let lexical = if contained >= c.min_contained {
                s.score.max(0.8 * contained)
            } else {
                s.score
            };
            semantic_p.get(&(i, j)).map_or(lexical, |&p| lexical.max(p))
        };
        let mut one_to_one: Vec<&(usize, usize, SentenceScore)> = scores
            .iter()
            .filter(|(i, j, s)| {
                s.score >= c.min_score
                    || s.derived_contained >= c.min_contained
                    || s.source_contained >= c.min_contained
                    || semantic_p.contains_key(&(*i, *j))
            })
            .collect();
        one_to_one.sort_by(|a, b| strength(b).total_cmp(&strength(a)));
        for &&(i, j, _) in &one_to_one {
            if d_group[i].is_none() && s_group[j].is_none() {
                d_group[i] = Some(groups.len());
                s_group[j] = Some(groups.len());
                groups.push((vec![i], vec![j]));
            }
        }

        // Phase 2: splits (free derived joins a matched source) and merges
        // (free source joins a matched derived), when they add coverage.
        let mut joins: Vec<&(usize, usize, SentenceScore)> = scores
            .iter()
            .filter(|(i, j, _)| d_group[*i].is_none() != s_group[*j].is_none())
            .collect();
        joins.sort_by(|a, b| {
            let ka = a.2.derived_contained.max(a.2.source_contained);
            let kb = b.2.derived_contained.max(b.2.source_contained);
            kb.total_cmp(&ka)
        });
        for &&(i, j, s) in &joins {
            match (d_group[i], s_group[j]) {
                (None, Some(g)) => {
                    // Split: does sentence i explain part of source j that the
                    // group's derived sentences do not?
                    if s.derived_contained < c.split_precision {
                        continue;
                    }
                    let covered = union_ids(groups[g].0.iter().map(|&k| sim.derived_terms(k)));
                    let target = sim.source_terms(j);
                    if adds_coverage(&sim, target, &covered, sim.derived_terms(i), c) {
                        let mut with = groups[g].0.clone();
                        with.push(i);
                        if improves(
                            &sim,
                            derived,
                            (&groups[g].0, &with),
                            source,
                            (&groups[g].1, &groups[g].1),
                        ) {
                            d_group[i] = Some(g);
                            groups[g].0.push(i);
                        }
                    }
                }
                (Some(g), None) => {
                    if s.source_contained < c.split_precision {
                        continue;
                    }
                    let covered = union_ids(groups[g].1.iter().map(|&k| sim.source_terms(k)));
                    let target = sim.derived_terms(i);
                    if adds_coverage(&sim, target, &covered, sim.source_terms(j), c) {
                        let mut with = groups[g].1.clone();
                        with.push(j);
                        if improves(
                            &sim,
                            derived,
                            (&groups[g].0, &groups[g].0),
                            source,
                            (&groups[g].1, &with),
                        ) {
                            s_group[j] = Some(g);
                            groups[g].1.push(j);
                        }
                    }
                }
                _ => {}
            }
        }

        let mut out: Vec<AlignedGroup> = groups
            .into_iter()
            .map(|(mut di, mut sj)| {
                di.sort_unstable();
                sj.sort_unstable();
                let info = sim.shared_info(
                    &union_ids(di.iter().map(|&i| sim.derived_terms(i))),
                    &union_ids(sj.iter().map(|&j| sim.source_terms(j))),
                );
                let score = if di.len() == 1 && sj.len() == 1 {
                    sim.score(derived, di[0], source, sj[0])
                } else {
                    sim.score_groups(derived, &di, source, &sj)
                };
                let kind = self.kind_of(derived, &di, source, &sj);
                let semantic = if di.len() == 1 && sj.len() == 1 {
                    semantic_p.get(&(di[0], sj[0])).copied().unwrap_or(0.0)
                } else {
                    0.0
                };
                let score = match kind {
                    MatchKind::Verbatim => 1.0,
                    _ => score.score.max(score.chars).max(semantic),
                };
                AlignedGroup {
                    derived: di,
                    source: sj,
                    kind,
                    score,
                    info,
                }
            })
            .collect();
        out.sort_by_key(|g| g.derived[0]);
        Alignment {
            groups: out,
            derived_matched: d_group.iter().map(Option::is_some).collect(),
            source_matched: s_group.iter().map(Option::is_some).collect(),
        }
    }

    /// Which of `candidates` (pairs that passed the lowered lexical floors
    /// and the name/number check) are admitted on embedding evidence, with
    /// their calibrated probability. In `minilm` mode (`rescore` given) the
    /// static blend decides the clear cases and MiniLM the borderline ones.
    fn semantic_matches(
        &self,
        sem: &Semantic<'_>,
        candidates: &[(usize, usize, SentenceScore)],
    ) -> HashMap<(usize, usize), f32> {
        let first = Blend::of(sem.kind);
        let mut out = HashMap::new();
        let mut borderline: Vec<(usize, usize, SentenceScore)> = Vec::new();
        for &(i, j, s) in candidates {
            let cos = dot(&sem.derived[i], &sem.source[j]);
            let cmin = s.derived_contained.min(s.source_contained);
            let p = first.probability(s.score, cmin, cos);
            if sem.rescore.is_some() && (p - first.threshold).abs() <= BORDERLINE_BAND {
                borderline.push((i, j, s));
            } else if p >= first.threshold && cos >= first.min_cosine {
                out.insert((i, j), p);
            }
        }
        if let (Some(rescore), false) = (sem.rescore, borderline.is_empty()) {
            let pairs: Vec<(usize, usize)> = borderline.iter().map(|&(i, j, _)| (i, j)).collect();
            let cosines = rescore(&pairs);
            let second = Blend::of(EmbeddingKind::MiniLm);
            for (&(i, j, s), cos) in borderline.iter().zip(cosines) {
                let Some(cos) = cos else { continue };
                let cmin = s.derived_contained.min(s.source_contained);
                let p = second.probability(s.score, cmin, cos);
                if p >= second.threshold && cos >= second.min_cosine {
                    out.insert((i, j), p);
                }
            }
        }
        out
    }

    fn kind_of(
        &self,
        derived: &AnalyzedArticle,
        di: &[usize],
        source: &AnalyzedArticle,
        sj: &[usize],
    ) -> MatchKind {
        let a: Vec<&str> = di
            .iter()
            .flat_map(|&i| derived.features[i].norms.iter().map(String::as_str))
            .collect();
        let b: Vec<&str> = sj
            .iter()
            .flat_map(|&j| source.features[j].norms.iter().map(String::as_str))
            .collect();
        if a == b {
            return MatchKind::Verbatim;
        }
        let ratio = 2.0 * lcs_len(&a, &b) as f32 / (a.len() + b.len()).max(1) as f32;
        if ratio >= self.config.edited_min {
            MatchKind::Edited
        } else {
            MatchKind::Paraphrase
        }
    }
}

/// Whether growing a group from `before` to `after` (derived and source
/// sides) keeps its similarity at least as high. A sentence that really is
/// the other half of a split raises the group's score; one that merely
/// shares words with it (or joins a verbatim pair) lowers it.
fn improves(
    sim: &PairSimilarity,
    derived: &AnalyzedArticle,
    d: (&[usize], &[usize]),
    source: &AnalyzedArticle,
    s: (&[usize], &[usize]),
) -> bool {
    let before = sim.score_groups(derived, d.0, source, s.0).score;
    let after = sim.score_groups(derived, d.1, source, s.1).score;
    after >= before
}

/// Whether `candidate` explains enough of `target` that `covered` (the
/// group's current members) does not: most of what it shares with the
/// target must be new (`split_novelty`), and the new part must be a
/// noticeable share of the target (`split_gain`). A caption repeating the
/// names of a lead sentence shares much with it, but nothing new.
fn adds_coverage(
    sim: &PairSimilarity,
    target: &[u32],
    covered: &[u32],
    candidate: &[u32],
    c: &Config,
) -> bool {
    let total = sim.total(target);
    let (shared, _) = sim.shared_weight(target, candidate);
    if total <= 0.0 || shared <= 0.0 {
        return false;
    }
    let gained: f32 = target
        .iter()
        .filter(|id| covered.binary_search(id).is_err() && candidate.binary_search(id).is_ok())
        .map(|&id| sim.weight(id))
        .sum();
    gained / shared >= c.split_novelty && gained / total >= c.split_gain
}

fn union_ids<'a>(lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut v: Vec<u32> = lists.flatten().copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Length of the longest common subsequence of two word sequences.
fn lcs_len(a: &[&str], b: &[&str]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs_of_words() {
        assert_eq!(lcs_len(&["a", "b", "c", "d"], &["a", "c", "d"]), 3);
        assert_eq!(lcs_len(&[], &["a"]), 0);
    }
}
