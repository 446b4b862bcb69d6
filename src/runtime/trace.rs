//! The Trace tab's fetches in as few requests as the conversation allows: its spans in one page when they fit (nested here), else its turns and one trace each; and one span's payload.

use std::collections::HashMap;
use std::sync::Arc;

use futures::StreamExt;

use crate::app::msg::Msg;
use crate::app::trace::{TraceFetch, TraceMsg};
use crate::provider::model::{Span, TraceTree, nest_spans};
use crate::provider::{ConversationRef, Error, Plane, Provider, Query};
use crate::view::trace::Waterfall;

/// The largest page the spans route gives (§3): a conversation of at most
/// this many spans costs one request.
const PAGE: u32 = 100;
/// The most pages of turns walked; a conversation with more turns shows these.
const MAX_TURN_PAGES: u32 = 20;
/// Traces asked for at once.
const PARALLEL: usize = 4;

/// Runs one Trace tab request and words its outcome as a message.
pub(super) async fn perform(provider: &dyn Provider, fetch: TraceFetch) -> Msg {
    Msg::Trace(match fetch {
        TraceFetch::Turns {
            generation,
            conversation,
        } => match turns(provider, &conversation).await {
            // Laid out here, off the loop: the first frame only draws.
            Ok(trees) => TraceMsg::Loaded {
                generation,
                waterfall: Arc::new(Waterfall::build(&trees)),
            },
            Err(error) => {
                tracing::warn!("traces of {conversation}: {error}");
                TraceMsg::Failed { generation, error }
            }
        },
        TraceFetch::Payload { generation, id } => TraceMsg::Payload {
            generation,
            result: provider.span(id, true).await.map(Box::new),
        },
        TraceFetch::Stop => TraceMsg::Stopped,
    })
}

/// The spans query narrowed to one conversation.
fn query_for(provider: &dyn Provider, conversation: &ConversationRef) -> Result<Query, Error> {
    let mut query = provider
        .plane_query(Plane::Spans)
        .ok_or_else(|| provider.unsupported("traces"))?;
    match conversation {
        ConversationRef::Pk(pk) => query.set("conversation", &pk.to_string()),
        ConversationRef::Id(id) | ConversationRef::Platform(id) => query.set("conversation_id", id),
    }?;
    Ok(query)
}

/// Every turn of a conversation as its trace, earliest first.
///
/// # Errors
/// A provider without spans, or a failed request.
pub async fn turns(
    provider: &dyn Provider,
    conversation: &ConversationRef,
) -> Result<Vec<TraceTree>, Error> {
    let query = query_for(provider, conversation)?;
    let first = provider.spans(&query, 1, PAGE).await?;
    let mut trees = if first.total_pages <= 1 {
        nest_by_trace(first.items)
    } else {
        by_turn(provider, query).await?
    };
    trees.sort_by_key(|t| t.roots().iter().filter_map(start).min());
    Ok(trees)
}

fn start(span: &Span) -> Option<chrono::DateTime<chrono::Utc>> {
    span.started_at.as_ref()?.instant()
}

/// One page of rows, grouped by trace and nested as the traces route does.
fn nest_by_trace(rows: Vec<Span>) -> Vec<TraceTree> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Span>> = HashMap::new();
    for row in rows {
        let id = row.trace_id.clone().unwrap_or_default();
        let group = groups.entry(id.clone()).or_insert_with(|| {
            order.push(id);
            Vec::new()
        });
        group.push(row);
    }
    order
        .into_iter()
        .filter_map(|id| {
            let mut rows = groups.remove(&id)?;
            // The list is newest first; a tree reads in the order things began.
            rows.reverse();
            let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
            Some(TraceTree {
                trace_id: Some(id),
                span_count: Some(count),
                truncated: Some(false),
                roots: Some(nest_spans(rows)),
                ..TraceTree::default()
            })
        })
        .collect()
}

/// A conversation too large for one page: its turns, then each turn's trace.
async fn by_turn(provider: &dyn Provider, mut query: Query) -> Result<Vec<TraceTree>, Error> {
    query.set("kind", "turn")?;
    let mut ids: Vec<String> = Vec::new();
    let mut page = 1;
    loop {
        let listing = provider.spans(&query, page, PAGE).await?;
        let empty = listing.items.is_empty();
        for span in listing.items {
            if let Some(id) = span.trace_id.clone().filter(|id| !ids.contains(id)) {
                ids.push(id);
            }
        }
        if empty || page >= listing.total_pages || page >= MAX_TURN_PAGES {
            break;
        }
        page += 1;
    }
    let traces: Vec<Result<TraceTree, Error>> = futures::stream::iter(ids)
        .map(|id| async move { provider.trace(&id).await })
        .buffered(PARALLEL)
        .collect()
        .await;
    traces.into_iter().collect()
}
