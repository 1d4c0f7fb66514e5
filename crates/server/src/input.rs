//! Request bodies: reading them (media type, size limit) and validating
//! articles field by field.
//!
//! Articles use the field names of unspun's JSON Lines files (`id`, `text`,
//! `date`, `source`, `title`, `url`; see `unspun_article::read::JsonlReader`)
//! with the same rules, so a `.jsonl` file can be posted as it is. Fields
//! are checked one by one rather than by deserialising into a struct, so
//! that a rejection names the field at fault.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use unspun_article::read::parse_iso_date;
use unspun_article::{Article, ArticleId};
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::AppState;

/// The media type of JSON Lines bodies.
pub const NDJSON: &str = "application/x-ndjson";

/// How a body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// One JSON document (`application/json` or `...+json`).
    Json,
    /// JSON Lines (`application/x-ndjson`, `application/jsonl`).
    Ndjson,
}

/// A request body read whole (within the size limit), with its kind.
pub struct Body {
    /// How it is encoded.
    pub kind: BodyKind,
    /// Its bytes.
    pub bytes: Bytes,
}

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Body, ApiError> {
        let media = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        let kind = match media.as_deref() {
            Some("application/json") => BodyKind::Json,
            Some(m) if m.starts_with("application/") && m.ends_with("+json") => BodyKind::Json,
            Some(NDJSON | "application/jsonl" | "application/jsonlines") => BodyKind::Ndjson,
            Some(m) => {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "cannot read a body of type {m:?}: send application/json \
                     (or application/x-ndjson where the endpoint says so)"
                )))
            }
            None => {
                return Err(ApiError::UnsupportedMediaType(
                    "the request has no Content-Type: send application/json \
                     (or application/x-ndjson where the endpoint says so)"
                        .into(),
                ))
            }
        };
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::BodyTooLarge {
                    limit: state.config.body_limit,
                }
            } else {
                ApiError::Rejected {
                    status: r.status(),
                    detail: r.body_text(),
                }
            }
        })?;
        Ok(Body { kind, bytes })
    }
}

/// Parses a JSON document, naming the position of a syntax error.
pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::InvalidJson(e.to_string()))
}

/// One record of an article batch: where it was, and the article or why
/// it was refused.
pub struct Record {
    /// 1-based position among the records.
    pub number: usize,
    /// 1-based line of a JSON Lines body.
    pub line: Option<usize>,
    /// The article, or why the record is not one.
    pub article: Result<Article, ApiError>,
}

/// Splits an ingest body into records. A JSON body is one article object
/// or an array of them; a JSON Lines body one object per non-blank line.
/// Only a body that cannot be split at all (JSON that does not parse, a
/// JSON value that is neither object nor array, no record) is an error;
/// a bad record is reported in its [`Record`].
pub fn records(body: &Body) -> Result<Vec<Record>, ApiError> {
    let records: Vec<Record> = match body.kind {
        BodyKind::Json => match parse_json(&body.bytes)? {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Record {
                    number: i + 1,
                    line: None,
                    article: article(v),
                })
                .collect(),
            v @ Value::Object(_) => vec![Record {
                number: 1,
                line: None,
                article: article(&v),
            }],
            other => {
                return Err(ApiError::field(
                    "body",
                    format!(
                        "must be an article object or an array of them, found {}",
                        json_type(&other)
                    ),
                ))
            }
        },
        BodyKind::Ndjson => {
            let mut out = Vec::new();
            for (i, line) in body.bytes.split(|&b| b == b'\n').enumerate() {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let article = parse_json(line).and_then(|v| article(&v));
                out.push(Record {
                    number: out.len() + 1,
                    line: Some(i + 1),
                    article,
                });
            }
            out
        }
    };
    // An empty batch is a batch: nothing to store.
    Ok(records)
}

