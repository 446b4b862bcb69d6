//! Loading the conversations a server serves: data files, the bundled demo set, and the id repairs both need.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::provider::model::{Conversation, Feedback, Ticket, Timestamp};
use crate::provider::repair;

/// The demo data shipped inside the binary.
const BUNDLED_DEMO: &[u8] = include_bytes!("../../assets/demo.jsonl");

/// How long before "now" the newest demo conversation starts, once rebased.
const DEMO_NEWEST_AGE_MINUTES: i64 = 5;

/// Reads a data file: a JSON array of conversations, or one conversation per
/// line (blank lines skipped), each shaped like `GET /api/conversations/{pk}/?full=true`.
/// Ids are repaired (see [`assign_ids`]); nothing else is changed.
///
/// # Errors
/// The file cannot be read, or a record is not JSON or not an object; the
/// message names the file and the line (and record) at fault.
pub fn load_file(path: &Path) -> Result<Vec<Conversation>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut conversations = parse(&path.display().to_string(), &bytes)?;
    assign_ids(&mut conversations);
    Ok(conversations)
}

/// The bundled demo conversations, with every timestamp moved by one
/// whole-minute shift so the newest starts about five minutes ago — the demo
/// always looks like this week.
///
/// # Errors
/// The bundled data does not parse (a build that shipped a broken asset).
pub fn bundled_demo() -> Result<Vec<Conversation>, String> {
    let mut conversations = parse("assets/demo.jsonl", BUNDLED_DEMO)?;
    rebase(&mut conversations, Utc::now());
    assign_ids(&mut conversations);
    Ok(conversations)
}

/// `count` conversations generated from `seed` by the demo-data crate, read
/// through the same reader as a data file, so generated and bundled data take one path.
///
/// # Errors
/// The generated text does not serialize or parse (a generator bug), as one line.
pub fn generated(count: usize, seed: u64) -> Result<Vec<Conversation>, String> {
    let text = convo_demo::agentsight::generated_jsonl(count, seed)
        .map_err(|e| format!("cannot generate {count} conversations: {e}"))?;
    let mut conversations = parse("generated data", text.as_bytes())?;
    assign_ids(&mut conversations);
    Ok(conversations)
}

/// Parses a data file's bytes, repairing what can be repaired.
#[allow(clippy::naive_bytecount)] // counts lines once, on an error path
fn parse(name: &str, bytes: &[u8]) -> Result<Vec<Conversation>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("{name} line {line}: not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A value nested past the decoder's limit (or a lone surrogate escape)
    // would refuse the whole file: the repaired text gets a second try, and
    // if that fails too the first error is the one reported.
    parse_text(name, text).or_else(|first| match repair::repair(text) {
        Some(fixed) => parse_text(name, &fixed).map_err(|_| first),
        None => Err(first),
    })
}

/// Parses an array or JSON lines, telling which by the first non-blank byte.
fn parse_text(name: &str, text: &str) -> Result<Vec<Conversation>, String> {
    if text.trim_start().starts_with('[') {
        parse_array(name, text)
    } else {
        parse_lines(name, text)
    }
}

fn parse_lines(name: &str, text: &str) -> Result<Vec<Conversation>, String> {
    let mut conversations = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut deserializer = serde_json::Deserializer::from_str(line);
        let parsed = ObjectConversation::deserialize(&mut deserializer)
            .and_then(|c| deserializer.end().map(|()| c));
        match parsed {
            Ok(ObjectConversation(c)) => conversations.push(c),
            Err(e) => {
                let (message, column) = split_position(&e);
                return Err(format!(
                    "{name} line {}: {message} at column {column}",
                    index + 1
                ));
            }
        }
    }
    Ok(conversations)
}

