//! The local AgentSight- and ChatDash-compatible server (`convo serve`, `--demo`).

pub mod generate;
