//! Configuration: config.toml, profiles, key resolution, precedence, and what `convo config path|show|init` need.

pub mod bindings;
pub mod error;
pub mod file;
pub mod init;
pub mod keys;
pub mod resolve;
mod suggest;

pub use error::ConfigError;
pub use file::{ConfigFile, ThemeName, load};
pub use keys::{KEY_CMD_TIMEOUT, fetch_key};
pub use resolve::{Env, Flags, KeySpec, SavedView, Settings, Source, Sourced, locate, resolve};

/// Reads the config in use (if any) and resolves it against this process's environment.
///
/// # Errors
/// See [`load`] and [`resolve`].
pub fn settings(flags: &Flags) -> Result<Settings, ConfigError> {
    let env = Env::from_process();
    let file = match locate(&env, flags) {
        Some(path) => load(&path.value)?,
        None => None,
    };
    resolve(file.as_ref(), &env, flags)
}
