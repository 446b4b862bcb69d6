//! Attachments' files: the local server serves a real file behind every signed `file_url` (403 once expired or forged), the download core fetches them without the API key, in bounded memory, never writing outside the save directory, and each bad file is one clear error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::Duration;

use convo::provider::download::{Fetched, FileDest, FileError, FileFetch, fetch_file};
use convo::server::files::fixtures::{self, Fixture};
use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig, data};
use serde_json::Value;

/// Far more than any sample.
const CAP: u64 = 1 << 20;

fn no_progress(_: u64, _: Option<u64>) {}

/// A server with the bad files added.
async fn bad_files_server() -> RunningServer {
    common::start(
        data::bundled_demo().unwrap(),
        ServerConfig {
            bad_files: true,
            ..ServerConfig::default()
        },
    )
    .await
}

/// The attachments route's answer for one conversation (by pk).
async fn attachments(server: &RunningServer, pk: i64) -> Vec<Value> {
    let (status, body) =
        common::get(server, &format!("/api/conversations/{pk}/attachments/")).await;
    assert_eq!(status, 200, "{body}");
    body["attachments"].as_array().unwrap().clone()
}

/// The fixture's attachment as the route answers it.
async fn fixture(server: &RunningServer, which: Fixture) -> Value {
    attachments(server, fixtures::CONVERSATION_PK)
        .await
        .into_iter()
        .find(|a| a["id"].as_i64() == Some(which.id()))
        .unwrap()
}

fn fetch_of(attachment: &Value) -> FileFetch {
    FileFetch {
        url: attachment["file_url"].as_str().unwrap().to_owned(),
        announced_size: attachment["size_bytes"].as_u64(),
        cap: CAP,
    }
}

fn dest(dir: &Path, attachment: &Value) -> FileDest {
    FileDest::Dir {
        dir: dir.to_owned(),
        file_name: attachment["filename"].as_str().unwrap().to_owned(),
    }
}

/// Every name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether `bytes` look like the type the server said.
fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type.split(';').next().unwrap_or("") {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]),
        "application/pdf" => bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n"),
        "audio/wav" => bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WAVE",
        "video/x-msvideo" => bytes.starts_with(b"RIFF") && &bytes[8..12] == b"AVI ",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            bytes.starts_with(b"PK\x03\x04")
        }
        "text/plain" | "text/csv" => std::str::from_utf8(bytes).is_ok_and(|t| !t.is_empty()),
        _ => false,
    }
}

#[tokio::test]
async fn the_server_serves_every_demo_file_with_its_bytes_and_type() {
    let server = common::start(data::bundled_demo().unwrap(), ServerConfig::default()).await;
    let client = common::client();
    let mut seen_types = HashSet::new();
    let mut files = 0;
    for page in 1..=3 {
        let (status, body) = common::get(
            &server,
            &format!("/api/conversations/?page_size=100&page={page}&full=true"),
        )
        .await;
        assert_eq!(status, 200);
        for conversation in body["results"].as_array().unwrap() {
            for message in conversation["messages"].as_array().unwrap() {
                for a in message["attachments"].as_array().unwrap() {
                    let url = a["file_url"].as_str().unwrap();
                    assert!(
                        url.starts_with(&format!("{}/files/", server.base_url())),
                        "{url}"
                    );
                    assert!(url.contains("expires=") && url.contains("&sig="), "{url}");
                    let response = client.get(url).send().await.unwrap();
                    assert_eq!(response.status(), 200, "{url}");
                    let content_type = response.headers()["content-type"]
                        .to_str()
                        .unwrap()
                        .to_owned();
                    let length = response.content_length().unwrap();
                    let bytes = response.bytes().await.unwrap();
                    assert_eq!(length, bytes.len() as u64);
                    assert!(bytes.len() < 24 * 1024, "{url}: {} bytes", bytes.len());
                    // Never more than announced, so the core takes every demo file.
                    assert!(
                        bytes.len() as u64 <= a["size_bytes"].as_u64().unwrap(),
                        "{url}"
                    );
                    let mime = a["mime_type"].as_str().unwrap();
                    let kind = content_type.split(';').next().unwrap().to_owned();
                    if kind != "text/plain" || mime.starts_with("text/") {
                        assert!(looks_like(&content_type, &bytes), "{url}: {content_type}");
                    }
                    // The type served is the file's own.
                    if mime.starts_with("image/") || mime == "application/pdf" || mime == "text/csv"
                    {
                        assert_eq!(kind, mime, "{url}");
                    }
                    if mime.starts_with("video/") {
                        assert_eq!(kind, "video/x-msvideo", "{url}");
                        assert!(bytes.starts_with(b"RIFF") && &bytes[8..12] == b"AVI ");
                    }
                    if mime.contains("wordprocessingml") {
                        assert_eq!(kind, mime, "{url}");
                        assert!(bytes.starts_with(b"PK\x03\x04"));
                    }
                    seen_types.insert(kind);
                    files += 1;
                }
            }
        }
    }
    assert!(files > 300, "{files}");
    for kind in [
        "image/png",
        "image/jpeg",
        "application/pdf",
        "text/csv",
        "text/plain",
        "audio/wav",
        "video/x-msvideo",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ] {
        assert!(
            seen_types.contains(kind),
            "{kind} never served: {seen_types:?}"
        );
    }
}

