//! Fetching an attachment's file from its signed `file_url`: never with the API key, in bounded memory, saved under its base name without overwriting, each failure one clear line.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;
use reqwest::redirect::{Attempt, Policy};
use reqwest::{Client, StatusCode, header};
use tokio::io::AsyncWriteExt;

use super::http::redirect::{self, Refusal};
use crate::files;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the file host may stay silent between two pieces of the body.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The stem a file is saved under when its name has nothing usable in it.
const FALLBACK_STEM: &str = "attachment";

/// What to fetch: a signed `file_url` (never sent the API key, whatever its host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFetch {
    pub url: String,
    /// `size_bytes` as the attachment announced it; a longer body is refused.
    pub announced_size: Option<u64>,
    /// In memory: the most bytes kept (more is cut, not an error). On disk: the
    /// most bytes written (more is [`FileError::TooLarge`]).
    pub cap: u64,
}

/// Where the bytes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileDest {
    /// Keep up to `cap` bytes in memory (a preview): more than `cap` is cut, not an error.
    Memory,
    /// Save under `dir` as the base name of `file_name` (`../../x`, `/etc/x` → `x`), never over an existing file
    /// (a taken name gets `-2`, `-3`, …), mode 0600, a partial file removed on failure.
    Dir { dir: PathBuf, file_name: String },
}

/// What a fetch gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// In memory: the bytes (at most `cap`), the host's `Content-Type`, and whether more was cut.
    Bytes {
        bytes: Vec<u8>,
        content_type: Option<String>,
        cut: bool,
    },
    /// On disk: where, and how many bytes.
    Saved { path: PathBuf, bytes: u64 },
}

/// Why a fetch failed. Each variant's Display is one clear line for the status bar / stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// 403/404 from the file host: "the link expired or was revoked".
    Expired,
    /// The host sent (or said it would send) more than the attachment announced.
    LargerThanAnnounced { announced: u64 },
    /// The host sent no bytes at all.
    Empty,
    /// A redirect led back to a URL already asked.
    RedirectLoop,
    /// Another redirect refused: too many, or from https down to http.
    Redirect(String),
    /// More than `cap` bytes for a file saved to disk.
    TooLarge { cap: u64 },
    /// Not a URL this client can fetch (not http or https, or not a URL at all).
    BadUrl(String),
    /// Another status than 2xx, 403 or 404.
    Status(u16),
    /// The host could not be reached, or the body stopped arriving.
    Network(String),
    /// The file could not be written in the save directory.
    Io(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Expired => f.write_str(
                "the link expired or was revoked (the file host answered 403/404); fetch a fresh one",
            ),
            Self::LargerThanAnnounced { announced } => write!(
                f,
                "the file is larger than the {announced} bytes announced; stopped reading and kept nothing"
            ),
            Self::Empty => f.write_str("the file is empty (0 bytes); nothing was kept"),
            Self::RedirectLoop => {
                f.write_str("the file host redirected in a loop; asking again would loop again")
            }
            Self::Redirect(why) => write!(f, "the file host's redirect was refused: {why}"),
            Self::TooLarge { cap } => write!(
                f,
                "the file is larger than {cap} bytes, the most convo saves; nothing was kept"
            ),
            Self::BadUrl(why) => write!(f, "the file URL cannot be fetched: {why}"),
            Self::Status(code) => write!(f, "the file host answered HTTP {code}"),
            Self::Network(why) => write!(f, "the file could not be fetched: {why}"),
            Self::Io(why) => write!(f, "the file could not be saved: {why}"),
        }
    }
}

impl std::error::Error for FileError {}

