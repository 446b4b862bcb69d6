//! Turns a plan and its transcript into the conversation record: identity, flags, metadata, feedback, tickets, usage.

use chrono::{DateTime, Duration, Utc};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::clock::stamp;
use super::dialogue::{CUSTOMER_NEGATIVE, CUSTOMER_NEUTRAL, CUSTOMER_POSITIVE, platform_comments};
use super::lang::{Lang, Lines, fill};
use super::people::TICKET_AUTHORS;
use super::plan::{Customer, Plan, UsageKind};
use super::random::{between, chance, pick, weighted};
use super::scenarios::{About, Mood};
use super::transcript::{Stats, Transcript};
use super::usage::{Price, token_usage};
use super::vars::Vars;
use crate::provider::model::{Conversation, Feedback, GeoLocation, Ticket, TicketComment};

/// Everything the record is made from.
pub struct Parts<'a> {
    pub plan: &'a Plan,
    pub customer: &'a Customer,
    pub vars: &'a Vars,
    pub transcript: Transcript,
    pub model: &'a Price,
    /// Nothing happens after this instant (the end of the data set).
    pub anchor: DateTime<Utc>,
}

/// The conversation as `GET /api/conversations/{pk}/?full=true` returns it, ids not yet numbered.
pub fn conversation(rng: &mut ChaCha8Rng, parts: Parts) -> Conversation {
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
    let feedbacks = if plan.empty {
        Vec::new()
    } else {
        feedbacks(rng, plan, customer.lang, &stats, ended, anchor)
    };
    let tickets = tickets(rng, plan, vars, customer, environment, ended, anchor);
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
    let sentiment = worst(&feedbacks).unwrap_or(match scenario.mood {
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
        conversation_id: Some(plan.conversation_id.clone()),
        name: Some(name),
        customer_id: Some(customer.id.clone()),
        customer_ip_address: Some(customer.ip.clone()),
        device: Some(customer.device.to_owned()),
        language: Some(customer.lang.code().to_owned()),
        environment: Some(environment.to_owned()),
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
            ..GeoLocation::default()
        }),
        messages: Some(transcript.messages),
        feedbacks: Some(feedbacks),
        tickets: Some(tickets),
        token_usage: usage,
        ..Conversation::default()
    }
}

/// A random instant `lo..=hi` seconds after `t`, but never past `anchor`.
fn after(
    rng: &mut ChaCha8Rng,
    t: DateTime<Utc>,
    lo: i64,
    hi: i64,
    anchor: DateTime<Utc>,
) -> DateTime<Utc> {
    let room = (anchor - t).num_seconds();
    if room <= 0 {
        return t;
    }
    let hi = hi.min(room);
    t + Duration::seconds(between(rng, lo.min(hi), hi))
}

fn feedbacks(
    rng: &mut ChaCha8Rng,
    plan: &Plan,
    lang: Lang,
    stats: &Stats,
    ended: DateTime<Utc>,
    anchor: DateTime<Utc>,
) -> Vec<Feedback> {
    let forced: Vec<(&str, &str)> = if let Some(list) = plan.features.feedback {
        list.to_vec()
    } else {
        let mood = plan.scenario.mood;
        let troubled = stats.failures > 0;
        let mut list = Vec::new();
        if chance(rng, 60) {
            list.push((sentiment(rng, mood, troubled), "customer"));
        }
        if chance(rng, 40) {
            list.push((sentiment(rng, mood, troubled), "platform"));
        }
        list
    };
    let always_comment = plan.features.feedback.is_some();
    forced
        .into_iter()
        .map(|(sentiment, source)| {
            let (comment, metadata, created) = if source == "customer" {
                let lines = match sentiment {
                    "positive" => &CUSTOMER_POSITIVE,
                    "neutral" => &CUSTOMER_NEUTRAL,
                    _ => &CUSTOMER_NEGATIVE,
                };
                // Many customers only click the thumb.
                let comment = (always_comment || chance(rng, 70))
                    .then(|| pick_line(rng, lines, lang))
                    .flatten();
                (comment, None, after(rng, ended, 10, 1_200, anchor))
            } else {
                let pool = platform_comments(
                    sentiment,
                    plan.incident.is_some(),
                    stats.failures > 0,
                    stats.handoff,
                );
                let score = match sentiment {
                    "positive" => between(rng, 80, 98),
                    "neutral" => between(rng, 50, 79),
                    _ => between(rng, 8, 49),
                };
                #[allow(clippy::cast_precision_loss)] // a score of 0..=100
                let metadata = json!({"judge": "qa-judge-v2", "score": score as f64 / 100.0});
                let comment = pick(rng, pool).map(|c| (*c).to_owned());
                (
                    comment,
                    Some(metadata),
                    after(rng, ended, 1_200, 6 * 3_600, anchor),
                )
            };
            Feedback {
                sentiment: Some(sentiment.to_owned()),
                source: Some(source.to_owned()),
                comment,
                metadata,
                created_at: Some(stamp(created)),
                ..Feedback::default()
            }
        })
        .collect()
}

