//! The usage summary as text for people: a group's cost in dollars or euros with its flags in words, the days as a series for a chart, the rollups biggest first, and `convo usage`'s text bar chart.
//!
//! An unpriced group is "not priced" (its cost is unknown, never $0) and a
//! missing euro figure is "not converted" (never €0): both stay words, and
//! neither is ever summed as zero.

use chrono::NaiveDate;

use crate::provider::model::{UsageFlags, UsageGroup, parse_cost};
use crate::provider::{Currency, UsageGrouping};

/// How many days the chart by day spans.
pub const CHART_DAYS: usize = 30;

/// A group's cost in the currency asked for, as far as it is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Money {
    /// A figure (some calls may still be unpriced: see the flags).
    Known(f64),
    /// Euros asked for and no rate was on file that day.
    NotConverted,
    /// No figure came, or it was not a decimal.
    Unknown,
}

/// A group's cost in `currency`.
#[must_use]
pub fn money(group: &UsageGroup, currency: Currency) -> Money {
    let text = match currency {
        Currency::Usd => group.cost_usd.as_deref(),
        Currency::Eur => match group.cost_eur.as_deref() {
            Some(eur) => Some(eur),
            None if group.cost_usd.is_some() => return Money::NotConverted,
            None => None,
        },
    };
    text.and_then(parse_cost)
        .map_or(Money::Unknown, Money::Known)
}

/// `$12.34`, `€0.0977`: two places from a unit up, four below, and two
/// significant figures for a smaller non-zero one so it never reads as zero.
#[must_use]
pub fn amount(value: f64, currency: Currency) -> String {
    let symbol = match currency {
        Currency::Usd => "$",
        Currency::Eur => "€",
    };
    if value == 0.0 || value >= 1.0 {
        return format!("{symbol}{value:.2}");
    }
    if value >= 0.01 {
        return format!("{symbol}{value:.4}");
    }
    // Two significant figures, at most eight places (the server's precision).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // between 2 and 9
    let places = ((-value.log10()).ceil() as usize + 1).clamp(2, 8);
    format!("{symbol}{value:.places$}")
}

/// The server's decimal text as money: `"0.05242500"` → `$0.052425` (trailing
/// zeros gone, at least two places kept); `None` when it is not a decimal.
#[must_use]
pub fn decimal(text: &str, currency: Currency) -> Option<String> {
    parse_cost(text)?;
    let text = text.trim();
    let symbol = match currency {
        Currency::Usd => "$",
        Currency::Eur => "€",
    };
    let Some((whole, places)) = text.split_once('.') else {
        return Some(format!("{symbol}{text}.00"));
    };
    let mut places = places.trim_end_matches('0').to_owned();
    while places.len() < 2 {
        places.push('0');
    }
    Some(format!("{symbol}{whole}.{places}"))
}

/// A conversation's own usage in a few words: `9.9k tokens · $0.052425`, with
/// `+ unpriced` when some model had no rate; `None` when it has no usage.
#[must_use]
pub fn conversation_cost(usage: &crate::provider::model::TokenUsage) -> Option<String> {
    let tokens_text = tokens(usage.counts().total_tokens);
    let cost = usage
        .cost_usd
        .as_deref()
        .and_then(|c| decimal(c, Currency::Usd));
    let unpriced = usage.has_unpriced();
    let cost = match (cost, unpriced) {
        (Some(c), false) => c,
        (Some(c), true) => format!("{c} + unpriced"),
        (None, true) => "unpriced".to_owned(),
        (None, false) => "cost unknown".to_owned(),
    };
    Some(format!("{tokens_text} tokens · {cost}"))
}

/// A group's cost cell: `$1.23`, `not converted`, `$0.40 + not priced`, `not priced`.
#[must_use]
pub fn cost_cell(group: &UsageGroup, currency: Currency, unpriced: bool) -> String {
    let known = money(group, currency);
    let text = match known {
        Money::Known(v) => amount(v, currency),
        Money::NotConverted => "not converted".to_owned(),
        Money::Unknown => "unknown".to_owned(),
    };
    if !unpriced {
        return text;
    }
    // Nothing priced at all: the figure would only be a misleading zero.
    if known == Money::Known(0.0) {
        "not priced".to_owned()
    } else {
        format!("{text} + not priced")
    }
}

