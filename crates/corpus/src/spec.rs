//! What a corpus is made of: [`CorpusSpec`], the kinds of derivation and
//! their mix, and the ground truth [`Truth`] recorded for each derived
//! article.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::CorpusError;

/// How a derived article was made from its parent(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivationKind {
    /// A verbatim copy of one base article, sometimes under another
    /// headline and with a byline line on top.
    Copy,
    /// A few word-level edits: a number changed, one to three words
    /// swapped, a sentence dropped, a sentence of new material added.
    LightEdit,
    /// Paragraphs (or sentences) shuffled, plus one or two light edits.
    Reorder,
    /// About half the sentences of each of two base articles on the same
    /// topic, in blocks, each source's order kept.
    Blend,
    /// Every sentence rewritten by rules: synonyms, clause moves, voice,
    /// number formats; short sentences merged or dropped.
    Paraphrase,
    /// One link of a lineage chain two or three generations deep.
    Chain,
}

impl DerivationKind {
    /// Every kind, in the order of [`KindMix`].
    pub const ALL: [DerivationKind; 6] = [
        DerivationKind::Copy,
        DerivationKind::LightEdit,
        DerivationKind::Reorder,
        DerivationKind::Blend,
        DerivationKind::Paraphrase,
        DerivationKind::Chain,
    ];

    /// The name used in ids, truth and manifest: `copy`, `light_edit`, ...
    pub fn name(self) -> &'static str {
        match self {
            DerivationKind::Copy => "copy",
            DerivationKind::LightEdit => "light_edit",
            DerivationKind::Reorder => "reorder",
            DerivationKind::Blend => "blend",
            DerivationKind::Paraphrase => "paraphrase",
            DerivationKind::Chain => "chain",
        }
    }

    /// One line on what the kind does (written to the manifest).
    pub fn note(self) -> &'static str {
        match self {
            DerivationKind::Copy => "verbatim copy of one base article; half get another headline (rewritten, 'UPDATE 1-' or the lead's first words), some a byline line on top",
            DerivationKind::LightEdit => "copy with at least two of: one number changed, 1-3 words or phrases swapped from the rewrite table, one sentence dropped, one sentence of new (Markov) material added",
            DerivationKind::Reorder => "paragraphs shuffled (sentences shuffled and regrouped when fewer than 3 paragraphs), plus 1-2 light edits",
            DerivationKind::Blend => "about half the sentences of each of two base articles of the same category (BBC folder; Reuters: most shared content words among 16 candidates), in blocks of 1-3 sentences, each source's order kept, interleaved; parents = both",
            DerivationKind::Paraphrase => "rule-based rewrite of every sentence: number/amount formats; parentheses and ', which' clauses trimmed; small reshapes (has+participle, name pairs, possessives, dates, will -> is set to); one or two clause moves (attribution to front or back, 'According to', reported speech, leading/time phrase, passive->active, sentence split); ~715 word/phrase rewrites (names kept, quotations usually rewritten too); sentences whose 5-grams still overlap >35% cut or dropped; short sentences merged or dropped",
            DerivationKind::Chain => "lineage chain: gen 1 = light edit or paraphrase of a base article plus 1-2 sentences or a paragraph of new material and a changed number; gen 2 = copy or light edit of gen 1 keeping its new material and changes, plus new material and a change of its own; about half the chains have gen 3 made from gen 2 the same way; dates strictly increase",
        }
    }
}

impl fmt::Display for DerivationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DerivationKind {
    type Err = CorpusError;

    fn from_str(s: &str) -> Result<DerivationKind, CorpusError> {
        DerivationKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| CorpusError::Spec(format!("unknown derivation kind {s:?}")))
    }
}

