//! The status bar: a prompt, or the latest notice or error, or what is loading; then the keys that work here, with `? help` always shown.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::header::spinner;
use crate::app::keymap::Action;
use crate::app::screens::Screen;
use crate::app::state::{Focus, Prompt, State};
use crate::provider::ProviderKind;

use crate::text::{Lines, sanitize, truncate, width};

/// A hint: the actions whose first keys are shown joined by `/`, and what they do.
type Hint = (&'static [Action], &'static str);

/// Every write key in one hint, so all of them show even at 80 columns.
const WRITE_KEYS: &[Action] = &[
    Action::Mark,
    Action::FileTicket,
    Action::Rename,
    Action::Delete,
    Action::FeedbackPositive,
    Action::FeedbackNegative,
    Action::FeedbackNeutral,
];

const LIST_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "move"),
    (&[Action::Open], "open"),
    (&[Action::SearchList], "search"),
    (WRITE_KEYS, "write"),
    (&[Action::Filter], "filter"),
    (&[Action::NextPage, Action::PrevPage], "page"),
    (&[Action::Refresh], "refresh"),
    (&[Action::CopyId], "copy id"),
    (&[Action::Quit], "quit"),
];

/// `ChatDash` takes no writes, so its hints offer none.
const CHATDASH_LIST_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "move"),
    (&[Action::Open], "open"),
    (&[Action::SearchList], "search"),
    (&[Action::Filter], "filter"),
    (&[Action::NextPage, Action::PrevPage], "page"),
    (&[Action::Refresh], "refresh"),
    (&[Action::CopyId], "copy id"),
    (&[Action::Quit], "quit"),
];

const DETAIL_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::NextTab], "next tab"),
    (WRITE_KEYS, "write"),
    (&[Action::NextMessage, Action::PrevMessage], "message"),
    (&[Action::Search], "search"),
    (
        &[Action::NextConversation, Action::PrevConversation],
        "next/prev",
    ),
    (&[Action::NextFailure], "failed action"),
    (&[Action::Back], "back"),
    (&[Action::Save], "save"),
    (&[Action::OpenUrl], "dashboard"),
];

/// `ChatDash` has no action logs, so no failed actions to jump to, and
/// takes no writes, so no write keys or message cursor (it is for votes).
const CHATDASH_DETAIL_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::NextTab], "next tab"),
    (&[Action::Search], "search"),
    (
        &[Action::NextConversation, Action::PrevConversation],
        "next/prev",
    ),
    (&[Action::Back], "back"),
    (&[Action::Save], "save"),
];

/// On the Attachments tab the keys act on the file under the cursor.
const ATTACHMENT_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "file"),
    (&[Action::PreviewAttachment], "preview"),
    (&[Action::Save], "save file"),
    (&[Action::CopyUrl], "copy link"),
    (&[Action::OpenUrl], "open link"),
    (&[Action::NextTab], "next tab"),
    (&[Action::Back], "back"),
];

/// The preview's keys (its box's bottom border says them too).
const PREVIEW_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::Save], "save"),
    (&[Action::CopyUrl], "copy link"),
    (&[Action::OpenUrl], "open link"),
    (&[Action::Back], "close"),
];

const TICKET_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "move"),
    (&[Action::Open], "thread"),
    (&[Action::Filter], "filter"),
    (&[Action::CommentTicket], "comment"),
    (&[Action::TicketStatus], "status"),
    (&[Action::TicketPriority], "priority"),
    (&[Action::OpenConversation], "conversation"),
    (&[Action::NextPage, Action::PrevPage], "page"),
];

const THREAD_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::CommentTicket], "comment"),
    (&[Action::TicketStatus], "status"),
    (&[Action::TicketPriority], "priority"),
    (&[Action::OpenConversation], "conversation"),
    (&[Action::Back], "back"),
];

const FEEDBACK_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "move"),
    (&[Action::Open], "conversation"),
    (&[Action::FileTicket], "ticket"),
    (&[Action::Filter], "filter"),
    (&[Action::NextPage, Action::PrevPage], "page"),
    (&[Action::Refresh], "refresh"),
    (&[Action::ShowConversations], "conversations"),
];

const USAGE_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "move"),
    (&[Action::Open], "conversation"),
    (&[Action::ToggleCurrency], "$/€"),
    (&[Action::Filter], "filter"),
    (&[Action::Refresh], "refresh"),
    (&[Action::ShowConversations], "conversations"),
];

const COMMENT_HINTS: &str = "enter send · esc cancel";
const SEARCH_HINTS: &str = "enter keep · esc clear · n/N next/prev after";
const LIST_SEARCH_HINTS: &str = "enter apply (empty: clear) · esc cancel";
const SAVE_HINTS: &str = "m Markdown · j JSON · esc cancel";
const OPEN_HINTS: &str = "enter open · esc cancel";
const OPEN_HINTS_CHATDASH: &str = "enter open · tab id/platform id · esc cancel";

