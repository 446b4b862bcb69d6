//! Keys as data: which key does what in which pane, so the help overlay, the status hints and (later) the config all read one table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for outside a text field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection (or scroll) down one.
    Down,
    /// Up one.
    Up,
    /// To the first row (top of the pane).
    Top,
    /// To the last row (bottom of the pane).
    Bottom,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// A page down; in the list, past the last row loads the next page.
    PageDown,
    /// A page up; in the list, before the first row loads the previous page.
    PageUp,
    /// The next page of results.
    NextPage,
    /// The previous page of results.
    PrevPage,
    /// Open the selected conversation.
    Open,
    /// Back to the list.
    Back,
    /// From the detail pane: the next conversation of the list.
    NextConversation,
    /// From the detail pane: the previous conversation of the list.
    PrevConversation,
    /// The next failed action.
    NextFailure,
    /// The previous failed action.
    PrevFailure,
    /// The next pane or tab.
    NextTab,
    /// The previous pane or tab.
    PrevTab,
    /// Jump to a tab, 0-based.
    GoTab(u8),
    /// The filter panel.
    Filter,
    /// Clear every filter.
    ClearFilters,
    /// Pick a saved view (a set of filters from the config).
    PickView,
    /// Switch to another profile of the config.
    SwitchProfile,
    /// Open a conversation by typing its id.
    OpenById,
    /// Search the open conversation.
    Search,
    /// The next search match.
    NextMatch,
    /// The previous search match.
    PrevMatch,
    /// Reload the list and the open conversation.
    Refresh,
    /// Copy the conversation id.
    CopyId,
    /// Copy the dashboard URL.
    CopyUrl,
    /// Open the dashboard URL (or show it).
    OpenUrl,
    /// Save the open conversation.
    Save,
    /// Wrap long lines or not.
    ToggleWrap,
    /// The help overlay.
    Help,
    /// Quit (from the detail pane: back first).
    Quit,
    /// Quit from anywhere.
    ForceQuit,
    /// Suspend to the shell.
    Suspend,
    /// Show the conversation list (the first screen).
    ShowConversations,
    /// Show the tickets screen.
    ShowTickets,
    /// Show the feedback screen.
    ShowFeedback,
    /// Show the usage screen.
    ShowUsage,
    /// On the usage screen: dollars or euros.
    ToggleCurrency,
    /// On the tickets screen: comment on the ticket.
    CommentTicket,
    /// On the tickets screen: change the ticket's status.
    TicketStatus,
    /// On the tickets screen: change the ticket's priority.
    TicketPriority,
    /// On the tickets and feedback screens: open the row's conversation.
    OpenConversation,
    /// Mark or unmark the conversation.
    Mark,
    /// Rename the conversation.
    Rename,
    /// Soft-delete the conversation (after a y/N question).
    Delete,
    /// Positive feedback (on the message under the cursor: a vote).
    FeedbackPositive,
    /// Negative feedback (on the message under the cursor: a vote).
    FeedbackNegative,
    /// Neutral feedback (on the message under the cursor: a vote).
    FeedbackNeutral,
    /// File a ticket about the conversation.
    FileTicket,
    /// The message cursor to the next message.
    NextMessage,
    /// The message cursor to the previous message.
    PrevMessage,
    /// The Trace tab, on the turn of the message under the cursor.
    TraceOfMessage,
    /// The log of every notice and error said lately, whole.
    MessageLog,
    /// With long lines cut (wrap off): scroll them left; else back to the list.
    ScrollLeft,
    /// With long lines cut (wrap off): scroll them right.
    ScrollRight,
    /// Preview the attachment under the cursor (Attachments tab) or the `▶` message's first chip.
    PreviewAttachment,
    /// In the list: filter it by a search over names, ids, customers and messages.
    SearchList,
    /// In the list: drop the list's search.
    ClearSearch,
    /// In the list: sort by the next column.
    SortNext,
    /// In the list: sort by the previous column.
    SortPrev,
    /// In the list: reverse the sort.
    SortReverse,
    /// In the list: open the selected conversation on its first failed action.
    OpenFailure,
    /// Refresh the list periodically, or stop.
    Watch,
}