/// Relative weights of the derivation kinds among derived articles. They
/// need not sum to 1: counts are `weight / sum` of the derived total
/// (largest remainder rounding). For `chain` the weight counts articles
/// (each chain has 2 or 3), not chains.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindMix {
    /// Weight of [`DerivationKind::Copy`]. Default 0.12.
    pub copy: f64,
    /// Weight of [`DerivationKind::LightEdit`]. Default 0.18.
    pub light_edit: f64,
    /// Weight of [`DerivationKind::Reorder`]. Default 0.10.
    pub reorder: f64,
    /// Weight of [`DerivationKind::Blend`]. Default 0.15.
    pub blend: f64,
    /// Weight of [`DerivationKind::Paraphrase`]. Default 0.25.
    pub paraphrase: f64,
    /// Weight of [`DerivationKind::Chain`] (articles). Default 0.15.
    pub chain: f64,
}

impl Default for KindMix {
    fn default() -> KindMix {
        KindMix {
            copy: 0.12,
            light_edit: 0.18,
            reorder: 0.10,
            blend: 0.15,
            paraphrase: 0.25,
            chain: 0.15,
        }
    }
}

impl KindMix {
    /// The weight of `kind`.
    pub fn weight(&self, kind: DerivationKind) -> f64 {
        match kind {
            DerivationKind::Copy => self.copy,
            DerivationKind::LightEdit => self.light_edit,
            DerivationKind::Reorder => self.reorder,
            DerivationKind::Blend => self.blend,
            DerivationKind::Paraphrase => self.paraphrase,
            DerivationKind::Chain => self.chain,
        }
    }

    fn weight_mut(&mut self, kind: DerivationKind) -> &mut f64 {
        match kind {
            DerivationKind::Copy => &mut self.copy,
            DerivationKind::LightEdit => &mut self.light_edit,
            DerivationKind::Reorder => &mut self.reorder,
            DerivationKind::Blend => &mut self.blend,
            DerivationKind::Paraphrase => &mut self.paraphrase,
            DerivationKind::Chain => &mut self.chain,
        }
    }

    /// Splits `total` derived articles among the kinds (largest remainder).
    pub fn counts(&self, total: usize) -> [usize; 6] {
        let w: Vec<f64> = DerivationKind::ALL
            .iter()
            .map(|&k| self.weight(k).max(0.0))
            .collect();
        let sum: f64 = w.iter().sum();
        let mut out = [0usize; 6];
        if sum <= 0.0 || total == 0 {
            return out;
        }
        let exact: Vec<f64> = w.iter().map(|x| x / sum * total as f64).collect();
        for (o, e) in out.iter_mut().zip(&exact) {
            *o = e.floor() as usize;
        }
        let mut left = total - out.iter().sum::<usize>();
        let mut order: Vec<usize> = (0..6).collect();
        order.sort_by(|&a, &b| {
            let fa = exact[a] - exact[a].floor();
            let fb = exact[b] - exact[b].floor();
            fb.total_cmp(&fa).then(a.cmp(&b))
        });
        for i in order {
            if left == 0 {
                break;
            }
            if w[i] > 0.0 {
                out[i] += 1;
                left -= 1;
            }
        }
        out
    }
}

impl FromStr for KindMix {
    type Err = CorpusError;

