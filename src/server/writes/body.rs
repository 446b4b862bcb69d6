//! A write's JSON body read the way DRF's serializers read it: the object, its text, choice, key and list fields, and the refusals collected per field.

use axum::body::Bytes;
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::server::reply::{ApiError, REQUIRED};
pub(super) use crate::server::store::Sent;

/// The longest conversation name, ticket title or action name.
pub(super) const MAX_NAME_CHARS: usize = 255;

/// A JSON object body, or DRF's 400 for anything else (an empty body is an empty object).
pub(super) fn object_body(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::field(
            "non_field_errors",
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                json_type(&other)
            ),
        )),
        Err(e) => Err(ApiError::Detail(
            StatusCode::BAD_REQUEST,
            format!("JSON parse error - {e}"),
        )),
    }
}

/// The answer for a value found missing after [`Refusals::finish`] passed.
/// A missing required value is always refused first, so this is never sent;
/// it stands where an `unwrap` would otherwise be.
pub(super) fn refused_above() -> ApiError {
    ApiError::Detail(StatusCode::BAD_REQUEST, "Invalid request body.".to_owned())
}

/// Python's name for a JSON value's type, as DRF's messages give it.
pub(super) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// The refusals of one body, field by field, in the order found; all of them
/// are answered at once, as DRF validates every field before answering.
#[derive(Debug, Default)]
pub(super) struct Refusals(Vec<(String, String)>);

impl Refusals {
    pub(super) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    /// The value, or `None` with its refusal noted.
    pub(super) fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }

    /// 400 with every refusal, or `Ok` when there were none.
    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Fields(self.0))
        }
    }
}

/// A text field as DRF's `CharField` reads it: trimmed, numbers taken as text.
pub(super) fn text(body: &Map<String, Value>, name: &str) -> Result<Sent<String>, String> {
    match body.get(name) {
        None => Ok(Sent::Absent),
        Some(Value::Null) => Ok(Sent::Null),
        Some(Value::String(s)) => Ok(Sent::Value(s.trim().to_owned())),
        Some(Value::Number(n)) => Ok(Sent::Value(n.to_string())),
        Some(_) => Err("Not a valid string.".to_owned()),
    }
}

/// Text that may be left out or null (both `None`).
pub(super) fn optional_text(
    body: &Map<String, Value>,
    name: &str,
) -> Result<Option<String>, String> {
    Ok(text(body, name)?.into_option())
}

/// A name or title: present, not blank, at most 255 characters.
pub(super) fn required_name(body: &Map<String, Value>, name: &str) -> Result<String, String> {
    match text(body, name)? {
        Sent::Absent | Sent::Null => Err(REQUIRED.to_owned()),
        Sent::Value(s) => checked_name(s),
    }
}

/// Not blank, at most 255 characters.
pub(super) fn checked_name(s: String) -> Result<String, String> {
    if s.is_empty() {
        Err("This field may not be blank.".to_owned())
    } else if s.chars().count() > MAX_NAME_CHARS {
        Err(format!(
            "Ensure this field has no more than {MAX_NAME_CHARS} characters."
        ))
    } else {
        Ok(s)
    }
}

/// One of a fixed set, or DRF's "not a valid choice" (`None` when left out or null).
pub(super) fn choice(
    body: &Map<String, Value>,
    name: &str,
    choices: &[&'static str],
) -> Result<Option<&'static str>, String> {
    let Some(text) = optional_text(body, name)? else {
        return Ok(None);
    };
    choices
        .iter()
        .find(|c| **c == text)
        .map(|c| Some(*c))
        .ok_or_else(|| format!("\"{text}\" is not a valid choice."))
}

/// An integer primary key (a digit string is taken too, as DRF does).
pub(super) fn pk(body: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("Incorrect type. Expected pk value, received {n}.")),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| "Incorrect type. Expected pk value, received str.".to_owned()),
        Some(other) => Err(format!(
            "Incorrect type. Expected pk value, received {}.",
            json_type(other)
        )),
    }
}

/// DRF's refusal of a key that names nothing.
pub(super) fn no_such_pk(pk: i64) -> String {
    format!("Invalid pk \"{pk}\" - object does not exist.")
}

/// A boolean as DRF's `BooleanField` reads it.
pub(super) fn boolean(value: &Value) -> Result<bool, String> {
    const INVALID: &str = "Must be a valid boolean.";
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(INVALID.to_owned()),
        },
        Value::Number(n) => match n.as_i64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(INVALID.to_owned()),
        },
        _ => Err(INVALID.to_owned()),
    }
}

/// A list of strings (`None` when left out or null).
pub(super) fn string_list(
    body: &Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<String>>, String> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.trim().to_owned()),
                _ => Err("Not a valid string.".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!(
            "Expected a list of items but got type \"{}\".",
            json_type(other)
        )),
    }
}

/// A JSON object (the whole metadata document), or DRF's refusal.
pub(super) fn object(value: &Value) -> Result<Value, String> {
    match value {
        Value::Object(_) => Ok(value.clone()),
        other => Err(format!(
            "Expected a dictionary of items but got type \"{}\".",
            json_type(other)
        )),
    }
}
