//! Copying to the user's clipboard with OSC 52, which travels over SSH and, wrapped, through tmux and screen.
//!
//! OSC 52 is `ESC ] 52 ; c ; <base64> BEL`: the terminal emulator on the
//! user's own machine sets its clipboard. Multiplexers sit in between:
//! - tmux forwards an OSC 52 from an app when its `set-clipboard` option is
//!   `on`, and forwards anything inside a passthrough DCS
//!   (`ESC P tmux; … ESC \`, inner ESCs doubled) when `allow-passthrough` is
//!   on. Either may be the one configured, so inside tmux both are sent; a
//!   clipboard set twice to the same text is harmless.
//! - screen forwards the contents of DCS strings, but cuts long ones, so the
//!   sequence is split into DCS chunks of at most 76 bytes.
//!
//! Nothing comes back to say whether the terminal honoured it, so the status
//! bar says the copy was *sent*.
//!
//! What is copied is what the screen shows: the same sanitiser, so no control,
//! line break, bracketed-paste end or bidi override reaches the clipboard, where
//! pasting it into a shell would act on it (see [`as_shown`]).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, IsTerminal, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The largest text [`copy`] sends. Terminals cap OSC 52 (xterm and hterm
/// near 100,000 bytes of sequence, i.e. about 74,994 bytes before base64).
pub const MAX_COPY_BYTES: usize = 74_994;

/// The longest DCS body screen is given in one piece.
const SCREEN_CHUNK: usize = 76;

/// Which multiplexer (if any) sits between convo and the terminal emulator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    /// `TMUX` is set.
    pub tmux: bool,
    /// `STY` is set (GNU screen).
    pub screen: bool,
}

impl ClipboardEnv {
    /// Reads `TMUX` and `STY`.
    #[must_use]
    pub fn from_env() -> Self {
        Self {
            tmux: is_set("TMUX"),
            screen: is_set("STY"),
        }
    }

    /// The route the sequence takes; tmux wins when both are set, since a
    /// tmux started inside screen is the innermost (and the one convo talks to).
    #[must_use]
    pub fn route(self) -> CopyRoute {
        if self.tmux {
            CopyRoute::Tmux
        } else if self.screen {
            CopyRoute::Screen
        } else {
            CopyRoute::Direct
        }
    }
}

/// How the OSC 52 sequence was wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyRoute {
    /// Straight to the terminal.
    Direct,
    /// Through tmux (plain and in passthrough).
    Tmux,
    /// Through GNU screen's DCS.
    Screen,
}

/// What [`copy`] sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyOutcome {
    /// How the sequence was wrapped.
    pub route: CopyRoute,
    /// Bytes of text copied (before base64).
    pub bytes: usize,
}

impl fmt::Display for CopyOutcome {
    /// The status bar's line, e.g. `copied 14 bytes via OSC 52 (tmux)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let via = match self.route {
            CopyRoute::Direct => "OSC 52",
            CopyRoute::Tmux => "OSC 52 (tmux)",
            CopyRoute::Screen => "OSC 52 (screen)",
        };
        write!(f, "copied {} bytes via {via}", self.bytes)
    }
}

/// A text as the screen shows it, for the clipboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsShown<'a> {
    /// The printable text: controls as their pictures (`␛`, `⏎`), bidi
    /// overrides as `�`, all on one line.
    pub text: Cow<'a, str>,
    /// Whether that differs from the original, which held control characters.
    pub changed: bool,
}

/// `text` exactly as the screen draws it on one line: the clipboard gets
/// that, never the raw bytes. A newline would run a command the moment it is
/// pasted into a shell, `ESC [ 201 ~` would end a bracketed paste early and
/// let the rest run, a bidi override would make it read differently.
#[must_use]
pub fn as_shown(text: &str) -> AsShown<'_> {
    let text = crate::text::sanitize(text, crate::text::Lines::Join);
    let changed = matches!(text, Cow::Owned(_));
    AsShown { text, changed }
}

