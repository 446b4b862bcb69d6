//! Width-aware wrapping of sanitised text into rows: breaks at spaces, hard-breaks long words, never splits a wide character or a combining sequence.
//!
//! Widths are measured per cluster (a character with the marks, joiners,
//! variation selectors and skin tones that follow it) with `unicode-width`'s
//! string width, which is what ratatui's buffer uses per grapheme, so a row
//! measured here takes exactly the columns it will take on screen.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// One cluster of a string: its byte range and width in columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cluster {
    pub start: usize,
    pub end: usize,
    pub width: usize,
}

/// The clusters of a string, in order.
pub fn clusters(text: &str) -> Clusters<'_> {
    Clusters { text, at: 0 }
}

/// Iterator behind [`clusters`].
pub struct Clusters<'a> {
    text: &'a str,
    at: usize,
}

const ZWJ: char = '\u{200d}';

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

fn is_emoji_modifier(c: char) -> bool {
    ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

impl Iterator for Clusters<'_> {
    type Item = Cluster;

    fn next(&mut self) -> Option<Cluster> {
        let rest = self.text.get(self.at..)?;
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut end = first.len_utf8();
        let mut prev = first;
        let mut regional_pairs = usize::from(is_regional_indicator(first));
        for (i, c) in chars {
            let joins = c.width() == Some(0)
                || prev == ZWJ
                || is_emoji_modifier(c)
                || (is_regional_indicator(c) && regional_pairs == 1);
            if !joins {
                break;
            }
            if is_regional_indicator(c) {
                regional_pairs += 1;
            }
            end = i + c.len_utf8();
            prev = c;
        }
        let start = self.at;
        self.at += end;
        let piece = &self.text[start..self.at];
        let width = if piece.len() == 1 {
            1
        } else {
            UnicodeWidthStr::width(piece)
        };
        Some(Cluster {
            start,
            end: self.at,
            width,
        })
    }
}

/// Columns a sanitised string takes, measured as it will be drawn.
#[must_use]
pub fn width(text: &str) -> usize {
    clusters(text).map(|c| c.width).sum()
}

/// The byte length of the longest prefix of `text` that fits in `columns`.
#[must_use]
pub fn fit_prefix(text: &str, columns: usize) -> usize {
    let mut used = 0;
    for c in clusters(text) {
        if used + c.width > columns {
            return c.start;
        }
        used += c.width;
    }
    text.len()
}

/// Wraps `text` into rows of at most `first` columns for the first row and
/// `rest` for the others, pushing each row's byte range onto `out`.
///
/// Breaks at spaces where it can (the spaces at a break are dropped), and cuts
/// a word longer than a row between clusters. A cluster wider than a whole
/// row (a wide character in a one-column row) gets a row of its own. An empty
/// text is one empty row.
pub fn wrap(text: &str, first: usize, rest: usize, out: &mut Vec<(usize, usize)>) {
    let rest = rest.max(1);
    let mut row_start = 0;
    let mut used = 0;
    let mut avail = first.max(1);
    let mut on_first = true;
    // The last place to break: where the row would end, where the next would
    // start, and the columns used up to that start.
    let mut brk: Option<(usize, usize, usize)> = None;
    let first_row = out.len();
    let push = |out: &mut Vec<(usize, usize)>, start: usize, end: usize| {
        let end = start + text[start..end].trim_end_matches(' ').len();
        out.push((start, end));
    };
    for c in clusters(text) {
        let space = &text[c.start..c.end] == " ";
        if space && used == 0 && !on_first {
            // Spaces that would open a continuation row are the break itself.
            row_start = c.end;
            continue;
        }
        if used + c.width > avail && used > 0 {
            avail = rest;
            on_first = false;
            if space {
                push(out, row_start, c.start);
                row_start = c.end;
                used = 0;
                brk = None;
                continue;
            }
            if let Some((end, next, consumed)) = brk.take() {
                push(out, row_start, end);
                row_start = next;
                used -= consumed;
                if used > avail {
                    // The word carried over is wider than the rows that follow.
                    (row_start, used) = cut(text, row_start, c.start, avail, out);
                }
            } else {
                push(out, row_start, c.start);
                row_start = c.start;
                used = 0;
            }
            if used + c.width > avail && used > 0 {
                push(out, row_start, c.start);
                row_start = c.start;
                used = 0;
            }
        }
        if space {
            brk = Some((c.start, c.end, used + c.width));
        }
        used += c.width;
    }
    if row_start < text.len() || out.len() == first_row {
        push(out, row_start, text.len());
    }
}

