//! Installing convo like a tool: its shell completions and manual, made without a key or config, and the honest small words of the headless commands (a page past the end, one of a thing) against the local server on 127.0.0.1.
#![allow(clippy::expect_used)] // test helpers outside #[test] fns; a failure should stop the test

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory as _;
use convo::server::{DEMO_API_KEY, RunningServer};
use serde_json::{Value, json};

use crate::support::common;

/// Runs `convo ARGS` with no key and a config file that is not TOML at all:
/// installing (completions, the manual) must need neither.
fn convo_bare(args: &[&str], config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env_remove("CONVO_PROFILE")
        .env("CONVO_CONFIG", config)
        .output()
        .expect("run convo")
}

/// A config file that any command reading config would refuse.
fn broken_config(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, "this is [not toml").expect("write the config");
    path
}

/// Runs `convo ARGS` against `server` with the demo key and no user config.
async fn convo(server: &RunningServer, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("TZ", "UTC")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo")
}

/// Runs `convo --demo ARGS`: the bundled data on a local server the command starts.
async fn convo_demo(args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .arg("--demo")
        .args(args)
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// Whether `tool` runs; a test that needs it fails under CI when it does not,
/// and elsewhere says it was skipped.
fn tool(name: &str, test: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is required for {test}: apt-get install {name}"
        );
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED {test}: {name} is not installed ***\n"
        );
    }
    found
}

/// Every subcommand's name, as the command line declares them.
fn subcommands() -> Vec<String> {
    convo::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

/// `n` conversations, one message each, for exact page counts.
fn records(n: u32) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            json!({
                "id": i,
                "conversation_id": format!("conv-{i:02}"),
                "name": format!("Refund question {i}"),
                "started_at": format!("2026-11-{:02}T09:00:00Z", i % 28 + 1),
                "messages": [{"id": i * 10, "sender": "end_user", "content": "Where is my refund?",
                              "timestamp": format!("2026-11-{:02}T09:00:05Z", i % 28 + 1)}],
            })
        })
        .collect()
}

