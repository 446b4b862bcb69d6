//! Which fetch slot a request occupies, named by the commands that start it and the messages that report on it.

use super::screens::Screen;

/// Which fetch slot a request occupies; a new request cancels the previous one of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FetchKind {
    /// The page on screen.
    List,
    /// The next page, ahead of need.
    Prefetch,
    /// The conversation in the detail pane.
    Detail,
    /// A page of the tickets or feedback screen.
    Screen(Screen),
    /// The ticket whose thread is open.
    Ticket,
    /// The Trace tab's turns.
    TraceTurns,
    /// One span's payload.
    TracePayload,
    /// The list rows' records, fetched in the background (up to four at
    /// once, all cancelled together when their generation is superseded).
    Enrich,
}
