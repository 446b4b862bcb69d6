//! What every target checks: no character a terminal would act on, and columns as ratatui's buffer draws them.
#![allow(dead_code)] // each target uses a different part

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

/// C0, DEL, C1, and the bidi embeddings, overrides and isolates the sanitiser replaces.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Panics naming the first forbidden character of `text`.
pub fn assert_inert(text: &str, what: &str) {
    if let Some(c) = text.chars().find(|c| is_forbidden(*c)) {
        panic!("{what} holds {c:?}: {text:?}");
    }
}

/// Columns ratatui's buffer gives `text` when it draws it on one row, less
/// one for each halfwidth (han)dakuten: ratatui 0.30 adds a column for each
/// to make up for an older `unicode-width` that counted them as zero, but the
/// one it now runs with counts them as one already (an upstream quirk).
pub fn drawn_columns(text: &str) -> usize {
    let width = u16::try_from(text.len().saturating_mul(2).clamp(1, 4_000)).unwrap_or(4_000);
    let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
    let (x, _) = buf.set_stringn(0, 0, text, usize::from(width), Style::new());
    usize::from(x)
        - text
            .chars()
            .filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}'))
            .count()
}

/// Every cell of a buffer free of forbidden characters.
pub fn assert_clean(buf: &Buffer, what: &str) {
    for cell in &buf.content {
        assert_inert(cell.symbol(), what);
    }
}

/// Where ratatui's graphemes of `text` start, as byte offsets.
pub fn grapheme_starts(text: &str) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    Span::raw(text)
        .styled_graphemes(Style::new())
        .map(|g| g.symbol.as_ptr() as usize - base)
        .collect()
}
