//! `[keys]`: action names as the config spells them, checked against the browser's keymap.

use serde::Deserialize;

use super::keymap::{Action, DEFAULT_BINDINGS, Key, Keymap, Scope};
use super::suggest::did_you_mean;

/// One key or several for an action.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    /// `quit = "q"`.
    One(String),
    /// `quit = ["q", "ctrl-q"]`.
    Many(Vec<String>),
}

/// Every action a `[keys]` entry may rebind, by its config name.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("down", Action::Down),
    ("up", Action::Up),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("half_page_down", Action::HalfPageDown),
    ("half_page_up", Action::HalfPageUp),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("next_page", Action::NextPage),
    ("prev_page", Action::PrevPage),
    ("open", Action::Open),
    ("back", Action::Back),
    ("next_conversation", Action::NextConversation),
    ("prev_conversation", Action::PrevConversation),
    ("next_failure", Action::NextFailure),
    ("prev_failure", Action::PrevFailure),
    ("next_tab", Action::NextTab),
    ("prev_tab", Action::PrevTab),
    ("tab_1", Action::GoTab(0)),
    ("tab_2", Action::GoTab(1)),
    ("tab_3", Action::GoTab(2)),
    ("tab_4", Action::GoTab(3)),
    ("tab_5", Action::GoTab(4)),
    ("tab_6", Action::GoTab(5)),
    ("tab_7", Action::GoTab(6)),
    ("filter", Action::Filter),
    ("clear_filters", Action::ClearFilters),
    ("pick_view", Action::PickView),
    ("switch_profile", Action::SwitchProfile),
    ("open_id", Action::OpenById),
    ("search", Action::Search),
    ("next_match", Action::NextMatch),
    ("prev_match", Action::PrevMatch),
    ("refresh", Action::Refresh),
    ("copy_id", Action::CopyId),
    ("copy_url", Action::CopyUrl),
    ("open_url", Action::OpenUrl),
    ("save", Action::Save),
    ("toggle_wrap", Action::ToggleWrap),
    ("help", Action::Help),
    ("quit", Action::Quit),
    ("force_quit", Action::ForceQuit),
    ("suspend", Action::Suspend),
    ("conversations_screen", Action::ShowConversations),
    ("tickets_screen", Action::ShowTickets),
    ("feedback_screen", Action::ShowFeedback),
    ("usage_screen", Action::ShowUsage),
    ("toggle_currency", Action::ToggleCurrency),
    ("comment_ticket", Action::CommentTicket),
    ("ticket_status", Action::TicketStatus),
    ("ticket_priority", Action::TicketPriority),
    ("open_conversation", Action::OpenConversation),
    ("mark", Action::Mark),
    ("rename", Action::Rename),
    ("delete", Action::Delete),
    ("feedback_positive", Action::FeedbackPositive),
    ("feedback_negative", Action::FeedbackNegative),
    ("feedback_neutral", Action::FeedbackNeutral),
    ("file_ticket", Action::FileTicket),
    ("next_message", Action::NextMessage),
    ("prev_message", Action::PrevMessage),
    ("trace_of_message", Action::TraceOfMessage),
    ("message_log", Action::MessageLog),
    ("scroll_left", Action::ScrollLeft),
    ("scroll_right", Action::ScrollRight),
    ("preview_attachment", Action::PreviewAttachment),
    ("search_list", Action::SearchList),
    ("clear_search", Action::ClearSearch),
    ("sort_next", Action::SortNext),
    ("sort_prev", Action::SortPrev),
    ("sort_reverse", Action::SortReverse),
    ("open_failure", Action::OpenFailure),
    ("watch", Action::Watch),
];

/// One `[keys]` entry, checked: these keys now do this action where it applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebinding {
    /// The config name of the action.
    pub name: String,
    /// The action.
    pub action: Action,
    /// Where its default bindings apply.
    pub scope: Scope,
    /// The keys, as written.
    pub keys: Vec<String>,
    /// The keys, parsed.
    pub parsed: Vec<Key>,
}

impl Rebinding {
    /// Applies the rebinding to a keymap (the browser's startup hook).
    pub fn apply(&self, keymap: &mut Keymap) {
        keymap.bind(self.action, self.scope, &self.parsed);
    }
}

/// Applies every rebinding in order.
pub fn apply_all(rebindings: &[Rebinding], keymap: &mut Keymap) {
    for r in rebindings {
        r.apply(keymap);
    }
}

/// Checks one `action = keys` entry.
///
/// # Errors
/// An unknown action (with the likely one) or a key that does not parse.
pub fn rebinding(name: &str, keys: &KeyList) -> Result<Rebinding, String> {
    let Some(action) = ACTION_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
    else {
        let names: Vec<&str> = ACTION_NAMES.iter().map(|(n, _)| *n).collect();
        let hint = did_you_mean(name, &names).map_or_else(
            || format!("actions: {}", names.join(", ")),
            |best| format!("did you mean `{best}`?"),
        );
        return Err(format!("unknown action `{name}` in [keys]; {hint}"));
    };
    let keys = match keys {
        KeyList::One(k) => vec![k.clone()],
        KeyList::Many(ks) => ks.clone(),
    };
    if keys.is_empty() {
        return Err(format!(
            "[keys] {name} has no key; give one like \"q\" or \"ctrl-q\""
        ));
    }
    let mut parsed = Vec::with_capacity(keys.len());
    for key in &keys {
        parsed.push(Key::parse(key.trim()).ok_or_else(|| {
            format!(
                "[keys] {name} = {key:?} is not a key; write one like \"q\", \"Q\", \"ctrl-d\", \"alt-x\", \"enter\", \"pgdn\", \"f5\""
            )
        })?);
    }
    let scope = DEFAULT_BINDINGS
        .iter()
        .find(|(_, a, _)| *a == action)
        .map_or(Scope::Global, |(_, _, s)| *s);
    Ok(Rebinding {
        name: name.to_owned(),
        action,
        scope,
        keys,
        parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_with_a_default_key_has_a_config_name() {
        for (_, action, _) in DEFAULT_BINDINGS {
            assert!(
                ACTION_NAMES.iter().any(|(_, a)| a == action),
                "{action:?} has no config name"
            );
        }
    }

    #[test]
    fn a_rebinding_takes_the_actions_own_pane() {
        let r = rebinding("back", &KeyList::One("backspace".into())).unwrap();
        assert_eq!(r.scope, Scope::Detail);
        let e = rebinding("qiut", &KeyList::One("x".into())).unwrap_err();
        assert!(e.contains("did you mean `quit`?"), "{e}");
        let e = rebinding("quit", &KeyList::One("ctrl-".into())).unwrap_err();
        assert!(e.contains("is not a key"), "{e}");
    }
}
