//! The writes of the Tickets and Feedback screens: a comment typed in the status line, a status or priority from the picker, feedback promoted to a ticket through the ticket form — all sent through the shared write path — and what an answer refreshes.

use crossterm::event::{KeyCode, KeyEvent};

use super::screen_data::{
    feedback_conversation, fetch_page, fetch_ticket, target_ticket, ticket_conversation,
};
use crate::app::cmd::Cmd;
use crate::app::form::{Form, TicketForm};
use crate::app::screens::Screen;
use crate::app::state::{PickItem, PickKind, Picker, Prompt, State};
use crate::app::writes::{Role, Write, read_only};
use crate::provider::ConversationRef;
use crate::provider::model::TicketChange;
use crate::provider::query::{TICKET_PRIORITIES, TICKET_STATUSES};
use crate::text::{Lines, sanitize, truncate};

/// `c`: a prompt for a comment on the ticket.
pub(super) fn ask_comment(state: &mut State) -> Vec<Cmd> {
    match target_ticket(state).and_then(|t| t.id) {
        Some(ticket) => {
            state.prompt = Some(Prompt::Comment {
                ticket,
                input: tui_input::Input::default(),
            });
        }
        None if state.screen == Screen::Tickets => state.notice("no ticket selected"),
        None => state.notice("c comments on a ticket: I shows the tickets"),
    }
    Vec::new()
}

/// `S` and `p`: a picker of statuses or priorities, the ticket's own marked.
pub(super) fn open_ticket_picker(state: &mut State, status: bool) -> Vec<Cmd> {
    let Some(ticket) = target_ticket(state) else {
        state.notice(if state.screen == Screen::Tickets {
            "no ticket selected"
        } else {
            "S and p change a ticket: I shows the tickets"
        });
        return Vec::new();
    };
    let Some(id) = ticket.id else {
        state.error("this ticket has no id; it cannot be changed");
        return Vec::new();
    };
    let (values, current, kind) = if status {
        (
            TICKET_STATUSES,
            ticket.status.clone(),
            PickKind::TicketStatus(id),
        )
    } else {
        (
            TICKET_PRIORITIES,
            ticket.priority.clone(),
            PickKind::TicketPriority(id),
        )
    };
    let items: Vec<PickItem> = values
        .iter()
        .map(|v| PickItem {
            label: (*v).to_owned(),
            detail: String::new(),
            current: current.as_deref() == Some(*v),
        })
        .collect();
    let selected = items.iter().position(|i| i.current).unwrap_or(0);
    state.picker = Some(Picker {
        kind,
        items,
        selected,
    });
    Vec::new()
}

/// A key in the comment prompt: Enter sends it, Esc drops it.
pub(super) fn comment_key(
    state: &mut State,
    ticket: i64,
    mut input: tui_input::Input,
    key: KeyEvent,
) -> Vec<Cmd> {
    match key.code {
        KeyCode::Esc => {
            state.notice("comment dropped");
            Vec::new()
        }
        KeyCode::Enter => {
            let body = input.value().trim().to_owned();
            if body.is_empty() {
                state.error("an empty comment is not sent; type it, or esc to cancel");
                state.prompt = Some(Prompt::Comment { ticket, input });
                return Vec::new();
            }
            send_comment(state, ticket, body)
        }
        _ => {
            let edit = crate::app::field::key(&mut input, key);
            state.say_if_cut(edit);
            state.prompt = Some(Prompt::Comment { ticket, input });
            Vec::new()
        }
    }
}

/// A status or priority chosen in the picker.
pub(super) fn picked(state: &mut State, kind: PickKind, value: &str) -> Vec<Cmd> {
    let (ticket, change) = match kind {
        PickKind::TicketStatus(id) => (
            id,
            TicketChange {
                status: Some(value.to_owned()),
                ..TicketChange::default()
            },
        ),
        PickKind::TicketPriority(id) => (
            id,
            TicketChange {
                priority: Some(value.to_owned()),
                ..TicketChange::default()
            },
        ),
        _ => return Vec::new(),
    };
    send_change(state, ticket, change)
}

