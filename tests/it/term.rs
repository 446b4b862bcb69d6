//! The process-wide parts of `convo::term` that need no terminal: the panic hook's report, logging to a file, signals as a stream.
//!
//! (The pure parts — OSC 52, the open decision, the byte counter, log paths —
//! are unit-tested in their modules; the terminal itself in `e2e_tmux.rs`.)
//!
//! Each test changes what the whole process shares (the panic hook, the log
//! subscriber, SIGTERM and SIGHUP), so each runs alone in a process of its own.

use std::time::Duration;

use convo::term::{self, Signal};
use futures::StreamExt as _;

use crate::support::alone;

#[test]
fn the_panic_hook_writes_message_location_and_backtrace_to_the_log() {
    if !alone::in_own_process(
        "term::the_panic_hook_writes_message_location_and_backtrace_to_the_log",
        None,
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("crash.log");
    std::fs::write(&log, "earlier line\n").unwrap();

    term::install_panic_hook(log.clone());
    let caught = std::panic::catch_unwind(|| {
        let code = 42;
        panic!("deliberate test panic {code}");
    });
    // Put the default hook back so a failing assertion below prints normally.
    drop(std::panic::take_hook());

    assert!(caught.is_err());
    let report = std::fs::read_to_string(&log).unwrap();
    assert!(report.starts_with("earlier line\n"), "appends: {report}");
    assert!(
        report.contains("message: deliberate test panic 42"),
        "{report}"
    );
    assert!(report.contains("location: tests/it/term.rs:"), "{report}");
    assert!(report.contains("\nthread: "), "{report}");
    assert!(report.contains("backtrace:\n"), "{report}");
    // The terminal was never entered, so the hook wrote no escape sequence anywhere.
    assert!(!term::tui::is_entered());
}

#[test]
fn logging_goes_to_the_file_without_colour_and_starts_once() {
    if !alone::in_own_process(
        "term::logging_goes_to_the_file_without_colour_and_starts_once",
        None,
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("nested/dir/convo.log");

    let path = term::init_logging(Some(&log)).unwrap();
    assert_eq!(path, log);
    tracing::info!(target: "convo::term_test", "hello from the test");
    tracing::debug!(target: "convo::term_test", "below the default level");
    tracing::info!(target: "elsewhere", "another crate");

    let second = term::init_logging(Some(&log)).unwrap_err();
    assert!(second.contains("cannot start logging"), "{second}");

    let text = std::fs::read_to_string(&log).unwrap();
    if std::env::var_os("CONVO_LOG").is_none() {
        assert!(text.contains("hello from the test"), "{text}");
        assert!(!text.contains("below the default level"), "{text}");
        assert!(!text.contains("another crate"), "{text}");
    }
    assert!(
        !text.contains('\x1b'),
        "no ANSI colour in the file: {text:?}"
    );
}

#[test]
fn sigterm_and_sighup_arrive_as_messages() {
    if !alone::in_own_process("term::sigterm_and_sighup_arrive_as_messages", None) {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut signals = term::signal_stream().unwrap();
        // A deadline only so a broken handler fails instead of hanging.
        let deadline = Duration::from_secs(10);

        signal_hook::low_level::raise(signal_hook::consts::SIGTERM).unwrap();
        let first = tokio::time::timeout(deadline, signals.next()).await;
        assert_eq!(first.unwrap(), Some(Signal::Terminate));

        signal_hook::low_level::raise(signal_hook::consts::SIGHUP).unwrap();
        let second = tokio::time::timeout(deadline, signals.next()).await;
        assert_eq!(second.unwrap(), Some(Signal::Hangup));
        assert_eq!(Signal::Hangup.name(), "SIGHUP");
    });
}
