//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `typed` by edit distance, when it is close enough to be a typo.
#[must_use]
pub fn did_you_mean<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&typed, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_key_and_nonsense_finds_none() {
        let keys = ["default_profile", "page_size", "theme", "mouse"];
        assert_eq!(did_you_mean("pagesize", &keys), Some("page_size"));
        assert_eq!(did_you_mean("Theme", &keys), Some("theme"));
        assert_eq!(did_you_mean("zzzzzzzz", &keys), None);
    }
}
