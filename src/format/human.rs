//! Sizes, durations, times and glyphs in the units a person reads at a glance.

use chrono::{DateTime, Local, Utc};

use crate::provider::model::{ActionOutcome, Timestamp, TokenCounts};

/// `245 B`, `240 KB`, `1.0 MB`; a negative size (bad data) reads `?`.
#[must_use]
pub fn size(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 0 {
        return "?".to_owned();
    }
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)] // a display approximation
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// `150 ms`, `1.2 s`, `2 m 05 s`, `3 h 02 m`; a negative duration reads `?`.
#[must_use]
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "?".to_owned();
    }
    if ms < 1_000.0 {
        return format!("{} ms", decimals(ms, 3));
    }
    if ms < 60_000.0 {
        return format!("{} s", decimals(ms / 1_000.0, 3));
    }
    // Past a minute the fraction no longer helps a person; whole units read better.
    #[allow(clippy::cast_possible_truncation)] // finite, non-negative, far below i64::MAX
    let whole = ms as i64;
    if whole < 3_600_000 {
        format!("{} m {:02} s", whole / 60_000, (whole / 1_000) % 60)
    } else {
        format!("{} h {:02} m", whole / 3_600_000, (whole / 60_000) % 60)
    }
}

/// A number with at most `places` decimals and no trailing zeros (`150`, `0.132`, `1.5`).
fn decimals(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Token counts as a person reads them: `8210 in · 1650 out · 9860 total`,
/// with embedding and cache columns only when non-zero, `?` where unknown.
#[must_use]
pub fn token_counts(counts: &TokenCounts) -> String {
    let n = |v: Option<i64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    // The live totals leave zero columns out; with a total known, a missing column is 0.
    let known = counts.total_tokens.is_some();
    let column = |v: Option<i64>| n(v.or(known.then_some(0)));
    let mut parts = vec![
        format!("{} in", column(counts.prompt_tokens)),
        format!("{} out", column(counts.completion_tokens)),
    ];
    for (value, label) in [
        (counts.embedding_tokens, "embedding"),
        (counts.cache_read_tokens, "cache read"),
        (counts.cache_write_tokens, "cache write"),
    ] {
        if let Some(v) = value.filter(|v| *v != 0) {
            parts.push(format!("{v} {label}"));
        }
    }
    parts.push(format!("{} total", n(counts.total_tokens)));
    parts.join(" · ")
}

/// The span between two instants, as [`duration_ms`] spells it.
#[must_use]
pub fn between(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    #[allow(clippy::cast_precision_loss)] // a conversation lasts far less than 2^53 ms
    let ms = (end - start).num_milliseconds() as f64;
    duration_ms(ms)
}

/// The zone times are shown in: the machine's (for people), or UTC (for
/// snapshots and anything that must read the same everywhere).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    /// The local time zone, as the TZ variable or the system says.
    #[default]
    Local,
    /// Coordinated Universal Time.
    Utc,
}

impl Zone {
    /// Formats an instant in this zone with a chrono format string.
    #[must_use]
    pub fn format(self, instant: DateTime<Utc>, format: &str) -> String {
        match self {
            Self::Local => instant.with_timezone(&Local).format(format).to_string(),
            Self::Utc => instant.format(format).to_string(),
        }
    }

    /// A timestamp with a format, or its text as it came when it does not parse.
    #[must_use]
    pub fn timestamp(self, t: &Timestamp, format: &str) -> String {
        t.instant()
            .map_or_else(|| t.as_str().to_owned(), |i| self.format(i, format))
    }
}

/// A timestamp in local time, `2024-01-15 10:30:05`; unparseable text is shown as it came.
#[must_use]
pub fn local_datetime(t: &Timestamp) -> String {
    Zone::Local.timestamp(t, "%Y-%m-%d %H:%M:%S")
}

/// A timestamp in local time to the millisecond, `2024-01-15 10:30:05.123`,
/// for spans, which are often milliseconds apart.
#[must_use]
pub fn local_datetime_ms(t: &Timestamp) -> String {
    Zone::Local.timestamp(t, "%Y-%m-%d %H:%M:%S%.3f")
}

