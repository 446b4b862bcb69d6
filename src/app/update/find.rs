//! Finding a conversation from the list: `/` searches the list through the API's `search`, Esc clears it, `<` `>` `~` sort it, `e` opens the selected one on its first failed action.

use crossterm::event::{KeyCode, KeyEvent};

use super::{detail, list, open};
use crate::app::cmd::Cmd;
use crate::app::field;
use crate::app::keymap::Action;
use crate::app::sort::{Sort, sortable};
use crate::app::state::{Focus, Landing, Prompt, State};
use crate::provider::ProviderKind;

/// The query filter the list's search sets.
pub const SEARCH: &str = "search";

/// `/` in the list: the search prompt, holding the search in force so it can be edited.
pub(super) fn ask(state: &mut State) {
    let current = state.query.text(SEARCH).unwrap_or_default().to_owned();
    state.prompt = Some(Prompt::ListSearch(tui_input::Input::new(current)));
}

/// Typing the list's search: Enter applies it (empty: clears it), Esc leaves the list as it was.
pub(super) fn prompt_key(
    state: &mut State,
    mut input: tui_input::Input,
    key: KeyEvent,
) -> Vec<Cmd> {
    match key.code {
        KeyCode::Esc => Vec::new(),
        KeyCode::Enter => set(state, input.value()),
        _ => {
            let edit = field::key(&mut input, key);
            state.say_if_cut(edit);
            state.prompt = Some(Prompt::ListSearch(input));
            Vec::new()
        }
    }
}

/// Puts `text` in the query's search and loads the first page of the answer.
fn set(state: &mut State, text: &str) -> Vec<Cmd> {
    let before = state.query.clone();
    if let Err(e) = state.query.set(SEARCH, text) {
        state.error(format!("search not applied: {e}"));
        return Vec::new();
    }
    if state.query == before {
        return Vec::new();
    }
    if text.trim().is_empty() {
        state.notice("search cleared");
    } else if state.source.provider.kind == ProviderKind::ChatDash {
        // ChatDash's list route has no search and its rows carry no messages.
        state.notice("ChatDash: searched names, ids, phones, summaries (no messages)");
    }
    list::new_epoch(state, 1, Landing::First)
}

/// Esc in the list: the search goes, the other filters stay.
pub(super) fn clear(state: &mut State) -> Vec<Cmd> {
    if state.query.text(SEARCH).is_none() {
        return Vec::new();
    }
    set(state, "")
}

/// `<`, `>`, `~`: another sort, asked of the API, from the first page.
pub(super) fn sort(state: &mut State, action: Action) -> Vec<Cmd> {
    if !sortable(&state.query) {
        state.notice(format!(
            "{} has no sort order: its list comes as the API sends it",
            state.source.provider.kind
        ));
        return Vec::new();
    }
    let now = Sort::of(&state.query);
    let next = match action {
        Action::SortNext => now.step(true),
        Action::SortPrev => now.step(false),
        _ => now.reversed(),
    };
    if let Err(e) = next.apply(&mut state.query) {
        state.error(format!("cannot sort so: {e}"));
        return Vec::new();
    }
    state.notice(format!("sorted by {}", next.label()));
    list::new_epoch(state, 1, Landing::First)
}

/// `e` in the list: the selected conversation, opened on its first failed
/// action — at once when it is shown or cached, else when it arrives.
pub(super) fn open_on_failure(state: &mut State) -> Vec<Cmd> {
    let Some(row) = state.list.selected_row().cloned() else {
        state.notice("no conversation selected");
        return Vec::new();
    };
    let cmds = open(state, &row);
    if state.detail.loading.is_some() {
        state.detail.to_failure = Some(state.detail.generation);
    } else if state.detail.shows(&row) {
        first_failure(state);
    }
    cmds
}

/// The open conversation from its top to its first failed action, or why there is none.
pub(super) fn first_failure(state: &mut State) {
    state.focus = Focus::Detail;
    if let Some(view) = state.detail.view.as_mut() {
        view.rewind_failures();
    }
    detail::act(state, Action::NextFailure);
}

/// A detail fetch landed: if `e` asked for it, on to its first failed action.
pub(super) fn on_arrival(state: &mut State, generation: crate::app::msg::Generation) {
    if state.detail.to_failure.take() == Some(generation) {
        first_failure(state);
    }
}
