//! The profiles `P` offers and how the browser connects to another one without restarting.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::provider::{Provider, ProviderInfo, ProviderKind, Query};

/// What the header says about where the data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The profile name (`demo`, `default`, …).
    pub profile: String,
    /// Which API and host.
    pub provider: ProviderInfo,
}

/// One profile as the picker lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileEntry {
    /// Its name in the config (`prod`, `voice`, `demo`…).
    pub name: String,
    /// Which API it talks to.
    pub provider: ProviderKind,
    /// Where: the endpoint's host, or what the config says of it.
    pub detail: String,
}

/// A profile connected and ready to take over the browser.
#[derive(Clone)]
pub struct Connected {
    /// The API to talk to from now on.
    pub provider: Arc<dyn Provider>,
    /// What the header says.
    pub source: Source,
    /// An empty query over the provider's filters.
    pub query: Query,
}

impl fmt::Debug for Connected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connected")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Where the profiles come from: the config file, or the demo's two APIs.
#[async_trait]
pub trait Profiles: Send + Sync {
    /// Every profile, in the order the picker shows them.
    fn entries(&self) -> Vec<ProfileEntry>;

    /// Connects to a profile (fetching its key, which may run `api_key_cmd`).
    ///
    /// # Errors
    /// Why it cannot be used, in one line (never a key).
    async fn connect(&self, name: &str) -> Result<Connected, String>;
}
