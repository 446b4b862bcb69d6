//! The real loop (runtime, update, fetch task) driven by scripted keys against `convo serve` on 127.0.0.1, drawing on a `TestBackend`; each step waits for what it expects to see, with a deadline, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::common;
use crate::support::driver;
use crate::support::state;

use std::sync::Arc;
use std::time::Duration;

use convo::app::state::{Focus, State};
use convo::provider::agentsight::{AgentSight, AgentSightConfig};
use convo::provider::{Conversation, Provider};
use convo::runtime::{Headless, run_with};
use convo::server::generate::generate;
use convo::server::{DEMO_API_KEY, ServerConfig};
use convo::view::detail::{SearchStatus, Tab};
use crossterm::event::KeyCode;
use driver::{Frame, driver, screen_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// What the test can see after a frame.
#[derive(Clone, Debug)]
struct Seen {
    total: Option<u64>,
    page: u32,
    listing: bool,
    busy: bool,
    focus: Focus,
    filter_open: bool,
    summary: String,
    selected_id: Option<i64>,
    open_id: Option<i64>,
    tab: Option<Tab>,
    search: Option<SearchStatus>,
    profile: String,
    status: Option<String>,
    /// The filter panel's field being edited, if any.
    field: Option<String>,
    screen: String,
}

impl Seen {
    fn of(state: &State, buffer: &Buffer) -> Self {
        Self {
            total: state.list.shown.as_ref().map(|p| p.total),
            page: state.list.page_number(),
            listing: state.list.loading.is_some(),
            busy: state.busy(),
            focus: state.focus,
            filter_open: state.filter.is_some(),
            summary: state.query.summary(),
            selected_id: state.list.selected_row().and_then(|r| r.id),
            open_id: state.detail.view.as_ref().and_then(|v| v.conversation().id),
            tab: state
                .detail
                .view
                .as_ref()
                .map(convo::view::detail::DetailView::tab),
            search: state.detail.search.as_ref().map(|(_, s)| *s),
            profile: state.source.profile.clone(),
            status: state.status.as_ref().map(|s| s.text.clone()),
            field: state
                .filter
                .as_ref()
                .filter(|p| p.editing)
                .and_then(|p| p.rows.get(p.selected))
                .map(|r| r.value().to_owned()),
            screen: screen_text(buffer),
        }
    }
}

impl Frame for Seen {
    fn screen(&self) -> &str {
        &self.screen
    }
}

fn initial_state(provider: &dyn Provider) -> State {
    State::new(state::init("test", provider.info()))
}

/// A word of the conversation's first message, to search for.
fn word_in(conversation: &Conversation) -> String {
    conversation
        .messages()
        .iter()
        .filter_map(|m| m.content.as_deref())
        .flat_map(str::split_whitespace)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| w.chars().count() >= 5 && w.chars().all(char::is_alphanumeric))
        .expect("a word to search for")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_keys_drive_the_real_loop_against_a_local_server() {
    let data = generate(120, 7);
    let server = common::start(data.clone(), ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let visible = data.iter().filter(|c| c.is_deleted != Some(true)).count() as u64;
    let mobile = data
        .iter()
        .filter(|c| c.is_deleted != Some(true) && c.device.as_deref() == Some("mobile"))
        .count() as u64;
    assert!(
        mobile > 0 && mobile < visible,
        "the data set must make the filter matter"
    );

    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = initial_state(&*provider);
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );

    let script = async move {
        let first = driver
            .until("page 1 of the whole list", |s| {
                s.total == Some(visible) && !s.listing
            })
            .await;
        assert!(
            first
                .screen
                .contains(&format!("{visible} conversations · page 1/3")),
            "{}",
            first.screen
        );

        // Page forward and back.
        driver.press(KeyCode::Char(']'));
        driver.until("page 2", |s| s.page == 2 && !s.listing).await;
        driver.press(KeyCode::Char('['));
        let back = driver
            .until("page 1 again", |s| s.page == 1 && !s.listing)
            .await;
        assert!(back.screen.contains("page 1/3"));

        // Edit a filter: device = mobile, and see the count change.
        driver.press(KeyCode::Char('f'));
        let panel = driver.until("the filter panel", |s| s.filter_open).await;
        let device_row = panel
            .screen
            .lines()
            .skip(3)
            .position(|l| l.contains(" device "))
            .expect("a device row");
        for _ in 0..device_row {
            driver.press(KeyCode::Char('j'));
        }
        driver.press(KeyCode::Enter);
        driver.type_text("mobile");
        driver.press(KeyCode::Enter);
        let filtered = driver
            .until("the filtered count", |s| {
                s.total == Some(mobile) && !s.listing
            })
            .await;
        assert_eq!(filtered.summary, "device=mobile");
        assert!(
            filtered.screen.contains("filters: device=mobile"),
            "{}",
            filtered.screen
        );
        assert!(filtered.screen.contains(&format!("{mobile} conversations")));

        // F clears it from the list.
        driver.press(KeyCode::Char('F'));
        driver
            .until("the whole list again", |s| {
                s.total == Some(visible) && !s.listing
            })
            .await;

        // Open the selected conversation and switch tabs.
        driver.press(KeyCode::Enter);
        let opened = driver
            .until("the conversation open", |s| {
                s.focus == Focus::Detail
                    && s.open_id.is_some()
                    && s.open_id == s.selected_id
                    && !s.busy
            })
            .await;
        let pk = opened.open_id.unwrap();
        driver.press(KeyCode::Char('2'));
        driver
            .until("the Actions tab", |s| s.tab == Some(Tab::Actions))
            .await;
        driver.press(KeyCode::Char('1'));
        driver
            .until("the Messages tab", |s| s.tab == Some(Tab::Messages))
            .await;

        // Search it.
        let conversation = data.iter().find(|c| c.id == Some(pk)).unwrap();
        let word = word_in(conversation);
        driver.press(KeyCode::Char('/'));
        driver.type_text(&word);
        let prompt = format!("/{word}");
        let found = driver
            .until("the whole word typed", |s| s.screen.contains(&prompt))
            .await;
        assert!(
            found.search.is_some_and(|m| m.matches > 0),
            "{}",
            found.screen
        );
        let before = found.search.and_then(|m| m.current);
        driver.press(KeyCode::Enter);
        driver.press(KeyCode::Char('n'));
        driver
            .until("n to move to another match", |s| {
                s.search
                    .is_some_and(|m| m.current.is_some() && (m.matches == 1 || m.current != before))
            })
            .await;

        // J walks to the next conversation of the list.
        driver.press(KeyCode::Char('J'));
        driver
            .until("the next conversation", |s| {
                s.open_id.is_some() && s.open_id != Some(pk) && !s.busy
            })
            .await;

        // q goes back first, then quits.
        driver.press(KeyCode::Char('q'));
        driver
            .until("back in the list", |s| s.focus == Focus::List)
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    let end = ran.expect("the loop ends cleanly");
    assert!(end.quit);
    server.shutdown().await.unwrap();
}

/// `P` in the real loop: a config with an `AgentSight` and a `ChatDash` profile on
/// one local server, and one whose key command fails. Switching reloads the
/// list from the other API, and from the moment the new profile is in force no
/// frame shows a row, a count or an open conversation of the old one — not
/// even the reply to a refresh that was still in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_switches_profile_in_the_running_browser_and_nothing_stale_shows() {
    use convo::config::{ConfigFile, Env, Flags};
    use convo::session::connect::ConfigProfiles;

    let data = generate(40, 11);
    let config = ServerConfig {
        // Slow enough that a refresh is still in flight when the switch lands.
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    };
    let server = common::start(data.clone(), config).await;
    let requests = server.requests();
    let visible = data.iter().filter(|c| c.is_deleted != Some(true)).count() as u64;
    let base = server.base_url();
    let text = format!(
        r#"
[profiles.support]
provider = "agentsight"
endpoint = "{base}"
api_key_env = "TEST_SUPPORT_KEY"

[profiles.voice]
provider = "chatdash"
endpoint = "{base}"
agent_id = "demo-agent"
api_key_env = "TEST_VOICE_KEY"

[profiles.broken]
provider = "agentsight"
endpoint = "{base}"
api_key_cmd = "echo 'vault is sealed' >&2; exit 3"
"#
    );
    let file = ConfigFile::parse(std::path::Path::new("/tmp/convo-p.toml"), &text, false).unwrap();
    let env = Env::from_pairs([
        ("TEST_SUPPORT_KEY", DEMO_API_KEY),
        ("TEST_VOICE_KEY", "chatdash-demo-key"),
    ]);
    let profiles = Arc::new(ConfigProfiles::new(file, env, &Flags::default()));
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            base.clone(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let mut state = initial_state(&*provider);
    state.source.profile = "support".to_owned();

    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = convo::runtime::Runtime::new().with_profiles(profiles).run(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );

    let script = async move {
        driver
            .until("the AgentSight list", |s| {
                s.total == Some(visible) && !s.listing
            })
            .await;
        driver.press(KeyCode::Enter);
        let opened = driver
            .until("a conversation open", |s| s.open_id.is_some() && !s.busy)
            .await;
        let old_id = opened.selected_id.unwrap();
        let old_name = data
            .iter()
            .find(|c| c.id == Some(old_id))
            .and_then(|c| c.conversation_id.clone())
            .unwrap();
        assert!(opened.screen.contains(&old_name));

        // A refresh in flight, then the switch: broken, support, voice.
        driver.press(KeyCode::Char('r'));
        driver.press(KeyCode::Char('P'));
        let picker = driver
            .until("the profile picker", |s| {
                s.screen.contains("switch profile")
            })
            .await;
        assert!(picker.screen.contains("voice"), "{}", picker.screen);
        assert!(picker.screen.contains("ChatDash"), "{}", picker.screen);
        driver.press(KeyCode::Char('3'));
        let switched = driver
            .until("the ChatDash list", |s| {
                s.profile == "voice" && s.total.is_some() && !s.busy
            })
            .await;
        assert_ne!(switched.total, Some(visible));
        assert!(switched.screen.contains("voice"), "{}", switched.screen);
        assert!(switched.screen.contains("ChatDash"), "{}", switched.screen);
        assert_eq!(switched.focus, Focus::List);
        assert_eq!(switched.open_id, None);

        // Let the old refresh end (the server is done with every request it
        // took in, the refresh included, answered or hung up on): its reply
        // must not show.
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while requests.in_flight() > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the server never finished the old refresh"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        driver.press(KeyCode::Char('j'));
        let later = driver.until("a frame after the old reply", |_| true).await;
        assert_eq!(later.profile, "voice");
        assert_eq!(later.total, switched.total, "{}", later.screen);
        assert!(!later.screen.contains(&old_name), "{}", later.screen);

        // A profile whose key command fails: said, and the browser stays on voice.
        driver.press(KeyCode::Char('P'));
        driver
            .until("the picker again", |s| s.screen.contains("switch profile"))
            .await;
        driver.press(KeyCode::Char('1'));
        let refused = driver
            .until("the failed switch", |s| {
                s.status
                    .as_deref()
                    .is_some_and(|t| t.contains("cannot switch to profile broken"))
            })
            .await;
        let status = refused.status.unwrap();
        assert!(status.contains("vault is sealed"), "{status}");
        assert!(status.contains("still on voice"), "{status}");
        assert_eq!(refused.total, switched.total);

        // And back to AgentSight: its list again, from page 1.
        driver.press(KeyCode::Char('P'));
        driver
            .until("the picker once more", |s| {
                s.screen.contains("switch profile")
            })
            .await;
        driver.press(KeyCode::Char('2'));
        driver
            .until("the AgentSight list again", |s| {
                s.profile == "support" && s.total == Some(visible) && !s.busy
            })
            .await;
        driver.press(KeyCode::Char('q'));
    };
    let (state, ()) = tokio::join!(run, script);
    let state = state.unwrap();
    assert!(state.quit);
    drop(server);
}

/// A test terminal whose size follows the resize events, as a real one does.
struct Resizing {
    terminal: Terminal<TestBackend>,
}

impl convo::runtime::Host for Resizing {
    type Backend = TestBackend;

    fn terminal(&mut self) -> &mut Terminal<TestBackend> {
        &mut self.terminal
    }

    fn resized(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
    }

    fn copy(&mut self, _text: &str) -> Result<String, String> {
        Err("no terminal to copy through".to_owned())
    }

    fn open_url(&mut self, _url: &str) -> convo::term::open_url::OpenOutcome {
        convo::term::open_url::OpenOutcome::ShowInstead("no browser here".to_owned())
    }
}

/// A storm of resizes through the real loop — every size from 1×1 to 120×3,
/// then a few hundred random ones between 1×1 and 200×60, in every focus —
/// leaves it running: it still answers keys and quits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resize_storm_leaves_the_loop_running() {
    use crossterm::event::Event;
    let data = generate(40, 11);
    let server = common::start(data, ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Resizing {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let state = initial_state(&*provider);
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver
            .until("the first page", |s| s.total.is_some() && !s.listing)
            .await;
        // A small xorshift: the storm is the same on every run.
        let mut seed: u32 = 0x9E37_79B9;
        let mut next = move |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            u16::try_from(seed % below).unwrap() + 1
        };
        for focus_key in [None, Some(KeyCode::Enter), Some(KeyCode::Char('f'))] {
            if let Some(key) = focus_key {
                driver.press(key);
            }
            for width in 1..=120 {
                for height in 1..=3 {
                    driver.send(Event::Resize(width, height));
                }
            }
            for _ in 0..300 {
                driver.send(Event::Resize(next(200), next(60)));
            }
            driver.send(Event::Resize(120, 40));
            driver.press(KeyCode::Esc);
            driver
                .until("the list again, full size", |s| {
                    s.focus == Focus::List && !s.filter_open && s.screen.contains("conversations")
                })
                .await;
        }
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop survives the storm").quit);
    server.shutdown().await.unwrap();
}

/// A megabyte of pasted text, the way a support lead pastes a whole log by
/// mistake: many lines, CRLF and tabs, and an attack (controls, the end of a
/// bracketed paste, a bidi override) on every line.
fn megabyte_paste() -> String {
    let line = "refund order 4711\tcustomer said \u{1b}[201~ \u{202e}txt.exe\r\n";
    line.repeat(1_048_576 / line.len() + 1)
}

/// A 1 MB paste into a filter field through the real loop: it goes in at
/// once (not a key a character), flattened to one line without controls,
/// cut to the field's limit with the cut said in the status line, and the
/// loop answers the next key straight away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_megabyte_paste_into_a_filter_field_goes_in_at_once_cut_and_said() {
    use convo::app::field::MAX_FIELD_BYTES;
    use crossterm::event::Event;
    let server = common::start(generate(40, 3), ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let observe = move |state: &State, buffer: &Buffer| {
        let _ = seen_tx.send(Seen::of(state, buffer));
    };
    let state = initial_state(&*provider);
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver
            .until("the first page", |s| s.total.is_some() && !s.listing)
            .await;
        driver.press(KeyCode::Char('f'));
        // The first row is the full-text search.
        driver.until("the filter panel", |s| s.filter_open).await;
        driver.press(KeyCode::Enter);
        driver
            .until("the search field in edit", |s| s.field.is_some())
            .await;

        let paste = megabyte_paste();
        let since = std::time::Instant::now();
        driver.send(Event::Paste(paste));
        let pasted = driver
            .until("the paste in the field", |s| {
                s.field.as_ref().is_some_and(|f| !f.is_empty())
            })
            .await;
        let took = since.elapsed();
        println!(
            "a 1 MB paste into the filter field: shown {} ms after it was sent",
            took.as_millis()
        );
        let field = pasted.field.unwrap();
        assert!(
            field.len() <= MAX_FIELD_BYTES && field.len() > MAX_FIELD_BYTES - 8,
            "{} bytes in the field",
            field.len()
        );
        assert!(
            field.starts_with("refund order 4711 customer said [201~ txt.exe refund order"),
            "{:?}",
            &field[..80]
        );
        assert!(
            !field.chars().any(convo::text::is_terminal_control),
            "a control in the field"
        );
        let status = pasted.status.unwrap_or_default();
        assert!(
            status.contains("cut") && status.contains("4 KiB"),
            "{status}"
        );
        assert!(pasted.screen.contains("4 KiB"), "{}", pasted.screen);
        // A generous bound (10× the aim of 100 ms): the paste must not freeze the loop.
        assert!(took < Duration::from_secs(1), "the paste took {took:?}");

        // The next key is handled at once: Backspace takes one character off.
        driver.press(KeyCode::Backspace);
        driver
            .until("one character fewer", |s| {
                s.field
                    .as_ref()
                    .is_some_and(|f| f.chars().count() + 1 == field.chars().count())
            })
            .await;
        driver.press(KeyCode::Esc);
        driver.press(KeyCode::Esc);
        driver.until("the panel closed", |s| !s.filter_open).await;
        driver.press(KeyCode::Char('q'));
    };
    let (ran, ()) = tokio::join!(run, script);
    assert!(ran.expect("the loop ends cleanly").quit);
    server.shutdown().await.unwrap();
}

/// A long paste from a terminal without bracketed paste arrives as keys, one
/// a character. Ctrl-c sent after 200,000 of them ends the loop without
/// waiting for them all, and none of them grew the field past its limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_behind_a_flood_of_typed_keys_quits_at_once() {
    use convo::app::field::MAX_FIELD_BYTES;
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let server = common::start(generate(20, 5), ServerConfig::default()).await;
    let provider: Arc<dyn Provider> = Arc::new(
        AgentSight::new(AgentSightConfig::new(
            server.base_url(),
            Some(DEMO_API_KEY.to_owned()),
        ))
        .unwrap(),
    );
    let (mut driver, events, seen_tx) = driver::<Seen>();
    let mut host = Headless {
        terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    let longest = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen_longest = Arc::clone(&longest);
    let observe = move |state: &State, buffer: &Buffer| {
        let seen = Seen::of(state, buffer);
        if let Some(field) = &seen.field {
            seen_longest.fetch_max(field.len(), std::sync::atomic::Ordering::Relaxed);
        }
        let _ = seen_tx.send(seen);
    };
    let state = initial_state(&*provider);
    let run = run_with(
        Arc::clone(&provider),
        state,
        None,
        events,
        &mut host,
        observe,
    );
    let script = async move {
        driver
            .until("the first page", |s| s.total.is_some() && !s.listing)
            .await;
        driver.press(KeyCode::Char('f'));
        driver.until("the filter panel", |s| s.filter_open).await;
        driver.press(KeyCode::Char('e'));
        driver.until("a field in edit", |s| s.field.is_some()).await;
        for i in 0..200_000_u32 {
            let c = char::from(b'a' + u8::try_from(i % 26).unwrap());
            driver.send(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
        driver.send(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        std::time::Instant::now()
    };
    let (ran, sent) = tokio::join!(run, script);
    let took = sent.elapsed();
    println!(
        "Ctrl-c after 200,000 typed keys: the loop ended {} ms after it was sent",
        took.as_millis()
    );
    let end = ran.expect("the loop ends cleanly");
    assert!(end.quit);
    let longest = longest.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        longest <= MAX_FIELD_BYTES,
        "the field grew to {longest} bytes"
    );
    assert!(took < Duration::from_secs(5), "Ctrl-c took {took:?}");
    server.shutdown().await.unwrap();
}
