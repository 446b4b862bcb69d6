//! Small helpers over the seeded generator: picks, weighted picks, chances, ids.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One item, evenly; `None` only for an empty slice.
pub(crate) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.random_range(0..items.len()))
    }
}

/// One item, in proportion to its weight; `None` when every weight is zero.
pub(crate) fn weighted<'a, T>(
    rng: &mut ChaCha8Rng,
    items: &'a [T],
    weight: impl Fn(&T) -> u32,
) -> Option<&'a T> {
    let total: u64 = items.iter().map(|i| u64::from(weight(i))).sum();
    if total == 0 {
        return None;
    }
    let mut ticket = rng.random_range(0..total);
    for item in items {
        let w = u64::from(weight(item));
        if ticket < w {
            return Some(item);
        }
        ticket -= w;
    }
    None
}

/// True `percent` times in a hundred.
pub(crate) fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// An inclusive range draw that tolerates `lo > hi` (returns `lo`).
pub(crate) fn between(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// `len` lowercase hex digits.
pub(crate) fn hex(rng: &mut ChaCha8Rng, len: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..len)
        .map(|_| char::from(DIGITS[rng.random_range(0..16)]))
        .collect()
}

/// `len` decimal digits (a leading zero allowed, as in tracking numbers).
pub(crate) fn digits(rng: &mut ChaCha8Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(b'0' + rng.random_range(0..10_u8)))
        .collect()
}
