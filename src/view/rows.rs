//! What a list row shows — sanitised, its time in the zone, its widths measured — made once when its page lands, so drawing only fits strings.

use chrono::{Datelike, Timelike};

use crate::format::human::Zone;
use crate::provider::model::Timestamp;
use crate::provider::{Conversation, ConversationRef};
use crate::text::{Lines, sanitize, width};

/// A cell's text, safe to draw, with its width in columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Sanitised, one line.
    pub text: String,
    /// Columns it takes.
    pub width: usize,
}

impl Cell {
    fn of(value: Option<&str>) -> Self {
        let text = sanitize(value.unwrap_or_default(), Lines::Join).into_owned();
        Self {
            width: width(&text),
            text,
        }
    }
}

/// What a list row shows, made once per page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowText {
    /// `01-15 10:30` in the zone.
    pub started: Cell,
    /// The id a person would quote.
    pub id: Cell,
    /// The conversation's name.
    pub name: Cell,
    /// The customer id.
    pub customer: Cell,
    /// `ChatDash`'s channel (webchat, `WhatsApp`, voice…); blank for `AgentSight`.
    pub channel: Cell,
    /// The device.
    pub device: Cell,
    /// The language code.
    pub language: Cell,
    /// Soft-deleted: drawn dimmed.
    pub deleted: bool,
    /// Flagged by a person: `★`.
    pub marked: bool,
    /// How many messages the lean row says the transcript holds.
    pub message_count: Option<i64>,
    /// How much feedback (votes included) the lean row says it has.
    pub feedback_count: Option<i64>,
    /// Where its whole record would be cached.
    pub key: Option<ConversationRef>,
}

impl RowText {
    /// A row's text for a zone.
    #[must_use]
    pub fn of(row: &Conversation, zone: Zone) -> Self {
        let started = row.started_at.as_ref().map(|t| short_start(zone, t));
        Self {
            started: Cell::of(started.as_deref()),
            id: Cell::of(Some(&row.display_id())),
            name: Cell::of(row.name.as_deref()),
            customer: Cell::of(row.customer_id.as_deref().or_else(|| row.contact())),
            channel: Cell::of(row.facts().channel.as_deref()),
            device: Cell::of(row.device.as_deref()),
            language: Cell::of(row.language.as_deref()),
            deleted: row.is_deleted == Some(true),
            marked: row.is_marked == Some(true),
            message_count: row.message_count.or_else(|| {
                row.messages
                    .as_ref()
                    .and_then(|m| i64::try_from(m.len()).ok())
            }),
            feedback_count: row.feedback_count,
            key: ConversationRef::of(row),
        }
    }
}

/// `01-15 10:30` in the zone; an unreadable time as it came.
#[must_use]
pub fn short_start(zone: Zone, t: &Timestamp) -> String {
    match t.instant() {
        Some(instant) => {
            let at = match zone {
                Zone::Local => instant.with_timezone(&chrono::Local).naive_local(),
                Zone::Utc => instant.naive_utc(),
            };
            format!(
                "{:02}-{:02} {:02}:{:02}",
                at.month(),
                at.day(),
                at.hour(),
                at.minute()
            )
        }
        None => t.as_str().to_owned(),
    }
}
