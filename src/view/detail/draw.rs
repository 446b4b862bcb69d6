//! Putting laid-out rows and styled pieces into a ratatui buffer: clipped to the area, cut with `…`, search matches highlighted.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::doc::Match;
use super::line::{Line, Row};
use crate::text::wrap;
use crate::view::theme::Theme;

/// Whether a byte is a printable ASCII character: one cell, one grapheme.
fn plain(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Writes (sanitised) `text` from (`x`, `y`) in at most `max` columns; returns where it
/// stopped. Runs of printable ASCII (most of a transcript) are written cell by
/// cell, several times faster than ratatui's grapheme walk and to the same
/// cells; everything else goes through that walk.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: usize, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() || x >= area.right() {
        return x;
    }
    let limit = x
        .saturating_add(u16::try_from(max).unwrap_or(u16::MAX))
        .min(area.right());
    let mut cx = x;
    let mut rest = text;
    while !rest.is_empty() && cx < limit {
        let run = rest.bytes().position(|b| !plain(b)).unwrap_or(rest.len());
        // The last ASCII character before anything else may begin a cluster
        // with what follows (`e` and a combining accent): leave it to the walk.
        let fast = if run == rest.len() {
            run
        } else {
            run.saturating_sub(1)
        };
        if fast > 0 {
            let n = fast.min(usize::from(limit - cx));
            let start = buf.index_of(cx, y);
            let cells = buf.content.get_mut(start..start + n).unwrap_or_default();
            for (cell, b) in cells.iter_mut().zip(rest.bytes()) {
                cell.set_char(char::from(b)).set_style(style);
            }
            cx += u16::try_from(n).unwrap_or(0);
            rest = &rest[fast..];
            continue;
        }
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let end = rest[first..]
            .bytes()
            .position(plain)
            .map_or(rest.len(), |p| p + first);
        let chunk = &rest[..end];
        let before = cx;
        cx = buf
            .set_stringn(cx, y, chunk, usize::from(limit - cx), style)
            .0;
        if usize::from(cx - before) < wrap::width(chunk) {
            // A wide character did not fit: nothing after it may be drawn.
            break;
        }
        rest = &rest[end..];
    }
    cx
}

/// Draws styled pieces from `x` on row `y`, at most `width` columns; what does
/// not fit is cut and ends with `…`. Returns the columns used.
pub(super) fn pieces<'a>(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    pieces: impl IntoIterator<Item = (&'a str, Style)> + Clone,
) -> u16 {
    let total: usize = pieces
        .clone()
        .into_iter()
        .map(|(t, _)| wrap::width(t))
        .sum();
    let fits = total <= usize::from(width);
    let budget = if fits { width } else { width.saturating_sub(1) };
    let right = x.saturating_add(budget);
    let mut cx = x;
    let mut last = Style::new();
    for (text, style) in pieces {
        last = style;
        let avail = usize::from(right.saturating_sub(cx));
        let keep = wrap::fit_prefix(text, avail);
        cx = put(buf, cx, y, &text[..keep], avail, style);
        if keep < text.len() {
            break;
        }
    }
    if !fits && width > 0 {
        cx = buf.set_stringn(cx, y, "…", 1, last).0;
    }
    cx - x
}

/// How one row is drawn.
pub(super) struct RowStyle<'a> {
    pub theme: Theme,
    /// Without wrapping, a line longer than the row is cut with `…`.
    pub cut: bool,
    /// This line's search matches, sorted.
    pub hits: &'a [Match],
    /// The current match, when it is on this line.
    pub current: Option<Match>,
    /// With `cut`, how many columns of the text are scrolled off to the left.
    pub shift: u16,
}

/// Where the style next changes after `at`, and the style from `at` on.
fn next_change(line: &Line, hits: &[Match], how: &RowStyle<'_>, at: u32, end: u32) -> (u32, Style) {
    let mut next = end;
    let mut style = line.style;
    let r = line.runs.partition_point(|r| r.end <= at);
    if let Some(run) = line.runs.get(r) {
        if run.start <= at {
            style = run.style;
            next = next.min(run.end);
        } else {
            next = next.min(run.start);
        }
    }
    let h = hits.partition_point(|m| m.end <= at);
    if let Some(hit) = hits.get(h) {
        if hit.start <= at {
            let mark = if how.current == Some(*hit) {
                how.theme.current_match()
            } else {
                how.theme.search_match()
            };
            style = style.patch(mark);
            next = next.min(hit.end);
        } else {
            next = next.min(hit.start);
        }
    }
    (next.max(at + 1).min(end), style)
}

