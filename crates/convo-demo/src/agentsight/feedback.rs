//! Feedback on a whole conversation, in the live shape: the customer's verdict and the QA judge's, and which is the worst.

use chrono::{DateTime, Utc};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::agent::{AGENT_ID, environment_id};
use super::clock::{after, stamp};
use super::dialogue::{CUSTOMER_NEGATIVE, CUSTOMER_NEUTRAL, CUSTOMER_POSITIVE, platform_comments};
use super::lang::Lang;
use super::plan::Plan;
use super::random::{between, chance, pick};
use super::scenarios::Mood;
use super::transcript::Stats;
use super::wire::Feedback;

/// What the customer's comment was about, when the widget asked (it often does not).
const CUSTOMER_CATEGORIES: &[&str] = &["resolution", "response_time", "tone", "accuracy"];
/// The category the QA judge files its verdicts under.
const JUDGE_CATEGORY: &str = "quality_review";

/// Where a conversation's feedback comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Context<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) lang: Lang,
    pub(crate) stats: &'a Stats,
    pub(crate) environment: &'a str,
    pub(crate) ended: DateTime<Utc>,
    pub(crate) anchor: DateTime<Utc>,
}

/// The conversation's feedback rows, ids and conversation pk left for numbering.
///
/// A plan that forces its verdicts (the demo's showcase) also keeps the older
/// `source` key (and the judge's `metadata`), so the older shape stays exercised.
pub(crate) fn conversation_feedback(rng: &mut ChaCha8Rng, context: &Context) -> Vec<Feedback> {
    let Context { plan, stats, .. } = *context;
    if plan.empty {
        return Vec::new();
    }
    let verdicts: Vec<(&str, &str)> = if let Some(list) = plan.features.feedback {
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
    let older_shape = plan.features.feedback.is_some();
    verdicts
        .into_iter()
        .map(|(sentiment, source)| {
            let mut row = if source == "customer" {
                customer(rng, context, sentiment, older_shape)
            } else {
                judge(rng, context, sentiment, older_shape)
            };
            row.kind = Some("conversation".to_owned());
            row.agent = Some(AGENT_ID);
            row.environment = Some(context.environment.to_owned());
            row.environment_id = Some(environment_id(context.environment));
            row.sentiment = Some(sentiment.to_owned());
            if older_shape {
                row.source = Some(source.to_owned());
            }
            row
        })
        .collect()
}

fn customer(
    rng: &mut ChaCha8Rng,
    context: &Context,
    sentiment: &str,
    always_comment: bool,
) -> Feedback {
    let lines = match sentiment {
        "positive" => &CUSTOMER_POSITIVE,
        "neutral" => &CUSTOMER_NEUTRAL,
        _ => &CUSTOMER_NEGATIVE,
    };
    // Many customers only click the thumb.
    let comment = (always_comment || chance(rng, 70))
        .then(|| lines.pick(rng, context.lang))
        .flatten();
    let category = (comment.is_some() && chance(rng, 45))
        .then(|| pick(rng, CUSTOMER_CATEGORIES).map(|c| (*c).to_owned()))
        .flatten();
    Feedback {
        comment,
        category,
        created_at: Some(stamp(after(rng, context.ended, 10, 1_200, context.anchor))),
        ..Feedback::default()
    }
}

fn judge(rng: &mut ChaCha8Rng, context: &Context, sentiment: &str, older_shape: bool) -> Feedback {
    let stats = context.stats;
    let pool = platform_comments(
        sentiment,
        context.plan.incident.is_some(),
        stats.failures > 0,
        stats.handoff,
    );
    let score = match sentiment {
        "positive" => between(rng, 80, 98),
        "neutral" => between(rng, 50, 79),
        _ => between(rng, 8, 49),
    };
    #[allow(clippy::cast_precision_loss)] // a score of 0..=100
    let metadata =
        older_shape.then(|| json!({"judge": "qa-judge-v2", "score": score as f64 / 100.0}));
    Feedback {
        comment: pick(rng, pool).map(|c| (*c).to_owned()),
        category: Some(JUDGE_CATEGORY.to_owned()),
        metadata,
        created_at: Some(stamp(after(
            rng,
            context.ended,
            1_200,
            6 * 3_600,
            context.anchor,
        ))),
        ..Feedback::default()
    }
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

/// The rank of a sentiment, worst highest.
fn badness(feedback: &Feedback) -> u8 {
    match feedback.sentiment.as_deref() {
        Some("negative") => 3,
        Some("neutral") => 2,
        Some("positive") => 1,
        _ => 0,
    }
}

/// The worst of the feedback rows (the first of equals), if any.
pub(crate) fn worst<'a>(rows: impl IntoIterator<Item = &'a Feedback>) -> Option<&'a Feedback> {
    rows.into_iter()
        .fold(None, |worst: Option<&Feedback>, f| match worst {
            Some(w) if badness(w) >= badness(f) => Some(w),
            _ => Some(f),
        })
}