#[tokio::test]
async fn every_answer_carrying_an_attachment_signs_its_link() {
    let server = common::start(data::bundled_demo().unwrap(), ServerConfig::default()).await;
    let (_, list) = common::get(&server, "/api/conversations/?page_size=5&full=true").await;
    let with_file = first_with_files(&list);
    let pk = with_file["id"].as_i64().unwrap();
    let message = with_file["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| !m["attachments"].as_array().unwrap().is_empty())
        .unwrap();
    let (_, detail) = common::get(&server, &format!("/api/conversations/{pk}/")).await;
    let (_, track) = common::get(&server, &format!("/api/track/{}/", message["id"])).await;
    let from_route = attachments(&server, pk).await;
    let local = format!("{}/files/", server.base_url());
    for url in [
        &message["attachments"][0]["file_url"],
        &detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == message["id"])
            .unwrap()["attachments"][0]["file_url"],
        &track["attachments"][0]["file_url"],
        &from_route[0]["file_url"],
    ] {
        assert!(url.as_str().unwrap().starts_with(&local), "{url}");
    }
}

#[tokio::test]
async fn an_expired_or_forged_link_gets_403_and_reads_as_expired() {
    let server = short_lived_demo().await;
    let (_, list) = common::get(&server, "/api/conversations/?page_size=15&full=true").await;
    let pk = first_with_files(&list)["id"].as_i64().unwrap();
    let attachment = attachments(&server, pk).await.remove(0);
    let fetch = fetch_of(&attachment);
    let client = common::client();
    // Forged: another signature, or the expiry pushed back.
    let forged = fetch.url.replace("&sig=", "&sig=00");
    let (head, _) = fetch.url.split_once("expires=").unwrap();
    let pushed = format!(
        "{head}expires=4102444800&sig={}",
        fetch.url.split_once("&sig=").unwrap().1
    );
    let unsigned = fetch.url.split_once('?').unwrap().0.to_owned();
    for url in [&forged, &pushed, &unsigned] {
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 403, "{url}");
        let forged = FileFetch {
            url: url.clone(),
            ..fetch.clone()
        };
        assert_eq!(
            fetch_file(&forged, FileDest::Memory, &no_progress).await,
            Err(FileError::Expired)
        );
    }
    // Expired: the same link, once its second has passed.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let response = client.get(&fetch.url).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("expired"));
    let err = fetch_file(&fetch, FileDest::Memory, &no_progress)
        .await
        .unwrap_err();
    assert_eq!(err, FileError::Expired);
    assert!(err.to_string().contains("the link expired or was revoked"));
    // Asking the route again gives a link that works.
    let fresh = fetch_of(&attachments(&server, pk).await.remove(0));
    assert!(matches!(
        fetch_file(&fresh, FileDest::Memory, &no_progress).await,
        Ok(Fetched::Bytes { .. })
    ));
}

