//! Attachment jobs off the loop: a fresh signed link when the one held is a few minutes old (or the file host says it expired), then the download into memory for a preview — sniffed, decoded and encoded here, never in update or render — or into the save directory, or the link handed back to be copied or opened.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::app::attachments::{Drawn, FileAction, FileJob, FileMsg, FileRef};
use crate::app::msg::{Generation, Msg};
use crate::provider::Provider;
use crate::provider::download::{Fetched, FileDest, FileError, FileFetch, fetch_file};
use crate::view::preview::{self, Content, Drawing, Picture};

/// A link older than this is asked for again before it is used: the file
/// host's signatures last an hour, and a link read from a page left open
/// for a while must not be the one that fails.
pub const FRESH_FOR: chrono::Duration = chrono::Duration::minutes(5);

/// The most a save writes.
pub const SAVE_CAP: u64 = 1 << 30;

/// What a job needs besides itself.
#[derive(Clone)]
pub struct FileContext {
    /// For fresh links (the attachments route).
    pub provider: Arc<dyn Provider>,
    /// Where saves go.
    pub save_dir: PathBuf,
    /// How pictures are drawn on this terminal.
    pub drawing: Drawing,
    /// The loop's queue.
    pub tx: UnboundedSender<Msg>,
    /// Stops the job when the loop ends.
    pub shutdown: CancellationToken,
}

/// Runs a job on a task of its own; its answers come back as `Msg::File`.
pub fn spawn(context: FileContext, job: FileJob) {
    tokio::spawn(async move {
        let shutdown = context.shutdown.clone();
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = run(&context, job) => {}
        }
    });
}

/// Encodes a picture for a new size off the loop; answers `FileMsg::Encoded`.
pub fn encode(
    drawing: Drawing,
    tx: UnboundedSender<Msg>,
    generation: Generation,
    picture: Arc<Picture>,
    size: (u16, u16),
) {
    tokio::task::spawn_blocking(move || {
        let result = encoded(&picture, &drawing, size);
        let _ = tx.send(Msg::File(FileMsg::Encoded { generation, result }));
    });
}

fn encoded(picture: &Picture, drawing: &Drawing, size: (u16, u16)) -> Result<Drawn, String> {
    preview::picture::encode(picture, drawing, size.0, size.1).map(|protocol| Drawn {
        size,
        protocol: Arc::new(protocol),
    })
}

async fn run(context: &FileContext, job: FileJob) {
    let generation = job.generation;
    let say = |msg: FileMsg| {
        let _ = context.tx.send(Msg::File(msg));
    };
    let now = Utc::now();
    let mut url = match fresh_link(context, &job.file, now, false).await {
        Ok((url, note)) => {
            if let Some(note) = note {
                say(FileMsg::Refreshed { generation, note });
            }
            url
        }
        Err(error) => return say(FileMsg::Failed { generation, error }),
    };
    if let FileAction::CopyUrl | FileAction::OpenUrl = job.action {
        return say(FileMsg::Link {
            generation,
            action: job.action,
            url,
        });
    }
    let mut refreshed = false;
    loop {
        let result = download(context, &job, &url).await;
        match result {
            // The host says the link is dead: ask the API for a fresh one, once.
            Err(FileError::Expired) if !refreshed => {
                refreshed = true;
                match fresh_link(context, &job.file, Utc::now(), true).await {
                    Ok((fresh, _)) => {
                        say(FileMsg::Refreshed {
                            generation,
                            note: "the link expired or was revoked: fetched a fresh one and tried again"
                                .to_owned(),
                        });
                        url = fresh;
                    }
                    Err(error) => {
                        return say(FileMsg::Failed {
                            generation,
                            error: format!(
                                "the link expired or was revoked, and a fresh one could not be fetched: {error}"
                            ),
                        });
                    }
                }
            }
            Err(FileError::Expired) => {
                return say(FileMsg::Failed {
                    generation,
                    error: "the link expired or was revoked, and so was a fresh one: the file may have been removed".to_owned(),
                });
            }
            Err(FileError::Empty) if matches!(job.action, FileAction::Preview { .. }) => {
                return say(FileMsg::Previewed {
                    generation,
                    content: Content::NotShown("the file is empty (0 bytes)".to_owned()),
                });
            }
            Err(e) => {
                return say(FileMsg::Failed {
                    generation,
                    error: e.to_string(),
                });
            }
            Ok(fetched) => return finish(context, &job, fetched).await,
        }
    }
}

