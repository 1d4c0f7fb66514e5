//! # unspun-store: the persistent system of record of a corpus
//!
//! The fourth stage of the unspun pipeline
//! (article → segment → fingerprint → **store** → align → report). It keeps
//! every ingested [`Article`] together with what retrieval needs — analysed
//! index terms for BM25 and MinHash LSH band keys — and answers the two
//! candidate queries the engine makes: "which articles share these rare
//! terms" ([`Store::search_terms`]) and "which articles share these bands"
//! ([`Store::band_matches`]).
//!
//! Callers program against the [`Store`] trait so that a server-grade
//! backend can replace [`EmbeddedStore`], the single-directory backend.
//!
//! # Layout on disk
//!
//! ```text
//! <dir>/articles.sqlite3        SQLite database (WAL mode), the system of record
//! <dir>/articles.sqlite3-wal    SQLite write-ahead log (while open / after a crash)
//! <dir>/articles.sqlite3-shm    SQLite WAL index
//! <dir>/retrieval/              tantivy index over the articles' index terms
//! ```
//!
//! The database has two tables, plus the embedding cache (below):
//! - `meta(name, value)`: `schema_version` (currently 2). A store with a
//!   newer version is refused with [`StoreError::NewerFormat`], one with an
//!   older version with [`StoreError::OlderFormat`] (see "Format versions").
//! - `articles(key INTEGER PRIMARY KEY, id TEXT UNIQUE, date, source, title,
//!   url, text, content_hash, revision, ingested_at, band_keys)`: one row
//!   per article; `key` (the rowid) is the [`ArticleKey`]. `content_hash` is
//!   xxh3-128 over text, date, source, title and url (each length-prefixed)
//!   and decides between [`PutOutcome::Unchanged`] and a conflict.
//!   `band_keys` holds the article's distinct band keys (u64 little-endian)
//!   so that the record is complete.
//!
//! `sentence_vectors` caches sentence embeddings per (article, model,
//! revision), i8-quantised; it is created on first use and is not part of
//! the record (see [`Store::put_sentence_vectors`] and the `vectors` module
//! for its format and crash safety).
//!
//! The tantivy index holds one document per (key, revision): the `terms`
//! field (whitespace-tokenised, frequencies, no positions), the band keys
//! (indexed u64, for [`Store::band_matches`]), and `key`, `rev` and
//! `kr` = `"key:rev"` to identify it. Band lookup lives in the index rather
//! than in a SQLite table because it is an inverted-index lookup: a b-tree
//! of random 64-bit keys costs a random page write per key on insert, which
//! made ingest several times slower and degraded as the corpus grew. Band
//! keys are 32-bit (see `unspun_fingerprint::MinHasher`): tantivy's term
//! dictionary is a finite-state transducer, and building and re-merging one
//! over tens of millions of random 64-bit keys was the largest cost of a
//! 1M-article ingest. (tantivy's SSTable dictionaries, its `quickwit`
//! feature, made that ingest faster still, but each term lookup then
//! decoded a compressed block, and traces at 1M became ten times slower.)
//!
//! SQLite runs with `synchronous=NORMAL`: in WAL mode a commit survives a
//! killed process; an OS crash or power loss may lose the last commits but
//! never corrupts the database. Losing commits is harmless for consistency
//! because tantivy commits (and fsyncs) *before* SQLite does, so the index
//! is never behind SQLite — see below — and ingest is idempotent, so running
//! it again restores what was lost. `FULL` would cost an fsync per batch for
//! no consistency gain.
//!
//! # Consistency
//!
//! SQLite defines what is stored. The index may hold *more* than SQLite
//! (orphans), never less, and every query result is checked against SQLite.
//! A batch is written in this order:
//!
//! 1. `BEGIN IMMEDIATE`; insert or update the rows (keys become known).
//! 2. tantivy: for every touched (key, new revision), add the new document;
//!    commit. The document of the revision currently committed in SQLite is
//!    *kept*. (The operations are sent to tantivy's indexing thread while
//!    step 1 runs, so indexing overlaps the SQLite work; nothing is visible
//!    before the commit.) No identity can already be in the index here:
//!    orphans of an interrupted batch, which SQLite's reuse of rolled-back
//!    rowids would collide with, are removed before a writer's first write
//!    and after any failed one (see below).
//! 3. SQLite `COMMIT`.
//! 4. Delete the documents of the revisions superseded in step 3, commit.
//!
//! Invariant: every row (key, revision) committed in SQLite has exactly one
//! live index document with that identity, built from that row's content.
//! Step 3 makes a row visible only after step 2 made its document durable;
//! later steps 2 only delete identities that are not committed in SQLite
//! (new revisions), and step 4 only identities SQLite has superseded.
//!
//! Queries ([`Store::search_terms`], [`Store::band_matches`]) drop hits
//! whose (key, revision) is not
//! the row's current one in SQLite, over-fetching so that `limit` is still
//! met. Hence, whatever point a process is killed at:
//! - before step 2's commit: nothing happened;
//! - between steps 2 and 3: the index holds orphans (new keys absent from
//!   SQLite, or new revisions SQLite does not have). They are filtered out;
//!   the replaced articles are still found by their *old* terms because
//!   their old documents were kept. The next writer removes them before
//!   it writes (below), so re-running the batch, which reuses the same
//!   rowids and revisions, adds each identity exactly once;
//! - between steps 3 and 4: superseded documents remain; filtered out.
//!
//! Garbage of either kind is removed when a writer next takes the index (a
//! store's first write, or the first write after a failed one): if the
//! index's document count differs from SQLite's row count, all (key,
//! revision) pairs are compared and the extras deleted. No
//! re-index pass is ever needed (and none would be possible: index terms
//! are not stored in SQLite). [`Store::doc_freqs`] may count orphans and
//! not-yet-merged deletions until then; it is a statistic, not a result.
//!
//! Readers see a batch atomically: its new documents are made visible to
//! searches after step 2 but are filtered out until step 3 commits the rows.
//!
//! # Format versions
//!
//! `schema_version` names the whole format: the SQLite schema, the index
//! layout, and how band keys are computed (a store's band keys are only
//! comparable with keys the same hasher makes). A build reads exactly its
//! own version. Version 2 (2026-11-23) changed the MinHash permutations and
//! made band keys 32-bit; version 1 stores are refused with
//! [`StoreError::OlderFormat`], which says to ingest again (the index terms
//! are not stored, so no in-place upgrade is possible).
//!
//! # Concurrency
//!
//! [`EmbeddedStore`] is `Send + Sync`. Writes are serialised by a mutex.
//! Reads use a small pool of read-only SQLite connections, so threads do not
//! queue on one connection, and share tantivy's searcher. Another process
//! may read the same store at the same time; a second writing process gets
//! [`StoreError::Locked`] at its first write.
//!
//! # Example
//!
//! ```
//! use unspun_article::{Article, ArticleId};
//! use unspun_store::{EmbeddedStore, NewArticle, OnConflict, PutOutcome, Store};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let store = EmbeddedStore::open(dir.path())?;
//!
//! let article = Article::new(ArticleId::new("a1")?, "Trump said the wall will be built.");
//! let terms = ["trump", "said", "wall", "built"].map(String::from).to_vec();
//! let outcome = store.put_batch(
//!     &[NewArticle { article, index_terms: terms, band_keys: vec![7, 42], sentence_shapes: vec![] }],
//!     OnConflict::Reject,
//! )?;
//! let PutOutcome::Added(key) = outcome[0] else { unreachable!() };
//!
//! let hits = store.search_terms(&[("wall".to_string(), 1.0)], 10, None)?;
//! assert_eq!(hits[0].0, key);
//! assert_eq!(store.band_matches(&[42], 10, None)?, vec![(key, 1)]);
//! assert_eq!(store.get(key)?.unwrap().article.text, "Trump said the wall will be built.");
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unspun_article::{Article, ArticleId};

