//! A setting's value and where it came from: a flag, a variable, the config file, or the default.

use std::fmt;
use std::path::PathBuf;

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag (its name).
    Flag(&'static str),
    /// An environment variable (its name).
    Env(String),
    /// The config file, in a profile or at its top level.
    File {
        /// The file.
        path: PathBuf,
        /// The profile, when the value is in one.
        profile: Option<String>,
    },
    /// Built in.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(name) => write!(f, "flag {name}"),
            Self::Env(name) => write!(f, "env {name}"),
            Self::File {
                path,
                profile: Some(p),
            } => write!(f, "profile {p} in {}", path.display()),
            Self::File {
                path,
                profile: None,
            } => write!(f, "{}", path.display()),
            Self::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value in force.
    pub value: T,
    /// Who set it.
    pub source: Source,
}

impl<T> Sourced<T> {
    pub(crate) fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }
}
