//! Connecting to an API: the resolved settings or a profile become a provider, and `--demo` starts the local server first.

pub mod connect;
pub mod profiles;

pub use connect::{Session, connect_with};
pub use profiles::{Connected, ProfileEntry, Profiles, Source};
