//! Opening a dashboard URL in the user's browser, or a saved file with the system opener — or, over SSH or without a display, saying to show it instead.
//!
//! A browser started on the far side of an SSH connection opens on the wrong
//! machine (or nowhere), so there the URL is shown for the user to click or
//! copy. The decision is a pure function of the environment, tested as a table.

use std::process::{Command, Stdio};

/// What decides whether a browser can be opened here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenEnv {
    /// The operating system.
    pub os: Os,
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set (only consulted on Linux and the BSDs).
    pub display: bool,
}

/// Operating systems as far as opening a URL goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// macOS: `open`.
    MacOs,
    /// Linux and the BSDs: `xdg-open`, given a display.
    Linux,
    /// Anything else: no opener is tried.
    Other,
}

impl OpenEnv {
    /// Reads the environment of this process.
    #[must_use]
    pub fn from_env() -> Self {
        let os = if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd",
            target_os = "dragonfly"
        )) {
            Os::Linux
        } else {
            Os::Other
        };
        Self {
            os,
            ssh: is_set("SSH_CONNECTION") || is_set("SSH_TTY"),
            display: is_set("DISPLAY") || is_set("WAYLAND_DISPLAY"),
        }
    }
}

/// What to do with a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenDecision {
    /// Run this program with the URL.
    Spawn(&'static str),
    /// Show the URL; the reason says why it was not opened.
    Show(String),
}

/// Whether to open a browser here, and with what.
#[must_use]
pub fn open_decision(env: &OpenEnv) -> OpenDecision {
    if env.ssh {
        return OpenDecision::Show("over SSH a browser would open on the server".to_owned());
    }
    match env.os {
        Os::MacOs => OpenDecision::Spawn("open"),
        Os::Linux if env.display => OpenDecision::Spawn("xdg-open"),
        Os::Linux => {
            OpenDecision::Show("no display (DISPLAY and WAYLAND_DISPLAY are unset)".to_owned())
        }
        Os::Other => OpenDecision::Show("opening a browser is not supported here".to_owned()),
    }
}

/// What [`open_url`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenOutcome {
    /// The opener was started (it runs on by itself; its result is logged).
    Opened,
    /// Nothing was opened: show the URL to the user, with this reason.
    ShowInstead(String),
}

/// Opens `url` in the browser, or says why the app should show it instead.
///
/// Only `http` and `https` URLs are opened: the URL is built from data, and
/// an opener given anything else (a `file:` path, an argument starting with
/// `-`) could do something else entirely. The opener runs detached (its own
/// process group, no standard streams) so it can neither draw on the screen
/// nor receive the terminal's signals; a thread reaps it and logs a failure.
#[must_use]
pub fn open_url(url: &str) -> OpenOutcome {
    if let Err(reason) = check_url(url) {
        return OpenOutcome::ShowInstead(reason);
    }
    let program = match open_decision(&OpenEnv::from_env()) {
        OpenDecision::Spawn(program) => program,
        OpenDecision::Show(reason) => return OpenOutcome::ShowInstead(reason),
    };
    match spawn_detached(program, std::ffi::OsStr::new(url)) {
        Ok(()) => OpenOutcome::Opened,
        Err(reason) => OpenOutcome::ShowInstead(reason),
    }
}

/// Opens a saved file with the system opener under the same rules as
/// [`open_url`] (over SSH or without a display, show the path instead).
/// Only an absolute path is handed over, so it can never read as an option.
#[must_use]
pub fn open_path(path: &std::path::Path) -> OpenOutcome {
    if !path.is_absolute() {
        return OpenOutcome::ShowInstead("not an absolute path".to_owned());
    }
    let program = match open_decision(&OpenEnv::from_env()) {
        OpenDecision::Spawn(program) => program,
        OpenDecision::Show(reason) => return OpenOutcome::ShowInstead(reason),
    };
    match spawn_detached(program, path.as_os_str()) {
        Ok(()) => OpenOutcome::Opened,
        Err(reason) => OpenOutcome::ShowInstead(reason),
    }
}

/// Refuses anything but an absolute `http`/`https` URL.
///
/// # Errors
/// Why the URL will not be handed to an opener.
pub fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        Ok(parsed) => Err(format!(
            "not a web address (scheme {:?})",
            crate::text::sanitize(parsed.scheme(), crate::text::Lines::Join)
        )),
        Err(e) => Err(format!("not a valid URL ({e})")),
    }
}

fn spawn_detached(program: &'static str, url: &std::ffi::OsStr) -> Result<(), String> {
    use std::os::unix::process::CommandExt as _;

    let mut child = Command::new(program)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{program} is not installed"),
            _ => format!("{program} could not be started: {e}"),
        })?;
    // Reap the child so it does not linger as a zombie; some openers wait for
    // the browser, so this must not block the app.
    std::thread::spawn(move || match child.wait() {
        Ok(status) if status.success() => {}
        Ok(status) => tracing::warn!("{program} exited with {status}"),
        Err(e) => tracing::warn!("waiting for {program} failed: {e}"),
    });
    Ok(())
}

fn is_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(os: Os, ssh: bool, display: bool) -> OpenEnv {
        OpenEnv { os, ssh, display }
    }

    #[test]
    fn decision_matrix() {
        let show = |d: OpenDecision| matches!(d, OpenDecision::Show(_));
        for os in [Os::MacOs, Os::Linux, Os::Other] {
            for display in [false, true] {
                // Over SSH, never open, whatever else holds.
                assert!(show(open_decision(&env(os, true, display))), "{os:?} ssh");
            }
        }
        assert_eq!(
            open_decision(&env(Os::Linux, false, true)),
            OpenDecision::Spawn("xdg-open")
        );
        assert!(show(open_decision(&env(Os::Linux, false, false))));
        // macOS needs no DISPLAY.
        assert_eq!(
            open_decision(&env(Os::MacOs, false, false)),
            OpenDecision::Spawn("open")
        );
        assert!(show(open_decision(&env(Os::Other, false, true))));
    }

    #[test]
    fn reasons_say_why() {
        let OpenDecision::Show(ssh) = open_decision(&env(Os::Linux, true, true)) else {
            panic!("expected Show");
        };
        assert!(ssh.contains("SSH"), "{ssh}");
        let OpenDecision::Show(nodisplay) = open_decision(&env(Os::Linux, false, false)) else {
            panic!("expected Show");
        };
        assert!(nodisplay.contains("DISPLAY"), "{nodisplay}");
    }

    #[test]
    fn only_web_urls_are_handed_to_an_opener() {
        assert!(check_url("https://app.agentsight.io/conversations/42").is_ok());
        assert!(check_url("http://127.0.0.1:8787/c/1").is_ok());
        for bad in [
            "file:///etc/passwd",
            "--help",
            "javascript:alert(1)",
            "",
            "app.agentsight.io/x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            open_url("file:///etc/passwd"),
            OpenOutcome::ShowInstead("not a web address (scheme \"file\")".to_owned())
        );
    }
}
