//! From a failed answer to an [`Error`]: the status decides the kind, the body gives the server's own words, made safe for one terminal line.
//!
//! Everything here is pure so that each rule can be tested without a server;
//! the transport only gathers the status, the content type and the body.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::provider::Error;

/// How much of a plain-text body becomes the detail.
const TEXT_DETAIL_CHARS: usize = 500;
/// How much of an HTML page's text becomes the detail.
const HTML_DETAIL_CHARS: usize = 200;
/// How much of an unreadable 2xx body is quoted.
const SNIPPET_CHARS: usize = 80;
/// How much of an unreadable 2xx body is looked at for its quote or its
/// HTML title: as much as an error body is read, however large the answer.
const QUOTED_BODY_BYTES: usize = 64 * 1024;
/// How much of an HTML page's text is kept before its entities are decoded:
/// room for the detail, however long the page.
const HTML_TEXT_CHARS: usize = 4 * HTML_DETAIL_CHARS;

/// The error for a non-2xx status. Classification is by status alone: the
/// backend often raises `ValidationError({"detail": …})`, so a `detail` key
/// says nothing about the kind. `what` names the thing a 404 did not find.
#[must_use]
pub fn classify(status: u16, detail: String, retry_after: Option<Duration>, what: &str) -> Error {
    match status {
        400 => Error::BadRequest { detail },
        // The one 401 that a new key will not fix.
        401 if detail.to_lowercase().contains("subscription") => {
            Error::SubscriptionInactive { detail }
        }
        401 => Error::Unauthorized { detail },
        403 => Error::Forbidden { detail },
        404 => Error::NotFound {
            what: what.to_owned(),
            detail,
        },
        429 => Error::Throttled {
            detail,
            retry_after,
        },
        500..=599 => Error::Server { status, detail },
        _ => Error::UnexpectedStatus { status, detail },
    }
}

/// The server's own words in an error body, already one safe line: `detail`,
/// else `error`, else the field map joined (`field: msg, msg; other: msg`),
/// else a bare array joined, else the page title or text of an HTML page,
/// else the start of the raw text.
#[must_use]
pub fn extract_detail(content_type: Option<&str>, body: &[u8]) -> String {
    let detail = match serde_json::from_slice::<Value>(body) {
        Ok(value) => json_detail(&value),
        Err(_) => None,
    };
    let detail = detail.unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        if looks_like_html(content_type, &text) {
            html_text(&text)
        } else {
            one_line_cut(&text, TEXT_DETAIL_CHARS)
        }
    });
    // A JSON detail can be as long as the body: cut, then made safe.
    let detail = one_line_cut(&detail, TEXT_DETAIL_CHARS);
    if detail.is_empty() {
        "no detail".to_owned()
    } else {
        detail
    }
}

