//! One resource list (tickets, feedback): its filters, the page on screen, the selection, and the generation a reply must carry to be shown.

use crate::app::generation::Generation;
use crate::provider::Query;
use crate::provider::model::Listing;

/// A screen's list.
#[derive(Debug)]
pub struct Pane<T> {
    /// Rows per page asked for.
    pub page_size: u32,
    /// The filters, once the provider has given its empty query for the plane.
    pub query: Option<Query>,
    /// Why the provider has no such list (`ChatDash`), once it has said so.
    pub unsupported: Option<String>,
    /// The page on screen; it stays while another loads.
    pub shown: Option<Listing<T>>,
    /// The selected row of the page on screen.
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// The generation of the latest fetch; older replies are dropped.
    pub generation: Generation,
    /// The page being fetched, if any.
    pub loading: Option<u32>,
    /// Whether the last fetch failed (the pane says so when it has no rows).
    pub failed: bool,
    /// Whether the page being loaded puts the selection on its first row
    /// (a new page or query) or keeps its index (a refresh).
    pub to_first: bool,
}

impl<T> Pane<T> {
    /// Nothing asked yet.
    #[must_use]
    pub fn new(page_size: u32) -> Self {
        Self {
            page_size: page_size.max(1),
            query: None,
            unsupported: None,
            shown: None,
            selected: 0,
            offset: 0,
            generation: 0,
            loading: None,
            failed: false,
            to_first: true,
        }
    }

    /// Starts a fetch of `page`: the request's generation, filters and page size.
    pub fn begin(&mut self, page: u32, to_first: bool) -> (Generation, Option<Query>, u32) {
        self.generation += 1;
        self.loading = Some(page.max(1));
        self.to_first = to_first;
        (self.generation, self.query.clone(), self.page_size)
    }

    /// Puts a page on screen if it answers the latest request; false when it is stale.
    pub fn land(&mut self, generation: Generation, query: Query, listing: Listing<T>) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = None;
        self.failed = false;
        self.unsupported = None;
        self.query = Some(query);
        if self.to_first {
            self.selected = 0;
            self.offset = 0;
        }
        self.selected = self.selected.min(listing.items.len().saturating_sub(1));
        self.shown = Some(listing);
        true
    }

    /// Takes a failure if it answers the latest request; false when it is stale.
    pub fn fail(&mut self, generation: Generation) -> bool {
        if generation != self.generation {
            return false;
        }
        self.loading = None;
        self.failed = true;
        true
    }

    /// Forgets the rows and the filters; the generation goes on, so late replies are dropped.
    pub fn forget(&mut self) {
        *self = Self {
            generation: self.generation + 1,
            ..Self::new(self.page_size)
        };
    }

    /// The rows on screen.
    #[must_use]
    pub fn rows(&self) -> &[T] {
        self.shown.as_ref().map_or(&[], |l| l.items.as_slice())
    }

    /// The selected row.
    #[must_use]
    pub fn selected_row(&self) -> Option<&T> {
        self.rows().get(self.selected)
    }

    /// The number of the page on screen (1 before any has landed).
    #[must_use]
    pub fn page_number(&self) -> u32 {
        self.shown.as_ref().map_or(1, |l| l.page)
    }

    /// The number of pages, as far as known.
    #[must_use]
    pub fn total_pages(&self) -> u32 {
        self.shown.as_ref().map_or(1, |l| l.total_pages)
    }

    /// Whether anything has been asked for or has landed.
    #[must_use]
    pub fn started(&self) -> bool {
        self.shown.is_some() || self.loading.is_some() || self.unsupported.is_some() || self.failed
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_to_selection(&mut self, height: usize) {
        let height = height.max(1);
        let len = self.rows().len();
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}
