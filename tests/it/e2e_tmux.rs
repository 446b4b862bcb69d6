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

use crate::support::hostile;

use crate::support::tmux;

use std::path::PathBuf;

use tmux::{Pane, SESSION, available as tmux_available, is_alive, quoted, send_signal};

// ---------------------------------------------------------------------------
// The harness: one tmux server per test, a script in its only pane.
// ---------------------------------------------------------------------------

/// Checks nothing escaped from the program to the terminal: the title,
/// the window name and the clipboard are untouched, and the screen holds
/// only colour and attribute sequences.
fn assert_nothing_escaped(pane: &Pane, title_before: &str) {
    assert_eq!(
        pane.var("pane_title"),
        title_before,
        "the pane title changed"
    );
    assert_eq!(pane.var("window_name"), SESSION, "the window was renamed");
    assert_eq!(pane.buffers(), "", "something reached the clipboard");
    assert_only_sgr(&pane.screen_escaped());
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
        "CONVO_PANE_CHILD=\"$E2E\" CONVO_PANE_MOUSE={} {} e2e_tmux::pane_child --exact --ignored --nocapture --test-threads=1",
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
    pub(super) fn run(dir: &Path, mouse: bool) {
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
    assert_nothing_escaped(&pane, &title);
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
    assert!(
        report.contains("location: tests/it/e2e_tmux.rs:"),
        "{report}"
    );
    assert!(report.contains("backtrace:"), "{report}");
    // The panic message held a title change; it was printed inert.
    assert_nothing_escaped(&pane, &title);
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
        "{LIST_COLUMNS}\n{} --log-file \"$E2E/convo.log\"",
        tmux::convo(args)
    )
}

/// A config choosing the list's columns, written where the pane's convo looks
/// (`$XDG_CONFIG_HOME`): these tests follow a row by the id on it, which the
/// default columns drop first in a 120-column split view, so they ask for it
/// before the name — and so `[columns]` is read end to end.
const LIST_COLUMNS: &str = "mkdir -p \"$E2E/config/convo\" && \
     printf '[columns]\\nlist = [\"started\", \"id\", \"name\", \"marked\"]\\n' \
     > \"$E2E/config/convo/config.toml\"";

/// Runs convo, records its status and the tty modes afterwards.
fn convo_script(args: &str) -> String {
    format!(
        "echo 'e2e: before'\n{}\necho $? > status\nstty -a > stty.after\necho 'e2e: after'",
        convo_command(args)
    )
}

/// In the status bar while the list has focus (and has loaded: it names rows).
const LIST_KEYS: &str = "enter open";
/// The detail pane's tab bar: the conversation has landed, not only the focus
/// moved (the hints show before it arrives, and a key then finds nothing open).
const DETAIL_SHOWN: &str = "1 Messages";

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
    let titles = pane
        .screen()
        .lines()
        .find(|l| l.contains("started"))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(
        titles.contains("│ started     id              name "),
        "the columns the config chose, in its order: {titles}"
    );
    assert_eq!(pane.var("alternate_on"), "1");
    assert_eq!(pane.var("cursor_flag"), "0");
    assert_eq!(pane.var("mouse_any_flag"), "0", "the mouse is opt-in");

    pane.keys(&["j"]);
    pane.wait_until("the selection to move down", |p| {
        selected_id(&p.screen()).is_some_and(|id| id != first)
    });
    pane.keys(&["Enter"]);
    pane.wait_for_text(DETAIL_SHOWN);
    pane.keys(&["Tab"]);
    pane.wait_for_text("Actions (");
    pane.keys(&["1", "/"]);
    pane.type_text("the");
    pane.wait_until("the search to count matches", |p| {
        search_position(&p.screen()).is_some_and(|n| n.starts_with("1/"))
    });
    pane.keys(&["Enter"]);
    pane.wait_for_text(DETAIL_SHOWN);
    pane.keys(&["n"]);
    pane.wait_until("n to move to the next match", |p| {
        search_position(&p.screen()).is_some_and(|n| n.starts_with("2/"))
    });
    // No display in the pane (the script unsets it): `o` shows the URL instead of opening it.
    pane.keys(&["o"]);
    // Shown whole, from the first column, to select; Esc closes it.
    pane.wait_for_text("not opened: no display (DISPLAY and WAYLAND_DISPLAY are unset)");
    assert!(
        pane.screen().lines().any(|l| l.starts_with("https://")),
        "{}",
        pane.screen()
    );
    pane.keys(&["Escape"]);
    pane.wait_until("the URL closed", |p| !p.screen().contains("not opened"));
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
    assert_nothing_escaped(&pane, &title);
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
        pane.wait_for_text(DETAIL_SHOWN);
        if on_hostile {
            // The attacks are on screen, inert: ESC and BEL as their pictures.
            pane.wait_for_text("␛[2J␛[H␛[31mred");
            pane.wait_for_text("␛]0;PWNED-TITLE␇");
            pane.wait_for_text("␛]52;c;UFdORUQ=␇");
            shown_hostile = true;
        }
        let tabs = convo::view::detail::TabSet::AGENTSIGHT;
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
        assert_nothing_escaped(&pane, &title);
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
    assert_nothing_escaped(&pane, &title);
    drop(pane);
    runtime.block_on(server.shutdown()).unwrap();
}

