//! What a support lead reads a `ChatDash` conversation by beyond its transcript (summary, verdict, topic, who has it, channel, call facts, contact, client, flags), as typed fields read leniently from the record.
//!
//! `ChatDash`'s own fields travel in [`Conversation::extra`] under their wire
//! names, exactly as they came, so that `show --json`, exports and the Raw view
//! lose nothing. The typed view is read from there, whatever path the record
//! took (the provider, a saved file read back, a test): every field is read
//! whatever JSON type it has — the expected type as it is, a convertible one
//! converted, anything else kept as its text in an `Odd` variant — never a
//! crash, never a made-up value. This is the only place that knows those wire
//! names; the screens read the typed fields.

use serde_json::{Map, Value};

use super::conversation::Conversation;
use crate::provider::lenient::{Timestamp, parse_bool_text};

/// The wire names of the fields read into [`ConversationFacts`]; anything else
/// in `extra` is one of the [`other_fields`].
const KNOWN: &[&str] = &[
    "summary",
    "evaluation",
    "topic",
    "subtopic",
    "status",
    "liveAgentName",
    "liveAgentId",
    "isLive",
    "mistunderstoodQueries",
    "channel",
    "cost",
    "duration",
    "endedReason",
    "noAnswer",
    "url",
    "note",
    "platformId",
    "agentId",
    "leadId",
    "campaignId",
    "phone",
    "phoneSecondary",
    "instagramId",
    "instagramUsername",
    "browser",
    "os",
    "read",
    "record",
    "interacted",
    "updatedAt",
    "customAnalysis",
];

/// The fields a phone call carries: any of them makes the conversation a call.
const CALL_FIELDS: &[&str] = &["cost", "duration", "endedReason", "noAnswer", "url"];

/// A yes/no fact: its value, or the text it held when that is not a yes or no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flag {
    Yes,
    No,
    Odd(String),
}

/// A numeric fact: its value, or the text it held when that is not a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    Value(f64),
    Odd(String),
}

/// A point in time: a timestamp (parsed when it parses), or the text of
/// whatever else was sent in its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    At(Timestamp),
    Odd(String),
}

/// Whether the conversation achieved its goal, and why; at least one is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// The verdict.
    pub success: Option<Flag>,
    /// Why, in the evaluator's words.
    pub reason: Option<String>,
}

impl Evaluation {
    /// The verdict as a plain yes or no; `None` when it is missing or odd.
    #[must_use]
    pub fn succeeded(&self) -> Option<bool> {
        match self.success.as_ref()? {
            Flag::Yes => Some(true),
            Flag::No => Some(false),
            Flag::Odd(_) => None,
        }
    }
}

/// A `ChatDash` conversation's own facts. Texts are trimmed and unsanitised
/// (screens pass them through their own sanitising); blank is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConversationFacts {
    /// What happened, in a few lines.
    pub summary: Option<String>,
    pub evaluation: Option<Evaluation>,
    pub topic: Option<String>,
    pub subtopic: Option<String>,
    /// `ai`, `pending` (waiting for a live agent) or `human`; other words as they came.
    pub status: Option<String>,
    pub live_agent_name: Option<String>,
    pub live_agent_id: Option<String>,
    /// Whether the conversation is going on now.
    pub is_live: Option<Flag>,
    /// A person's note on the conversation.
    pub note: Option<String>,
    /// Webchat, `WhatsApp`, Instagram, voice…
    pub channel: Option<String>,
    pub phone: Option<String>,
    pub phone_secondary: Option<String>,
    /// Without the `@`.
    pub instagram_username: Option<String>,
    pub instagram_id: Option<String>,
    /// What a call cost, in dollars.
    pub cost: Option<Number>,
    /// How long a call lasted, in minutes.
    pub duration: Option<Number>,
    /// Why a call ended.
    pub ended_reason: Option<String>,
    /// Whether a call went unanswered.
    pub no_answer: Option<Flag>,
    /// Where a call's recording is.
    pub recording: Option<String>,
    /// Whether the conversation was a phone call: by its channel, or by
    /// carrying any call fact at all.
    pub is_call: bool,
    /// The questions the bot did not understand, in order; `None` when not
    /// recorded, empty when there were none.
    pub misunderstood: Option<Vec<String>>,
    /// The conversation's id on its platform (a `WhatsApp` message id, a call id).
    pub platform_id: Option<String>,
    pub agent_id: Option<String>,
    pub lead_id: Option<String>,
    pub campaign_id: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    /// Read by a person.
    pub read: Option<Flag>,
    /// Recorded (kept) by the service.
    pub recorded: Option<Flag>,
    /// The customer took part.
    pub interacted: Option<Flag>,
    pub updated_at: Option<When>,
    /// The service's custom analysis, free-form.
    pub custom_analysis: Option<Value>,
}

