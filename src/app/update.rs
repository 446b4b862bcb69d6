//! The pure heart of the browser: `update(&mut State, Msg) -> Vec<Cmd>` changes only the state and returns what the runtime should do.
//!
//! No I/O and no clocks here: time arrives as messages (`Tick`, `Settled`),
//! and every fetch reply carries the generation it was asked under, so a reply
//! that is no longer current — an error too — is dropped, never shown.

pub mod answers;
mod attachments;
mod detail;
mod enrich;
mod filter;
pub mod find;
mod keys;
mod list;
mod log;
mod mouse;
mod overlay;
mod picker;
mod refreshed;
mod retries;
mod screen_data;
mod screen_writes;
mod screens;
pub mod trace;
mod usage;
mod watch;
pub mod writes;

use std::time::Duration;

use super::cache::Opened;
use super::cmd::{Cmd, Fetch};
use super::msg::Msg;
use super::state::{Focus, Landing, State};
use crate::app::layout::{Areas, detail_size};
use crate::provider::{Conversation, ConversationRef};
use crate::view::detail::DetailView;

/// How long the selection rests before its transcript is fetched.
pub const SETTLE: Duration = Duration::from_millis(150);

/// The commands that start the browser: the first page, and the conversation
/// asked for on the command line (`convo open ID`), if any.
pub fn start(state: &mut State, open: Option<ConversationRef>) -> Vec<Cmd> {
    let mut cmds = list::fetch_page(state, 1, Landing::First);
    cmds.push(writes::ask_role(state));
    if let Some(id) = open {
        state.focus = Focus::Detail;
        cmds.push(fetch_detail(state, id));
    }
    if state.watch.on {
        cmds.push(watch::schedule(state));
    }
    cmds
}

/// Opens a conversation named by the user (`:`): from the cache when it is
/// there, else fetched; a bad id comes back as an error in the status bar.
fn open_ref(state: &mut State, id: ConversationRef) -> Vec<Cmd> {
    state.screen = crate::app::screens::Screen::Conversations;
    state.focus = Focus::Detail;
    if let Some(opened) = state.cache.get(&id) {
        state.detail.generation += 1;
        state.detail.loading = None;
        show(state, opened);
        return Vec::new();
    }
    vec![fetch_detail(state, id)]
}

/// Applies one message to the state and says what to do next.
pub fn update(state: &mut State, msg: Msg) -> Vec<Cmd> {
    let answered = retries::answered(&msg);
    let mut cmds = apply(state, msg);
    if let Some(kind) = answered {
        retries::clear(state, kind);
    }
    // Whatever opened, closed or switched tabs, the Trace tab follows the open conversation.
    cmds.extend(trace::ensure(state));
    // Whatever landed or moved, the list's rows go on being filled while the user waits on nothing.
    cmds.extend(enrich::pump(state));
    cmds
}

