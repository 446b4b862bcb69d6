//! The `AgentSight` endpoint setting, checked: an absolute http(s) URL with a host, no credentials, no query or fragment.

use url::Url;

use crate::provider::Error;
use crate::provider::http::errors::one_line;
use crate::provider::http::transport::Endpoint;

/// Checks an endpoint: an absolute http(s) URL with a host, no credentials,
/// no query or fragment (which a path join would corrupt).
///
/// # Errors
/// [`Error::InvalidInput`] saying what is wrong and how it should look.
pub(super) fn parse_endpoint(endpoint: &str) -> Result<Endpoint, Error> {
    let shown = one_line(endpoint);
    let refuse = |why: &str| {
        Error::InvalidInput(format!(
            "the AgentSight endpoint \"{shown}\" {why}; use an http(s) URL like https://api.agentsight.io (AGENTSIGHT_API_ENDPOINT)"
        ))
    };
    let refuse_unshown = |why: &str| {
        Error::InvalidInput(format!(
            "the AgentSight endpoint {why}; use an http(s) URL like https://api.agentsight.io (AGENTSIGHT_API_ENDPOINT)"
        ))
    };
    let url = Url::parse(endpoint.trim()).map_err(|e| refuse(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("is not http or https"));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(refuse("has no host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: the URL holds a secret.
        return Err(refuse_unshown("carries a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("carries a ?query or #fragment"));
    }
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Endpoint {
        base: url.as_str().trim_end_matches('/').to_owned(),
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_checked_and_normalised() {
        let ok = parse_endpoint(" https://API.example.com/prefix/ ").unwrap();
        assert_eq!(ok.base, "https://api.example.com/prefix");
        assert_eq!(ok.host, "api.example.com");
        let port = parse_endpoint("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (port.base.as_str(), port.host.as_str()),
            ("http://127.0.0.1:8080", "127.0.0.1:8080")
        );
        for (bad, why) in [
            ("api.agentsight.io", "is not a URL"),
            ("ftp://api.agentsight.io", "is not http or https"),
            ("https://user:pw@api.agentsight.io", "user name or password"),
            ("https://user@api.agentsight.io", "user name or password"),
            ("https://api.agentsight.io/?x=1", "?query"),
            ("", "is not a URL"),
        ] {
            let err = parse_endpoint(bad).unwrap_err().to_string();
            assert!(
                err.contains(why) && err.contains("https://api.agentsight.io"),
                "{bad}: {err}"
            );
            assert!(!err.contains("pw@"), "{err}");
        }
    }
}
