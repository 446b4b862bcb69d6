//! Copying under tmux, end to end: convo reads tmux's `set-clipboard` and `allow-passthrough` when `y`/`Y` is pressed; with `on` the copy lands (tmux keeps it as a buffer), with `external` (tmux's default, which drops an application's OSC 52) convo says so and shows the text whole instead of "copied".
//!
//! Without tmux these tests print SKIPPED and pass, except under CI (`CI`
//! set), where they fail and say how to install it.
#![allow(clippy::unwrap_used)]

use crate::support::tmux::{self, Pane, available};

/// convo on the demo, logging into the pane's dir; its exit status in `status`.
fn demo_script() -> String {
    format!(
        "{} --demo --log-file \"$E2E/convo.log\"\necho $? > status",
        tmux::convo("")
    )
}

/// Opens the selected conversation; its id, read off the detail pane's header.
fn open_first(pane: &Pane) -> String {
    pane.wait_while_running("enter open");
    pane.wait_until("a selected row", |p| p.screen().contains("▶"));
    pane.keys(&["Enter"]);
    pane.wait_while_running("1 Messages");
    let screen = pane.screen();
    screen
        .lines()
        .find_map(|l| {
            let at = l.find("conv-")?;
            Some(
                l[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect(),
            )
        })
        .unwrap()
}

/// Sends one key and lets it be read alone (`Escape` then `q` at once reads as Alt-q).
fn key(pane: &Pane, key: &str) {
    pane.keys(&[key]);
    std::thread::sleep(std::time::Duration::from_millis(300));
}

#[test]
fn with_set_clipboard_external_the_copy_is_said_dropped_and_shown_whole() {
    if !available("with_set_clipboard_external_the_copy_is_said_dropped_and_shown_whole") {
        return;
    }
    let pane = Pane::start(&demo_script());
    // What a tmux started without a config does (the harness turns it on).
    pane.tmux_ok(&["set-option", "-g", "set-clipboard", "external"]);
    let id = open_first(&pane);
    pane.keys(&["y"]);
    pane.wait_while_running("id — not copied: tmux drops the copy (set-clipboard is external");
    let screen = pane.screen();
    // The id is on a line of its own, from the first column, to select.
    assert!(screen.lines().any(|l| l.trim_end() == id), "{id}\n{screen}");
    assert_eq!(pane.buffers(), "", "nothing reached tmux's clipboard");
    key(&pane, "Escape");
    // The file's link on the Attachments tab: shown whole too.
    pane.keys(&["4"]);
    pane.wait_while_running("4 Attachments");
    pane.keys(&["Y"]);
    pane.wait_until("the file URL shown or no file", |p| {
        let s = p.screen();
        s.contains("file URL — not copied") || s.contains("no attachments in this conversation")
    });
    if pane.screen().contains("file URL — not copied") {
        assert!(
            pane.screen().contains("http://127.0.0.1:"),
            "{}",
            pane.screen()
        );
    }
    for k in ["Escape", "q", "q"] {
        key(&pane, k);
    }
    assert_eq!(pane.exit_status(), 0);
}

#[test]
fn with_set_clipboard_on_the_copy_lands_in_tmux() {
    if !available("with_set_clipboard_on_the_copy_lands_in_tmux") {
        return;
    }
    let pane = Pane::start(&demo_script());
    let id = open_first(&pane);
    pane.keys(&["y"]);
    pane.wait_while_running("copied");
    assert!(
        pane.screen().contains("via OSC 52 (tmux)"),
        "{}",
        pane.screen()
    );
    let copied = pane.newest_buffer();
    assert!(copied.starts_with(&id), "{copied:?} is not {id}");
    key(&pane, "q");
    key(&pane, "q");
    assert_eq!(pane.exit_status(), 0);
}
