//! # unspun-corpus: benchmark corpora with known lineage
//!
//! Builds a news corpus of any size in which the origin of every article is
//! known, to measure how well a provenance tool (unspun, or MinHash LSH, or
//! anything else) recovers it. Three kinds of article go in:
//!
//! - **base**: real articles (BBC News 2,225 and Reuters-21578, loaded with
//!   [`load_base`]), the originals;
//! - **derived**: made from base articles by one of the
//!   [`DerivationKind`]s — verbatim copy, light edit, reorder, blend of two
//!   sources, rule-based paraphrase, and lineage chains two or three
//!   generations deep — each recorded in a [`Truth`] with its parents, the
//!   originals at its root, its generation and whether it credits its
//!   source;
//! - **unrelated** filler: novel text from an order-2 Markov chain trained
//!   on the base, filtered so that it shares no word 5-gram with any base
//!   article, so it derives from nothing.
//!
//! The same [`CorpusSpec`] (size, seed, shares) and base give byte-identical
//! output: every choice is drawn from ChaCha RNGs seeded from the spec's
//! seed, nothing is iterated in hash-map order, and articles are generated
//! in parallel but written in a fixed order. Generation streams
//! ([`generate_to`]), so a million articles need little memory.
//!
//! ## Output files ([`write()`], `unspun-corpus generate`)
//!
//! - `articles.jsonl`: one article per line in the format `unspun ingest
//!   --format jsonl` reads, in a shuffled order:
//!   `{"id":"d-paraphrase-17","date":"2005-03-14","source":"Metro Wire","title":"...","text":"...\n\n..."}`.
//! - `truth.jsonl`: one line per derived article:
//!   `{"id":"d-chain-5","kind":"chain","parents":["d-chain-4"],"original":["reuters-1234"],"generation":2,"credited":false}`.
//! - `manifest.json`: the spec, counts per kind, inputs, a note on each
//!   kind, and the measured word 5-gram Jaccard similarity (and content-word
//!   survival) between derived articles and their parents, per kind
//!   ([`Manifest`]).
//!
//! ## How far this is from real AI rewrites
//!
//! The paraphrases are made by rules, not by a language model: a table of
//! ~715 word and phrase rewrites, a handful of clause moves with reliable
//! surface patterns (attributions, reported speech, leading and time
//! phrases, passive with agent, sentence splits), number re-formatting, and
//! compression by cutting trailing phrases and dropping or merging
//! sentences. They are tuned to defeat verbatim-overlap methods the way
//! real rewrites do (mean word 5-gram Jaccard to the source about 0.15, 99%
//! of pairs below 0.5, so MinHash LSH at 0.5 misses them) while keeping
//! names, numbers and rare words (about 64% of the source's distinct content
//! words survive). But they do not summarise, reorder ideas across
//! sentences, invent facts, change register or write fluent new sentences;
//! a synonym is sometimes wrong for its context and some sentences come out
//! clumsy; dropped material is chosen by overlap, not by importance; and
//! the new material in edits and chains is Markov text, on topic only by
//! word choice. A tool tuned to these rules could exploit them. Results on
//! this corpus measure scale and the copy-to-medium-rewrite cases; the real
//! check for paraphrase remains the seed rewrites in `examples/seeds` and
//! the PAN 2025 generated-plagiarism sample.
//!
//! Two more caveats: ids (`d-paraphrase-17`, `f-3`) and sources (only base
//! articles are from BBC or Reuters) give the answer away, so a tool under
//! test must ignore them (or use `opaque_ids`); and the base holds
//! look-alikes the truth does not list. Exact and near-duplicate bodies
//! are removed (word 5-gram Jaccard at least 0.8, or 90% of the shorter
//! one's 5-grams in the longer: a story filed twice, or an early version
//! of a longer update; some 250 of the 14,400 usable articles), but
//! Reuters-21578 still has many stories written from one template, such as
//! dividend notices that differ in the company and the figures.
//!
//! ## Format versions
//!
//! The manifest's `format` ([`CORPUS_FORMAT`]) changes whenever the same
//! spec would give a different corpus, so that a script reusing a corpus
//! can tell a stale one. Format 2 (2026-11-23) removes near-duplicate base
//! articles; format 1 kept them (manifests without the field).
//!
//! ## Example
//!
//! ```no_run
//! use unspun_corpus::{generate, load_base, CorpusSpec, DerivationKind};
//!
//! let data = unspun_corpus::default_data_dir();
//! let base = load_base(
//!     Some(&data.join("bbc-news-2225/bbc")),
//!     Some(&data.join("reuters21578")),
//! )?;
//! let corpus = generate(&CorpusSpec::new(2_000, 42), &base)?;
//! assert_eq!(corpus.articles.len(), 2_000);
//! let chains = corpus.truth.iter().filter(|t| t.kind == DerivationKind::Chain).count();
//! println!("{} derived, {chains} in chains", corpus.truth.len());
//! unspun_corpus::write(&corpus, std::path::Path::new("/tmp/corpus-2k"))?;
//! # Ok::<(), unspun_corpus::CorpusError>(())
//! ```
//!
//! A small runnable one, on two made-up base articles:
//!
//! ```
//! use unspun_article::{Article, ArticleId};
//! use unspun_corpus::{generate, CorpusSpec};
//!
//! let text = |topic: &str| format!(
//!     "Shares in {topic} rose 5% on Tuesday, the company said. Analysts expected a rise. \
//!      The firm employs 3,400 people.\n\nIt will report results in May, officials said. \
//!      Profits were higher than last year because of strong sales in Europe."
//! );
//! let base: Vec<Article> = ["Acme", "Globex"]
//!     .iter()
//!     .map(|t| {
//!         let mut a = Article::new(ArticleId::new(format!("demo/{t}")).unwrap(), text(t));
//!         a.source = Some("Reuters".into());
//!         a.title = Some(format!("{t} shares rise"));
//!         a.date = chrono::NaiveDate::from_ymd_opt(1987, 3, 2);
//!         a
//!     })
//!     .collect();
//! let corpus = generate(&CorpusSpec::new(12, 7), &base)?;
//! assert_eq!(corpus.articles.len(), 12);
//! assert_eq!(corpus.truth.len(), 3); // round(12 × 0.25)
//! assert_eq!(corpus, generate(&CorpusSpec::new(12, 7), &base)?);
//! # Ok::<(), unspun_corpus::CorpusError>(())
//! ```
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use unspun_article::Article;

