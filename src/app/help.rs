//! What the `?` box says and how it is laid out: the keymap's keys, the keys of the overlays and the filter panel, and a legend of every symbol the screens draw, wrapped into as many columns as the box has room for.

use ratatui::layout::Rect;

use super::keymap::Keymap;
use super::layout::inside;
use crate::text::{Lines, sanitize, wrap};

/// Columns of the keys column.
pub const KEYS: usize = 18;

/// Columns of the scope column (`detail`), right of the description.
pub const SCOPE: usize = 6;

/// Below this many columns inside the box, one column of entries; at or above, two.
pub const TWO_COLUMNS: usize = 150;

/// Blank columns between two columns of entries.
pub const GAP: usize = 3;

/// Rows inside the box above the entries: the filter prompt and a blank row.
pub const PROMPT_ROWS: u16 = 2;

/// One thing the box explains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A section's title.
    Heading(&'static str),
    /// Keys (or symbols), what they do or mean, and where (blank: everywhere).
    Item {
        /// The keys or symbols, space-separated.
        keys: String,
        /// What they do or mean.
        what: String,
        /// Where they work (`list`, `detail`), or blank.
        scope: &'static str,
    },
}

/// Keys of the help box and the message log, which no binding names.
const OVERLAY_KEYS: &[(&str, &str)] = &[
    (
        "esc ? q",
        "close this help (? and q once nothing is typed here)",
    ),
    ("↑ ↓ pgup pgdn", "scroll this help"),
    ("letters", "type to narrow this help to what matches"),
    (
        "j k g G",
        "message log (L): scroll it, newest message first",
    ),
    ("esc q L", "message log: close it"),
];

/// The filter panel's keys (`f`), as `app/update/filter.rs` reads them.
const FILTER_KEYS: &[(&str, &str)] = &[
    ("j k ↓ ↑ tab", "filter panel: move between filters"),
    ("g G", "filter panel: first or last filter"),
    (
        "e i a enter",
        "filter panel: edit the filter (enter on a choice applies)",
    ),
    (
        "← → h l space",
        "filter panel: cycle a choice (any, yes, no, …)",
    ),
    ("del ctrl-u", "filter panel: clear the filter"),
    ("F", "filter panel: clear every filter and apply"),
    ("v", "filter panel: pick a saved view"),
    ("esc f q", "filter panel: close it"),
    ("enter", "filter panel, editing: apply the whole draft"),
    (
        "esc",
        "filter panel, editing: leave the field, keep the draft",
    ),
    (
        "backspace",
        "filter panel, editing: on an empty field, clear the filter",
    ),
];

/// Every symbol the screens draw, and what it means.
const SYMBOLS: &[(&str, &str)] = &[
    (
        "▶",
        "the selected row; in a transcript, the message cursor (the vote keys act on it); on the Attachments tab, the file enter, s, Y, o act on",
    ),
    ("✉", "how many messages a conversation (or ticket) has"),
    (
        "☺ ☹ 😐",
        "the worst feedback left: positive, negative, neutral (in the list after how many: 2☹)",
    ),
    (
        "✗2 ⚑1",
        "in the list: actions that failed, tickets filed (a blank column means none)",
    ),
    (
        "⋯",
        "in the list: not known yet, being fetched in the background",
    ),
    ("★", "a marked conversation (m)"),
    (
        "•",
        "a row new since the last look (auto-refresh, a); selecting it clears the mark",
    ),
    (
        "watch 30s",
        "header: the list refreshes itself every 30 s (a, or --watch 30)",
    ),
    (
        "↓ ↑",
        "filter line: the list's sort, largest or newest first / smallest or oldest first (< > ~)",
    ),
    (
        "⌫",
        "a deleted conversation (shown with the deleted filter)",
    ),
    ("⚙", "an action the agent ran, with its time and outcome"),
    (
        "✓ ✗",
        "it worked, it failed (an action, a span, an evaluation)",
    ),
    (
        "…",
        "text cut to fit: w wraps a transcript, L reads a status line whole",
    ),
    ("⏸", "a trace turn that never finished"),
    ("⚠", "a trace cut short (too many spans)"),
    ("█", "a bar: a span's time in its turn, a day's spend"),
    (
        "📷 📄 📝 🔊 🎬 📎",
        "an attachment: image, document, text, audio, video, other",
    ),
    ("+", "usage chart: a day with calls nobody priced"),
    (
        "?",
        "usage chart: a day whose euro figure is missing; in the list: could not be fetched (r tries again)",
    ),
    ("!", "usage chart: a day with calls not reported"),
    ("·", "separates values on one line"),
    ("⏎", "a line break, in a value shown on one line"),
    (
        "␛",
        "a control character made visible (never sent to the terminal)",
    ),
    ("●", "a live conversation (ChatDash)"),
    ("›", "topic › subtopic; ‹ › a choice to cycle in a form"),
    ("▸", "the form field being typed in"),
    ("•", "the profile or view in use, in a picker; a list item"),
    ("│", "a quoted passage in a message"),
    ("⠋", "something is loading"),
];