impl Action {
    /// What it does, for the help overlay.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::Down => "move down",
            Self::Up => "move up",
            Self::Top => "first row / top",
            Self::Bottom => "last row / bottom",
            Self::HalfPageDown => "half a page down",
            Self::HalfPageUp => "half a page up",
            Self::PageDown => "a page down (past the last row: next page)",
            Self::PageUp => "a page up (before the first row: previous page)",
            Self::NextPage => "next page of results",
            Self::PrevPage => "previous page of results",
            Self::Open => "open the selected conversation",
            Self::Back => "back to the list (keeps filters, page, selection)",
            Self::NextConversation => "next conversation of the list (crosses pages)",
            Self::PrevConversation => "previous conversation of the list (crosses pages)",
            Self::NextFailure => "next failed action",
            Self::PrevFailure => "previous failed action",
            Self::NextTab => "next pane or tab",
            Self::PrevTab => "previous tab",
            Self::GoTab(0) => "tab 1: Messages (ChatDash: Summary)",
            Self::GoTab(1) => "tab 2: Actions (ChatDash: Messages)",
            Self::GoTab(2) => "tab 3: Feedback (ChatDash: Meta)",
            Self::GoTab(3) => "tab 4: Attachments (ChatDash: Raw)",
            Self::GoTab(4) => "tab 5: Meta",
            Self::GoTab(5) => "tab 6: Raw",
            Self::GoTab(_) => "tab 7: Trace (AgentSight's spans as a waterfall)",
            Self::Filter => "filter panel",
            Self::ClearFilters => "clear all filters",
            Self::PickView => "pick a saved view (also in the filter panel)",
            Self::SwitchProfile => "switch profile (the list reloads)",
            Self::OpenById => "open by id or pk (tab: ChatDash platform id)",
            Self::Search => "search the open conversation",
            Self::NextMatch => "next search match",
            Self::PrevMatch => "previous search match",
            Self::Refresh => "refresh the list and the open conversation",
            Self::CopyId => "copy the conversation id",
            Self::CopyUrl => {
                "copy the dashboard URL (Attachments tab, preview: the file's fresh link)"
            }
            Self::OpenUrl => {
                "open in the web dashboard, or show the URL (Attachments tab, preview: the file's link)"
            }
            Self::Save => {
                "save the conversation, Markdown or JSON (Attachments tab, preview: the file) into the save directory"
            }
            Self::ToggleWrap => "wrap long lines or not",
            Self::Help => "this help",
            Self::Quit => "quit (in the detail pane, a thread or a screen: back first)",
            Self::ForceQuit => "quit from anywhere",
            Self::Suspend => "suspend to the shell (fg to resume)",
            Self::ShowConversations => "screen: conversations",
            Self::ShowTickets => "screen: tickets",
            Self::ShowFeedback => "screen: feedback",
            Self::ShowUsage => "screen: usage (spend by day, model, conversation)",
            Self::ToggleCurrency => "usage: dollars or euros",
            Self::CommentTicket => "tickets: comment on the ticket",
            Self::TicketStatus => "tickets: change the status",
            Self::TicketPriority => "tickets: change the priority",
            Self::OpenConversation => "tickets, feedback: open its conversation",
            Self::Mark => "mark or unmark the conversation ★",
            Self::Rename => "rename the conversation",
            Self::Delete => "delete the conversation (asks y/N; soft)",
            Self::FeedbackPositive => "positive feedback (on the ▶ message: a vote)",
            Self::FeedbackNegative => "negative feedback (on the ▶ message: a vote)",
            Self::FeedbackNeutral => "neutral feedback (on the ▶ message: a vote)",
            Self::FileTicket => "file a ticket about the conversation",
            Self::NextMessage => "message cursor ▶ to the next message",
            Self::PrevMessage => "message cursor ▶ to the previous message",
            Self::TraceOfMessage => {
                "the Trace tab on the ▶ message's turn (there: enter attributes, p payload, e/E errors)"
            }
            Self::MessageLog => "the messages said lately, whole (a cut status line ends in …)",
            Self::ScrollLeft => "wrap off (w): long lines sideways, left; wrap on: back",
            Self::ScrollRight => "wrap off (w): long lines sideways, right",
            Self::PreviewAttachment => {
                "attachment: preview the selected file (tab 4: j/k select it) or the ▶ message's first chip"
            }
            Self::SearchList => "filter the list: a search over names, ids, customers and messages",
            Self::ClearSearch => "clear the list's search",
            Self::SortNext => "sort the list by the next column",
            Self::SortPrev => "sort the list by the previous column",
            Self::SortReverse => "reverse the list's sort",
            Self::OpenFailure => "open the selected conversation on its first failed action",
            Self::Watch => "auto-refresh the list on/off (• marks rows new since the last look)",
        }
    }
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Both panes.
    Global,
    /// The list pane.
    List,
    /// The detail pane.
    Detail,
}