/// A timestamp in local time to the minute, `2024-01-15 10:30`, for list rows.
#[must_use]
pub fn local_minute(t: &Timestamp) -> String {
    Zone::Local.timestamp(t, "%Y-%m-%d %H:%M")
}

/// A timestamp's local time of day, `10:30:05`.
#[must_use]
pub fn local_time(t: &Timestamp) -> String {
    Zone::Local.timestamp(t, "%H:%M:%S")
}

/// The glyph for a feedback sentiment.
#[must_use]
pub fn sentiment_glyph(sentiment: Option<&str>) -> &'static str {
    match sentiment {
        Some("positive") => "☺",
        Some("negative") => "☹",
        Some("neutral") => "😐",
        Some(_) => "?",
        None => " ",
    }
}

/// A sentiment as a glyph and its word, for tables: `☺ positive`, `☹ negative`,
/// `· neutral`; anything else as sent, nothing as blank.
#[must_use]
pub fn sentiment_cell(sentiment: Option<&str>) -> String {
    match sentiment.map(str::trim) {
        Some("positive") => "☺ positive".to_owned(),
        Some("negative") => "☹ negative".to_owned(),
        Some("neutral") => "· neutral".to_owned(),
        Some(other) => other.to_owned(),
        None => String::new(),
    }
}

/// A span's status for a table: `✗ error` stands out, `ok` and `unset` do not.
#[must_use]
pub fn span_status(status: Option<&str>) -> String {
    match status {
        Some("error") => "✗ error".to_owned(),
        Some(other) => other.to_owned(),
        None => String::new(),
    }
}

/// A count that may be missing: `?` only when the server did not say.
#[must_use]
pub fn count(value: Option<i64>) -> String {
    value.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

/// The glyph for an action's outcome.
#[must_use]
pub fn outcome_glyph(outcome: ActionOutcome) -> &'static str {
    match outcome {
        ActionOutcome::Succeeded => "✓",
        ActionOutcome::Failed => "✗",
        ActionOutcome::Unknown => "…",
    }
}

/// The glyph for an attachment type.
#[must_use]
pub fn attachment_glyph(kind: Option<&str>) -> &'static str {
    match kind {
        Some("image") => "📷",
        Some("document") => "📄",
        Some("text") => "📝",
        Some("audio") => "🔊",
        Some("video") => "🎬",
        _ => "📎",
    }
}

/// A cost in US dollars as the API sends it (a decimal string), or "unknown"
/// when it was not priced — never "$0" for a cost nobody knows.
#[must_use]
pub fn cost(cost_usd: Option<&str>, unpriced: bool) -> String {
    match cost_usd.map(str::trim) {
        Some(c) if !c.is_empty() && !unpriced => format!("${c}"),
        Some(c) if !c.is_empty() => format!("${c} + unknown (unpriced calls)"),
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_at_a_glance() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(245_680), "240 KB");
        assert_eq!(size(1_048_576), "1.0 MB");
        assert_eq!(size(83_886_080), "80 MB");
        assert_eq!(size(-5), "?");
        assert_eq!(size(i64::MAX), "8192 PB");
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration_ms(150.0), "150 ms");
        assert_eq!(duration_ms(0.132), "0.132 ms");
        assert_eq!(duration_ms(150.25), "150.25 ms");
        assert_eq!(duration_ms(1_250.0), "1.25 s");
        assert_eq!(duration_ms(125_000.0), "2 m 05 s");
        assert_eq!(duration_ms(3_720_000.0), "1 h 02 m");
        assert_eq!(duration_ms(-1.0), "?");
        assert_eq!(duration_ms(f64::NAN), "?");
    }

    #[test]
    fn an_unpriced_cost_is_never_zero() {
        assert_eq!(cost(Some("0.0123"), false), "$0.0123");
        assert_eq!(cost(None, true), "unknown");
        assert_eq!(cost(Some("0.01"), true), "$0.01 + unknown (unpriced calls)");
    }
}
