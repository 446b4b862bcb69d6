//! convo: a terminal browser for AI-agent conversations, and the local server and headless commands that go with it.
//!
//! The modules form layers, each using only those listed before it (a test,
//! `tests/it/layers.rs`, fails when an import runs back up):
//!
//! 1. `text`, `files` — untrusted text made safe and measured; files created safely.
//! 2. `provider` — the domain model and the two APIs behind one trait.
//! 3. `config` — settings, profiles and the keymap as data.
//! 4. `format` — the model as text for people and files.
//! 5. `server` — the local server that speaks both APIs.
//! 6. `failure` — a command's failure: its line and exit code.
//! 7. `session` — from settings or a profile to a connected provider.
//! 8. `view` — what the update prepares and the render draws.
//! 9. `app` — the browser's state, messages, pure update and commands.
//! 10. `ui` — the pure render of the state into a frame.
//! 11. `term` — the terminal and the process around it.
//! 12. `runtime` — the loop that runs the browser and carries out its commands.
//! 13. `cli` — the command line and the headless commands.
//! 14. `fuzzing` — a narrow door into the text and detail code for the fuzz targets.

pub mod app;
pub mod cli;
pub mod config;
pub mod failure;
pub mod files;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod provider;
pub mod runtime;
pub mod server;
pub mod session;
pub mod term;
pub mod text;
pub mod ui;
pub mod view;
