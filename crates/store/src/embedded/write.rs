//! The write path of [`EmbeddedStore`]: one batch at a time under the
//! writer mutex, SQLite first, then the tantivy index, then the commit
//! that makes both visible (see the crate docs for why it is crash-consistent).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use tantivy::IndexWriter;

use super::{lock, EmbeddedStore};
use crate::error::{Ctx, Result, StoreError};
use crate::sql;
use crate::{ArticleKey, NewArticle, OnConflict, PutOutcome};

/// Everything a write needs, owned by one mutex so batches are serialised.
pub(super) struct WriteState {
    pub(super) conn: Connection,
    /// Created on the first write: holding it takes tantivy's directory lock,
    /// which a store that is only read must not do.
    pub(super) index: Option<IndexWriter>,
    /// Documents of revisions that SQLite has superseded and whose deletion
    /// is not committed yet; retried with every commit until it succeeds.
    pub(super) pending_stale: Vec<(u64, u32)>,
    /// The tantivy writer may hold uncommitted operations of a failed batch;
    /// they must be rolled back before the next batch, or its commit would
    /// carry them.
    pub(super) dirty: bool,
}

/// How a batch ends; the crash variant exists for tests only.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Finish {
    Commit,
    CrashAfterIndex,
}

impl EmbeddedStore {
    pub(super) fn write(
        &self,
        batch: &[NewArticle],
        on_conflict: OnConflict,
        finish: Finish,
    ) -> Result<Vec<PutOutcome>> {
        let Some(writer) = &self.writer else {
            return Err(StoreError::ReadOnly(self.dir.clone()));
        };
        let mut guard = lock(writer);
        let ws = &mut *guard;
        self.ensure_index_writer(ws)?;
        if ws.dirty {
            self.rollback_index(ws);
        }
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let result = self.write_locked(ws, batch, on_conflict, finish);
        if ws.dirty {
            self.rollback_index(ws);
        }
        if result.is_err() || finish == Finish::CrashAfterIndex {
            // The index may hold documents of rows SQLite did not keep (a
            // failure between the two commits). Dropping the writer makes
            // the next write open a new one, which checks the index against
            // SQLite first and removes such orphans.
            ws.index = None;
        }
        result
    }

    pub(super) fn rollback_index(&self, ws: &mut WriteState) {
        if let Some(iw) = ws.index.as_mut() {
            if let Err(e) = iw.rollback() {
                log::warn!(
                    "store at {}: rolling back the retrieval index writer failed: {e}",
                    self.dir.display()
                );
                // Drop it; the next write opens a fresh one.
                ws.index = None;
            }
        }
        ws.dirty = false;
    }

    /// Takes the tantivy writer (and with it the index lock) on first use,
    /// and removes garbage that crashed writers left in the index.
    pub(super) fn ensure_index_writer(&self, ws: &mut WriteState) -> Result<()> {
        if ws.index.is_some() {
            return Ok(());
        }
        let mut iw = self.retrieval.writer(&self.dir)?;
        // Now that no other process can write (it would need this lock
        // first), compare the index with SQLite. Every row has exactly one
        // document; anything beyond is an orphan of an interrupted batch or
        // a superseded revision whose deletion was lost. Counting is cheap;
        // only on a mismatch are the (key, rev) pairs compared.
        self.retrieval.reload(&self.dir)?;
        let rows: i64 = ws
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .ctx(&self.dir)?;
        if self.retrieval.num_docs() != rows as u64 {
            let mut stored: HashMap<u64, u32> = HashMap::with_capacity(rows as usize);
            {
                let mut stmt = ws
                    .conn
                    .prepare("SELECT key, revision FROM articles")
                    .ctx(&self.dir)?;
                let mut q = stmt.query([]).ctx(&self.dir)?;
                while let Some(r) = q.next().ctx(&self.dir)? {
                    let k: i64 = r.get(0).ctx(&self.dir)?;
                    let rev: i64 = r.get(1).ctx(&self.dir)?;
                    stored.insert(k as u64, rev as u32);
                }
            }
            let mut removed = 0usize;
            let mut valid = 0usize;
            for (k, rev) in self.retrieval.all_docs(&self.dir)? {
                if stored.get(&k) == Some(&rev) {
                    valid += 1;
                } else {
                    iw.delete_term(self.retrieval.identity(k, rev));
                    removed += 1;
                }
            }
            if removed > 0 {
                iw.commit().ctx(&self.dir)?;
                self.retrieval.reload(&self.dir)?;
                log::info!(
                    "store at {}: removed {removed} orphaned retrieval documents left by an interrupted write",
                    self.dir.display()
                );
            }
            if valid < stored.len() {
                log::warn!(
                    "store at {}: {} stored articles have no retrieval document and cannot be found by search",
                    self.dir.display(),
                    stored.len() - valid
                );
            }
        }
        ws.index = Some(iw);
        Ok(())
    }

