//! What an attachment announces itself as, from its MIME type and file name: text to read, an image to draw, media to describe.

/// The announced family of a file (before its bytes are sniffed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `text/*`, JSON, CSV, Markdown, logs: shown as text.
    Text,
    /// `image/*`: drawn.
    Image,
    /// PDF, audio, video: described, saved or opened, never drawn.
    Media,
    /// Anything else: downloaded and sniffed before anything is said.
    Other,
}

impl FileKind {
    /// The family a MIME type (and, when it says nothing, a file name's extension) announces.
    #[must_use]
    pub fn of(mime: Option<&str>, filename: Option<&str>) -> Self {
        let mime = mime
            .map(|m| {
                m.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        if mime.starts_with("text/")
            || matches!(
                mime.as_str(),
                "application/json"
                    | "application/x-ndjson"
                    | "application/csv"
                    | "application/xml"
                    | "application/yaml"
                    | "application/x-yaml"
            )
            || mime.ends_with("+json")
            || mime.ends_with("+xml")
        {
            return Self::Text;
        }
        if mime.starts_with("image/") {
            return Self::Image;
        }
        if mime == "application/pdf" || mime.starts_with("audio/") || mime.starts_with("video/") {
            return Self::Media;
        }
        let ext = filename
            .and_then(|f| f.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "txt" | "log" | "csv" | "json" | "md" | "markdown" | "jsonl" | "tsv" => Self::Text,
            "png" | "jpg" | "jpeg" | "gif" => Self::Image,
            "pdf" | "wav" | "mp3" | "ogg" | "mp4" | "webm" | "mov" | "m4a" => Self::Media,
            _ => Self::Other,
        }
    }

    /// Whether a preview downloads the bytes (media are described from their metadata only).
    #[must_use]
    pub fn downloads(self) -> bool {
        self != Self::Media
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_and_extensions_announce_a_family() {
        assert_eq!(
            FileKind::of(Some("text/csv; charset=utf-8"), None),
            FileKind::Text
        );
        assert_eq!(FileKind::of(Some("application/json"), None), FileKind::Text);
        assert_eq!(
            FileKind::of(Some("application/vnd.api+json"), None),
            FileKind::Text
        );
        assert_eq!(FileKind::of(Some("IMAGE/PNG"), None), FileKind::Image);
        assert_eq!(FileKind::of(Some("application/pdf"), None), FileKind::Media);
        assert_eq!(FileKind::of(Some("audio/wav"), None), FileKind::Media);
        assert_eq!(FileKind::of(None, Some("server.LOG")), FileKind::Text);
        assert_eq!(
            FileKind::of(Some("application/octet-stream"), Some("x.bin")),
            FileKind::Other
        );
        assert!(!FileKind::Media.downloads() && FileKind::Other.downloads());
    }
}
