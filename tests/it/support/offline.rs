//! A browser driven without a network, for snapshots and frame benchmarks: fixed generated conversations (or `ChatDash` records), newest first, and every command answered as the runtime would.
// Fixed fixtures: a record that does not read should stop the test on the spot.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use convo::app::cmd::{Cmd, EnrichFetch, Fetch};
use convo::app::msg::Msg;
use convo::app::screens::{Rows, Screen, ScreenFetch, ScreenMsg};
use convo::app::state::{Init, State};
use convo::app::update::{start, update};
use convo::provider::chatdash::wire::ChatDashConversation;
use convo::provider::model::Timestamp;
use convo::provider::model::{Feedback, Listing, Ticket};
use convo::provider::{Conversation, ConversationRef, Page, ProviderInfo, ProviderKind};
use convo::provider::{Error, Query};
use convo::server::generate::{anchor, generate};
use convo::view::glance::Glance;
use convo::view::theme::Theme;

use super::state;

/// The data set and page size the list is served from.
pub(crate) struct Offline {
    all: Vec<Conversation>,
    page_size: u32,
    kind: ProviderKind,
}

impl Offline {
    /// `count` generated conversations (seed 1), newest first as the list route orders them.
    pub(crate) fn new(count: usize, page_size: u32) -> Self {
        let mut all = generate(count, 1);
        all.sort_by_key(|c| std::cmp::Reverse(c.started_at.as_ref().and_then(Timestamp::instant)));
        Self {
            all,
            page_size,
            kind: ProviderKind::AgentSight,
        }
    }

