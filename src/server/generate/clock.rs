//! Instants as the API spells them, written without chrono's format machinery (generation writes hundreds of thousands).

use std::fmt::Write;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use rand_chacha::ChaCha8Rng;

use super::random::between;
use crate::provider::model::Timestamp;

/// The timestamp of an instant, spelled exactly as [`crate::provider::model::format_instant`] does.
#[must_use]
pub fn stamp(t: DateTime<Utc>) -> Timestamp {
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
    Timestamp::from_text(&text)
}

/// Drops the fraction: messages are stamped to the second.
#[must_use]
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t - Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos()))
}

/// A random instant `lo..=hi` seconds after `t`, but never past `anchor`.
pub fn after(
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
    use crate::provider::model::format_instant;

    #[test]
    fn stamps_match_the_api_spelling() {
        let t = DateTime::from_timestamp(1_794_765_600, 0).unwrap();
        for offset in [0, 1, 999, 1_000, 61_234, 86_399_999] {
            let t = t + Duration::milliseconds(offset);
            assert_eq!(stamp(t).as_str(), format_instant(t));
            assert_eq!(stamp(t).instant(), Some(t));
        }
        let t = t + Duration::milliseconds(1_500);
        assert_eq!(whole_seconds(t).timestamp_subsec_nanos(), 0);
    }
}
