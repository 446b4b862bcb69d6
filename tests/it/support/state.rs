//! The browser's starting settings every test (and the frame benchmark) begins from, so a new field of `Init` is filled in one place.

use convo::app::state::Init;
use convo::provider::{ProviderInfo, ProviderKind, Query};
use convo::session::Source;
use convo::view::detail::Zone;
use convo::view::theme::Theme;

/// A browser of `profile` over `provider`: its empty query, 50 rows a page,
/// monochrome, UTC, no mouse, 120×40, no log file. A test changes only what
/// it is about: `Init { page_size: 3, ..init("test", info) }`.
#[must_use]
pub(crate) fn init(profile: &str, provider: ProviderInfo) -> Init {
    let query = match provider.kind {
        ProviderKind::AgentSight => Query::agentsight(),
        ProviderKind::ChatDash => convo::provider::chatdash::new_query(),
    };
    Init {
        source: Source {
            profile: profile.to_owned(),
            provider,
        },
        query,
        page_size: 50,
        theme: Theme {
            mono: true,
            light: false,
        },
        zone: Zone::Utc,
        mouse: false,
        size: (120, 40),
        log_file: None,
    }
}
