//! Reviewers' decisions, kept with the corpus: a verdict on a pair (an
//! article and its source) with its reason, every one kept as history, and
//! the outlets whose reuse is licensed.
//!
//! ```sql
//! CREATE TABLE IF NOT EXISTS verdicts (
//!     seq     INTEGER PRIMARY KEY,   -- order of recording
//!     article TEXT NOT NULL,         -- the article's id
//!     source  TEXT NOT NULL,         -- its source's id
//!     verdict TEXT NOT NULL,         -- confirmed | dismissed | licensed
//!     reason  TEXT NOT NULL,
//!     at      TEXT NOT NULL          -- RFC 3339, UTC
//! );
//! CREATE TABLE IF NOT EXISTS licensed_outlets (
//!     outlet TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL
//! );
//! ```
//!
//! The tables are additive (created by a writer on open, ignored by older
//! builds), so the schema version stays. Verdicts are never updated or
//! deleted: a new one supersedes the last, and the history is the audit
//! trail. They name articles by id, not key, so that they outlive a
//! replacement of either article.

use std::path::Path;
use std::str::FromStr;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use unspun_article::ArticleId;

use crate::error::{Ctx, Result, StoreError};

pub(crate) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS verdicts (
    seq     INTEGER PRIMARY KEY,
    article TEXT NOT NULL,
    source  TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS verdicts_by_pair ON verdicts(article, source, seq);
CREATE TABLE IF NOT EXISTS licensed_outlets (
    outlet TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
";

/// What a reviewer decided about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// The article does derive from the source, as unspun says.
    Confirmed,
    /// It does not: a false match.
    Dismissed,
    /// It does, under a licence: not a finding.
    Licensed,
}

impl VerdictKind {
    /// The lowercase name stored and reported.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Confirmed => "confirmed",
            VerdictKind::Dismissed => "dismissed",
            VerdictKind::Licensed => "licensed",
        }
    }
}

impl FromStr for VerdictKind {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<VerdictKind, String> {
        match s {
            "confirmed" => Ok(VerdictKind::Confirmed),
            "dismissed" => Ok(VerdictKind::Dismissed),
            "licensed" => Ok(VerdictKind::Licensed),
            other => Err(format!(
                "{other:?} is not a verdict: confirmed, dismissed or licensed"
            )),
        }
    }
}

/// One recorded verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Order of recording, across all pairs.
    pub seq: u64,
    /// The article.
    pub article: ArticleId,
    /// Its source.
    pub source: ArticleId,
    /// The decision.
    pub verdict: VerdictKind,
    /// Why, in the reviewer's words.
    pub reason: String,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
}

/// An outlet whose reuse is licensed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LicensedOutlet {
    /// The outlet, as articles name it (`source`).
    pub outlet: String,
    /// Why (the licence).
    pub reason: String,
    /// When it was added (RFC 3339, UTC).
    pub at: String,
}

/// The current time as the store records it (RFC 3339, UTC, seconds).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whether the review tables exist (a store opened read-only that no
/// writer of this build opened has none: it has no verdicts). Checked once,
/// when the store is opened.
pub(crate) fn has_tables(dir: &Path, conn: &Connection) -> Result<bool> {
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'
             AND name IN ('verdicts', 'licensed_outlets')",
            [],
            |r| r.get(0),
        )
        .ctx(dir)?;
    Ok(n == 2)
}

/// Records a verdict and returns it.
pub(crate) fn add_verdict(
    dir: &Path,
    conn: &Connection,
    article: &ArticleId,
    source: &ArticleId,
    verdict: VerdictKind,
    reason: &str,
) -> Result<Verdict> {
    let at = now();
    conn.execute(
        "INSERT INTO verdicts (article, source, verdict, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            article.as_str(),
            source.as_str(),
            verdict.as_str(),
            reason,
            at
        ],
    )
    .ctx(dir)?;
    Ok(Verdict {
        seq: conn.last_insert_rowid() as u64,
        article: article.clone(),
        source: source.clone(),
        verdict,
        reason: reason.to_string(),
        at,
    })
}

/// The verdicts on a pair, oldest first (the tables must exist).
pub(crate) fn verdicts(
    dir: &Path,
    conn: &Connection,
    article: &ArticleId,
    source: &ArticleId,
) -> Result<Vec<Verdict>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, verdict, reason, at FROM verdicts
             WHERE article = ?1 AND source = ?2 ORDER BY seq",
        )
        .ctx(dir)?;
    let rows = stmt
        .query_map(params![article.as_str(), source.as_str()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .ctx(dir)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx(dir)?;
    rows.into_iter()
        .map(|(seq, verdict, reason, at)| {
            let verdict = verdict.parse().map_err(|e| StoreError::Damaged {
                dir: dir.to_path_buf(),
                reason: format!("verdict {seq}: {e}"),
            })?;
            Ok(Verdict {
                seq: seq as u64,
                article: article.clone(),
                source: source.clone(),
                verdict,
                reason,
                at,
            })
        })
        .collect()
}

/// Adds `outlet` to the licensed ones with `reason` (replacing an earlier
/// reason), or removes it when `reason` is `None`. Returns whether the
/// outlet was licensed before.
pub(crate) fn set_licensed(
    dir: &Path,
    conn: &Connection,
    outlet: &str,
    reason: Option<&str>,
) -> Result<bool> {
    let existed: i64 = conn
        .query_row(
            "SELECT count(*) FROM licensed_outlets WHERE outlet = ?1",
            [outlet],
            |r| r.get(0),
        )
        .ctx(dir)?;
    match reason {
        Some(reason) => conn
            .execute(
                "INSERT INTO licensed_outlets (outlet, reason, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(outlet) DO UPDATE SET reason = excluded.reason, at = excluded.at",
                params![outlet, reason, now()],
            )
            .ctx(dir)?,
        None => conn
            .execute("DELETE FROM licensed_outlets WHERE outlet = ?1", [outlet])
            .ctx(dir)?,
    };
    Ok(existed > 0)
}

/// The licensed outlets, by name (the tables must exist).
pub(crate) fn licensed_outlets(dir: &Path, conn: &Connection) -> Result<Vec<LicensedOutlet>> {
    let mut stmt = conn
        .prepare_cached("SELECT outlet, reason, at FROM licensed_outlets ORDER BY outlet")
        .ctx(dir)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(LicensedOutlet {
                outlet: r.get(0)?,
                reason: r.get(1)?,
                at: r.get(2)?,
            })
        })
        .ctx(dir)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx(dir)?;
    Ok(rows)
}
