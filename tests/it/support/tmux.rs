//! A small tmux harness for tests that run the real `convo` in a terminal: a detached session on a private socket, keys in, the screen and tmux's view of the terminal modes out, and what /proc says about the process.
//!
//! Each pane runs a shell script in its own temp dir (`$E2E`); the script
//! ends in a long sleep so the pane stays to be read. Without tmux a test
//! prints SKIPPED and passes, except under CI (`CI` set), where it fails.
// Test helpers: a tmux that cannot be driven should stop the test on the spot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long anything may take to show up (a loaded 2-core machine, a debug build).
pub(crate) const DEADLINE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(20);
/// The session (and window) name every pane runs in.
pub(crate) const SESSION: &str = "convo-test";

/// Whether tmux can be used; prints SKIPPED (or fails under CI) when not.
pub(crate) fn available(test: &str) -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required for {test}: apt-get install tmux"
        );
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED {test}: tmux is not installed (apt-get install tmux) ***\n"
        );
    }
    found
}

/// Single-quotes a path for the shell.
pub(crate) fn quoted(path: &Path) -> String {
    let text = path.display().to_string();
    assert!(!text.contains('\''), "unexpected quote in {text}");
    format!("'{text}'")
}

/// The line of shell that runs the built convo with `args`.
pub(crate) fn convo(args: &str) -> String {
    format!("{} {args}", quoted(Path::new(env!("CARGO_BIN_EXE_convo"))))
}

/// A tmux server on a private socket running one script in one 120×40 pane.
/// Dropping it kills the server and whatever runs in the pane.
pub(crate) struct Pane {
    socket: String,
    dir: tempfile::TempDir,
}

