//! The read routes beside the conversation list: single messages, feedback, tickets, actions, token usage, spans and traces.
//!
//! Every list route checks its query against its own schema before anything
//! is sent (the service would ignore an unknown filter and silently return
//! more rows), sends `page` and `page_size`, and reads any envelope shape.
//! Detail routes insist on a JSON object, so an array or a bare value from a
//! misrouted request is an error rather than an empty record.

use std::fmt::Write as _;

use chrono::Utc;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::AgentSight;
use crate::provider::lenient::WireRecord;
use crate::provider::model::{
    Action, ActionLog, Feedback, Listing, Message, Span, Ticket, TicketComment, TraceTree,
    UsageSummary, WireList, nest_spans,
};
use crate::provider::{Currency, Error, Plane, Query, UsageGrouping};

/// The service clamps larger pages to this without a word; asking for no
/// more keeps the page arithmetic true when the envelope omits `page_size`.
pub(super) const MAX_PAGE_SIZE: u32 = 100;

/// The most pages of flat spans read to rebuild one trace (10,000 spans).
const MAX_TRACE_PAGES: u32 = 100;

/// The longest trace id accepted (W3C ids are 32 hex digits; some tracers use 16).
const MAX_TRACE_ID_LEN: usize = 64;

/// A list route's path.
fn list_path(plane: Plane) -> &'static str {
    match plane {
        Plane::Conversations => super::LIST_PATH,
        Plane::Feedbacks => "/api/feedbacks/",
        Plane::Tickets => "/api/tickets/",
        Plane::Actions => "/api/actions/",
        Plane::Usage => "/api/token-usage/",
        Plane::Spans => "/api/spans/",
    }
}

impl AgentSight {
    /// The query parameters for one list route, or the local refusal.
    fn plane_params(query: &Query, plane: Plane) -> Result<Vec<(&'static str, String)>, Error> {
        query.check_plane(plane)?;
        Ok(query.to_params(Utc::now()))
    }

