//! An answer's body read within ceilings — inflated bytes while it streams, list lengths once it is whole — so no server can make convo hold more than a route needs.
//!
//! reqwest undoes `Content-Encoding: gzip` before a chunk reaches us, so the
//! bytes counted are the inflated ones: a small gzip that would inflate to
//! gigabytes stops at the ceiling. A body can be small and still cost a lot
//! once decoded (a page of millions of `{}` rows becomes millions of
//! records), so the lists directly in it are counted, without decoding, before
//! anything is built from it.

use reqwest::Response;

use crate::provider::Error;

/// One mebibyte, the unit ceilings are stated in.
pub const MIB: usize = 1024 * 1024;

/// How much of one answer convo will hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ceiling {
    /// Inflated bytes of the body.
    pub bytes: usize,
    /// Elements of any list directly in the answer: the answer itself when it
    /// is an array, else any member of the answer object (a page's `results`,
    /// a conversation's `messages`).
    pub rows: usize,
    /// What the route reads, for the message ("a page").
    pub what: &'static str,
}

/// Why a body was not read whole.
#[derive(Debug)]
pub enum Unread {
    /// The connection failed or timed out mid-body.
    Wire(reqwest::Error),
    /// The body passed its ceiling; the error says which.
    Refused(Error),
}

/// The whole body, or a refusal as soon as it passes `ceiling.bytes` (before
/// any of it is read when `Content-Length` already says so).
pub async fn read_within(mut response: Response, ceiling: Ceiling) -> Result<Vec<u8>, Unread> {
    let too_large = || Unread::Refused(too_large(ceiling));
    let announced = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    if announced.is_some_and(|n| n > ceiling.bytes) {
        return Err(too_large());
    }
    // Reserving what the server announces (within the ceiling) saves the
    // doublings; without an announcement, growth is left to the vector.
    let mut body = Vec::with_capacity(announced.unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Unread::Wire)? {
        if chunk.len() > ceiling.bytes - body.len() {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Up to `limit` bytes of a body, and whatever arrived if it breaks off: for
/// an error page, whose status already says what kind of failure it is.
pub async fn read_prefix(mut response: Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    body
}

/// Refuses a body whose longest direct list is longer than `ceiling.rows`.
///
/// # Errors
/// [`Error::Decode`] naming the ceiling.
pub fn check_rows(body: &[u8], ceiling: Ceiling) -> Result<(), Error> {
    if longest_direct_list(body, ceiling.rows) > ceiling.rows {
        return Err(Error::Decode {
            detail: format!(
                "it holds a list of more than {} items, the most convo reads for {}",
                thousands(ceiling.rows),
                ceiling.what
            ),
        });
    }
    Ok(())
}

fn too_large(ceiling: Ceiling) -> Error {
    Error::Decode {
        detail: format!(
            "it is larger than {} MiB, the most convo reads for {}; check that the endpoint is the API",
            ceiling.bytes / MIB,
            ceiling.what
        ),
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The length of the longest array at depth 1 or 2 of a JSON text (the text
/// itself, or a member of the top object or array), counting no further
/// than just past `stop`. One pass, no allocation, whatever the input: broken
/// JSON gives some count and the decoder then says what is wrong.
#[must_use]
pub fn longest_direct_list(body: &[u8], stop: usize) -> usize {
    // Per depth 1 and 2 (index 0 unused): whether the container there is an
    // array, whether it has no element yet, and its elements so far.
    let mut is_array = [false; 3];
    let mut fresh = [false; 3];
    let mut counts = [0_usize; 3];
    let mut longest = 0;
    let mut depth = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        }
        if (1..=2).contains(&depth) && is_array[depth] {
            // A comma starts another element; any other first byte starts the first.
            match byte {
                b',' => counts[depth] += 1,
                b']' => {}
                _ if fresh[depth] => {
                    counts[depth] += 1;
                    fresh[depth] = false;
                }
                _ => {}
            }
            longest = longest.max(counts[depth]);
            if longest > stop {
                return longest;
            }
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth <= 2 {
                    is_array[depth] = byte == b'[';
                    fresh[depth] = true;
                    counts[depth] = 0;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_lists_are_counted_and_nothing_deeper() {
        let count = |text: &str| longest_direct_list(text.as_bytes(), usize::MAX);
        assert_eq!(count("[]"), 0);
        assert_eq!(count("[ ]"), 0);
        assert_eq!(count("[1]"), 1);
        assert_eq!(count(r#"[1, "a,b]", {"x": [1,2,3,4,5]}, [6,7]]"#), 4);
        assert_eq!(
            count(r#"{"count": 3, "results": [{}, {}, {}], "next": null}"#),
            3
        );
        assert_eq!(count(r#"{"a": [1], "b": [1, 2]}"#), 2);
        assert_eq!(count(r#"{"a": {"deep": [1, 2, 3]}}"#), 0);
        assert_eq!(count(r#"["\"]", "\\", 3]"#), 3);
        assert_eq!(count(r#"{"n": 5}"#), 0);
        assert_eq!(count(""), 0);
    }

    #[test]
    fn counting_stops_just_past_the_ceiling() {
        let rows = format!("[{}{{}}]", "{},".repeat(1_000_000));
        assert_eq!(longest_direct_list(rows.as_bytes(), 100), 101);
    }

    #[test]
    fn a_page_of_too_many_rows_is_refused_and_one_at_the_ceiling_is_not() {
        let ceiling = Ceiling {
            bytes: MIB,
            rows: 100,
            what: "a page",
        };
        let page = |n: usize| {
            let rows = vec!["{}"; n].join(",");
            format!(r#"{{"count": {n}, "results": [{rows}]}}"#)
        };
        assert_eq!(check_rows(page(100).as_bytes(), ceiling), Ok(()));
        let err = check_rows(page(101).as_bytes(), ceiling)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "the server's answer could not be read: it holds a list of more than 100 items, the most convo reads for a page"
        );
    }

    #[test]
    fn large_numbers_read_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(500_000), "500,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
