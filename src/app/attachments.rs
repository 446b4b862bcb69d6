//! What the attachment keys act on and wait for: the file (with the signed link it was listed with), the preview overlay, a save in progress, and text shown whole when it cannot be copied or opened.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::generation::Generation;
use crate::provider::ConversationRef;
use crate::view::detail::Selected;
use crate::view::preview::{Content, FileKind, Picture, TextPreview};

/// One attachment as a job needs it: which conversation, which file, the
/// link it was listed with and when that was fetched (the runtime asks
/// again when the link is older than a few minutes; update reads no clock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRef {
    /// The conversation it belongs to (its attachments route gives fresh links).
    pub conversation: ConversationRef,
    /// Its id, to find it again in a fresh listing.
    pub id: Option<i64>,
    /// Its name as sent (made inert where shown; reduced to a base name when saved).
    pub filename: String,
    /// Its announced MIME type.
    pub mime: Option<String>,
    /// Its announced size in bytes.
    pub size: Option<u64>,
    /// `image`, `document`, `text`, `audio`, `video`.
    pub kind: Option<String>,
    /// The message that carried it, 1-based.
    pub message: usize,
    /// The signed link, when the listing had one.
    pub url: Option<String>,
    /// When the listing holding that link was fetched.
    pub fetched_at: Option<DateTime<Utc>>,
}

impl FileRef {
    /// The selected file of a conversation.
    #[must_use]
    pub fn of(
        selected: &Selected<'_>,
        conversation: ConversationRef,
        fetched_at: Option<DateTime<Utc>>,
    ) -> Self {
        let a = selected.attachment;
        Self {
            conversation,
            id: a.id,
            filename: a
                .filename
                .clone()
                .unwrap_or_else(|| "attachment".to_owned()),
            mime: a.mime_type.clone(),
            size: a.size_bytes.and_then(|s| u64::try_from(s).ok()),
            kind: a.kind.clone(),
            message: selected.message,
            url: a.file_url.clone().filter(|u| !u.is_empty()),
            fetched_at,
        }
    }

    /// What its MIME type (or name) announces.
    #[must_use]
    pub fn announced(&self) -> FileKind {
        FileKind::of(self.mime.as_deref(), Some(&self.filename))
    }

    /// Its name on one line, inert, for the status bar and the overlay's title.
    #[must_use]
    pub fn shown_name(&self) -> String {
        crate::text::truncate(
            &crate::text::sanitize(&self.filename, crate::text::Lines::Join),
            60,
        )
        .into_owned()
    }
}

/// What a job does with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAction {
    /// Download up to the preview cap and show it, drawn for this many cells.
    Preview {
        /// Columns of the picture area.
        columns: u16,
        /// Rows of the picture area.
        rows: u16,
    },
    /// Save it into the save directory.
    Save,
    /// Copy its (fresh) link.
    CopyUrl,
    /// Open its (fresh) link in a browser, or show it.
    OpenUrl,
}

/// A job for the runtime: a fresh link first when the one held is old, then the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileJob {
    /// Its generation: a newer job of the same slot makes its answers stale.
    pub generation: Generation,
    /// The file.
    pub file: FileRef,
    /// What to do.
    pub action: FileAction,
}

/// A picture encoded for the terminal, for one size of the overlay.
#[derive(Clone)]
pub struct Drawn {
    /// The cells it was encoded for.
    pub size: (u16, u16),
    /// What the image widget draws.
    pub protocol: Arc<ratatui_image::protocol::Protocol>,
}

impl fmt::Debug for Drawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Drawn({}×{})", self.size.0, self.size.1)
    }
}

