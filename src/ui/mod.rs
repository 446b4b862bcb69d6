//! Drawing: a pure `render(&State, &mut Frame)` and the widgets it is made of.

pub mod confirm;
pub mod detail_frame;
pub mod feedback;
pub mod filter_panel;
pub mod form;
pub mod header;
pub mod help;
pub mod list;
pub mod log;
pub mod picker;
pub mod preview;
pub mod resource;
pub mod shown;
pub mod status;
pub mod tickets;
pub mod trace;
pub mod usage;

use ratatui::Frame;
use ratatui::layout::Position;

use crate::app::layout::Areas;
use crate::app::screens::Screen;
use crate::app::state::State;

/// The smallest screen the browser lays out; below it, it says so instead.
pub const MIN_SIZE: (u16, u16) = (20, 6);

/// Draws the whole screen from the state; changes nothing.
pub fn render(state: &State, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(area, frame.buffer_mut());
        return;
    }
    let areas = Areas::of(state, area.width, area.height);
    let buf = frame.buffer_mut();
    header::render(state, areas.header, buf);
    filter_panel::render_summary(state, areas.filters, buf);
    match state.screen {
        Screen::Conversations => {
            if let Some(pane) = areas.list {
                list::render(state, pane, areas.list_rows, buf);
            }
            if let Some(pane) = areas.detail {
                detail_frame::render(state, pane, areas.detail_inner, buf);
            }
        }
        Screen::Tickets => tickets::render(state, areas.main, buf),
        Screen::Feedback => feedback::render(state, areas.main, buf),
        Screen::Usage => usage::render(state, areas.main, buf),
    }
    let mut cursor: Option<Position> = None;
    if let Some(panel) = &state.filter {
        cursor = filter_panel::render(state, panel, areas.main, buf);
    }
    if let Some(preview) = &state.attachments.preview {
        preview::render(state, preview, areas.main, buf);
    }
    if let Some(shown) = &state.attachments.shown {
        shown::render(state, shown, areas.main, buf);
    }
    if let Some(at) = status::render(state, areas.status, buf) {
        cursor = Some(at);
    }
    if let Some(form) = &state.form {
        confirm::render(form, state.theme, areas.main, buf);
        if let Some(at) = form::render(form, state.theme, areas.main, buf) {
            cursor = Some(at);
        }
    }
    if let Some(picker) = &state.picker {
        picker::render(state, picker, areas.main, buf);
    }
    if let Some(view) = state.log_view {
        log::render(state, view, areas.main, buf);
    }
    if let Some(help) = &state.help {
        cursor = help::render(state, help, areas.main, buf);
    }
    if let Some(at) = cursor {
        frame.set_cursor_position(at);
    }
}

/// "too small", cut to what fits, on as many rows as there are (a 1×1 screen
/// shows `t`): nothing is laid out, so nothing can be drawn out of bounds.
fn too_small(area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) {
    let text = format!(
        "terminal too small: {}x{} (needs {}x{})",
        area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
    );
    let width = usize::from(area.width);
    let lines = text
        .chars()
        .collect::<Vec<_>>()
        .chunks(width.max(1))
        .map(|chunk| chunk.iter().collect::<String>())
        .take(usize::from(area.height))
        .collect::<Vec<_>>();
    for (row, line) in (area.y..).zip(lines) {
        buf.set_stringn(area.x, row, &line, width, ratatui::style::Style::default());
    }
}
