//! What model calls used and cost: a conversation's `token_usage`, the per-turn usage rows and the summary rollups.
//!
//! Costs are kept as the decimal text the server sent (rows send strings,
//! summaries numbers; both read as text), so no cent is lost to a float.
//! `unpriced` means "unknown", never "free"; an absent `cost_eur` means "not
//! converted", never zero.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::provider::UsageGrouping;
use crate::provider::lenient::{Timestamp, wire_record};

/// The pricing source that means "no rate was on file".
pub const UNPRICED: &str = "unpriced";

wire_record! {
    /// Token counts by column. The live `totals` names only non-zero columns
    /// (`total_tokens` always); a missing column is zero there.
    pub struct TokenCounts {
        pub prompt_tokens: Option<i64> = "prompt_tokens",
        pub completion_tokens: Option<i64> = "completion_tokens",
        pub embedding_tokens: Option<i64> = "embedding_tokens",
        pub cache_read_tokens: Option<i64> = "cache_read_tokens",
        pub cache_write_tokens: Option<i64> = "cache_write_tokens",
        /// A subset of the prompt/completion columns, not billed again.
        pub reasoning_tokens: Option<i64> = "reasoning_tokens",
        pub audio_input_tokens: Option<i64> = "audio_input_tokens",
        pub audio_output_tokens: Option<i64> = "audio_output_tokens",
        pub total_tokens: Option<i64> = "total_tokens",
    }
}

wire_record! {
    /// What a conversation's model calls used and cost:
    /// `{totals, cost_usd, cost_sources, models[]}`.
    ///
    /// An older flat shape (`input_tokens`, `output_tokens`, `by_model`) reads
    /// into the same record; [`TokenUsage::counts`] gives the totals either way.
    pub struct TokenUsage {
        pub totals: Option<TokenCounts> = "totals",
        /// A decimal string (`"0.05242500"`).
        pub cost_usd: Option<String> = "cost_usd",
        /// `backend`, `reported`, `unpriced`: a list (older: a map of source → count).
        pub cost_sources: Option<Value> = "cost_sources",
        /// One entry per model and pricing source.
        pub models: Option<Vec<ModelUsage>> = "models" | "by_model",
        /// Older flat shape.
        pub legacy_prompt_tokens: Option<i64> = "input_tokens",
        /// Older flat shape.
        pub legacy_completion_tokens: Option<i64> = "output_tokens",
        /// Older flat shape.
        pub legacy_total_tokens: Option<i64> = "total_tokens",
    }
}

wire_record! {
    /// One model's (and one pricing source's) share of a conversation's usage.
    pub struct ModelUsage {
        pub model: Option<String> = "model",
        /// `backend`, `reported` or `unpriced`.
        pub cost_source: Option<String> = "cost_source",
        /// A decimal string.
        pub cost_usd: Option<String> = "cost_usd",
        pub prompt_tokens: Option<i64> = "prompt_tokens" | "input_tokens",
        pub completion_tokens: Option<i64> = "completion_tokens" | "output_tokens",
        pub embedding_tokens: Option<i64> = "embedding_tokens",
        pub cache_read_tokens: Option<i64> = "cache_read_tokens",
        pub cache_write_tokens: Option<i64> = "cache_write_tokens",
        pub reasoning_tokens: Option<i64> = "reasoning_tokens",
        pub total_tokens: Option<i64> = "total_tokens",
        /// Older shape only.
        pub calls: Option<i64> = "calls",
    }
}

wire_record! {
    /// One usage row: one turn's calls to one model (`GET /api/token-usage/`).
    pub struct UsageRow {
        pub id: Option<i64> = "id",
        /// The conversation's primary key.
        pub conversation: Option<i64> = "conversation",
        pub conversation_id: Option<String> = "conversation_id",
        pub environment: Option<String> = "environment",
        pub turn_id: Option<String> = "turn_id",
        /// The resolved model id.
        pub model: Option<String> = "model",
        pub prompt_tokens: Option<i64> = "prompt_tokens",
        pub completion_tokens: Option<i64> = "completion_tokens",
        pub embedding_tokens: Option<i64> = "embedding_tokens",
        pub cache_read_tokens: Option<i64> = "cache_read_tokens",
        pub cache_write_tokens: Option<i64> = "cache_write_tokens",
        pub reasoning_tokens: Option<i64> = "reasoning_tokens",
        pub audio_input_tokens: Option<i64> = "audio_input_tokens",
        pub audio_output_tokens: Option<i64> = "audio_output_tokens",
        pub total_tokens: Option<i64> = "total_tokens",
        /// A decimal string with 8 places (`"0.00005610"`).
        pub cost_usd: Option<String> = "cost_usd",
        /// The figure the client sent itself, if any.
        pub cost_usd_reported: Option<String> = "cost_usd_reported",
        /// `backend`, `unpriced` or `reported`.
        pub cost_source: Option<String> = "cost_source",
        pub calls: Option<i64> = "calls",
        /// Calls whose stream never reported usage: their tokens are unknown, not zero.
        pub unreported_calls: Option<i64> = "unreported_calls",
        /// The turn did not finish (its spend was still spent).
        pub incomplete: Option<bool> = "incomplete",
        /// `error`, `abandoned`, `deadline` or `shutdown`.
        pub incomplete_reason: Option<String> = "incomplete_reason",
        pub started_at: Option<Timestamp> = "started_at",
        pub ended_at: Option<Timestamp> = "ended_at",
    }
}

