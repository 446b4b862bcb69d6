//! The bundled demo data and the generator: coverage of every feature the browser shows, determinism, ids, size.
#![allow(clippy::cast_precision_loss, clippy::items_after_statements)] // small counts and sizes in test arithmetic
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise

use crate::support::common;

use std::collections::HashSet;
use std::path::PathBuf;

use convo::provider::model::{ActionOutcome, Conversation};
use convo::server::generate::{anchor, generate};

/// The file limit: the demo ships inside the binary. Raised from 1.8 MiB when
/// the data took the live shapes: every message names its conversation, every
/// log and file its message, and votes, ticket threads and usage columns came in.
const MAX_DEMO_BYTES: u64 = 2_359_296; // 2.25 MiB

fn demo_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(convo_demo::agentsight::DEMO_FILE)
}

fn demo() -> Vec<Conversation> {
    let text = std::fs::read_to_string(demo_path())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", demo_path().display()));
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str::<Conversation>(line)
                .unwrap_or_else(|e| panic!("demo.jsonl line {}: {e}", i + 1))
        })
        .collect()
}

fn all_text(c: &Conversation) -> impl Iterator<Item = &str> {
    c.messages()
        .iter()
        .filter_map(|m| m.content.as_deref())
        .chain(c.feedbacks().iter().filter_map(|f| f.comment.as_deref()))
}

#[test]
fn the_demo_file_is_small_enough_and_is_what_the_generator_writes() {
    let bytes = std::fs::metadata(demo_path()).unwrap().len();
    assert!(bytes < MAX_DEMO_BYTES, "assets/demo.jsonl is {bytes} bytes");
    let expected = convo_demo::agentsight::demo_jsonl().unwrap();
    assert!(
        !expected.is_empty(),
        "the AgentSight generator wrote nothing"
    );
    let actual = std::fs::read(demo_path()).unwrap();
    assert!(
        actual == expected.as_bytes(),
        "{} is stale: run `cargo run -p convo-demo -- assets/`",
        convo_demo::agentsight::DEMO_FILE
    );
}

/// The records the server holds for `serve --generate` are the generator's
/// lines read back, with nothing lost or added on the way.
#[test]
fn generated_records_read_back_to_the_generators_exact_lines() {
    for (count, seed) in [(1, 5), (120, 7)] {
        let lines = convo_demo::agentsight::generated_jsonl(count, seed).unwrap();
        assert_eq!(lines.lines().count(), count);
        let mut held = String::new();
        for c in generate(count, seed) {
            held.push_str(&serde_json::to_string(&c).unwrap());
            held.push('\n');
        }
        assert!(
            held == lines,
            "generate({count}, {seed}) changed on reading"
        );
    }
}

#[tokio::test]
async fn serve_generate_answers_the_generators_records_over_http() {
    use clap::Parser as _;
    #[derive(clap::Parser)]
    struct Serve {
        #[command(flatten)]
        args: convo::server::ServeArgs,
    }
    let args = Serve::try_parse_from(["serve", "--generate", "40", "--seed", "11"])
        .unwrap()
        .args;
    let conversations = args.load_conversations().unwrap();
    let server = common::start(conversations, args.config().unwrap()).await;
    let lines = convo_demo::agentsight::generated_jsonl(40, 11).unwrap();
    for line in lines.lines().step_by(7) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let pk = record["id"].as_i64().unwrap();
        let (status, answer) =
            common::get(&server, &format!("/api/conversations/{pk}/?full=true")).await;
        assert_eq!(status, 200, "{answer}");
        // Messages are checked by their own tests; the server adds counts.
        for (key, value) in record.as_object().unwrap() {
            if key != "messages" {
                assert_eq!(&answer[key], value, "conversation {pk}: `{key}`");
            }
        }
        let contents = |v: &serde_json::Value| -> Vec<serde_json::Value> {
            v["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["content"].clone())
                .collect()
        };
        assert_eq!(contents(&answer), contents(&record), "conversation {pk}");
    }
}

