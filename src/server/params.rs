//! Query-string reading shared by the list routes: pairs, strict booleans, environments, dates and `ordering` lists, judged as the live service judges them.

use std::net::SocketAddr;

use axum::http::{HeaderMap, header};
use chrono::{DateTime, NaiveDate, Utc};

use super::reply::ApiError;
use crate::provider::model::parse_instant;

/// The query string as name/value pairs, in the order sent (lenient about encoding, as Django is).
pub(super) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The last value sent for a parameter, as Django's `QueryDict.get` reads it.
pub(super) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every value sent for a parameter, in order (`?status=open&status=done`).
pub(super) fn params<'a>(
    pairs: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The host page links are built on: the request's `Host`, else the listening address.
pub(super) fn host(headers: &HeaderMap, addr: SocketAddr) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map_or_else(|| addr.to_string(), str::to_owned)
}

/// The spellings the service takes for a boolean gate such as `include_tickets`;
/// anything else (the empty string included) is refused.
pub(super) fn strict_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// `include_tickets`, when sent: its strict value, or the 400 a bad spelling gets.
///
/// # Errors
/// A spelling outside [`strict_bool`].
pub(super) fn include_tickets(pairs: &[(String, String)]) -> Result<bool, ApiError> {
    match param(pairs, "include_tickets") {
        None => Ok(false),
        Some(text) => strict_bool(text).ok_or_else(|| {
            ApiError::field(
                "include_tickets",
                format!("\"{text}\" is not a valid boolean; use true or false."),
            )
        }),
    }
}

/// A loose boolean filter (`has_comment=yes`); `None` when absent or blank.
///
/// # Errors
/// A value that is not a boolean, named by the parameter.
pub(super) fn bool_filter(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<bool>, ApiError> {
    match param(pairs, name).map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => strict_bool(text).map(Some).ok_or_else(|| {
            ApiError::field(
                name,
                format!("\"{text}\" is not a valid boolean; use true or false."),
            )
        }),
    }
}

/// A non-blank text filter, trimmed.
pub(super) fn text_filter<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    param(pairs, name).map(str::trim).filter(|t| !t.is_empty())
}

/// An integer filter as sent: a key, or text that is no key (which matches
/// nothing, as a lookup on a missing key does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PkFilter {
    Key(i64),
    NotAKey,
}

impl PkFilter {
    /// Whether a row's key passes.
    pub(super) fn matches(self, have: Option<i64>) -> bool {
        matches!(self, Self::Key(key) if have == Some(key))
    }
}

/// An integer filter (`conversation=42`), when sent.
pub(super) fn pk_filter(pairs: &[(String, String)], name: &str) -> Option<PkFilter> {
    text_filter(pairs, name).map(|t| t.parse::<i64>().map_or(PkFilter::NotAKey, PkFilter::Key))
}

/// The canonical slug of `env`/`environment` on conversations and feedback:
/// four spellings, anything else is the 400 the service answers (always under `environment`).
///
/// # Errors
/// Any other value.
pub(super) fn environment(pairs: &[(String, String)]) -> Result<Option<&'static str>, ApiError> {
    let sent = param(pairs, "env")
        .or_else(|| param(pairs, "environment"))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match sent {
        None => Ok(None),
        Some("production" | "prod") => Ok(Some("production")),
        Some("development" | "dev") => Ok(Some("development")),
        Some(other) => Err(ApiError::field(
            "environment",
            format!("Select a valid choice. {other} is not one of the available choices."),
        )),
    }
}

/// A date bound (`created_at_after`): ISO 8601, or a bare date (its midnight, UTC).
///
/// # Errors
/// Text that is neither, in Django's words.
pub(super) fn date_filter(
    pairs: &[(String, String)],
    name: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(text) = text_filter(pairs, name) else {
        return Ok(None);
    };
    parse_instant(text)
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
        .map(Some)
        .ok_or_else(|| ApiError::field(name, "Enter a valid date/time."))
}

/// `ordering` as DRF's `OrderingFilter` reads it: comma-separated fields, `-`
/// for descending; fields outside `allowed` are dropped without a word, and
/// when none is left the route's default order applies (an empty list).
pub(super) fn ordering<F: Copy>(
    pairs: &[(String, String)],
    allowed: &[(&str, F)],
) -> Vec<(F, bool)> {
    let Some(text) = param(pairs, "ordering") else {
        return Vec::new();
    };
    text.split(',')
        .map(str::trim)
        .filter_map(|term| {
            let (descending, name) = match term.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, term),
            };
            allowed
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, field)| (*field, descending))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn gates_take_eight_spellings_and_refuse_the_rest() {
        for (text, want) in [("1", true), ("on", true), ("YES", true), ("off", false)] {
            assert_eq!(strict_bool(text), Some(want), "{text}");
        }
        for text in ["", "y", "maybe", "2"] {
            assert_eq!(strict_bool(text), None, "{text}");
        }
        assert!(include_tickets(&pairs(&[("include_tickets", "")])).is_err());
        assert!(!include_tickets(&pairs(&[])).unwrap());
    }

    #[test]
    fn environments_take_four_spellings_under_either_name() {
        assert_eq!(
            environment(&pairs(&[("env", "prod")])).unwrap(),
            Some("production")
        );
        assert_eq!(
            environment(&pairs(&[("environment", "dev")])).unwrap(),
            Some("development")
        );
        assert!(environment(&pairs(&[("env", "staging")])).is_err());
    }

    #[test]
    fn unknown_ordering_fields_are_dropped() {
        let allowed = [("id", 1), ("name", 2)];
        assert_eq!(
            ordering(&pairs(&[("ordering", "-id,bogus,name")]), &allowed),
            vec![(1, true), (2, false)]
        );
        assert!(ordering(&pairs(&[("ordering", "bogus")]), &allowed).is_empty());
    }
}
