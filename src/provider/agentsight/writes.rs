//! The write routes (role `write`): mark, rename, soft delete, conversation feedback, message votes and tickets — each checked before it is sent, and sent once.
//!
//! A conversation named by its string id is resolved to its pk first, as the
//! read routes do; everything the draft says is checked before that lookup,
//! so a refused value sends nothing at all.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::{AgentSight, LIST_PATH};
use crate::provider::http::errors::one_line;
use crate::provider::http::transport::Repeat;
use crate::provider::model::{
    Feedback, FeedbackDraft, Ticket, TicketChange, TicketComment, TicketDraft, VoteDraft, Written,
    checked_name, checked_priority, checked_slug, checked_status, optional_text,
};
use crate::provider::{ConversationRef, Error};

const FEEDBACKS_PATH: &str = "/api/feedbacks/";
const TICKETS_PATH: &str = "/api/tickets/";

/// Where a conversation's pk goes in a write.
#[derive(Clone, Copy)]
enum Place {
    /// In the path: `/api/conversations/{pk}/{route}/`.
    Route(&'static str),
    /// In the body's `field`, sent to a fixed path.
    Field {
        path: &'static str,
        field: &'static str,
    },
}

/// A write about one conversation, before its pk is known.
struct ConversationWrite {
    method: Method,
    place: Place,
    /// The body, without the pk.
    body: Map<String, Value>,
    /// "the rename of" — completed with the conversation as the person named it.
    verb: &'static str,
}

impl ConversationWrite {
    fn path_and_body(&self, pk: i64) -> (String, Option<Value>) {
        match self.place {
            Place::Route(route) => {
                let body =
                    (self.method != Method::DELETE).then(|| Value::Object(self.body.clone()));
                (format!("{LIST_PATH}{pk}/{route}/"), body)
            }
            Place::Field { path, field } => {
                let mut body = self.body.clone();
                body.insert(field.to_owned(), json!(pk));
                (path.to_owned(), Some(Value::Object(body)))
            }
        }
    }

    /// The body field that names the conversation, whose "does not exist"
    /// is the API's way to say the conversation is not there.
    fn pk_field(&self) -> Option<&'static str> {
        match self.place {
            Place::Route(_) => None,
            Place::Field { field, .. } => Some(field),
        }
    }
}

/// An invalid draft value, refused before anything is sent (exit 2).
fn refused(reason: String) -> Error {
    Error::InvalidInput(reason)
}

/// A body field's "object does not exist" (DRF's words for a pk that names no
/// row) as what it means: the thing is not there.
fn missing_as_not_found(error: Error, field: &str, what: &str) -> Error {
    match error {
        Error::BadRequest { detail }
            if detail.contains(&format!("{field}: ")) && detail.contains("does not exist") =>
        {
            Error::NotFound {
                what: what.to_owned(),
                detail,
            }
        }
        other => other,
    }
}

/// A 404 renamed after what was looked for, not the write that looked.
fn name_not_found(error: Error, what: &str) -> Error {
    match error {
        Error::NotFound { detail, .. } => Error::NotFound {
            what: what.to_owned(),
            detail,
        },
        other => other,
    }
}

/// `"text"` on one line, for naming a ticket in a message.
fn quoted(text: &str) -> String {
    format!("\"{}\"", one_line(text))
}

impl AgentSight {
    /// Sends a write about a conversation named by pk or string id, after
    /// resolving the id the way the read routes do. An all-digits id that is
    /// no pk gets one more chance as a string id: the first write was refused
    /// (404), so nothing is sent twice.
    async fn write_conversation<T: DeserializeOwned + Default>(
        &self,
        id: &ConversationRef,
        write: &ConversationWrite,
    ) -> Result<T, Error> {
        match id {
            ConversationRef::Pk(pk) => match self.write_pk(*pk, write, &pk.to_string()).await {
                Err(Error::NotFound { what, detail }) => {
                    match self.resolve_id(&pk.to_string()).await {
                        Ok(other) if other != *pk => {
                            self.write_pk(other, write, &pk.to_string()).await
                        }
                        Ok(_) | Err(Error::NotFound { .. }) => Err(Error::NotFound {
                            what,
                            detail: format!("{detail}; no conversation has the id \"{pk}\" either"),
                        }),
                        Err(other) => Err(other),
                    }
                }
                other => other,
            },
            ConversationRef::Id(text) => {
                let pk = self.resolve_id(text).await?;
                let written = self.write_pk(pk, write, text.trim()).await;
                if matches!(written, Err(Error::NotFound { .. })) {
                    // Gone since it was looked up: the next try looks again.
                    self.ids.forget(text.trim());
                }
                written
            }
            ConversationRef::Platform(_) => Err(refused(
                "AgentSight conversations have no platform id; use the conversation id or its pk"
                    .to_owned(),
            )),
        }
    }

