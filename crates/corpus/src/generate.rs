//! Composition and generation: who derives from whom (the plan, drawn
//! sequentially from one seeded RNG), then the text of every article,
//! each from its own RNG seeded by (seed, plan index), so articles can be
//! produced in any order and in parallel with byte-identical results.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Days, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use unspun_article::{Article, ArticleId};
use unspun_fingerprint::MinHasher;
use unspun_segment::{Analyzer, Segmenter};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::base::{bbc_date, category};
use crate::doc::Doc;
use crate::edit;
use crate::filler::Filler;
use crate::measure::{self, Collector};
use crate::outlet::{self, OUTLETS};
use crate::paraphrase::Paraphraser;
use crate::spec::{CorpusSpec, DerivationKind, Truth};
use crate::words::Lexicon;
use crate::{Corpus, CorpusError, Manifest, Result};

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

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
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

    /// Draws who derives from whom.
    fn plan(&mut self) {
        let spec = &self.spec;
        let n = spec.size;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let mut d = (n as f64 * spec.derived_share).round() as usize;
        let mut b = self.base.len().min(n - d.min(n));
        if d > 0 && b == 0 {
            b = 1.min(n);
            d = n - b;
        }
        d = d.min(n - b);
        let f = n - d - b;

        // The base sample, in id order.
        let mut sample: Vec<u32> = (0..self.base.len() as u32).collect();
        if b < sample.len() {
            sample.shuffle(&mut rng);
            sample.truncate(b);
            sample.sort_unstable();
        }
        let mut plans: Vec<Plan> = Vec::with_capacity(n);
        for &i in &sample {
            let a = &self.base[i as usize];
            plans.push(Plan {
                role: Role::Base(i),
                number: i,
                date: Some(a.date.unwrap_or_else(|| bbc_date(a.id.as_str()))),
                outlet: 0,
            });
        }

        // Blend partners come from the same category.
        let mut by_cat: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (pi, &i) in sample.iter().enumerate() {
            by_cat
                .entry(category(&self.base[i as usize]))
                .or_default()
                .push(pi as u32);
        }
        let words: Vec<Vec<u64>> = sample
            .iter()
            .map(|&i| content_hashes(&self.docs[i as usize]))
            .collect();

        // Units: one derived article, or one whole chain.
        let counts = spec.mix.counts(d);
        let mut units: Vec<(DerivationKind, u8)> = Vec::new();
        for (k, &c) in DerivationKind::ALL.iter().zip(&counts) {
            if *k == DerivationKind::Chain {
                let mut left = c;
                while left > 0 {
                    let len = match left {
                        1 => 1,
                        2 | 4 => 2,
                        3 => 3,
                        _ => {
                            if rng.random_bool(spec.chain_gen3_share) {
                                3
                            } else {
                                2
                            }
                        }
                    };
                    units.push((*k, len));
                    left -= len as usize;
                }
            } else {
                units.extend(std::iter::repeat_n((*k, 1u8), c));
            }
        }
        units.shuffle(&mut rng);

        let mut numbers = [0u32; 6];
        let mut chain_gens = [0usize; 3];
        let mut credited = 0usize;
        let outlets = OUTLETS.len() as u8;
        for (kind, len) in units {
            let ki = DerivationKind::ALL
                .iter()
                .position(|&k| k == kind)
                .unwrap_or(0);
            let root = rng.random_range(0..b) as u32;
            match kind {
                DerivationKind::Chain => {
                    let mut parent = root;
                    for gen in 1..=len {
                        let op = if gen == 1 {
                            if rng.random_bool(0.5) {
                                Op::LightEdit
                            } else {
                                Op::Paraphrase
                            }
                        } else if rng.random_bool(0.5) {
                            Op::Copy
                        } else {
                            Op::LightEdit
                        };
                        let pdate = plans[parent as usize].date.expect("dated");
                        let avoid = match plans[parent as usize].role {
                            Role::Base(_) => None,
                            _ => Some(plans[parent as usize].outlet),
                        };
                        let outlet = loop {
                            let o = rng.random_range(0..outlets);
                            if Some(o) != avoid {
                                break o;
                            }
                        };
                        let c = rng.random_bool(spec.credit_share);
                        credited += usize::from(c);
                        chain_gens[gen as usize - 1] += 1;
                        plans.push(Plan {
                            role: Role::Derived(Derivation {
                                kind,
                                op,
                                parents: [parent, parent],
                                n_parents: 1,
                                generation: gen,
                                root,
                                credited: c,
                                byline: rng.random_bool(spec.byline_share),
                            }),
                            number: numbers[ki],
                            date: Some(add_days(pdate, rng.random_range(1..=3))),
                            outlet,
                        });
                        numbers[ki] += 1;
                        parent = (plans.len() - 1) as u32;
                    }
                }
                _ => {
                    let op = match kind {
                        DerivationKind::Copy => Op::Copy,
                        DerivationKind::LightEdit => Op::LightEdit,
                        DerivationKind::Reorder => Op::Reorder,
                        DerivationKind::Blend => Op::Blend,
                        _ => Op::Paraphrase,
                    };
                    let mut parents = [root, root];
                    let mut n_parents = 1;
                    if op == Op::Blend && b > 1 {
                        parents[1] = self.partner(root, &by_cat, &words, &sample, &mut rng);
                        n_parents = 2;
                    }
                    let pdate = parents[..n_parents as usize]
                        .iter()
                        .filter_map(|&p| plans[p as usize].date)
                        .max()
                        .expect("dated");
                    let c = rng.random_bool(spec.credit_share);
                    credited += usize::from(c);
                    plans.push(Plan {
                        role: Role::Derived(Derivation {
                            kind,
                            op,
                            parents,
                            n_parents,
                            generation: 1,
                            root,
                            credited: c,
                            byline: rng.random_bool(spec.byline_share),
                        }),
                        number: numbers[ki],
                        date: Some(add_days(pdate, rng.random_range(0..=3))),
                        outlet: rng.random_range(0..outlets),
                    });
                    numbers[ki] += 1;
                }
            }
        }

        // Filler, in the styles of the base sources, in proportion.
        let mut style_weights = vec![0usize; self.filler.styles()];
        for a in self.base {
            style_weights[self.filler.style_of(a.source.as_deref().unwrap_or(""))] += 1;
        }
        let total_w: usize = style_weights.iter().sum();
        for k in 0..f {
            let mut x = rng.random_range(0..total_w.max(1));
            let mut style = 0;
            for (s, &w) in style_weights.iter().enumerate() {
                if x < w {
                    style = s;
                    break;
                }
                x -= w;
            }
            plans.push(Plan {
                role: Role::Filler(style as u8),
                number: k as u32,
                date: None,
                outlet: rng.random_range(0..outlets),
            });
        }

        let mut order: Vec<u32> = (0..plans.len() as u32).collect();
        order.shuffle(&mut rng);

        let mut c = BTreeMap::new();
        c.insert("total".to_string(), n);
        c.insert("base".to_string(), b);
        c.insert("unrelated".to_string(), f);
        c.insert("derived".to_string(), d);
        for (k, &n) in DerivationKind::ALL.iter().zip(&counts) {
            c.insert(k.name().to_string(), n);
        }
        for (g, &n) in chain_gens.iter().enumerate() {
            c.insert(format!("chain_gen{}", g + 1), n);
        }
        c.insert("credited".to_string(), credited);
        for a in sample.iter().map(|&i| &self.base[i as usize]) {
            let s = a.source.clone().unwrap_or_default();
            *c.entry(format!("base_{}", s.to_lowercase())).or_insert(0) += 1;
        }
        self.plans = plans;
        self.order = order;
        self.counts = c;
    }

    /// A blend partner for base plan `a`: among up to 16 random others of
    /// its category, the one sharing the most content words.
    fn partner(
        &self,
        a: u32,
        by_cat: &BTreeMap<String, Vec<u32>>,
        words: &[Vec<u64>],
        sample: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        let cat = category(&self.base[sample[a as usize] as usize]);
        let pool = by_cat.get(&cat).filter(|p| p.len() > 1);
        let b = sample.len() as u32;
        let mut best: Option<(usize, u32)> = None;
        for _ in 0..16 {
            let c = match pool {
                Some(p) => *p.choose(rng).expect("non-empty"),
                None => rng.random_range(0..b),
            };
            if c == a {
                continue;
            }
            let score = crate::measure::intersection(&words[a as usize], &words[c as usize]);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        best.map_or((a + 1) % b, |(_, c)| c)
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

    /// The body of plan `idx` (without its byline): what a descendant copies.
    fn body(&self, idx: u32, para: &Paraphraser<'_>) -> Doc {
        let p = &self.plans[idx as usize];
        let mut rng = self.rng(idx, 0);
        match p.role {
            Role::Base(i) => self.docs[i as usize].clone(),
            Role::Filler(style) => self.filler.article(style as usize, &mut rng),
            Role::Derived(d) => {
                let parent = self.body(d.parents[0], para);
                let style = self.filler.style_of(self.source(d.root));
                let rw = para.rewrites();
                let mut doc = match d.op {
                    Op::Copy => {
                        let mut c = parent.clone();
                        if rng.random_bool(0.5) {
                            c.title = edit::retitle(&parent, rw, &mut rng);
                        }
                        c
                    }
                    Op::LightEdit => {
                        edit::light_edit(&parent, rw, &self.filler, style, 2, &mut rng)
                    }
                    Op::Reorder => edit::reorder(&parent, rw, &self.filler, style, &mut rng),
                    Op::Blend => {
                        let other = self.body(d.parents[1], para);
                        edit::blend(&parent, &other, &mut rng)
                    }
                    Op::Paraphrase => para.doc(&parent, &mut rng),
                };
                // Every link of a chain adds material of its own: a
                // republication that adds nothing is the same text as its
                // parent, and no reader (nor unspun) could tell which of
                // the two a third generation copied.
                if d.kind == DerivationKind::Chain {
                    self.own_material(&mut doc, style, para, &mut rng);
                }
                if d.credited {
                    let names: Vec<&str> = d.parents[..d.n_parents as usize]
                        .iter()
                        .map(|&q| self.source(q))
                        .collect();
                    outlet::credit(&mut rng, &mut doc, &names);
                }
                doc.byline = None;
                doc
            }
        }
    }

    /// What each link of a chain adds: new material and at least one
    /// distinctive change, all marked fixed for the descendants.
    fn own_material(
        &self,
        doc: &mut Doc,
        style: usize,
        para: &Paraphraser<'_>,
        rng: &mut ChaCha8Rng,
    ) {
        if rng.random_bool(0.5) {
            edit::add_paragraph(doc, &self.filler, style, rng);
        } else {
            for _ in 0..rng.random_range(1..=2) {
                edit::add_sentence(doc, &self.filler, style, rng);
            }
        }
        let changed = match edit::change_number(doc, rng) {
            Some(pos) => vec![pos],
            None => edit::swap_words(doc, para.rewrites(), 1, rng),
        };
        for (p, i) in changed {
            doc.paras[p][i].fixed = true;
        }
    }

    /// The article of plan `idx`, as published.
    fn article(&self, idx: u32, para: &Paraphraser<'_>) -> Article {
        let p = &self.plans[idx as usize];
        let mut doc = self.body(idx, para);
        let mut rng = self.rng(idx, 1);
        let date = match p.role {
            Role::Filler(style) => self.filler.date(style as usize, &mut rng),
            _ => p.date,
        };
        if let Role::Derived(d) = p.role {
            if d.byline {
                doc.byline = Some(outlet::byline(&mut rng, self.source(idx)));
            }
        }
        Article {
            id: self.id(idx),
            date,
            source: Some(self.source(idx).to_string()),
            title: Some(doc.title.clone()),
            url: None,
            fetched_url: None,
            extraction: None,
            page_spans: Vec::new(),
            text: doc.render(),
        }
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

/// Hashes of the distinct lower-case words of five letters or more.
fn content_hashes(doc: &Doc) -> Vec<u64> {
    let mut v: Vec<u64> = doc
        .sentences()
        .flat_map(|s| s.text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_alphabetic()))
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.to_lowercase().as_bytes()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One line of `articles.jsonl`, in the field order `unspun ingest` documents.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: &'a str,
}

/// Writes one article as a JSON line.
pub(crate) fn write_article(w: &mut impl Write, a: &Article) -> Result<()> {
    let line = Line {
        id: a.id.as_str(),
        date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
        source: a.source.as_deref(),
        title: a.title.as_deref(),
        text: &a.text,
    };
    serde_json::to_writer(&mut *w, &line).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Writes one truth record as a JSON line.
pub(crate) fn write_truth(w: &mut impl Write, t: &Truth) -> Result<()> {
    serde_json::to_writer(&mut *w, t).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    Ok(())
}

impl Generator<'_> {
    /// Generates the whole corpus in memory.
    pub fn generate(&self) -> Corpus {
        let mut articles = Vec::with_capacity(self.len());
        let manifest = self
            .run(
                &mut |batch| {
                    articles.extend(batch);
                    Ok(())
                },
                &mut |_| {},
            )
            .expect("an in-memory sink does not fail");
        Corpus {
            articles,
            truth: self.truths().collect(),
            manifest,
        }
    }

    /// Streams the corpus: truth lines first (plan order), then the
    /// articles (shuffled order), batch by batch, calling `progress` after
    /// each batch.
    pub fn write_to(
        &self,
        mut articles: impl Write,
        mut truth: impl Write,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Manifest> {
        for t in self.truths() {
            write_truth(&mut truth, &t)?;
        }
        truth.flush()?;
        let manifest = self.run(
            &mut |batch| {
                for a in &batch {
                    write_article(&mut articles, a)?;
                }
                Ok(())
            },
            progress,
        )?;
        articles.flush()?;
        Ok(manifest)
    }
}
