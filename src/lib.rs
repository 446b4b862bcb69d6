//! convo: a terminal browser for AI-agent conversations, and the local server and headless commands that go with it.

pub mod app;
pub mod cli;
pub mod config;
pub mod files;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod provider;
pub mod server;
pub mod term;
pub mod text;
pub mod ui;
