//! Watches and their alerts, kept with the corpus: what a newsroom asked to
//! be told about, what matched, and every attempt to deliver it to a
//! webhook (the delivery log).
//!
//! ```sql
//! CREATE TABLE IF NOT EXISTS watches (
//!     id      INTEGER PRIMARY KEY,
//!     spec    TEXT NOT NULL,      -- the watch's rules, JSON (the server reads them)
//!     secret  TEXT,               -- the webhook signing secret, or NULL
//!     created TEXT NOT NULL,      -- RFC 3339, UTC
//!     deleted TEXT,               -- when it was deleted, or NULL
//!     after_key INTEGER NOT NULL  -- the last article key stored when it was made:
//!                                 -- only later articles are matched against it
//! );
//! CREATE TABLE IF NOT EXISTS watch_matches (
//!     seq     INTEGER PRIMARY KEY,  -- order of matching, across watches
//!     watch   INTEGER NOT NULL,
//!     article TEXT NOT NULL, source TEXT NOT NULL,
//!     payload TEXT NOT NULL,        -- what matched, JSON
//!     at      TEXT NOT NULL,
//!     UNIQUE (watch, article, source)
//! );
//! CREATE TABLE IF NOT EXISTS webhook_deliveries (
//!     id        TEXT PRIMARY KEY,    -- the webhook-id, the same on every retry
//!     watch     INTEGER NOT NULL,
//!     match_seq INTEGER,             -- NULL for a test send
//!     payload   TEXT NOT NULL,       -- the body sent, JSON
//!     state     TEXT NOT NULL,       -- pending | delivered | failed
//!     attempts  INTEGER NOT NULL,
//!     next_at   INTEGER NOT NULL,    -- unix seconds of the next attempt
//!     round_start INTEGER NOT NULL   -- attempts made before the last redelivery
//! );
//! CREATE TABLE IF NOT EXISTS webhook_attempts (
//!     delivery TEXT NOT NULL, attempt INTEGER NOT NULL,
//!     at TEXT NOT NULL, status INTEGER, error TEXT,
//!     PRIMARY KEY (delivery, attempt)
//! );
//! CREATE TABLE IF NOT EXISTS watch_progress (
//!     name TEXT PRIMARY KEY, value INTEGER NOT NULL
//! );
//! ```
//!
//! The tables are additive, like the review tables. A match and its
//! delivery are written in one transaction, and the matcher's progress
//! (the last article key it judged) with them, so a crash (even `kill -9`)
//! loses no alert and sends none twice under two ids.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use unspun_article::ArticleId;

use crate::error::{Ctx, Result, StoreError};
use crate::review::now;

