//! The files behind attachments: every `file_url` an answer carries is rewritten to a signed link to this server, and `/files/…` serves a real sample file for it (no API key: the signature is the credential).

mod catalog;
mod containers;
mod documents;
pub mod fixtures;
mod link;
mod pictures;
mod rewrite;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::params::{param, query_pairs};
use super::reply::detail;
use super::store::Store;
use catalog::Sample;
pub use link::DEFAULT_TTL;
pub(super) use rewrite::sign_links;

/// What the file route serves, and how it signs links.
#[derive(Debug)]
pub(super) struct FileHost {
    signer: link::Signer,
    /// Where the server listens: the host of links when a request names none.
    addr: SocketAddr,
    files: HashMap<i64, Served>,
}

/// One attachment's answer.
#[derive(Clone, Debug)]
enum Served {
    File(Sample),
    /// The bytes without a `Content-Length`, so only counting them tells their size.
    Unannounced(Sample),
    /// A redirect back to the same link, for ever.
    RedirectLoop,
    /// The big photo ([`fixtures::large_photo`]), made on first request.
    Large,
}

impl std::fmt::Debug for catalog::Samples {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Samples")
    }
}

impl FileHost {
    /// Links valid for `ttl`, and a file for every attachment in `store`.
    /// With `bad_files`, the fixtures' ids serve their bad files.
    pub(super) fn new(
        store: &Store,
        addr: SocketAddr,
        ttl: Duration,
        bad_files: bool,
    ) -> std::io::Result<Self> {
        let samples = catalog::Samples::new();
        let attachments = store
            .records()
            .iter()
            .flat_map(|r| r.messages().iter())
            .flat_map(|m| m.attachments.as_deref().unwrap_or_default());
        let mut files: HashMap<i64, Served> = catalog::index(attachments, &samples)
            .into_iter()
            .map(|(id, sample)| (id, Served::File(sample)))
            .collect();
        if bad_files {
            for (id, fixture) in fixtures::served() {
                if files.contains_key(&id) {
                    files.insert(id, fixture);
                }
            }
        }
        Ok(Self {
            signer: link::Signer::new(ttl)?,
            addr,
            files,
        })
    }

    /// A fresh signed link for attachment `id` on `host`.
    pub(super) fn url(&self, host: &str, id: i64, file_name: &str) -> String {
        let host = fixtures::link_host(id, host);
        self.signer.url(&host, id, file_name)
    }
}

/// `/files/{id}/{name}`, outside the API's gate.
pub(super) fn router(files: Arc<FileHost>) -> Router {
    Router::new()
        .route("/files/{id}/{name}", get(serve))
        .with_state(files)
}

/// 403 for an expired or forged link, 404 for no such file, else the bytes
/// with their type and length.
async fn serve(
    State(files): State<Arc<FileHost>>,
    Path((id, _name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs = query_pairs(query.as_deref());
    let (Ok(id), Some(expires), Some(sig)) = (
        id.parse::<i64>(),
        param(&pairs, "expires").and_then(|e| e.parse::<u64>().ok()),
        param(&pairs, "sig"),
    ) else {
        return detail(StatusCode::FORBIDDEN, "This link is not signed.");
    };
    match files.signer.check(id, expires, sig) {
        Ok(()) => {}
        Err(link::Refused::Expired) => {
            return detail(StatusCode::FORBIDDEN, "This link has expired.");
        }
        Err(link::Refused::Forged) => {
            return detail(
                StatusCode::FORBIDDEN,
                "This link's signature does not match.",
            );
        }
    }
    match files.files.get(&id) {
        None => detail(StatusCode::NOT_FOUND, "No such file."),
        Some(Served::RedirectLoop) => {
            let here = format!("?{}", query.unwrap_or_default());
            (StatusCode::FOUND, [(header::LOCATION, here)]).into_response()
        }
        Some(Served::Large) => whole(fixtures::large_photo()),
        Some(Served::File(sample)) => whole(sample),
        Some(Served::Unannounced(sample)) => {
            let chunk: Result<Bytes, std::io::Error> = Ok(sample.bytes.clone());
            let mut response = Response::new(Body::from_stream(futures::stream::iter([chunk])));
            if let Ok(value) = sample.content_type.parse() {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
    }
}

/// The whole file, with its type and length.
fn whole(sample: &Sample) -> Response {
    let mut response = Response::new(Body::from(sample.bytes.clone()));
    let headers = response.headers_mut();
    if let Ok(value) = sample.content_type.parse() {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, sample.bytes.len().into());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Arc<FileHost> {
        let store = Store::new(Vec::new());
        let addr = SocketAddr::from(([127, 0, 0, 1], 8787));
        Arc::new(FileHost::new(&store, addr, DEFAULT_TTL, false).unwrap_or_else(|e| panic!("{e}")))
    }

    async fn status(files: &Arc<FileHost>, url: &str) -> StatusCode {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let mut segments = path.rsplit('/');
        let name = segments.next().unwrap_or("").to_owned();
        let id = segments.next().unwrap_or("").to_owned();
        serve(
            State(Arc::clone(files)),
            Path((id, name)),
            RawQuery(Some(query.to_owned())),
        )
        .await
        .status()
    }

    #[tokio::test]
    async fn a_good_link_to_no_file_is_404_and_a_bad_one_403() {
        let files = host();
        let url = files.url("127.0.0.1:8787", 42, "gone.pdf");
        assert_eq!(status(&files, &url).await, StatusCode::NOT_FOUND);
        let forged = url.replace("files/42/", "files/43/");
        assert_eq!(status(&files, &forged).await, StatusCode::FORBIDDEN);
        assert_eq!(
            status(&files, "http://127.0.0.1:8787/files/42/gone.pdf").await,
            StatusCode::FORBIDDEN
        );
    }
}