/// An article as the API accepts it: the fields of a JSON Lines record.
#[derive(Serialize, ToSchema)]
// Read field by field (see `article`); this type documents the schema.
pub struct ArticleInput {
    /// Stable identifier, unique in the store: 1 to 512 characters, no control
    /// characters, no leading or trailing white space. An integer is taken
    /// in decimal.
    pub id: IdInput,
    /// The body text (not blank).
    #[schema(
        min_length = 1,
        pattern = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub text: String,
    /// Publication date: `YYYY-MM-DD`, or an RFC 3339 date-time whose date
    /// as written is taken. Relative dates in the text ("yesterday")
    /// resolve against it.
    #[schema(pattern = r"^\s*(\d{4}-\d{2}-\d{2}.*)?$")]
    pub date: Option<String>,
    /// The outlet or agency ("Reuters").
    pub source: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
}

/// The pattern of an article id: no control characters, no white space
/// at either end (what [`ArticleId::new`] accepts, with 1 to 512
/// characters).
pub const ID_PATTERN: &str = r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$";

/// An article id as a string (documents the schema).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdText(pub String);

impl utoipa::PartialSchema for IdText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "1 to 512 characters, no control characters, no white space at either end",
            ))
            .pattern(Some(ID_PATTERN))
            .min_length(Some(1))
            .max_length(Some(unspun_article::MAX_ID_LEN))
            .into()
    }
}

impl ToSchema for IdText {}

/// An article id: a string, or an integer taken in decimal.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
// Documents the schema; ids are read by `id_field`.
pub enum IdInput {
    /// A string id.
    Text(#[schema(inline)] IdText),
    /// An integer id.
    Number(i64),
}

/// Validates one article record.
pub fn article(v: &Value) -> Result<Article, ApiError> {
    let Value::Object(map) = v else {
        return Err(ApiError::field(
            "body",
            format!("an article must be an object, found {}", json_type(v)),
        ));
    };
    let id = id_field(map)?.ok_or_else(|| ApiError::field("id", "is required"))?;
    let text = text_field(map)?.ok_or_else(|| ApiError::field("text", "is required"))?;
    article_with(map, id, text)
}

/// The article of `map`'s metadata fields with this id and text.
pub fn article_with(
    map: &Map<String, Value>,
    id: ArticleId,
    text: String,
) -> Result<Article, ApiError> {
    Ok(Article {
        id,
        date: date_field(map)?,
        source: string_field(map, "source")?,
        title: string_field(map, "title")?,
        url: string_field(map, "url")?,
        fetched_url: None,
        extraction: Some(unspun_article::read::extraction::API.to_string()),
        page_spans: Vec::new(),
        text,
    })
}

/// `id`, if present: a valid [`ArticleId`] from a string or an integer.
pub fn id_field(map: &Map<String, Value>) -> Result<Option<ArticleId>, ApiError> {
    let raw = match map.get("id") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() => n.to_string(),
        // JSON Schema's integers include 7.0: a whole float in range is one.
        Some(Value::Number(n))
            if n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18) =>
        {
            format!("{}", n.as_f64().unwrap_or_default() as i64)
        }
        Some(Value::Number(n)) if n.is_u64() => {
            return Err(ApiError::field(
                "id",
                format!("{n} is over the largest integer id (2^63 - 1); send it as a string"),
            ))
        }
        Some(other) => {
            return Err(ApiError::field(
                "id",
                format!("must be a string, found {}", json_type(other)),
            ))
        }
    };
    ArticleId::new(raw)
        .map(Some)
        .map_err(|e| ApiError::field("id", e.to_string()))
}

/// `text`, if present: a string that is not blank.
pub fn text_field(map: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    match map.get("text") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::field("text", "is blank")),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ApiError::field(
            "text",
            format!("must be a string, found {}", json_type(other)),
        )),
    }
}

/// `date`: absent, null or blank is no date; otherwise it must parse.
fn date_field(map: &Map<String, Value>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match string_field(map, "date")? {
        None => Ok(None),
        Some(s) => parse_iso_date(s.trim()).map(Some).ok_or_else(|| {
            let message = format!("{s:?} is not a date (YYYY-MM-DD, or an RFC 3339 date-time)");
            // Shaped like one (the schema's pattern) but not a real day:
            // "2024-02-30".
            if date_shaped(&s) {
                ApiError::unprocessable("date", message)
            } else {
                ApiError::field("date", message)
            }
        }),
    }
}

