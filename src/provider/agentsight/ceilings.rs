//! How much of an answer the `AgentSight` provider reads: a page, a page of whole conversations, or one record, by what the request asks for.

use super::planes::MAX_PAGE_SIZE;
use crate::provider::http::body::{Ceiling, MIB};
use crate::provider::http::transport::RECORD;

/// A page of list rows. A hundred rows are a few hundred KB even with heavy
/// metadata; 32 MiB leaves a hundredfold margin while a runaway answer costs
/// no more than that. No page holds more rows than the API's maximum.
pub(super) const PAGE: Ceiling = Ceiling {
    bytes: 32 * MIB,
    rows: MAX_PAGE_SIZE as usize,
    // 5,000 per row, where a real row holds a few hundred at most.
    items: 500_000,
    what: "a page",
};
/// A page of whole conversations (`full=true`, as the export reads them): a
/// hundred transcripts, so the room of a few whole conversations.
pub(super) const FULL_PAGE: Ceiling = Ceiling {
    bytes: 256 * MIB,
    rows: MAX_PAGE_SIZE as usize,
    items: 10_000_000,
    what: "a page of whole conversations",
};

/// The ceiling of a request by what it asks for: a page (it names a
/// `page_size`), a page of whole conversations (`full=true` too), or else
/// one record.
pub(super) fn ceiling_for(params: &[(&str, String)]) -> Ceiling {
    let asks = |name: &str, value: Option<&str>| {
        params
            .iter()
            .any(|(n, v)| *n == name && value.is_none_or(|want| v == want))
    };
    match (asks("page_size", None), asks("full", Some("true"))) {
        (true, true) => FULL_PAGE,
        (true, false) => PAGE,
        (false, _) => RECORD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_a_page_of_transcripts_and_a_record_have_their_ceilings() {
        let params = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            pairs.iter().map(|(n, v)| (*n, (*v).to_owned())).collect()
        };
        assert_eq!(ceiling_for(&params(&[("page_size", "50")])), PAGE);
        assert_eq!(
            ceiling_for(&params(&[("page_size", "100"), ("full", "false")])),
            PAGE
        );
        assert_eq!(
            ceiling_for(&params(&[("full", "true"), ("page_size", "100")])),
            FULL_PAGE
        );
        assert_eq!(ceiling_for(&params(&[("full", "true")])), RECORD);
        assert_eq!(ceiling_for(&[]), RECORD);
        const { assert!(PAGE.bytes < RECORD.bytes && RECORD.bytes < FULL_PAGE.bytes) };
    }
}
