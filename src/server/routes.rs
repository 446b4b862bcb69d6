//! The HTTP surface: the router, the gate every request passes (latency, auth, subscription, faults), and the read routes.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use serde_json::{Value, json};

use super::ServerConfig;
use super::agent::{AGENT_ID, ENVIRONMENTS};
use super::caller::{Caller, caller};
use super::discovery;
use super::envelope::{
    AttachmentsView, ConversationView, Depth, Links, message_view, page_response,
};
use super::feedbacks;
use super::filter;
use super::params::{host, param, query_pairs};
use super::record::Record;
use super::reply::{ApiError, REQUIRED, json_response};
use super::state::AppState;
use super::tickets;
use super::writes;
use crate::provider::lenient::parse_bool_text;

/// When the demo agent's environments were created (a fixed instant, so `/api/me/` never changes).
const ENVIRONMENTS_CREATED_AT: &str = "2024-01-01T00:00:00Z";
/// Every route, behind the gate.
pub(super) fn router(state: Arc<AppState>) -> Router {
    // ChatDash routes pass their own gate (raw-key auth), so they join after this one's layer.
    let chatdash = super::chatdash::router(&state.config);
    let files = Arc::clone(&state.files);
    Router::new()
        .route("/api/me/", get(me))
        .route("/api/conversations/", get(list))
        // Static segments win over `{id}` in axum's router, so these two are
        // never read as a conversation id.
        .route("/api/conversations/metadata-keys/", get(metadata_keys))
        .route("/api/conversations/metadata-values/", get(metadata_values))
        .route(
            "/api/conversations/message-metadata-keys/",
            get(message_metadata_keys),
        )
        .route(
            "/api/conversations/{id}/",
            get(retrieve).delete(writes::conversations::delete),
        )
        .route("/api/conversations/{id}/attachments/", get(attachments))
        .route(
            "/api/conversations/{id}/mark/",
            post(writes::conversations::mark),
        )
        .route(
            "/api/conversations/{id}/rename/",
            patch(writes::conversations::rename),
        )
        .route(
            "/api/conversations/{id}/update/",
            patch(writes::conversations::update),
        )
        .route(
            "/api/conversations/{id}/delete/",
            delete(writes::conversations::delete),
        )
        .route(
            "/api/track/{pk}/",
            get(message).patch(writes::conversations::message_metadata),
        )
        .route(
            "/api/feedbacks/",
            get(feedbacks::list).post(writes::feedback::create),
        )
        .route(
            "/api/feedbacks/{id}/",
            get(feedbacks::retrieve)
                .patch(writes::feedback::update)
                .delete(writes::feedback::delete),
        )
        .route(
            "/api/tickets/",
            get(tickets::list).post(writes::tickets::create),
        )
        .route(
            "/api/tickets/{id}/",
            get(tickets::retrieve)
                .patch(writes::tickets::update)
                .delete(writes::tickets::delete),
        )
        .route(
            "/api/tickets/{id}/comments/",
            get(tickets::comments).post(writes::tickets::comment),
        )
        .merge(super::planes::router())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&files),
            super::files::sign_links,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
        .merge(chatdash)
        // The file route passes no API gate: the link's signature is the credential.
        .merge(super::files::router(files))
}

// ---------------------------------------------------------------------------
// The gate
// ---------------------------------------------------------------------------

/// Latency first (every answer is late), then auth, then the subscription,
/// then injected faults (only for authenticated /api requests), then the route.
async fn gate(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let caller = match authenticate(request.headers(), &state.config) {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
    let mut request = request;
    request.extensions_mut().insert(caller);
    if state.config.subscription_inactive {
        return ApiError::Unauthorized(
            "The subscription for this agent is inactive. Renew the subscription in the dashboard to use the API again.",
        )
        .into_response();
    }
    if request.uri().path().starts_with("/api/")
        && state.faults.enabled()
        && let Some(fault) = state.faults.draw()
    {
        return fault.into_response();
    }
    let method = request.method().clone();
    let response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        return method_not_allowed(&method, response);
    }
    response
}

/// `Authorization: Api-Key <key>`, as DRF's token authentication reads it:
/// another scheme (or none) is "not provided", a wrong key is "invalid".
fn authenticate(headers: &HeaderMap, config: &ServerConfig) -> Result<Caller, ApiError> {
    const NOT_PROVIDED: &str = "Authentication credentials were not provided.";
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized(NOT_PROVIDED));
    };
    let value = String::from_utf8_lossy(value.as_bytes());
    let mut words = value.split_whitespace();
    if !words
        .next()
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("Api-Key"))
    {
        return Err(ApiError::Unauthorized(NOT_PROVIDED));
    }
    match (words.next(), words.next()) {
        (None, _) => Err(ApiError::Unauthorized(
            "Invalid API key header. No credentials provided.",
        )),
        (Some(_), Some(_)) => Err(ApiError::Unauthorized(
            "Invalid API key header. The key should not contain spaces.",
        )),
        (Some(sent), None) => {
            caller(config, sent).ok_or(ApiError::Unauthorized("Invalid API key."))
        }
    }
}

