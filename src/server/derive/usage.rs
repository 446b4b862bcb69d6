//! Token usage split into per-(turn, model) rows with exact integer arithmetic, and the conversation's `token_usage` rewritten from the same entries so the two always agree.
//!
//! Costs are counted in units of 1e-8 dollars (the rows' eight decimal
//! places), so rows sum to the conversation's figure to the last digit.

use serde_json::{Map, Value};

use super::ids::draw;
use super::turns::Turn;
use crate::provider::model::{ModelUsage, TokenCounts, TokenUsage, UNPRICED};

/// Every token column of a usage row; the first [`BILLABLE`] are priced and make `total_tokens`.
pub(crate) const COLUMNS: [&str; 8] = [
    "prompt_tokens",
    "completion_tokens",
    "embedding_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
];
/// Reasoning and audio counts are subsets of prompt/completion, never added again.
pub(crate) const BILLABLE: usize = 5;
/// 1e-8 dollars per dollar.
const UNITS_PER_DOLLAR: i64 = 100_000_000;
const SALT_UNREPORTED: u64 = 0x756e_7265;
/// A model entry's share of a turn's calls is unreported in one row in this many (when it has two calls or more).
const UNREPORTED_ONE_IN: u64 = 5;

/// One model's (and one pricing source's) usage over a whole conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub model: String,
    pub source: String,
    pub columns: [i64; 8],
    /// In 1e-8 dollars; 0 when unpriced.
    pub cost: i64,
}

impl Entry {
    pub(crate) fn total(&self) -> i64 {
        self.columns[..BILLABLE].iter().sum()
    }
}

/// One usage row before it is written out.
#[derive(Clone, Debug)]
pub(crate) struct RowPlan {
    /// Position among the conversation's rows.
    pub position: u32,
    pub turn: u32,
    pub entry: u32,
    pub columns: [i64; 8],
    pub cost: i64,
    pub calls: u32,
    pub unreported: u32,
}

impl RowPlan {
    pub(crate) fn total(&self) -> i64 {
        self.columns[..BILLABLE].iter().sum()
    }
}

/// A decimal cost as 1e-8 dollars (rounded half up past eight places); nonsense and negatives are 0.
#[must_use]
pub(crate) fn parse_units(text: &str) -> i64 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 10
    {
        return 0;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().unwrap_or(0)
    };
    let mut digits: Vec<u8> = fraction.bytes().map(|b| b - b'0').collect();
    let round_up = digits.get(8).is_some_and(|d| *d >= 5);
    digits.resize(8, 0);
    let fraction = digits.iter().fold(0_i64, |acc, d| acc * 10 + i64::from(*d));
    whole * UNITS_PER_DOLLAR + fraction + i64::from(round_up)
}

/// 1e-8 dollars as a decimal string with eight places.
#[must_use]
pub(crate) fn format_units(units: i64) -> String {
    let units = units.max(0);
    format!(
        "{}.{:08}",
        units / UNITS_PER_DOLLAR,
        units % UNITS_PER_DOLLAR
    )
}

/// 1e-8 dollars as a JSON number (the summary's spelling).
#[allow(clippy::cast_precision_loss)] // a display figure; the exact sum is the string on the rows
pub(crate) fn units_as_number(units: i64) -> f64 {
    units as f64 / 1e8
}

fn count(value: Option<i64>) -> i64 {
    value.unwrap_or(0).max(0)
}

fn extra_count(extra: &Map<String, Value>, key: &str) -> i64 {
    extra.get(key).and_then(Value::as_i64).unwrap_or(0).max(0)
}

