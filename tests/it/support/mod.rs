//! What the tests share: servers of their own (honest, lying, misbehaving), the hostile data set, the browser's starting state and a driver for its loop, a tmux harness, and a way to run a test in a process of its own.

pub mod alone;
pub mod common;
pub mod driver;
pub mod hostile;
pub mod liar;
pub mod misbehave;
pub mod offline;
pub mod state;
pub mod tmux;