/// A group's notes in words: unreported calls (their tokens are unknown).
#[must_use]
pub fn notes_cell(flags: &UsageFlags, grouping: UsageGrouping, group: &str) -> String {
    match flags.unreported(grouping, group) {
        0 => String::new(),
        n => format!("{} unreported", super::count::plural(n, "call")),
    }
}

/// Tokens at a glance: `980`, `12.3k`, `4.5M`.
#[must_use]
pub fn tokens(value: Option<i64>) -> String {
    let Some(n) = value else {
        return "?".to_owned();
    };
    #[allow(clippy::cast_precision_loss)] // a rounded figure for people
    let f = n as f64;
    if n.abs() < 1_000 {
        n.to_string()
    } else if n.abs() < 1_000_000 {
        format!("{:.1}k", f / 1e3)
    } else {
        format!("{:.1}M", f / 1e6)
    }
}

/// The rollups biggest first by their dollar cost (the stored truth; a group
/// without a euro rate keeps its place), ties in the server's order.
#[must_use]
pub fn biggest_first(groups: &[UsageGroup]) -> Vec<&UsageGroup> {
    let mut out: Vec<&UsageGroup> = groups.iter().collect();
    let usd = |g: &UsageGroup| g.cost_usd.as_deref().and_then(parse_cost).unwrap_or(0.0);
    out.sort_by(|a, b| usd(b).total_cmp(&usd(a)));
    out
}

/// One day of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    /// The day (UTC).
    pub date: NaiveDate,
    /// Its spend; `Known(0.0)` for a day with no calls.
    pub cost: Money,
    /// Whether any of the day's calls was unpriced.
    pub unpriced: bool,
    /// Calls whose tokens were never reported.
    pub unreported: i64,
    /// Whether the day had any usage at all.
    pub used: bool,
}

/// The [`CHART_DAYS`] days up to the latest one with usage (or up to `until`
/// when given), oldest first; days without usage are there with nothing spent.
#[must_use]
pub fn days(
    groups: &[UsageGroup],
    currency: Currency,
    flags: &UsageFlags,
    until: Option<NaiveDate>,
    count: usize,
) -> Vec<Day> {
    let dated: Vec<(NaiveDate, &UsageGroup)> = groups
        .iter()
        .filter_map(|g| {
            let date = NaiveDate::parse_from_str(g.group.as_deref()?.trim(), "%Y-%m-%d").ok()?;
            Some((date, g))
        })
        .collect();
    let Some(last) = until.or_else(|| dated.iter().map(|(d, _)| *d).max()) else {
        return Vec::new();
    };
    let count = u64::try_from(count.max(1)).unwrap_or(1);
    let first = last
        .checked_sub_days(chrono::Days::new(count - 1))
        .unwrap_or(last);
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| match dated.iter().find(|(d, _)| *d == date) {
            Some((_, g)) => {
                let key = date.to_string();
                Day {
                    date,
                    cost: money(g, currency),
                    unpriced: flags.is_unpriced(UsageGrouping::Day, &key),
                    unreported: flags.unreported(UsageGrouping::Day, &key),
                    used: true,
                }
            }
            None => Day {
                date,
                cost: Money::Known(0.0),
                unpriced: false,
                unreported: 0,
                used: false,
            },
        })
        .collect()
}

/// The sum of what is known, and whether anything was left out of it
/// (not converted, unknown): the total is then a lower bound.
#[must_use]
pub fn total(groups: &[UsageGroup], currency: Currency) -> (f64, bool) {
    groups
        .iter()
        .fold((0.0, false), |(sum, short), g| match money(g, currency) {
            Money::Known(v) => (sum + v, short),
            Money::NotConverted | Money::Unknown => (sum, true),
        })
}

