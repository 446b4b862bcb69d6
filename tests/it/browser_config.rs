//! What the config changes in the browser, through the pure update: saved views (`v`), `[keys]` rebinding, the theme, the profile picker (`P`) and opening by id or platform id (`:`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::driver;
use crate::support::state;

use std::path::Path;
use std::sync::Arc;

use convo::app::cmd::{Cmd, Fetch};
use convo::app::msg::Msg;
use convo::app::state::{Focus, Init, PickKind, State};
use convo::app::update::{start, update};
use convo::config::{ConfigFile, Env, Flags, Settings, ThemeName, resolve};
use convo::provider::{
    Conversation, ConversationRef, Page, Provider, ProviderInfo, ProviderKind, Query,
};
use convo::session::Source;
use convo::session::profiles::{Connected, ProfileEntry};
use convo::view::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const CONFIG: &str = r#"
default_profile = "support"
theme = "light"

[profiles.support]
provider = "agentsight"
endpoint = "http://127.0.0.1:9"
api_key_env = "SUPPORT_KEY"

[profiles.voice]
provider = "chatdash"
endpoint = "http://127.0.0.1:9"
agent_id = "demo-agent"
api_key_env = "VOICE_KEY"

[[views]]
name = "angry mobile users"
query = { feedback_sentiment = "negative", device = "mobile" }

[[views]]
name = "used tools"
query = { has_action = "true", action_name = "refund" }

[[views]]
name = "voice calls"
provider = "chatdash"
query = { channel = "voice" }

[keys]
quit = "x"
pick_view = "V"
"#;

fn settings() -> Settings {
    let file = ConfigFile::parse(Path::new("/tmp/convo-test/config.toml"), CONFIG, false).unwrap();
    resolve(
        Some(&file),
        &Env::from_pairs([("SUPPORT_KEY", "k")]),
        &Flags::default(),
    )
    .unwrap()
}

fn state_with(settings: &Settings, kind: ProviderKind) -> State {
    let mut state = State::new(Init {
        page_size: 3,
        theme: Theme::named(settings.theme.value),
        ..state::init(
            "support",
            ProviderInfo {
                kind,
                host: "127.0.0.1:9".to_owned(),
            },
        )
    });
    convo::config::bindings::apply_all(&settings.rebindings, &mut state.keymap);
    state.views.clone_from(&settings.views);
    state.config_path.clone_from(&settings.config_path);
    state
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn list_query(cmds: &[Cmd]) -> Option<String> {
    cmds.iter().find_map(|c| match c {
        Cmd::Fetch(Fetch::List { query, .. }) => Some(query.summary()),
        _ => None,
    })
}

fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let frame = terminal.draw(|f| convo::ui::render(state, f)).unwrap();
    driver::screen_text(frame.buffer)
}

#[test]
fn a_saved_view_is_one_keypress_away_and_reloads_the_list_from_page_one() {
    let settings = settings();
    let mut state = state_with(&settings, ProviderKind::AgentSight);
    start(&mut state, None);
    // `V` here: the config rebinds the picker; `v` in the filter panel is always the picker.
    update(&mut state, ch('f'));
    update(&mut state, ch('v'));
    let picker = state.picker.as_ref().expect("the view picker");
    assert_eq!(picker.kind, PickKind::View);
    let names: Vec<&str> = picker.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(
        names,
        ["angry mobile users", "used tools"],
        "only the AgentSight views are offered on an AgentSight profile"
    );
    let on_screen = screen(&state);
    assert!(on_screen.contains("saved views"), "{on_screen}");
    assert!(on_screen.contains("device=mobile"), "{on_screen}");
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert!(state.picker.is_none() && state.filter.is_none());
    let sent = list_query(&cmds).expect("the list reloads");
    assert!(
        sent.contains("mobile") && sent.contains("negative"),
        "{sent}"
    );
    assert_eq!(state.query.summary(), sent);

    // From the list, the second view by its number; the first view's filters are gone.
    let cmds = update(&mut state, ch('V'));
    assert!(cmds.is_empty());
    let cmds = update(&mut state, ch('2'));
    let sent = list_query(&cmds).expect("the list reloads");
    assert!(!sent.contains("mobile"), "{sent}");
    assert!(sent.contains("refund"), "{sent}");
}

