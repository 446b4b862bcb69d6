//! Keys for what sits over the panes: the searchable help overlay and the status-line prompts (search, save).

use crossterm::event::{KeyCode, KeyEvent};

use super::detail::remember_search;
use crate::app::cmd::{Cmd, SaveFormat};
use crate::app::field;
use crate::app::filter::FilterPanel;
use crate::app::help::{Layout, PROMPT_ROWS, entries};
use crate::app::keymap::Action;
use crate::app::layout::{self, Areas};
use crate::app::state::{Prompt, State};
use crate::provider::{ConversationRef, ProviderKind};

/// A key while the help overlay is open: typing narrows the list; Esc, and
/// the help or quit key (`?`, `q`) once nothing is typed, close it.
pub(super) fn help_key(state: &mut State, action: Option<Action>, key: KeyEvent) {
    let box_area = layout::help(Areas::for_state(state).main);
    let Some(help) = state.help.as_mut() else {
        return;
    };
    let nothing_typed = help.filter.value().is_empty();
    let most = Layout::of(&entries(&state.keymap, help.filter.value()), box_area).max_offset();
    let page = usize::from(layout::inside(box_area).height.saturating_sub(PROMPT_ROWS)).max(1);
    match key.code {
        KeyCode::Esc | KeyCode::Enter => state.help = None,
        _ if nothing_typed && matches!(action, Some(Action::Help | Action::Quit)) => {
            state.help = None;
        }
        KeyCode::Down => help.offset = help.offset.saturating_add(1).min(most),
        KeyCode::Up => help.offset = help.offset.min(most).saturating_sub(1),
        KeyCode::PageDown => help.offset = help.offset.saturating_add(page).min(most),
        KeyCode::PageUp => help.offset = help.offset.min(most).saturating_sub(page),
        _ => {
            let before = help.filter.value().len();
            let edit = field::key(&mut help.filter, key);
            if help.filter.value().len() != before {
                help.offset = 0;
            }
            state.say_if_cut(edit);
        }
    }
}

/// A key while a prompt is asked in the status line.
pub(super) fn prompt_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    // A notice raised while typing (the field is full) holds until the next key.
    state.status = None;
    match state.prompt.take() {
        Some(Prompt::Search(input)) => search_key(state, input, key),
        Some(Prompt::ListSearch(input)) => super::find::prompt_key(state, input, key),
        Some(Prompt::Save) => save_key(state, key),
        Some(Prompt::Open { input, platform }) => open_key(state, input, platform, key),
        Some(Prompt::Comment { ticket, input }) => {
            super::screen_writes::comment_key(state, ticket, input, key)
        }
        None => Vec::new(),
    }
}

/// `:`: asks for a conversation id to open.
pub(super) fn ask_open(state: &mut State) {
    state.prompt = Some(Prompt::Open {
        input: tui_input::Input::default(),
        platform: false,
    });
}

/// Typing an id; Tab switches between id and platform id (`ChatDash`), Enter opens, Esc cancels.
fn open_key(
    state: &mut State,
    mut input: tui_input::Input,
    mut platform: bool,
    key: KeyEvent,
) -> Vec<Cmd> {
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter => {
            return match ConversationRef::parse_as(input.value(), platform) {
                Ok(id) => super::open_ref(state, id),
                Err(e) => {
                    state.error(e.to_string());
                    Vec::new()
                }
            };
        }
        KeyCode::Tab | KeyCode::BackTab => {
            if state.source.provider.kind == ProviderKind::ChatDash {
                platform = !platform;
            } else {
                state.notice("platform ids are ChatDash's; AgentSight opens by id or pk");
            }
        }
        _ => state.say_if_cut(field::key(&mut input, key)),
    }
    state.prompt = Some(Prompt::Open { input, platform });
    Vec::new()
}

/// Search as you type; Enter keeps the matches, Esc drops them.
fn search_key(state: &mut State, mut input: tui_input::Input, key: KeyEvent) -> Vec<Cmd> {
    match key.code {
        KeyCode::Esc => {
            if let Some(view) = state.detail.view.as_mut() {
                view.search("");
            }
            state.detail.search = None;
        }
        KeyCode::Enter => match &state.detail.search {
            Some((_, status)) if status.matches == 0 => state.notice("no match"),
            Some(_) => {}
            None => state.notice("search cancelled"),
        },
        _ => {
            let edit = field::key(&mut input, key);
            run_search(state, input.value());
            state.say_if_cut(edit);
            state.prompt = Some(Prompt::Search(input));
        }
    }
    Vec::new()
}

fn run_search(state: &mut State, text: &str) {
    let Some(view) = state.detail.view.as_mut() else {
        return;
    };
    let status = view.search(text);
    super::prepare(state);
    if text.is_empty() {
        state.detail.search = None;
    } else if state.detail.search.is_some() {
        if let Some((kept, _)) = state.detail.search.as_mut() {
            text.clone_into(kept);
        }
        remember_search(state, status);
    } else {
        state.detail.search = Some((text.to_owned(), status));
    }
}

/// `m` Markdown, `j` JSON, anything else cancels.
fn save_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let format = match key.code {
        KeyCode::Char('m' | 'M') => SaveFormat::Markdown,
        KeyCode::Char('j' | 'J') => SaveFormat::Json,
        _ => {
            state.notice("save cancelled");
            return Vec::new();
        }
    };
    match state.detail.view.as_ref() {
        Some(view) => vec![Cmd::Save(
            std::sync::Arc::clone(view.conversation()),
            format,
        )],
        None => Vec::new(),
    }
}

/// Pasted text goes to whichever text field has focus, at once (see
/// [`field::paste`]); the status line says when the field could not take it all.
pub(super) fn on_paste(state: &mut State, text: &str) {
    if super::writes::on_paste(state, text) {
        return;
    }
    let edit = if let Some(help) = state.help.as_mut() {
        let edit = field::paste(&mut help.filter, text);
        help.offset = 0;
        edit
    } else if let Some(Prompt::Search(input)) = state.prompt.as_mut() {
        let edit = field::paste(input, text);
        let value = input.value().to_owned();
        run_search(state, &value);
        edit
    } else if let Some(
        Prompt::Open { input, .. } | Prompt::Comment { input, .. } | Prompt::ListSearch(input),
    ) = state.prompt.as_mut()
    {
        field::paste(input, text)
    } else if let Some(row) = state
        .filter
        .as_mut()
        .filter(|p| p.editing)
        .and_then(FilterPanel::current)
    {
        row.error = None;
        field::paste(&mut row.input, text)
    } else {
        return;
    };
    state.say_if_cut(edit);
}
