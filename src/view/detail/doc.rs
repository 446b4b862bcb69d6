//! One tab's content as a lazily laid-out document: blocks built on demand, wrapped rows cached per width, a scroll position, search matches and failure jumps.
//!
//! The position is a block and a row within it, so scrolling a 5,000-message
//! transcript only ever builds and wraps the blocks it passes over or shows;
//! a width or wrap change re-wraps a block the next time it is needed.

use super::line::{Lines, Row, offset};
use super::search::Needle;
use crate::text::wrap;

/// What a tab's blocks are made from.
pub(super) trait Source {
    /// How many blocks there are.
    fn len(&self) -> usize;

    /// Builds one block's lines (sanitised, styled, width-independent).
    fn build(&self, block: usize) -> Lines;

    /// Searches every block without building them, for sources too big to
    /// build whole; `false` when the source has no such shortcut.
    fn search(&self, _needle: &Needle, _out: &mut Vec<Match>) -> bool {
        false
    }

    /// The failed actions, in order, as (block, index of the block's anchor).
    fn failures(&self) -> Vec<(usize, usize)> {
        Vec::new()
    }
}

/// Blocks built up front, for tabs small enough to build whole (Feedback, Attachments, Meta).
pub(super) struct Built(pub Vec<Lines>);

impl Source for Built {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn build(&self, block: usize) -> Lines {
        self.0.get(block).cloned().unwrap_or_default()
    }
}

/// How rows are laid out: the width text wraps at, or no wrapping at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LayoutKey {
    pub width: u16,
    pub wrap: bool,
}

impl LayoutKey {
    /// The key for a pane `width` wide; without wrapping the width does not matter.
    #[must_use]
    pub(super) fn new(width: u16, wrap: bool) -> Self {
        Self {
            width: if wrap { width } else { 0 },
            wrap,
        }
    }
}

/// A row of the document: its block and the row within that block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pos {
    pub block: usize,
    pub row: usize,
}

/// A search match: where in which line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Match {
    pub block: u32,
    pub line: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Default)]
struct Block {
    lines: Option<Lines>,
    rows: Vec<Row>,
    key: Option<LayoutKey>,
}

/// A tab's document.
pub(super) struct Doc {
    source: Box<dyn Source>,
    blocks: Vec<Block>,
    key: LayoutKey,
    /// The first row shown.
    pub top: Pos,
    searched: Option<Needle>,
    pub matches: Vec<Match>,
    pub current: Option<usize>,
    failures: Option<Vec<(usize, usize)>>,
    /// The failure last jumped to, and the position the jump left the view at
    /// (so a scroll since then makes the next jump start from the view instead).
    failure_cursor: Option<(usize, Pos)>,
}

impl Doc {
    /// A document over `source`, nothing built yet.
    #[must_use]
    pub(super) fn new(source: Box<dyn Source>) -> Self {
        let blocks = std::iter::repeat_with(Block::default)
            .take(source.len())
            .collect();
        Self {
            source,
            blocks,
            key: LayoutKey::new(80, true),
            top: Pos::default(),
            searched: None,
            matches: Vec::new(),
            current: None,
            failures: None,
            failure_cursor: None,
        }
    }

    /// Sets how rows are laid out; blocks re-wrap lazily.
    pub(super) fn set_key(&mut self, key: LayoutKey) {
        self.key = key;
    }

    /// The number of blocks.
    #[must_use]
    pub(super) fn len(&self) -> usize {
        self.blocks.len()
    }

    /// A block's lines, building them if needed (none for a block that does not exist).
    pub(super) fn lines(&mut self, block: usize) -> &Lines {
        static NONE: Lines = Lines {
            lines: Vec::new(),
            anchors: Vec::new(),
        };
        let Some(slot) = self.blocks.get_mut(block) else {
            return &NONE;
        };
        slot.lines.get_or_insert_with(|| self.source.build(block))
    }

