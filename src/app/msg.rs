//! Everything that can happen to the browser, as one message type: input, timers, and fetch replies carrying their generation.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use super::writes::Wrote;
use crate::provider::{Conversation, ConversationRef, Error, Identity, Page};
use crate::session::profiles::Connected;

pub use super::generation::Generation;

/// One thing that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse did something (only with `--mouse`).
    Mouse(MouseEvent),
    /// Text was pasted.
    Paste(String),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// The spinner's beat, sent only while something is in flight.
    Tick,
    /// The process was asked to stop (SIGTERM, SIGHUP).
    Quit,
    /// Auto-refresh's timer: refresh the list if the watch it was set for is still on.
    WatchTick {
        /// The watch's generation when the timer was set.
        generation: Generation,
    },
    /// The selection has rested: fetch its transcript if it is still the selection.
    Settled {
        /// The selection's generation when it moved.
        generation: Generation,
    },
    /// A page of the list arrived.
    ListLoaded {
        /// Which request.
        generation: Generation,
        /// The page.
        page: Page,
    },
    /// A page of the list could not be fetched.
    ListFailed {
        /// Which request.
        generation: Generation,
        /// Which page was asked for.
        page: u32,
        /// Why.
        error: Error,
    },
    /// The next page arrived ahead of need.
    Prefetched {
        /// The list's epoch (query and refresh) it was asked under.
        generation: Generation,
        /// The page.
        page: Page,
    },
    /// A prefetch failed (logged; the page is fetched again when wanted).
    PrefetchFailed {
        /// The list's epoch.
        generation: Generation,
        /// Why.
        error: Error,
    },
    /// A conversation arrived, whole.
    DetailLoaded {
        /// Which request.
        generation: Generation,
        /// The conversation.
        conversation: Arc<Conversation>,
        /// When it arrived (attachment URLs expire an hour later).
        fetched_at: DateTime<Utc>,
    },
    /// A list row's whole record arrived in the background, or could not be fetched.
    Enriched {
        /// The enrichment generation it was asked under; an older one is dropped.
        generation: Generation,
        /// The row it was asked for.
        id: ConversationRef,
        /// The record and when it arrived, or why not.
        result: Result<(Arc<Conversation>, DateTime<Utc>), Error>,
    },
    /// A request the user waits on failed and will be sent again shortly.
    Retrying {
        /// Which fetch slot it is for.
        kind: crate::app::fetch_kind::FetchKind,
        /// The request's generation, where its slot has one (list, detail).
        generation: Option<Generation>,
        /// Which try, of how many, and when.
        retrying: crate::provider::http::attempts::Retrying,
    },
    /// A conversation could not be fetched.
    DetailFailed {
        /// Which request.
        generation: Generation,
        /// Why.
        error: Error,
    },
    /// A profile switch asked for with `P` was connected, or could not be.
    Switched {
        /// The switch it answers; an older one is dropped.
        generation: Generation,
        /// The profile's name.
        profile: String,
        /// The profile, ready, or why not.
        result: Result<Connected, String>,
    },
    /// A save finished: the full path, or why not.
    Saved(Result<PathBuf, String>),
    /// A side effect wants a line in the status bar.
    Notice(String),
    /// A side effect failed: a line in the status bar, as an error.
    Failure(String),
    /// The tickets or feedback screen's data arrived, or could not be fetched.
    Screen(crate::app::screens::ScreenMsg),
    /// A write was answered (or failed): it updates the record it was for.
    Wrote(Box<Wrote>),
    /// The Trace tab's turns or a span's payload arrived, or could not be fetched.
    Trace(crate::app::trace::TraceMsg),
    /// An attachment job answered: progress, a preview, a save, a fresh link, a failure.
    File(crate::app::attachments::FileMsg),
    /// Text to show whole (a link not opened here, a text the clipboard would not get).
    ShowWhole(crate::app::attachments::ShownText),
    /// `/api/me/` answered: what the key may do.
    Identified {
        /// The profile switch it was asked under.
        generation: Generation,
        /// Who the key is, or why that is not known.
        result: Result<Identity, Error>,
    },
}