#[test]
fn the_chatdash_demo_file_is_what_the_generator_writes() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(convo_demo::CHATDASH_DEMO_FILE);
    let actual = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let expected = convo_demo::chatdash_demo_jsonl();
    assert!(!expected.is_empty(), "the ChatDash generator wrote nothing");
    assert!(
        actual == expected,
        "{} is stale: run `cargo run -p convo-demo -- assets/`",
        convo_demo::CHATDASH_DEMO_FILE
    );
}

#[test]
fn the_demo_has_unique_ids_and_every_sender_and_language() {
    let demo = demo();
    assert!(demo.len() >= 250, "{} conversations", demo.len());
    let pks: HashSet<i64> = demo.iter().map(|c| c.id.unwrap()).collect();
    assert_eq!(pks.len(), demo.len());
    let ids: HashSet<&str> = demo
        .iter()
        .map(|c| c.conversation_id.as_deref().unwrap())
        .collect();
    assert_eq!(ids.len(), demo.len());
    let senders: HashSet<&str> = demo
        .iter()
        .flat_map(convo::provider::Conversation::messages)
        .filter_map(|m| m.sender.as_deref())
        .collect();
    for sender in ["end_user", "agent", "human_agent", "system"] {
        assert!(senders.contains(sender), "no {sender} message");
    }
    let languages: HashSet<&str> = demo.iter().filter_map(|c| c.language.as_deref()).collect();
    for lang in ["en", "es", "de", "fr", "ja", "ar"] {
        assert!(languages.contains(lang), "no conversation in {lang}");
    }
    assert!(
        demo.iter().any(|c| c.messages().is_empty()),
        "no empty conversation"
    );
    assert!(
        demo.iter()
            .any(|c| !c.messages().is_empty() && c.feedbacks().is_empty()),
        "no conversation without feedback"
    );
    assert!(
        demo.iter()
            .any(|c| c.environment.as_deref() == Some("development"))
    );
}

#[test]
fn the_demo_has_actions_that_succeed_fail_and_time_out() {
    let demo = demo();
    let logs: Vec<_> = demo
        .iter()
        .flat_map(convo::provider::Conversation::action_logs)
        .collect();
    let failed = |timeout: bool| {
        logs.iter().any(|(_, log)| {
            log.outcome() == ActionOutcome::Failed
                && log
                    .error_message
                    .as_deref()
                    .unwrap_or("")
                    .contains("timeout")
                    == timeout
        })
    };
    assert!(
        logs.iter()
            .any(|(_, l)| l.outcome() == ActionOutcome::Succeeded)
    );
    assert!(failed(false), "no failed action");
    assert!(failed(true), "no timed-out action");
    for (message, log) in &logs {
        assert!(message.action_name.is_some());
        assert!(
            log.tools_used
                .as_ref()
                .is_some_and(serde_json::Value::is_object)
        );
    }
    // The outage: several customers in the same hour hitting the same failing call.
    let outage = demo
        .iter()
        .filter(|c| {
            c.action_logs().any(|(m, l)| {
                m.action_name.as_deref() == Some("create_payment_intent")
                    && l.outcome() == ActionOutcome::Failed
            })
        })
        .count();
    assert!(outage >= 5, "{outage} conversations hit the outage");
}

#[test]
fn the_demo_has_every_feedback_and_attachment_kind() {
    let demo = demo();
    let rows: Vec<_> = demo
        .iter()
        .flat_map(convo::provider::Conversation::feedbacks)
        .collect();
    for sentiment in ["positive", "neutral", "negative"] {
        assert!(
            rows.iter()
                .any(|f| f.sentiment.as_deref() == Some(sentiment)),
            "no {sentiment} conversation feedback"
        );
    }
    assert!(rows.iter().any(|f| f.comment.is_some()));
    assert!(rows.iter().any(|f| f.category.is_some()));
    assert!(rows.iter().any(|f| f.category.is_none()));
    // The older `source` key stays on a few rows only, in both of its values.
    let older: Vec<&str> = rows.iter().filter_map(|f| f.source.as_deref()).collect();
    assert!(
        older.contains(&"customer") && older.contains(&"platform"),
        "{older:?}"
    );
    assert!(
        older.len() * 10 < rows.len(),
        "{} of {} rows in the older shape",
        older.len(),
        rows.len()
    );
    let attachments: Vec<_> = demo
        .iter()
        .flat_map(convo::provider::Conversation::attachments)
        .collect();
    let kinds: HashSet<&str> = attachments
        .iter()
        .filter_map(|(_, a)| a.kind.as_deref())
        .collect();
    for kind in ["image", "document", "text", "audio", "video"] {
        assert!(kinds.contains(kind), "no {kind} attachment");
    }
    let mimes: HashSet<&str> = attachments
        .iter()
        .filter_map(|(_, a)| a.mime_type.as_deref())
        .collect();
    assert!(mimes.len() >= 10, "{mimes:?}");
    for (_, a) in &attachments {
        let size = a.size_bytes.unwrap();
        assert!((2_048..=80 * 1_048_576).contains(&size), "{size}");
        assert!(
            a.file_url
                .as_deref()
                .unwrap()
                .starts_with("https://cdn.agentsight.io/files/conv-")
        );
    }
    let files_per_conversation = |c: &Conversation| c.attachments().count();
    assert!(
        demo.iter()
            .filter(|c| files_per_conversation(c) >= 6)
            .count()
            >= 2,
        "fewer than two conversations with attachments in many messages"
    );
}