    /// A block's rows for the current layout, building and wrapping as needed.
    pub(super) fn rows(&mut self, block: usize) -> &[Row] {
        let key = self.key;
        if block >= self.len() {
            return &[];
        }
        if self.blocks[block].key != Some(key) {
            self.lines(block);
            let slot = &mut self.blocks[block];
            let lines = slot.lines.as_ref().map_or(&[][..], |l| l.lines.as_slice());
            slot.rows.clear();
            layout(lines, key, &mut slot.rows);
            slot.key = Some(key);
        }
        &self.blocks[block].rows
    }

    /// A block's lines and rows if they are laid out for the current key (for drawing).
    #[must_use]
    pub(super) fn laid_out(&self, block: usize) -> Option<(&Lines, &[Row])> {
        let slot = self.blocks.get(block)?;
        if slot.key != Some(self.key) {
            return None;
        }
        Some((slot.lines.as_ref()?, &slot.rows))
    }

    fn row_count(&mut self, block: usize) -> usize {
        self.rows(block).len()
    }

    /// The first block at or after `from` that has rows.
    fn next_filled(&mut self, from: usize) -> Option<usize> {
        (from..self.len()).find(|&b| self.row_count(b) > 0)
    }

    /// The last block before `before` that has rows.
    fn prev_filled(&mut self, before: usize) -> Option<usize> {
        (0..before).rev().find(|&b| self.row_count(b) > 0)
    }

    /// The same place, moved onto a row that exists.
    fn normalize(&mut self, pos: Pos) -> Pos {
        if pos.block < self.len() {
            let rows = self.row_count(pos.block);
            if pos.row < rows {
                return pos;
            }
            if rows > 0 {
                return Pos {
                    block: pos.block,
                    row: rows - 1,
                };
            }
            if let Some(block) = self.next_filled(pos.block + 1) {
                return Pos { block, row: 0 };
            }
        }
        self.last()
    }

    /// The last row of the document.
    pub(super) fn last(&mut self) -> Pos {
        match self.prev_filled(self.len()) {
            Some(block) => Pos {
                block,
                row: self.row_count(block) - 1,
            },
            None => Pos::default(),
        }
    }

    /// Moves `n` rows down, stopping at the last; returns where, and how far it got.
    pub(super) fn advance(&mut self, pos: Pos, n: usize) -> (Pos, usize) {
        let mut pos = self.normalize(pos);
        let mut left = n;
        while left > 0 {
            let rows = self.row_count(pos.block);
            if pos.row + left < rows {
                pos.row += left;
                return (pos, n);
            }
            let Some(block) = self.next_filled(pos.block + 1) else {
                left -= rows.saturating_sub(1) - pos.row;
                pos.row = rows.saturating_sub(1);
                return (pos, n - left);
            };
            left -= rows - pos.row;
            pos = Pos { block, row: 0 };
        }
        (pos, n)
    }

    /// Moves `n` rows up, stopping at the first.
    pub(super) fn retreat(&mut self, pos: Pos, n: usize) -> Pos {
        let mut pos = self.normalize(pos);
        let mut left = n;
        while left > 0 {
            if pos.row >= left {
                pos.row -= left;
                break;
            }
            let Some(block) = self.prev_filled(pos.block) else {
                pos.row = 0;
                break;
            };
            left -= pos.row + 1;
            pos = Pos {
                block,
                row: self.row_count(block) - 1,
            };
        }
        pos
    }

    /// The top that shows the last row at the bottom of a `height`-row viewport.
    pub(super) fn bottom(&mut self, height: usize) -> Pos {
        let last = self.last();
        self.retreat(last, height.saturating_sub(1))
    }

    /// Keeps the top where a full viewport still fits below it, and lays out
    /// every block the viewport shows.
    pub(super) fn clamp(&mut self, height: usize) {
        let top = self.normalize(self.top);
        let want = height.saturating_sub(1);
        let (_, got) = self.advance(top, want);
        self.top = if got < want { self.bottom(height) } else { top };
        // `bottom` may have moved the top up: lay out what is now shown.
        let top = self.top;
        self.advance(top, want);
    }

