//! Second-chance decoding of JSON that `serde_json` refuses but that still means something: nesting past its recursion limit, lone surrogate escapes, numbers beyond `f64`, raw control bytes in strings.
//!
//! One such value anywhere in a page would otherwise fail the whole page (or
//! conversation) with a decode error. The repair runs only after a decode has
//! failed, so the ordinary path costs nothing, and it keeps what it can:
//! a container nested deeper than [`MAX_DEPTH`] becomes a string holding its
//! JSON text (the Raw and Meta tabs show it), a lone UTF-16 surrogate escape
//! becomes U+FFFD, a number no `f64` can hold (or `NaN`, `Infinity`) becomes
//! a string of its text, a raw control byte inside a string is escaped, and
//! an unknown escape keeps its backslash as text. The scan is iterative, so
//! no input can exhaust the stack here.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

/// Containers nested deeper than this become strings. `serde_json` refuses
/// 128 levels; records use fewer than ten of their own, which leaves free-form
/// metadata about ninety.
pub const MAX_DEPTH: usize = 100;

/// Decodes `bytes`; when that fails, repairs the text (invalid UTF-8 becomes
/// U+FFFD) and tries once more.
///
/// # Errors
/// The first attempt's error, when the text cannot be repaired or the repaired
/// text does not decode either.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let first = match serde_json::from_slice(bytes) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let text = String::from_utf8_lossy(bytes);
    let repaired = match (repair(&text), text) {
        (Some(fixed), _) => fixed,
        (None, Cow::Owned(lossy)) => lossy,
        (None, Cow::Borrowed(_)) => return Err(first),
    };
    serde_json::from_str(&repaired).map_err(|_| first)
}

/// The repaired text, or `None` when nothing needed repairing.
#[must_use]
pub fn repair(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Repaired {
        text,
        out: String::new(),
        copied: 0,
        changed: false,
    };
    let mut depth = 0_usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string(&mut out, i),
            b'{' | b'[' if depth >= MAX_DEPTH => {
                let Some(end) = value_end(bytes, i) else {
                    // Unbalanced: the decoder will say what is wrong.
                    break;
                };
                let quoted = serde_json::to_string(&text[i..end]).unwrap_or_default();
                out.replace(i, end, &quoted);
                i = end;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'-' | b'+' | b'.' | b'0'..=b'9' | b'N' | b'I' => {
                let end = token_end(bytes, i);
                let token = &text[i..end];
                if is_unreadable_number(token) {
                    out.replace(i, end, &format!("\"{token}\""));
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out.finish()
}

/// The output, built lazily: nothing is copied until the first repair.
struct Repaired<'a> {
    text: &'a str,
    out: String,
    /// `text[copied..]` has not been copied to `out` yet.
    copied: usize,
    changed: bool,
}

impl Repaired<'_> {
    /// Puts `with` in place of `text[start..end]`.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        if !self.changed {
            self.changed = true;
            self.out.reserve(self.text.len() + 16);
        }
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(with);
        self.copied = end;
    }

    fn finish(mut self) -> Option<String> {
        if !self.changed {
            return None;
        }
        self.out.push_str(&self.text[self.copied..]);
        Some(self.out)
    }
}

