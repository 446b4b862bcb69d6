//! The typed list query: each provider publishes its filters as a schema, and a `Query` holds validated values for them.
//!
//! One schema serves the filter panel (labels, kinds, help), the headless
//! flags, saved views and the local server's own parameter parsing, so a value
//! is judged the same way wherever it is typed. A value that does not parse is
//! refused with the reason and never reaches the wire.

use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::lenient::{format_instant, parse_bool_text};

/// What kind of value a filter takes, which decides how it is parsed and edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterKind {
    /// Free text, sent as typed (trimmed).
    Text,
    /// An IP address, matched exactly.
    IpAddress,
    /// Any / yes / no.
    TriState,
    /// One of a fixed set of values.
    Choice(&'static [&'static str]),
    /// A point in time: ISO 8601, a bare date, or a span ago (`30m`, `24h`, `7d`).
    Date(DateBound),
    /// `key:value` pairs joined by `,`; a dotted key reaches nested objects.
    MetadataPairs,
    /// A positive integer, such as a primary key.
    Integer,
    /// One or more of a fixed set, typed joined by `,` and sent as one
    /// repeated key per value, which the service reads as OR.
    ChoiceList(&'static [&'static str]),
}

/// Which end of a range a date filter bounds; a bare date means the start of
/// the day for a lower bound and its end for an upper bound, so `--started-at-before 2024-01-31`
/// includes the 31st, as a person means it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateBound {
    /// `…_after`, `startDate`.
    Lower,
    /// `…_before`, `endDate`.
    Upper,
}

/// One filter a provider understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterSpec {
    /// The wire name, also the flag and config name.
    pub key: &'static str,
    /// A short name for the one-line summary (`since=7d`).
    pub short: &'static str,
    /// What it is, in a few words, for the panel and `--help`.
    pub help: &'static str,
    /// How its value is parsed.
    pub kind: FilterKind,
}

/// Sentiments the API knows.
pub const SENTIMENTS: &[&str] = &["positive", "neutral", "negative"];
/// Environment names the API accepts for `env`.
pub const ENVIRONMENTS: &[&str] = &["production", "development", "prod", "dev"];
/// Orderings the list route accepts; `-` means descending.
pub const ORDERINGS: &[&str] = &[
    "-started_at",
    "started_at",
    "-ended_at",
    "ended_at",
    "-id",
    "id",
    "customer_id",
    "-customer_id",
    "is_marked",
    "-is_marked",
    "language",
    "-language",
];

/// Filters and values the service once took and now ignores without a word,
/// so the rows would come back wider or in another order: each is refused
/// with why. (name or `name=value`, reason)
pub const RETIRED: &[(&str, &str)] = &[
    (
        "feedback_source",
        "was retired by the service, which now ignores it (every row would come back); \
         feedback has a kind instead: `convo feedbacks --kind conversation|agent|message`",
    ),
    (
        "ordering=name",
        "the service no longer sorts by name and would silently return its own order; \
         sort by started_at, ended_at, id, customer_id, is_marked or language",
    ),
    (
        "ordering=-name",
        "the service no longer sorts by name and would silently return its own order; \
         sort by started_at, ended_at, id, customer_id, is_marked or language",
    ),
];

/// Why a refused filter or value is refused, if it is one of `table`.
fn refused_by(
    table: &'static [(&'static str, &'static str)],
    key: &str,
    value: Option<&str>,
) -> Option<&'static str> {
    table.iter().find_map(|(name, why)| {
        let matches = match name.split_once('=') {
            Some((k, v)) => {
                k == key && value.is_some_and(|given| given.trim().eq_ignore_ascii_case(v))
            }
            None => *name == key,
        };
        matches.then_some(*why)
    })
}

const fn spec(
    key: &'static str,
    short: &'static str,
    kind: FilterKind,
    help: &'static str,
) -> FilterSpec {
    FilterSpec {
        key,
        short,
        help,
        kind,
    }
}

/// Every filter of `AgentSight`'s `GET /api/conversations/`, in the order the panel shows them.
pub const AGENTSIGHT_FILTERS: &[FilterSpec] = &[
    spec(
        "search",
        "search",
        FilterKind::Text,
        "substring of id, name, customer or any message (any case)",
    ),
    spec(
        "message_contains",
        "text",
        FilterKind::Text,
        "substring of any message (any case)",
    ),
    spec(
        "started_at_after",
        "since",
        FilterKind::Date(DateBound::Lower),
        "started at or after: 2024-01-15, 2024-01-15T10:30, 7d, 24h, 30m",
    ),
    spec(
        "started_at_before",
        "until",
        FilterKind::Date(DateBound::Upper),
        "started at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "feedback_sentiment",
        "sentiment",
        FilterKind::Choice(SENTIMENTS),
        "some feedback has this sentiment",
    ),
    spec(
        "has_feedback",
        "feedback",
        FilterKind::TriState,
        "has any feedback",
    ),
    spec(
        "has_action",
        "actions",
        FilterKind::TriState,
        "some message ran an action",
    ),
    spec(
        "action_name",
        "action",
        FilterKind::Text,
        "a tool or task ran whose name contains this (any case)",
    ),
    spec(
        "has_messages",
        "messages",
        FilterKind::TriState,
        "has any message",
    ),
    spec(
        "is_marked",
        "marked",
        FilterKind::TriState,
        "flagged by a person",
    ),
    spec(
        "include_deleted",
        "deleted",
        FilterKind::TriState,
        "include soft-deleted conversations",
    ),
    spec(
        "include_tickets",
        "tickets",
        FilterKind::TriState,
        "only conversations with tickets (rows carry them)",
    ),
    spec(
        "customer_id",
        "customer",
        FilterKind::Text,
        "exact customer id",
    ),
    spec(
        "customer_id__icontains",
        "customer~",
        FilterKind::Text,
        "substring of the customer id (any case)",
    ),
    spec(
        "conversation_id",
        "id",
        FilterKind::Text,
        "exact conversation id",
    ),
    spec(
        "name",
        "name",
        FilterKind::Text,
        "substring of the conversation name (any case)",
    ),
    spec(
        "device",
        "device",
        FilterKind::Text,
        "exact device (desktop, mobile, …)",
    ),
    spec(
        "language",
        "lang",
        FilterKind::Text,
        "exact language code (en, es, …)",
    ),
    spec(
        "env",
        "env",
        FilterKind::Choice(ENVIRONMENTS),
        "environment",
    ),
    spec(
        "customer_ip_address",
        "ip",
        FilterKind::IpAddress,
        "exact customer IP address",
    ),
    spec(
        "metadata",
        "meta",
        FilterKind::MetadataPairs,
        "key:value[,key:value…]; a dotted key reaches nested values",
    ),
    spec(
        "metadata_key",
        "meta-key",
        FilterKind::Text,
        "metadata key for metadata_value (alone it does not filter)",
    ),
    spec(
        "metadata_value",
        "meta-value",
        FilterKind::Text,
        "the value metadata_key must hold (typed: 1, true, null, text)",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(ORDERINGS),
        "sort order; newest first by default",
    ),
];

