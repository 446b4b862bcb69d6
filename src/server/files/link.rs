//! Signed file links: `/files/<id>/<name>?expires=<unix>&sig=<hex>`, an HMAC-SHA256 over the attachment id and the expiry, keyed by a secret drawn for each run.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a link lives by default, as on the hosted service.
pub const DEFAULT_TTL: Duration = Duration::from_secs(3_600);

/// Why a link is refused (each answers 403).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Refused {
    Expired,
    Forged,
}

/// Signs and checks links with this run's secret.
pub(super) struct Signer {
    key: [u8; 32],
    ttl: Duration,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Signer")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer with a fresh random key.
    ///
    /// # Errors
    /// The system has no randomness to give.
    pub(super) fn new(ttl: Duration) -> std::io::Result<Self> {
        let mut key = [0_u8; 32];
        OsRng.try_fill_bytes(&mut key).map_err(|e| {
            std::io::Error::other(format!("cannot draw a key to sign file links: {e}"))
        })?;
        Ok(Self { key, ttl })
    }

    fn mac(&self, id: i64, expires: u64) -> HmacSha256 {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(format!("{id}.{expires}").as_bytes());
        mac
    }

    /// The signature of (id, expiry) in lowercase hex.
    fn sign(&self, id: i64, expires: u64) -> String {
        let tag = self.mac(id, expires).finalize().into_bytes();
        tag.iter().fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }

    /// `http://<host>/files/<id>/<name>?expires=…&sig=…`, valid for the TTL from now.
    pub(super) fn url(&self, host: &str, id: i64, file_name: &str) -> String {
        let expires = unix_now().saturating_add(self.ttl.as_secs());
        format!(
            "http://{host}/files/{id}/{}?expires={expires}&sig={}",
            encode(file_name),
            self.sign(id, expires)
        )
    }

    /// Whether `sig` signs (id, expires) and `expires` is still ahead.
    pub(super) fn check(&self, id: i64, expires: u64, sig: &str) -> Result<(), Refused> {
        let Some(tag) = decode_hex(sig) else {
            return Err(Refused::Forged);
        };
        // Constant-time comparison, so the signature cannot be guessed byte by byte.
        self.mac(id, expires)
            .verify_slice(&tag)
            .map_err(|_| Refused::Forged)?;
        if expires <= unix_now() {
            return Err(Refused::Expired);
        }
        Ok(())
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A file name as one path segment: unreserved bytes kept, everything else percent-encoded.
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    if out.is_empty() {
        "file".to_owned()
    } else {
        out
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_checks_until_it_expires_and_never_when_changed() {
        let signer = Signer::new(DEFAULT_TTL).unwrap_or_else(|e| panic!("{e}"));
        let expires = unix_now() + 60;
        let sig = signer.sign(7, expires);
        assert_eq!(signer.check(7, expires, &sig), Ok(()));
        assert_eq!(signer.check(8, expires, &sig), Err(Refused::Forged));
        assert_eq!(signer.check(7, expires + 1, &sig), Err(Refused::Forged));
        assert_eq!(signer.check(7, expires, "zz"), Err(Refused::Forged));
        let past = unix_now() - 1;
        assert_eq!(
            signer.check(7, past, &signer.sign(7, past)),
            Err(Refused::Expired)
        );
        let other = Signer::new(DEFAULT_TTL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.check(7, expires, &sig), Err(Refused::Forged));
    }

    #[test]
    fn names_are_one_segment() {
        assert_eq!(encode("../a b.png"), "..%2Fa%20b.png");
        assert_eq!(encode(""), "file");
    }
}
