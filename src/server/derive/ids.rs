//! Stable identifiers for derived records: trace and span ids that look random yet decode back to the conversation and position they came from.
//!
//! A `trace_id` or `span_id` filter can then go straight to the one
//! conversation it names instead of deriving every span of every conversation.

/// Multiplier of the scramble (odd, so multiplication is a bijection on u64).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
/// Its inverse modulo 2^64.
const INVERSE: u64 = inverse(MULTIPLIER);
const MASK_TRACE: u64 = 0x5DEE_CE66_D1CE_4E5B;
const MASK_SPAN: u64 = 0xA076_1D64_78BD_642F;
/// Bits a position takes inside a key; the primary key sits above them.
const POSITION_BITS: u32 = 24;
/// Row ids are `pk * ROW_STRIDE + position + 1`.
pub(crate) const ROW_STRIDE: i64 = 1_000_000;

/// Newton's iteration for the inverse of an odd number modulo 2^64.
const fn inverse(odd: u64) -> u64 {
    let mut x = odd;
    let mut i = 0;
    while i < 6 {
        x = x.wrapping_mul(2_u64.wrapping_sub(odd.wrapping_mul(x)));
        i += 1;
    }
    x
}

/// A 64-bit mix (splitmix64's finaliser): the deterministic "randomness" of derived data.
#[must_use]
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A deterministic draw for (conversation, salt, position).
#[must_use]
pub(crate) fn draw(pk: i64, salt: u64, position: u64) -> u64 {
    mix(mix(u64::from_ne_bytes(pk.to_ne_bytes()) ^ salt.rotate_left(17)) ^ position)
}

fn key(pk: i64, position: u32) -> Option<u64> {
    let pk = u64::try_from(pk).ok()?;
    (pk < (1 << (64 - POSITION_BITS)) && position < (1 << POSITION_BITS))
        .then_some((pk << POSITION_BITS) | u64::from(position))
}

fn unkey(key: u64) -> (i64, u32) {
    let pk = i64::try_from(key >> POSITION_BITS).unwrap_or_default();
    let position = u32::try_from(key & ((1 << POSITION_BITS) - 1)).unwrap_or_default();
    (pk, position)
}

fn scramble(key: u64, mask: u64) -> u64 {
    key.wrapping_mul(MULTIPLIER).rotate_left(29) ^ mask
}

fn unscramble(value: u64, mask: u64) -> u64 {
    (value ^ mask).rotate_right(29).wrapping_mul(INVERSE)
}

/// The 32-hex trace id of a conversation's turn.
#[must_use]
pub(crate) fn trace_id(pk: i64, turn: u32) -> String {
    let body = scramble(key(pk, turn).unwrap_or_default(), MASK_TRACE);
    format!("{:016x}{body:016x}", mix(body))
}

/// The conversation and turn a trace id names, if it is one of ours.
#[must_use]
pub(crate) fn decode_trace_id(text: &str) -> Option<(i64, u32)> {
    if text.len() != 32 || !text.is_ascii() {
        return None;
    }
    let check = u64::from_str_radix(&text[..16], 16).ok()?;
    let body = u64::from_str_radix(&text[16..], 16).ok()?;
    (mix(body) == check).then(|| unkey(unscramble(body, MASK_TRACE)))
}

/// The 16-hex span id of a conversation's span at this position.
#[must_use]
pub(crate) fn span_id(pk: i64, position: u32) -> String {
    format!(
        "{:016x}",
        scramble(key(pk, position).unwrap_or_default(), MASK_SPAN)
    )
}

/// The conversation and position a span id names (any 16 hex digits decode; callers check the result exists).
#[must_use]
pub(crate) fn decode_span_id(text: &str) -> Option<(i64, u32)> {
    if text.len() != 16 {
        return None;
    }
    let value = u64::from_str_radix(text, 16).ok()?;
    Some(unkey(unscramble(value, MASK_SPAN)))
}

/// The row id of the record at `position` of a conversation's derived list.
#[must_use]
pub(crate) fn row_id(pk: i64, position: u32) -> i64 {
    pk.saturating_mul(ROW_STRIDE)
        .saturating_add(i64::from(position) + 1)
}

/// The conversation and position a row id names.
#[must_use]
pub(crate) fn decode_row_id(id: i64) -> Option<(i64, u32)> {
    if id <= 0 {
        return None;
    }
    let pk = id / ROW_STRIDE;
    let position = u32::try_from(id % ROW_STRIDE - 1).ok()?;
    Some((pk, position))
}

/// The stable id of a conversation's turn.
#[must_use]
pub(crate) fn turn_id(pk: i64, turn: u32) -> String {
    format!("turn-{pk}-{turn}")
}

/// The conversation and turn a turn id names.
#[must_use]
pub(crate) fn decode_turn_id(text: &str) -> Option<(i64, u32)> {
    let (pk, turn) = text.strip_prefix("turn-")?.split_once('-')?;
    Some((pk.parse().ok()?, turn.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_decode_to_what_made_them() {
        for (pk, position) in [(1, 0), (42, 7), (50_000, 123_456), (1 << 30, 9)] {
            let trace = trace_id(pk, position);
            assert_eq!(trace.len(), 32);
            assert_eq!(decode_trace_id(&trace), Some((pk, position)));
            let span = span_id(pk, position);
            assert_eq!(span.len(), 16);
            assert_eq!(decode_span_id(&span), Some((pk, position)));
            assert_eq!(decode_row_id(row_id(pk, position)), Some((pk, position)));
            assert_eq!(decode_turn_id(&turn_id(pk, position)), Some((pk, position)));
        }
        assert_eq!(decode_trace_id(&"0".repeat(32)), None);
        assert_eq!(decode_trace_id("zz"), None);
        assert_eq!(decode_row_id(0), None);
        assert_ne!(trace_id(1, 0), trace_id(1, 1));
    }
}
