//! Small forms over the panes: fields moved between with Tab, typed into or cycled through, sent with Enter, dropped with Esc — the ticket form among them, reusable wherever a ticket is filed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use super::field::{self, Edit};
use crate::provider::ConversationRef;
use crate::provider::model::{
    Feedback, Sentiment, TicketDraft, VoteDraft, checked_name, checked_priority, checked_slug,
    checked_status, optional_text,
};
use crate::provider::query::{TICKET_PRIORITIES, TICKET_STATUSES};

/// One field of a form: free text, or one of a few choices.
#[derive(Clone, Debug)]
pub struct FormField {
    /// Its label.
    pub label: &'static str,
    /// What is typed (free-text fields).
    pub input: Input,
    /// The choices (empty: free text).
    pub choices: Vec<String>,
    /// The chosen one.
    pub chosen: usize,
}

impl FormField {
    /// A free-text field holding `text`, the cursor at its end.
    #[must_use]
    pub fn text(label: &'static str, text: &str) -> Self {
        Self {
            label,
            input: Input::new(text.to_owned()),
            choices: Vec::new(),
            chosen: 0,
        }
    }

    /// A field cycled through `choices` with ←/→ or space, starting at `chosen`.
    #[must_use]
    pub fn choice(label: &'static str, choices: Vec<String>, chosen: usize) -> Self {
        Self {
            label,
            input: Input::default(),
            chosen: chosen.min(choices.len().saturating_sub(1)),
            choices,
        }
    }

    /// Whether it is a choice.
    #[must_use]
    pub fn is_choice(&self) -> bool {
        !self.choices.is_empty()
    }

    /// What it holds: the text typed, or the choice.
    #[must_use]
    pub fn value(&self) -> &str {
        if self.is_choice() {
            self.choices.get(self.chosen).map_or("", String::as_str)
        } else {
            self.input.value()
        }
    }
}

/// What a key did to a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Still open.
    Stay,
    /// Esc: dropped, nothing sent.
    Cancel,
    /// Enter: check and send.
    Submit,
}

/// The fields of a form, which has focus, and why it was refused last.
#[derive(Clone, Debug)]
pub struct Fields {
    /// In order.
    pub fields: Vec<FormField>,
    /// The focused field.
    pub focus: usize,
    /// Why the last Enter was refused (the form stays open showing it).
    pub error: Option<String>,
    /// A notice from typing (a paste cut at the field's limit).
    pub notice: Option<String>,
}

impl Fields {
    /// Fields, the first focused.
    #[must_use]
    pub fn new(fields: Vec<FormField>) -> Self {
        Self {
            fields,
            focus: 0,
            error: None,
            notice: None,
        }
    }

    /// The value of the field labelled `label` ("" when there is none).
    #[must_use]
    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", FormField::value)
    }

    /// Handles a key: Tab/Shift-Tab (and ↓/↑) move, Enter submits, Esc
    /// cancels, ←/→/space cycle a choice, anything else types.
    pub fn key(&mut self, key: KeyEvent) -> Step {
        self.notice = None;
        let count = self.fields.len().max(1);
        match key.code {
            KeyCode::Esc => return Step::Cancel,
            KeyCode::Enter => return Step::Submit,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + count - 1) % count,
            _ => {
                let Some(field) = self.fields.get_mut(self.focus) else {
                    return Step::Stay;
                };
                if field.is_choice() {
                    let n = field.choices.len();
                    match key.code {
                        KeyCode::Right | KeyCode::Char(' ') => {
                            field.chosen = (field.chosen + 1) % n;
                        }
                        KeyCode::Left => field.chosen = (field.chosen + n - 1) % n,
                        _ => {}
                    }
                } else if !key.modifiers.contains(KeyModifiers::ALT) {
                    self.error = None;
                    if field::key(&mut field.input, key) == Edit::Cut {
                        self.notice = Some(field::CUT_NOTICE.to_owned());
                    }
                }
            }
        }
        Step::Stay
    }

    /// Pasted text goes into the focused free-text field.
    pub fn paste(&mut self, text: &str) {
        if let Some(field) = self.fields.get_mut(self.focus).filter(|f| !f.is_choice()) {
            self.error = None;
            if field::paste(&mut field.input, text) == Edit::Cut {
                self.notice = Some(field::CUT_NOTICE.to_owned());
            }
        }
    }
}

