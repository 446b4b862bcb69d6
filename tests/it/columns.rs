//! The list's columns: the name kept at every width (`AgentSight` and `ChatDash`, from pages the local server on 127.0.0.1 serves), `ChatDash`'s channel in place of its hex id, snapshots at 80×24, 120×40 and 200×50, and `[columns]` in the config.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed step should stop the test on the spot

use crate::support::common;
use crate::support::offline::Offline;
use crate::support::state;

use std::path::{Path, PathBuf};
use std::process::Output;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Init, State};
use convo::app::update::{start, update};
use convo::config::columns::Column;
use convo::config::{ConfigFile, Env, Flags, resolve};
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::{Page, Provider, ProviderInfo, ProviderKind};
use convo::server::chatdash::{DEMO_AGENT, DEMO_CHATDASH_KEY};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, ServerConfig};
use convo::ui::render;
use convo::view::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

const PAGE_SIZE: u32 = 25;

const MONO: Theme = Theme {
    mono: true,
    light: false,
};

/// The whole screen as text, a line per row.
fn lines(state: &State) -> Vec<String> {
    let backend = screen(state);
    let buffer = backend.buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn screen(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
    terminal.backend().clone()
}

/// The list's title line (the first line naming the start column).
fn titles(state: &State) -> String {
    lines(state)
        .into_iter()
        .find(|l| l.contains("started"))
        .unwrap_or_else(|| panic!("no column titles:\n{}", lines(state).join("\n")))
}

macro_rules! snap {
    ($name:expr, $state:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, screen(&$state));
        });
    };
}

/// A browser of `kind` whose first page is `page`, as the list fetch answered it.
fn browser_with(kind: ProviderKind, page: Page, size: (u16, u16)) -> State {
    let info = ProviderInfo {
        kind,
        host: "127.0.0.1".to_owned(),
    };
    let mut state = State::new(Init {
        page_size: PAGE_SIZE,
        size,
        ..state::init("demo", info)
    });
    let cmds = start(&mut state, None);
    let generation = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Fetch(Fetch::List { generation, .. }) => Some(*generation),
            _ => None,
        })
        .expect("the browser asks for its first page");
    update(&mut state, Msg::ListLoaded { generation, page });
    state
}