fn json_detail(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => ["detail", "error"]
            .iter()
            .find_map(|key| match map.get(*key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            })
            .or_else(|| join_fields(map)),
        Value::Array(items) if !items.is_empty() => {
            Some(items.iter().map(value_text).collect::<Vec<_>>().join("; "))
        }
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// A serializer's field map, `{"page_size": ["must be ≤ 100"]}`, as one line.
fn join_fields(map: &Map<String, Value>) -> Option<String> {
    let parts: Vec<String> = map
        .iter()
        // The official client skips `details`: it repeats the others in a longer form.
        .filter(|(field, _)| field.as_str() != "details")
        .map(|(field, errors)| match errors {
            Value::Array(items) => {
                let messages: Vec<String> = items.iter().map(value_text).collect();
                format!("{field}: {}", messages.join(", "))
            }
            other => format!("{field}: {}", value_text(other)),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn looks_like_html(content_type: Option<&str>, text: &str) -> bool {
    if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let start: String = text.trim_start().chars().take(64).collect();
    let start = start.to_ascii_lowercase();
    start.starts_with("<!doctype") || start.starts_with("<html") || start.starts_with("<head")
}

/// An HTML page's `<title>`, or its visible text, at most 200 characters.
fn html_text(html: &str) -> String {
    let text = match title(html) {
        Some(title) => title,
        None => strip_tags(html),
    };
    // Cut before decoding, so a page of entities costs no more than its detail.
    let text = squeeze(&text, HTML_TEXT_CHARS);
    one_line_cut(&decode_entities(&text), HTML_DETAIL_CHARS)
}

fn title(html: &str) -> Option<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = html[start..end].trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// The text of an HTML page: tags dropped, script and style bodies dropped.
/// Linear in the page: each byte is searched once, and a closing tag found
/// missing is never looked for again (a page of unclosed `<script>` tags
/// would otherwise be searched to its end once per tag).
fn strip_tags(html: &str) -> String {
    const SKIPPED: [&str; 2] = ["script", "style"];
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len().min(4096));
    let mut pos = 0;
    let mut unclosed = [false; SKIPPED.len()];
    while let Some(rel) = lower[pos..].find('<') {
        let open = pos + rel;
        out.push_str(&html[pos..open]);
        out.push(' ');
        let skip_to = SKIPPED
            .iter()
            .position(|name| lower[open + 1..].starts_with(name))
            .filter(|&which| !unclosed[which])
            .and_then(|which| {
                let close = format!("</{}", SKIPPED[which]);
                let found = lower[open..].find(&close).map(|at| open + at);
                unclosed[which] = found.is_none();
                found
            })
            .unwrap_or(open);
        if let Some(end) = lower[skip_to..].find('>') {
            pos = skip_to + end + 1;
        } else {
            pos = html.len();
            break;
        }
    }
    out.push_str(&html[pos..]);
    out
}

/// The entities error pages actually use; others are left as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Only the next few bytes can end an entity: a search to the end of
        // the text for each `&` would make a page of them quadratic.
        let near = &rest.as_bytes()[..rest.len().min(11)];
        let decoded = near.iter().position(|b| *b == b';').and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Text from the server made fit for one terminal line: whitespace runs
/// (newlines included) become one space, and control or invisible formatting
/// characters become visible `\u{…}` escapes, so a body can never move the
/// cursor, recolour the screen or reorder the text.
#[must_use]
pub fn one_line(text: &str) -> String {
    escape_controls(&squeeze(text, usize::MAX))
}

/// [`one_line`] of at most `max` characters of `text` and an ellipsis if it
/// was longer. The cut comes before the escaping, which grows a control
/// character eightfold: a body of NUL bytes costs its cut, not eight times itself.
#[must_use]
pub fn one_line_cut(text: &str, max: usize) -> String {
    escape_controls(&squeeze(text, max))
}

/// At most `max` characters of `text`, whitespace runs (newlines included)
/// as one space and none at either end, with `…` if it was cut.
fn squeeze(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut kept = 0;
    let mut space_pending = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space_pending = !out.is_empty();
            continue;
        }
        if kept + usize::from(space_pending) >= max {
            out.push('…');
            return out;
        }
        if space_pending {
            out.push(' ');
            kept += 1;
            space_pending = false;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// Control and invisible formatting characters as visible `\u{…}` escapes.
fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible_format(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidirectional overrides and zero-width characters, which can disguise text.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// The error for a 2xx answer whose body is not the JSON expected: says what
/// came instead (an HTML page, a body cut short, something else) with its
/// content type and a safe quote of its start.
#[must_use]
pub fn decode_error(content_type: Option<&str>, body: &[u8], cause: &serde_json::Error) -> Error {
    let kind = content_type.map_or_else(
        || "no content type".to_owned(),
        |ct| one_line_cut(ct, SNIPPET_CHARS),
    );
    // Only the start is quoted or searched for a title: the body may be as
    // large as the route's ceiling.
    let text = String::from_utf8_lossy(&body[..body.len().min(QUOTED_BODY_BYTES)]);
    let detail = if body.iter().all(u8::is_ascii_whitespace) {
        format!("the body is empty ({kind}), not JSON")
    } else if looks_like_html(content_type, &text) {
        // Almost always an endpoint that is a web page (the dashboard, a
        // proxy's sign-in) rather than the API.
        format!(
            "it is an HTML page, not JSON ({kind}, {} bytes): \"{}\"; check that the endpoint is the API, not the web dashboard",
            body.len(),
            one_line_cut(&html_text(&text), SNIPPET_CHARS)
        )
    } else {
        let why = if cause.is_eof() {
            "the JSON ends early (cut short?)".to_owned()
        } else {
            format!("it is not valid JSON ({cause})")
        };
        format!(
            "{why} ({kind}, {} bytes, starting \"{}\")",
            body.len(),
            one_line_cut(&text, SNIPPET_CHARS)
        )
    };
    Error::Decode { detail }
}

/// The error for a request that got no usable answer: a timeout, a connection
/// that could not be made (refused, DNS, TLS), or one that broke mid-body.
#[must_use]
pub fn transport_error(err: &reqwest::Error, host: &str, timeout: Duration) -> Error {
    let host = host.to_owned();
    if let Some(refusal) = super::redirect::refusal_in(err) {
        return Error::Redirect(refusal.to_string());
    }
    if err.is_timeout() {
        Error::Timeout {
            host,
            after: timeout,
        }
    } else if err.is_connect() {
        Error::Connect {
            host,
            detail: explain_connect(root_cause(err)),
        }
    } else {
        // `is_body`, `is_decode` (a broken gzip stream), a connection closed
        // before the answer: the request may have been fine, the wire was not.
        Error::Network {
            host,
            detail: root_cause(err),
        }
    }
}

/// A connect failure's cause, with what it means put first where the network
/// stack's words name an internal type rather than a problem
/// (`invalid peer certificate: UnknownIssuer`).
fn explain_connect(cause: String) -> String {
    let lower = cause.to_ascii_lowercase();
    if lower.contains("certificate") {
        format!(
            "{} ({cause})",
            crate::provider::error::UNTRUSTED_CERTIFICATE
        )
    } else if lower.contains("failed to lookup address") {
        format!("the host name could not be looked up ({cause})")
    } else {
        cause
    }
}

/// The innermost cause, which is the one a person can act on
/// ("Connection refused", "failed to lookup address information: …").
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost: &dyn std::error::Error = err;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = one_line(&innermost.to_string());
    if text.is_empty() {
        one_line(&err.to_string())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(body: &str) -> String {
        extract_detail(Some("application/json"), body.as_bytes())
    }

    #[test]
    fn status_decides_the_kind() {
        let d = || "words".to_owned();
        assert!(matches!(
            classify(400, d(), None, "x"),
            Error::BadRequest { .. }
        ));
        assert!(matches!(
            classify(401, d(), None, "x"),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            classify(401, "Your SUBSCRIPTION is inactive".into(), None, "x"),
            Error::SubscriptionInactive { .. }
        ));
        assert!(matches!(
            classify(403, d(), None, "x"),
            Error::Forbidden { .. }
        ));
        assert_eq!(
            classify(404, d(), None, "conversation 7"),
            Error::NotFound {
                what: "conversation 7".into(),
                detail: d()
            }
        );
        let wait = Some(Duration::from_secs(3));
        assert_eq!(
            classify(429, d(), wait, "x"),
            Error::Throttled {
                detail: d(),
                retry_after: wait
            }
        );
        assert!(matches!(
            classify(503, d(), None, "x"),
            Error::Server { status: 503, .. }
        ));
        assert!(matches!(
            classify(405, d(), None, "x"),
            Error::UnexpectedStatus { status: 405, .. }
        ));
        assert!(matches!(
            classify(302, d(), None, "x"),
            Error::UnexpectedStatus { status: 302, .. }
        ));
    }

    #[test]
    fn detail_prefers_detail_then_error_then_fields() {
        assert_eq!(detail(r#"{"error": "e", "detail": "d"}"#), "d");
        assert_eq!(detail(r#"{"detail": "", "error": "e"}"#), "e");
        assert_eq!(
            detail(r#"{"page_size": ["too big", "not a number"], "env": "bad", "details": "x"}"#),
            "page_size: too big, not a number; env: bad"
        );
        assert_eq!(detail(r#"["one", "two"]"#), "one; two");
        assert_eq!(
            detail(r#"{"metadata": {"k": ["bad"]}}"#),
            r#"metadata: {"k":["bad"]}"#
        );
        assert_eq!(detail("{}"), "{}");
        assert_eq!(detail(""), "no detail");
        assert_eq!(detail("   "), "no detail");
    }

    #[test]
    fn raw_text_is_cut_at_500_characters() {
        let long = "é".repeat(700);
        let got = extract_detail(Some("text/plain"), long.as_bytes());
        assert_eq!(got.chars().count(), 501, "500 and an ellipsis");
        assert!(got.ends_with('…'));
    }

    #[test]
    fn html_pages_give_their_title_or_their_text() {
        let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway &amp; more</title>\
                    <style>body{color:red}</style></head><body><h1>Oops</h1></body></html>";
        assert_eq!(
            extract_detail(Some("text/html"), page.as_bytes()),
            "502 Bad Gateway & more"
        );
        let untitled = "<html><script>var x = '<b>';</script><body><h1>Bad\n\n gateway</h1>\
                        <p>try later</p></body></html>";
        assert_eq!(
            extract_detail(None, untitled.as_bytes()),
            "Bad gateway try later"
        );
        let long = format!("<html><body>{}</body></html>", "word ".repeat(100));
        let got = extract_detail(Some("text/html; charset=utf-8"), long.as_bytes());
        assert!(got.chars().count() <= 201 && !got.contains('<'), "{got}");
    }

    #[test]
    fn control_characters_never_reach_the_line() {
        let got = detail("{\"detail\": \"bad \\u001b[31mred\\u001b[0m\\r\\nnext\\u202e\"}");
        assert_eq!(got, "bad \\u{1b}[31mred\\u{1b}[0m next\\u{202e}");
        assert!(!got.chars().any(char::is_control));
        let raw = extract_detail(Some("text/plain"), b"\x1b]0;title\x07 \xff body");
        assert!(!raw.chars().any(char::is_control), "{raw}");
    }

    #[test]
    fn certificate_and_name_failures_say_what_they_mean() {
        let tls = explain_connect("invalid peer certificate: UnknownIssuer".to_owned());
        assert_eq!(
            tls,
            "the server's TLS certificate is not trusted (invalid peer certificate: UnknownIssuer)"
        );
        let dns = explain_connect(
            "failed to lookup address information: Name or service not known".to_owned(),
        );
        assert!(
            dns.starts_with("the host name could not be looked up (failed to lookup"),
            "{dns}"
        );
        let refused = "Connection refused (os error 111)".to_owned();
        assert_eq!(explain_connect(refused.clone()), refused);
        // The same certificate comes back on every try; a refused port may open.
        let connect = |detail: String| Error::Connect {
            host: "h".to_owned(),
            detail,
        };
        assert!(!connect(tls).is_retryable());
        assert!(connect(refused).is_retryable());
        assert!(connect(dns).is_retryable());
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &#65;&#x42; &copy; & x"),
            "a <b> AB &copy; & x"
        );
    }

    #[test]
    fn a_detail_of_control_characters_is_cut_before_it_is_escaped() {
        let nuls = r"\u0000".repeat(60_000);
        let got = detail(&format!(r#"{{"detail": "{nuls}"}}"#));
        assert_eq!(got.matches("\\u{0}").count(), TEXT_DETAIL_CHARS, "{got}");
        assert!(got.ends_with('…'));
        let body = vec![0_u8; 4 * 1024 * 1024];
        let cause = serde_json::from_slice::<Value>(&body).unwrap_err();
        let text = decode_error(None, &body, &cause).to_string();
        assert!(
            text.contains("4194304 bytes") && text.matches("\\u{0}").count() == SNIPPET_CHARS,
            "{text}"
        );
    }

    #[test]
    fn stripping_tags_is_linear_in_the_page() {
        // Measured in a debug build: a few milliseconds each; before, minutes.
        for unit in ["<script>", "<style>", "<<<<", "<scr", "&&&&", "&#1234567"] {
            let page = unit.repeat(4 * 1024 * 1024 / unit.len());
            let started = std::time::Instant::now();
            let text = strip_tags(&page);
            let decoded = decode_entities(&text);
            let took = started.elapsed();
            assert!(
                took < Duration::from_secs(2),
                "{unit}: {took:?} for {} bytes",
                page.len()
            );
            assert!(decoded.len() <= page.len() * 2);
        }
    }

    #[test]
    fn decode_errors_say_what_came_instead() {
        let cause = |body: &str| serde_json::from_str::<Value>(body).unwrap_err();
        let html = "<html><head><title>Sign in</title></head></html>";
        let err = decode_error(Some("text/html"), html.as_bytes(), &cause(html));
        let text = err.to_string();
        assert!(
            text.contains("HTML page") && text.contains("Sign in") && text.contains("text/html"),
            "{text}"
        );
        let cut = r#"{"count": 3, "results": [{"id": 1"#;
        let text = decode_error(Some("application/json"), cut.as_bytes(), &cause(cut)).to_string();
        assert!(
            text.contains("ends early") && text.contains("\"count\""),
            "{text}"
        );
        let junk = "nope\u{1b}[2J";
        let text = decode_error(None, junk.as_bytes(), &cause(junk)).to_string();
        assert!(
            text.contains("not valid JSON") && text.contains("no content type"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'));
        let text = decode_error(None, b"", &cause("")).to_string();
        assert!(text.contains("empty"), "{text}");
    }
}
