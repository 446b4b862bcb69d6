//! An attachment's preview: what its bytes really are (sniffed, the announced type never trusted), as inert text, a decoded picture, or a plain reason it is not shown.
//!
//! The runtime calls [`classify`] off the loop on the bytes it downloaded;
//! update keeps the [`Content`] and render draws it (`ui/preview.rs`).

pub mod kind;
pub mod picture;
pub mod sniff;
pub mod text;

use std::sync::Arc;

pub use kind::FileKind;
pub use picture::{Drawing, Picture, PictureError};
pub use sniff::Sniffed;
pub use text::TextPreview;

/// The most of a text a preview shows: the first 1 MB.
pub const PREVIEW_CAP: u64 = 1_000_000;

/// The most a preview downloads of a file announced as an image (a photo
/// from a phone is a few MB; past this it is saved, not drawn).
pub const IMAGE_CAP: u64 = 16_000_000;

/// The most a preview downloads of a file announced as `kind`.
#[must_use]
pub fn download_cap(kind: FileKind) -> u64 {
    if kind == FileKind::Image {
        IMAGE_CAP
    } else {
        PREVIEW_CAP
    }
}

/// What a preview shows.
#[derive(Clone, Debug)]
pub enum Content {
    /// Text, made inert, maybe cut at the cap.
    Text(TextPreview),
    /// A decoded picture (bounded in size), drawn by the terminal's protocol.
    Picture(Arc<Picture>),
    /// Nothing drawn, and why: binary bytes, an empty file, an image too large to decode.
    NotShown(String),
}

/// What the downloaded `bytes` of a file announced as `mime` are, made ready to draw.
/// `cut` says the download stopped at its cap; text past [`PREVIEW_CAP`] is
/// cut here (a lying "image" may bring more). Never panics; memory stays
/// within the decoder limits of [`picture`].
#[must_use]
pub fn classify(mime: Option<&str>, bytes: &[u8], cut: bool) -> Content {
    let shown = usize::try_from(PREVIEW_CAP).unwrap_or(usize::MAX);
    let (text_bytes, text_cut) = if bytes.len() > shown {
        (&bytes[..shown], true)
    } else {
        (bytes, cut)
    };
    let announced = FileKind::of(mime, None);
    let said = mime.map_or_else(|| "no type".to_owned(), text::one_line);
    match sniff::sniff(bytes) {
        Sniffed::Empty => Content::NotShown("the file is empty (0 bytes)".to_owned()),
        Sniffed::Image(format) => {
            if cut {
                return Content::NotShown(format!(
                    "an image larger than the {} MB a preview reads: s saves it whole",
                    IMAGE_CAP / 1_000_000
                ));
            }
            match picture::decode(bytes) {
                Ok(mut picture) => {
                    if announced != FileKind::Image {
                        picture.note = Some(format!(
                            "announced as {said}, the bytes are a {} image",
                            sniff::format_name(format)
                        ));
                    }
                    Content::Picture(Arc::new(picture))
                }
                Err(e) => Content::NotShown(e.to_string()),
            }
        }
        Sniffed::Html if announced == FileKind::Image => Content::Text(TextPreview::new(
            text_bytes,
            text_cut,
            Some(format!(
                "announced as {said}, but the bytes are HTML: shown as text, not rendered"
            )),
        )),
        Sniffed::Html | Sniffed::Text => {
            let note = (announced == FileKind::Image || announced == FileKind::Media)
                .then(|| format!("announced as {said}, but the bytes are text"));
            Content::Text(TextPreview::new(text_bytes, text_cut, note))
        }
        Sniffed::Pdf => Content::NotShown(format!(
            "a PDF document{}: s saves it, o opens it",
            if announced == FileKind::Media {
                String::new()
            } else {
                format!(" (announced as {said})")
            }
        )),
        Sniffed::Binary => Content::NotShown(format!(
            "binary, not shown as text (announced as {said}): s saves it"
        )),
    }
}
