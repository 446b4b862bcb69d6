//! `--page N | --all` for the list routes beside conversations: one page, or every page up to a hard ceiling, and how the result is summed up.

use std::fmt::Write as _;
use std::future::Future;

use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};

use crate::failure::Failure;
use crate::format::count::plural;
use crate::provider::{Error, Listing};

/// The most rows `--all` fetches: a walk past it would be a mistake (a
/// missing filter), and stopping says so instead of reading for minutes.
pub const ALL_CEILING: usize = 5_000;

/// Which page, or all of them.
#[derive(Clone, Copy, Debug, Args)]
pub struct PageArgs {
    /// Which page, from 1
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Every page, not just one (at most 5000 rows)
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
}

/// The rows fetched, and what the first page said about the whole result set.
#[derive(Debug)]
pub struct Walked<T> {
    pub items: Vec<T>,
    /// Every matching row, on all pages, as the server counted them.
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u32,
    /// Tallies the route adds (feedback `counts`).
    pub counts: Option<Value>,
    /// Whether `--all` was given.
    pub all: bool,
    /// Whether `--all` stopped at [`ALL_CEILING`] with rows left.
    pub capped: bool,
}

/// Fetches one page, or with `--all` every page until the server has no more
/// (or the ceiling is reached). `fetch` asks for one page by number.
///
/// # Errors
/// The first failed request.
pub async fn walk<T, F, Fut>(paging: PageArgs, mut fetch: F) -> Result<Walked<T>, Failure>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Listing<T>, Error>>,
{
    let asked = if paging.all { 1 } else { paging.page };
    let first = match fetch(asked).await {
        Ok(first) => first,
        // A page past the end is a 404 on AgentSight ("Invalid page."). Page 1
        // tells that apart from a missing route or parent, and gives the count.
        Err(error @ Error::NotFound { .. }) if asked > 1 => {
            return Err(match fetch(1).await {
                Ok(one) => past_the_end(asked, one.total_pages),
                Err(_) => error.into(),
            });
        }
        Err(error) => return Err(error.into()),
    };
    // ChatDash answers a page past the end with an empty page and the real count.
    if asked > 1 && first.items.is_empty() && asked > first.total_pages {
        return Err(past_the_end(asked, first.total_pages));
    }
    let mut walked = Walked {
        total: first.total,
        page: first.page,
        page_size: first.page_size,
        total_pages: first.total_pages,
        counts: first.counts.clone(),
        all: paging.all,
        capped: false,
        items: Vec::new(),
    };
    let mut more = paging.all && first.has_next();
    let mut next = first.page.saturating_add(1);
    walked.items = first.items;
    while more {
        if walked.items.len() >= ALL_CEILING {
            walked.capped = true;
            break;
        }
        let listing = fetch(next).await?;
        more = listing.has_next() && listing.page >= next;
        next = next.saturating_add(1);
        walked.items.extend(listing.items);
    }
    if walked.items.len() > ALL_CEILING {
        walked.items.truncate(ALL_CEILING);
        walked.capped = true;
    }
    Ok(walked)
}

/// `--page N` past the last page: a bad value for the flag (exit 2), which says
/// where the pages end rather than that something was not found.
#[must_use]
pub fn past_the_end(page: u32, total_pages: u32) -> Failure {
    Failure::usage(format!(
        "page {page} is past the last page ({})",
        total_pages.max(1)
    ))
}

impl<T> Walked<T> {
    /// The stderr line under a table: `12 tickets · page 1/2 · next: --page 2`.
    /// `noun` is singular (`ticket`); the count decides its number.
    #[must_use]
    pub fn note(&self, noun: &str) -> String {
        let note = self.summary(noun);
        if self.items.is_empty() {
            return format!("none match ({note})");
        }
        note
    }

    /// The note without its "none match" wrapping, for a command that words that itself.
    #[must_use]
    pub fn summary(&self, noun: &str) -> String {
        let mut note = plural(self.total, noun);
        if self.all {
            let _ = write!(note, " · {}", plural(self.total_pages, "page"));
        } else {
            let _ = write!(note, " · page {}/{}", self.page, self.total_pages);
            if self.page < self.total_pages {
                let _ = write!(note, " · next: --page {}", self.page + 1);
            }
        }
        if self.capped {
            let _ = write!(
                note,
                " · stopped at {ALL_CEILING} rows (the --all ceiling): narrow the filters"
            );
        }
        note
    }
}

impl<T: Serialize> Walked<T> {
    /// One JSON document: `{count, page, page_size, total_pages, results}`
    /// (`--all`: no page), with the route's `counts` when it sent them.
    #[must_use]
    pub fn document(&self) -> Value {
        let mut document = if self.all {
            json!({ "count": self.total, "total_pages": self.total_pages, "results": self.items })
        } else {
            json!({ "count": self.total, "page": self.page, "page_size": self.page_size,
                    "total_pages": self.total_pages, "results": self.items })
        };
        if let (Some(counts), Some(map)) = (&self.counts, document.as_object_mut()) {
            map.insert("counts".to_owned(), counts.clone());
        }
        if self.capped
            && let Some(map) = document.as_object_mut()
        {
            map.insert("truncated".to_owned(), Value::Bool(true));
        }
        document
    }

    /// One JSON line per row on stdout; when `--all` stopped at its ceiling,
    /// a line on stderr says so (stdout stays rows only, but a script's log
    /// shows the export is incomplete).
    pub fn print_lines(&self) -> Result<(), Failure> {
        super::output::print(&self.lines()?)?;
        if self.capped {
            super::output::note(&format!(
                "stopped at {ALL_CEILING} rows (the --all ceiling): narrow the filters"
            ));
        }
        Ok(())
    }

    /// One JSON line per row.
    ///
    /// # Errors
    /// Never for the model's types; reported rather than unwrapped all the same.
    pub fn lines(&self) -> Result<String, Failure> {
        let mut text = String::new();
        for row in &self.items {
            let line = serde_json::to_string(row)
                .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))?;
            text.push_str(&line);
            text.push('\n');
        }
        Ok(text)
    }
}
