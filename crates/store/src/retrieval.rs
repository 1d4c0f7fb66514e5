//! The tantivy half of the embedded store: BM25 retrieval over pre-analysed
//! terms.
//!
//! One document per (article key, revision). Besides the `terms` text field
//! each document carries:
//! - `key`: the SQLite rowid (indexed, fast, stored), to map hits back;
//! - `rev`: the article revision the terms were computed from (fast), so a
//!   query can tell a current document from an orphan of a crashed batch;
//! - `kr`: the string `"<key>:<rev>"` (indexed, raw), the exact identity a
//!   writer deletes by — deleting by `key` alone would also remove the
//!   still-valid document of the committed revision (see the crate docs);
//! - `band`: the MinHash LSH band keys (indexed u64 below 2^32,
//!   multi-valued). An inverted index is what band lookup is: random keys
//!   inserted into a SQLite b-tree cost one random page write each, which
//!   dominated ingest time and grew with the corpus; tantivy sorts them per
//!   segment.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::directory::MmapDirectory;
use tantivy::fastfield::Column;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, WhitespaceTokenizer};
use tantivy::{
    DocId, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term, TERMINATED,
};

use crate::error::{io_error, Ctx, Result, StoreError};
use crate::frozen::FrozenStats;

/// Name of the index directory inside the store directory.
pub(crate) const INDEX_DIR: &str = "retrieval";

/// Name under which the whitespace tokenizer is registered. Terms arrive
/// already analysed (stemmed, case-folded as the caller sees fit), so the
/// index must not change them: no lowercasing, no stemming.
const TOKENIZER: &str = "unspun_ws";

/// Terms of this many bytes or more are dropped at indexing time (tantivy's
/// `RemoveLongFilter` keeps shorter ones). tantivy cannot index terms
/// beyond ~64 KiB, and nothing useful is that long.
pub(crate) const MAX_TERM_BYTES: usize = 1024;

/// Indexing memory of the writer: when a batch fills it before its commit,
/// tantivy writes a segment early (no error), so this bounds memory only.
const WRITER_MEMORY: usize = 96 << 20;

/// Segments smaller than this count as this size when the merge policy
/// groups segments into levels. tantivy's default, 10,000, put every
/// segment under ~17k documents (a batch's, and the first merges of them)
/// in one level, so the result of a merge was merged again with the next
/// batches' segments; at 1,000 a merged segment moves up a level instead.
const MERGE_MIN_LAYER_DOCS: u32 = 1_000;

/// The schema's fields.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    key: Field,
    rev: Field,
    kr: Field,
    terms: Field,
    band: Field,
}

/// The retrieval index and a shared reader.
pub(crate) struct Retrieval {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// One search hit before it is checked against SQLite.
pub(crate) struct RawHit {
    pub score: f32,
    pub key: u64,
    pub rev: u32,
}

fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field("key", INDEXED | FAST);
    b.add_u64_field("rev", FAST);
    b.add_text_field("kr", STRING);
    // Frequencies for BM25; no positions, no phrase queries are ever made.
    let terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    b.add_text_field("terms", terms);
    b.add_u64_field("band", INDEXED);
    b.build()
}

/// The `kr` identity string of one document.
fn kr_text(key: u64, rev: u32) -> String {
    format!("{key}:{rev}")
}

impl Retrieval {
    /// Creates the index directory and an empty index, or opens the one there.
    pub(crate) fn open_or_create(dir: &Path) -> Result<Retrieval> {
        let path = dir.join(INDEX_DIR);
        std::fs::create_dir_all(&path).map_err(|e| io_error(dir, &path, e))?;
        let mmap = MmapDirectory::open(&path).map_err(|e| StoreError::Index {
            dir: dir.to_path_buf(),
            source: e.into(),
        })?;
        let index = Index::open_or_create(mmap, schema()).ctx(dir)?;
        Self::finish_open(dir, index)
    }

