//! The planes the local server derives from its conversations — turns, spans and traces, token usage rows, action definitions — as pure functions, plus the load-time preparation that keeps them consistent with the conversations.

pub(super) mod actions;
pub(super) mod ids;
pub(super) mod index;
pub(super) mod spans;
pub(super) mod turns;
pub(super) mod usage;

use crate::provider::model::Conversation;

/// Run once at load, before the store is built: numbers action logs and
/// rewrites every `token_usage` into the live shape from the same entries the
/// usage rows are split from, so rows always sum to it (`null` stays `null`).
pub(super) fn prepare(conversations: &mut [Conversation]) {
    actions::number_logs(conversations);
    for c in conversations.iter_mut() {
        if let Some(u) = &c.token_usage {
            c.token_usage = Some(usage::live_usage(&usage::entries(u)));
        }
    }
}
