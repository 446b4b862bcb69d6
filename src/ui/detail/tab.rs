//! The detail pane's tabs, their order, titles and number keys.

/// One tab of the detail pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tab {
    Messages,
    Actions,
    Feedback,
    Attachments,
    Meta,
    Raw,
}

impl Tab {
    /// Every tab, in the order shown (and numbered).
    pub const ALL: [Tab; 6] = [
        Tab::Messages,
        Tab::Actions,
        Tab::Feedback,
        Tab::Attachments,
        Tab::Meta,
        Tab::Raw,
    ];

    /// The tab's name.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Messages => "Messages",
            Tab::Actions => "Actions",
            Tab::Feedback => "Feedback",
            Tab::Attachments => "Attachments",
            Tab::Meta => "Meta",
            Tab::Raw => "Raw",
        }
    }

    /// Its number, 1 to 6: the key that selects it.
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            Tab::Messages => 1,
            Tab::Actions => 2,
            Tab::Feedback => 3,
            Tab::Attachments => 4,
            Tab::Meta => 5,
            Tab::Raw => 6,
        }
    }

    /// The tab numbered `n` (1 to 6).
    #[must_use]
    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The next tab, wrapping after the last (`Tab`).
    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    /// The previous tab, wrapping before the first (`Shift-Tab`).
    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// 0-based position in [`Tab::ALL`].
    #[must_use]
    pub(crate) fn index(self) -> usize {
        usize::from(self.number()) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_titles_and_cycling_agree() {
        for (i, tab) in Tab::ALL.iter().enumerate() {
            assert_eq!(usize::from(tab.number()), i + 1);
            assert_eq!(Tab::from_number(tab.number()), Some(*tab));
            assert_eq!(tab.next().prev(), *tab);
        }
        assert_eq!(Tab::Raw.next(), Tab::Messages);
        assert_eq!(Tab::Messages.prev(), Tab::Raw);
        assert_eq!(Tab::from_number(0), None);
        assert_eq!(Tab::from_number(7), None);
        assert_eq!(Tab::Attachments.title(), "Attachments");
    }
}
