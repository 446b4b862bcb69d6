//! Which redirects a client follows: never from https down to http (the key would travel in clear), never round a loop, never more than a few.

use std::fmt;

use reqwest::redirect::{Attempt, Policy};
use url::Url;

/// The most redirects followed for one request; an API has no reason for more.
pub const MAX_REDIRECTS: usize = 5;

/// A redirect refused, and why. Sending the request again would meet the
/// same redirect, so it is never retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// From https to http: the `Authorization` header would go out in clear
    /// (reqwest keeps it when host and port stay the same, whatever the scheme).
    Downgrade {
        /// Where the server pointed, as `http://host:port`.
        to: String,
    },
    /// Back to a URL already asked in this chain.
    Loop {
        /// The URL asked twice, as `scheme://host:port/path`.
        at: String,
    },
    /// More than [`MAX_REDIRECTS`] in a row.
    TooMany,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Downgrade { to } => write!(
                f,
                "the server redirected from https to http; convo will not send the key in clear (it pointed to {to}); check the endpoint or the server's configuration"
            ),
            Self::Loop { at } => write!(
                f,
                "the server redirected in a loop (back to {at}); it is misconfigured, and asking again would loop again"
            ),
            Self::TooMany => write!(
                f,
                "the server redirected more than {MAX_REDIRECTS} times in a row; it is misconfigured, and asking again would do the same"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Whether a redirect to `next`, after `previous` (the first being the URL
/// first asked), may be followed.
///
/// # Errors
/// The [`Refusal`] when it may not.
pub fn judge(next: &Url, previous: &[Url]) -> Result<(), Refusal> {
    // Any https in the chain counts: a hop through another host must not
    // launder a downgrade back to the first one.
    if next.scheme() == "http" && previous.iter().any(|u| u.scheme() == "https") {
        return Err(Refusal::Downgrade { to: origin(next) });
    }
    if previous.iter().any(|u| same_place(u, next)) {
        return Err(Refusal::Loop {
            at: format!("{}{}", origin(next), shown_path(next)),
        });
    }
    // `previous` holds the first URL too, which is not a redirect.
    if previous.len() > MAX_REDIRECTS {
        return Err(Refusal::TooMany);
    }
    Ok(())
}

/// The policy every API client of convo is built with.
#[must_use]
pub fn policy() -> Policy {
    Policy::custom(
        |attempt: Attempt<'_>| match judge(attempt.url(), attempt.previous()) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        },
    )
}

/// The refusal behind a failed request, if a redirect is what failed it.
#[must_use]
pub fn refusal_in(err: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cause {
        if let Some(refusal) = e.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        cause = e.source();
    }
    None
}

/// The same resource: scheme, host, port, path and query (the fragment is never sent).
fn same_place(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
        && a.query() == b.query()
}

/// `scheme://host:port`, which is ASCII whatever the server wrote.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The path, cut short: a hostile server chooses it.
fn shown_path(url: &Url) -> String {
    const LONGEST: usize = 80;
    let path = url.path();
    match path.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("{}…", &path[..cut]),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn https_to_http_is_refused_on_the_same_port_and_after_a_hop() {
        let first = url("https://api.example.com:8443/api/conversations/");
        let down = url("http://api.example.com:8443/api/conversations/");
        assert_eq!(
            judge(&down, std::slice::from_ref(&first)),
            Err(Refusal::Downgrade {
                to: "http://api.example.com:8443".to_owned()
            })
        );
        let hop = url("https://cdn.example.com/x");
        assert!(matches!(
            judge(&url("http://api.example.com/y"), &[first.clone(), hop]),
            Err(Refusal::Downgrade { .. })
        ));
        assert_eq!(judge(&url("https://api.example.com/v2/"), &[first]), Ok(()));
        assert_eq!(
            judge(&url("https://h/"), &[url("http://h/")]),
            Ok(()),
            "an upgrade is fine"
        );
    }

    #[test]
    fn a_loop_and_a_long_chain_are_refused() {
        let a = url("http://127.0.0.1:9/a");
        let b = url("http://127.0.0.1:9/b");
        assert!(matches!(
            judge(&a, &[a.clone(), b.clone()]),
            Err(Refusal::Loop { .. })
        ));
        assert!(matches!(
            judge(&a, std::slice::from_ref(&a)),
            Err(Refusal::Loop { .. })
        ));
        let chain: Vec<Url> = (0..=MAX_REDIRECTS)
            .map(|i| url(&format!("http://127.0.0.1:9/{i}")))
            .collect();
        assert_eq!(
            judge(&url("http://127.0.0.1:9/next"), &chain),
            Err(Refusal::TooMany)
        );
        assert_eq!(
            judge(&url("http://127.0.0.1:9/next"), &chain[..MAX_REDIRECTS]),
            Ok(())
        );
    }

    #[test]
    fn the_downgrade_reads_as_the_reason() {
        let text = Refusal::Downgrade {
            to: "http://h:1".to_owned(),
        }
        .to_string();
        assert!(text.starts_with(
            "the server redirected from https to http; convo will not send the key in clear"
        ));
    }
}
