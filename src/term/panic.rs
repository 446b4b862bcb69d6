//! The panic hook: give the terminal back first, then write the report to the log file and say where it is.
//!
//! Rust's default hook prints the message and (with `RUST_BACKTRACE`) a
//! backtrace to standard error — over a raw-mode alternate screen that is
//! garbage, and after it the shell is unusable. This hook restores the
//! terminal, appends a full report (message, location, thread, backtrace) to
//! the log file, and prints a single line to stderr. The previous hook is
//! not chained: the only hook installed before it is the default one, whose
//! whole job is the printing this replaces.

use std::backtrace::Backtrace;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};

use super::tui::restore_terminal;
use crate::text::{Lines, sanitize, truncate};

/// Installs the hook for the rest of the process. Call it once, after
/// [`super::init_logging`] (pass the path it returned), before entering the terminal.
///
/// A panic on any thread restores the terminal, so the app should also end
/// when one of its tasks panics: [`super::Tui::draw`] fails from then on.
pub fn install_panic_hook(log_file: PathBuf) {
    std::panic::set_hook(Box::new(move |info| {
        let _ = restore_terminal();
        let report = panic_report(info, &Backtrace::force_capture());
        let line = match append(&log_file, &report) {
            Ok(()) => format!(
                "convo crashed: {} — the full report is in {}",
                short_message(info),
                log_file.display()
            ),
            // The report has nowhere else to go: print it whole rather than lose it.
            Err(e) => format!(
                "convo crashed; the report could not be written to {} ({e}):\n{report}",
                log_file.display()
            ),
        };
        eprintln!("{line}");
    }));
}

/// The full report: what, where, on which thread, and the backtrace.
#[must_use]
pub fn panic_report(info: &PanicHookInfo<'_>, backtrace: &Backtrace) -> String {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "---- convo {} panicked at {} ----",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    let _ = writeln!(report, "message: {}", payload_text(info));
    if let Some(location) = info.location() {
        let _ = writeln!(
            report,
            "location: {}:{}:{}",
            location.file(),
            location.line(),
            location.column()
        );
    }
    let thread = std::thread::current();
    let _ = writeln!(report, "thread: {}", thread.name().unwrap_or("<unnamed>"));
    let _ = writeln!(report, "backtrace:\n{backtrace}");
    report
}

/// The panic message, whether it was a `&str` or a formatted `String`.
fn payload_text<'a>(info: &'a PanicHookInfo<'_>) -> &'a str {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)")
}

/// The message on one inert line of reasonable length: it may quote data.
fn short_message(info: &PanicHookInfo<'_>) -> String {
    let clean = sanitize(payload_text(info), Lines::Join);
    truncate(&clean, 160).into_owned()
}

fn append(path: &Path, report: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(report.as_bytes())?;
    file.flush()
}
