//! The `AgentSight` demo's script and vocabulary: scenarios, dialogue, tools, files, people, languages and the plan of a set; convo's server turns them into records.
// Internal building blocks read by one caller, convo's record builder: marking
// every accessor `#[must_use]` would add noise without catching a real mistake.
#![allow(clippy::must_use_candidate)]

pub mod actions;
pub mod agent;
pub mod dialogue;
pub mod files;
pub mod lang;
pub mod marathons;
pub mod people;
pub mod plan;
pub mod random;
pub mod scenarios;
pub mod vars;
