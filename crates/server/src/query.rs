//! Query parameters shared by the list endpoints: unknown names refused,
//! dates and page sizes validated, never clamped.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::problem::ApiError;

/// Refuses any parameter of `map` not in `allowed`, naming it.
pub fn only_known(map: &HashMap<String, String>, allowed: &[&str]) -> Result<(), ApiError> {
    let mut names: Vec<&String> = map.keys().collect();
    names.sort();
    match names.into_iter().find(|n| !allowed.contains(&n.as_str())) {
        Some(unknown) => Err(ApiError::field(
            unknown.as_str(),
            format!(
                "unknown parameter; this endpoint takes {}",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// The date parameter `name` (`YYYY-MM-DD`), if given.
pub fn date(map: &HashMap<String, String>, name: &str) -> Result<Option<NaiveDate>, ApiError> {
    map.get(name)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ApiError::field(name, format!("{v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// A cursor that is a sequence number: 1 to 18 digits (the schema's
/// pattern `^[0-9]{1,18}$`).
pub fn key_cursor(c: &str) -> Result<u64, ApiError> {
    if (1..=18).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()) {
        Ok(c.parse().expect("18 digits fit a u64"))
    } else {
        Err(ApiError::field(
            "cursor",
            "is not a cursor this server gave",
        ))
    }
}

/// The boolean parameter `name`: `true` or `false`, absent is false.
pub fn flag(map: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match map.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::field(
            name,
            format!("{other:?} is not true or false"),
        )),
    }
}

/// The current time as the API writes it (RFC 3339, UTC, seconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The page size `limit`: `default` when absent, else a whole number from
/// 1 to `max`.
pub fn limit(map: &HashMap<String, String>, default: usize, max: usize) -> Result<usize, ApiError> {
    match map.get("limit") {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::field(
                    "limit",
                    format!("{v:?} is not a whole number from 1 to {max}"),
                )
            }),
    }
}
