//! The browser's one-line text fields (filters, search, open by id, help): a paste goes in at once, flattened to one line, and no field grows past a fixed size.

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::{EventHandler, to_input_request};
use tui_input::{Input, InputRequest};

use crate::text::is_terminal_control;

/// The most a text field holds, in bytes. What is typed into one is an id, a
/// date, a name or a few words to search for; 4 KiB is far beyond any of
/// them, yet small enough that every keystroke's work (searching the open
/// conversation, drawing the field) stays instant whatever was pasted.
pub const MAX_FIELD_BYTES: usize = 4096;

/// What the status line says when a field refused the rest of a paste or a key.
pub const CUT_NOTICE: &str = "the text was cut: a field holds at most 4 KiB";

/// What became of an edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Everything went in (line breaks and controls flattened or dropped).
    Whole,
    /// The field is full: the rest was left out.
    Cut,
}

/// Inserts pasted `text` at the cursor in one splice and moves the cursor
/// past it once. Line breaks and tabs become spaces (a field is one line),
/// other controls and bidi overrides are dropped, and the text stops where
/// the field is full. Reads no more of `text` than it keeps, so a paste of
/// any size costs what the field can hold.
pub fn paste(input: &mut Input, text: &str) -> Edit {
    let value = input.value();
    let room = MAX_FIELD_BYTES.saturating_sub(value.len());
    let mut kept = String::with_capacity(room.min(text.len()));
    let mut edit = Edit::Whole;
    let mut after_cr = false;
    for c in text.chars() {
        // CRLF is one line break, so one space.
        let crlf = after_cr && c == '\n';
        after_cr = c == '\r';
        let c = match c {
            _ if crlf => continue,
            '\r' | '\n' | '\t' => ' ',
            c if is_terminal_control(c) => continue,
            c => c,
        };
        if kept.len() + c.len_utf8() > room {
            edit = Edit::Cut;
            break;
        }
        kept.push(c);
    }
    if kept.is_empty() {
        return edit;
    }
    let at = byte_at(value, input.cursor());
    let mut spliced = String::with_capacity(value.len() + kept.len());
    spliced.push_str(&value[..at]);
    spliced.push_str(&kept);
    spliced.push_str(&value[at..]);
    let cursor = input.cursor() + kept.chars().count();
    *input = Input::new(spliced).with_cursor(cursor);
    edit
}

/// A key typed into a field: handled as the field handles keys, except that a
/// control or bidi character is not inserted, and the field stops at
/// [`MAX_FIELD_BYTES`] (a paste arriving as keystrokes, or a yank, included).
pub fn key(input: &mut Input, key: KeyEvent) -> Edit {
    let event = Event::Key(key);
    match to_input_request(&event) {
        Some(InputRequest::InsertChar(c)) if is_terminal_control(c) => Edit::Whole,
        Some(InputRequest::InsertChar(c))
            if input.value().len() + c.len_utf8() > MAX_FIELD_BYTES =>
        {
            Edit::Cut
        }
        _ => {
            input.handle_event(&event);
            cap(input)
        }
    }
}

/// Cuts the field back to [`MAX_FIELD_BYTES`] (on a character boundary) if it grew past it.
fn cap(input: &mut Input) -> Edit {
    let value = input.value();
    if value.len() <= MAX_FIELD_BYTES {
        return Edit::Whole;
    }
    let mut end = MAX_FIELD_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let cursor = input.cursor();
    *input = Input::new(value[..end].to_owned()).with_cursor(cursor);
    Edit::Cut
}

/// The byte offset of the `cursor`-th character (the end when past it).
fn byte_at(value: &str, cursor: usize) -> usize {
    value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn a_paste_goes_in_at_the_cursor_on_one_line_without_controls() {
        let mut input = Input::new("ab".to_owned()).with_cursor(1);
        let edit = paste(&mut input, "x\r\ny\nz\t\u{1b}[201~\u{202e}é");
        assert_eq!(edit, Edit::Whole);
        assert_eq!(input.value(), "ax y z [201~éb");
        assert_eq!(input.cursor(), 13);
    }

    #[test]
    fn a_paste_stops_where_the_field_is_full() {
        let mut input = Input::default();
        let big = "é".repeat(1_000_000);
        assert_eq!(paste(&mut input, &big), Edit::Cut);
        assert_eq!(input.value().len(), MAX_FIELD_BYTES);
        assert_eq!(paste(&mut input, "more"), Edit::Cut);
        assert_eq!(input.value().len(), MAX_FIELD_BYTES);
    }

    #[test]
    fn the_notice_names_the_limit_in_force() {
        assert!(CUT_NOTICE.ends_with(&format!("{} KiB", MAX_FIELD_BYTES / 1024)));
    }

    #[test]
    fn keys_stop_at_the_limit_and_controls_are_not_typed() {
        let mut input = Input::new("x".repeat(MAX_FIELD_BYTES - 1));
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(key(&mut input, press('\u{202e}')), Edit::Whole);
        assert_eq!(key(&mut input, press('y')), Edit::Whole);
        assert_eq!(key(&mut input, press('z')), Edit::Cut);
        assert_eq!(input.value().len(), MAX_FIELD_BYTES);
        assert!(input.value().ends_with('y'));
    }
}