#[test]
fn without_views_for_the_provider_v_says_where_to_add_them() {
    let settings = settings();
    let mut state = state_with(&settings, ProviderKind::ChatDash);
    state
        .views
        .retain(|v| v.provider == ProviderKind::AgentSight);
    update(&mut state, ch('V'));
    assert!(state.picker.is_none());
    let status = state.status.clone().expect("a hint").text;
    assert!(status.contains("no saved views for ChatDash"), "{status}");
    assert!(status.contains("/tmp/convo-test/config.toml"), "{status}");
}

#[test]
fn keys_rebound_in_the_config_work_and_the_help_lists_them() {
    let settings = settings();
    let mut state = state_with(&settings, ProviderKind::AgentSight);
    start(&mut state, None);
    update(&mut state, ch('x'));
    assert!(state.quit, "x quits, as [keys] says");
    let rows = state.keymap.help_rows();
    let quit = rows
        .iter()
        .find(|r| r.action == convo::app::keymap::Action::Quit)
        .unwrap();
    assert!(quit.keys.split(' ').any(|k| k == "x"), "{}", quit.keys);
}

#[test]
fn the_light_theme_differs_from_the_dark_and_no_color_wins() {
    assert_eq!(settings().theme.value, ThemeName::Light);
    let light = Theme::named(ThemeName::Light);
    let dark = Theme::named(ThemeName::Dark);
    let mono = Theme::named(ThemeName::Mono);
    assert_ne!(light.heading(), dark.heading());
    assert_ne!(light.warning(), dark.warning());
    assert_eq!(mono.heading().fg, None);
    let env = Env::from_pairs([("NO_COLOR", "1")]);
    let file = ConfigFile::parse(Path::new("/tmp/c.toml"), CONFIG, false).unwrap();
    let flags = Flags {
        profile: Some("support".to_owned()),
        ..Flags::default()
    };
    let forced = resolve(Some(&file), &env, &flags).unwrap();
    assert_eq!(forced.theme.value, ThemeName::Mono);
}

fn profile(name: &str, provider: ProviderKind) -> ProfileEntry {
    ProfileEntry {
        name: name.to_owned(),
        provider,
        detail: "127.0.0.1:9".to_owned(),
    }
}

/// A provider that is never asked anything: the switch is decided by update alone.
struct Idle(ProviderKind);

#[async_trait::async_trait]
impl Provider for Idle {
    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            kind: self.0,
            host: "voice.example".to_owned(),
        }
    }
    async fn list(&self, _: &Query, _: u32, _: u32) -> Result<Page, convo::provider::Error> {
        unreachable!("update never calls a provider")
    }
    async fn conversation(
        &self,
        _: &ConversationRef,
    ) -> Result<Conversation, convo::provider::Error> {
        unreachable!("update never calls a provider")
    }
    async fn attachments(
        &self,
        _: &ConversationRef,
    ) -> Result<convo::provider::AttachmentIndex, convo::provider::Error> {
        unreachable!("update never calls a provider")
    }
    async fn whoami(&self) -> Result<convo::provider::Identity, convo::provider::Error> {
        unreachable!("update never calls a provider")
    }
    fn new_query(&self) -> Query {
        convo::provider::chatdash::new_query()
    }
    fn dashboard_url(&self, _: &Conversation) -> Option<String> {
        None
    }
}

