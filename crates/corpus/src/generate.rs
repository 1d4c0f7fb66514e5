//! Composition and generation: who derives from whom (the plan, drawn
//! sequentially from one seeded RNG), then the text of every article,
//! each from its own RNG seeded by (seed, plan index), so articles can be
//! produced in any order and in parallel with byte-identical results.

mod plan;
mod text;
mod write;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use unspun_article::{Article, ArticleId};
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Segmenter};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::doc::Doc;
use crate::filler::Filler;
use crate::measure::{self, Collector};
use crate::outlet::OUTLETS;
use crate::paraphrase::Paraphraser;
use crate::spec::{CorpusSpec, DerivationKind, Truth};
use crate::words::Lexicon;
use crate::{CorpusError, Manifest, Result};

pub(crate) use write::{write_article, write_truth};

/// The operation that makes a derived article from its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Copy,
    LightEdit,
    Reorder,
    Blend,
    Paraphrase,
}

/// What one article of the corpus is.
#[derive(Clone, Copy, Debug)]
enum Role {
    /// A real base article (index into the base slice).
    Base(u32),
    /// Unrelated filler text in the given style (chain index).
    Filler(u8),
    /// A derived article.
    Derived(Derivation),
}

#[derive(Clone, Copy, Debug)]
struct Derivation {
    kind: DerivationKind,
    op: Op,
    /// Plan indices of the parents; the second is used by blends only.
    parents: [u32; 2],
    n_parents: u8,
    generation: u8,
    /// Plan index of the root base article (chains; else the first parent).
    root: u32,
    credited: bool,
    byline: bool,
}

#[derive(Clone, Copy, Debug)]
struct Plan {
    role: Role,
    /// Per-kind number (`d-copy-<n>`, `f-<n>`).
    number: u32,
    /// Publication date (fillers get theirs when generated).
    date: Option<NaiveDate>,
    /// Index into [`OUTLETS`] for derived and filler articles.
    outlet: u8,
}

/// A corpus being generated: the base, what was learnt from it, and the plan.
///
/// [`crate::generate`] and [`crate::generate_to`] are the usual entry
/// points; a `Generator` is what they build, and can also produce one
/// article at a time.
pub struct Generator<'a> {
    spec: CorpusSpec,
    base: &'a [Article],
    docs: Vec<Doc>,
    lexicon: Lexicon,
    filler: Filler,
    plans: Vec<Plan>,
    /// Output position → plan index.
    order: Vec<u32>,
    counts: BTreeMap<String, usize>,
}

/// How far generation has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Articles written.
    pub done: usize,
    /// Articles in the corpus.
    pub total: usize,
}

/// One measurement of a derived article: (label, 5-gram Jaccard, content-word survival).
type Measurement = (String, f64, f64);

/// Articles generated per parallel batch.
const BATCH: usize = 2048;

fn mix_seed(seed: u64, idx: u64, stream: u64) -> u64 {
    xxh3_64_with_seed(&[idx.to_le_bytes(), stream.to_le_bytes()].concat(), seed)
}