mod embedded;
mod error;
mod frozen;
mod retrieval;
mod review;
mod shapes;
mod sql;
mod vectors;
mod watches;

pub use embedded::EmbeddedStore;
pub use error::{Result, StoreError};
pub use frozen::FrozenStats;
pub use review::{LicensedOutlet, Verdict, VerdictKind};
pub use vectors::CachedVectors;
pub use watches::{Attempt, AttemptOutcome, Delivery, DeliveryState, NewMatch, Watch, WatchMatch};

/// Whether the index keeps `term` (it drops terms of 1 KiB or more), and
/// counts it in the document's length.
pub fn indexes_term(term: &str) -> bool {
    term.len() < retrieval::MAX_TERM_BYTES
}

/// The store-internal dense key of an article (the SQLite rowid).
///
/// Stable for the life of the store: replacing an article keeps its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleKey(pub u64);

/// An article to store, with what retrieval needs of it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewArticle {
    /// The article itself.
    pub article: Article,
    /// Analysed terms for BM25 (stems, names, numbers); repeats count as
    /// term frequency. A term must not contain ASCII white space (it would
    /// be indexed as several terms); terms over 1 KiB are not indexed.
    pub index_terms: Vec<String>,
    /// MinHash LSH band keys, already hashed per band. Repeats count once.
    pub band_keys: Vec<u64>,
    /// Its sentence shapes, `(shape, filler)` hashes (see
    /// `unspun_fingerprint::sentence_shape`): the store counts the distinct
    /// fillers of each shape, which tells a genre's frame from a story's
    /// own sentence ([`Store::shape_fillers`]). Repeats count once.
    pub sentence_shapes: Vec<(u64, u64)>,
}

