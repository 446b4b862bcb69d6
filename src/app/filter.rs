//! The filter panel's draft: one editable row per filter of the provider's schema, validated as a whole with `Query::set` before anything is sent.

use tui_input::Input;

use crate::provider::Query;
use crate::provider::query::{FilterKind, FilterSpec};

/// One filter being edited.
#[derive(Clone, Debug)]
pub struct FilterRow {
    /// Which filter.
    pub spec: &'static FilterSpec,
    /// The text typed (or cycled to) so far.
    pub input: Input,
    /// Why the last apply refused this row's value.
    pub error: Option<String>,
}

impl FilterRow {
    /// The draft text.
    #[must_use]
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Whether Space/←/→ cycle this row through fixed values.
    #[must_use]
    pub fn cycles(&self) -> bool {
        matches!(self.spec.kind, FilterKind::TriState | FilterKind::Choice(_))
    }

    /// Sets the draft text, cursor at the end.
    pub fn set(&mut self, text: &str) {
        self.input = Input::new(text.to_owned());
        self.error = None;
    }

    /// Moves a tri-state or choice to its next (or previous) value; "any" sits between the ends.
    pub fn cycle(&mut self, forward: bool) {
        let values: Vec<&str> = match self.spec.kind {
            FilterKind::TriState => vec!["", "yes", "no"],
            FilterKind::Choice(choices) => {
                std::iter::once("").chain(choices.iter().copied()).collect()
            }
            _ => return,
        };
        let current = self.value().trim();
        let at = values
            .iter()
            .position(|v| v.eq_ignore_ascii_case(current))
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % values.len()
        } else {
            (at + values.len() - 1) % values.len()
        };
        self.set(values[next]);
    }
}

/// The open filter panel.
#[derive(Clone, Debug)]
pub struct FilterPanel {
    /// Every filter, in the schema's order.
    pub rows: Vec<FilterRow>,
    /// The row the cursor is on.
    pub selected: usize,
    /// Whether the selected row's text field has focus (it then receives every key).
    pub editing: bool,
    /// The first row shown (the panel scrolls when it has less room than rows).
    pub offset: usize,
}

impl FilterPanel {
    /// A panel showing the query in force.
    #[must_use]
    pub fn open(query: &Query) -> Self {
        let rows = query
            .schema()
            .iter()
            .map(|spec| FilterRow {
                spec,
                input: Input::new(query.text(spec.key).unwrap_or_default().to_owned()),
                error: None,
            })
            .collect();
        Self {
            rows,
            selected: 0,
            editing: false,
            offset: 0,
        }
    }

    /// The row under the cursor.
    pub fn current(&mut self) -> Option<&mut FilterRow> {
        self.rows.get_mut(self.selected)
    }

    /// Moves the cursor by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Keeps the cursor within `height` visible rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// Clears every draft value.
    pub fn clear_all(&mut self) {
        for row in &mut self.rows {
            row.set("");
        }
    }

    /// Validates the whole draft against `base`'s schema: the new query, or
    /// every refused row marked with its reason (and the cursor on the first).
    pub fn validate(&mut self, base: &Query) -> Option<Query> {
        let mut query = base.clone();
        query.clear_all();
        let mut first_error = None;
        for (i, row) in self.rows.iter_mut().enumerate() {
            match query.set(row.spec.key, row.input.value()) {
                Ok(()) => row.error = None,
                Err(e) => {
                    row.error = Some(e.reason);
                    first_error.get_or_insert(i);
                }
            }
        }
        match first_error {
            Some(i) => {
                self.selected = i;
                self.editing = true;
                None
            }
            None => Some(query),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_cycle_through_any_and_accept_typed_case() {
        let query = Query::agentsight();
        let mut panel = FilterPanel::open(&query);
        let at = panel
            .rows
            .iter()
            .position(|r| r.spec.key == "feedback_sentiment")
            .unwrap();
        let row = &mut panel.rows[at];
        row.cycle(true);
        assert_eq!(row.value(), "positive");
        row.cycle(false);
        assert_eq!(row.value(), "");
        row.cycle(false);
        assert_eq!(row.value(), "negative");
        row.set("NEUTRAL");
        row.cycle(true);
        assert_eq!(row.value(), "negative");
    }

    #[test]
    fn a_refused_value_marks_its_row_and_yields_no_query() {
        let mut query = Query::agentsight();
        query.set("device", "mobile").unwrap();
        let mut panel = FilterPanel::open(&query);
        let at = panel
            .rows
            .iter()
            .position(|r| r.spec.key == "started_at_after")
            .unwrap();
        panel.rows[at].set("last tuesday");
        assert!(panel.validate(&query).is_none());
        assert_eq!(panel.selected, at);
        assert!(
            panel.rows[at]
                .error
                .as_deref()
                .unwrap()
                .contains("is not a date")
        );
        panel.rows[at].set("7d");
        let next = panel.validate(&query).unwrap();
        assert_eq!(next.summary(), "since=7d device=mobile");
    }
}
