//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `typed` by edit distance (Levenshtein, in characters), when it is close enough to be a typo.
#[must_use]
pub(super) fn did_you_mean<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&typed, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
