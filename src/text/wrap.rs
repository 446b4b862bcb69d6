//! Width-aware wrapping of sanitised text into rows: breaks at spaces, hard-breaks long words, never splits a wide character or a grapheme cluster.
//!
//! Text is cut into Unicode's extended grapheme clusters (UAX #29, from
//! `unicode-segmentation`) and each is measured with `unicode-width`'s string
//! width: exactly what ratatui's buffer does per grapheme, so a row measured
//! here takes exactly the columns it will take on screen, malformed emoji
//! sequences included.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One grapheme cluster of a string: its byte range and width in columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cluster {
    pub start: usize,
    pub end: usize,
    pub width: usize,
}

/// The grapheme clusters of a string, in order.
pub(crate) fn clusters(text: &str) -> Clusters<'_> {
    Clusters { text, at: 0 }
}

/// Iterator behind [`clusters`].
pub(crate) struct Clusters<'a> {
    text: &'a str,
    at: usize,
}

/// A byte that is a printable ASCII character (space to `~`).
fn is_printable_ascii(byte: u8) -> bool {
    (b' '..=b'~').contains(&byte)
}

/// Whether `text` is plain printable ASCII, where every byte is a cluster of one column.
fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(is_printable_ascii)
}

impl Iterator for Clusters<'_> {
    type Item = Cluster;

    fn next(&mut self) -> Option<Cluster> {
        let rest = self.text.get(self.at..)?;
        let bytes = rest.as_bytes();
        let first = *bytes.first()?;
        // No rule of UAX #29 joins a printable ASCII character to an ASCII
        // character after it (only CR LF join, and every extender, joiner
        // and prepend is outside ASCII), so most text needs no segmenting.
        let len = if is_printable_ascii(first) && bytes.get(1).is_none_or(u8::is_ascii) {
            1
        } else {
            // Segmenting from a cluster boundary finds the same next
            // boundary as segmenting the whole text would.
            rest.graphemes(true).next().map_or(rest.len(), str::len)
        };
        let start = self.at;
        self.at += len;
        let piece = &rest[..len];
        // One byte is one column, as ratatui's buffer counts it.
        let width = if len == 1 {
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
pub(crate) fn width(text: &str) -> usize {
    if is_plain_ascii(text) {
        return text.len();
    }
    clusters(text).map(|c| c.width).sum()
}

/// The byte length of the longest prefix of `text` that fits in `columns`.
#[must_use]
pub(crate) fn fit_prefix(text: &str, columns: usize) -> usize {
    if is_plain_ascii(text) {
        return text.len().min(columns);
    }
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
pub(crate) fn wrap(text: &str, first: usize, rest: usize, out: &mut Vec<(usize, usize)>) {
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
        if space && row_start == c.start && !on_first {
            // Spaces that would open a continuation row are the break itself.
            // (Only when nothing precedes them on the row: a zero-width
            // cluster, such as a lone joiner or jamo, must not be dropped.)
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

    fn cut(text: &str) -> Vec<&str> {
        clusters(text).map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn plain_ascii_is_one_column_a_byte_but_keeps_its_marks() {
        assert_eq!(cut("ab c"), vec!["a", "b", " ", "c"]);
        assert_eq!(width("a plain line."), 13);
        assert_eq!(cut("ae\u{301}b"), vec!["a", "e\u{301}", "b"]);
        assert_eq!(cut("a\u{200d}b"), vec!["a\u{200d}", "b"]);
        assert_eq!(cut("a\r\nb"), vec!["a", "\r\n", "b"]);
        assert_eq!(width("ae\u{301}b"), 3);
    }

    #[test]
    fn malformed_sequences_are_cut_where_unicode_cuts_them() {
        // UAX #29: a skin tone or joiner extends whatever precedes it, but
        // only an emoji joins the emoji after a joiner; regional indicators
        // pair from the left; a prepended mark joins what follows; a mark
        // with no base stands alone; conjoining jamo make one syllable.
        for (text, graphemes, columns) in [
            (
                "\u{fffd}\u{1f3fd}\u{200d}\u{1f4bb}",
                vec!["\u{fffd}\u{1f3fd}\u{200d}", "\u{1f4bb}"],
                5,
            ),
            ("a\u{200d}\u{1f4bb}", vec!["a\u{200d}", "\u{1f4bb}"], 3),
            ("\u{200d}\u{1f4bb}", vec!["\u{200d}", "\u{1f4bb}"], 2),
            ("🇯🇵🇫", vec!["🇯🇵", "🇫"], 3),
            ("\u{301}e", vec!["\u{301}", "e"], 1),
            ("\u{600}12", vec!["\u{600}1", "2"], 3),
            (
                "\u{1100}\u{1161}\u{11a8}a",
                vec!["\u{1100}\u{1161}\u{11a8}", "a"],
                3,
            ),
        ] {
            assert_eq!(cut(text), graphemes, "{text:?}");
            assert_eq!(width(text), columns, "{text:?}");
        }
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
    fn zero_width_clusters_opening_a_row_are_kept() {
        assert_eq!(rows("aa \u{200b} b", 2), vec!["aa", "\u{200b} b"]);
        assert_eq!(rows("aa \u{1161} ", 2), vec!["aa", "\u{1161}"]);
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
