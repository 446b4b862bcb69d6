//! Generated conversations as the server holds them, for tests and benchmarks: the demo-data crate's records read through [`super::data`].

use crate::provider::model::Conversation;

pub use convo_demo::agentsight::{AGENT_ID, anchor};

/// `count` conversations from `seed`, as `serve --generate` serves them:
/// the same inputs give the same records; primary keys run 1..=count in start order.
///
/// Empty only if the generator's own output fails to read back, which
/// `serve --generate` reports instead (see [`super::data::generated`]).
#[must_use]
pub fn generate(count: usize, seed: u64) -> Vec<Conversation> {
    super::data::generated(count, seed).unwrap_or_default()
}
