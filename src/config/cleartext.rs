//! Plain http to another machine: which endpoints would carry the key in clear, and the refusal that names the way out.

use url::{Host, Url};

use super::error::ConfigError;
use super::sourced::{Source, Sourced};
use crate::text::{Lines, sanitize};

/// The flag that lets the key go over plain http to another machine.
pub const FLAG: &str = "--allow-insecure-http";
/// The profile setting that does the same.
pub const SETTING: &str = "allow_insecure_http";

/// Whether a request to `endpoint` would carry the key in clear across a
/// network: plain http to a host other than this machine. Loopback
/// (127.0.0.0/8, `::1`, `localhost`) never leaves it, so the demo and a local
/// `convo serve` stay plain http. Text that is not a URL is for the
/// provider to refuse.
#[must_use]
pub fn in_clear(endpoint: &str) -> bool {
    let Ok(url) = Url::parse(endpoint.trim()) else {
        return false;
    };
    url.scheme() == "http" && url.host().is_some_and(|host| !is_loopback(&host))
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// What `config show` says of an endpoint in clear, allowed or not.
#[must_use]
pub fn flag(allowed: &Sourced<bool>) -> String {
    if allowed.value {
        let by = match &allowed.source {
            Source::Flag(name) => (*name).to_owned(),
            _ => format!("{SETTING} = true"),
        };
        format!("plain http: the key travels in clear; allowed by {by}")
    } else {
        format!(
            "plain http: refused, the key would travel in clear; {FLAG} or {SETTING} = true allows it"
        )
    }
}

/// The warning for an endpoint in clear that the user allowed.
#[must_use]
pub fn warning(endpoint: &Sourced<String>, allowed: &Sourced<bool>) -> String {
    format!(
        "the endpoint {} ({}) is plain http to another machine: the key travels in clear (allowed by {})",
        shown(&endpoint.value),
        endpoint.source,
        allowed_by(allowed)
    )
}

/// `flag --allow-insecure-http`, or `allow_insecure_http = true in profile … in …`.
fn allowed_by(allowed: &Sourced<bool>) -> String {
    match &allowed.source {
        Source::Flag(_) => allowed.source.to_string(),
        other => format!("{SETTING} = true in {other}"),
    }
}

/// The refusal of an endpoint in clear, naming both ways to allow it.
#[must_use]
pub fn refusal(endpoint: &Sourced<String>) -> ConfigError {
    ConfigError::plain(format!(
        "the endpoint {} ({}) is plain http to another machine: the key would travel in clear, \
         so convo will not send it; use https, or, on a network you trust, pass {FLAG} \
         or put {SETTING} = true in the profile",
        shown(&endpoint.value),
        endpoint.source
    ))
}

fn shown(endpoint: &str) -> String {
    sanitize(endpoint.trim(), Lines::Join).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_off_this_machine_is_in_clear() {
        for clear in [
            "http://10.1.2.3:8000",
            "http://api.example.com",
            "http://192.168.0.1/prefix/",
            "http://[2001:db8::1]:80",
            "HTTP://Api.Example.com",
            "http://127.0.0.1.example.com",
        ] {
            assert!(in_clear(clear), "{clear}");
        }
        for safe in [
            "https://10.1.2.3:8000",
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://localhost:9",
            "http://LOCALHOST.:9",
            "http://api.localhost",
            "http://[::1]:9",
            "http://[::ffff:127.0.0.1]:9",
            "not a url",
            "",
        ] {
            assert!(!in_clear(safe), "{safe}");
        }
    }
}