#[test]
fn the_demo_has_flags_metadata_tickets_and_usage() {
    let demo = demo();
    assert!(demo.iter().any(|c| c.is_marked == Some(true)));
    let deleted: Vec<_> = demo.iter().filter(|c| c.is_deleted == Some(true)).collect();
    assert!(!deleted.is_empty());
    assert!(deleted.iter().all(|c| c.deleted_at.is_some()));
    assert!(demo.iter().any(|c| {
        c.metadata
            .as_ref()
            .and_then(|m| m.as_object())
            .is_some_and(|m| m.values().any(serde_json::Value::is_object))
    }));
    assert!(
        demo.iter()
            .flat_map(|c| c.tickets.iter().flatten())
            .any(|t| t.comments.as_ref().is_some_and(|c| !c.is_empty()))
    );
    let unpriced = demo.iter().filter_map(|c| c.token_usage.as_ref()).any(|u| {
        u.models
            .iter()
            .flatten()
            .any(|m| m.cost_source.as_deref() == Some("unpriced"))
            && u.cost_sources
                .as_ref()
                .is_some_and(|s| s.to_string().contains("unpriced"))
    });
    assert!(unpriced, "no token usage with an unpriced model");
    assert!(
        demo.iter()
            .any(|c| !c.messages().is_empty() && c.token_usage.is_none())
    );
    for usage in demo.iter().filter_map(|c| c.token_usage.as_ref()) {
        let cost = usage.cost_usd.as_deref().unwrap();
        assert!(cost.parse::<f64>().is_ok(), "{cost}");
    }
}

#[test]
fn the_demo_speaks_several_scripts() {
    let demo = demo();
    let any_char = |test: fn(char) -> bool| {
        demo.iter()
            .flat_map(all_text)
            .any(|text| text.chars().any(test))
    };
    assert!(
        any_char(|c| matches!(c, 'é' | 'ñ' | 'ü' | 'ß')),
        "no accented Latin"
    );
    assert!(
        any_char(
            |c| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        ),
        "no Japanese"
    );
    assert!(
        any_char(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "no Arabic"
    );
    assert!(
        any_char(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c)),
        "no emoji"
    );
}

#[test]
fn the_demo_has_marathons_and_consistent_timestamps() {
    let demo = demo();
    let marathons = demo.iter().filter(|c| c.messages().len() >= 450).count();
    assert!(
        marathons >= 3,
        "{marathons} conversations with 450+ messages"
    );
    let end = anchor();
    let week = chrono::DateTime::parse_from_rfc3339("2026-11-09T00:00:00Z").unwrap();
    for c in &demo {
        let id = c.display_id();
        let started = c
            .started_at
            .as_ref()
            .and_then(convo::provider::lenient::Timestamp::instant)
            .unwrap();
        let ended = c
            .ended_at
            .as_ref()
            .and_then(convo::provider::lenient::Timestamp::instant)
            .unwrap();
        assert!(started >= week && ended <= end, "{id}: {started}..{ended}");
        let mut previous = started;
        for m in c.messages() {
            let t = m
                .timestamp
                .as_ref()
                .and_then(convo::provider::lenient::Timestamp::instant)
                .unwrap();
            assert!(t >= started && t <= ended, "{id}: message at {t}");
            assert!(t >= previous, "{id}: messages out of order at {t}");
            previous = t;
        }
        let later = c
            .feedbacks()
            .iter()
            .filter_map(|f| f.created_at.as_ref())
            .chain(c.deleted_at.as_ref())
            .chain(
                c.tickets
                    .iter()
                    .flatten()
                    .filter_map(|t| t.created_at.as_ref()),
            );
        for t in later {
            assert!(t.instant().unwrap() <= end, "{id}: {}", t.as_str());
        }
    }
}