/// The schema's pattern of a date field: four digits, two, two, then
/// anything (a time), with white space around.
pub const DATE_PATTERN: &str = r"^\s*(\d{4}-\d{2}-\d{2}.*)?$";

/// Whether `s` matches [`DATE_PATTERN`] (checked by hand: no regex crate
/// for one pattern).
fn date_shaped(s: &str) -> bool {
    let t = s.trim_start();
    let b = t.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    t.is_empty()
        || ((0..4).all(d)
            && b.get(4) == Some(&b'-')
            && d(5)
            && d(6)
            && b.get(7) == Some(&b'-')
            && d(8)
            && d(9))
}

/// An optional string field; blank counts as absent, as in JSON Lines files.
pub fn string_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ApiError::field(
            name,
            format!("must be a string or null, found {}", json_type(other)),
        )),
    }
}

/// Refuses fields other than `allowed`.
pub fn only_fields(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ApiError::field(
            k.as_str(),
            format!("unknown field; this body takes {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// The one JSON object `body` must be; `not_json` is the refusal when it is
/// not sent as JSON.
pub fn json_object(body: &Body, not_json: &str) -> Result<Map<String, Value>, ApiError> {
    if body.kind != BodyKind::Json {
        return Err(ApiError::UnsupportedMediaType(not_json.to_string()));
    }
    match parse_json(&body.bytes)? {
        Value::Object(map) => Ok(map),
        v => Err(ApiError::field(
            "body",
            format!("must be an object, found {}", json_type(&v)),
        )),
    }
}

/// The JSON type of `v`, for messages.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(e: ApiError) -> String {
        match e {
            ApiError::InvalidField { field, .. } | ApiError::Unprocessable { field, .. } => field,
            other => panic!("not a field error: {other}"),
        }
    }

    #[test]
    fn articles_are_read_like_json_lines_records() {
        let a = article(
            &json!({"id": 7, "text": "Alpha.", "date": "2025-04-26T23:30:00-05:00",
            "source": "Reuters", "title": " ", "extra": true}),
        )
        .unwrap();
        assert_eq!(a.id.as_str(), "7");
        // JSON Schema's integers include whole floats.
        let b = article(&json!({"id": 7.0, "text": "Alpha."})).unwrap();
        assert_eq!(b.id.as_str(), "7");
        assert_eq!(a.date.unwrap().to_string(), "2025-04-26");
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert_eq!(a.title, None, "a blank title is no title");
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (json!({"text": "x"}), "id"),
            (json!({"id": "", "text": "x"}), "id"),
            (json!({"id": " a", "text": "x"}), "id"),
            (json!({"id": 1.5, "text": "x"}), "id"),
            (json!({"id": 9223372036854775808u64, "text": "x"}), "id"),
            (json!({"id": "a"}), "text"),
            (json!({"id": "a", "text": "  "}), "text"),
            (json!({"id": "a", "text": 3}), "text"),
            (
                json!({"id": "a", "text": "x", "date": "2025-13-45"}),
                "date",
            ),
            (json!({"id": "a", "text": "x", "date": 20250101}), "date"),
            (json!({"id": "a", "text": "x", "url": ["u"]}), "url"),
            (json!(["not", "an", "object"]), "body"),
        ];
        for (v, field) in cases {
            assert_eq!(field_of(article(&v).unwrap_err()), field, "{v}");
        }
    }

    #[test]
    fn ndjson_records_keep_their_line_numbers() {
        let body = Body {
            kind: BodyKind::Ndjson,
            bytes: Bytes::from_static(
                b"{\"id\":\"a\",\"text\":\"A.\"}\r\n\n{\"id\":\"b\",\"text\":\n{\"id\":\"c\",\"text\":\"C.\"}",
            ),
        };
        let rs = records(&body).unwrap();
        let seen: Vec<_> = rs
            .iter()
            .map(|r| (r.number, r.line, r.article.is_ok()))
            .collect();
        assert_eq!(
            seen,
            vec![(1, Some(1), true), (2, Some(3), false), (3, Some(4), true)]
        );
    }
}