impl Pane {
    /// Starts `body` (a `sh` fragment run in the pane's temp dir, `$E2E`),
    /// with no user config, key or display leaking in.
    pub(crate) fn start(body: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "convo-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nE2E={dir}\ncd \"$E2E\" || exit 1\n\
                 export XDG_CONFIG_HOME=\"$E2E/config\" XDG_DATA_HOME=\"$E2E/data\"\n\
                 unset AGENTSIGHT_API_KEY AGENTSIGHT_API_ENDPOINT CONVO_PROFILE CONVO_CONFIG CONVO_LOG\n\
                 unset DISPLAY WAYLAND_DISPLAY SSH_CONNECTION SSH_TTY\n\
                 {body}\nexec sleep 600\n",
                dir = quoted(dir.path())
            ),
        )
        .unwrap();
        let pane = Self { socket, dir };
        let command = format!("sh {}", quoted(&script));
        pane.tmux_ok(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-n",
            SESSION,
            "-x",
            "120",
            "-y",
            "40",
            &command,
            // Set in the same invocation, so in force before the script prints
            // anything: what a hostile program could reach is reachable.
            ";",
            "set-option",
            "-g",
            "set-clipboard",
            "on",
            ";",
            "set-option",
            "-g",
            "allow-rename",
            "on",
            ";",
            "set-option",
            "-g",
            "automatic-rename",
            "off",
        ]);
        pane
    }

    /// Runs a tmux command on this pane's server.
    pub(crate) fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .unwrap()
    }

    /// Runs a tmux command that must succeed; its stdout.
    pub(crate) fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys in tmux's notation (`Enter`, `Escape`, `j`).
    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// The visible screen as text.
    pub(crate) fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", SESSION])
    }

    /// The whole pane, scrollback included.
    pub(crate) fn history(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-S", "-", "-t", SESSION])
    }

    /// One of tmux's formats for the pane, e.g. `alternate_on`.
    pub(crate) fn var(&self, name: &str) -> String {
        self.tmux_ok(&[
            "display-message",
            "-p",
            "-t",
            SESSION,
            &format!("#{{{name}}}"),
        ])
        .trim_end()
        .to_owned()
    }

    /// A path in the pane's dir.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file the script or convo wrote, if it is there.
    pub(crate) fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.path(name)).ok()
    }

    /// Polls until `ready` holds, or fails showing the screen and the log.
    pub(crate) fn wait_until(&self, what: &str, mut ready: impl FnMut(&Self) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}\n---- the screen ----\n{}\n---- convo.log (tail) ----\n{}",
                self.screen().trim_end(),
                tail(&self.file("convo.log").unwrap_or_default(), 30)
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits for text on the screen (also after the program has exited).
    pub(crate) fn wait_for_text(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on the screen"), |p| {
            p.screen().contains(needle)
        });
    }

    /// Types text literally.
    pub(crate) fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Pastes `text` the way a terminal does: bracketed if the program asked for it.
    pub(crate) fn paste(&self, text: &str) {
        self.tmux_ok(&["set-buffer", "-b", "e2e-paste", text]);
        self.tmux_ok(&["paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", SESSION]);
    }

    /// The visible screen with attributes as escape sequences (`-e`).
    pub(crate) fn screen_escaped(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-e", "-t", SESSION])
    }

    /// tmux's buffers, one `name: sample` a line (empty when nothing was copied).
    pub(crate) fn buffers(&self) -> String {
        let out = self.tmux(&["list-buffers", "-F", "#{buffer_name}: #{buffer_sample}"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The newest tmux buffer's whole content.
    pub(crate) fn newest_buffer(&self) -> String {
        self.tmux_ok(&["show-buffer"])
    }

    /// Waits for text on the screen, failing at once if the script recorded an exit first.
    pub(crate) fn wait_while_running(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on the screen"), |p| {
            if let Some(status) = p.file("status") {
                panic!(
                    "convo exited (status {}) before {needle:?} appeared:\n{}",
                    status.trim(),
                    p.screen().trim_end()
                );
            }
            p.screen().contains(needle)
        });
    }

    /// Waits for a file the script writes (complete once it ends in a newline).
    pub(crate) fn wait_for_file(&self, name: &str) -> String {
        self.wait_until(&format!("the file {name}"), |p| {
            p.file(name).is_some_and(|t| t.ends_with('\n'))
        });
        self.file(name).unwrap_or_default()
    }

    /// The exit status the script recorded in `status`.
    pub(crate) fn exit_status(&self) -> i32 {
        self.wait_for_file("status").trim().parse().unwrap()
    }

    /// The pid of the pane's program: the child of the pane's shell named `comm`.
    pub(crate) fn program_pid(&self, comm: &str) -> u32 {
        let shell: u32 = self.var("pane_pid").parse().unwrap();
        let mut found = None;
        self.wait_until(&format!("a {comm} process under the pane's shell"), |_| {
            found = children(shell).into_iter().find(|(_, c)| c == comm);
            found.is_some()
        });
        found.map(|(pid, _)| pid).unwrap()
    }

    /// The terminal is back as a shell wants it: the normal screen, a visible
    /// cursor, no mouse reporting, and (from `stty.after`) cooked mode.
    pub(crate) fn assert_restored(&self) {
        assert_eq!(
            self.var("alternate_on"),
            "0",
            "still on the alternate screen"
        );
        assert_eq!(self.var("cursor_flag"), "1", "the cursor is still hidden");
        assert_eq!(
            self.var("mouse_any_flag"),
            "0",
            "mouse reporting is still on"
        );
        let stty = self.wait_for_file("stty.after");
        let flags: Vec<&str> = stty.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(flags.contains(&flag), "{flag} is off after exit:\n{stty}");
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The last `n` lines of a text.
pub(crate) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// `(pid, comm)` of every process whose parent is `parent` (zombies included), from /proc.
pub(crate) fn children(parent: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let open = stat.find('(')?;
            let close = stat.rfind(')')?;
            let comm = stat[open + 1..close].to_owned();
            let parent_of: u32 = stat[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
            (parent_of == parent).then_some((pid, comm))
        })
        .collect()
}

/// Whether a process is running (a zombie has exited; only its parent has yet to notice).
pub(crate) fn is_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// The number of threads of a process, from /proc/PID/task.
pub(crate) fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, Iterator::count)
}

/// Sends a signal by name (`TERM`, `HUP`) with kill(1).
pub(crate) fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// The TCP ports a process listens on: its socket inodes matched against
/// the LISTEN rows of /proc/net/tcp and tcp6.
pub(crate) fn listening_ports(pid: u32) -> Vec<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
                .filter_map(|target| {
                    let text = target.to_string_lossy().into_owned();
                    text.strip_prefix("socket:[")?
                        .strip_suffix(']')
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut ports = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for row in text.lines().skip(1) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // local_address, state (0A = LISTEN), inode
            let (Some(local), Some(state), Some(inode)) = (cols.get(1), cols.get(3), cols.get(9))
            else {
                continue;
            };
            if *state == "0A" && inodes.iter().any(|i| i == inode) {
                if let Some(port) = local
                    .rsplit(':')
                    .next()
                    .and_then(|hex| u16::from_str_radix(hex, 16).ok())
                {
                    ports.push(port);
                }
            }
        }
    }
    ports
}