fn parse_array(name: &str, text: &str) -> Result<Vec<Conversation>, String> {
    let records = Cell::new(0_usize);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = deserializer
        .deserialize_seq(CountingSeq(&records))
        .and_then(|c| deserializer.end().map(|()| c));
    parsed.map_err(|e| {
        let (message, column) = split_position(&e);
        let record = match records.get() {
            0 => String::new(),
            n => format!(" (record {n})"),
        };
        format!(
            "{name} line {}{record}: {message} at column {column}",
            e.line()
        )
    })
}

/// `serde_json`'s message without its " at line L column C" tail, and the column.
fn split_position(e: &serde_json::Error) -> (String, usize) {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned();
    (message, e.column())
}

/// A conversation that must be a JSON object: the lenient record reader would
/// take `42` as an empty conversation, which in a data file is a mistake to report.
struct ObjectConversation(Conversation);

impl<'de> Deserialize<'de> for ObjectConversation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ObjectConversation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a conversation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Conversation::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(ObjectConversation)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads the top-level array, counting records so an error can name the one at fault.
struct CountingSeq<'a>(&'a Cell<usize>);

impl<'de> Visitor<'de> for CountingSeq<'_> {
    type Value = Vec<Conversation>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of conversation objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut conversations = Vec::new();
        loop {
            self.0.set(conversations.len() + 1);
            match seq.next_element::<ObjectConversation>()? {
                Some(ObjectConversation(c)) => conversations.push(c),
                None => break,
            }
        }
        self.0.set(0);
        Ok(conversations)
    }
}

/// Makes every primary key a unique positive integer and gives every
/// conversation a `conversation_id`, deterministically: keys already valid and
/// first seen are kept; the rest get the next free numbers in file order; a
/// missing id becomes `conv-<pk>` (with a suffix if that is taken).
pub fn assign_ids(conversations: &mut [Conversation]) {
    let mut taken: HashSet<i64> = HashSet::new();
    let mut needs_pk = Vec::new();
    for (index, c) in conversations.iter().enumerate() {
        match c.id {
            Some(pk) if pk > 0 && taken.insert(pk) => {}
            _ => needs_pk.push(index),
        }
    }
    let mut next = taken.iter().copied().max().unwrap_or(0);
    for index in needs_pk {
        next += 1;
        conversations[index].id = Some(next);
    }
    let mut ids: HashSet<String> = conversations
        .iter()
        .filter_map(|c| c.conversation_id.clone())
        .filter(|id| !id.is_empty())
        .collect();
    for c in conversations.iter_mut() {
        if c.conversation_id
            .as_deref()
            .is_some_and(|id| !id.is_empty())
        {
            continue;
        }
        let base = format!("conv-{}", c.id.unwrap_or_default());
        let mut candidate = base.clone();
        let mut suffix = 1;
        while ids.contains(&candidate) {
            suffix += 1;
            candidate = format!("{base}-{suffix}");
        }
        ids.insert(candidate.clone());
        c.conversation_id = Some(candidate);
    }
}

/// Moves every timestamp by the whole-minute shift that puts the newest one
/// the data holds (a start, a late feedback, a ticket's last update)
/// [`DEMO_NEWEST_AGE_MINUTES`] before `now`, so nothing is dated in the
/// future. Unparseable timestamps are left as they are.
fn rebase(conversations: &mut [Conversation], now: DateTime<Utc>) {
    let mut newest: Option<DateTime<Utc>> = None;
    for c in conversations.iter_mut() {
        each_timestamp(c, &mut |t| {
            if let Some(at) = t.as_ref().and_then(Timestamp::instant) {
                newest = Some(newest.map_or(at, |n| n.max(at)));
            }
        });
    }
    let Some(newest) = newest else {
        return;
    };
    let target = now - Duration::minutes(DEMO_NEWEST_AGE_MINUTES);
    let raw = target - newest;
    // Whole minutes, rounded down, so seconds in the data stay as written.
    let shift = Duration::minutes(raw.num_seconds().div_euclid(60));
    for c in conversations.iter_mut() {
        each_timestamp(c, &mut |t| {
            if let Some(instant) = t.as_ref().and_then(Timestamp::instant) {
                *t = Some(Timestamp::from_instant(instant + shift));
            }
        });
    }
}