fn serialized(set: &[Conversation]) -> String {
    serde_json::to_string(set).unwrap_or_else(|e| panic!("cannot serialize: {e}"))
}

#[test]
fn generation_is_deterministic_and_seeded() {
    let a = serialized(&generate(200, 7));
    let b = serialized(&generate(200, 7));
    assert!(a == b, "same seed, different output");
    let c = serialized(&generate(200, 8));
    assert!(a != c, "different seeds, same output");
    assert!(generate(0, 7).is_empty());
    assert_eq!(generate(3, 7).len(), 3);
}

#[test]
fn generated_ids_are_unique() {
    let set = generate(200, 7);
    let pks: Vec<i64> = set.iter().map(|c| c.id.unwrap()).collect();
    assert_eq!(pks, (1..=200).collect::<Vec<_>>());
    fn unique<'a>(what: &str, ids: impl Iterator<Item = Option<i64>> + 'a) {
        let ids: Vec<i64> = ids.map(Option::unwrap).collect();
        let set: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(set.len(), ids.len(), "duplicate {what} ids");
        assert!(!ids.is_empty(), "no {what}");
    }
    let conversation_ids: HashSet<&str> = set
        .iter()
        .map(|c| c.conversation_id.as_deref().unwrap())
        .collect();
    assert_eq!(conversation_ids.len(), set.len());
    unique(
        "message",
        set.iter()
            .flat_map(convo::provider::Conversation::messages)
            .map(|m| m.id),
    );
    unique(
        "action log",
        set.iter()
            .flat_map(convo::provider::Conversation::action_logs)
            .map(|(_, l)| l.id),
    );
    unique(
        "attachment",
        set.iter()
            .flat_map(convo::provider::Conversation::attachments)
            .map(|(_, a)| a.id),
    );
    unique(
        "feedback",
        set.iter().flat_map(|c| {
            c.feedbacks().iter().map(|f| f.id).chain(
                c.messages()
                    .iter()
                    .filter_map(|m| m.feedback.as_ref())
                    .map(|v| v.id),
            )
        }),
    );
    unique(
        "ticket",
        set.iter()
            .flat_map(|c| c.tickets.iter().flatten())
            .map(|t| t.id),
    );
}

#[test]
fn ten_thousand_generated_conversations_have_a_realistic_size() {
    let set = generate(10_000, 1);
    assert_eq!(set.len(), 10_000);
    let bytes: usize = set
        .iter()
        .map(|c| serde_json::to_vec(c).unwrap().len())
        .sum();
    let average = bytes / set.len();
    let messages: usize = set.iter().map(|c| c.messages().len()).sum();
    eprintln!(
        "generate(10_000, 1): {average} bytes and {:.1} messages per conversation on average",
        messages as f64 / set.len() as f64
    );
    assert!(
        (4_096..=12_288).contains(&average),
        "{average} bytes on average"
    );
    assert!(set.iter().any(|c| c.messages().len() >= 150));
}

/// `{word}` not preceded by `$` (a JavaScript template literal is not a placeholder).
fn unfilled_placeholder(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let dollar = rest[..open].ends_with('$');
        if let Some(close) = after.find('}') {
            let key = &after[..close];
            let is_key = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if is_key && !dollar {
                return Some(key);
            }
        }
        rest = after;
    }
    None
}

