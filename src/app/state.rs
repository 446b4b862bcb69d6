//! Everything the browser shows and knows, owned by the loop and changed only by `update`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tui_input::Input;

use super::cache::ConversationCache;
use super::field::{CUT_NOTICE, Edit};
use super::filter::FilterPanel;
use super::form::Form;
use super::keymap::Keymap;
use super::log::{LogOverlay, MessageLog};
use super::msg::Generation;
use super::screens::{Screen, Screens};
use super::writes::Writes;
use crate::config::SavedView;
use crate::config::columns::Column;
use crate::session::profiles::ProfileEntry;

use crate::provider::{Conversation, ConversationRef, Page, Query};
use crate::session::Source;
use crate::view::detail::{DetailView, SearchStatus, Zone};
use crate::view::rows::RowText;
use crate::view::theme::Theme;

/// How many pages of the current query are kept (the page on screen, its neighbours, the prefetched one).
pub const PAGE_CACHE: usize = 6;

/// Which pane has the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The list of conversations.
    List,
    /// The open conversation.
    Detail,
}

/// A line in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The text, one line.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// What to do with the selection when the page being loaded lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landing {
    /// Keep the row index (clamped): refresh.
    Keep,
    /// The first row: a new query, `]`, `PageDown` past the end.
    First,
    /// The last row: `[`, `PageUp` before the start.
    Last,
    /// The first row, opened: `J` across a page boundary.
    OpenFirst,
    /// The last row, opened: `K` across a page boundary.
    OpenLast,
}

/// The list pane.
#[derive(Debug)]
pub struct ListState {
    /// Rows per page asked for.
    pub page_size: u32,
    /// The page on screen; it stays while the next one loads.
    pub shown: Option<Page>,
    /// Its rows as the list draws them, made when it landed.
    pub texts: Vec<RowText>,
    /// The selected row of the page on screen.
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// The generation of the latest list fetch.
    pub generation: Generation,
    /// The page being fetched, if any.
    pub loading: Option<u32>,
    /// Where the selection goes when it lands.
    pub landing: Landing,
    /// Bumped when the query changes or on refresh: pages (and prefetches) of older epochs are dropped.
    pub epoch: Generation,
    /// The page being prefetched, if any.
    pub prefetching: Option<u32>,
    /// Pages of the current epoch by number.
    pub pages: BTreeMap<u32, Page>,
    /// Bumped whenever the selection moves; the settle timer carries it.
    pub settle: Generation,
    /// Whether the last fetch of the page on screen failed (the pane says so when it has no rows).
    pub failed: bool,
    /// Who asked for the list fetch in flight, when it is a refresh (`r` or
    /// the watch); any other list fetch clears it.
    pub refresh: Option<super::watch::Refresh>,
}

impl ListState {
    fn new(page_size: u32) -> Self {
        Self {
            page_size,
            shown: None,
            texts: Vec::new(),
            selected: 0,
            offset: 0,
            generation: 0,
            loading: None,
            landing: Landing::First,
            epoch: 0,
            prefetching: None,
            pages: BTreeMap::new(),
            settle: 0,
            failed: false,
            refresh: None,
        }
    }

    /// Forgets every page (a profile switch). The counters go on, so replies
    /// to anything asked before are dropped when they arrive.
    pub fn forget(&mut self) {
        let fresh = Self::new(self.page_size);
        *self = Self {
            generation: self.generation + 1,
            epoch: self.epoch + 1,
            settle: self.settle + 1,
            ..fresh
        };
    }

    /// Puts a page on screen, its rows' text made for `zone`.
    pub fn show(&mut self, page: Page, zone: Zone) {
        self.texts = page
            .conversations
            .iter()
            .map(|row| RowText::of(row, zone))
            .collect();
        self.shown = Some(page);
    }

    /// The rows on screen.
    #[must_use]
    pub fn rows(&self) -> &[Conversation] {
        self.shown
            .as_ref()
            .map_or(&[], |p| p.conversations.as_slice())
    }

    /// The selected row.
    #[must_use]
    pub fn selected_row(&self) -> Option<&Conversation> {
        self.rows().get(self.selected)
    }

    /// The number of the page on screen (1 before any has landed).
    #[must_use]
    pub fn page_number(&self) -> u32 {
        self.shown.as_ref().map_or(1, |p| p.page)
    }

