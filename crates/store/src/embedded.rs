//! [`EmbeddedStore`]: the single-directory backend (SQLite + tantivy).
//!
//! Writes go through one connection and one tantivy writer behind a mutex;
//! reads use a small pool of read-only SQLite connections (WAL lets them run
//! beside the writer) and tantivy's shared, cheaply cloned searcher. See the
//! crate docs for the write protocol and why it is crash-consistent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{io_error, Ctx, Result, StoreError};
use crate::retrieval::{RawHit, Retrieval, INDEX_DIR};
use crate::review;
use crate::shapes;
use crate::sql::{self, DB_FILE};
use crate::vectors::{self, CachedVectors};
use crate::watches::{self, AttemptOutcome, Delivery, NewMatch, Watch, WatchMatch};
mod write;

use write::{Finish, WriteState};

use crate::{
    ArticleKey, FrozenStats, LicensedOutlet, ListFilter, ListedArticle, NewArticle, OnConflict,
    PutOutcome, SearchHit, Store, StoreStats, StoredArticle, Verdict, VerdictKind,
};
use unspun_article::ArticleId;

/// Read connections kept for reuse. More can be open at once (one per
/// concurrent reader); the surplus is closed when returned.
const MAX_POOLED_READERS: usize = 8;

/// How many outlets [`StoreStats::sources`] lists.
const TOP_SOURCES: usize = 20;

