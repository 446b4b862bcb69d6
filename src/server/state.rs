//! What every handler shares: the store behind its lock, the server's settings and address, the fault dice.

use std::net::SocketAddr;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::ServerConfig;
use super::faults::Faults;
use super::files::FileHost;
use super::store::Store;
use crate::provider::model::Conversation;

/// What every handler shares.
#[derive(Debug)]
pub(super) struct AppState {
    store: RwLock<Store>,
    pub config: ServerConfig,
    /// Where the server listens; the host of page links when a request has no `Host`.
    pub addr: SocketAddr,
    pub(super) faults: Faults,
    /// The files behind the attachments, and the key their links are signed with.
    pub(super) files: Arc<FileHost>,
}

impl AppState {
    pub(super) fn new(
        conversations: Vec<Conversation>,
        config: ServerConfig,
        addr: SocketAddr,
    ) -> std::io::Result<Self> {
        let faults = Faults::new(config.fault_seed, config.fail_rate, config.throttle_rate);
        let store = Store::new(conversations);
        let files = Arc::new(FileHost::new(
            &store,
            addr,
            config.file_url_ttl,
            config.bad_files,
        )?);
        Ok(Self {
            store: RwLock::new(store),
            config,
            addr,
            faults,
            files,
        })
    }

    // A panic while holding the lock cannot leave the store half-written in a
    // way later reads would trip over (writes are single assignments), so a
    // poisoned lock is used as it is.
    pub(super) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }
}