/// A conversation id made to run a command when pasted into a shell: a line
/// break, the end of a bracketed paste (so a shell that brackets pastes stops
/// protecting the rest), a bidi override, each followed by a `touch`.
fn clipboard_attack_id(marker: &std::path::Path) -> String {
    let marker = marker.display();
    format!(
        "conv-paste\ntouch {marker}\n\x1b[201~\ntouch {marker}\n\u{202e}txt.exe\r\ntouch {marker}\n"
    )
}

/// `y` on a conversation whose id attacks the clipboard (tmux with
/// `set-clipboard on` records what convo copies): the tmux buffer holds the
/// id as the screen shows it, one line without a control, and pasting it into
/// an interactive shell (bash, which brackets pastes) runs nothing.
#[test]
fn y_copies_a_hostile_id_as_shown_and_pasting_it_into_a_shell_runs_nothing() {
    if !tmux_available("y_copies_a_hostile_id_as_shown_and_pasting_it_into_a_shell_runs_nothing") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("pwned");
    let id = clipboard_attack_id(&marker);
    let record = serde_json::json!({
        "id": 1,
        "conversation_id": id,
        "name": "clipboard attack",
        "customer_id": "user-1",
        "started_at": "2024-01-15T10:00:00Z",
        "messages": [{"id": 10, "timestamp": "2024-01-15T10:00:00Z", "sender": "end_user", "content": "hello"}],
    });
    let file = data.path().join("attack.jsonl");
    std::fs::write(&file, format!("{record}\n")).unwrap();
    let conversations = convo::server::data::load_file(&file).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(convo::server::spawn(
            conversations,
            convo::server::ServerConfig::default(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let pane = Pane::start(&format!(
        "export AGENTSIGHT_API_KEY='{}'\n{}\nexport PS1='e2e-shell> '\nexec bash --norc --noprofile -i",
        convo::server::DEMO_API_KEY,
        convo_script(&format!("--endpoint {}", server.base_url()))
    ));
    pane.wait_for_list();
    pane.keys(&["y"]);
    pane.wait_while_running("id copied as shown");
    let copied = pane.newest_buffer();
    assert_eq!(
        copied,
        convo::term::clipboard::as_shown(&id).text,
        "the clipboard holds the id as shown"
    );
    assert!(
        !copied.chars().any(convo::text::is_terminal_control),
        "a control reached the clipboard: {copied:?}"
    );
    assert!(copied.starts_with("conv-paste⏎touch "), "{copied:?}");

    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), 0);
    pane.wait_for_text("e2e-shell>");
    // The shell pastes what convo copied, as a terminal would (bracketed).
    pane.tmux_ok(&["paste-buffer", "-p", "-t", SESSION]);
    pane.wait_for_text("txt.exe");
    // Nothing ran on the paste; the line is dropped, and a command typed
    // afterwards runs (so anything the paste had started would have by now).
    // On a loaded machine bash may still be reading the paste when the first
    // Ctrl-c comes and drop it: press again until a fresh, empty prompt shows.
    let fresh_prompt = |p: &Pane| {
        p.screen()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_end() == "e2e-shell>")
    };
    let start = std::time::Instant::now();
    let mut pressed = start;
    pane.keys(&["C-c"]);
    while !fresh_prompt(&pane) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no fresh prompt after Ctrl-c:\n{}",
            pane.screen()
        );
        if pressed.elapsed() > std::time::Duration::from_secs(2) {
            pane.keys(&["C-c"]);
            pressed = std::time::Instant::now();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    pane.type_text("echo done-$((6*7))");
    pane.keys(&["Enter"]);
    pane.wait_for_text("done-42");
    assert!(
        !marker.exists(),
        "pasting the copied id ran a command:\n{}",
        pane.screen()
    );
    drop(pane);
    runtime.block_on(server.shutdown()).unwrap();
}