    /// Opens an existing index; a missing one means the store is damaged.
    pub(crate) fn open_existing(dir: &Path) -> Result<Retrieval> {
        let path = dir.join(INDEX_DIR);
        let damaged = || StoreError::Damaged {
            dir: dir.to_path_buf(),
            reason: format!(
                "the retrieval index {} is missing; the articles cannot be searched",
                path.display()
            ),
        };
        if !path.join("meta.json").is_file() {
            return Err(damaged());
        }
        let index = Index::open_in_dir(&path).ctx(dir)?;
        Self::finish_open(dir, index)
    }

    fn finish_open(dir: &Path, index: Index) -> Result<Retrieval> {
        // Tokenizers are not persisted; register on every open.
        index.tokenizers().register(
            TOKENIZER,
            TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TERM_BYTES))
                .build(),
        );
        let schema = index.schema();
        let field = |name: &str| {
            schema.get_field(name).map_err(|_| StoreError::Damaged {
                dir: dir.to_path_buf(),
                reason: format!(
                    "the retrieval index has no field {name:?}; it was not made by unspun"
                ),
            })
        };
        let fields = Fields {
            key: field("key")?,
            rev: field("rev")?,
            kr: field("kr")?,
            terms: field("terms")?,
            band: field("band")?,
        };
        // Our own commits reload explicitly; the delay policy additionally
        // picks up commits of another process that writes the same store.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .ctx(dir)?;
        Ok(Retrieval {
            index,
            reader,
            fields,
        })
    }

    /// A writer for this index; fails with [`StoreError::Locked`] when
    /// another process holds it.
    ///
    /// One indexing thread, and a log merge policy with a lower level floor
    /// ([`MERGE_MIN_LAYER_DOCS`]). Each batch commit turns every indexing
    /// thread's pending documents into a segment, so two threads made two
    /// half-size segments per batch, and each merge rebuilds the term
    /// dictionary of its segments' band keys (32 random keys per article):
    /// merges were 29% of the CPU samples of a 20k ingest. The other core
    /// still works: the SQLite writes run beside the indexing thread, and
    /// merges on tantivy's merge threads. Search results do not depend on
    /// the segment layout (see `search`), so these settings change speed
    /// only (document frequencies count deleted documents until a merge
    /// drops them, which depended on merge timing before as well).
    pub(crate) fn writer(&self, dir: &Path) -> Result<IndexWriter> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .ctx(dir)?;
        let mut policy = LogMergePolicy::default();
        policy.set_min_layer_size(MERGE_MIN_LAYER_DOCS);
        writer.set_merge_policy(Box::new(policy));
        Ok(writer)
    }

    /// Makes the last commit visible to searches.
    pub(crate) fn reload(&self, dir: &Path) -> Result<()> {
        self.reader.reload().ctx(dir)
    }

    /// The document of one article revision.
    pub(crate) fn document(
        &self,
        key: u64,
        rev: u32,
        terms: &[String],
        bands: &[u64],
    ) -> TantivyDocument {
        let mut joined = String::with_capacity(terms.iter().map(|t| t.len() + 1).sum());
        for t in terms {
            joined.push_str(t);
            joined.push(' ');
        }
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.fields.key, key);
        doc.add_u64(self.fields.rev, u64::from(rev));
        doc.add_text(self.fields.kr, kr_text(key, rev));
        doc.add_text(self.fields.terms, joined);
        for &b in bands {
            doc.add_u64(self.fields.band, b);
        }
        doc
    }

    /// The term that deletes exactly the document of (`key`, `rev`).
    pub(crate) fn identity(&self, key: u64, rev: u32) -> Term {
        Term::from_field_text(self.fields.kr, &kr_text(key, rev))
    }

    /// Top `fetch` documents for a boosted disjunction of `terms`, scored
    /// with the live index's statistics or with `frozen` ones.
    pub(crate) fn search(
        &self,
        dir: &Path,
        terms: &[(String, f32)],
        fetch: usize,
        frozen: Option<&FrozenStats>,
    ) -> Result<Vec<RawHit>> {
        // Equal terms are merged by adding their boosts: BM25 is linear in
        // the boost, so the scores are the same and the query is smaller.
        let mut merged: Vec<(&str, f32)> = Vec::with_capacity(terms.len());
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(terms.len());
        for (t, b) in terms {
            if !(b.is_finite() && *b > 0.0) || t.is_empty() {
                continue;
            }
            match seen.get(t.as_str()) {
                Some(&i) => merged[i].1 += b,
                None => {
                    seen.insert(t, merged.len());
                    merged.push((t, *b));
                }
            }
        }
        if merged.is_empty() || fetch == 0 {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = merged
            .into_iter()
            .map(|(t, b)| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.terms, t),
                    IndexRecordOption::WithFreqs,
                ));
                let q: Box<dyn Query> = if b == 1.0 {
                    q
                } else {
                    Box::new(BoostQuery::new(q, b))
                };
                (Occur::Should, q)
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        // Ranked by score, ties by the smaller (key, rev), and scored by
        // plain union rather than block-WAND: which documents make the cut
        // must not depend on how the writer's threads happened to split
        // the documents into segments (block-WAND adds term scores in an
        // order that does, and tantivy breaks ties by segment address).
        // Pinned by `ranking_and_ties_do_not_depend_on_segment_layout`.
        let collector = TopByScoreThenKey { limit: fetch };
        let top = match frozen {
            None => searcher.search(&query, &collector),
            Some(stats) => searcher.search_with_statistics_provider(
                &query,
                &collector,
                &FrozenProvider {
                    stats,
                    terms: self.fields.terms,
                },
            ),
        }
        .ctx(dir)?;
        let mut hits = Vec::with_capacity(top.len());
        for Ranked { score, key, rev } in top {
            if key == u64::MAX {
                // No key column: not a document this store wrote.
                continue;
            }
            hits.push(RawHit {
                score,
                key,
                rev: u32::try_from(rev).unwrap_or(u32::MAX),
            });
        }
        Ok(hits)
    }

    /// For every live document with at least one of `band_keys` (which must
    /// be distinct), its (key, rev) and how many of them it has.
    pub(crate) fn band_counts(
        &self,
        dir: &Path,
        band_keys: &[u64],
    ) -> Result<HashMap<(u64, u32), u32>> {
        let searcher = self.reader.searcher();
        let mut counts: HashMap<(u64, u32), u32> = HashMap::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(self.fields.band).ctx(dir)?;
            let mut columns = None;
            for &b in band_keys {
                let term = Term::from_field_u64(self.fields.band, b);
                let Some(mut postings) = inverted
                    .read_postings(&term, IndexRecordOption::Basic)
                    .map_err(|e| crate::error::index_error(dir, e.into()))?
                else {
                    continue;
                };
                let (key, rev) = match &columns {
                    Some(c) => c,
                    None => {
                        let ff = seg.fast_fields();
                        columns.insert((ff.u64("key").ctx(dir)?, ff.u64("rev").ctx(dir)?))
                    }
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !seg.is_deleted(doc) {
                        if let (Some(k), Some(r)) = (key.first(doc), rev.first(doc)) {
                            *counts
                                .entry((k, u32::try_from(r).unwrap_or(u32::MAX)))
                                .or_insert(0) += 1;
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(counts)
    }

    /// Number of live documents and the document frequency of each term.
    pub(crate) fn doc_freqs(&self, dir: &Path, terms: &[String]) -> Result<(u64, Vec<u64>)> {
        let searcher = self.reader.searcher();
        let n = searcher.num_docs();
        let dfs = terms
            .iter()
            .map(|t| {
                searcher
                    .doc_freq(&Term::from_field_text(self.fields.terms, t))
                    .map(|df| df.min(n))
            })
            .collect::<tantivy::Result<Vec<u64>>>()
            .ctx(dir)?;
        Ok((n, dfs))
    }

    /// The statistics every query would use now, frozen: the numbers of
    /// [`Retrieval::doc_freqs`] and of tantivy's own BM25 statistics.
    pub(crate) fn frozen_stats(&self, dir: &Path) -> Result<FrozenStats> {
        let searcher = self.reader.searcher();
        let mut df: BTreeMap<String, u64> = BTreeMap::new();
        let mut bm25_docs = 0u64;
        let mut bm25_tokens = 0u64;
        let mut max_key: Option<u64> = None;
        for seg in searcher.segment_readers() {
            bm25_docs += u64::from(seg.max_doc());
            let inverted = seg.inverted_index(self.fields.terms).ctx(dir)?;
            bm25_tokens += inverted.total_num_tokens();
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|e| crate::error::index_error(dir, e.into()))?;
            while stream.advance() {
                // Terms are indexed as given, so their bytes are UTF-8; a
                // term that is not cannot be asked for and is skipped.
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *df.entry(term.to_string()).or_insert(0) += u64::from(stream.value().doc_freq);
                }
            }
            let key = seg.fast_fields().u64("key").ctx(dir)?;
            for doc in 0..seg.max_doc() {
                if !seg.is_deleted(doc) {
                    if let Some(k) = key.first(doc) {
                        max_key = Some(max_key.map_or(k, |m| m.max(k)));
                    }
                }
            }
        }
        Ok(FrozenStats::new(
            searcher.num_docs(),
            bm25_docs,
            bm25_tokens,
            max_key,
            df,
        ))
    }

    /// Number of live documents.
    pub(crate) fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// (key, rev) of every live document, for garbage collection and tests.
    pub(crate) fn all_docs(&self, dir: &Path) -> Result<Vec<(u64, u32)>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let key = ff.u64("key").ctx(dir)?;
            let rev = ff.u64("rev").ctx(dir)?;
            for doc in 0..seg.max_doc() {
                if seg.is_deleted(doc) {
                    continue;
                }
                if let (Some(k), Some(r)) = (key.first(doc), rev.first(doc)) {
                    out.push((k, u32::try_from(r).unwrap_or(u32::MAX)));
                }
            }
        }
        Ok(out)
    }
}

