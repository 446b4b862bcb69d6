//! Drawing: a pure `render(&State, &mut Frame)` and the widgets it is made of.

pub mod detail;
pub mod detail_frame;
pub mod filter_panel;
pub mod header;
pub mod help;
pub mod layout;
pub mod list;
pub mod picker;
pub mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Position;

use crate::app::state::State;
use layout::Areas;

/// Draws the whole screen from the state; changes nothing.
pub fn render(state: &State, frame: &mut Frame<'_>) {
    let area = frame.area();
    let areas = Areas::of(state, area.width, area.height);
    let buf = frame.buffer_mut();
    header::render(state, areas.header, buf);
    filter_panel::render_summary(state, areas.filters, buf);
    if let Some(pane) = areas.list {
        list::render(state, pane, areas.list_rows, buf);
    }
    if let Some(pane) = areas.detail {
        detail_frame::render(state, pane, areas.detail_inner, buf);
    }
    let mut cursor: Option<Position> = None;
    if let Some(panel) = &state.filter {
        cursor = filter_panel::render(state, panel, areas.main, buf);
    }
    if let Some(at) = status::render(state, areas.status, buf) {
        cursor = Some(at);
    }
    if let Some(picker) = &state.picker {
        picker::render(state, picker, areas.main, buf);
    }
    if let Some(help) = &state.help {
        cursor = help::render(state, help, areas.main, buf);
    }
    if let Some(at) = cursor {
        frame.set_cursor_position(at);
    }
}