/// The embedded, single-directory store: `articles.sqlite3` plus the
/// `retrieval/` tantivy index. See the crate docs for the layout and the
/// consistency argument.
pub struct EmbeddedStore {
    dir: PathBuf,
    db_path: PathBuf,
    retrieval: Retrieval,
    /// `None` for a store opened read-only.
    writer: Option<Mutex<WriteState>>,
    readers: Mutex<Vec<Connection>>,
    /// Whether the embedding cache may be written (see `vectors`).
    cache_writes: bool,
    /// The embedding-cache writer, opened on the first cache write. Its own
    /// connection, so a cache write is never part of an article batch.
    cache: Mutex<Option<Connection>>,
    /// Whether `articles` has the provenance columns: always once a writer
    /// opened the store; a store written before them and opened read-only
    /// reads its articles without provenance.
    provenance_columns: bool,
    /// Whether the review tables exist: always once a writer opened the
    /// store; a store no writer of this build opened has no verdicts.
    review_tables: bool,
    /// Whether the watch tables exist, likewise.
    watch_tables: bool,
    /// Whether the shape-filler table holds every stored article's shapes
    /// (see `shapes`): false for a store that held articles before it,
    /// until `add_stored_shapes` completes it.
    shapes_complete: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in another thread while holding the lock leaves nothing
    // half-done that matters: an unfinished SQLite transaction was rolled
    // back when it was dropped, and `dirty` makes the next write roll back
    // the tantivy writer.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl EmbeddedStore {
    /// Opens the store in `dir` for reading and writing, creating the
    /// directory and an empty store if needed.
    ///
    /// Fails with [`StoreError::NewerFormat`] if a newer unspun wrote it.
    /// Opening does not lock the retrieval index; the first
    /// [`put_batch`](Store::put_batch) does, and fails with
    /// [`StoreError::Locked`] while another process writes the store.
    pub fn open(dir: &Path) -> Result<EmbeddedStore> {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, dir, e))?;
        let dir = dir.to_path_buf();
        let db_path = dir.join(DB_FILE);
        // SQLite first: it decides whether the format is ours and current
        // before anything is written to the index directory.
        let (conn, _created) = sql::open_writer(&dir, &db_path)?;
        let shapes_complete = shapes::complete(&dir, &conn)?;
        let retrieval = if dir.join(INDEX_DIR).join("meta.json").is_file() {
            Retrieval::open_existing(&dir)?
        } else {
            // An empty database without an index is a store whose creation
            // was interrupted (or a fresh one): creating the index is safe.
            // With articles, the index was lost and cannot be rebuilt here
            // (the index terms are not stored), so refuse.
            let n: i64 = conn
                .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
                .ctx(&dir)?;
            if n > 0 {
                return Err(Retrieval::open_existing(&dir).err().unwrap_or_else(|| {
                    StoreError::Damaged {
                        dir: dir.clone(),
                        reason: "the retrieval index is missing".into(),
                    }
                }));
            }
            Retrieval::open_or_create(&dir)?
        };
        Ok(EmbeddedStore {
            db_path,
            retrieval,
            writer: Some(Mutex::new(WriteState {
                conn,
                index: None,
                pending_stale: Vec::new(),
                dirty: false,
            })),
            readers: Mutex::new(Vec::new()),
            cache_writes: true,
            cache: Mutex::new(None),
            provenance_columns: true,
            review_tables: true,
            watch_tables: true,
            shapes_complete: AtomicBool::new(shapes_complete),
            dir,
        })
    }

    /// Opens an existing store for reading only. Nothing in `dir` is
    /// modified (SQLite may create its `-wal`/`-shm` side files).
    ///
    /// Fails with [`StoreError::NotFound`] if `dir` holds no store.
    pub fn open_read_only(dir: &Path) -> Result<EmbeddedStore> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(StoreError::NotFound(dir.to_path_buf()));
        }
        let dir = dir.to_path_buf();
        let conn = sql::open_reader(&dir, &db_path)?;
        let has_meta: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |r| r.get(0),
            )
            .ctx(&dir)?;
        if has_meta == 0 {
            // A database without our schema: nothing was ever stored here
            // (creation was interrupted), or it is not ours.
            return Err(StoreError::NotFound(dir));
        }
        sql::check_version(&dir, &conn)?;
        let provenance_columns = sql::has_provenance_columns(&dir, &conn)?;
        let review_tables = review::has_tables(&dir, &conn)?;
        let watch_tables = watches::has_tables(&dir, &conn)?;
        let shapes_complete = shapes::complete(&dir, &conn)?;
        let retrieval = Retrieval::open_existing(&dir)?;
        Ok(EmbeddedStore {
            db_path,
            retrieval,
            writer: None,
            readers: Mutex::new(vec![conn]),
            cache_writes: false,
            cache: Mutex::new(None),
            provenance_columns,
            review_tables,
            watch_tables,
            shapes_complete: AtomicBool::new(shapes_complete),
            dir,
        })
    }

    /// Lets a store opened read-only write its embedding cache (and only
    /// that): articles and the retrieval index stay untouched, and no index
    /// lock is taken, so tracing can fill the cache while another process
    /// ingests. Cache writes that find the database busy fail quickly with
    /// [`StoreError::Locked`].
    pub fn with_cache_writes(mut self) -> EmbeddedStore {
        self.cache_writes = true;
        self
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the store was opened with [`open_read_only`](Self::open_read_only).
    pub fn is_read_only(&self) -> bool {
        self.writer.is_none()
    }

    /// Test hook: runs [`put_batch`](Store::put_batch) up to and including
    /// the retrieval index commit, then abandons the SQLite transaction, as
    /// if the process had been killed between the two commits.
    #[doc(hidden)]
    pub fn put_batch_crash_after_index(
        &self,
        batch: &[NewArticle],
        on_conflict: OnConflict,
    ) -> Result<()> {
        self.write(batch, on_conflict, Finish::CrashAfterIndex)
            .map(drop)
    }

    /// Test hook: (key, revision) of every live retrieval document, orphans
    /// included, sorted.
    #[doc(hidden)]
    pub fn index_documents(&self) -> Result<Vec<(ArticleKey, u32)>> {
        let mut docs: Vec<(ArticleKey, u32)> = self
            .retrieval
            .all_docs(&self.dir)?
            .into_iter()
            .map(|(k, r)| (ArticleKey(k), r))
            .collect();
        docs.sort_unstable();
        Ok(docs)
    }

    /// Runs `f` on a pooled read connection.
    /// Runs `f` on the writer's connection (holding the write lock), or
    /// refuses on a read-only store.
    fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let Some(writer) = &self.writer else {
            return Err(StoreError::ReadOnly(self.dir.clone()));
        };
        let ws = lock(writer);
        f(&ws.conn)
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => sql::open_reader(&self.dir, &self.db_path)?,
        };
        let result = f(&conn);
        let mut pool = lock(&self.readers);
        if pool.len() < MAX_POOLED_READERS {
            pool.push(conn);
        }
        result
    }

    /// The index hit `hit` as a search hit, if SQLite holds its article at
    /// its revision (else the index document is an orphan or superseded).
    fn stored_hit(&self, conn: &Connection, hit: &RawHit) -> Result<Option<SearchHit>> {
        let (key, rev) = (hit.key, hit.rev);
        let mut stmt = conn
            .prepare_cached("SELECT revision, date, source FROM articles WHERE key = ?1")
            .ctx(&self.dir)?;
        type Row = (i64, Option<String>, Option<String>);
        let row: Option<Row> = stmt
            .query_row([key as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .ctx(&self.dir)?;
        let Some((revision, date, source)) = row else {
            return Ok(None);
        };
        if u32::try_from(revision).ok() != Some(rev) {
            return Ok(None);
        }
        let date = match date {
            None => None,
            Some(d) => Some(sql::parse_date(&d).ok_or_else(|| StoreError::Damaged {
                dir: self.dir.clone(),
                reason: format!("article {key}: invalid date {d:?}"),
            })?),
        };
        Ok(Some(SearchHit {
            key: ArticleKey(key),
            score: hit.score,
            date,
            source,
        }))
    }

    /// Revision of `key` in SQLite, if stored.
    fn stored_revision(&self, conn: &Connection, key: u64) -> Result<Option<u32>> {
        let mut stmt = conn
            .prepare_cached("SELECT revision FROM articles WHERE key = ?1")
            .ctx(&self.dir)?;
        let rev: Option<i64> = stmt
            .query_row([key as i64], |r| r.get(0))
            .optional()
            .ctx(&self.dir)?;
        Ok(rev.map(|r| u32::try_from(r).unwrap_or(u32::MAX)))
    }

    fn disk_bytes(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            let Ok(entries) = std::fs::read_dir(p) else {
                return 0;
            };
            entries
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => walk(&e.path()),
                    Ok(_) => e.metadata().map_or(0, |m| m.len()),
                    Err(_) => 0,
                })
                .sum()
        }
        walk(&self.dir)
    }
}