/// Hard-breaks `text[from..upto]` into rows of `avail` columns, all but the
/// last pushed; returns where the last starts and the columns it uses.
fn cut(
    text: &str,
    from: usize,
    upto: usize,
    avail: usize,
    out: &mut Vec<(usize, usize)>,
) -> (usize, usize) {
    let mut start = from;
    let mut used = 0;
    for c in clusters(&text[from..upto]) {
        if used + c.width > avail && used > 0 {
            out.push((start, from + c.start));
            start = from + c.start;
            used = 0;
        }
        used += c.width;
    }
    (start, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, w: usize) -> Vec<&str> {
        let mut out = Vec::new();
        wrap(text, w, w, &mut out);
        out.into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    fn assert_fits(text: &str, w: usize) {
        for row in rows(text, w) {
            assert!(width(row) <= w, "{row:?} is wider than {w} in {text:?}");
        }
    }

    #[test]
    fn breaks_at_spaces_and_drops_them() {
        assert_eq!(
            rows("the quick brown fox jumps", 10),
            vec!["the quick", "brown fox", "jumps"]
        );
        assert_eq!(rows("exactly10!", 10), vec!["exactly10!"]);
        assert_eq!(rows("", 10), vec![""]);
        assert_eq!(rows("a    b", 3), vec!["a", "b"]);
    }

    #[test]
    fn keeps_leading_indentation_on_the_first_row() {
        assert_eq!(rows("    code here", 8), vec!["    code", "here"]);
    }

    #[test]
    fn hard_breaks_words_longer_than_a_row() {
        assert_eq!(
            rows("see https://example.com/a/very/long/path ok", 10),
            vec!["see", "https://ex", "ample.com/", "a/very/lon", "g/path ok"]
        );
        assert_eq!(rows("abcdefghij", 3), vec!["abc", "def", "ghi", "j"]);
    }

    #[test]
    fn never_splits_a_wide_character_and_counts_two_columns() {
        assert_eq!(
            rows("日本語のテキスト", 5),
            vec!["日本", "語の", "テキ", "スト"]
        );
        assert_fits("日本語のテキスト と English mixed 한국어 텍스트", 7);
        assert_eq!(rows("日本", 1), vec!["日", "本"]);
    }

    #[test]
    fn keeps_emoji_sequences_and_combining_marks_whole() {
        let family = "👩\u{200d}💻👍🏽🇫🇷❤\u{fe0f}";
        let r = rows(family, 2);
        assert_eq!(r, vec!["👩\u{200d}💻", "👍🏽", "🇫🇷", "❤\u{fe0f}"]);
        let accents = "e\u{301}e\u{301}e\u{301}e\u{301}";
        assert_eq!(
            rows(accents, 3),
            vec!["e\u{301}e\u{301}e\u{301}", "e\u{301}"]
        );
        assert_eq!(width(accents), 4);
    }

    #[test]
    fn no_row_is_ever_wider_than_asked() {
        let samples = [
            "Hello, 世界! Ça va? 👋🏽 a\u{301}b\u{301} ok".to_owned(),
            "مرحبا بالعالم — a long Arabic line with English words inside it".to_owned(),
            "x".repeat(100),
            "word ".repeat(40),
            "🇯🇵🇫🇷🇩🇪 flags and 👩\u{200d}👩\u{200d}👧 families".to_owned(),
        ];
        for text in &samples {
            for w in 2..30 {
                assert_fits(text, w);
                let joined: String = rows(text, w).concat();
                let squeezed: String = text.chars().filter(|c| *c != ' ').collect();
                assert_eq!(joined.replace(' ', ""), squeezed, "lost text at {w}");
            }
        }
    }

    #[test]
    fn a_word_carried_onto_narrower_rows_is_cut_to_fit() {
        let text = "a abcdefghi";
        let mut out = Vec::new();
        wrap(text, 10, 3, &mut out);
        let got: Vec<&str> = out.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, vec!["a", "abc", "def", "ghi"]);
    }

    #[test]
    fn first_and_other_rows_can_differ() {
        let mut out = Vec::new();
        wrap("one two three four", 3, 10, &mut out);
        let text = "one two three four";
        let got: Vec<&str> = out.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, vec!["one", "two three", "four"]);
    }

    #[test]
    fn fit_prefix_stops_before_a_wide_character_that_would_overflow() {
        assert_eq!(fit_prefix("ab日本", 3), 2);
        assert_eq!(fit_prefix("ab日本", 4), 5);
        assert_eq!(fit_prefix("ab", 10), 2);
    }
}