    /// The write protocol; see the crate docs, "Consistency".
    pub(super) fn write_locked(
        &self,
        ws: &mut WriteState,
        batch: &[NewArticle],
        on_conflict: OnConflict,
        finish: Finish,
    ) -> Result<Vec<PutOutcome>> {
        let dir = &self.dir;
        let ingested_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let WriteState {
            conn,
            index,
            pending_stale,
            dirty,
        } = ws;
        let iw: &mut IndexWriter = index.as_mut().expect("ensured by the caller");

        // (1) SQLite: rows first, so every key is known. IMMEDIATE takes the
        // write lock now rather than at the first write, so a concurrent
        // writer is reported before any work is done.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx(dir)?;

        // (2a) The index operations are sent as each row is written: tantivy
        // indexes on its own thread, concurrently with the SQLite work. None
        // of it is visible before the commit in (2b).
        *dirty = true;
        for &(k, r) in pending_stale.iter() {
            iw.delete_term(self.retrieval.identity(k, r));
        }
        // No delete of the new identity before each add: an orphan that an
        // interrupted batch left under it (SQLite reuses the rowids of a
        // rolled-back insert) is removed before any write reaches the index,
        // by `ensure_index_writer`'s check, which runs on a writer's first
        // write and again after any failed write. A delete per added
        // document would cost a term lookup in every segment at each commit:
        // a quarter of the CPU of a 1M-article ingest.
        let add = |key: i64, rev: u32, item: &NewArticle, bands: &[u64]| -> Result<()> {
            iw.add_document(
                self.retrieval
                    .document(key as u64, rev, &item.index_terms, bands),
            )
            .ctx(dir)?;
            Ok(())
        };

        let mut outcomes = Vec::with_capacity(batch.len());
        // Keys written by this batch -> revision committed before it (None
        // for new rows) and the revision it writes.
        let mut touched: HashMap<i64, (Option<u32>, u32)> = HashMap::new();
        {
            let mut find = tx
                .prepare_cached("SELECT key, content_hash, revision FROM articles WHERE id = ?1")
                .ctx(dir)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO articles (id, date, source, title, url, text, content_hash, revision, ingested_at, band_keys,
                                           fetched_url, extraction, page_spans)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11, ?12)",
                )
                .ctx(dir)?;
            let mut update = tx
                .prepare_cached(
                    "UPDATE articles SET date = ?2, source = ?3, title = ?4, url = ?5, text = ?6,
                     content_hash = ?7, revision = ?8, ingested_at = ?9, band_keys = ?10,
                     fetched_url = ?11, extraction = ?12, page_spans = ?13 WHERE key = ?1",
                )
                .ctx(dir)?;