/// Draws one row of a line at (`x`, `y`), `width` columns wide.
pub(super) fn row(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    line: &Line,
    row: Row,
    how: &RowStyle<'_>,
) {
    let right = x.saturating_add(width);
    let lead = if row.cont { &line.cont } else { &line.lead };
    let mut cx = x;
    for (text, style) in &lead.segs {
        cx = put(
            buf,
            cx,
            y,
            text,
            usize::from(right.saturating_sub(cx)),
            *style,
        );
    }
    cx = cx.max(x.saturating_add(lead.width)).min(right);
    let (mut start, mut end) = (row.start as usize, row.end as usize);
    let Some(mut text) = line.text.get(start..end) else {
        return;
    };
    if how.cut && how.shift > 0 && !text.is_empty() && cx < right {
        // Scrolled sideways: the lead stays (who said it), the text starts
        // `shift` columns in, after a `…` that says some of it is hidden.
        let shift = usize::from(how.shift);
        let mut skip = wrap::fit_prefix(text, shift);
        if wrap::width(&text[..skip]) < shift {
            // A wide character straddles the edge: it goes whole.
            skip = wrap::clusters(&text[skip..])
                .next()
                .map_or(text.len(), |c| skip + c.end);
        }
        start += skip;
        text = &line.text[start..end];
        buf.set_stringn(cx, y, "…", 1, how.theme.muted());
        cx += 1;
    }
    let avail = right - cx;
    let mut ellipsis = false;
    if how.cut && wrap::width(text) > usize::from(avail) {
        end = start + wrap::fit_prefix(text, usize::from(avail.saturating_sub(1)));
        ellipsis = avail > 0;
    }
    let end = super::line::offset(end);
    let mut at = super::line::offset(start);
    while at < end {
        let (next, style) = next_change(line, how.hits, how, at, end);
        let piece = line
            .text
            .get(at as usize..next as usize)
            .unwrap_or_default();
        cx = put(
            buf,
            cx,
            y,
            piece,
            usize::from(right.saturating_sub(cx)),
            style,
        );
        at = next;
    }
    if ellipsis {
        buf.set_stringn(cx, y, "…", 1, how.theme.muted());
    }
}

/// The message cursor's `▶`, in the gutter's blank column after the sender
/// (a glyph, not a colour, so it shows on any terminal).
pub(super) fn cursor_mark(buf: &mut Buffer, area: ratatui::layout::Rect, y: u16, theme: Theme) {
    let x = area.x + super::messages::GUTTER - 2;
    if x < area.right() {
        buf.set_string(x, y, "\u{25b6}", theme.key());
    }
}

/// The Attachments tab's cursor: `▶` in the margin of the selected file's name.
pub(super) fn attachment_mark(buf: &mut Buffer, area: ratatui::layout::Rect, y: u16, theme: Theme) {
    if area.width > 0 {
        buf.set_string(area.x, y, "\u{25b6}", theme.key());
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::super::line::Lead;
    use super::*;

    const THEME: Theme = Theme {
        mono: false,
        light: false,
    };

    /// A buffer row as text, wide characters once.
    fn text_of(buf: &Buffer, y: u16) -> String {
        let mut out = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            x += u16::try_from(wrap::width(symbol).max(1)).unwrap();
        }
        out
    }

    #[test]
    fn the_ascii_shortcut_writes_what_ratatui_would() {
        let style = THEME.code();
        let samples = [
            "plain ascii, with spaces",
            "ünïcode 日本 mixed",
            "cafe\u{301} e\u{301}e\u{301} ok",
            "keycap 1\u{fe0f}\u{20e3} and 👩\u{200d}💻x",
            "abcdefg日本",
            "日本語のテキスト",
            "",
        ];
        for text in samples {
            for max in [0, 1, 7, 8, 9, 30] {
                let mut ours = Buffer::empty(Rect::new(0, 0, 14, 1));
                let mut theirs = ours.clone();
                let end = put(&mut ours, 2, 0, text, max, style);
                let (their_end, _) = theirs.set_stringn(2, 0, text, max, style);
                assert_eq!((ours, end), (theirs, their_end), "{text:?} in {max}");
            }
        }
    }

    #[test]
    fn pieces_are_cut_with_an_ellipsis() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        let used = pieces(
            &mut buf,
            0,
            0,
            8,
            [("Support ", Style::new()), ("Chat", Style::new())],
        );
        assert_eq!(used, 8);
        assert_eq!(text_of(&buf, 0), "Support…");
    }

    #[test]
    fn a_row_draws_its_lead_then_its_slice_with_matches_highlighted() {
        let mut line = Line::plain("find the needle here", Style::new());
        line.lead = Lead::styled(vec![("> ".to_owned(), THEME.muted())], 3);
        let hits = [Match {
            block: 0,
            line: 0,
            start: 9,
            end: 15,
        }];
        let how = RowStyle {
            theme: THEME,
            cut: false,
            hits: &hits,
            current: Some(hits[0]),
            shift: 0,
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 24, 1));
        row(
            &mut buf,
            0,
            0,
            24,
            &line,
            Row {
                line: 0,
                start: 0,
                end: 20,
                cont: false,
            },
            &how,
        );
        assert_eq!(text_of(&buf, 0), ">  find the needle here ");
        assert_eq!(buf[(12, 0)].bg, ratatui::style::Color::LightRed);
        assert_eq!(buf[(11, 0)].bg, ratatui::style::Color::Reset);
    }

    #[test]
    fn without_wrapping_a_long_row_is_cut_and_never_splits_a_wide_char() {
        let line = Line::plain("日本語のテキスト", Style::new());
        let how = RowStyle {
            theme: THEME,
            cut: true,
            hits: &[],
            current: None,
            shift: 0,
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let end = super::super::line::offset(line.text.len());
        row(
            &mut buf,
            0,
            0,
            6,
            &line,
            Row {
                line: 0,
                start: 0,
                end,
                cont: false,
            },
            &how,
        );
        assert_eq!(text_of(&buf, 0), "日本… ");
    }
}