    /// Keeps a page of the current epoch, dropping the farthest from the page on screen when full.
    pub fn remember(&mut self, page: Page) {
        let here = page.page;
        self.pages.insert(page.page, page);
        while self.pages.len() > PAGE_CACHE {
            let farthest = self.pages.keys().copied().max_by_key(|n| n.abs_diff(here));
            match farthest {
                Some(n) => self.pages.remove(&n),
                None => break,
            };
        }
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        let len = self.rows().len();
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// The detail pane.
#[derive(Default)]
pub struct DetailState {
    /// The conversation shown, laid out.
    pub view: Option<DetailView>,
    /// The generation of the latest detail fetch.
    pub generation: Generation,
    /// The conversation being fetched, if any.
    pub loading: Option<ConversationRef>,
    /// The search typed last, and where it stands.
    pub search: Option<(String, SearchStatus)>,
    /// The detail fetch (by generation) that should land on its first failed action (`e` from the list).
    pub to_failure: Option<Generation>,
}

impl std::fmt::Debug for DetailState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetailState")
            .field(
                "view",
                &self.view.as_ref().map(|v| v.conversation().display_id()),
            )
            .field("generation", &self.generation)
            .field("loading", &self.loading)
            .field("search", &self.search)
            .field("to_failure", &self.to_failure)
            .finish()
    }
}

impl DetailState {
    /// Whether the pane shows (or is about to show) this conversation.
    #[must_use]
    pub fn shows(&self, row: &Conversation) -> bool {
        self.view
            .as_ref()
            .is_some_and(|v| same(v.conversation(), row))
    }
}

/// Whether two records are the same conversation (by pk, else by id).
#[must_use]
pub fn same(a: &Conversation, b: &Conversation) -> bool {
    match (a.id, b.id) {
        (Some(x), Some(y)) => x == y,
        _ => a.conversation_id.is_some() && a.conversation_id == b.conversation_id,
    }
}

/// A question asked in the status line.
#[derive(Clone, Debug)]
pub enum Prompt {
    /// `/`: the search text being typed.
    Search(Input),
    /// `/` in the list: the list's search being typed (Enter applies it).
    ListSearch(Input),
    /// `s`: Markdown or JSON?
    Save,
    /// `:`: a conversation id to open; `platform` reads it as a `ChatDash` platform id.
    Open {
        /// What is typed.
        input: Input,
        /// Whether it is a platform id (Tab toggles, `ChatDash` only).
        platform: bool,
    },
    /// `c` on the tickets screen: a comment for the ticket.
    Comment {
        /// The ticket's id.
        ticket: i64,
        /// What is typed.
        input: Input,
    },
}

/// The `?` overlay.
#[derive(Clone, Debug, Default)]
pub struct HelpOverlay {
    /// What was typed to narrow the list.
    pub filter: Input,
    /// The first row shown.
    pub offset: usize,
}

/// What a picker chooses from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    /// `P`: the config's profiles.
    Profile,
    /// `v`: the saved views for the provider in use.
    View,
    /// `S` on the tickets screen: this ticket's new status.
    TicketStatus(i64),
    /// `p` on the tickets screen: this ticket's new priority.
    TicketPriority(i64),
}

/// One choice in a picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickItem {
    /// Its name.
    pub label: String,
    /// What it is: a profile's API and host, a view's filters.
    pub detail: String,
    /// Whether it is the one in use (marked, and chosen first).
    pub current: bool,
}

/// A small list over the panes to choose one thing from (profiles, saved views).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    /// What is being chosen.
    pub kind: PickKind,
    /// The choices, in config order.
    pub items: Vec<PickItem>,
    /// The highlighted one.
    pub selected: usize,
}

/// How the browser starts.
#[derive(Clone, Debug)]
pub struct Init {
    /// Where the data comes from, for the header.
    pub source: Source,
    /// An empty query over the provider's filters.
    pub query: Query,
    /// Rows per page.
    pub page_size: u32,
    /// Colours.
    pub theme: Theme,
    /// Which clock times are shown in.
    pub zone: Zone,
    /// Whether the mouse is on.
    pub mouse: bool,
    /// The terminal's size.
    pub size: (u16, u16),
    /// Where the log goes (the help overlay says so).
    pub log_file: Option<PathBuf>,
}

