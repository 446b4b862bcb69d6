//! The filter panel's keys: moving between rows, editing a field (which then receives every key), cycling choices, applying the whole draft.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{list, picker, screen_data};
use crate::app::cmd::Cmd;
use crate::app::field;
use crate::app::layout::{Areas, filter_panel, filter_rows};
use crate::app::screens::Screen;
use crate::app::state::{HelpOverlay, Landing, State};

/// A key while the panel is open.
pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let editing = state.filter.as_ref().is_some_and(|p| p.editing);
    let cmds = if editing {
        edit_key(state, key)
    } else {
        browse_key(state, key)
    };
    scroll(state);
    cmds
}

/// A key while a field has focus: Esc leaves it (keeping the draft), Enter
/// applies the whole draft; everything else edits the field.
fn edit_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let Some(panel) = state.filter.as_mut() else {
        return Vec::new();
    };
    let Some(row) = panel.current() else {
        return Vec::new();
    };
    let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    match key.code {
        KeyCode::Esc => panel.editing = false,
        KeyCode::Enter => return apply(state),
        // Nothing left to delete: the filter is cleared ("any"), its refusal with it.
        KeyCode::Backspace if plain && row.value().is_empty() => row.set(""),
        KeyCode::Delete if plain && row.input.cursor() == row.value().chars().count() => {
            row.set("");
        }
        KeyCode::Char(' ') | KeyCode::Right if plain && row.cycles() => row.cycle(true),
        KeyCode::Left if plain && row.cycles() => row.cycle(false),
        _ => {
            let before = row.value().to_owned();
            let edit = field::key(&mut row.input, key);
            if row.value() != before {
                row.error = None;
            }
            state.say_if_cut(edit);
        }
    }
    Vec::new()
}

/// A key while moving between rows.
fn browse_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let Some(panel) = state.filter.as_mut() else {
        return Vec::new();
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        if key.code == KeyCode::Char('u') {
            if let Some(row) = panel.current() {
                row.set("");
            }
        }
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc | KeyCode::Char('f' | 'q') => state.filter = None,
        KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => panel.move_by(1),
        KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => panel.move_by(-1),
        KeyCode::Char('g') | KeyCode::Home => panel.selected = 0,
        KeyCode::Char('G') | KeyCode::End => panel.selected = panel.rows.len().saturating_sub(1),
        KeyCode::PageDown => panel.move_by(10),
        KeyCode::PageUp => panel.move_by(-10),
        KeyCode::Char('e' | 'i' | 'a') => panel.editing = true,
        KeyCode::Enter => {
            // Enter edits a text row and applies on a row that cycles, so
            // the obvious key does the obvious thing on each.
            if panel.current().is_some_and(|r| !r.cycles()) {
                panel.editing = true;
            } else {
                return apply(state);
            }
        }
        KeyCode::Char(' ' | 'l') | KeyCode::Right => cycle(state, true),
        KeyCode::Char('h') | KeyCode::Left => cycle(state, false),
        KeyCode::Backspace | KeyCode::Delete => {
            if let Some(row) = panel.current() {
                row.set("");
            }
        }
        KeyCode::Char('F') => {
            panel.clear_all();
            return apply(state);
        }
        KeyCode::Char('?') => state.help = Some(HelpOverlay::default()),
        KeyCode::Char('v') => picker::open_views(state),
        _ => {}
    }
    Vec::new()
}

fn cycle(state: &mut State, forward: bool) {
    if let Some(row) = state.filter.as_mut().and_then(|p| p.current()) {
        row.cycle(forward);
    }
}

/// Validates the whole draft: a refused value stays in its field with the
/// reason and nothing is sent; an accepted draft closes the panel and, if it
/// changed the query, reloads the list from page 1.
fn apply(state: &mut State) -> Vec<Cmd> {
    // Another screen's panel edits that screen's own filters.
    let base = screen_data::filter_base(state).unwrap_or_else(|| state.query.clone());
    let Some(panel) = state.filter.as_mut() else {
        return Vec::new();
    };
    match panel.validate(&base) {
        None => {
            let refused = panel.rows.iter().filter(|r| r.error.is_some()).count();
            let (first, reason) = panel
                .rows
                .iter()
                .find_map(|r| r.error.clone().map(|e| (r.spec.key, e)))
                .unwrap_or_default();
            let others = match refused {
                0 | 1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            state.error(format!("nothing sent: {first} {reason}{others}"));
            Vec::new()
        }
        Some(query) => {
            state.filter = None;
            // A refusal from an earlier try is answered now; it must not linger.
            state.status = None;
            if state.screen != Screen::Conversations {
                return screen_data::apply_filters(state, query);
            }
            if query == state.query {
                return Vec::new();
            }
            // The summary line says what is in force; the status bar shows the load.
            state.query = query;
            list::new_epoch(state, 1, Landing::First)
        }
    }
}

/// `F`: every filter cleared and the list reloaded.
pub(super) fn clear_all(state: &mut State) -> Vec<Cmd> {
    if state.query.is_empty() {
        state.notice("no filters to clear");
        return Vec::new();
    }
    state.query.clear_all();
    list::new_epoch(state, 1, Landing::First)
}

/// Keeps the panel's cursor within its visible rows.
pub(super) fn scroll(state: &mut State) {
    let main = Areas::for_state(state).main;
    if let Some(panel) = state.filter.as_mut() {
        let height = filter_rows(filter_panel(main, panel.rows.len()));
        panel.scroll_to_selection(height);
    }
}