/// Visits every timestamp a conversation holds, once each.
fn each_timestamp(c: &mut Conversation, visit: &mut impl FnMut(&mut Option<Timestamp>)) {
    for t in [&mut c.started_at, &mut c.ended_at, &mut c.deleted_at] {
        visit(t);
    }
    for m in c.messages.iter_mut().flatten() {
        visit(&mut m.timestamp);
        for log in m.action_logs.iter_mut().flatten() {
            visit(&mut log.started_at);
            visit(&mut log.ended_at);
        }
        if let Some(vote) = &mut m.feedback {
            feedback_timestamps(vote, visit);
        }
    }
    for f in c.feedbacks.iter_mut().flatten() {
        feedback_timestamps(f, visit);
    }
    for t in c.tickets.iter_mut().flatten() {
        ticket_timestamps(t, visit);
    }
}

fn feedback_timestamps(f: &mut Feedback, visit: &mut impl FnMut(&mut Option<Timestamp>)) {
    visit(&mut f.created_at);
    if let Some(ticket) = &mut f.ticket {
        ticket_timestamps(ticket, visit);
    }
}

fn ticket_timestamps(t: &mut Ticket, visit: &mut impl FnMut(&mut Option<Timestamp>)) {
    visit(&mut t.created_at);
    visit(&mut t.updated_at);
    if let Some(feedback) = &mut t.feedback {
        visit(&mut feedback.created_at);
    }
    for comment in t.comments.iter_mut().flatten() {
        visit(&mut comment.created_at);
        visit(&mut comment.updated_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    #[test]
    fn lines_and_arrays_both_load_and_errors_name_the_line() {
        let lines = "{\"id\": 1}\n\n{\"id\": 2, \"name\": \"b\"}\n";
        assert_eq!(parse("x.jsonl", lines.as_bytes()).unwrap().len(), 2);
        let array = "[{\"id\": 1}, {\"id\": 2}]";
        assert_eq!(parse("x.json", array.as_bytes()).unwrap().len(), 2);
        let err = parse("demo.jsonl", b"{\"id\": 1}\n{\"id\": 2}\n{\"id\": }\n").unwrap_err();
        assert_eq!(err, "demo.jsonl line 3: expected value at column 8");
        let err = parse("demo.jsonl", b"{\"id\": 1}\n42\n").unwrap_err();
        assert!(err.starts_with("demo.jsonl line 2: invalid type"), "{err}");
        let err = parse("d.json", b"[\n{\"id\": 1},\n\"x\"\n]").unwrap_err();
        assert!(
            err.starts_with("d.json line 3 (record 2): invalid type"),
            "{err}"
        );
        let err = parse("d.json", b"[{\"id\": 1},\n{\"id\" 2}]").unwrap_err();
        assert!(
            err.starts_with("d.json line 2 (record 2): expected `:`"),
            "{err}"
        );
    }

    #[test]
    fn missing_and_duplicate_ids_are_assigned_deterministically() {
        let mut cs: Vec<Conversation> = serde_json::from_str(
            r#"[{"id": 5, "conversation_id": "a"}, {"id": 5}, {}, {"id": -1, "conversation_id": ""},
                {"id": 7, "conversation_id": "conv-8"}]"#,
        )
        .unwrap();
        assign_ids(&mut cs);
        let pks: Vec<i64> = cs.iter().map(|c| c.id.unwrap()).collect();
        assert_eq!(pks, vec![5, 8, 9, 10, 7]);
        let ids: Vec<&str> = cs
            .iter()
            .map(|c| c.conversation_id.as_deref().unwrap())
            .collect();
        assert_eq!(ids, vec!["a", "conv-8-2", "conv-9", "conv-10", "conv-8"]);
    }

    #[test]
    fn rebasing_moves_every_timestamp_by_whole_minutes() {
        let mut cs: Vec<Conversation> = serde_json::from_str(
            r#"[{"started_at": "2024-01-15T10:30:17Z", "ended_at": "2024-01-15T10:40:00Z",
                 "messages": [{"timestamp": "2024-01-15T10:30:20Z", "action_logs": [{"started_at": "2024-01-15T10:30:21Z"}],
                               "feedback": {"created_at": "2024-01-15T10:31:00Z"}}],
                 "feedbacks": [{"created_at": "2024-01-15T11:00:00Z"}],
                 "tickets": [{"created_at": "2024-01-15T12:00:00Z", "updated_at": "2024-01-16T12:00:00Z",
                              "comments": [{"created_at": "2024-01-15T12:05:00Z"}]}]},
                {"started_at": "2024-01-10T08:00:00Z", "deleted_at": "not a date"}]"#,
        )
        .unwrap();
        let now = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 42).unwrap();
        rebase(&mut cs, now);
        let newest = cs[0].started_at.as_ref().unwrap().instant().unwrap();
        assert_eq!(newest.second(), 17, "seconds stay as written");
        // The newest timestamp of all (the ticket's last update) lands minutes ago.
        let updated = cs[0].tickets.as_ref().unwrap()[0].updated_at.as_ref();
        let age = now - updated.unwrap().instant().unwrap();
        assert!(
            age >= Duration::minutes(5) && age < Duration::minutes(6),
            "{age}"
        );
        let shift = newest - Utc.with_ymd_and_hms(2024, 1, 15, 10, 30, 17).unwrap();
        let at = |t: &Option<Timestamp>| t.as_ref().unwrap().instant().unwrap() - shift;
        assert_eq!(
            at(&cs[0].ended_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 10, 40, 0).unwrap()
        );
        let message = &cs[0].messages()[0];
        assert_eq!(
            at(&message.timestamp),
            Utc.with_ymd_and_hms(2024, 1, 15, 10, 30, 20).unwrap()
        );
        // A vote moves once, with everything else.
        assert_eq!(
            at(&message.feedback.as_ref().unwrap().created_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 10, 31, 0).unwrap()
        );
        let log = &message.action_logs.as_ref().unwrap()[0];
        assert_eq!(
            at(&log.started_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 10, 30, 21).unwrap()
        );
        assert_eq!(
            at(&cs[0].feedbacks()[0].created_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 11, 0, 0).unwrap()
        );
        let ticket = &cs[0].tickets.as_ref().unwrap()[0];
        assert_eq!(
            at(&ticket.created_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 12, 0, 0).unwrap()
        );
        assert_eq!(
            at(&ticket.updated_at),
            Utc.with_ymd_and_hms(2024, 1, 16, 12, 0, 0).unwrap()
        );
        let comment = &ticket.comments.as_ref().unwrap()[0];
        assert_eq!(
            at(&comment.created_at),
            Utc.with_ymd_and_hms(2024, 1, 15, 12, 5, 0).unwrap()
        );
        assert_eq!(cs[1].deleted_at.as_ref().unwrap().as_str(), "not a date");
    }

    #[test]
    fn the_bundled_demo_parses_and_ends_minutes_ago() {
        let mut cs = bundled_demo().unwrap();
        assert!(!cs.is_empty());
        let mut newest: Option<DateTime<Utc>> = None;
        for c in &mut cs {
            each_timestamp(c, &mut |t| {
                if let Some(at) = t.as_ref().and_then(Timestamp::instant) {
                    newest = Some(newest.map_or(at, |n| n.max(at)));
                }
            });
        }
        // Nothing is dated in the future; the newest event is minutes old.
        let age = Utc::now() - newest.unwrap();
        assert!(
            age >= Duration::minutes(4) && age <= Duration::minutes(7),
            "{age}"
        );
    }
}
