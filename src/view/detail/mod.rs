//! The detail pane's content: each tab of one open conversation laid out for a width, with scrolling and search.
//!
//! [`DetailView`] owns the layout state of one open conversation: per tab a
//! lazily built document (see `doc`), its scroll position, search matches and
//! failure cursor. The app calls [`DetailView::prepare`] from its pure update
//! after every change (and on resize) and [`DetailView::render`] from its
//! pure draw; render only reads what prepare laid out.

mod actions;
mod attachment_cursor;
mod attachments;
mod clock;
mod doc;
mod draw;
mod feedback;
mod header;
pub(crate) mod line;
pub(crate) mod markdown;
mod messages;
mod meta;
mod parts;
mod raw;
mod search;
mod summary;
mod tab;

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use self::attachment_cursor::Selected;
use self::doc::{Built, Doc, LayoutKey, Pos, Source};
use self::header::Header;
use self::parts::Ctx;
use self::search::Needle;
pub use self::tab::{Tab, TabSet};
pub use crate::format::human::Zone;
use crate::provider::ProviderKind;
use crate::provider::model::Conversation;
use crate::view::theme::Theme;

/// How to move the view of the current tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    Up(usize),
    Down(usize),
    HalfPageUp,
    HalfPageDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// Where a search stands in the current tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchStatus {
    /// How many matches the current tab has.
    pub matches: usize,
    /// Which one is current, 1-based (as shown: `3/17`); `None` before `n` is pressed on a fresh tab.
    pub current: Option<usize>,
}

impl fmt::Display for SearchStatus {
    /// `3/17`, `–/17` before a match is current, `no match`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.matches, self.current) {
            (0, _) => f.write_str("no match"),
            (n, Some(i)) => write!(f, "{i}/{n}"),
            (n, None) => write!(f, "–/{n}"),
        }
    }
}

/// One open conversation in the detail pane.
pub struct DetailView {
    conversation: Arc<Conversation>,
    ctx: Ctx,
    fetched_at: Option<DateTime<Utc>>,
    header: Header,
    /// Whose conversation it is: which tabs it has and how they read.
    kind: ProviderKind,
    tabs: TabSet,
    tab: Tab,
    docs: [Option<Doc>; Tab::ALL.len()],
    wrap: bool,
    /// The size of the whole pane, as last prepared.
    viewport: (u16, u16),
    needle: Option<Needle>,
    /// The message the vote keys act on, by index (the Messages tab's block).
    cursor: Option<usize>,
    /// With wrapping off, the columns of text scrolled off to the left (`←`/`→`).
    shift: u16,
    /// The attachment the Attachments tab's keys act on, by index in transcript order.
    attachment: usize,
}

impl DetailView {
    /// A view of an `AgentSight` conversation on its Messages tab (see
    /// [`Self::for_provider`] for others); nothing is laid out until [`Self::prepare`].
    #[must_use]
    pub fn new(conversation: Arc<Conversation>, zone: Zone, theme: Theme) -> Self {
        let ctx = Ctx { theme, zone };
        let header = header_for(ProviderKind::AgentSight, &conversation, ctx);
        let tabs = TabSet::AGENTSIGHT;
        Self {
            conversation,
            ctx,
            fetched_at: None,
            header,
            kind: ProviderKind::AgentSight,
            tabs,
            tab: tabs.first(),
            docs: Default::default(),
            wrap: true,
            viewport: (80, 24),
            needle: None,
            cursor: None,
            shift: 0,
            attachment: 0,
        }
    }

    /// When the conversation was fetched, so the Attachments tab can say until
    /// when its signed file URLs are valid (an hour later).
    #[must_use]
    pub fn with_fetched_at(mut self, fetched_at: DateTime<Utc>) -> Self {
        self.fetched_at = Some(fetched_at);
        self.docs[Tab::Attachments.index()] = None;
        self
    }

    /// The view of a conversation of this provider: its own tab set (`ChatDash`:
    /// Summary, Messages, Meta, Raw), header and labels, opened on the set's
    /// first tab.
    #[must_use]
    pub fn for_provider(mut self, kind: ProviderKind) -> Self {
        self.kind = kind;
        self.tabs = TabSet::of(kind);
        self.tab = self.tabs.first();
        self.header = header_for(kind, &self.conversation, self.ctx);
        self.docs = Default::default();
        self
    }

    /// The conversation shown.
    #[must_use]
    pub fn conversation(&self) -> &Arc<Conversation> {
        &self.conversation
    }

    /// Whose conversation it is.
    #[must_use]
    pub fn provider(&self) -> ProviderKind {
        self.kind
    }

