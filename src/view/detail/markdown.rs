//! Light Markdown (pulldown-cmark) turned into styled lines: paragraphs, emphasis, lists, code, links as `text (url)`, headings, quotes.
//!
//! Chat messages are written by people and agents, not by Markdown purists, so
//! a single newline is kept as a line break rather than folded into a space.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};

use super::line::{Lead, Line, Lines};
use crate::text::{self, Lines as Breaks};
use crate::view::theme::Theme;

/// Renders `content` (already sanitised with line breaks kept) into `out`.
///
/// The first line drawn gets `first` as its lead (the time and sender gutter);
/// every line is indented by `base` columns, plus its own nesting. Nothing is
/// pushed for empty content, and the unused `first` is handed back.
pub(crate) fn render(
    content: &str,
    theme: Theme,
    first: Lead,
    base: u16,
    out: &mut Lines,
) -> Option<Lead> {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut writer = Writer {
        theme,
        out,
        first: Some(first),
        base,
        indent: 0,
        quote: 0,
        line: None,
        bullet: None,
        styles: Vec::new(),
        lists: Vec::new(),
        links: Vec::new(),
        in_code: false,
        blank_pending: false,
        wrote: false,
    };
    for event in Parser::new_ext(content, options) {
        writer.event(event);
    }
    writer.end_line();
    writer.first
}

/// An open list: the next number (ordered lists) and its items' marker widths.
struct List {
    next: Option<u64>,
    marker_width: u16,
}

struct Writer<'a> {
    theme: Theme,
    out: &'a mut Lines,
    first: Option<Lead>,
    base: u16,
    /// Columns of list and code nesting.
    indent: u16,
    quote: u16,
    line: Option<Line>,
    bullet: Option<String>,
    styles: Vec<Style>,
    lists: Vec<List>,
    /// Open links: their destination and where their text started in the line.
    links: Vec<(String, usize)>,
    in_code: bool,
    blank_pending: bool,
    wrote: bool,
}

/// Quote levels drawn as bars; deeper levels are drawn as this one.
const MAX_QUOTES_SHOWN: u16 = 8;
/// Columns of list and code indentation drawn; deeper nesting is drawn at this one.
const MAX_INDENT_SHOWN: u16 = 24;

fn spaces(n: u16) -> String {
    " ".repeat(usize::from(n))
}

