//! The bundled demo data and the generator: coverage of every feature the browser shows, determinism, ids, size.
#![allow(clippy::cast_precision_loss, clippy::items_after_statements)] // small counts and sizes in test arithmetic

use std::collections::HashSet;
use std::path::PathBuf;

use convo::provider::model::{ActionOutcome, Conversation};
use convo::server::generate::{anchor, demo_set, generate};

/// The file limit: the demo ships inside the binary.
const MAX_DEMO_BYTES: u64 = 1_887_436; // 1.8 MiB

fn demo_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo.jsonl")
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
fn the_demo_file_is_small_enough_and_is_what_make_demo_writes() {
    let bytes = std::fs::metadata(demo_path()).unwrap().len();
    assert!(bytes < MAX_DEMO_BYTES, "assets/demo.jsonl is {bytes} bytes");
    let mut expected = String::new();
    for c in demo_set() {
        expected.push_str(&serde_json::to_string(&c).unwrap());
        expected.push('\n');
    }
    let actual = std::fs::read_to_string(demo_path()).unwrap();
    assert!(
        actual == expected,
        "assets/demo.jsonl is stale: run `cargo run --example make_demo`"
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
    let pairs: HashSet<(&str, &str)> = demo
        .iter()
        .flat_map(convo::provider::Conversation::feedbacks)
        .filter_map(|f| Some((f.sentiment.as_deref()?, f.source.as_deref()?)))
        .collect();
    for sentiment in ["positive", "neutral", "negative"] {
        for source in ["customer", "platform"] {
            assert!(
                pairs.contains(&(sentiment, source)),
                "no {sentiment}/{source}"
            );
        }
    }
    assert!(
        demo.iter()
            .flat_map(convo::provider::Conversation::feedbacks)
            .any(|f| f.comment.is_some())
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
        set.iter()
            .flat_map(convo::provider::Conversation::feedbacks)
            .map(|f| f.id),
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
