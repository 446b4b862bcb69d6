//! End to end in a real terminal (a tmux pane): the browser starts, navigates, copies, suspends, and leaves the terminal as it found it — on quit, panic, SIGTERM and SIGHUP — with no escape sequence from the data reaching the terminal.
//!
//! Each test runs a shell script in a detached tmux session on its own socket
//! (`tmux -L`), drives it with `send-keys`, and reads the pane back with
//! `capture-pane` and tmux's own view of the terminal modes (`#{alternate_on}`,
//! `#{cursor_flag}`, `#{mouse_any_flag}`, the pane title). tmux is set up to
//! record what would escape: `set-clipboard on` turns an OSC 52 into a tmux
//! buffer and `allow-rename on` lets `ESC k … ESC \` rename the window, so a
//! leak shows up as a buffer or a new name.
//!
//! Two programs run in the pane: `convo` itself (`--demo`, or a local server
//! with hostile data), and a small "pane child" — this very test binary run
//! as the ignored test `pane_child` — which uses `convo::term` the way the app
//! does, so the terminal guard is tested on its own as well.
//!
//! Without tmux the tests print SKIPPED and pass, except under CI (`CI` set),
//! where they fail and say how to install it. Waits poll with deadlines; no
//! assertion is about time.
#![allow(clippy::unwrap_used)] // test helpers as well as tests stop on the first surprise

#[path = "support/hostile.rs"]
mod hostile;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long any one thing may take to show up (a loaded 2-core CI machine, a debug build).
const DEADLINE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// The session (and window) name; also the tmux target.
const SESSION: &str = "e2e";

// ---------------------------------------------------------------------------
// The harness: one tmux server per test, a script in its only pane.
// ---------------------------------------------------------------------------

/// A tmux server on a private socket running one script in one pane.
/// Dropping it kills the server (and whatever runs in the pane).
struct Pane {
    socket: String,
    dir: tempfile::TempDir,
}

/// Whether tmux can be used; prints SKIPPED (or fails under CI) when not.
fn tmux_available(test: &str) -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required for the end-to-end tests: apt-get install tmux"
        );
        // Straight to stderr, not eprintln!: the test harness captures that.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED {test}: tmux is not installed (apt-get install tmux) ***\n"
        );
    }
    found
}

/// Single-quotes a path for the shell (temp dirs and cargo paths have no `'`).
fn quoted(path: &Path) -> String {
    let text = path.display().to_string();
    assert!(!text.contains('\''), "unexpected quote in {text}");
    format!("'{text}'")
}

