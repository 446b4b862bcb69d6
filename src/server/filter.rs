//! The conversation list's filters and orderings: what each one means, in one place.
//!
//! Parameters are validated by the same [`Query`] schema the client uses
//! (`Query::from_wire_params`, which ignores unknown names as the live service
//! does), except the three the service judges its own way here: `env` (four
//! spellings), `include_tickets` (strict spelling) and `ordering` (unknown
//! fields dropped). The result is a [`Filter`] whose [`Filter::matches`] reads
//! only precomputed or borrowed data, so a request over 10,000 conversations
//! allocates nothing per row.

use std::cmp::Ordering as CmpOrdering;

use serde_json::Value;

use super::metadata::{metadata_at, same_typed, typed_value};
use super::metaindex::Needles;
use super::params;
use super::record::{Record, nulls_last, sentiment_bit};
use super::reply::ApiError;
use crate::provider::query::{
    AGENTSIGHT_ALIASES, AGENTSIGHT_FILTERS, DateSpec, FilterKind, FilterValue, Query, QueryError,
};

/// The conversations a list request asks for. Every set filter must hold (AND).
#[derive(Debug, Default)]
pub(super) struct Filter {
    /// `search`: lowercased; a substring of the conversation id, name, customer id or a message.
    search: Option<String>,
    /// `name`: lowercased; a substring of the name.
    name: Option<String>,
    /// `customer_id__icontains`: lowercased; a substring of the customer id.
    customer_id_contains: Option<String>,
    /// `message_contains`: lowercased; a substring of some message's content.
    message_contains: Option<String>,
    /// `conversation_id`: exactly equal.
    conversation_id: Option<String>,
    /// `customer_id`: exactly equal.
    customer_id: Option<String>,
    /// `device`: exactly equal.
    device: Option<String>,
    /// `language`: exactly equal.
    language: Option<String>,
    /// `customer_ip_address`: exactly equal (as text).
    customer_ip_address: Option<String>,
    /// `action_name`: lowercased; part of the name of some tool or task that ran.
    action_name: Option<String>,
    /// `env`/`environment`: the canonical environment, equal to the stored one.
    environment: Option<&'static str>,
    /// `is_marked`: the flag equals this; a missing flag counts as unmarked.
    is_marked: Option<bool>,
    /// `include_deleted`: soft-deleted rows (`is_deleted: true`) are left out unless this is true.
    include_deleted: bool,
    /// `started_at_after`: inclusive; rows without a (readable) start are left out.
    started_after: Option<chrono::DateTime<chrono::Utc>>,
    /// `started_at_before`: inclusive; rows without a (readable) start are left out.
    started_before: Option<chrono::DateTime<chrono::Utc>>,
    /// `has_messages`: true = at least one message, false = none.
    has_messages: Option<bool>,
    /// `has_action`: true = some tool or task ran, false = none did.
    has_action: Option<bool>,
    /// `has_feedback`: true = some conversation feedback or message vote, false = none.
    has_feedback: Option<bool>,
    /// `feedback_sentiment`: some conversation feedback or vote has this sentiment (as a flag).
    feedback_sentiment: Option<u8>,
    /// `metadata` pairs and `metadata_key`+`metadata_value`, as index entries:
    /// every one must hold, the value typed as it looks ([`typed_value`]).
    metadata: Vec<(String, Value)>,
    metadata_needles: Needles,
    /// `include_tickets`: true narrows to rows with at least one ticket (and
    /// rows then carry their tickets; see [`ListRequest::include_tickets`]).
    include_tickets: bool,
}

/// A field the list can be ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortField {
    StartedAt,
    EndedAt,
    Id,
    CustomerId,
    IsMarked,
    Language,
}

/// The `ordering` fields the service knows; others are dropped.
const SORT_FIELDS: &[(&str, SortField)] = &[
    ("started_at", SortField::StartedAt),
    ("ended_at", SortField::EndedAt),
    ("id", SortField::Id),
    ("customer_id", SortField::CustomerId),
    ("is_marked", SortField::IsMarked),
    ("language", SortField::Language),
];

/// The order of the list: fields with directions, then the primary key as
/// the tie-breaker (in the first field's direction) so that pages never
/// overlap or skip rows. Empty means the default, newest first.
///
/// Ascending puts rows without the field last (as `PostgreSQL` does); descending
/// is the exact reverse of ascending, so those rows come first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Ordering {
    fields: Vec<(SortField, bool)>,
}

