//! The routes of the derived planes — token usage and its summary, spans and traces, action definitions and their logs — behind the same gate as every other route.

mod actions;

mod query;
mod spans;
mod usage;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use super::state::AppState;

/// The derived planes' routes, to be merged into the main router before its gate is applied.
pub(super) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/token-usage/", get(usage::list))
        .route("/api/token-usage/summary/", get(usage::summary))
        .route("/api/spans/", get(spans::list))
        .route("/api/spans/{id}/", get(spans::retrieve))
        .route("/api/traces/{trace_id}/", get(spans::trace))
        .route(
            "/api/actions/",
            get(actions::list).post(super::writes::actions::create),
        )
        // No delete: the verb answers 405.
        .route(
            "/api/actions/{id}/",
            get(actions::retrieve).patch(super::writes::actions::update),
        )
        .route("/api/actions/{id}/logs/", get(actions::logs))
}