/// `convo usage --group-by day` as text: one line per day, oldest first, a
/// bar scaled to the dearest day, the figure, and the flags in words.
#[must_use]
pub fn day_chart(days: &[Day], currency: Currency, bar_room: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let max = days
        .iter()
        .filter_map(|d| match d.cost {
            Money::Known(v) => Some(v),
            _ => None,
        })
        .fold(0.0_f64, f64::max);
    let mut out = String::new();
    for day in days {
        let (bar, figure) = match day.cost {
            Money::Known(v) => {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss
                )]
                // a non-negative figure scaled to a few dozen cells
                let eighths = if max > 0.0 {
                    ((v / max) * (bar_room * 8) as f64).round() as usize
                } else {
                    0
                };
                let mut bar = "█".repeat(eighths / 8);
                bar.push_str(EIGHTHS[eighths % 8]);
                (bar, amount(v, currency))
            }
            Money::NotConverted => (String::new(), "not converted".to_owned()),
            Money::Unknown => (String::new(), "unknown".to_owned()),
        };
        let mut flags = Vec::new();
        if day.unpriced {
            flags.push("+ not priced".to_owned());
        }
        match day.unreported {
            0 => {}
            n => flags.push(format!("{} unreported", super::count::plural(n, "call"))),
        }
        let figure = if day.used { figure } else { "—".to_owned() };
        let pad = bar_room.saturating_sub(crate::text::width(&bar));
        let line = format!(
            "{}  {bar}{}  {figure}{}{}",
            day.date,
            " ".repeat(pad),
            if flags.is_empty() { "" } else { "  " },
            flags.join(" · ")
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(json: &str) -> UsageGroup {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_missing_euro_figure_is_not_converted_and_unpriced_is_never_zero() {
        let g = group(r#"{"group":"2026-11-02","cost_usd":0.5}"#);
        assert_eq!(money(&g, Currency::Eur), Money::NotConverted);
        assert_eq!(cost_cell(&g, Currency::Eur, false), "not converted");
        let free = group(r#"{"group":"x","cost_usd":0}"#);
        assert_eq!(cost_cell(&free, Currency::Usd, true), "not priced");
        let some = group(r#"{"group":"x","cost_usd":1.5,"cost_eur":1.4}"#);
        assert_eq!(cost_cell(&some, Currency::Eur, true), "€1.40 + not priced");
        assert_eq!(amount(0.000_056, Currency::Usd), "$0.000056");
        assert_eq!(total(&[g, some], Currency::Eur), (1.4, true));
    }

    #[test]
    fn a_conversation_cost_keeps_its_digits_and_says_unpriced() {
        assert_eq!(
            decimal("0.05242500", Currency::Usd).as_deref(),
            Some("$0.052425")
        );
        assert_eq!(decimal("3", Currency::Usd).as_deref(), Some("$3.00"));
        let u: crate::provider::model::TokenUsage = serde_json::from_str(
            r#"{"totals":{"total_tokens":9860},"cost_usd":"0.05242500","cost_sources":["backend","unpriced"]}"#,
        )
        .unwrap();
        assert_eq!(
            conversation_cost(&u).as_deref(),
            Some("9.9k tokens · $0.052425 + unpriced")
        );
    }

    #[test]
    fn the_days_run_to_the_latest_one_with_gaps_filled() {
        let groups = [
            group(r#"{"group":"2026-11-03","cost_usd":2}"#),
            group(r#"{"group":"2026-11-01","cost_usd":1}"#),
        ];
        let days = days(&groups, Currency::Usd, &UsageFlags::default(), None, 5);
        assert_eq!(days.len(), 5);
        assert_eq!(days[4].date.to_string(), "2026-11-03");
        assert!(!days[3].used);
        let chart = day_chart(&days, Currency::Usd, 4);
        assert!(chart.contains("2026-11-03  ████  $2.00"), "{chart}");
        assert!(chart.contains("2026-11-01  ██    $1.00"), "{chart}");
    }
}
