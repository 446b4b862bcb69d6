//! Shared helpers for integration tests: a local server on a free port, and requests to it with the demo key.
// Test helpers: a failed setup should stop the test on the spot.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::SocketAddr;

use convo::provider::model::Conversation;
use convo::server::{self, DEMO_API_KEY, RunningServer, ServerConfig};
use serde_json::Value;

/// Starts a server on 127.0.0.1 (a free port) over these conversations.
pub(crate) async fn start(conversations: Vec<Conversation>, config: ServerConfig) -> RunningServer {
    server::spawn(conversations, config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind 127.0.0.1:0")
}

/// Starts a server with the default configuration over records given as JSON.
pub(crate) async fn start_json(records: &[Value]) -> RunningServer {
    start(conversations(records), ServerConfig::default()).await
}

/// Reads JSON records as conversations, exactly as a data file would be read.
pub(crate) fn conversations(records: &[Value]) -> Vec<Conversation> {
    records
        .iter()
        .map(|r| serde_json::from_value(r.clone()).expect("a conversation record"))
        .collect()
}

/// A client that sends nothing by default (each test says what it sends).
/// Plain HTTP only: skipping the system's root certificates makes it cheap to build.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// `GET base+path` with the demo key; the status and the body as JSON (`Null` if not JSON).
pub(crate) async fn get(server: &RunningServer, path_and_query: &str) -> (u16, Value) {
    let response = client()
        .get(format!("{}{path_and_query}", server.base_url()))
        .header("Authorization", format!("Api-Key {DEMO_API_KEY}"))
        .header("Accept", "application/json")
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// A request with a JSON body and the demo key; the status and the body as JSON.
pub(crate) async fn send(
    server: &RunningServer,
    method: reqwest::Method,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let response = client()
        .request(method, format!("{}{path}", server.base_url()))
        .header("Authorization", format!("Api-Key {DEMO_API_KEY}"))
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}
