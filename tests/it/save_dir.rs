//! The save directory: `save_dir` in config.toml (a leading `~/` the home directory), shown by `convo config show` with where it came from, the download directory by default, and `s` saving the open conversation there through the real loop, never over a file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;

use convo::app::state::{Focus, State};
use convo::config::{ConfigFile, Env, Flags, Source, resolve};
use convo::provider::Provider;
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::runtime::{Headless, Runtime};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, ServerConfig};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::support::common;
use crate::support::driver::{self, Frame, screen_text};
use crate::support::state;

fn resolved(text: &str) -> convo::config::Settings {
    let file = ConfigFile::parse(
        &PathBuf::from("/home/lead/.config/convo/config.toml"),
        text,
        false,
    )
    .expect("parses");
    resolve(
        Some(&file),
        &Env::from_pairs(std::iter::empty::<(&str, &str)>()),
        &Flags::default(),
    )
    .expect("resolves")
}

#[test]
fn save_dir_comes_from_the_file_with_home_expanded_else_the_download_directory() {
    let set = resolved("save_dir = \"~/cases\"\n");
    let home = directories::BaseDirs::new()
        .unwrap()
        .home_dir()
        .to_path_buf();
    assert_eq!(set.save_dir.value, home.join("cases"));
    assert!(matches!(
        set.save_dir.source,
        Source::File { profile: None, .. }
    ));
    let absolute = resolved("save_dir = \"/srv/triage\"\n");
    assert_eq!(absolute.save_dir.value, PathBuf::from("/srv/triage"));
    let default = resolved("");
    assert_eq!(default.save_dir.source, Source::Default);
    assert_eq!(
        default.save_dir.value,
        convo::config::save_dir::default_save_dir()
    );
}

#[test]
fn a_save_dir_of_the_wrong_type_is_refused_with_the_line() {
    let err = ConfigFile::parse(
        &PathBuf::from("/home/lead/.config/convo/config.toml"),
        "page_size = 20\nsave_dir = 42\n",
        false,
    )
    .expect_err("refused")
    .to_string();
    assert!(
        err.contains("line 2") && err.contains("expected a string"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn config_show_says_the_save_dir_and_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "save_dir = \"/srv/triage\"\n").unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .arg("--config")
        .arg(&config)
        .args(["config", "show", "--format", "json"])
        .env_remove("CONVO_CONFIG")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["save_dir"]["value"], "/srv/triage");
    assert!(
        doc["save_dir"]["source"]
            .as_str()
            .unwrap()
            .contains("config.toml"),
        "{doc}"
    );
}

#[derive(Clone, Debug)]
struct Seen {
    focus: Focus,
    open: bool,
    status: Option<String>,
    screen: String,
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s_saves_the_conversation_into_the_save_dir_and_never_over_a_file() {
    let server = common::start(generate(5, 3), ServerConfig::default()).await;
    let (_, page) = common::get(&server, "/api/conversations/?page_size=1").await;
    let pk = page["results"][0]["id"].as_i64().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let saves = dir.path().join("triage");
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = State::new(state::init("test", provider.info()));
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen {
            focus: state.focus,
            open: state.detail.view.is_some(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            screen: screen_text(buffer),
        });
    };
    let run = Runtime::new().with_save_dir(saves.clone()).run(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver.press(KeyCode::Char(':'));
        driver.type_text(&pk.to_string());
        driver.press(KeyCode::Enter);
        driver
            .until("the conversation", |s| s.open && s.focus == Focus::Detail)
            .await;
        let mut said = Vec::new();
        for _ in 0..2 {
            driver.press(KeyCode::Char('s'));
            driver.press(KeyCode::Char('m'));
            let landed = driver
                .until("saved", |s| {
                    s.status
                        .as_deref()
                        .is_some_and(|t| t.starts_with("saved to "))
                })
                .await;
            said.push(landed.status.unwrap());
        }
        driver.press(KeyCode::Char('q'));
        driver.press(KeyCode::Char('q'));
        said
    };
    let (ran, said) = tokio::join!(run, script);
    assert!(ran.unwrap().quit);
    let paths: Vec<PathBuf> = said
        .iter()
        .map(|s| PathBuf::from(s.trim_start_matches("saved to ")))
        .collect();
    assert_eq!(paths.len(), 2);
    assert_ne!(paths[0], paths[1], "the second save took a new name");
    for path in &paths {
        assert_eq!(path.parent(), Some(saves.as_path()), "{said:?}");
        assert!(path.is_absolute() && path.exists(), "{}", path.display());
    }
    assert!(paths[1].to_string_lossy().ends_with("-2.md"), "{said:?}");
    server.shutdown().await.unwrap();
}
