//! The terminal guard: raw mode and the alternate screen on entry, everything undone on restore, drop, panic or suspend.
//!
//! Whether the terminal is "entered" is process-wide state (there is one
//! terminal), so it lives in one flag here rather than in the [`Tui`] value:
//! the panic hook and the signal path call [`restore_terminal`] without a
//! `Tui` at hand, and a restore that already happened is never repeated — nor
//! does a restore ever write escape sequences to the standard output of a
//! headless command that never entered the terminal.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal};

/// The ratatui terminal convo draws on.
pub type TuiTerminal = Terminal<CrosstermBackend<Stdout>>;

/// True between entering the terminal and restoring it.
static ENTERED: AtomicBool = AtomicBool::new(false);

/// The interactive terminal: raw mode, alternate screen, hidden cursor,
/// bracketed paste, and mouse capture only when asked for.
///
/// Dropping it restores the terminal. One exists at a time.
pub struct Tui {
    terminal: TuiTerminal,
    mouse: bool,
    /// How pictures are drawn here, asked of the terminal once at start.
    drawing: crate::view::preview::Drawing,
}

impl Tui {
    /// Takes over the terminal.
    ///
    /// `mouse` turns on mouse capture (wheel, clicks); leave it off by default
    /// so the terminal's own text selection keeps working.
    ///
    /// # Errors
    /// Standard output is not a terminal that can be put in raw mode, or a
    /// `Tui` is already active. Whatever was switched on before the failure is
    /// switched off again.
    pub fn enter(mouse: bool) -> io::Result<Self> {
        if is_entered() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the terminal is already in use by another Tui",
            ));
        }
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let mut tui = Self {
            terminal,
            mouse,
            drawing: crate::view::preview::Drawing::Halfblocks,
        };
        // On failure `tui` is dropped here, which undoes the half-done setup.
        tui.activate()?;
        // Asked once, before the event reader starts, so no answer is read as a key.
        tui.drawing = detect_drawing();
        Ok(tui)
    }

    /// The ratatui terminal, for `draw`, `size`, `clear`.
    pub fn terminal_mut(&mut self) -> &mut TuiTerminal {
        &mut self.terminal
    }

    /// Draws one frame, or fails if the terminal has been restored meanwhile
    /// (by the panic hook, say) so that nothing is painted over the shell.
    ///
    /// # Errors
    /// The terminal was restored, or writing to it failed.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        if !is_entered() {
            return Err(io::Error::other(
                "the terminal has been restored; nothing more is drawn",
            ));
        }
        self.terminal.draw(render).map(|_| ())
    }

    /// How pictures are drawn on this terminal (kitty, sixel, iTerm2 when it
    /// said so at start; half-blocks otherwise).
    #[must_use]
    pub fn drawing(&self) -> crate::view::preview::Drawing {
        self.drawing.clone()
    }

    /// Whether mouse capture was asked for.
    #[must_use]
    pub fn mouse(&self) -> bool {
        self.mouse
    }

    /// Whether the terminal is still in the Tui's modes (false after
    /// [`Tui::restore`], the panic hook, or between suspend and resume).
    #[must_use]
    pub fn is_active(&self) -> bool {
        is_entered()
    }

    /// `Ctrl-z`: gives the terminal back to the shell, stops the process
    /// (SIGTSTP), and when the shell resumes it (`fg`) takes the terminal over
    /// again and clears it so the next `draw` repaints every cell.
    ///
    /// In raw mode `Ctrl-z` reaches the app as a key, not as a signal, so the
    /// app calls this from its loop, between frames. It returns only after the
    /// process has been continued.
    ///
    /// # Errors
    /// Restoring, raising the signal, or re-entering the terminal failed.
    pub fn suspend(&mut self) -> io::Result<()> {
        self.restore()?;
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        self.activate()
    }

    /// Gives the terminal back: leaves the alternate screen, shows the cursor,
    /// switches off mouse capture, bracketed paste and raw mode.
    ///
    /// Safe to call any number of times; only the first call does anything.
    ///
    /// # Errors
    /// Writing to the terminal or leaving raw mode failed (every step is still attempted).
    pub fn restore(&mut self) -> io::Result<()> {
        restore_terminal()
    }

    /// Switches every mode on; marks the terminal entered first so that a
    /// failure half-way is still undone by `restore`.
    fn activate(&mut self) -> io::Result<()> {
        ENTERED.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide)?;
        if self.mouse {
            execute!(out, EnableMouseCapture)?;
        }
        self.repaint_all()
    }

    /// Clears the screen and makes ratatui forget what it believes is on it,
    /// so the next draw paints every cell (the size may have changed, too).
    /// [`Tui::suspend`] already does this on resume.
    ///
    /// Use this, never `Terminal::clear`: that asks the terminal for the
    /// cursor position and waits for the answer, which cannot arrive while a
    /// crossterm `EventStream` is reading input (its thread holds crossterm's
    /// event reader), so it fails after two seconds ("The cursor position
    /// could not be read within a normal duration"). A full-screen `resize`
    /// clears and resets the buffers without asking anything.
    ///
    /// # Errors
    /// Reading the terminal's size or writing to it failed.
    pub fn repaint_all(&mut self) -> io::Result<()> {
        let size = self.terminal.size()?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Nothing can be reported from a drop; restoring is best effort by nature.
        let _ = restore_terminal();
    }
}