pub(crate) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS watches (
    id      INTEGER PRIMARY KEY,
    spec    TEXT NOT NULL,
    secret  TEXT,
    created TEXT NOT NULL,
    deleted TEXT,
    after_key INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_matches (
    seq     INTEGER PRIMARY KEY,
    watch   INTEGER NOT NULL,
    article TEXT NOT NULL,
    source  TEXT NOT NULL,
    payload TEXT NOT NULL,
    at      TEXT NOT NULL,
    UNIQUE (watch, article, source)
);
CREATE INDEX IF NOT EXISTS watch_matches_by_watch ON watch_matches(watch, seq);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id        TEXT PRIMARY KEY,
    watch     INTEGER NOT NULL,
    match_seq INTEGER,
    payload   TEXT NOT NULL,
    state     TEXT NOT NULL,
    attempts  INTEGER NOT NULL,
    next_at   INTEGER NOT NULL,
    round_start INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries(state, next_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_watch ON webhook_deliveries(watch);
CREATE TABLE IF NOT EXISTS webhook_attempts (
    delivery TEXT NOT NULL,
    attempt  INTEGER NOT NULL,
    at       TEXT NOT NULL,
    status   INTEGER,
    error    TEXT,
    PRIMARY KEY (delivery, attempt)
);
CREATE TABLE IF NOT EXISTS watch_progress (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
";

/// A watch as stored. Its rules are the server's business: the store keeps
/// them as the JSON it was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Watch {
    /// Its id.
    pub id: u64,
    /// Its rules, JSON.
    pub spec: String,
    /// The secret its webhook deliveries are signed with, if it has a
    /// webhook.
    #[serde(skip)]
    pub secret: Option<String>,
    /// When it was created (RFC 3339, UTC).
    pub created: String,
    /// The last article key stored when it was made: only articles with
    /// larger keys are matched against it.
    pub after_key: u64,
}

/// One pair a watch matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WatchMatch {
    /// Order of matching, across all watches.
    pub seq: u64,
    /// The watch.
    pub watch: u64,
    /// The article that reuses.
    pub article: ArticleId,
    /// The watched source it reuses.
    pub source: ArticleId,
    /// What matched (JSON, as the server wrote it).
    pub payload: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// Where a webhook delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Not yet accepted by the receiver; tried again at `next_at`.
    Pending,
    /// Accepted (a 2xx answer).
    Delivered,
    /// Given up after the last retry (a redelivery makes it pending again).
    Failed,
}

impl DeliveryState {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<DeliveryState> {
        match s {
            "pending" => Some(DeliveryState::Pending),
            "delivered" => Some(DeliveryState::Delivered),
            "failed" => Some(DeliveryState::Failed),
            _ => None,
        }
    }
}

/// One attempt to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// 1 for the first.
    pub attempt: u32,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

/// A webhook delivery and its log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// Its id, sent as `webhook-id`: the same on every retry, so that the
    /// receiver can drop duplicates.
    pub id: String,
    /// The watch.
    pub watch: u64,
    /// The match it announces (none for a test send).
    pub match_seq: Option<u64>,
    /// The body sent (JSON).
    pub payload: String,
    /// Where it stands.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: u32,
    /// When it is next tried (unix seconds), while pending.
    pub next_at: i64,
    /// Attempts made before the last redelivery: the retry schedule starts
    /// again from there.
    pub round_start: u32,
    /// Every attempt, oldest first.
    pub log: Vec<Attempt>,
}

/// A match to record, with the webhook body announcing it when its watch
/// has a webhook.
#[derive(Clone, Debug)]
pub struct NewMatch {
    /// The watch.
    pub watch: u64,
    /// The article that reuses.
    pub article: ArticleId,
    /// The source it reuses.
    pub source: ArticleId,
    /// What matched, JSON.
    pub payload: String,
    /// With a webhook, the id of the delivery to add with the match
    /// (`webhook-id`: the caller makes it unique beyond this store, as
    /// receivers drop ids they have seen). `None`: no delivery.
    pub delivery_id: Option<String>,
}

/// Whether the watch tables exist (checked once, when the store is opened).
pub(crate) fn has_tables(dir: &Path, conn: &Connection) -> Result<bool> {
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN
             ('watches', 'watch_matches', 'webhook_deliveries', 'webhook_attempts', 'watch_progress')",
            [],
            |r| r.get(0),
        )
        .ctx(dir)?;
    Ok(n == 5)
}

/// A write transaction that takes the write lock at once: a read followed
/// by a write in a deferred one fails at once (SQLITE_BUSY) when another
/// process is writing, where this one waits its turn.
fn immediate<'c>(dir: &Path, conn: &'c Connection) -> Result<rusqlite::Transaction<'c>> {
    // The connection is shared (`&`), as `unchecked_transaction` takes it,
    // but the transaction is IMMEDIATE.
    rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate).ctx(dir)
}

fn damaged(dir: &Path, reason: String) -> StoreError {
    StoreError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    }
}

/// Stores a new watch and returns it.
pub(crate) fn create_watch(
    dir: &Path,
    conn: &Connection,
    spec: &str,
    secret: Option<&str>,
) -> Result<Watch> {
    let created = now();
    let after_key = last_key(dir, conn)?.unwrap_or(0);
    conn.execute(
        "INSERT INTO watches (spec, secret, created, after_key) VALUES (?1, ?2, ?3, ?4)",
        params![spec, secret, created, after_key as i64],
    )
    .ctx(dir)?;
    Ok(Watch {
        id: conn.last_insert_rowid() as u64,
        spec: spec.to_string(),
        secret: secret.map(str::to_string),
        created,
        after_key,
    })
}