    /// `ChatDash` records as the API sends them (`chatdash.jsonl`: a voice
    /// call with every summary field and a human takeover, one with most
    /// fields missing, `null` or wrongly typed, and a plain web chat), mapped
    /// as the `ChatDash` provider maps them, newest first, served as a
    /// `ChatDash` source.
    #[allow(dead_code)] // the snapshot tests use it, the frame benchmark does not
    pub(crate) fn chatdash(page_size: u32) -> Self {
        const RECORDS: &str = include_str!("chatdash.jsonl");
        let mut all: Vec<Conversation> = RECORDS
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<ChatDashConversation>(l)
                    .expect("a ChatDash fixture record")
                    .into_conversation()
            })
            .collect();
        all.sort_by_key(|c| std::cmp::Reverse(c.started_at.as_ref().and_then(Timestamp::instant)));
        Self {
            all,
            page_size,
            kind: ProviderKind::ChatDash,
        }
    }

    /// A list page: rows without transcripts, as `full=false` returns them.
    pub(crate) fn page(&self, number: u32) -> Page {
        let rows = self
            .all
            .chunks(self.page_size as usize)
            .nth(number as usize - 1)
            .unwrap_or_default()
            .iter()
            .map(|c| Conversation {
                // Lean rows carry the counts, as the list route sends them.
                message_count: c
                    .messages
                    .as_ref()
                    .and_then(|m| i64::try_from(m.len()).ok()),
                feedback_count: i64::try_from(Glance::of(c).feedback).ok(),
                messages: None,
                feedbacks: None,
                tickets: None,
                token_usage: None,
                ..c.clone()
            })
            .collect();
        Page {
            conversations: rows,
            total: self.all.len() as u64,
            page: number,
            page_size: self.page_size,
            total_pages: u32::try_from(self.all.len())
                .unwrap_or(0)
                .div_ceil(self.page_size),
        }
    }

    /// One conversation, whole, as a single fetch returns it.
    pub(crate) fn whole(&self, id: &ConversationRef) -> Arc<Conversation> {
        let found = self.all.iter().find(|c| match id {
            ConversationRef::Pk(pk) => c.id == Some(*pk),
            ConversationRef::Id(s) => c.conversation_id.as_deref() == Some(s),
            ConversationRef::Platform(_) => false,
        });

        Arc::new(found.cloned().unwrap_or_default())
    }

    /// A browser just started, in UTC, and the commands it asked for.
    pub(crate) fn fresh(&self, width: u16, height: u16, theme: Theme) -> (State, Vec<Cmd>) {
        let mut state = State::new(Init {
            page_size: self.page_size,
            theme,
            size: (width, height),
            ..state::init(
                "demo",
                ProviderInfo {
                    kind: self.kind,
                    host: "127.0.0.1:8787".to_owned(),
                },
            )
        });
        let cmds = start(&mut state, None);
        (state, cmds)
    }

    /// Answers every fetch and timer the commands ask for, as the runtime would, until none is left.
    pub(crate) fn settle(&self, state: &mut State, mut cmds: Vec<Cmd>) {
        while let Some(cmd) = cmds.pop() {
            let reply = match cmd {
                Cmd::Fetch(Fetch::List {
                    generation, page, ..
                }) => Msg::ListLoaded {
                    generation,
                    page: self.page(page),
                },
                Cmd::Fetch(Fetch::Prefetch {
                    generation, page, ..
                }) => Msg::Prefetched {
                    generation,
                    page: self.page(page),
                },
                Cmd::Fetch(Fetch::Detail { generation, id }) => Msg::DetailLoaded {
                    generation,
                    conversation: self.whole(&id),
                    fetched_at: anchor(),
                },
                Cmd::Fetch(Fetch::Enrich(EnrichFetch::Row { generation, id })) => Msg::Enriched {
                    generation,
                    result: Ok((self.whole(&id), anchor())),
                    id,
                },
                Cmd::Fetch(Fetch::Screen(fetch)) => match self.screen_reply(fetch) {
                    Some(msg) => msg,
                    None => continue,
                },
                Cmd::After { msg, .. } => *msg,
                _ => continue,
            };
            cmds.extend(update(state, reply));
        }
    }

    /// The tickets and feedback screens' fetches answered from the tickets and
    /// feedback nested in the conversations, newest conversation first;
    /// `ChatDash` has neither.
    fn screen_reply(&self, fetch: ScreenFetch) -> Option<Msg> {
        let tickets = || self.all.iter().flat_map(|c| c.tickets.iter().flatten());
        Some(Msg::Screen(match fetch {
            // The offline data has no usage rollups: the usage screen's tests use a server.
            ScreenFetch::Usage { generation, .. } => ScreenMsg::UsageFailed {
                generation,
                error: Error::Unsupported("offline data has no token usage".to_owned()),
            },
            ScreenFetch::Page {
                screen,
                generation,
                page,
                ..
            } if self.kind == ProviderKind::ChatDash => ScreenMsg::Failed {
                screen,
                generation,
                page,
                error: Error::Unsupported(format!(
                    "ChatDash has no {}",
                    screen.title().to_lowercase()
                )),
            },
            ScreenFetch::Page {
                screen,
                generation,
                query,
                page,
                page_size,
            } => {
                let size = usize::try_from(page_size).ok()?;
                let skip = usize::try_from(page.saturating_sub(1)).ok()? * size;
                let listing = |total: usize| {
                    (
                        u64::try_from(total).ok(),
                        u32::try_from(total.div_ceil(size).max(1)).ok(),
                    )
                };
                let rows = if screen == Screen::Tickets {
                    let all: Vec<Ticket> = tickets().cloned().collect();
                    let (total, pages) = listing(all.len());
                    Rows::Tickets(Listing {
                        items: all.into_iter().skip(skip).take(size).collect(),
                        total: total?,
                        page,
                        page_size,
                        total_pages: pages?,
                        counts: None,
                    })
                } else {
                    let all: Vec<Feedback> = self
                        .all
                        .iter()
                        .flat_map(|c| c.feedbacks.iter().flatten())
                        .cloned()
                        .collect();
                    let (total, pages) = listing(all.len());
                    Rows::Feedback(Listing {
                        items: all.into_iter().skip(skip).take(size).collect(),
                        total: total?,
                        page,
                        page_size,
                        total_pages: pages?,
                        counts: None,
                    })
                };
                ScreenMsg::Loaded {
                    generation,
                    query: query.unwrap_or_else(|| Query::for_plane(screen.plane())),
                    rows,
                }
            }
            ScreenFetch::Ticket { generation, id } => ScreenMsg::TicketLoaded {
                generation,
                ticket: Box::new(tickets().find(|t| t.id == Some(id))?.clone()),
            },
        }))
    }

    /// A browser with page 1 loaded and the first row's transcript beside it.
    pub(crate) fn listed(&self, width: u16, height: u16, theme: Theme) -> State {
        let (mut state, cmds) = self.fresh(width, height, theme);
        self.settle(&mut state, cmds);
        state
    }
}
