//! The sentence-embedding cache: one row per (article key, model) holding
//! the vectors of the article's sentences for the article's current
//! revision.
//!
//! # Table
//!
//! ```sql
//! CREATE TABLE IF NOT EXISTS sentence_vectors (
//!     key      INTEGER NOT NULL,  -- ArticleKey
//!     model    TEXT    NOT NULL,  -- embedder name: "static", "minilm"
//!     revision INTEGER NOT NULL,  -- the article revision the vectors are of
//!     checksum INTEGER NOT NULL,  -- caller's fingerprint of the segmentation
//!     vectors  BLOB    NOT NULL,  -- see the blob format below
//!     PRIMARY KEY (key, model)
//! ) WITHOUT ROWID;
//! ```
//!
//! The table is additive (created on first use, ignored by older builds), so
//! the schema version stays 1. A row is returned only when its revision is
//! the one asked for and its checksum matches, so a replaced article or a
//! changed segmenter makes the row stale, never wrong; the next put replaces
//! it.
//!
//! # Blob format
//!
//! `u32 n` (sentences), `u32 dims`, then per sentence an `f32` scale and
//! `dims` signed bytes, all little-endian: each vector is quantised to i8
//! with its own scale (`max |x| / 127`). For the L2-normalised vectors of
//! unspun-embed this changes a cosine by less than 0.005 (tested), and it is
//! 4x smaller than f32: 388 bytes per MiniLM sentence, 260 per static one.
//!
//! # Crash safety
//!
//! Cache writes run on their own SQLite connection, in their own
//! transaction, never inside an article batch, and never touch the
//! `articles` table or the retrieval index. A process killed during a cache
//! write loses at most that write (SQLite rolls it back); it cannot lose or
//! alter a stored article. The connection waits only briefly for the write
//! lock ([`CACHE_BUSY_TIMEOUT`]): the cache is an optimisation, and a busy
//! store (an ingest running) makes the write fail with
//! [`StoreError::Locked`], which callers log and skip.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Ctx, Result, StoreError};
use crate::ArticleKey;

/// How long a cache write waits for another writer before giving up.
pub(crate) const CACHE_BUSY_TIMEOUT: Duration = Duration::from_millis(500);

const CREATE: &str = "
CREATE TABLE IF NOT EXISTS sentence_vectors (
    key      INTEGER NOT NULL,
    model    TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    vectors  BLOB    NOT NULL,
    PRIMARY KEY (key, model)
) WITHOUT ROWID;
";

/// The sentence vectors of one stored article, for
/// [`Store::put_sentence_vectors`](crate::Store::put_sentence_vectors).
#[derive(Clone, Debug, PartialEq)]
pub struct CachedVectors {
    /// The article.
    pub key: ArticleKey,
    /// The revision of the article the vectors were computed from.
    pub revision: u32,
    /// The caller's fingerprint of how the article was cut into sentences
    /// (e.g. a hash of the sentence spans): a get with another checksum
    /// misses.
    pub checksum: u64,
    /// One vector per sentence, all of the same length.
    pub vectors: Vec<Vec<f32>>,
}

/// Opens the cache-writing connection and creates the table if needed.
pub(crate) fn open_cache_writer(dir: &Path, db: &Path) -> Result<Connection> {
    let conn = Connection::open(db).ctx(dir)?;
    conn.busy_timeout(CACHE_BUSY_TIMEOUT).ctx(dir)?;
    conn.pragma_update(None, "journal_mode", "WAL").ctx(dir)?;
    conn.pragma_update(None, "synchronous", "NORMAL").ctx(dir)?;
    conn.execute_batch(CREATE).map_err(|e| busy_or(dir, e))?;
    Ok(conn)
}

/// Maps SQLite's busy/locked errors to [`StoreError::Locked`].
pub(crate) fn busy_or(dir: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Locked {
                dir: dir.to_path_buf(),
                detail: "the database is locked by another writer; embedding cache write skipped"
                    .into(),
            }
        }
        _ => StoreError::Sqlite {
            dir: dir.to_path_buf(),
            source: e,
        },
    }
}

