//! `[columns]`: the list's columns by the names the config spells, checked, and each provider's default order.

use serde::Deserialize;
use toml::Spanned;

use super::suggest::did_you_mean;
use crate::provider::ProviderKind;

/// One column of the conversation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// When it started, `01-15 10:30`.
    Started,
    /// The conversation's name: what a person finds it by.
    Name,
    /// The customer id (or how to reach them).
    Customer,
    /// The id a person would quote.
    Id,
    /// `ChatDash`'s channel: webchat, `WhatsApp`, voice…
    Channel,
    /// The device.
    Device,
    /// The language code.
    Language,
    /// ✉ how many messages.
    Messages,
    /// ☺ feedback: how many, and the worst sentiment (`2☹`).
    Sentiment,
    /// ✗ how many actions failed (`✗2`).
    Failed,
    /// ⚑ how many tickets were filed (`⚑1`).
    Tickets,
    /// ★ marked by a person (⌫ when deleted).
    Marked,
}

/// Every column by its config name, in the order a list of them is offered.
pub const COLUMN_NAMES: &[(&str, Column)] = &[
    ("started", Column::Started),
    ("name", Column::Name),
    ("customer", Column::Customer),
    ("id", Column::Id),
    ("channel", Column::Channel),
    ("device", Column::Device),
    ("language", Column::Language),
    ("messages", Column::Messages),
    ("sentiment", Column::Sentiment),
    ("failed", Column::Failed),
    ("tickets", Column::Tickets),
    ("marked", Column::Marked),
];

/// Other spellings a config may use for a column.
const ALIASES: &[(&str, Column)] = &[("feedback", Column::Sentiment)];

/// `AgentSight`'s columns when the config chooses none.
const AGENTSIGHT_DEFAULT: &[Column] = &[
    Column::Started,
    Column::Name,
    Column::Customer,
    Column::Id,
    Column::Device,
    Column::Language,
    Column::Messages,
    Column::Sentiment,
    Column::Failed,
    Column::Tickets,
    Column::Marked,
];

/// `ChatDash`'s: its ids are 24 hex digits nobody reads in a list, so the
/// channel takes the id's place; it has no feedback, action logs nor
/// tickets, so no columns for them (the message count is filled in the
/// background, as its list rows do not carry it).
const CHATDASH_DEFAULT: &[Column] = &[
    Column::Started,
    Column::Name,
    Column::Customer,
    Column::Channel,
    Column::Device,
    Column::Language,
    Column::Messages,
    Column::Marked,
];

impl Column {
    /// The name the config spells.
    #[must_use]
    pub fn name(self) -> &'static str {
        COLUMN_NAMES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("?", |(n, _)| n)
    }

    /// The columns a provider's list shows when the config chooses none.
    #[must_use]
    pub fn defaults(kind: ProviderKind) -> &'static [Self] {
        match kind {
            ProviderKind::AgentSight => AGENTSIGHT_DEFAULT,
            ProviderKind::ChatDash => CHATDASH_DEFAULT,
        }
    }
}

/// `[columns]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumns {
    /// The list's columns, in order.
    pub list: Option<Spanned<Vec<String>>>,
}

/// Checks `list = [...]`: every name known, none twice, the name kept.
///
/// # Errors
/// An unknown column (with the likely one), a column named twice, or a list
/// without `name`, worded with the fix.
pub fn check_list(names: &[String]) -> Result<Vec<Column>, String> {
    let known: Vec<&str> = COLUMN_NAMES.iter().map(|(n, _)| *n).collect();
    let mut columns: Vec<Column> = Vec::with_capacity(names.len());
    for name in names {
        let typed = name.trim();
        let Some(column) = COLUMN_NAMES
            .iter()
            .chain(ALIASES)
            .find(|(n, _)| n.eq_ignore_ascii_case(typed))
            .map(|(_, c)| *c)
        else {
            let hint = did_you_mean(typed, &known).map_or_else(
                || format!("the columns are: {}", known.join(", ")),
                |best| format!("did you mean `{best}`?"),
            );
            return Err(format!(
                "unknown column `{typed}` in [columns] list; {hint}"
            ));
        };
        if columns.contains(&column) {
            return Err(format!(
                "[columns] list names `{}` twice; keep it once",
                column.name()
            ));
        }
        columns.push(column);
    }
    // The name is how a person finds a conversation in the list: a list
    // without it is never what was meant.
    if !columns.contains(&Column::Name) {
        return Err(
            "[columns] list leaves out `name`, the column the list is read by; add \"name\""
                .to_owned(),
        );
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_typos_are_named() {
        for (name, column) in COLUMN_NAMES {
            assert_eq!(column.name(), *name);
        }
        let list =
            |names: &[&str]| check_list(&names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            list(&["Name", "started"]),
            Ok(vec![Column::Name, Column::Started])
        );
        assert_eq!(
            list(&["name", "feedback", "failed", "tickets"]),
            Ok(vec![
                Column::Name,
                Column::Sentiment,
                Column::Failed,
                Column::Tickets
            ])
        );
        let e = list(&["name", "custmer"]).unwrap_err();
        assert!(e.contains("did you mean `customer`?"), "{e}");
        let e = list(&["name", "name"]).unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let e = list(&["started"]).unwrap_err();
        assert!(e.contains("leaves out `name`"), "{e}");
    }
}
