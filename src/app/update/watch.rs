//! Refreshing the list: `r` (confirmed when its answer lands) and auto-refresh (`a`, `--watch`), whose timer the runtime runs and whose rows new since the last look are marked.

use super::{fetch_detail, list};
use crate::app::cmd::Cmd;
use crate::app::msg::{Generation, Msg};
use crate::app::state::{Landing, State};
use crate::app::watch::{Refresh, period_label};
use crate::provider::ConversationRef;

/// `r`: the list again (same page, the selection on the same conversation) and
/// the open conversation again, bypassing the caches; said when the answer lands.
pub(super) fn refresh(state: &mut State) -> Vec<Cmd> {
    // By hand, the rows' columns are asked again too; a watch's tick keeps them.
    super::enrich::forget_page(state);
    let mut cmds = reload_list(state, Refresh::ByHand);
    let open = state
        .detail
        .view
        .as_ref()
        .and_then(|v| ConversationRef::of(v.conversation()));
    if let Some(id) = open {
        state.cache.remove(&id);
        cmds.push(fetch_detail(state, id));
    }
    cmds
}

/// The page on screen asked again under a new epoch, remembered as a refresh.
fn reload_list(state: &mut State, by: Refresh) -> Vec<Cmd> {
    let page = state.list.page_number();
    let cmds = list::new_epoch(state, page, Landing::Keep);
    state.list.refresh = Some(by);
    cmds
}

/// `a`: auto-refresh on (every period) or off.
pub(super) fn toggle(state: &mut State) -> Vec<Cmd> {
    state.watch.generation += 1;
    state.watch.forget();
    if state.watch.on {
        state.watch.on = false;
        state.notice("auto-refresh off");
        return Vec::new();
    }
    state.watch.on = true;
    let keys = state.list.texts.iter().filter_map(|t| t.key.clone());
    state.watch.look(keys, false);
    let every = period_label(state.watch.period);
    state.notice(format!(
        "auto-refresh every {every} · new rows marked • · a stops"
    ));
    vec![schedule(state)]
}

/// The watch's next beat.
pub(super) fn schedule(state: &State) -> Cmd {
    Cmd::After {
        delay: state.watch.period,
        msg: Box::new(Msg::WatchTick {
            generation: state.watch.generation,
        }),
    }
}

/// The timer rang: the list is refreshed unless the watch was stopped since,
/// or a page the user asked for (or a profile switch) is on its way. Nothing
/// else moves: an open form, the filter panel, the detail pane and its scroll
/// stay as they are.
pub(super) fn on_tick(state: &mut State, generation: Generation) -> Vec<Cmd> {
    if !state.watch.on || generation != state.watch.generation {
        return Vec::new();
    }
    let next = schedule(state);
    if state.list.loading.is_some() || state.switching.is_some() {
        return vec![next];
    }
    let mut cmds = reload_list(state, Refresh::ByWatch);
    cmds.push(next);
    cmds
}
