//! Who is calling: the keys the server takes, each with its role and name, and the refusal of a write to a read key.

use axum::http::StatusCode;

use super::ServerConfig;
use super::args::{DEMO_API_KEY, DEMO_READ_API_KEY, Role};
use super::reply::ApiError;

/// DRF's words when a key's role does not allow the request.
pub(super) const NO_PERMISSION: &str = "You do not have permission to perform this action.";

/// The key a request authenticated with: what it may do, and the name its writes are authored as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Caller {
    pub role: Role,
    pub name: &'static str,
}

impl Caller {
    /// 403 for a read key, before the body is looked at (DRF checks permissions first).
    pub(super) fn require_write(self) -> Result<(), ApiError> {
        match self.role {
            Role::Write => Ok(()),
            Role::Read => Err(ApiError::Detail(
                StatusCode::FORBIDDEN,
                NO_PERMISSION.to_owned(),
            )),
        }
    }
}

/// The caller a sent key stands for, if the server takes it: the configured
/// key with its role, and, while that key is the public demo key, the demo
/// read key too (a server given a secret answers that secret only).
pub(super) fn caller(config: &ServerConfig, sent: &str) -> Option<Caller> {
    if sent == config.api_key {
        let name = if config.api_key == DEMO_API_KEY {
            "Demo key"
        } else {
            "API key"
        };
        return Some(Caller {
            role: config.role,
            name,
        });
    }
    (config.api_key == DEMO_API_KEY && sent == DEMO_READ_API_KEY).then_some(Caller {
        role: Role::Read,
        name: "Demo read key",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_read_key_is_taken_only_beside_the_demo_key() {
        let demo = ServerConfig::default();
        assert_eq!(
            caller(&demo, DEMO_API_KEY).map(|c| c.role),
            Some(Role::Write)
        );
        assert_eq!(
            caller(&demo, DEMO_READ_API_KEY).map(|c| c.role),
            Some(Role::Read)
        );
        assert_eq!(caller(&demo, "ags_x"), None);
        let private = ServerConfig {
            api_key: "ags_0123456789abcdef0123456789abcdef_abc123".to_owned(),
            role: Role::Read,
            ..ServerConfig::default()
        };
        assert_eq!(caller(&private, DEMO_READ_API_KEY), None);
        assert_eq!(caller(&private, DEMO_API_KEY), None);
        assert_eq!(
            caller(&private, &private.api_key).map(|c| c.role),
            Some(Role::Read),
            "--role applies to the key given"
        );
    }
}