/// Other names an `AgentSight` filter is known by, mapped to the one that goes on the wire.
pub const AGENTSIGHT_ALIASES: &[(&str, &str)] = &[("environment", "env")];

/// Feedback kinds the API-key plane lists (`product` is refused with why).
pub const FEEDBACK_KINDS: &[&str] = &["conversation", "agent", "message"];
/// Ticket statuses, in workflow order.
pub const TICKET_STATUSES: &[&str] = &[
    "backlog",
    "open",
    "in_progress",
    "in_review",
    "done",
    "closed",
];
/// Ticket priorities.
pub const TICKET_PRIORITIES: &[&str] = &["low", "medium", "high"];
/// Where a usage row's cost came from.
pub const COST_SOURCES: &[&str] = &["backend", "unpriced", "reported"];
/// Span statuses.
pub const SPAN_STATUSES: &[&str] = &["ok", "error", "unset"];

/// Orderings `GET /api/feedbacks/` accepts.
pub const FEEDBACK_ORDERINGS: &[&str] = &[
    "-created_at",
    "created_at",
    "-id",
    "id",
    "kind",
    "-kind",
    "sentiment",
    "-sentiment",
    "category",
    "-category",
];
/// Orderings `GET /api/tickets/` accepts.
pub const TICKET_ORDERINGS: &[&str] = &[
    "-created_at",
    "created_at",
    "-updated_at",
    "updated_at",
    "priority",
    "-priority",
    "status",
    "-status",
    "title",
    "-title",
];
/// Orderings `GET /api/actions/` accepts.
pub const ACTION_ORDERINGS: &[&str] = &[
    "name",
    "-name",
    "display_name",
    "-display_name",
    "id",
    "-id",
];
/// Orderings `GET /api/token-usage/` accepts.
pub const USAGE_ORDERINGS: &[&str] = &[
    "-started_at",
    "started_at",
    "-ended_at",
    "ended_at",
    "-total_tokens",
    "total_tokens",
    "-cost_usd",
    "cost_usd",
    "-id",
    "id",
];
/// Orderings `GET /api/spans/` accepts.
pub const SPAN_ORDERINGS: &[&str] = &[
    "-started_at",
    "started_at",
    "-ended_at",
    "ended_at",
    "-duration_ms",
    "duration_ms",
    "-id",
    "id",
];

/// Every filter of `GET /api/feedbacks/`.
pub const FEEDBACK_FILTERS: &[FilterSpec] = &[
    spec(
        "search",
        "search",
        FilterKind::Text,
        "substring of the comment or its conversation",
    ),
    spec(
        "kind",
        "kind",
        FilterKind::Choice(FEEDBACK_KINDS),
        "what the feedback is about",
    ),
    spec(
        "sentiment",
        "sentiment",
        FilterKind::Choice(SENTIMENTS),
        "the feedback's sentiment",
    ),
    spec(
        "conversation",
        "conv",
        FilterKind::Integer,
        "conversation pk (an integer)",
    ),
    spec(
        "conversation_id",
        "id",
        FilterKind::Text,
        "exact conversation id (message votes included)",
    ),
    spec(
        "message",
        "msg",
        FilterKind::Integer,
        "message pk (an integer)",
    ),
    spec(
        "topic",
        "topic",
        FilterKind::Text,
        "exact topic slug of a message vote",
    ),
    spec(
        "reason",
        "reason",
        FilterKind::Text,
        "exact reason slug of a message vote",
    ),
    spec(
        "agent",
        "agent",
        FilterKind::Integer,
        "agent id (the key's own; never narrows)",
    ),
    spec("user", "user", FilterKind::Text, "who gave it"),
    spec("category", "category", FilterKind::Text, "exact category"),
    spec(
        "env",
        "env",
        FilterKind::Choice(ENVIRONMENTS),
        "environment",
    ),
    spec(
        "has_comment",
        "commented",
        FilterKind::TriState,
        "has a comment",
    ),
    spec(
        "comment_contains",
        "comment",
        FilterKind::Text,
        "substring of the comment",
    ),
    spec(
        "created_at_after",
        "since",
        FilterKind::Date(DateBound::Lower),
        "created at or after: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "created_at_before",
        "until",
        FilterKind::Date(DateBound::Upper),
        "created at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "include_tickets",
        "tickets",
        FilterKind::TriState,
        "only feedback promoted to a ticket (rows carry it)",
    ),
    spec(
        "has_ticket",
        "ticketed",
        FilterKind::TriState,
        "promoted to a ticket (needs include_tickets)",
    ),
    spec(
        "ticket_status",
        "ticket",
        FilterKind::ChoiceList(TICKET_STATUSES),
        "its ticket has one of these statuses, comma-separated (needs include_tickets)",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(FEEDBACK_ORDERINGS),
        "sort order; newest first by default",
    ),
];

