//! What `update` asks the runtime to do: fetches, timers, clipboard, browser, files, suspend.

use std::sync::Arc;
use std::time::Duration;

pub use super::fetch_kind::FetchKind;
use super::msg::{Generation, Msg};
use super::screens::{Screen, ScreenFetch};
use super::writes::{Write, WriteId};
use crate::session::profiles::Connected;

use crate::provider::{Conversation, ConversationRef, Query};

/// A request for the fetch task.
#[derive(Clone, Debug, PartialEq)]
pub enum Fetch {
    /// One page of the list, answered with `ListLoaded`/`ListFailed`.
    List {
        /// The request's generation.
        generation: Generation,
        /// The filters.
        query: Query,
        /// 1-based.
        page: u32,
        /// Rows per page.
        page_size: u32,
    },
    /// A page ahead of need, answered with `Prefetched`/`PrefetchFailed`.
    Prefetch {
        /// The list epoch.
        generation: Generation,
        /// The filters.
        query: Query,
        /// 1-based.
        page: u32,
        /// Rows per page.
        page_size: u32,
    },
    /// One conversation, whole, answered with `DetailLoaded`/`DetailFailed`.
    Detail {
        /// The request's generation.
        generation: Generation,
        /// Which one.
        id: ConversationRef,
    },
    /// The tickets or feedback screen's data, answered with `Msg::Screen`.
    Screen(ScreenFetch),
    /// The Trace tab's turns or a span's payload, answered with `Msg::Trace`.
    Trace(crate::app::trace::TraceFetch),
    /// A list row's whole record, in the background, answered with `Msg::Enriched`.
    Enrich(EnrichFetch),
}

/// A background fetch for the list's extra columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrichFetch {
    /// One row's whole record.
    Row {
        /// The enrichment generation it is asked under.
        generation: Generation,
        /// Which row.
        id: ConversationRef,
    },
    /// Every row fetch of an older generation is cancelled.
    Stop {
        /// The generation now current.
        generation: Generation,
    },
}

impl EnrichFetch {
    /// The generation it belongs to.
    #[must_use]
    pub fn generation(&self) -> Generation {
        match self {
            Self::Row { generation, .. } | Self::Stop { generation } => *generation,
        }
    }
}

impl Fetch {
    /// Its slot.
    #[must_use]
    pub fn kind(&self) -> FetchKind {
        match self {
            Self::List { .. } => FetchKind::List,
            Self::Prefetch { .. } => FetchKind::Prefetch,
            Self::Detail { .. } => FetchKind::Detail,
            // One page per screen and one ticket, each cancelling its predecessor.
            Self::Screen(ScreenFetch::Page { screen, .. }) => FetchKind::Screen(*screen),
            Self::Screen(ScreenFetch::Ticket { .. }) => FetchKind::Ticket,
            // Stopping takes the turns' slot, which cancels what loads there.
            Self::Trace(
                crate::app::trace::TraceFetch::Turns { .. } | crate::app::trace::TraceFetch::Stop,
            ) => FetchKind::TraceTurns,
            Self::Trace(crate::app::trace::TraceFetch::Payload { .. }) => FetchKind::TracePayload,
            Self::Screen(ScreenFetch::Usage { .. }) => FetchKind::Screen(Screen::Usage),
            Self::Enrich(_) => FetchKind::Enrich,
        }
    }
}

/// How a conversation is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveFormat {
    /// `<id>.md`, the transcript as Markdown.
    Markdown,
    /// `<id>.json`, the record as the API returned it.
    Json,
}

/// One thing for the runtime to do.
#[derive(Clone, Debug)]
pub enum Cmd {
    /// Start a fetch (cancelling the previous one of its kind).
    Fetch(Fetch),
    /// Send `msg` after `delay`.
    After {
        /// How long to wait.
        delay: Duration,
        /// What to send then.
        msg: Box<Msg>,
    },
    /// Say `text` in the status bar followed by the time now, in `zone`
    /// (update reads no clock: "refreshed · 50 conversations · 12:04:31").
    NoticeAt {
        /// What to say.
        text: String,
        /// Which clock the time is read in.
        zone: crate::format::human::Zone,
    },
    /// Copy text to the clipboard and say so; `what` names it ("id").
    Copy {
        /// The text.
        text: String,
        /// What it is, for the status line.
        what: &'static str,
    },
    /// Copy the conversation's dashboard URL.
    CopyDashboardUrl(Arc<Conversation>),
    /// Open the conversation's dashboard URL, or show it.
    OpenDashboard(Arc<Conversation>),
    /// Save the conversation to a file and say where.
    Save(Arc<Conversation>, SaveFormat),
    /// Hand the terminal back to the shell until resumed.
    Suspend,
    /// Connect to another profile; the answer comes back as `Msg::Switched`.
    Connect {
        /// The switch asked for.
        generation: Generation,
        /// The profile's name.
        profile: String,
    },
    /// From now on, fetch from this provider (what was in flight is dropped).
    Install(Connected),
    /// Send a write; it runs to its end whatever happens meanwhile, and its
    /// answer comes back as `Msg::Wrote` with the same id.
    Write {
        /// Its id.
        id: WriteId,
        /// What to write, and where.
        write: Write,
    },
    /// An attachment job: a fresh link when the one held is old, then preview,
    /// save, copy or open; answered with `Msg::File`.
    File(crate::app::attachments::FileJob),
    /// Encode a decoded picture for this many cells (the overlay was resized);
    /// answered with `FileMsg::Encoded`.
    Encode {
        /// The preview's job.
        generation: Generation,
        /// The picture.
        picture: Arc<crate::view::preview::Picture>,
        /// Columns.
        columns: u16,
        /// Rows.
        rows: u16,
    },
    /// Open a link in a browser, or show it whole (over SSH, without a display).
    OpenLink {
        /// The link.
        url: String,
        /// What it is ("file URL").
        what: &'static str,
    },
    /// Ask `/api/me/` what the key may do; answered with `Msg::Identified`.
    WhoAmI {
        /// The profile switch it is for; an answer for an older one is dropped.
        generation: Generation,
    },
}
