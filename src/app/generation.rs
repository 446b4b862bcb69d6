//! A fetch's identity, shared by the messages, the commands and the screens' own state.

/// A fetch's identity: a reply whose generation is no longer current is dropped.
pub type Generation = u64;