/// The escape sequence that puts `text` on the clipboard, wrapped for the
/// multiplexer in `env`. Pure; the caller checks the size.
#[must_use]
pub fn osc52(text: &str, env: &ClipboardEnv) -> String {
    let plain = plain_osc52(text);
    match env.route() {
        CopyRoute::Direct => plain,
        CopyRoute::Tmux => tmux_passthrough(&plain),
        CopyRoute::Screen => screen_dcs(&plain),
    }
}

/// `ESC ] 52 ; c ; base64 BEL`.
fn plain_osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text))
}

/// `ESC P tmux; <sequence with every ESC doubled> ESC \`.
fn tmux_passthrough(sequence: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
}

/// The sequence cut into DCS strings (`ESC P … ESC \`) of at most 76 bytes each.
fn screen_dcs(sequence: &str) -> String {
    // Base64 and the OSC frame are ASCII, so byte chunks are char boundaries.
    let mut out = String::with_capacity(sequence.len() + sequence.len() / SCREEN_CHUNK * 4 + 4);
    for chunk in sequence.as_bytes().chunks(SCREEN_CHUNK) {
        out.push_str("\x1bP");
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push_str("\x1b\\");
    }
    out
}

/// What is written for `text` in `env`: inside tmux the plain sequence (for
/// `set-clipboard on`) followed by the passthrough one (for `allow-passthrough on`).
///
/// # Errors
/// The text is empty, longer than [`MAX_COPY_BYTES`], or holds a character a
/// terminal or shell would act on (it should have gone through [`as_shown`]);
/// the message says so.
pub fn copy_sequence(text: &str, env: &ClipboardEnv) -> Result<String, String> {
    if text.is_empty() {
        return Err("nothing to copy".to_owned());
    }
    if text.chars().any(crate::text::is_terminal_control) {
        return Err("not copied: the text holds control characters".to_owned());
    }
    if text.len() > MAX_COPY_BYTES {
        return Err(format!(
            "not copied: {} KB is more than the {} KB terminals accept over OSC 52; save it with s instead",
            text.len().div_ceil(1000),
            MAX_COPY_BYTES / 1000
        ));
    }
    let wrapped = osc52(text, env);
    Ok(match env.route() {
        CopyRoute::Tmux => plain_osc52(text) + &wrapped,
        CopyRoute::Direct | CopyRoute::Screen => wrapped,
    })
}

/// Writes the sequence for `text` to `out` and flushes it.
///
/// # Errors
/// The text is refused (see [`copy_sequence`]) or writing failed.
pub fn copy_to(
    out: &mut impl Write,
    text: &str,
    env: &ClipboardEnv,
) -> Result<CopyOutcome, String> {
    let sequence = copy_sequence(text, env)?;
    out.write_all(sequence.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("not copied: cannot write to the terminal: {e}"))?;
    Ok(CopyOutcome {
        route: env.route(),
        bytes: text.len(),
    })
}

/// Puts `text` on the user's clipboard through the terminal (standard output).
///
/// Call it between frames — from the loop after `update`, never from inside
/// `draw` — so the sequence does not land in the middle of a frame's output.
/// The sequence moves no cursor and paints no cell, so no redraw is needed.
///
/// # Errors
/// One line for the status bar: the text is empty or too long, standard
/// output is not a terminal, or writing failed.
pub fn copy(text: &str) -> Result<CopyOutcome, String> {
    let mut out = io::stdout().lock();
    if !out.is_terminal() {
        return Err("not copied: standard output is not a terminal".to_owned());
    }
    copy_to(&mut out, text, &ClipboardEnv::from_env())
}

