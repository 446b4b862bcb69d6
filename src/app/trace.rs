//! The Trace tab's state (the waterfall of the open conversation, its cursor, the span being inspected) and the fetches and replies that fill it.

use std::sync::Arc;

use super::generation::Generation;
use crate::provider::model::Span;
use crate::provider::{ConversationRef, Error};
use crate::view::trace::Waterfall;
use crate::view::trace::inspect::Payload;

/// What the Trace tab asks the runtime for.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceFetch {
    /// Every turn of a conversation, each as its trace; answered with `Loaded`/`Failed`.
    Turns {
        /// The request's generation.
        generation: Generation,
        /// Whose turns.
        conversation: ConversationRef,
    },
    /// One span's verbatim payload; answered with `Payload`.
    Payload {
        /// The request's generation.
        generation: Generation,
        /// The span's row id.
        id: i64,
    },
    /// Nothing: sent when the user moves to another conversation, so the
    /// turns still loading for the last one are cancelled.
    Stop,
}

/// What came back.
#[derive(Clone, Debug)]
pub enum TraceMsg {
    /// The turns, laid out (off the loop, in the fetch task).
    Loaded {
        /// Which request.
        generation: Generation,
        /// The waterfall.
        waterfall: Arc<Waterfall>,
    },
    /// The turns could not be had.
    Failed {
        /// Which request.
        generation: Generation,
        /// Why.
        error: Error,
    },
    /// A span's payload, or why not.
    Payload {
        /// Which request.
        generation: Generation,
        /// The span with its payload.
        result: Result<Box<Span>, Error>,
    },
    /// A stopped fetch's (ignored) answer.
    Stopped,
}

/// Where the tab's data stands.
#[derive(Clone, Debug, Default)]
pub enum Load {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// Asked; the waterfall comes with `TraceMsg::Loaded`.
    Loading,
    /// Here.
    Ready(Arc<Waterfall>),
    /// Could not be had: why.
    Failed(String),
}

/// The Trace tab of the open conversation.
#[derive(Clone, Debug, Default)]
pub struct TraceState {
    /// The conversation it is for (its data, or the fetch in flight).
    pub conversation: Option<ConversationRef>,
    /// The generation of the latest turns fetch; older replies are dropped.
    pub generation: Generation,
    /// The turns.
    pub load: Load,
    /// The row under the cursor.
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// Enter: the selected span's attributes are shown instead of the waterfall.
    pub inspecting: bool,
    /// The first line of the attributes drawn.
    pub inspect_offset: usize,
    /// The selected span's payload (`p`), with the row id it is for.
    pub payload: Option<(i64, Payload)>,
    /// The generation of the latest payload fetch.
    pub payload_generation: Generation,
    /// The finished turn (0-based) to put the cursor on when the turns land (`t` on a message).
    pub pending_turn: Option<usize>,
}

impl TraceState {
    /// The waterfall, when it has landed.
    #[must_use]
    pub fn waterfall(&self) -> Option<&Waterfall> {
        match &self.load {
            Load::Ready(w) => Some(w),
            _ => None,
        }
    }

    /// Whether a fetch is in flight (the spinner turns).
    #[must_use]
    pub fn busy(&self) -> bool {
        matches!(self.load, Load::Loading) || matches!(self.payload, Some((_, Payload::Loading)))
    }

    /// The payload shown for the span with this row id.
    #[must_use]
    pub fn payload_of(&self, id: Option<i64>) -> &Payload {
        static NONE: Payload = Payload::NotAsked;
        match (&self.payload, id) {
            (Some((at, payload)), Some(id)) if *at == id => payload,
            _ => &NONE,
        }
    }
}
