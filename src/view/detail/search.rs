//! Case-insensitive search in sanitised text, giving byte ranges of the original so matches can be highlighted where they are.

use unicode_width::UnicodeWidthChar;

/// What is being looked for, folded to lower case once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Needle {
    lower: String,
}

impl Needle {
    /// `None` for an empty (or all-blank) query, which clears a search.
    #[must_use]
    pub(super) fn new(query: &str) -> Option<Self> {
        if query.trim().is_empty() {
            return None;
        }
        Some(Self {
            lower: query.to_lowercase(),
        })
    }

    /// The byte ranges of `hay` that match, in order, not overlapping.
    pub(super) fn find(&self, hay: &str, out: &mut Vec<(usize, usize)>) {
        if hay.len() < self.lower.len() && hay.is_ascii() {
            return;
        }
        if hay.is_ascii() && self.lower.is_ascii() {
            find_ascii(hay.as_bytes(), self.lower.as_bytes(), out);
            return;
        }
        // Lower-casing may change byte lengths (`İ` → `i̇`), so keep, for every
        // byte of the folded text, where its character started in the original.
        let mut folded = String::with_capacity(hay.len());
        let mut origin = Vec::with_capacity(hay.len());
        for (at, c) in hay.char_indices() {
            for lower in c.to_lowercase() {
                folded.push(lower);
                origin.resize(folded.len(), at);
            }
        }
        for (start, matched) in folded.match_indices(self.lower.as_str()) {
            let from = origin[start];
            let end = start + matched.len();
            let mut to = origin.get(end).copied().unwrap_or(hay.len());
            if to <= from {
                // The match ended inside one character's expansion: take all of it.
                to = from + hay[from..].chars().next().map_or(0, char::len_utf8);
            }
            // Keep combining marks with the letter they belong to.
            to += hay[to..]
                .chars()
                .take_while(|c| c.width() == Some(0))
                .map(char::len_utf8)
                .sum::<usize>();
            if out.last().is_none_or(|&(_, prev_end)| prev_end <= from) {
                out.push((from, to));
            }
        }
    }
}

fn find_ascii(hay: &[u8], needle: &[u8], out: &mut Vec<(usize, usize)>) {
    let n = needle.len();
    if n == 0 || hay.len() < n {
        return;
    }
    let first = needle[0];
    let mut at = 0;
    while at + n <= hay.len() {
        if hay[at].to_ascii_lowercase() == first && hay[at..at + n].eq_ignore_ascii_case(needle) {
            out.push((at, at + n));
            at += n;
        } else {
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(query: &str, hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        Needle::new(query).unwrap().find(hay, &mut out);
        out
    }

    #[test]
    fn ascii_matches_ignore_case_and_do_not_overlap() {
        assert_eq!(
            all("order", "Order ORDER order"),
            vec![(0, 5), (6, 11), (12, 17)]
        );
        assert_eq!(all("aa", "aaaa"), vec![(0, 2), (2, 4)]);
        assert!(all("zz", "abc").is_empty());
        assert!(Needle::new("  ").is_none());
    }

    #[test]
    fn unicode_matches_map_back_to_the_original_bytes() {
        let hay = "Ça va, ÇA VA, İstanbul";
        let got = all("ça", hay);
        assert_eq!(got.len(), 2);
        assert_eq!(&hay[got[0].0..got[0].1], "Ça");
        assert_eq!(&hay[got[1].0..got[1].1], "ÇA");
        let got = all("i̇stanbul", hay);
        assert_eq!(&hay[got[0].0..got[0].1], "İstanbul");
        let hay = "日本語のテキスト 日本";
        assert_eq!(all("日本", hay).len(), 2);
    }

    #[test]
    fn a_match_keeps_the_marks_on_its_last_letter() {
        let hay = "cafe\u{301} noir";
        let got = all("cafe", hay);
        assert_eq!(&hay[got[0].0..got[0].1], "cafe\u{301}");
    }
}
