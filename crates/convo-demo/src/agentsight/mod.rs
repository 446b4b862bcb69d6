//! The `AgentSight` demo: conversations as `GET /api/conversations/{pk}/?full=true` returns them, built from scripted support scenarios.
// Internal building blocks read by one caller each: marking every accessor
// `#[must_use]` would add noise without catching a real mistake.
#![allow(clippy::must_use_candidate)]

mod actions;
mod agent;
mod clock;
mod dialogue;
mod feedback;
mod files;
mod lang;
mod marathons;
mod people;
mod plan;
mod random;
mod record;
mod scenarios;
mod set;
mod tickets;
mod transcript;
mod usage;
mod vars;
mod votes;
mod wire;

pub use agent::AGENT_ID;
pub use set::anchor;

use wire::Conversation;

/// Where the bundled `AgentSight` demo file lives, relative to the product crate's root.
pub const DEMO_FILE: &str = "assets/demo.jsonl";

/// The bundled `AgentSight` demo file's exact contents: one conversation per line.
pub fn demo_jsonl() -> Result<String, serde_json::Error> {
    lines(&set::demo_set())
}

/// `count` conversations from `seed`, one per line: the same inputs give the same text.
///
/// They start over the week before [`anchor`] for small sets and up to 90
/// days before it for large ones; primary keys run 1..=count in start order.
pub fn generated_jsonl(count: usize, seed: u64) -> Result<String, serde_json::Error> {
    lines(&set::generate(count, seed))
}

fn lines(conversations: &[Conversation]) -> Result<String, serde_json::Error> {
    let mut out = String::new();
    for conversation in conversations {
        out.push_str(&serde_json::to_string(conversation)?);
        out.push('\n');
    }
    Ok(out)
}