#[tokio::test]
async fn no_request_to_the_file_host_carries_authorization() {
    let server = bad_files_server().await;
    let log = server.requests();
    let dir = tempfile::tempdir().unwrap();
    for which in Fixture::ALL {
        let a = fixture(&server, which).await;
        let _ = fetch_file(&fetch_of(&a), FileDest::Memory, &no_progress).await;
        let _ = fetch_file(&fetch_of(&a), dest(dir.path(), &a), &no_progress).await;
    }
    // The fixture on another host (`localhost` for `127.0.0.1`) was asked too.
    let other = fixture(&server, Fixture::OtherHost).await;
    assert!(
        other["file_url"]
            .as_str()
            .unwrap()
            .starts_with("http://localhost:"),
        "{other}"
    );
    assert!(log.file_requests() >= 18, "{}", log.file_requests());
    assert_eq!(log.file_requests_with_authorization(), 0);
    // The count does see a key when one is sent.
    common::client()
        .get(other["file_url"].as_str().unwrap())
        .header("Authorization", "Api-Key x")
        .send()
        .await
        .unwrap();
    assert_eq!(log.file_requests_with_authorization(), 1);
}

#[tokio::test]
async fn each_bad_file_is_one_clear_error_and_leaves_nothing_behind() {
    let server = bad_files_server().await;
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("saves");
    std::fs::create_dir(&dir).unwrap();
    let refused = [
        (
            Fixture::LargerThanAnnounced,
            FileError::LargerThanAnnounced { announced: 1_024 },
            "larger than the 1024 bytes announced",
        ),
        (Fixture::Empty, FileError::Empty, "empty (0 bytes)"),
        (
            Fixture::RedirectLoop,
            FileError::RedirectLoop,
            "redirected in a loop",
        ),
    ];
    for (which, error, says) in refused {
        let a = fixture(&server, which).await;
        let in_memory = fetch_file(&fetch_of(&a), FileDest::Memory, &no_progress).await;
        assert_eq!(in_memory, Err(error.clone()), "{which:?}");
        let on_disk = fetch_file(&fetch_of(&a), dest(&dir, &a), &no_progress).await;
        assert_eq!(on_disk, Err(error.clone()), "{which:?}");
        assert!(error.to_string().contains(says), "{error}");
        assert!(names(&dir).is_empty(), "{which:?} left {:?}", names(&dir));
    }
    // Taken as they are (what they hold is for the preview to judge), within bounds.
    for which in [
        Fixture::LyingType,
        Fixture::HugeImage,
        Fixture::BinaryText,
        Fixture::OtherHost,
    ] {
        let a = fixture(&server, which).await;
        let small = FileFetch {
            cap: 64,
            ..fetch_of(&a)
        };
        let Ok(Fetched::Bytes {
            bytes,
            cut,
            content_type,
        }) = fetch_file(&small, FileDest::Memory, &no_progress).await
        else {
            panic!("{which:?}");
        };
        assert_eq!(bytes.len(), 64, "{which:?}");
        assert!(cut);
        assert_eq!(
            content_type
                .as_deref()
                .map(|t| t.split(';').next().unwrap()),
            a["mime_type"].as_str(),
            "{which:?}"
        );
        let Ok(Fetched::Saved { path, bytes }) =
            fetch_file(&fetch_of(&a), dest(&dir, &a), &no_progress).await
        else {
            panic!("{which:?}");
        };
        assert_eq!(path.parent(), Some(dir.as_path()));
        assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes);
    }
    let lying = std::fs::read(dir.join("photo-that-is-html.png")).unwrap();
    assert!(lying.starts_with(b"<!DOCTYPE html>"));
    let huge = std::fs::read(dir.join("huge-20000x20000.png")).unwrap();
    assert!(
        huge.starts_with(b"\x89PNG") && huge.len() < 200_000,
        "{}",
        huge.len()
    );
    assert_eq!(&huge[16..24], &[0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20]); // 20,000 × 20,000
    // Names that climb out are reduced to their base name, inside the directory.
    for which in [Fixture::ClimbingName, Fixture::AbsoluteName] {
        let a = fixture(&server, which).await;
        let Ok(Fetched::Saved { path, .. }) =
            fetch_file(&fetch_of(&a), dest(&dir, &a), &no_progress).await
        else {
            panic!("{which:?}");
        };
        assert_eq!(path.parent(), Some(dir.as_path()), "{which:?}");
    }
    assert!(dir.join("x.txt").is_file() && dir.join("x").is_file());
    assert_eq!(names(outer.path()), ["saves"]);
}

