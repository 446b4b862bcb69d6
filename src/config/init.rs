//! `convo config init`: the commented starter file, written once with mode 0600.

use std::io::Write as _;
use std::path::Path;

/// The starter file, every line commented out, so writing it changes nothing.
pub const STARTER: &str = include_str!("../../assets/config.example.toml");

/// What `init` did.
#[derive(Debug, PartialEq, Eq)]
pub enum InitOutcome {
    /// Wrote the starter file.
    Written,
    /// A file is already there; it was left alone.
    AlreadyExists,
}

/// Writes [`STARTER`] to `path` (creating its directory), private to the user; never overwrites.
///
/// # Errors
/// The directory or file cannot be created.
pub fn write_starter(path: &Path) -> Result<InitOutcome, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Ok(InitOutcome::AlreadyExists);
        }
        Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
    };
    file.write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(InitOutcome::Written)
}