fn apply(state: &mut State, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => keys::on_key(state, key),
        // Clicks and the wheel are laid out for the conversation panes only.
        Msg::Mouse(_) if state.screen != crate::app::screens::Screen::Conversations => Vec::new(),
        Msg::Mouse(event) => mouse::on_mouse(state, event),
        Msg::Paste(text) => {
            overlay::on_paste(state, &text);
            Vec::new()
        }
        Msg::Resize(width, height) => {
            state.size = (width, height);
            relayout(state);
            attachments::after_resize(state)
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Quit => {
            state.quit = true;
            Vec::new()
        }
        Msg::Settled { generation } => list::on_settled(state, generation),
        Msg::WatchTick { generation } => watch::on_tick(state, generation),
        Msg::ListLoaded { generation, page } => list::on_loaded(state, generation, page),
        Msg::ListFailed {
            generation,
            page,
            error,
        } => list::on_failed(state, generation, page, &error),
        Msg::Prefetched { generation, page } => {
            list::on_prefetched(state, generation, page);
            Vec::new()
        }
        Msg::PrefetchFailed { generation, .. } => {
            if generation == state.list.epoch {
                state.list.prefetching = None;
            }
            Vec::new()
        }
        Msg::DetailLoaded {
            generation,
            conversation,
            fetched_at,
        } => {
            if generation == state.detail.generation {
                state.detail.loading = None;
                let opened = Opened {
                    conversation,
                    fetched_at,
                };
                enrich::learn(state, &opened.conversation);
                state.cache.insert(opened.clone());
                show(state, opened);
                find::on_arrival(state, generation);
            }
            Vec::new()
        }
        Msg::Retrying {
            kind,
            generation,
            retrying,
        } => {
            retries::on_retrying(state, kind, generation, &retrying);
            Vec::new()
        }
        Msg::Enriched {
            generation,
            id,
            result,
        } => match enrich::on_enriched(state, generation, id, result) {
            // The row was opened while it was on its way: it is the detail's answer too.
            Some(answer) => apply(state, answer),
            None => Vec::new(),
        },
        Msg::DetailFailed { generation, error } => {
            if generation == state.detail.generation {
                state.detail.loading = None;
                state.error(format!("cannot open the conversation: {error}"));
                if state.detail.view.is_none() && state.focus == Focus::Detail {
                    // Back to the list, whose selection the pane then follows again.
                    state.focus = Focus::List;
                    return list::settle(state);
                }
            }
            Vec::new()
        }
        Msg::Switched {
            generation,
            profile,
            result,
        } => picker::on_switched(state, generation, &profile, result),
        Msg::Saved(Ok(path)) => {
            state.notice(format!("saved to {}", path.display()));
            Vec::new()
        }
        Msg::Saved(Err(why)) | Msg::Failure(why) => {
            state.error(why);
            Vec::new()
        }
        Msg::Notice(text) => {
            state.notice(text);
            Vec::new()
        }
        Msg::Screen(msg) => screens::on_msg(state, msg),
        Msg::Trace(msg) => trace::on_msg(state, msg),
        Msg::Wrote(wrote) => {
            let wrote = *wrote;
            let mut cmds = screen_writes::after_write(state, &wrote.write, wrote.result.is_ok());
            cmds.extend(answers::on_wrote(
                state,
                wrote.id,
                &wrote.write,
                wrote.result,
            ));
            if let Some(target) = wrote.write.target() {
                enrich::after_write(state, target);
            }
            cmds
        }
        Msg::File(msg) => attachments::on_msg(state, msg),
        Msg::ShowWhole(shown) => {
            state.notice(format!("{}: {}", shown.what, shown.text));
            state.attachments.shown = Some(shown);
            Vec::new()
        }
        Msg::Identified { generation, result } => {
            writes::on_identified(state, generation, result);
            Vec::new()
        }
    }
}

/// Asks for a conversation, whole; the previous detail fetch becomes stale.
fn fetch_detail(state: &mut State, id: ConversationRef) -> Cmd {
    state.detail.generation += 1;
    state.detail.loading = Some(id.clone());
    Cmd::Fetch(Fetch::Detail {
        generation: state.detail.generation,
        id,
    })
}

/// Shows a conversation in the detail pane, on the tab the pane was on.
fn show(state: &mut State, opened: Opened) {
    let tab = state.detail.view.as_ref().map(DetailView::tab);
    let mut view = DetailView::new(opened.conversation, state.zone, state.theme)
        .with_fetched_at(opened.fetched_at)
        .for_provider(state.source.provider.kind);
    if let Some(tab) = tab {
        view.set_tab(tab);
    }
    let (width, height) = detail_size(state.size.0, state.size.1);
    view.prepare(width, height);
    state.detail.view = Some(view);
    state.detail.search = None;
    screens::after_show(state);
}

/// Opens a conversation: from the cache at once, else fetched. Either way
/// the detail fetch in flight (if any) is superseded.
fn open(state: &mut State, row: &Conversation) -> Vec<Cmd> {
    state.focus = Focus::Detail;
    let Some(id) = ConversationRef::of(row) else {
        state.error("this row has neither a primary key nor an id; it cannot be opened");
        return Vec::new();
    };
    if state.detail.shows(row) && state.detail.loading.is_none() {
        return Vec::new();
    }
    if let Some(cached) = state.cache.get(&id) {
        state.detail.generation += 1;
        state.detail.loading = None;
        if !state.detail.shows(row) {
            show(state, cached);
        }
        return Vec::new();
    }
    // Already on its way in the background: its reply opens it, rather than
    // a second request for the same record.
    if enrich::adopt(state, &id) {
        return Vec::new();
    }
    vec![fetch_detail(state, id)]
}

/// Lays the open view out for the pane (cheap when nothing changed); called
/// after every change to it, as `DetailView` asks.
fn prepare(state: &mut State) {
    let (width, height) = detail_size(state.size.0, state.size.1);
    if let Some(view) = state.detail.view.as_mut() {
        view.prepare(width, height);
    }
}

/// Lays out again for the state's size: list scroll, detail view, panels.
fn relayout(state: &mut State) {
    let rows = usize::from(Areas::for_state(state).list_rows.height);
    state.list.scroll_to_selection(rows);
    prepare(state);
    filter::scroll(state);
    screens::relayout(state);
}