/// tantivy's BM25 statistics, read from a [`FrozenStats`].
struct FrozenProvider<'a> {
    stats: &'a FrozenStats,
    terms: Field,
}

impl Bm25StatisticsProvider for FrozenProvider<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(if field == self.terms {
            self.stats.bm25_tokens()
        } else {
            0
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.stats.bm25_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(term
            .value()
            .as_str()
            .map_or(0, |t| self.stats.bm25_doc_freq(t)))
    }
}

/// A search hit in the order a search ranks them: higher score first, then
/// the smaller key, then the smaller revision.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    score: Score,
    key: u64,
    rev: u64,
}

impl Ranked {
    fn rank(&self, other: &Ranked) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.key.cmp(&self.key))
            .then_with(|| other.rev.cmp(&self.rev))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// The best `limit` documents by [`Ranked`], over every matching document
/// (plain union: the same cut whatever the segment layout).
///
/// Why not `TopDocs::tweak_score` with the key as a tie-breaker: that
/// reads the key and revision columns of every document the union visits,
/// and the union grows with the corpus (a 1M-article trace visits some
/// 10^5 documents; those reads were 14% of its time). Here a document is
/// only looked up when its score can still enter the top `limit`: at or
/// above the worst score kept so far.
struct TopByScoreThenKey {
    limit: usize,
}

