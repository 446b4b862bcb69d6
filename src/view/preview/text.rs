//! A text file's preview: the bytes as lines made inert (no escape reaches the terminal), with what was cut said.

use crate::text::{Lines, sanitize};

/// Text ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextPreview {
    /// The lines, each sanitised (tabs as spaces, controls as their pictures).
    pub lines: Vec<String>,
    /// Whether the download stopped at the cap (the pane says so).
    pub cut: bool,
    /// Bytes read.
    pub bytes: usize,
    /// Something to say first (a MIME type that lied).
    pub note: Option<String>,
}

impl TextPreview {
    /// Reads `bytes` as UTF-8 (anything invalid as `�`, a character cut at
    /// the end dropped) and makes every line inert.
    #[must_use]
    pub fn new(bytes: &[u8], cut: bool, note: Option<String>) -> Self {
        let whole = match std::str::from_utf8(bytes) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let clean = sanitize(&whole, Lines::Keep);
        let lines = clean.lines().map(str::to_owned).collect();
        Self {
            lines,
            cut,
            bytes: bytes.len(),
            note,
        }
    }
}

/// An API string on one line, inert (for notes quoting a MIME type).
#[must_use]
pub fn one_line(text: &str) -> String {
    crate::text::truncate(&sanitize(text, Lines::Join), 60).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_are_made_inert_and_lines_kept() {
        let t = TextPreview::new(
            "total\t12\r\n\u{1b}]52;c;cm0gLXJm\u{7}\n\u{202e}evil".as_bytes(),
            false,
            None,
        );
        assert_eq!(t.lines, vec!["total    12", "␛]52;c;cm0gLXJm␇", "�evil"]);
        assert!(
            t.lines
                .iter()
                .all(|l| !l.chars().any(crate::text::is_terminal_control))
        );
    }

    #[test]
    fn a_character_cut_by_the_cap_is_dropped_not_garbled() {
        let mut bytes = "12 €".as_bytes().to_vec();
        bytes.pop();
        let t = TextPreview::new(&bytes, true, None);
        assert_eq!(t.lines, vec!["12 "]);
        assert!(t.cut);
    }
}
