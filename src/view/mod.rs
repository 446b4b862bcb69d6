//! What `update` prepares and `render` draws: the laid-out detail document, the list's row texts and columns, the theme.
//!
//! Everything here is made from the domain model and settings alone; the
//! browser's state holds it, the update refreshes it, the UI paints it.

pub mod columns;
pub mod detail;
pub mod glance;
pub mod preview;
pub mod rows;
pub mod theme;
pub mod thread;
pub mod trace;
