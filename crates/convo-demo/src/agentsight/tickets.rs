//! The ticket a conversation may be filed as: status, priority, the feedback that prompted it, and its comment thread.

use chrono::{DateTime, Utc};
use rand_chacha::ChaCha8Rng;

use super::agent::{AGENT_ID, environment_id};
use super::clock::{after, stamp};
use super::lang::fill;
use super::people::{AGENT_KEY_NAME, TICKET_AUTHORS};
use super::plan::{Customer, Plan};
use super::random::{between, chance, pick, weighted};
use super::vars::Vars;
use super::wire::{Feedback, Ticket, TicketComment, TicketFeedback, instant};

/// Every status, weighted as a support queue holds them.
const STATUSES: &[(&str, u32)] = &[
    ("backlog", 10),
    ("open", 25),
    ("in_progress", 20),
    ("in_review", 10),
    ("done", 20),
    ("closed", 15),
];

/// What a conversation's ticket is made from.
pub(crate) struct Filing<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) vars: &'a Vars,
    pub(crate) customer: &'a Customer,
    pub(crate) environment: &'a str,
    /// When the conversation ended.
    pub(crate) ended: DateTime<Utc>,
    /// The worst feedback of the conversation (its own, else a vote), which may prompt the ticket.
    pub(crate) prompt: Option<&'a Feedback>,
    pub(crate) anchor: DateTime<Utc>,
}

/// Zero or one ticket. Its id, comment ids and feedback id are left for numbering;
/// the feedback summary is a copy of `prompt` so numbering can find it again.
pub(crate) fn file(rng: &mut ChaCha8Rng, filing: &Filing) -> Vec<Ticket> {
    let Filing {
        plan,
        vars,
        customer,
        environment,
        ended,
        prompt,
        anchor,
    } = *filing;
    let Some(spec) = plan.scenario.ticket else {
        return Vec::new();
    };
    let forced = plan.features.ticket;
    if plan.empty || !forced.unwrap_or_else(|| chance(rng, u32::from(spec.chance))) {
        return Vec::new();
    }
    // Unhappy feedback is what gets promoted to a ticket, most of the time.
    let prompt = prompt
        .filter(|f| f.sentiment.as_deref() != Some("positive"))
        .filter(|_| chance(rng, 70));
    let prompted_at = prompt.and_then(|f| instant(f.created_at.as_ref()));
    let created = match prompted_at {
        Some(t) => after(rng, t.max(ended), 60, 3_600, anchor),
        None => after(rng, ended, 0, 900, anchor),
    };
    let status = weighted(rng, STATUSES, |s| s.1).map_or("open", |s| s.0);
    let mut tags: Vec<String> = spec.tags.iter().map(|t| (*t).to_owned()).collect();
    let priority = if customer.tier == "vip" {
        tags.push("vip".to_owned());
        Some("high")
    } else {
        // Nobody has triaged much of the backlog yet.
        let untriaged = if status == "backlog" { 40 } else { 6 };
        (!chance(rng, untriaged)).then_some(spec.priority)
    };
    let fewest = usize::from(forced == Some(true));
    let count = usize::try_from(between(
        rng,
        0,
        i64::try_from(spec.comments.len()).unwrap_or(0),
    ))
    .unwrap_or(0)
    .max(fewest);
    let mut comments = Vec::new();
    let mut at = created;
    if prompt.is_some() || chance(rng, 40) {
        // The support agent's key files the ticket with a note of why.
        comments.push(comment(
            rng,
            (AGENT_KEY_NAME, "agent"),
            agent_note(prompt, &plan.conversation_id),
            at,
            anchor,
        ));
    }
    for body in spec.comments.iter().take(count) {
        at = after(rng, at, 300, 10 * 3_600, anchor);
        let author = pick(rng, TICKET_AUTHORS)
            .copied()
            .unwrap_or(TICKET_AUTHORS[0]);
        comments.push(comment(
            rng,
            author,
            fill(body, |k| vars.get(k)),
            at,
            anchor,
        ));
    }
    let last_write = comments
        .iter()
        .filter_map(|c| instant(c.updated_at.as_ref()))
        .max()
        .unwrap_or(created)
        .max(created);
    // Moving a ticket along the board touches it after its last comment.
    let updated = match status {
        "backlog" | "open" => last_write,
        _ => after(rng, last_write, 600, 2 * 86_400, anchor),
    };
    vec![Ticket {
        agent: Some(AGENT_ID),
        title: Some(fill(spec.title, |k| vars.get(k))),
        status: Some(status.to_owned()),
        priority: priority.map(str::to_owned),
        tags: Some(tags),
        environment: Some(environment.to_owned()),
        environment_id: Some(environment_id(environment)),
        feedback: prompt.map(summary),
        comments_count: i64::try_from(comments.len()).ok(),
        comments: Some(comments),
        created_at: Some(stamp(created)),
        updated_at: Some(stamp(updated)),
        ..Ticket::default()
    }]
}

fn comment(
    rng: &mut ChaCha8Rng,
    (author, role): (&str, &str),
    body: String,
    at: DateTime<Utc>,
    anchor: DateTime<Utc>,
) -> TicketComment {
    // A few comments are edited after they were posted.
    let edited = if chance(rng, 10) {
        after(rng, at, 60, 3_600, anchor)
    } else {
        at
    };
    TicketComment {
        author: Some(author.to_owned()),
        role: Some(role.to_owned()),
        body: Some(body),
        created_at: Some(stamp(at)),
        updated_at: Some(stamp(edited)),
        ..TicketComment::default()
    }
}

fn agent_note(prompt: Option<&Feedback>, conversation_id: &str) -> String {
    match prompt {
        Some(f) => format!(
            "Filed from {} {} feedback on conversation {conversation_id}.",
            f.sentiment.as_deref().unwrap_or("unrated"),
            if f.kind.as_deref() == Some("message") {
                "reply"
            } else {
                "conversation"
            },
        ),
        None => format!("Filed automatically from conversation {conversation_id}."),
    }
}

/// The ticket's copy of the feedback that prompted it (its id comes with numbering).
pub(crate) fn summary(feedback: &Feedback) -> TicketFeedback {
    TicketFeedback {
        kind: feedback.kind.clone(),
        sentiment: feedback.sentiment.clone(),
        comment: feedback.comment.clone(),
        created_at: feedback.created_at.clone(),
        ..TicketFeedback::default()
    }
}
