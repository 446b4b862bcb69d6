//! The message log: the last status-line notices and errors kept whole, so a line cut to the screen's width can still be read (`L`).

use std::collections::VecDeque;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use ratatui::layout::Rect;

use crate::format::human::Zone;
use crate::text::{Lines, sanitize, wrap};

/// How many messages the log keeps; older ones are dropped.
pub const LOG_CAPACITY: usize = 200;

/// One status-line message as it was said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The whole text.
    pub text: String,
    /// Whether it reported a failure.
    pub error: bool,
    /// When it was said; the runtime stamps it (update reads no clock), so it
    /// is `None` only until the end of the update that said it.
    pub at: Option<DateTime<Utc>>,
    /// How many times in a row it was said (a key pressed again and again
    /// says "does nothing here" once, counted).
    pub repeats: u32,
}

/// The last [`LOG_CAPACITY`] messages, oldest first.
#[derive(Clone, Debug, Default)]
pub struct MessageLog {
    entries: VecDeque<Entry>,
}

impl MessageLog {
    /// Keeps a message; the same text said again in a row is counted, not repeated.
    pub fn push(&mut self, text: &str, error: bool) {
        if let Some(last) = self.entries.back_mut() {
            if last.text == text && last.error == error {
                last.repeats = last.repeats.saturating_add(1);
                last.at = None;
                return;
            }
        }
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(Entry {
            text: text.to_owned(),
            error,
            at: None,
            repeats: 1,
        });
    }

    /// Gives every message said since the last stamp its time.
    pub fn stamp(&mut self, now: DateTime<Utc>) {
        for entry in self.entries.iter_mut().rev() {
            if entry.at.is_some() {
                break;
            }
            entry.at = Some(now);
        }
    }

    /// The messages, oldest first.
    #[must_use]
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// How many messages are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was said yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The log overlay, when open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogOverlay {
    /// The first row shown (rows are wrapped lines, newest message first).
    pub offset: usize,
}

/// What one row of the open log shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The time column (`10:30:05`), on a message's first row only.
    pub time: Option<String>,
    /// Whether the message is an error (its first row carries `✗`).
    pub error: bool,
    /// Whether this is the message's first row.
    pub first: bool,
    /// The text of this row (sanitised).
    pub text: String,
}

/// Columns before a message's text: `10:30:05 ✗ `.
pub const LOG_GUTTER: usize = 11;

/// The log's rows for a box `columns` wide inside its border, newest message
/// first, each message wrapped whole, times in `zone`.
#[must_use]
pub fn rows(log: &MessageLog, columns: usize, zone: Zone) -> Vec<LogRow> {
    let time = |at: DateTime<Utc>| zone.format(at, "%H:%M:%S");
    let room = columns.saturating_sub(LOG_GUTTER).max(1);
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    for entry in log.entries().rev() {
        let mut text = sanitize(&entry.text, Lines::Join).into_owned();
        if entry.repeats > 1 {
            let _ = write!(text, " (×{})", entry.repeats);
        }
        ranges.clear();
        wrap::wrap(&text, room, room, &mut ranges);
        for (i, (start, end)) in ranges.iter().enumerate() {
            out.push(LogRow {
                time: (i == 0).then(|| entry.at.map_or_else(|| "now".to_owned(), time)),
                error: entry.error,
                first: i == 0,
                text: text.get(*start..*end).unwrap_or_default().to_owned(),
            });
        }
    }
    out
}

/// The log's box: the whole main area (a message is read whole, so it gets every column).
#[must_use]
pub fn area(main: Rect) -> Rect {
    main
}

/// How many rows the box shows inside its one-cell border (the log sits
/// below the layout, which reads the state that holds the log).
#[must_use]
pub fn visible_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(2))
}

/// The first row shown, kept so the last page is full and nothing scrolls past the end.
#[must_use]
pub fn clamp(offset: usize, rows: usize, visible: usize) -> usize {
    offset.min(rows.saturating_sub(visible))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_bounded_and_counts_repeats() {
        let mut log = MessageLog::default();
        for n in 0..LOG_CAPACITY + 5 {
            log.push(&format!("notice {n}"), false);
        }
        assert_eq!(log.len(), LOG_CAPACITY);
        assert_eq!(
            log.entries().next().map(|e| e.text.as_str()),
            Some("notice 5")
        );
        log.push("again", true);
        log.push("again", true);
        assert_eq!(log.entries().last().map(|e| e.repeats), Some(2));
    }

    #[test]
    fn a_long_message_wraps_whole_newest_first() {
        let mut log = MessageLog::default();
        log.push("old", false);
        log.push(&"word ".repeat(30), true);
        log.stamp(DateTime::<Utc>::UNIX_EPOCH);
        let rows = rows(&log, 40, Zone::Utc);
        assert!(rows[0].first && rows[0].error);
        assert_eq!(rows[0].time.as_deref(), Some("00:00:00"));
        let joined: String = rows
            .iter()
            .take_while(|r| r.error)
            .map(|r| r.text.clone())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined.split_whitespace().count(), 30);
        assert_eq!(rows.last().map(|r| r.text.as_str()), Some("old"));
    }
}