/// The usage as entries, one per (model, source), whatever shape it came in.
#[must_use]
pub(crate) fn entries(usage: &TokenUsage) -> Vec<Entry> {
    let default_source = match &usage.cost_sources {
        Some(Value::Array(items)) => items.iter().find_map(Value::as_str),
        _ => None,
    }
    .unwrap_or("backend")
    .to_owned();
    let mut merged: Vec<Entry> = Vec::new();
    for m in usage.models() {
        let source = m
            .cost_source
            .clone()
            .unwrap_or_else(|| default_source.clone());
        let columns = [
            count(m.prompt_tokens),
            count(m.completion_tokens),
            count(m.embedding_tokens),
            count(m.cache_read_tokens),
            count(m.cache_write_tokens),
            count(m.reasoning_tokens),
            extra_count(&m.extra, "audio_input_tokens"),
            extra_count(&m.extra, "audio_output_tokens"),
        ];
        let cost = if source == UNPRICED {
            0
        } else {
            m.cost_usd.as_deref().map_or(0, parse_units)
        };
        let entry = Entry {
            model: m.model.clone().unwrap_or_else(|| "unknown".to_owned()),
            source,
            columns,
            cost,
        };
        match merged
            .iter_mut()
            .find(|e| e.model == entry.model && e.source == entry.source)
        {
            Some(existing) => {
                for (a, b) in existing.columns.iter_mut().zip(entry.columns) {
                    *a = a.saturating_add(b);
                }
                existing.cost = existing.cost.saturating_add(entry.cost);
            }
            None => merged.push(entry),
        }
    }
    if merged.is_empty() {
        // The older flat shape (or totals alone): one entry for an unnamed model.
        let c = usage.counts();
        let columns = [
            count(c.prompt_tokens),
            count(c.completion_tokens),
            count(c.embedding_tokens),
            count(c.cache_read_tokens),
            count(c.cache_write_tokens),
            count(c.reasoning_tokens),
            count(c.audio_input_tokens),
            count(c.audio_output_tokens),
        ];
        let cost = if default_source == UNPRICED {
            0
        } else {
            usage.cost_usd.as_deref().map_or(0, parse_units)
        };
        if columns.iter().any(|n| *n > 0) || cost > 0 {
            merged.push(Entry {
                model: "unknown".to_owned(),
                source: default_source,
                columns,
                cost,
            });
        }
    }
    merged
}

/// The live `token_usage` shape for these entries: `totals` with the non-zero
/// columns (and `total_tokens` always), the priced cost, the sources, one model entry each.
#[must_use]
pub(crate) fn live_usage(entries: &[Entry]) -> TokenUsage {
    let mut sums = [0_i64; 8];
    for e in entries {
        for (s, n) in sums.iter_mut().zip(e.columns) {
            *s = s.saturating_add(n);
        }
    }
    let nonzero = |n: i64| (n != 0).then_some(n);
    let total: i64 = sums[..BILLABLE].iter().sum();
    let totals = TokenCounts {
        prompt_tokens: nonzero(sums[0]),
        completion_tokens: nonzero(sums[1]),
        embedding_tokens: nonzero(sums[2]),
        cache_read_tokens: nonzero(sums[3]),
        cache_write_tokens: nonzero(sums[4]),
        reasoning_tokens: nonzero(sums[5]),
        audio_input_tokens: nonzero(sums[6]),
        audio_output_tokens: nonzero(sums[7]),
        total_tokens: Some(total),
        ..TokenCounts::default()
    };
    let mut sources: Vec<Value> = Vec::new();
    for e in entries {
        let source = Value::String(e.source.clone());
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    let models = entries
        .iter()
        .map(|e| {
            let mut extra = Map::new();
            for (i, key) in [(6, "audio_input_tokens"), (7, "audio_output_tokens")] {
                if e.columns[i] != 0 {
                    extra.insert(key.to_owned(), Value::from(e.columns[i]));
                }
            }
            ModelUsage {
                model: Some(e.model.clone()),
                cost_source: Some(e.source.clone()),
                cost_usd: Some(format_units(e.cost)),
                prompt_tokens: nonzero(e.columns[0]),
                completion_tokens: nonzero(e.columns[1]),
                embedding_tokens: nonzero(e.columns[2]),
                cache_read_tokens: nonzero(e.columns[3]),
                cache_write_tokens: nonzero(e.columns[4]),
                reasoning_tokens: nonzero(e.columns[5]),
                total_tokens: Some(e.total()),
                extra,
                ..ModelUsage::default()
            }
        })
        .collect();
    TokenUsage {
        totals: Some(totals),
        cost_usd: Some(format_units(entries.iter().map(|e| e.cost).sum())),
        cost_sources: Some(Value::Array(sources)),
        models: Some(models),
        ..TokenUsage::default()
    }
}

/// Splits `total` over `weights` exactly: proportional shares rounded down,
/// the remainder one by one to the first parts.
#[must_use]
pub(crate) fn split(total: i64, weights: &[u32]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| i64::try_from(i128::from(total) * i128::from(*w) / sum).unwrap_or_default())
        .collect();
    let mut rest = total - parts.iter().sum::<i64>();
    let len = parts.len();
    let mut i = 0;
    while rest > 0 {
        parts[i % len] += 1;
        rest -= 1;
        i += 1;
    }
    parts
}

