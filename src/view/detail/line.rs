//! The laid-out unit of every tab: a styled logical line (width-independent) and the rows it wraps into.

use ratatui::style::Style;

/// A run of text drawn in one style, before the line's own text (a gutter, a bullet, an indent).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Lead {
    /// The pieces to draw; none for a plain indent.
    pub segs: Vec<(String, Style)>,
    /// Columns the lead takes; the text starts after them.
    pub width: u16,
}

impl Lead {
    /// Blank columns.
    #[must_use]
    pub(crate) fn indent(width: u16) -> Self {
        Self {
            segs: Vec::new(),
            width,
        }
    }

    /// Styled pieces, padded to `width` columns (or as wide as they are).
    #[must_use]
    pub(crate) fn styled(segs: Vec<(String, Style)>, width: u16) -> Self {
        let own: usize = segs.iter().map(|(s, _)| crate::text::width(s)).sum();
        let width = width.max(u16::try_from(own).unwrap_or(u16::MAX));
        Self { segs, width }
    }
}

/// A style over a byte range of a line's text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Run {
    pub start: u32,
    pub end: u32,
    pub style: Style,
}

/// One logical line: sanitised text without a line break, its styles, and what
/// precedes it on its first row and on the rows it wraps onto.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Line {
    pub text: String,
    /// The style of text no run covers.
    pub style: Style,
    /// Sorted, non-overlapping.
    pub runs: Vec<Run>,
    /// Before the first row.
    pub lead: Lead,
    /// Before every further row.
    pub cont: Lead,
}

impl Line {
    /// A line of one style with no lead.
    #[must_use]
    pub(crate) fn plain(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
            ..Self::default()
        }
    }

    /// An empty line.
    #[must_use]
    pub(crate) fn blank() -> Self {
        Self::default()
    }

    /// The same line indented by `columns` on every row.
    #[must_use]
    pub(crate) fn indented(mut self, columns: u16) -> Self {
        self.lead = Lead::indent(columns);
        self.cont = Lead::indent(columns);
        self
    }

    /// Appends text in a style (sanitised already by the caller).
    pub(crate) fn push(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let start = offset(self.text.len());
        self.text.push_str(text);
        let end = offset(self.text.len());
        if style != self.style {
            match self.runs.last_mut() {
                Some(last) if last.end == start && last.style == style => last.end = end,
                _ => self.runs.push(Run { start, end, style }),
            }
        }
    }

    /// The style at a byte offset.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn style_at(&self, at: u32) -> Style {
        let i = self.runs.partition_point(|r| r.end <= at);
        match self.runs.get(i) {
            Some(run) if run.start <= at => run.style,
            _ => self.style,
        }
    }
}

/// Byte offsets are kept as `u32` to keep rows small; a line longer than 4 GiB is not a line.
#[must_use]
pub(crate) fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// One screen row: a byte range of one line of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// Index of the line in its block.
    pub line: u32,
    pub start: u32,
    pub end: u32,
    /// Whether this row continues a wrapped line (and so draws the line's `cont` lead).
    pub cont: bool,
}

/// A block's content: its lines, and the line each of its action logs starts on (for `e`/`E`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Lines {
    pub lines: Vec<Line>,
    pub anchors: Vec<u32>,
}

impl Lines {
    /// Appends a line.
    pub(crate) fn push(&mut self, line: Line) {
        self.lines.push(line);
    }

    /// Marks the next line as the start of an anchored item (an action log).
    pub(crate) fn anchor(&mut self) {
        self.anchors.push(offset(self.lines.len()));
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::Modifier;

    use super::*;

    #[test]
    fn runs_merge_and_style_lookups_find_them() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let mut line = Line::default();
        line.push("plain ", Style::new());
        line.push("bo", bold);
        line.push("ld", bold);
        line.push(" tail", Style::new());
        assert_eq!(line.text, "plain bold tail");
        assert_eq!(
            line.runs,
            vec![Run {
                start: 6,
                end: 10,
                style: bold
            }]
        );
        assert_eq!(line.style_at(7), bold);
        assert_eq!(line.style_at(2), Style::new());
        assert_eq!(line.style_at(12), Style::new());
    }
}