/// The entries that match what was typed (keys, words or scope, any case),
/// each section under its heading; a heading with nothing under it is left out.
#[must_use]
pub fn entries(keymap: &Keymap, filter: &str) -> Vec<Entry> {
    let filter = filter.trim().to_lowercase();
    let matches = |keys: &str, what: &str, scope: &str| {
        filter.is_empty()
            || keys.to_lowercase().contains(&filter)
            || what.to_lowercase().contains(&filter)
            || scope.contains(&filter)
    };
    let mut out = Vec::new();
    let mut section = |title: &'static str, items: Vec<(String, String, &'static str)>| {
        let items: Vec<_> = items
            .into_iter()
            .filter(|(k, w, s)| matches(k, w, s))
            .collect();
        if items.is_empty() {
            return;
        }
        out.push(Entry::Heading(title));
        out.extend(
            items
                .into_iter()
                .map(|(keys, what, scope)| Entry::Item { keys, what, scope }),
        );
    };
    section(
        "keys",
        keymap
            .help_rows()
            .into_iter()
            .map(|r| (r.keys, r.action.describe().to_owned(), r.scope.label()))
            .collect(),
    );
    let fixed = |table: &[(&str, &str)]| {
        table
            .iter()
            .map(|(k, w)| ((*k).to_owned(), (*w).to_owned(), ""))
            .collect::<Vec<_>>()
    };
    section("this help and the message log", fixed(OVERLAY_KEYS));
    section("the filter panel (f)", fixed(FILTER_KEYS));
    section("symbols", fixed(SYMBOLS));
    out
}

/// One row of the box, in one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// A section's title.
    Heading(&'static str),
    /// An entry's row: its keys and scope on the first row only.
    Item {
        /// The keys (blank on the rows a description wraps onto).
        keys: String,
        /// This row's part of the description.
        what: String,
        /// Where (first row only).
        scope: &'static str,
    },
}

/// The box's entries laid out for its inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// How many columns of entries.
    pub columns: usize,
    /// Each column's width.
    pub column_width: usize,
    /// The rows, column after column, `per_column` in each.
    pub rows: Vec<Row>,
    /// Rows in one column (the last may have fewer).
    pub per_column: usize,
    /// Rows of entries the box shows.
    pub visible: usize,
}

impl Layout {
    /// Lays `entries` out inside a box drawn at `area`: descriptions wrap
    /// rather than being cut; a wide box takes two columns.
    #[must_use]
    pub fn of(entries: &[Entry], area: Rect) -> Self {
        let inner = inside(area);
        let width = usize::from(inner.width);
        let columns = if width >= TWO_COLUMNS { 2 } else { 1 };
        let column_width = width.saturating_sub(GAP * (columns - 1)) / columns;
        let keys = KEYS.min(column_width / 3);
        let what_width = column_width.saturating_sub(keys + 2 + SCOPE + 1).max(1);
        let mut rows = Vec::new();
        let mut ranges = Vec::new();
        for entry in entries {
            match entry {
                Entry::Heading(title) => rows.push(Row::Heading(title)),
                Entry::Item { keys, what, scope } => {
                    let what = sanitize(what, Lines::Join);
                    // Without a scope the description may use its column too.
                    let room = if scope.is_empty() {
                        what_width + SCOPE + 1
                    } else {
                        what_width
                    };
                    ranges.clear();
                    wrap::wrap(&what, room, room, &mut ranges);
                    for (i, (start, end)) in ranges.iter().enumerate() {
                        let first = i == 0;
                        rows.push(Row::Item {
                            keys: if first { keys.clone() } else { String::new() },
                            what: what.get(*start..*end).unwrap_or_default().to_owned(),
                            scope: if first { scope } else { "" },
                        });
                    }
                }
            }
        }
        let per_column = rows.len().div_ceil(columns).max(1);
        let visible = usize::from(inner.height.saturating_sub(PROMPT_ROWS));
        Self {
            columns,
            column_width,
            rows,
            per_column,
            visible,
        }
    }

    /// The most the box can scroll: until the longest column's end shows.
    #[must_use]
    pub fn max_offset(&self) -> usize {
        self.per_column.saturating_sub(self.visible)
    }

    /// The rows column `column` shows from `offset` on.
    #[must_use]
    pub fn column(&self, column: usize, offset: usize) -> &[Row] {
        let start = (column * self.per_column).min(self.rows.len());
        let end = (start + self.per_column).min(self.rows.len());
        let from = (start + offset).min(end);
        let to = (from + self.visible).min(end);
        &self.rows[from..to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_narrows_every_section_and_drops_empty_headings() {
        let keymap = Keymap::default();
        let all = entries(&keymap, "");
        assert!(all.contains(&Entry::Heading("symbols")));
        let found = entries(&keymap, "attachment");
        assert!(found.contains(&Entry::Heading("symbols")));
        assert!(!found.contains(&Entry::Heading("the filter panel (f)")));
    }

    #[test]
    fn a_wide_box_takes_two_columns_and_a_narrow_one_wraps() {
        let entries = entries(&Keymap::default(), "");
        let wide = Layout::of(&entries, Rect::new(0, 0, 196, 47));
        assert_eq!(wide.columns, 2);
        let narrow = Layout::of(&entries, Rect::new(0, 0, 80, 21));
        assert_eq!(narrow.columns, 1);
        assert!(narrow.rows.len() > entries.len(), "long descriptions wrap");
        assert_eq!(
            narrow.column(0, narrow.max_offset()).len(),
            narrow.visible,
            "the last page is full"
        );
    }
}