/// The whole state of the browser.
#[derive(Debug)]
pub struct State {
    /// Where the data comes from.
    pub source: Source,
    /// Colours.
    pub theme: Theme,
    /// Which clock times are shown in.
    pub zone: Zone,
    /// What the keys do.
    pub keymap: Keymap,
    /// Whether wheel and clicks are handled.
    pub mouse: bool,
    /// The terminal's columns and rows.
    pub size: (u16, u16),
    /// Which pane has the keys.
    pub focus: Focus,
    /// The filters in force (what the list shows).
    pub query: Query,
    /// The filter panel, when open.
    pub filter: Option<FilterPanel>,
    /// The help overlay, when open.
    pub help: Option<HelpOverlay>,
    /// A question in the status line, when asked.
    pub prompt: Option<Prompt>,
    /// The list pane.
    pub list: ListState,
    /// The detail pane.
    pub detail: DetailState,
    /// Opened conversations, bounded.
    pub cache: ConversationCache,
    /// The list rows' extra columns, filled in the background.
    pub enrich: super::enrich::Enrichment,
    /// The retry said in the status bar, and the fetch it is for: cleared
    /// when that fetch answers, so it never outlives the wait it announced.
    pub retry_said: Option<(super::cmd::FetchKind, String)>,
    /// The latest notice or error.
    pub status: Option<Status>,
    /// Every notice and error said lately, whole (`L` opens it).
    pub log: MessageLog,
    /// The message log overlay, when open.
    pub log_view: Option<LogOverlay>,
    /// The spinner's frame.
    pub spinner: usize,
    /// Set when the loop should end.
    pub quit: bool,
    /// Where the log goes.
    pub log_file: Option<PathBuf>,
    /// The saved views of the config, for every provider (`v` offers those of the one in use).
    pub views: Vec<SavedView>,
    /// The profiles `P` offers (empty: switching is not possible here).
    pub profiles: Vec<ProfileEntry>,
    /// The config file, for hints about adding profiles or views.
    pub config_path: Option<PathBuf>,
    /// The profile or view picker, when open.
    pub picker: Option<Picker>,
    /// The profile being connected to, if any; a newer switch makes it stale.
    pub switching: Option<String>,
    /// Bumped on every profile switch asked for.
    pub switch_generation: Generation,
    /// Which screen has the main area.
    pub screen: Screen,
    /// The tickets and feedback screens, each keeping its own list and filters
    /// (boxed: the loop's future holds the state, and it has a size budget).
    pub screens: Box<Screens>,
    /// The writes in flight and what the key may do.
    pub writes: Writes,
    /// A form or question over the panes (rename, feedback, vote, ticket, delete), when open.
    pub form: Option<Form>,
    /// The Trace tab of the open conversation (boxed, as the screens are).
    pub trace: Box<super::trace::TraceState>,
    /// The list's columns from `[columns]`; `None`: the provider's own.
    pub columns: Option<Vec<Column>>,
    /// The attachment preview, a save under way, text shown whole (boxed, as the screens are).
    pub attachments: Box<super::attachments::Attachments>,
    /// Auto-refresh (`a`, `--watch`): off unless asked for.
    pub watch: super::watch::Watch,
}

impl State {
    /// The list's columns in the order they are drawn (before fitting).
    #[must_use]
    pub fn list_columns(&self) -> &[Column] {
        self.columns
            .as_deref()
            .unwrap_or_else(|| Column::defaults(self.source.provider.kind))
    }

    /// The state before anything has loaded.
    #[must_use]
    pub fn new(init: Init) -> Self {
        Self {
            source: init.source,
            theme: init.theme,
            zone: init.zone,
            keymap: Keymap::default(),
            mouse: init.mouse,
            size: init.size,
            focus: Focus::List,
            query: init.query,
            filter: None,
            help: None,
            prompt: None,
            list: ListState::new(init.page_size.max(1)),
            detail: DetailState::default(),
            cache: ConversationCache::default(),
            enrich: super::enrich::Enrichment::default(),
            retry_said: None,
            status: None,
            log: MessageLog::default(),
            log_view: None,
            spinner: 0,
            quit: false,
            log_file: init.log_file,
            views: Vec::new(),
            profiles: Vec::new(),
            config_path: None,
            picker: None,
            switching: None,
            switch_generation: 0,
            screen: Screen::Conversations,
            screens: Box::new(Screens::new(init.page_size)),
            writes: Writes::default(),
            form: None,
            trace: Box::default(),
            columns: None,
            attachments: Box::default(),
            watch: super::watch::Watch::default(),
        }
    }

    /// Whether anything the user waits on is in flight (the spinner turns,
    /// the tick runs). The rows filled in the background are not: their
    /// columns show `⋯` until known, and nobody waits on them.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.list.loading.is_some()
            || self.list.prefetching.is_some()
            || self.detail.loading.is_some()
            || self.switching.is_some()
            || self.screens.busy()
            || !self.writes.in_flight.is_empty()
            || self.trace.busy()
            || self.attachments.busy()
    }

    /// Tells the user a field left text out (a paste too long, a key at the limit).
    pub fn say_if_cut(&mut self, edit: Edit) {
        if edit == Edit::Cut {
            self.notice(CUT_NOTICE);
        }
    }

    /// Shows a notice in the status bar.
    pub fn notice(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.log.push(&text, false);
        self.status = Some(Status { text, error: false });
    }

    /// Shows an error in the status bar.
    pub fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.log.push(&text, true);
        self.status = Some(Status { text, error: true });
    }

    /// The conversation the copy/open/save keys act on: the open one in the
    /// detail pane, else the selected row.
    #[must_use]
    pub fn target(&self) -> Option<&Conversation> {
        match (self.focus, &self.detail.view) {
            (Focus::Detail, Some(view)) => Some(view.conversation()),
            _ => self.list.selected_row(),
        }
    }
}
