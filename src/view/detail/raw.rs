//! The Raw tab: the record as pretty JSON (unknown fields included), sanitised once, cut into blocks of lines so only what is shown gets laid out.

use super::doc::{Match, Source};
use super::line::{Lead, Line, Lines, offset};
use super::search::Needle;
use crate::provider::model::Conversation;
use crate::text::{self, Lines as Breaks};
use crate::view::theme::Theme;

/// JSON lines per block.
const CHUNK: usize = 64;
/// Columns of indentation drawn; deeper JSON is drawn at this one, so that
/// untrusted metadata nested without end stays on screen.
const MAX_INDENT: usize = 40;

/// The pretty JSON as a [`Source`].
pub(super) struct Raw {
    text: String,
    /// Where each line starts in `text`.
    starts: Vec<usize>,
    theme: Theme,
}

impl Raw {
    #[must_use]
    pub(super) fn new(conversation: &Conversation, theme: Theme) -> Self {
        let json = serde_json::to_string_pretty(conversation)
            .unwrap_or_else(|e| format!("(this record cannot be shown as JSON: {e})"));
        let text = text::sanitize(&json, Breaks::Keep).into_owned();
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            text,
            starts,
            theme,
        }
    }

    /// Line `i` without its newline, and its indentation.
    fn line(&self, i: usize) -> (&str, usize) {
        let start = self.starts[i];
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        let full = &self.text[start..end];
        let body = full.trim_start_matches(' ');
        (body, full.len() - body.len())
    }
}

/// The length of a leading `"key":` (escapes honoured), if the line opens with one.
fn key_len(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (bytes.get(i + 1) == Some(&b':')).then_some(i + 2),
            _ => i += 1,
        }
    }
    None
}

impl Source for Raw {
    fn len(&self) -> usize {
        self.starts.len().div_ceil(CHUNK)
    }

    fn build(&self, block: usize) -> Lines {
        let mut out = Lines::default();
        let first = block * CHUNK;
        for i in first..(first + CHUNK).min(self.starts.len()) {
            let (body, indent) = self.line(i);
            let indent = u16::try_from(indent.min(MAX_INDENT)).unwrap_or(u16::MAX);
            let mut line = Line {
                lead: Lead::indent(indent),
                cont: Lead::indent(indent.saturating_add(2)),
                ..Line::default()
            };
            match key_len(body) {
                Some(k) => {
                    line.push(&body[..k], self.theme.key());
                    line.push(&body[k..], self.theme.text());
                }
                None => line.push(body, self.theme.text()),
            }
            out.push(line);
        }
        out
    }

    fn search(&self, needle: &Needle, out: &mut Vec<Match>) -> bool {
        let mut found = Vec::new();
        for i in 0..self.starts.len() {
            found.clear();
            needle.find(self.line(i).0, &mut found);
            out.extend(found.iter().map(|&(s, e)| Match {
                block: offset(i / CHUNK),
                line: offset(i % CHUNK),
                start: offset(s),
                end: offset(e),
            }));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_json_is_indented_to_a_limit() {
        let mut deep = serde_json::json!("bottom");
        for _ in 0..60 {
            deep = serde_json::json!({ "level": deep });
        }
        let c = Conversation {
            metadata: Some(deep),
            ..Conversation::default()
        };
        let raw = Raw::new(
            &c,
            Theme {
                mono: true,
                light: false,
            },
        );
        let widest = (0..raw.len())
            .flat_map(|b| raw.build(b).lines)
            .map(|l| l.lead.width)
            .max();
        assert_eq!(widest, Some(40));
        assert!(
            (0..raw.len())
                .flat_map(|b| raw.build(b).lines)
                .any(|l| l.text.ends_with("\"bottom\"") && l.lead.width == 40)
        );
    }

    #[test]
    fn keys_are_found_through_escapes() {
        assert_eq!(key_len(r#""name": "x""#), Some(7));
        assert_eq!(key_len(r#""a\"b": 1"#), Some(7));
        assert_eq!(key_len(r#""just a string","#), None);
        assert_eq!(key_len("{"), None);
    }

    #[test]
    fn the_json_is_sanitised_and_unknown_fields_kept() {
        let c: Conversation = serde_json::from_str(
            "{\"id\": 1, \"name\": \"a\\u001bb\u{202e}c\u{7f}\", \"brand_new\": {\"x\": [1, 2]}}",
        )
        .unwrap();
        let raw = Raw::new(
            &c,
            Theme {
                mono: true,
                light: false,
            },
        );
        assert!(raw.text.contains("\"brand_new\""));
        assert!(!raw.text.chars().any(|c| c.is_control() && c != '\n'));
        assert!(!raw.text.contains('\u{202e}'));
        let block = raw.build(0);
        assert_eq!(block.lines[0].text, "{");
        let mut matches = Vec::new();
        assert!(raw.search(&Needle::new("BRAND_new").unwrap(), &mut matches));
        assert_eq!(matches.len(), 1);
        let m = matches[0];
        let line = &raw.build(m.block as usize).lines[m.line as usize];
        assert_eq!(&line.text[m.start as usize..m.end as usize], "brand_new");
    }
}