wire_record! {
    /// `GET /api/token-usage/summary/`: rollups, biggest first.
    pub struct UsageSummary {
        /// `model`, `conversation` or `day`.
        pub group_by: Option<String> = "group_by",
        /// `USD` or `EUR`.
        pub currency: Option<String> = "currency",
        pub results: Option<Vec<UsageGroup>> = "results",
    }
}

wire_record! {
    /// One rollup: a model, a conversation (its numeric id) or a day.
    pub struct UsageGroup {
        /// The model id, the conversation's pk, or an ISO date (numbers read as text).
        pub group: Option<String> = "group",
        pub calls: Option<i64> = "calls",
        pub rows: Option<i64> = "rows",
        pub prompt_tokens: Option<i64> = "prompt_tokens",
        pub completion_tokens: Option<i64> = "completion_tokens",
        pub embedding_tokens: Option<i64> = "embedding_tokens",
        pub cache_read_tokens: Option<i64> = "cache_read_tokens",
        pub cache_write_tokens: Option<i64> = "cache_write_tokens",
        pub total_tokens: Option<i64> = "total_tokens",
        /// A number on the wire, kept as its text.
        pub cost_usd: Option<String> = "cost_usd",
        /// Only with `currency=eur`, and absent when no rate was on file: "not converted", never 0.
        pub cost_eur: Option<String> = "cost_eur",
    }
}

/// Reads a decimal cost the way the server writes it (`"0.05242500"`, `0.108822`).
///
/// `None` for anything that is not a finite, non-negative decimal, so a
/// malformed cost shows as unknown instead of a wrong sum.
#[must_use]
pub fn parse_cost(text: &str) -> Option<f64> {
    let text = text.trim();
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+'
        });
    let value: f64 = if plain {
        text.parse().ok()?
    } else {
        return None;
    };
    (value.is_finite() && value >= 0.0).then_some(value)
}

impl TokenUsage {
    /// The totals: the live `totals` object, else the older flat fields.
    #[must_use]
    pub fn counts(&self) -> TokenCounts {
        if let Some(totals) = &self.totals {
            return totals.clone();
        }
        TokenCounts {
            prompt_tokens: self.legacy_prompt_tokens,
            completion_tokens: self.legacy_completion_tokens,
            total_tokens: self.legacy_total_tokens,
            ..TokenCounts::default()
        }
    }

    /// Every model entry, empty when none came.
    #[must_use]
    pub fn models(&self) -> &[ModelUsage] {
        self.models.as_deref().unwrap_or_default()
    }

    /// Whether some of the usage had no price, so the cost is a lower bound at best.
    #[must_use]
    pub fn has_unpriced(&self) -> bool {
        let in_sources = match &self.cost_sources {
            Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(UNPRICED)),
            Some(Value::Object(map)) => map.get(UNPRICED).is_some_and(|n| n.as_f64() != Some(0.0)),
            Some(Value::String(s)) => s.split(',').any(|s| s.trim() == UNPRICED),
            _ => false,
        };
        in_sources
            || self
                .models()
                .iter()
                .any(|m| m.cost_source.as_deref() == Some(UNPRICED))
    }
}

impl ModelUsage {
    /// This entry's token columns.
    #[must_use]
    pub fn counts(&self) -> TokenCounts {
        TokenCounts {
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            embedding_tokens: self.embedding_tokens,
            cache_read_tokens: self.cache_read_tokens,
            cache_write_tokens: self.cache_write_tokens,
            reasoning_tokens: self.reasoning_tokens,
            total_tokens: self.total_tokens,
            ..TokenCounts::default()
        }
    }
}

impl UsageRow {
    /// Whether no rate priced this row ("unknown", never $0).
    #[must_use]
    pub fn is_unpriced(&self) -> bool {
        self.cost_source.as_deref() == Some(UNPRICED)
    }
}

impl UsageSummary {
    /// The rollups, empty when none came.
    #[must_use]
    pub fn results(&self) -> &[UsageGroup] {
        self.results.as_deref().unwrap_or_default()
    }
}

/// What the summary does not say about its groups, read from the usage rows:
/// which groups have unpriced calls (their cost is a lower bound) and which
/// have calls whose tokens were never reported, per grouping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageFlags {
    /// Group keys (as the summary names them) with unpriced calls, per grouping.
    unpriced: [HashSet<String>; 3],
    /// Group keys with unreported calls, and how many, per grouping.
    unreported: [HashMap<String, i64>; 3],
    /// A conversation's string id by its pk, as the rows name it.
    conversation_ids: HashMap<String, String>,
    /// Whether every row was read for the unreported calls (false: only the first pages).
    pub unreported_complete: bool,
    /// Whether every unpriced row was read (false: only the first pages).
    pub unpriced_complete: bool,
}