/// Writes `entries` for `model` in one transaction.
pub(crate) fn put(
    dir: &Path,
    conn: &mut Connection,
    model: &str,
    entries: &[CachedVectors],
) -> Result<()> {
    let tx = conn.transaction().map_err(|e| busy_or(dir, e))?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT OR REPLACE INTO sentence_vectors (key, model, revision, checksum, vectors)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| busy_or(dir, e))?;
        for e in entries {
            stmt.execute(params![
                e.key.0 as i64,
                model,
                e.revision as i64,
                e.checksum as i64,
                encode(&e.vectors)
            ])
            .map_err(|e| busy_or(dir, e))?;
        }
    }
    tx.commit().map_err(|e| busy_or(dir, e))
}

/// Reads the vectors of `key` for `model` if they are of `revision` and
/// `checksum`; `None` when absent, stale, or the table does not exist yet.
pub(crate) fn get(
    dir: &Path,
    conn: &Connection,
    key: ArticleKey,
    revision: u32,
    checksum: u64,
    model: &str,
) -> Result<Option<Vec<Vec<f32>>>> {
    let exists: bool = conn
        .prepare_cached(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sentence_vectors'",
        )
        .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
        .ctx(dir)?
        > 0;
    if !exists {
        return Ok(None);
    }
    let row: Option<(i64, i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT revision, checksum, vectors FROM sentence_vectors WHERE key = ?1 AND model = ?2",
        )
        .and_then(|mut s| {
            s.query_row(params![key.0 as i64, model], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
        })
        .ctx(dir)?;
    Ok(match row {
        Some((rev, sum, blob)) if rev == revision as i64 && sum == checksum as i64 => {
            // A blob that does not decode is treated as a miss: the next put
            // replaces it.
            decode(&blob)
        }
        _ => None,
    })
}

/// Encodes vectors as the blob format of the module docs.
pub(crate) fn encode(vectors: &[Vec<f32>]) -> Vec<u8> {
    let dims = vectors.first().map_or(0, Vec::len);
    let mut out = Vec::with_capacity(8 + vectors.len() * (4 + dims));
    out.extend_from_slice(&(vectors.len() as u32).to_le_bytes());
    out.extend_from_slice(&(dims as u32).to_le_bytes());
    for v in vectors {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend(
            (0..dims).map(|k| (v.get(k).copied().unwrap_or(0.0) / scale).round() as i8 as u8),
        );
    }
    out
}

/// Decodes a blob; `None` if it is malformed.
pub(crate) fn decode(blob: &[u8]) -> Option<Vec<Vec<f32>>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(blob.get(at..at + 4)?.try_into().ok()?))
    };
    let (n, dims) = (u32_at(0)? as usize, u32_at(4)? as usize);
    if blob.len() != 8 + n.checked_mul(4 + dims)? {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut at = 8;
    for _ in 0..n {
        let scale = f32::from_le_bytes(blob[at..at + 4].try_into().ok()?);
        at += 4;
        out.push(
            blob[at..at + dims]
                .iter()
                .map(|&b| b as i8 as f32 * scale)
                .collect(),
        );
        at += dims;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u64, dims: usize) -> Vec<f32> {
        // A deterministic pseudo-random unit vector.
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut v: Vec<f32> = (0..dims)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
            })
            .collect();
        let n = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        v.iter_mut().for_each(|a| *a /= n);
        v
    }

    fn dot(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn quantised_round_trip_keeps_cosines() {
        for dims in [256, 384] {
            let vs: Vec<Vec<f32>> = (0..40).map(|s| unit(s, dims)).collect();
            let blob = encode(&vs);
            assert_eq!(blob.len(), 8 + 40 * (4 + dims));
            let back = decode(&blob).unwrap();
            for a in 0..vs.len() {
                for b in 0..vs.len() {
                    let err = (dot(&vs[a], &vs[b]) - dot(&back[a], &back[b])).abs();
                    assert!(err < 0.005, "cosine error {err}");
                }
            }
        }
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::<Vec<f32>>::new());
        assert!(decode(&[1, 2, 3]).is_none());
        assert!(decode(&blob_truncated()).is_none());
    }

    fn blob_truncated() -> Vec<u8> {
        let mut b = encode(&[unit(1, 8)]);
        b.pop();
        b
    }
}
