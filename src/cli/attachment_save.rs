//! `convo attachments ID --save DIR` and `--open`: each file downloaded right after asking for fresh links, saved under its base name, its full path printed, then opened if asked.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rand::TryRngCore;
use rand::rngs::OsRng;

use super::output;
use crate::failure::Failure;
use crate::format::count::plural;
use crate::provider::download::{Fetched, FileDest, FileError, FileFetch, fetch_file};
use crate::provider::model::{Attachment, AttachmentIndex};
use crate::provider::{ConversationRef, Provider};
use crate::term::open_url::{OpenOutcome, open_path};
use crate::text::{Lines, sanitize};

/// The most one file may take on disk (a screen recording is tens of MB).
const MOST_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Files from this size up get a progress bar (when stderr is a terminal).
const BAR_FROM: u64 = 1024 * 1024;

/// What to do with the files.
pub(super) struct SaveRequest<'a> {
    pub id: ConversationRef,
    pub dir: Option<&'a Path>,
    pub only: Option<&'a str>,
    pub open: bool,
}

/// Checks what can be checked before any request (exit 2), creating DIR if it is missing.
///
/// # Errors
/// A DIR that is a file or cannot be created; an empty --only.
pub(super) fn check(dir: Option<&Path>, only: Option<&str>) -> Result<(), Failure> {
    if only.is_some_and(|name| name.trim().is_empty()) {
        return Err(Failure::usage("--only: the name cannot be empty"));
    }
    if let Some(dir) = dir {
        if dir.as_os_str().is_empty() {
            return Err(Failure::usage("--save: the directory cannot be empty"));
        }
        if dir.exists() && !dir.is_dir() {
            return Err(Failure::usage(format!(
                "--save: {} is not a directory",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::usage(format!("--save: cannot create {}: {e}", dir.display())))?;
    }
    Ok(())
}

/// Downloads the chosen files; one failed file does not stop the others.
///
/// # Errors
/// An unknown conversation or name (exit 4), a failed request, or any file that failed (exit 1).
pub(super) async fn run(provider: &dyn Provider, request: SaveRequest<'_>) -> Result<(), Failure> {
    // Links expire: ask for fresh ones right before downloading.
    let index = provider.attachments(&request.id).await?;
    let chosen = choose(&index, request.only, &request.id)?;
    let dir = match request.dir {
        Some(dir) => absolute(dir),
        None => private_temp_dir()?,
    };
    let mut failed = 0_usize;
    let mut saved = 0_usize;
    for (at, attachment) in &chosen {
        let name = attachment
            .filename
            .clone()
            .unwrap_or_else(|| "attachment".to_owned());
        match save_one(provider, &request.id, *at, attachment, &dir).await {
            Ok(path) => {
                saved += 1;
                output::print(&format!("{}\n", path.display()))?;
                if request.open {
                    match open_path(&path) {
                        OpenOutcome::Opened => output::note(&format!("opened {}", path.display())),
                        OpenOutcome::ShowInstead(why) => {
                            output::note(&format!("not opened ({why}): {}", path.display()));
                        }
                    }
                }
            }
            Err(e) => {
                failed += 1;
                output::note(&format!("convo: {}: {e}", shown(&name)));
            }
        }
    }
    if saved == 0 && request.dir.is_none() {
        // The temporary directory was made for these files; none came.
        let _ = std::fs::remove_dir(&dir);
    }
    output::note(&format!(
        "saved {} in {}",
        plural(saved, "file"),
        dir.display()
    ));
    if failed > 0 {
        return Err(Failure::runtime(format!(
            "{} of {} could not be saved",
            plural(failed, "file"),
            chosen.len()
        )));
    }
    Ok(())
}

/// The attachments to act on (with their place in the list): all, or those
/// whose file name (or id) is `only`.
fn choose(
    index: &AttachmentIndex,
    only: Option<&str>,
    id: &ConversationRef,
) -> Result<Vec<(usize, Attachment)>, Failure> {
    let all = index.all();
    let Some(only) = only else {
        if all.is_empty() {
            return Err(Failure {
                message: format!("no attachments in conversation {id}"),
                code: 4,
            });
        }
        return Ok(all.into_iter().enumerate().collect());
    };
    // The name as sent, its base name (what it is saved as), or the id.
    let matches = |a: &Attachment| {
        a.filename
            .as_deref()
            .is_some_and(|name| name == only || name.rsplit(['/', '\\']).next() == Some(only))
            || a.id.is_some_and(|n| n.to_string() == only)
    };
    let chosen: Vec<(usize, Attachment)> = all
        .iter()
        .enumerate()
        .filter(|(_, a)| matches(a))
        .map(|(i, a)| (i, a.clone()))
        .collect();
    if chosen.is_empty() {
        let names: Vec<String> = all
            .iter()
            .filter_map(|a| a.filename.as_deref().map(shown))
            .take(10)
            .collect();
        return Err(Failure {
            message: format!(
                "no attachment named {} in conversation {id} (its files: {})",
                shown(only),
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ),
            code: 4,
        });
    }
    Ok(chosen)
}

/// Saves one file; a link that expired on the way is asked for again once.
async fn save_one(
    provider: &dyn Provider,
    id: &ConversationRef,
    at: usize,
    attachment: &Attachment,
    dir: &Path,
) -> Result<PathBuf, FileError> {
    match save_from(attachment, dir).await {
        Err(FileError::Expired) => {
            let fresh = provider
                .attachments(id)
                .await
                .map_err(|e| FileError::Network(e.to_string()))?;
            let again = fresh
                .all()
                .into_iter()
                .enumerate()
                .find(|(i, a)| match attachment.id {
                    Some(_) => a.id == attachment.id,
                    None => *i == at,
                })
                .map(|(_, a)| a.clone())
                .ok_or(FileError::Expired)?;
            save_from(&again, dir).await
        }
        other => other,
    }
}

async fn save_from(attachment: &Attachment, dir: &Path) -> Result<PathBuf, FileError> {
    let url = attachment
        .file_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| FileError::BadUrl("the attachment has no file_url".to_owned()))?;
    let announced = attachment.size_bytes.and_then(|n| u64::try_from(n).ok());
    let fetch = FileFetch {
        url,
        announced_size: announced,
        cap: MOST_BYTES,
    };
    let name = attachment.filename.clone().unwrap_or_default();
    let bar = progress_bar(&name);
    let progress = |received: u64, total: Option<u64>| {
        if let Some(total) = total {
            if total >= BAR_FROM && bar.length() != Some(total) {
                bar.set_length(total);
            }
        }
        bar.set_position(received);
    };
    let dest = FileDest::Dir {
        dir: dir.to_owned(),
        file_name: name,
    };
    let result = fetch_file(&fetch, dest, &progress).await;
    bar.finish_and_clear();
    match result {
        Ok(Fetched::Saved { path, .. }) => Ok(path),
        Ok(Fetched::Bytes { .. }) => Err(FileError::Io("nothing was written".to_owned())),
        Err(e) => Err(e),
    }
}

/// A bar on stderr for a big file, hidden when stderr is not a terminal.
fn progress_bar(name: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::no_length();
    if let Ok(style) =
        ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {eta} left")
    {
        bar.set_style(style);
    }
    bar.set_message(shown(name));
    bar
}

/// A file name from the API, safe to print on a terminal.
fn shown(name: &str) -> String {
    sanitize(name, Lines::Join).into_owned()
}

/// The directory as given, made absolute so the printed paths are whole.
fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned())
}

/// A new directory only this user can read, under the system's temporary directory.
fn private_temp_dir() -> Result<PathBuf, Failure> {
    let base = std::env::temp_dir();
    for _ in 0..10 {
        let mut random = [0_u8; 6];
        OsRng
            .try_fill_bytes(&mut random)
            .map_err(|e| Failure::runtime(format!("cannot name a temporary directory: {e}")))?;
        let suffix = u64::from_le_bytes([
            random[0], random[1], random[2], random[3], random[4], random[5], 0, 0,
        ]);
        let dir = base.join(format!("convo-attachments-{suffix:012x}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(Failure::runtime(format!(
                    "cannot create a directory in {}: {e}",
                    base.display()
                )));
            }
        }
    }
    Err(Failure::runtime(format!(
        "cannot create a new directory in {}",
        base.display()
    )))
}
