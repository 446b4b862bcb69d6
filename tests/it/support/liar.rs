//! A list server of the tests' own that lies about its pages (axum on 127.0.0.1): `count` and `total_pages` say what the test wants, each page holds as many rows as the test wants, and every request is counted.
//!
//! Past a budget of requests it answers 500, so a client that believes the
//! lie stops with an error (and the test fails) instead of walking for hours.
// Test helpers: a server that cannot bind should stop the test on the spot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use serde_json::{Value, json};

/// What the server claims, and what it really sends.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lie {
    /// `count` as sent; `None` sends `null`.
    pub count: Option<i64>,
    /// `total_pages` as sent; `None` sends `null`.
    pub total_pages: Option<i64>,
    /// How many rows page `page` holds when `page_size` rows were asked for.
    pub rows_on: fn(page: u64, page_size: u64) -> u64,
    /// Requests answered before the server gives up with 500s.
    pub budget: usize,
}

/// Every page full, forever.
#[must_use]
pub(crate) fn full_forever(_page: u64, page_size: u64) -> u64 {
    page_size
}

/// Page 1 full, every other page empty.
#[must_use]
pub(crate) fn full_then_empty(page: u64, page_size: u64) -> u64 {
    if page == 1 { page_size } else { 0 }
}

/// Page 1 full, page 2 three rows short of nothing, then full pages again.
#[must_use]
pub(crate) fn short_second_page(page: u64, page_size: u64) -> u64 {
    if page == 2 { 3 } else { page_size }
}

/// The running server.
pub(crate) struct Liar {
    base: String,
    requests: Arc<AtomicUsize>,
    highest_page: Arc<AtomicU64>,
}

#[derive(Clone)]
struct Shared {
    lie: Lie,
    requests: Arc<AtomicUsize>,
    highest_page: Arc<AtomicU64>,
}

impl Liar {
    /// Starts on a free port of 127.0.0.1.
    pub(crate) async fn start(lie: Lie) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the lying server");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let highest_page = Arc::new(AtomicU64::new(0));
        let app = Router::new().fallback(answer).with_state(Shared {
            lie,
            requests: Arc::clone(&requests),
            highest_page: Arc::clone(&highest_page),
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            base,
            requests,
            highest_page,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        self.base.clone()
    }

    /// Requests answered so far.
    pub(crate) fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The highest page number asked for so far.
    pub(crate) fn highest_page(&self) -> u64 {
        self.highest_page.load(Ordering::SeqCst)
    }
}

async fn answer(
    State(shared): State<Shared>,
    uri: Uri,
    Query(params): Query<HashMap<String, String>>,
) -> (StatusCode, axum::Json<Value>) {
    let seen = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
    if seen > shared.lie.budget {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"detail": "the lying server's request budget is spent"})),
        );
    }
    let page: u64 = params.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let page_size: u64 = params
        .get("page_size")
        .and_then(|p| p.parse().ok())
        .unwrap_or(15)
        .clamp(1, 100);
    shared.highest_page.fetch_max(page, Ordering::SeqCst);
    let rows = (shared.lie.rows_on)(page, page_size);
    let first = (page - 1) * page_size;
    let results: Vec<Value> = (first..first + rows)
        .map(|n| row(uri.path(), n + 1))
        .collect();
    let body = json!({
        "count": shared.lie.count,
        "page_size": page_size,
        "total_pages": shared.lie.total_pages,
        "current_page": page,
        "next": null,
        "previous": null,
        "results": results,
    });
    (StatusCode::OK, axum::Json(body))
}

/// Row `n` of whichever list was asked for.
fn row(path: &str, n: u64) -> Value {
    if path.contains("feedback") {
        json!({"id": n, "kind": "conversation", "sentiment": "negative",
               "comment": format!("feedback {n}"), "conversation": n,
               "created_at": "2024-01-15T10:30:00Z"})
    } else {
        json!({"id": n, "conversation_id": format!("conv-{n}"), "name": format!("conversation {n}"),
               "started_at": "2024-01-15T10:30:00Z", "message_count": 2, "feedback_count": 0})
    }
}
