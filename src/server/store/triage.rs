//! Edits to feedback and tickets: file, change and remove them, votes one per message, comments on a ticket's thread.

use super::Store;
use crate::provider::model::{Feedback, Ticket, TicketComment};

/// Where a feedback is kept.
#[derive(Clone, Copy, Debug)]
enum FeedbackSlot {
    /// Among the agent feedback the store made up or was given.
    Agent(usize),
    /// In a record's feedback list.
    Listed(usize, usize),
    /// A message's vote (record, message position).
    Vote(usize, usize),
}

/// Where a ticket is kept.
#[derive(Clone, Copy, Debug)]
enum TicketSlot {
    OnRecord(usize, usize),
    Loose(usize),
}

impl Store {
    /// Files a feedback on a conversation, giving it the next id.
    pub(in crate::server) fn add_feedback(&mut self, index: usize, mut feedback: Feedback) -> i64 {
        let id = self.take_feedback_id();
        feedback.id = Some(id);
        if let Some(r) = self.records.get_mut(index) {
            r.feedbacks.get_or_insert_with(Vec::new).push(feedback);
            r.refresh();
        }
        self.reindex();
        id
    }

    /// Files feedback about the agent as a whole, giving it the next id.
    pub(in crate::server) fn add_agent_feedback(&mut self, mut feedback: Feedback) -> i64 {
        let id = self.take_feedback_id();
        feedback.id = Some(id);
        self.agent_feedbacks.push(feedback);
        self.reindex();
        id
    }

    /// A message's vote: `edit` is given the stored one (or a new one with
    /// the next id) to change. Returns its id and whether it is new, or
    /// `None` when there is no such message.
    pub(in crate::server) fn vote(
        &mut self,
        message: i64,
        edit: impl FnOnce(&mut Feedback),
    ) -> Option<(i64, bool)> {
        let (index, position) = *self.by_message.get(&message)?;
        let next = self.next_feedback_id;
        let r = self.records.get_mut(index)?;
        let (pk, conversation_id) = (r.head.id, r.head.conversation_id.clone());
        let m = r.messages.as_mut()?.get_mut(position)?;
        let created = m.feedback.is_none();
        let vote = m.feedback.get_or_insert_with(|| Feedback {
            id: Some(next),
            kind: Some("message".to_owned()),
            message: Some(message),
            conversation: pk,
            conversation_id,
            ..Feedback::default()
        });
        edit(vote);
        let id = vote.id.unwrap_or(next);
        r.refresh();
        if created {
            self.next_feedback_id += 1;
        }
        self.reindex();
        Some((id, created))
    }

    /// Changes a feedback in place; false when there is none with this id.
    pub(in crate::server) fn edit_feedback(
        &mut self,
        id: i64,
        edit: impl FnOnce(&mut Feedback),
    ) -> bool {
        let Some(slot) = self.locate_feedback(id) else {
            return false;
        };
        let feedback = match slot {
            FeedbackSlot::Agent(i) => self.agent_feedbacks.get_mut(i),
            FeedbackSlot::Listed(r, i) => self
                .records
                .get_mut(r)
                .and_then(|r| r.feedbacks.as_mut())
                .and_then(|f| f.get_mut(i)),
            FeedbackSlot::Vote(r, m) => self
                .records
                .get_mut(r)
                .and_then(|r| r.messages.as_mut())
                .and_then(|m2| m2.get_mut(m))
                .and_then(|m| m.feedback.as_mut()),
        };
        let Some(feedback) = feedback else {
            return false;
        };
        edit(feedback);
        self.after_feedback(slot);
        true
    }

    /// Removes a feedback for good; false when there is none with this id.
    pub(in crate::server) fn delete_feedback(&mut self, id: i64) -> bool {
        let Some(slot) = self.locate_feedback(id) else {
            return false;
        };
        match slot {
            FeedbackSlot::Agent(i) => {
                self.agent_feedbacks.remove(i);
            }
            FeedbackSlot::Listed(r, i) => {
                if let Some(list) = self.records.get_mut(r).and_then(|r| r.feedbacks.as_mut()) {
                    list.remove(i);
                }
            }
            FeedbackSlot::Vote(r, m) => {
                if let Some(m) = self
                    .records
                    .get_mut(r)
                    .and_then(|r| r.messages.as_mut())
                    .and_then(|m2| m2.get_mut(m))
                {
                    m.feedback = None;
                }
            }
        }
        // A ticket promoted from it no longer names it.
        for t in self
            .records
            .iter_mut()
            .flat_map(|r| r.tickets.iter_mut().flatten())
            .chain(self.loose_tickets.iter_mut())
            .filter(|t| {
                t.feedback.as_ref().and_then(|f| f.id).or_else(|| {
                    t.extra
                        .get("feedback_id")
                        .and_then(serde_json::Value::as_i64)
                }) == Some(id)
            })
        {
            t.feedback = None;
            t.extra.remove("feedback_id");
        }
        self.after_feedback(slot);
        true
    }

