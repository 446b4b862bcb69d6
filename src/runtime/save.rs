//! Saving the open conversation as Markdown or JSON: a file name safe from whatever the id holds, the save directory first (`save_dir`, else the download directory, else the current one), the data directory if that is not writable.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::app::cmd::SaveFormat;
use crate::files;
use crate::format::transcript::to_markdown;
use crate::provider::Conversation;

/// Where saves go when the config names no `save_dir` (see [`crate::config::save_dir`]).
#[must_use]
pub fn default_save_dir() -> PathBuf {
    crate::config::save_dir::default_save_dir()
}

/// The save directory, then convo's data directory should it refuse the file.
#[must_use]
pub fn dirs_from(dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![dir.to_path_buf()];
    if let Some(project) = directories::ProjectDirs::from("", "", "convo") {
        dirs.push(project.data_dir().to_path_buf());
    }
    dirs
}

/// `<conversation_id>.md|.json`, made safe by [`files::stem`]: the name tried
/// first (a taken name gets `-2`, `-3`, … when saving).
#[must_use]
pub fn file_name(conversation: &Conversation, format: SaveFormat) -> String {
    format!(
        "{}.{}",
        files::stem(&conversation.display_id(), "conversation"),
        extension(format)
    )
}

fn extension(format: SaveFormat) -> &'static str {
    match format {
        SaveFormat::Markdown => "md",
        SaveFormat::Json => "json",
    }
}

/// The file's content.
///
/// # Errors
/// The record cannot be written as JSON (it always can; said rather than assumed).
pub fn content(conversation: &Conversation, format: SaveFormat) -> Result<String, String> {
    match format {
        SaveFormat::Markdown => Ok(to_markdown(conversation)),
        SaveFormat::Json => serde_json::to_string_pretty(conversation)
            .map(|mut json| {
                json.push('\n');
                json
            })
            .map_err(|e| format!("cannot write the conversation as JSON: {e}")),
    }
}

/// Writes the conversation into the first of `dirs` that takes it, under a
/// name nothing has yet (never over a file, never through a symlink, mode
/// 0600); the full path written.
///
/// # Errors
/// No directory would take the file, with the last reason.
pub fn save(
    conversation: &Conversation,
    format: SaveFormat,
    dirs: &[PathBuf],
) -> Result<PathBuf, String> {
    let stem = files::stem(&conversation.display_id(), "conversation");
    let ext = extension(format);
    let body = content(conversation, format)?;
    let mut last = "no directory to save into".to_owned();
    for dir in dirs {
        match write_into(dir, &stem, ext, &body) {
            Ok(path) => return Ok(path),
            Err(e) => {
                tracing::warn!("cannot save into {}: {e}", dir.display());
                last = format!("cannot save {stem}.{ext} into {}: {e}", dir.display());
            }
        }
    }
    Err(last)
}

fn write_into(dir: &Path, stem: &str, ext: &str, body: &str) -> std::io::Result<PathBuf> {
    match std::fs::create_dir_all(dir) {
        Err(e) if e.kind() != ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let (mut file, path) = files::create_new_unique(dir, stem, ext)?;
    if let Err(e) = file.write_all(body.as_bytes()) {
        // A half-written file would pass for a saved one.
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(std::path::absolute(&path).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_make_plain_file_names() {
        let c = |id: &str| Conversation {
            conversation_id: Some(id.to_owned()),
            ..Conversation::default()
        };
        assert_eq!(
            file_name(&c("conv-abc-123"), SaveFormat::Markdown),
            "conv-abc-123.md"
        );
        for (id, start) in [
            ("../../etc/passwd", "_._.._etc_passwd~"),
            ("\u{1b}[31m", "__31m~"),
            ("///", "conversation~"),
        ] {
            let name = file_name(&c(id), SaveFormat::Json);
            assert!(name.starts_with(start), "{id:?} → {name}");
            assert!(
                Path::new(&name).extension() == Some("json".as_ref()) && !name.contains('/'),
                "{name}"
            );
        }
    }

    #[test]
    fn an_unwritable_directory_falls_back_to_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "not a directory").unwrap();
        let fallback = dir.path().join("data");
        let conversation = Conversation {
            conversation_id: Some("conv-1".into()),
            ..Conversation::default()
        };
        let path = save(
            &conversation,
            SaveFormat::Json,
            &[blocked, fallback.clone()],
        )
        .unwrap();
        assert_eq!(path, fallback.join("conv-1.json"));
        let back: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(back["conversation_id"], "conv-1");
    }
}
