//! Rewriting every attachment's `file_url` in a JSON answer to a fresh signed link to this server, wherever the attachment appears (lists, detail, the attachments route, messages).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::FileHost;
use crate::server::params::host;

/// The most an answer is read back to be rewritten; the server's own pages are far smaller.
const MOST: usize = 256 * 1024 * 1024;

/// Keys whose values are free-form documents a customer or tool wrote: an
/// `attachments` key inside them is data, not the service's list.
const FREE_FORM: [&str; 6] = [
    "metadata",
    "attributes",
    "payload",
    "tools_used",
    "button",
    "events",
];

/// Middleware: a JSON answer that mentions `"file_url"` gets each attachment's link signed for the host the client asked.
pub(in crate::server) async fn sign_links(
    State(files): State<Arc<FileHost>>,
    request: Request,
    next: Next,
) -> Response {
    let host = host(request.headers(), files.addr);
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MOST).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if !contains(&bytes, b"\"file_url\"") {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    rewrite(&mut value, &files, &host);
    match serde_json::to_vec(&value) {
        Ok(rewritten) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(rewritten))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// Walks the answer; each object in an `attachments` list that has an `id`
/// and a `file_url` gets a fresh link. Free-form documents are not entered.
fn rewrite(value: &mut Value, files: &FileHost, host: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if FREE_FORM.contains(&key.as_str()) {
                    continue;
                }
                if key == "attachments"
                    && let Value::Array(list) = child
                {
                    for attachment in list.iter_mut() {
                        sign_one(attachment, files, host);
                    }
                    continue;
                }
                rewrite(child, files, host);
            }
        }
        Value::Array(list) => {
            for child in list {
                rewrite(child, files, host);
            }
        }
        _ => {}
    }
}

fn sign_one(attachment: &mut Value, files: &FileHost, host: &str) {
    let Value::Object(map) = attachment else {
        return;
    };
    let Some(id) = map.get("id").and_then(Value::as_i64) else {
        return;
    };
    if !map.contains_key("file_url") {
        return;
    }
    let name = map
        .get("filename")
        .and_then(Value::as_str)
        .unwrap_or("file")
        .to_owned();
    map.insert(
        "file_url".to_owned(),
        Value::String(files.url(host, id, &name)),
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
