//! The terminal and the process around it: raw mode and restore, panics, signals, suspend, clipboard, opening URLs, logs.
//!
//! The order the app uses them in:
//! ```text
//! let log = term::init_logging(flag)?;        // before anything logs
//! term::install_panic_hook(log.clone());       // before the terminal is entered
//! let mut signals = term::signal_stream()?;    // inside the tokio runtime
//! let mut tui = term::Tui::enter(mouse)?;
//! loop { select! { msg = rx.recv() => …, Some(sig) = signals.next() => break, } … tui.draw(…)? }
//! tui.restore()?;                              // or just drop it
//! ```
//! `Ctrl-z` → `tui.suspend()` (it repaints everything on resume); `y` →
//! `term::copy(text)`; `o` → `term::open_url(url)`; all from the loop, between
//! frames. To force a full redraw use `tui.repaint_all()`, never
//! `Terminal::clear()`: with a crossterm `EventStream` running, its cursor
//! query times out after two seconds and fails.

pub mod clipboard;
pub mod counting;
pub mod logging;
pub mod open_url;
pub mod panic;
pub mod signals;
pub mod tmux_clipboard;
pub mod tui;

pub use clipboard::{ClipboardEnv, CopyOutcome, CopyRoute, MAX_COPY_BYTES, copy, osc52};
pub use counting::{ByteCount, CountingWriter};
pub use logging::init_logging;
pub use open_url::{OpenDecision, OpenEnv, OpenOutcome, open_decision, open_url};
pub use panic::install_panic_hook;
pub use signals::{Signal, signal_stream};
pub use tui::{Tui, TuiTerminal, restore_terminal};
