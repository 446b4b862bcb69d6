//! What a file's first bytes say it is, whatever its MIME type claims: an image format, PDF, HTML, text or binary.

use image::ImageFormat;

/// What the bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// No bytes at all.
    Empty,
    /// An image format the preview decodes.
    Image(ImageFormat),
    /// `%PDF-`.
    Pdf,
    /// Text that starts like an HTML document.
    Html,
    /// UTF-8 text with hardly a control character.
    Text,
    /// Anything else.
    Binary,
}

/// The formats the preview decodes (the `image` features enabled).
const DECODED: &[ImageFormat] = &[ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif];

/// Reads the magic numbers, then whether the rest reads as text.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if let Ok(format) = image::guess_format(bytes) {
        if DECODED.contains(&format) {
            return Sniffed::Image(format);
        }
        return Sniffed::Binary;
    }
    if bytes.starts_with(b"%PDF-") {
        return Sniffed::Pdf;
    }
    if !is_text(bytes) {
        return Sniffed::Binary;
    }
    if looks_like_html(bytes) {
        return Sniffed::Html;
    }
    Sniffed::Text
}

/// A format's name as a sentence says it.
#[must_use]
pub fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Gif => "GIF",
        _ => "other",
    }
}

/// UTF-8 (a character cut by the cap at the very end allowed), no NUL, and
/// at most one control character in a hundred besides line breaks and tabs.
fn is_text(bytes: &[u8]) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        // A multi-byte character cut at the end is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in valid.chars() {
        chars += 1;
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            controls += 1;
        }
    }
    controls * 20 <= chars
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<script",
        "<meta",
        "<iframe",
    ]
    .iter()
    .any(|p| head.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_win_over_anything_else() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n rest"),
            Sniffed::Image(ImageFormat::Png)
        );
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0 jpeg"),
            Sniffed::Image(ImageFormat::Jpeg)
        );
        assert_eq!(sniff(b"%PDF-1.4\n..."), Sniffed::Pdf);
        assert_eq!(sniff(b"  <!DOCTYPE html><p>hi"), Sniffed::Html);
        assert_eq!(sniff(b"<script>alert(1)</script>"), Sniffed::Html);
        assert_eq!(
            sniff("invoice,total\nA-1,12.50 €\n".as_bytes()),
            Sniffed::Text
        );
        assert_eq!(sniff(b"\x00\x01\x02garbage\xfe\xff"), Sniffed::Binary);
        // A BMP is an image, but not one the preview decodes.
        assert_eq!(sniff(b"BM\x00\x00\x00\x00"), Sniffed::Binary);
    }

    #[test]
    fn text_cut_mid_character_is_still_text_and_escapes_are_tolerated_when_rare() {
        let mut cut = "prix: 12 €".repeat(20).into_bytes();
        cut.pop();
        assert_eq!(sniff(&cut), Sniffed::Text);
        let mostly = format!("{}\u{1b}[31m", "line of log\n".repeat(2));
        assert_eq!(sniff(mostly.as_bytes()), Sniffed::Text);
        assert_eq!(sniff("\u{1b}\u{1b}\u{1b}abc".as_bytes()), Sniffed::Binary);
    }
}
