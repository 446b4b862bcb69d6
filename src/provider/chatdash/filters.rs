//! `ChatDash`'s list filters as a schema, the wire parameters a query becomes, and the local-only text search.
//!
//! The list route answers with the whole array, so `search` never travels: it
//! is applied here, over the rows already fetched.

use chrono::{DateTime, Utc};

use crate::provider::model::Conversation;
use crate::provider::query::{DateBound, FilterKind, FilterSpec, FilterValue, Query};

/// The one filter applied locally instead of on the wire.
pub const LOCAL_SEARCH: &str = "search";

const fn spec(
    key: &'static str,
    short: &'static str,
    kind: FilterKind,
    help: &'static str,
) -> FilterSpec {
    FilterSpec {
        key,
        short,
        help,
        kind,
    }
}

/// Every filter of `ChatDash`'s `GET /agents/{agentId}/conversations`, plus the
/// local `search`, in the order the panel shows them. Exact-match fields match
/// the whole value, as the API does.
pub const CHATDASH_FILTERS: &[FilterSpec] = &[
    spec(
        LOCAL_SEARCH,
        "search",
        FilterKind::Text,
        "substring of name, id, platform id, phone or summary (any case; applied locally)",
    ),
    spec(
        "startDate",
        "since",
        FilterKind::Date(DateBound::Lower),
        "created at or after: 2024-01-15, 2024-01-15T10:30, 7d, 24h, 30m",
    ),
    spec(
        "endDate",
        "until",
        FilterKind::Date(DateBound::Upper),
        "created at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "record",
        "record",
        FilterKind::TriState,
        "recorded; the server shows only recorded ones when unset",
    ),
    spec(
        "interacted",
        "interacted",
        FilterKind::TriState,
        "a user interacted; the server shows only those when unset",
    ),
    spec(
        "channel",
        "channel",
        FilterKind::Text,
        "exact channel (Webchat, WhatsApp, Instagram, Voice, …)",
    ),
    spec(
        "_id",
        "id",
        FilterKind::Text,
        "exact ChatDash conversation id",
    ),
    spec(
        "platformId",
        "platform-id",
        FilterKind::Text,
        "exact id on the original platform",
    ),
    spec("name", "name", FilterKind::Text, "exact user name"),
    spec("phone", "phone", FilterKind::Text, "exact phone number"),
    spec(
        "countryCode",
        "country",
        FilterKind::Text,
        "exact country code (US, DE, …)",
    ),
    spec(
        "device",
        "device",
        FilterKind::Text,
        "exact device (desktop, mobile, …)",
    ),
    spec("browser", "browser", FilterKind::Text, "exact browser"),
    spec("os", "os", FilterKind::Text, "exact operating system"),
    spec(
        "ipAddress",
        "ip",
        FilterKind::IpAddress,
        "exact user IP address",
    ),
    spec(
        "isLive",
        "live",
        FilterKind::TriState,
        "the conversation is live",
    ),
    spec("read", "read", FilterKind::TriState, "marked as read"),
    spec(
        "endedAt",
        "ended",
        FilterKind::Text,
        "exact end time, as the API spells it",
    ),
    spec(
        "instagramId",
        "ig-id",
        FilterKind::Text,
        "exact Instagram user id",
    ),
    spec(
        "instagramUsername",
        "ig",
        FilterKind::Text,
        "exact Instagram username",
    ),
];

/// Snake-case spellings (as flags and config files write names) of the camelCase wire names.
pub const CHATDASH_ALIASES: &[(&str, &str)] = &[
    ("start_date", "startDate"),
    ("end_date", "endDate"),
    ("id", "_id"),
    ("platform_id", "platformId"),
    ("country_code", "countryCode"),
    ("country", "countryCode"),
    ("ip_address", "ipAddress"),
    ("is_live", "isLive"),
    ("ended_at", "endedAt"),
    ("instagram_id", "instagramId"),
    ("instagram_username", "instagramUsername"),
];

/// An empty query over `ChatDash`'s filters.
#[must_use]
pub fn new_query() -> Query {
    Query::with_schema(CHATDASH_FILTERS, CHATDASH_ALIASES)
}

/// An instant as `ChatDash`'s dates are documented: `YYYY-MM-DDTHH:mm:ss.sssZ`.
#[must_use]
pub fn format_millis(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The query parameters to send: every set filter except the local search,
/// dates resolved at `now` in the documented millisecond form, booleans lowercase.
/// Unset `record`/`interacted` are left out, so the server's default applies.
#[must_use]
pub fn wire_params(query: &Query, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    server_part(query).to_params_with(now, format_millis)
}

/// The part of a query that decides what the server sends back: everything
/// but the local search. Two queries with the same key share one fetched array.
#[must_use]
pub fn server_part(query: &Query) -> Query {
    let mut part = query.clone();
    part.clear(LOCAL_SEARCH);
    part
}

/// The local search needle, lowercased, when one is set.
#[must_use]
pub fn search_needle(query: &Query) -> Option<String> {
    match query.get(LOCAL_SEARCH) {
        Some(FilterValue::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_lowercase()),
        _ => None,
    }
}

/// Whether a mapped row matches the local search: a case-insensitive
/// substring of its name, id, platform id, phone or summary.
#[must_use]
pub fn matches_search(conversation: &Conversation, needle: &str) -> bool {
    let extra = |key: &str| conversation.extra.get(key).and_then(|v| v.as_str());
    [
        conversation.name.as_deref(),
        conversation.conversation_id.as_deref(),
        extra("platformId"),
        extra("phone"),
        extra("summary"),
    ]
    .into_iter()
    .flatten()
    .any(|text| text.to_lowercase().contains(needle))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn search_stays_local_and_dates_carry_milliseconds() {
        let mut q = new_query();
        q.set_all([
            ("search", "Refund"),
            ("startDate", "2024-01-15"),
            ("record", "no"),
            ("country", "de"),
        ])
        .unwrap();
        let now = Utc.with_ymd_and_hms(2024, 1, 20, 12, 0, 0).unwrap();
        assert_eq!(
            wire_params(&q, now),
            vec![
                ("startDate", "2024-01-15T00:00:00.000Z".to_owned()),
                ("record", "false".to_owned()),
                ("countryCode", "de".to_owned()),
            ]
        );
        assert_eq!(search_needle(&q).as_deref(), Some("refund"));
        assert!(server_part(&q).get("search").is_none());
    }

    #[test]
    fn search_reads_name_id_platform_id_phone_and_summary() {
        let row: Conversation = serde_json::from_str(
            r#"{"conversation_id": "66aa", "name": "Ana", "platformId": "vf-123",
                "phone": "+4915100", "summary": "Asked about a REFUND"}"#,
        )
        .unwrap();
        for needle in ["ana", "66a", "vf-1", "+49151", "refund"] {
            assert!(matches_search(&row, needle), "{needle}");
        }
        assert!(!matches_search(&row, "zzz"));
    }
}