/// The largest article key stored, if any.
pub(crate) fn last_key(dir: &Path, conn: &Connection) -> Result<Option<u64>> {
    conn.query_row("SELECT max(key) FROM articles", [], |r| {
        r.get::<_, Option<i64>>(0)
    })
    .ctx(dir)
    .map(|k| k.map(|k| k as u64))
}

/// Marks a watch deleted (its matches and deliveries stay, as a record).
/// Returns whether it was live.
pub(crate) fn delete_watch(dir: &Path, conn: &Connection, id: u64) -> Result<bool> {
    let tx = immediate(dir, conn)?;
    let n = tx
        .execute(
            "UPDATE watches SET deleted = ?2 WHERE id = ?1 AND deleted IS NULL",
            params![id as i64, now()],
        )
        .ctx(dir)?;
    // A deleted watch's pending deliveries are not sent.
    tx.execute(
        "UPDATE webhook_deliveries SET state = 'failed' WHERE watch = ?1 AND state = 'pending'",
        [id as i64],
    )
    .ctx(dir)?;
    tx.commit().ctx(dir)?;
    Ok(n > 0)
}

/// The live watches, by id (or the one with `id`).
pub(crate) fn watches(dir: &Path, conn: &Connection, id: Option<u64>) -> Result<Vec<Watch>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, spec, secret, created, after_key FROM watches
             WHERE deleted IS NULL AND (?1 IS NULL OR id = ?1) ORDER BY id",
        )
        .ctx(dir)?;
    let rows = stmt
        .query_map([id.map(|i| i as i64)], |r| {
            Ok(Watch {
                id: r.get::<_, i64>(0)? as u64,
                spec: r.get(1)?,
                secret: r.get(2)?,
                created: r.get(3)?,
                after_key: r.get::<_, i64>(4)? as u64,
            })
        })
        .ctx(dir)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx(dir)?;
    Ok(rows)
}

/// Records `matches` (a pair already matched by a watch is skipped), a
/// pending delivery for each new one whose watch has a webhook, and the
/// matcher's progress `checkpoint`, in one transaction. Returns the new
/// matches.
pub(crate) fn record_matches(
    dir: &Path,
    conn: &Connection,
    matches: &[NewMatch],
    checkpoint: Option<u64>,
) -> Result<Vec<WatchMatch>> {
    let tx = immediate(dir, conn)?;
    let at = now();
    let mut out = Vec::new();
    for m in matches {
        let n = tx
            .execute(
                "INSERT OR IGNORE INTO watch_matches (watch, article, source, payload, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    m.watch as i64,
                    m.article.as_str(),
                    m.source.as_str(),
                    m.payload,
                    at
                ],
            )
            .ctx(dir)?;
        if n == 0 {
            continue;
        }
        let seq = tx.last_insert_rowid() as u64;
        if let Some(id) = &m.delivery_id {
            // Only for a watch still live: one deleted since the matcher
            // read it sends nothing.
            tx.execute(
                "INSERT INTO webhook_deliveries (id, watch, match_seq, payload, state, attempts, next_at)
                 SELECT ?1, ?2, ?3, ?4, 'pending', 0, ?5
                 WHERE EXISTS (SELECT 1 FROM watches WHERE id = ?2 AND deleted IS NULL)",
                params![
                    id,
                    m.watch as i64,
                    seq as i64,
                    m.payload,
                    chrono::Utc::now().timestamp()
                ],
            )
            .ctx(dir)?;
        }
        out.push(WatchMatch {
            seq,
            watch: m.watch,
            article: m.article.clone(),
            source: m.source.clone(),
            payload: m.payload.clone(),
            at: at.clone(),
        });
    }
    if let Some(c) = checkpoint {
        tx.execute(
            "INSERT INTO watch_progress (name, value) VALUES ('matched_through', ?1)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [c as i64],
        )
        .ctx(dir)?;
    }
    tx.commit().ctx(dir)?;
    Ok(out)
}