impl Pane {
    /// Starts a server whose pane runs `body` (a `sh` script fragment run in
    /// the pane's own temp dir, `$E2E` naming that dir). The script ends in a
    /// long sleep so the pane — and what the program left on it — stays to be read.
    fn start(body: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "convo-e2e-{}-{}",
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
                 unset AGENTSIGHT_API_KEY AGENTSIGHT_API_ENDPOINT CONVO_PROFILE CONVO_CONFIG\n\
                 unset DISPLAY WAYLAND_DISPLAY SSH_CONNECTION SSH_TTY\n\
                 {body}\nexec sleep 600\n",
                dir = quoted(dir.path())
            ),
        )
        .unwrap();
        let pane = Self { socket, dir };
        let (w, h) = (WIDTH.to_string(), HEIGHT.to_string());
        // The options are set in the same tmux invocation as the session is
        // created, so they are in force before the script prints anything.
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
            &w,
            "-y",
            &h,
            &command,
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

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            // Run from inside tmux, the tests still start their own server.
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .unwrap()
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys in tmux's notation (`Enter`, `Escape`, `C-z`, `j`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Pastes `text` the way a terminal does: bracketed if the program asked for it.
    fn paste(&self, text: &str) {
        self.tmux_ok(&["set-buffer", "-b", "e2e-paste", text]);
        self.tmux_ok(&["paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", SESSION]);
    }

    /// The visible screen as text.
    fn screen(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", SESSION])
    }

    /// The visible screen with attributes as escape sequences (`-e`).
    fn screen_escaped(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-e", "-t", SESSION])
    }

    /// One of tmux's formats for the pane, e.g. `alternate_on`.
    fn var(&self, name: &str) -> String {
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

    /// tmux's buffers, one `name: sample` a line (empty when nothing was copied).
    fn buffers(&self) -> String {
        let out = self.tmux(&["list-buffers", "-F", "#{buffer_name}: #{buffer_sample}"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The newest tmux buffer's whole content.
    fn newest_buffer(&self) -> String {
        self.tmux_ok(&["show-buffer"])
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.path(name)).ok()
    }

    /// Polls until `ready` holds, or fails showing the screen and the log.
    fn wait_until(&self, what: &str, mut ready: impl FnMut(&Self) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            if start.elapsed() >= DEADLINE {
                self.fail(&format!("waited {DEADLINE:?} for {what}"));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Fails the test with `why`, the screen and the log.
    fn fail(&self, why: &str) -> ! {
        let screen = self.screen();
        panic!(
            "{why}\n---- the screen ----\n{}\n---- convo.log ----\n{}",
            screen.trim_end(),
            self.file("convo.log").unwrap_or_default().trim_end()
        );
    }

    fn wait_for_text(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on the screen"), |p| {
            p.screen().contains(needle)
        });
    }

    /// Like `wait_for_text`, but fails at once if the program has already exited.
    fn wait_while_running(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on the screen"), |p| {
            if let Some(status) = p.file("status") {
                p.fail(&format!(
                    "the program exited (status {}) before {needle:?} appeared",
                    status.trim()
                ));
            }
            p.screen().contains(needle)
        });
    }

    /// Waits for a file the script writes (its content once complete, ending in a newline).
    fn wait_for_file(&self, name: &str) -> String {
        self.wait_until(&format!("the file {name}"), |p| {
            p.file(name).is_some_and(|t| t.ends_with('\n'))
        });
        self.file(name).unwrap_or_default()
    }

    /// The exit status the script recorded in `status`.
    fn exit_status(&self) -> i32 {
        self.wait_for_file("status").trim().parse().unwrap()
    }

    /// The process id of the pane's program: the child of the pane's shell named `comm`.
    fn program_pid(&self, comm: &str) -> u32 {
        let shell: u32 = self.var("pane_pid").parse().unwrap();
        let mut found = None;
        self.wait_until(&format!("a {comm} process under the pane's shell"), |_| {
            found = children(shell).into_iter().find(|(_, c)| c == comm);
            found.is_some()
        });
        found.map(|(pid, _)| pid).unwrap()
    }

    /// Checks the terminal is back as a shell wants it: the normal screen,
    /// a visible cursor, no mouse reporting, cooked mode (from `stty.after`).
    fn assert_restored(&self) {
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
        assert_cooked(&stty);
    }

    /// Checks nothing escaped from the program to the terminal: the title,
    /// the window name and the clipboard are untouched, and the screen holds
    /// only colour and attribute sequences.
    fn assert_nothing_escaped(&self, title_before: &str) {
        assert_eq!(
            self.var("pane_title"),
            title_before,
            "the pane title changed"
        );
        assert_eq!(self.var("window_name"), SESSION, "the window was renamed");
        assert_eq!(self.buffers(), "", "something reached the clipboard");
        assert_only_sgr(&self.screen_escaped());
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// `(pid, comm)` of every process whose parent is `parent`, from /proc.
fn children(parent: u32) -> Vec<(u32, String)> {
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

fn is_alive(pid: u32) -> bool {
    // A zombie has exited; only its parent has yet to notice.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {pid}"))
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// `stty -a` output of a terminal in cooked mode: canonical input, echo, signals.
fn assert_cooked(stty: &str) {
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(flags.contains(&flag), "{flag} is off after exit:\n{stty}");
    }
}

/// A `capture-pane -e` dump may hold SGR sequences (`ESC [ … m`) and nothing
/// else; anything else would be a sequence from the data drawn as-is.
fn assert_only_sgr(dump: &str) {
    let mut rest = dump;
    while let Some(at) = rest.find('\x1b') {
        let seq = &rest[at..];
        let body = seq
            .strip_prefix("\x1b[")
            .and_then(|s| s.find('m').map(|end| &s[..end]));
        let is_sgr = body.is_some_and(|b| {
            b.bytes()
                .all(|c| c.is_ascii_digit() || c == b';' || c == b':')
        });
        assert!(
            is_sgr,
            "an escape sequence that is not a colour reached the screen: {:?}",
            &seq[..seq.len().min(40)]
        );
        rest = &seq[1..];
    }
    // C1 controls (8-bit CSI, OSC…) must not be on screen either.
    assert!(
        !dump.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "a C1 control reached the screen"
    );
}

// ---------------------------------------------------------------------------
// The pane child: this test binary, run in the pane, using convo::term like the app.
// ---------------------------------------------------------------------------

/// The line of shell that runs the pane child in the pane (`mouse` turns on capture).
fn child_command(mouse: bool) -> String {
    let exe = std::env::current_exe().unwrap();
    format!(
        "CONVO_PANE_CHILD=\"$E2E\" CONVO_PANE_MOUSE={} {} pane_child --exact --ignored --nocapture --test-threads=1",
        u8::from(mouse),
        quoted(&exe)
    )
}

/// Not a test of its own: the small program the tmux tests run in a pane.
/// Without `CONVO_PANE_CHILD` (any ordinary `--ignored` run) it does nothing.
#[test]
#[ignore = "run inside a tmux pane by the other tests"]
fn pane_child() {
    if let Some(dir) = std::env::var_os("CONVO_PANE_CHILD") {
        let mouse = std::env::var_os("CONVO_PANE_MOUSE").is_some_and(|v| v == "1");
        child::run(&PathBuf::from(dir), mouse);
    }
}

mod child {
    use std::io::Write as _;
    use std::path::Path;

    use convo::term;
    use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers};
    use futures::StreamExt as _;
    use ratatui::widgets::Paragraph;

    /// Enters the terminal, shows what happened, reacts to keys: `q` quits,
    /// `Ctrl-z` suspends, `y` copies, `p` panics; any signal quits.
    pub fn run(dir: &Path, mouse: bool) {
        let log = term::init_logging(Some(&dir.join("convo.log"))).unwrap();
        term::install_panic_hook(log);
        std::fs::write(dir.join("child.pid"), format!("{}\n", std::process::id())).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let ending = runtime.block_on(async {
            let mut signals = term::signal_stream().unwrap();
            let mut events = EventStream::new();
            let mut tui = term::Tui::enter(mouse).unwrap();
            let mut lines = vec!["pane child ready".to_owned()];
            let ending = loop {
                let text = lines.join("\n");
                if tui
                    .draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                    .is_err()
                {
                    break "drawing failed".to_owned();
                }
                tokio::select! {
                    Some(signal) = signals.next() => break format!("ended by {}", signal.name()),
                    event = events.next() => match event {
                        Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => match key.code {
                            KeyCode::Char('z') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                                tui.suspend().unwrap();
                                lines.push("resumed after suspend".to_owned());
                            }
                            KeyCode::Char('q') => break "ended by q".to_owned(),
                            KeyCode::Char('y') => lines.push(match term::copy("copied by the pane child") {
                                Ok(outcome) => outcome.to_string(),
                                Err(e) => e,
                            }),
                            KeyCode::Char('p') => panic!("deliberate panic \x1b]0;PWNED\x07 in the pane child"),
                            KeyCode::Char(c) => lines.push(format!("key {c}")),
                            _ => {}
                        },
                        Some(Ok(Event::Paste(text))) => lines.push(format!(
                            "pasted {}",
                            convo::text::sanitize(&text, convo::text::Lines::Join)
                        )),
                        Some(Ok(_)) => {}
                        Some(Err(e)) => break format!("input failed: {e}"),
                        None => break "input ended".to_owned(),
                    },
                }
            };
            // After a hangup there is no terminal left to restore: ignore the error.
            let _ = tui.restore();
            ending
        });
        // Not println!: it panics when the terminal has hung up.
        let _ = writeln!(std::io::stdout(), "pane child: {ending}");
    }
}

// ---------------------------------------------------------------------------
// The terminal guard, through the pane child.
// ---------------------------------------------------------------------------

/// Runs the child, records its status and the tty modes, then reads one line
/// (to see whether bracketed paste is still on) into `pasted`.
fn child_script(mouse: bool) -> String {
    format!(
        "echo 'e2e: before'\n{}\necho $? > status\nstty -a > stty.after\necho 'e2e: after'\n\
         IFS= read -r line; printf '%s\\n' \"$line\" | od -An -c > pasted",
        child_command(mouse)
    )
}

#[test]
fn the_terminal_guard_enters_and_restores_every_mode() {
    if !tmux_available("the_terminal_guard_enters_and_restores_every_mode") {
        return;
    }
    let pane = Pane::start(&child_script(false));
    let title = pane.var("pane_title");
    pane.wait_while_running("pane child ready");
    assert_eq!(pane.var("alternate_on"), "1");
    assert_eq!(pane.var("cursor_flag"), "0", "the cursor should be hidden");
    assert_eq!(pane.var("mouse_any_flag"), "0", "the mouse is opt-in");

    // Raw mode: a key arrives at once, without Enter.
    pane.keys(&["a"]);
    pane.wait_for_text("key a");
    // Bracketed paste is on: a paste arrives whole, as a paste.
    pane.paste("two words");
    pane.wait_for_text("pasted two words");
    // OSC 52 through tmux (set-clipboard on catches the plain sequence).
    pane.keys(&["y"]);
    pane.wait_for_text("via OSC 52 (tmux)");
    assert_eq!(pane.newest_buffer(), "copied by the pane child");
    pane.tmux_ok(&["delete-buffer"]);

    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    pane.wait_for_text("e2e: after");
    pane.assert_restored();
    let screen = pane.screen();
    assert!(
        screen.contains("e2e: before"),
        "the shell's screen is back:\n{screen}"
    );
    assert!(screen.contains("pane child: ended by q"), "{screen}");
    assert!(
        !screen.contains("pane child ready"),
        "the app's screen is gone:\n{screen}"
    );

    // After exit a paste is plain text again (no ESC [ 200 ~ around it).
    pane.paste("after exit");
    pane.keys(&["Enter"]);
    let pasted = pane.wait_for_file("pasted");
    assert!(pasted.contains("a   f   t   e   r"), "{pasted}");
    assert!(
        !pasted.contains("033"),
        "bracketed paste is still on: {pasted}"
    );
    pane.assert_nothing_escaped(&title);
}

#[test]
fn mouse_capture_is_on_only_when_asked_and_off_after() {
    if !tmux_available("mouse_capture_is_on_only_when_asked_and_off_after") {
        return;
    }
    let pane = Pane::start(&child_script(true));
    pane.wait_while_running("pane child ready");
    assert_eq!(pane.var("mouse_any_flag"), "1");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    pane.assert_restored();
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes_with_a_full_redraw() {
    if !tmux_available("ctrl_z_suspends_to_the_shell_and_fg_resumes_with_a_full_redraw") {
        return;
    }
    let pane = Pane::start(&format!(
        "set -m\n{}\necho \"e2e: suspended $?\"\nstty -a > stty.after\nread go\nfg\necho $? > status",
        child_command(false)
    ));
    pane.wait_while_running("pane child ready");
    pane.keys(&["C-z"]);
    // 148 = 128 + SIGTSTP: the shell saw the job stop.
    pane.wait_for_text("e2e: suspended 148");
    pane.assert_restored();

    pane.type_text("go");
    pane.keys(&["Enter"]);
    pane.wait_for_text("resumed after suspend");
    assert_eq!(pane.var("alternate_on"), "1");
    assert_eq!(pane.var("cursor_flag"), "0");
    // Every line is drawn again, not only the new one.
    assert!(pane.screen().contains("pane child ready"));
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    assert_eq!(pane.var("alternate_on"), "0");
}

#[test]
fn a_panic_restores_the_terminal_and_leaves_one_line_and_a_report() {
    if !tmux_available("a_panic_restores_the_terminal_and_leaves_one_line_and_a_report") {
        return;
    }
    let pane = Pane::start(&child_script(false));
    let title = pane.var("pane_title");
    pane.wait_while_running("pane child ready");
    pane.keys(&["p"]);
    // libtest turns the caught panic into a failed test: exit code 101.
    assert_eq!(pane.exit_status(), 101);
    pane.assert_restored();
    let screen = pane.screen();
    assert!(
        screen.contains("convo crashed: deliberate panic ␛]0;PWNED␇ in the pane child"),
        "{screen}"
    );
    assert!(screen.contains("the full report is in"), "{screen}");
    assert!(!screen.contains("pane child ready"), "{screen}");
    let report = pane.file("convo.log").unwrap();
    assert!(report.contains("location: tests/e2e_tmux.rs:"), "{report}");
    assert!(report.contains("backtrace:"), "{report}");
    // The panic message held a title change; it was printed inert.
    pane.assert_nothing_escaped(&title);
}

#[test]
fn sigterm_and_sighup_end_the_child_with_the_terminal_restored() {
    if !tmux_available("sigterm_and_sighup_end_the_child_with_the_terminal_restored") {
        return;
    }
    for signal in ["TERM", "HUP"] {
        let pane = Pane::start(&child_script(false));
        pane.wait_while_running("pane child ready");
        let pid: u32 = pane.wait_for_file("child.pid").trim().parse().unwrap();
        send_signal(pid, signal);
        assert_eq!(pane.exit_status(), 0, "SIG{signal}");
        pane.wait_for_text(&format!("pane child: ended by SIG{signal}"));
        pane.assert_restored();
    }
}

#[test]
fn the_child_ends_when_its_terminal_disappears() {
    if !tmux_available("the_child_ends_when_its_terminal_disappears") {
        return;
    }
    let pane = Pane::start(&child_script(false));
    pane.wait_while_running("pane child ready");
    let pid: u32 = pane.wait_for_file("child.pid").trim().parse().unwrap();
    // Like an SSH connection dropping: the pty goes away, SIGHUP follows.
    pane.tmux_ok(&["kill-session", "-t", SESSION]);
    pane.wait_until("the child to exit after its terminal went away", |_| {
        !is_alive(pid)
    });
}

// ---------------------------------------------------------------------------
// convo itself.
// ---------------------------------------------------------------------------

/// The line of shell that runs convo with `args`, logging into the pane's dir.
fn convo_command(args: &str) -> String {
    format!(
        "{} {args} --log-file \"$E2E/convo.log\"",
        quoted(Path::new(env!("CARGO_BIN_EXE_convo")))
    )
}

/// Runs convo, records its status and the tty modes afterwards.
fn convo_script(args: &str) -> String {
    format!(
        "echo 'e2e: before'\n{}\necho $? > status\nstty -a > stty.after\necho 'e2e: after'",
        convo_command(args)
    )
}

/// In the status bar while the list has focus (and has loaded: it names rows).
const LIST_KEYS: &str = "enter open";
/// In the status bar while the detail pane has focus.
const DETAIL_KEYS: &str = "j/k scroll";

/// The id on the list's selected row (`▶`), if any.
fn selected_id(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains('▶'))?;
    let at = line.find("conv-")?;
    let id: String = line[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Some(id)
}

/// The search's `current/total` in the status bar after `/the`.
fn search_position(screen: &str) -> Option<String> {
    let status = screen.lines().rev().find(|l| !l.trim().is_empty())?;
    let after = status.split("/the ").nth(1)?;
    after.split_whitespace().next().map(str::to_owned)
}

impl Pane {
    /// Waits until the list is loaded, focused and has a selected row; its id.
    fn wait_for_list(&self) -> String {
        self.wait_while_running(LIST_KEYS);
        let mut id = None;
        self.wait_until("a selected row", |p| {
            id = selected_id(&p.screen());
            id.is_some()
        });
        id.unwrap()
    }
}

#[test]
fn convo_demo_navigates_and_quits_leaving_the_terminal_clean() {
    if !tmux_available("convo_demo_navigates_and_quits_leaving_the_terminal_clean") {
        return;
    }
    let pane = Pane::start(&convo_script("--demo"));
    let title = pane.var("pane_title");
    let first = pane.wait_for_list();
    assert_eq!(pane.var("alternate_on"), "1");
    assert_eq!(pane.var("cursor_flag"), "0");
    assert_eq!(pane.var("mouse_any_flag"), "0", "the mouse is opt-in");

    pane.keys(&["j"]);
    pane.wait_until("the selection to move down", |p| {
        selected_id(&p.screen()).is_some_and(|id| id != first)
    });
    pane.keys(&["Enter"]);
    pane.wait_for_text(DETAIL_KEYS);
    pane.keys(&["Tab"]);
    pane.wait_for_text("Actions (");
    pane.keys(&["1", "/"]);
    pane.type_text("the");
    pane.wait_until("the search to count matches", |p| {
        search_position(&p.screen()).is_some_and(|n| n.starts_with("1/"))
    });
    pane.keys(&["Enter"]);
    pane.wait_for_text(DETAIL_KEYS);
    pane.keys(&["n"]);
    pane.wait_until("n to move to the next match", |p| {
        search_position(&p.screen()).is_some_and(|n| n.starts_with("2/"))
    });
    // No display in the pane (the script unsets it): `o` shows the URL instead of opening it.
    pane.keys(&["o"]);
    pane.wait_for_text("(no display (DISPLAY and WAYLAND_DISPLAY are unset))");
    assert!(pane.screen().contains("https://"), "{}", pane.screen());
    pane.keys(&["Y"]);
    pane.wait_until("the dashboard URL on the clipboard", |p| {
        p.buffers().contains("https://")
    });
    pane.tmux_ok(&["delete-buffer"]);
    // One key at a time after Escape: ESC and a key sent together read as Alt-key.
    pane.keys(&["Escape"]);
    pane.wait_for_text(LIST_KEYS);
    pane.keys(&["]"]);
    pane.wait_for_text("page 2/");
    let on_page_two = pane.wait_for_list();
    assert_ne!(on_page_two, first);

    pane.keys(&["y"]);
    pane.wait_for_text("via OSC 52 (tmux)");
    assert_eq!(
        pane.newest_buffer(),
        on_page_two,
        "y copies the selected id"
    );
    pane.tmux_ok(&["delete-buffer"]);
    pane.keys(&["q"]);

    assert_eq!(pane.exit_status(), 0);
    pane.wait_for_text("e2e: after");
    pane.assert_restored();
    let screen = pane.screen();
    assert!(screen.contains("e2e: before"), "{screen}");
    assert!(
        !screen.contains("page 2/"),
        "the browser's screen is gone:\n{screen}"
    );
    pane.assert_nothing_escaped(&title);
}

#[test]
fn convo_quits_on_sigterm_and_sighup_with_the_terminal_restored() {
    if !tmux_available("convo_quits_on_sigterm_and_sighup_with_the_terminal_restored") {
        return;
    }
    for signal in ["TERM", "HUP"] {
        let pane = Pane::start(&convo_script("--demo"));
        pane.wait_for_list();
        let pid = pane.program_pid("convo");
        send_signal(pid, signal);
        let status = pane.exit_status();
        // Killed by the signal, the shell would report 128 + its number (and the
        // terminal would be left raw); handled, it is an ordinary exit.
        assert!(status < 128, "SIG{signal}: exit status {status}");
        pane.wait_for_text("e2e: after");
        pane.assert_restored();
    }
}

#[test]
fn convo_ends_when_its_terminal_disappears() {
    if !tmux_available("convo_ends_when_its_terminal_disappears") {
        return;
    }
    let pane = Pane::start(&convo_script("--demo"));
    pane.wait_for_list();
    let pid = pane.program_pid("convo");
    // Like an SSH connection dropping: the pty goes away, SIGHUP follows.
    pane.tmux_ok(&["kill-session", "-t", SESSION]);
    pane.wait_until("convo to exit after its terminal went away", |_| {
        !is_alive(pid)
    });
}

#[test]
fn convo_suspends_on_ctrl_z_and_resumes() {
    if !tmux_available("convo_suspends_on_ctrl_z_and_resumes") {
        return;
    }
    let pane = Pane::start(&format!(
        "set -m\n{}\necho \"e2e: suspended $?\"\nstty -a > stty.after\nread go\nfg\necho $? > status",
        convo_command("--demo")
    ));
    pane.wait_for_list();
    pane.keys(&["C-z"]);
    pane.wait_for_text("e2e: suspended 148");
    pane.assert_restored();
    pane.type_text("go");
    pane.keys(&["Enter"]);
    pane.wait_for_list();
    assert_eq!(pane.var("alternate_on"), "1");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    assert_eq!(pane.var("alternate_on"), "0");
}

/// The line of the list's selected row (`▶`) on the screen, if any.
fn selected_line(screen: &str) -> Option<usize> {
    screen.lines().position(|l| l.contains('▶'))
}

/// The whole hostile data set (tests/support/hostile.rs) served from a data
/// file by the server's own loader, and browsed in the pane: every row
/// opened, every tab shown at its top and bottom. tmux records what would
/// escape (`set-clipboard on`, `allow-rename on`), and nothing may: the pane
/// title, the window name and the clipboard stay as they were, the screen
/// holds only colour sequences, and the attacks are shown as inert text.
#[test]
fn no_escape_sequence_from_the_data_reaches_the_terminal() {
    if !tmux_available("no_escape_sequence_from_the_data_reaches_the_terminal") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("hostile.jsonl");
    std::fs::write(&file, hostile::wire_lines()).unwrap();
    let conversations = convo::server::data::load_file(&file).unwrap();
    let rows = conversations.len();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(convo::server::spawn(
            conversations,
            convo::server::ServerConfig::default(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let pane = Pane::start(&format!(
        "export AGENTSIGHT_API_KEY='{}'\n{}",
        convo::server::DEMO_API_KEY,
        convo_script(&format!("--endpoint {} --page-size 50", server.base_url()))
    ));
    let title = pane.var("pane_title");
    pane.wait_while_running(&format!("{rows} conversations"));
    pane.wait_for_list();
    let mut shown_hostile = false;
    for row in 0..rows {
        let line = selected_line(&pane.screen());
        let on_hostile = pane
            .screen()
            .lines()
            .find(|l| l.contains('▶'))
            .is_some_and(|l| l.contains("conv-hostile-1"));
        pane.keys(&["Enter"]);
        pane.wait_for_text(DETAIL_KEYS);
        if on_hostile {
            // The attacks are on screen, inert: ESC and BEL as their pictures.
            pane.wait_for_text("␛[2J␛[H␛[31mred");
            pane.wait_for_text("␛]0;PWNED-TITLE␇");
            pane.wait_for_text("␛]52;c;UFdORUQ=␇");
            shown_hostile = true;
        }
        let tabs = convo::ui::detail::TabSet::AGENTSIGHT;
        for &tab in tabs.tabs() {
            let key = char::from(b'0' + tabs.number(tab).unwrap_or(1)).to_string();
            pane.keys(&[key.as_str()]);
            pane.keys(&["G"]);
            pane.keys(&["g"]);
        }
        pane.keys(&["1"]);
        // Every tab has been drawn; nothing has reached the terminal yet.
        assert_eq!(
            pane.var("alternate_on"),
            "1",
            "row {row}: the alternate screen was left"
        );
        pane.assert_nothing_escaped(&title);
        // One key at a time after Escape: ESC and a key sent together read as Alt-key.
        pane.keys(&["Escape"]);
        pane.wait_for_text(LIST_KEYS);
        if row + 1 < rows {
            pane.keys(&["j"]);
            pane.wait_until("the selection to move down", |p| {
                selected_line(&p.screen()).is_some_and(|l| Some(l) != line)
            });
        }
    }
    assert!(
        shown_hostile,
        "the conversation with every attack was never opened"
    );

    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    pane.assert_restored();
    pane.assert_nothing_escaped(&title);
    drop(pane);
    runtime.block_on(server.shutdown()).unwrap();
}