impl Drop for EmbeddedStore {
    fn drop(&mut self) {
        // Commit outstanding deletions of superseded documents, so that a
        // cleanly closed store has an exact index.
        let Some(writer) = &self.writer else { return };
        let mut ws = lock(writer);
        if ws.pending_stale.is_empty() || ws.dirty {
            return;
        }
        let pending = std::mem::take(&mut ws.pending_stale);
        if let Some(iw) = ws.index.as_mut() {
            for (k, r) in pending {
                iw.delete_term(self.retrieval.identity(k, r));
            }
            if let Err(e) = iw.commit() {
                log::warn!(
                    "store at {}: final index commit failed: {e}",
                    self.dir.display()
                );
            }
        }
    }
}

impl std::fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedStore")
            .field("dir", &self.dir)
            .field("read_only", &self.is_read_only())
            .finish_non_exhaustive()
    }
}

impl Store for EmbeddedStore {
    fn put_batch(&self, batch: &[NewArticle], on_conflict: OnConflict) -> Result<Vec<PutOutcome>> {
        self.write(batch, on_conflict, Finish::Commit)
    }

    fn key_of(&self, id: &ArticleId) -> Result<Option<ArticleKey>> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT key FROM articles WHERE id = ?1")
                .ctx(&self.dir)?;
            let key: Option<i64> = stmt
                .query_row([id.as_str()], |r| r.get(0))
                .optional()
                .ctx(&self.dir)?;
            Ok(key.map(|k| ArticleKey(k as u64)))
        })
    }

    fn get(&self, key: ArticleKey) -> Result<Option<StoredArticle>> {
        Ok(self.get_many(&[key])?.pop())
    }

    fn get_many(&self, keys: &[ArticleKey]) -> Result<Vec<StoredArticle>> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {} FROM articles WHERE key = ?1",
                    sql::article_columns(self.provenance_columns)
                ))
                .ctx(&self.dir)?;
            let mut out = Vec::with_capacity(keys.len());
            for key in keys {
                let Ok(k) = i64::try_from(key.0) else {
                    continue;
                };
                if let Some(raw) = stmt
                    .query_row([k], sql::raw_row)
                    .optional()
                    .ctx(&self.dir)?
                {
                    out.push(sql::row_to_article(&self.dir, raw)?);
                }
            }
            Ok(out)
        })
    }

    fn search_hits_with(
        &self,
        terms: &[(String, f32)],
        limit: usize,
        exclude: Option<ArticleKey>,
        frozen: Option<&FrozenStats>,
    ) -> Result<Vec<SearchHit>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        // Over-fetch: a few hits may be orphans or superseded revisions (and
        // one may be `exclude`); fetch more until `limit` valid hits are
        // found or the index has no more.
        let mut fetch = limit + limit / 4 + 8;
        self.with_reader(|conn| loop {
            let hits = self.retrieval.search(&self.dir, terms, fetch, frozen)?;
            let exhausted = hits.len() < fetch;
            let mut out = Vec::with_capacity(limit);
            for h in hits {
                if Some(ArticleKey(h.key)) == exclude {
                    continue;
                }
                if let Some(hit) = self.stored_hit(conn, &h)? {
                    out.push(hit);
                    if out.len() == limit {
                        break;
                    }
                }
            }
            if out.len() == limit || exhausted {
                return Ok(out);
            }
            fetch = fetch.saturating_mul(2);
        })
    }

    fn band_matches(
        &self,
        band_keys: &[u64],
        limit: usize,
        exclude: Option<ArticleKey>,
    ) -> Result<Vec<(ArticleKey, u32)>> {
        if limit == 0 || band_keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut query_keys = band_keys.to_vec();
        query_keys.sort_unstable();
        query_keys.dedup();
        let mut candidates: Vec<((u64, u32), u32)> = self
            .retrieval
            .band_counts(&self.dir, &query_keys)?
            .into_iter()
            .filter(|((k, _), _)| Some(ArticleKey(*k)) != exclude)
            .collect();
        candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // As in search: only documents of the revision SQLite holds count.
        self.with_reader(|conn| {
            let mut out = Vec::with_capacity(limit.min(candidates.len()));
            for ((k, rev), n) in candidates {
                if self.stored_revision(conn, k)? == Some(rev) {
                    out.push((ArticleKey(k), n));
                    if out.len() == limit {
                        break;
                    }
                }
            }
            Ok(out)
        })
    }

    fn doc_freqs(&self, terms: &[String]) -> Result<(u64, Vec<u64>)> {
        self.retrieval.doc_freqs(&self.dir, terms)
    }

    fn frozen_stats(&self) -> Result<FrozenStats> {
        let stats = self.retrieval.frozen_stats(&self.dir)?;
        if !self.shapes_complete.load(Ordering::Acquire) {
            return Ok(stats);
        }
        let frames = self.with_reader(|conn| shapes::frames(&self.dir, conn, stats.max_key()))?;
        Ok(stats.with_frames(frames))
    }

    fn shape_fillers(&self, shapes: &[u64]) -> Result<Option<HashMap<u64, Vec<u64>>>> {
        if !self.shapes_complete.load(Ordering::Acquire) {
            return Ok(None);
        }
        self.with_reader(|conn| shapes::fillers(&self.dir, conn, shapes))
            .map(Some)
    }

    fn shapes_complete(&self) -> Result<bool> {
        Ok(self.shapes_complete.load(Ordering::Acquire))
    }

    fn add_stored_shapes(&self, rows: &[(ArticleKey, Vec<(u64, u64)>)], done: bool) -> Result<()> {
        self.with_writer(|conn| shapes::backfill(&self.dir, conn, rows, done))?;
        if done {
            self.shapes_complete.store(true, Ordering::Release);
        }
        Ok(())
    }

    fn add_verdict(
        &self,
        article: &ArticleId,
        source: &ArticleId,
        verdict: VerdictKind,
        reason: &str,
    ) -> Result<Verdict> {
        self.with_writer(|conn| {
            review::add_verdict(&self.dir, conn, article, source, verdict, reason)
        })
    }

    fn verdicts(&self, article: &ArticleId, source: &ArticleId) -> Result<Vec<Verdict>> {
        if !self.review_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| review::verdicts(&self.dir, conn, article, source))
    }

    fn set_licensed(&self, outlet: &str, reason: Option<&str>) -> Result<bool> {
        self.with_writer(|conn| review::set_licensed(&self.dir, conn, outlet, reason))
    }

    fn licensed_outlets(&self) -> Result<Vec<LicensedOutlet>> {
        if !self.review_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| review::licensed_outlets(&self.dir, conn))
    }

    fn create_watch(&self, spec: &str, secret: Option<&str>) -> Result<Watch> {
        self.with_writer(|conn| watches::create_watch(&self.dir, conn, spec, secret))
    }

    fn watches(&self) -> Result<Vec<Watch>> {
        if !self.watch_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| watches::watches(&self.dir, conn, None))
    }

    fn watch(&self, id: u64) -> Result<Option<Watch>> {
        if !self.watch_tables {
            return Ok(None);
        }
        self.with_reader(|conn| Ok(watches::watches(&self.dir, conn, Some(id))?.pop()))
    }

    fn delete_watch(&self, id: u64) -> Result<bool> {
        self.with_writer(|conn| watches::delete_watch(&self.dir, conn, id))
    }

    fn record_matches(
        &self,
        matches: &[NewMatch],
        checkpoint: Option<u64>,
    ) -> Result<Vec<WatchMatch>> {
        self.with_writer(|conn| watches::record_matches(&self.dir, conn, matches, checkpoint))
    }

    fn matched_through(&self) -> Result<Option<u64>> {
        if !self.watch_tables {
            return Ok(None);
        }
        self.with_reader(|conn| watches::matched_through(&self.dir, conn))
    }

    fn watch_matches(
        &self,
        watch: u64,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<WatchMatch>> {
        if !self.watch_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| watches::watch_matches(&self.dir, conn, watch, after, limit))
    }

    fn add_test_delivery(&self, watch: u64, id: &str, payload: &str) -> Result<Delivery> {
        self.with_writer(|conn| watches::add_test_delivery(&self.dir, conn, watch, id, payload))
    }

    fn latest_matches(&self, watch: u64, limit: usize) -> Result<Vec<WatchMatch>> {
        if !self.watch_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| watches::latest_matches(&self.dir, conn, watch, limit))
    }

    fn last_key(&self) -> Result<Option<ArticleKey>> {
        self.with_reader(|conn| Ok(watches::last_key(&self.dir, conn)?.map(ArticleKey)))
    }

    fn refresh(&self) -> Result<()> {
        self.retrieval.reload(&self.dir)
    }

    fn deliveries(&self, watch: u64, limit: usize) -> Result<Vec<Delivery>> {
        if !self.watch_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| watches::deliveries(&self.dir, conn, watch, limit))
    }

    fn due_deliveries(&self, now: i64, limit: usize) -> Result<Vec<Delivery>> {
        if !self.watch_tables {
            return Ok(Vec::new());
        }
        self.with_reader(|conn| watches::due_deliveries(&self.dir, conn, now, limit))
    }

    fn record_attempt(&self, delivery: &Delivery, outcome: &AttemptOutcome) -> Result<()> {
        self.with_writer(|conn| watches::record_attempt(&self.dir, conn, delivery, outcome))
    }

    fn redeliver(&self, watch: u64, id: &str) -> Result<bool> {
        self.with_writer(|conn| watches::redeliver(&self.dir, conn, watch, id))
    }

    fn list(
        &self,
        filter: &ListFilter,
        after: Option<ArticleKey>,
        limit: usize,
    ) -> Result<Vec<ListedArticle>> {
        let after = after.map_or(0, |k| i64::try_from(k.0).unwrap_or(i64::MAX));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let since = filter.since.map(sql::format_date);
        let until = filter.until.map(sql::format_date);
        self.with_reader(|conn| {
            // Dates are stored as YYYY-MM-DD, so text order is date order.
            let mut stmt = conn
                .prepare_cached(
                    "SELECT key, id, date, source, title, url, revision FROM articles
                     WHERE key > ?1
                       AND (?2 IS NULL OR source = ?2)
                       AND (?3 IS NULL OR date >= ?3)
                       AND (?4 IS NULL OR date <= ?4)
                     ORDER BY key LIMIT ?5",
                )
                .ctx(&self.dir)?;
            let rows = stmt
                .query_map(params![after, filter.source, since, until, limit], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                })
                .ctx(&self.dir)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .ctx(&self.dir)?;
            rows.into_iter()
                .map(|(key, id, date, source, title, url, revision)| {
                    let (id, date, revision) =
                        sql::stored_identity(&self.dir, key, &id, date, revision)?;
                    Ok(ListedArticle {
                        key: ArticleKey(key as u64),
                        id,
                        date,
                        source,
                        title,
                        url,
                        revision,
                    })
                })
                .collect()
        })
    }

    fn keys(&self) -> Result<Vec<ArticleKey>> {
        self.with_reader(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT key FROM articles ORDER BY key")
                .ctx(&self.dir)?;
            let keys = stmt
                .query_map([], |r| r.get::<_, i64>(0))
                .ctx(&self.dir)?
                .map(|k| k.map(|k| ArticleKey(k as u64)))
                .collect::<rusqlite::Result<Vec<_>>>()
                .ctx(&self.dir)?;
            Ok(keys)
        })
    }

    fn sentence_vectors(
        &self,
        key: ArticleKey,
        revision: u32,
        checksum: u64,
        model: &str,
    ) -> Result<Option<Vec<Vec<f32>>>> {
        self.with_reader(|conn| vectors::get(&self.dir, conn, key, revision, checksum, model))
    }

    fn put_sentence_vectors(&self, model: &str, entries: &[CachedVectors]) -> Result<()> {
        if !self.cache_writes {
            return Err(StoreError::ReadOnly(self.dir.clone()));
        }
        if entries.is_empty() {
            return Ok(());
        }
        let mut guard = lock(&self.cache);
        if guard.is_none() {
            *guard = Some(vectors::open_cache_writer(&self.dir, &self.db_path)?);
        }
        let conn = guard.as_mut().expect("opened above");
        vectors::put(&self.dir, conn, model, entries)
    }

    fn stats(&self) -> Result<StoreStats> {
        let dir = &self.dir;
        let (articles, with_date, sources, schema_version) = self.with_reader(|conn| {
            // One read transaction, so the numbers agree with each other.
            conn.execute_batch("BEGIN").ctx(dir)?;
            let result = (|| {
                let articles: i64 = conn
                    .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
                    .ctx(dir)?;
                let with_date: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM articles WHERE date IS NOT NULL",
                        [],
                        |r| r.get(0),
                    )
                    .ctx(dir)?;
                let mut stmt = conn
                    .prepare_cached(
                        "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL
                         GROUP BY source ORDER BY n DESC, source ASC LIMIT ?1",
                    )
                    .ctx(dir)?;
                let sources = stmt
                    .query_map([TOP_SOURCES as i64], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
                    })
                    .ctx(dir)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .ctx(dir)?;
                let version = sql::check_version(dir, conn)?;
                Ok((articles as u64, with_date as u64, sources, version))
            })();
            let _ = conn.execute_batch("COMMIT");
            result
        })?;
        Ok(StoreStats {
            articles,
            with_date,
            sources,
            index_docs: self.retrieval.num_docs(),
            disk_bytes: self.disk_bytes(),
            schema_version,
            shapes_complete: self.shapes_complete.load(Ordering::Acquire),
        })
    }
}