/// The matcher's progress: the last article key it judged, if any.
pub(crate) fn matched_through(dir: &Path, conn: &Connection) -> Result<Option<u64>> {
    conn.query_row(
        "SELECT value FROM watch_progress WHERE name = 'matched_through'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .optional()
    .ctx(dir)
    .map(|v| v.map(|v| v as u64))
}

/// Up to `limit` matches of a watch after sequence number `after`, oldest
/// first.
pub(crate) fn watch_matches(
    dir: &Path,
    conn: &Connection,
    watch: u64,
    after: Option<u64>,
    limit: usize,
) -> Result<Vec<WatchMatch>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, article, source, payload, at FROM watch_matches
             WHERE watch = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )
        .ctx(dir)?;
    let rows = stmt
        .query_map(
            params![watch as i64, after.unwrap_or(0) as i64, limit as i64],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .ctx(dir)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx(dir)?;
    rows.into_iter()
        .map(|(seq, article, source, payload, at)| {
            let id = |s: String| {
                ArticleId::new(s).map_err(|e| damaged(dir, format!("watch match {seq}: {e}")))
            };
            Ok(WatchMatch {
                seq: seq as u64,
                watch,
                article: id(article)?,
                source: id(source)?,
                payload,
                at,
            })
        })
        .collect()
}

/// Adds a delivery that is not a match's (a test send), pending now.
pub(crate) fn add_test_delivery(
    dir: &Path,
    conn: &Connection,
    watch: u64,
    id: &str,
    payload: &str,
) -> Result<Delivery> {
    let id = id.to_string();
    let next_at = chrono::Utc::now().timestamp();
    conn.execute(
        "INSERT INTO webhook_deliveries (id, watch, match_seq, payload, state, attempts, next_at)
         VALUES (?1, ?2, NULL, ?3, 'pending', 0, ?4)",
        params![id, watch as i64, payload, next_at],
    )
    .ctx(dir)?;
    Ok(Delivery {
        id,
        watch,
        match_seq: None,
        payload: payload.to_string(),
        state: DeliveryState::Pending,
        attempts: 0,
        next_at,
        round_start: 0,
        log: Vec::new(),
    })
}

const DELIVERY_COLUMNS: &str =
    "id, watch, match_seq, payload, state, attempts, next_at, round_start";

type DeliveryRow = (String, i64, Option<i64>, String, String, i64, i64, i64);

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn deliveries_with_logs(
    dir: &Path,
    conn: &Connection,
    rows: Vec<DeliveryRow>,
) -> Result<Vec<Delivery>> {
    let mut log_stmt = conn
        .prepare_cached(
            "SELECT attempt, at, status, error FROM webhook_attempts
             WHERE delivery = ?1 ORDER BY attempt",
        )
        .ctx(dir)?;
    rows.into_iter()
        .map(
            |(id, watch, match_seq, payload, state, attempts, next_at, round_start)| {
                let state = DeliveryState::parse(&state)
                    .ok_or_else(|| damaged(dir, format!("delivery {id}: state {state:?}")))?;
                let log = log_stmt
                    .query_map([&id], |r| {
                        Ok(Attempt {
                            attempt: r.get::<_, i64>(0)? as u32,
                            at: r.get(1)?,
                            status: r.get::<_, Option<i64>>(2)?.map(|s| s as u16),
                            error: r.get(3)?,
                        })
                    })
                    .ctx(dir)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .ctx(dir)?;
                Ok(Delivery {
                    id,
                    watch: watch as u64,
                    match_seq: match_seq.map(|s| s as u64),
                    payload,
                    state,
                    attempts: attempts as u32,
                    next_at,
                    round_start: round_start as u32,
                    log,
                })
            },
        )
        .collect()
}

/// A watch's deliveries, newest first, at most `limit`.
pub(crate) fn deliveries(
    dir: &Path,
    conn: &Connection,
    watch: u64,
    limit: usize,
) -> Result<Vec<Delivery>> {
    let rows = {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE watch = ?1
                 ORDER BY rowid DESC LIMIT ?2"
            ))
            .ctx(dir)?;
        let rows = stmt
            .query_map(params![watch as i64, limit as i64], delivery_row)
            .ctx(dir)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx(dir)?;
        rows
    };
    deliveries_with_logs(dir, conn, rows)
}

