//! Where `s` saves conversations and attachments: `save_dir` in the config (a leading `~/` is the home directory), else the platform's download directory, else the current one.

use std::path::{Path, PathBuf};

/// The directory used when the config names none: `~/Downloads` (or
/// `$XDG_DOWNLOAD_DIR`), else the current directory.
#[must_use]
pub fn default_save_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(Path::to_path_buf))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `save_dir` as written, with a leading `~/` made the home directory.
#[must_use]
pub fn expand(written: &str) -> PathBuf {
    match written.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map_or_else(|| PathBuf::from(written), |b| b.home_dir().join(rest)),
        None => PathBuf::from(written),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tilde_is_home_and_anything_else_is_kept() {
        assert_eq!(expand("/srv/cases"), PathBuf::from("/srv/cases"));
        assert_eq!(expand("cases"), PathBuf::from("cases"));
        if let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()) {
            assert_eq!(expand("~/cases"), home.join("cases"));
        }
    }
}