mod base;
mod doc;
mod edit;
mod error;
mod filler;
mod generate;
mod measure;
mod outlet;
mod paraphrase;
mod rules;
mod spec;
mod words;

pub use base::{
    default_bbc_dir, default_data_dir, default_reuters_dir, load_base, BBC_PREFIX, MIN_SENTENCES,
    NEAR_DUPLICATE_CONTAINMENT, NEAR_DUPLICATE_JACCARD,
};
pub use error::{CorpusError, Result};
pub use generate::{Generator, Progress};
pub use measure::{jaccard_5gram, Distribution};
pub use spec::{CorpusSpec, DerivationKind, KindMix, Truth};

/// The file names written into an output directory.
pub const ARTICLES_FILE: &str = "articles.jsonl";
/// See [`ARTICLES_FILE`].
pub const TRUTH_FILE: &str = "truth.jsonl";
/// See [`ARTICLES_FILE`].
pub const MANIFEST_FILE: &str = "manifest.json";

/// A generated corpus, in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    /// Every article, in output (shuffled) order.
    pub articles: Vec<Article>,
    /// One record per derived article.
    pub truth: Vec<Truth>,
    /// What was generated and measured.
    pub manifest: Manifest,
}

/// The corpus format this generator writes (see "Format versions" above).
pub const CORPUS_FORMAT: u32 = 2;

fn format_one() -> u32 {
    1
}