impl<'a> Generator<'a> {
    /// Learns from `base` and draws the plan. Fails on an invalid spec or
    /// an empty base.
    pub fn new(spec: &CorpusSpec, base: &'a [Article]) -> Result<Generator<'a>> {
        spec.validate()?;
        if base.is_empty() {
            return Err(CorpusError::NoBase {
                min_sentences: crate::base::MIN_SENTENCES,
            });
        }
        let segmenter = Segmenter::new();
        let docs: Vec<Doc> = base
            .par_iter()
            .map(|a| {
                let mut d = Doc::parse(&segmenter, a.title.as_deref().unwrap_or(""), &a.text);
                if d.title.is_empty() {
                    let first: String = d
                        .sentences()
                        .next()
                        .map(|s| s.text.chars().take(80).collect())
                        .unwrap_or_default();
                    d.title = first;
                }
                d
            })
            .collect();
        let lexicon = Lexicon::learn(
            docs.iter()
                .flat_map(|d| d.sentences().map(|s| s.text.as_str())),
        );
        let filler = Filler::train(base, &docs);
        let mut g = Generator {
            spec: spec.clone(),
            base,
            docs,
            lexicon,
            filler,
            plans: Vec::new(),
            order: Vec::new(),
            counts: BTreeMap::new(),
        };
        g.plan();
        Ok(g)
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    /// Whether the corpus is empty (size 0).
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
    /// The id of plan `idx`.
    fn id(&self, idx: u32) -> ArticleId {
        let p = &self.plans[idx as usize];
        let plain = match p.role {
            Role::Base(i) => return self.base[i as usize].id.clone(),
            Role::Filler(_) => format!("f-{}", p.number),
            Role::Derived(d) => format!("d-{}-{}", d.kind.name(), p.number),
        };
        let id = if self.spec.opaque_ids {
            format!(
                "a-{:016x}",
                xxh3_64_with_seed(plain.as_bytes(), self.spec.seed)
            )
        } else {
            plain
        };
        ArticleId::new(id).expect("generated ids are valid")
    }

    /// The outlet (source) of plan `idx`.
    fn source(&self, idx: u32) -> &str {
        let p = &self.plans[idx as usize];
        match p.role {
            Role::Base(i) => self.base[i as usize].source.as_deref().unwrap_or(""),
            _ => OUTLETS[p.outlet as usize].0,
        }
    }

    fn rng(&self, idx: u32, stream: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(mix_seed(self.spec.seed, u64::from(idx), stream))
    }
    /// The truth of plan `idx`, if it is derived.
    fn truth(&self, idx: u32) -> Option<Truth> {
        let Role::Derived(d) = self.plans[idx as usize].role else {
            return None;
        };
        let parents: Vec<ArticleId> = d.parents[..d.n_parents as usize]
            .iter()
            .map(|&q| self.id(q))
            .collect();
        let original = if d.kind == DerivationKind::Chain {
            vec![self.id(d.root)]
        } else {
            parents.clone()
        };
        Some(Truth {
            id: self.id(idx),
            kind: d.kind,
            parents,
            original,
            generation: d.generation,
            credited: d.credited,
        })
    }

    /// Every truth record, in plan order.
    pub fn truths(&self) -> impl Iterator<Item = Truth> + '_ {
        (0..self.plans.len() as u32).filter_map(|i| self.truth(i))
    }

    /// Measurements of plan `idx` against its parent(s), if it is derived and
    /// among the first `measure_per_kind` of its kind.
    fn measure(
        &self,
        idx: u32,
        child: &Article,
        para: &Paraphraser<'_>,
        tools: &(Analyzer, MinHasher),
        out: &mut Vec<Measurement>,
    ) {
        let p = &self.plans[idx as usize];
        let Role::Derived(d) = p.role else {
            return;
        };
        if p.number as usize >= self.spec.measure_per_kind {
            return;
        }
        let (analyzer, hasher) = tools;
        let c = measure::profile(analyzer, hasher, &child.text);
        let label = match d.kind {
            DerivationKind::Chain => format!("chain_gen{}", d.generation),
            k => k.name().to_string(),
        };
        for &q in &d.parents[..d.n_parents as usize] {
            let parent = self.article(q, para);
            let pp = measure::profile(analyzer, hasher, &parent.text);
            out.push((
                label.clone(),
                measure::jaccard(&c, &pp),
                measure::survival(&c, &pp),
            ));
        }
        if d.kind == DerivationKind::Chain && d.generation > 1 {
            let root = self.article(d.root, para);
            let pr = measure::profile(analyzer, hasher, &root.text);
            out.push((
                "chain_vs_original".to_string(),
                measure::jaccard(&c, &pr),
                measure::survival(&c, &pr),
            ));
        }
    }

    /// Produces every article in output order, in parallel batches, handing
    /// each batch to `sink`; returns the manifest.
    fn run(
        &self,
        sink: &mut dyn FnMut(Vec<Article>) -> Result<()>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Manifest> {
        let para = Paraphraser::new(&self.lexicon);
        let mut collector = Collector::default();
        let total = self.order.len();
        for (b, chunk) in self.order.chunks(BATCH).enumerate() {
            let results: Vec<(Article, Vec<Measurement>)> = chunk
                .par_iter()
                .map_init(
                    || (Analyzer::new(), MinHasher::new()),
                    |tools, &idx| {
                        let a = self.article(idx, &para);
                        let mut m = Vec::new();
                        self.measure(idx, &a, &para, tools, &mut m);
                        (a, m)
                    },
                )
                .collect();
            let mut batch = Vec::with_capacity(results.len());
            for (a, m) in results {
                for (label, j, s) in m {
                    collector.add(&label, j, s);
                }
                batch.push(a);
            }
            sink(batch)?;
            progress(Progress {
                done: (b * BATCH + chunk.len()).min(total),
                total,
            });
        }
        Ok(self.manifest(&collector))
    }

    fn manifest(&self, collector: &Collector) -> Manifest {
        let (jaccard, survival) = collector.summarise();
        let mut available: BTreeMap<String, usize> = BTreeMap::new();
        for a in self.base {
            *available
                .entry(a.source.clone().unwrap_or_default())
                .or_insert(0) += 1;
        }
        let mut kinds: BTreeMap<String, String> = DerivationKind::ALL
            .iter()
            .map(|k| (k.name().to_string(), k.note().to_string()))
            .collect();
        kinds.insert(
            "unrelated".into(),
            "filler: order-2 word Markov chain per base source (BBC, Reuters) trained on base prose sentences; 6-20 sentences of 12-35 words in paragraphs of 1-3; no word 5-gram of any base article is allowed (Bloom filter); derives from nothing".into(),
        );
        kinds.insert(
            "base".into(),
            "real articles (BBC News 2,225; Reuters-21578) with at least 4 sentences, text normalised (paragraphs separated by a blank line); a deterministic sample when fewer are needed".into(),
        );
        Manifest {
            generator: "unspun-corpus".into(),
            format: crate::CORPUS_FORMAT,
            version: env!("CARGO_PKG_VERSION").into(),
            seed: self.spec.seed,
            size: self.spec.size,
            spec: self.spec.clone(),
            counts: self.counts.clone(),
            base_available: available,
            inputs: BTreeMap::new(),
            kinds,
            jaccard_5gram: jaccard,
            content_word_survival: survival,
            measure_note: format!(
                "exact Jaccard of word 5-gram sets (unspun-segment tokens, unspun-fingerprint shingles) between each derived article and each immediate parent as published (byline and credit included), for the first {} articles of each kind; chain_vs_original compares generations 2 and 3 with the base article at the root; content_word_survival is the share of the parent's distinct non-stop words found in the derived article",
                self.spec.measure_per_kind
            ),
        }
    }
}

#[cfg(test)]
impl<'a> Generator<'a> {
    pub(crate) fn lexicon_for_tests(&self) -> &Lexicon {
        &self.lexicon
    }

    pub(crate) fn body_for_tests(&self, idx: u32, para: &Paraphraser<'_>) -> Doc {
        self.body(idx, para)
    }

    /// (child, parent) plan indices of every chain link below generation 1.
    pub(crate) fn chain_links(&self) -> Vec<(u32, u32)> {
        (0..self.plans.len() as u32)
            .filter_map(|i| match self.plans[i as usize].role {
                Role::Derived(d) if d.kind == DerivationKind::Chain && d.generation > 1 => {
                    Some((i, d.parents[0]))
                }
                _ => None,
            })
            .collect()
    }
}