/// The answers of the runtime to file jobs.
#[derive(Clone, Debug)]
pub enum FileMsg {
    /// Bytes arrived (a preview's or a save's).
    Progress {
        /// The job.
        generation: Generation,
        /// Bytes so far.
        received: u64,
        /// Expected in all, when known.
        total: Option<u64>,
    },
    /// A link was older than the freshness window, or expired: a fresh one was fetched.
    Refreshed {
        /// The job.
        generation: Generation,
        /// What happened, for the status bar.
        note: String,
    },
    /// The preview's content is ready (a picture is followed by `Encoded`).
    Previewed {
        /// The job.
        generation: Generation,
        /// What to show.
        content: Content,
    },
    /// The picture was encoded for a size of the overlay.
    Encoded {
        /// The job.
        generation: Generation,
        /// The encoding, or why it failed.
        result: Result<Drawn, String>,
    },
    /// A save finished: the full path and the bytes written, or why not.
    Saved {
        /// The job.
        generation: Generation,
        /// Where and how much, or why not.
        result: Result<(PathBuf, u64), String>,
    },
    /// A fresh link for copying or opening.
    Link {
        /// The job.
        generation: Generation,
        /// Copy or open.
        action: FileAction,
        /// The link.
        url: String,
    },
    /// A job failed; `expired` when the file host said 403/404 (after one fresh try).
    Failed {
        /// The job.
        generation: Generation,
        /// One line.
        error: String,
    },
}

/// What the preview shows.
#[derive(Clone, Debug)]
pub enum Body {
    /// Downloading.
    Loading {
        /// Bytes so far.
        received: u64,
        /// Expected, when known.
        total: Option<u64>,
    },
    /// Text, scrollable.
    Text(TextPreview),
    /// A picture, with its encoding for the overlay's size once made.
    Picture {
        /// The decoded picture.
        picture: Arc<Picture>,
        /// Its encoding, once the runtime made it.
        drawn: Option<Drawn>,
    },
    /// Not drawn (media, binary, too large, empty), and why.
    Facts(String),
    /// The download failed.
    Failed(String),
}

impl Body {
    /// The body for a classified content.
    #[must_use]
    pub fn of(content: Content) -> Self {
        match content {
            Content::Text(text) => Self::Text(text),
            Content::Picture(picture) => Self::Picture {
                picture,
                drawn: None,
            },
            Content::NotShown(why) => Self::Facts(why),
        }
    }
}

/// The preview overlay over the detail pane.
#[derive(Clone, Debug)]
pub struct Preview {
    /// Its job's generation.
    pub generation: Generation,
    /// The file.
    pub file: FileRef,
    /// What it shows.
    pub body: Body,
    /// The first text line shown.
    pub scroll: usize,
}

/// A save under way, for the progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// Its job's generation.
    pub generation: Generation,
    /// The file's name, inert.
    pub name: String,
    /// Bytes so far.
    pub received: u64,
    /// Expected, when known.
    pub total: Option<u64>,
}

/// Text to be shown whole, from the first column and without a border, so
/// the terminal's own selection takes it as it is: a link that could not be
/// opened here, a text the clipboard would not get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownText {
    /// What it is ("file URL").
    pub what: String,
    /// The text, inert.
    pub text: String,
    /// Why it is shown rather than copied or opened.
    pub why: String,
}

/// The attachment jobs' state.
#[derive(Clone, Debug, Default)]
pub struct Attachments {
    /// Bumped by every job; answers to older ones are dropped.
    pub generation: Generation,
    /// The preview overlay, when open.
    pub preview: Option<Preview>,
    /// The save under way, if any.
    pub transfer: Option<Transfer>,
    /// The jobs in flight for copying or opening (their answers are acted on).
    pub links: Vec<Generation>,
    /// Text shown whole, when open.
    pub shown: Option<ShownText>,
}

impl Attachments {
    /// Whether a job is in flight (the spinner turns).
    #[must_use]
    pub fn busy(&self) -> bool {
        self.transfer.is_some()
            || !self.links.is_empty()
            || self
                .preview
                .as_ref()
                .is_some_and(|p| matches!(p.body, Body::Loading { .. }))
    }

    /// A new job's generation.
    pub fn next_job(&mut self) -> Generation {
        self.generation += 1;
        self.generation
    }
}
