//! The fillers of each sentence shape: what tells a genre's frame from a
//! story's own sentence (issue 14).
//!
//! A sentence shape is a sentence with its numbers masked, and its filler
//! is the numbers (see `unspun_fingerprint::sentence_shape`; the store
//! takes both as hashes). A shape the corpus holds with three or more
//! different fillers is a frame. The table keeps each distinct
//! (shape, filler) pair once, with the key of the first article that held
//! it: keys only grow, so a snapshot taken at key `k` counts the pairs whose
//! first key is at most `k`, and an answer under a snapshot depends on that
//! snapshot only, however many articles arrive later. A replaced article's
//! new fillers count from its own key; a removed one's stay counted (a
//! filler seen once was seen).
//!
//! The table was added after version 2 (2026-12-07) and is additive. A
//! writer adds it to an older store; such a store's earlier articles have
//! no rows, so the table is marked incomplete in `meta` and the store
//! answers "unknown" (`None`): frames are then not told, and pairs are
//! judged as before. `unspun upgrade` (`Engine::complete_shapes`) records
//! the earlier articles' shapes ([`backfill`]) and marks the table
//! complete; the result equals what ingesting them into a new store gives.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::{Ctx, Result};

/// Most fillers of one shape read back: three tell a frame.
pub(crate) const FILLERS_KEPT: usize = 3;

const CREATE: &str = "
CREATE TABLE shape_fillers (
    shape     INTEGER NOT NULL,
    filler    INTEGER NOT NULL,
    first_key INTEGER NOT NULL,
    PRIMARY KEY (shape, filler)
) WITHOUT ROWID;
";

/// The `meta` entry that says whether every stored article has its rows.
const COMPLETE: &str = "shape_fillers_complete";

/// Whether the table holds every stored article's shapes. `false` when the
/// table is missing (a store no writer of this build opened) or was added
/// to a store that already held articles.
pub(crate) fn complete(dir: &Path, conn: &Connection) -> Result<bool> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE name = ?1", [COMPLETE], |r| {
            r.get(0)
        })
        .optional()
        .ctx(dir)?;
    Ok(value.as_deref() == Some("1"))
}

/// Creates the table if it is missing; a store that holds articles already
/// is marked incomplete. Runs inside the schema set-up's transaction
/// (`sql::init_schema`), so two writers opening one store cannot both
/// create it.
pub(crate) fn add_if_missing(dir: &Path, conn: &Connection) -> Result<()> {
    let exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'shape_fillers'",
            [],
            |r| r.get(0),
        )
        .ctx(dir)?;
    if exists > 0 {
        return Ok(());
    }
    let articles: i64 = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .ctx(dir)?;
    conn.execute_batch(CREATE).ctx(dir)?;
    conn.execute(
        "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)",
        params![COMPLETE, if articles == 0 { "1" } else { "0" }],
    )
    .ctx(dir)?;
    Ok(())
}

/// Records the shapes of the article stored under `key`, inside its batch.
pub(crate) fn insert(dir: &Path, tx: &Transaction, key: i64, shapes: &[(u64, u64)]) -> Result<()> {
    if shapes.is_empty() {
        return Ok(());
    }
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO shape_fillers (shape, filler, first_key) VALUES (?1, ?2, ?3)",
        )
        .ctx(dir)?;
    for &(shape, filler) in shapes {
        stmt.execute(params![shape as i64, filler as i64, key])
            .ctx(dir)?;
    }
    Ok(())
}

/// Records the shapes of articles stored before the table was, each under
/// its own key, and marks the table complete when `done`. A pair already
/// held keeps the smaller key: ingest's `INSERT OR IGNORE` keeps the first,
/// and an article ingested while the upgrade runs has the larger key, so
/// the table ends as if every article had been ingested with it.
pub(crate) fn backfill(
    dir: &Path,
    conn: &Connection,
    rows: &[(crate::ArticleKey, Vec<(u64, u64)>)],
    done: bool,
) -> Result<()> {
    let tx = conn.unchecked_transaction().ctx(dir)?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO shape_fillers (shape, filler, first_key) VALUES (?1, ?2, ?3)
                 ON CONFLICT (shape, filler) DO UPDATE SET first_key = min(first_key, excluded.first_key)",
            )
            .ctx(dir)?;
        for (key, shapes) in rows {
            for &(shape, filler) in shapes {
                stmt.execute(params![shape as i64, filler as i64, key.0 as i64])
                    .ctx(dir)?;
            }
        }
    }
    if done {
        tx.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, '1')",
            [COMPLETE],
        )
        .ctx(dir)?;
    }
    tx.commit().ctx(dir)
}

/// Up to [`FILLERS_KEPT`] distinct fillers of each of `shapes` (shapes never
/// seen are left out), counting every stored article.
pub(crate) fn fillers(
    dir: &Path,
    conn: &Connection,
    shapes: &[u64],
) -> Result<HashMap<u64, Vec<u64>>> {
    let mut stmt = conn
        .prepare_cached("SELECT filler FROM shape_fillers WHERE shape = ?1 LIMIT ?2")
        .ctx(dir)?;
    let mut out = HashMap::new();
    for &shape in shapes {
        if out.contains_key(&shape) {
            continue;
        }
        let found: Vec<u64> = stmt
            .query_map(params![shape as i64, FILLERS_KEPT as i64], |r| {
                r.get::<_, i64>(0)
            })
            .ctx(dir)?
            .map(|f| f.map(|f| f as u64))
            .collect::<std::result::Result<_, _>>()
            .ctx(dir)?;
        if !found.is_empty() {
            out.insert(shape, found);
        }
    }
    Ok(out)
}

/// Every shape held with at least two distinct fillers by articles of key
/// at most `max_key`, with up to [`FILLERS_KEPT`] of them: what a snapshot
/// needs (a shape seen with one filler cannot make a frame with a pair
/// that fills it the same way or with the pair's own two).
pub(crate) fn frames(
    dir: &Path,
    conn: &Connection,
    max_key: Option<u64>,
) -> Result<BTreeMap<u64, Vec<u64>>> {
    let Some(max_key) = max_key else {
        return Ok(BTreeMap::new());
    };
    let mut stmt = conn
        .prepare(
            "SELECT shape, filler FROM shape_fillers WHERE first_key <= ?1 ORDER BY shape, filler",
        )
        .ctx(dir)?;
    let mut rows = stmt.query([max_key as i64]).ctx(dir)?;
    let mut out = BTreeMap::new();
    let mut current: Option<(u64, Vec<u64>)> = None;
    while let Some(row) = rows.next().ctx(dir)? {
        let shape = row.get::<_, i64>(0).ctx(dir)? as u64;
        let filler = row.get::<_, i64>(1).ctx(dir)? as u64;
        match &mut current {
            Some((s, fillers)) if *s == shape => {
                if fillers.len() < FILLERS_KEPT {
                    fillers.push(filler);
                }
            }
            _ => {
                if let Some((s, fillers)) = current.take() {
                    if fillers.len() >= 2 {
                        out.insert(s, fillers);
                    }
                }
                current = Some((shape, vec![filler]));
            }
        }
    }
    if let Some((s, fillers)) = current {
        if fillers.len() >= 2 {
            out.insert(s, fillers);
        }
    }
    Ok(out)
}
