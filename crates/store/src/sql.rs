//! The SQLite half of the embedded store: schema, connection set-up, and the
//! mapping between rows and [`Article`]s.
//!
//! SQLite is the system of record: whatever it holds (after its last commit)
//! *is* the store's content. The retrieval index only ever holds a superset
//! of it, filtered at query time (see the crate docs).

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use unspun_article::{Article, ArticleId};

use crate::error::{Ctx, Result, StoreError};

/// The on-disk format version this build writes and reads.
///
/// Version 2 (2026-11-23): 32-bit MinHash band keys from the
/// multiply-add-shift permutations (see `unspun_fingerprint::MinHasher`).
/// Version 1 stores hold band keys this build would never match, so they
/// are refused rather than silently searched.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// File name of the database inside the store directory.
pub(crate) const DB_FILE: &str = "articles.sqlite3";

/// How long a connection waits for a lock held by another process before
/// reporting [`StoreError::Locked`]. Long enough to ride out a checkpoint or
/// another writer's single batch, short enough not to look hung.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema (unchanged since version 1 but for the provenance columns
/// `fetched_url`, `extraction` and `page_spans` (JSON), added 2026-12-06; see
/// [`add_provenance_columns`]). `band_keys` keeps the record
/// complete (the distinct band keys, u64 little-endian, concatenated);
/// lookups by band key go
/// through the retrieval index. The source and date indexes keep
/// [`stats`](crate::Store::stats) from reading every text.
const SCHEMA_V1: &str = "
CREATE TABLE meta (
    name  TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    key          INTEGER PRIMARY KEY,
    id           TEXT UNIQUE NOT NULL,
    date         TEXT,
    source       TEXT,
    title        TEXT,
    url          TEXT,
    text         TEXT NOT NULL,
    content_hash BLOB NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1,
    ingested_at  TEXT NOT NULL,
    band_keys    BLOB NOT NULL,
    fetched_url  TEXT,
    extraction   TEXT,
    page_spans   TEXT
);
CREATE INDEX articles_by_source ON articles(source);
CREATE INDEX articles_by_date ON articles(date);
";

/// Opens the writing connection, creating the schema if the database is new.
///
/// Returns whether the schema was created just now.
pub(crate) fn open_writer(dir: &Path, path: &Path) -> Result<(Connection, bool)> {
    let conn = Connection::open(path).ctx(dir)?;
    conn.busy_timeout(BUSY_TIMEOUT).ctx(dir)?;
    // WAL: readers (other threads, other processes) never block the writer
    // and see the last committed state. synchronous=NORMAL: in WAL mode a
    // commit survives a killed process; only an OS crash or power loss can
    // lose the last few commits, never corrupt the file. Losing a commit is
    // safe here because the retrieval index is always ahead of SQLite (it
    // commits first and fsyncs), so the lost articles merely become orphans
    // that queries filter out, and re-running the ingest restores them.
    conn.pragma_update(None, "journal_mode", "WAL").ctx(dir)?;
    conn.pragma_update(None, "synchronous", "NORMAL").ctx(dir)?;
    conn.pragma_update(None, "foreign_keys", true).ctx(dir)?;
    // 32 MiB page cache: the id and band indexes of a large corpus stay hot
    // during ingest.
    conn.pragma_update(None, "cache_size", -32768).ctx(dir)?;
    // A batch of 1000 articles writes ~1000 pages; at the default of 1000
    // pages nearly every commit would also checkpoint. 8192 pages (32 MiB)
    // amortises checkpoints over several batches and lets index pages that
    // change in consecutive batches be copied back once.
    conn.pragma_update(None, "wal_autocheckpoint", 8192)
        .ctx(dir)?;
    conn.set_prepared_statement_cache_capacity(32);

    let created = init_schema(dir, &conn)?;
    conn.execute_batch(crate::review::CREATE).ctx(dir)?;
    conn.execute_batch(crate::watches::CREATE).ctx(dir)?;
    Ok((conn, created))
}

/// Opens a read-only connection to an existing database.
pub(crate) fn open_reader(dir: &Path, path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ctx(dir)?;
    conn.busy_timeout(BUSY_TIMEOUT).ctx(dir)?;
    conn.set_prepared_statement_cache_capacity(16);
    Ok(conn)
}

