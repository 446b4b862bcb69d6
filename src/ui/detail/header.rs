//! The two header lines (name · id · customer; device · language · environment · location · started) and the tab bar with its counts.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::actions::Tally;
use super::clock;
use super::draw;
use super::parts::{self, Ctx};
use super::tab::Tab;
use crate::format::human;
use crate::provider::model::Conversation;
use crate::text;

/// Rows the header and tab bar take above the tab's content.
pub const ROWS: u16 = 3;

type Pieces = Vec<(String, Style)>;

/// A tab's label: `1 Actions` and its details, in full (` (3, 1 failed)`) and
/// short (` ✗1`) for narrow panes.
struct TabLabel {
    tab: Tab,
    name: String,
    full: Pieces,
    short: Pieces,
}

/// How much of a label is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// `2 Actions (3, 1 failed)`.
    Full,
    /// `2 Actions ✗1`.
    Short,
    /// `2 ✗1`.
    Number,
    /// `2`.
    Bare,
}

impl TabLabel {
    fn pieces(&self, shown: Shown) -> (&str, &[(String, Style)]) {
        let number = &self.name[..1];
        match shown {
            Shown::Full => (&self.name, &self.full),
            Shown::Short => (&self.name, &self.short),
            Shown::Number => (number, &self.short),
            Shown::Bare => (number, &[]),
        }
    }

    /// Columns taken, with a space either side.
    fn width(&self, shown: Shown) -> usize {
        let (name, details) = self.pieces(shown);
        text::width(name) + details.iter().map(|(s, _)| text::width(s)).sum::<usize>() + 2
    }
}

/// What is drawn above the content, built once per conversation.
pub struct Header {
    lines: [Pieces; 2],
    /// Per tab, in order.
    tabs: Vec<TabLabel>,
    theme: crate::ui::theme::Theme,
}

/// Joins the present values with ` · `.
fn joined(values: impl IntoIterator<Item = (String, Style)>, ctx: Ctx) -> Pieces {
    let mut out = Vec::new();
    for (value, style) in values {
        if value.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push((" · ".to_owned(), ctx.theme.muted()));
        }
        out.push((value, style));
    }
    out
}

impl Header {
    #[must_use]
    pub fn new(c: &Conversation, ctx: Ctx, tally: Tally, attachments: usize) -> Self {
        let theme = ctx.theme;
        let one = |v: Option<&str>| {
            v.map(|v| parts::one_line(v).into_owned())
                .unwrap_or_default()
        };
        let mut first = vec![
            (
                one(c.name.as_deref().or(Some("(untitled conversation)"))),
                theme.heading(),
            ),
            (parts::one_line(&c.display_id()).into_owned(), theme.text()),
            (one(c.customer_id.as_deref()), theme.text()),
        ];
        if c.is_marked == Some(true) {
            first.push(("★ marked".to_owned(), theme.warning()));
        }
        if c.is_deleted == Some(true) {
            first.push(("deleted".to_owned(), theme.error()));
        }
        let location = c.geo_location.as_ref().map(|g| {
            [g.city.as_deref(), g.country.as_deref()]
                .into_iter()
                .flatten()
                .map(|v| parts::one_line(v).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let second = [
            (one(c.device.as_deref()), theme.text()),
            (one(c.language.as_deref()), theme.text()),
            (one(c.environment.as_deref()), theme.text()),
            (location.unwrap_or_default(), theme.text()),
            (
                c.started_at
                    .as_ref()
                    .map(|t| clock::datetime(ctx.zone, t))
                    .unwrap_or_default(),
                theme.muted(),
            ),
        ];
        let tabs = Tab::ALL
            .iter()
            .map(|&tab| {
                let name = format!("{} {}", tab.number(), tab.title());
                let (full, short) = match tab {
                    Tab::Actions if tally.total > 0 => {
                        let mut full = vec![(format!(" ({}", tally.total), theme.text())];
                        let mut short = Vec::new();
                        if tally.failed > 0 {
                            full.push((", ".to_owned(), theme.text()));
                            full.push((format!("{} failed", tally.failed), theme.error()));
                            short.push((format!(" ✗{}", tally.failed), theme.error()));
                        }
                        full.push((")".to_owned(), theme.text()));
                        (full, short)
                    }
                    Tab::Feedback => {
                        let glyph: Pieces = c
                            .worst_sentiment()
                            .map(|s| {
                                (
                                    format!(" {}", human::sentiment_glyph(Some(s))),
                                    parts::sentiment_style(Some(s), theme),
                                )
                            })
                            .into_iter()
                            .collect();
                        (glyph.clone(), glyph)
                    }
                    Tab::Attachments if attachments > 0 => (
                        vec![(format!(" ({attachments})"), theme.text())],
                        Vec::new(),
                    ),
                    _ => (Vec::new(), Vec::new()),
                };
                TabLabel {
                    tab,
                    name,
                    full,
                    short,
                }
            })
            .collect();
        Self {
            lines: [joined(first, ctx), joined(second, ctx)],
            tabs,
            theme,
        }
    }

    /// Draws the header lines and the tab bar into the top rows of `area`.
    pub fn draw(&self, area: Rect, buf: &mut Buffer, current: Tab) {
        for (i, line) in self.lines.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(0);
            if i >= area.height {
                return;
            }
            draw::pieces(
                buf,
                area.x,
                area.y + i,
                area.width,
                line.iter().map(|(s, st)| (s.as_str(), *st)),
            );
        }
        if area.height > 2 {
            self.tab_bar(area.x, area.y + 2, area.width, buf, current);
        }
    }

    /// The tab bar, made shorter until it fits: the current tab keeps its
    /// name and full details longest, failures and sentiment stay to the last.
    fn tab_bar(&self, x: u16, y: u16, width: u16, buf: &mut Buffer, current: Tab) {
        const LEVELS: [(Shown, Shown); 6] = [
            (Shown::Full, Shown::Full),
            (Shown::Full, Shown::Short),
            (Shown::Short, Shown::Short),
            (Shown::Full, Shown::Number),
            (Shown::Short, Shown::Number),
            (Shown::Short, Shown::Bare),
        ];
        let shown = |label: &TabLabel, (mine, others): (Shown, Shown)| {
            if label.tab == current { mine } else { others }
        };
        let level = LEVELS
            .into_iter()
            .find(|&level| {
                self.tabs
                    .iter()
                    .map(|l| l.width(shown(l, level)))
                    .sum::<usize>()
                    <= usize::from(width)
            })
            .unwrap_or(LEVELS[5]);
        let right = x.saturating_add(width);
        let mut cx = x;
        for label in &self.tabs {
            let is_current = label.tab == current;
            let base = if is_current {
                self.theme.selected()
            } else {
                self.theme.text()
            };
            let (name, details) = label.pieces(shown(label, level));
            let mut pieces: Vec<(&str, Style)> = vec![(" ", base), (name, base)];
            pieces.extend(details.iter().map(|(s, st)| (s.as_str(), base.patch(*st))));
            pieces.push((" ", base));
            cx += draw::pieces(buf, cx, y, right.saturating_sub(cx), pieces);
            if cx >= right {
                break;
            }
        }
    }
}
