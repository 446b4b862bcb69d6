//! Getting the key itself: from a variable, a literal, or a command run once (with a timeout) — and never showing it.

use std::process::Stdio;
use std::time::Duration;

use crate::text::{Lines, sanitize, truncate};

use super::error::ConfigError;
use super::resolve::{Env, KeySpec, Source, Sourced, redact_keys};

/// How long `api_key_cmd` may take (a password manager may ask for a passphrase on the TTY).
pub const KEY_CMD_TIMEOUT: Duration = Duration::from_secs(10);

/// Lines of a failed command's stderr shown back.
const STDERR_LINES: usize = 3;

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

/// Runs `sh -c cmd` once; stdout trimmed is the key.
async fn run_key_cmd(cmd: &str, timeout: Duration) -> Result<String, String> {
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(format!("failed: {e}")),
        Err(_) => {
            return Err(format!(
                "did not finish within {}s (it was stopped); run it by hand to see what it waits for",
                timeout.as_secs_f32()
            ));
        }
    };
    let stderr = stderr_excerpt(&output.stderr);
    if !output.status.success() {
        let status = output.status.code().map_or_else(
            || "was killed by a signal".to_owned(),
            |c| format!("exited with status {c}"),
        );
        return Err(format!("{status}{stderr}"));
    }
    let key = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if key.is_empty() {
        return Err(format!(
            "printed nothing on stdout; it must print the key{stderr}"
        ));
    }
    Ok(key)
}

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
