//! The Usage screen's fetch: the three rollups (by day, model and conversation) side by side, and the usage rows read for what the rollups do not say (unpriced and unreported calls); `convo usage` reads its flags the same way.

use crate::app::msg::{Generation, Msg};
use crate::app::screens::{ScreenMsg, UsageReport};
use crate::provider::model::{UNPRICED, UsageFlags};
use crate::provider::{Currency, Error, Plane, Provider, Query, UsageGrouping};

/// The most pages of rows read for the flags, each of [`ROWS_PER_PAGE`].
pub const FLAG_PAGES: u32 = 10;
/// Rows per page read for the flags.
pub const ROWS_PER_PAGE: u32 = 100;

/// Fetches the rollups and their flags and words the outcome as a message.
pub(super) async fn perform(
    provider: &dyn Provider,
    generation: Generation,
    query: Option<Query>,
    currency: Currency,
) -> Msg {
    Msg::Screen(match report(provider, query, currency).await {
        Ok((query, report)) => ScreenMsg::UsageLoaded {
            generation,
            query,
            report: Box::new(report),
        },
        Err(error) => {
            tracing::warn!("usage: {error}");
            ScreenMsg::UsageFailed { generation, error }
        }
    })
}

/// The three rollups in `currency`, with the flags read from the rows.
async fn report(
    provider: &dyn Provider,
    query: Option<Query>,
    currency: Currency,
) -> Result<(Query, UsageReport), Error> {
    let Some(query) = query.or_else(|| provider.plane_query(Plane::Usage)) else {
        return Err(provider.unsupported("token usage"));
    };
    let (by_day, by_model, by_conversation, flags) = futures::join!(
        provider.usage_summary(&query, UsageGrouping::Day, currency),
        provider.usage_summary(&query, UsageGrouping::Model, currency),
        provider.usage_summary(&query, UsageGrouping::Conversation, currency),
        flags(provider, &query),
    );
    let report = UsageReport {
        currency,
        by_day: by_day?,
        by_model: by_model?,
        by_conversation: by_conversation?,
        flags,
    };
    Ok((query, report))
}

/// What the rows say that the rollups do not: which groups have unpriced calls
/// (read exactly, through the `cost_source` filter) and which have calls whose
/// tokens were never reported (that cannot be filtered, so the first
/// [`FLAG_PAGES`] pages are read). Best effort: rows that cannot be read flag nothing.
pub async fn flags(provider: &dyn Provider, query: &Query) -> UsageFlags {
    let mut flags = UsageFlags::default();
    let mut unpriced = query.clone();
    // A query already narrowed to another cost source has no unpriced rows.
    let narrowed = query.text("cost_source").is_some_and(|c| c != UNPRICED);
    if !narrowed && unpriced.set("cost_source", UNPRICED).is_ok() {
        flags.unpriced_complete = walk(provider, &unpriced, &mut flags, false).await;
    } else {
        flags.unpriced_complete = true;
    }
    flags.unreported_complete = walk(provider, query, &mut flags, true).await;
    flags
}

/// Reads up to [`FLAG_PAGES`] pages into the flags; true when every page was read.
async fn walk(
    provider: &dyn Provider,
    query: &Query,
    flags: &mut UsageFlags,
    count_unreported: bool,
) -> bool {
    for page in 1..=FLAG_PAGES {
        match provider.usage_rows(query, page, ROWS_PER_PAGE).await {
            Ok(listing) => {
                flags.absorb(&listing.items, count_unreported);
                if !listing.has_next() {
                    return true;
                }
            }
            Err(e) => {
                tracing::warn!("usage rows for the flags: {e}");
                return false;
            }
        }
    }
    false
}
