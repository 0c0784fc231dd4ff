//! The one shape of every error the API returns:
//!
//! ```json
//! {"error": {"status": 400, "code": "invalid", "message": "…",
//!            "problems": [{"column": "actor_type", "message": "…"}]}}
//! ```
//!
//! `problems` is present when a row was refused with one or more problems.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use weaver_store::StoreError;

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code.
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// The problems of a refused row or package, each at its place.
    pub problems: Vec<weaver_core::Problem>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// 400: the request is not well formed.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    /// 401: the request needs a signed-in user.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first (POST /api/v1/auth/login) or send an API token as 'Authorization: Bearer …'",
        )
    }

    /// 403: the user may not do this.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 422: a row or package refused with its problems.
    pub fn rejected(what: &str, r: &weaver_core::Rejected) -> ApiError {
        let n = r.0.total();
        let mut err = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "rejected",
            format!(
                "the {what} was refused with {n} problem{}{}; nothing was changed",
                if n == 1 { "" } else { "s" },
                if n > r.0.list().len() {
                    format!(" (the first {} are listed)", r.0.list().len())
                } else {
                    String::new()
                }
            ),
        );
        err.problems = r.0.list().to_vec();
        err
    }

    /// 400 when the text of `field` holds a control character (no account,
    /// token or campaign field takes one; the databases store no NUL).
    pub fn check_text(field: &str, text: &str) -> Result<(), ApiError> {
        match text.chars().find(|c| c.is_control()) {
            None => Ok(()),
            Some(c) => Err(ApiError::bad_request(format!(
                "{field} holds a control character (U+{:04X})",
                u32::from(c)
            ))),
        }
    }

    /// 500 for a failure of the server's own (a panicked or cancelled
    /// computation, randomness or hashing unavailable, a cache that cannot be
    /// read): `e` is logged, the client is told only `what` failed. The one
    /// place a handler makes a 500.
    pub fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "{what}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the server could not {what}; it has been logged"),
        )
    }

    /// 404: nothing here.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 503 `busy`, answered with `Retry-After`: the register stayed locked
    /// by another writer (an import) past the busy timeout; nothing was
    /// changed and the same request may be sent again.
    pub fn busy() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the register is busy with another write (an import, most likely); \
             nothing was changed: try again in a few seconds",
        )
    }
}

/// Seconds a client is asked to wait before repeating a request answered
/// 503 `busy`.
pub const RETRY_AFTER_SECONDS: u32 = 5;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "status": self.status.as_u16(),
            "code": self.code,
            "message": self.message,
        });
        if !self.problems.is_empty() {
            body["problems"] = json!(self.problems);
        }
        let mut response = (self.status, Json(json!({ "error": body }))).into_response();
        if self.code == "busy" {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound { table, id } => {
                ApiError::not_found(format!("there is no {table} row '{id}' that you may see"))
            }
            StoreError::Rejected(r) => ApiError::rejected("row", &r),
            StoreError::Invalid(m) => ApiError::bad_request(m),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::Forbidden(m) => ApiError::forbidden(m),
            // PostgreSQL's "character not in repertoire" (a NUL in a text):
            // the input's fault, whatever endpoint let it through.
            StoreError::Query(sqlx_error)
                if sqlx_error
                    .as_database_error()
                    .and_then(|d| d.code())
                    .is_some_and(|c| c == "22021") =>
            {
                ApiError::bad_request(
                    "a text of the request holds a character the database does not store (NUL)",
                )
            }
            StoreError::Busy => ApiError::busy(),
            other => ApiError::internal("complete the request", other),
        }
    }
}

impl From<weaver_core::period::PeriodError> for ApiError {
    fn from(e: weaver_core::period::PeriodError) -> ApiError {
        ApiError::bad_request(e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        let status = r.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_json",
        };
        ApiError::new(status, code, format!("the request body: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request(format!("the query string: {}", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::bad_request(format!("the path: {}", r.body_text()))
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<weaver_service::ServiceError> for ApiError {
    fn from(e: weaver_service::ServiceError) -> ApiError {
        use weaver_service::ServiceError as E;
        match e {
            E::Invalid(m) => ApiError::bad_request(m),
            E::NotFound(m) => ApiError::not_found(m),
            E::Forbidden(m) => ApiError::forbidden(m),
            E::Store(e) => ApiError::from(e),
            e @ E::Engine { .. } => ApiError::internal("compute an answer", e),
        }
    }
}

impl ApiError {
    /// A service error about `what`: a malformed question is a 400 whose
    /// message starts with `what`; the others as [`From`] maps them.
    pub fn about(what: &str) -> impl Fn(weaver_service::ServiceError) -> ApiError + '_ {
        move |e| match e {
            weaver_service::ServiceError::Invalid(m) => {
                ApiError::bad_request(format!("{what}: {m}"))
            }
            e => ApiError::from(e),
        }
    }
}