/// Whether a [`Tui`] currently holds the terminal.
#[must_use]
pub fn is_entered() -> bool {
    ENTERED.load(Ordering::SeqCst)
}

/// Undoes everything [`Tui::enter`] did, without needing the `Tui`: for the
/// panic hook and for quitting on a signal.
///
/// Does nothing when the terminal is not entered, so it never writes escape
/// sequences into a headless command's output, and a second call is a no-op.
/// Every step is attempted even if an earlier one fails (a hung-up terminal
/// fails them all, quickly); the first error is returned.
///
/// # Errors
/// Writing to the terminal or leaving raw mode failed.
pub fn restore_terminal() -> io::Result<()> {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let mut out = io::stdout();
    // Mouse capture is switched off whether or not it was on: the sequence is
    // harmless when it was not, and it saves tracking one more flag.
    let steps = [
        execute!(out, DisableMouseCapture),
        execute!(out, DisableBracketedPaste),
        execute!(out, LeaveAlternateScreen),
        execute!(out, Show),
        out.flush(),
        disable_raw_mode(),
    ];
    steps
        .into_iter()
        .collect::<io::Result<Vec<()>>>()
        .map(|_| ())
}

/// How long the terminal is given to answer the graphics query.
const PICKER_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Asks the terminal which graphics protocol it speaks (kitty, sixel,
/// iTerm2) and its cell size. The query ends with a device-attributes
/// request every terminal answers, so it does not wait the timeout out; one
/// that does not answer gets half-blocks.
///
/// Inside tmux nothing is asked and half-blocks are used: the protocols
/// need tmux's `allow-passthrough`, which asking would switch on for the
/// pane (and leave on after convo exits). `CONVO_IMAGES=halfblocks` skips
/// the query anywhere; `CONVO_IMAGES=detect` asks even inside tmux.
fn detect_drawing() -> crate::view::preview::Drawing {
    use crate::view::preview::Drawing;
    use ratatui_image::picker::{Picker, cap_parser::QueryStdioOptions};
    let choice = std::env::var("CONVO_IMAGES").unwrap_or_default();
    let in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    if choice == "halfblocks" || (in_tmux && choice != "detect") {
        return Drawing::Halfblocks;
    }
    let options = QueryStdioOptions {
        timeout: PICKER_TIMEOUT,
        ..QueryStdioOptions::default()
    };
    match Picker::from_query_stdio_with_options(options) {
        Ok(picker) if picker.protocol_type() != ratatui_image::picker::ProtocolType::Halfblocks => {
            tracing::info!("pictures drawn with {:?}", picker.protocol_type());
            Drawing::Detected(picker)
        }
        Ok(_) => Drawing::Halfblocks,
        Err(e) => {
            tracing::info!("the terminal did not say how to draw pictures ({e}): half-blocks");
            Drawing::Halfblocks
        }
    }
}
