//! The resource screens beside the conversation list (k9s-style): which one is shown, and each one's own list (or, for usage, rollups), page, selection and filters, kept while another is shown.

pub mod pane;
pub mod thread;
pub mod usage;

use crate::provider::model::{Feedback, Listing, Ticket};
use crate::provider::{Currency, Error, Plane, Query};

pub use pane::Pane;
pub use thread::Thread;
pub use usage::{UsageReport, UsageScreen};

use super::generation::Generation;

/// Which screen has the main area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The conversation list and the detail pane.
    #[default]
    Conversations,
    /// The tickets list (and a ticket's thread).
    Tickets,
    /// The feedback list.
    Feedback,
    /// Spend by day, model and conversation.
    Usage,
}

impl Screen {
    /// Its name in the header and in empty states.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Conversations => "Conversations",
            Self::Tickets => "Tickets",
            Self::Feedback => "Feedback",
            Self::Usage => "Usage",
        }
    }

    /// The list route behind it.
    #[must_use]
    pub fn plane(self) -> Plane {
        match self {
            Self::Conversations => Plane::Conversations,
            Self::Tickets => Plane::Tickets,
            Self::Feedback => Plane::Feedbacks,
            Self::Usage => Plane::Usage,
        }
    }
}

/// The screens' own states; each keeps its page, selection and filters while another is shown.
#[derive(Debug)]
pub struct Screens {
    /// The tickets list.
    pub tickets: Pane<Ticket>,
    /// The ticket whose thread is open, if any.
    pub thread: Option<Thread>,
    /// The feedback list.
    pub feedback: Pane<Feedback>,
    /// The usage screen.
    pub usage: UsageScreen,
    /// The generation of the latest ticket fetch (kept across threads, so a
    /// late reply for a closed one is dropped).
    pub thread_generation: Generation,
    /// The voted message (its conversation's pk, its own pk) to put the
    /// cursor on when that conversation shows.
    pub pending_message: Option<(Option<i64>, i64)>,
}

impl Screens {
    /// Both lists empty, nothing asked yet.
    #[must_use]
    pub fn new(page_size: u32) -> Self {
        Self {
            tickets: Pane::new(page_size),
            thread: None,
            feedback: Pane::new(page_size),
            usage: UsageScreen::default(),
            thread_generation: 0,
            pending_message: None,
        }
    }

    /// Whether anything of theirs is in flight.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.tickets.loading.is_some()
            || self.feedback.loading.is_some()
            || self.usage.loading
            || self.thread.as_ref().is_some_and(|t| t.loading)
    }

    /// Forgets everything (a profile switch); replies to older requests are dropped.
    pub fn forget(&mut self) {
        self.tickets.forget();
        self.feedback.forget();
        self.usage.forget();
        self.thread = None;
        self.thread_generation += 1;
        self.pending_message = None;
    }
}

/// One page of a screen's list as it arrived.
#[derive(Clone, Debug)]
pub enum Rows {
    /// A page of tickets.
    Tickets(Listing<Ticket>),
    /// A page of feedback.
    Feedback(Listing<Feedback>),
}

/// A request for a screen's data.
#[derive(Clone, Debug, PartialEq)]
pub enum ScreenFetch {
    /// One page of a screen's list; without a query the provider's own
    /// empty one for the plane is used (and `None` from it means it has no such plane).
    Page {
        /// Tickets or feedback.
        screen: Screen,
        /// The request's generation.
        generation: Generation,
        /// The filters, once known.
        query: Option<Query>,
        /// 1-based.
        page: u32,
        /// Rows per page.
        page_size: u32,
    },
    /// One ticket with its thread.
    Ticket {
        /// The request's generation.
        generation: Generation,
        /// Which ticket.
        id: i64,
    },
    /// The usage rollups (by day, model and conversation) and their flags;
    /// without a query the provider's own for the usage plane is used.
    Usage {
        /// The request's generation.
        generation: Generation,
        /// The filters, once known.
        query: Option<Query>,
        /// Dollars or euros.
        currency: Currency,
    },
}

/// A screen's data arrived, or could not be fetched.
#[derive(Clone, Debug)]
pub enum ScreenMsg {
    /// A page of a screen's list, with the query it was asked with.
    Loaded {
        /// Which request.
        generation: Generation,
        /// The filters in force.
        query: Query,
        /// The page.
        rows: Rows,
    },
    /// A page could not be fetched (`Error::Unsupported`: the provider has no such list).
    Failed {
        /// Tickets or feedback.
        screen: Screen,
        /// Which request.
        generation: Generation,
        /// Which page was asked for.
        page: u32,
        /// Why.
        error: Error,
    },
    /// A ticket arrived with its thread.
    TicketLoaded {
        /// Which request.
        generation: Generation,
        /// The ticket.
        ticket: Box<Ticket>,
    },
    /// A ticket could not be fetched.
    TicketFailed {
        /// Which request.
        generation: Generation,
        /// Why.
        error: Error,
    },
    /// The usage rollups arrived, with the query they were asked with.
    UsageLoaded {
        /// Which request.
        generation: Generation,
        /// The filters in force.
        query: Query,
        /// The rollups and their flags.
        report: Box<UsageReport>,
    },
    /// The usage could not be fetched (`Error::Unsupported`: the provider has none).
    UsageFailed {
        /// Which request.
        generation: Generation,
        /// Why.
        error: Error,
    },
}