    /// The tabs this view has, in order: tab `n` is `tabs()[n - 1]`.
    #[must_use]
    pub fn tabs(&self) -> &'static [Tab] {
        self.tabs.tabs()
    }

    /// The tab shown.
    #[must_use]
    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// Shows another tab; each keeps its own scroll position and search
    /// matches. A tab this view lacks (one remembered from another
    /// provider's view) shows the first tab instead.
    pub fn set_tab(&mut self, tab: Tab) {
        self.shift = 0;
        self.tab = if self.tabs.contains(tab) {
            tab
        } else {
            self.tabs.first()
        };
    }

    /// The tab the number key `n` selects (1-based), if the view has that many.
    #[must_use]
    pub fn tab_numbered(&self, n: u8) -> Option<Tab> {
        self.tabs.numbered(n)
    }

    /// The tab after the current one, wrapping after the last (`Tab`).
    #[must_use]
    pub fn next_tab(&self) -> Tab {
        self.tabs.next(self.tab)
    }

    /// The tab before the current one, wrapping before the first (`Shift-Tab`).
    #[must_use]
    pub fn prev_tab(&self) -> Tab {
        self.tabs.prev(self.tab)
    }

    /// The tab whose label is drawn at (`column`, `row`) of the pane (from
    /// its top-left corner, as last prepared), for mouse clicks.
    #[must_use]
    pub fn tab_at(&self, column: u16, row: u16) -> Option<Tab> {
        if row != header::TAB_BAR_ROW || row >= self.viewport.1 {
            return None;
        }
        self.header.tab_at(column, self.viewport.0, self.tab)
    }

    /// Whether the provider records action logs, so `e`/`E` have failures to
    /// look for (`ChatDash` does not).
    #[must_use]
    pub fn has_action_logs(&self) -> bool {
        self.tabs.contains(Tab::Actions)
    }

    /// Whether long lines wrap (`true`, the default) or are cut with `…`.
    #[must_use]
    pub fn wrap(&self) -> bool {
        self.wrap
    }

    /// Lays out what the current tab needs to show a pane of this size (the
    /// same size `render` will get): header and tab bar take three rows, the
    /// content the rest. Cheap when nothing changed.
    pub fn prepare(&mut self, width: u16, height: u16) {
        self.viewport = (width, height);
        let body = self.body_height();
        self.doc().clamp(body);
    }

    /// Draws the pane into `area`: the header, the tab bar and the visible rows
    /// of the current tab, as last prepared. Reads only; draws only what shows.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        self.header.draw(area, buf, self.tab);
        if area.height <= header::ROWS {
            return;
        }
        let Some(doc) = self.docs[self.tab.index()].as_ref() else {
            return;
        };
        let current = doc.current.and_then(|i| doc.matches.get(i)).copied();
        let cursor_block = match self.tab {
            Tab::Messages => self.cursor,
            // Block 0 is the note on the signed URLs; each file is a block after it.
            Tab::Attachments => self.attachment_cursor().map(|i| i + 1),
            _ => None,
        };
        let mut cursor_line = None;
        let bottom = area.bottom();
        let mut y = area.y + header::ROWS;
        let mut pos = doc.top;
        while y < bottom && pos.block < doc.len() {
            let Some((lines, rows)) = doc.laid_out(pos.block) else {
                break;
            };
            let block = line::offset(pos.block);
            if cursor_block == Some(pos.block) {
                // The marker goes on the message's header line: the one with the gutter.
                cursor_line = lines
                    .lines
                    .iter()
                    .position(|l| !l.lead.segs.is_empty())
                    .and_then(|i| u32::try_from(i).ok());
            }
            let block_hits = {
                let from = doc.matches.partition_point(|m| m.block < block);
                let to = doc.matches.partition_point(|m| m.block <= block);
                &doc.matches[from..to]
            };
            for row in rows.iter().skip(pos.row) {
                if y >= bottom {
                    break;
                }
                let Some(line) = lines.lines.get(row.line as usize) else {
                    continue;
                };
                let from = block_hits.partition_point(|m| m.line < row.line);
                let to = block_hits.partition_point(|m| m.line <= row.line);
                let how = draw::RowStyle {
                    theme: self.ctx.theme,
                    cut: !self.wrap,
                    hits: &block_hits[from..to],
                    current: current.filter(|c| c.block == block && c.line == row.line),
                    shift: self.shift,
                };
                draw::row(buf, area.x, y, area.width, line, *row, &how);
                if self.tab == Tab::Attachments {
                    if cursor_block == Some(pos.block) && row.line == 0 && !row.cont {
                        draw::attachment_mark(buf, area, y, self.ctx.theme);
                    }
                } else if cursor_block == Some(pos.block)
                    && !row.cont
                    && Some(row.line) == cursor_line
                {
                    draw::cursor_mark(buf, area, y, self.ctx.theme);
                }
                y += 1;
            }
            pos = Pos {
                block: pos.block + 1,
                row: 0,
            };
        }
    }

    /// Shows a newer copy of the same conversation (a write landed): the tab,
    /// each tab's scroll position, the search and the message cursor stay.
    pub fn replace(&mut self, conversation: Arc<Conversation>) {
        self.header = header_for(self.kind, &conversation, self.ctx);
        self.conversation = conversation;
        for (slot, tab) in self.docs.iter_mut().zip(Tab::ALL) {
            if let Some(old) = slot.take() {
                let mut doc = Doc::new(source(
                    tab,
                    self.kind,
                    &self.conversation,
                    self.ctx,
                    self.fetched_at,
                ));
                doc.top = old.top;
                *slot = Some(doc);
            }
        }
        let count = self.conversation.messages().len();
        self.cursor = self.cursor.filter(|i| *i < count);
        self.attachment = self
            .attachment
            .min(self.conversation.attachments().count().saturating_sub(1));
    }

    /// The message the cursor is on, with its index.
    #[must_use]
    pub fn message_cursor(&self) -> Option<(usize, &crate::provider::model::Message)> {
        let at = self.cursor?;
        self.conversation.messages().get(at).map(|m| (at, m))
    }

    /// The message a key about "this message" acts on: the `▶` cursor's, else
    /// the first in view of the Messages tab (`None` without messages).
    pub fn message_in_view(&mut self) -> Option<usize> {
        let count = self.conversation.messages().len();
        if count == 0 {
            return None;
        }
        if let Some(at) = self.cursor {
            return Some(at.min(count - 1));
        }
        let tab = self.tab;
        self.tab = Tab::Messages;
        let top = self.doc().top;
        self.tab = tab;
        let first = if top.row == 0 {
            top.block
        } else {
            top.block + 1
        };
        Some(first.min(count - 1))
    }

    /// `}`/`{`: the next or previous message on the Messages tab, scrolled to.
    /// A cursor scrolled out of sight starts again from the first message in
    /// view. Returns the message's number (1-based) and how many there are;
    /// `None` off the Messages tab or without messages.
    pub fn move_message_cursor(&mut self, forward: bool) -> Option<(usize, usize)> {
        let count = self.conversation.messages().len();
        if self.tab != Tab::Messages || count == 0 {
            return None;
        }
        let height = self.body_height();
        let cursor = self.cursor;
        let doc = self.doc();
        let top = doc.top;
        let (end, _) = doc.advance(top, height.saturating_sub(1));
        let first_in_view = if top.row == 0 {
            top.block
        } else {
            top.block + 1
        };
        let in_view = |i: usize| {
            let at = Pos { block: i, row: 0 };
            at >= top && at <= end
        };
        let next = match cursor {
            Some(i) if in_view(i) && forward => (i + 1).min(count - 1),
            Some(i) if in_view(i) => i.saturating_sub(1),
            _ => first_in_view.min(count - 1),
        };
        doc.reveal(
            Pos {
                block: next,
                row: 0,
            },
            height,
            1,
        );
        self.cursor = Some(next);
        Some((next + 1, count))
    }

    /// Puts the message cursor on the message with this pk, on the Messages
    /// tab, scrolled to (a vote opened from the feedback screen). False when
    /// the conversation has no such message.
    pub fn cursor_to_message(&mut self, pk: i64) -> bool {
        let Some(at) = self
            .conversation
            .messages()
            .iter()
            .position(|m| m.id == Some(pk))
        else {
            return false;
        };
        self.set_tab(Tab::Messages);
        let height = self.body_height();
        self.doc().reveal(Pos { block: at, row: 0 }, height, 1);
        self.cursor = Some(at);
        true
    }

    /// Moves the current tab's view; never past the last row.
    pub fn scroll(&mut self, how: Scroll) {
        let height = self.body_height();
        let half = (height / 2).max(1);
        let page = height.saturating_sub(1).max(1);
        let doc = self.doc();
        let top = doc.top;
        doc.top = match how {
            Scroll::Up(n) => doc.retreat(top, n),
            Scroll::Down(n) => doc.advance(top, n).0,
            Scroll::HalfPageUp => doc.retreat(top, half),
            Scroll::HalfPageDown => doc.advance(top, half).0,
            Scroll::PageUp => doc.retreat(top, page),
            Scroll::PageDown => doc.advance(top, page).0,
            Scroll::Top => Pos::default(),
            Scroll::Bottom => doc.bottom(height),
        };
        doc.clamp(height);
        self.keep_cursor_in_view();
    }

    /// After a scroll the message cursor stays on screen: a cursor scrolled
    /// off the top moves to the first message in view, off the bottom to the
    /// last, so `+`/`-`/`=` never vote on a message out of sight.
    fn keep_cursor_in_view(&mut self) {
        let Some(cursor) = self.cursor.filter(|_| self.tab == Tab::Messages) else {
            return;
        };
        let height = self.body_height();
        let doc = self.doc();
        let top = doc.top;
        let (end, _) = doc.advance(top, height.saturating_sub(1));
        let moved = if cursor < top.block {
            // A header in view below the top, else the message filling the screen.
            if top.row > 0 && top.block < end.block {
                top.block + 1
            } else {
                top.block
            }
        } else if cursor > end.block {
            end.block
        } else {
            cursor
        };
        self.cursor = Some(moved);
    }

    /// `w`: wraps long lines, or cuts them with `…`; returns whether it now wraps.
    pub fn toggle_wrap(&mut self) -> bool {
        self.wrap = !self.wrap;
        self.shift = 0;
        self.wrap
    }

    /// With wrapping off, how many columns the text is scrolled to the left.
    #[must_use]
    pub fn shift(&self) -> u16 {
        self.shift
    }

    /// `→`/`←` with wrapping off: scrolls the cut lines sideways by half the
    /// pane, right no further than the end of the longest row in view shows.
    /// Returns whether anything moved.
    pub fn scroll_sideways(&mut self, right: bool) -> bool {
        if self.wrap {
            return false;
        }
        let step = (self.viewport.0 / 2).max(1);
        let before = self.shift;
        self.shift = if right {
            self.shift.saturating_add(step).min(self.widest_overflow())
        } else {
            self.shift.saturating_sub(step)
        };
        // Past the end already (the view scrolled down to shorter lines): no jump back right.
        if right && self.shift < before {
            self.shift = before;
        }
        self.shift != before
    }

    /// How far the rows in view reach past the pane's right edge, counting
    /// the `…` that stands for the hidden left part: the most `shift` can be.
    fn widest_overflow(&self) -> u16 {
        let Some(doc) = self.docs[self.tab.index()].as_ref() else {
            return 0;
        };
        let mut widest = 0usize;
        let mut left = self.body_height();
        let mut pos = doc.top;
        while left > 0 && pos.block < doc.len() {
            let Some((lines, rows)) = doc.laid_out(pos.block) else {
                break;
            };
            for row in rows.iter().skip(pos.row).take(left) {
                left -= 1;
                let Some(line) = lines.lines.get(row.line as usize) else {
                    continue;
                };
                let lead = if row.cont { &line.cont } else { &line.lead };
                let text = line
                    .text
                    .get(row.start as usize..row.end as usize)
                    .unwrap_or_default();
                let avail = usize::from(self.viewport.0.saturating_sub(lead.width));
                widest = widest.max((crate::text::width(text) + 1).saturating_sub(avail));
            }
            pos = Pos {
                block: pos.block + 1,
                row: 0,
            };
        }
        u16::try_from(widest).unwrap_or(u16::MAX)
    }

    /// Searches the current tab's whole text, case-insensitively; the first
    /// match at or below the top of the view becomes current and is scrolled
    /// to. An empty query clears the search (in every tab).
    pub fn search(&mut self, text: &str) -> SearchStatus {
        self.needle = Needle::new(text);
        let height = self.body_height();
        let doc = self.doc();
        if let Some(first) = doc.first_match_in_view() {
            doc.go_to_match(first, height);
        }
        self.search_status()
    }

    /// The current tab's search status (after a tab switch, for instance).
    #[must_use]
    pub fn search_status(&self) -> SearchStatus {
        self.docs[self.tab.index()]
            .as_ref()
            .filter(|_| self.needle.is_some())
            .map(|doc| SearchStatus {
                matches: doc.matches.len(),
                current: doc.current.map(|i| i + 1),
            })
            .unwrap_or_default()
    }

    /// `n`: the next match (after the last, the first), scrolled to.
    pub fn next_match(&mut self) -> SearchStatus {
        self.step_match(true)
    }

    /// `N`: the previous match (before the first, the last), scrolled to.
    pub fn prev_match(&mut self) -> SearchStatus {
        self.step_match(false)
    }

    fn step_match(&mut self, forward: bool) -> SearchStatus {
        let height = self.body_height();
        let doc = self.doc();
        let total = doc.matches.len();
        if total > 0 {
            let next = match doc.current {
                Some(i) if forward => (i + 1) % total,
                Some(i) => (i + total - 1) % total,
                None => doc.first_match_in_view().unwrap_or(0),
            };
            doc.go_to_match(next, height);
        }
        self.search_status()
    }

    /// `e`: the next failed action (after the last, the first) — in the Actions
    /// tab when it is shown, else in Messages (switching to it). Returns
    /// (which, 1-based, of how many); `None` when nothing failed, or when
    /// the provider records no actions (`ChatDash`: the tab stays as it is).
    pub fn next_failure(&mut self) -> Option<(usize, usize)> {
        self.jump_failure(true)
    }

    /// `E`: the previous failed action, as [`Self::next_failure`].
    pub fn prev_failure(&mut self) -> Option<(usize, usize)> {
        self.jump_failure(false)
    }

    /// Before `e` from the list: the failure tab (Actions when shown, else
    /// Messages) back to its top, so the next jump finds the first failed action.
    pub fn rewind_failures(&mut self) {
        if !self.has_action_logs() {
            return;
        }
        if self.tab != Tab::Actions {
            self.tab = Tab::Messages;
        }
        self.doc().rewind();
    }

    fn jump_failure(&mut self, forward: bool) -> Option<(usize, usize)> {
        if !self.has_action_logs() {
            // Nothing to find, and no tab to switch to.
            return None;
        }
        if self.tab != Tab::Actions {
            self.tab = Tab::Messages;
        }
        let height = self.body_height();
        self.doc().jump_failure(forward, height)
    }

    /// Where the current tab's content goes in a pane drawn at `area`: below the header and tab bar.
    #[must_use]
    pub fn body_area(area: Rect) -> Rect {
        let rows = header::ROWS.min(area.height);
        Rect::new(area.x, area.y + rows, area.width, area.height - rows)
    }

    fn body_height(&self) -> usize {
        usize::from(self.viewport.1.saturating_sub(header::ROWS)).max(1)
    }

    /// The current tab's document, built on first use and set to the current
    /// layout and search.
    fn doc(&mut self) -> &mut Doc {
        let tab = self.tab;
        let key = LayoutKey::new(self.viewport.0, self.wrap);
        let slot = &mut self.docs[tab.index()];
        let doc = match slot {
            Some(doc) => doc,
            None => slot.insert(Doc::new(source(
                tab,
                self.kind,
                &self.conversation,
                self.ctx,
                self.fetched_at,
            ))),
        };
        doc.set_key(key);
        doc.search(self.needle.as_ref());
        doc
    }
}

