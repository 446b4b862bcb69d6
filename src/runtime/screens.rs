//! The tickets and feedback screens' fetches: a page of either list (through the provider's own query for the plane when none is known yet) and one ticket with its thread.

use crate::app::msg::Msg;
use crate::app::screens::{Rows, Screen, ScreenFetch, ScreenMsg};
use crate::provider::{Error, Provider};

/// Runs one screen request and words its outcome as a message.
pub(super) async fn perform(provider: &dyn Provider, fetch: ScreenFetch) -> Msg {
    if let ScreenFetch::Usage {
        generation,
        query,
        currency,
    } = fetch
    {
        return super::usage::perform(provider, generation, query, currency).await;
    }
    Msg::Screen(match fetch {
        ScreenFetch::Page {
            screen,
            generation,
            query,
            page,
            page_size,
        } => match page_of(provider, screen, query, page, page_size).await {
            Ok((query, rows)) => ScreenMsg::Loaded {
                generation,
                query,
                rows,
            },
            Err(error) => {
                tracing::warn!("{} page {page}: {error}", screen.title());
                ScreenMsg::Failed {
                    screen,
                    generation,
                    page,
                    error,
                }
            }
        },
        ScreenFetch::Ticket { generation, id } => match provider.ticket(id).await {
            Ok(ticket) => ScreenMsg::TicketLoaded {
                generation,
                ticket: Box::new(ticket),
            },
            Err(error) => {
                tracing::warn!("ticket {id}: {error}");
                ScreenMsg::TicketFailed { generation, error }
            }
        },
        ScreenFetch::Usage { generation, .. } => ScreenMsg::UsageFailed {
            generation,
            error: Error::InvalidInput("usage is fetched on its own".to_owned()),
        },
    })
}

/// One page of a screen's list, with the query it was asked with.
async fn page_of(
    provider: &dyn Provider,
    screen: Screen,
    query: Option<crate::provider::Query>,
    page: u32,
    page_size: u32,
) -> Result<(crate::provider::Query, Rows), Error> {
    let plane = screen.plane();
    let Some(query) = query.or_else(|| provider.plane_query(plane)) else {
        let what = if screen == Screen::Feedback {
            "feedback list"
        } else {
            "tickets"
        };
        return Err(provider.unsupported(what));
    };
    let rows = match screen {
        Screen::Tickets => Rows::Tickets(provider.tickets(&query, page, page_size).await?),
        Screen::Feedback => Rows::Feedback(provider.feedbacks(&query, page, page_size).await?),
        Screen::Conversations | Screen::Usage => {
            return Err(Error::InvalidInput(
                "the conversation list and usage are not page fetches".to_owned(),
            ));
        }
    };
    Ok((query, rows))
}
