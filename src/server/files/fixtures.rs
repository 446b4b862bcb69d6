//! The bad files `convo serve --bad-files` adds, one conversation of them, so a client can be tested against each: larger than announced, a lying type, empty, a 20,000 × 20,000 PNG, binary "text", a link on another host, a redirect loop, names that climb out of a directory, and a big 2 MB photo.

use std::sync::OnceLock;

use axum::body::Bytes;
use serde_json::{Value, json};

use super::catalog::Sample;
use super::{Served, documents, pictures};
use crate::provider::model::Conversation;

/// The conversation's business id.
pub const CONVERSATION_ID: &str = "conv-bad-files";
/// Its primary key, far above any generated one.
pub const CONVERSATION_PK: i64 = 990_000_000;
/// The first fixture attachment's id; the others follow.
const FIRST_ID: i64 = 990_000_001;

/// Each fixture: (file name, type, MIME type, announced size, what is served).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixture {
    /// 4 KiB of text announced as 1 KiB, sent without `Content-Length`.
    LargerThanAnnounced,
    /// An "image/png" whose bytes are an HTML page.
    LyingType,
    /// Zero bytes.
    Empty,
    /// A 1-bit PNG of 20,000 × 20,000 pixels: some 50 KB that decode to 400 million pixels.
    HugeImage,
    /// "text/plain" that is binary noise (NUL, ESC, invalid UTF-8).
    BinaryText,
    /// A PDF whose link names another host than the API (`localhost` for `127.0.0.1` and back).
    OtherHost,
    /// A link that redirects to itself.
    RedirectLoop,
    /// A text file named `../../x.txt`.
    ClimbingName,
    /// A text file named `/etc/x`.
    AbsoluteName,
    /// Not bad, only big: a 2 MB photo (1,080 × 810, grainy), for a progress bar
    /// and for timing a preview. Made on its first request.
    LargePhoto,
}

impl Fixture {
    /// Every fixture, in attachment-id order.
    pub const ALL: [Fixture; 10] = [
        Fixture::LargerThanAnnounced,
        Fixture::LyingType,
        Fixture::Empty,
        Fixture::HugeImage,
        Fixture::BinaryText,
        Fixture::OtherHost,
        Fixture::RedirectLoop,
        Fixture::ClimbingName,
        Fixture::AbsoluteName,
        Fixture::LargePhoto,
    ];

    /// The attachment id it is served under.
    #[must_use]
    pub fn id(self) -> i64 {
        let at = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        FIRST_ID + i64::try_from(at).unwrap_or(0)
    }

    /// (file name, `type`, MIME type, announced `size_bytes`).
    #[must_use]
    pub fn attachment(self) -> (&'static str, &'static str, &'static str, i64) {
        match self {
            Self::LargerThanAnnounced => ("larger-than-announced.txt", "text", "text/plain", 1_024),
            Self::LyingType => ("photo-that-is-html.png", "image", "image/png", 4_096),
            Self::Empty => ("empty.txt", "text", "text/plain", 2_048),
            Self::HugeImage => ("huge-20000x20000.png", "image", "image/png", 200_000),
            Self::BinaryText => ("binary-garbage.txt", "text", "text/plain", 4_096),
            Self::OtherHost => ("on-another-host.pdf", "document", "application/pdf", 40_000),
            Self::RedirectLoop => ("redirect-loop.pdf", "document", "application/pdf", 40_000),
            Self::ClimbingName => ("../../x.txt", "text", "text/plain", 4_096),
            Self::AbsoluteName => ("/etc/x", "text", "text/plain", 4_096),
            Self::LargePhoto => ("large-photo-2mb.png", "image", "image/png", 3_000_000),
        }
    }

    fn served(self) -> Served {
        let text = |body: String| Sample {
            content_type: "text/plain; charset=utf-8".to_owned(),
            bytes: Bytes::from(body),
        };
        match self {
            Self::LargerThanAnnounced => Served::Unannounced(text("an invoice line that goes on\n".repeat(142))),
            Self::LyingType => Served::File(Sample {
                content_type: "image/png".to_owned(),
                bytes: Bytes::from_static(
                    b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Your session has expired</h1><script>location='/login'</script></body></html>\n",
                ),
            }),
            Self::Empty => Served::File(text(String::new())),
            Self::HugeImage => Served::File(Sample {
                content_type: "image/png".to_owned(),
                bytes: Bytes::from(huge_png()),
            }),
            Self::BinaryText => Served::File(Sample {
                content_type: "text/plain".to_owned(),
                bytes: Bytes::from(noise(3_000)),
            }),
            Self::OtherHost => Served::File(Sample {
                content_type: "application/pdf".to_owned(),
                bytes: Bytes::from(documents::invoice_pdf()),
            }),
            Self::RedirectLoop => Served::RedirectLoop,
            Self::ClimbingName | Self::AbsoluteName => Served::File(text(documents::invoice_text())),
            Self::LargePhoto => Served::Large,
        }
    }
}

/// The conversation that carries one message per fixture.
#[must_use]
pub fn conversation() -> Option<Conversation> {
    let messages: Vec<Value> = Fixture::ALL
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (filename, kind, mime, size) = f.attachment();
            json!({
                "id": f.id(),
                "sender": "end_user",
                "timestamp": format!("2026-11-20T10:{:02}:00Z", i),
                "content": format!("Here is the file: {filename}"),
                "attachments": [{
                    "id": f.id(), "type": kind, "filename": filename, "mime_type": mime,
                    "size_bytes": size,
                    "file_url": format!("https://cdn.agentsight.io/files/{CONVERSATION_ID}/{}", f.id()),
                }],
            })
        })
        .collect();
    serde_json::from_value(json!({
        "id": CONVERSATION_PK,
        "conversation_id": CONVERSATION_ID,
        "name": "Bad files (test fixtures)",
        "customer_id": "fixture",
        "environment": "development",
        "started_at": "2026-11-20T10:00:00Z",
        "messages": messages,
    }))
    .ok()
}

/// What the file route serves for each fixture id.
pub(super) fn served() -> impl Iterator<Item = (i64, Served)> {
    Fixture::ALL.into_iter().map(|f| (f.id(), f.served()))
}

/// The host a link is made for: the other loopback name for [`Fixture::OtherHost`].
pub(super) fn link_host(id: i64, host: &str) -> String {
    if id != Fixture::OtherHost.id() {
        return host.to_owned();
    }
    if let Some(port) = host.strip_prefix("127.0.0.1") {
        format!("localhost{port}")
    } else if let Some(port) = host.strip_prefix("localhost") {
        format!("127.0.0.1{port}")
    } else {
        host.to_owned()
    }
}

/// The 2 MB photo, made once, on first use.
pub(super) fn large_photo() -> &'static Sample {
    static PHOTO: OnceLock<Sample> = OnceLock::new();
    PHOTO.get_or_init(|| {
        let mut photo = pictures::parcel().enlarged(9);
        photo.grain(0x2545_f491, 20);
        Sample {
            content_type: "image/png".to_owned(),
            bytes: Bytes::from(photo.png()),
        }
    })
}

/// 20,000 × 20,000 pixels, 1-bit grey, all black: each row is a filter byte
/// and 2,500 zero bytes, compressed a row at a time.
fn huge_png() -> Vec<u8> {
    const SIDE: u32 = 20_000;
    let row = vec![0_u8; 1 + (SIDE as usize).div_ceil(8)];
    pictures::png_from_raw(SIDE, SIDE, 1, 0, &[row.as_slice()], SIDE)
}

/// Seeded bytes of every value, NUL and ESC among them.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}
