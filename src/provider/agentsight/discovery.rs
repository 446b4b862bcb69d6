//! Metadata discovery: which metadata keys conversations and messages carry, and which values one key holds, for suggesting filters.
//!
//! The live routes answer `{"keys":[…]}` and `{"key":…,"values":[…]}`; older
//! servers answered bare arrays. Both read the same.

use serde_json::Value;

use super::{AgentSight, LIST_PATH};
use crate::provider::Error;

impl AgentSight {
    /// The metadata keys of recent conversations (or of their messages), as
    /// dot paths for nested ones.
    ///
    /// # Errors
    /// Any request error, or an answer that holds no list of keys.
    pub async fn metadata_keys(&self, of_messages: bool) -> Result<Vec<String>, Error> {
        let route = if of_messages {
            "message-metadata-keys/"
        } else {
            "metadata-keys/"
        };
        let path = format!("{LIST_PATH}{route}");
        let what = format!("{path} at {}", self.endpoint());
        let value: Value = self.get(&path, &[], &what).await?;
        let keys = listed(value, "keys", &path)?;
        Ok(keys
            .into_iter()
            .map(|key| match key {
                Value::String(text) => text,
                other => other.to_string(),
            })
            .collect())
    }

    /// The values recent conversations hold under one metadata key, typed as
    /// stored (a number stays a number).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a blank key (nothing is sent); any request
    /// error, or an answer that holds no list of values.
    pub async fn metadata_values(&self, key: &str) -> Result<Vec<Value>, Error> {
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::InvalidInput(
                "a metadata key is needed (like tier or plan.name)".to_owned(),
            ));
        }
        let path = format!("{LIST_PATH}metadata-values/");
        let what = format!("{path} at {}", self.endpoint());
        let value: Value = self.get(&path, &[("key", key.to_owned())], &what).await?;
        listed(value, "values", &path)
    }
}

/// The list under `field`, or the answer itself when it is a bare array.
fn listed(value: Value, field: &str, path: &str) -> Result<Vec<Value>, Error> {
    match value {
        Value::Array(items) => Ok(items),
        Value::Object(mut map) => match map.remove(field) {
            Some(Value::Array(items)) => Ok(items),
            Some(Value::Null) | None => Err(Error::Decode {
                detail: format!("{path} answered an object without \"{field}\""),
            }),
            Some(_) => Err(Error::Decode {
                detail: format!("{path} answered \"{field}\" that is not a list"),
            }),
        },
        _ => Err(Error::Decode {
            detail: format!("{path} answered neither a list nor an object"),
        }),
    }
}
