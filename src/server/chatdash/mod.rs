//! `ChatDash` routes of the local server: `/agents/{agentId}/…` and `/projects/{projectId}/…` over ChatDash-shaped data.
//!
//! They sit beside the `AgentSight` routes on the same port but pass their own
//! gate: the raw key in `Authorization` (no scheme word), `ChatDash`'s
//! `{"error": …}` bodies, and the same latency and fault flags.

pub mod store;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use serde_json::{Map, Value, json};

use self::store::Store;
use super::ServerConfig;
use super::faults::{Fault, Faults};
use super::reply::json_response;
use crate::provider::chatdash::filters::{CHATDASH_ALIASES, CHATDASH_FILTERS};
use crate::provider::lenient::parse_bool_text;
use crate::provider::query::Query;

/// The key the local server accepts for `ChatDash` by default.
pub const DEMO_CHATDASH_KEY: &str = "chatdash-demo-key";
/// The demo agent's id.
pub const DEMO_AGENT: &str = "demo-agent";
/// The demo project's id.
pub const DEMO_PROJECT: &str = "demo-project";

/// `ChatDash`'s words for a failure it does not explain, as documented.
pub const UNEXPECTED: &str = "An unexpected error occurred";

/// Who may call the `ChatDash` routes, and over which data.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatDashSettings {
    /// The raw key `Authorization` must hold.
    pub api_key: String,
    /// The one agent the data belongs to.
    pub agent_id: String,
    /// The one project the data belongs to.
    pub project_id: String,
    /// Conversation objects (with embedded `messages`) to serve instead of
    /// the bundled demo, served as they are (no rebasing).
    pub records: Option<Arc<Vec<Value>>>,
}

impl Default for ChatDashSettings {
    fn default() -> Self {
        Self {
            api_key: DEMO_CHATDASH_KEY.to_owned(),
            agent_id: DEMO_AGENT.to_owned(),
            project_id: DEMO_PROJECT.to_owned(),
            records: None,
        }
    }
}

/// What the `ChatDash` handlers share.
#[derive(Debug)]
struct ChatDashState {
    store: Store,
    settings: ChatDashSettings,
    latency: std::time::Duration,
    faults: Faults,
}

/// Whether a path names an agent or a project.
#[derive(Clone, Copy)]
enum Scope {
    Agent,
    Project,
}

/// The `ChatDash` routes, gated; merged beside the `AgentSight` router.
pub fn router(config: &ServerConfig) -> Router {
    let settings = config.chatdash.clone();
    let store = match &settings.records {
        Some(records) => Store::new(records.iter().cloned()),
        None => Store::bundled_demo(Utc::now()).unwrap_or_else(|e| {
            tracing::error!("the bundled ChatDash demo data is broken: {e}");
            Store::default()
        }),
    };
    // Its own draws (same seed and rates), so ChatDash traffic does not shift
    // the `AgentSight` routes' fault sequence.
    let faults = Faults::new(config.fault_seed, config.fail_rate, config.throttle_rate);
    let state = Arc::new(ChatDashState {
        store,
        settings,
        latency: config.latency,
        faults,
    });
    Router::new()
        .route("/agents/{agent}/conversations", get(agent_list))
        .route("/agents/{agent}/conversations/{id}", get(agent_one))
        .route(
            "/agents/{agent}/conversations/{id}/messages",
            get(agent_messages),
        )
        .route("/projects/{project}/conversations", get(project_list))
        .route("/projects/{project}/conversations/{id}", get(project_one))
        .route(
            "/projects/{project}/conversations/{id}/messages",
            get(project_messages),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
}

/// A 404 with `ChatDash`'s `{"error": …}` body.
struct Refusal(&'static str);

impl Refusal {
    fn response(self) -> Response {
        error(StatusCode::NOT_FOUND, self.0)
    }
}

/// `{"error": message}` with a status.
fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "error": message }))
}