/// Every terminal width from 20 to 200: the title line names the name column,
/// and the selected row shows the start of its conversation's name.
fn name_kept_at_every_width(kind: ProviderKind, page: &Page) {
    let first = page.conversations[0]
        .name
        .clone()
        .expect("the first row has a name");
    let start: String = first.chars().take(3).collect();
    let mut state = browser_with(kind, page.clone(), (20, 24));
    for width in 20..=200u16 {
        update(&mut state, Msg::Resize(width, 24));
        let screen = lines(&state);
        let titles = titles(&state);
        assert!(
            titles.contains(" name"),
            "{kind}: no name column at {width} columns:\n{}",
            screen.join("\n")
        );
        let selected = screen
            .iter()
            .find(|l| l.contains('▶'))
            .expect("a selected row");
        assert!(
            selected.contains(&start),
            "{kind}: the name {first:?} is not on its row at {width} columns:\n{}",
            screen.join("\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_name_is_kept_at_every_width_from_20_to_200() {
    let server = common::start(generate(40, 1), ServerConfig::default()).await;

    let agentsight = AgentSight::new(AgentSightConfig::new(
        server.base_url(),
        Some(DEMO_API_KEY.to_owned()),
    ))
    .unwrap();
    let page = agentsight
        .list(&agentsight.new_query(), 1, PAGE_SIZE)
        .await
        .unwrap();
    assert!(!page.conversations.is_empty());
    name_kept_at_every_width(ProviderKind::AgentSight, &page);

    let chatdash = ChatDash::new(ChatDashConfig::new(
        server.base_url(),
        Some(DEMO_CHATDASH_KEY.to_owned()),
        Some(DEMO_AGENT.to_owned()),
    ))
    .unwrap();
    let page = chatdash
        .list(&chatdash.new_query(), 1, PAGE_SIZE)
        .await
        .unwrap();
    assert!(!page.conversations.is_empty());
    name_kept_at_every_width(ProviderKind::ChatDash, &page);
}

#[tokio::test(flavor = "multi_thread")]
async fn chatdash_rows_show_their_channel_not_their_hex_id() {
    let server = common::start(Vec::new(), ServerConfig::default()).await;
    let chatdash = ChatDash::new(ChatDashConfig::new(
        server.base_url(),
        Some(DEMO_CHATDASH_KEY.to_owned()),
        Some(DEMO_AGENT.to_owned()),
    ))
    .unwrap();
    let page = chatdash
        .list(&chatdash.new_query(), 1, PAGE_SIZE)
        .await
        .unwrap();
    let first = page.conversations[0].clone();
    let channel = first
        .facts()
        .channel
        .expect("the demo's rows have a channel");
    let state = browser_with(ProviderKind::ChatDash, page, (80, 24));
    let screen = lines(&state);
    assert!(titles(&state).contains("channel"), "{}", screen.join("\n"));
    let selected = screen.iter().find(|l| l.contains('▶')).unwrap();
    assert!(selected.contains(&channel), "{}", screen.join("\n"));
    let id: String = first.display_id().chars().take(8).collect();
    assert!(!selected.contains(&id), "{}", screen.join("\n"));
}

#[test]
fn agentsight_list_at_three_sizes() {
    let offline = Offline::new(40, PAGE_SIZE);
    snap!("columns_agentsight_80x24", offline.listed(80, 24, MONO));
    snap!("columns_agentsight_120x40", offline.listed(120, 40, MONO));
    snap!("columns_agentsight_200x50", offline.listed(200, 50, MONO));
    // Split view at 120: the name stays and the id makes way.
    let state = offline.listed(120, 40, MONO);
    let titles = titles(&state);
    assert!(
        titles.contains(" name") && !titles.contains(" id "),
        "{titles}"
    );
}

#[test]
fn chatdash_list_at_three_sizes() {
    let offline = Offline::chatdash(PAGE_SIZE);
    snap!("columns_chatdash_80x24", offline.listed(80, 24, MONO));
    snap!("columns_chatdash_120x40", offline.listed(120, 40, MONO));
    snap!("columns_chatdash_200x50", offline.listed(200, 50, MONO));
}

// ---- [columns] ----------------------------------------------------------------

fn path() -> PathBuf {
    PathBuf::from("/home/someone/.config/convo/config.toml")
}

fn parse_err(text: &str) -> String {
    ConfigFile::parse(&path(), text, false)
        .expect_err("the file is refused")
        .to_string()
}

#[test]
fn a_bad_column_list_is_refused_with_its_line_and_the_fix() {
    let e = parse_err("theme = \"dark\"\n[columns]\nlist = [\"started\", \"nmae\"]\n");
    assert!(e.contains("config.toml line 3"), "{e}");
    assert!(e.contains("unknown column `nmae`"), "{e}");
    assert!(e.contains("did you mean `name`?"), "{e}");

    let e = parse_err("[columns]\nlist = [\"name\", \"zzzzzzzzzz\"]\n");
    assert!(
        e.contains("the columns are: started, name, customer"),
        "{e}"
    );

    let e = parse_err("[columns]\nlist = [\"name\", \"id\", \"id\"]\n");
    assert!(e.contains("names `id` twice"), "{e}");

    let e = parse_err("[columns]\nlist = [\"started\", \"customer\"]\n");
    assert!(e.contains("leaves out `name`"), "{e}");

    let e = parse_err("[columns]\nlists = [\"name\"]\n");
    assert!(e.contains("unknown key `lists` in [columns]"), "{e}");
    assert!(e.contains("did you mean `list`?"), "{e}");

    let e = parse_err("[columns]\nlist = \"name\"\n");
    assert!(e.contains("line 2"), "{e}");
}

const CHOSEN: &str = r#"
[columns]
list = ["started", "name", "customer", "messages", "sentiment", "marked"]
"#;

#[test]
fn a_config_chooses_and_orders_the_columns() {
    let file = ConfigFile::parse(&path(), CHOSEN, false).unwrap();
    let settings = resolve(
        Some(&file),
        &Env::from_pairs::<&str, &str>([]),
        &Flags::default(),
    )
    .unwrap();
    let chosen = settings.columns.expect("the file chooses columns").value;
    assert_eq!(
        chosen,
        [
            Column::Started,
            Column::Name,
            Column::Customer,
            Column::Messages,
            Column::Sentiment,
            Column::Marked
        ]
    );

    let offline = Offline::new(40, PAGE_SIZE);
    let mut state = offline.listed(80, 24, MONO);
    state.columns = Some(chosen);
    snap!("columns_chosen_80x24", state);
    let titles = titles(&state);
    let at = |t: &str| titles.find(t).unwrap_or_else(|| panic!("{t} in {titles}"));
    assert!(at("started") < at("name") && at("name") < at("customer"));
    assert!(at("customer") < at("✉") && at("✉") < at("☺") && at("☺") < at("★"));
    assert!(
        !titles.contains("device") && !titles.contains("lang"),
        "{titles}"
    );

    // Reordered: the customer first, the name last.
    let file = ConfigFile::parse(
        &path(),
        "[columns]\nlist = [\"customer\", \"started\", \"name\"]\n",
        false,
    )
    .unwrap();
    state.columns = file.columns;
    let titles = self::titles(&state);
    assert!(
        titles.find("customer") < titles.find("started")
            && titles.find("started") < titles.find("name"),
        "{titles}"
    );
}

async fn convo(config: &Path, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_CONFIG")
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("CHATDASH_API_KEY")
        .output()
        .await
        .expect("run convo")
}

#[tokio::test(flavor = "multi_thread")]
async fn config_show_names_the_columns_and_who_chose_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CHOSEN).unwrap();
    let out = convo(&config, &["config", "show"]).await;
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = shown
        .lines()
        .find(|l| l.starts_with("columns"))
        .unwrap_or_else(|| panic!("no columns row:\n{shown}"));
    assert!(
        line.contains("started name customer messages sentiment marked"),
        "{line}"
    );
    assert!(line.contains("config.toml"), "{line}");

    let out = convo(&config, &["config", "show", "--format", "json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["columns"]["value"],
        serde_json::json!([
            "started",
            "name",
            "customer",
            "messages",
            "sentiment",
            "marked"
        ])
    );

    // Without [columns]: the provider's own, said to be the default.
    std::fs::write(&config, "theme = \"dark\"\n").unwrap();
    let out = convo(&config, &["config", "show", "--format", "json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["columns"]["source"], "default");
    assert_eq!(doc["columns"]["value"][1], "name");

    // A bad column stops the command with the file, the line and the fix.
    std::fs::write(&config, "[columns]\nlist = [\"nam\"]\n").unwrap();
    let out = convo(&config, &["config", "show"]).await;
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 2") && said.contains("did you mean `name`?"),
        "{said}"
    );
}

#[test]
fn the_example_configs_columns_table_parses_when_uncommented() {
    let example = include_str!("../../assets/config.example.toml");
    let mut table = String::new();
    for line in example
        .lines()
        .skip_while(|l| *l != "# [columns]")
        .map_while(|l| l.strip_prefix("# "))
    {
        table.push_str(line);
        table.push('\n');
    }
    assert!(table.starts_with("[columns]\nlist = "), "{table}");
    let file = ConfigFile::parse(&path(), &table, false).unwrap();
    assert_eq!(file.columns.map(|c| c.len()), Some(6));
}