/// Labels of the ticket form, in order: the comment second, so filing a
/// ticket with a comment is `T`, the title kept, Tab, the comment, Enter.
pub const TITLE: &str = "title";
/// The first comment, posted right after the ticket is created.
pub const COMMENT: &str = "comment";
/// `low`, `medium`, `high`.
pub const PRIORITY: &str = "priority";
/// The ticket statuses.
pub const STATUS: &str = "status";
/// Comma-separated.
pub const TAGS: &str = "tags";
/// "none", or one of the conversation's feedback rows.
pub const FROM_FEEDBACK: &str = "from feedback";

/// The ticket form: title, first comment, priority, status, tags and the
/// feedback it comes from; reusable for any ticket (a conversation's, a
/// feedback row's).
#[derive(Clone, Debug)]
pub struct TicketForm {
    /// The fields.
    pub fields: Fields,
    /// The conversation the ticket is about, if any.
    pub conversation: Option<ConversationRef>,
    /// Says which conversation in the form's title ("12 · Refund").
    pub about: String,
    /// The feedback choices' ids, in the order of the "from feedback" choices (the first: none).
    feedback_ids: Vec<Option<i64>>,
}

impl TicketForm {
    /// A form for a ticket about `conversation`, the title prefilled with
    /// `title`, offering `feedbacks` to file it from; `from` preselects one of
    /// them by id.
    #[must_use]
    pub fn new(
        title: &str,
        conversation: Option<ConversationRef>,
        about: String,
        feedbacks: &[Feedback],
        from: Option<i64>,
    ) -> Self {
        let mut labels = vec!["none".to_owned()];
        let mut feedback_ids = vec![None];
        for fb in feedbacks.iter().filter(|f| f.id.is_some()) {
            let sentiment = fb.sentiment.as_deref().unwrap_or("?");
            let comment = fb.comment.as_deref().unwrap_or("").trim();
            let mut label = format!("#{} {sentiment}", fb.id.unwrap_or_default());
            if !comment.is_empty() {
                label.push_str(": ");
                label.push_str(&crate::text::sanitize(comment, crate::text::Lines::Join));
            }
            labels.push(label);
            feedback_ids.push(fb.id);
        }
        let chosen = from
            .and_then(|id| feedback_ids.iter().position(|f| *f == Some(id)))
            .unwrap_or(0);
        let choices = |all: &[&str]| all.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let medium = TICKET_PRIORITIES
            .iter()
            .position(|p| *p == "medium")
            .unwrap_or(0);
        let open = TICKET_STATUSES
            .iter()
            .position(|s| *s == "open")
            .unwrap_or(0);
        let fields = Fields::new(vec![
            FormField::text(TITLE, title),
            FormField::text(COMMENT, ""),
            FormField::choice(PRIORITY, choices(TICKET_PRIORITIES), medium),
            FormField::choice(STATUS, choices(TICKET_STATUSES), open),
            FormField::text(TAGS, ""),
            FormField::choice(FROM_FEEDBACK, labels, chosen),
        ]);
        Self {
            fields,
            conversation,
            about,
            feedback_ids,
        }
    }

    /// A key; see [`Fields::key`].
    pub fn key(&mut self, key: KeyEvent) -> Step {
        self.fields.key(key)
    }

    /// The ticket and its first comment, checked; the reason in words when not.
    ///
    /// # Errors
    /// A blank or too long title, a status or priority the API does not know.
    pub fn draft(&self) -> Result<(TicketDraft, Option<String>), String> {
        let f = &self.fields;
        let title = checked_name(f.value(TITLE), "title")?;
        let priority = checked_priority(f.value(PRIORITY))?;
        let status = checked_status(f.value(STATUS))?;
        let tags = f
            .value(TAGS)
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let chosen = f
            .fields
            .iter()
            .find(|x| x.label == FROM_FEEDBACK)
            .map_or(0, |x| x.chosen);
        let feedback = self.feedback_ids.get(chosen).copied().flatten();
        let draft = TicketDraft {
            title,
            status: Some(status),
            priority: Some(priority),
            tags,
            conversation: self.conversation.clone(),
            feedback,
        };
        Ok((draft, optional_text(f.value(COMMENT))))
    }
}

/// Labels of the vote form.
pub const TOPIC: &str = "topic";
/// Why.
pub const REASON: &str = "reason";

/// The vote form's fields: topic, reason and comment, all optional.
#[must_use]
pub fn vote_fields() -> Fields {
    Fields::new(vec![
        FormField::text(COMMENT, ""),
        FormField::text(TOPIC, ""),
        FormField::text(REASON, ""),
    ])
}