/// An article as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredArticle {
    /// Its key.
    pub key: ArticleKey,
    /// The article.
    pub article: Article,
    /// 1 when first stored, plus one for every [`OnConflict::Replace`] that
    /// changed it.
    pub revision: u32,
}

/// What [`Store::put_batch`] does when an id is already stored with
/// different content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnConflict {
    /// Keep the stored article; report [`PutOutcome::Conflict`].
    Reject,
    /// Overwrite it in place (same key, revision + 1); report
    /// [`PutOutcome::Replaced`].
    Replace,
}

/// What [`Store::put_batch`] did with one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    /// New id: stored under this key.
    Added(ArticleKey),
    /// Already stored with identical content (text and metadata): nothing done.
    Unchanged(ArticleKey),
    /// Already stored with different content, overwritten (`OnConflict::Replace`).
    Replaced(ArticleKey),
    /// Already stored with different content, left alone (`OnConflict::Reject`).
    Conflict(ArticleKey),
}

impl PutOutcome {
    /// The key of the article concerned.
    pub fn key(&self) -> ArticleKey {
        match *self {
            PutOutcome::Added(k)
            | PutOutcome::Unchanged(k)
            | PutOutcome::Replaced(k)
            | PutOutcome::Conflict(k) => k,
        }
    }
}

/// A summary of a store's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoreStats {
    /// Number of stored articles.
    pub articles: u64,
    /// How many of them have a date.
    pub with_date: u64,
    /// The (at most 20) most frequent outlets with their article counts,
    /// most first, ties by name.
    pub sources: Vec<(String, u64)>,
    /// Live documents in the retrieval index; equals `articles` except for
    /// leftovers of an interrupted write (see the crate docs).
    pub index_docs: u64,
    /// Total size of the store directory's files, in bytes.
    pub disk_bytes: u64,
    /// On-disk format version.
    pub schema_version: u32,
    /// Whether the sentence shapes of every article are recorded (false
    /// for a store written before they were: `unspun upgrade`).
    pub shapes_complete: bool,
}

/// A BM25 hit of [`Store::search_hits_with`].
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// The article.
    pub key: ArticleKey,
    /// Its BM25 score for the query.
    pub score: f32,
    /// Its publication date, if known.
    pub date: Option<chrono::NaiveDate>,
    /// Its outlet, if known.
    pub source: Option<String>,
}

/// Which stored articles [`Store::list`] returns. Every condition given
/// must hold; an article without a date fails `since` and `until`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this outlet (the article's `source`, exactly).
    pub source: Option<String>,
    /// Only articles dated on or after this day.
    pub since: Option<chrono::NaiveDate>,
    /// Only articles dated on or before this day.
    pub until: Option<chrono::NaiveDate>,
}

/// One article of a [`Store::list`] page: what identifies and describes it,
/// not its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedArticle {
    /// Its key: pages run in key order, the order articles were first stored.
    pub key: ArticleKey,
    /// Its id.
    pub id: ArticleId,
    /// Its date, if known.
    pub date: Option<chrono::NaiveDate>,
    /// Its outlet, if known.
    pub source: Option<String>,
    /// Its headline, if known.
    pub title: Option<String>,
    /// Its URL, if known.
    pub url: Option<String>,
    /// 1 when first stored, plus one per replacement.
    pub revision: u32,
}

/// A persistent corpus with candidate retrieval. See the crate docs.
pub trait Store: Send + Sync {
    /// Stores `batch`, in order, as if one article after another (a later
    /// duplicate id sees the earlier one as stored), and returns one outcome
    /// per article.
    ///
    /// Atomic: either the whole batch is stored and searchable, or (after a
    /// crash or an error) nothing of it is visible as stored.
    fn put_batch(&self, batch: &[NewArticle], on_conflict: OnConflict) -> Result<Vec<PutOutcome>>;

    /// The key of the article with this id, if stored.
    fn key_of(&self, id: &ArticleId) -> Result<Option<ArticleKey>>;

