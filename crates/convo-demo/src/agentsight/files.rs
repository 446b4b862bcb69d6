//! The files customers and agents send: type, MIME type, plausible names and sizes.

use std::fmt::Write as _;

/// What a file is, as the sender would describe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Screenshot,
    Photo,
    Pdf,
    WordDocument,
    Spreadsheet,
    Log,
    VoiceNote,
    AudioRecording,
    ScreenRecording,
    PhoneVideo,
}

/// How files of one kind look.
pub(crate) struct FileSpec {
    /// The attachment `type`.
    pub(crate) kind: &'static str,
    pub(crate) mime: &'static str,
    /// Filename templates; `{n}`, `{date}`, `{time}`, `{stamp}` and conversation
    /// placeholders are filled in.
    pub(crate) names: &'static [&'static str],
    /// Size range in bytes.
    pub(crate) size: (i64, i64),
}

impl FileKind {
    /// Every kind, so that a conversation meant to show them all can cycle through them.
    pub(crate) const ALL: [FileKind; 10] = [
        FileKind::Screenshot,
        FileKind::Pdf,
        FileKind::Spreadsheet,
        FileKind::VoiceNote,
        FileKind::ScreenRecording,
        FileKind::Photo,
        FileKind::WordDocument,
        FileKind::Log,
        FileKind::AudioRecording,
        FileKind::PhoneVideo,
    ];

    #[must_use]
    pub(crate) fn spec(self) -> &'static FileSpec {
        const KB: i64 = 1024;
        const MB: i64 = 1024 * 1024;
        match self {
            FileKind::Screenshot => &FileSpec {
                kind: "image",
                mime: "image/png",
                names: &[
                    "Screenshot {date} at {time}.png",
                    "Screenshot_{stamp}.png",
                    "IMG_{n}.PNG",
                ],
                size: (40 * KB, 3 * MB),
            },
            FileKind::Photo => &FileSpec {
                kind: "image",
                mime: "image/jpeg",
                names: &["IMG_{n}.jpeg", "IMG_{stamp}.jpg", "photo_{n}.jpg"],
                size: (600 * KB, 6 * MB),
            },
            FileKind::Pdf => &FileSpec {
                kind: "document",
                mime: "application/pdf",
                names: &[
                    "invoice_{invoice}.pdf",
                    "bank_statement_{month}.pdf",
                    "receipt_{order}.pdf",
                ],
                size: (30 * KB, 2 * MB),
            },
            FileKind::WordDocument => &FileSpec {
                kind: "document",
                mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                names: &[
                    "order_form_signed.docx",
                    "DPA_NimbusHome_v3.docx",
                    "site_list_{n}.docx",
                ],
                size: (20 * KB, 1536 * KB),
            },
            FileKind::Spreadsheet => &FileSpec {
                kind: "text",
                mime: "text/csv",
                names: &[
                    "users_export_{date}.csv",
                    "devices_batch_{n}.csv",
                    "seat_history_{month}.csv",
                ],
                size: (2 * KB, 12 * MB),
            },
            FileKind::Log => &FileSpec {
                kind: "text",
                mime: "text/plain",
                names: &[
                    "console-log.txt",
                    "sync_errors_{date}.txt",
                    "har_summary_{n}.txt",
                ],
                size: (2 * KB, 400 * KB),
            },
            FileKind::VoiceNote => &FileSpec {
                kind: "audio",
                mime: "audio/ogg",
                names: &["voice-message-{n}.ogg", "PTT-{stamp}-WA{n}.ogg"],
                size: (80 * KB, 3 * MB),
            },
            FileKind::AudioRecording => &FileSpec {
                kind: "audio",
                mime: "audio/mpeg",
                names: &["recording_{n}.mp3", "call_technician_{date}.mp3"],
                size: (500 * KB, 9 * MB),
            },
            FileKind::ScreenRecording => &FileSpec {
                kind: "video",
                mime: "video/quicktime",
                names: &[
                    "Screen Recording {date} at {time}.mov",
                    "RPReplay_Final{n}.mov",
                ],
                size: (8 * MB, 80 * MB),
            },
            FileKind::PhoneVideo => &FileSpec {
                kind: "video",
                mime: "video/mp4",
                names: &["VID_{stamp}.mp4", "unboxing_{n}.mp4"],
                size: (2 * MB, 60 * MB),
            },
        }
    }
}

/// A size drawn evenly on a log scale without floating point (so every
/// platform draws the same bytes): pick a doubling of `min`, then a point in it.
#[must_use]
pub(crate) fn size_between(min: i64, max: i64, doubling: u32, fraction: i64) -> i64 {
    let lo = min.saturating_mul(1_i64 << doubling.min(40));
    let hi = lo.saturating_mul(2).min(max);
    (lo + (hi - lo).max(0) * fraction / 1_000).clamp(min, max)
}

/// How many doublings fit between `min` and `max`.
#[must_use]
pub(crate) fn doublings(min: i64, max: i64) -> u32 {
    let ratio = (max / min.max(1)).max(1);
    (i64::BITS - 1 - ratio.leading_zeros()).max(1)
}

/// The file URL: the CDN path of the conversation and the percent-encoded name.
#[must_use]
pub(crate) fn file_url(conversation_id: &str, filename: &str) -> String {
    let mut url = format!("https://cdn.agentsight.io/files/{conversation_id}/");
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_stay_in_range_and_urls_are_encoded() {
        let (min, max) = FileKind::ScreenRecording.spec().size;
        let n = doublings(min, max);
        assert_eq!(n, 3);
        for d in 0..n {
            for f in [0, 500, 999] {
                let s = size_between(min, max, d, f);
                assert!((min..=max).contains(&s));
            }
        }
        assert_eq!(
            file_url("conv-1", "Screen Recording 1.mov"),
            "https://cdn.agentsight.io/files/conv-1/Screen%20Recording%201.mov"
        );
    }
}
