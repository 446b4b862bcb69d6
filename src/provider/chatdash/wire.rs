//! `ChatDash`'s conversation and message records as they arrive, read leniently, and their mapping onto the domain model.
//!
//! `ChatDash`'s own fields (summary, evaluation, topic, cost, …) go into
//! [`Conversation::extra`] under their wire names, normalised by the lenient
//! reader (a `"0.42"` cost becomes `0.42`), so that JSON output keeps them as
//! the API named them; the model reads them from there into
//! [`crate::provider::model::ConversationFacts`], which is what screens use.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::provider::lenient::{Timestamp, wire_record};
use crate::provider::model::{Conversation, GeoLocation, Message};

wire_record! {
    /// One conversation of `GET /agents/{agentId}/conversations[/{id}]`.
    pub struct ChatDashConversation {
        pub id: Option<String> = "_id",
        pub agent_id: Option<String> = "agentId",
        pub platform_id: Option<String> = "platformId",
        pub lead_id: Option<String> = "leadId",
        pub campaign_id: Option<String> = "campaignId",
        pub name: Option<String> = "name",
        pub read: Option<bool> = "read",
        pub ended_at: Option<Timestamp> = "endedAt",
        pub browser: Option<String> = "browser",
        pub device: Option<String> = "device",
        pub os: Option<String> = "os",
        /// ISO 3166-1 alpha-2.
        pub country_code: Option<String> = "countryCode",
        pub ip_address: Option<String> = "ipAddress",
        pub record: Option<bool> = "record",
        pub interacted: Option<bool> = "interacted",
        /// Webchat, `WhatsApp`, Instagram, voice…
        pub channel: Option<String> = "channel",
        pub phone: Option<String> = "phone",
        pub phone_secondary: Option<String> = "phoneSecondary",
        pub instagram_id: Option<String> = "instagramId",
        pub instagram_username: Option<String> = "instagramUsername",
        /// Voice calls.
        pub cost: Option<f64> = "cost",
        /// Minutes, voice calls.
        pub duration: Option<f64> = "duration",
        /// The recording, for voice calls.
        pub url: Option<String> = "url",
        pub ended_reason: Option<String> = "endedReason",
        pub no_answer: Option<bool> = "noAnswer",
        /// `ai`, `pending`, `human`.
        pub status: Option<String> = "status",
        pub live_agent_name: Option<String> = "liveAgentName",
        pub live_agent_id: Option<String> = "liveAgentId",
        pub is_live: Option<bool> = "isLive",
        pub note: Option<String> = "note",
        pub topic: Option<String> = "topic",
        pub subtopic: Option<String> = "subtopic",
        pub summary: Option<String> = "summary",
        pub evaluation: Option<Evaluation> = "evaluation",
        /// Spelled so on the wire.
        pub mistunderstood_queries: Option<Vec<MisunderstoodQuery>> = "mistunderstoodQueries",
        pub custom_analysis: Option<Value> = "customAnalysis",
        pub metadata: Option<Value> = "metadata",
        pub created_at: Option<Timestamp> = "createdAt",
        pub updated_at: Option<Timestamp> = "updatedAt",
        /// Only when a source embeds them; the API has a route for them.
        pub messages: Option<Vec<ChatDashMessage>> = "messages",
    }
}

wire_record! {
    /// Whether the conversation achieved its goal, and why.
    pub struct Evaluation {
        pub is_success: Option<bool> = "isSuccess",
        pub reason: Option<String> = "reason",
    }
}

wire_record! {
    /// A question the bot did not understand.
    pub struct MisunderstoodQuery {
        pub question: Option<String> = "question",
    }
}

wire_record! {
    /// One message of `GET …/conversations/{id}/messages`.
    pub struct ChatDashMessage {
        /// `user`, `bot`, or `agent` (a human live agent).
        pub sender: Option<String> = "sender",
        pub kind: Option<String> = "type",
        /// `{"text": …}`; a bare string is accepted too.
        pub content: Option<Value> = "content",
        pub metadata: Option<Value> = "metadata",
        pub created_at: Option<Timestamp> = "createdAt",
    }
}

/// A `ChatDash` sender as the model names it: `user` → `end_user`, `bot` →
/// `agent`, `agent` (a person) → `human_agent`; others as they are.
#[must_use]
pub fn map_sender(sender: &str) -> String {
    match sender {
        "user" => "end_user",
        "bot" => "agent",
        "agent" => "human_agent",
        other => other,
    }
    .to_owned()
}

