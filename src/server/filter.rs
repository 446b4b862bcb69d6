//! The list route's filters and orderings: what each one means, in one place.
//!
//! Parameters are validated by the same [`Query`] schema the client uses
//! (`Query::from_wire_params`), then turned into a [`Filter`] whose
//! [`Filter::matches`] reads only precomputed or borrowed data, so a request
//! over 10,000 conversations allocates nothing per row.

use std::borrow::Cow;
use std::cmp::Ordering as CmpOrdering;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::metaindex::Needles;
use super::store::Record;
use crate::provider::query::{
    AGENTSIGHT_ALIASES, AGENTSIGHT_FILTERS, DateSpec, FilterKind, FilterValue, Query, QueryError,
};

/// The conversations a list request asks for. Every set filter must hold (AND).
#[derive(Debug, Default)]
pub struct Filter {
    /// `search`: lowercased; a substring of the conversation id, name or customer id.
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
    /// `action_name`: some message has exactly this action name.
    action_name: Option<String>,
    /// `env`/`environment`: the canonical environment (`prod` → `production`,
    /// `dev` → `development`), equal to the stored one.
    environment: Option<&'static str>,
    /// `is_marked`: the flag equals this; a missing flag counts as unmarked.
    is_marked: Option<bool>,
    /// `include_deleted`: soft-deleted rows (`is_deleted: true`) are left out unless this is true.
    include_deleted: bool,
    /// `started_at_after`: inclusive; rows without a (readable) start are left out.
    started_after: Option<DateTime<Utc>>,
    /// `started_at_before`: inclusive; rows without a (readable) start are left out.
    started_before: Option<DateTime<Utc>>,
    /// `has_messages`: true = at least one message, false = none.
    has_messages: Option<bool>,
    /// `has_action`: true = some message has a non-empty `action_name`, false = none has.
    has_action: Option<bool>,
    /// `has_feedback`: true = at least one feedback, false = none.
    has_feedback: Option<bool>,
    /// `feedback_sentiment`: some feedback has this sentiment.
    feedback_sentiment: Option<&'static str>,
    /// `feedback_source`: some feedback has this source.
    feedback_source: Option<&'static str>,
    /// `metadata`: every `key:value` pair holds — the value at the (dotted) key,
    /// as text ([`metadata_text`]), equals the given value.
    metadata: Vec<(String, String)>,
    /// `metadata_key`: alone, the (dotted) key exists (whatever its value);
    /// with `metadata_value`, the value at that key equals it.
    metadata_key: Option<String>,
    /// `metadata_value`: alone, some top-level value equals it as text.
    metadata_value: Option<String>,
    /// The three metadata filters as index entries (see [`super::metaindex`]).
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
    Name,
    CustomerId,
}

/// The order of the list: a field, a direction, and the primary key as the
/// tie-breaker so that pages never overlap or skip rows.
///
/// Ascending puts rows without the field last (as `PostgreSQL` does); descending
/// is the exact reverse of ascending, so those rows come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ordering {
    field: SortField,
    descending: bool,
}

impl Default for Ordering {
    /// Newest first.
    fn default() -> Self {
        Self {
            field: SortField::StartedAt,
            descending: true,
        }
    }
}

/// A parsed list request: which rows, in which order.
#[derive(Debug, Default)]
pub struct ListRequest {
    pub filter: Filter,
    pub ordering: Ordering,
}

impl ListRequest {
    /// Whether rows carry their tickets.
    pub fn include_tickets(&self) -> bool {
        self.filter.include_tickets
    }
}