#[test]
fn p_switches_profile_and_forgets_everything_of_the_old_one() {
    let settings = settings();
    let mut state = state_with(&settings, ProviderKind::AgentSight);
    update(&mut state, ch('P'));
    assert!(state.picker.is_none(), "one profile: nothing to pick");
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("no other profile"),
        "{:?}",
        state.status
    );

    state.profiles = vec![
        profile("support", ProviderKind::AgentSight),
        profile("voice", ProviderKind::ChatDash),
    ];
    let cmds = start(&mut state, None);
    let Some(Cmd::Fetch(Fetch::List { generation, .. })) = cmds.first() else {
        panic!("page 1 asked for: {cmds:?}");
    };
    let old_generation = *generation;
    let row = Conversation {
        id: Some(7),
        conversation_id: Some("conv-old".to_owned()),
        ..Conversation::default()
    };
    update(
        &mut state,
        Msg::ListLoaded {
            generation: old_generation,
            page: Page {
                conversations: vec![row],
                total: 1,
                page: 1,
                page_size: 3,
                total_pages: 1,
            },
        },
    );
    update(&mut state, ch('P'));
    let picker = state.picker.as_ref().expect("the profile picker");
    assert_eq!(picker.kind, PickKind::Profile);
    assert_eq!(picker.selected, 0, "the profile in use is highlighted");
    assert!(screen(&state).contains("switch profile"));
    update(&mut state, ch('j'));
    let cmds = update(&mut state, key(KeyCode::Enter));
    let Some(Cmd::Connect {
        generation: switch,
        profile,
    }) = cmds.first()
    else {
        panic!("a connect: {cmds:?}");
    };
    assert_eq!(profile, "voice");
    assert!(state.busy(), "connecting shows the spinner");
    assert_eq!(
        state.list.rows().len(),
        1,
        "the old list stays until the new one is ready"
    );

    let provider: Arc<dyn Provider> = Arc::new(Idle(ProviderKind::ChatDash));
    let connected = Connected {
        source: Source {
            profile: "voice".to_owned(),
            provider: provider.info(),
        },
        query: provider.new_query(),
        provider,
    };
    let cmds = update(
        &mut state,
        Msg::Switched {
            generation: *switch,
            profile: "voice".to_owned(),
            result: Ok(connected),
        },
    );
    assert!(matches!(cmds.first(), Some(Cmd::Install(_))), "{cmds:?}");
    assert!(list_query(&cmds).is_some(), "page 1 of the new profile");
    assert_eq!(state.source.profile, "voice");
    assert_eq!(state.focus, Focus::List);
    assert!(
        state.list.rows().is_empty(),
        "nothing of the old profile shows"
    );
    assert!(state.detail.view.is_none());
    let on_screen = screen(&state);
    assert!(!on_screen.contains("conv-old"), "{on_screen}");
    assert!(on_screen.contains("voice"), "{on_screen}");

    // The old profile's late reply is dropped.
    let late = update(
        &mut state,
        Msg::ListLoaded {
            generation: old_generation,
            page: Page {
                conversations: vec![Conversation {
                    id: Some(8),
                    conversation_id: Some("conv-late".to_owned()),
                    ..Conversation::default()
                }],
                total: 1,
                page: 1,
                page_size: 3,
                total_pages: 1,
            },
        },
    );
    assert!(late.is_empty());
    assert!(state.list.rows().is_empty());

    // A failed switch keeps the profile in use and says why.
    update(&mut state, ch('P'));
    update(&mut state, ch('1'));
    let generation = state.switch_generation;
    let failed = update(
        &mut state,
        Msg::Switched {
            generation,
            profile: "support".to_owned(),
            result: Err("SUPPORT_KEY is not set".to_owned()),
        },
    );
    assert!(failed.is_empty());
    assert_eq!(state.source.profile, "voice");
    let status = state.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status
            .text
            .contains("cannot switch to profile support: SUPPORT_KEY is not set (still on voice)"),
        "{}",
        status.text
    );
}

#[test]
fn colon_opens_by_id_and_tab_reads_a_chatdash_platform_id() {
    let settings = settings();
    let mut state = state_with(&settings, ProviderKind::ChatDash);
    start(&mut state, None);
    update(&mut state, ch(':'));
    for c in "vf-123".chars() {
        update(&mut state, ch(c));
    }
    update(&mut state, key(KeyCode::Tab));
    assert!(screen(&state).contains("open platform id: vf-123"));
    let cmds = update(&mut state, key(KeyCode::Enter));
    let asked = cmds.iter().find_map(|c| match c {
        Cmd::Fetch(Fetch::Detail { id, .. }) => Some(id.clone()),
        _ => None,
    });
    assert_eq!(asked, Some(ConversationRef::Platform("vf-123".to_owned())));
    assert_eq!(state.focus, Focus::Detail);

    // On AgentSight, Tab says platform ids are not its own; digits are a pk.
    let mut state = state_with(&settings, ProviderKind::AgentSight);
    update(&mut state, ch(':'));
    update(&mut state, key(KeyCode::Tab));
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("platform ids are ChatDash's")
    );
    update(&mut state, ch('4'));
    update(&mut state, ch('2'));
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert!(cmds.iter().any(|c| matches!(
        c,
        Cmd::Fetch(Fetch::Detail {
            id: ConversationRef::Pk(42),
            ..
        })
    )));

    // Nothing typed: an error, no fetch.
    update(&mut state, ch(':'));
    let cmds = update(&mut state, key(KeyCode::Enter));
    assert!(cmds.is_empty());
    assert!(state.status.as_ref().unwrap().error);
}