/// axum's bare 405, given DRF's body (and keeping its `Allow` header).
fn method_not_allowed(method: &Method, response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    let body = json!({ "detail": format!("Method \"{method}\" not allowed.") });
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// `full`, which defaults to true for API keys.
fn full_param(pairs: &[(String, String)]) -> bool {
    param(pairs, "full")
        .and_then(parse_bool_text)
        .unwrap_or(true)
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/// `GET /api/me/`: the role is the calling key's.
async fn me(Extension(caller): Extension<Caller>) -> Response {
    let environments: Vec<Value> = ENVIRONMENTS
        .iter()
        .map(|(id, slug, name, is_production)| {
            json!({
                "id": id,
                "slug": slug,
                "name": name,
                "is_production": is_production,
                "created_at": ENVIRONMENTS_CREATED_AT,
                "updated_at": ENVIRONMENTS_CREATED_AT,
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "agent_id": AGENT_ID,
            "agent_name": "Demo support agent",
            "role": caller.role.as_str(),
            "environments": environments,
        }),
    )
}

/// `GET /api/conversations/`: filter, order, page.
async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let request = filter::parse(&pairs)?;
    let depth = Depth {
        transcript: full_param(&pairs),
        tickets: request.include_tickets(),
        single: false,
    };
    let store = state.read();
    let host = host(&headers, state.addr);
    let links = Links {
        host: &host,
        path: "/api/conversations/",
        pairs: &pairs,
    };
    if request.ordering.is_default() && request.filter.is_trivial() {
        // The default list is precomputed: only the page is looked at.
        let order = if request.filter.include_deleted() {
            store.newest_first()
        } else {
            store.live_newest_first()
        };
        return page_response(order, &links, None, |i| {
            store.record(*i).map(|r| ConversationView::new(r, depth))
        });
    }
    let matches: Vec<&Record> = if request.ordering.is_default() {
        // Scanned in memory order, then put in the precomputed default order.
        let mut indexes: Vec<usize> = store
            .records()
            .iter()
            .enumerate()
            .filter(|(_, r)| request.filter.matches(r))
            .map(|(i, _)| i)
            .collect();
        indexes.sort_unstable_by_key(|i| store.default_rank(*i));
        indexes.iter().filter_map(|i| store.record(*i)).collect()
    } else {
        let mut matches: Vec<&Record> = store
            .records()
            .iter()
            .filter(|r| request.filter.matches(r))
            .collect();
        // The order is total (ties fall to the unique key), so unstable is exact.
        matches.sort_unstable_by(|a, b| request.ordering.compare(a, b));
        matches
    };
    page_response(&matches, &links, None, |r| ConversationView::new(r, depth))
}

/// `GET /api/conversations/{pk}/`; deleted ones too. Always the whole
/// conversation (`full` is list-only), with its tickets and token usage.
async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let depth = Depth {
        transcript: true,
        tickets: true,
        single: true,
    };
    let store = state.read();
    let record = store
        .find(&id)
        .and_then(|i| store.record(i))
        .ok_or(ApiError::NotFound)?;
    Ok(json_response(
        StatusCode::OK,
        &ConversationView::new(record, depth),
    ))
}

/// `GET /api/conversations/{id}/attachments/`.
async fn attachments(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.read();
    let record = store
        .find(&id)
        .and_then(|i| store.record(i))
        .ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &AttachmentsView::new(record)))
}

/// `GET /api/track/{pk}/`: one message, with its conversation's key, files,
/// action logs and vote (`null` when there is none).
async fn message(
    State(state): State<Arc<AppState>>,
    Path(pk): Path<String>,
) -> Result<Response, ApiError> {
    let pk = pk.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    let store = state.read();
    let (_, message) = store.message(pk).ok_or(ApiError::NotFound)?;
    Ok(json_response(StatusCode::OK, &message_view(message)))
}

/// `GET /api/conversations/metadata-keys/`: `{"keys": [dotted paths]}`.
async fn metadata_keys(State(state): State<Arc<AppState>>) -> Response {
    let keys = discovery::conversation_keys(&state.read());
    json_response(StatusCode::OK, &json!({ "keys": keys }))
}

/// `GET /api/conversations/message-metadata-keys/`: `{"keys": [dotted paths]}`.
async fn message_metadata_keys(State(state): State<Arc<AppState>>) -> Response {
    let keys = discovery::message_keys(&state.read());
    json_response(StatusCode::OK, &json!({ "keys": keys }))
}

/// `GET /api/conversations/metadata-values/?key=K`: `{"key": K, "values": [...]}`.
async fn metadata_values(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let key = param(&pairs, "key")
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ApiError::field("key", REQUIRED))?;
    let values = discovery::values(&state.read(), key);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "key": key, "values": values }),
    ))
}