    /// One page of a list route, its filters checked first.
    pub(super) async fn plane_page<T: WireRecord + DeserializeOwned>(
        &self,
        plane: Plane,
        query: &Query,
        page: u32,
        page_size: u32,
        extra: &[(&'static str, String)],
    ) -> Result<Listing<T>, Error> {
        let params = Self::plane_params(query, plane)?;
        self.page_at(list_path(plane), params, page, page_size, extra)
            .await
    }

    /// One page of any paginated path.
    async fn page_at<T: WireRecord + DeserializeOwned>(
        &self,
        path: &str,
        mut params: Vec<(&'static str, String)>,
        page: u32,
        page_size: u32,
        extra: &[(&'static str, String)],
    ) -> Result<Listing<T>, Error> {
        let page = page.max(1);
        let page_size = page_size.clamp(1, MAX_PAGE_SIZE);
        params.extend(extra.iter().cloned());
        params.push(("page", page.to_string()));
        params.push(("page_size", page_size.to_string()));
        let what = format!("{path} page {page} at {}", self.endpoint());
        let wire: WireList<T> = self.get(path, &params, &what).await?;
        Ok(Listing::from_wire(wire, page, page_size))
    }

    /// One record from a detail route; anything but a JSON object is refused.
    async fn record<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
        what: &str,
    ) -> Result<T, Error> {
        let value: Value = self.get(path, params, what).await?;
        if !value.is_object() {
            return Err(Error::Decode {
                detail: format!(
                    "{what}: expected a JSON object from {path}, got {}",
                    json_kind(&value)
                ),
            });
        }
        serde_json::from_value(value).map_err(|e| Error::Decode {
            detail: format!("{what}: {e}"),
        })
    }

    pub(super) async fn get_message(&self, pk: i64) -> Result<Message, Error> {
        let pk = positive(pk, "message")?;
        self.record(&format!("/api/track/{pk}/"), &[], &format!("message {pk}"))
            .await
    }

    pub(super) async fn get_feedback(&self, id: i64) -> Result<Feedback, Error> {
        let id = positive(id, "feedback")?;
        self.record(
            &format!("/api/feedbacks/{id}/"),
            &[],
            &format!("feedback {id}"),
        )
        .await
    }

    pub(super) async fn get_ticket(&self, id: i64) -> Result<Ticket, Error> {
        let id = positive(id, "ticket")?;
        self.record(&format!("/api/tickets/{id}/"), &[], &format!("ticket {id}"))
            .await
    }

    pub(super) async fn get_ticket_comments(
        &self,
        id: i64,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<TicketComment>, Error> {
        let id = positive(id, "ticket")?;
        let path = format!("/api/tickets/{id}/comments/");
        let listed = self.page_at(&path, Vec::new(), page, page_size, &[]).await;
        // On the first page a 404 can only mean the ticket; later, the page.
        if page <= 1 {
            listed.map_err(|e| rename_not_found(e, &format!("ticket {id}")))
        } else {
            listed
        }
    }

    pub(super) async fn get_action(&self, id: i64) -> Result<Action, Error> {
        let id = positive(id, "action")?;
        self.record(&format!("/api/actions/{id}/"), &[], &format!("action {id}"))
            .await
    }

    /// The route answers a bare array; an envelope's `results` are taken as
    /// well, anything else is refused.
    pub(super) async fn get_action_logs(&self, id: i64) -> Result<Vec<ActionLog>, Error> {
        let id = positive(id, "action")?;
        let path = format!("/api/actions/{id}/logs/");
        let what = format!("action {id}");
        let value: Value = self.get(&path, &[], &what).await?;
        let rows = match value {
            Value::Array(rows) => rows,
            Value::Object(mut map) => match map.remove("results") {
                Some(Value::Array(rows)) => rows,
                _ => {
                    return Err(Error::Decode {
                        detail: format!(
                            "logs of {what}: expected a JSON array from {path}, got an object"
                        ),
                    });
                }
            },
            other => {
                return Err(Error::Decode {
                    detail: format!(
                        "logs of {what}: expected a JSON array from {path}, got {}",
                        json_kind(&other)
                    ),
                });
            }
        };
        serde_json::from_value(Value::Array(rows)).map_err(|e| Error::Decode {
            detail: format!("logs of {what}: {e}"),
        })
    }

    pub(super) async fn get_usage_summary(
        &self,
        query: &Query,
        group_by: UsageGrouping,
        currency: Currency,
    ) -> Result<UsageSummary, Error> {
        let mut params = Self::plane_params(query, Plane::Usage)?;
        params.push(("group_by", group_by.as_str().to_owned()));
        params.push(("currency", currency.as_str().to_owned()));
        self.record("/api/token-usage/summary/", &params, "the usage summary")
            .await
    }

    pub(super) async fn list_spans(
        &self,
        query: &Query,
        page: u32,
        page_size: u32,
    ) -> Result<Listing<Span>, Error> {
        // Rows never need the verbatim span; asking keeps a page small.
        let extra = [("payload", "false".to_owned())];
        self.plane_page(Plane::Spans, query, page, page_size, &extra)
            .await
    }

    pub(super) async fn get_span(&self, id: i64, payload: bool) -> Result<Span, Error> {
        let id = positive(id, "span")?;
        self.record(
            &format!("/api/spans/{id}/"),
            &[("payload", payload.to_string())],
            &format!("span {id}"),
        )
        .await
    }

    /// The tree as the server nests it. When fewer nodes were read than the
    /// server counted (a tree nested deeper than a JSON reader will follow
    /// is cut there), the trace's flat rows are paged instead and nested
    /// here, which keeps every span however deep.
    pub(super) async fn get_trace(&self, trace_id: &str) -> Result<TraceTree, Error> {
        let trace_id = check_trace_id(trace_id)?;
        let path = format!("/api/traces/{}/", escape_segment(trace_id));
        let mut tree: TraceTree = self
            .record(&path, &[], &format!("trace {trace_id}"))
            .await?;
        let counted = tree
            .span_count
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        if tree.truncated != Some(true) && counted > tree.node_count() {
            let rows = self.trace_rows(trace_id).await?;
            if rows.len() > tree.node_count() {
                tree.roots = Some(nest_spans(rows));
            }
        }
        Ok(tree)
    }

    /// Every span of a trace, flat, a page at a time up to a ceiling.
    async fn trace_rows(&self, trace_id: &str) -> Result<Vec<Span>, Error> {
        let mut query = Query::for_plane(Plane::Spans);
        query.set("trace_id", trace_id)?;
        let mut rows = Vec::new();
        for page in 1..=MAX_TRACE_PAGES {
            let listed = self.list_spans(&query, page, MAX_PAGE_SIZE).await?;
            let more = listed.has_next();
            rows.extend(listed.items);
            if !more {
                break;
            }
        }
        Ok(rows)
    }
}

/// A record id as the routes take it: a positive integer.
fn positive(id: i64, what: &str) -> Result<i64, Error> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::InvalidInput(format!(
            "{id} is not a {what} id: ids are positive integers (like 42)"
        )))
    }
}

/// A trace id is hex, 1 to 64 digits; anything else would only 404 (or
/// reach another route), so it is refused before sending, saying why.
fn check_trace_id(text: &str) -> Result<&str, Error> {
    let id = text.trim();
    let shown: String = id.chars().take(80).filter(|c| !c.is_control()).collect();
    if id.is_empty() {
        return Err(Error::InvalidInput(
            "a trace id is needed (32 hex digits, from a span's trace_id)".to_owned(),
        ));
    }
    if id.len() > MAX_TRACE_ID_LEN || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::InvalidInput(format!(
            "\"{shown}\" is not a trace id: a trace id is 1 to {MAX_TRACE_ID_LEN} hex digits \
             (like 4bf92f3577b34da6a3ce929d0e0e4736, a span's trace_id)"
        )));
    }
    Ok(id)
}

/// Percent-encodes everything but unreserved characters, so a path segment
/// can never add a segment, a query or a fragment.
fn escape_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A 404 on a sub-route means its parent is missing: say so by the parent's name.
fn rename_not_found(error: Error, parent: &str) -> Error {
    match error {
        Error::NotFound { detail, .. } => Error::NotFound {
            what: parent.to_owned(),
            detail,
        },
        other => other,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_are_hex_of_a_sane_length() {
        assert_eq!(
            check_trace_id(" 4bf92f3577b34da6a3ce929d0e0e4736 ").unwrap(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        for bad in ["", "  ", "../../me", "xyz", &"a".repeat(65), "ab cd"] {
            let err = check_trace_id(bad).unwrap_err().to_string();
            assert!(err.contains("trace id"), "{bad}: {err}");
        }
    }

    #[test]
    fn segments_escape_everything_but_unreserved() {
        assert_eq!(escape_segment("abc-1_2.3~"), "abc-1_2.3~");
        assert_eq!(escape_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(escape_segment("é"), "%C3%A9");
    }

    #[test]
    fn ids_must_be_positive() {
        assert_eq!(positive(7, "ticket").unwrap(), 7);
        let err = positive(0, "ticket").unwrap_err().to_string();
        assert!(err.contains("not a ticket id"), "{err}");
    }
}
