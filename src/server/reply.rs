//! DRF-shaped answers: JSON bodies, `{"detail": ...}` errors and field maps, and the refusals handlers return.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// DRF's words for a missing field.
pub(super) const REQUIRED: &str = "This field is required.";

/// A JSON answer; only the value given is serialized.
pub(super) fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("could not serialize the answer: {e}"),
        ),
    }
}

/// `{"detail": "..."}`, DRF's shape for every error that is not about a field.
pub(super) fn detail(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "detail": message }))
}

/// 400 with DRF's field map: `{"field": ["message", ...], ...}`, fields in the order first refused.
pub(super) fn field_errors(errors: Vec<(String, String)>) -> Response {
    let mut map: Map<String, Value> = Map::new();
    for (field, message) in errors {
        if let Value::Array(list) = map.entry(field).or_insert_with(|| Value::Array(Vec::new())) {
            list.push(Value::String(message));
        }
    }
    json_response(StatusCode::BAD_REQUEST, &map)
}

/// Why a request is refused; each becomes DRF's body for it.
#[derive(Debug)]
pub(super) enum ApiError {
    /// 401 with `WWW-Authenticate: Api-Key`.
    Unauthorized(&'static str),
    /// `{"detail": ...}` with this status.
    Detail(StatusCode, String),
    /// 400 with a field map.
    Fields(Vec<(String, String)>),
    /// 400 with one field whose message is a bare string (`{"field": "message"}`), as some views answer.
    FieldText(&'static str, &'static str),
    /// 404 `{"detail": "Not found."}`.
    NotFound,
}

impl ApiError {
    /// 400 for one field.
    pub(super) fn field(name: &str, message: impl Into<String>) -> Self {
        Self::Fields(vec![(name.to_owned(), message.into())])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized(message) => {
                let mut response = detail(StatusCode::UNAUTHORIZED, message);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Api-Key"),
                );
                response
            }
            Self::Detail(status, message) => detail(status, &message),
            Self::Fields(errors) => field_errors(errors),
            Self::FieldText(field, message) => {
                json_response(StatusCode::BAD_REQUEST, &json!({ field: message }))
            }
            Self::NotFound => detail(StatusCode::NOT_FOUND, "Not found."),
        }
    }
}