/// Reads the filter parameters of a list request (others, like `page`, are ignored).
///
/// # Errors
/// Every refused parameter, as `(name as sent, message)`, in the order sent.
pub fn parse<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<ListRequest, Vec<(String, String)>> {
    let query = Query::from_wire_params(AGENTSIGHT_FILTERS, AGENTSIGHT_ALIASES, pairs)
        .map_err(|errors| errors.iter().map(wire_message).collect::<Vec<_>>())?;
    let mut request = ListRequest::default();
    let f = &mut request.filter;
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
            ("action_name", FilterValue::Text(t)) => f.action_name = Some(t.clone()),
            ("env", FilterValue::Choice(c)) => {
                f.environment = Some(match *c {
                    "prod" | "production" => "production",
                    _ => "development",
                });
            }
            ("is_marked", FilterValue::Bool(b)) => f.is_marked = Some(*b),
            ("include_deleted", FilterValue::Bool(b)) => f.include_deleted = *b,
            ("include_tickets", FilterValue::Bool(b)) => f.include_tickets = *b,
            ("started_at_after", FilterValue::Date(DateSpec::At(t))) => {
                f.started_after = Some(*t);
            }
            ("started_at_before", FilterValue::Date(DateSpec::At(t))) => {
                f.started_before = Some(*t);
            }
            ("has_messages", FilterValue::Bool(b)) => f.has_messages = Some(*b),
            ("has_action", FilterValue::Bool(b)) => f.has_action = Some(*b),
            ("has_feedback", FilterValue::Bool(b)) => f.has_feedback = Some(*b),
            ("feedback_sentiment", FilterValue::Choice(c)) => f.feedback_sentiment = Some(c),
            ("feedback_source", FilterValue::Choice(c)) => f.feedback_source = Some(c),
            ("metadata", FilterValue::MetadataPairs(pairs)) => f.metadata.clone_from(pairs),
            ("metadata_key", FilterValue::Text(t)) => f.metadata_key = Some(t.clone()),
            ("metadata_value", FilterValue::Text(t)) => f.metadata_value = Some(t.clone()),
            ("ordering", FilterValue::Choice(c)) => request.ordering = ordering(c),
            // The schema has no other filters; a new one reaches here only
            // until it is given its meaning above.
            _ => {}
        }
    }
    let f = &mut request.filter;
    f.metadata_needles = Needles::new(
        &f.metadata,
        f.metadata_key.as_deref(),
        f.metadata_value.as_deref(),
    );
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

fn ordering(choice: &str) -> Ordering {
    let (descending, name) = match choice.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, choice),
    };
    let field = match name {
        "ended_at" => SortField::EndedAt,
        "id" => SortField::Id,
        "name" => SortField::Name,
        "customer_id" => SortField::CustomerId,
        _ => SortField::StartedAt,
    };
    Ordering { field, descending }
}

impl Filter {
    /// Whether a conversation is in the result set.
    pub fn matches(&self, r: &Record) -> bool {
        let d = &r.derived;
        let head = &r.head;
        let contains =
            |hay: &Option<String>, needle: &str| hay.as_deref().is_some_and(|h| h.contains(needle));
        let equals = |field: &Option<String>, wanted: &Option<String>| {
            wanted
                .as_deref()
                .is_none_or(|w| field.as_deref() == Some(w))
        };
        let tri = |wanted: Option<bool>, has: &dyn Fn() -> bool| wanted.is_none_or(|w| has() == w);

        (self.include_deleted || !d.deleted)
            && self.search.as_deref().is_none_or(|s| {
                contains(&d.conversation_id_lower, s)
                    || contains(&d.name_lower, s)
                    || contains(&d.customer_id_lower, s)
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
            && self.action_name.as_deref().is_none_or(|a| {
                r.messages()
                    .iter()
                    .any(|m| m.action_name.as_deref() == Some(a))
            })
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
            && tri(self.has_messages, &|| !r.messages().is_empty())
            && tri(self.has_action, &|| {
                r.messages()
                    .iter()
                    .any(|m| m.action_name.as_deref().is_some_and(|a| !a.is_empty()))
            })
            && tri(self.has_feedback, &|| !r.feedbacks().is_empty())
            && self.feedback_sentiment.is_none_or(|s| {
                r.feedbacks()
                    .iter()
                    .any(|f| f.sentiment.as_deref() == Some(s))
            })
            && self
                .feedback_source
                .is_none_or(|s| r.feedbacks().iter().any(|f| f.source.as_deref() == Some(s)))
            && self.metadata_matches(r)
            && (!self.include_tickets || !r.tickets().is_empty())
    }

    /// `metadata`, `metadata_key` and `metadata_value` together: through the
    /// flattened index when the record has one, else by walking the value.
    fn metadata_matches(&self, r: &Record) -> bool {
        if self.metadata.is_empty() && self.metadata_key.is_none() && self.metadata_value.is_none()
        {
            return true;
        }
        match &r.derived.metadata_index {
            Some(index) => index.matches(&self.metadata_needles),
            None => self.metadata_walk(r.head.metadata.as_ref()),
        }
    }

    /// The meaning of the metadata filters, read straight off the value.
    fn metadata_walk(&self, metadata: Option<&Value>) -> bool {
        let text_at = |key: &str| {
            metadata
                .and_then(|m| metadata_at(m, key))
                .and_then(metadata_text)
        };
        let pairs_hold = self
            .metadata
            .iter()
            .all(|(key, value)| text_at(key).is_some_and(|t| t == value.as_str()));
        let single = match (&self.metadata_key, &self.metadata_value) {
            (None, None) => true,
            (Some(key), None) => metadata.and_then(|m| metadata_at(m, key)).is_some(),
            (None, Some(value)) => metadata.and_then(Value::as_object).is_some_and(|m| {
                m.values()
                    .any(|v| metadata_text(v).is_some_and(|t| t == value.as_str()))
            }),
            (Some(key), Some(value)) => text_at(key).is_some_and(|t| t == value.as_str()),
        };
        pairs_hold && single
    }
}

/// The value at a dotted key (`analysis.sentiment`), walking nested objects.
pub fn metadata_at<'a>(metadata: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.')
        .try_fold(metadata, |value, part| value.as_object()?.get(part))
}