/// Pending deliveries due at `now` (unix seconds), oldest first, at most
/// `limit`.
pub(crate) fn due_deliveries(
    dir: &Path,
    conn: &Connection,
    now: i64,
    limit: usize,
) -> Result<Vec<Delivery>> {
    let rows = {
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries
                 WHERE state = 'pending' AND next_at <= ?1 ORDER BY next_at, rowid LIMIT ?2"
            ))
            .ctx(dir)?;
        let rows = stmt
            .query_map(params![now, limit as i64], delivery_row)
            .ctx(dir)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx(dir)?;
        rows
    };
    deliveries_with_logs(dir, conn, rows)
}

/// How one delivery attempt went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttemptOutcome {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// Whether the receiver accepted it (a 2xx answer).
    pub accepted: bool,
    /// When to try again (unix seconds), if not accepted; `None` gives up.
    pub retry_at: Option<i64>,
}

/// Logs an attempt at delivery `id` and moves it on: `delivered` when
/// accepted, else pending again at `retry_at` or, without one, `failed`.
pub(crate) fn record_attempt(
    dir: &Path,
    conn: &Connection,
    delivery: &Delivery,
    outcome: &AttemptOutcome,
) -> Result<()> {
    let AttemptOutcome {
        status,
        error,
        accepted,
        retry_at,
    } = outcome;
    let tx = immediate(dir, conn)?;
    let id = delivery.id.as_str();
    // Attempts are numbered after every one logged, whatever happened to
    // the delivery meanwhile.
    let logged: i64 = tx
        .query_row(
            "SELECT coalesce(max(attempt), 0) FROM webhook_attempts WHERE delivery = ?1",
            [id],
            |r| r.get(0),
        )
        .ctx(dir)?;
    let attempt = logged + 1;
    tx.execute(
        "INSERT INTO webhook_attempts (delivery, attempt, at, status, error) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, attempt, now(), status.map(i64::from), error],
    )
    .ctx(dir)?;
    let state = if *accepted {
        DeliveryState::Delivered
    } else if retry_at.is_some() {
        DeliveryState::Pending
    } else {
        DeliveryState::Failed
    };
    // Only if nothing moved the delivery while it was being sent (a
    // redelivery, the watch's deletion): else the attempt is logged and
    // the newer state stands.
    tx.execute(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?2, next_at = ?3
         WHERE id = ?1 AND state = 'pending' AND attempts = ?4 AND round_start = ?5
           AND EXISTS (SELECT 1 FROM watches WHERE watches.id = webhook_deliveries.watch AND deleted IS NULL)",
        params![
            id,
            state.as_str(),
            retry_at.unwrap_or(0),
            delivery.attempts as i64,
            delivery.round_start as i64
        ],
    )
    .ctx(dir)?;
    tx.commit().ctx(dir)
}

/// Makes delivery `id` of `watch` pending again, due now. Returns whether
/// there is such a delivery.
pub(crate) fn redeliver(dir: &Path, conn: &Connection, watch: u64, id: &str) -> Result<bool> {
    // A new round: the retry schedule starts again from the attempts made.
    let n = conn
        .execute(
            "UPDATE webhook_deliveries SET state = 'pending', next_at = ?3, round_start = attempts
             WHERE id = ?1 AND watch = ?2
               AND EXISTS (SELECT 1 FROM watches WHERE id = ?2 AND deleted IS NULL)",
            params![id, watch as i64, chrono::Utc::now().timestamp()],
        )
        .ctx(dir)?;
    Ok(n > 0)
}

/// The latest `limit` matches of a watch, oldest first.
pub(crate) fn latest_matches(
    dir: &Path,
    conn: &Connection,
    watch: u64,
    limit: usize,
) -> Result<Vec<WatchMatch>> {
    // The sequence number just before the latest `limit`, then a page from
    // there: both walk the (watch, seq) index.
    let before: Option<i64> = conn
        .prepare_cached(
            "SELECT seq FROM watch_matches WHERE watch = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2",
        )
        .ctx(dir)?
        .query_row(params![watch as i64, limit as i64], |r| r.get(0))
        .optional()
        .ctx(dir)?;
    watch_matches(dir, conn, watch, before.map(|b| b as u64), limit)
}