#[tokio::test]
async fn a_save_never_overwrites_reports_progress_and_is_private() {
    let server = bad_files_server().await;
    let dir = tempfile::tempdir().unwrap();
    let a = fixture(&server, Fixture::ClimbingName).await;
    std::fs::write(dir.path().join("x.txt"), "mine").unwrap();
    let seen = Mutex::new(Vec::new());
    let progress = |received: u64, total: Option<u64>| seen.lock().unwrap().push((received, total));
    let Ok(Fetched::Saved { path, bytes }) =
        fetch_file(&fetch_of(&a), dest(dir.path(), &a), &progress).await
    else {
        panic!("not saved");
    };
    assert_eq!(path, dir.path().join("x-2.txt"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x.txt")).unwrap(),
        "mine"
    );
    assert_eq!(seen.lock().unwrap().last(), Some(&(bytes, Some(bytes))));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn a_url_that_is_not_http_is_refused_before_any_request() {
    for url in ["file:///etc/passwd", "not a url", "ftp://127.0.0.1/x"] {
        let fetch = FileFetch {
            url: url.to_owned(),
            announced_size: None,
            cap: CAP,
        };
        let err = fetch_file(&fetch, FileDest::Memory, &no_progress)
            .await
            .unwrap_err();
        assert!(matches!(err, FileError::BadUrl(_)), "{url}: {err}");
    }
}

// ---------------------------------------------------------------------------
// convo attachments --save / --only / --open / --format json
// ---------------------------------------------------------------------------

/// Runs `convo ARGS` against the server with the demo key, with extra environment.
async fn convo(server: &RunningServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
    command
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().await.expect("run convo")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn save_writes_every_good_file_says_each_bad_one_and_stays_in_its_directory() {
    let server = bad_files_server().await;
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("new").join("saves");
    let out = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            dir.to_str().unwrap(),
        ],
        &[],
    )
    .await;
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let printed: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
    assert_eq!(printed.len(), 7, "{stdout}");
    for path in &printed {
        assert!(
            path.is_absolute() && path.parent() == Some(dir.as_path()),
            "{}",
            path.display()
        );
        assert!(path.is_file());
    }
    for says in [
        "convo: larger-than-announced.txt: the file is larger than the 1024 bytes announced",
        "convo: empty.txt: the file is empty (0 bytes)",
        "convo: redirect-loop.pdf: the file host redirected in a loop",
        "3 files of 10 could not be saved",
    ] {
        assert!(stderr.contains(says), "{says}: {stderr}");
    }
    assert_eq!(
        names(&dir),
        [
            "binary-garbage.txt",
            "huge-20000x20000.png",
            "large-photo-2mb.png",
            "on-another-host.pdf",
            "photo-that-is-html.png",
            "x",
            "x.txt"
        ]
    );
    assert_eq!(names(outer.path()), ["new"]);
    assert_eq!(server.requests().file_requests_with_authorization(), 0);
    assert!(server.requests().file_requests() >= 10);
    let large = std::fs::metadata(dir.join("large-photo-2mb.png"))
        .unwrap()
        .len();
    assert!((1_800_000..=2_600_000).contains(&large), "{large}");
}

#[tokio::test]
async fn only_picks_one_file_and_an_unknown_name_is_exit_4() {
    let server = bad_files_server().await;
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().to_str().unwrap();
    let out = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            save,
            "--only",
            "on-another-host.pdf",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        dir.path().join("on-another-host.pdf").to_str().unwrap()
    );
    assert!(text(&out.stderr).contains("saved 1 file in"));
    // Again: a new name, never over the first.
    let again = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            save,
            "--only",
            "on-another-host.pdf",
        ],
        &[],
    )
    .await;
    assert_eq!(
        text(&again.stdout).trim(),
        dir.path().join("on-another-host-2.pdf").to_str().unwrap()
    );
    let missing = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            save,
            "--only",
            "nope.pdf",
        ],
        &[],
    )
    .await;
    assert_eq!(missing.status.code(), Some(4));
    assert!(
        text(&missing.stderr).contains("no attachment named nope.pdf"),
        "{}",
        text(&missing.stderr)
    );
    assert_eq!(
        names(dir.path()),
        ["on-another-host-2.pdf", "on-another-host.pdf"]
    );
}