/// A value as text: strings as they are (blank is nothing), numbers and
/// booleans as their text, objects and arrays as compact JSON, `null` as nothing.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Object(m) if m.is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        other => Some(other.to_string()),
    }
}

fn flag_of(value: &Value) -> Option<Flag> {
    let yes_no = |b: bool| if b { Flag::Yes } else { Flag::No };
    match value {
        Value::Bool(b) => Some(yes_no(*b)),
        Value::Number(n) if n.as_f64() == Some(0.0) => Some(Flag::No),
        Value::Number(n) if n.as_f64() == Some(1.0) => Some(Flag::Yes),
        Value::String(s) => match parse_bool_text(s) {
            Some(b) => Some(yes_no(b)),
            None => text_of(value).map(Flag::Odd),
        },
        other => text_of(other).map(Flag::Odd),
    }
}

fn number_of(value: &Value) -> Option<Number> {
    match value {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(Number::Value),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Some(Number::Value(f)),
            _ => text_of(value).map(Number::Odd),
        },
        other => text_of(other).map(Number::Odd),
    }
}

/// A time: a string is a timestamp; anything else is shown as its text
/// (an empty object or list as `{}` or `[]`, so that something shows).
fn when_of(value: &Value) -> When {
    match value {
        Value::String(s) => When::At(Timestamp::from_text(s)),
        Value::Object(m) if m.is_empty() => When::Odd("{}".to_owned()),
        Value::Array(a) if a.is_empty() => When::Odd("[]".to_owned()),
        other => When::Odd(other.to_string()),
    }
}

/// The verdict and reason: an object's `isSuccess` and `reason`; a bare
/// boolean (or yes/no text) is the verdict, other bare text the reason.
fn evaluation_of(value: &Value) -> Option<Evaluation> {
    let (success, reason) = match value {
        Value::Object(map) => (
            map.get("isSuccess").and_then(flag_of),
            map.get("reason").and_then(text_of),
        ),
        Value::String(s) => match parse_bool_text(s) {
            Some(_) => (flag_of(value), None),
            None => (None, text_of(value)),
        },
        Value::Bool(_) => (flag_of(value), None),
        other => (None, text_of(other)),
    };
    (success.is_some() || reason.is_some()).then_some(Evaluation { success, reason })
}

/// The questions: a list of `{question}` objects, or of bare texts, or one alone.
fn misunderstood_of(value: &Value) -> Vec<String> {
    fn question(item: &Value) -> Option<String> {
        match item {
            Value::Object(map) => match map.get("question") {
                Some(q) => text_of(q),
                None => text_of(item),
            },
            other => text_of(other),
        }
    }
    match value {
        Value::Array(items) => items.iter().filter_map(question).collect(),
        single => question(single).into_iter().collect(),
    }
}

/// Whether a channel's name says it is a phone call.
fn is_call_channel(channel: &str) -> bool {
    let channel = channel.to_ascii_lowercase();
    ["voice", "phone", "call"]
        .iter()
        .any(|w| channel.contains(w))
}

