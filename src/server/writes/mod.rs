//! The write routes (role `write`) on the in-memory copy the reads serve: each checks the caller's role before its body, then answers in DRF's shapes.

pub(super) mod actions;
mod body;
pub(super) mod conversations;
pub(super) mod feedback;
pub(super) mod tickets;

use chrono::Utc;

use crate::provider::model::Timestamp;

/// The time a write is stamped with.
fn now() -> Timestamp {
    Timestamp::from_instant(Utc::now())
}