#[tokio::test]
async fn bad_arguments_are_exit_2_before_any_request() {
    let server = bad_files_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let cases: [&[&str]; 4] = [
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            file.to_str().unwrap(),
        ],
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--save",
            dir.path().to_str().unwrap(),
            "--only",
            " ",
        ],
        &["attachments", fixtures::CONVERSATION_ID, "--only", "x.txt"],
        &["attachments", "  ", "--save", dir.path().to_str().unwrap()],
    ];
    for args in cases {
        let out = convo(&server, args, &[]).await;
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).starts_with("convo: ") || text(&out.stderr).contains("error:"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(server.requests().received(), 0);
    assert_eq!(names(dir.path()), ["a-file"]);
}

#[tokio::test]
async fn open_over_ssh_prints_the_path_instead() {
    let server = bad_files_server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--open",
            "--only",
            "x.txt",
            "--save",
            dir.path().to_str().unwrap(),
        ],
        &[("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")],
    )
    .await;
    let path = dir.path().join("x.txt");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), path.to_str().unwrap());
    assert!(
        text(&out.stderr).contains(&format!(
            "not opened (over SSH a browser would open on the server): {}",
            path.display()
        )),
        "{}",
        text(&out.stderr)
    );
    // Without --save, into a new private directory.
    let out = convo(
        &server,
        &[
            "attachments",
            fixtures::CONVERSATION_ID,
            "--open",
            "--only",
            "on-another-host.pdf",
        ],
        &[("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")],
    )
    .await;
    let saved = PathBuf::from(text(&out.stdout).trim());
    assert!(
        saved.ends_with("on-another-host.pdf") && saved.is_file(),
        "{}",
        saved.display()
    );
    let private = saved.parent().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(private).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
    std::fs::remove_dir_all(private).unwrap();
}

#[tokio::test]
async fn json_keeps_the_links_and_warns_that_they_expire() {
    let server = bad_files_server().await;
    let out = convo(
        &server,
        &["attachments", fixtures::CONVERSATION_ID, "--format", "json"],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        body["attachments"][0]["file_url"]
            .as_str()
            .unwrap()
            .contains("&sig=")
    );
    assert!(
        text(&out.stderr).contains("expire within the hour"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn save_asks_for_fresh_links_so_a_short_lived_one_still_works() {
    let server = short_lived_demo().await;
    let (_, list) = common::get(&server, "/api/conversations/?page_size=15&full=true").await;
    let with_files = first_with_files(&list);
    let id = with_files["conversation_id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(1_100)).await; // the links listed above are dead now
    let dir = tempfile::tempdir().unwrap();
    let out = convo(
        &server,
        &["attachments", id, "--save", dir.path().to_str().unwrap()],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let count = attachments(&server, with_files["id"].as_i64().unwrap())
        .await
        .len();
    assert_eq!(text(&out.stdout).lines().count(), count);
    assert_eq!(names(dir.path()).len(), count);
}

/// The bundled demo behind a server whose file links live one second.
async fn short_lived_demo() -> RunningServer {
    common::start(
        data::bundled_demo().unwrap(),
        ServerConfig {
            file_url_ttl: Duration::from_secs(1),
            ..ServerConfig::default()
        },
    )
    .await
}

/// The first conversation of a `full=true` list page with a message carrying a file.
fn first_with_files(list: &Value) -> &Value {
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["messages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| !m["attachments"].as_array().unwrap().is_empty())
        })
        .unwrap()
}
