//! The feedback screen: kind, sentiment (glyph and word, never colour alone), comment cut to the width, conversation, the voted message, created.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::resource::{self, Table, fit_columns};
use crate::app::layout::inside;
use crate::app::state::State;
use crate::format::human::sentiment_cell;
use crate::provider::Query;
use crate::provider::model::Feedback;
use crate::text::{Lines, sanitize};
use crate::view::rows::short_start;

/// Draws the screen into the main area.
pub fn render(state: &State, main: Rect, buf: &mut Buffer) {
    let pane = &state.screens.feedback;
    let room = usize::from(inside(main).width);
    let columns = fit_columns(
        room,
        &[
            ("kind", 12, 0),
            ("sentiment", 10, 0),
            ("conversation", 14, 2),
            ("message", 7, 3),
            ("created", 11, 1),
        ],
        ("comment", 10),
        2,
    );
    let rows: Vec<Vec<String>> = pane.rows().iter().map(|f| cells(state, f)).collect();
    let empty = empty_state(
        "feedback",
        pane.loading.is_some(),
        pane.failed,
        pane.unsupported.as_deref(),
        pane.query.as_ref(),
    );
    resource::render(
        state,
        &Table {
            title: " Feedback ".to_owned(),
            columns: &columns,
            rows: &rows,
            selected: pane.selected,
            offset: pane.offset,
            empty: &empty,
        },
        main,
        buf,
    );
}

/// A feedback row's cells, in column order.
fn cells(state: &State, f: &Feedback) -> Vec<String> {
    let conversation = f
        .conversation_id
        .clone()
        .or_else(|| f.conversation.map(|pk| pk.to_string()))
        .unwrap_or_else(|| "—".to_owned());
    let sentiment = match f.sentiment.as_deref() {
        Some(s) => sentiment_cell(Some(s)),
        None => "—".to_owned(),
    };
    vec![
        f.kind().to_owned(),
        sentiment,
        f.comment.clone().unwrap_or_default(),
        conversation,
        f.message.map_or_else(String::new, |m| format!("#{m}")),
        f.created_at
            .as_ref()
            .map(|at| short_start(state.zone, at))
            .unwrap_or_default(),
    ]
}

/// Why a screen's list is empty, in words: loading, failed, not offered by
/// this provider, nothing matching the filters (named), or nothing at all.
#[must_use]
pub fn empty_state(
    noun: &str,
    loading: bool,
    failed: bool,
    unsupported: Option<&str>,
    query: Option<&Query>,
) -> String {
    if let Some(why) = unsupported {
        return format!("{} · C for the conversations", sanitize(why, Lines::Join));
    }
    if loading {
        return format!("loading {noun}…");
    }
    if failed {
        return format!("the {noun} could not be loaded: see below · r to retry");
    }
    match query.filter(|q| !q.is_empty()) {
        Some(q) => format!(
            "no {noun} match: {} · f to edit, F to clear",
            sanitize(&q.summary(), Lines::Join)
        ),
        None if query.is_some() => format!("no {noun} yet"),
        None => String::new(),
    }
}
