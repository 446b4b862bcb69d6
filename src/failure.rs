//! Why a command failed: the line to print and the exit code, and how lower errors become one.

/// Why a command failed: the line to print and the exit code.
#[derive(Debug, PartialEq, Eq)]
pub struct Failure {
    /// One line for stderr, after `convo: `.
    pub message: String,
    /// 1 runtime, 2 usage, 3 auth, 4 not found.
    pub code: u8,
}

impl Failure {
    /// A usage error (exit 2).
    #[must_use]
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    /// A runtime error (exit 1).
    #[must_use]
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
}

impl From<crate::provider::Error> for Failure {
    fn from(e: crate::provider::Error) -> Self {
        Self {
            code: e.exit_code(),
            message: for_the_command_line(&e.to_string()),
        }
    }
}

// The conversion lives here, not beside `ConfigError`, so that config sits
// below cli and never names it.
impl From<crate::config::ConfigError> for Failure {
    fn from(e: crate::config::ConfigError) -> Self {
        Self::usage(e.to_string())
    }
}

/// An error line reworded for a command, where the browser's advice
/// ("retry with r") means nothing: there is no `r` to press.
fn for_the_command_line(line: &str) -> String {
    line.replace("retry with r", "run the command again")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::provider::Error;

    #[test]
    fn headless_errors_never_tell_to_press_r() {
        let retryable = [
            Error::Server {
                status: 502,
                detail: "Bad Gateway".to_owned(),
            },
            Error::Throttled {
                detail: "slow down".to_owned(),
                retry_after: Some(Duration::from_secs(3)),
            },
            Error::Throttled {
                detail: "slow down".to_owned(),
                retry_after: None,
            },
            Error::Timeout {
                host: "h".to_owned(),
                after: Duration::from_secs(15),
            },
            Error::Network {
                host: "h".to_owned(),
                detail: "reset".to_owned(),
            },
        ];
        for error in retryable {
            let failure = Failure::from(error.clone());
            assert!(
                !failure.message.contains("with r")
                    && failure.message.contains("run the command again"),
                "{failure:?}"
            );
            assert_eq!(failure.code, error.exit_code());
        }
    }
}
