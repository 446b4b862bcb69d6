//! A write's answer applied to every copy of the record it was for (the list's pages, the cache, the open view), or its failure said and an optimistic change undone.

use std::sync::Arc;

use crate::app::cmd::Cmd;
use crate::app::state::State;
use crate::app::writes::{Answer, Role, Write, WriteId, failure_line};
use crate::provider::model::Feedback;
use crate::provider::{Conversation, ConversationRef, Error};

/// A write was answered: the record it was for is updated (wherever it is
/// kept: the list's pages, the cache, the detail pane if it is open), never
/// whatever is on screen now.
pub(super) fn on_wrote(
    state: &mut State,
    id: WriteId,
    write: &Write,
    result: Result<Answer, Error>,
) -> Vec<Cmd> {
    state.writes.answered(id);
    match result {
        Ok(answer) => landed(state, write, answer),
        Err(error) => {
            if matches!(error, Error::ReadOnly { .. } | Error::Forbidden { .. }) {
                state.writes.role = Role::Read;
            }
            if let Write::Mark { target, on } = write {
                let back = !*on;
                patch(state, target, |c| c.is_marked = Some(back));
            }
            let name = write.target().map(|t| known_as(state, t));
            let line = failure_line(write, &error);
            state.error(match name {
                Some(name) if !line.contains(&name) => format!("{name}: {line}"),
                _ => line,
            });
        }
    }
    Vec::new()
}

fn landed(state: &mut State, write: &Write, answer: Answer) {
    match (write, answer) {
        (Write::Mark { target, on }, Answer::Conversation(written)) => {
            let now = written.is_marked.unwrap_or(*on);
            patch(state, target, |c| c.is_marked = Some(now));
            let name = known_as(state, target);
            state.notice(format!(
                "{} {name}",
                if now { "marked ★" } else { "unmarked" }
            ));
        }
        (Write::Rename { target, name }, Answer::Conversation(written)) => {
            let name = written.name.unwrap_or_else(|| name.clone());
            let shown = crate::text::sanitize(&name, crate::text::Lines::Join).into_owned();
            patch(state, target, |c| c.name = Some(name.clone()));
            let was = known_as(state, target);
            state.notice(format!("renamed {was} to {shown}"));
        }
        (Write::Delete { target }, Answer::Conversation(written)) => {
            patch(state, target, |c| {
                c.is_deleted = Some(true);
                c.deleted_at = written.deleted_at.clone().or_else(|| c.deleted_at.clone());
            });
            let name = known_as(state, target);
            let shown_anyway = matches!(
                state.query.get("include_deleted"),
                Some(crate::provider::query::FilterValue::Bool(true))
            );
            if !shown_anyway {
                drop_row(state, target);
            }
            state.notice(format!(
                "deleted {name} (soft: the filter panel's \"deleted\" shows it again)"
            ));
        }
        (Write::Feedback { target, .. }, Answer::Feedback(feedback)) => {
            let fid = feedback.id;
            patch(state, target, |c| {
                c.feedbacks
                    .get_or_insert_with(Vec::new)
                    .push(Feedback::clone(&feedback));
                c.feedback_count = Some(c.feedback_count.unwrap_or(0) + 1);
            });
            let number = fid.map(|i| format!(" #{i}")).unwrap_or_default();
            let name = known_as(state, target);
            state.notice(format!("feedback{number} filed on {name} (Feedback tab)"));
        }
        (
            Write::Vote {
                target, message, ..
            },
            Answer::Feedback(vote),
        ) => {
            patch(state, target, |c| {
                if let Some(m) = c
                    .messages
                    .iter_mut()
                    .flatten()
                    .find(|m| m.id == Some(*message))
                {
                    m.feedback = Some(Feedback::clone(&vote));
                }
            });
            let number = state
                .detail
                .view
                .as_ref()
                .map(crate::view::detail::DetailView::conversation)
                .filter(|c| is(c, target))
                .and_then(|c| c.messages().iter().position(|m| m.id == Some(*message)))
                .map_or_else(|| format!("pk {message}"), |at| (at + 1).to_string());
            state.notice(format!("vote recorded on message {number}"));
        }
        (Write::Ticket { target, .. }, Answer::Ticket { ticket, comment }) => {
            let mut ticket = *ticket;
            let number = ticket.id.map(|i| format!(" #{i}")).unwrap_or_default();
            let comment_failed = match comment {
                Some(Ok(c)) => {
                    ticket.comments.get_or_insert_with(Vec::new).push(c);
                    ticket.comments_count = Some(ticket.comments_count.unwrap_or(0) + 1);
                    None
                }
                Some(Err(e)) => Some(e),
                None => None,
            };
            if let Some(target) = target {
                patch(state, target, |c| {
                    c.tickets.get_or_insert_with(Vec::new).push(ticket.clone());
                });
            }
            match comment_failed {
                Some(e) => state.error(format!(
                    "ticket{number} filed, but its first comment was not posted: {e}"
                )),
                None => state.notice(format!("ticket{number} filed (Meta tab)")),
            }
        }
        (Write::Comment { target, ticket, .. }, Answer::Comment(comment)) => {
            if let Some(target) = target {
                patch(state, target, |c| {
                    if let Some(t) = c
                        .tickets
                        .iter_mut()
                        .flatten()
                        .find(|t| t.id == Some(*ticket))
                    {
                        t.comments
                            .get_or_insert_with(Vec::new)
                            .push(comment.clone());
                        t.comments_count = Some(t.comments_count.unwrap_or(0) + 1);
                    }
                });
            }
            state.notice(format!("comment added to ticket #{ticket}"));
        }
        (Write::UpdateTicket { target, ticket, .. }, Answer::TicketChanged(changed)) => {
            if let Some(target) = target {
                patch(state, target, |c| {
                    if let Some(t) = c
                        .tickets
                        .iter_mut()
                        .flatten()
                        .find(|t| t.id == Some(*ticket))
                    {
                        *t = crate::provider::model::Ticket::clone(&changed);
                    }
                });
            }
            state.notice(format!("ticket #{ticket} changed"));
        }
        (write, _) => state.notice(format!("{} done", write.describe())),
    }
}

