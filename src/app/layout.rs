//! Where everything goes on the screen, as a pure function of the size and the state, so `update` (scrolling, clicks) and `render` agree.

use ratatui::layout::Rect;

use crate::app::state::{Focus, State};

/// Below this width one pane is shown at a time.
pub const TWO_PANES_MIN_WIDTH: u16 = 100;

/// The screen's regions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    /// Profile, provider, host, count, page, spinner.
    pub header: Rect,
    /// The one-line summary of active filters.
    pub filters: Rect,
    /// Everything between the summary and the status bar.
    pub main: Rect,
    /// The list pane with its border, if shown.
    pub list: Option<Rect>,
    /// The list's rows (inside the border, below the column titles).
    pub list_rows: Rect,
    /// The detail pane with its border, if shown.
    pub detail: Option<Rect>,
    /// Inside the detail pane's border.
    pub detail_inner: Rect,
    /// The status bar.
    pub status: Rect,
}

impl Areas {
    /// Lays out a screen of `width`×`height` for `state`.
    #[must_use]
    pub fn of(state: &State, width: u16, height: u16) -> Self {
        let screen = Rect::new(0, 0, width, height);
        let header = row(screen, 0);
        let filters = row(screen, 1);
        let status = row(screen, height.saturating_sub(1));
        let main = Rect::new(0, 2.min(height), width, height.saturating_sub(3));
        let mut areas = Self {
            header,
            filters,
            main,
            status,
            ..Self::default()
        };
        let detail_wanted = state.detail.view.is_some() || state.detail.loading.is_some();
        if width >= TWO_PANES_MIN_WIDTH {
            let list_width = list_width(width);
            areas.list = Some(Rect::new(main.x, main.y, list_width, main.height));
            areas.detail = Some(Rect::new(
                main.x + list_width,
                main.y,
                width - list_width,
                main.height,
            ));
        } else if state.focus == Focus::Detail && detail_wanted {
            areas.detail = Some(main);
        } else {
            areas.list = Some(main);
        }
        if let Some(list) = areas.list {
            let inner = inside(list);
            areas.list_rows = Rect::new(
                inner.x,
                inner.y.saturating_add(1),
                inner.width,
                inner.height.saturating_sub(1),
            );
        }
        if let Some(detail) = areas.detail {
            areas.detail_inner = inside(detail);
        }
        areas
    }

    /// Lays out the state's own size.
    #[must_use]
    pub fn for_state(state: &State) -> Self {
        Self::of(state, state.size.0, state.size.1)
    }
}

/// The size of the detail pane's inside whenever it is shown (it does not
/// depend on focus: in one-pane mode it takes the whole main area), so a view
/// is laid out once per resize, not per focus change.
#[must_use]
pub fn detail_size(width: u16, height: u16) -> (u16, u16) {
    let main_height = height.saturating_sub(3);
    let pane_width = if width >= TWO_PANES_MIN_WIDTH {
        width - list_width(width)
    } else {
        width
    };
    (pane_width.saturating_sub(2), main_height.saturating_sub(2))
}

/// The list pane's width beside the detail pane: 45% of the screen, but at
/// least 50 columns (so ids and customers fit) and never leaving the detail
/// pane less than 40.
#[must_use]
pub fn list_width(width: u16) -> u16 {
    let share = u16::try_from(u32::from(width) * 45 / 100).unwrap_or(u16::MAX);
    share.max(50).min(width.saturating_sub(40))
}

/// One full-width row of `area`, empty if it falls outside.
fn row(area: Rect, y: u16) -> Rect {
    if y < area.height {
        Rect::new(area.x, area.y + y, area.width, 1)
    } else {
        Rect::new(area.x, area.y, area.width, 0)
    }
}

/// The area inside a one-cell border.
#[must_use]
pub fn inside(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// A box of at most `width`×`height` centred in `area`.
#[must_use]
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// The filter panel's box: over the main area, as tall as its rows need.
#[must_use]
pub fn filter_panel(main: Rect, rows: usize) -> Rect {
    let wanted = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(3);
    Rect::new(main.x, main.y, main.width, wanted.min(main.height))
}

/// How many filter rows the panel's box shows (inside its border, above its footer).
#[must_use]
pub fn filter_rows(panel: Rect) -> usize {
    usize::from(panel.height.saturating_sub(3))
}

/// The help overlay's box: every column there is (the descriptions wrap in
/// what it has, and a wide screen gets two columns of them), with a margin on
/// a wide screen so it reads as a box over the panes.
#[must_use]
pub fn help(main: Rect) -> Rect {
    // On a narrow screen a box with a sliver of the pane beside it only looks broken.
    let width = if main.width < 90 {
        main.width
    } else {
        main.width - 4
    };
    centered(main, width, main.height)
}

/// The attachment preview's box: the whole main area, so a picture gets every cell there is.
#[must_use]
pub fn preview(main: Rect) -> Rect {
    main
}

/// Inside the preview's box, below its two rows of facts (name, type, size; a note): where the text or picture goes.
#[must_use]
pub fn preview_body(main: Rect) -> Rect {
    let inner = inside(preview(main));
    Rect::new(
        inner.x,
        inner.y.saturating_add(2).min(inner.bottom()),
        inner.width,
        inner.height.saturating_sub(2),
    )
}
