//! `convo export`: every matching conversation, streamed to a file page by page with bounded memory.
//!
//! Several pages are in flight at once (`buffered` keeps them in order, and
//! bounds memory to that many pages); throttling is honoured by the provider,
//! which makes every request wait out a `Retry-After`. Output goes to
//! `FILE.part` and is renamed only when complete, so a failed export never
//! looks like a finished one. Neither is written over anything that exists
//! (a file, a symlink) unless `--force` says so, and both are 0600.

use crate::format::count::plural;
use std::fs::File;
use std::io::{self, BufWriter, ErrorKind, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use futures::{FutureExt, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{ExportArgs, ExportFormat};
use super::output::ok_unless_broken;
use crate::failure::Failure;
use crate::files;
use crate::provider::model::page_was_full;
use crate::provider::{Page, Provider, Query};

/// The largest page the API serves.
const PAGE_SIZE: u32 = 100;

/// Exports every conversation the filters match.
///
/// The pages are not taken on trust: no more are asked for than the first
/// page's count fills (`ceil(count / page_size)`), the walk ends on an empty or
/// short page (pages already in flight past it are dropped unread), and it
/// stops at `--max` conversations.
///
/// # Errors
/// A refused filter (exit 2), an output that cannot be written, a failed
/// request, or the ceiling reached with conversations left (what was fetched
/// is kept in `FILE.part`).
pub(super) async fn run(provider: &dyn Provider, args: ExportArgs) -> Result<(), Failure> {
    let query = args
        .filters
        .to_query(provider.new_query())?
        .pinned(Utc::now());
    let full = args.full;
    let fetch = |page: u32| fetch_page(provider, &query, page, full);
    let mut first = fetch(1).await?;
    let total = first.total;
    let limits = Limits::of(&first, args.max);
    let mut sink = Sink::open(&args.output, args.format, args.force)?;
    let progress = progress_bar(total.min(args.max));
    let mut after = limits.judge(&mut first, 1, 0);
    let mut written = sink.write_page(&first)?;
    progress.inc(first.conversations.len() as u64);
    let concurrency = usize::try_from(args.concurrency).unwrap_or(2);
    let mut rest = futures::stream::iter(2..=limits.last_page)
        .map(|number| fetch(number).map(move |page| (number, page)))
        .buffered(concurrency);
    while after == After::More {
        let Some((number, page)) = rest.next().await else {
            break;
        };
        match page {
            Ok(mut page) => {
                after = limits.judge(&mut page, number, written);
                written += sink.write_page(&page)?;
                progress.inc(page.conversations.len() as u64);
            }
            Err(e) => {
                progress.abandon();
                let kept = sink.abandon();
                let failure = Failure::from(e);
                return Err(Failure {
                    message: format!(
                        "export stopped after {written} of {}: {}{kept}",
                        plural(total, "conversation"),
                        failure.message
                    ),
                    code: failure.code,
                });
            }
        }
    }
    // Pages still in flight past the end are not wanted.
    drop(rest);
    if after == After::Ceiling {
        progress.abandon();
        let kept = sink.abandon();
        return Err(Failure::runtime(format!(
            "export stopped at the ceiling of {} (the server counts {total}): \
             narrow the filters, or raise the ceiling with --max N{kept}",
            plural(args.max, "conversation")
        )));
    }
    progress.finish_and_clear();
    let destination = sink.finish()?;
    eprintln!(
        "exported {} to {destination}",
        plural(written, "conversation")
    );
    if written != total {
        eprintln!(
            "note: the server counted {total} at the start and its pages held {written}: \
             the data changed while exporting, or the count was wrong"
        );
    }
    Ok(())
}

/// What bounds the walk over the pages: the server's page size as applied,
/// the last page its count allows, and the ceiling on conversations.
#[derive(Clone, Copy, Debug)]
struct Limits {
    page_size: u32,
    /// The last page the first page's count fills.
    counted_pages: u32,
    /// The last page worth asking for: the counted one, or the one that reaches the ceiling.
    last_page: u32,
    max: u64,
}

/// What follows a page of the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// Another page.
    More,
    /// Nothing: the counted pages are done, or the page was empty or short.
    Done,
    /// Nothing, with conversations left: the ceiling is reached.
    Ceiling,
}

impl Limits {
    fn of(first: &Page, max: u64) -> Self {
        let page_size = first.page_size.max(1);
        let reaching_the_ceiling =
            u32::try_from(max.div_ceil(u64::from(page_size))).unwrap_or(u32::MAX);
        Self {
            page_size,
            counted_pages: first.total_pages,
            last_page: first.total_pages.min(reaching_the_ceiling).max(1),
            max,
        }
    }

    /// Judges page `number` after `written` conversations: cuts it to what the
    /// ceiling leaves room for, and says what follows it.
    fn judge(&self, page: &mut Page, number: u32, written: u64) -> After {
        let room = usize::try_from(self.max.saturating_sub(written)).unwrap_or(usize::MAX);
        if page.conversations.len() > room {
            page.conversations.truncate(room);
            return After::Ceiling;
        }
        let full = page_was_full(page.conversations.len(), self.page_size);
        let counted_more = number < self.counted_pages;
        if !full || !counted_more {
            return After::Done;
        }
        if written + page.conversations.len() as u64 >= self.max {
            return After::Ceiling;
        }
        After::More
    }
}

async fn fetch_page(
    provider: &dyn Provider,
    query: &Query,
    page: u32,
    full: bool,
) -> Result<Page, crate::provider::Error> {
    if full {
        provider.list_with_transcripts(query, page, PAGE_SIZE).await
    } else {
        provider.list(query, page, PAGE_SIZE).await
    }
}

fn progress_bar(total: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {pos}/{len} conversations {wide_bar} {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Where the rows go: standard output, or `FILE.part` until complete.
struct Sink {
    out: BufWriter<Box<dyn Write>>,
    format: ExportFormat,
    rows: u64,
    /// (`FILE.part`, `FILE`) when writing a file.
    paths: Option<(PathBuf, PathBuf)>,
    /// Whether `FILE` may be replaced.
    force: bool,
}

impl Sink {
    fn open(path: &Path, format: ExportFormat, force: bool) -> Result<Self, Failure> {
        let (writer, paths): (Box<dyn Write>, _) = if path == Path::new("-") {
            (Box::new(io::stdout()), None)
        } else {
            if !force && files::is_taken(path) {
                return Err(Failure::usage(format!(
                    "{} exists and is not overwritten: choose another --output, or pass --force to replace it",
                    path.display()
                )));
            }
            let mut part = path.as_os_str().to_owned();
            part.push(".part");
            let part = PathBuf::from(part);
            let file = open_part(&part, force)?;
            (Box::new(file), Some((part, path.to_path_buf())))
        };
        let mut sink = Self {
            out: BufWriter::with_capacity(256 * 1024, writer),
            format,
            rows: 0,
            paths,
            force,
        };
        if format == ExportFormat::Json {
            sink.write(b"[")?;
        }
        Ok(sink)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.out.write_all(bytes).map_err(|e| self.failed(&e))
    }

    fn failed(&self, e: &io::Error) -> Failure {
        let target = self.paths.as_ref().map_or_else(
            || "standard output".to_owned(),
            |(p, _)| p.display().to_string(),
        );
        Failure::runtime(format!("cannot write {target}: {e}"))
    }

    /// Writes a page's rows; returns how many.
    fn write_page(&mut self, page: &Page) -> Result<u64, Failure> {
        for row in &page.conversations {
            let separator: &[u8] = match (self.format, self.rows) {
                (ExportFormat::Json, 0) => b"\n",
                (ExportFormat::Json, _) => b",\n",
                (ExportFormat::Jsonl, _) => b"",
            };
            self.write(separator)?;
            serde_json::to_writer(&mut self.out, row)
                .map_err(|e| Failure::runtime(format!("cannot write the export: {e}")))?;
            if self.format == ExportFormat::Jsonl {
                self.write(b"\n")?;
            }
            self.rows += 1;
        }
        Ok(page.conversations.len() as u64)
    }

    /// Flushes what was written and says where it is kept.
    fn abandon(mut self) -> String {
        let _ = self.out.flush();
        self.paths.map_or_else(String::new, |(part, _)| {
            format!("; what was fetched is in {}", part.display())
        })
    }

    /// Closes the document and moves the file into place; returns where it is.
    fn finish(mut self) -> Result<String, Failure> {
        if self.format == ExportFormat::Json {
            let end: &[u8] = if self.rows == 0 { b"]\n" } else { b"\n]\n" };
            self.write(end)?;
        }
        let flushed = self.out.flush();
        match self.paths.take() {
            None => ok_unless_broken(flushed).map(|()| "standard output".to_owned()),
            Some((part, path)) => {
                flushed.map_err(|e| {
                    Failure::runtime(format!("cannot write {}: {e}", part.display()))
                })?;
                move_into_place(&part, &path, self.force)?;
                Ok(path.display().to_string())
            }
        }
    }
}

/// Creates `FILE.part` (0600, never through a symlink). One left by an export
/// that stopped holds what it fetched: it is kept unless `--force`, which
/// removes it (a symlink itself, never what it points to) and starts afresh.
fn open_part(part: &Path, force: bool) -> Result<File, Failure> {
    let cannot = |e: io::Error| Failure::runtime(format!("cannot write {}: {e}", part.display()));
    match files::create_new(part) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists && force => {
            std::fs::remove_file(part).map_err(cannot)?;
            files::create_new(part).map_err(cannot)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Failure::usage(format!(
            "{} exists (left by an export that stopped?) and is not overwritten: \
             remove it, or pass --force to replace it",
            part.display()
        ))),
        other => other.map_err(cannot),
    }
}

/// Moves the finished `FILE.part` to `FILE`. Without `--force`, a hard link
/// (which fails when anything, even a symlink, has the name) makes sure a file
/// that appeared meanwhile is not replaced; `rename` replaces a symlink
/// itself, never the file it points to.
fn move_into_place(part: &Path, path: &Path, force: bool) -> Result<(), Failure> {
    let taken = || {
        Failure::usage(format!(
            "{} appeared while exporting and is not overwritten: the export is in {}",
            path.display(),
            part.display()
        ))
    };
    if !force {
        match std::fs::hard_link(part, path) {
            Ok(()) => {
                if let Err(e) = std::fs::remove_file(part) {
                    tracing::warn!("cannot remove {}: {e}", part.display());
                }
                return Ok(());
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(taken()),
            // A file system without hard links: check, then rename.
            Err(_) if files::is_taken(path) => return Err(taken()),
            Err(_) => {}
        }
    }
    std::fs::rename(part, path).map_err(|e| {
        Failure::runtime(format!(
            "cannot move {} to {}: {e}",
            part.display(),
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Conversation;

    fn page(rows: usize, page_size: u32, total: u64, total_pages: u32) -> Page {
        Page {
            conversations: vec![Conversation::default(); rows],
            total,
            page: 1,
            page_size,
            total_pages,
        }
    }

    #[test]
    fn the_walk_goes_on_only_after_a_full_page_the_count_allows() {
        let first = page(100, 100, 1_000, 10);
        let limits = Limits::of(&first, 100_000);
        assert_eq!(limits.last_page, 10);
        assert_eq!(limits.judge(&mut first.clone(), 1, 0), After::More);
        assert_eq!(
            limits.judge(&mut page(3, 100, 1_000, 10), 2, 100),
            After::Done
        );
        assert_eq!(
            limits.judge(&mut page(0, 100, 1_000, 10), 2, 100),
            After::Done
        );
        assert_eq!(
            limits.judge(&mut page(100, 100, 1_000, 10), 10, 900),
            After::Done
        );
    }

    #[test]
    fn the_ceiling_cuts_the_page_that_reaches_it() {
        let first = page(100, 100, 4_000_000_000_000, u32::MAX);
        let limits = Limits::of(&first, 250);
        assert_eq!(limits.last_page, 3);
        let mut third = page(100, 100, 0, 0);
        assert_eq!(limits.judge(&mut third, 3, 200), After::Ceiling);
        assert_eq!(third.conversations.len(), 50);
        let exact = Limits::of(&first, 200);
        assert_eq!(
            exact.judge(&mut page(100, 100, 0, 0), 2, 100),
            After::Ceiling
        );
        let counted = Limits::of(&page(100, 100, 200, 2), 200);
        assert_eq!(
            counted.judge(&mut page(100, 100, 0, 0), 2, 100),
            After::Done,
            "the last counted page filling the ceiling exactly leaves nothing out"
        );
    }
}