/// Every filter of `GET /api/tickets/`.
pub const TICKET_FILTERS: &[FilterSpec] = &[
    spec(
        "search",
        "search",
        FilterKind::Text,
        "substring of the title",
    ),
    spec(
        "status",
        "status",
        FilterKind::ChoiceList(TICKET_STATUSES),
        "one of these statuses, comma-separated",
    ),
    spec(
        "priority",
        "priority",
        FilterKind::Choice(TICKET_PRIORITIES),
        "the ticket's priority",
    ),
    spec(
        "tags",
        "tags",
        FilterKind::Text,
        "any of these tags, comma-separated",
    ),
    spec(
        "conversation",
        "conv",
        FilterKind::Integer,
        "conversation pk (an integer)",
    ),
    spec(
        "conversation_id",
        "id",
        FilterKind::Text,
        "exact conversation id",
    ),
    spec(
        "has_conversation",
        "linked",
        FilterKind::TriState,
        "linked to a conversation",
    ),
    spec(
        "has_feedback",
        "feedback",
        FilterKind::TriState,
        "raised from feedback",
    ),
    spec(
        "created_at_after",
        "since",
        FilterKind::Date(DateBound::Lower),
        "created at or after: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "created_at_before",
        "until",
        FilterKind::Date(DateBound::Upper),
        "created at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "updated_at_after",
        "updated-since",
        FilterKind::Date(DateBound::Lower),
        "updated at or after: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "updated_at_before",
        "updated-until",
        FilterKind::Date(DateBound::Upper),
        "updated at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(TICKET_ORDERINGS),
        "sort order; newest first by default",
    ),
];

/// Every filter of `GET /api/actions/`.
pub const ACTION_FILTERS: &[FilterSpec] = &[
    spec(
        "search",
        "search",
        FilterKind::Text,
        "substring of the name, display name or description",
    ),
    spec("name", "name", FilterKind::Text, "exact name"),
    spec(
        "name__icontains",
        "name~",
        FilterKind::Text,
        "substring of the name (any case)",
    ),
    spec(
        "display_name",
        "display",
        FilterKind::Text,
        "substring of the display name",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(ACTION_ORDERINGS),
        "sort order",
    ),
];

/// Every filter of `GET /api/token-usage/` (and its summary).
pub const USAGE_FILTERS: &[FilterSpec] = &[
    spec("model", "model", FilterKind::Text, "resolved model id"),
    spec(
        "conversation",
        "conv",
        FilterKind::Integer,
        "conversation pk (an integer)",
    ),
    spec(
        "conversation_id",
        "id",
        FilterKind::Text,
        "exact conversation id",
    ),
    spec("turn_id", "turn", FilterKind::Text, "exact turn id"),
    spec(
        "environment",
        "env",
        FilterKind::Text,
        "environment slug (any, custom ones too)",
    ),
    spec(
        "cost_source",
        "cost",
        FilterKind::Choice(COST_SOURCES),
        "where the cost came from",
    ),
    spec(
        "incomplete",
        "incomplete",
        FilterKind::TriState,
        "the turn did not complete",
    ),
    spec(
        "started_at_after",
        "since",
        FilterKind::Date(DateBound::Lower),
        "started at or after: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "started_at_before",
        "until",
        FilterKind::Date(DateBound::Upper),
        "started at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(USAGE_ORDERINGS),
        "sort order",
    ),
];

/// Every filter of `GET /api/spans/`.
pub const SPAN_FILTERS: &[FilterSpec] = &[
    spec(
        "kind",
        "kind",
        FilterKind::Text,
        "span kind: turn, llm, tool, task, button, attachment, conversation, …",
    ),
    spec(
        "status",
        "status",
        FilterKind::Choice(SPAN_STATUSES),
        "the span's status",
    ),
    spec("name", "name", FilterKind::Text, "exact span name"),
    spec(
        "conversation",
        "conv",
        FilterKind::Integer,
        "conversation pk (an integer)",
    ),
    spec(
        "conversation_id",
        "id",
        FilterKind::Text,
        "exact conversation id",
    ),
    spec(
        "trace_id",
        "trace",
        FilterKind::Text,
        "exact trace id (32 hex digits)",
    ),
    spec(
        "span_id",
        "span",
        FilterKind::Text,
        "exact span id (16 hex digits)",
    ),
    spec(
        "parent_span_id",
        "parent",
        FilterKind::Text,
        "exact parent span id",
    ),
    spec(
        "environment",
        "env",
        FilterKind::Text,
        "environment slug (any, custom ones too)",
    ),
    spec(
        "started_at_after",
        "since",
        FilterKind::Date(DateBound::Lower),
        "started at or after: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "started_at_before",
        "until",
        FilterKind::Date(DateBound::Upper),
        "started at or before: a date, a time, or 7d/24h/30m ago",
    ),
    spec(
        "ordering",
        "order",
        FilterKind::Choice(SPAN_ORDERINGS),
        "sort order; newest first by default",
    ),
];

/// Feedback's other spellings of its filters.
pub const FEEDBACK_ALIASES: &[(&str, &str)] = &[("environment", "env")];

/// Names and values each route would silently ignore or answer with an
/// error, refused here with why. (name or `name=value`, reason)
const FEEDBACK_REFUSED: &[(&str, &str)] = &[
    (
        "kind=product",
        "product feedback is not on the API-key plane: the service answers 403; \
         use kind conversation, agent or message",
    ),
    RETIRED[0],
];
const TICKET_REFUSED: &[(&str, &str)] = &[
    (
        "environment",
        "tickets have no environment filter (the service would ignore it and return every ticket)",
    ),
    (
        "env",
        "tickets have no environment filter (the service would ignore it and return every ticket)",
    ),
];
const ACTION_REFUSED: &[(&str, &str)] = &[(
    "agent",
    "a key belongs to one agent, so actions are always that agent's; the service ignores agent",
)];
const USAGE_REFUSED: &[(&str, &str)] = &[(
    "env",
    "usage takes environment, not env (the service silently ignores env)",
)];
const SPAN_REFUSED: &[(&str, &str)] = &[(
    "env",
    "spans take environment, not env (the service silently ignores env)",
)];