    /// The article with this key, if stored.
    fn get(&self, key: ArticleKey) -> Result<Option<StoredArticle>>;

    /// Records a reviewer's verdict on the pair (`article`, `source`) and
    /// returns it. Earlier verdicts on the pair stay, as its history.
    fn add_verdict(
        &self,
        article: &ArticleId,
        source: &ArticleId,
        verdict: VerdictKind,
        reason: &str,
    ) -> Result<Verdict>;

    /// The verdicts on the pair (`article`, `source`), oldest first; the
    /// last is the one in force.
    fn verdicts(&self, article: &ArticleId, source: &ArticleId) -> Result<Vec<Verdict>>;

    /// Licenses `outlet` with `reason` (replacing an earlier reason), or
    /// removes its licence when `reason` is `None`. Returns whether it was
    /// licensed before.
    fn set_licensed(&self, outlet: &str, reason: Option<&str>) -> Result<bool>;

    /// The licensed outlets, by name.
    fn licensed_outlets(&self) -> Result<Vec<LicensedOutlet>>;

    /// Stores a watch: its rules (`spec`, JSON the server validated) and
    /// the secret its webhook deliveries are signed with.
    fn create_watch(&self, spec: &str, secret: Option<&str>) -> Result<Watch>;

    /// The live watches, by id.
    fn watches(&self) -> Result<Vec<Watch>>;

    /// The live watch with this id.
    fn watch(&self, id: u64) -> Result<Option<Watch>>;

    /// Deletes a watch (its matches and delivery log stay; its pending
    /// deliveries are given up). Returns whether it was live.
    fn delete_watch(&self, id: u64) -> Result<bool>;

    /// Records new matches (a pair a watch already matched is skipped),
    /// with a pending webhook delivery for each whose watch has a webhook,
    /// and the matcher's progress `checkpoint` (the last article key it
    /// judged), all in one transaction. Returns the matches recorded.
    fn record_matches(
        &self,
        matches: &[NewMatch],
        checkpoint: Option<u64>,
    ) -> Result<Vec<WatchMatch>>;

    /// The matcher's progress: the last article key it judged.
    fn matched_through(&self) -> Result<Option<u64>>;

