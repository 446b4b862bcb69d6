//! Running the browser: connect, take over the terminal, run the loop, carry out its commands (fetch, save, copy, open), give everything back.

pub mod attachments;
mod event_loop;
pub mod fetch;
pub mod save;
mod screens;
pub mod trace;
pub mod usage;
pub mod write;

pub use event_loop::{Headless, Host, Runtime, TICK, WATCH, run_with};

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::EventStream;
use futures::StreamExt;

use crate::app::state::{Init, State};
use crate::config::{ConfigFile, Env, Flags, Settings};
use crate::failure::Failure;
use crate::provider::{ConversationRef, Provider};
use crate::session::Source;
use crate::session::connect::{ConfigProfiles, DemoProfiles};
use crate::view::detail::Zone;
use crate::view::theme::Theme;

/// `convo`, `convo --demo`, `convo open ID`: connects as the resolved
/// settings say, takes over the terminal, runs the browser, and gives
/// everything back on every path out (quit, error, panic, SIGTERM, SIGHUP).
/// `file` is the config that was read: `P` switches between its profiles,
/// connected with the command line's `flags`; `log_file` is `--log-file`;
/// `watch` is `--watch`: the list refreshes itself from the start.
pub async fn browse(
    settings: &Settings,
    flags: &Flags,
    log_file: Option<&Path>,
    file: Option<ConfigFile>,
    open: Option<ConversationRef>,
    watch: Option<std::time::Duration>,
) -> Result<(), Failure> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Failure::usage(
            "the browser needs a terminal; for scripts use the headless commands (`convo list`, `convo show ID`)",
        ));
    }
    let log_file = start_logging(log_file);
    crate::term::install_panic_hook(log_file.clone());
    let session = crate::session::connect_with(settings).await?;
    let provider: Arc<dyn Provider> = Arc::from(session.provider);
    let kind = provider.info().kind;
    let profile = match (&settings.profile, settings.demo) {
        (_, true) => crate::session::connect::demo_profile_name(kind).to_owned(),
        (Some(profile), false) => profile.value.clone(),
        (None, false) => "default".to_owned(),
    };
    let mut state = State::new(Init {
        source: Source {
            profile,
            provider: provider.info(),
        },
        query: provider.new_query(),
        page_size: settings.page_size.value,
        theme: Theme::named(settings.theme.value),
        zone: Zone::Local,
        mouse: settings.mouse.value,
        size: (80, 24),
        log_file: Some(log_file.clone()),
    });
    crate::config::bindings::apply_all(&settings.rebindings, &mut state.keymap);
    state.views.clone_from(&settings.views);
    state.columns = settings.columns.as_ref().map(|c| c.value.clone());
    state.config_path.clone_from(&settings.config_path);
    if let Some(period) = watch {
        state.watch = crate::app::watch::Watch::new(period);
        state.watch.on = true;
    }
    let mut runtime = Runtime::new().with_save_dir(settings.save_dir.value.clone());
    if let Some(server) = &session.demo_server {
        runtime = runtime.with_profiles(Arc::new(DemoProfiles::new(server.base_url())));
    } else if let Some(file) = file.filter(|f| !f.profile_names().is_empty()) {
        let profiles = ConfigProfiles::new(file, Env::from_process(), flags);
        runtime = runtime.with_profiles(Arc::new(profiles));
    }
    forward_signals(&runtime);
    let mut tui = crate::term::Tui::enter(settings.mouse.value)
        .map_err(|e| Failure::runtime(format!("cannot use this terminal: {e}")))?;
    let result = runtime
        .run(
            provider,
            state,
            open,
            EventStream::new(),
            &mut tui,
            |_, _| {},
        )
        .await;
    // After a hangup the terminal is gone and restoring fails; nothing to do about it.
    let _ = tui.restore();
    if std::io::stdout().is_terminal() {
        drop(tui);
    } else {
        // ratatui's `Terminal` shows the cursor when dropped and, failing,
        // prints to a stderr that is gone too — which panics. There is no
        // terminal left to put right, so the guard is not run.
        std::mem::forget(tui);
    }
    if let Some(server) = session.demo_server {
        if let Err(e) = server.shutdown().await {
            tracing::warn!("the demo server stopped with an error: {e}");
        }
    }
    match result {
        Ok(_) => Ok(()),
        // The terminal went away (an SSH drop): nobody is left to read an error.
        Err(e) if !std::io::stdout().is_terminal() => {
            tracing::warn!("the terminal went away: {e}");
            Ok(())
        }
        Err(e) => Err(Failure::runtime(format!("the terminal failed: {e}"))),
    }
}

/// Logs to `--log-file` (already opened by the command line) or to the data directory; the file the panic hook reports to.
fn start_logging(log_file: Option<&Path>) -> PathBuf {
    if let Some(path) = log_file {
        return path.to_owned();
    }
    match crate::term::init_logging(None) {
        Ok(path) => path,
        // No data directory: the browser still runs; a crash report goes to the temp dir.
        Err(_) => std::env::temp_dir().join(crate::term::logging::LOG_FILE_NAME),
    }
}

/// SIGTERM and SIGHUP quit the loop the ordinary way, so the terminal is restored.
/// They bypass the message queue, so they are answered before whatever is queued.
fn forward_signals(runtime: &Runtime) {
    let quit = runtime.quit_handle();
    match crate::term::signal_stream() {
        Ok(mut signals) => {
            tokio::spawn(async move {
                if let Some(signal) = signals.next().await {
                    tracing::info!("{} received: quitting", signal.name());
                    quit.cancel();
                }
            });
        }
        Err(e) => tracing::warn!("cannot listen for SIGTERM/SIGHUP: {e}"),
    }
}