/// `progress(received, total)` is called as bytes arrive (total from Content-Length or the announced size).
///
/// # Errors
/// A [`FileError`]; on disk, nothing is left behind when one is returned.
pub async fn fetch_file(
    fetch: &FileFetch,
    dest: FileDest,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
) -> Result<Fetched, FileError> {
    let url = url::Url::parse(&fetch.url).map_err(|e| FileError::BadUrl(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FileError::BadUrl(format!(
            "its scheme is {}, not http or https",
            one_line(url.scheme())
        )));
    }
    let response = client()?
        .get(url)
        .send()
        .await
        .map_err(|e| request_error(&e))?;
    let status = response.status();
    if status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND {
        return Err(FileError::Expired);
    }
    if !status.is_success() {
        return Err(FileError::Status(status.as_u16()));
    }
    let length = response.content_length();
    if let (Some(length), Some(announced)) = (length, fetch.announced_size)
        && length > announced
    {
        return Err(FileError::LargerThanAnnounced { announced });
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(one_line);
    let total = length.or(fetch.announced_size);
    let limits = Limits {
        announced: fetch.announced_size,
        cap: fetch.cap,
        total,
    };
    match dest {
        FileDest::Memory => {
            let (bytes, cut) = read_to_memory(response, &limits, progress).await?;
            Ok(Fetched::Bytes {
                bytes,
                content_type,
                cut,
            })
        }
        FileDest::Dir { dir, file_name } => {
            save_to_dir(response, &limits, &dir, &file_name, progress).await
        }
    }
}

/// The base name of a file name as a host or a sender wrote it: the part
/// after the last `/` or `\`, made safe by [`files::stem_and_extension`].
/// Returns (stem, extension).
#[must_use]
pub fn safe_base_name(file_name: &str) -> (String, String) {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let base = if base == "." || base == ".." {
        ""
    } else {
        base
    };
    files::stem_and_extension(base, FALLBACK_STEM)
}

/// What bounds one body.
struct Limits {
    announced: Option<u64>,
    cap: u64,
    total: Option<u64>,
}

impl Limits {
    /// Refuses a body that has grown past what the attachment announced.
    fn check_announced(&self, received: u64) -> Result<(), FileError> {
        match self.announced {
            Some(announced) if received > announced => {
                Err(FileError::LargerThanAnnounced { announced })
            }
            _ => Ok(()),
        }
    }
}

/// Reads at most `cap` bytes; one byte past it says the body was cut.
async fn read_to_memory(
    response: reqwest::Response,
    limits: &Limits,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
) -> Result<(Vec<u8>, bool), FileError> {
    let cap = usize::try_from(limits.cap).unwrap_or(usize::MAX);
    // Reserve only what is sure to come, never what a header claims.
    let mut bytes = Vec::with_capacity(cap.min(64 * 1024));
    let mut received: u64 = 0;
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| body_error(&e))?;
        received = received.saturating_add(chunk.len() as u64);
        limits.check_announced(received)?;
        progress(received, limits.total);
        let room = cap.saturating_sub(bytes.len());
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok((bytes, true));
        }
        bytes.extend_from_slice(&chunk);
    }
    if received == 0 {
        return Err(FileError::Empty);
    }
    Ok((bytes, false))
}

/// Streams the body into a new file in `dir`; any failure removes it.
async fn save_to_dir(
    response: reqwest::Response,
    limits: &Limits,
    dir: &Path,
    file_name: &str,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
) -> Result<Fetched, FileError> {
    if let Some(length) = response.content_length()
        && length > limits.cap
    {
        return Err(FileError::TooLarge { cap: limits.cap });
    }
    let (stem, ext) = safe_base_name(file_name);
    let (file, path) = files::create_new_unique(dir, &stem, &ext)
        .map_err(|e| FileError::Io(format!("cannot create a file in {}: {e}", dir.display())))?;
    let mut file = tokio::fs::File::from_std(file);
    let written = write_body(response, limits, &mut file, progress).await;
    let written = match written {
        Ok(0) => Err(FileError::Empty),
        other => other,
    };
    match written {
        Ok(bytes) => Ok(Fetched::Saved { path, bytes }),
        Err(e) => {
            drop(file);
            // The partial file is ours (created new just above); removing it
            // can only fail if someone else already did.
            let _ = tokio::fs::remove_file(&path).await;
            Err(e)
        }
    }
}

