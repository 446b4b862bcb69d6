//! The loop: terminal events and fetch replies become messages, `update` turns them into state and commands, the runtime runs the commands, and one frame is drawn per burst.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use tokio_util::sync::CancellationToken;

use super::fetch::Fetcher;
use super::save;
use crate::app::attachments::ShownText;
use crate::app::cmd::Cmd;
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::update::{start, update};
use crate::config::keymap::{Action, Keymap, Scope};
use crate::provider::{ConversationRef, Provider};
use crate::session::profiles::Profiles;
use crate::term::OpenOutcome;

/// The spinner's beat while something is in flight.
pub const TICK: Duration = Duration::from_millis(100);

/// How often the loop checks that its terminal is still there.
pub const WATCH: Duration = Duration::from_secs(1);

/// What the loop draws on and asks of the terminal around it.
pub trait Host {
    /// The ratatui backend.
    type Backend: Backend;

    /// The terminal frames are drawn on.
    fn terminal(&mut self) -> &mut Terminal<Self::Backend>;

    /// The terminal says it is now `width`×`height`. A real terminal's backend
    /// asks the terminal itself when drawing, so nothing is needed; a test
    /// backend resizes here, so the frames follow the events.
    fn resized(&mut self, width: u16, height: u16) {
        let _ = (width, height);
    }

    /// Whether frames may be drawn (false once the terminal was given back, by a panic on another thread say).
    fn active(&self) -> bool {
        true
    }

    /// Whether the terminal is still there. A hung-up terminal does not
    /// always bring SIGHUP (a job in the background of a shell that died),
    /// and crossterm's reader then spins without reporting anything, so the
    /// loop asks now and then.
    fn still_there(&mut self) -> bool {
        true
    }

    /// `Ctrl-z`: hand the terminal to the shell until resumed.
    ///
    /// # Errors
    /// The terminal could not be given back or taken again.
    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Puts text on the user's clipboard; the status line on success.
    ///
    /// # Errors
    /// Why nothing was copied.
    fn copy(&mut self, text: &str) -> Result<String, String> {
        crate::term::copy(text).map(|outcome| outcome.to_string())
    }

    /// Opens a URL in a browser, or says why it should be shown instead.
    fn open_url(&mut self, url: &str) -> OpenOutcome {
        crate::term::open_url(url)
    }

    /// Why a copy would not reach the user's clipboard though it can be sent
    /// (tmux dropping OSC 52), so it is shown instead; `None` when it would.
    fn clipboard_blocked(&mut self) -> Option<String> {
        None
    }

    /// How pictures are drawn here: half-blocks unless the terminal said it
    /// does better when asked at start.
    fn drawing(&self) -> crate::view::preview::Drawing {
        crate::view::preview::Drawing::Halfblocks
    }
}

/// The real terminal.
impl Host for crate::term::Tui {
    type Backend = ratatui::backend::CrosstermBackend<io::Stdout>;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend> {
        self.terminal_mut()
    }

    fn active(&self) -> bool {
        self.is_active()
    }

    fn still_there(&mut self) -> bool {
        // After a hang-up every ioctl on the tty fails, isatty's included.
        std::io::IsTerminal::is_terminal(&io::stdout())
    }

    fn suspend(&mut self) -> io::Result<()> {
        crate::term::Tui::suspend(self)
    }

    fn clipboard_blocked(&mut self) -> Option<String> {
        if crate::term::ClipboardEnv::from_env().tmux {
            let tmux = crate::term::tmux_clipboard::read();
            tracing::debug!("tmux clipboard options: {tmux:?}");
            return tmux.reaches_terminal().err();
        }
        None
    }

    fn drawing(&self) -> crate::view::preview::Drawing {
        self.drawing()
    }
}

/// A terminal in memory (tests, benchmarks): suspending does nothing, copying
/// and opening are refused, since there is no user's terminal to reach.
pub struct Headless<B: Backend> {
    /// The terminal.
    pub terminal: Terminal<B>,
}

impl<B: Backend> Host for Headless<B> {
    type Backend = B;

    fn terminal(&mut self) -> &mut Terminal<B> {
        &mut self.terminal
    }

    fn copy(&mut self, _text: &str) -> Result<String, String> {
        Err("no terminal to copy through".to_owned())
    }

    fn open_url(&mut self, _url: &str) -> OpenOutcome {
        OpenOutcome::ShowInstead("no browser here".to_owned())
    }
}

/// The message queue and the token that stops everything the loop started.
pub struct Runtime {
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    shutdown: CancellationToken,
    /// Asked to quit from outside the queue (a signal, a quit key seen as it
    /// is read): checked before every message, so it never waits behind them.
    quit: CancellationToken,
    profiles: Option<Arc<dyn Profiles>>,
    save_dir: Option<std::path::PathBuf>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    /// An empty queue.
    #[must_use]
    pub fn new() -> Self {
        let (tx, rx) = unbounded_channel();
        Self {
            tx,
            rx,
            shutdown: CancellationToken::new(),
            quit: CancellationToken::new(),
            profiles: None,
            save_dir: None,
        }
    }

