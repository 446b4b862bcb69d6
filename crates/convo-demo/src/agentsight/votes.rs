//! Thumbs on single agent replies (message feedback): which replies get one, with what verdict, topic and reason.

use chrono::{DateTime, Utc};
use rand_chacha::ChaCha8Rng;

use super::agent::{AGENT_ID, environment_id};
use super::clock::{after, stamp};
use super::dialogue::{CUSTOMER_NEGATIVE, CUSTOMER_NEUTRAL, CUSTOMER_POSITIVE};
use super::lang::Lang;
use super::random::{between, chance, pick};
use super::scenarios::{About, Mood};
use super::wire::{Feedback, Message, instant};

/// Percent of conversations where the customer votes on replies.
const VOTING_PERCENT: u32 = 11;

/// What a conversation's votes depend on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Voting<'a> {
    pub(crate) lang: Lang,
    pub(crate) mood: Mood,
    pub(crate) about: About,
    pub(crate) environment: &'a str,
    /// `Some(true)` forces votes, `Some(false)` forbids them, `None` leaves it to chance.
    pub(crate) forced: Option<bool>,
    pub(crate) anchor: DateTime<Utc>,
}

/// Puts a vote on one to four of the agent's written replies, in some conversations.
///
/// Ids, the message pk and the conversation pk are left for numbering.
pub(crate) fn vote(rng: &mut ChaCha8Rng, messages: &mut [Message], voting: &Voting) {
    if !voting.forced.unwrap_or_else(|| chance(rng, VOTING_PERCENT)) {
        return;
    }
    let replies: Vec<usize> = (0..messages.len())
        .filter(|&i| {
            messages[i].sender.as_deref() == Some("agent") && messages[i].action_name.is_none()
        })
        .collect();
    if replies.is_empty() {
        return;
    }
    let wanted = usize::try_from(between(rng, 1, 4)).unwrap_or(1);
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..wanted.min(replies.len()) {
        let fresh: Vec<usize> = replies
            .iter()
            .copied()
            .filter(|i| !chosen.contains(i))
            .collect();
        if let Some(&i) = pick(rng, &fresh) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    for i in chosen {
        // A reply right after a failed tool call is the one customers thumb down.
        let after_failure = i > 0 && failed(&messages[i - 1]);
        let Some(sent) = instant(messages[i].timestamp.as_ref()) else {
            continue;
        };
        messages[i].feedback = Some(one(rng, voting, after_failure, sent));
    }
}

fn failed(message: &Message) -> bool {
    message
        .action_logs
        .iter()
        .flatten()
        .any(|l| l.error_message.as_deref().is_some_and(|e| !e.is_empty()))
}

fn one(
    rng: &mut ChaCha8Rng,
    voting: &Voting,
    after_failure: bool,
    sent: DateTime<Utc>,
) -> Feedback {
    let (positive, neutral) = match voting.mood {
        Mood::Pleased => (75, 15),
        Mood::Mixed => (45, 25),
        Mood::Upset => (15, 25),
    };
    let positive = if after_failure {
        positive / 3
    } else {
        positive
    };
    let roll = between(rng, 0, 99);
    let (sentiment, reasons, lines): (&str, &[&str], _) = if roll < positive {
        (
            "positive",
            &["helpful", "clear_answer", "fast_resolution"],
            &CUSTOMER_POSITIVE,
        )
    } else if roll < positive + neutral {
        (
            "neutral",
            &["partially_helpful", "too_generic"],
            &CUSTOMER_NEUTRAL,
        )
    } else if after_failure {
        ("negative", &["too_slow", "tool_failed"], &CUSTOMER_NEGATIVE)
    } else {
        (
            "negative",
            &["wrong_answer", "not_helpful", "misunderstood"],
            &CUSTOMER_NEGATIVE,
        )
    };
    let topics: &[&str] = match voting.about {
        About::Order => &["orders", "shipping", "refunds"],
        About::Billing => &["billing", "subscription"],
        About::Account => &["account", "login"],
        About::App => &["app", "devices"],
        About::Developer => &["api", "webhooks"],
        About::Incident => &["checkout", "payments"],
    };
    // Most thumbs come without a topic or reason picked, or a comment typed.
    let topic = chance(rng, 80)
        .then(|| pick(rng, topics).map(|t| (*t).to_owned()))
        .flatten();
    let reason = chance(rng, 70)
        .then(|| pick(rng, reasons).map(|r| (*r).to_owned()))
        .flatten();
    let comment = chance(rng, 30)
        .then(|| lines.pick(rng, voting.lang))
        .flatten();
    Feedback {
        kind: Some("message".to_owned()),
        agent: Some(AGENT_ID),
        environment: Some(voting.environment.to_owned()),
        environment_id: Some(environment_id(voting.environment)),
        sentiment: Some(sentiment.to_owned()),
        topic,
        reason,
        comment,
        created_at: Some(stamp(after(rng, sent, 2, 600, voting.anchor))),
        ..Feedback::default()
    }
}