/// Downloads into memory (a preview) or the save directory, saying progress as it goes.
async fn download(context: &FileContext, job: &FileJob, url: &str) -> Result<Fetched, FileError> {
    let generation = job.generation;
    let tx = context.tx.clone();
    // Progress is said when it moves a whole percent (or 64 KB without a total): not per packet.
    let last = AtomicU64::new(u64::MAX);
    let progress = move |received: u64, total: Option<u64>| {
        let step = total.map_or(received / 65_536, |t| received * 100 / t.max(1));
        if last.swap(step, Ordering::Relaxed) != step {
            let _ = tx.send(Msg::File(FileMsg::Progress {
                generation,
                received,
                total,
            }));
        }
    };
    if job.action == FileAction::Save {
        // A configured save_dir that does not exist yet is made, as `mkdir -p` would.
        tokio::fs::create_dir_all(&context.save_dir)
            .await
            .map_err(|e| {
                FileError::Io(format!(
                    "cannot make the save directory {}: {e}",
                    context.save_dir.display()
                ))
            })?;
    }
    let (dest, cap) = match job.action {
        FileAction::Save => (
            FileDest::Dir {
                dir: context.save_dir.clone(),
                file_name: job.file.filename.clone(),
            },
            SAVE_CAP,
        ),
        _ => (
            FileDest::Memory,
            preview::download_cap(job.file.announced()),
        ),
    };
    let fetch = FileFetch {
        url: url.to_owned(),
        announced_size: job.file.size,
        cap,
    };
    fetch_file(&fetch, dest, &progress).await
}

/// What a finished download becomes: a saved path, or a preview classified
/// and (for a picture) encoded on a blocking thread.
async fn finish(context: &FileContext, job: &FileJob, fetched: Fetched) {
    let generation = job.generation;
    let tx = context.tx.clone();
    match (fetched, job.action) {
        (Fetched::Saved { path, bytes }, _) => {
            let path = std::path::absolute(&path).unwrap_or(path);
            let _ = tx.send(Msg::File(FileMsg::Saved {
                generation,
                result: Ok((path, bytes)),
            }));
        }
        (Fetched::Bytes { bytes, cut, .. }, FileAction::Preview { columns, rows }) => {
            let mime = job.file.mime.clone();
            let drawing = context.drawing.clone();
            let _ = tokio::task::spawn_blocking(move || {
                let shown = preview::classify(mime.as_deref(), &bytes, cut);
                drop(bytes);
                let picture = match &shown {
                    Content::Picture(p) => Some(Arc::clone(p)),
                    _ => None,
                };
                let _ = tx.send(Msg::File(FileMsg::Previewed {
                    generation,
                    content: shown,
                }));
                if let Some(picture) = picture {
                    let result = encoded(&picture, &drawing, (columns, rows));
                    let _ = tx.send(Msg::File(FileMsg::Encoded { generation, result }));
                }
            })
            .await;
        }
        (Fetched::Bytes { .. }, _) => {
            let _ = tx.send(Msg::File(FileMsg::Failed {
                generation,
                error: "the file was read into memory where a save was asked".to_owned(),
            }));
        }
    }
}

/// Whether the link held must be asked for again before it is used: there
/// is none, or it was fetched [`FRESH_FOR`] ago or more (or at an unknown time).
#[must_use]
pub fn needs_fresh(file: &FileRef, now: DateTime<Utc>) -> bool {
    file.url.is_none() || file.fetched_at.is_none_or(|at| now - at >= FRESH_FOR)
}

/// The link to use: the one held while it is younger than [`FRESH_FOR`],
/// else (or when `force`d) the one the attachments route gives now. The
/// note says when a fresh one was fetched.
async fn fresh_link(
    context: &FileContext,
    file: &FileRef,
    now: DateTime<Utc>,
    force: bool,
) -> Result<(String, Option<String>), String> {
    if let (Some(url), false) = (&file.url, force || needs_fresh(file, now)) {
        return Ok((url.clone(), None));
    }
    let index = context
        .provider
        .attachments(&file.conversation)
        .await
        .map_err(|e| format!("cannot fetch a fresh link: {e}"))?;
    let all = index.all();
    let found = all
        .iter()
        .find(|a| file.id.is_some() && a.id == file.id)
        .or_else(|| {
            all.iter()
                .find(|a| a.filename.as_deref() == Some(file.filename.as_str()))
        })
        .ok_or_else(|| "the file is no longer listed with the conversation".to_owned())?;
    let url = found
        .file_url
        .clone()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| "the attachments route gives no link for this file".to_owned())?;
    let note = (!force).then(|| {
        if file.url.is_some() {
            "the link was older than 5 minutes: fetched a fresh one".to_owned()
        } else {
            "fetched a link for the file".to_owned()
        }
    });
    Ok((url, note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::ConversationRef;

    fn file(url: Option<&str>, fetched_at: Option<DateTime<Utc>>) -> FileRef {
        FileRef {
            conversation: ConversationRef::Pk(7),
            id: Some(31),
            filename: "parcel.png".to_owned(),
            mime: Some("image/png".to_owned()),
            size: Some(5_120),
            kind: Some("image".to_owned()),
            message: 1,
            url: url.map(str::to_owned),
            fetched_at,
        }
    }

    #[test]
    fn a_link_is_used_only_while_younger_than_five_minutes() {
        let now = Utc::now();
        let url = Some("http://127.0.0.1/files/1?sig=a");
        assert!(!needs_fresh(
            &file(url, Some(now - chrono::Duration::minutes(4))),
            now
        ));
        assert!(needs_fresh(
            &file(url, Some(now - chrono::Duration::minutes(5))),
            now
        ));
        assert!(needs_fresh(
            &file(url, Some(now - chrono::Duration::minutes(59))),
            now
        ));
        // No link, or no time it was fetched at: asked for.
        assert!(needs_fresh(&file(None, Some(now)), now));
        assert!(needs_fresh(&file(url, None), now));
    }
}
