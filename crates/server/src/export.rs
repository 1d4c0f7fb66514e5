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

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
/// a tab or carriage return first) with a `'` before it: ids and outlet
/// names come from untrusted articles. A number keeps its sign.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `rows` under `header` as a `text/csv` download named `name.csv`.
pub fn csv_response(name: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a row of another length would be a
    // bug here, caught by the tests.
    w.write_record(header_row).expect("the header row");
    for r in rows {
        w.write_record(r.iter().map(|cell| inert(cell).into_owned()))
            .expect("a row as long as the header");
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

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_from_articles_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-0.5"), "-0.5");
        assert_eq!(inert("Reuters"), "Reuters");
    }
}
