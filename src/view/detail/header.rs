//! The two header lines and the tab bar with its counts, per provider: `AgentSight` (name · id · customer; device · language · environment · tokens and cost · location · started) and `ChatDash` (name · id · contact; channel · status · live · country · started).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::actions::Tally;
use super::clock;
use super::draw;
use super::parts::{self, Ctx};
use super::tab::{Tab, TabSet};
use crate::format::human;
use crate::provider::model::{Conversation, Evaluation, Flag};
use crate::text;

/// Rows the header and tab bar take above the tab's content.
pub(super) const ROWS: u16 = 3;
/// The tab bar's row, below the two header lines.
pub(super) const TAB_BAR_ROW: u16 = 2;

type Pieces = Vec<(String, Style)>;

/// A tab's label: `1 Actions` and its details, in full (` (3, 1 failed)`) and
/// short (` ✗1`) for narrow panes.
struct TabLabel {
    tab: Tab,
    number: String,
    name: String,
    /// `2 Acts`: the name cut to a word that still reads.
    abbreviated: String,
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
    /// `2 Acts ✗1`.
    Abbreviated,
    /// `2 ✗1`.
    Number,
    /// `2`.
    Bare,
}

impl TabLabel {
    fn pieces(&self, shown: Shown) -> (&str, &[(String, Style)]) {
        let number = self.number.as_str();
        match shown {
            Shown::Full => (&self.name, &self.full),
            Shown::Short => (&self.name, &self.short),
            Shown::Abbreviated => (&self.abbreviated, &self.short),
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
pub(super) struct Header {
    lines: [Pieces; 2],
    /// Per tab, in order.
    tabs: Vec<TabLabel>,
    theme: crate::view::theme::Theme,
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

/// A tab's details in the tab bar, in full and short.
type Details = (Pieces, Pieces);

/// When the conversation started, in the zone.
fn started(c: &Conversation, ctx: Ctx) -> String {
    c.started_at
        .as_ref()
        .map(|t| clock::datetime(ctx.zone, t))
        .unwrap_or_default()
}

/// The labels of a set's tabs, numbered in its order.
fn labels(set: TabSet, details: impl Fn(Tab) -> Details) -> Vec<TabLabel> {
    set.tabs()
        .iter()
        .zip(1..)
        .map(|(&tab, n): (&Tab, u8)| {
            let (full, short) = details(tab);
            TabLabel {
                tab,
                number: n.to_string(),
                name: format!("{n} {}", tab.title()),
                abbreviated: format!("{n} {}", tab.short_title()),
                full,
                short,
            }
        })
        .collect()
}

impl Header {
    /// An `AgentSight` conversation's header: its action and attachment
    /// tallies and worst sentiment on their tabs.
    #[must_use]
    pub(super) fn agentsight(c: &Conversation, ctx: Ctx, tally: Tally, attachments: usize) -> Self {
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
        // What the conversation's model calls cost, "+ unpriced" in the warning colour.
        let cost = c.token_usage.as_ref().and_then(|u| {
            let style = if u.has_unpriced() {
                theme.warning()
            } else {
                theme.text()
            };
            crate::format::usage::conversation_cost(u).map(|text| (text, style))
        });
        let second = [
            (one(c.device.as_deref()), theme.text()),
            (one(c.language.as_deref()), theme.text()),
            (one(c.environment.as_deref()), theme.text()),
            cost.unwrap_or_default(),
            (location.unwrap_or_default(), theme.text()),
            (started(c, ctx), theme.muted()),
        ];
        let details = |tab: Tab| -> Details {
            match tab {
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
            }
        };
        Self {
            lines: [joined(first, ctx), joined(second, ctx)],
            tabs: labels(TabSet::AGENTSIGHT, details),
            theme,
        }
    }

    /// A `ChatDash` conversation's header: how to reach the customer, the
    /// channel, who has the conversation and whether it is live; the
    /// evaluation's verdict on the Summary tab. (`ChatDash` has no action
    /// logs, feedback or attachments to count.)
    #[must_use]
    pub(super) fn chatdash(c: &Conversation, ctx: Ctx) -> Self {
        let theme = ctx.theme;
        let x = c.facts();
        let one = |v: Option<String>| {
            v.map(|v| parts::one_line(&v).into_owned())
                .unwrap_or_default()
        };
        let contact = x
            .phone
            .clone()
            .or_else(|| x.instagram_username.as_ref().map(|u| format!("@{u}")));
        let first = [
            (
                parts::one_line(c.name.as_deref().unwrap_or("(unnamed customer)")).into_owned(),
                theme.heading(),
            ),
            (parts::one_line(&c.display_id()).into_owned(), theme.text()),
            (one(contact), theme.text()),
        ];
        let status = match (x.status.clone(), x.live_agent_name.as_deref()) {
            (Some(status), Some(agent)) => Some(format!("{status}: {agent}")),
            (status, _) => status,
        };
        let live = match x.is_live {
            Some(Flag::Yes) => "● live".to_owned(),
            _ => String::new(),
        };
        let country = c.geo_location.as_ref().and_then(|g| g.country.clone());
        let second = [
            (one(x.channel.clone()), theme.text()),
            (one(status), theme.text()),
            (live, theme.warning()),
            (one(country), theme.text()),
            (started(c, ctx), theme.muted()),
        ];
        let verdict: Pieces = match x.evaluation.as_ref().and_then(Evaluation::succeeded) {
            Some(true) => vec![(" ✓".to_owned(), theme.success())],
            Some(false) => vec![(" ✗".to_owned(), theme.error())],
            None => Vec::new(),
        };
        let details = |tab: Tab| -> Details {
            match tab {
                Tab::Summary => (verdict.clone(), verdict.clone()),
                _ => (Vec::new(), Vec::new()),
            }
        };
        Self {
            lines: [joined(first, ctx), joined(second, ctx)],
            tabs: labels(TabSet::CHATDASH, details),
            theme,
        }
    }

    /// Draws the header lines and the tab bar into the top rows of `area`.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, current: Tab) {
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
        if area.height > TAB_BAR_ROW {
            self.tab_bar(area.x, area.y + TAB_BAR_ROW, area.width, buf, current);
        }
    }

    /// How much of each label the tab bar shows in `width` columns: shorter
    /// until it fits; the current tab keeps its name and full details
    /// longest, failures and sentiment stay to the last.
    fn level(&self, width: u16, current: Tab) -> impl Fn(&TabLabel) -> Shown {
        const LEVELS: [(Shown, Shown); 9] = [
            (Shown::Full, Shown::Full),
            (Shown::Full, Shown::Short),
            (Shown::Short, Shown::Short),
            // Words before bare numbers: a 60-column pane (120×40 split) still reads every tab.
            (Shown::Full, Shown::Abbreviated),
            (Shown::Short, Shown::Abbreviated),
            (Shown::Abbreviated, Shown::Abbreviated),
            (Shown::Full, Shown::Number),
            (Shown::Short, Shown::Number),
            (Shown::Short, Shown::Bare),
        ];
        let shown = move |label: &TabLabel, (mine, others): (Shown, Shown)| {
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
            .unwrap_or(LEVELS[8]);
        move |label: &TabLabel| shown(label, level)
    }

    /// The tab whose label is drawn at `column` (from the pane's left edge)
    /// of a tab bar `width` columns wide, for mouse clicks.
    #[must_use]
    pub(super) fn tab_at(&self, column: u16, width: u16, current: Tab) -> Option<Tab> {
        if column >= width {
            return None;
        }
        let shown = self.level(width, current);
        let column = usize::from(column);
        let mut right = 0;
        for label in &self.tabs {
            right += label.width(shown(label));
            if column < right {
                return Some(label.tab);
            }
        }
        None
    }

    /// The tab bar, its labels as long as [`Self::level`] lets them be.
    fn tab_bar(&self, x: u16, y: u16, width: u16, buf: &mut Buffer, current: Tab) {
        let shown = self.level(width, current);
        let right = x.saturating_add(width);
        let mut cx = x;
        for label in &self.tabs {
            let is_current = label.tab == current;
            let base = if is_current {
                self.theme.selected()
            } else {
                self.theme.text()
            };
            let (name, details) = label.pieces(shown(label));
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
