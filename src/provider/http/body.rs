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
    /// Array elements and object members at any depth: each can become a
    /// value in memory many times its size on the wire (`0,` is two bytes,
    /// a decoded number tens), so their number is held as well as the bytes.
    pub items: usize,
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

/// Refuses a body whose longest direct list is longer than `ceiling.rows`,
/// or that holds more than `ceiling.items` items in all.
///
/// # Errors
/// [`Error::Decode`] naming the ceiling.
pub fn check_rows(body: &[u8], ceiling: Ceiling) -> Result<(), Error> {
    let shape = shape(body, ceiling);
    let refuse = |what: String| {
        Err(Error::Decode {
            detail: format!("{what}, the most convo reads for {}", ceiling.what),
        })
    };
    if shape.longest_direct_list > ceiling.rows {
        return refuse(format!(
            "it holds a list of more than {} items",
            thousands(ceiling.rows)
        ));
    }
    if shape.items > ceiling.items {
        return refuse(format!(
            "it holds more than {} values in all",
            thousands(ceiling.items)
        ));
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

/// What [`shape`] counts of a JSON text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The length of the longest array at depth 1 or 2 (the text itself, or
    /// a member of the top object or array).
    pub longest_direct_list: usize,
    /// Array elements and object members at any depth.
    pub items: usize,
}

/// The [`Shape`] of a JSON text, counting no further than just past either
/// of `ceiling`'s `rows` and `items`. One pass, no allocation, whatever the
/// input: broken JSON gives some count, and the decoder then says what is wrong.
#[must_use]
pub fn shape(body: &[u8], ceiling: Ceiling) -> Shape {
    // Per depth 1 and 2 (index 0 unused): whether the container there is an
    // array, whether it has no element yet, and its elements so far.
    let mut is_array = [false; 3];
    let mut fresh = [false; 3];
    let mut counts = [0_usize; 3];
    let mut longest = 0;
    let mut items = 0_usize;
    // Whether the last significant byte opened a container: the next one
    // then starts its first item, unless it closes it.
    let mut just_opened = false;
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
        if byte == b',' || (just_opened && !matches!(byte, b']' | b'}')) {
            items += 1;
        }
        just_opened = matches!(byte, b'[' | b'{');
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
        }
        if longest > ceiling.rows || items > ceiling.items {
            break;
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
    Shape {
        longest_direct_list: longest,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNBOUNDED: Ceiling = Ceiling {
        bytes: usize::MAX,
        rows: usize::MAX,
        items: usize::MAX,
        what: "anything",
    };

    #[test]
    fn direct_lists_are_counted_and_nothing_deeper() {
        let count = |text: &str| shape(text.as_bytes(), UNBOUNDED).longest_direct_list;
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
    fn every_element_and_member_is_an_item() {
        let items = |text: &str| shape(text.as_bytes(), UNBOUNDED).items;
        assert_eq!(items("[]"), 0);
        assert_eq!(items("{ }"), 0);
        assert_eq!(items("7"), 0);
        assert_eq!(items("[1]"), 1);
        assert_eq!(items(r#"{"a": 1, "b": [1, 2, {"c": "x,y"}], "d": {}}"#), 7);
        assert_eq!(items("[[[]], [[1, 2]]]"), 6);
        assert_eq!(items(r#"{"metadata": [0,0,0,0,0,0,0,0,0,0]}"#), 11);
    }

    #[test]
    fn counting_stops_just_past_the_ceiling() {
        let rows = format!("[{}{{}}]", "{},".repeat(1_000_000));
        let ceiling = Ceiling {
            rows: 100,
            ..UNBOUNDED
        };
        assert_eq!(shape(rows.as_bytes(), ceiling).longest_direct_list, 101);
        let ceiling = Ceiling {
            items: 1000,
            ..UNBOUNDED
        };
        assert_eq!(shape(rows.as_bytes(), ceiling).items, 1001);
    }

    #[test]
    fn a_page_of_too_many_rows_is_refused_and_one_at_the_ceiling_is_not() {
        let ceiling = Ceiling {
            bytes: MIB,
            rows: 100,
            items: 1000,
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
        let deep = format!(
            r#"{{"results": [{{"metadata": [{}]}}]}}"#,
            vec!["0"; 997].join(",")
        );
        assert_eq!(check_rows(deep.as_bytes(), ceiling), Ok(()));
        let deeper = format!(
            r#"{{"results": [{{"metadata": [{}]}}]}}"#,
            vec!["0"; 998].join(",")
        );
        let err = check_rows(deeper.as_bytes(), ceiling)
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "it holds more than 1,000 values in all, the most convo reads for a page"
            ),
            "{err}"
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