fn is_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: ClipboardEnv = ClipboardEnv {
        tmux: false,
        screen: false,
    };
    const TMUX: ClipboardEnv = ClipboardEnv {
        tmux: true,
        screen: false,
    };
    const SCREEN: ClipboardEnv = ClipboardEnv {
        tmux: false,
        screen: true,
    };

    #[test]
    fn plain_osc52_is_the_base64_of_the_text_between_the_frame() {
        assert_eq!(osc52("hello", &PLAIN), "\x1b]52;c;aGVsbG8=\x07");
        // Non-ASCII text is encoded as its UTF-8 bytes.
        assert_eq!(osc52("é", &PLAIN), "\x1b]52;c;w6k=\x07");
    }

    #[test]
    fn tmux_wraps_in_passthrough_with_inner_escapes_doubled() {
        assert_eq!(
            osc52("hello", &TMUX),
            "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\"
        );
    }

    #[test]
    fn tmux_wins_over_screen_when_both_are_set() {
        let both = ClipboardEnv {
            tmux: true,
            screen: true,
        };
        assert_eq!(osc52("x", &both), osc52("x", &TMUX));
    }

    #[test]
    fn screen_short_sequence_is_one_dcs() {
        assert_eq!(osc52("hello", &SCREEN), "\x1bP\x1b]52;c;aGVsbG8=\x07\x1b\\");
    }

    #[test]
    fn screen_long_sequence_is_cut_into_dcs_chunks_of_at_most_76_bytes() {
        let text = "conversation ".repeat(40);
        let out = osc52(&text, &SCREEN);
        let bodies: Vec<&str> = out
            .strip_prefix("\x1bP")
            .and_then(|s| s.strip_suffix("\x1b\\"))
            .map(|s| s.split("\x1b\\\x1bP").collect())
            .unwrap_or_default();
        assert!(bodies.len() > 1, "{out:?}");
        assert!(bodies.iter().all(|b| b.len() <= SCREEN_CHUNK), "{bodies:?}");
        assert!(
            bodies[..bodies.len() - 1]
                .iter()
                .all(|b| b.len() == SCREEN_CHUNK)
        );
        // Put back together, the chunks are exactly the plain sequence.
        assert_eq!(bodies.concat(), osc52(&text, &PLAIN));
    }

    #[test]
    fn inside_tmux_the_plain_sequence_goes_first_then_the_passthrough() {
        let sent = copy_sequence("id-1", &TMUX).unwrap();
        assert_eq!(
            sent,
            format!("{}{}", osc52("id-1", &PLAIN), osc52("id-1", &TMUX))
        );
        assert_eq!(
            copy_sequence("id-1", &SCREEN).unwrap(),
            osc52("id-1", &SCREEN)
        );
    }

    #[test]
    fn empty_and_oversized_texts_are_refused_with_a_reason() {
        assert_eq!(copy_sequence("", &PLAIN).unwrap_err(), "nothing to copy");
        let big = "x".repeat(MAX_COPY_BYTES + 1);
        let err = copy_sequence(&big, &PLAIN).unwrap_err();
        assert!(err.contains("75 KB") && err.contains("74 KB"), "{err}");
        assert!(copy_sequence(&"x".repeat(MAX_COPY_BYTES), &PLAIN).is_ok());
    }

    #[test]
    fn hostile_text_is_copied_as_shown_and_raw_controls_are_refused() {
        let hostile = "conv-1\n; touch x\u{1b}[201~\u{202e}\u{9b}";
        let shown = as_shown(hostile);
        assert!(shown.changed);
        assert_eq!(shown.text, "conv-1⏎; touch x␛[201~��");
        assert!(copy_sequence(&shown.text, &PLAIN).is_ok());
        assert!(
            copy_sequence(hostile, &PLAIN)
                .unwrap_err()
                .contains("control")
        );
        let plain = as_shown("conv-0f3a 日本 👩\u{200d}💻");
        assert!(!plain.changed);
        assert_eq!(plain.text, "conv-0f3a 日本 👩\u{200d}💻");
    }

    #[test]
    fn copy_to_writes_the_sequence_and_reports_the_route() {
        let mut out = Vec::new();
        let outcome = copy_to(&mut out, "conv-0f3a29c4cc", &SCREEN).unwrap();
        assert_eq!(out, osc52("conv-0f3a29c4cc", &SCREEN).into_bytes());
        assert_eq!(outcome.to_string(), "copied 15 bytes via OSC 52 (screen)");
        let mut refused = Vec::new();
        assert!(copy_to(&mut refused, "", &PLAIN).is_err());
        assert!(refused.is_empty());
    }
}