/// A message's text: `content.text`, a bare string, or the JSON of anything else.
fn content_text(content: Value) -> Option<String> {
    match content {
        Value::Object(mut map) => match map.remove("text") {
            Some(Value::String(text)) => Some(text),
            Some(Value::Null) | None if map.is_empty() => None,
            Some(other) => {
                map.insert("text".to_owned(), other);
                Some(Value::Object(map).to_string())
            }
            None => Some(Value::Object(map).to_string()),
        },
        Value::String(text) => Some(text),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl ChatDashMessage {
    /// The message as the model has it; `type` and unknown fields stay in `extra`.
    #[must_use]
    pub fn into_message(self) -> Message {
        let mut extra = self.extra;
        put(&mut extra, "type", self.kind.as_ref());
        Message {
            timestamp: self.created_at,
            sender: self.sender.as_deref().map(map_sender),
            content: self.content.and_then(content_text),
            metadata: self.metadata,
            extra,
            ..Message::default()
        }
    }
}

/// Stores a field under its wire name when it is set.
fn put<T: Serialize>(extra: &mut Map<String, Value>, key: &str, value: Option<&T>) {
    if let Some(value) = value
        && let Ok(json) = serde_json::to_value(value)
    {
        extra.insert(key.to_owned(), json);
    }
}

impl ChatDashConversation {
    /// The conversation as the model has it. `ChatDash` has no integer id, so
    /// `id` stays `None` and `_id` becomes `conversation_id`.
    #[must_use]
    pub fn into_conversation(self) -> Conversation {
        let mut extra = self.extra;
        put(&mut extra, "platformId", self.platform_id.as_ref());
        put(&mut extra, "agentId", self.agent_id.as_ref());
        put(&mut extra, "leadId", self.lead_id.as_ref());
        put(&mut extra, "campaignId", self.campaign_id.as_ref());
        put(&mut extra, "summary", self.summary.as_ref());
        put(&mut extra, "evaluation", self.evaluation.as_ref());
        put(&mut extra, "topic", self.topic.as_ref());
        put(&mut extra, "subtopic", self.subtopic.as_ref());
        put(&mut extra, "status", self.status.as_ref());
        put(&mut extra, "liveAgentName", self.live_agent_name.as_ref());
        put(&mut extra, "liveAgentId", self.live_agent_id.as_ref());
        put(&mut extra, "isLive", self.is_live.as_ref());
        put(
            &mut extra,
            "mistunderstoodQueries",
            self.mistunderstood_queries.as_ref(),
        );
        put(&mut extra, "channel", self.channel.as_ref());
        put(&mut extra, "phone", self.phone.as_ref());
        put(&mut extra, "phoneSecondary", self.phone_secondary.as_ref());
        put(&mut extra, "instagramId", self.instagram_id.as_ref());
        put(
            &mut extra,
            "instagramUsername",
            self.instagram_username.as_ref(),
        );
        put(&mut extra, "cost", self.cost.as_ref());
        put(&mut extra, "duration", self.duration.as_ref());
        put(&mut extra, "endedReason", self.ended_reason.as_ref());
        put(&mut extra, "noAnswer", self.no_answer.as_ref());
        put(&mut extra, "url", self.url.as_ref());
        put(&mut extra, "note", self.note.as_ref());
        put(&mut extra, "customAnalysis", self.custom_analysis.as_ref());
        put(&mut extra, "browser", self.browser.as_ref());
        put(&mut extra, "os", self.os.as_ref());
        put(&mut extra, "record", self.record.as_ref());
        put(&mut extra, "interacted", self.interacted.as_ref());
        put(&mut extra, "read", self.read.as_ref());
        put(&mut extra, "updatedAt", self.updated_at.as_ref());
        let geo_location =
            (self.country_code.is_some() || self.ip_address.is_some()).then(|| GeoLocation {
                ip_address: self.ip_address.clone(),
                country: self.country_code.clone(),
                ..GeoLocation::default()
            });
        Conversation {
            conversation_id: self.id,
            name: self.name,
            customer_ip_address: self.ip_address,
            device: self.device,
            started_at: self.created_at,
            ended_at: self.ended_at,
            metadata: self.metadata,
            geo_location,
            messages: self
                .messages
                .map(|ms| ms.into_iter().map(ChatDashMessage::into_message).collect()),
            extra,
            ..Conversation::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_lands_where_the_ui_looks() {
        let wire: ChatDashConversation = serde_json::from_str(
            r#"{"_id": "66a", "platformId": "vf-1", "name": "Ana", "createdAt": "2024-05-13T10:00:00.000Z",
                "endedAt": "2024-05-13T10:05:00.000Z", "device": "mobile", "browser": "Safari", "os": "iOS",
                "countryCode": "ES", "ipAddress": "203.0.113.9", "cost": "0.42", "duration": 3,
                "evaluation": {"isSuccess": "true", "reason": "ok"}, "mistunderstoodQueries": [{"question": "eh?"}],
                "status": "human", "liveAgentName": "Maria", "brandNew": [1],
                "messages": [{"sender": "user", "content": {"text": "hi"}, "type": "text"},
                             {"sender": "bot", "content": "plain"}, {"sender": "agent", "content": {"buttons": [1]}}]}"#,
        )
        .unwrap();
        let c = wire.into_conversation();
        assert_eq!((c.id, c.conversation_id.as_deref()), (None, Some("66a")));
        assert_eq!(c.customer_ip_address.as_deref(), Some("203.0.113.9"));
        let geo = c.geo_location.as_ref().unwrap();
        assert_eq!(geo.country.as_deref(), Some("ES"));
        assert_eq!(c.extra["cost"], 0.42);
        assert_eq!(c.extra["duration"], 3.0);
        assert_eq!(c.extra["evaluation"]["isSuccess"], true);
        assert_eq!(c.extra["mistunderstoodQueries"][0]["question"], "eh?");
        assert_eq!(c.extra["brandNew"][0], 1);
        assert_eq!(c.extra["browser"], "Safari");
        let senders: Vec<_> = c
            .messages()
            .iter()
            .map(|m| m.sender.as_deref().unwrap())
            .collect();
        assert_eq!(senders, ["end_user", "agent", "human_agent"]);
        assert_eq!(c.messages()[0].content.as_deref(), Some("hi"));
        assert_eq!(c.messages()[0].extra["type"], "text");
        assert_eq!(c.messages()[1].content.as_deref(), Some("plain"));
        assert_eq!(
            c.messages()[2].content.as_deref(),
            Some(r#"{"buttons":[1]}"#)
        );
    }
}