/// A filter that only means something beside another one set to true:
/// (filter, the filter it needs, why).
const FEEDBACK_NEEDS: &[(&str, &str, &str)] = &[
    (
        "has_ticket",
        "include_tickets",
        "needs include_tickets=true: ticket filters only work on the ticket plane \
         (the service answers 400 without it)",
    ),
    (
        "ticket_status",
        "include_tickets",
        "needs include_tickets=true: ticket filters only work on the ticket plane \
         (the service answers 400 without it)",
    ),
];

/// The filters of one `AgentSight` list route, with their aliases. Every list
/// route refuses names outside its schema before a request is made.
#[must_use]
pub fn plane_schema(
    plane: super::Plane,
) -> (
    &'static [FilterSpec],
    &'static [(&'static str, &'static str)],
) {
    use super::Plane;
    match plane {
        Plane::Conversations => (AGENTSIGHT_FILTERS, AGENTSIGHT_ALIASES),
        Plane::Feedbacks => (FEEDBACK_FILTERS, FEEDBACK_ALIASES),
        Plane::Tickets => (TICKET_FILTERS, &[]),
        Plane::Actions => (ACTION_FILTERS, &[]),
        Plane::Usage => (USAGE_FILTERS, &[]),
        Plane::Spans => (SPAN_FILTERS, &[]),
    }
}

/// Names and values a plane refuses with a reason (beyond unknown names).
fn plane_refusals(plane: super::Plane) -> &'static [(&'static str, &'static str)] {
    use super::Plane;
    match plane {
        Plane::Conversations => RETIRED,
        Plane::Feedbacks => FEEDBACK_REFUSED,
        Plane::Tickets => TICKET_REFUSED,
        Plane::Actions => ACTION_REFUSED,
        Plane::Usage => USAGE_REFUSED,
        Plane::Spans => SPAN_REFUSED,
    }
}

/// Filters of a plane that need another set to true.
fn plane_needs(plane: super::Plane) -> &'static [(&'static str, &'static str, &'static str)] {
    match plane {
        super::Plane::Feedbacks => FEEDBACK_NEEDS,
        _ => &[],
    }
}

impl Query {
    /// An empty query over one `AgentSight` list route's filters.
    #[must_use]
    pub fn for_plane(plane: super::Plane) -> Self {
        let (schema, aliases) = plane_schema(plane);
        let mut query = Self::with_schema(schema, aliases);
        query.plane = Some(plane);
        query
    }

    /// The list route this query is for, when it is an `AgentSight` one.
    #[must_use]
    pub fn plane(&self) -> Option<super::Plane> {
        self.plane
    }

    /// Checks what single values cannot: a filter that needs another one
    /// (feedback's ticket filters need `include_tickets=true`).
    ///
    /// # Errors
    /// The first filter set without what it needs, with why.
    pub fn check_combination(&self) -> Result<(), QueryError> {
        let Some(plane) = self.plane else {
            return Ok(());
        };
        for (key, needed, why) in plane_needs(plane) {
            let Some(text) = self.text(key) else { continue };
            if self.get(needed) != Some(&FilterValue::Bool(true)) {
                return Err(QueryError {
                    key: (*key).to_owned(),
                    value: text.to_owned(),
                    reason: (*why).to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Checks that this query can go to `plane`'s route: every filter is in
    /// its schema, no value is one the route refuses, and filters that need
    /// another have it. A query built for another route is caught here too.
    ///
    /// # Errors
    /// The first filter that cannot go, with why.
    pub fn check_plane(&self, plane: super::Plane) -> Result<(), QueryError> {
        let (schema, _) = plane_schema(plane);
        let refusals = plane_refusals(plane);
        for (spec, _, text) in self.iter() {
            if !schema.iter().any(|s| s.key == spec.key) {
                return Err(Self::for_plane(plane).unknown_filter(spec.key));
            }
            if let Some(why) = refused_by(refusals, spec.key, Some(text)) {
                return Err(QueryError {
                    key: spec.key.to_owned(),
                    value: text.to_owned(),
                    reason: why.to_owned(),
                });
            }
        }
        let mut checked = self.clone();
        checked.plane = Some(plane);
        checked.check_combination()
    }

    fn refusals(&self) -> &'static [(&'static str, &'static str)] {
        self.plane.map_or(&[], plane_refusals)
    }
}

/// A date filter's value: a fixed instant, or a span before "now" that is
/// resolved each time the query is sent (so a refresh moves the window).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateSpec {
    /// A fixed instant.
    At(DateTime<Utc>),
    /// This long before the moment the query is sent.
    Ago(Duration),
}

impl DateSpec {
    /// The instant this spec means at `now`.
    #[must_use]
    pub fn resolve(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::At(t) => *t,
            Self::Ago(span) => now - *span,
        }
    }
}

/// A validated filter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterValue {
    /// Text (or an IP address), trimmed and non-empty.
    Text(String),
    /// A tri-state filter that is set.
    Bool(bool),
    /// One of the filter's choices.
    Choice(&'static str),
    /// A point in time.
    Date(DateSpec),
    /// `key:value` pairs, in the order given.
    MetadataPairs(Vec<(String, String)>),
}

/// A value the query refused, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The filter's name as the user typed it.
    pub key: String,
    /// The refused value.
    pub value: String,
    /// Why, in words that say how to fix it.
    pub reason: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.key, self.reason)
        } else {
            write!(f, "{}: {:?} {}", self.key, self.value, self.reason)
        }
    }
}

impl std::error::Error for QueryError {}

/// A set of filters, each validated against its provider's schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// The `AgentSight` route this query is for, which decides what it refuses with why.
    plane: Option<super::Plane>,
    schema: &'static [FilterSpec],
    aliases: &'static [(&'static str, &'static str)],
    /// Set values with the text the user typed (shown back as typed: `since=7d`).
    values: Vec<(&'static FilterSpec, FilterValue, String)>,
}

impl Query {
    /// An empty query over `AgentSight`'s filters.
    #[must_use]
    pub fn agentsight() -> Self {
        Self::for_plane(super::Plane::Conversations)
    }

