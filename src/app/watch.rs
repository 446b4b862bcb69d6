//! Auto-refresh: whether the list is watched and how often, the generation its timer carries, and which rows are new since the last look.

use std::collections::HashSet;
use std::time::Duration;

use super::msg::Generation;
use crate::provider::ConversationRef;

/// The period `a` starts with when `--watch` gave none.
pub const DEFAULT_PERIOD: Duration = Duration::from_secs(30);
/// The shortest period `--watch` takes: a refresh a second is already a lot for an API.
pub const MIN_SECONDS: u64 = 1;
/// The longest: a day (past that, `r` by hand is the tool).
pub const MAX_SECONDS: u64 = 86_400;
/// How many conversations are remembered as seen; past it the oldest memory is
/// dropped (and every row of the next refresh counts as seen, none as new).
pub const SEEN_CAPACITY: usize = 10_000;

/// Who asked for a refresh of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// `r`: the status confirms when the fresh answer lands.
    ByHand,
    /// The watch's timer: rows never seen before are marked new.
    ByWatch,
}

/// Auto-refresh's state.
#[derive(Clone, Debug)]
pub struct Watch {
    /// How often, when on.
    pub period: Duration,
    /// Whether it is on.
    pub on: bool,
    /// Bumped when it is turned on or off: a timer of an older one is dropped.
    pub generation: Generation,
    /// Every conversation that was on screen since the watch began (or the query last changed).
    seen: HashSet<ConversationRef>,
    /// Rows that arrived with a refresh and were not seen before, until looked at.
    fresh: HashSet<ConversationRef>,
}

impl Default for Watch {
    fn default() -> Self {
        Self::new(DEFAULT_PERIOD)
    }
}

impl Watch {
    /// Off, with `period` ready for when it is turned on.
    #[must_use]
    pub fn new(period: Duration) -> Self {
        Self {
            period,
            on: false,
            generation: 0,
            seen: HashSet::new(),
            fresh: HashSet::new(),
        }
    }

    /// Whether a row is new since the last look.
    #[must_use]
    pub fn is_fresh(&self, key: &ConversationRef) -> bool {
        self.fresh.contains(key)
    }

    /// How many rows are marked new.
    #[must_use]
    pub fn fresh_count(&self) -> usize {
        self.fresh.len()
    }

    /// The rows now on screen, after a load: those never seen are marked new when
    /// a refresh brought them (`compare`), and all are remembered as seen.
    pub fn look(&mut self, keys: impl IntoIterator<Item = ConversationRef>, compare: bool) {
        let keys: Vec<ConversationRef> = keys.into_iter().collect();
        if self.seen.len() + keys.len() > SEEN_CAPACITY {
            self.seen.clear();
            self.fresh.clear();
        } else if compare && !self.seen.is_empty() {
            for key in &keys {
                if !self.seen.contains(key) {
                    self.fresh.insert(key.clone());
                }
            }
        }
        self.seen.extend(keys);
    }

    /// A row was looked at (selected): it is no longer new.
    pub fn looked_at(&mut self, key: &ConversationRef) {
        self.fresh.remove(key);
    }

    /// Another question (a new filter, sort or search): nothing is new against the old answer.
    pub fn forget(&mut self) {
        self.seen.clear();
        self.fresh.clear();
    }
}

/// Reads `--watch SECONDS`.
///
/// # Errors
/// Not a whole number of seconds, or outside 1 s to a day, said with the range.
pub fn parse_period(text: &str) -> Result<Duration, String> {
    let seconds: u64 = text.trim().parse().map_err(|_| {
        format!("{text:?} is not a number of seconds; give one from {MIN_SECONDS} to {MAX_SECONDS}, e.g. --watch 30")
    })?;
    if seconds < MIN_SECONDS {
        return Err(format!(
            "0 seconds would refresh without pause; give {MIN_SECONDS} to {MAX_SECONDS}, e.g. --watch 30"
        ));
    }
    if seconds > MAX_SECONDS {
        return Err(format!(
            "{seconds} seconds is more than a day; give {MIN_SECONDS} to {MAX_SECONDS} (r refreshes by hand)"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

/// A period as the header shows it: `30s`, `5m`, `1h30m`.
#[must_use]
pub fn period_label(period: Duration) -> String {
    let s = period.as_secs();
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, min, 0) => format!("{min}m"),
        (0, min, sec) => format!("{min}m{sec}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, min, _) => format!("{h}h{min}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pk(n: i64) -> ConversationRef {
        ConversationRef::Pk(n)
    }

    #[test]
    fn only_rows_a_refresh_brings_that_were_never_seen_are_new_until_looked_at() {
        let mut watch = Watch::default();
        watch.look([pk(1), pk(2)], false);
        assert_eq!(watch.fresh_count(), 0);
        watch.look([pk(3), pk(1), pk(2)], true);
        assert!(watch.is_fresh(&pk(3)));
        assert!(!watch.is_fresh(&pk(1)));
        // Still new at the next refresh, until it is looked at.
        watch.look([pk(3), pk(1)], true);
        assert!(watch.is_fresh(&pk(3)));
        watch.looked_at(&pk(3));
        assert!(!watch.is_fresh(&pk(3)));
        // A page seen for the first time by paging is not "new".
        watch.look([pk(9)], false);
        assert!(!watch.is_fresh(&pk(9)));
        watch.forget();
        watch.look([pk(4)], true);
        assert!(!watch.is_fresh(&pk(4)), "nothing to compare with");
    }

    #[test]
    fn periods_outside_a_second_to_a_day_are_refused_with_the_range() {
        assert_eq!(parse_period("30"), Ok(Duration::from_secs(30)));
        assert!(parse_period("0").unwrap_err().contains("1 to 86400"));
        assert!(
            parse_period("86401")
                .unwrap_err()
                .contains("more than a day")
        );
        assert!(parse_period("-5").unwrap_err().contains("not a number"));
        assert!(parse_period("1.5").unwrap_err().contains("not a number"));
        assert_eq!(period_label(Duration::from_secs(90)), "1m30s");
        assert_eq!(period_label(Duration::from_secs(5)), "5s");
        assert_eq!(period_label(Duration::from_secs(3600)), "1h");
    }
}
