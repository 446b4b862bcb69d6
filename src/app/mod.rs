//! The browser's logic: state, messages, the pure update and the commands it asks for — no terminal, no network.
//!
//! ```text
//! terminal events ─┐                      ┌─> ui::render(&State, &mut Frame)   (pure)
//!                  ├─> Msg ─> update(&mut State, Msg) -> Vec<Cmd>
//! fetch results ───┘                      └─> Cmd ─> runtime (fetch, save, copy) ─> Msg
//! ```

pub mod attachments;
pub mod cache;
pub mod cmd;
pub mod enrich;
pub mod fetch_kind;
pub mod field;
pub mod filter;
pub mod form;
pub mod generation;
pub mod help;
pub mod layout;
pub mod log;
pub mod msg;
pub mod screens;
pub mod sort;
pub mod state;
pub mod trace;
pub mod update;
pub mod watch;
pub mod writes;

pub use crate::config::keymap;