/// `manifest.json`: what a corpus is and what was measured on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `unspun-corpus`.
    pub generator: String,
    /// [`CORPUS_FORMAT`] of the generator that wrote it (1 when absent).
    #[serde(default = "format_one")]
    pub format: u32,
    /// The generator's version.
    pub version: String,
    /// The seed.
    pub seed: u64,
    /// The number of articles.
    pub size: usize,
    /// The full specification.
    pub spec: CorpusSpec,
    /// Articles per kind: `total`, `base` (and `base_bbc`, `base_reuters`),
    /// `unrelated`, `derived`, each derivation kind, `chain_gen1..3`,
    /// `credited`.
    pub counts: BTreeMap<String, usize>,
    /// Usable base articles per source before sampling.
    pub base_available: BTreeMap<String, usize>,
    /// Input paths (set by the caller; empty when unknown).
    pub inputs: BTreeMap<String, String>,
    /// What each kind does.
    pub kinds: BTreeMap<String, String>,
    /// Word 5-gram Jaccard to the parent, per kind (`chain_gen1..3`,
    /// `chain_vs_original` for chains).
    pub jaccard_5gram: BTreeMap<String, Distribution>,
    /// Share of the parent's distinct content words kept, per kind.
    pub content_word_survival: BTreeMap<String, Distribution>,
    /// How the measurements were taken.
    pub measure_note: String,
}

/// Generates a corpus in memory. Fine for tests and corpora up to some
/// 100,000 articles; use [`generate_to`] beyond.
///
/// Fails if the spec is invalid or `base` is empty.
pub fn generate(spec: &CorpusSpec, base: &[Article]) -> Result<Corpus> {
    Ok(Generator::new(spec, base)?.generate())
}

