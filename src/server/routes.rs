//! The HTTP surface: the router, the gate every request passes (latency, auth, subscription, faults), and the read routes.

use std::net::SocketAddr;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde_json::{Value, json};

use super::ServerConfig;
use super::envelope::{self, AttachmentsView, ConversationView, Depth, Envelope};
use super::faults::Faults;
use super::filter;
use super::reply::{ApiError, REQUIRED, json_response};
use super::store::{Record, Store};
use super::writes::{create_feedback, create_ticket, mark, rename};
use crate::provider::lenient::parse_bool_text;
use crate::provider::model::Conversation;

/// The environments every agent has: `(id, slug, name, is_production)`.
pub const ENVIRONMENTS: &[(i64, &str, &str, bool)] = &[
    (1, "production", "Production", true),
    (2, "development", "Development", false),
];
/// When the demo agent's environments were created (a fixed instant, so `/api/me/` never changes).
const ENVIRONMENTS_CREATED_AT: &str = "2024-01-01T00:00:00Z";
/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    store: RwLock<Store>,
    pub config: ServerConfig,
    /// Where the server listens; the host of page links when a request has no `Host`.
    addr: SocketAddr,
    faults: Faults,
}

impl AppState {
    pub fn new(conversations: Vec<Conversation>, config: ServerConfig, addr: SocketAddr) -> Self {
        let faults = Faults::new(config.fault_seed, config.fail_rate, config.throttle_rate);
        Self {
            store: RwLock::new(Store::new(conversations)),
            config,
            addr,
            faults,
        }
    }

    // A panic while holding the lock cannot leave the store half-written in a
    // way later reads would trip over (writes are single assignments), so a
    // poisoned lock is used as it is.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every route, behind the gate.
pub fn router(state: Arc<AppState>) -> Router {
    // ChatDash routes pass their own gate (raw-key auth), so they join after this one's layer.
    let chatdash = super::chatdash::router(&state.config);
    Router::new()
        .route("/api/me/", get(me))
        .route("/api/conversations/", get(list))
        // Static segments win over `{id}` in axum's router, so these two are
        // never read as a conversation id.
        .route("/api/conversations/metadata-keys/", get(metadata_keys))
        .route("/api/conversations/metadata-values/", get(metadata_values))
        .route("/api/conversations/{id}/", get(retrieve))
        .route("/api/conversations/{id}/attachments/", get(attachments))
        .route("/api/conversations/{id}/mark/", post(mark))
        .route("/api/conversations/{id}/rename/", patch(rename))
        .route("/api/feedbacks/", post(create_feedback))
        .route("/api/tickets/", post(create_ticket))
        .merge(super::planes::router())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
        .merge(chatdash)
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
    if let Err(refusal) = authenticate(request.headers(), &state.config.api_key) {
        return refusal.into_response();
    }
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
fn authenticate(headers: &HeaderMap, key: &str) -> Result<(), ApiError> {
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
        (Some(sent), None) if sent == key => Ok(()),
        (Some(_), None) => Err(ApiError::Unauthorized("Invalid API key.")),
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

/// The query string as name/value pairs, in the order sent (lenient about encoding, as Django is).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The last value sent for a parameter, as Django's `QueryDict.get` reads it.
fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
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

/// `GET /api/me/`.
async fn me(State(state): State<Arc<AppState>>) -> Response {
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
            "agent_id": 1,
            "agent_name": "Demo support agent",
            "role": state.config.role.as_str(),
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
    let request = filter::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(ApiError::Fields)?;
    let page_size = envelope::page_size(param(&pairs, "page_size"));
    let depth = Depth {
        transcript: full_param(&pairs),
        tickets: request.include_tickets(),
        single: false,
    };
    let store = state.read();
    let mut matches: Vec<&Record> = store
        .records()
        .iter()
        .filter(|r| request.filter.matches(r))
        .collect();
    // The order is total (ties fall to the unique key), so unstable is exact.
    matches.sort_unstable_by(|a, b| request.ordering.compare(a, b));
    let page = envelope::slice(matches.len(), page_size, param(&pairs, "page"))
        .ok_or_else(|| ApiError::Detail(StatusCode::NOT_FOUND, "Invalid page.".to_owned()))?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map_or_else(|| state.addr.to_string(), str::to_owned);
    let link = |number: usize| envelope::page_link(&host, "/api/conversations/", &pairs, number);
    let body = Envelope {
        count: matches.len(),
        page_size,
        total_pages: page.total_pages,
        current_page: page.number,
        next: (page.number < page.total_pages).then(|| link(page.number + 1)),
        previous: (page.number > 1).then(|| link(page.number - 1)),
        results: matches[page.range]
            .iter()
            .map(|r| ConversationView::new(r, depth))
            .collect(),
    };
    Ok(json_response(StatusCode::OK, &body))
}

/// `GET /api/conversations/{pk or conversation_id}/`; deleted ones too.
async fn retrieve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let depth = Depth {
        transcript: full_param(&pairs),
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

/// `GET /api/conversations/metadata-keys/`: a bare array.
async fn metadata_keys(State(state): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, &state.read().metadata_keys())
}

/// `GET /api/conversations/metadata-values/?key=K`: a bare array.
async fn metadata_values(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query.as_deref());
    let key = param(&pairs, "key")
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ApiError::field("key", REQUIRED))?;
    Ok(json_response(
        StatusCode::OK,
        &state.read().metadata_values(key),
    ))
}