    async fn write_pk<T: DeserializeOwned + Default>(
        &self,
        pk: i64,
        write: &ConversationWrite,
        named: &str,
    ) -> Result<T, Error> {
        let (path, body) = write.path_and_body(pk);
        let target = format!("conversation {}", one_line(named));
        let what = format!("{} {}", write.verb, one_line(named));
        let sent = self
            .transport
            .send_once(
                write.method.clone(),
                &path,
                body.as_ref(),
                &what,
                Repeat::Never,
            )
            .await
            .map_err(|e| name_not_found(e, &target));
        match write.pk_field() {
            Some(field) => sent.map_err(|e| missing_as_not_found(e, field, &target)),
            None => sent,
        }
    }

    pub(super) async fn mark_conversation(
        &self,
        id: &ConversationRef,
        on: bool,
    ) -> Result<Written, Error> {
        let write = ConversationWrite {
            method: Method::POST,
            place: Place::Route("mark"),
            body: into_map(json!({ "is_marked": on })),
            verb: if on { "the mark of" } else { "the unmark of" },
        };
        self.write_conversation(id, &write).await
    }

    pub(super) async fn rename_conversation(
        &self,
        id: &ConversationRef,
        name: &str,
    ) -> Result<Written, Error> {
        let name = checked_name(name, "name").map_err(refused)?;
        let write = ConversationWrite {
            method: Method::PATCH,
            place: Place::Route("rename"),
            body: into_map(json!({ "name": name })),
            verb: "the rename of",
        };
        self.write_conversation(id, &write).await
    }

    pub(super) async fn delete_conversation(&self, id: &ConversationRef) -> Result<Written, Error> {
        let write = ConversationWrite {
            method: Method::DELETE,
            place: Place::Route("delete"),
            body: Map::new(),
            verb: "the delete of",
        };
        self.write_conversation(id, &write).await
    }

    pub(super) async fn post_feedback(
        &self,
        id: &ConversationRef,
        draft: &FeedbackDraft,
    ) -> Result<Feedback, Error> {
        let mut body = into_map(json!({
            "kind": "conversation",
            "sentiment": draft.sentiment.as_str(),
        }));
        if let Some(comment) = draft.comment.as_deref().and_then(optional_text) {
            body.insert("comment".to_owned(), json!(comment));
        }
        let write = ConversationWrite {
            method: Method::POST,
            place: Place::Field {
                path: FEEDBACKS_PATH,
                field: "conversation",
            },
            body,
            verb: "the feedback on",
        };
        self.write_conversation(id, &write).await
    }

    pub(super) async fn post_vote(
        &self,
        message: i64,
        draft: &VoteDraft,
    ) -> Result<Feedback, Error> {
        let mut body = into_map(json!({
            "kind": "message",
            "message": message,
            "sentiment": draft.sentiment.as_str(),
        }));
        for (field, slug) in [("topic", &draft.topic), ("reason", &draft.reason)] {
            if let Some(slug) = slug {
                body.insert(
                    field.to_owned(),
                    json!(checked_slug(slug, field).map_err(refused)?),
                );
            }
        }
        if let Some(comment) = draft.comment.as_deref().and_then(optional_text) {
            body.insert("comment".to_owned(), json!(comment));
        }
        let what = format!("the vote on message {message}");
        let target = format!("message {message}");
        // A second vote on a message replaces the first: safe to send again.
        self.transport
            .send_once(
                Method::POST,
                FEEDBACKS_PATH,
                Some(&Value::Object(body)),
                &what,
                Repeat::Safe,
            )
            .await
            .map_err(|e| missing_as_not_found(name_not_found(e, &target), "message", &target))
    }

