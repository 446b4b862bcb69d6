//! Getting the key itself: from a variable, a literal, or a command run once (with a timeout) — and never showing it.

use std::process::Stdio;
use std::time::Duration;

use crate::text::{Lines, sanitize, truncate};

use super::error::ConfigError;
use super::resolve::{Env, KeySpec, redact_keys};
use super::sourced::{Source, Sourced};

/// How long `api_key_cmd` may take (a password manager may ask for a passphrase on the TTY).
pub const KEY_CMD_TIMEOUT: Duration = Duration::from_secs(10);

/// Lines of a failed command's stderr shown back.
const STDERR_LINES: usize = 3;
/// The most of a command's stdout read: a key is a line, and more than
/// this is refused rather than cut (a key cut short fails later, and obscurely).
pub const KEY_OUTPUT_LIMIT: usize = 4096;
/// The most of its stderr read, for the lines shown back.
const STDERR_LIMIT: usize = 16 * 1024;
/// How long, once the command has exited, output still in the pipes is waited for.
const AFTER_EXIT_GRACE: Duration = Duration::from_millis(200);

/// The key a spec points at, trimmed.
///
/// # Errors
/// An unset variable, or a command that fails, times out or prints nothing —
/// reported with the command and its stderr, never with anything it printed on stdout.
pub async fn fetch_key(
    spec: &Sourced<KeySpec>,
    env: &Env,
    timeout: Duration,
) -> Result<String, ConfigError> {
    let whence = where_from(&spec.source);
    match &spec.value {
        KeySpec::Literal(key) => Ok(key.trim().to_owned()),
        KeySpec::Env(var) => env.get(var).map(|k| k.trim().to_owned()).ok_or_else(|| {
            ConfigError::plain(format!(
                "the key variable {var} ({whence}) is not set or is empty; export it, or change api_key_env"
            ))
        }),
        KeySpec::Cmd(cmd) => run_key_cmd(cmd, timeout)
            .await
            .map_err(|why| {
                let shown = redact_keys(cmd);
                ConfigError::plain(format!("api_key_cmd `{shown}` ({whence}) {why}"))
            }),
    }
}

fn where_from(source: &Source) -> String {
    match source {
        Source::File {
            path,
            profile: Some(p),
        } => format!("profile {p} in {}", path.display()),
        other => other.to_string(),
    }
}

/// Runs `sh -c cmd` once, in a process group of its own; stdout trimmed is the key.
async fn run_key_cmd(cmd: &str, timeout: Duration) -> Result<String, String> {
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own group, so that a timeout can stop whatever it started too.
    // The price: a command that reads this terminal itself is stopped
    // (SIGTTIN) until the timeout; password managers ask through an agent.
    #[cfg(unix)]
    command.process_group(0);
    let child = command
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let group = child.id();
    let ran = key_cmd_output(child, timeout).await;
    if !matches!(ran, Ok(Ran::Exited { .. })) {
        kill_group(group);
    }
    let (status, stdout, stderr) = match ran {
        Ok(Ran::Exited {
            status,
            stdout,
            stderr,
        }) => (status, stdout, stderr),
        Ok(Ran::TooLong) => {
            return Err(format!(
                "printed more than {KEY_OUTPUT_LIMIT} bytes on stdout; no key is that long, so it was refused rather than cut (it must print the key alone)"
            ));
        }
        Ok(Ran::TimedOut) => {
            return Err(format!(
                "did not finish within {}s (it was stopped, with everything it started); run it by hand to see what it waits for \
                 (it cannot read a passphrase from this terminal itself: let an agent such as gpg-agent ask)",
                timeout.as_secs_f32()
            ));
        }
        Err(e) => return Err(format!("failed: {e}")),
    };
    let stderr = stderr_excerpt(&stderr);
    if !status.success() {
        let status = status.code().map_or_else(
            || "was killed by a signal".to_owned(),
            |c| format!("exited with status {c}"),
        );
        return Err(format!("{status}{stderr}"));
    }
    let key = String::from_utf8_lossy(&stdout).trim().to_owned();
    if key.is_empty() {
        return Err(format!(
            "printed nothing on stdout; it must print the key{stderr}"
        ));
    }
    Ok(key)
}

