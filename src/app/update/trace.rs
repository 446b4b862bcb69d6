//! The Trace tab's keys (cursor, Enter for a span's attributes, `p` for its payload, `e`/`E` between error spans, `t` from a message), its fetches as the open conversation changes, and its replies.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::cmd::{Cmd, Fetch};
use crate::app::keymap::Action;
use crate::app::layout::detail_size;
use crate::app::screens::Screen;
use crate::app::state::{Focus, State};
use crate::app::trace::{Load, TraceFetch, TraceMsg, TraceState};
use crate::provider::{ConversationRef, ProviderKind};
use crate::view::detail::{DetailView, Tab};
use crate::view::trace::inspect::{self, Payload};

/// Rows of the tab's body taken by its summary line.
pub const SUMMARY_ROWS: usize = 1;

const NO_TRACES: &str = "ChatDash records no spans: the Trace tab (7) is AgentSight's";

/// The rows the waterfall (or the attributes) get in the pane as the state is sized.
#[must_use]
pub fn visible_rows(state: &State) -> usize {
    let (width, height) = detail_size(state.size.0, state.size.1);
    let body = DetailView::body_area(ratatui::layout::Rect::new(0, 0, width, height));
    usize::from(body.height).saturating_sub(SUMMARY_ROWS).max(1)
}

/// After every message: a conversation other than the one the tab holds
/// drops what it held (and cancels its fetch); the tab shown and not yet
/// asked for is fetched.
pub(super) fn ensure(state: &mut State) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    let open = state
        .detail
        .view
        .as_ref()
        .filter(|v| v.provider() == ProviderKind::AgentSight)
        .and_then(|v| ConversationRef::of(v.conversation()));
    if open != state.trace.conversation {
        let was_loading = matches!(state.trace.load, Load::Loading);
        let fresh = TraceState {
            conversation: open.clone(),
            generation: state.trace.generation + 1,
            payload_generation: state.trace.payload_generation + 1,
            ..TraceState::default()
        };
        *state.trace = fresh;
        if was_loading {
            cmds.push(Cmd::Fetch(Fetch::Trace(TraceFetch::Stop)));
        }
    }
    let shown = state
        .detail
        .view
        .as_ref()
        .is_some_and(|v| v.tab() == Tab::Trace);
    if !shown && matches!(state.trace.load, Load::Failed(_)) {
        // Leaving the tab after a failure: coming back tries again.
        state.trace.load = Load::Idle;
    }
    if shown
        && matches!(state.trace.load, Load::Idle)
        && let Some(conversation) = open
    {
        state.trace.generation += 1;
        state.trace.load = Load::Loading;
        cmds.push(Cmd::Fetch(Fetch::Trace(TraceFetch::Turns {
            generation: state.trace.generation,
            conversation,
        })));
    }
    cmds
}

