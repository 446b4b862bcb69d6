//! The demo agent the server answers as: its id and its environments.

/// The environments every agent has: `(id, slug, name, is_production)`.
pub(super) const ENVIRONMENTS: &[(i64, &str, &str, bool)] = &[
    (1, "production", "Production", true),
    (2, "development", "Development", false),
];
/// The agent the demo key belongs to (`/api/me/`'s `agent_id`).
pub(super) const AGENT_ID: i64 = 1;

/// The id of an environment slug, when the agent has it.
pub(super) fn environment_id(slug: &str) -> Option<i64> {
    ENVIRONMENTS
        .iter()
        .find(|(_, s, _, _)| *s == slug)
        .map(|(id, _, _, _)| *id)
}
