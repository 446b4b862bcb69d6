//! The feedback screen: kind, sentiment (glyph and word, never colour alone), comment cut to the width, conversation, the voted message, created.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::resource::{self, fit_columns};
use crate::app::layout::inside;
use crate::app::state::State;
use crate::format::human::sentiment_cell;
use crate::provider::model::Feedback;
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
    resource::render_pane(
        state,
        pane,
        "feedback",
        &columns,
        |f| cells(state, f),
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