    /// An empty query over any provider's filters.
    #[must_use]
    pub fn with_schema(
        schema: &'static [FilterSpec],
        aliases: &'static [(&'static str, &'static str)],
    ) -> Self {
        Self {
            plane: None,
            schema,
            aliases,
            values: Vec::new(),
        }
    }

    /// The filters this query can hold, in display order.
    #[must_use]
    pub fn schema(&self) -> &'static [FilterSpec] {
        self.schema
    }

    /// The spec for a filter name (or one of its aliases).
    #[must_use]
    pub fn spec(&self, key: &str) -> Option<&'static FilterSpec> {
        let key = self
            .aliases
            .iter()
            .find(|(alias, _)| *alias == key)
            .map_or(key, |(_, k)| k);
        self.schema.iter().find(|s| s.key == key)
    }

    /// Sets a filter from text; empty text (or `any` for a tri-state) clears it.
    ///
    /// # Errors
    /// An unknown filter, or a value its kind does not accept; the query is unchanged.
    pub fn set(&mut self, key: &str, text: &str) -> Result<(), QueryError> {
        let spec = self.spec(key).ok_or_else(|| self.unknown_filter(key))?;
        let text = text.trim();
        if let Some(why) = refused_by(self.refusals(), spec.key, Some(text)) {
            return Err(QueryError {
                key: key.to_owned(),
                value: text.to_owned(),
                reason: why.to_owned(),
            });
        }
        match parse_value(spec, text, true) {
            Ok(Some(value)) => {
                self.values.retain(|(s, _, _)| s.key != spec.key);
                self.values.push((spec, value, text.to_owned()));
                let order = |k: &str| self.schema.iter().position(|s| s.key == k);
                self.values.sort_by_key(|(s, _, _)| order(s.key));
                Ok(())
            }
            Ok(None) => {
                self.clear(spec.key);
                Ok(())
            }
            Err(reason) => Err(QueryError {
                key: key.to_owned(),
                value: text.to_owned(),
                reason,
            }),
        }
    }

    /// Sets several filters at once; nothing changes if any is refused.
    ///
    /// # Errors
    /// The first refused pair.
    pub fn set_all<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), QueryError> {
        let mut next = self.clone();
        for (key, value) in pairs {
            next.set(key, value)?;
        }
        *self = next;
        Ok(())
    }

    /// Clears one filter.
    pub fn clear(&mut self, key: &str) {
        let key = self.spec(key).map_or(key, |s| s.key);
        self.values.retain(|(s, _, _)| s.key != key);
    }

    /// Clears every filter.
    pub fn clear_all(&mut self) {
        self.values.clear();
    }

    /// Whether no filter is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A filter's value, if set.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&FilterValue> {
        let key = self.spec(key).map_or(key, |s| s.key);
        self.values
            .iter()
            .find(|(s, _, _)| s.key == key)
            .map(|(_, v, _)| v)
    }

    /// A filter's value as the user typed it, if set.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        let key = self.spec(key).map_or(key, |s| s.key);
        self.values
            .iter()
            .find(|(s, _, _)| s.key == key)
            .map(|(_, _, t)| t.as_str())
    }

    /// Set filters in display order: spec, value, typed text.
    pub fn iter(&self) -> impl Iterator<Item = (&'static FilterSpec, &FilterValue, &str)> {
        self.values.iter().map(|(s, v, t)| (*s, v, t.as_str()))
    }

    /// The one-line summary of active filters: `sentiment=negative device=mobile since=7d`.
    #[must_use]
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .values
            .iter()
            .map(|(s, _, t)| format!("{}={t}", s.short))
            .collect();
        parts.join(" ")
    }

    /// The query parameters to send, with relative dates resolved at `now`.
    /// Unset filters are absent; booleans are lowercase; dates are ISO 8601 UTC.
    #[must_use]
    pub fn to_params(&self, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
        self.to_params_with(now, format_instant)
    }

    /// The query parameters with dates spelled by `format_date`, for an API
    /// that wants another form, such as milliseconds and `Z`.
    #[must_use]
    pub fn to_params_with(
        &self,
        now: DateTime<Utc>,
        format_date: fn(DateTime<Utc>) -> String,
    ) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        for (spec, value, _) in &self.values {
            let text = match value {
                // A list the route reads as OR goes out as one key per value.
                FilterValue::Text(t) if matches!(spec.kind, FilterKind::ChoiceList(_)) => {
                    params.extend(t.split(',').map(|one| (spec.key, one.to_owned())));
                    continue;
                }
                FilterValue::Text(t) => t.clone(),
                FilterValue::Bool(b) => b.to_string(),
                FilterValue::Choice(c) => (*c).to_owned(),
                FilterValue::Date(d) => format_date(d.resolve(now)),
                FilterValue::MetadataPairs(pairs) => pairs
                    .iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(","),
            };
            params.push((spec.key, text));
        }
        params
    }

    /// The same query with every relative date fixed at `now`, so that the
    /// pages of one walk (an export, `list --all`) all ask the same question.
    #[must_use]
    pub fn pinned(&self, now: DateTime<Utc>) -> Self {
        let mut pinned = self.clone();
        for (_, value, _) in &mut pinned.values {
            if let FilterValue::Date(spec) = value {
                *spec = DateSpec::At(spec.resolve(now));
            }
        }
        pinned
    }

    /// Reads a query from wire parameters as a server does: absolute dates
    /// only, unknown names ignored (as the real service ignores them), aliases accepted.
    ///
    /// # Errors
    /// Every refused value, so a 400 can name them all.
    pub fn from_wire_params<'a>(
        schema: &'static [FilterSpec],
        aliases: &'static [(&'static str, &'static str)],
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Vec<QueryError>> {
        let mut query = Self::with_schema(schema, aliases);
        let mut errors = Vec::new();
        for (key, text) in pairs {
            let Some(spec) = query.spec(key) else {
                continue;
            };
            // A repeated key of an OR-list adds to it (`?status=open&status=done`).
            let joined;
            let text = match (spec.kind, query.text(spec.key)) {
                (FilterKind::ChoiceList(_), Some(before)) if !text.trim().is_empty() => {
                    joined = format!("{before},{}", text.trim());
                    joined.as_str()
                }
                _ => text,
            };
            match parse_value(spec, text.trim(), false) {
                Ok(Some(value)) => {
                    query.values.retain(|(s, _, _)| s.key != spec.key);
                    query.values.push((spec, value, text.trim().to_owned()));
                }
                Ok(None) => {}
                Err(reason) => errors.push(QueryError {
                    key: key.to_owned(),
                    value: text.to_owned(),
                    reason,
                }),
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    fn unknown_filter(&self, key: &str) -> QueryError {
        if let Some(why) = refused_by(self.refusals(), key, None) {
            return QueryError {
                key: "filter".to_owned(),
                value: key.to_owned(),
                reason: why.to_owned(),
            };
        }
        let wanted = key.to_ascii_lowercase().replace('-', "_");
        let close: Vec<&str> = self
            .schema
            .iter()
            .filter(|s| {
                s.key == wanted
                    || s.key.contains(&wanted)
                    || wanted.contains(s.key)
                    || s.short == wanted
            })
            .map(|s| s.key)
            .collect();
        let reason = if close.is_empty() {
            let all: Vec<&str> = self.schema.iter().map(|s| s.key).collect();
            format!("is not a filter here; known filters: {}", all.join(", "))
        } else {
            format!("is not a filter here; did you mean {}?", close.join(" or "))
        };
        QueryError {
            key: "filter".to_owned(),
            value: key.to_owned(),
            reason,
        }
    }
}

/// Parses one value for a filter. `Ok(None)` means "clear it".
fn parse_value(
    spec: &FilterSpec,
    text: &str,
    interactive: bool,
) -> Result<Option<FilterValue>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().any(char::is_control) {
        return Err("contains a control character".to_owned());
    }
    match spec.kind {
        FilterKind::Text => Ok(Some(FilterValue::Text(text.to_owned()))),
        FilterKind::IpAddress => text
            .parse::<IpAddr>()
            .map(|_| Some(FilterValue::Text(text.to_owned())))
            .map_err(|_| "is not an IP address (like 203.0.113.45 or 2001:db8::1)".to_owned()),
        FilterKind::TriState => {
            if interactive && text.eq_ignore_ascii_case("any") {
                return Ok(None);
            }
            parse_bool_text(text)
                .map(|b| Some(FilterValue::Bool(b)))
                .ok_or_else(|| "is not yes/no (true, false, yes, no, 1, 0, or any)".to_owned())
        }
        FilterKind::Choice(choices) => {
            let lower = text.to_ascii_lowercase();
            choices
                .iter()
                .find(|c| **c == lower)
                .map(|c| Some(FilterValue::Choice(c)))
                .ok_or_else(|| format!("is not one of {}", choices.join(", ")))
        }
        FilterKind::Date(bound) => {
            parse_date(text, bound, interactive).map(|d| Some(FilterValue::Date(d)))
        }
        FilterKind::MetadataPairs => {
            parse_metadata_pairs(text).map(|p| Some(FilterValue::MetadataPairs(p)))
        }
        FilterKind::Integer => parse_positive_integer(text).map(Some),
        FilterKind::ChoiceList(choices) => parse_choice_list(text, choices).map(Some),
    }
}

/// A primary key: digits only, above zero, kept in its plain spelling.
fn parse_positive_integer(text: &str) -> Result<FilterValue, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    match digits.parse::<i64>() {
        Ok(n) if n > 0 && digits.chars().all(|c| c.is_ascii_digit()) => {
            Ok(FilterValue::Text(n.to_string()))
        }
        _ => Err("is not a positive integer (a primary key, like 42)".to_owned()),
    }
}