    /// Parses `copy=0.12,light_edit=0.18,...`; kinds not named get weight 0.
    fn from_str(s: &str) -> Result<KindMix, CorpusError> {
        let mut mix = KindMix {
            copy: 0.0,
            light_edit: 0.0,
            reorder: 0.0,
            blend: 0.0,
            paraphrase: 0.0,
            chain: 0.0,
        };
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| CorpusError::Spec(format!("expected KIND=WEIGHT, got {part:?}")))?;
            let kind: DerivationKind = k.parse()?;
            let v: f64 = v
                .trim()
                .parse()
                .map_err(|_| CorpusError::Spec(format!("bad weight {v:?} for {k}")))?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(CorpusError::Spec(format!("bad weight {v} for {k}")));
            }
            *mix.weight_mut(kind) = v;
        }
        Ok(mix)
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorpusSpec {
    /// Total number of articles N.
    pub size: usize,
    /// Seed of every random choice; the same seed, spec and base give
    /// byte-identical output.
    pub seed: u64,
    /// Share of derived articles: D = round(N × share). Default 0.25.
    pub derived_share: f64,
    /// Mix of derivation kinds among the D derived articles.
    pub mix: KindMix,
    /// Share of chains that get a third generation. Default 0.5.
    pub chain_gen3_share: f64,
    /// Share of derived articles that credit their source in the text. Default 0.4.
    pub credit_share: f64,
    /// Share of derived articles with a byline line on top. Default 0.3.
    pub byline_share: f64,
    /// Replace derived and filler ids (`d-copy-3`, `f-12`), which give the
    /// answer away, by opaque ones (`a-` and 16 hex digits). Default false.
    pub opaque_ids: bool,
    /// At most this many derived articles per kind are measured (5-gram
    /// Jaccard to the parent) for the manifest. Default 5000.
    pub measure_per_kind: usize,
}

impl CorpusSpec {
    /// A spec with the defaults for `size` articles and `seed`.
    pub fn new(size: usize, seed: u64) -> CorpusSpec {
        CorpusSpec {
            size,
            seed,
            derived_share: 0.25,
            mix: KindMix::default(),
            chain_gen3_share: 0.5,
            credit_share: 0.4,
            byline_share: 0.3,
            opaque_ids: false,
            measure_per_kind: 5000,
        }
    }

    /// Checks the shares are within 0..=1 and the mix is not all zero.
    pub fn validate(&self) -> Result<(), CorpusError> {
        for (name, v) in [
            ("derived_share", self.derived_share),
            ("chain_gen3_share", self.chain_gen3_share),
            ("credit_share", self.credit_share),
            ("byline_share", self.byline_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(CorpusError::Spec(format!(
                    "{name} must be within 0..=1, got {v}"
                )));
            }
        }
        let sum: f64 = DerivationKind::ALL
            .iter()
            .map(|&k| self.mix.weight(k))
            .sum();
        if DerivationKind::ALL
            .iter()
            .any(|&k| self.mix.weight(k) < 0.0)
            || sum <= 0.0
        {
            return Err(CorpusError::Spec(
                "the kind mix needs non-negative weights, not all zero".into(),
            ));
        }
        Ok(())
    }
}

impl Default for CorpusSpec {
    /// 10,000 articles, seed 0.
    fn default() -> CorpusSpec {
        CorpusSpec::new(10_000, 0)
    }
}

/// The ground truth of one derived article (one line of `truth.jsonl`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// The derived article.
    pub id: ArticleId,
    /// How it was made.
    pub kind: DerivationKind,
    /// Its immediate sources (two for a blend).
    pub parents: Vec<ArticleId>,
    /// The real base articles at the root(s) of its lineage.
    pub original: Vec<ArticleId>,
    /// 1 for articles made from base articles; 2 and 3 further down a chain.
    pub generation: u8,
    /// Whether its text names the outlet of (one of) its parent(s).
    pub credited: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_counts_add_up() {
        let m = KindMix::default();
        for total in [0, 1, 7, 100, 250_000] {
            assert_eq!(m.counts(total).iter().sum::<usize>(), total);
        }
        let c = m.counts(95);
        assert_eq!(c, [12, 18, 10, 15, 25, 15]);
        let m: KindMix = "copy=1,paraphrase=3".parse().unwrap();
        assert_eq!(m.counts(8), [2, 0, 0, 0, 6, 0]);
        assert!("copy=x".parse::<KindMix>().is_err());
        assert!("nope=1".parse::<KindMix>().is_err());
    }

    #[test]
    fn validation() {
        assert!(CorpusSpec::new(10, 1).validate().is_ok());
        let mut s = CorpusSpec::new(10, 1);
        s.derived_share = 1.5;
        assert!(s.validate().is_err());
    }
}