    /// Scrolls so that `target` is in view: left alone when it already is,
    /// else shown `context` rows below the top.
    pub(super) fn reveal(&mut self, target: Pos, height: usize, context: usize) {
        let height = height.max(1);
        let top = self.normalize(self.top);
        let (end, _) = self.advance(top, height - 1);
        if target < top || target > end {
            self.top = self.retreat(target, context.min(height - 1));
        }
        self.clamp(height);
    }

    /// Where a line's byte offset is shown.
    pub(super) fn locate(&mut self, block: usize, line: u32, at: u32) -> Pos {
        let rows = self.rows(block);
        let first = rows.partition_point(|r| r.line < line);
        let mut row = first;
        while let Some(next) = rows.get(row + 1) {
            if next.line != line || next.start > at {
                break;
            }
            row += 1;
        }
        Pos { block, row }
    }

    /// The line shown at a position.
    pub(super) fn line_at(&mut self, pos: Pos) -> (usize, u32) {
        let pos = self.normalize(pos);
        let line = self.rows(pos.block).get(pos.row).map_or(0, |r| r.line);
        (pos.block, line)
    }

    /// Runs a search (again, if the needle changed); returns whether it ran.
    pub(super) fn search(&mut self, needle: Option<&Needle>) -> bool {
        if self.searched.as_ref() == needle {
            return false;
        }
        self.matches.clear();
        self.current = None;
        self.searched = needle.cloned();
        let Some(needle) = needle else {
            return true;
        };
        if self.source.search(needle, &mut self.matches) {
            return true;
        }
        let mut found = Vec::new();
        let mut matches = Vec::new();
        for block in 0..self.len() {
            for (index, line) in self.lines(block).lines.iter().enumerate() {
                found.clear();
                needle.find(&line.text, &mut found);
                matches.extend(found.iter().map(|&(s, e)| Match {
                    block: offset(block),
                    line: offset(index),
                    start: offset(s),
                    end: offset(e),
                }));
            }
        }
        self.matches = matches;
        true
    }

    /// The first match at or after the top of the view, if any.
    pub(super) fn first_match_in_view(&mut self) -> Option<usize> {
        if self.matches.is_empty() {
            return None;
        }
        let (block, line) = self.line_at(self.top);
        let at = self
            .matches
            .partition_point(|m| (m.block as usize, m.line) < (block, line));
        Some(if at < self.matches.len() { at } else { 0 })
    }

    /// Makes match `index` current and brings it into view.
    pub(super) fn go_to_match(&mut self, index: usize, height: usize) {
        let Some(m) = self.matches.get(index).copied() else {
            return;
        };
        self.current = Some(index);
        let target = self.locate(m.block as usize, m.line, m.start);
        // Scrolled to from afar, a match shows a third of the way down, with context above.
        self.reveal(target, height, height / 3);
    }

    /// The failures as (block, line), resolving anchors on first use.
    fn failure_lines(&mut self) -> Vec<(usize, u32)> {
        let failures = self
            .failures
            .get_or_insert_with(|| self.source.failures())
            .clone();
        failures
            .into_iter()
            .map(|(block, anchor)| {
                let line = self.lines(block).anchors.get(anchor).copied().unwrap_or(0);
                (block, line)
            })
            .collect()
    }

    /// Jumps to the next (or previous) failed action; returns (1-based which, of how many).
    /// Back to the top, forgetting which failure was jumped to last.
    pub(super) fn rewind(&mut self) {
        self.top = Pos::default();
        self.failure_cursor = None;
    }

