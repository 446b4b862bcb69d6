//! Colours and emphasis in one place, so `NO_COLOR` (and the light theme) change every pane at once.

use ratatui::style::{Color, Modifier, Style};

use crate::config::ThemeName;

/// The styles every pane draws with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// No colour at all: only bold, dim, reverse and underline (`NO_COLOR`, `--no-color`).
    pub mono: bool,
    /// Colours that read on a light background (`theme = "light"`).
    pub light: bool,
}

impl Theme {
    /// The theme the config names (already `mono` when `NO_COLOR` or `--no-color` said so).
    #[must_use]
    pub fn named(name: ThemeName) -> Self {
        Self {
            mono: name == ThemeName::Mono,
            light: name == ThemeName::Light,
        }
    }

    /// `dark` picks the first colour, `light` the second: cyan and yellow
    /// vanish on a white background, so the light theme trades them for
    /// blue, magenta and red.
    fn pick(self, dark: Color, light: Color) -> Color {
        if self.light { light } else { dark }
    }

    fn fg(self, color: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    /// Ordinary text.
    #[must_use]
    pub fn text(self) -> Style {
        Style::new()
    }

    /// Secondary text: timestamps, labels, hints.
    #[must_use]
    pub fn muted(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// Titles and headings.
    #[must_use]
    pub fn heading(self) -> Style {
        self.fg(self.pick(Color::Cyan, Color::Blue))
            .add_modifier(Modifier::BOLD)
    }

    /// The selected row or active tab.
    #[must_use]
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Borders of the focused pane.
    #[must_use]
    pub fn focused_border(self) -> Style {
        self.fg(self.pick(Color::Cyan, Color::Blue))
            .add_modifier(Modifier::BOLD)
    }

    /// Borders of other panes.
    #[must_use]
    pub fn border(self) -> Style {
        self.fg(self.pick(Color::DarkGray, Color::Gray))
    }

    /// A failure: failed actions, errors in the status bar, refused values.
    #[must_use]
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A success mark.
    #[must_use]
    pub fn success(self) -> Style {
        self.fg(Color::Green)
    }

    /// A warning: throttling, timeouts, unknown outcomes.
    #[must_use]
    pub fn warning(self) -> Style {
        self.fg(self.pick(Color::Yellow, Color::Magenta))
    }

    /// A search match.
    #[must_use]
    pub fn search_match(self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        } else {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        }
    }

    /// The current search match (the one `n`/`N` moved to).
    #[must_use]
    pub fn current_match(self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::new()
                .bg(Color::LightRed)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        }
    }

    /// Deleted rows.
    #[must_use]
    pub fn deleted(self) -> Style {
        Style::new().add_modifier(Modifier::DIM | Modifier::CROSSED_OUT)
    }

    /// A key in a hint (`q`, `?`).
    #[must_use]
    pub fn key(self) -> Style {
        self.fg(self.pick(Color::Cyan, Color::Blue))
            .add_modifier(Modifier::BOLD)
    }

    /// The sender's label and colour, so a transcript reads at a glance:
    /// customer, AI agent, human agent and system each look different (also in mono, by weight).
    #[must_use]
    pub fn sender(self, sender: &str) -> Style {
        match sender {
            "end_user" | "user" => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            "agent" | "bot" => self.fg(Color::Blue).add_modifier(Modifier::BOLD),
            "human_agent" | "human" => self
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD | Modifier::ITALIC),
            _ => self.muted().add_modifier(Modifier::ITALIC),
        }
    }

    /// Inline code and code blocks in message Markdown.
    #[must_use]
    pub fn code(self) -> Style {
        self.fg(self.pick(Color::Yellow, Color::Red))
    }

    /// Links shown as text.
    #[must_use]
    pub fn link(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }
}
