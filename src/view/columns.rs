//! Which of the list's columns fit a width, and how wide each is: the name is never the one dropped.
//!
//! Columns go in the order the config (or the provider's default) gives;
//! which of them stay is decided by priority, so a narrow pane loses the
//! least telling ones first and the name takes whatever is left.

use crate::config::columns::Column;
use crate::view::rows::{Cell, RowText};

/// Columns of a start time: `01-15 10:30`.
pub const STARTED: usize = 11;
/// Columns of the message count (`10k+` at most).
pub const MESSAGES: usize = 4;
/// Columns of the feedback count and its worst sentiment (`12😐`: `😐` takes two).
pub const SENTIMENT: usize = 4;
/// Columns of the failed actions (`✗12`).
pub const FAILED: usize = 3;
/// Columns of the tickets (`⚑3`).
pub const TICKETS: usize = 3;

/// The name keeps at least this many columns (or its widest value, when
/// shorter) before an optional column is let in beside it: a name cut to a
/// few letters tells less than any column next to it.
const NAME_ROOM: usize = 16;
/// The narrowest a name is ever drawn (its title's width).
const NAME_MIN: usize = 4;

/// Which columns stay when the pane is too narrow for all, most telling first.
///
/// The name and the start are what a support lead reads the list by, so they
/// always stay. Next come the glyph columns — message count, feedback,
/// failed actions, marked, tickets — which say at a glance which
/// conversation went wrong and cost a few columns each. Then who it was (customer) and how they came
/// (channel), then the id, which is long and mostly copied from the detail
/// pane rather than read in the list, and last device and language, which
/// rarely decide which conversation to open.
const PRIORITY: &[Column] = &[
    Column::Name,
    Column::Started,
    Column::Messages,
    Column::Sentiment,
    Column::Failed,
    Column::Marked,
    Column::Tickets,
    Column::Customer,
    Column::Channel,
    Column::Id,
    Column::Device,
    Column::Language,
];

/// The columns that fit, in the order they are drawn, with their widths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fitted {
    /// Each kept column and its width in terminal columns.
    pub columns: Vec<(Column, usize)>,
}

impl Fitted {
    /// Fits `chosen` (in its order) to `room` columns for these rows: a
    /// one-column selection marker, then the columns one space apart.
    #[must_use]
    pub fn fit(chosen: &[Column], rows: &[RowText], room: usize) -> Self {
        let widest = |cell: fn(&RowText) -> &Cell| rows.iter().map(|r| cell(r).width).max();
        // A text column blank in every row says nothing: it is left out.
        let blank = |cell: fn(&RowText) -> &Cell| widest(cell).unwrap_or(0) == 0;
        let name_floor = widest(|r| &r.name).unwrap_or(0).clamp(NAME_MIN, NAME_ROOM);
        // (preferred, narrowest) width of each column but the name.
        let sizes = |column: Column| -> Option<(usize, usize)> {
            let text = |cell: fn(&RowText) -> &Cell, min: usize, max: usize, least: usize| {
                (!blank(cell)).then(|| (widest(cell).unwrap_or(0).clamp(min, max), least))
            };
            match column {
                Column::Name => None,
                Column::Started => Some((STARTED, STARTED)),
                Column::Messages => Some((MESSAGES, MESSAGES)),
                Column::Sentiment => Some((SENTIMENT, SENTIMENT)),
                Column::Failed => Some((FAILED, FAILED)),
                Column::Tickets => Some((TICKETS, TICKETS)),
                Column::Marked => Some((1, 1)),
                Column::Customer => text(|r| &r.customer, 8, 14, 8),
                Column::Channel => text(|r| &r.channel, 7, 10, 7),
                Column::Id => text(|r| &r.id, 2, 18, 8),
                Column::Device => text(|r| &r.device, 6, 8, 6),
                Column::Language => text(|r| &r.language, 4, 5, 4),
            }
        };
        // The marker, and the name's gap when another column stands beside it.
        let mut used = 1;
        let mut kept: Vec<(Column, usize)> = Vec::new();
        for &column in PRIORITY.iter().filter(|c| chosen.contains(c)) {
            let Some((preferred, least)) = sizes(column) else {
                continue;
            };
            // The start stays as long as the name keeps its title's width;
            // every other column only while the name keeps its room.
            let floor = if column == Column::Started {
                NAME_MIN
            } else {
                name_floor
            };
            let fits = |w: usize| used + w + 1 + floor <= room;
            if let Some(w) = [preferred, least].into_iter().find(|&w| fits(w)) {
                used += w + 1;
                kept.push((column, w));
            }
        }
        let mut name = room.saturating_sub(used);
        let columns: Vec<(Column, usize)> = chosen
            .iter()
            .filter_map(|&c| {
                if c == Column::Name {
                    Some((c, name))
                } else {
                    kept.iter().find(|(k, _)| *k == c).copied()
                }
            })
            .collect();
        let fitted = Self { columns };
        // A gap saved (★ right after ☺) is the name's.
        if (1..fitted.columns.len()).any(|i| fitted.gap_before(i) == 0) && name > 0 {
            name += 1;
            return Self {
                columns: fitted
                    .columns
                    .into_iter()
                    .map(|(c, w)| (c, if c == Column::Name { name } else { w }))
                    .collect(),
            };
        }
        fitted
    }

    /// The spaces before the `i`th column: none before the first, and none
    /// between ☺ and ★, whose glyphs read as one flag pair; one elsewhere.
    #[must_use]
    pub fn gap_before(&self, i: usize) -> usize {
        match (
            i.checked_sub(1).and_then(|p| self.columns.get(p)),
            self.columns.get(i),
        ) {
            (None, _) | (Some((Column::Sentiment, _)), Some((Column::Marked, _))) => 0,
            _ => 1,
        }
    }

    /// Whether a column was kept.
    #[must_use]
    pub fn has(&self, column: Column) -> bool {
        self.columns.iter().any(|(c, _)| *c == column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::ProviderKind;

    fn row(name: &str, id: &str, customer: &str) -> RowText {
        let cell = |s: &str| Cell {
            text: s.to_owned(),
            width: s.chars().count(),
        };
        RowText {
            name: cell(name),
            id: cell(id),
            customer: cell(customer),
            device: cell("desktop"),
            language: cell("en"),
            ..RowText::default()
        }
    }

    #[test]
    fn the_name_stays_and_fills_the_rest_at_every_width() {
        let rows = [row(
            "Refund for a damaged parcel",
            "conv-3523464f7b",
            "user-10278",
        )];
        let chosen = Column::defaults(ProviderKind::AgentSight);
        for room in 5..=200 {
            let fitted = Fitted::fit(chosen, &rows, room);
            assert!(fitted.has(Column::Name), "no name at {room}");
            let total: usize = (0..fitted.columns.len())
                .map(|i| fitted.gap_before(i) + fitted.columns[i].1)
                .sum();
            assert_eq!(total + 1, room, "the columns do not fill {room}");
        }
        // Narrow: the id goes before the name shrinks.
        let fitted = Fitted::fit(chosen, &rows, 64);
        assert!(!fitted.has(Column::Id));
        assert!(fitted.has(Column::Customer));
        assert!(fitted.has(Column::Messages));
    }
}
