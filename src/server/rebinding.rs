//! Refusing requests whose `Host` is not a loopback name when the server listens on loopback, so a web page cannot reach it through DNS rebinding.

use std::net::IpAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `router` behind the check. A request without `Host` passes: browsers
/// always send one, and HTTP/1.0 tools may not.
pub(super) fn guard(router: Router) -> Router {
    router.layer(middleware::from_fn(refuse_foreign_host))
}

async fn refuse_foreign_host(request: Request, next: Next) -> Response {
    match request.headers().get(header::HOST) {
        Some(host) if !is_loopback_host(host.as_bytes()) => (
            StatusCode::FORBIDDEN,
            axum::Json(json!({
                "detail": "this server listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1]"
            })),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Whether a `Host` value (`name[:port]`, `[v6][:port]`) names this machine:
/// `localhost` or a loopback address.
#[must_use]
pub(super) fn is_loopback_host(host: &[u8]) -> bool {
    let Ok(host) = std::str::from_utf8(host) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, "")) => inside,
            Some((inside, port)) if port.strip_prefix(':').is_some_and(is_port) => inside,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_names_pass_and_every_other_name_is_refused() {
        for good in [
            "localhost",
            "LOCALHOST:8787",
            "127.0.0.1",
            "127.0.0.1:8787",
            "127.9.9.9:1",
            "[::1]",
            "[::1]:8787",
        ] {
            assert!(is_loopback_host(good.as_bytes()), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:8787",
            "localhost.evil.example",
            "10.0.0.1:8787",
            "0.0.0.0:8787",
            "[::2]:8787",
            "127.0.0.1:port",
            "127.0.0.1:99999",
            "[::1]x",
            "[::1]8787",
            "",
            "::1",
        ] {
            assert!(!is_loopback_host(bad.as_bytes()), "{bad}");
        }
        assert!(!is_loopback_host(b"127.0.0.1\xff"));
    }
}