/// How a key command ended.
enum Ran {
    /// It exited; what it printed by then (and within [`AFTER_EXIT_GRACE`]).
    Exited {
        status: std::process::ExitStatus,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
    /// It printed more than [`KEY_OUTPUT_LIMIT`] on stdout.
    TooLong,
    /// It did not exit in time.
    TimedOut,
}

/// Waits for the command to exit, reading its output as it comes. Its exit
/// ends the wait, not the end of its output: a background child it left
/// behind may hold stdout open for as long as it lives.
async fn key_cmd_output(
    mut child: tokio::process::Child,
    timeout: Duration,
) -> std::io::Result<Ran> {
    let mut stdout_pipe = child.stdout.take();
    let mut stderr_pipe = child.stderr.take();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut until = tokio::time::Instant::now() + timeout;
    let mut status = None;
    loop {
        if status.is_some() && stdout_pipe.is_none() && stderr_pipe.is_none() {
            break;
        }
        tokio::select! {
            open = read_some(&mut stdout_pipe, &mut stdout) => {
                if !open {
                    stdout_pipe = None;
                }
                if stdout.len() > KEY_OUTPUT_LIMIT {
                    return Ok(Ran::TooLong);
                }
            }
            open = read_some(&mut stderr_pipe, &mut stderr) => {
                // Only its first lines are ever shown.
                if !open || stderr.len() > STDERR_LIMIT {
                    stderr_pipe = None;
                }
            }
            exited = child.wait(), if status.is_none() => {
                status = Some(exited?);
                until = until.min(tokio::time::Instant::now() + AFTER_EXIT_GRACE);
            }
            () = tokio::time::sleep_until(until) => {
                if status.is_none() {
                    return Ok(Ran::TimedOut);
                }
                break;
            }
        }
    }
    match status {
        Some(status) => Ok(Ran::Exited {
            status,
            stdout,
            stderr,
        }),
        None => Ok(Ran::TimedOut),
    }
}

/// Reads what is there into `buf`; `false` at the end of the pipe. A closed
/// pipe never answers, so the other branches decide.
async fn read_some<R: tokio::io::AsyncRead + Unpin>(
    pipe: &mut Option<R>,
    buf: &mut Vec<u8>,
) -> bool {
    use tokio::io::AsyncReadExt as _;
    let Some(pipe) = pipe else {
        return std::future::pending().await;
    };
    // Straight into the buffer: a chunk array here would sit in every future up to `main`.
    buf.reserve(4096);
    matches!(pipe.read_buf(buf).await, Ok(n) if n > 0)
}

/// Kills every process of the command's group (it leads it: the group's id is its pid).
#[cfg(unix)]
fn kill_group(leader: Option<u32>) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    if let Some(pid) = leader
        .and_then(|id| i32::try_from(id).ok())
        .filter(|id| *id > 1)
    {
        // Gone already is fine: there is nothing left to stop.
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(_: Option<u32>) {}

/// `: first lines of stderr`, sanitised, or nothing when it said nothing.
fn stderr_excerpt(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(STDERR_LINES)
        // A command run under `set -x`, or one that says what it fetched,
        // may print the key itself on stderr.
        .map(|l| truncate(&sanitize(&redact_keys(l), Lines::Join), 200).into_owned())
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("; its stderr: {}", lines.join(" / "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_on_the_commands_stderr_is_masked() {
        let stderr = b"+ printf %s ags_0123456789abcdef0123456789abcdef_abc123\nvault: locked\n";
        let shown = stderr_excerpt(stderr);
        assert_eq!(
            shown,
            "; its stderr: + printf %s ags_\u{2026}abc123 / vault: locked"
        );
    }
}
