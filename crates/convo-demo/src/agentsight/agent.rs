//! Who the generated data belongs to: the demo agent `/api/me/` reports, and its environments' ids.

/// The agent id `/api/me/` reports for the demo key: every record belongs to it.
pub const AGENT_ID: i64 = 1;

/// The id of an environment slug, as `/api/me/` lists them (1 production, 2 development).
pub(crate) fn environment_id(slug: &str) -> i64 {
    if slug == "development" { 2 } else { 1 }
}
