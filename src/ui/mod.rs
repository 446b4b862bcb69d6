//! Drawing: a pure `render(&State, &mut Frame)` and the widgets it is made of.

pub mod detail;
pub mod theme;