#[test]
fn no_placeholder_is_left_unfilled() {
    let mut texts: Vec<String> = Vec::new();
    for c in demo().iter().chain(generate(300, 3).iter()) {
        texts.extend(c.name.clone());
        texts.extend(c.messages().iter().filter_map(|m| m.content.clone()));
        texts.extend(c.attachments().filter_map(|(_, a)| a.filename.clone()));
        for (_, log) in c.action_logs() {
            texts.extend(log.response.clone());
            texts.extend(log.error_message.clone());
            texts.extend(log.tools_used.as_ref().map(ToString::to_string));
        }
        for t in c.tickets.iter().flatten() {
            texts.extend(t.title.clone());
            texts.extend(t.comments.iter().flatten().filter_map(|c| c.body.clone()));
        }
    }
    for text in &texts {
        assert!(unfilled_placeholder(text).is_none(), "unfilled: {text}");
    }
}

// ---------------------------------------------------------------------------
// The live shapes: owners, links between records, votes, tickets, durations, usage
// ---------------------------------------------------------------------------

use convo::provider::lenient::Timestamp;
use convo::provider::model::{Feedback, ModelUsage, TokenUsage};
use convo::server::generate::AGENT_ID;

fn instant(t: Option<&Timestamp>) -> chrono::DateTime<chrono::Utc> {
    t.and_then(Timestamp::instant)
        .unwrap_or_else(|| panic!("missing or unreadable timestamp {t:?}"))
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 50
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn assert_owned_by_environment(what: &str, environment: Option<&str>, environment_id: Option<i64>) {
    let expected = match environment {
        Some("production") => 1,
        Some("development") => 2,
        other => panic!("{what}: environment {other:?}"),
    };
    assert_eq!(environment_id, Some(expected), "{what}: environment_id");
}

fn votes(c: &Conversation) -> impl Iterator<Item = &Feedback> {
    c.messages().iter().filter_map(|m| m.feedback.as_ref())
}

/// Every feedback id of the set, votes included, is unique.
fn assert_unique_feedback_ids(set: &[Conversation]) {
    let ids: Vec<i64> = set
        .iter()
        .flat_map(|c| c.feedbacks().iter().chain(votes(c)))
        .map(|f| f.id.unwrap())
        .collect();
    let distinct: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), ids.len(), "duplicate feedback ids");
}

fn assert_messages_link_up(c: &Conversation) {
    let id = c.display_id();
    for m in c.messages() {
        assert_eq!(m.conversation, c.id, "{id}: message conversation");
        for a in m.attachments.iter().flatten() {
            assert_eq!(a.message, m.id, "{id}: attachment message");
        }
        for log in m.action_logs.iter().flatten() {
            assert_eq!(log.message, m.id, "{id}: action log message");
            let duration = log.duration_ms.unwrap();
            let measured = instant(log.ended_at.as_ref()) - instant(log.started_at.as_ref());
            let measured = measured.num_microseconds().unwrap() as f64 / 1_000.0;
            assert!(
                (duration - measured).abs() < 0.000_5,
                "{id}: {duration} ms vs {measured} ms"
            );
        }
        let Some(vote) = &m.feedback else { continue };
        assert_eq!(
            m.sender.as_deref(),
            Some("agent"),
            "{id}: a vote on a customer message"
        );
        assert_eq!(vote.kind.as_deref(), Some("message"));
        assert_eq!(
            (vote.message, vote.conversation),
            (m.id, c.id),
            "{id}: vote links"
        );
        assert_eq!(vote.agent, Some(AGENT_ID));
        assert_eq!(vote.environment, c.environment, "{id}: vote environment");
        assert_owned_by_environment(&id, vote.environment.as_deref(), vote.environment_id);
        assert!(
            vote.topic.as_deref().is_none_or(is_slug),
            "{id}: {:?}",
            vote.topic
        );
        assert!(
            vote.reason.as_deref().is_none_or(is_slug),
            "{id}: {:?}",
            vote.reason
        );
        assert!(instant(vote.created_at.as_ref()) >= instant(m.timestamp.as_ref()));
        assert!(instant(vote.created_at.as_ref()) <= anchor());
    }
}