/// The vote a vote form asks for, the slugs checked.
///
/// # Errors
/// A topic or reason that is not a slug.
pub fn vote_draft(fields: &Fields, sentiment: Sentiment) -> Result<VoteDraft, String> {
    let slug = |label: &str| -> Result<Option<String>, String> {
        match optional_text(fields.value(label)) {
            Some(text) => checked_slug(&text, label).map(Some),
            None => Ok(None),
        }
    };
    Ok(VoteDraft {
        sentiment,
        comment: optional_text(fields.value(COMMENT)),
        topic: slug(TOPIC)?,
        reason: slug(REASON)?,
    })
}

/// A form or question over the panes, and what it is for.
#[derive(Clone, Debug)]
pub enum Form {
    /// `R`: the new name.
    Rename {
        /// The conversation.
        target: ConversationRef,
        /// Which conversation, for the title.
        about: String,
        /// One field: the name.
        fields: Fields,
    },
    /// `+`/`-`/`=`: feedback on the conversation, with an optional comment.
    Feedback {
        /// The conversation.
        target: ConversationRef,
        /// Which conversation, for the title.
        about: String,
        /// The verdict.
        sentiment: Sentiment,
        /// One field: the comment.
        fields: Fields,
    },
    /// `+`/`-`/`=` on a message: a vote.
    Vote {
        /// The conversation.
        target: ConversationRef,
        /// The message's pk.
        message: i64,
        /// Which message, for the title.
        about: String,
        /// The verdict.
        sentiment: Sentiment,
        /// Comment, topic, reason.
        fields: Fields,
    },
    /// `T`: a ticket.
    Ticket(TicketForm),
    /// `D`: the y/N question before a soft delete.
    ConfirmDelete {
        /// The conversation.
        target: ConversationRef,
        /// Its name, if it has one.
        name: Option<String>,
        /// Its id as people know it.
        id: String,
    },
}

impl Form {
    /// The fields of a form that has them.
    #[must_use]
    pub fn fields(&self) -> Option<&Fields> {
        match self {
            Self::Rename { fields, .. }
            | Self::Feedback { fields, .. }
            | Self::Vote { fields, .. } => Some(fields),
            Self::Ticket(form) => Some(&form.fields),
            Self::ConfirmDelete { .. } => None,
        }
    }

    /// The fields of a form that has them, to change.
    pub fn fields_mut(&mut self) -> Option<&mut Fields> {
        match self {
            Self::Rename { fields, .. }
            | Self::Feedback { fields, .. }
            | Self::Vote { fields, .. } => Some(fields),
            Self::Ticket(form) => Some(&mut form.fields),
            Self::ConfirmDelete { .. } => None,
        }
    }

    /// The form's title line.
    #[must_use]
    pub fn title(&self) -> String {
        match self {
            Self::Rename { about, .. } => format!("rename {about}"),
            Self::Feedback {
                about, sentiment, ..
            } => format!("{} feedback on {about}", sentiment.as_str()),
            Self::Vote {
                about, sentiment, ..
            } => format!("{} vote on {about}", sentiment.as_str()),
            Self::Ticket(form) => format!("file a ticket about {}", form.about),
            Self::ConfirmDelete { .. } => "delete this conversation?".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_ticket_form_checks_and_builds_its_draft() {
        let feedback = Feedback {
            id: Some(7),
            sentiment: Some("negative".to_owned()),
            ..Feedback::default()
        };
        let mut form = TicketForm::new(
            "Refund",
            Some(ConversationRef::Pk(3)),
            "3".to_owned(),
            &[feedback],
            None,
        );
        assert_eq!(form.key(press(KeyCode::Tab)), Step::Stay);
        for c in "call back".chars() {
            form.key(press(KeyCode::Char(c)));
        }
        for _ in 0..3 {
            form.key(press(KeyCode::Tab));
        }
        for c in "a, b ,".chars() {
            form.key(press(KeyCode::Char(c)));
        }
        form.key(press(KeyCode::Tab));
        form.key(press(KeyCode::Right));
        let (draft, comment) = form.draft().unwrap();
        assert_eq!(draft.title, "Refund");
        assert_eq!(draft.priority.as_deref(), Some("medium"));
        assert_eq!(draft.status.as_deref(), Some("open"));
        assert_eq!(draft.tags, vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(draft.feedback, Some(7));
        assert_eq!(comment.as_deref(), Some("call back"));
        assert_eq!(form.key(press(KeyCode::Enter)), Step::Submit);
        assert_eq!(form.key(press(KeyCode::Esc)), Step::Cancel);
    }

    #[test]
    fn a_vote_refuses_a_topic_that_is_not_a_slug() {
        let mut fields = vote_fields();
        fields.focus = 1;
        for c in "two words".chars() {
            fields.key(press(KeyCode::Char(c)));
        }
        assert!(vote_draft(&fields, Sentiment::Negative).is_err());
    }
}
