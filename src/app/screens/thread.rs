//! An open ticket: the record with its thread, how far it is scrolled, and the fetch that refreshes it.

use crate::provider::model::Ticket;

/// A ticket's thread on the tickets screen.
#[derive(Debug)]
pub struct Thread {
    /// Its id.
    pub id: i64,
    /// The ticket as last fetched (or as its list row had it until then).
    pub ticket: Ticket,
    /// The first row drawn.
    pub scroll: usize,
    /// Whether it is being fetched.
    pub loading: bool,
}