            for item in batch {
                let a = &item.article;
                let hash = sql::content_hash(a);
                let date = a.date.map(sql::format_date);
                let existing: Option<(i64, Vec<u8>, i64)> = find
                    .query_row([a.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
                    .ctx(dir)?;
                let outcome = match existing {
                    None => {
                        let (bands, blob) = sql::band_blob(&item.band_keys);
                        insert
                            .execute(params![
                                a.id.as_str(),
                                date,
                                a.source,
                                a.title,
                                a.url,
                                a.text,
                                &hash[..],
                                ingested_at,
                                blob,
                                a.fetched_url,
                                a.extraction,
                                sql::page_spans_json(a)
                            ])
                            .ctx(dir)?;
                        let key = tx.last_insert_rowid();
                        crate::shapes::insert(dir, &tx, key, &item.sentence_shapes)?;
                        add(key, 1, item, &bands)?;
                        touched.insert(key, (None, 1));
                        PutOutcome::Added(ArticleKey(key as u64))
                    }
                    Some((key, old_hash, _)) if old_hash == hash => {
                        PutOutcome::Unchanged(ArticleKey(key as u64))
                    }
                    Some((key, _, _)) if on_conflict == OnConflict::Reject => {
                        PutOutcome::Conflict(ArticleKey(key as u64))
                    }
                    Some((key, _, old_rev)) => {
                        let old_rev = u32::try_from(old_rev).unwrap_or(u32::MAX);
                        let rev = old_rev.saturating_add(1);
                        let (bands, blob) = sql::band_blob(&item.band_keys);
                        update
                            .execute(params![
                                key,
                                date,
                                a.source,
                                a.title,
                                a.url,
                                a.text,
                                &hash[..],
                                rev,
                                ingested_at,
                                blob,
                                a.fetched_url,
                                a.extraction,
                                sql::page_spans_json(a)
                            ])
                            .ctx(dir)?;
                        let committed = match touched.get(&key) {
                            // Written earlier in this batch: that version is
                            // never committed, so its document goes now.
                            Some(&(committed, _)) => {
                                iw.delete_term(self.retrieval.identity(key as u64, old_rev));
                                committed
                            }
                            None => Some(old_rev),
                        };
                        crate::shapes::insert(dir, &tx, key, &item.sentence_shapes)?;
                        add(key, rev, item, &bands)?;
                        touched.insert(key, (committed, rev));
                        PutOutcome::Replaced(ArticleKey(key as u64))
                    }
                };
                outcomes.push(outcome);
            }
        }

        // (2b) tantivy commit. The document of the revision committed in
        // SQLite stays until SQLite has moved past it, so a crash before (3)
        // leaves every stored row findable.
        if !touched.is_empty() || !pending_stale.is_empty() {
            iw.commit().ctx(dir)?;
            pending_stale.clear();
            // Visible now, but filtered out by search until (3) commits the
            // rows, so the batch appears atomically.
            self.retrieval.reload(dir)?;
        }
        *dirty = false;

        if finish == Finish::CrashAfterIndex {
            // Dropping the transaction rolls it back, as a killed process would.
            drop(tx);
            return Ok(outcomes);
        }

        // (3) SQLite commit: from here on the batch is stored.
        tx.commit().ctx(dir)?;

        // (4) Delete the documents of superseded revisions. Only hygiene:
        // search filters them out by revision anyway, and if this fails or
        // the process dies, the next commit (or the next writer's check on
        // open) removes them.
        pending_stale.extend(
            touched
                .iter()
                .filter_map(|(&k, &(committed, _))| committed.map(|r| (k as u64, r))),
        );
        if !pending_stale.is_empty() {
            *dirty = true;
            for &(k, r) in pending_stale.iter() {
                iw.delete_term(self.retrieval.identity(k, r));
            }
            match iw.commit() {
                Ok(_) => {
                    *dirty = false;
                    pending_stale.clear();
                    if let Err(e) = self.retrieval.reload(dir) {
                        log::warn!("{e}");
                    }
                }
                Err(e) => log::warn!(
                    "store at {}: deleting superseded retrieval documents failed (will retry): {e}",
                    dir.display()
                ),
            }
        }
        Ok(outcomes)
    }
}