/// Writes the body, chunk by chunk, stopping at the first refusal.
async fn write_body(
    response: reqwest::Response,
    limits: &Limits,
    file: &mut tokio::fs::File,
    progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
) -> Result<u64, FileError> {
    let mut received: u64 = 0;
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| body_error(&e))?;
        received = received.saturating_add(chunk.len() as u64);
        limits.check_announced(received)?;
        if received > limits.cap {
            return Err(FileError::TooLarge { cap: limits.cap });
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| FileError::Io(e.to_string()))?;
        progress(received, limits.total);
    }
    file.flush()
        .await
        .map_err(|e| FileError::Io(e.to_string()))?;
    file.sync_all()
        .await
        .map_err(|e| FileError::Io(e.to_string()))?;
    Ok(received)
}

/// The client for file hosts: no default headers at all (so never the API
/// key), no transparent gzip (so `Content-Length` is the file's own), and the
/// API's redirect rules.
fn client() -> Result<Client, FileError> {
    Client::builder()
        .user_agent(concat!("convo/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .use_rustls_tls()
        .no_gzip()
        .redirect(Policy::custom(
            |attempt: Attempt<'_>| match redirect::judge(attempt.url(), attempt.previous()) {
                Ok(()) => attempt.follow(),
                Err(refusal) => attempt.error(refusal),
            },
        ))
        .build()
        .map_err(|e| {
            FileError::Network(format!("cannot set up HTTPS: {}", one_line(&e.to_string())))
        })
}

/// A failed request as a [`FileError`]: a refused redirect, or the network.
fn request_error(e: &reqwest::Error) -> FileError {
    match redirect::refusal_in(e) {
        Some(Refusal::Loop { .. }) => FileError::RedirectLoop,
        Some(refusal) => FileError::Redirect(refusal.to_string()),
        None if e.is_timeout() => {
            FileError::Network("the file host did not answer in time".to_owned())
        }
        None if e.is_connect() => FileError::Network(format!(
            "cannot connect to {}",
            e.url().map_or_else(|| "the file host".to_owned(), host_of)
        )),
        None => FileError::Network(one_line(&deepest(e))),
    }
}

/// A body that stopped arriving.
fn body_error(e: &reqwest::Error) -> FileError {
    if e.is_timeout() {
        FileError::Network("the file host stopped sending".to_owned())
    } else {
        FileError::Network(format!("the download broke off: {}", one_line(&deepest(e))))
    }
}

/// `host:port` of a URL, never its path or query (the signature lives there).
fn host_of(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

/// The innermost cause's text, which names what actually went wrong.
fn deepest(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Text from the network on one line, without control characters, cut short.
fn one_line(text: &str) -> String {
    const LONGEST: usize = 200;
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(LONGEST)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_keep_only_the_last_component() {
        assert_eq!(safe_base_name("../../x"), ("x".to_owned(), String::new()));
        assert_eq!(safe_base_name("/etc/x"), ("x".to_owned(), String::new()));
        assert_eq!(
            safe_base_name("..\\..\\win.ini"),
            ("win".to_owned(), "ini".to_owned())
        );
        let (stem, ext) = safe_base_name("invoice 12.PDF");
        assert!(stem.starts_with("invoice_12~"), "{stem}");
        assert_eq!(ext, "pdf");
        let (stem, ext) = safe_base_name("..");
        assert!(stem.starts_with(FALLBACK_STEM), "{stem}");
        assert!(ext.is_empty());
        let (stem, _) = safe_base_name("dir/");
        assert!(stem.starts_with(FALLBACK_STEM), "{stem}");
    }

    #[test]
    fn every_error_is_one_line() {
        for e in [
            FileError::Expired,
            FileError::LargerThanAnnounced { announced: 10 },
            FileError::Empty,
            FileError::RedirectLoop,
            FileError::Redirect("x".to_owned()),
            FileError::TooLarge { cap: 1 },
            FileError::BadUrl("x".to_owned()),
            FileError::Status(500),
            FileError::Network("x".to_owned()),
            FileError::Io("x".to_owned()),
        ] {
            let text = e.to_string();
            assert!(!text.contains('\n') && !text.is_empty(), "{text}");
        }
        assert!(
            FileError::Expired
                .to_string()
                .contains("the link expired or was revoked")
        );
    }
}