fn assert_tickets_hold_together(c: &Conversation) {
    let id = c.display_id();
    for t in c.tickets.iter().flatten() {
        assert_eq!(t.agent, Some(AGENT_ID));
        assert_eq!(t.environment, c.environment, "{id}: ticket environment");
        assert_owned_by_environment(&id, t.environment.as_deref(), t.environment_id);
        let statuses = [
            "backlog",
            "open",
            "in_progress",
            "in_review",
            "done",
            "closed",
        ];
        assert!(
            statuses.contains(&t.status.as_deref().unwrap()),
            "{id}: {:?}",
            t.status
        );
        assert!(
            t.priority
                .as_deref()
                .is_none_or(|p| ["low", "medium", "high"].contains(&p))
        );
        let (created, updated) = (
            instant(t.created_at.as_ref()),
            instant(t.updated_at.as_ref()),
        );
        assert!(
            created <= updated && updated <= anchor(),
            "{id}: {created}..{updated}"
        );
        assert_eq!(
            t.comments_count,
            i64::try_from(t.comments().len()).ok(),
            "{id}: comments_count"
        );
        let mut previous = created;
        for comment in t.comments() {
            let (at, edited) = (
                instant(comment.created_at.as_ref()),
                instant(comment.updated_at.as_ref()),
            );
            assert!(
                previous <= at && at <= edited && edited <= updated,
                "{id}: comment at {at}"
            );
            previous = at;
            assert!(["agent", "dev", "reporter"].contains(&comment.role.as_deref().unwrap()));
            assert!(comment.author.as_deref().is_some_and(|a| !a.is_empty()));
            assert!(comment.body.as_deref().is_some_and(|b| !b.is_empty()));
        }
        if let Some(summary) = &t.feedback {
            let source = c
                .feedbacks()
                .iter()
                .chain(votes(c))
                .find(|f| f.id == summary.id)
                .unwrap_or_else(|| {
                    panic!(
                        "{id}: ticket feedback {:?} is not in the conversation",
                        summary.id
                    )
                });
            assert_eq!(summary.kind, source.kind);
            assert_eq!(summary.sentiment, source.sentiment);
            assert_eq!(summary.comment, source.comment);
            assert_eq!(summary.created_at, source.created_at);
        }
    }
}

/// The billable columns of one entry, `total_tokens` last.
fn columns(m: &ModelUsage) -> [Option<i64>; 6] {
    [
        m.prompt_tokens,
        m.completion_tokens,
        m.embedding_tokens,
        m.cache_read_tokens,
        m.cache_write_tokens,
        m.total_tokens,
    ]
}

/// Eight-place decimal dollars as whole 1e-8 dollars.
fn units(cost: &str) -> i64 {
    let (whole, fraction) = cost.split_once('.').unwrap_or_else(|| panic!("{cost}"));
    assert_eq!(fraction.len(), 8, "{cost}");
    whole.parse::<i64>().unwrap() * 100_000_000 + fraction.parse::<i64>().unwrap()
}

fn assert_usage_adds_up(id: &str, usage: &TokenUsage) {
    let totals = usage
        .totals
        .as_ref()
        .unwrap_or_else(|| panic!("{id}: no totals"));
    let total = [
        totals.prompt_tokens,
        totals.completion_tokens,
        totals.embedding_tokens,
        totals.cache_read_tokens,
        totals.cache_write_tokens,
        totals.total_tokens,
    ];
    let mut sum = [0_i64; 6];
    let mut keys = HashSet::new();
    let mut priced = 0;
    let mut sources: Vec<&str> = Vec::new();
    for m in usage.models() {
        let model_columns = columns(m);
        assert!(
            model_columns.iter().all(|c| *c != Some(0)),
            "{id}: a zero column in {m:?}"
        );
        let billable: i64 = model_columns[..5].iter().flatten().sum();
        assert_eq!(m.total_tokens, Some(billable), "{id}: {m:?}");
        for (s, c) in sum.iter_mut().zip(model_columns) {
            *s += c.unwrap_or(0);
        }
        let source = m.cost_source.as_deref().unwrap();
        assert!(
            keys.insert((m.model.clone().unwrap(), source)),
            "{id}: two entries for one model and source"
        );
        if !sources.contains(&source) {
            sources.push(source);
        }
        if source != "unpriced" {
            priced += units(m.cost_usd.as_deref().unwrap());
        }
    }
    for (column, (t, s)) in total.iter().zip(sum).enumerate() {
        let expected = if s == 0 && column < 5 { None } else { Some(s) };
        assert_eq!(*t, expected, "{id}: totals column {column}");
    }
    assert_eq!(
        units(usage.cost_usd.as_deref().unwrap()),
        priced,
        "{id}: cost"
    );
    let listed: Vec<&str> = usage
        .cost_sources
        .as_ref()
        .and_then(serde_json::Value::as_array)
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    assert_eq!(listed, sources, "{id}: cost_sources");
}