/// A parsed list request: which rows, in which order.
#[derive(Debug, Default)]
pub(super) struct ListRequest {
    pub filter: Filter,
    pub ordering: Ordering,
}

impl ListRequest {
    /// Whether rows carry their tickets.
    pub(super) fn include_tickets(&self) -> bool {
        self.filter.include_tickets
    }
}

/// The three parameters judged here rather than by the shared schema.
const OWN_PARAMETERS: &[&str] = &["env", "environment", "include_tickets", "ordering"];

/// Reads the filter parameters of a list request (others, like `page`, are ignored).
///
/// # Errors
/// Every refused parameter as DRF's field map.
pub(super) fn parse(pairs: &[(String, String)]) -> Result<ListRequest, ApiError> {
    let environment = params::environment(pairs);
    let include_tickets = params::include_tickets(pairs);
    let shared = pairs
        .iter()
        .filter(|(k, _)| !OWN_PARAMETERS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let query = Query::from_wire_params(AGENTSIGHT_FILTERS, AGENTSIGHT_ALIASES, shared);
    let mut errors: Vec<(String, String)> = match &query {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(wire_message).collect(),
    };
    for refusal in [environment.as_ref().err(), include_tickets.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if let ApiError::Fields(fields) = refusal {
            errors.extend(fields.iter().cloned());
        }
    }
    let (Ok(query), Ok(environment), Ok(include_tickets), true) =
        (query, environment, include_tickets, errors.is_empty())
    else {
        return Err(ApiError::Fields(errors));
    };
    let mut request = ListRequest {
        ordering: Ordering {
            fields: params::ordering(pairs, SORT_FIELDS),
        },
        ..ListRequest::default()
    };
    let f = &mut request.filter;
    f.environment = environment;
    f.include_tickets = include_tickets;
    let mut metadata_key = None;
    let mut metadata_value = None;
    for (spec, value, _) in query.iter() {
        match (spec.key, value) {
            ("search", FilterValue::Text(t)) => f.search = Some(t.to_lowercase()),
            ("name", FilterValue::Text(t)) => f.name = Some(t.to_lowercase()),
            ("customer_id__icontains", FilterValue::Text(t)) => {
                f.customer_id_contains = Some(t.to_lowercase());
            }
            ("message_contains", FilterValue::Text(t)) => {
                f.message_contains = Some(t.to_lowercase());
            }
            ("conversation_id", FilterValue::Text(t)) => f.conversation_id = Some(t.clone()),
            ("customer_id", FilterValue::Text(t)) => f.customer_id = Some(t.clone()),
            ("device", FilterValue::Text(t)) => f.device = Some(t.clone()),
            ("language", FilterValue::Text(t)) => f.language = Some(t.clone()),
            ("customer_ip_address", FilterValue::Text(t)) => {
                f.customer_ip_address = Some(t.clone());
            }
            ("action_name", FilterValue::Text(t)) => f.action_name = Some(t.to_lowercase()),
            ("is_marked", FilterValue::Bool(b)) => f.is_marked = Some(*b),
            ("include_deleted", FilterValue::Bool(b)) => f.include_deleted = *b,
            ("started_at_after", FilterValue::Date(DateSpec::At(t))) => {
                f.started_after = Some(*t);
            }
            ("started_at_before", FilterValue::Date(DateSpec::At(t))) => {
                f.started_before = Some(*t);
            }
            ("has_messages", FilterValue::Bool(b)) => f.has_messages = Some(*b),
            ("has_action", FilterValue::Bool(b)) => f.has_action = Some(*b),
            ("has_feedback", FilterValue::Bool(b)) => f.has_feedback = Some(*b),
            ("feedback_sentiment", FilterValue::Choice(c)) => {
                f.feedback_sentiment = Some(sentiment_bit(c));
            }
            ("metadata", FilterValue::MetadataPairs(pairs)) => {
                f.metadata
                    .extend(pairs.iter().map(|(k, v)| (k.clone(), typed_value(v))));
            }
            ("metadata_key", FilterValue::Text(t)) => metadata_key = Some(t.clone()),
            ("metadata_value", FilterValue::Text(t)) => metadata_value = Some(t.clone()),
            // The schema has no other filters; a new one reaches here only
            // until it is given its meaning above.
            _ => {}
        }
    }
    // The key alone does not filter, nor the value alone: only the two together.
    if let (Some(key), Some(value)) = (metadata_key, metadata_value) {
        f.metadata.push((key, typed_value(&value)));
    }
    f.metadata_needles = Needles::new(&f.metadata);
    Ok(request)
}

/// An error in the words DRF and django-filter use for the same mistakes.
fn wire_message(error: &QueryError) -> (String, String) {
    let kind = AGENTSIGHT_FILTERS
        .iter()
        .find(|s| {
            s.key == error.key
                || AGENTSIGHT_ALIASES
                    .iter()
                    .any(|(a, k)| *a == error.key && *k == s.key)
        })
        .map(|s| s.kind);
    let message = if error.reason.contains("control character") {
        "Null characters are not allowed.".to_owned()
    } else {
        match kind {
            Some(FilterKind::Choice(_)) => format!(
                "Select a valid choice. {} is not one of the available choices.",
                error.value
            ),
            Some(FilterKind::TriState) => {
                format!(
                    "\"{}\" is not a valid boolean; use true or false.",
                    error.value
                )
            }
            Some(FilterKind::Date(_)) => "Enter a valid date/time.".to_owned(),
            Some(FilterKind::IpAddress) => "Enter a valid IPv4 or IPv6 address.".to_owned(),
            _ => format!("{:?} {}", error.value, error.reason),
        }
    };
    (error.key.clone(), message)
}

impl Filter {
    /// Whether a conversation is in the result set.
    pub(super) fn matches(&self, r: &Record) -> bool {
        let d = &r.derived;
        let head = &r.head;
        let contains =
            |hay: &Option<String>, needle: &str| hay.as_deref().is_some_and(|h| h.contains(needle));
        let equals = |field: &Option<String>, wanted: &Option<String>| {
            wanted
                .as_deref()
                .is_none_or(|w| field.as_deref() == Some(w))
        };
        let tri = |wanted: Option<bool>, has: bool| wanted.is_none_or(|w| has == w);

        (self.include_deleted || !d.deleted)
            && self.search.as_deref().is_none_or(|s| {
                contains(&d.conversation_id_lower, s)
                    || contains(&d.name_lower, s)
                    || contains(&d.customer_id_lower, s)
                    || d.messages_lower.contains(s)
            })
            && self
                .name
                .as_deref()
                .is_none_or(|s| contains(&d.name_lower, s))
            && self
                .customer_id_contains
                .as_deref()
                .is_none_or(|s| contains(&d.customer_id_lower, s))
            && self
                .message_contains
                .as_deref()
                .is_none_or(|s| d.messages_lower.contains(s))
            && equals(&head.conversation_id, &self.conversation_id)
            && equals(&head.customer_id, &self.customer_id)
            && equals(&head.device, &self.device)
            && equals(&head.language, &self.language)
            && equals(&head.customer_ip_address, &self.customer_ip_address)
            && self
                .action_name
                .as_deref()
                .is_none_or(|a| d.actions_lower.contains(a))
            && self
                .environment
                .is_none_or(|e| head.environment.as_deref() == Some(e))
            && self
                .is_marked
                .is_none_or(|m| head.is_marked.unwrap_or(false) == m)
            && self
                .started_after
                .is_none_or(|t| d.started_at.is_some_and(|s| s >= t))
            && self
                .started_before
                .is_none_or(|t| d.started_at.is_some_and(|s| s <= t))
            && tri(self.has_messages, !r.messages().is_empty())
            && tri(self.has_action, r.has_action())
            && tri(self.has_feedback, d.feedback_count > 0)
            && self
                .feedback_sentiment
                .is_none_or(|bit| d.sentiments & bit != 0)
            && self.metadata_matches(r)
            && (!self.include_tickets || !r.tickets().is_empty())
    }

    /// Whether nothing narrows the rows beyond hiding soft-deleted ones (or
    /// not, with `include_deleted`), so the precomputed default list is the answer.
    pub(super) fn is_trivial(&self) -> bool {
        let Self {
            search,
            name,
            customer_id_contains,
            message_contains,
            conversation_id,
            customer_id,
            device,
            language,
            customer_ip_address,
            action_name,
            environment,
            is_marked,
            include_deleted: _,
            started_after,
            started_before,
            has_messages,
            has_action,
            has_feedback,
            feedback_sentiment,
            metadata,
            metadata_needles: _,
            include_tickets,
        } = self;
        search.is_none()
            && name.is_none()
            && customer_id_contains.is_none()
            && message_contains.is_none()
            && conversation_id.is_none()
            && customer_id.is_none()
            && device.is_none()
            && language.is_none()
            && customer_ip_address.is_none()
            && action_name.is_none()
            && environment.is_none()
            && is_marked.is_none()
            && started_after.is_none()
            && started_before.is_none()
            && has_messages.is_none()
            && has_action.is_none()
            && has_feedback.is_none()
            && feedback_sentiment.is_none()
            && metadata.is_empty()
            && !include_tickets
    }

    /// Whether soft-deleted rows are asked for.
    pub(super) fn include_deleted(&self) -> bool {
        self.include_deleted
    }

    /// The metadata filters: through the flattened index when the record has
    /// one, else by walking the value.
    fn metadata_matches(&self, r: &Record) -> bool {
        if self.metadata.is_empty() {
            return true;
        }
        if let Some(index) = &r.derived.metadata_index {
            return index.matches(&self.metadata_needles);
        }
        let metadata = r.head.metadata.as_ref();
        self.metadata.iter().all(|(key, wanted)| {
            metadata
                .and_then(|m| metadata_at(m, key))
                .is_some_and(|v| same_typed(v, wanted))
        })
    }
}

impl Ordering {
    /// Whether this is the default order (newest first).
    pub(super) fn is_default(&self) -> bool {
        self.fields.is_empty()
    }

    /// Compares two rows in this order.
    pub(super) fn compare(&self, a: &Record, b: &Record) -> CmpOrdering {
        if self.fields.is_empty() {
            return compare_field(SortField::StartedAt, a, b)
                .then(a.derived.pk.cmp(&b.derived.pk))
                .reverse();
        }
        let mut order = CmpOrdering::Equal;
        for (field, descending) in &self.fields {
            let one = compare_field(*field, a, b);
            order = order.then(if *descending { one.reverse() } else { one });
        }
        let tie = a.derived.pk.cmp(&b.derived.pk);
        let first_descending = self.fields.first().is_some_and(|(_, d)| *d);
        order.then(if first_descending { tie.reverse() } else { tie })
    }
}

/// One field, ascending, missing values last.
fn compare_field(field: SortField, a: &Record, b: &Record) -> CmpOrdering {
    match field {
        SortField::StartedAt => nulls_last(a.derived.started_at, b.derived.started_at),
        SortField::EndedAt => nulls_last(a.derived.ended_at, b.derived.ended_at),
        SortField::Id => a.derived.pk.cmp(&b.derived.pk),
        SortField::CustomerId => {
            nulls_last(a.head.customer_id.as_deref(), b.head.customer_id.as_deref())
        }
        SortField::IsMarked => a
            .head
            .is_marked
            .unwrap_or(false)
            .cmp(&b.head.is_marked.unwrap_or(false)),
        SortField::Language => nulls_last(a.head.language.as_deref(), b.head.language.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn filter_values_are_typed_as_they_look() {
        assert!(same_typed(&json!(1), &typed_value("1")));
        assert!(same_typed(&json!(1.0), &typed_value("1")));
        assert!(!same_typed(&json!("1"), &typed_value("1")));
        assert!(same_typed(&json!("1"), &typed_value("\"1\"")));
        assert!(same_typed(&json!(true), &typed_value("true")));
        assert!(same_typed(&json!(null), &typed_value("null")));
        assert!(same_typed(&json!("gold"), &typed_value("gold")));
        assert!(!same_typed(&json!([1]), &typed_value("[1]")));
        assert_eq!(metadata_at(&json!({"a": {"b": 3}}), "a.b"), Some(&json!(3)));
    }

    #[test]
    fn every_bad_parameter_is_reported_in_drf_words() {
        let Err(ApiError::Fields(errors)) = parse(&pairs(&[
            ("feedback_sentiment", "angry"),
            ("is_marked", "maybe"),
            ("started_at_after", "yesterday"),
            ("environment", "staging"),
            ("include_tickets", "y"),
            ("page", "x"),
            ("feedback_source", "bot"),
            ("ordering", "name"),
        ])) else {
            panic!("refused")
        };
        let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "feedback_sentiment",
                "is_marked",
                "started_at_after",
                "environment",
                "include_tickets"
            ]
        );
        assert_eq!(
            errors[3].1,
            "Select a valid choice. staging is not one of the available choices."
        );
    }

    #[test]
    fn unknown_orderings_fall_back_to_newest_first() {
        assert!(
            parse(&pairs(&[("ordering", "-name")]))
                .unwrap()
                .ordering
                .is_default()
        );
        let request = parse(&pairs(&[("ordering", "-language,is_marked")])).unwrap();
        assert_eq!(
            request.ordering.fields,
            vec![(SortField::Language, true), (SortField::IsMarked, false)]
        );
    }
}