    /// Up to `limit` matches of `watch` after sequence number `after`,
    /// oldest first.
    fn watch_matches(
        &self,
        watch: u64,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<WatchMatch>>;

    /// Queues a test send of `payload` to `watch`'s webhook as delivery
    /// `id`, due now.
    fn add_test_delivery(&self, watch: u64, id: &str, payload: &str) -> Result<Delivery>;

    /// The latest `limit` matches of `watch`, oldest first.
    fn latest_matches(&self, watch: u64, limit: usize) -> Result<Vec<WatchMatch>>;

    /// The largest article key stored, if any (new articles get larger
    /// keys).
    fn last_key(&self) -> Result<Option<ArticleKey>>;

    /// Makes what other processes have committed visible to this store's
    /// searches now (they are picked up within a second anyway): a reader
    /// that learns of new articles from the database and then searches for
    /// their sources must see them in the index too.
    fn refresh(&self) -> Result<()>;

    /// `watch`'s webhook deliveries with their logs, newest first.
    fn deliveries(&self, watch: u64, limit: usize) -> Result<Vec<Delivery>>;

    /// Pending deliveries due at `now` (unix seconds), oldest first.
    fn due_deliveries(&self, now: i64, limit: usize) -> Result<Vec<Delivery>>;

    /// Logs an attempt at `delivery` and moves it on, unless something
    /// moved it while it was being sent (a redelivery, the watch deleted):
    /// then only the attempt is logged.
    fn record_attempt(&self, delivery: &Delivery, outcome: &AttemptOutcome) -> Result<()>;

    /// Makes delivery `id` of `watch` pending again, due now. Returns
    /// whether there is one.
    fn redeliver(&self, watch: u64, id: &str) -> Result<bool>;

    /// Up to `limit` stored articles that pass `filter`, in key order,
    /// starting after the key `after` (a page's last key: cursor paging
    /// that stays stable while articles are added, since new ones get larger
    /// keys).
    fn list(
        &self,
        filter: &ListFilter,
        after: Option<ArticleKey>,
        limit: usize,
    ) -> Result<Vec<ListedArticle>>;

    /// The articles with these keys, in the order of `keys`; keys not stored
    /// are silently dropped.
    fn get_many(&self, keys: &[ArticleKey]) -> Result<Vec<StoredArticle>>;

    /// BM25 over the index terms: a disjunction of `terms`, each weighted
    /// by its boost. Returns the top `limit` articles by score, best first,
    /// excluding `exclude`. Terms with a boost that is not a positive finite
    /// number are ignored; equal terms have their boosts added.
    fn search_terms(
        &self,
        terms: &[(String, f32)],
        limit: usize,
        exclude: Option<ArticleKey>,
    ) -> Result<Vec<(ArticleKey, f32)>> {
        self.search_terms_with(terms, limit, exclude, None)
    }

    /// As [`Store::search_terms`], scored with `frozen` statistics when
    /// given (IDF, document count and average length as they were when the
    /// snapshot was taken), so that a document's score depends on the
    /// query, the document and the snapshot only.
    fn search_terms_with(
        &self,
        terms: &[(String, f32)],
        limit: usize,
        exclude: Option<ArticleKey>,
        frozen: Option<&FrozenStats>,
    ) -> Result<Vec<(ArticleKey, f32)>> {
        Ok(self
            .search_hits_with(terms, limit, exclude, frozen)?
            .into_iter()
            .map(|h| (h.key, h.score))
            .collect())
    }

    /// As [`Store::search_terms_with`], each hit with its date and outlet:
    /// what choosing among the hits needs, read without their text.
    fn search_hits_with(
        &self,
        terms: &[(String, f32)],
        limit: usize,
        exclude: Option<ArticleKey>,
        frozen: Option<&FrozenStats>,
    ) -> Result<Vec<SearchHit>>;

    /// The retrieval statistics as of now, frozen (see [`FrozenStats`]).
    fn frozen_stats(&self) -> Result<FrozenStats>;

    /// Articles sharing at least one band key with `band_keys` (duplicates
    /// in `band_keys` count once), with the number of distinct shared keys,
    /// most first (ties by key), at most `limit`, excluding `exclude`.
    fn band_matches(
        &self,
        band_keys: &[u64],
        limit: usize,
        exclude: Option<ArticleKey>,
    ) -> Result<Vec<(ArticleKey, u32)>>;

    /// The number of indexed documents, and the document frequency of each
    /// term (same order), for IDF weighting on the query side.
    fn doc_freqs(&self, terms: &[String]) -> Result<(u64, Vec<u64>)>;

    /// All stored keys, ascending.
    fn keys(&self) -> Result<Vec<ArticleKey>>;

    /// A summary of the content.
    fn stats(&self) -> Result<StoreStats>;

    /// Up to three distinct fillers the store holds for each of `shapes`
    /// (sentence-shape hashes; shapes never seen are left out), or `None`
    /// when the backend cannot tell: it keeps no shapes, or it holds
    /// articles stored before it did. A shape with three or more fillers is
    /// a frame. The default backend implementation cannot tell.
    fn shape_fillers(&self, shapes: &[u64]) -> Result<Option<HashMap<u64, Vec<u64>>>> {
        let _ = shapes;
        Ok(None)
    }

    /// Whether the backend holds the sentence shapes of every stored
    /// article, so that [`Store::shape_fillers`] can answer. The default
    /// backend implementation keeps none.
    fn shapes_complete(&self) -> Result<bool> {
        Ok(false)
    }

    /// Records the sentence shapes of articles stored before the backend
    /// kept them (`Engine::complete_shapes`, an older store's upgrade):
    /// each `(key, shapes)` as ingest records them. With `done`, the shapes
    /// are then complete. The default backend implementation cannot keep
    /// them and fails with [`StoreError::Unsupported`].
    fn add_stored_shapes(&self, rows: &[(ArticleKey, Vec<(u64, u64)>)], done: bool) -> Result<()> {
        let _ = (rows, done);
        Err(StoreError::Unsupported("sentence shapes"))
    }

    /// Cached sentence vectors of `key` computed by embedder `model`, if
    /// they were computed from `revision` with the same `checksum` (see
    /// [`CachedVectors`]). A cache, not a record: the default backend
    /// implementation caches nothing.
    fn sentence_vectors(
        &self,
        key: ArticleKey,
        revision: u32,
        checksum: u64,
        model: &str,
    ) -> Result<Option<Vec<Vec<f32>>>> {
        let _ = (key, revision, checksum, model);
        Ok(None)
    }

    /// Caches sentence vectors computed by embedder `model`, replacing what
    /// was cached for the same articles and model. Never part of an article
    /// batch: a failure (or a crash) here loses cache entries only, never
    /// stored articles. The default caches nothing.
    fn put_sentence_vectors(&self, model: &str, entries: &[CachedVectors]) -> Result<()> {
        let _ = (model, entries);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