    pub(super) async fn post_ticket(&self, draft: &TicketDraft) -> Result<Ticket, Error> {
        let title = checked_name(&draft.title, "title").map_err(refused)?;
        let mut body = into_map(json!({ "title": title }));
        if let Some(status) = &draft.status {
            body.insert(
                "status".to_owned(),
                json!(checked_status(status).map_err(refused)?),
            );
        }
        if let Some(priority) = &draft.priority {
            body.insert(
                "priority".to_owned(),
                json!(checked_priority(priority).map_err(refused)?),
            );
        }
        let tags: Vec<String> = draft.tags.iter().filter_map(|t| optional_text(t)).collect();
        if !tags.is_empty() {
            body.insert("tags".to_owned(), json!(tags));
        }
        if let Some(feedback) = draft.feedback {
            body.insert("feedback_id".to_owned(), json!(feedback));
        }
        let feedback_named = draft.feedback.map(|id| format!("feedback #{id}"));
        let sent = if let Some(id) = &draft.conversation {
            let write = ConversationWrite {
                method: Method::POST,
                place: Place::Field {
                    path: TICKETS_PATH,
                    field: "conversation_id",
                },
                body,
                verb: "the new ticket on",
            };
            self.write_conversation(id, &write).await
        } else {
            let what = format!("the new ticket {}", quoted(&title));
            self.transport
                .send_once(
                    Method::POST,
                    TICKETS_PATH,
                    Some(&Value::Object(body)),
                    &what,
                    Repeat::Never,
                )
                .await
        };
        match feedback_named {
            Some(named) => sent.map_err(|e| missing_as_not_found(e, "feedback_id", &named)),
            None => sent,
        }
    }

    pub(super) async fn post_ticket_comment(
        &self,
        ticket: i64,
        body: &str,
    ) -> Result<TicketComment, Error> {
        let text =
            optional_text(body).ok_or_else(|| refused("the comment cannot be empty".to_owned()))?;
        let what = format!("the comment on ticket #{ticket}");
        self.transport
            .send_once(
                Method::POST,
                &format!("{TICKETS_PATH}{ticket}/comments/"),
                Some(&json!({ "body": text })),
                &what,
                Repeat::Never,
            )
            .await
            .map_err(|e| name_not_found(e, &format!("ticket #{ticket}")))
    }

    pub(super) async fn patch_ticket(
        &self,
        ticket: i64,
        change: &TicketChange,
    ) -> Result<Ticket, Error> {
        if change.is_empty() {
            return Err(refused(
                "nothing to change: give a new status, priority or title".to_owned(),
            ));
        }
        let mut body = Map::new();
        if let Some(title) = &change.title {
            body.insert(
                "title".to_owned(),
                json!(checked_name(title, "title").map_err(refused)?),
            );
        }
        if let Some(status) = &change.status {
            body.insert(
                "status".to_owned(),
                json!(checked_status(status).map_err(refused)?),
            );
        }
        if let Some(priority) = &change.priority {
            body.insert(
                "priority".to_owned(),
                json!(checked_priority(priority).map_err(refused)?),
            );
        }
        let what = format!("the change to ticket #{ticket}");
        self.transport
            .send_once(
                Method::PATCH,
                &format!("{TICKETS_PATH}{ticket}/"),
                Some(&Value::Object(body)),
                &what,
                Repeat::Never,
            )
            .await
            .map_err(|e| name_not_found(e, &format!("ticket #{ticket}")))
    }
}

/// The object a `json!({…})` literal builds (anything else is empty; every caller writes an object).
fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pk_lands_in_the_path_or_the_body() {
        let mark = ConversationWrite {
            method: Method::POST,
            place: Place::Route("mark"),
            body: into_map(json!({"is_marked": true})),
            verb: "the mark",
        };
        assert_eq!(
            mark.path_and_body(7),
            (
                "/api/conversations/7/mark/".to_owned(),
                Some(json!({"is_marked": true}))
            )
        );
        let delete = ConversationWrite {
            method: Method::DELETE,
            place: Place::Route("delete"),
            body: Map::new(),
            verb: "the delete",
        };
        assert_eq!(
            delete.path_and_body(7),
            ("/api/conversations/7/delete/".to_owned(), None)
        );
        let ticket = ConversationWrite {
            method: Method::POST,
            place: Place::Field {
                path: TICKETS_PATH,
                field: "conversation_id",
            },
            body: into_map(json!({"title": "Refund loop"})),
            verb: "the new ticket",
        };
        assert_eq!(
            ticket.path_and_body(7),
            (
                TICKETS_PATH.to_owned(),
                Some(json!({"title": "Refund loop", "conversation_id": 7}))
            )
        );
    }

    #[test]
    fn a_pk_that_does_not_exist_reads_as_not_found() {
        let bad = Error::BadRequest {
            detail: "conversation: Invalid pk \"99\" - object does not exist.".to_owned(),
        };
        assert!(matches!(
            missing_as_not_found(bad, "conversation", "conversation 99"),
            Error::NotFound { what, .. } if what == "conversation 99"
        ));
        let other = Error::BadRequest {
            detail: "sentiment: \"meh\" is not a valid choice.".to_owned(),
        };
        assert!(matches!(
            missing_as_not_found(other, "conversation", "conversation 99"),
            Error::BadRequest { .. }
        ));
    }
}