/// A reply for the tab: applied when it answers the latest request, else dropped.
pub(super) fn on_msg(state: &mut State, msg: TraceMsg) -> Vec<Cmd> {
    let trace = &mut state.trace;
    match msg {
        TraceMsg::Loaded {
            generation,
            waterfall,
        } if generation == trace.generation => {
            trace.selected = 0;
            trace.offset = 0;
            trace.load = Load::Ready(waterfall);
            if let Some(turn) = trace.pending_turn.take() {
                go_to_turn(state, turn);
            }
        }
        TraceMsg::Failed { generation, error } if generation == trace.generation => {
            trace.load = Load::Failed(error.to_string());
        }
        TraceMsg::Payload { generation, result } if generation == trace.payload_generation => {
            if let Some((_, payload)) = trace.payload.as_mut() {
                *payload = match result {
                    Ok(span) => match &span.payload {
                        Some(value) => Payload::Loaded(value.clone()),
                        None => Payload::Failed("the server sent the span without one".to_owned()),
                    },
                    Err(error) => Payload::Failed(error.to_string()),
                };
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A key the Trace tab takes, if it takes it: on the tab, its own keys; on
/// the Messages tab, `t`; on a `ChatDash` conversation, 7 and `t` say why not.
pub(super) fn on_key(
    state: &mut State,
    action: Option<Action>,
    key: &KeyEvent,
) -> Option<Vec<Cmd>> {
    if state.screen != Screen::Conversations {
        return None;
    }
    let view = state.detail.view.as_ref()?;
    let chatdash = view.provider() == ProviderKind::ChatDash;
    match action {
        Some(Action::GoTab(6)) if chatdash => {
            state.notice(NO_TRACES);
            return Some(Vec::new());
        }
        Some(Action::TraceOfMessage) if state.focus == Focus::Detail => {
            if chatdash {
                state.notice(NO_TRACES);
                return Some(Vec::new());
            }
            return Some(trace_of_message(state));
        }
        _ => {}
    }
    if state.focus != Focus::Detail || view.tab() != Tab::Trace {
        return None;
    }
    if action == Some(Action::Refresh) {
        // `r` reloads the turns too: forgotten here, asked for again once the refresh is under way.
        let trace = &mut state.trace;
        trace.generation += 1;
        trace.load = Load::Idle;
        trace.inspecting = false;
        trace.payload = None;
        return None;
    }
    let height = visible_rows(state);
    let is = |c: char| key.code == KeyCode::Char(c) && action != Some(Action::Search);
    if key.code == KeyCode::Enter {
        toggle_inspect(state);
        return Some(Vec::new());
    }
    if is('p') {
        return Some(ask_payload(state));
    }
    match action? {
        Action::Back if state.trace.inspecting => state.trace.inspecting = false,
        Action::NextFailure | Action::PrevFailure => {
            jump_error(state, action == Some(Action::NextFailure), height);
        }
        Action::Down => step(state, 1, height),
        Action::Up => step(state, -1, height),
        Action::HalfPageDown => step(state, signed(height / 2), height),
        Action::HalfPageUp => step(state, -signed(height / 2), height),
        Action::PageDown => step(state, signed(height.saturating_sub(1)), height),
        Action::PageUp => step(state, -signed(height.saturating_sub(1)), height),
        Action::Top => step(state, isize::MIN / 2, height),
        Action::Bottom => step(state, isize::MAX / 2, height),
        _ => return None,
    }
    Some(Vec::new())
}

fn signed(n: usize) -> isize {
    isize::try_from(n.max(1)).unwrap_or(isize::MAX)
}

/// Moves the cursor (or, inspecting, the attributes) by `by` rows, kept in view.
fn step(state: &mut State, by: isize, height: usize) {
    let trace = &mut state.trace;
    if trace.inspecting {
        let len = inspected_lines(trace).len();
        let max = len.saturating_sub(height);
        trace.inspect_offset = trace.inspect_offset.saturating_add_signed(by).min(max);
        return;
    }
    let Some(len) = trace.waterfall().map(|w| w.rows.len()) else {
        return;
    };
    trace.selected = trace
        .selected
        .saturating_add_signed(by)
        .min(len.saturating_sub(1));
    scroll_to(trace, height);
}

fn scroll_to(trace: &mut TraceState, height: usize) {
    if trace.selected < trace.offset {
        trace.offset = trace.selected;
    } else if trace.selected >= trace.offset + height {
        trace.offset = trace.selected + 1 - height;
    }
}

/// The attributes of the span under the cursor, as the inspector shows them.
#[must_use]
pub fn inspected_lines(trace: &TraceState) -> Vec<String> {
    trace
        .waterfall()
        .and_then(|w| w.span_at(trace.selected))
        .map(|row| inspect::lines(&row.span, trace.payload_of(row.span.id)))
        .unwrap_or_default()
}

fn toggle_inspect(state: &mut State) {
    let trace = &mut state.trace;
    if trace.inspecting {
        trace.inspecting = false;
        return;
    }
    if trace
        .waterfall()
        .and_then(|w| w.span_at(trace.selected))
        .is_some()
    {
        trace.inspecting = true;
        trace.inspect_offset = 0;
    } else {
        state.notice("enter on a span shows its attributes");
    }
}

/// `p`: the selected span's verbatim payload, one span at a time.
fn ask_payload(state: &mut State) -> Vec<Cmd> {
    let trace = &mut state.trace;
    let Some(id) = trace
        .waterfall()
        .and_then(|w| w.span_at(trace.selected))
        .map(|row| row.span.id)
    else {
        state.notice("p loads a span's payload: put the cursor on a span");
        return Vec::new();
    };
    let Some(id) = id else {
        state.notice("this span has no row id: its payload cannot be asked for");
        return Vec::new();
    };
    trace.inspecting = true;
    if matches!(
        trace.payload_of(Some(id)),
        Payload::Loaded(_) | Payload::Loading
    ) {
        return Vec::new();
    }
    trace.payload_generation += 1;
    trace.payload = Some((id, Payload::Loading));
    vec![Cmd::Fetch(Fetch::Trace(TraceFetch::Payload {
        generation: trace.payload_generation,
        id,
    }))]
}

/// `e`/`E`: the next or previous span that ended in an error, wrapping.
fn jump_error(state: &mut State, forward: bool, height: usize) {
    let trace = &mut state.trace;
    let Some(errors) = trace.waterfall().map(|w| w.errors.clone()) else {
        state.notice("the traces are still loading");
        return;
    };
    if errors.is_empty() {
        state.notice("no span ended in an error");
        return;
    }
    let here = trace.selected;
    let at = if forward {
        errors.iter().position(|&r| r > here).unwrap_or(0)
    } else {
        errors
            .iter()
            .rposition(|&r| r < here)
            .unwrap_or(errors.len() - 1)
    };
    trace.selected = errors[at];
    trace.inspecting = false;
    scroll_to(trace, height);
    state.notice(format!("error span {}/{}", at + 1, errors.len()));
}

/// Puts the cursor on the `turn`th finished turn (0-based), as the transcript counts them.
fn go_to_turn(state: &mut State, turn: usize) {
    let height = visible_rows(state);
    let trace = &mut state.trace;
    let Some(row) = trace.waterfall().and_then(|w| {
        w.turns
            .iter()
            .filter(|t| t.incomplete.is_none())
            .nth(turn)
            .map(|t| t.first_row)
    }) else {
        state.notice(format!(
            "no trace for turn {} of this conversation",
            turn + 1
        ));
        return;
    };
    trace.selected = row;
    trace.offset = row;
    scroll_to(trace, height);
}

/// `t`: the Trace tab, on the turn of the message under the cursor (or the first in view).
fn trace_of_message(state: &mut State) -> Vec<Cmd> {
    let Some(view) = state.detail.view.as_mut() else {
        return Vec::new();
    };
    let Some(at) = view.message_in_view() else {
        state.notice("this conversation has no messages");
        return Vec::new();
    };
    // The transcript's turns: each end-user message opens one (and the first message does).
    let mut turns = 0usize;
    for message in view.conversation().messages().iter().take(at + 1) {
        if message.sender.as_deref() == Some("end_user") || turns == 0 {
            turns += 1;
        }
    }
    let turn = turns.saturating_sub(1);
    view.set_tab(Tab::Trace);
    super::prepare(state);
    if state.trace.waterfall().is_some() {
        go_to_turn(state, turn);
    } else {
        state.trace.pending_turn = Some(turn);
    }
    Vec::new()
}