    pub(super) fn jump_failure(&mut self, forward: bool, height: usize) -> Option<(usize, usize)> {
        let failures = self
            .failures
            .get_or_insert_with(|| self.source.failures())
            .clone();
        let total = failures.len();
        if total == 0 {
            return None;
        }
        let index = match self.failure_cursor {
            Some((at, left_at)) if left_at == self.top => {
                if forward {
                    (at + 1) % total
                } else {
                    (at + total - 1) % total
                }
            }
            _ => {
                let here = self.line_at(self.top);
                let lines = self.failure_lines();
                if forward {
                    lines.iter().position(|&f| f >= here).unwrap_or(0)
                } else {
                    lines.iter().rposition(|&f| f < here).unwrap_or(total - 1)
                }
            }
        };
        let (block, anchor) = failures[index];
        let line = self.lines(block).anchors.get(anchor).copied().unwrap_or(0);
        let target = self.locate(block, line, 0);
        // Show the whole block (the message that ran the action) when the failure fits under its start.
        self.top = if target.row + 1 < height {
            Pos { block, row: 0 }
        } else {
            self.retreat(target, 1)
        };
        self.clamp(height);
        self.failure_cursor = Some((index, self.top));
        Some((index + 1, total))
    }
}

/// Wraps every line of a block into rows.
fn layout(lines: &[super::line::Line], key: LayoutKey, out: &mut Vec<Row>) {
    let mut ranges = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let index = offset(index);
        if !key.wrap {
            out.push(Row {
                line: index,
                start: 0,
                end: offset(line.text.len()),
                cont: false,
            });
            continue;
        }
        let width = usize::from(key.width);
        let first = width.saturating_sub(usize::from(line.lead.width)).max(1);
        let rest = width.saturating_sub(usize::from(line.cont.width)).max(1);
        ranges.clear();
        wrap::wrap(&line.text, first, rest, &mut ranges);
        out.extend(ranges.iter().enumerate().map(|(i, &(s, e))| Row {
            line: index,
            start: offset(s),
            end: offset(e),
            cont: i > 0,
        }));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use ratatui::style::Style;

    use super::super::line::Line;
    use super::*;

    /// Blocks of `rows` one-word lines each; counts how many blocks were built.
    struct Counted {
        blocks: usize,
        lines: usize,
        built: Rc<Cell<usize>>,
        failing: Vec<(usize, usize)>,
    }

    impl Source for Counted {
        fn len(&self) -> usize {
            self.blocks
        }
        fn build(&self, block: usize) -> Lines {
            self.built.set(self.built.get() + 1);
            let mut out = Lines::default();
            for i in 0..self.lines {
                if i == 1 {
                    out.anchor();
                }
                out.push(Line::plain(format!("b{block} l{i} word"), Style::new()));
            }
            out
        }
        fn failures(&self) -> Vec<(usize, usize)> {
            self.failing.clone()
        }
    }

    fn doc(blocks: usize, lines: usize) -> (Doc, Rc<Cell<usize>>) {
        let built = Rc::new(Cell::new(0));
        let source = Counted {
            blocks,
            lines,
            built: Rc::clone(&built),
            failing: vec![(2, 0), (5, 0), (40, 0)],
        };
        let mut doc = Doc::new(Box::new(source));
        doc.set_key(LayoutKey::new(40, true));
        (doc, built)
    }

    #[test]
    fn scrolling_builds_only_what_it_passes() {
        let (mut doc, built) = doc(5_000, 3);
        doc.clamp(10);
        assert!(built.get() <= 5, "built {} blocks", built.get());
        let (pos, moved) = doc.advance(doc.top, 7);
        assert_eq!((pos, moved), (Pos { block: 2, row: 1 }, 7));
        assert!(built.get() <= 5);
    }

    #[test]
    fn never_scrolls_past_the_end_and_finds_top_and_bottom() {
        let (mut doc, _) = doc(10, 3);
        doc.top = Pos { block: 9, row: 2 };
        doc.clamp(5);
        assert_eq!(
            doc.top,
            Pos { block: 8, row: 1 },
            "the last 5 rows fill the view"
        );
        assert_eq!(doc.bottom(5), Pos { block: 8, row: 1 });
        let (end, moved) = doc.advance(Pos::default(), 1_000);
        assert_eq!((end, moved), (Pos { block: 9, row: 2 }, 29));
        assert_eq!(doc.retreat(end, 1_000), Pos::default());
        let (mut short, _) = self::doc(1, 2);
        short.top = Pos { block: 0, row: 1 };
        short.clamp(10);
        assert_eq!(
            short.top,
            Pos::default(),
            "a short document stays at the top"
        );
    }

    #[test]
    fn an_empty_document_goes_nowhere_without_panicking() {
        let (mut doc, _) = doc(0, 0);
        doc.clamp(10);
        assert_eq!(doc.advance(Pos::default(), 5), (Pos::default(), 0));
        assert_eq!(doc.retreat(Pos { block: 3, row: 3 }, 5), Pos::default());
        assert_eq!(doc.jump_failure(true, 10).map(|(_, of)| of), Some(3));
        doc.search(Needle::new("x").as_ref());
        assert!(doc.matches.is_empty());
        let (mut blank, _) = self::doc(4, 0);
        blank.clamp(10);
        assert_eq!(blank.top, Pos::default());
        assert_eq!(blank.advance(Pos::default(), 3).1, 0);
    }

    #[test]
    fn a_width_change_rewraps_lazily() {
        let (mut doc, built) = doc(3, 1);
        assert_eq!(doc.rows(0).len(), 1);
        doc.set_key(LayoutKey::new(4, true));
        assert!(doc.laid_out(0).is_none(), "stale rows are not drawn");
        assert_eq!(doc.rows(0).len(), 3, "'b0 l0 word' in four columns");
        assert_eq!(built.get(), 1, "lines are width-independent and kept");
        doc.set_key(LayoutKey::new(5, false));
        assert_eq!(doc.rows(0).len(), 1);
    }

    #[test]
    fn failures_go_round_in_order_both_ways() {
        let (mut doc, _) = doc(50, 3);
        doc.clamp(4);
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push((doc.jump_failure(true, 4), doc.top.block));
        }
        assert_eq!(
            seen,
            vec![
                (Some((1, 3)), 2),
                (Some((2, 3)), 5),
                (Some((3, 3)), 40),
                (Some((1, 3)), 2)
            ]
        );
        assert_eq!(doc.jump_failure(false, 4), Some((3, 3)));
        assert_eq!(doc.jump_failure(false, 4), Some((2, 3)));
        // After scrolling by hand, the next jump starts from the view.
        doc.top = Pos { block: 20, row: 0 };
        assert_eq!(doc.jump_failure(true, 4), Some((3, 3)));
        doc.top = Pos { block: 20, row: 0 };
        assert_eq!(doc.jump_failure(false, 4), Some((2, 3)));
        let (mut none, _) = self::doc(3, 1);
        none.failures = Some(Vec::new());
        assert_eq!(none.jump_failure(true, 4), None);
    }

    #[test]
    fn search_counts_every_block_and_locates_rows() {
        let (mut doc, _) = doc(20, 3);
        doc.search(Needle::new("WORD").as_ref());
        assert_eq!(doc.matches.len(), 60);
        doc.set_key(LayoutKey::new(6, true));
        // "b7 l2 word" wraps as "b7 l2" / "word": the match is on the second row.
        let m = doc.matches[7 * 3 + 2];
        assert_eq!(
            doc.locate(m.block as usize, m.line, m.start),
            Pos { block: 7, row: 5 }
        );
        doc.go_to_match(23, 4);
        assert_eq!(doc.current, Some(23));
        let (end, _) = doc.advance(doc.top, 3);
        assert!(doc.top <= Pos { block: 7, row: 5 } && Pos { block: 7, row: 5 } <= end);
        assert!(doc.search(None));
        assert!(doc.matches.is_empty());
    }
}