/// Keys sent to the pane, counted: the figure a support lead's hands pay.
struct Counted<'a> {
    pane: &'a Pane,
    keys: usize,
}

impl Counted<'_> {
    fn press(&mut self, key: &str) {
        self.keys += 1;
        self.pane.keys(&[key]);
    }
}

#[test]
fn marking_and_filing_a_ticket_with_a_comment_takes_four_keys_and_the_text() {
    if !tmux_available("marking_and_filing_a_ticket_with_a_comment_takes_four_keys_and_the_text") {
        return;
    }
    let pane = Pane::start(&convo_script("--demo"));
    let id = pane.wait_for_list();
    let mut counted = Counted {
        pane: &pane,
        keys: 0,
    };
    counted.press("m");
    pane.wait_for_text("marked ★");
    counted.press("T");
    pane.wait_for_text("file a ticket about");
    counted.press("Tab");
    pane.type_text("Customer asked for a call back");
    counted.press("Enter");
    pane.wait_until("the ticket and its comment filed", |p| {
        p.screen().contains("filed (Meta tab)")
    });
    // The issue's bound is 8; the figure quoted in the README is what this prints.
    assert!(
        counted.keys <= 8,
        "marking and filing took {} keys",
        counted.keys
    );
    eprintln!(
        "marking and filing a ticket with a comment: {} keys plus the text",
        counted.keys
    );
    let row = pane
        .screen()
        .lines()
        .find(|l| l.contains(&id))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(row.contains('★'), "{}", pane.screen());
    pane.keys(&["q"]);
    pane.wait_for_text("e2e: after");
    assert_eq!(
        pane.file("status").map(|s| s.trim().to_owned()),
        Some("0".to_owned())
    );
}

/// A customer's words from the demo data that only one conversation holds (it
/// checks out, and payment fails): the test types them as a support lead who
/// was told them would, without knowing which conversation they belong to.
const CUSTOMER_PHRASE: &str = "checkout isn't working";

#[test]
fn from_launch_to_the_failed_action_behind_a_customer_phrase_takes_four_commands() {
    if !tmux_available(
        "from_launch_to_the_failed_action_behind_a_customer_phrase_takes_four_commands",
    ) {
        return;
    }
    // Launching is the first command.
    let pane = Pane::start(&convo_script("--demo"));
    pane.wait_for_list();
    let mut counted = Counted {
        pane: &pane,
        keys: 1,
    };
    counted.press("/");
    pane.wait_for_text("search the list:");
    pane.type_text(CUSTOMER_PHRASE);
    counted.press("Enter");
    pane.wait_until("the one conversation that holds the phrase", |p| {
        let screen = p.screen();
        screen.contains("1 conversation ·") && screen.contains(LIST_KEYS)
    });
    assert!(
        pane.screen()
            .contains(&format!("search: \"{CUSTOMER_PHRASE}\"")),
        "the filter line shows the search:\n{}",
        pane.screen()
    );
    counted.press("e");
    pane.wait_until("its first failed action in view", |p| {
        p.screen().contains("failed action 1/")
    });
    let screen = pane.screen();
    assert!(
        screen.contains("⚙ create_payment_intent") && screen.contains("✗ stripe"),
        "the failed action is on screen:\n{screen}"
    );
    // The issue's bound is 5 commands plus the phrase; the README quotes what this prints.
    assert!(counted.keys <= 5, "it took {} commands", counted.keys);
    eprintln!(
        "from launch to the failed action behind a customer's phrase: {} commands plus the phrase",
        counted.keys
    );
    pane.keys(&["q", "q"]);
    pane.wait_for_text("e2e: after");
}
