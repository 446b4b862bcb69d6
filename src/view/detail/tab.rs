//! The detail pane's tabs, their titles, and each provider's tab set: which tabs it shows, in what order, under which number keys.

use crate::provider::ProviderKind;

/// One tab of the detail pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tab {
    /// `ChatDash`'s own analysis of a conversation: summary, evaluation, topic, status, call facts.
    Summary,
    Messages,
    Actions,
    Feedback,
    Attachments,
    Meta,
    Raw,
    /// `AgentSight`'s spans: each turn a tree drawn as a waterfall (its data is fetched on its own).
    Trace,
}

impl Tab {
    /// Every tab any provider shows (a view shows those of its [`TabSet`]).
    pub const ALL: [Tab; 8] = [
        Tab::Summary,
        Tab::Messages,
        Tab::Actions,
        Tab::Feedback,
        Tab::Attachments,
        Tab::Meta,
        Tab::Raw,
        Tab::Trace,
    ];

    /// The tab's name.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Summary => "Summary",
            Tab::Messages => "Messages",
            Tab::Actions => "Actions",
            Tab::Feedback => "Feedback",
            Tab::Attachments => "Attachments",
            Tab::Meta => "Meta",
            Tab::Raw => "Raw",
            Tab::Trace => "Trace",
        }
    }

    /// The title cut short for a narrow tab bar.
    #[must_use]
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Summary => "Sum",
            Tab::Messages => "Msgs",
            Tab::Actions => "Acts",
            Tab::Feedback => "Fb",
            Tab::Attachments => "Att",
            Tab::Meta => "Meta",
            Tab::Raw => "Raw",
            Tab::Trace => "Trace",
        }
    }

    /// 0-based position in [`Tab::ALL`]: where a view keeps the tab's document.
    #[must_use]
    pub(crate) fn index(self) -> usize {
        match self {
            Tab::Summary => 0,
            Tab::Messages => 1,
            Tab::Actions => 2,
            Tab::Feedback => 3,
            Tab::Attachments => 4,
            Tab::Meta => 5,
            Tab::Raw => 6,
            Tab::Trace => 7,
        }
    }
}

/// The tabs one provider's conversations show, in order; the number key of
/// a tab is its 1-based position here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabSet(&'static [Tab]);

impl TabSet {
    /// `AgentSight`: the transcript first, then what it has beyond `ChatDash`
    /// (action logs, feedback, attachments).
    pub const AGENTSIGHT: TabSet = TabSet(&[
        Tab::Messages,
        Tab::Actions,
        Tab::Feedback,
        Tab::Attachments,
        Tab::Meta,
        Tab::Raw,
        Tab::Trace,
    ]);

    /// `ChatDash`: its analysis first (what a lead triages by), then the transcript.
    pub const CHATDASH: TabSet = TabSet(&[Tab::Summary, Tab::Messages, Tab::Meta, Tab::Raw]);

    /// The set a provider's conversations show.
    #[must_use]
    pub fn of(kind: ProviderKind) -> Self {
        match kind {
            ProviderKind::AgentSight => Self::AGENTSIGHT,
            ProviderKind::ChatDash => Self::CHATDASH,
        }
    }

    /// The tabs, in the order shown.
    #[must_use]
    pub fn tabs(self) -> &'static [Tab] {
        self.0
    }

    /// The tab a view opens on.
    #[must_use]
    pub fn first(self) -> Tab {
        self.0.first().copied().unwrap_or(Tab::Raw)
    }

    /// Whether the set shows `tab`.
    #[must_use]
    pub fn contains(self, tab: Tab) -> bool {
        self.0.contains(&tab)
    }

    /// The tab numbered `n` (1-based), if the set has that many.
    #[must_use]
    pub fn numbered(self, n: u8) -> Option<Tab> {
        self.0.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// A tab's number, 1-based: the key that selects it.
    #[must_use]
    pub fn number(self, tab: Tab) -> Option<u8> {
        let at = self.0.iter().position(|&t| t == tab)?;
        u8::try_from(at + 1).ok()
    }

    /// The tab after `tab`, wrapping after the last; the first for a tab not in the set.
    #[must_use]
    pub fn next(self, tab: Tab) -> Tab {
        match self.0.iter().position(|&t| t == tab) {
            Some(at) => self.0[(at + 1) % self.0.len()],
            None => self.first(),
        }
    }

    /// The tab before `tab`, wrapping before the first; the first for a tab not in the set.
    #[must_use]
    pub fn prev(self, tab: Tab) -> Tab {
        let len = self.0.len();
        match self.0.iter().position(|&t| t == tab) {
            Some(at) => self.0[(at + len - 1) % len],
            None => self.first(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agentsight_numbers_and_cycling_are_as_before() {
        let set = TabSet::AGENTSIGHT;
        for (i, &tab) in set.tabs().iter().enumerate() {
            let n = u8::try_from(i + 1).unwrap();
            assert_eq!(set.number(tab), Some(n));
            assert_eq!(set.numbered(n), Some(tab));
            assert_eq!(set.prev(set.next(tab)), tab);
        }
        assert_eq!(set.first(), Tab::Messages);
        assert_eq!(set.next(Tab::Trace), Tab::Messages);
        assert_eq!(set.prev(Tab::Messages), Tab::Trace);
        assert_eq!(set.numbered(0), None);
        assert_eq!(set.numbered(7), Some(Tab::Trace));
        assert_eq!(set.numbered(8), None);
        assert_eq!(set.number(Tab::Summary), None);
        assert_eq!(Tab::Attachments.title(), "Attachments");
    }

    #[test]
    fn chatdash_has_four_tabs_opening_on_summary() {
        let set = TabSet::of(ProviderKind::ChatDash);
        assert_eq!(
            set.tabs(),
            &[Tab::Summary, Tab::Messages, Tab::Meta, Tab::Raw]
        );
        assert_eq!(set.first(), Tab::Summary);
        assert_eq!(set.numbered(3), Some(Tab::Meta));
        assert_eq!(set.numbered(5), None);
        assert_eq!(set.next(Tab::Raw), Tab::Summary);
        assert_eq!(set.prev(Tab::Summary), Tab::Raw);
        assert!(!set.contains(Tab::Actions));
        assert_eq!(
            set.next(Tab::Actions),
            Tab::Summary,
            "a tab it lacks leads to the first"
        );
        assert_eq!(set.prev(Tab::Feedback), Tab::Summary);
    }

    #[test]
    fn every_tab_has_its_own_slot() {
        for (i, tab) in Tab::ALL.iter().enumerate() {
            assert_eq!(tab.index(), i);
        }
    }
}
