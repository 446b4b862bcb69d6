//! Process hygiene of the real `convo` in a terminal (a tmux pane): `q`, SIGTERM and SIGHUP end it promptly with the terminal restored, `--demo` gives its port back, no child or stray process outlives it, and its thread count stays bounded while it works.
//!
//! Times are measured and printed (run with `--nocapture` to see them), never
//! asserted: waits poll against generous deadlines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::tmux;

use std::net::TcpListener;
use std::time::Instant;

use tmux::{Pane, children, convo, is_alive, listening_ports, send_signal, threads};

/// In the status bar once the list has loaded and has focus.
const LIST_KEYS: &str = "enter open";

/// Threads a healthy convo may run: the async runtime's workers (one a
/// core), its blocking pool, the terminal reader, the main thread. A leak
/// (a thread per request) passes this quickly.
fn thread_ceiling() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    16 + 2 * cores
}

/// Runs convo with `args` in the pane, then records its status and the tty modes.
fn script(args: &str) -> String {
    format!(
        "{} --log-file \"$E2E/convo.log\"\necho $? > status\nstty -a > stty.after",
        convo(args)
    )
}

/// The processes of a session (zombies included), but for `except`.
fn session_members(sid: u32, except: u32) -> Vec<(u32, String)> {
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(|e| {
                    let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    let close = stat.rfind(')')?;
                    let comm = stat[stat.find('(')? + 1..close].to_owned();
                    // After the comm: state, ppid, pgrp, session.
                    let session: u32 = stat[close + 1..].split_whitespace().nth(3)?.parse().ok()?;
                    (session == sid && pid != except).then_some((pid, comm))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Polls until `pid` has exited; how long that took after `since`.
fn wait_for_exit(pane: &Pane, pid: u32, since: Instant) -> std::time::Duration {
    pane.wait_until(&format!("convo ({pid}) to exit"), |_| !is_alive(pid));
    since.elapsed()
}

/// Ends `convo --demo` with `how` (`q`, or a signal name) and checks what it leaves behind.
fn demo_ends_cleanly(how: &str) {
    let pane = Pane::start(&script("--demo"));
    pane.wait_while_running(LIST_KEYS);
    let shell: u32 = pane.var("pane_pid").parse().unwrap();
    let pid = pane.program_pid("convo");

    // The demo server's port: the only one convo listens on, and taken while it runs.
    let ports = listening_ports(pid);
    assert_eq!(
        ports.len(),
        1,
        "convo --demo should listen on one port: {ports:?}"
    );
    let port = ports[0];
    assert!(
        TcpListener::bind(("127.0.0.1", port)).is_err(),
        "port {port} should be taken while convo runs"
    );
    assert_eq!(children(pid), vec![], "convo --demo runs no child process");
    assert_eq!(
        session_members(shell, shell),
        vec![(pid, "convo".to_owned())],
        "while it runs, convo is all there is in the pane besides its shell"
    );
    let running = threads(pid);
    assert!(running <= thread_ceiling(), "{running} threads");

    let since = Instant::now();
    if how == "q" {
        pane.keys(&["q"]);
    } else {
        send_signal(pid, how);
    }
    let took = wait_for_exit(&pane, pid, since);
    println!(
        "convo --demo, ended by {how}: gone {} ms after it was sent ({running} threads while it ran)",
        took.as_millis()
    );
    let status = pane.exit_status();
    assert!(
        status < 128,
        "{how}: exit status {status}: killed, not handled"
    );
    if how == "q" {
        assert_eq!(status, 0);
    }
    pane.assert_restored();

    // Nothing of convo's is left in the pane's session, and the port is free.
    pane.wait_until("the script to reach its final sleep", |_| {
        session_members(shell, shell).is_empty()
    });
    TcpListener::bind(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("port {port} is still taken after convo ended by {how}: {e}"));
}

#[test]
fn q_ends_the_demo_and_frees_its_port() {
    if tmux::available("q_ends_the_demo_and_frees_its_port") {
        demo_ends_cleanly("q");
    }
}

#[test]
fn sigterm_ends_the_demo_promptly_and_frees_its_port() {
    if tmux::available("sigterm_ends_the_demo_promptly_and_frees_its_port") {
        demo_ends_cleanly("TERM");
    }
}

#[test]
fn sighup_ends_the_demo_promptly_and_frees_its_port() {
    if tmux::available("sighup_ends_the_demo_promptly_and_frees_its_port") {
        demo_ends_cleanly("HUP");
    }
}

#[test]
fn the_key_command_is_reaped_and_threads_stay_bounded_while_browsing() {
    if !tmux::available("the_key_command_is_reaped_and_threads_stay_bounded_while_browsing") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(convo::server::spawn(
            convo::server::generate::generate(300, 5),
            convo::server::ServerConfig::default(),
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let config = format!(
        "default_profile = \"test\"\n[profiles.test]\nprovider = \"agentsight\"\n\
         endpoint = \"{}\"\napi_key_cmd = \"printf %s {}\"\n",
        server.base_url(),
        convo::server::DEMO_API_KEY
    );
    let pane = Pane::start(&format!(
        "mkdir -p \"$E2E/config/convo\"\ncat > \"$E2E/config/convo/config.toml\" <<'EOF'\n{config}EOF\n{}",
        script("")
    ));
    pane.wait_while_running(LIST_KEYS);
    let shell: u32 = pane.var("pane_pid").parse().unwrap();
    let pid = pane.program_pid("convo");
    // The `sh -c` that printed the key has been waited for: no zombie, no child at all.
    assert_eq!(children(pid), vec![], "the key command was not reaped");
    let at_start = threads(pid);

    // Work: page forward and back, open conversations, go back, many times over.
    for round in 0..10 {
        pane.keys(&["]"]);
        pane.wait_while_running("page 2/");
        pane.keys(&["["]);
        pane.wait_while_running("page 1/");
        pane.keys(&["j", "Enter"]);
        // The detail pane's own hints: the tab bar alone is already there in
        // the preview beside the list, before Enter has been read.
        pane.wait_while_running("j/k scroll");
        pane.keys(&["Escape"]);
        pane.wait_while_running(LIST_KEYS);
        assert!(
            threads(pid) <= thread_ceiling(),
            "round {round}: {} threads",
            threads(pid)
        );
    }
    let after = threads(pid);
    assert_eq!(children(pid), vec![], "browsing started a child process");
    println!("threads: {at_start} after loading, {after} after 10 rounds of paging and opening");

    let since = Instant::now();
    pane.keys(&["q"]);
    let took = wait_for_exit(&pane, pid, since);
    println!("q to exit: {} ms", took.as_millis());
    assert_eq!(pane.exit_status(), 0);
    pane.assert_restored();
    pane.wait_until("the script to reach its final sleep", |_| {
        session_members(shell, shell).is_empty()
    });
    drop(pane);
    runtime.block_on(server.shutdown()).unwrap();
}

#[test]
fn a_fifo_planted_at_the_save_name_cannot_hang_the_save_or_quitting() {
    if !tmux::available("a_fifo_planted_at_the_save_name_cannot_hang_the_save_or_quitting") {
        return;
    }
    // Every demo conversation's Markdown file name is a FIFO nobody reads.
    // Opening one to write would block for good (as a write to a hung network
    // file system would); a save never opens an existing name, so it takes
    // the next free one, and quitting right after is prompt.
    let names: Vec<String> = convo::server::data::bundled_demo()
        .unwrap()
        .iter()
        .map(|c| convo::runtime::save::file_name(c, convo::app::cmd::SaveFormat::Markdown))
        .collect();
    let fifos = names.join(" ");
    let pane = Pane::start(&format!("mkfifo {fifos}\n{}", script("--demo")));
    // The rows, not only the hints: Enter before the page lands opens nothing.
    pane.wait_while_running("conversations · page 1/");
    let pid = pane.program_pid("convo");
    pane.keys(&["Enter"]);
    // The tab bar, not only the hints: a key before the conversation lands finds nothing open.
    pane.wait_while_running("1 Messages");
    pane.keys(&["s"]);
    pane.wait_while_running("save ");
    pane.keys(&["m"]);
    pane.wait_while_running("-2.md");
    pane.keys(&["Escape"]);
    pane.wait_while_running(LIST_KEYS);

    let since = Instant::now();
    pane.keys(&["q"]);
    let took = wait_for_exit(&pane, pid, since);
    println!(
        "q to exit after a save beside a FIFO: {} ms",
        took.as_millis()
    );
    assert_eq!(pane.exit_status(), 0);
    pane.assert_restored();
}

/// A megabyte pasted into the open search (bracketed, as tmux's
/// `paste-buffer -p` sends it) is taken at once: cut to the field's limit and
/// said. Then `signal` while another megabyte arrives: convo ends promptly,
/// with the terminal restored. Before, a paste went in a character at a time
/// with a recount each, which froze convo for minutes with every signal
/// waiting behind it.
fn paste_a_megabyte_then_signal(signal: &str) {
    let pane = Pane::start(&script("--demo"));
    pane.wait_while_running("conversations · page 1/");
    let pid = pane.program_pid("convo");
    pane.keys(&["Enter"]);
    // The tab bar, not only the hints: a key before the conversation lands finds nothing open.
    pane.wait_while_running("1 Messages");
    pane.keys(&["/"]);
    pane.wait_while_running("enter keep · esc clear");

    let line = "refund order 4711\tcustomer said \u{202e}txt.exe, see the log\n";
    let paste = line.repeat(1_048_576 / line.len() + 1);
    let file = pane.path("paste.txt");
    std::fs::write(&file, &paste).unwrap();
    let path = file.to_str().unwrap();
    let since = Instant::now();
    pane.tmux_ok(&["load-buffer", "-b", "big", path]);
    pane.tmux_ok(&["paste-buffer", "-p", "-b", "big", "-t", tmux::SESSION]);
    pane.wait_while_running("a field holds at most 4 KiB");
    println!(
        "a 1 MB paste into the search: cut and said {} ms after tmux was asked to paste it",
        since.elapsed().as_millis()
    );

    pane.tmux_ok(&["paste-buffer", "-p", "-d", "-b", "big", "-t", tmux::SESSION]);
    let since = Instant::now();
    send_signal(pid, signal);
    let took = wait_for_exit(&pane, pid, since);
    println!(
        "SIG{signal} during a 1 MB paste: convo gone {} ms after it was sent",
        took.as_millis()
    );
    let status = pane.exit_status();
    assert!(status < 128, "exit status {status}: killed, not handled");
    pane.assert_restored();
    // A generous bound (10× the aim of 200 ms) on a shared, loaded machine.
    assert!(
        took < std::time::Duration::from_secs(2),
        "SIG{signal} took {took:?} to end convo"
    );
}

#[test]
fn a_megabyte_paste_is_cut_at_once_and_sigterm_during_one_ends_the_demo_promptly() {
    if tmux::available(
        "a_megabyte_paste_is_cut_at_once_and_sigterm_during_one_ends_the_demo_promptly",
    ) {
        paste_a_megabyte_then_signal("TERM");
    }
}

#[test]
fn sighup_during_a_megabyte_paste_ends_the_demo_promptly() {
    if tmux::available("sighup_during_a_megabyte_paste_ends_the_demo_promptly") {
        paste_a_megabyte_then_signal("HUP");
    }
}
