//! What a metadata filter means: the value at a dotted key, a filter value typed as it looks, equality of typed values.

use serde_json::Value;

/// The value at a dotted key (`analysis.sentiment`), walking nested objects.
pub(super) fn metadata_at<'a>(metadata: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.')
        .try_fold(metadata, |value, part| value.as_object()?.get(part))
}

/// A filter value typed as it looks: `1` and `2.5` numbers, `true`/`false`
/// booleans, `null` null, a quoted `"1"` the string `1`, anything else the
/// text as typed. So `plan:1` matches the number 1 and not the string "1".
pub(super) fn typed_value(text: &str) -> Value {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Null | Value::String(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}

/// A scalar as a typed token (`s` text, `n` number, `b` boolean, `z` null),
/// so equal tokens mean equal values of the same type; numbers compare by
/// value (`1` and `1.0` are one number). Objects and arrays have none.
pub(super) fn metadata_token(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(format!("s{s}")),
        Value::Number(n) => Some(format!("n{}", canonical_number(n))),
        Value::Bool(b) => Some(format!("b{b}")),
        Value::Null => Some("z".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn canonical_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        // Whole floats print as integers so `1.0` and `1` agree.
        #[allow(clippy::cast_possible_truncation, clippy::float_cmp)]
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).to_string(),
        Some(f) => f.to_string(),
        None => n.to_string(),
    }
}

/// Whether a stored value equals a typed filter value.
pub(super) fn same_typed(stored: &Value, wanted: &Value) -> bool {
    match (metadata_token(stored), metadata_token(wanted)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}