/// One or more choices joined by `,`, each checked, kept lower-case and
/// without repeats in the order typed.
fn parse_choice_list(text: &str, choices: &[&'static str]) -> Result<FilterValue, String> {
    let mut picked: Vec<&'static str> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_ascii_lowercase();
        let Some(choice) = choices.iter().find(|c| **c == lower) else {
            return Err(format!(
                "has {part:?}, which is not one of {} (several may be joined by ,)",
                choices.join(", ")
            ));
        };
        if !picked.contains(choice) {
            picked.push(choice);
        }
    }
    if picked.is_empty() {
        return Err(format!("names none of {}", choices.join(", ")));
    }
    Ok(FilterValue::Text(picked.join(",")))
}

/// Parses `key:value[,key:value…]`.
///
/// # Errors
/// A pair without a `:` or with an empty key.
pub fn parse_metadata_pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once(':') {
            Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.trim().to_owned())),
            _ => Err(format!("has {pair:?}, which is not key:value (like priority:high,analysis.sentiment:positive)")),
        })
        .collect()
}

/// Parses a date filter's value. Interactively (the panel, flags, views) it
/// also takes spans ago (`30m`, `24h`, `7d`, `2w`) and reads a time without an
/// offset as local time, as the list shows times; on the wire (the server)
/// only ISO 8601 is valid and a naive time is UTC, as the API documents.
///
/// # Errors
/// Text that is none of these, with examples of what is.
pub fn parse_date(text: &str, bound: DateBound, interactive: bool) -> Result<DateSpec, String> {
    const EXAMPLES: &str = "is not a date; use 2024-01-15, 2024-01-15T10:30, 2024-01-15T10:30:00Z, or a span ago like 30m, 24h, 7d";
    if interactive && let Some(span) = parse_span(text)? {
        return Ok(DateSpec::Ago(span));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(DateSpec::At(t.with_timezone(&Utc)));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Ok(DateSpec::At(t.with_timezone(&Utc)));
        }
    }
    let to_utc = |naive: NaiveDateTime| -> Option<DateTime<Utc>> {
        if interactive {
            Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        } else {
            Some(Utc.from_utc_datetime(&naive))
        }
    };
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return to_utc(naive)
                .map(DateSpec::At)
                .ok_or_else(|| "is not a time that exists here".to_owned());
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let naive = match bound {
            DateBound::Lower => day.and_hms_opt(0, 0, 0),
            DateBound::Upper => day.and_hms_micro_opt(23, 59, 59, 999_999),
        };
        return naive
            .and_then(to_utc)
            .map(DateSpec::At)
            .ok_or_else(|| EXAMPLES.to_owned());
    }
    Err(EXAMPLES.to_owned())
}

