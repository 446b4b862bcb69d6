//! The Usage screen's own state: its filters, the currency, the three rollups (by day, model and conversation) as they last arrived, the selected conversation row, and the generation a reply must carry.

use ratatui::layout::Rect;

use crate::app::generation::Generation;
use crate::format::usage as words;
use crate::provider::model::{UsageFlags, UsageGroup, UsageSummary};
use crate::provider::{Currency, Query, UsageGrouping};

/// What one usage request brought back: the rollups in one currency and what the rows say about them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsageReport {
    /// The currency the rollups were asked in.
    pub currency: Currency,
    /// By day.
    pub by_day: UsageSummary,
    /// By model.
    pub by_model: UsageSummary,
    /// By conversation (their numeric ids).
    pub by_conversation: UsageSummary,
    /// Unpriced and unreported calls per group, from the rows.
    pub flags: UsageFlags,
}

impl UsageReport {
    /// The conversation rows, biggest first, as the table lists them.
    #[must_use]
    pub fn conversations(&self) -> Vec<&UsageGroup> {
        words::biggest_first(self.by_conversation.results())
    }

    /// The model rows, biggest first.
    #[must_use]
    pub fn models(&self) -> Vec<&UsageGroup> {
        words::biggest_first(self.by_model.results())
    }

    /// The summary for a grouping.
    #[must_use]
    pub fn summary(&self, grouping: UsageGrouping) -> &UsageSummary {
        match grouping {
            UsageGrouping::Day => &self.by_day,
            UsageGrouping::Model => &self.by_model,
            UsageGrouping::Conversation => &self.by_conversation,
        }
    }
}

/// The Usage screen.
#[derive(Debug, Default)]
pub struct UsageScreen {
    /// The filters, once the provider has given its empty query for the usage plane.
    pub query: Option<Query>,
    /// The currency asked for (`$` switches).
    pub currency: Currency,
    /// Why the provider has no usage (`ChatDash`), once it has said so.
    pub unsupported: Option<String>,
    /// What is on screen; it stays while another loads.
    pub shown: Option<UsageReport>,
    /// The selected row of the conversation table.
    pub selected: usize,
    /// The first conversation row drawn.
    pub offset: usize,
    /// The generation of the latest fetch; older replies are dropped.
    pub generation: Generation,
    /// Whether a fetch is in flight.
    pub loading: bool,
    /// Whether the last fetch failed.
    pub failed: bool,
}

impl UsageScreen {
    /// Starts a fetch: the request's generation, filters and currency.
    pub fn begin(&mut self) -> (Generation, Option<Query>, Currency) {
        self.generation += 1;
        self.loading = true;
        (self.generation, self.query.clone(), self.currency)
    }

    /// Puts a report on screen if it answers the latest request; false when it is stale.
    pub fn land(&mut self, generation: Generation, query: Query, report: UsageReport) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = false;
        self.failed = false;
        self.unsupported = None;
        self.query = Some(query);
        let rows = report.by_conversation.results().len();
        self.selected = self.selected.min(rows.saturating_sub(1));
        self.offset = self.offset.min(self.selected);
        self.shown = Some(report);
        true
    }

    /// Takes a failure if it answers the latest request; false when it is stale.
    pub fn fail(&mut self, generation: Generation) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = false;
        self.failed = true;
        true
    }

    /// Whether anything has been asked for or has landed.
    #[must_use]
    pub fn started(&self) -> bool {
        self.shown.is_some() || self.loading || self.unsupported.is_some() || self.failed
    }

    /// Forgets the report and the filters; the generation goes on, so late replies are dropped.
    pub fn forget(&mut self) {
        *self = Self {
            generation: self.generation + 1,
            currency: self.currency,
            ..Self::default()
        };
    }

    /// The selected conversation row.
    #[must_use]
    pub fn selected_row(&self) -> Option<&UsageGroup> {
        self.shown
            .as_ref()
            .and_then(|r| r.conversations().get(self.selected).copied())
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        let len = self
            .shown
            .as_ref()
            .map_or(0, |r| r.by_conversation.results().len());
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// Rows of the chart's box, its border included, on a tall screen.
pub const CHART_ROWS: u16 = 9;
/// Rows of the chart's box on a short screen (an 80×24 terminal).
pub const SHORT_CHART_ROWS: u16 = 7;
/// The main area's height from which the chart gets [`CHART_ROWS`].
const TALL: u16 = 30;

/// Where the screen's three boxes go in the main area, so update (scrolling)
/// and render agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageLayout {
    /// The chart by day.
    pub chart: Rect,
    /// The model table.
    pub models: Rect,
    /// The conversation table.
    pub conversations: Rect,
}

impl UsageLayout {
    /// Lays the boxes out in `main` for a report with `models` model rows,
    /// each the full width (so model names and conversation ids are not cut):
    /// the chart on top, the models below it (at most half of what is
    /// left), the conversations in the rest.
    #[must_use]
    pub fn of(main: Rect, models: usize) -> Self {
        let chart_rows = if main.height >= TALL {
            CHART_ROWS
        } else {
            SHORT_CHART_ROWS
        }
        .min(main.height / 2);
        let chart = Rect::new(main.x, main.y, main.width, chart_rows);
        let below = main.height - chart_rows;
        // Its rows, the column titles and the border.
        let want = u16::try_from(models).unwrap_or(u16::MAX).saturating_add(3);
        let models_height = want.min(below / 2).max(below.min(3));
        let models_area = Rect::new(main.x, main.y + chart_rows, main.width, models_height);
        Self {
            chart,
            models: models_area,
            conversations: Rect::new(
                main.x,
                models_area.bottom(),
                main.width,
                below - models_height,
            ),
        }
    }

    /// Conversation rows shown (inside the border, below the column titles).
    #[must_use]
    pub fn conversation_rows(&self) -> usize {
        usize::from(self.conversations.height.saturating_sub(3))
    }
}
