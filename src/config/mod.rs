//! Configuration: config.toml, profiles, key resolution, precedence, the list's columns, and what `convo config path|show|init` need.

pub mod bindings;
pub mod cleartext;
pub mod columns;
pub mod error;
pub mod file;
pub mod init;
pub mod keymap;
pub mod keys;
pub mod resolve;
pub mod save_dir;
pub mod sourced;
mod suggest;

pub use error::ConfigError;
pub use file::{ConfigFile, ThemeName, load};
pub use keys::{KEY_CMD_TIMEOUT, fetch_key};
pub use resolve::{Env, Flags, KeySpec, SavedView, Settings, locate, resolve, resolve_as_written};
pub use sourced::{Source, Sourced};

/// Reads the config in use (if any) and resolves it against this process's environment.
///
/// # Errors
/// See [`load`] and [`resolve`].
pub fn settings(flags: &Flags) -> Result<Settings, ConfigError> {
    settings_and_file(flags).map(|(settings, _)| settings)
}

/// Like [`settings`], with the file it read (the browser switches between its profiles).
///
/// # Errors
/// See [`load`] and [`resolve`].
pub fn settings_and_file(flags: &Flags) -> Result<(Settings, Option<ConfigFile>), ConfigError> {
    let env = Env::from_process();
    let file = match locate(&env, flags) {
        Some(path) => load(&path.value)?,
        None => None,
    };
    let settings = resolve(file.as_ref(), &env, flags)?;
    Ok((settings, file))
}
