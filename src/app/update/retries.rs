//! Retries made visible: a request the user waits on says "retry 2/3 in 2 s" in the status bar while it waits, and the line goes when its answer lands.

use crate::app::cmd::FetchKind;
use crate::app::msg::{Generation, Msg};
use crate::app::state::State;
use crate::provider::http::attempts::Retrying;

/// A fetch is being tried again: said, unless it is no longer current.
pub(super) fn on_retrying(
    state: &mut State,
    kind: FetchKind,
    generation: Option<Generation>,
    retrying: &Retrying,
) {
    let (current, what) = match kind {
        FetchKind::List => (
            state.list.loading.is_some() && generation == Some(state.list.generation),
            state
                .list
                .loading
                .map_or_else(|| "the list".to_owned(), |page| format!("page {page}")),
        ),
        FetchKind::Detail => (
            state.detail.loading.is_some() && generation == Some(state.detail.generation),
            state
                .detail
                .loading
                .as_ref()
                .map_or_else(|| "the conversation".to_owned(), ToString::to_string),
        ),
        FetchKind::Screen(_) | FetchKind::Ticket => (true, state.screen.title().to_owned()),
        FetchKind::TraceTurns | FetchKind::TracePayload => (true, "the trace".to_owned()),
        // Background fetches retry quietly: nobody waits on them.
        FetchKind::Prefetch | FetchKind::Enrich => (false, String::new()),
    };
    if !current {
        return;
    }
    let text = format!("{what}: {retrying}");
    state.notice(text.clone());
    state.retry_said = Some((kind, text));
}

/// The fetch slot a message answers, if any.
pub(super) fn answered(msg: &Msg) -> Option<FetchKind> {
    match msg {
        Msg::ListLoaded { .. } | Msg::ListFailed { .. } => Some(FetchKind::List),
        Msg::DetailLoaded { .. } | Msg::DetailFailed { .. } => Some(FetchKind::Detail),
        Msg::Screen(_) => Some(FetchKind::Ticket),
        Msg::Trace(_) => Some(FetchKind::TraceTurns),
        _ => None,
    }
}

/// After an answer for `kind`: the retry line said for it goes, if it is still shown.
pub(super) fn clear(state: &mut State, kind: FetchKind) {
    let same_slot = |said: FetchKind| match (said, kind) {
        (FetchKind::Screen(_) | FetchKind::Ticket, FetchKind::Ticket)
        | (FetchKind::TraceTurns | FetchKind::TracePayload, FetchKind::TraceTurns) => true,
        (said, kind) => said == kind,
    };
    let Some((said, text)) = state.retry_said.take() else {
        return;
    };
    if !same_slot(said) {
        state.retry_said = Some((said, text));
        return;
    }
    if state.status.as_ref().is_some_and(|s| s.text == text) {
        state.status = None;
    }
}