/// `30m`, `24h`, `7d`, `2w` (and `90s`) as a span; `Ok(None)` if the text is not shaped like a span.
fn parse_span(text: &str) -> Result<Option<Duration>, String> {
    let lower = text.to_ascii_lowercase();
    let Some(unit) = lower.chars().last() else {
        return Ok(None);
    };
    let digits = &lower[..lower.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let seconds_per_unit: i64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => {
            return Err(
                "has an unknown unit; spans use s, m, h, d or w (like 30m, 24h, 7d)".to_owned(),
            );
        }
    };
    let amount: i64 = digits
        .parse()
        .map_err(|_| "is too large a span".to_owned())?;
    if amount == 0 {
        return Err("is an empty span; use at least 1 (like 1h)".to_owned());
    }
    // A hundred years is more history than any service keeps; larger is a typo.
    match amount.checked_mul(seconds_per_unit) {
        Some(seconds) if seconds <= 100 * 366 * 86_400 => Ok(Some(Duration::seconds(seconds))),
        _ => Err("is too large a span (more than 100 years)".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 20, 12, 0, 0).unwrap()
    }

    #[test]
    fn params_are_typed_lowercase_and_absent_when_unset() {
        let mut q = Query::agentsight();
        q.set_all([
            ("feedback_sentiment", "Negative"),
            ("is_marked", "yes"),
            ("started_at_after", "7d"),
            ("environment", "prod"),
        ])
        .unwrap();
        let params = q.to_params(now());
        assert_eq!(
            params,
            vec![
                ("started_at_after", "2024-01-13T12:00:00Z".to_owned()),
                ("feedback_sentiment", "negative".to_owned()),
                ("is_marked", "true".to_owned()),
                ("env", "prod".to_owned()),
            ]
        );
        assert_eq!(
            q.summary(),
            "since=7d sentiment=Negative marked=yes env=prod"
        );
        q.set("is_marked", "any").unwrap();
        assert!(q.get("is_marked").is_none());
        q.set("env", "").unwrap();
        assert!(q.get("environment").is_none());
    }

    #[test]
    fn bad_values_are_refused_with_the_reason_and_change_nothing() {
        let mut q = Query::agentsight();
        q.set("device", "mobile").unwrap();
        let before = q.clone();
        let cases = [
            (
                "feedback_sentiment",
                "angry",
                "is not one of positive, neutral, negative",
            ),
            ("is_marked", "maybe", "is not yes/no"),
            ("started_at_after", "last tuesday", "is not a date"),
            ("started_at_after", "7y", "unknown unit"),
            ("started_at_after", "0d", "empty span"),
            ("started_at_after", "99999999999d", "too large"),
            ("customer_ip_address", "1.2.3", "is not an IP address"),
            ("metadata", "priority=high", "is not key:value"),
            ("ordering", "newest", "is not one of"),
            ("device", "mo\u{1b}[31mbile", "control character"),
        ];
        for (key, value, reason) in cases {
            let err = q.set(key, value).unwrap_err();
            assert!(err.to_string().contains(reason), "{key}={value}: {err}");
            assert_eq!(q, before);
        }
        let err = q
            .set_all([("device", "desktop"), ("sentiment", "negative")])
            .unwrap_err();
        assert!(
            err.to_string().contains("did you mean feedback_sentiment"),
            "{err}"
        );
        assert_eq!(q, before, "set_all is all or nothing");
    }

    #[test]
    fn dates_accept_iso_bare_dates_and_spans() {
        let lower = |t| {
            parse_date(t, DateBound::Lower, false)
                .unwrap()
                .resolve(now())
        };
        assert_eq!(
            format_instant(lower("2024-01-15T10:30:00+01:00")),
            "2024-01-15T09:30:00Z"
        );
        assert_eq!(format_instant(lower("2024-01-15")), "2024-01-15T00:00:00Z");
        let upper = parse_date("2024-01-31", DateBound::Upper, false)
            .unwrap()
            .resolve(now());
        assert_eq!(format_instant(upper), "2024-01-31T23:59:59.999999Z");
        assert!(
            parse_date("7d", DateBound::Lower, false).is_err(),
            "the wire takes no spans"
        );
        let span = parse_date("30m", DateBound::Lower, true).unwrap();
        assert_eq!(span, DateSpec::Ago(Duration::minutes(30)));
    }

    #[test]
    fn wire_params_ignore_unknown_names_and_report_every_bad_value() {
        let q = Query::from_wire_params(
            AGENTSIGHT_FILTERS,
            AGENTSIGHT_ALIASES,
            [("device", "mobile"), ("page", "2"), ("environment", "dev")],
        )
        .unwrap();
        assert_eq!(q.text("env"), Some("dev"));
        let errors = Query::from_wire_params(
            AGENTSIGHT_FILTERS,
            AGENTSIGHT_ALIASES,
            [
                ("is_marked", "x"),
                ("feedback_sentiment", "meh"),
                ("feedback_source", "bot"),
            ],
        )
        .unwrap_err();
        // The retired name is ignored on the wire, as the service ignores it.
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn every_plane_has_a_schema_with_unique_names() {
        use crate::provider::Plane;
        for plane in [
            Plane::Conversations,
            Plane::Feedbacks,
            Plane::Tickets,
            Plane::Actions,
            Plane::Usage,
            Plane::Spans,
        ] {
            let (schema, aliases) = plane_schema(plane);
            assert!(!schema.is_empty(), "{plane:?}");
            for (i, spec) in schema.iter().enumerate() {
                assert!(
                    schema[i + 1..]
                        .iter()
                        .all(|o| o.key != spec.key && o.short != spec.short),
                    "{plane:?}: {} repeats",
                    spec.key
                );
            }
            for (alias, key) in aliases {
                assert!(schema.iter().any(|s| s.key == *key), "{alias} -> {key}");
            }
            assert_eq!(Query::for_plane(plane).plane(), Some(plane));
        }
    }

    #[test]
    fn plane_refusals_say_why() {
        use crate::provider::Plane;
        let cases = [
            (Plane::Feedbacks, "kind", "product", "403"),
            (
                Plane::Feedbacks,
                "conversation",
                "abc",
                "not a positive integer",
            ),
            (Plane::Feedbacks, "message", "-3", "not a positive integer"),
            (
                Plane::Feedbacks,
                "ticket_status",
                "open,later",
                "\"later\", which is not one of",
            ),
            (Plane::Feedbacks, "feedback_source", "customer", "retired"),
            (
                Plane::Usage,
                "env",
                "production",
                "usage takes environment, not env",
            ),
            (Plane::Spans, "env", "production", "environment, not env"),
            (
                Plane::Spans,
                "status",
                "fine",
                "is not one of ok, error, unset",
            ),
            (
                Plane::Tickets,
                "priority",
                "urgent",
                "is not one of low, medium, high",
            ),
            (
                Plane::Tickets,
                "environment",
                "production",
                "no environment filter",
            ),
            (
                Plane::Actions,
                "color",
                "red",
                "known filters: search, name",
            ),
            (Plane::Usage, "cost_source", "free", "is not one of backend"),
        ];
        for (plane, key, value, why) in cases {
            let mut q = Query::for_plane(plane);
            let err = q.set(key, value).unwrap_err();
            assert!(
                err.to_string().contains(why),
                "{plane:?} {key}={value}: {err}"
            );
            assert!(q.is_empty());
        }
    }

    #[test]
    fn lists_repeat_their_key_and_integers_keep_a_plain_spelling() {
        use crate::provider::Plane;
        let mut q = Query::for_plane(Plane::Tickets);
        q.set_all([
            ("status", "Open, done,open"),
            ("tags", "billing,refund"),
            ("conversation", "+42"),
        ])
        .unwrap();
        assert_eq!(
            q.to_params(now()),
            vec![
                ("status", "open".to_owned()),
                ("status", "done".to_owned()),
                ("tags", "billing,refund".to_owned()),
                ("conversation", "42".to_owned()),
            ]
        );
        let mut spans = Query::for_plane(Plane::Spans);
        spans.set("kind", "made-up-kind").unwrap();
        assert_eq!(
            spans.text("kind"),
            Some("made-up-kind"),
            "span kinds are free text"
        );
    }

    #[test]
    fn retired_filters_and_orderings_are_refused_with_why() {
        let mut q = Query::agentsight();
        let err = q.set("feedback_source", "customer").unwrap_err();
        assert!(err.reason.contains("retired"), "{err}");
        let err = q.set("ordering", "-name").unwrap_err();
        assert!(err.reason.contains("no longer sorts by name"), "{err}");
        q.set("ordering", "-is_marked").unwrap();
        q.set("ordering", "language").unwrap();
        assert_eq!(q.text("ordering"), Some("language"));
    }

    #[test]
    fn ticket_filters_on_feedback_need_the_ticket_gate() {
        use crate::provider::Plane;
        let mut q = Query::for_plane(Plane::Feedbacks);
        q.set("has_ticket", "yes").unwrap();
        let err = q.check_combination().unwrap_err();
        assert!(
            err.to_string().contains("needs include_tickets=true"),
            "{err}"
        );
        q.set("include_tickets", "no").unwrap();
        assert!(q.check_combination().is_err());
        q.set("include_tickets", "yes").unwrap();
        q.set("ticket_status", "open,in_review").unwrap();
        assert!(q.check_combination().is_ok());
        q.set("environment", "prod").unwrap();
        assert_eq!(q.text("env"), Some("prod"));
        assert!(Query::agentsight().check_combination().is_ok());
    }

    #[test]
    fn repeated_list_keys_on_the_wire_add_up() {
        let q = Query::from_wire_params(
            TICKET_FILTERS,
            &[],
            [
                ("status", "open"),
                ("status", "done"),
                ("priority", "low"),
                ("priority", "high"),
            ],
        )
        .unwrap();
        assert_eq!(q.text("status"), Some("open,done"));
        assert_eq!(
            q.text("priority"),
            Some("high"),
            "a single choice keeps the last"
        );
        let sent = q.to_params(now());
        let again = Query::from_wire_params(
            TICKET_FILTERS,
            &[],
            sent.iter().map(|(k, v)| (*k, v.as_str())),
        )
        .unwrap();
        assert_eq!(again, q);
    }

    #[test]
    fn a_query_for_one_route_is_refused_by_another() {
        use crate::provider::Plane;
        let mut usage = Query::for_plane(Plane::Usage);
        usage.set("cost_source", "unpriced").unwrap();
        assert!(usage.check_plane(Plane::Usage).is_ok());
        let err = usage.check_plane(Plane::Spans).unwrap_err();
        assert!(err.to_string().contains("cost_source"), "{err}");
        let mut gated = Query::with_schema(FEEDBACK_FILTERS, FEEDBACK_ALIASES);
        gated.set("ticket_status", "open").unwrap();
        assert!(gated.check_plane(Plane::Feedbacks).is_err());
    }

    #[test]
    fn pinning_fixes_relative_dates_and_keeps_the_typed_text() {
        let mut q = Query::agentsight();
        q.set("started_at_after", "24h").unwrap();
        let pinned = q.pinned(now());
        assert_eq!(
            pinned.get("started_at_after"),
            Some(&FilterValue::Date(DateSpec::At(
                now() - Duration::hours(24)
            )))
        );
        assert_eq!(pinned.summary(), "since=24h");
        assert_eq!(
            pinned.to_params(now() + Duration::hours(5)),
            q.to_params(now())
        );
    }

    #[test]
    fn metadata_pairs_split_on_the_first_colon() {
        assert_eq!(
            parse_metadata_pairs("a.b:c, url:http://x").unwrap(),
            vec![
                ("a.b".to_owned(), "c".to_owned()),
                ("url".to_owned(), "http://x".to_owned())
            ]
        );
    }
}