impl ConversationFacts {
    /// The facts of `conversation`, read from the fields it carries.
    #[must_use]
    pub fn of(conversation: &Conversation) -> Self {
        // `null` is no value.
        let get = |key: &str| conversation.extra.get(key).filter(|v| !v.is_null());
        let text = |key: &str| get(key).and_then(text_of);
        let flag = |key: &str| get(key).and_then(flag_of);
        let number = |key: &str| get(key).and_then(number_of);
        let channel = text("channel");
        let is_call = channel.as_deref().is_some_and(is_call_channel)
            || CALL_FIELDS.iter().any(|k| get(k).is_some());
        Self {
            summary: text("summary"),
            evaluation: get("evaluation").and_then(evaluation_of),
            topic: text("topic"),
            subtopic: text("subtopic"),
            status: text("status"),
            live_agent_name: text("liveAgentName"),
            live_agent_id: text("liveAgentId"),
            is_live: flag("isLive"),
            note: text("note"),
            channel,
            phone: text("phone"),
            phone_secondary: text("phoneSecondary"),
            instagram_username: text("instagramUsername"),
            instagram_id: text("instagramId"),
            cost: number("cost"),
            duration: number("duration"),
            ended_reason: text("endedReason"),
            no_answer: flag("noAnswer"),
            recording: text("url"),
            is_call,
            misunderstood: get("mistunderstoodQueries").map(misunderstood_of),
            platform_id: text("platformId"),
            agent_id: text("agentId"),
            lead_id: text("leadId"),
            campaign_id: text("campaignId"),
            browser: text("browser"),
            os: text("os"),
            read: flag("read"),
            recorded: flag("record"),
            interacted: flag("interacted"),
            updated_at: get("updatedAt").map(when_of),
            custom_analysis: get("customAnalysis").cloned(),
        }
    }

    /// Whether the conversation is now with a live agent (`status: human`).
    #[must_use]
    pub fn is_with_a_person(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("human"))
    }
}

impl Conversation {
    /// The conversation's `ChatDash` facts, typed (empty for other providers).
    #[must_use]
    pub fn facts(&self) -> ConversationFacts {
        ConversationFacts::of(self)
    }

    /// Who the customer is when the record has no customer id (`ChatDash`):
    /// their phone number, else their Instagram handle, as sent.
    #[must_use]
    pub fn contact(&self) -> Option<&str> {
        ["phone", "instagramUsername"]
            .iter()
            .find_map(|k| self.extra.get(*k).and_then(Value::as_str))
            .filter(|s| !s.trim().is_empty())
    }