/// Draws the bar; returns where the cursor goes when the search prompt has focus.
pub fn render(state: &State, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.height == 0 {
        return None;
    }
    let theme = state.theme;
    let room = usize::from(area.width);
    let help = "? help ";
    let help_width = width(help);
    let mut used = 0;
    let mut cursor = None;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let left_room = room.saturating_sub(help_width + 1);
    let push = |spans: &mut Vec<Span<'static>>, used: &mut usize, text: String, style: Style| {
        let text = truncate(&text, left_room.saturating_sub(*used)).into_owned();
        *used += width(&text);
        spans.push(Span::styled(text, style));
    };
    match &state.prompt {
        Some(
            Prompt::Search(input)
            | Prompt::ListSearch(input)
            | Prompt::Open { input, .. }
            | Prompt::Comment { input, .. },
        ) => {
            let (label, after) = field_words(state);
            push(&mut spans, &mut used, label, theme.key());
            let start = used;
            let text = field_text(state, input, left_room.saturating_sub(used));
            push(&mut spans, &mut used, text, theme.text());
            let at = (start + input.visual_cursor()).min(used);
            cursor = Some(Position::new(
                area.x + u16::try_from(at.min(left_room)).unwrap_or(0),
                area.y,
            ));
            push_notice(state, &mut spans, &mut used, &push);
            push(&mut spans, &mut used, after, theme.muted());
        }
        Some(Prompt::Save) => {
            let id = state
                .detail
                .view
                .as_ref()
                .map(|v| sanitize(&v.conversation().display_id(), Lines::Join).into_owned())
                .unwrap_or_default();
            push(
                &mut spans,
                &mut used,
                format!(" save {id} as: "),
                theme.key(),
            );
            push(&mut spans, &mut used, SAVE_HINTS.to_owned(), theme.text());
        }
        None => {
            if let Some((text, style)) = message(state) {
                if let Some(hint) = cut_hint(state, &text, left_room) {
                    // Too long for the bar: cut where the hint still fits, and say where it reads whole.
                    let keep = left_room.saturating_sub(width(&hint));
                    push(
                        &mut spans,
                        &mut used,
                        truncate(&text, keep).into_owned(),
                        style,
                    );
                    push(&mut spans, &mut used, hint, theme.key());
                } else {
                    push(&mut spans, &mut used, text, style);
                    push(&mut spans, &mut used, "  ".to_owned(), theme.text());
                }
            }
            for (actions, what) in sideways(state).iter().chain(hints(state)) {
                let keys: Vec<String> = actions
                    .iter()
                    .filter_map(|a| state.keymap.first_label(*a))
                    .collect();
                let text = format!("{} {what}  ", keys.join("/"));
                if used + width(&text) > left_room {
                    break;
                }
                push(&mut spans, &mut used, text, theme.muted());
            }
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    if room >= help_width {
        let x = area.x + u16::try_from(room - help_width).unwrap_or(0);
        buf.set_string(x, area.y, "?", theme.key());
        buf.set_string(x + 1, area.y, " help ", theme.muted());
    }
    cursor
}

/// A typed prompt's label, and what follows its field (counts, then the keys it takes).
fn field_words(state: &State) -> (String, String) {
    match &state.prompt {
        Some(Prompt::Search(_)) => {
            let counts = match &state.detail.search {
                Some((_, status)) => format!("  {status}"),
                None => String::new(),
            };
            (" /".to_owned(), format!("{counts}  {SEARCH_HINTS}"))
        }
        Some(Prompt::ListSearch(_)) => (
            " search the list: ".to_owned(),
            format!("  {LIST_SEARCH_HINTS}"),
        ),
        Some(Prompt::Open { platform, .. }) => {
            let label = if *platform {
                " open platform id: "
            } else {
                " open id: "
            };
            let hint = if state.source.provider.kind == ProviderKind::ChatDash {
                OPEN_HINTS_CHATDASH
            } else {
                OPEN_HINTS
            };
            (label.to_owned(), format!("  {hint}"))
        }
        Some(Prompt::Comment { ticket, .. }) => (
            format!(" comment on #{ticket}: "),
            format!("  {COMMENT_HINTS}"),
        ),
        Some(Prompt::Save) | None => (String::new(), String::new()),
    }
}

/// A prompt's text, sanitised; when a notice is to follow (a paste cut to the
/// field's limit, say) it gets half of `room`, so the notice still shows.
fn field_text(state: &State, input: &tui_input::Input, room: usize) -> String {
    let text = sanitize(input.value(), Lines::Join);
    if state.status.is_some() {
        truncate(&text, room / 2).into_owned()
    } else {
        text.into_owned()
    }
}

/// The notice or error raised while a prompt is open, after its text.
fn push_notice<P>(state: &State, spans: &mut Vec<Span<'static>>, used: &mut usize, push: &P)
where
    P: Fn(&mut Vec<Span<'static>>, &mut usize, String, Style),
{
    if let Some(status) = &state.status {
        let style = if status.error {
            state.theme.error()
        } else {
            state.theme.muted()
        };
        let text = format!("  {}", sanitize(&status.text, Lines::Join));
        push(spans, used, text, style);
    }
}

/// When a notice or error is wider than the bar has room for, the hint put
/// after it (` L: whole`), naming the key that opens the message log.
fn cut_hint(state: &State, text: &str, room: usize) -> Option<String> {
    if state.status.is_none() || width(text) <= room {
        return None;
    }
    let key = state.keymap.first_label(Action::MessageLog)?;
    Some(format!(" {key}: whole"))
}

/// The notice, error or loading line, with its style.
fn message(state: &State) -> Option<(String, Style)> {
    let theme = state.theme;
    if let Some(status) = &state.status {
        let style = if status.error {
            theme.error()
        } else {
            theme.text()
        };
        return Some((format!(" {}", sanitize(&status.text, Lines::Join)), style));
    }
    if let Some(t) = &state.attachments.transfer {
        return Some((
            format!(
                " saving {} {}",
                t.name,
                super::preview::progress(t.received, t.total, 16)
            ),
            theme.text(),
        ));
    }
    if state.screen != Screen::Conversations && state.switching.is_none() {
        let text = screen_loading(state)?;
        return Some((format!(" {} {text}", spinner(state.spinner)), theme.muted()));
    }
    if let (Some((text, status)), Focus::Detail) = (&state.detail.search, state.focus) {
        let text = sanitize(text, Lines::Join);
        return Some((format!(" /{text}  {status}"), theme.text()));
    }
    let sending = state.writes.in_flight.first().map(|(_, w)| w.describe());
    let loading = match (&state.list.loading, &state.detail.loading) {
        _ if sending.is_some() => format!("sending: {}…", sending.unwrap_or_default()),
        _ if state.switching.is_some() => format!(
            "connecting to profile {}…",
            sanitize(state.switching.as_deref().unwrap_or_default(), Lines::Join)
        ),
        (Some(page), _) => format!("loading page {page}…"),
        (None, Some(id)) => format!("loading {}…", sanitize(&id.to_string(), Lines::Join)),
        (None, None) => return None,
    };
    Some((
        format!(" {} {loading}", spinner(state.spinner)),
        theme.muted(),
    ))
}

/// With long lines cut in the detail pane, `←`/`→` scroll them: said first.
fn sideways(state: &State) -> &'static [Hint] {
    const SIDEWAYS: &[Hint] = &[(&[Action::ScrollLeft, Action::ScrollRight], "sideways")];
    // The detail pane's own hints, not an overlay's (which has none).
    let cut = state.screen == Screen::Conversations
        && state.focus == Focus::Detail
        && !hints(state).is_empty();
    let wraps = state
        .detail
        .view
        .as_ref()
        .is_none_or(|v| v.wrap() || v.tab() == crate::view::detail::Tab::Trace);
    if cut && !wraps { SIDEWAYS } else { &[] }
}

/// The hints for the focused pane (or the filter panel's own, which it draws itself).
fn hints(state: &State) -> &'static [Hint] {
    if state.filter.is_some()
        || state.help.is_some()
        || state.picker.is_some()
        || state.form.is_some()
    {
        return &[];
    }
    if state.attachments.shown.is_some() {
        return &[];
    }
    if state.attachments.preview.is_some() {
        return PREVIEW_HINTS;
    }
    match state.screen {
        Screen::Tickets if state.screens.thread.is_some() => return THREAD_HINTS,
        Screen::Tickets => return TICKET_HINTS,
        Screen::Feedback => return FEEDBACK_HINTS,
        Screen::Usage => return USAGE_HINTS,
        Screen::Conversations => {}
    }
    match state.focus {
        Focus::List if state.source.provider.kind == ProviderKind::ChatDash => CHATDASH_LIST_HINTS,
        Focus::List => LIST_HINTS,
        Focus::Detail if state.source.provider.kind == ProviderKind::ChatDash => {
            CHATDASH_DETAIL_HINTS
        }
        Focus::Detail
            if state
                .detail
                .view
                .as_ref()
                .is_some_and(|v| v.tab() == crate::view::detail::Tab::Attachments) =>
        {
            ATTACHMENT_HINTS
        }
        Focus::Detail => DETAIL_HINTS,
    }
}

/// What the screen shown is loading, if anything.
fn screen_loading(state: &State) -> Option<String> {
    let (page, noun) = match state.screen {
        Screen::Tickets if state.screens.thread.as_ref().is_some_and(|t| t.loading) => {
            return Some("loading the ticket…".to_owned());
        }
        Screen::Tickets => (state.screens.tickets.loading, "tickets"),
        Screen::Feedback => (state.screens.feedback.loading, "feedback"),
        Screen::Usage if state.screens.usage.loading => {
            return Some("loading the usage…".to_owned());
        }
        Screen::Conversations | Screen::Usage => return None,
    };
    page.map(|p| format!("loading {noun} page {p}…"))
}
