//! The list's sort from the keyboard: `<`/`>` move along the columns the API can order by, `~` reverses, all through the query's `ordering`.

use crate::provider::Query;

/// The query filter that carries the sort.
pub const ORDERING: &str = "ordering";

/// The fields the conversation list can be ordered by, in the order `>` walks them.
pub const SORT_FIELDS: &[&str] = &[
    "started_at",
    "ended_at",
    "id",
    "customer_id",
    "is_marked",
    "language",
];

/// A sort: a field and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// One of [`SORT_FIELDS`].
    pub field: &'static str,
    /// Largest (newest) first.
    pub descending: bool,
}

/// The service's own order when no `ordering` is sent: newest first.
pub const DEFAULT_SORT: Sort = Sort {
    field: "started_at",
    descending: true,
};

impl Sort {
    /// The sort a query asks for (the default when it asks for none).
    #[must_use]
    pub fn of(query: &Query) -> Self {
        let Some(text) = query.text(ORDERING) else {
            return DEFAULT_SORT;
        };
        let (descending, name) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        SORT_FIELDS
            .iter()
            .find(|f| **f == name)
            .map_or(DEFAULT_SORT, |field| Self { field, descending })
    }

    /// The next (or previous) column, in the same direction.
    #[must_use]
    pub fn step(self, forward: bool) -> Self {
        let here = SORT_FIELDS
            .iter()
            .position(|f| *f == self.field)
            .unwrap_or(0);
        let n = SORT_FIELDS.len();
        let to = if forward {
            (here + 1) % n
        } else {
            (here + n - 1) % n
        };
        Self {
            field: SORT_FIELDS[to],
            descending: self.descending,
        }
    }

    /// The same column the other way round.
    #[must_use]
    pub fn reversed(self) -> Self {
        Self {
            descending: !self.descending,
            ..self
        }
    }

    /// As the `ordering` parameter spells it.
    #[must_use]
    pub fn wire(self) -> String {
        if self.descending {
            format!("-{}", self.field)
        } else {
            self.field.to_owned()
        }
    }

    /// As the filter line shows it: `start ↓` (not a column title, so the two are not confused).
    #[must_use]
    pub fn label(self) -> String {
        let name = match self.field {
            "started_at" => "start",
            "ended_at" => "end",
            "customer_id" => "customer",
            "is_marked" => "★",
            "language" => "lang",
            other => other,
        };
        format!("{name} {}", if self.descending { "↓" } else { "↑" })
    }

    /// Puts this sort into a query; the default clears the parameter, so the
    /// request stays as it was before any sort was chosen.
    ///
    /// # Errors
    /// The query's provider has no `ordering` (`ChatDash`).
    pub fn apply(self, query: &mut Query) -> Result<(), crate::provider::query::QueryError> {
        if self == DEFAULT_SORT {
            query.clear(ORDERING);
            return Ok(());
        }
        query.set(ORDERING, &self.wire())
    }
}

/// Whether the query's provider can be sorted from the keyboard.
#[must_use]
pub fn sortable(query: &Query) -> bool {
    query.spec(ORDERING).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_newest_first_and_steps_walk_every_field_both_ways() {
        let mut query = Query::agentsight();
        assert_eq!(Sort::of(&query), DEFAULT_SORT);
        let mut sort = DEFAULT_SORT;
        for _ in 0..SORT_FIELDS.len() {
            sort = sort.step(true);
            sort.apply(&mut query).unwrap();
            assert_eq!(Sort::of(&query), sort);
        }
        assert_eq!(sort, DEFAULT_SORT);
        assert_eq!(query.text(ORDERING), None, "the default sends no ordering");
        assert_eq!(DEFAULT_SORT.step(false).field, "language");
        let up = DEFAULT_SORT.reversed();
        up.apply(&mut query).unwrap();
        assert_eq!(query.text(ORDERING), Some("started_at"));
        assert_eq!(up.label(), "start ↑");
        assert_eq!(up.step(true).wire(), "ended_at");
    }

    #[test]
    fn chatdash_has_no_ordering() {
        let query = Query::with_schema(crate::provider::chatdash::filters::CHATDASH_FILTERS, &[]);
        assert!(!sortable(&query));
        assert!(sortable(&Query::agentsight()));
    }
}
