//! The write keys (mark, rename, feedback, votes, tickets, delete), the forms they open, and the key's role that lets them send.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::cmd::Cmd;
use crate::app::form::{Fields, Form, FormField, Step, TicketForm, vote_draft, vote_fields};
use crate::app::keymap::Action;
use crate::app::msg::Generation;
use crate::app::state::{Focus, State};
use crate::app::writes::{Role, Write, read_only};
use crate::provider::model::{Feedback, FeedbackDraft, Sentiment, checked_name, optional_text};
use crate::provider::{Conversation, ConversationRef, Error, Identity, ProviderKind};
use crate::view::detail::Tab;

/// Whether an action is one of the write keys this module handles.
pub(super) fn handles(action: Action) -> bool {
    matches!(
        action,
        Action::Mark
            | Action::Rename
            | Action::Delete
            | Action::FeedbackPositive
            | Action::FeedbackNegative
            | Action::FeedbackNeutral
            | Action::FileTicket
            | Action::NextMessage
            | Action::PrevMessage
    )
}

/// A write key, on the open conversation (detail focused) or the selected row.
pub(super) fn act(state: &mut State, action: Action) -> Vec<Cmd> {
    match action {
        Action::NextMessage | Action::PrevMessage => {
            move_cursor(state, action == Action::NextMessage);
            return Vec::new();
        }
        // Refused before any optimistic change: the provider has no write routes.
        _ if state.source.provider.kind == ProviderKind::ChatDash => {
            state.error(
                "ChatDash takes no writes: marking, renaming, feedback, tickets and deletes need AgentSight",
            );
            return Vec::new();
        }
        _ if state.writes.role == Role::Read => {
            state.error(read_only().to_string());
            return Vec::new();
        }
        _ => {}
    }
    let Some(conversation) = state.target().cloned() else {
        state.notice("nothing selected to change");
        return Vec::new();
    };
    let Some(target) = ConversationRef::of(&conversation) else {
        state.error("this row has neither a primary key nor an id; it cannot be changed");
        return Vec::new();
    };
    // A list row is lean; the whole record (feedback rows for a ticket to come
    // from) is used when the browser has it.
    let conversation = match state.cache.peek(&target) {
        Some(whole) if conversation.messages.is_none() => Conversation::clone(whole),
        _ => conversation,
    };
    let about = about(&conversation);
    match action {
        Action::Mark => mark(state, &conversation, target),
        Action::Rename => {
            let name = conversation.name.clone().unwrap_or_default();
            state.form = Some(Form::Rename {
                target,
                about,
                fields: Fields::new(vec![FormField::text("name", &name)]),
            });
            Vec::new()
        }
        Action::Delete => {
            state.form = Some(Form::ConfirmDelete {
                target,
                name: conversation.name.clone().filter(|n| !n.trim().is_empty()),
                id: conversation.display_id(),
            });
            Vec::new()
        }
        Action::FeedbackPositive | Action::FeedbackNegative | Action::FeedbackNeutral => {
            let sentiment = match action {
                Action::FeedbackPositive => Sentiment::Positive,
                Action::FeedbackNegative => Sentiment::Negative,
                _ => Sentiment::Neutral,
            };
            verdict(state, target, about, sentiment);
            Vec::new()
        }
        Action::FileTicket => {
            let title = conversation
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| format!("Conversation {}", conversation.display_id()));
            let feedbacks: &[Feedback] = conversation.feedbacks.as_deref().unwrap_or(&[]);
            state.form = Some(Form::Ticket(TicketForm::new(
                &title,
                Some(target),
                about,
                feedbacks,
                None,
            )));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// "12 · Refund request": how a form names its conversation.
fn about(conversation: &Conversation) -> String {
    let id = conversation.display_id();
    match conversation.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("{id} · {name}"),
        _ => id,
    }
}

/// `m`: the star flips at once; the answer confirms it or flips it back.
fn mark(state: &mut State, conversation: &Conversation, target: ConversationRef) -> Vec<Cmd> {
    let on = conversation.is_marked != Some(true);
    super::answers::patch(state, &target, |c| c.is_marked = Some(on));
    vec![send(state, Write::Mark { target, on })]
}

/// `+`/`-`/`=`: a vote on the message under the cursor (Messages tab), else
/// feedback on the whole conversation; either asks for the optional rest.
fn verdict(state: &mut State, target: ConversationRef, about: String, sentiment: Sentiment) {
    let on_message = match (&state.focus, state.detail.view.as_ref()) {
        (Focus::Detail, Some(view)) if view.tab() == Tab::Messages => view
            .message_cursor()
            .map(|(at, m)| (at, m.id, m.sender.clone())),
        _ => None,
    };
    match on_message {
        Some((at, Some(message), sender)) => {
            let who = sender.unwrap_or_else(|| "?".to_owned());
            state.form = Some(Form::Vote {
                target,
                message,
                about: format!("message {} ({who})", at + 1),
                sentiment,
                fields: vote_fields(),
            });
        }
        Some((_, None, _)) => state.error("this message has no pk, so it cannot be voted on"),
        None => {
            state.form = Some(Form::Feedback {
                target,
                about,
                sentiment,
                fields: Fields::new(vec![FormField::text("comment", "")]),
            });
        }
    }
}

/// `}`/`{` on the Messages tab.
fn move_cursor(state: &mut State, forward: bool) {
    let Some(view) = state
        .detail
        .view
        .as_mut()
        .filter(|_| state.focus == Focus::Detail)
    else {
        state.notice("open a conversation first (enter), then } and { pick a message");
        return;
    };
    match view.move_message_cursor(forward) {
        Some((at, of)) => state.notice(format!("message {at}/{of} · +/-/= vote on it")),
        None if view.tab() != Tab::Messages => {
            state.notice("} and { pick a message on the Messages tab (1)");
        }
        None => state.notice("this conversation has no messages"),
    }
    super::prepare(state);
}

/// A key while a form or question is open.
pub(super) fn form_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let Some(mut form) = state.form.take() else {
        return Vec::new();
    };
    state.status = None;
    if let Form::ConfirmDelete { target, name, id } = &form {
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            let label = name.clone().unwrap_or_else(|| id.clone());
            state.notice(format!("deleting {label}…"));
            return vec![send(
                state,
                Write::Delete {
                    target: target.clone(),
                },
            )];
        }
        state.notice("not deleted");
        return Vec::new();
    }
    let step = match &mut form {
        Form::Ticket(ticket) => ticket.key(key),
        other => match other.fields_mut() {
            Some(fields) => fields.key(key),
            None => Step::Cancel,
        },
    };
    match step {
        Step::Stay => {
            state.form = Some(form);
            Vec::new()
        }
        Step::Cancel => {
            state.notice("cancelled: nothing was sent");
            Vec::new()
        }
        Step::Submit => match submit(&form) {
            Ok(write) => vec![send(state, write)],
            Err(why) => {
                if let Some(fields) = form.fields_mut() {
                    fields.error = Some(why);
                }
                state.form = Some(form);
                Vec::new()
            }
        },
    }
}

