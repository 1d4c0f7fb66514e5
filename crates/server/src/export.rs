//! CSV exports of the list endpoints (`?format=csv`): one header row, one
//! row per item, as a download named after what it holds.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;

/// The `format` parameter of a list endpoint: `json` (default) or `csv`.
pub fn wants_csv(map: &std::collections::HashMap<String, String>) -> Result<bool, ApiError> {
    match map.get("format").map(String::as_str) {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(ApiError::field(
            "format",
            format!("{other:?} is not a format here: json or csv"),
        )),
    }
}

/// `rows` under `header` as a `text/csv` download named `name.csv`.
pub fn csv_response(name: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a row of another length would be a
    // bug here, caught by the tests.
    w.write_record(header_row).expect("the header row");
    for r in rows {
        w.write_record(&r).expect("a row as long as the header");
    }
    let body = w.into_inner().expect("in memory");
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    (headers, body).into_response()
}