/// Creates the schema on an empty database, or checks the version of an
/// existing one. Returns whether it created the schema.
fn init_schema(dir: &Path, conn: &Connection) -> Result<bool> {
    // IMMEDIATE: two processes creating the same store at once must not both
    // run the DDL.
    conn.execute_batch("BEGIN IMMEDIATE").ctx(dir)?;
    let result = (|| {
        let has_meta: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .ctx(dir)?
            > 0;
        if has_meta {
            check_version(dir, conn)?;
            if !has_provenance_columns(dir, conn)? {
                add_provenance_columns(dir, conn)?;
            }
            crate::shapes::add_if_missing(dir, conn)?;
            return Ok(false);
        }
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .ctx(dir)?;
        if tables > 0 {
            return Err(StoreError::Damaged {
                dir: dir.to_path_buf(),
                reason: format!("{DB_FILE} is a SQLite database, but not an unspun store"),
            });
        }
        conn.execute_batch(SCHEMA_V1).ctx(dir)?;
        crate::shapes::add_if_missing(dir, conn)?;
        conn.execute(
            "INSERT INTO meta (name, value) VALUES ('schema_version', ?1)",
            [SCHEMA_VERSION.to_string()],
        )
        .ctx(dir)?;
        Ok(true)
    })();
    match result {
        Ok(created) => {
            conn.execute_batch("COMMIT").ctx(dir)?;
            Ok(created)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// The provenance columns of `articles`, added after version 2's first
/// stores were written.
const PROVENANCE_COLUMNS: [&str; 3] = ["fetched_url", "extraction", "page_spans"];

/// Whether the `articles` table has the [`PROVENANCE_COLUMNS`]. Stores written before they were added lack them until a
/// writer opens them.
pub(crate) fn has_provenance_columns(dir: &Path, conn: &Connection) -> Result<bool> {
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('articles') WHERE name IN ('fetched_url', 'extraction', 'page_spans')",
            [],
            |r| r.get(0),
        )
        .ctx(dir)?;
    Ok(n == PROVENANCE_COLUMNS.len() as i64)
}

/// Adds the provenance columns to a store written before they existed. The
/// change is additive (SQLite adds a column without rewriting the table, and
/// older builds name the columns they read), so the schema version stays;
/// the articles stored before it have no provenance.
fn add_provenance_columns(dir: &Path, conn: &Connection) -> Result<()> {
    for column in PROVENANCE_COLUMNS {
        let exists: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('articles') WHERE name = ?1",
                [column],
                |r| r.get(0),
            )
            .ctx(dir)?;
        if exists == 0 {
            conn.execute_batch(&format!("ALTER TABLE articles ADD COLUMN {column} TEXT"))
                .ctx(dir)?;
        }
    }
    Ok(())
}

/// Reads `schema_version` and rejects any version but [`SCHEMA_VERSION`].
pub(crate) fn check_version(dir: &Path, conn: &Connection) -> Result<u32> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE name = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()
        .ctx(dir)?;
    let Some(value) = value else {
        return Err(StoreError::Damaged {
            dir: dir.to_path_buf(),
            reason: "the database has no schema_version".into(),
        });
    };
    let found: u32 = value.trim().parse().map_err(|_| StoreError::Damaged {
        dir: dir.to_path_buf(),
        reason: format!("unreadable schema_version {value:?}"),
    })?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerFormat {
            dir: dir.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        return Err(StoreError::OlderFormat {
            dir: dir.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// The identity of an article's stored content: xxh3-128 over every field
/// that is stored but the provenance (`fetched_url`, `extraction`: the same
/// page read from a crawl or fetched again is the same article), each prefixed by a presence tag and its length so that no
/// two different field tuples serialise to the same bytes.
pub(crate) fn content_hash(article: &Article) -> [u8; 16] {
    fn field(h: &mut xxhash_rust::xxh3::Xxh3, value: Option<&str>) {
        match value {
            None => h.update(&[0]),
            Some(s) => {
                h.update(&[1]);
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let date = article.date.map(format_date);
    field(&mut h, Some(&article.text));
    field(&mut h, date.as_deref());
    field(&mut h, article.source.as_deref());
    field(&mut h, article.title.as_deref());
    field(&mut h, article.url.as_deref());
    h.digest128().to_le_bytes()
}

/// An article's page spans as stored: a JSON array, or NULL when it has none.
pub(crate) fn page_spans_json(article: &Article) -> Option<String> {
    (!article.page_spans.is_empty())
        .then(|| serde_json::to_string(&article.page_spans).expect("page spans serialise"))
}

/// The distinct band keys of an article, sorted, as stored in `band_keys`.
pub(crate) fn band_blob(keys: &[u64]) -> (Vec<u64>, Vec<u8>) {
    let mut keys = keys.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let blob = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    (keys, blob)
}

/// Dates are stored as ISO 8601 (`YYYY-MM-DD`) so that they sort as text.
pub(crate) fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored date ([`format_date`]) read back; `None` if it is not one.
pub(crate) fn parse_date(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

/// The id, date and revision of the stored row `key`, validated: a value
/// this build would never have written is damage, named.
pub(crate) fn stored_identity(
    dir: &Path,
    key: i64,
    id: &str,
    date: Option<String>,
    revision: i64,
) -> Result<(ArticleId, Option<NaiveDate>, u32)> {
    let damaged = |reason: String| StoreError::Damaged {
        dir: dir.to_path_buf(),
        reason,
    };
    let id = ArticleId::new(id)
        .map_err(|e| damaged(format!("article {key}: invalid id {id:?}: {e}")))?;
    let date = match date {
        None => None,
        Some(d) => Some(
            parse_date(&d).ok_or_else(|| damaged(format!("article {id}: invalid date {d:?}")))?,
        ),
    };
    let revision = u32::try_from(revision)
        .map_err(|_| damaged(format!("article {id}: invalid revision {revision}")))?;
    Ok((id, date, revision))
}

/// The columns [`row_to_article`] expects, in order: with the provenance
/// columns, or NULL in their place for a store opened read-only before a
/// writer added them.
pub(crate) fn article_columns(provenance: bool) -> &'static str {
    if provenance {
        "key, id, date, source, title, url, text, revision, fetched_url, extraction, page_spans"
    } else {
        "key, id, date, source, title, url, text, revision, NULL, NULL, NULL"
    }
}

/// Raw row of [`article_columns`], converted outside the rusqlite closure so
/// that validation errors can name the directory.
pub(crate) struct RawRow {
    pub key: i64,
    id: String,
    date: Option<String>,
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    text: String,
    revision: i64,
    fetched_url: Option<String>,
    extraction: Option<String>,
    page_spans: Option<String>,
}

/// Reads one [`article_columns`] row.
pub(crate) fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        key: r.get(0)?,
        id: r.get(1)?,
        date: r.get(2)?,
        source: r.get(3)?,
        title: r.get(4)?,
        url: r.get(5)?,
        text: r.get(6)?,
        revision: r.get(7)?,
        fetched_url: r.get(8)?,
        extraction: r.get(9)?,
        page_spans: r.get(10)?,
    })
}

/// Validates a raw row into a [`StoredArticle`](crate::StoredArticle).
pub(crate) fn row_to_article(dir: &Path, row: RawRow) -> Result<crate::StoredArticle> {
    let (id, date, revision) = stored_identity(dir, row.key, &row.id, row.date, row.revision)?;
    let page_spans = match row.page_spans.as_deref() {
        None => Vec::new(),
        Some(json) => serde_json::from_str(json).map_err(|e| StoreError::Damaged {
            dir: dir.to_path_buf(),
            reason: format!("article {id}: invalid page spans: {e}"),
        })?,
    };
    Ok(crate::StoredArticle {
        key: crate::ArticleKey(row.key as u64),
        article: Article {
            id,
            date,
            source: row.source,
            title: row.title,
            url: row.url,
            fetched_url: row.fetched_url,
            extraction: row.extraction,
            page_spans,
            text: row.text,
        },
        revision,
    })
}