/// Pasted text into the open form's focused field.
pub(super) fn on_paste(state: &mut State, text: &str) -> bool {
    match state.form.as_mut().and_then(Form::fields_mut) {
        Some(fields) => {
            fields.paste(text);
            true
        }
        None => state.form.is_some(),
    }
}

/// The write a form asks for, checked; why not, in words.
fn submit(form: &Form) -> Result<Write, String> {
    match form {
        Form::Rename { target, fields, .. } => Ok(Write::Rename {
            target: target.clone(),
            name: checked_name(fields.value("name"), "name")?,
        }),
        Form::Feedback {
            target,
            sentiment,
            fields,
            ..
        } => Ok(Write::Feedback {
            target: target.clone(),
            draft: FeedbackDraft {
                sentiment: *sentiment,
                comment: optional_text(fields.value("comment")),
            },
        }),
        Form::Vote {
            target,
            message,
            sentiment,
            fields,
            ..
        } => Ok(Write::Vote {
            target: target.clone(),
            message: *message,
            draft: vote_draft(fields, *sentiment)?,
        }),
        Form::Ticket(ticket) => {
            let (draft, comment) = ticket.draft()?;
            Ok(Write::Ticket {
                target: ticket.conversation.clone(),
                draft,
                comment,
            })
        }
        Form::ConfirmDelete { target, .. } => Ok(Write::Delete {
            target: target.clone(),
        }),
    }
}

/// Sends a write (any `Provider` write), remembering it as in flight.
pub fn send(state: &mut State, write: Write) -> Cmd {
    let (id, write) = state.writes.send(write);
    Cmd::Write { id, write }
}

/// `/api/me/` for the provider in use, asked at start and after a profile switch.
pub(super) fn ask_role(state: &mut State) -> Cmd {
    state.writes.role = Role::Asking;
    state.writes.role_generation += 1;
    Cmd::WhoAmI {
        generation: state.writes.role_generation,
    }
}

/// `/api/me/` answered: a read key's writes are refused from now on.
pub(super) fn on_identified(
    state: &mut State,
    generation: Generation,
    result: Result<Identity, Error>,
) {
    if generation != state.writes.role_generation {
        return;
    }
    state.writes.role = match result {
        Ok(identity) if identity.can_write() => Role::Write,
        Ok(identity) if identity.role.is_some() => Role::Read,
        // No role said, or no answer: writes are tried, and a 403 says why.
        _ => Role::Unknown,
    };
}
