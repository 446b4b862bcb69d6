//! Untrusted text made safe for a terminal, and measured in columns.
//!
//! Everything the API returns was typed by somebody else — often an anonymous
//! end user — so no byte of it may reach the terminal as a control: escape
//! sequences, C0/C1 controls and bidi overrides are replaced by visible,
//! inert stand-ins before any text is printed or drawn.

use std::borrow::Cow;

pub(crate) mod wrap;

/// Whether line breaks survive sanitising.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// Keep `\n` (and turn `\r\n` into `\n`): transcripts, multi-line fields.
    Keep,
    /// Show breaks as `⏎` so a value stays on one row: table cells, headers.
    Join,
}

/// Replaces every character that a terminal would act on with a visible stand-in.
///
/// C0 controls become their Control Pictures (`ESC` → `␛`), DEL `␡`, C1
/// controls and bidi overrides/isolates `�`, a tab four spaces. Printable text
/// (including wide, combining and emoji characters) is left exactly as it was.
#[must_use]
pub fn sanitize(text: &str, lines: Lines) -> Cow<'_, str> {
    if !text.chars().any(needs_replacing) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') && lines == Lines::Keep => {}
            '\n' if lines == Lines::Keep => out.push('\n'),
            '\n' | '\r' => out.push('⏎'),
            '\t' => out.push_str("    "),
            c if u32::from(c) < 0x20 => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('�'));
            }
            '\u{7f}' => out.push('␡'),
            c if is_c1(c) || is_bidi_control(c) => out.push('�'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` rather than print it: a C0 or C1
/// control (line breaks and ESC included), DEL, or a bidi override or isolate.
/// These are exactly the characters [`sanitize`] replaces.
#[must_use]
pub fn is_terminal_control(c: char) -> bool {
    needs_replacing(c)
}

fn needs_replacing(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Bidi embeddings, overrides and isolates: they reorder what follows them and
/// can make text read differently from what it is ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Columns a (sanitised) string takes on a terminal, measured per cluster
/// as ratatui's buffer draws it: an emoji sequence (`👩‍💻`, `❤️`, `1️⃣`)
/// takes the columns it is drawn in, not the sum of its characters'.
#[must_use]
pub fn width(text: &str) -> usize {
    wrap::width(text)
}

/// Cuts a (sanitised) string to at most `max` columns, ending with `…` when
/// cut; never splits a wide character, an emoji sequence, or a character
/// from its combining marks.
#[must_use]
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let keep = wrap::fit_prefix(text, max - 1);
    Cow::Owned(format!("{}…", &text[..keep]))
}

/// How many bytes of a (sanitised) string fill at most `columns` columns,
/// never splitting a character from its combining marks or an emoji sequence.
#[must_use]
pub fn fit_prefix(text: &str, columns: usize) -> usize {
    wrap::fit_prefix(text, columns)
}

/// Pads a (sanitised) string with spaces to exactly `columns`, cutting it first if longer.
#[must_use]
pub fn fit(text: &str, columns: usize) -> String {
    let cut = truncate(text, columns);
    let pad = columns.saturating_sub(width(&cut));
    let mut out = String::with_capacity(cut.len() + pad);
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_printable_text_is_untouched() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[31mc\u{9b}2Jd\u{202e}e\u{7f}";
        let clean = sanitize(hostile, Lines::Keep);
        assert!(!clean.chars().any(char::is_control), "{clean:?}");
        assert_eq!(clean, "a␛]0;pwned␇b␛[31mc�2Jd�e␡");
        let plain = "héllo 日本語 👩‍💻 مرحبا";
        assert!(matches!(sanitize(plain, Lines::Join), Cow::Borrowed(_)));
    }

    #[test]
    fn line_breaks_are_kept_or_joined() {
        assert_eq!(sanitize("a\r\nb\tc", Lines::Keep), "a\nb    c");
        assert_eq!(sanitize("a\r\nb", Lines::Join), "a⏎⏎b");
    }

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(width("日本語"), 6);
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("日本語テキスト", 6)), 6);
    }

    #[test]
    fn emoji_sequences_take_the_columns_they_are_drawn_in() {
        for (text, columns) in [
            ("👩\u{200d}💻", 2),
            ("❤\u{fe0f}", 2),
            ("1\u{fe0f}\u{20e3}", 2),
            ("🇯🇵", 2),
            ("e\u{301}", 1),
        ] {
            assert_eq!(width(text), columns, "{text:?}");
            assert_eq!(width(&fit(text, 4)), 4);
        }
        assert_eq!(truncate("ab👩\u{200d}💻cd", 4), "ab…");
        assert_eq!(truncate("ab👩\u{200d}💻cd", 5), "ab👩\u{200d}💻…");
    }
}