    /// The fields the record carries that neither the model nor
    /// [`ConversationFacts`] knows, as they came.
    #[must_use]
    pub fn other_fields(&self) -> Map<String, Value> {
        self.extra
            .iter()
            .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The facts of a record read by the model's own reader (no provider normalising).
    fn facts(record: Value) -> ConversationFacts {
        serde_json::from_value::<Conversation>(record)
            .unwrap()
            .facts()
    }

    #[test]
    fn well_typed_fields_read_as_they_are() {
        let f = facts(json!({
            "channel": "Voice", "phone": "+81 90", "status": "human", "liveAgentName": "Maria",
            "liveAgentId": "la-01", "isLive": true, "duration": 0.97, "cost": 0.127,
            "endedReason": "assistant-forwarded-call", "noAnswer": false, "url": "https://r/x.wav",
            "topic": "Billing", "subtopic": "Invoice", "summary": "  Disputed a bill.\nTransferred. ",
            "evaluation": {"isSuccess": false, "reason": "No plan."},
            "mistunderstoodQueries": [{"question": "payment plan"}, {"question": "someone"}],
            "note": "Call back", "read": true, "record": false, "interacted": 1,
            "updatedAt": "2024-05-13T10:00:00.000Z", "customAnalysis": {"intent": "bill"}
        }));
        assert_eq!(f.summary.as_deref(), Some("Disputed a bill.\nTransferred."));
        assert_eq!(
            f.evaluation,
            Some(Evaluation {
                success: Some(Flag::No),
                reason: Some("No plan.".into())
            })
        );
        assert_eq!(
            f.evaluation.as_ref().and_then(Evaluation::succeeded),
            Some(false)
        );
        assert_eq!(f.is_live, Some(Flag::Yes));
        assert_eq!(f.cost, Some(Number::Value(0.127)));
        assert_eq!(f.duration, Some(Number::Value(0.97)));
        assert_eq!(f.no_answer, Some(Flag::No));
        assert_eq!(f.recording.as_deref(), Some("https://r/x.wav"));
        assert!(f.is_call && f.is_with_a_person());
        assert_eq!(
            f.misunderstood,
            Some(vec!["payment plan".to_owned(), "someone".to_owned()])
        );
        assert_eq!(
            (f.read, f.recorded, f.interacted),
            (Some(Flag::Yes), Some(Flag::No), Some(Flag::Yes))
        );
        assert!(matches!(&f.updated_at, Some(When::At(t)) if t.instant().is_some()));
        assert_eq!(f.custom_analysis, Some(json!({"intent": "bill"})));
    }

    #[test]
    fn odd_types_read_as_their_text_never_a_crash_nor_a_made_up_value() {
        let f = facts(json!({
            "summary": 42, "evaluation": "the bot did fine", "topic": ["a", "b"], "subtopic": {"x": 1},
            "status": 7, "isLive": "maybe", "liveAgentName": true, "mistunderstoodQueries": "what?",
            "channel": "Chat", "cost": "0.42", "duration": "three", "noAnswer": 1, "url": 12,
            "endedReason": {"code": "hangup"}, "read": "yes", "record": "n", "interacted": {"a": 1},
            "updatedAt": 5, "note": null, "phone": "   "
        }));
        assert_eq!(f.summary.as_deref(), Some("42"));
        assert_eq!(
            f.evaluation,
            Some(Evaluation {
                success: None,
                reason: Some("the bot did fine".into())
            })
        );
        assert_eq!(f.topic.as_deref(), Some(r#"["a","b"]"#));
        assert_eq!(f.subtopic.as_deref(), Some(r#"{"x":1}"#));
        assert_eq!(f.status.as_deref(), Some("7"));
        assert_eq!(f.is_live, Some(Flag::Odd("maybe".into())));
        assert_eq!(f.live_agent_name.as_deref(), Some("true"));
        assert_eq!(f.misunderstood, Some(vec!["what?".to_owned()]));
        assert_eq!(f.cost, Some(Number::Value(0.42)), "a number as a string");
        assert_eq!(f.duration, Some(Number::Odd("three".into())));
        assert_eq!(f.no_answer, Some(Flag::Yes), "1 is yes");
        assert_eq!(f.recording.as_deref(), Some("12"));
        assert_eq!(f.ended_reason.as_deref(), Some(r#"{"code":"hangup"}"#));
        assert_eq!(f.read, Some(Flag::Yes), "\"yes\" is yes");
        assert_eq!(f.recorded, Some(Flag::No));
        assert_eq!(f.interacted, Some(Flag::Odd(r#"{"a":1}"#.into())));
        assert_eq!(f.updated_at, Some(When::Odd("5".into())));
        assert_eq!(
            (f.note, f.phone),
            (None, None),
            "null and blank are nothing"
        );
        assert!(f.is_call, "call facts make a call whatever the channel");

        let odd = facts(json!({
            "cost": "free", "duration": -3, "evaluation": {"isSuccess": "sort of"},
            "mistunderstoodQueries": [{"question": null}, "bare", {"other": 1}, []], "updatedAt": {}
        }));
        assert_eq!(odd.cost, Some(Number::Odd("free".into())));
        assert_eq!(
            odd.duration,
            Some(Number::Value(-3.0)),
            "bad data kept as it came"
        );
        let evaluation = odd.evaluation.unwrap();
        assert_eq!(evaluation.success, Some(Flag::Odd("sort of".into())));
        assert_eq!(evaluation.succeeded(), None);
        assert_eq!(
            odd.misunderstood,
            Some(vec!["bare".to_owned(), r#"{"other":1}"#.to_owned()])
        );
        assert_eq!(odd.updated_at, Some(When::Odd("{}".into())));
        let bare = facts(json!({"evaluation": "yes"})).evaluation.unwrap();
        assert_eq!((bare.succeeded(), bare.reason), (Some(true), None));
    }

    #[test]
    fn absent_nulls_and_empties_are_nothing_and_not_a_call() {
        let f = facts(json!({
            "summary": null, "evaluation": {}, "cost": null, "channel": "Webchat",
            "mistunderstoodQueries": []
        }));
        assert_eq!(f.summary, None);
        assert_eq!(f.evaluation, None, "an empty evaluation says nothing");
        assert_eq!(f.cost, None);
        assert!(!f.is_call);
        assert_eq!(f.misunderstood, Some(Vec::new()), "none is not absent");
        assert_eq!(
            Conversation::default().facts(),
            ConversationFacts::default()
        );
        assert!(
            facts(json!({"channel": "Phone line"})).is_call,
            "a call by its channel"
        );
    }

    #[test]
    fn the_contact_and_the_other_fields() {
        let c: Conversation = serde_json::from_value(json!({
            "name": "Ana", "instagramUsername": "ana", "summary": "s", "brandNew": [1]
        }))
        .unwrap();
        assert_eq!(c.contact(), Some("ana"));
        let others = c.other_fields();
        assert_eq!(others.keys().collect::<Vec<_>>(), ["brandNew"]);
    }
}
