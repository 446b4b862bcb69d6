//! Times as the detail pane shows them, all through the app's [`Zone`] so snapshots never depend on the machine's time zone.

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::Zone;
use crate::provider::model::Timestamp;
use crate::text::{self, Lines};

fn format(zone: Zone, instant: DateTime<Utc>, pattern: &str) -> String {
    match zone {
        Zone::Local => instant.with_timezone(&Local).format(pattern).to_string(),
        Zone::Utc => instant.format(pattern).to_string(),
    }
}

/// What an unparseable timestamp shows: its own text, on one line.
fn raw(t: &Timestamp) -> String {
    text::sanitize(t.as_str(), Lines::Join).into_owned()
}

/// `2024-01-15 10:30:05`.
#[must_use]
pub(super) fn datetime(zone: Zone, t: &Timestamp) -> String {
    t.instant()
        .map_or_else(|| raw(t), |i| format(zone, i, "%Y-%m-%d %H:%M:%S"))
}

/// `10:30:05`.
#[must_use]
pub(super) fn time(zone: Zone, t: &Timestamp) -> String {
    t.instant()
        .map_or_else(|| raw(t), |i| format(zone, i, "%H:%M:%S"))
}

/// `10:30`, for an instant the app computed (an expiry).
#[must_use]
pub(super) fn minute(zone: Zone, instant: DateTime<Utc>) -> String {
    format(zone, instant, "%H:%M")
}

/// The calendar day an instant falls on in the zone.
#[must_use]
pub(super) fn day(zone: Zone, instant: DateTime<Utc>) -> NaiveDate {
    match zone {
        Zone::Local => instant.with_timezone(&Local).date_naive(),
        Zone::Utc => instant.date_naive(),
    }
}

/// `Monday 2024-01-15`, for day separators.
#[must_use]
pub(super) fn day_label(day: NaiveDate) -> String {
    day.format("%A %Y-%m-%d").to_string()
}