/// Latency, then the raw key, then injected faults, then the route.
async fn gate(State(state): State<Arc<ChatDashState>>, request: Request, next: Next) -> Response {
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let sent = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    if sent.as_deref() != Some(state.settings.api_key.as_str()) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    if state.faults.enabled()
        && let Some(fault) = state.faults.draw()
    {
        return match fault {
            Fault::Throttled { .. } => {
                let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                response
            }
            Fault::Failed(_) => error(StatusCode::INTERNAL_SERVER_ERROR, UNEXPECTED),
        };
    }
    next.run(request).await
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The agent whose conversations a path reaches (`None`: the whole project),
/// or the 404 for an agent or project this server does not have.
fn scoped<'a>(
    state: &'a ChatDashState,
    scope: Scope,
    owner: &str,
) -> Result<Option<&'a str>, Refusal> {
    match scope {
        Scope::Agent if owner == state.settings.agent_id => Ok(Some(&state.settings.agent_id)),
        Scope::Project if owner == state.settings.project_id => Ok(None),
        Scope::Agent => Err(Refusal("Agent not found")),
        Scope::Project => Err(Refusal("Project not found")),
    }
}

fn list(state: &ChatDashState, scope: Scope, owner: &str, raw: Option<&str>) -> Response {
    let agent = match scoped(state, scope, owner) {
        Ok(agent) => agent,
        Err(refusal) => return refusal.response(),
    };
    let pairs = query_pairs(raw);
    let query = match Query::from_wire_params(
        CHATDASH_FILTERS,
        CHATDASH_ALIASES,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ) {
        Ok(query) => query,
        Err(errors) => {
            let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return error(StatusCode::BAD_REQUEST, &words.join("; "));
        }
    };
    json_response(StatusCode::OK, &state.store.list(agent, &query))
}

/// The conversation a path names, by `_id` or (`isPlatformId=true`) by `platformId`.
fn find<'a>(
    state: &'a ChatDashState,
    scope: Scope,
    owner: &str,
    id: &str,
    raw: Option<&str>,
) -> Result<&'a Map<String, Value>, Refusal> {
    let agent = scoped(state, scope, owner)?;
    let by_platform_id = query_pairs(raw)
        .iter()
        .rev()
        .find(|(k, _)| k == "isPlatformId")
        .and_then(|(_, v)| parse_bool_text(v))
        .unwrap_or(false);
    state
        .store
        .find(id, by_platform_id)
        .filter(|c| {
            agent.is_none_or(|agent| {
                c.get("agentId")
                    .and_then(Value::as_str)
                    .is_none_or(|a| a == agent)
            })
        })
        .ok_or(Refusal("Conversation not found"))
}

fn one(state: &ChatDashState, scope: Scope, owner: &str, id: &str, raw: Option<&str>) -> Response {
    match find(state, scope, owner, id, raw) {
        Ok(conversation) => json_response(StatusCode::OK, conversation),
        Err(refusal) => refusal.response(),
    }
}

fn messages(
    state: &ChatDashState,
    scope: Scope,
    owner: &str,
    id: &str,
    raw: Option<&str>,
) -> Response {
    match find(state, scope, owner, id, raw) {
        Ok(conversation) => json_response(StatusCode::OK, state.store.messages(conversation)),
        Err(refusal) => refusal.response(),
    }
}

async fn agent_list(
    State(state): State<Arc<ChatDashState>>,
    Path(agent): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    list(&state, Scope::Agent, &agent, raw.as_deref())
}

async fn project_list(
    State(state): State<Arc<ChatDashState>>,
    Path(project): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    list(&state, Scope::Project, &project, raw.as_deref())
}

async fn agent_one(
    State(state): State<Arc<ChatDashState>>,
    Path((agent, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    one(&state, Scope::Agent, &agent, &id, raw.as_deref())
}

async fn project_one(
    State(state): State<Arc<ChatDashState>>,
    Path((project, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    one(&state, Scope::Project, &project, &id, raw.as_deref())
}

async fn agent_messages(
    State(state): State<Arc<ChatDashState>>,
    Path((agent, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    messages(&state, Scope::Agent, &agent, &id, raw.as_deref())
}

async fn project_messages(
    State(state): State<Arc<ChatDashState>>,
    Path((project, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    messages(&state, Scope::Project, &project, &id, raw.as_deref())
}
