//! The Attachments tab's cursor: which file the preview, save, copy and open keys act on, moved with `j`/`k` and kept in view.

use chrono::{DateTime, Utc};

use super::doc::Pos;
use super::{DetailView, Tab};
use crate::provider::model::Attachment;

/// One file of the conversation, as the keys act on it.
#[derive(Clone, Copy, Debug)]
pub struct Selected<'a> {
    /// The file.
    pub attachment: &'a Attachment,
    /// The message that carried it, 1-based as the tab says it.
    pub message: usize,
    /// Its place among the conversation's files, 1-based.
    pub number: usize,
    /// How many files the conversation has.
    pub count: usize,
}

impl DetailView {
    /// The selected file's index, when the conversation has files.
    #[must_use]
    pub fn attachment_cursor(&self) -> Option<usize> {
        let count = self.conversation.attachments().count();
        (count > 0).then(|| self.attachment.min(count - 1))
    }

    /// The file under the Attachments tab's cursor.
    #[must_use]
    pub fn selected_attachment(&self) -> Option<Selected<'_>> {
        let at = self.attachment_cursor()?;
        self.nth_attachment(at)
    }

    /// The files of the message under the Messages tab's `▶` cursor (its chips), first one.
    #[must_use]
    pub fn chip_under_cursor(&self) -> Option<Selected<'_>> {
        let (message, _) = self.message_cursor()?;
        let before: usize = self.conversation.messages()[..message]
            .iter()
            .map(|m| m.attachments.as_deref().unwrap_or_default().len())
            .sum();
        let has = self.conversation.messages()[message]
            .attachments
            .as_deref()
            .is_some_and(|a| !a.is_empty());
        if has {
            self.nth_attachment(before)
        } else {
            None
        }
    }

    fn nth_attachment(&self, at: usize) -> Option<Selected<'_>> {
        let count = self.conversation.attachments().count();
        let mut index = 0;
        for (m, message) in self.conversation.messages().iter().enumerate() {
            for attachment in message.attachments.as_deref().unwrap_or_default() {
                if index == at {
                    return Some(Selected {
                        attachment,
                        message: m + 1,
                        number: at + 1,
                        count,
                    });
                }
                index += 1;
            }
        }
        None
    }

    /// `j`/`k` on the Attachments tab: the next or previous file, scrolled
    /// to. Returns its number (1-based) and how many there are; `None`
    /// without files.
    pub fn move_attachment_cursor(&mut self, forward: bool) -> Option<(usize, usize)> {
        let count = self.conversation.attachments().count();
        if count == 0 {
            return None;
        }
        let at = self.attachment.min(count - 1);
        let next = if forward {
            (at + 1).min(count - 1)
        } else {
            at.saturating_sub(1)
        };
        self.attachment = next;
        if self.tab == Tab::Attachments {
            let height = self.body_height();
            self.doc().reveal(
                Pos {
                    block: next + 1,
                    row: 0,
                },
                height,
                1,
            );
        }
        Some((next + 1, count))
    }

    /// Puts the cursor on the file numbered `at` (0-based), clamped.
    pub fn select_attachment(&mut self, at: usize) {
        self.attachment = at;
    }

    /// When the conversation (and its signed file URLs) was fetched.
    #[must_use]
    pub fn fetched_at(&self) -> Option<DateTime<Utc>> {
        self.fetched_at
    }
}
