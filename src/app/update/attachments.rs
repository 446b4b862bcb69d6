//! The attachment keys — the Attachments tab's cursor, preview, save, copy and open of a file, the preview overlay's own keys — and the answers of the file jobs.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::attachments::{Body, FileAction, FileJob, FileMsg, FileRef, Preview, Transfer};
use crate::app::cmd::Cmd;
use crate::app::keymap::Action;
use crate::app::layout::{Areas, preview_body};
use crate::app::screens::Screen;
use crate::app::state::{Focus, State};
use crate::format::human;
use crate::provider::ConversationRef;
use crate::view::detail::Tab;

/// A key, when an attachment overlay is open or the detail pane's tab gives
/// it a file to act on; `None` leaves it to the other handlers.
pub(super) fn on_key(
    state: &mut State,
    action: Option<Action>,
    key: &KeyEvent,
) -> Option<Vec<Cmd>> {
    if state.attachments.shown.is_some() {
        if key.code == KeyCode::Esc
            || matches!(
                action,
                Some(Action::Back | Action::Quit | Action::PreviewAttachment)
            )
        {
            state.attachments.shown = None;
        }
        return Some(Vec::new());
    }
    if state.attachments.preview.is_some() {
        return Some(preview_key(state, action, key));
    }
    if state.screen != Screen::Conversations || state.focus != Focus::Detail {
        return None;
    }
    let action = action?;
    let view = state.detail.view.as_ref()?;
    let tab = view.tab();
    if action == Action::PreviewAttachment
        && view.provider() == crate::provider::ProviderKind::ChatDash
    {
        state.notice("ChatDash lists no attachments to preview");
        return Some(Vec::new());
    }
    match (tab, action) {
        (Tab::Attachments, Action::Down | Action::Up) => {
            let moved = state
                .detail
                .view
                .as_mut()
                .and_then(|v| v.move_attachment_cursor(action == Action::Down));
            match moved {
                Some((at, of)) => state.notice(format!(
                    "file {at}/{of} · enter previews · s saves · Y copies its link · o opens it"
                )),
                None => state.notice("no attachments in this conversation"),
            }
            Some(Vec::new())
        }
        (
            Tab::Attachments,
            Action::PreviewAttachment | Action::Save | Action::CopyUrl | Action::OpenUrl,
        ) => {
            let Some(file) = selected(state, false) else {
                state.notice("no attachments in this conversation");
                return Some(Vec::new());
            };
            Some(act_on(state, file, action))
        }
        (Tab::Messages, Action::PreviewAttachment) => {
            let Some(file) = selected(state, true) else {
                state.notice(
                    "no file on the ▶ message: }/{ move the cursor to a chip, tab 4 lists every file",
                );
                return Some(Vec::new());
            };
            Some(act_on(state, file, action))
        }
        (Tab::Trace, _) => None,
        (_, Action::PreviewAttachment) => {
            state.notice(
                "enter previews a file: on the Attachments tab (4), or the ▶ message's chip",
            );
            Some(Vec::new())
        }
        _ => None,
    }
}

/// The file the keys act on: the Attachments tab's cursor, or the first chip of the `▶` message.
fn selected(state: &mut State, chip: bool) -> Option<FileRef> {
    let view = state.detail.view.as_ref()?;
    let conversation = ConversationRef::of(view.conversation())?;
    let file = if chip {
        view.chip_under_cursor()
    } else {
        view.selected_attachment()
    }?;
    let more = file.count > 1 && chip;
    let file_ref = FileRef::of(&file, conversation, view.fetched_at());
    let others = view
        .conversation()
        .messages()
        .get(file.message - 1)
        .map_or(0, |m| m.attachments.as_deref().unwrap_or_default().len());
    if more && others > 1 {
        state.notice(format!(
            "the ▶ message has {others} files: the first is shown, tab 4 lists them all"
        ));
    }
    Some(file_ref)
}