impl Scope {
    /// A short name for the help overlay.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Global => "",
            Self::List => "list",
            Self::Detail => "detail",
        }
    }
}

/// A key with its modifiers, as bindings name it (`ctrl-d`, `J`, `pgdn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Control and Alt only: Shift is already in the character.
    pub mods: KeyModifiers,
}

impl Key {
    /// The key of an event, with Shift folded into characters and `BackTab`.
    #[must_use]
    pub fn of(event: &KeyEvent) -> Self {
        let mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            code => code,
        };
        Self { code, mods }
    }

    /// Reads `j`, `J`, `ctrl-d`, `alt-x`, `enter`, `esc`, `tab`, `backtab`,
    /// `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`,
    /// `backspace`, `delete`, `space`, `f1`…`f12`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            c => {
                let mut chars = c.chars();
                let ch = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    ch.to_ascii_lowercase()
                } else {
                    ch
                })
            }
        };
        Some(Self { code, mods })
    }

    /// How the key reads in hints: `j`, `↓`, `ctrl-d`, `enter`.
    #[must_use]
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".to_owned(),
            KeyCode::Esc => "esc".to_owned(),
            KeyCode::Tab => "tab".to_owned(),
            KeyCode::BackTab => "shift-tab".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "home".to_owned(),
            KeyCode::End => "end".to_owned(),
            KeyCode::PageUp => "pgup".to_owned(),
            KeyCode::PageDown => "pgdn".to_owned(),
            KeyCode::Backspace => "backspace".to_owned(),
            KeyCode::Delete => "delete".to_owned(),
            KeyCode::F(n) => format!("f{n}"),
            other => format!("{other:?}").to_lowercase(),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        out.push_str(&base);
        out
    }
}

/// One key bound to one action in one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The key.
    pub key: Key,
    /// What it does.
    pub action: Action,
    /// Where.
    pub scope: Scope,
}

/// The bindings in force, looked up by scope (the pane's own first, then global).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

