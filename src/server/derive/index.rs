//! What the derived planes know of every conversation without deriving it: counts, time bounds and the walk order, computed once at load.

use chrono::{DateTime, Utc};

use super::actions::{self, ActionDef};
use super::spans::{self, Kind, SpanPlan};
use crate::server::record::Record;

/// One conversation's derived counts.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConversationIndex {
    pub spans: u32,
    /// Spans by kind (`turn`, `llm`, `tool`) and status (ok, error).
    pub spans_by: [[u32; 2]; 3],
    pub rows: u32,
    pub incomplete_rows: u32,
    /// The earliest span start and the latest span end.
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
}

impl ConversationIndex {
    /// How many spans have this kind and status (`None` = any).
    pub(crate) fn count(&self, kind: Option<Kind>, error: Option<bool>) -> u32 {
        if kind.is_none() && error.is_none() {
            return self.spans;
        }
        Kind::ALL
            .iter()
            .enumerate()
            .filter(|(_, k)| kind.is_none_or(|want| want == **k))
            .map(|(i, _)| match error {
                None => self.spans_by[i][0] + self.spans_by[i][1],
                Some(e) => self.spans_by[i][usize::from(e)],
            })
            .sum()
    }

    /// Whether any span may start inside these bounds.
    pub(crate) fn may_start_within(
        &self,
        after: Option<DateTime<Utc>>,
        before: Option<DateTime<Utc>>,
    ) -> bool {
        after.is_none_or(|a| self.last.is_some_and(|l| l >= a))
            && before.is_none_or(|b| self.first.is_some_and(|f| f <= b))
    }
}

/// Every conversation's counts, the order lists walk them in, and the action catalogue.
#[derive(Debug, Default)]
pub(crate) struct PlaneIndex {
    /// Parallel to the store's records.
    pub conversations: Vec<ConversationIndex>,
    /// Record indexes, newest conversation first (ties: higher key first).
    pub newest_first: Vec<u32>,
    /// Record indexes by primary key, lowest first.
    pub by_key: Vec<u32>,
    /// Every conversation's counts added up (its time bounds unused).
    pub totals: ConversationIndex,
    pub actions: Vec<ActionDef>,
}

impl PlaneIndex {
    pub(crate) fn build(records: &[Record]) -> Self {
        let conversations: Vec<ConversationIndex> = records.iter().map(index_one).collect();
        let mut newest_first: Vec<u32> = (0..records.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        newest_first.sort_unstable_by(|a, b| {
            let (ra, rb) = (&records[*a as usize], &records[*b as usize]);
            rb.derived
                .started_at
                .cmp(&ra.derived.started_at)
                .then(rb.derived.pk.cmp(&ra.derived.pk))
        });
        let mut by_key = newest_first.clone();
        by_key.sort_unstable_by_key(|i| records[*i as usize].derived.pk);
        let mut totals = ConversationIndex::default();
        for c in &conversations {
            totals.spans = totals.spans.saturating_add(c.spans);
            totals.rows = totals.rows.saturating_add(c.rows);
            totals.incomplete_rows = totals.incomplete_rows.saturating_add(c.incomplete_rows);
            for (sum, n) in totals
                .spans_by
                .iter_mut()
                .flatten()
                .zip(c.spans_by.iter().flatten())
            {
                *sum = sum.saturating_add(*n);
            }
        }
        let actions = actions::catalogue(records.iter().map(Record::messages));
        Self {
            conversations,
            newest_first,
            by_key,
            totals,
            actions,
        }
    }

    pub(crate) fn get(&self, index: usize) -> Option<&ConversationIndex> {
        self.conversations.get(index)
    }
}

fn index_one(record: &Record) -> ConversationIndex {
    let d = spans::derive(record);
    let plans = spans::plan(record, &d);
    let mut index = ConversationIndex {
        spans: u32::try_from(plans.len()).unwrap_or(u32::MAX),
        rows: u32::try_from(d.rows.len()).unwrap_or(u32::MAX),
        ..ConversationIndex::default()
    };
    let incomplete: Vec<u32> = d
        .turns
        .iter()
        .filter(|t| t.incomplete.is_some())
        .map(|t| t.index)
        .collect();
    index.incomplete_rows = u32::try_from(
        d.rows
            .iter()
            .filter(|r| incomplete.contains(&r.turn))
            .count(),
    )
    .unwrap_or(u32::MAX);
    for s in &plans {
        let kind = Kind::ALL.iter().position(|k| *k == s.kind).unwrap_or(0);
        index.spans_by[kind][usize::from(s.error)] += 1;
        index.first = Some(index.first.map_or(s.start, |f| f.min(s.start)));
        index.last = Some(index.last.map_or(s.start, |l| l.max(SpanPlan::end(s))));
    }
    index
}
