//! A count with its noun in the right number: `1 conversation`, `2 conversations`, `1 feedback`.

use std::fmt::Display;

/// `n` and the noun, singular at exactly one: `plural(1, "ticket")` is
/// `1 ticket`, `plural(0, "ticket")` is `0 tickets`. The noun is given in the
/// singular; the last word takes the plural (`usage row` → `usage rows`).
#[must_use]
pub fn plural<N>(n: N, noun: &str) -> String
where
    N: Display + PartialEq + From<u8> + Copy,
{
    let one = n == N::from(1);
    format!("{n} {}", if one { noun.to_owned() } else { nouns(noun) })
}

/// The plural of a singular noun as the commands use them. "feedback" is
/// uncountable (`3 feedback`), as the feedback screens already say it.
#[must_use]
pub fn nouns(noun: &str) -> String {
    if noun.ends_with("feedback") {
        return noun.to_owned();
    }
    if let Some(stem) = noun.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        return format!("{noun}es");
    }
    format!("{noun}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1_u64, "conversation"), "1 conversation");
        assert_eq!(plural(2_u64, "conversation"), "2 conversations");
        assert_eq!(plural(0_usize, "attachment"), "0 attachments");
        assert_eq!(plural(1_i64, "ticket"), "1 ticket");
        assert_eq!(plural(2_i64, "ticket"), "2 tickets");
        assert_eq!(plural(-1_i64, "comment"), "-1 comments");
        assert_eq!(plural(1_u32, "call"), "1 call");
        assert_eq!(plural(2_u32, "call"), "2 calls");
        assert_eq!(plural(1_usize, "usage row"), "1 usage row");
        assert_eq!(plural(2_usize, "usage row"), "2 usage rows");
    }

    #[test]
    fn irregular_nouns_read_as_english() {
        assert_eq!(plural(2_u64, "feedback"), "2 feedback");
        assert_eq!(plural(1_u64, "feedback"), "1 feedback");
        assert_eq!(plural(2_u64, "entry"), "2 entries");
        assert_eq!(plural(2_u64, "day"), "2 days");
        assert_eq!(plural(2_u64, "match"), "2 matches");
        assert_eq!(plural(2_u64, "box"), "2 boxes");
    }
}
