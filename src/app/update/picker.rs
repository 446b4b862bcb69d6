//! `P` and `v`: the profile and saved-view pickers, and what choosing one does (a profile switch, a view applied).

use crossterm::event::{KeyCode, KeyEvent};

use super::list;
use crate::app::cache::ConversationCache;
use crate::app::cmd::Cmd;
use crate::app::msg::Generation;
use crate::app::state::{DetailState, Focus, Landing, PickItem, PickKind, Picker, State};
use crate::session::profiles::Connected;

/// Where to add what is missing, for the hints.
fn config_hint(state: &State) -> String {
    state.config_path.as_ref().map_or_else(
        || "the config file (convo config path)".to_owned(),
        |p| crate::text::sanitize(&p.display().to_string(), crate::text::Lines::Join).into_owned(),
    )
}

/// `P`: the profiles, the one in use highlighted.
pub(super) fn open_profiles(state: &mut State) {
    if state.profiles.len() < 2 {
        let hint = config_hint(state);
        state.notice(format!(
            "no other profile to switch to: add [profiles.NAME] sections to {hint}"
        ));
        return;
    }
    let items: Vec<PickItem> = state
        .profiles
        .iter()
        .map(|p| PickItem {
            label: p.name.clone(),
            detail: format!("{} · {}", p.provider, p.detail),
            current: p.name == state.source.profile,
        })
        .collect();
    let selected = items.iter().position(|i| i.current).unwrap_or(0);
    state.picker = Some(Picker {
        kind: PickKind::Profile,
        items,
        selected,
    });
}

/// `v`: the saved views for the provider in use.
pub(super) fn open_views(state: &mut State) {
    let kind = state.source.provider.kind;
    let items: Vec<PickItem> = state
        .views
        .iter()
        .filter(|v| v.provider == kind)
        .map(|v| {
            let detail = v
                .pairs
                .iter()
                .map(|(k, value, _)| format!("{k}={value}"))
                .collect::<Vec<_>>()
                .join(" ");
            let current = v.query(state.query.clone()).is_ok_and(|q| q == state.query);
            PickItem {
                label: v.name.clone(),
                detail,
                current,
            }
        })
        .collect();
    if items.is_empty() {
        let hint = config_hint(state);
        state.notice(format!(
            "no saved views for {kind}: add [[views]] to {hint}"
        ));
        return;
    }
    let selected = items.iter().position(|i| i.current).unwrap_or(0);
    state.picker = Some(Picker {
        kind: PickKind::View,
        items,
        selected,
    });
}

/// A key while a picker is open: move, choose, or close.
pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Cmd> {
    let Some(picker) = state.picker.as_mut() else {
        return Vec::new();
    };
    let last = picker.items.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => state.picker = None,
        KeyCode::Char('j') | KeyCode::Down | KeyCode::Tab => {
            picker.selected = if picker.selected >= last {
                0
            } else {
                picker.selected + 1
            };
        }
        KeyCode::Char('k') | KeyCode::Up | KeyCode::BackTab => {
            picker.selected = picker.selected.checked_sub(1).unwrap_or(last);
        }
        KeyCode::Char('g') | KeyCode::Home => picker.selected = 0,
        KeyCode::Char('G') | KeyCode::End => picker.selected = last,
        KeyCode::Char(c @ '1'..='9') => {
            let n = usize::from(c as u8 - b'0');
            if n <= picker.items.len() {
                picker.selected = n - 1;
                return choose(state);
            }
        }
        KeyCode::Enter | KeyCode::Char('l') => return choose(state),
        _ => {}
    }
    Vec::new()
}

/// Does what the highlighted choice says.
fn choose(state: &mut State) -> Vec<Cmd> {
    let Some(picker) = state.picker.take() else {
        return Vec::new();
    };
    let Some(item) = picker.items.get(picker.selected) else {
        return Vec::new();
    };
    match picker.kind {
        PickKind::Profile => switch_to(state, item.label.clone()),
        PickKind::View => apply_view(state, &item.label),
        PickKind::TicketStatus(_) | PickKind::TicketPriority(_) => {
            super::screen_writes::picked(state, picker.kind, &item.label)
        }
    }
}

/// Applies a saved view: its filters replace the query's, and the list reloads from page 1.
fn apply_view(state: &mut State, name: &str) -> Vec<Cmd> {
    let kind = state.source.provider.kind;
    let Some(view) = state
        .views
        .iter()
        .find(|v| v.provider == kind && v.name == name)
    else {
        return Vec::new();
    };
    match view.query(state.query.clone()) {
        Ok(query) => {
            state.filter = None;
            state.notice(format!("view “{name}”"));
            if query == state.query {
                return Vec::new();
            }
            state.query = query;
            list::new_epoch(state, 1, Landing::First)
        }
        // Views are checked at startup, so this is only a date that no longer parses, say.
        Err(e) => {
            state.error(format!("view “{name}” cannot be applied: {e}"));
            Vec::new()
        }
    }
}

/// Asks to connect to a profile; until it answers, the current one stays on screen.
fn switch_to(state: &mut State, profile: String) -> Vec<Cmd> {
    if profile == state.source.profile && state.switching.is_none() {
        state.notice(format!("already on profile {profile}"));
        return Vec::new();
    }
    state.switch_generation += 1;
    state.switching = Some(profile.clone());
    state.notice(format!("connecting to profile {profile}…"));
    vec![Cmd::Connect {
        generation: state.switch_generation,
        profile,
    }]
}

/// The answer to a switch: on success everything of the old profile is
/// forgotten (list, pages, open conversation, cache, filters) and page 1 of
/// the new one is asked for; on failure the old profile stays, with the reason.
pub(super) fn on_switched(
    state: &mut State,
    generation: Generation,
    profile: &str,
    result: Result<Connected, String>,
) -> Vec<Cmd> {
    if generation != state.switch_generation {
        return Vec::new();
    }
    state.switching = None;
    let connected = match result {
        Ok(connected) => connected,
        Err(why) => {
            let current = state.source.profile.clone();
            state.error(format!(
                "cannot switch to profile {profile}: {why} (still on {current})"
            ));
            return Vec::new();
        }
    };
    state.source = connected.source.clone();
    state.query = connected.query.clone();
    state.filter = None;
    state.prompt = None;
    state.focus = Focus::List;
    state.list.forget();
    let detail_generation = state.detail.generation + 1;
    state.detail = DetailState {
        generation: detail_generation,
        ..DetailState::default()
    };
    state.cache = ConversationCache::default();
    // Another provider's keys may name other conversations.
    state.enrich.forget_all();
    state.screens.forget();
    state.screen = crate::app::screens::Screen::Conversations;
    let provider = connected.source.provider.clone();
    state.notice(format!(
        "profile {profile} · {} · {}",
        provider.kind, provider.host
    ));
    state.form = None;
    // The new provider is installed first, so the role is asked of it.
    let mut cmds = vec![Cmd::Install(connected), super::writes::ask_role(state)];
    cmds.extend(list::new_epoch(state, 1, Landing::First));
    cmds
}