/// Sends a write through the shared write path, unless the key is known to be read-only.
fn send_write(state: &mut State, write: Write) -> Vec<Cmd> {
    if state.writes.role == Role::Read {
        state.error(read_only().to_string());
        return Vec::new();
    }
    state.notice(format!("sending {}…", write.describe()));
    vec![super::writes::send(state, write)]
}

/// The conversation of the ticket with this id, as the screen knows it.
fn conversation_of_ticket(state: &State, ticket: i64) -> Option<ConversationRef> {
    let open = state
        .screens
        .thread
        .as_ref()
        .filter(|t| t.id == ticket)
        .map(|t| &t.ticket);
    let row = state
        .screens
        .tickets
        .rows()
        .iter()
        .find(|t| t.id == Some(ticket));
    open.or(row).and_then(ticket_conversation)
}

fn send_comment(state: &mut State, ticket: i64, body: String) -> Vec<Cmd> {
    let target = conversation_of_ticket(state, ticket);
    send_write(
        state,
        Write::Comment {
            target,
            ticket,
            body,
        },
    )
}

fn send_change(state: &mut State, ticket: i64, change: TicketChange) -> Vec<Cmd> {
    let target = conversation_of_ticket(state, ticket);
    send_write(
        state,
        Write::UpdateTicket {
            target,
            ticket,
            change,
        },
    )
}

/// `T` on a feedback row: the ticket form, its title from the comment (or
/// the conversation), filed from this feedback.
pub(super) fn promote(state: &mut State) -> Vec<Cmd> {
    let Some(feedback) = state.screens.feedback.selected_row().cloned() else {
        state.notice("no feedback selected");
        return Vec::new();
    };
    if feedback.id.is_none() {
        state.error("this feedback has no id; a ticket cannot point at it");
        return Vec::new();
    }
    let conversation = feedback_conversation(&feedback);
    let comment = feedback
        .comment
        .as_deref()
        .map(|c| sanitize(c.trim(), Lines::Join).into_owned())
        .filter(|c| !c.is_empty());
    let about_conversation = conversation
        .as_ref()
        .map_or_else(|| "the agent".to_owned(), |c| format!("conversation {c}"));
    let title = match comment {
        Some(comment) => truncate(&comment, PROMOTED_TITLE).into_owned(),
        None => format!(
            "{} feedback on {about_conversation}",
            feedback.sentiment.as_deref().unwrap_or("unrated")
        ),
    };
    let about = format!(
        "feedback #{} on {about_conversation}",
        feedback.id.unwrap_or_default()
    );
    state.form = Some(Form::Ticket(TicketForm::new(
        &title,
        conversation,
        about,
        std::slice::from_ref(&feedback),
        feedback.id,
    )));
    Vec::new()
}

/// The longest title a promoted comment makes (the API allows 255; a list shows far less).
const PROMOTED_TITLE: usize = 80;

/// A write answered: a ticket changed, commented or filed shows on the
/// screens that list it (its thread and the pages are fetched again).
pub(super) fn after_write(state: &mut State, write: &Write, ok: bool) -> Vec<Cmd> {
    if !ok {
        return Vec::new();
    }
    let mut cmds = Vec::new();
    match write {
        Write::Comment { ticket, .. } | Write::UpdateTicket { ticket, .. } => {
            if state
                .screens
                .thread
                .as_ref()
                .is_some_and(|t| t.id == *ticket)
            {
                cmds.extend(fetch_ticket(state, *ticket));
            }
        }
        Write::Ticket { .. } => {
            if state.screens.feedback.shown.is_some() {
                let page = state.screens.feedback.page_number();
                cmds.extend(fetch_page(state, Screen::Feedback, page, false));
            }
        }
        _ => return cmds,
    }
    if state.screens.tickets.shown.is_some() {
        let page = state.screens.tickets.page_number();
        cmds.extend(fetch_page(state, Screen::Tickets, page, false));
    }
    cmds
}
