//! The `AgentSight` API key: its shape, checked before anything is sent (its masked form is [`crate::provider::http::mask_key`]).

use crate::provider::Error;

/// The environment variable the key comes from, named in every key error.
pub const KEY_ENV: &str = "AGENTSIGHT_API_KEY";

/// The shape a key must have, as the error message words it.
pub const KEY_SHAPE: &str = "ags_ + 32 hex + _ + 6 hex";

const PREFIX: &str = "ags_";
const SECRET_HEX: usize = 32;
const CHECKSUM_HEX: usize = 6;

/// Whether `key` has the shape `^ags_[0-9a-f]{32}_[0-9a-f]{6}$`, any case.
///
/// The backend refuses any other shape before it looks the key up, so a
/// malformed key is refused here and never travels.
#[must_use]
pub fn is_valid_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    if bytes.len() != PREFIX.len() + SECRET_HEX + 1 + CHECKSUM_HEX
        || !bytes[..PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes())
    {
        return false;
    }
    let rest = &bytes[PREFIX.len()..];
    let (secret, tail) = rest.split_at(SECRET_HEX);
    secret.iter().all(u8::is_ascii_hexdigit)
        && tail.first() == Some(&b'_')
        && tail[1..].iter().all(u8::is_ascii_hexdigit)
}

/// Checks a configured key: blank counts as absent, surrounding whitespace
/// (a trailing newline from a key file) is dropped.
///
/// # Errors
/// [`Error::MissingKey`] without a key, [`Error::InvalidKey`] for another shape.
pub fn check_key(key: Option<&str>) -> Result<String, Error> {
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    match key {
        None => Err(Error::MissingKey { env: KEY_ENV }),
        Some(k) if is_valid_key(k) => Ok(k.to_owned()),
        Some(_) => Err(Error::InvalidKey {
            expected: KEY_SHAPE,
            env: KEY_ENV,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "ags_0123456789abcdef0123456789abcdef_abc123";

    #[test]
    fn the_documented_shape_is_accepted_in_any_case() {
        assert!(is_valid_key(GOOD));
        assert!(is_valid_key(&GOOD.to_ascii_uppercase()));
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            "",
            "ags_",
            "ags_0123456789abcdef0123456789abcdef_abc12",
            "ags_0123456789abcdef0123456789abcdef_abc1234",
            "ags_0123456789abcdef0123456789abcdeg_abc123",
            "ags-0123456789abcdef0123456789abcdef_abc123",
            "xgs_0123456789abcdef0123456789abcdef_abc123",
            "ags_0123456789abcdef0123456789abcdef-abc123",
            "ags_0123456789abcdef0123456789abcdé_abc123",
            "Bearer ags_0123456789abcdef0123456789abcdef_abc123",
        ] {
            assert!(!is_valid_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn check_key_trims_and_names_the_variable() {
        assert_eq!(check_key(Some(&format!(" {GOOD}\n"))), Ok(GOOD.to_owned()));
        assert_eq!(check_key(None), Err(Error::MissingKey { env: KEY_ENV }));
        assert_eq!(
            check_key(Some("  ")),
            Err(Error::MissingKey { env: KEY_ENV })
        );
        let err = check_key(Some("ags_nope")).unwrap_err();
        assert!(err.to_string().contains(KEY_SHAPE), "{err}");
        assert!(err.to_string().contains(KEY_ENV), "{err}");
    }
}
