//! The masked form of an API key, the only one ever shown: in messages, debug output, and anything a server echoes back.

/// A key as it may be shown: `ags_…abc123`, the prefix up to the first `_`
/// and the last six characters. Anything that is not plainly key-shaped (too
/// short to hide enough, no short prefix, not ASCII) is shown as `…` alone.
#[must_use]
pub fn mask_key(key: &str) -> String {
    const SHOWN_TAIL: usize = 6;
    const MAX_PREFIX: usize = 8;
    const MIN_HIDDEN: usize = 16;
    let masked = "…".to_owned();
    if !key.is_ascii() {
        return masked;
    }
    let Some(underscore) = key.find('_') else {
        return masked;
    };
    let prefix_len = underscore + 1;
    if prefix_len > MAX_PREFIX || key.len() < prefix_len + MIN_HIDDEN + SHOWN_TAIL {
        return masked;
    }
    format!("{}…{}", &key[..prefix_len], &key[key.len() - SHOWN_TAIL..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "ags_0123456789abcdef0123456789abcdef_abc123";

    #[test]
    fn masking_keeps_the_prefix_and_the_checksum_only() {
        assert_eq!(mask_key(GOOD), "ags_…abc123");
        assert_eq!(mask_key("short"), "…");
        assert_eq!(mask_key("ags_abc"), "…");
        assert_eq!(mask_key("nounderscorebutquitealongsecretvalue123"), "…");
        assert_eq!(mask_key("averylongprefix_0123456789abcdef0123"), "…");
        assert_eq!(mask_key("ags_ééééééééééééééééééééé"), "…");
    }
}