impl Writer<'_> {
    fn style(&self) -> Style {
        self.styles
            .iter()
            .fold(self.theme.text(), |acc, s| acc.patch(*s))
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                let style = if self.in_code {
                    self.style().patch(self.theme.code())
                } else {
                    self.style()
                };
                self.text(&t, style);
            }
            Event::Code(t) | Event::InlineMath(t) => {
                let style = self.style().patch(self.theme.code());
                self.text(&t, style);
            }
            Event::DisplayMath(t) => {
                let style = self.style().patch(self.theme.code());
                self.block_start();
                self.text(&t, style);
                self.end_line();
                self.blank_pending = true;
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let style = self.style().patch(self.theme.muted());
                self.text(&t, style);
            }
            Event::FootnoteReference(label) => {
                let style = self.style();
                self.text(&format!("[^{label}]"), style);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.open_line();
                self.end_line();
            }
            Event::Rule => {
                self.block_start();
                let style = self.theme.muted();
                self.text("──────────", style);
                self.end_line();
                self.blank_pending = true;
            }
            Event::TaskListMarker(done) => {
                let style = self.style();
                self.text(if done { "[x] " } else { "[ ] " }, style);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::FootnoteDefinition(_) => self.block_start(),
            Tag::Heading { .. } => {
                self.block_start();
                self.styles.push(self.theme.heading());
            }
            Tag::BlockQuote(_) => {
                self.block_start();
                self.quote = self.quote.saturating_add(1);
                self.styles
                    .push(Style::new().add_modifier(Modifier::ITALIC));
            }
            Tag::CodeBlock(kind) => {
                self.block_start();
                self.in_code = true;
                self.indent = self.indent.saturating_add(2);
                if let CodeBlockKind::Fenced(lang) = kind {
                    let lang = lang.trim();
                    if !lang.is_empty() {
                        let style = self.theme.muted();
                        self.text(lang, style);
                        self.end_line();
                    }
                }
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.block_start();
                } else {
                    self.end_line();
                }
                self.lists.push(List {
                    next: start,
                    marker_width: 0,
                });
            }
            Tag::Item => {
                self.end_line();
                let depth = self.lists.len();
                if let Some(list) = self.lists.last_mut() {
                    let marker = match list.next.as_mut() {
                        Some(n) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        None => match depth {
                            1 => "• ".to_owned(),
                            2 => "◦ ".to_owned(),
                            _ => "▪ ".to_owned(),
                        },
                    };
                    let width = u16::try_from(text::width(&marker)).unwrap_or(2);
                    list.marker_width = width;
                    self.indent = self.indent.saturating_add(width);
                    self.bullet = Some(marker);
                }
            }
            Tag::Emphasis => self
                .styles
                .push(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                let at = self.line.as_ref().map_or(0, |l| l.text.len());
                self.links.push((dest_url.into_string(), at));
                self.styles.push(self.theme.link());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition => {
                self.end_line();
                self.blank_pending = true;
            }
            TagEnd::Heading(_) => {
                self.end_line();
                self.styles.pop();
                self.blank_pending = true;
            }
            TagEnd::BlockQuote(_) => {
                self.end_line();
                self.quote = self.quote.saturating_sub(1);
                self.styles.pop();
                self.blank_pending = true;
            }
            TagEnd::CodeBlock => {
                self.end_line();
                self.in_code = false;
                self.indent = self.indent.saturating_sub(2);
                self.blank_pending = true;
            }
            TagEnd::List(_) => {
                self.end_line();
                self.lists.pop();
                self.blank_pending = self.lists.is_empty();
            }
            TagEnd::Item => {
                self.end_line();
                let width = self.lists.last().map_or(0, |l| l.marker_width);
                self.indent = self.indent.saturating_sub(width);
                // A loose item's paragraphs end in a pending blank; the next item is
                // close enough to its marker not to need one.
                self.blank_pending = false;
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.styles.pop();
                if let Some((dest, at)) = self.links.pop() {
                    self.link_target(&dest, at);
                }
            }
            _ => {}
        }
    }

    /// After a link's text: ` (url)`, unless the text already is the URL.
    fn link_target(&mut self, dest: &str, at: usize) {
        let dest = text::sanitize(dest.trim(), Breaks::Join);
        if dest.is_empty() {
            return;
        }
        let shown = self
            .line
            .as_ref()
            .and_then(|l| l.text.get(at..))
            .unwrap_or_default();
        let same = shown == dest.as_ref()
            || dest.strip_prefix("mailto:") == Some(shown)
            || dest.strip_suffix('/') == Some(shown);
        if !same {
            let style = self.theme.muted();
            self.text(&format!(" ({dest})"), style);
        }
    }

    /// Text, split at line breaks (code blocks keep theirs) and sanitised once
    /// more: entities such as `&#27;` can decode to control characters.
    fn text(&mut self, text: &str, style: Style) {
        let mut pieces = text.split('\n').peekable();
        while let Some(piece) = pieces.next() {
            let last = pieces.peek().is_none();
            if last && piece.is_empty() && self.in_code {
                break;
            }
            if !piece.is_empty() {
                self.open_line();
                let clean = text::sanitize(piece, Breaks::Join);
                if let Some(line) = self.line.as_mut() {
                    line.push(&clean, style);
                }
            } else if !last {
                self.open_line();
            }
            if !last {
                self.end_line();
            }
        }
    }

    /// A new block: close the current line and leave a blank one after the previous block.
    fn block_start(&mut self) {
        self.end_line();
        if self.blank_pending && self.wrote {
            let blank = Line {
                lead: self.plain_lead(),
                cont: self.plain_lead(),
                ..Line::default()
            };
            self.out.push(blank);
        }
        self.blank_pending = false;
    }

    /// Quote bars drawn: one a level, up to a limit, since untrusted text
    /// can nest quotes without end (`> > > …`).
    fn bars(&self) -> String {
        "│ ".repeat(usize::from(self.quote.min(MAX_QUOTES_SHOWN)))
    }

    /// List and code indentation drawn, up to a limit (`- - - …` nests lists).
    fn shown_indent(&self) -> u16 {
        self.indent.min(MAX_INDENT_SHOWN)
    }

    /// Indentation, with a quote's bar when inside one.
    fn plain_lead(&self) -> Lead {
        let width = self
            .base
            .saturating_add(self.quote.min(MAX_QUOTES_SHOWN) * 2)
            .saturating_add(self.shown_indent());
        if self.quote == 0 {
            return Lead::indent(width);
        }
        Lead::styled(
            vec![
                (spaces(self.base), self.theme.text()),
                (self.bars(), self.theme.muted()),
                (spaces(self.shown_indent()), self.theme.text()),
            ],
            width,
        )
    }

    fn open_line(&mut self) {
        if self.line.is_some() {
            return;
        }
        let gutter = self.first.take();
        let bullet = self.bullet.take();
        let cont = self.plain_lead();
        let lead = if gutter.is_none() && bullet.is_none() {
            cont.clone()
        } else {
            let mut segs = match gutter {
                Some(g) => {
                    let used: usize = g.segs.iter().map(|(s, _)| text::width(s)).sum();
                    let mut segs = g.segs;
                    let pad = usize::from(self.base).saturating_sub(used);
                    if pad > 0 {
                        segs.push((" ".repeat(pad), self.theme.text()));
                    }
                    segs
                }
                None => vec![(spaces(self.base), self.theme.text())],
            };
            if self.quote > 0 {
                segs.push((self.bars(), self.theme.muted()));
            }
            let bullet = bullet.unwrap_or_default();
            let bullet_width = u16::try_from(text::width(&bullet)).unwrap_or(0);
            segs.push((
                format!(
                    "{}{bullet}",
                    spaces(self.shown_indent().saturating_sub(bullet_width))
                ),
                self.theme.text(),
            ));
            Lead::styled(segs, cont.width)
        };
        self.line = Some(Line {
            lead,
            cont,
            ..Line::default()
        });
    }

    fn end_line(&mut self) {
        if let Some(line) = self.line.take() {
            self.out.push(line);
            self.wrote = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEME: Theme = Theme {
        mono: false,
        light: false,
    };

    fn md(content: &str) -> Vec<Line> {
        let mut out = Lines::default();
        render(content, THEME, Lead::default(), 0, &mut out);
        out.lines
    }

    /// Each line as its lead's text plus its own.
    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                let lead: String = l.lead.segs.iter().map(|(s, _)| s.as_str()).collect();
                let pad = " ".repeat(usize::from(l.lead.width).saturating_sub(text::width(&lead)));
                format!("{lead}{pad}{}", l.text)
            })
            .collect()
    }

    fn style_of(line: &Line, needle: &str) -> Style {
        let at = line.text.find(needle).unwrap();
        line.style_at(u32::try_from(at).unwrap())
    }

    #[test]
    fn paragraphs_are_separated_and_single_newlines_kept() {
        let lines = md("first line\nsecond line\n\nnew paragraph");
        assert_eq!(
            texts(&lines),
            vec!["first line", "second line", "", "new paragraph"]
        );
    }

    #[test]
    fn emphasis_and_strong_are_styled_not_marked() {
        let lines = md("some *soft* and **loud** words");
        assert_eq!(lines[0].text, "some soft and loud words");
        assert!(
            style_of(&lines[0], "soft")
                .add_modifier
                .contains(Modifier::ITALIC)
        );
        assert!(
            style_of(&lines[0], "loud")
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert_eq!(style_of(&lines[0], "words"), THEME.text());
    }

    #[test]
    fn lists_get_bullets_numbers_and_nesting() {
        let lines = md("- apples\n- pears\n  - green\n\n3. third\n4. fourth");
        assert_eq!(
            texts(&lines),
            vec![
                "• apples",
                "• pears",
                "  ◦ green",
                "",
                "3. third",
                "4. fourth"
            ]
        );
        assert_eq!(
            lines[1].cont.width, 2,
            "a wrapped item aligns with its text"
        );
    }

    #[test]
    fn inline_code_and_code_blocks_use_the_code_style() {
        let lines = md("run `cargo test` now\n\n```rust\nfn main() {\n    go();\n}\n```");
        assert_eq!(style_of(&lines[0], "cargo test"), THEME.code());
        assert_eq!(
            texts(&lines),
            vec![
                "run cargo test now",
                "",
                "  rust",
                "  fn main() {",
                "      go();",
                "  }"
            ]
        );
        assert_eq!(style_of(&lines[3], "fn"), THEME.code());
    }

    #[test]
    fn links_show_their_target_unless_it_is_the_text() {
        let lines = md("track it [here](https://example.com/t) or <https://example.com>");
        assert_eq!(
            lines[0].text,
            "track it here (https://example.com/t) or https://example.com"
        );
        assert_eq!(style_of(&lines[0], "here"), THEME.link());
    }

    #[test]
    fn nesting_without_end_is_drawn_to_a_limit_and_never_overflows() {
        // 40,000 levels would overflow a u16 of columns (a panic in debug builds).
        for content in [
            format!("{}deep", "> ".repeat(40_000)),
            format!("{}deep", "- ".repeat(40_000)),
            format!("{}deep", "> - ".repeat(20_000)),
        ] {
            let lines = md(&content);
            let last = texts(&lines).pop().unwrap();
            assert!(last.ends_with("deep"), "{last:.80}");
            let lead = usize::from(MAX_QUOTES_SHOWN) * 2 + usize::from(MAX_INDENT_SHOWN);
            assert!(text::width(&last) <= lead + 4, "{}", text::width(&last));
        }
    }

    #[test]
    fn headings_are_bold_and_quotes_get_a_bar() {
        let lines = md("# Title\n\n> quoted words");
        assert_eq!(lines[0].text, "Title");
        assert!(
            style_of(&lines[0], "Title")
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert_eq!(texts(&lines)[2], "│ quoted words");
    }

    #[test]
    fn entities_that_decode_to_controls_are_neutralised() {
        let lines = md("bell &#7; escape &#27;[31m done");
        assert!(!lines[0].text.chars().any(char::is_control));
        assert!(lines[0].text.contains("␛[31m"));
    }

    #[test]
    fn the_gutter_goes_on_the_first_line_only() {
        let mut out = Lines::default();
        let gutter = Lead::styled(vec![("10:30:05".to_owned(), THEME.muted())], 10);
        render("- one\n- two", THEME, gutter, 10, &mut out);
        let t = texts(&out.lines);
        assert_eq!(t, vec!["10:30:05  • one", "          • two"]);
    }
}