    /// Files a ticket, on a conversation when one is given, giving it the next id.
    pub(in crate::server) fn add_ticket(
        &mut self,
        index: Option<usize>,
        mut ticket: Ticket,
    ) -> i64 {
        let id = self.next_ticket_id;
        self.next_ticket_id += 1;
        ticket.id = Some(id);
        match index.and_then(|i| self.records.get_mut(i)) {
            Some(r) => {
                r.tickets.get_or_insert_with(Vec::new).push(ticket);
                r.sort_tickets();
            }
            None => self.loose_tickets.push(ticket),
        }
        self.reindex();
        id
    }

    /// Changes a ticket in place; false when there is none with this id.
    pub(in crate::server) fn edit_ticket(
        &mut self,
        id: i64,
        edit: impl FnOnce(&mut Ticket),
    ) -> bool {
        let Some(ticket) = self.ticket_mut(id) else {
            return false;
        };
        edit(ticket);
        self.after_ticket(id);
        true
    }

    /// Removes a ticket and its thread; false when there is none with this id.
    pub(in crate::server) fn delete_ticket(&mut self, id: i64) -> bool {
        match self.locate_ticket(id) {
            Some(TicketSlot::OnRecord(r, i)) => {
                if let Some(list) = self.records.get_mut(r).and_then(|r| r.tickets.as_mut()) {
                    list.remove(i);
                }
            }
            Some(TicketSlot::Loose(i)) => {
                self.loose_tickets.remove(i);
            }
            None => return false,
        }
        self.reindex();
        true
    }

    /// Adds a comment to a ticket's thread with the next comment id; `None`
    /// when there is no such ticket.
    pub(in crate::server) fn add_comment(
        &mut self,
        id: i64,
        mut comment: TicketComment,
    ) -> Option<TicketComment> {
        self.locate_ticket(id)?;
        comment.id = Some(self.next_comment_id);
        self.next_comment_id += 1;
        let ticket = self.ticket_mut(id)?;
        ticket.updated_at.clone_from(&comment.created_at);
        ticket
            .comments
            .get_or_insert_with(Vec::new)
            .push(comment.clone());
        self.after_ticket(id);
        Some(comment)
    }

    fn take_feedback_id(&mut self) -> i64 {
        let id = self.next_feedback_id;
        self.next_feedback_id += 1;
        id
    }

    fn locate_feedback(&self, id: i64) -> Option<FeedbackSlot> {
        if let Some(i) = self.agent_feedbacks.iter().position(|f| f.id == Some(id)) {
            return Some(FeedbackSlot::Agent(i));
        }
        // The row knows the conversation; a data file's agent feedback has none, so scan then.
        let hint = self
            .feedback_row(id)
            .and_then(|row| row.conversation)
            .and_then(|pk| self.find_pk(pk));
        let in_record = |index: usize| {
            let r = self.records.get(index)?;
            if let Some(i) = r.feedbacks().iter().position(|f| f.id == Some(id)) {
                return Some(FeedbackSlot::Listed(index, i));
            }
            r.messages()
                .iter()
                .position(|m| m.feedback.as_ref().is_some_and(|f| f.id == Some(id)))
                .map(|m| FeedbackSlot::Vote(index, m))
        };
        hint.and_then(in_record)
            .or_else(|| (0..self.records.len()).find_map(in_record))
    }

    fn after_feedback(&mut self, slot: FeedbackSlot) {
        if let FeedbackSlot::Listed(r, _) | FeedbackSlot::Vote(r, _) = slot
            && let Some(r) = self.records.get_mut(r)
        {
            r.refresh();
        }
        self.reindex();
    }

    fn locate_ticket(&self, id: i64) -> Option<TicketSlot> {
        if let Some(i) = self.loose_tickets.iter().position(|t| t.id == Some(id)) {
            return Some(TicketSlot::Loose(i));
        }
        let hint = self
            .ticket_row(id)
            .and_then(|row| row.conversation)
            .and_then(|pk| self.find_pk(pk));
        let in_record = |index: usize| {
            self.records
                .get(index)?
                .tickets()
                .iter()
                .position(|t| t.id == Some(id))
                .map(|i| TicketSlot::OnRecord(index, i))
        };
        hint.and_then(in_record)
            .or_else(|| (0..self.records.len()).find_map(in_record))
    }

    fn ticket_mut(&mut self, id: i64) -> Option<&mut Ticket> {
        match self.locate_ticket(id)? {
            TicketSlot::OnRecord(r, i) => self.records.get_mut(r)?.tickets.as_mut()?.get_mut(i),
            TicketSlot::Loose(i) => self.loose_tickets.get_mut(i),
        }
    }

    fn after_ticket(&mut self, id: i64) {
        if let Some(TicketSlot::OnRecord(r, _)) = self.locate_ticket(id)
            && let Some(r) = self.records.get_mut(r)
        {
            r.sort_tickets();
        }
        self.reindex();
    }
}