fn pick_line(rng: &mut ChaCha8Rng, lines: &Lines, lang: Lang) -> Option<String> {
    let variants = match lines.get(lang) {
        [] => lines.en,
        some => some,
    };
    pick(rng, variants).map(|s| (*s).to_owned())
}

fn sentiment(rng: &mut ChaCha8Rng, mood: Mood, troubled: bool) -> &'static str {
    let (positive, neutral) = match mood {
        Mood::Pleased => (72, 20),
        Mood::Mixed => (38, 37),
        Mood::Upset => (8, 30),
    };
    // A failed tool call sours about half of the happy verdicts.
    let positive = if troubled { positive / 2 } else { positive };
    let roll = between(rng, 0, 99);
    if roll < positive {
        "positive"
    } else if roll < positive + neutral {
        "neutral"
    } else {
        "negative"
    }
}

fn worst(feedbacks: &[Feedback]) -> Option<&'static str> {
    let sentiments: Vec<&str> = feedbacks
        .iter()
        .filter_map(|f| f.sentiment.as_deref())
        .collect();
    ["negative", "neutral", "positive"]
        .into_iter()
        .find(|s| sentiments.contains(s))
}

fn tickets(
    rng: &mut ChaCha8Rng,
    plan: &Plan,
    vars: &Vars,
    customer: &Customer,
    environment: &str,
    ended: DateTime<Utc>,
    anchor: DateTime<Utc>,
) -> Vec<Ticket> {
    const STATUSES: &[(&str, u32)] = &[
        ("backlog", 10),
        ("open", 25),
        ("in_progress", 20),
        ("in_review", 10),
        ("done", 20),
        ("closed", 15),
    ];
    let Some(spec) = plan.scenario.ticket else {
        return Vec::new();
    };
    let forced = plan.features.ticket;
    if plan.empty || !forced.unwrap_or_else(|| chance(rng, u32::from(spec.chance))) {
        return Vec::new();
    }
    let created = after(rng, ended, 0, 900, anchor);
    let fewest = usize::from(forced == Some(true));
    let count = usize::try_from(between(
        rng,
        0,
        i64::try_from(spec.comments.len()).unwrap_or(0),
    ))
    .unwrap_or(0)
    .max(fewest);
    let mut at = created;
    let comments = spec
        .comments
        .iter()
        .take(count)
        .map(|body| {
            at = after(rng, at, 300, 10 * 3_600, anchor);
            TicketComment {
                author: pick(rng, TICKET_AUTHORS).map(|a| (*a).to_owned()),
                body: Some(fill(body, |k| vars.get(k))),
                created_at: Some(stamp(at)),
                ..TicketComment::default()
            }
        })
        .collect();
    let mut tags: Vec<String> = spec.tags.iter().map(|t| (*t).to_owned()).collect();
    let priority = if customer.tier == "vip" {
        tags.push("vip".to_owned());
        "high"
    } else {
        spec.priority
    };
    let status = weighted(rng, STATUSES, |s| s.1).map_or("open", |s| s.0);
    vec![Ticket {
        title: Some(fill(spec.title, |k| vars.get(k))),
        status: Some(status.to_owned()),
        priority: Some(priority.to_owned()),
        tags: Some(tags),
        environment: Some(environment.to_owned()),
        created_at: Some(stamp(created)),
        comments: Some(comments),
        ..Ticket::default()
    }]
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
