//! Errors as RFC 9457 problem details (`application/problem+json`).
//!
//! Every error the API answers is a [`Problem`]: the handlers' own
//! ([`ApiError`]), axum's extractor rejections (mapped where they are
//! extracted), and what the layers answer on their own (no route, wrong
//! method, timeout), which [`plain_errors_as_problems`] rewrites, so that a
//! client parses one error shape whatever failed.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use unspun_engine::EngineError;
use unspun_store::StoreError;
use utoipa::ToSchema;

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response (RFC 9457 problem details).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:unspun:problem:<kind>` for
    /// unspun's own, `about:blank` for a plain HTTP status.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem (the same for every
    /// occurrence of a `type`).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, and how to fix it where the client can.
    pub detail: String,
    /// The input field or parameter at fault, for validation problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    /// A problem of `status` whose type is `urn:unspun:problem:<kind>`.
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:unspun:problem:{kind}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
        }
    }

    /// A problem that says no more than its HTTP status (`about:blank`,
    /// titled with the status's reason phrase, as RFC 9457 asks).
    pub fn plain(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
        }
    }

    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_vec(&self).expect("a problem serialises");
        (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
            body,
        )
            .into_response()
    }
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body (or a JSON Lines record) is not JSON.
    #[error("not valid JSON: {0}")]
    InvalidJson(String),
    /// A field or parameter fails the schema.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field or parameter (`id`, `date`, `format`, ...).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The request fits the schema but cannot be done: a rule across
    /// fields, or a value the schema cannot tell is wrong (a cursor this
    /// server never gave, a pair of an article with itself).
    #[error("{field}: {message}")]
    Unprocessable {
        /// The field or parameter.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The body's media type is not one the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// No stored article has this id.
    #[error("no article with id {0:?} in the store")]
    NotFound(String),
    /// No live watch, or no delivery of it, has this id.
    #[error("{0}")]
    NoSuchThing(String),
    /// The server runs as much of this work as it takes at once.
    #[error("{0}")]
    TooBusy(String),
    /// The request cannot be done in the resource's present state.
    #[error("{0}")]
    Conflict(String),
    /// No route has this path.
    #[error("no route {0}")]
    NoRoute(String),
    /// A write came without the right bearer token.
    #[error("{0}")]
    Unauthorized(String),
    /// Writes are off: the server was started without a token.
    #[error(
        "writes are disabled: this server was started without a token; \
         start it with --token-file FILE or the environment variable UNSPUN_TOKEN, \
         and send `Authorization: Bearer <token>`"
    )]
    WritesDisabled,
    /// The body is over the size limit.
    #[error("the body is over the limit of {limit} bytes; send fewer articles per request")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An axum extractor refused the request for another reason.
    #[error("{detail}")]
    Rejected {
        /// The status axum chose.
        status: StatusCode,
        /// axum's message.
        detail: String,
    },
    /// Another process is writing the store.
    #[error(transparent)]
    Busy(EngineError),
    /// The engine or the store failed.
    #[error(transparent)]
    Engine(EngineError),
    /// The derivation graph the request needs has not been built.
    #[error("{0}")]
    NoGraph(String),
    /// A worker task failed (a panic in the engine).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        match e {
            EngineError::NotFound(id) => ApiError::NotFound(id),
            e @ EngineError::Store(StoreError::Locked { .. }) => ApiError::Busy(e),
            e => ApiError::Engine(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::from(EngineError::from(e))
    }
}

impl ApiError {
    /// A validation problem of `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A request that fits the schema but breaks a rule it cannot state.
    pub fn unprocessable(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Unprocessable {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The problem this error answers.
    pub fn problem(&self) -> Problem {
        let detail = self.to_string();
        match self {
            ApiError::InvalidJson(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-json",
                "The body is not valid JSON",
                detail,
            ),
            ApiError::InvalidField { field, message } => Problem {
                field: Some(field.clone()),
                ..Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid-field",
                    "A field or parameter is invalid",
                    format!("`{field}`: {message}"),
                )
            },
            ApiError::Unprocessable { field, message } => Problem {
                field: Some(field.clone()),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unprocessable",
                    "The request cannot be done as asked",
                    format!("`{field}`: {message}"),
                )
            },
            ApiError::UnsupportedMediaType(_) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                detail,
            ),
            ApiError::NotFound(_) => Problem::new(
                StatusCode::NOT_FOUND,
                "article-not-found",
                "No such article",
                detail,
            ),
            ApiError::NoSuchThing(_) => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
            }
            ApiError::TooBusy(_) => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-busy",
                "Too much of this work is running",
                detail,
            ),
            ApiError::Conflict(_) => {
                Problem::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
            }
            ApiError::NoRoute(_) => Problem::plain(StatusCode::NOT_FOUND, detail),
            ApiError::Unauthorized(_) => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "A valid bearer token is needed",
                detail,
            ),
            ApiError::WritesDisabled => Problem::new(
                StatusCode::FORBIDDEN,
                "writes-disabled",
                "Writes are disabled",
                detail,
            ),
            ApiError::BodyTooLarge { .. } => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "The body is too large",
                detail,
            ),
            ApiError::Rejected { status, .. } => Problem::plain(*status, detail),
            ApiError::Busy(_) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-busy",
                "The store is busy",
                detail,
            ),
            ApiError::NoGraph(_) => Problem::new(
                StatusCode::CONFLICT,
                "no-graph",
                "No derivation graph yet",
                detail,
            ),
            ApiError::Engine(_) | ApiError::Internal(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                detail,
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if matches!(self, ApiError::Engine(_) | ApiError::Internal(_)) {
            tracing::error!("{self}");
        }
        let unauthorized = matches!(self, ApiError::Unauthorized(_));
        let mut response = self.problem().into_response();
        if unauthorized {
            // RFC 6750: a 401 names the scheme the client should use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"unspun\""),
            );
        }
        response
    }
}

/// Middleware: an error response that is not a problem yet (what the
/// layers and the router answer on their own: an empty 405 or 503, a
/// plain-text 413) becomes one with the same status.
pub async fn plain_errors_as_problems(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // A problem already, or a page of the web app saying what went wrong
    // to a person: leave it.
    let written = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                || v.as_bytes().starts_with(b"text/html")
        });
    if written {
        return response;
    }
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "this path does not accept this method".to_string(),
        StatusCode::SERVICE_UNAVAILABLE => {
            "the request took longer than the server's timeout".to_string()
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the body is over the size limit".to_string(),
        s => s
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_lowercase(),
    };
    let mut problem = Problem::plain(status, detail).into_response();
    // Keep what the layer said besides its body (an `Allow` on a 405).
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().append(name, value.clone());
        }
    }
    problem
}
