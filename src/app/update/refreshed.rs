//! What a refresh says when its answer lands: `r` confirmed with the count, a watch's tick with the rows it brought.

use crate::app::cmd::Cmd;
use crate::app::state::State;
use crate::app::watch::Refresh;
use crate::format::count::plural;

/// A refresh's answer landed: `r` is confirmed with the count and the time
/// (the runtime reads the clock); the watch says how many rows are new.
pub(super) fn landed(state: &mut State, by: Option<Refresh>, fresh_before: usize) -> Vec<Cmd> {
    let total = state.list.shown.as_ref().map_or(0, |p| p.total);
    match by {
        Some(Refresh::ByHand) => vec![Cmd::NoticeAt {
            text: format!("refreshed · {}", plural(total, "conversation")),
            zone: state.zone,
        }],
        Some(Refresh::ByWatch) => {
            let new = state.watch.fresh_count().saturating_sub(fresh_before);
            if new > 0 {
                return vec![Cmd::NoticeAt {
                    text: format!(
                        "auto-refresh: {} new since the last look (•)",
                        plural(new, "conversation")
                    ),
                    zone: state.zone,
                }];
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}