/// A metadata value as the filters compare it: strings as they are, numbers
/// as their JSON text, booleans as `true`/`false`; `null`, objects and arrays
/// have no text and match nothing.
pub fn metadata_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

impl Ordering {
    /// Compares two rows in this order.
    pub fn compare(self, a: &Record, b: &Record) -> CmpOrdering {
        let ascending = match self.field {
            SortField::StartedAt => nulls_last(a.derived.started_at, b.derived.started_at),
            SortField::EndedAt => nulls_last(a.derived.ended_at, b.derived.ended_at),
            SortField::Id => CmpOrdering::Equal,
            SortField::Name => nulls_last(a.head.name.as_deref(), b.head.name.as_deref()),
            SortField::CustomerId => {
                nulls_last(a.head.customer_id.as_deref(), b.head.customer_id.as_deref())
            }
        }
        .then(a.derived.pk.cmp(&b.derived.pk));
        if self.descending {
            ascending.reverse()
        } else {
            ascending
        }
    }
}

/// Ascending with missing values after every present one.
fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>) -> CmpOrdering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => CmpOrdering::Less,
        (None, Some(_)) => CmpOrdering::Greater,
        (None, None) => CmpOrdering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_keys_reach_nested_values_and_scalars_compare_as_text() {
        let m = json!({"a": {"b": {"c": 3}}, "flag": true, "x": null, "list": [1]});
        assert_eq!(metadata_at(&m, "a.b.c"), Some(&json!(3)));
        assert_eq!(metadata_at(&m, "a.z"), None);
        assert_eq!(metadata_at(&m, "flag.b"), None);
        assert_eq!(metadata_text(&json!(3)).as_deref(), Some("3"));
        assert_eq!(metadata_text(&json!(2.5)).as_deref(), Some("2.5"));
        assert_eq!(metadata_text(&json!(true)).as_deref(), Some("true"));
        assert_eq!(metadata_text(&json!(null)), None);
        assert_eq!(metadata_text(&json!([1])), None);
    }

    #[test]
    fn every_bad_parameter_is_reported_in_drf_words() {
        let errors = parse([
            ("feedback_sentiment", "angry"),
            ("is_marked", "maybe"),
            ("started_at_after", "yesterday"),
            ("environment", "staging"),
            ("page", "x"),
        ])
        .unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "feedback_sentiment",
                "is_marked",
                "started_at_after",
                "environment"
            ]
        );
        assert_eq!(
            errors[0].1,
            "Select a valid choice. angry is not one of the available choices."
        );
        assert_eq!(
            errors[3].1,
            "Select a valid choice. staging is not one of the available choices."
        );
    }

    #[test]
    fn orderings_parse_with_direction() {
        let request = parse([("ordering", "-name")]).unwrap();
        assert_eq!(
            request.ordering,
            Ordering {
                field: SortField::Name,
                descending: true
            }
        );
        assert_eq!(parse([]).unwrap().ordering, Ordering::default());
    }
}
