//! Filling the list's extra columns in the background: the next rows to fetch (only while the user waits on nothing), their replies, and starting over when the page or the query changes.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::cache::Opened;
use crate::app::cmd::{Cmd, EnrichFetch, Fetch};
use crate::app::enrich::MAX_IN_FLIGHT;
use crate::app::msg::{Generation, Msg};
use crate::app::state::{Focus, State};
use crate::provider::{Conversation, ConversationRef, Error};
use crate::view::glance::Glance;

/// The page on screen or the query changed: what is in flight is for rows no
/// longer shown, so it is cancelled and its replies will be dropped.
pub(super) fn restart(state: &mut State) -> Vec<Cmd> {
    let adopted = state.enrich.adopted.take();
    let enrich = &mut state.enrich;
    enrich.generation += 1;
    enrich.failed.clear();
    if enrich.in_flight.is_empty() {
        return Vec::new();
    }
    enrich.in_flight.clear();
    let mut cmds = vec![Cmd::Fetch(Fetch::Enrich(EnrichFetch::Stop {
        generation: enrich.generation,
    }))];
    // A row opened while its record was on its way loses that road: it is
    // asked for as any opened conversation is.
    if let Some((id, generation)) = adopted
        && generation == state.detail.generation
        && state.detail.loading.as_ref() == Some(&id)
    {
        cmds.push(super::fetch_detail(state, id));
    }
    cmds
}

/// Opening a row whose record is being fetched in the background: the
/// detail waits for that reply instead of asking again. Whether it does.
pub(super) fn adopt(state: &mut State, id: &ConversationRef) -> bool {
    if !state.enrich.in_flight.contains(id) {
        return false;
    }
    state.detail.generation += 1;
    state.detail.loading = Some(id.clone());
    state.enrich.adopted = Some((id.clone(), state.detail.generation));
    true
}

/// `r`: what is known of the page's rows is asked again.
pub(super) fn forget_page(state: &mut State) {
    for key in state.list.texts.iter().filter_map(|r| r.key.as_ref()) {
        state.enrich.forget(key);
        state.cache.remove(key);
    }
    state.enrich.failed.clear();
}

/// Starts the next row fetches, up to [`MAX_IN_FLIGHT`], when nothing the
/// user asked for is loading: a page or a conversation being fetched goes
/// first, and enrichment resumes once it has landed. Rows in view go first,
/// then the rest of the page.
pub(super) fn pump(state: &mut State) -> Vec<Cmd> {
    if state.list.loading.is_some() || state.detail.loading.is_some() || state.switching.is_some() {
        return Vec::new();
    }
    let rows = &state.list.texts;
    if rows.is_empty() || state.enrich.in_flight.len() >= MAX_IN_FLIGHT {
        return Vec::new();
    }
    let start = state.list.offset.min(rows.len() - 1);
    let order = rows[start..].iter().chain(&rows[..start]);
    // With the list focused, the selected row is the preview's to fetch once
    // the selection rests: asking for it here too would fetch it twice.
    let preview = (state.focus == Focus::List)
        .then(|| rows.get(state.list.selected))
        .flatten()
        .and_then(|row| row.key.as_ref());
    let wanted: Vec<ConversationRef> = order
        .filter_map(|row| row.key.clone())
        .filter(|key| {
            Some(key) != preview
                && state.enrich.glance(key).is_none()
                && !state.enrich.failed.contains(key)
                && !state.enrich.in_flight.contains(key)
        })
        .take(MAX_IN_FLIGHT - state.enrich.in_flight.len())
        .collect();
    let generation = state.enrich.generation;
    let mut cmds = Vec::new();
    for key in wanted {
        // Opened or previewed before: what it says is at hand.
        if let Some(whole) = state.cache.peek(&key) {
            let glance = Glance::of(whole);
            state.enrich.keep(key, glance);
            continue;
        }
        state.enrich.in_flight.push(key.clone());
        cmds.push(Cmd::Fetch(Fetch::Enrich(EnrichFetch::Row {
            generation,
            id: key,
        })));
    }
    cmds
}

/// A row's record arrived (or failed): its columns are filled and the record
/// kept, so opening it is instant; a reply of an older generation is dropped.
///
/// When the row was opened meanwhile, the reply is also the detail's: it is
/// returned as the detail's own answer, to be applied as one.
pub(super) fn on_enriched(
    state: &mut State,
    generation: Generation,
    id: ConversationRef,
    result: Result<(Arc<Conversation>, DateTime<Utc>), Error>,
) -> Option<Msg> {
    if generation != state.enrich.generation {
        return None;
    }
    state.enrich.in_flight.retain(|k| *k != id);
    let answer = match state.enrich.adopted.take() {
        Some((wanted, detail)) if wanted == id => Some(match &result {
            Ok((conversation, fetched_at)) => Msg::DetailLoaded {
                generation: detail,
                conversation: Arc::clone(conversation),
                fetched_at: *fetched_at,
            },
            Err(error) => Msg::DetailFailed {
                generation: detail,
                error: error.clone(),
            },
        }),
        other => {
            state.enrich.adopted = other;
            None
        }
    };
    match result {
        Ok((conversation, fetched_at)) => {
            state.enrich.keep(id, Glance::of(&conversation));
            state.cache.insert(Opened {
                conversation,
                fetched_at,
            });
        }
        Err(_) => {
            // Shown as `?` in its columns; the row stays usable and Enter
            // fetches it (and says why, if it fails again).
            state.enrich.failed.insert(id);
        }
    }
    answer
}

/// A whole record arrived by another road (opened, refreshed, written): its
/// row's columns follow it.
pub(super) fn learn(state: &mut State, conversation: &Conversation) {
    if let Some(key) = ConversationRef::of(conversation) {
        state.enrich.keep(key, Glance::of(conversation));
    }
}

/// A write changed a conversation: its glance follows the cached record, or
/// is asked again.
pub(super) fn after_write(state: &mut State, key: &ConversationRef) {
    match state.cache.peek(key).map(|c| Glance::of(c)) {
        Some(glance) => state.enrich.keep(key.clone(), glance),
        None => state.enrich.forget(key),
    }
}