/// The embedded defaults: product.md §3. Order is the help overlay's order.
pub const DEFAULT_BINDINGS: &[(&str, Action, Scope)] = &[
    ("j", Action::Down, Scope::Global),
    ("down", Action::Down, Scope::Global),
    ("k", Action::Up, Scope::Global),
    ("up", Action::Up, Scope::Global),
    ("g", Action::Top, Scope::Global),
    ("home", Action::Top, Scope::Global),
    ("G", Action::Bottom, Scope::Global),
    ("end", Action::Bottom, Scope::Global),
    ("ctrl-d", Action::HalfPageDown, Scope::Global),
    ("ctrl-u", Action::HalfPageUp, Scope::Global),
    ("pgdn", Action::PageDown, Scope::Global),
    ("pgup", Action::PageUp, Scope::Global),
    ("]", Action::NextPage, Scope::Global),
    ("[", Action::PrevPage, Scope::Global),
    ("enter", Action::Open, Scope::List),
    ("l", Action::Open, Scope::List),
    ("right", Action::Open, Scope::List),
    ("esc", Action::Back, Scope::Detail),
    ("h", Action::Back, Scope::Detail),
    ("left", Action::ScrollLeft, Scope::Detail),
    ("right", Action::ScrollRight, Scope::Detail),
    ("J", Action::NextConversation, Scope::Detail),
    ("K", Action::PrevConversation, Scope::Detail),
    ("e", Action::OpenFailure, Scope::List),
    ("e", Action::NextFailure, Scope::Detail),
    ("E", Action::PrevFailure, Scope::Detail),
    ("tab", Action::NextTab, Scope::Global),
    ("backtab", Action::PrevTab, Scope::Global),
    ("1", Action::GoTab(0), Scope::Global),
    ("2", Action::GoTab(1), Scope::Global),
    ("3", Action::GoTab(2), Scope::Global),
    ("4", Action::GoTab(3), Scope::Global),
    ("5", Action::GoTab(4), Scope::Global),
    ("6", Action::GoTab(5), Scope::Global),
    ("7", Action::GoTab(6), Scope::Global),
    ("f", Action::Filter, Scope::Global),
    ("F", Action::ClearFilters, Scope::Global),
    ("v", Action::PickView, Scope::Global),
    ("P", Action::SwitchProfile, Scope::Global),
    (":", Action::OpenById, Scope::Global),
    ("/", Action::SearchList, Scope::List),
    ("esc", Action::ClearSearch, Scope::List),
    ("/", Action::Search, Scope::Global),
    ("n", Action::NextMatch, Scope::Detail),
    ("N", Action::PrevMatch, Scope::Detail),
    ("r", Action::Refresh, Scope::Global),
    ("a", Action::Watch, Scope::Global),
    (">", Action::SortNext, Scope::List),
    ("<", Action::SortPrev, Scope::List),
    ("~", Action::SortReverse, Scope::List),
    ("y", Action::CopyId, Scope::Global),
    ("Y", Action::CopyUrl, Scope::Global),
    ("o", Action::OpenUrl, Scope::Global),
    ("s", Action::Save, Scope::Global),
    ("w", Action::ToggleWrap, Scope::Global),
    ("?", Action::Help, Scope::Global),
    ("L", Action::MessageLog, Scope::Global),
    ("q", Action::Quit, Scope::Global),
    ("ctrl-c", Action::ForceQuit, Scope::Global),
    ("ctrl-z", Action::Suspend, Scope::Global),
    ("C", Action::ShowConversations, Scope::Global),
    ("I", Action::ShowTickets, Scope::Global),
    ("B", Action::ShowFeedback, Scope::Global),
    ("U", Action::ShowUsage, Scope::Global),
    ("$", Action::ToggleCurrency, Scope::Global),
    ("c", Action::CommentTicket, Scope::Global),
    ("S", Action::TicketStatus, Scope::Global),
    ("p", Action::TicketPriority, Scope::Global),
    ("O", Action::OpenConversation, Scope::Global),
    ("m", Action::Mark, Scope::Global),
    ("R", Action::Rename, Scope::Global),
    ("D", Action::Delete, Scope::Global),
    ("+", Action::FeedbackPositive, Scope::Global),
    ("-", Action::FeedbackNegative, Scope::Global),
    ("=", Action::FeedbackNeutral, Scope::Global),
    ("T", Action::FileTicket, Scope::Global),
    ("}", Action::NextMessage, Scope::Detail),
    ("{", Action::PrevMessage, Scope::Detail),
    ("t", Action::TraceOfMessage, Scope::Detail),
    ("enter", Action::PreviewAttachment, Scope::Detail),
];

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULT_BINDINGS
            .iter()
            .filter_map(|(key, action, scope)| {
                Key::parse(key).map(|key| Binding {
                    key,
                    action: *action,
                    scope: *scope,
                })
            })
            .collect();
        Self { bindings }
    }
}

