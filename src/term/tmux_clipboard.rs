//! Whether tmux lets an application's OSC 52 reach the terminal, read from tmux's own options, so a copy that tmux would drop is said and shown instead of reported as copied.
//!
//! What tmux 3.x does with the two sequences convo sends (see `clipboard.rs`):
//! - `set-clipboard on`: the plain OSC 52 is taken, kept as a paste buffer and
//!   passed on to the terminal;
//! - `set-clipboard external` (tmux's default) and `off`: an application's
//!   OSC 52 is dropped (`external` only lets tmux's own copy mode set the
//!   terminal's clipboard);
//! - `allow-passthrough on` or `all` (a pane option, `off` by default since
//!   3.3): the sequence wrapped in `ESC P tmux; … ESC \` is passed to the
//!   terminal as it is, whatever `set-clipboard` says.
//!
//! So the copy reaches the terminal when either holds, and is lost otherwise.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// tmux's two options as read (`None`: could not be read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TmuxClipboard {
    /// `set-clipboard`: `on`, `external`, `off`.
    pub set_clipboard: Option<String>,
    /// `allow-passthrough` of this pane: `on`, `all`, `off`.
    pub allow_passthrough: Option<String>,
}

impl TmuxClipboard {
    /// `Err(why)` when tmux drops what convo sends, said with the setting that fixes it.
    ///
    /// # Errors
    /// The options say tmux keeps the sequence from the terminal.
    pub fn reaches_terminal(&self) -> Result<(), String> {
        let passthrough = matches!(self.allow_passthrough.as_deref(), Some("on" | "all"));
        match self.set_clipboard.as_deref() {
            Some("on") => Ok(()),
            _ if passthrough => Ok(()),
            Some(value @ ("external" | "off")) => Err(format!(
                "tmux drops the copy (set-clipboard is {value}; `set -g set-clipboard on` lets it through)"
            )),
            // Unknown: tmux could not be asked; the copy is sent, and said as sent.
            _ => Ok(()),
        }
    }
}

/// How long tmux is given to answer. It is asked on the loop, right before the
/// copy it decides about, so a hung tmux may hold the screen this long, twice;
/// a live one answers in a few milliseconds.
const ASK_TIMEOUT: Duration = Duration::from_millis(300);

/// Asks the tmux server this process runs in for its options (`TMUX_PANE`
/// names the pane for `allow-passthrough`).
#[must_use]
pub fn read() -> TmuxClipboard {
    let pane = std::env::var("TMUX_PANE").ok().filter(|p| !p.is_empty());
    let mut passthrough = vec!["show-options", "-Apv"];
    if let Some(pane) = pane.as_deref() {
        passthrough.extend(["-t", pane]);
    }
    passthrough.push("allow-passthrough");
    TmuxClipboard {
        set_clipboard: ask(&["show-options", "-gv", "set-clipboard"]),
        allow_passthrough: ask(&passthrough),
    }
}

/// One `tmux` command's first line of output, or `None` when it fails or hangs.
fn ask(args: &[&str]) -> Option<String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if started.elapsed() > ASK_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    out.lines()
        .next()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmux(set_clipboard: Option<&str>, passthrough: Option<&str>) -> TmuxClipboard {
        TmuxClipboard {
            set_clipboard: set_clipboard.map(str::to_owned),
            allow_passthrough: passthrough.map(str::to_owned),
        }
    }

    #[test]
    fn the_copy_reaches_the_terminal_with_set_clipboard_on_or_passthrough() {
        assert!(tmux(Some("on"), Some("off")).reaches_terminal().is_ok());
        assert!(
            tmux(Some("external"), Some("on"))
                .reaches_terminal()
                .is_ok()
        );
        assert!(tmux(Some("off"), Some("all")).reaches_terminal().is_ok());
        // Could not ask: sent, and said as sent.
        assert!(tmux(None, None).reaches_terminal().is_ok());
    }

    #[test]
    fn external_and_off_without_passthrough_drop_it_and_say_the_fix() {
        for value in ["external", "off"] {
            let why = tmux(Some(value), Some("off"))
                .reaches_terminal()
                .unwrap_err();
            assert!(
                why.contains(value) && why.contains("set-clipboard on"),
                "{why}"
            );
        }
    }
}