/// A grouping's index in the flag tables.
fn slot(grouping: UsageGrouping) -> usize {
    match grouping {
        UsageGrouping::Model => 0,
        UsageGrouping::Conversation => 1,
        UsageGrouping::Day => 2,
    }
}

const GROUPINGS: [UsageGrouping; 3] = [
    UsageGrouping::Model,
    UsageGrouping::Conversation,
    UsageGrouping::Day,
];

impl UsageFlags {
    /// Takes a page of rows in: unpriced ones flag their groups and, with
    /// `count_unreported` (once per row: not on a second read of the same
    /// rows), unreported calls are counted.
    pub fn absorb(&mut self, rows: &[UsageRow], count_unreported: bool) {
        for row in rows {
            if let (Some(pk), Some(id)) = (row.conversation, row.conversation_id.as_ref()) {
                if !id.is_empty() {
                    self.conversation_ids
                        .entry(pk.to_string())
                        .or_insert_with(|| id.clone());
                }
            }
            for grouping in GROUPINGS {
                let Some(group) = group_of(row, grouping) else {
                    continue;
                };
                if row.is_unpriced() {
                    self.unpriced[slot(grouping)].insert(group.clone());
                }
                if let Some(n) = row.unreported_calls.filter(|n| count_unreported && *n > 0) {
                    *self.unreported[slot(grouping)].entry(group).or_default() += n;
                }
            }
        }
    }

    /// Whether a group has calls no rate priced.
    #[must_use]
    pub fn is_unpriced(&self, grouping: UsageGrouping, group: &str) -> bool {
        self.unpriced[slot(grouping)].contains(group)
    }

    /// The calls of a group whose tokens were never reported (0 when none were seen).
    #[must_use]
    pub fn unreported(&self, grouping: UsageGrouping, group: &str) -> i64 {
        self.unreported[slot(grouping)]
            .get(group)
            .copied()
            .unwrap_or(0)
    }

    /// The groups of a grouping with unpriced calls.
    #[must_use]
    pub fn unpriced_groups(&self, grouping: UsageGrouping) -> &HashSet<String> {
        &self.unpriced[slot(grouping)]
    }

    /// A conversation's string id, by the pk the summary names it with.
    #[must_use]
    pub fn conversation_id(&self, pk: &str) -> Option<&str> {
        self.conversation_ids.get(pk).map(String::as_str)
    }
}

/// The summary group a row falls in: its model, its conversation's pk, or its day (UTC).
#[must_use]
pub fn group_of(row: &UsageRow, grouping: UsageGrouping) -> Option<String> {
    match grouping {
        UsageGrouping::Model => row.model.clone(),
        UsageGrouping::Conversation => row.conversation.map(|pk| pk.to_string()),
        UsageGrouping::Day => row
            .started_at
            .as_ref()?
            .instant()
            .map(|t| t.date_naive().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_token_usage_and_the_older_flat_shape_read_alike() {
        let live: TokenUsage = serde_json::from_str(
            r#"{"totals":{"prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860},
                "cost_usd":"0.05242500","cost_sources":["backend"],
                "models":[{"model":"claude-sonnet-4-5","cost_source":"backend","cost_usd":"0.05242500",
                           "prompt_tokens":8210,"completion_tokens":1650,"total_tokens":9860}]}"#,
        )
        .unwrap();
        assert_eq!(live.counts().prompt_tokens, Some(8210));
        assert_eq!(live.models()[0].completion_tokens, Some(1650));
        assert!(!live.has_unpriced());
        let old: TokenUsage = serde_json::from_str(
            r#"{"input_tokens":10,"output_tokens":5,"total_tokens":15,"cost_usd":"0.0012",
                "cost_sources":["unpriced"],"by_model":[{"model":"m","input_tokens":10}]}"#,
        )
        .unwrap();
        assert_eq!(old.counts().completion_tokens, Some(5));
        assert_eq!(old.models()[0].prompt_tokens, Some(10));
        assert!(old.has_unpriced());
    }

    #[test]
    fn summary_costs_are_numbers_and_eur_may_be_absent() {
        let s: UsageSummary = serde_json::from_str(
            r#"{"group_by":"model","currency":"EUR","results":[
                {"group":"gpt-4o","calls":1,"rows":1,"total_tokens":384,"cost_usd":0.001515,"cost_eur":0.0014},
                {"group":12,"calls":2,"cost_usd":0.5}]}"#,
        )
        .unwrap();
        assert_eq!(s.results()[0].cost_usd.as_deref(), Some("0.001515"));
        assert_eq!(s.results()[1].group.as_deref(), Some("12"));
        assert_eq!(s.results()[1].cost_eur, None);
    }

    #[test]
    fn a_cost_that_is_not_a_decimal_is_unknown() {
        assert_eq!(parse_cost("0.00005610"), Some(0.000_056_1));
        for bad in ["", "abc", "1e400", "-1", "NaN", "inf", "0x10", "$3"] {
            assert_eq!(parse_cost(bad), None, "{bad}");
        }
    }
}