/// The header a provider's conversation shows.
fn header_for(kind: ProviderKind, conversation: &Conversation, ctx: Ctx) -> Header {
    match kind {
        ProviderKind::AgentSight => {
            let tally = actions::Tally::of(conversation);
            let attachments = conversation.attachments().count();
            Header::agentsight(conversation, ctx, tally, attachments)
        }
        ProviderKind::ChatDash => Header::chatdash(conversation, ctx),
    }
}

/// What a tab's document is made from.
fn source(
    tab: Tab,
    kind: ProviderKind,
    conversation: &Arc<Conversation>,
    ctx: Ctx,
    fetched_at: Option<DateTime<Utc>>,
) -> Box<dyn Source> {
    match tab {
        Tab::Summary => Box::new(Built(summary::blocks(conversation, ctx))),
        Tab::Messages => Box::new(messages::Messages::new(Arc::clone(conversation), ctx, kind)),
        Tab::Actions => Box::new(actions::Actions::new(Arc::clone(conversation), ctx)),
        Tab::Feedback => Box::new(Built(feedback::blocks(conversation, ctx))),
        Tab::Attachments => Box::new(Built(attachments::blocks(conversation, ctx, fetched_at))),
        Tab::Meta => Box::new(Built(match kind {
            ProviderKind::AgentSight => meta::blocks(conversation, ctx),
            ProviderKind::ChatDash => meta::chatdash_blocks(conversation, ctx),
        })),
        Tab::Raw => Box::new(raw::Raw::new(conversation, ctx.theme)),
        // The Trace tab's body is the waterfall (`view::trace`), drawn over the empty document.
        Tab::Trace => Box::new(Built(Vec::new())),
    }
}