/// The usage rows of a conversation: one per (turn, entry), each column and
/// the cost split over the turns by how many model calls each made.
#[must_use]
pub(crate) fn rows(pk: i64, turns: &[Turn], entries: &[Entry]) -> Vec<RowPlan> {
    let weights: Vec<u32> = turns.iter().map(Turn::primary_calls).collect();
    let mut rows = Vec::with_capacity(turns.len() * entries.len());
    for (e, entry) in entries.iter().enumerate() {
        let shares: Vec<Vec<i64>> = entry.columns.iter().map(|n| split(*n, &weights)).collect();
        let costs = split(entry.cost, &weights);
        for (t, turn) in turns.iter().enumerate() {
            let calls = if e == 0 && turn.incomplete.is_none() {
                turn.primary_calls()
            } else {
                1
            };
            let entry_index = u32::try_from(e).unwrap_or(u32::MAX);
            let unreported = u32::from(
                calls >= 2
                    && draw(
                        pk,
                        SALT_UNREPORTED,
                        u64::from(turn.index) << 8 | u64::from(entry_index),
                    ) % UNREPORTED_ONE_IN
                        == 0,
            );
            let mut columns = [0_i64; 8];
            for (c, share) in columns.iter_mut().zip(&shares) {
                *c = share[t];
            }
            rows.push(RowPlan {
                position: 0,
                turn: turn.index,
                entry: entry_index,
                columns,
                cost: costs[t],
                calls,
                unreported,
            });
        }
    }
    // Rows read turn by turn, models in entry order within a turn.
    rows.sort_by_key(|r| (r.turn, r.entry));
    for (i, r) in rows.iter_mut().enumerate() {
        r.position = u32::try_from(i).unwrap_or(u32::MAX);
    }
    rows
}

/// The EUR rate on file for a day, in millionths of a euro per dollar: a fixed
/// table with a few days missing (a missing rate means "not converted").
#[must_use]
pub(crate) fn eur_rate_micros(day: chrono::NaiveDate) -> Option<i64> {
    use chrono::Datelike;
    let n = i64::from(day.num_days_from_ce());
    // One day in five has none, so any week of data shows the case.
    (n % 5 != 0).then(|| 900_000 + (n * 7_919 % 61) * 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_read_and_write_with_eight_places() {
        assert_eq!(parse_units("0.05242500"), 5_242_500);
        assert_eq!(parse_units("0.0012"), 120_000);
        assert_eq!(parse_units("12"), 1_200_000_000);
        assert_eq!(parse_units("0.000000015"), 2);
        for bad in ["", "-1", "abc", "1e5", "."] {
            assert_eq!(parse_units(bad), 0, "{bad}");
        }
        assert_eq!(format_units(5_242_500), "0.05242500");
        assert_eq!(format_units(1_200_000_001), "12.00000001");
    }

    #[test]
    fn splits_are_exact() {
        assert_eq!(split(10, &[1, 1, 1]), [4, 3, 3]);
        assert_eq!(split(7, &[3, 1]), [6, 1]);
        assert_eq!(split(5, &[0, 0]), [5, 0]);
        assert_eq!(split(i64::MAX, &[2, 3]).iter().sum::<i64>(), i64::MAX);
        assert!(split(3, &[]).is_empty());
    }

    #[test]
    fn the_flat_shape_becomes_one_entry_and_duplicates_merge() {
        let flat: TokenUsage = serde_json::from_str(
            r#"{"input_tokens":10,"output_tokens":5,"total_tokens":15,"cost_usd":"0.0012","cost_sources":["backend"],"by_model":[]}"#,
        )
        .unwrap();
        let e = entries(&flat);
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].columns[0], e[0].columns[1], e[0].cost),
            (10, 5, 120_000)
        );
        let doubled: TokenUsage = serde_json::from_str(
            r#"{"models":[{"model":"m","cost_source":"backend","prompt_tokens":1,"cost_usd":"0.1"},
                          {"model":"m","cost_source":"backend","prompt_tokens":2,"cost_usd":"0.2"},
                          {"model":"x","cost_source":"unpriced","prompt_tokens":2,"cost_usd":"9"}]}"#,
        )
        .unwrap();
        let e = entries(&doubled);
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].columns[0], e[0].cost, e[1].cost), (3, 30_000_000, 0));
        let live = live_usage(&e);
        assert_eq!(live.cost_usd.as_deref(), Some("0.30000000"));
        assert_eq!(live.counts().total_tokens, Some(5));
        assert_eq!(live.counts().completion_tokens, None);
    }
}
