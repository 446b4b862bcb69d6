//! A configuration error: which file, which line, what is wrong and how to fix it (exit 2).

use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with the configuration, worded so the fix is plain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault, when one is.
    pub path: Option<PathBuf>,
    /// Its 1-based line, when the fault has one place.
    pub line: Option<usize>,
    /// What is wrong, and the fix.
    pub message: String,
}

impl ConfigError {
    /// An error about a place in a file.
    #[must_use]
    pub fn at(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            path: Some(path.to_path_buf()),
            line,
            message: message.into(),
        }
    }

    /// An error that names no file (or names it in its own words).
    #[must_use]
    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            path: None,
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => {
                write!(f, "{} line {line}: {}", path.display(), self.message)
            }
            (Some(path), None) => write!(f, "{}: {}", path.display(), self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}