/// Repairs the string starting at the quote at `start`; returns where it ends.
fn string(out: &mut Repaired<'_>, start: usize) -> usize {
    let bytes = out.text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\\' => i = escape(out, i),
            b if b < 0x20 => {
                out.replace(i, i + 1, &format!("\\u{b:04x}"));
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// Repairs the escape at the backslash at `at`; returns where it ends.
fn escape(out: &mut Repaired<'_>, at: usize) -> usize {
    let bytes = out.text.as_bytes();
    match bytes.get(at + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at + 2,
        Some(b'u') => match (code_unit(bytes, at), code_unit(bytes, at + 6)) {
            // A surrogate pair: one character.
            (Some(0xd800..=0xdbff), Some(0xdc00..=0xdfff)) => at + 12,
            // Half a pair: no character at all.
            (Some(0xd800..=0xdfff), _) => {
                out.replace(at, at + 6, "\\ufffd");
                at + 6
            }
            (Some(_), _) => at + 6,
            // `\u` without four hex digits.
            (None, _) => {
                out.replace(at, at + 1, "\\\\");
                at + 1
            }
        },
        // An unknown escape (or a backslash at the very end): the backslash is text.
        _ => {
            out.replace(at, at + 1, "\\\\");
            at + 1
        }
    }
}

/// The code unit of a `\uXXXX` escape at `at`, if there is one there.
fn code_unit(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// Where the container opening at `start` closes (just after it), strings honoured.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0_usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of a bare token (a number or a word) starting at `start`.
fn token_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .map_or(bytes.len(), |n| start + n)
}

/// A number `serde_json` reads but cannot hold (`1e400`), or a non-JSON one
/// some encoders write (`NaN`, `Infinity`).
fn is_unreadable_number(token: &str) -> bool {
    match token {
        "NaN" | "Infinity" | "-Infinity" | "+Infinity" => true,
        _ => {
            let digits = token.strip_prefix('-').unwrap_or(token);
            digits.starts_with(|c: char| c.is_ascii_digit())
                && token.parse::<f64>().is_ok_and(f64::is_infinite)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn nested(depth: usize) -> String {
        format!(
            "{{\"keep\": 1, \"deep\": {}\"bottom\"{}}}",
            "{\"a\": [".repeat(depth),
            "]}".repeat(depth)
        )
    }

    #[test]
    fn valid_json_needs_no_repair() {
        for text in [
            "{}",
            "[1, -2.5e10, \"a\\u00e9\\ud83d\\ude00\\n\", null, true]",
            &nested(40),
        ] {
            assert_eq!(repair(text), None, "{text}");
        }
    }

    #[test]
    fn too_deep_a_value_becomes_its_text() {
        let text = nested(1_000);
        assert!(serde_json::from_str::<Value>(&text).is_err());
        let value: Value = from_slice(text.as_bytes()).unwrap();
        assert_eq!(value["keep"], 1);
        let mut at = &value["deep"];
        let mut objects = 1;
        while let Some(next) = at["a"].get(0) {
            at = next;
            objects += 1;
        }
        // The root, then an object and an array a level: the array that
        // would open past MAX_DEPTH is kept as its text.
        assert_eq!(1 + objects * 2, MAX_DEPTH + 1);
        let rest = at["a"].as_str().unwrap();
        assert!(rest.starts_with("[{\"a\": [{\"a\": ["), "{rest:.40}");
        assert!(
            rest.contains("\"bottom\"") && rest.ends_with("]}]"),
            "{rest:.40}"
        );
    }

    #[test]
    fn lone_surrogates_numbers_and_raw_controls_are_mended() {
        let text = "{\"a\": \"x\\ud800y\", \"b\": \"\\udc00\", \"ok\": \"\\ud83d\\ude00\", \
                    \"big\": 1e400, \"neg\": -1e400, \"nan\": NaN, \"inf\": -Infinity, \
                    \"raw\": \"esc\u{1b}[2J\", \"bad\": \"\\q\\u12\"}";
        let value: Value = from_slice(text.as_bytes()).unwrap();
        assert_eq!(value["a"], "x\u{fffd}y");
        assert_eq!(value["b"], "\u{fffd}");
        assert_eq!(value["ok"], "😀");
        assert_eq!(value["big"], "1e400");
        assert_eq!(value["neg"], "-1e400");
        assert_eq!(value["nan"], "NaN");
        assert_eq!(value["inf"], "-Infinity");
        assert_eq!(value["raw"], "esc\u{1b}[2J");
        assert_eq!(value["bad"], "\\q\\u12");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_broken_json_stays_an_error() {
        let value: Value = from_slice(b"{\"a\": \"\xff\"}").unwrap();
        assert_eq!(value["a"], "\u{fffd}");
        let err = from_slice::<Value>(b"{\"a\": ").unwrap_err();
        assert!(err.is_eof(), "{err}");
        assert!(from_slice::<Value>(b"<html>oops</html>").is_err());
        let unbalanced = format!("{}1", "[".repeat(300));
        assert!(from_slice::<Value>(unbalanced.as_bytes()).is_err());
    }
}