    /// Where `s` saves conversations and attachments (default: the platform's
    /// download directory, else the current one).
    #[must_use]
    pub fn with_save_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.save_dir = Some(dir);
        self
    }

    /// Where `P` finds the profiles it can switch to (none: `P` says there is no other).
    #[must_use]
    pub fn with_profiles(mut self, profiles: Arc<dyn Profiles>) -> Self {
        self.profiles = Some(profiles);
        self
    }

    /// A sender into the queue, for sources beside the terminal (signals).
    #[must_use]
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// A handle that ends the loop: cancelling it quits before the next
    /// message is handled, however many are queued (SIGTERM, SIGHUP).
    #[must_use]
    pub fn quit_handle(&self) -> CancellationToken {
        self.quit.clone()
    }

    /// Runs the browser until it quits: `events` are the terminal's input,
    /// `open` the conversation asked for on the command line. `observe` sees
    /// the state and the screen after every frame (one per burst of messages),
    /// which is how tests wait for what they expect. Returns the final state.
    ///
    /// # Errors
    /// Drawing on the terminal failed.
    pub async fn run<H, E>(
        mut self,
        provider: Arc<dyn Provider>,
        mut state: State,
        open: Option<ConversationRef>,
        events: E,
        host: &mut H,
        mut observe: impl FnMut(&State, &Buffer),
    ) -> io::Result<State>
    where
        H: Host,
        E: Stream<Item = io::Result<Event>> + Send + Unpin + 'static,
    {
        if let Some(profiles) = &self.profiles {
            state.profiles = profiles.entries();
        }
        let input_task = tokio::spawn(forward_input(
            events,
            self.tx.clone(),
            Quitting {
                keymap: state.keymap.clone(),
                quit: self.quit.clone(),
            },
            self.shutdown.clone(),
        ));
        let mut effects = Effects::new(
            provider,
            self.profiles.take(),
            self.tx.clone(),
            self.shutdown.clone(),
        );
        effects.save_dir = self.save_dir.take().unwrap_or_else(save::default_save_dir);
        let size = host.terminal().size().map_err(terminal_error)?;
        let mut cmds = update(&mut state, Msg::Resize(size.width, size.height));
        cmds.extend(start(&mut state, open));
        let result = async {
            effects.run_all(cmds, host);
            draw(host, &state, &mut observe)?;
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut watch = tokio::time::interval(WATCH);
            watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !state.quit {
                let msg = tokio::select! {
                    biased;
                    () = self.quit.cancelled() => Msg::Quit,
                    msg = self.rx.recv() => match msg {
                        Some(msg) => msg,
                        None => break,
                    },
                    _ = tick.tick(), if state.busy() => Msg::Tick,
                    _ = watch.tick() => {
                        if host.still_there() {
                            continue;
                        }
                        tracing::warn!("the terminal went away: quitting");
                        Msg::Quit
                    }
                };
                if let Msg::Resize(width, height) = msg {
                    host.resized(width, height);
                }
                effects.run_all(step(&mut state, msg), host);
                // Everything already queued is handled before drawing: one frame per burst.
                while !state.quit {
                    if self.quit.is_cancelled() {
                        effects.run_all(step(&mut state, Msg::Quit), host);
                        break;
                    }
                    match self.rx.try_recv() {
                        Ok(msg) => {
                            if let Msg::Resize(width, height) = msg {
                                host.resized(width, height);
                            }
                            effects.run_all(step(&mut state, msg), host);
                        }
                        Err(_) => break,
                    }
                }
                if !state.quit {
                    draw(host, &state, &mut observe)?;
                }
            }
            Ok::<(), io::Error>(())
        }
        .await;
        self.shutdown.cancel();
        input_task.abort();
        for task in effects.fetch_tasks.drain(..) {
            let _ = task.await;
        }
        result.map(|()| state)
    }
}

/// One message through `update`, then the messages it said are stamped with
/// the time: update reads no clock, the log shows when each was said.
fn step(state: &mut State, msg: Msg) -> Vec<Cmd> {
    let cmds = update(state, msg);
    state.log.stamp(chrono::Utc::now());
    cmds
}

/// Runs the browser with a fresh queue; see [`Runtime::run`].
///
/// # Errors
/// Drawing on the terminal failed.
pub async fn run_with<H, E>(
    provider: Arc<dyn Provider>,
    state: State,
    open: Option<ConversationRef>,
    events: E,
    host: &mut H,
    observe: impl FnMut(&State, &Buffer),
) -> io::Result<State>
where
    H: Host,
    E: Stream<Item = io::Result<Event>> + Send + Unpin + 'static,
{
    Runtime::new()
        .run(provider, state, open, events, host, observe)
        .await
}