#[test]
fn the_bash_completion_script_parses_and_needs_no_key_or_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = convo_bare(&["completions", "bash"], &broken_config(dir.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    assert!(script.contains("complete -F"), "{script}");
    for name in subcommands() {
        assert!(script.contains(&name), "bash script lacks {name}");
    }
    if !tool("bash", "the_bash_completion_script_parses") {
        return;
    }
    let path = dir.path().join("convo.bash");
    std::fs::write(&path, &script).expect("write the script");
    let check = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("run bash -n");
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn the_zsh_and_fish_scripts_name_every_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = broken_config(dir.path());
    let zsh = convo_bare(&["completions", "zsh"], &config);
    let fish = convo_bare(&["completions", "fish"], &config);
    assert!(zsh.status.success() && fish.status.success());
    let (zsh, fish) = (text(&zsh.stdout), text(&fish.stdout));
    assert!(zsh.starts_with("#compdef convo"), "{zsh}");
    assert!(fish.contains("complete -c convo"), "{fish}");
    for name in subcommands() {
        assert!(
            zsh.contains(&format!("'{name}:")),
            "zsh script lacks {name}"
        );
        assert!(
            fish.contains(&format!("-a \"{name}\"")),
            "fish script lacks {name}"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = convo_bare(&["completions", "tcsh"], &broken_config(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("bash, zsh, fish"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_man_page_is_roff_titled_convo_listing_every_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = convo_bare(&["man"], &broken_config(dir.path()));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains("\n.TH CONVO 1 "), "{page}");
    assert!(page.contains("\n.SH SUBCOMMANDS"), "{page}");
    for name in subcommands() {
        // roff escapes the hyphen of `convo-list(1)`.
        assert!(
            page.contains(&format!("convo\\-{name}(1)")),
            "the page lacks {name}"
        );
    }
}

#[test]
fn the_man_page_renders_through_man() {
    if !tool("man", "the_man_page_renders_through_man") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = convo_bare(&["man"], &broken_config(dir.path()));
    let path = dir.path().join("convo.1");
    std::fs::write(&path, &out.stdout).expect("write the page");
    let shown = Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANPAGER", "cat")
        // The C locale renders roff's `\-` as a plain hyphen.
        .env("LC_ALL", "C")
        .env("MANWIDTH", "80")
        .output()
        .expect("run man -l");
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let shown = text(&shown.stdout);
    assert!(
        shown.contains("CONVO(1)") && shown.contains("SUBCOMMANDS"),
        "{shown}"
    );
    assert!(shown.contains("convo-list(1)"), "{shown}");
}

#[test]
fn man_dir_writes_one_page_per_subcommand_and_keeps_what_is_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = broken_config(dir.path());
    let man1 = dir.path().join("share/man/man1");
    let dir_arg = man1.to_str().expect("a UTF-8 temp path");
    let out = convo_bare(&["man", "--dir", dir_arg], &config);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "pages go to files, not stdout");
    let mut expected = vec!["convo.1".to_owned(), "convo-ticket-new.1".to_owned()];
    expected.extend(subcommands().iter().map(|s| format!("convo-{s}.1")));
    for name in &expected {
        let page = std::fs::read_to_string(man1.join(name)).expect(name);
        let title = name.trim_end_matches(".1").to_uppercase();
        assert!(page.contains(&format!(".TH {title} 1")), "{name}: {page}");
    }
    assert!(
        text(&out.stderr).starts_with("wrote "),
        "{}",
        text(&out.stderr)
    );

    // A second run does not write over the pages unless told to.
    std::fs::write(man1.join("convo-list.1"), "kept").expect("write");
    let again = convo_bare(&["man", "--dir", dir_arg], &config);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("exists and is not overwritten"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(man1.join("convo-list.1")).expect("read"),
        "kept"
    );
    let forced = convo_bare(&["man", "--dir", dir_arg, "--force"], &config);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(
        std::fs::read_to_string(man1.join("convo-list.1"))
            .expect("read")
            .contains(".TH CONVO-LIST 1")
    );
}

#[tokio::test]
async fn list_past_the_last_page_says_where_the_pages_end() {
    let server = common::start_json(&records(12)).await;
    let out = convo(&server, &["list", "--page-size", "1", "--page", "99"]).await;
    assert_eq!(
        (out.status.code(), text(&out.stderr).as_str()),
        (Some(2), "convo: page 99 is past the last page (12)\n")
    );
    assert!(out.stdout.is_empty());
    // The last page itself is still a page.
    let last = convo(&server, &["list", "--page-size", "1", "--page", "12"]).await;
    assert!(last.status.success(), "{}", text(&last.stderr));
    assert_eq!(text(&last.stderr), "12 conversations · page 12/12\n");
}

#[tokio::test]
async fn every_plane_list_says_the_same_past_its_last_page() {
    for args in [
        &["tickets", "--page", "99"][..],
        &["feedbacks", "--page", "99"],
        &["actions", "--page", "99"],
        &["usage", "--rows", "--page", "99"],
        &["--provider", "chatdash", "list", "--page", "99"],
    ] {
        let out = convo_demo(args).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("convo: page 99 is past the last page (") && stderr.ends_with(")\n"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("not found"), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn counts_say_one_thing_and_two_things() {
    let one = common::start_json(&records(1)).await;
    let out = convo(&one, &["list", "--all"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "1 conversation · 1 page\n");

    let two = common::start_json(&records(2)).await;
    let out = convo(&two, &["list", "--page-size", "1"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "2 conversations · page 1/2 · next: --page 2\n"
    );
    let out = convo(&two, &["list", "--all", "--page-size", "1"]).await;
    assert_eq!(text(&out.stderr), "2 conversations · 2 pages\n");
}