/// Generates a corpus and streams it: truth lines to `truth`, then article
/// lines to `articles` as they are produced (in batches of a few thousand,
/// generated in parallel). Returns the manifest, to be written with
/// [`write_manifest`]. `progress` is called after each batch.
pub fn generate_to(
    spec: &CorpusSpec,
    base: &[Article],
    articles: impl Write,
    truth: impl Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest> {
    Generator::new(spec, base)?.write_to(articles, truth, progress)
}

/// Writes an in-memory corpus into `dir` (created if needed):
/// `articles.jsonl`, `truth.jsonl`, `manifest.json`.
pub fn write(corpus: &Corpus, dir: &Path) -> Result<()> {
    create_dir(dir)?;
    let path = dir.join(ARTICLES_FILE);
    let wrap = |source| CorpusError::Write {
        path: path.clone(),
        source,
    };
    let mut w = BufWriter::new(File::create(&path).map_err(wrap)?);
    for a in &corpus.articles {
        generate::write_article(&mut w, a)?;
    }
    w.flush().map_err(wrap)?;
    let path = dir.join(TRUTH_FILE);
    let mut w = BufWriter::new(File::create(&path).map_err(|source| CorpusError::Write {
        path: path.clone(),
        source,
    })?);
    for t in &corpus.truth {
        generate::write_truth(&mut w, t)?;
    }
    w.flush()?;
    write_manifest(&corpus.manifest, dir)
}

/// Writes `manifest.json` into `dir`.
pub fn write_manifest(manifest: &Manifest, dir: &Path) -> Result<()> {
    create_dir(dir)?;
    let path = dir.join(MANIFEST_FILE);
    let mut text = serde_json::to_string_pretty(manifest).map_err(std::io::Error::from)?;
    text.push('\n');
    std::fs::write(&path, text).map_err(|source| CorpusError::Write { path, source })
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| CorpusError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use unspun_article::read::{read_paths, Format, ReadEvent, ReadOptions};
    use unspun_segment::Segmenter;

    use super::*;
    use crate::base::tests::sample_base;

    /// A corpus of 600 on the sample base (420 real articles): 150 derived,
    /// 420 base, 30 filler. Generated once per test binary.
    fn corpus() -> &'static Corpus {
        static C: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
        C.get_or_init(|| generate(&CorpusSpec::new(600, 11), sample_base()).unwrap())
    }

    fn by_id(c: &Corpus) -> HashMap<&str, &Article> {
        c.articles.iter().map(|a| (a.id.as_str(), a)).collect()
    }

    fn sentences(text: &str) -> BTreeSet<String> {
        Segmenter::new()
            .split(text)
            .iter()
            .map(|s| s.span.text(text).to_string())
            .collect()
    }

    #[test]
    fn composition() {
        let c = corpus();
        assert_eq!(c.articles.len(), 600);
        assert_eq!(c.truth.len(), 150);
        let counts = &c.manifest.counts;
        assert_eq!(counts["base"], sample_base().len());
        assert_eq!(counts["derived"], 150);
        assert_eq!(counts["unrelated"], 600 - 150 - sample_base().len());
        for kind in DerivationKind::ALL {
            let n = c.truth.iter().filter(|t| t.kind == kind).count();
            assert_eq!(counts[kind.name()], n, "{kind}");
            assert!(n > 0, "{kind}");
        }
        let fillers = c
            .articles
            .iter()
            .filter(|a| a.id.as_str().starts_with("f-"))
            .count();
        assert_eq!(fillers, counts["unrelated"]);
        // Shuffled: the first lines are not all base articles.
        let first_base = c.articles[..50]
            .iter()
            .filter(|a| matches!(a.source.as_deref(), Some("BBC" | "Reuters")))
            .count();
        assert!(first_base < 50);
    }

    #[test]
    fn ids_unique_and_truth_consistent() {
        let c = corpus();
        let ids = by_id(c);
        assert_eq!(ids.len(), c.articles.len(), "ids are unique");
        let base_ids: BTreeSet<&str> = sample_base().iter().map(|a| a.id.as_str()).collect();
        let truth: HashMap<&str, &Truth> = c.truth.iter().map(|t| (t.id.as_str(), t)).collect();
        for t in &c.truth {
            let a = ids[t.id.as_str()];
            assert!(t.id.as_str().starts_with(&format!("d-{}-", t.kind.name())));
            let want = if t.kind == DerivationKind::Blend {
                2
            } else {
                1
            };
            assert_eq!(t.parents.len(), want, "{}", t.id);
            for p in t.parents.iter().chain(&t.original) {
                assert!(ids.contains_key(p.as_str()), "{} -> {p} missing", t.id);
            }
            for o in &t.original {
                assert!(base_ids.contains(o.as_str()), "{o} is not a base article");
            }
            // Generations and dates along every edge.
            for p in &t.parents {
                let parent_gen = truth.get(p.as_str()).map_or(0, |pt| pt.generation);
                assert_eq!(t.generation, parent_gen + 1, "{}", t.id);
                let (d, pd) = (a.date.unwrap(), ids[p.as_str()].date.unwrap());
                assert!(d >= pd, "{} dated before {p}", t.id);
                if t.kind == DerivationKind::Chain {
                    assert!(d > pd, "chain dates strictly increase: {}", t.id);
                    assert!((d - pd).num_days() <= 3);
                }
            }
            if t.kind != DerivationKind::Chain {
                assert_eq!(t.generation, 1);
                assert_eq!(t.original, t.parents);
            } else if t.generation > 1 {
                let pt = truth[t.parents[0].as_str()];
                assert_eq!(pt.kind, DerivationKind::Chain);
                assert_eq!(pt.original, t.original);
            }
            let source = a.source.as_deref().unwrap();
            assert!(outlet::OUTLETS.iter().any(|o| o.0 == source), "{source}");
            if t.credited {
                let named = t.parents.iter().any(|p| {
                    outlet::is_credited(&a.text, ids[p.as_str()].source.as_deref().unwrap())
                });
                assert!(named, "{} does not credit its source", t.id);
            }
        }
        let gens: BTreeSet<u8> = c
            .truth
            .iter()
            .filter(|t| t.kind == DerivationKind::Chain)
            .map(|t| t.generation)
            .collect();
        assert_eq!(gens, BTreeSet::from([1, 2, 3]));
        let credited = c.truth.iter().filter(|t| t.credited).count() as f64;
        assert!((0.25..0.55).contains(&(credited / c.truth.len() as f64)));
    }

    #[test]
    fn kinds_look_like_their_kind() {
        let c = corpus();
        let ids = by_id(c);
        let mut jaccards: BTreeMap<DerivationKind, Vec<f64>> = BTreeMap::new();
        for t in &c.truth {
            let a = ids[t.id.as_str()];
            let p = ids[t.parents[0].as_str()];
            let j = jaccard_5gram(&a.text, &p.text);
            jaccards.entry(t.kind).or_default().push(j);
            match t.kind {
                DerivationKind::Copy => {
                    assert!(a.text.ends_with(&p.text) || t.credited, "{}", t.id);
                    if !t.credited && a.text == p.text {
                        assert_eq!(j, 1.0);
                    }
                }
                DerivationKind::Blend => {
                    let own = sentences(&a.text);
                    for parent in &t.parents {
                        let ps = sentences(&ids[parent.as_str()].text);
                        let shared = own.intersection(&ps).count();
                        assert!(
                            shared >= 1,
                            "{} has nothing of {parent}:\n{}\n---\n{}",
                            t.id,
                            a.text,
                            ids[parent.as_str()].text
                        );
                    }
                }
                DerivationKind::LightEdit | DerivationKind::Reorder => {
                    assert_ne!(a.text, p.text, "{}", t.id);
                    assert!(j > 0.05, "{} {j}", t.id);
                }
                _ => {}
            }
        }
        let mean = |k| {
            let v = &jaccards[&k];
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(
            mean(DerivationKind::Paraphrase) < 0.2,
            "{}",
            mean(DerivationKind::Paraphrase)
        );
        assert!(mean(DerivationKind::Copy) > 0.9);
        assert!(mean(DerivationKind::LightEdit) > 0.5);
        assert!(mean(DerivationKind::Reorder) > 0.35);
        // The manifest measured the same pairs the same way.
        let m = &c.manifest.jaccard_5gram["paraphrase"];
        assert!((m.mean - mean(DerivationKind::Paraphrase)).abs() < 0.01);
        assert!(c.manifest.jaccard_5gram.contains_key("chain_vs_original"));
    }

    #[test]
    fn chains_keep_their_ancestors_material() {
        let base = sample_base();
        let g = Generator::new(&CorpusSpec::new(600, 11), base).unwrap();
        let lex = g.lexicon_for_tests();
        let para = crate::paraphrase::Paraphraser::new(lex);
        let mut checked = 0;
        for (idx, parent) in g.chain_links() {
            let child = g.body_for_tests(idx, &para).render();
            let pdoc = g.body_for_tests(parent, &para);
            for s in pdoc.sentences().filter(|s| s.fixed) {
                assert!(child.contains(&s.text), "lost {:?}", s.text);
                checked += 1;
            }
        }
        assert!(checked > 5, "{checked}");
    }

    #[test]
    fn every_chain_link_adds_material_of_its_own() {
        let base = sample_base();
        let g = Generator::new(&CorpusSpec::new(600, 11), base).unwrap();
        let lex = g.lexicon_for_tests();
        let para = crate::paraphrase::Paraphraser::new(lex);
        let links = g.chain_links();
        assert!(!links.is_empty());
        for (idx, parent) in links {
            let child = g.body_for_tests(idx, &para);
            let parent_text = g.body_for_tests(parent, &para).render();
            let own = child
                .sentences()
                .filter(|s| s.fixed && !parent_text.contains(&s.text))
                .count();
            assert!(own >= 1, "link {idx} adds nothing to {parent}");
        }
    }

    #[test]
    fn same_seed_same_bytes() {
        let base = &sample_base()[..150];
        let spec = CorpusSpec::new(220, 5);
        let d1 = tempfile::tempdir().unwrap();
        let d2 = tempfile::tempdir().unwrap();
        write(&generate(&spec, base).unwrap(), d1.path()).unwrap();
        // The streaming path writes the same articles and truth.
        let mut articles = Vec::new();
        let mut truth = Vec::new();
        let m = generate_to(&spec, base, &mut articles, &mut truth, &mut |_| {}).unwrap();
        write_manifest(&m, d2.path()).unwrap();
        std::fs::write(d2.path().join(ARTICLES_FILE), &articles).unwrap();
        std::fs::write(d2.path().join(TRUTH_FILE), &truth).unwrap();
        for f in [ARTICLES_FILE, TRUTH_FILE, MANIFEST_FILE] {
            let a = std::fs::read(d1.path().join(f)).unwrap();
            let b = std::fs::read(d2.path().join(f)).unwrap();
            assert!(!a.is_empty());
            assert!(a == b, "{f} differs");
        }
        let other = generate(&CorpusSpec::new(220, 6), base).unwrap();
        let mut again = Vec::new();
        for a in &other.articles {
            generate::write_article(&mut again, a).unwrap();
        }
        assert_ne!(again, articles, "another seed gives another corpus");
    }

    #[test]
    fn output_files_are_valid_jsonl() {
        let c = corpus();
        let dir = tempfile::tempdir().unwrap();
        write(c, dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(ARTICLES_FILE)).unwrap();
        assert_eq!(text.lines().count(), 600);
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys.len(), 5, "{line}");
            for k in ["id", "date", "source", "title", "text"] {
                assert!(v[k].is_string(), "{k} in {line}");
            }
            let date = v["date"].as_str().unwrap();
            assert!(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok());
            let body = v["text"].as_str().unwrap();
            assert!(!body.contains("\n\n\n") && !body.starts_with('\n'));
        }
        // unspun's own reader takes it without a warning or an error.
        let mut read = 0;
        read_paths(
            &[dir.path().join(ARTICLES_FILE)],
            &ReadOptions {
                format: Format::Jsonl,
                ..ReadOptions::default()
            },
            &mut |e| match e {
                ReadEvent::Article { .. } => read += 1,
                other => panic!("{other:?}"),
            },
        );
        assert_eq!(read, 600);
        let truth = std::fs::read_to_string(dir.path().join(TRUTH_FILE)).unwrap();
        for line in truth.lines() {
            let t: Truth = serde_json::from_str(line).unwrap();
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v.as_object().unwrap().len(), 6);
            assert!((1..=3).contains(&t.generation));
        }
        let m: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(MANIFEST_FILE)).unwrap())
                .unwrap();
        assert_eq!(&m, &c.manifest);
        assert_eq!(m.kinds.len(), 8);
    }

    #[test]
    fn small_and_edge_sizes() {
        let base = &sample_base()[..20];
        for n in [0, 1, 2, 5, 40] {
            let c = generate(&CorpusSpec::new(n, 3), base).unwrap();
            assert_eq!(c.articles.len(), n);
            let ids: BTreeSet<&str> = c.articles.iter().map(|a| a.id.as_str()).collect();
            for t in &c.truth {
                assert!(t.parents.iter().all(|p| ids.contains(p.as_str())));
            }
        }
        let mut spec = CorpusSpec::new(30, 3);
        spec.opaque_ids = true;
        let c = generate(&spec, base).unwrap();
        assert!(c
            .truth
            .iter()
            .all(|t| t.id.as_str().starts_with("a-") && t.id.as_str().len() == 18));
        spec.derived_share = 2.0;
        assert!(matches!(generate(&spec, base), Err(CorpusError::Spec(_))));
        assert!(matches!(
            generate(&CorpusSpec::new(5, 1), &[]),
            Err(CorpusError::NoBase { .. })
        ));
    }
}
