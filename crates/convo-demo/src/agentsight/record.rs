//! Turns a plan and its transcript into the conversation record: identity, flags, metadata, feedback, tickets, usage.

use chrono::{DateTime, Utc};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::agent::{AGENT_ID, environment_id};
use super::clock::{after, stamp};
use super::feedback::{Context, conversation_feedback, worst};
use super::lang::fill;
use super::plan::{Customer, Plan, UsageKind};
use super::random::{chance, pick};
use super::scenarios::{About, Mood};
use super::tickets::{Filing, file};
use super::transcript::Transcript;
use super::usage::{Price, token_usage};
use super::vars::Vars;
use super::votes::{Voting, vote};
use super::wire::{Conversation, GeoLocation};

/// Everything the record is made from.
pub(crate) struct Parts<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) customer: &'a Customer,
    pub(crate) vars: &'a Vars,
    pub(crate) transcript: Transcript,
    pub(crate) model: &'a Price,
    /// Nothing happens after this instant (the end of the data set).
    pub(crate) anchor: DateTime<Utc>,
}

/// The conversation as `GET /api/conversations/{pk}/?full=true` returns it, ids not yet numbered.
pub(crate) fn conversation(rng: &mut ChaCha8Rng, parts: Parts) -> Conversation {
    let Parts {
        plan,
        customer,
        vars,
        transcript,
        model,
        anchor,
    } = parts;
    let features = plan.features;
    let scenario = plan.scenario;
    let (started, ended) = (transcript.started, transcript.ended);
    let stats = transcript.stats;
    let troubled = stats.failures > 0;
    let environment = features.environment.unwrap_or(if chance(rng, 6) {
        "development"
    } else {
        "production"
    });
    let feedbacks = conversation_feedback(
        rng,
        &Context {
            plan,
            lang: customer.lang,
            stats: &stats,
            environment,
            ended,
            anchor,
        },
    );
    let mut messages = transcript.messages;
    let voting = Voting {
        lang: customer.lang,
        mood: scenario.mood,
        about: scenario.about,
        environment,
        forced: features.votes,
        anchor,
    };
    vote(rng, &mut messages, &voting);
    // The worst verdict prompts a ticket: the conversation's own before a vote of the same weight.
    let prompt = worst(
        feedbacks
            .iter()
            .chain(messages.iter().filter_map(|m| m.feedback.as_ref())),
    );
    let tickets = file(
        rng,
        &Filing {
            plan,
            vars,
            customer,
            environment,
            ended,
            prompt,
            anchor,
        },
    );
    let is_deleted = features.deleted.unwrap_or_else(|| chance(rng, 3));
    let is_used = !plan.empty && chance(rng, 97);
    let usage = match features.usage {
        _ if plan.empty => None,
        Some(UsageKind::Absent) => None,
        Some(UsageKind::Unpriced) => Some(token_usage(rng, model, &stats, true)),
        // Nothing recorded for some: an SDK without usage tracking.
        None if !is_used || chance(rng, 10) => None,
        None => {
            let unpriced = chance(rng, 12);
            Some(token_usage(rng, model, &stats, unpriced))
        }
    };
    let sentiment = worst(&feedbacks)
        .and_then(|f| f.sentiment.as_deref())
        .unwrap_or(match scenario.mood {
            Mood::Pleased => "positive",
            Mood::Mixed => "neutral",
            Mood::Upset => "negative",
        });
    // Unresolved: nothing was said, or an upset customer also hit a failing tool.
    let resolved = !(plan.empty || (troubled && scenario.mood == Mood::Upset));
    let priority = tickets
        .first()
        .and_then(|t| t.priority.as_deref())
        .unwrap_or(match scenario.mood {
            Mood::Upset => "high",
            Mood::Mixed => "medium",
            Mood::Pleased => "low",
        });
    let name = if plan.empty {
        "New conversation".to_owned()
    } else if plan.length.is_none() && chance(rng, 8) {
        // The dashboard's default name, when nobody renamed the conversation.
        "Support Chat".to_owned()
    } else {
        fill(scenario.title, |k| vars.get(k))
    };
    Conversation {
        agent: Some(AGENT_ID),
        conversation_id: Some(plan.conversation_id.clone()),
        name: Some(name),
        customer_id: Some(customer.id.clone()),
        customer_ip_address: Some(customer.ip.clone()),
        device: Some(customer.device.to_owned()),
        language: Some(customer.lang.code().to_owned()),
        environment: Some(environment.to_owned()),
        environment_id: Some(environment_id(environment)),
        is_marked: Some(features.marked.unwrap_or_else(|| chance(rng, 6))),
        is_deleted: Some(is_deleted),
        is_used: Some(is_used),
        started_at: Some(stamp(started)),
        ended_at: Some(stamp(ended)),
        deleted_at: is_deleted.then(|| stamp(after(rng, ended, 3_600, 5 * 86_400, anchor))),
        metadata: Some(metadata(
            rng, plan, customer, vars, sentiment, resolved, priority,
        )),
        geo_location: Some(GeoLocation {
            ip_address: Some(customer.ip.clone()),
            city: Some(customer.place.city.to_owned()),
            country: Some(customer.place.country.to_owned()),
            timezone_name: Some(customer.place.timezone.to_owned()),
        }),
        messages: Some(messages),
        feedbacks: Some(feedbacks),
        tickets: Some(tickets),
        token_usage: usage,
        ..Conversation::default()
    }
}

fn metadata(
    rng: &mut ChaCha8Rng,
    plan: &Plan,
    customer: &Customer,
    vars: &Vars,
    sentiment: &str,
    resolved: bool,
    priority: &str,
) -> Value {
    let channel = match customer.device {
        "mobile" => pick(rng, &["ios_app", "android_app", "web_widget"]),
        "tablet" => pick(rng, &["ios_app", "web_widget"]),
        _ => pick(rng, &["web_widget", "web_widget", "web_widget", "email"]),
    }
    .copied()
    .unwrap_or("web_widget");
    let mut meta = json!({
        "channel": channel,
        "plan": vars.plan_key,
        "customer_tier": customer.tier,
        "priority": priority,
    });
    let decimals = if vars.currency == "JPY" { 1.0 } else { 100.0 };
    #[allow(clippy::cast_precision_loss)] // prices in minor units, far below 2^52
    let total = vars.amount_minor as f64 / decimals;
    let order = json!({
        "id": vars.order,
        "total": total,
        "currency": vars.currency,
        "items": 1,
    });
    let seats = match vars.paid_plan_key.as_str() {
        "team" => vars.seats.parse::<i64>().unwrap_or(1),
        _ => 1,
    };
    let extra = match plan.scenario.about {
        About::Order => json!({ "order": order }),
        About::Incident => json!({ "incident": vars.incident, "order": order }),
        About::Billing => json!({
            "invoice": vars.invoice,
            "subscription": { "plan": vars.paid_plan_key, "seats": seats, "renews_at": vars.renewal_iso },
        }),
        About::Account => {
            json!({ "account": { "email_verified": true, "two_factor": chance(rng, 30) } })
        }
        About::App => json!({ "app": { "version": vars.version, "os": vars.os } }),
        About::Developer => {
            json!({ "developer": { "client_id": vars.client, "api_version": "2026-09-01" } })
        }
    };
    if let (Some(meta), Value::Object(extra)) = (meta.as_object_mut(), extra) {
        meta.extend(extra);
        meta.insert(
            "analysis".to_owned(),
            json!({
                "intent": plan.scenario.key,
                "sentiment": sentiment,
                "topics": plan.scenario.topics,
                "resolved": resolved,
            }),
        );
    }
    meta
}