fn draw<H: Host>(
    host: &mut H,
    state: &State,
    observe: &mut impl FnMut(&State, &Buffer),
) -> io::Result<()> {
    if !host.active() {
        return Err(io::Error::other(
            "the terminal has been given back; nothing more is drawn",
        ));
    }
    let frame = host
        .terminal()
        .draw(|frame| crate::ui::render(state, frame))
        .map_err(terminal_error)?;
    observe(state, frame.buffer);
    Ok(())
}

/// A backend's error as an I/O error (backends' error types need not be `Send`).
fn terminal_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// How the input task recognises a quit key: the keys bound to "quit from
/// anywhere" (`Ctrl-c`) jump the queue, so they are answered even behind a
/// flood of input (a long paste typed key by key).
struct Quitting {
    keymap: Keymap,
    quit: CancellationToken,
}

/// The input task: terminal events in, messages out. The end of input (or a
/// broken terminal) quits, since nothing more can be asked of the app.
async fn forward_input<E>(
    mut events: E,
    tx: UnboundedSender<Msg>,
    quitting: Quitting,
    shutdown: CancellationToken,
) where
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    loop {
        let event = tokio::select! {
            () = shutdown.cancelled() => return,
            event = events.next() => event,
        };
        let msg = match event {
            Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                if quitting.keymap.action(Scope::Global, &key) == Some(Action::ForceQuit) {
                    quitting.quit.cancel();
                }
                Msg::Key(key)
            }
            Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
            Some(Ok(Event::Resize(width, height))) => Msg::Resize(width, height),
            Some(Ok(Event::Paste(text))) => Msg::Paste(text),
            Some(Ok(_)) => continue,
            Some(Err(e)) => {
                tracing::error!("reading the terminal failed: {e}");
                let _ = tx.send(Msg::Quit);
                return;
            }
            None => {
                let _ = tx.send(Msg::Quit);
                return;
            }
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

/// Copies `text` as the screen shows it (see [`crate::term::clipboard::as_shown`]);
/// the status line names `what` was copied, and says when the copy differs from
/// the record because the record held control characters.
fn copy_as_shown<H: Host>(host: &mut H, text: &str, what: &str) -> Msg {
    let shown = crate::term::clipboard::as_shown(text);
    if let Some(why) = host.clipboard_blocked() {
        return Msg::ShowWhole(ShownText {
            what: what.to_owned(),
            text: shown.text.into_owned(),
            why: format!("not copied: {why}"),
        });
    }
    match host.copy(&shown.text) {
        Ok(how) if shown.changed => Msg::Notice(format!(
            "{what} copied as shown, control characters as symbols: {how}"
        )),
        Ok(how) => Msg::Notice(format!("{what}: {how}")),
        Err(why) => Msg::Failure(format!("cannot copy the {what} ({why}): {}", shown.text)),
    }
}

/// Opens `url` in a browser, or (over SSH, without a display) shows it whole.
fn open_or_show<H: Host>(host: &mut H, url: &str, what: &str) -> Msg {
    match host.open_url(url) {
        OpenOutcome::Opened => Msg::Notice(format!("opened {url}")),
        OpenOutcome::ShowInstead(why) => Msg::ShowWhole(ShownText {
            what: what.to_owned(),
            text: crate::term::clipboard::as_shown(url).text.into_owned(),
            why: format!("not opened: {why}"),
        }),
    }
}

/// What commands need: the provider (for dashboard URLs), the fetch task, the
/// profiles to switch to, the queue.
struct Effects {
    provider: Arc<dyn Provider>,
    fetcher: Fetcher,
    /// Stops the current fetch task (and what it runs) when another provider takes over.
    fetch_stop: CancellationToken,
    /// Every fetch task started, awaited when the loop ends.
    fetch_tasks: Vec<JoinHandle<()>>,
    profiles: Option<Arc<dyn Profiles>>,
    tx: UnboundedSender<Msg>,
    shutdown: CancellationToken,
    /// Where saves go.
    save_dir: std::path::PathBuf,
}

impl Effects {
    fn new(
        provider: Arc<dyn Provider>,
        profiles: Option<Arc<dyn Profiles>>,
        tx: UnboundedSender<Msg>,
        shutdown: CancellationToken,
    ) -> Self {
        let fetch_stop = shutdown.child_token();
        let (fetcher, task) = Fetcher::spawn(Arc::clone(&provider), tx.clone(), fetch_stop.clone());
        Self {
            provider,
            fetcher,
            fetch_stop,
            fetch_tasks: vec![task],
            profiles,
            tx,
            shutdown,
            save_dir: save::default_save_dir(),
        }
    }

    fn run_all<H: Host>(&mut self, cmds: Vec<Cmd>, host: &mut H) {
        for cmd in cmds {
            self.run(cmd, host);
        }
    }

    /// Another provider from now on: the old fetch task and everything it
    /// runs are cancelled (their replies would be stale anyway).
    fn install(&mut self, provider: Arc<dyn Provider>) {
        self.fetch_stop.cancel();
        self.fetch_tasks.retain(|t| !t.is_finished());
        self.fetch_stop = self.shutdown.child_token();
        let (fetcher, task) = Fetcher::spawn(
            Arc::clone(&provider),
            self.tx.clone(),
            self.fetch_stop.clone(),
        );
        self.fetcher = fetcher;
        self.fetch_tasks.push(task);
        self.provider = provider;
    }

    /// Runs one command; its outcome comes back as a message, never as a failure of the loop.
    fn run<H: Host>(&mut self, cmd: Cmd, host: &mut H) {
        match cmd {
            Cmd::Install(connected) => self.install(connected.provider),
            Cmd::Connect {
                generation,
                profile,
            } => {
                let Some(profiles) = self.profiles.clone() else {
                    self.say(Msg::Switched {
                        generation,
                        profile,
                        result: Err("no profiles here".to_owned()),
                    });
                    return;
                };
                let tx = self.tx.clone();
                let shutdown = self.shutdown.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        () = shutdown.cancelled() => {}
                        result = profiles.connect(&profile) => {
                            let _ = tx.send(Msg::Switched { generation, profile, result });
                        }
                    }
                });
            }
            Cmd::Fetch(fetch) => self.fetcher.send(fetch),
            Cmd::Write { id, write } => super::write::spawn(
                Arc::clone(&self.provider),
                id,
                write,
                self.tx.clone(),
                self.shutdown.clone(),
            ),
            Cmd::WhoAmI { generation } => super::write::identify(
                Arc::clone(&self.provider),
                generation,
                self.tx.clone(),
                self.shutdown.clone(),
            ),
            Cmd::After { delay, msg } => {
                let tx = self.tx.clone();
                let shutdown = self.shutdown.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        () = shutdown.cancelled() => {}
                        () = tokio::time::sleep(delay) => {
                            let _ = tx.send(*msg);
                        }
                    }
                });
            }
            Cmd::NoticeAt { text, zone } => {
                let now = zone.format(chrono::Utc::now(), "%H:%M:%S");
                self.say(Msg::Notice(format!("{text} · {now}")));
            }
            Cmd::Copy { text, what } => self.say(copy_as_shown(host, &text, what)),
            Cmd::CopyDashboardUrl(conversation) => match self.provider.dashboard_url(&conversation)
            {
                Some(url) => self.say(copy_as_shown(host, &url, "dashboard URL")),
                None => self.say(Msg::Failure(
                    "this conversation has no dashboard URL".to_owned(),
                )),
            },
            Cmd::OpenDashboard(conversation) => match self.provider.dashboard_url(&conversation) {
                Some(url) => self.say(open_or_show(host, &url, "dashboard URL")),
                None => self.say(Msg::Failure(
                    "this conversation has no dashboard URL".to_owned(),
                )),
            },
            Cmd::Save(conversation, format) => {
                let tx = self.tx.clone();
                let dir = self.save_dir.clone();
                tokio::task::spawn_blocking(move || {
                    let saved = save::save(&conversation, format, &save::dirs_from(&dir));
                    let _ = tx.send(Msg::Saved(saved));
                });
            }
            Cmd::File(job) => super::attachments::spawn(
                super::attachments::FileContext {
                    provider: Arc::clone(&self.provider),
                    save_dir: self.save_dir.clone(),
                    drawing: host.drawing(),
                    tx: self.tx.clone(),
                    shutdown: self.shutdown.clone(),
                },
                job,
            ),
            Cmd::Encode {
                generation,
                picture,
                columns,
                rows,
            } => super::attachments::encode(
                host.drawing(),
                self.tx.clone(),
                generation,
                picture,
                (columns, rows),
            ),
            Cmd::OpenLink { url, what } => self.say(open_or_show(host, &url, what)),
            Cmd::Suspend => {
                if let Err(e) = host.suspend() {
                    tracing::error!("suspend failed: {e}");
                    self.say(Msg::Failure(format!("cannot suspend: {e}")));
                }
                // No `Terminal::clear()` here: it asks the terminal for the cursor
                // position, which times out while the event reader holds crossterm's
                // lock. `suspend` has already forced a full repaint on resume.
            }
        }
    }

    fn say(&self, msg: Msg) {
        if let Msg::Failure(text) = &msg {
            tracing::warn!("{text}");
        }
        let _ = self.tx.send(msg);
    }
}