/// Starts what `action` asks for `file`.
fn act_on(state: &mut State, file: FileRef, action: Action) -> Vec<Cmd> {
    let generation = state.attachments.next_job();
    let name = file.shown_name();
    let job = |action| {
        vec![Cmd::File(FileJob {
            generation,
            file: file.clone(),
            action,
        })]
    };
    match action {
        Action::PreviewAttachment => {
            let body = preview_body(Areas::for_state(state).main);
            let downloads = file.announced().downloads();
            let cmds = if downloads {
                job(FileAction::Preview {
                    columns: body.width,
                    rows: body.height,
                })
            } else {
                Vec::new()
            };
            let shown = if downloads {
                Body::Loading {
                    received: 0,
                    total: file.size,
                }
            } else {
                Body::Facts(format!(
                    "{} is not drawn in a terminal: s saves it, o opens its link, Y copies the link",
                    media_name(&file)
                ))
            };
            state.attachments.preview = Some(Preview {
                generation,
                file,
                body: shown,
                scroll: 0,
            });
            cmds
        }
        Action::Save => {
            state.attachments.transfer = Some(Transfer {
                generation,
                name,
                received: 0,
                total: file.size,
            });
            job(FileAction::Save)
        }
        Action::CopyUrl | Action::OpenUrl => {
            state.attachments.links.push(generation);
            job(if action == Action::CopyUrl {
                FileAction::CopyUrl
            } else {
                FileAction::OpenUrl
            })
        }
        _ => Vec::new(),
    }
}

fn media_name(file: &FileRef) -> &'static str {
    let mime = file.mime.as_deref().unwrap_or_default();
    if mime.starts_with("audio/") {
        "an audio file"
    } else if mime.starts_with("video/") {
        "a video"
    } else {
        "a PDF document"
    }
}

/// The preview overlay's keys: scroll its text, act on its file, close it.
fn preview_key(state: &mut State, action: Option<Action>, key: &KeyEvent) -> Vec<Cmd> {
    let rows = usize::from(preview_body(Areas::for_state(state).main).height).max(1);
    let Some(preview) = state.attachments.preview.as_mut() else {
        return Vec::new();
    };
    let lines = match &preview.body {
        Body::Text(text) => text.lines.len(),
        _ => 0,
    };
    let last = lines.saturating_sub(rows);
    let scroll = preview.scroll;
    let to = match action {
        _ if key.code == KeyCode::Esc => None,
        Some(Action::Down) => Some(scroll + 1),
        Some(Action::Up) => Some(scroll.saturating_sub(1)),
        Some(Action::PageDown) => Some(scroll + rows.saturating_sub(1).max(1)),
        Some(Action::PageUp) => Some(scroll.saturating_sub(rows.saturating_sub(1).max(1))),
        Some(Action::HalfPageDown) => Some(scroll + rows / 2),
        Some(Action::HalfPageUp) => Some(scroll.saturating_sub(rows / 2)),
        Some(Action::Top) => Some(0),
        Some(Action::Bottom) => Some(last),
        _ => None,
    };
    if let Some(to) = to {
        preview.scroll = to.min(last);
        return Vec::new();
    }
    match action {
        _ if key.code == KeyCode::Esc => {
            state.attachments.preview = None;
            Vec::new()
        }
        Some(Action::Back | Action::Quit | Action::PreviewAttachment) => {
            state.attachments.preview = None;
            Vec::new()
        }
        Some(action @ (Action::Save | Action::CopyUrl | Action::OpenUrl)) => {
            let file = preview.file.clone();
            act_on(state, file, action)
        }
        _ => {
            state.notice(
                "preview: j/k scroll · s saves · Y copies the link · o opens it · esc closes",
            );
            Vec::new()
        }
    }
}