/// What must hold in any generated set, whatever its size.
fn assert_holds_together(set: &[Conversation]) {
    assert_unique_feedback_ids(set);
    for c in set {
        let id = c.display_id();
        assert_eq!(c.agent, Some(AGENT_ID), "{id}: agent");
        assert_owned_by_environment(&id, c.environment.as_deref(), c.environment_id);
        assert!(
            c.message_count.is_none() && c.feedback_count.is_none(),
            "{id}: stored counts"
        );
        assert_messages_link_up(c);
        for f in c.feedbacks() {
            assert_eq!(f.kind.as_deref(), Some("conversation"));
            assert_eq!(
                (f.conversation, f.agent),
                (c.id, Some(AGENT_ID)),
                "{id}: feedback links"
            );
            assert_eq!(f.environment, c.environment);
            assert_owned_by_environment(&id, f.environment.as_deref(), f.environment_id);
            assert!(f.sentiment.is_some() && f.created_at.is_some());
        }
        assert_tickets_hold_together(c);
        if let Some(usage) = &c.token_usage {
            assert_usage_adds_up(&id, usage);
        }
    }
}

#[test]
fn the_demo_holds_together_in_the_live_shapes() {
    let demo = demo();
    assert_holds_together(&demo);
    let text = std::fs::read_to_string(demo_path()).unwrap();
    for (n, line) in text.lines().enumerate() {
        let raw: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["message_count", "feedback_count"] {
            assert!(
                raw.get(key).is_none(),
                "line {}: `{key}` is the server's to count",
                n + 1
            );
        }
    }
}

#[test]
fn the_demo_has_votes_on_some_replies() {
    let demo = demo();
    let talked: Vec<_> = demo.iter().filter(|c| !c.messages().is_empty()).collect();
    let voted = talked.iter().filter(|c| votes(c).next().is_some()).count();
    let share = voted as f64 / talked.len() as f64;
    assert!(
        (0.08..=0.16).contains(&share),
        "{voted} of {} conversations have votes",
        talked.len()
    );
    let all: Vec<&Feedback> = demo.iter().flat_map(votes).collect();
    assert!(all.len() > voted, "only one vote per conversation");
    for sentiment in ["positive", "neutral", "negative"] {
        assert!(
            all.iter()
                .any(|v| v.sentiment.as_deref() == Some(sentiment)),
            "no {sentiment} vote"
        );
    }
    assert!(all.iter().any(|v| v.topic.is_some() && v.reason.is_some()));
    assert!(all.iter().any(|v| v.comment.is_some()));
    assert!(all.iter().any(|v| v.comment.is_none()));
}

#[test]
fn the_demo_has_tickets_in_every_status_with_threads_and_feedback() {
    let demo = demo();
    let tickets: Vec<_> = demo
        .iter()
        .flat_map(|c| c.tickets.iter().flatten())
        .collect();
    for status in [
        "backlog",
        "open",
        "in_progress",
        "in_review",
        "done",
        "closed",
    ] {
        assert!(
            tickets.iter().any(|t| t.status.as_deref() == Some(status)),
            "no {status} ticket"
        );
    }
    for priority in [Some("low"), Some("medium"), Some("high"), None] {
        assert!(
            tickets.iter().any(|t| t.priority.as_deref() == priority),
            "no {priority:?} ticket"
        );
    }
    let all_roles = tickets.iter().any(|t| {
        let roles: HashSet<&str> = t
            .comments()
            .iter()
            .filter_map(|c| c.role.as_deref())
            .collect();
        roles.len() == 3
    });
    assert!(
        all_roles,
        "no thread where the agent, a dev and a reporter all write"
    );
    assert!(tickets.iter().any(|t| t.comments().is_empty()));
    assert!(
        tickets
            .iter()
            .any(|t| t.tags.as_ref().is_some_and(|tags| !tags.is_empty()))
    );
    assert!(tickets.iter().any(|t| t.created_at != t.updated_at));
    let kinds: HashSet<&str> = tickets
        .iter()
        .filter_map(|t| t.feedback.as_ref()?.kind.as_deref())
        .collect();
    for kind in ["conversation", "message"] {
        assert!(
            kinds.contains(kind),
            "no ticket prompted by {kind} feedback: {kinds:?}"
        );
    }
    assert!(tickets.iter().any(|t| t.feedback.is_none()));
}

