//! Logs to a file (the `--log-file` flag, else `convo.log` in the data directory), never to the screen.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing_subscriber::EnvFilter;

/// The log file's name inside the data directory.
pub const LOG_FILE_NAME: &str = "convo.log";

/// The environment variable holding the log filter (`tracing` `EnvFilter` syntax).
pub const LOG_ENV: &str = "CONVO_LOG";

/// The filter when `CONVO_LOG` is unset or invalid.
pub const DEFAULT_FILTER: &str = "convo=info";

/// Starts logging for the whole process and returns the file it goes to
/// (the help overlay shows it; the panic hook appends its reports there).
///
/// The file is `log_file` when given, else `convo.log` in convo's data
/// directory (`~/.local/share/convo` on Linux), created with its directory
/// if missing, opened for appending, readable by the user only. Lines carry
/// no colour codes. The level comes from `CONVO_LOG` (default `convo=info`);
/// an invalid `CONVO_LOG` falls back to the default and says so in the log.
///
/// # Errors
/// No data directory can be found, the file cannot be opened, or logging was
/// already started in this process.
pub fn init_logging(log_file: Option<&Path>) -> Result<PathBuf, String> {
    let path = log_path(log_file, default_data_dir().as_deref())?;
    let file = open_log(&path)?;
    let (filter, bad_filter) = match std::env::var(LOG_ENV) {
        Ok(text) => match EnvFilter::try_new(&text) {
            Ok(filter) => (filter, None),
            Err(e) => (
                EnvFilter::new(DEFAULT_FILTER),
                Some(format!("{text:?}: {e}")),
            ),
        },
        Err(_) => (EnvFilter::new(DEFAULT_FILTER), None),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Arc::new(file))
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
    if let Some(problem) = bad_filter {
        tracing::warn!("{LOG_ENV} ignored, using {DEFAULT_FILTER}: {problem}");
    }
    Ok(path)
}

/// convo's data directory (`directories`' data dir for "convo"), if the
/// platform has one (it needs a home directory).
#[must_use]
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "convo").map(|dirs| dirs.data_dir().to_path_buf())
}

/// Where the log goes: the flag, else `convo.log` in `data_dir`.
///
/// # Errors
/// Neither a flag nor a data directory.
pub fn log_path(flag: Option<&Path>, data_dir: Option<&Path>) -> Result<PathBuf, String> {
    match (flag, data_dir) {
        (Some(path), _) => Ok(path.to_path_buf()),
        (None, Some(dir)) => Ok(dir.join(LOG_FILE_NAME)),
        (None, None) => Err(
            "no data directory for the log file (is HOME set?); give one with --log-file"
                .to_owned(),
        ),
    }
}

/// Opens `path` for appending, creating it (mode 0600) and its directory.
///
/// # Errors
/// The directory or the file cannot be created or opened, as one line.
pub fn open_log(path: &Path) -> Result<File, String> {
    use std::os::unix::fs::OpenOptionsExt as _;

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the log directory {}: {e}", dir.display()))?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_data_dir() {
        let flag = Path::new("/tmp/x/my.log");
        assert_eq!(
            log_path(Some(flag), Some(Path::new("/data"))).unwrap(),
            flag
        );
        assert_eq!(log_path(Some(flag), None).unwrap(), flag);
    }

    #[test]
    fn without_a_flag_the_log_is_convo_log_in_the_data_dir() {
        assert_eq!(
            log_path(None, Some(Path::new("/home/u/.local/share/convo"))).unwrap(),
            Path::new("/home/u/.local/share/convo/convo.log")
        );
        let err = log_path(None, None).unwrap_err();
        assert!(err.contains("--log-file"), "{err}");
    }

    #[test]
    fn open_log_creates_the_directory_and_appends() {
        use std::io::Write as _;
        use std::os::unix::fs::PermissionsExt as _;

        let tmp = tempfile::tempdir().unwrap();
        let path = log_path(None, Some(&tmp.path().join("a/b"))).unwrap();
        open_log(&path).unwrap().write_all(b"one\n").unwrap();
        open_log(&path).unwrap().write_all(b"two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn an_unopenable_log_file_is_reported_with_its_path() {
        let tmp = tempfile::tempdir().unwrap();
        let err = open_log(tmp.path()).unwrap_err();
        assert!(err.contains(&tmp.path().display().to_string()), "{err}");
    }
}
