//! What the tests share: servers of their own (honest, lying, misbehaving), the hostile data set, the browser's starting state and a driver for its loop, a tmux harness, and a way to run a test in a process of its own.

pub(crate) mod alone;
pub(crate) mod common;
pub(crate) mod driver;
pub(crate) mod hostile;
pub(crate) mod liar;
pub(crate) mod misbehave;
pub(crate) mod offline;
pub(crate) mod state;
pub(crate) mod tmux;