#[test]
fn the_demo_measures_actions_to_a_fraction_of_a_millisecond() {
    let demo = demo();
    let durations: Vec<f64> = demo
        .iter()
        .flat_map(convo::provider::Conversation::action_logs)
        .map(|(_, l)| l.duration_ms.unwrap())
        .collect();
    let fractional = durations.iter().filter(|d| d.fract() != 0.0).count();
    assert!(
        fractional * 2 > durations.len(),
        "{fractional} of {} durations have a fraction",
        durations.len()
    );
    assert!(
        durations.iter().any(|d| *d < 1.0),
        "no sub-millisecond action"
    );
    assert!(
        durations.iter().any(|d| *d > 10_000.0),
        "no timed-out action"
    );
}

#[test]
fn the_demo_has_every_shape_of_token_usage() {
    let demo = demo();
    let usages: Vec<&TokenUsage> = demo.iter().filter_map(|c| c.token_usage.as_ref()).collect();
    let any_model =
        |test: fn(&ModelUsage) -> bool| usages.iter().flat_map(|u| u.models()).any(test);
    assert!(
        any_model(|m| m.cost_source.as_deref() == Some("unpriced")),
        "no unpriced model"
    );
    assert!(any_model(|m| m.cost_source.as_deref() == Some("backend")));
    assert!(any_model(|m| m.cost_source.as_deref() == Some("reported")));
    assert!(
        any_model(|m| m.cache_read_tokens.is_some()),
        "no cache reads"
    );
    assert!(
        any_model(|m| m.cache_write_tokens.is_some()),
        "no cache writes"
    );
    assert!(any_model(|m| m.embedding_tokens.is_some()), "no embeddings");
    let same_model_twice = usages.iter().any(|u| {
        let models: HashSet<_> = u.models().iter().map(|m| m.model.as_deref()).collect();
        models.len() < u.models().len()
    });
    assert!(
        same_model_twice,
        "no model priced by two sources in one conversation"
    );
}

#[test]
fn any_size_of_generated_data_holds_together() {
    for (count, seed) in [(1, 5), (50, 6), (2_000, 7)] {
        let set = generate(count, seed);
        assert_eq!(set.len(), count);
        assert_holds_together(&set);
    }
    let large = generate(2_000, 7);
    assert!(
        large.iter().any(|c| votes(c).next().is_some()),
        "no votes in 2,000 conversations"
    );
    let statuses: HashSet<&str> = large
        .iter()
        .flat_map(|c| c.tickets.iter().flatten())
        .filter_map(|t| t.status.as_deref())
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
}

#[tokio::test]
async fn the_local_server_serves_generated_votes_and_agent() {
    let set = generate(50, 11);
    let (pk, message, vote) = set
        .iter()
        .find_map(|c| {
            let m = c.messages().iter().find(|m| m.feedback.is_some())?;
            Some((c.id?, m.id?, m.feedback.as_ref()?.id?))
        })
        .expect("a conversation with a vote among 50");
    let server = common::start(set, convo::server::ServerConfig::default()).await;
    let (status, me) = common::get(&server, "/api/me/").await;
    assert_eq!(status, 200);
    assert_eq!(me["agent_id"], AGENT_ID);
    let (status, detail) = common::get(&server, &format!("/api/conversations/{pk}/")).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["agent"], AGENT_ID);
    let voted = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == message)
        .unwrap();
    assert_eq!(voted["conversation"], pk);
    assert_eq!(voted["feedback"]["id"], vote);
    assert_eq!(voted["feedback"]["message"], message);
}