/// A file job's answer; answers to jobs no longer current are dropped.
pub(super) fn on_msg(state: &mut State, msg: FileMsg) -> Vec<Cmd> {
    let a = &mut *state.attachments;
    let previewing = |g| a.preview.as_ref().is_some_and(|p| p.generation == g);
    let saving = |g| a.transfer.as_ref().is_some_and(|t| t.generation == g);
    match msg {
        FileMsg::Progress {
            generation,
            received,
            total,
        } => {
            if previewing(generation) {
                if let Some(p) = a.preview.as_mut() {
                    if matches!(p.body, Body::Loading { .. }) {
                        p.body = Body::Loading { received, total };
                    }
                }
            }
            if let Some(t) = a.transfer.as_mut().filter(|t| t.generation == generation) {
                t.received = received;
                t.total = total;
            }
        }
        FileMsg::Refreshed { generation, note } => {
            if previewing(generation) || saving(generation) || a.links.contains(&generation) {
                state.notice(note);
            }
        }
        FileMsg::Previewed {
            generation,
            content,
        } => {
            if let Some(p) = a.preview.as_mut().filter(|p| p.generation == generation) {
                p.body = Body::of(content);
                p.scroll = 0;
            }
        }
        FileMsg::Encoded { generation, result } => {
            let body = preview_body(Areas::for_state(state).main);
            let a = &mut *state.attachments;
            if let Some(p) = a.preview.as_mut().filter(|p| p.generation == generation) {
                match (&mut p.body, result) {
                    (Body::Picture { picture, drawn }, Ok(encoded)) => {
                        let wanted = (body.width, body.height);
                        let resized_meanwhile = encoded.size != wanted;
                        *drawn = Some(encoded);
                        if resized_meanwhile {
                            // The overlay was resized while it was encoded.
                            return vec![Cmd::Encode {
                                generation,
                                picture: std::sync::Arc::clone(picture),
                                columns: wanted.0,
                                rows: wanted.1,
                            }];
                        }
                    }
                    (Body::Picture { .. }, Err(why)) => p.body = Body::Failed(why),
                    _ => {}
                }
            }
        }
        FileMsg::Saved { generation, result } => {
            if !saving(generation) {
                return Vec::new();
            }
            let name = a.transfer.take().map(|t| t.name).unwrap_or_default();
            match result {
                Ok((path, bytes)) => state.notice(format!(
                    "saved {name} ({}) to {}",
                    human::size(i64::try_from(bytes).unwrap_or(i64::MAX)),
                    path.display()
                )),
                Err(why) => state.error(format!("{name} not saved: {why}")),
            }
        }
        FileMsg::Link {
            generation,
            action,
            url,
        } => {
            let Some(at) = a.links.iter().position(|g| *g == generation) else {
                return Vec::new();
            };
            a.links.remove(at);
            return match action {
                FileAction::OpenUrl => vec![Cmd::OpenLink {
                    url,
                    what: "file URL",
                }],
                _ => vec![Cmd::Copy {
                    text: url,
                    what: "file URL",
                }],
            };
        }
        FileMsg::Failed { generation, error } => {
            let mut ours = false;
            if let Some(p) = a.preview.as_mut().filter(|p| p.generation == generation) {
                p.body = Body::Failed(error.clone());
                ours = true;
            }
            if saving(generation) {
                a.transfer = None;
                ours = true;
            }
            if let Some(at) = a.links.iter().position(|g| *g == generation) {
                a.links.remove(at);
                ours = true;
            }
            if ours {
                state.error(error);
            }
        }
    }
    Vec::new()
}

/// After a resize: a picture on screen is encoded again for the overlay's new size.
pub(super) fn after_resize(state: &State) -> Vec<Cmd> {
    let body = preview_body(Areas::for_state(state).main);
    let Some(p) = state.attachments.preview.as_ref() else {
        return Vec::new();
    };
    match &p.body {
        Body::Picture {
            picture,
            drawn: Some(drawn),
        } if drawn.size != (body.width, body.height) => vec![Cmd::Encode {
            generation: p.generation,
            picture: std::sync::Arc::clone(picture),
            columns: body.width,
            rows: body.height,
        }],
        _ => Vec::new(),
    }
}
