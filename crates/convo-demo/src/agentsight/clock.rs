//! Instants as the API spells them, written without chrono's format machinery (generation writes hundreds of thousands).

use std::fmt::Write;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use rand_chacha::ChaCha8Rng;

use super::random::between;

/// An instant as the API spells it: to the second, with six places of fraction when there is one.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    let mut text = String::with_capacity(27);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let micros = t.timestamp_subsec_micros();
    if micros != 0 {
        let _ = write!(text, ".{micros:06}");
    }
    text.push('Z');
    text
}

/// Drops the fraction: messages are stamped to the second.
pub(crate) fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t - Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos()))
}

/// A random instant `lo..=hi` seconds after `t`, but never past `anchor`.
pub(crate) fn after(
    rng: &mut ChaCha8Rng,
    t: DateTime<Utc>,
    lo: i64,
    hi: i64,
    anchor: DateTime<Utc>,
) -> DateTime<Utc> {
    let room = (anchor - t).num_seconds();
    if room <= 0 {
        return t;
    }
    let hi = hi.min(room);
    t + Duration::seconds(between(rng, lo.min(hi), hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agentsight::wire::instant;

    #[test]
    fn stamps_match_the_api_spelling() {
        let t = DateTime::from_timestamp(1_794_765_600, 0).unwrap();
        let spelled = [
            (0, "2026-11-15T18:00:00Z"),
            (1, "2026-11-15T18:00:00.001000Z"),
            (999, "2026-11-15T18:00:00.999000Z"),
            (1_000, "2026-11-15T18:00:01Z"),
            (61_234, "2026-11-15T18:01:01.234000Z"),
            (86_399_999, "2026-11-16T17:59:59.999000Z"),
        ];
        for (offset, text) in spelled {
            let t = t + Duration::milliseconds(offset);
            assert_eq!(stamp(t), text);
            assert_eq!(instant(Some(&stamp(t))), Some(t));
        }
        let t = t + Duration::milliseconds(1_500);
        assert_eq!(whole_seconds(t).timestamp_subsec_nanos(), 0);
    }
}
