//! Demo data for convo's local server: deterministic, seeded generators of conversations in the wire shape.

pub mod agentsight;
mod chatdash;
mod vocabulary;

pub use chatdash::{CHATDASH_DEMO_FILE, chatdash_demo_jsonl};