struct TopInSegment {
    limit: usize,
    key: Option<Column<u64>>,
    rev: Option<Column<u64>>,
    /// The kept hits, worst on top.
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl Collector for TopByScoreThenKey {
    type Fruit = Vec<Ranked>;
    type Child = TopInSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopInSegment> {
        let ff = reader.fast_fields();
        Ok(TopInSegment {
            limit: self.limit,
            key: ff.u64("key").ok(),
            rev: ff.u64("rev").ok(),
            heap: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = segments.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for TopInSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 {
            return;
        }
        let full = self.heap.len() >= self.limit;
        if full && self.heap.peek().is_some_and(|w| score < w.0.score) {
            return;
        }
        // No key column: not a document this store wrote (dropped later).
        let hit = Ranked {
            score,
            key: self
                .key
                .as_ref()
                .and_then(|c| c.first(doc))
                .unwrap_or(u64::MAX),
            rev: self
                .rev
                .as_ref()
                .and_then(|c| c.first(doc))
                .unwrap_or(u64::MAX),
        };
        if !full {
            self.heap.push(Reverse(hit));
        } else if self.heap.peek().is_some_and(|w| hit > w.0) {
            self.heap.pop();
            self.heap.push(Reverse(hit));
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        self.heap.into_iter().map(|r| r.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexes `docs` (key, terms) committing after every `per_commit`
    /// documents, so that each layout gives other segments and addresses.
    fn index_with_layout(
        docs: &[(u64, &str)],
        per_commit: usize,
    ) -> (tempfile::TempDir, Retrieval) {
        let dir = tempfile::tempdir().unwrap();
        let r = Retrieval::open_or_create(dir.path()).unwrap();
        let mut w = r.writer(dir.path()).unwrap();
        for chunk in docs.chunks(per_commit) {
            for (key, text) in chunk {
                let terms: Vec<String> = text.split(' ').map(str::to_string).collect();
                w.add_document(r.document(*key, 1, &terms, &[])).unwrap();
            }
            w.commit().unwrap();
        }
        r.reload(dir.path()).unwrap();
        (dir, r)
    }

    #[test]
    fn ranking_and_ties_do_not_depend_on_segment_layout() {
        // Reuters-21578 repeats whole bodies under new ids: equal texts
        // score equally, and the cut between them must go by key.
        let texts = [
            "kyiv talks ceasefire envoy witkoff putin",
            "opec output quota saudi crude",
            "kyiv talks ceasefire envoy witkoff putin",
            "kyiv drone strike overnight energy",
            "kyiv talks ceasefire envoy witkoff putin",
            "putin envoy talks moscow kremlin",
            "kyiv talks ceasefire envoy witkoff putin",
        ];
        let mut docs: Vec<(u64, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u64 * 7 % 11 + 1, *t))
            .collect();
        let query: Vec<(String, f32)> = ["kyiv", "talks", "envoy", "putin", "witkoff"]
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), 1.0 + i as f32 * 0.37))
            .collect();
        let keys = |r: &Retrieval, d: &Path| -> Vec<(u64, u32)> {
            r.search(d, &query, 3, None)
                .unwrap()
                .into_iter()
                .map(|h| (h.key, h.rev))
                .collect()
        };
        let (d1, one_segment) = index_with_layout(&docs, docs.len());
        let first = keys(&one_segment, d1.path());
        docs.reverse();
        let (d2, many_segments) = index_with_layout(&docs, 1);
        assert_eq!(keys(&many_segments, d2.path()), first);
        // The four equal documents tie; the three smallest keys win.
        let mut tied: Vec<u64> = docs
            .iter()
            .filter(|(_, t)| *t == texts[0])
            .map(|(k, _)| *k)
            .collect();
        tied.sort_unstable();
        assert_eq!(first, tied[..3].iter().map(|k| (*k, 1)).collect::<Vec<_>>());
    }

    #[test]
    fn a_short_list_is_the_head_of_the_full_ranking() {
        // The collector skips documents that cannot enter the list; the
        // list must still be exactly the head of the full ranking, ties
        // included, whatever the segments.
        let words = ["kyiv", "talks", "envoy", "putin", "opec", "crude"];
        let texts: Vec<String> = (0..60u64)
            .map(|i| {
                // Few distinct texts, so that many documents tie.
                let n = 1 + (i * 5 % 7) as usize % words.len();
                words[..n].join(" ")
            })
            .collect();
        let docs: Vec<(u64, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| ((i as u64 * 37) % 61 + 1, t.as_str()))
            .collect();
        let query: Vec<(String, f32)> = words
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), 1.0 + i as f32 * 0.5))
            .collect();
        for per_commit in [docs.len(), 7, 1] {
            let (dir, r) = index_with_layout(&docs, per_commit);
            let ranked = |k: usize| -> Vec<(u64, u32)> {
                r.search(dir.path(), &query, k, None)
                    .unwrap()
                    .into_iter()
                    .map(|h| (h.key, h.rev))
                    .collect()
            };
            let full = ranked(docs.len());
            assert_eq!(full.len(), docs.len());
            for k in [1, 3, 10, 25, 59] {
                assert_eq!(ranked(k), full[..k], "limit {k}, {per_commit} per commit");
            }
        }
    }
}