impl Keymap {
    /// The action for a key in a pane: the pane's own binding first, then a global one.
    #[must_use]
    pub fn action(&self, scope: Scope, event: &KeyEvent) -> Option<Action> {
        let key = Key::of(event);
        let find = |s: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == s && b.key == key)
                .map(|b| b.action)
        };
        find(scope).or_else(|| find(Scope::Global))
    }

    /// Every key bound to an action, in table order.
    #[must_use]
    pub fn keys(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.key)
            .collect()
    }

    /// The first key of an action, as a hint shows it.
    #[must_use]
    pub fn first_label(&self, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.key.label())
    }

    /// Binds `keys` to `action` in `scope`, replacing what those keys did there
    /// (the hook for `[keys]` in the config).
    pub fn bind(&mut self, action: Action, scope: Scope, keys: &[Key]) {
        self.bindings
            .retain(|b| !(b.scope == scope && keys.contains(&b.key)));
        for key in keys {
            self.bindings.push(Binding {
                key: *key,
                action,
                scope,
            });
        }
    }

    /// One row per action for the help overlay: keys, what it does, where.
    #[must_use]
    pub fn help_rows(&self) -> Vec<HelpRow> {
        let mut rows: Vec<HelpRow> = Vec::new();
        for binding in &self.bindings {
            let label = binding.key.label();
            match rows
                .iter_mut()
                .find(|r| r.action == binding.action && r.scope == binding.scope)
            {
                Some(row) => {
                    row.keys.push(' ');
                    row.keys.push_str(&label);
                }
                None => rows.push(HelpRow {
                    action: binding.action,
                    scope: binding.scope,
                    keys: label,
                }),
            }
        }
        rows
    }
}

/// One line of the help overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpRow {
    /// What it does.
    pub action: Action,
    /// Where.
    pub scope: Scope,
    /// Its keys, space-separated.
    pub keys: String,
}

impl HelpRow {
    /// Whether a typed filter matches this row (keys, description or scope, any case).
    #[must_use]
    pub fn matches(&self, filter: &str) -> bool {
        let filter = filter.trim().to_lowercase();
        filter.is_empty()
            || self.keys.to_lowercase().contains(&filter)
            || self.action.describe().contains(&filter)
            || self.scope.label().contains(&filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_default_binding_parses() {
        assert_eq!(Keymap::default().bindings.len(), DEFAULT_BINDINGS.len());
    }

    #[test]
    fn shift_is_in_the_character_and_panes_override_global() {
        let map = Keymap::default();
        let shifted = press(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(
            map.action(Scope::Detail, &shifted),
            Some(Action::NextConversation)
        );
        let esc = press(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(map.action(Scope::Detail, &esc), Some(Action::Back));
        assert_eq!(map.action(Scope::List, &esc), Some(Action::ClearSearch));
        let slash = press(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(map.action(Scope::List, &slash), Some(Action::SearchList));
        assert_eq!(map.action(Scope::Detail, &slash), Some(Action::Search));
        let ctrl_d = press(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Scope::List, &ctrl_d), Some(Action::HalfPageDown));
    }

    #[test]
    fn rebinding_replaces_the_key_and_help_follows() {
        let mut map = Keymap::default();
        let x = Key::parse("x").unwrap();
        map.bind(Action::Quit, Scope::Global, &[x]);
        let event = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(map.action(Scope::List, &event), Some(Action::Quit));
        let quit = map
            .help_rows()
            .into_iter()
            .find(|r| r.action == Action::Quit);
        assert_eq!(quit.map(|r| r.keys), Some("q x".to_owned()));
        assert_eq!(Key::parse("ctrl-d").map(Key::label), Some("ctrl-d".into()));
    }
}