/// How people know the conversation a write was for: its id as the list
/// shows it, from whichever copy the browser keeps (else the reference).
fn known_as(state: &State, target: &ConversationRef) -> String {
    let open = state
        .detail
        .view
        .as_ref()
        .map(|v| v.conversation().as_ref());
    let kept = state
        .list
        .rows()
        .iter()
        .chain(
            state
                .list
                .pages
                .values()
                .flat_map(|p| p.conversations.iter()),
        )
        .chain(open)
        .find(|c| is(c, target))
        .map(Conversation::display_id)
        .or_else(|| state.cache.peek(target).map(|c| c.display_id()));
    let name = kept.unwrap_or_else(|| target.to_string());
    crate::text::sanitize(&name, crate::text::Lines::Join).into_owned()
}

/// Whether a record is the conversation a reference names.
fn is(c: &Conversation, target: &ConversationRef) -> bool {
    match target {
        ConversationRef::Pk(pk) => c.id == Some(*pk),
        ConversationRef::Id(id) => c.conversation_id.as_deref() == Some(id),
        ConversationRef::Platform(_) => false,
    }
}

/// Changes every copy of one conversation the browser keeps: the list's
/// pages (and the page on screen), the cache, and the detail pane when it
/// shows that conversation.
pub fn patch(state: &mut State, target: &ConversationRef, change: impl Fn(&mut Conversation)) {
    for page in state.list.pages.values_mut() {
        page.conversations
            .iter_mut()
            .filter(|c| is(c, target))
            .for_each(&change);
    }
    if let Some(shown) = state.list.shown.as_mut() {
        let mut changed = false;
        for c in shown.conversations.iter_mut().filter(|c| is(c, target)) {
            change(c);
            changed = true;
        }
        if changed {
            if let Some(page) = state.list.shown.take() {
                state.list.show(page, state.zone);
            }
        }
    }
    state.cache.update(target, |c| change(c));
    let open = state
        .detail
        .view
        .as_ref()
        .filter(|v| is(v.conversation(), target))
        .map(|v| {
            let mut c = Conversation::clone(v.conversation());
            change(&mut c);
            c
        });
    if let (Some(c), Some(view)) = (open, state.detail.view.as_mut()) {
        view.replace(Arc::new(c));
        super::prepare(state);
    }
}

/// A deleted row leaves the list (every kept page), the selection staying in place.
fn drop_row(state: &mut State, target: &ConversationRef) {
    for page in state.list.pages.values_mut() {
        page.conversations.retain(|c| !is(c, target));
    }
    if let Some(mut page) = state.list.shown.take() {
        let before = page.conversations.len();
        page.conversations.retain(|c| !is(c, target));
        if page.conversations.len() < before {
            page.total = page.total.saturating_sub(1);
        }
        state.list.show(page, state.zone);
        let height = usize::from(crate::app::layout::Areas::for_state(state).list_rows.height);
        state.list.scroll_to_selection(height);
    }
}
