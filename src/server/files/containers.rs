//! The samples that are containers of other files: a short Motion-JPEG AVI clip panning over the parcel, and a minimal Word document (a ZIP of three XML parts).

use std::fmt::Write as _;

use super::pictures;

/// A RIFF chunk: id, little-endian length, data, padded to an even length.
fn chunk(out: &mut Vec<u8>, id: [u8; 4], data: &[u8]) {
    out.extend_from_slice(&id);
    out.extend_from_slice(&len32(data.len()).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// A RIFF list: `LIST`, length, kind, then the chunks already laid out.
fn list(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 12);
    out.extend_from_slice(b"LIST");
    out.extend_from_slice(&len32(body.len() + 4).to_le_bytes());
    out.extend_from_slice(&kind);
    out.extend_from_slice(body);
    out
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn words(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Two seconds at 3 frames a second, 120 × 90: the camera pans across the parcel to its crushed corner.
pub(super) fn parcel_clip() -> Vec<u8> {
    const FPS: u32 = 3;
    const FRAMES: u32 = 6;
    let wide = pictures::parcel().enlarged(2);
    let frames: Vec<Vec<u8>> = (0..FRAMES)
        .map(|i| wide.crop(60 + i * 16, 50 + i * 8, 120, 90).jpeg())
        .collect();
    let (width, height) = (120_u32, 90_u32);
    let biggest = frames.iter().map(Vec::len).max().unwrap_or(0);
    let mut header = Vec::new();
    chunk(
        &mut header,
        *b"avih",
        &words(&[
            1_000_000 / FPS,
            len32(biggest) * FPS,
            0,
            0x10, // has an index
            FRAMES,
            0,
            1,
            len32(biggest),
            width,
            height,
            0,
            0,
            0,
            0,
        ]),
    );
    let mut stream_header = Vec::new();
    stream_header.extend_from_slice(b"vidsMJPG");
    stream_header.extend_from_slice(&words(&[
        0,
        0,
        0,
        1,
        FPS,
        0,
        FRAMES,
        len32(biggest),
        u32::MAX,
        0,
    ]));
    for v in [0_u16, 0, 120, 90] {
        stream_header.extend_from_slice(&v.to_le_bytes());
    }
    let mut stream_format = words(&[40, width, height]);
    stream_format.extend_from_slice(&1_u16.to_le_bytes()); // planes
    stream_format.extend_from_slice(&24_u16.to_le_bytes()); // bits per pixel
    stream_format.extend_from_slice(b"MJPG");
    stream_format.extend_from_slice(&words(&[width * height * 3, 0, 0, 0, 0]));
    let mut stream = Vec::new();
    chunk(&mut stream, *b"strh", &stream_header);
    chunk(&mut stream, *b"strf", &stream_format);
    header.extend_from_slice(&list(*b"strl", &stream));

    let mut movie = Vec::new();
    let mut index = Vec::new();
    for frame in &frames {
        // Offsets count from the `movi` kind, 4 bytes before the first chunk.
        let offset = len32(movie.len() + 4);
        chunk(&mut movie, *b"00dc", frame);
        index.extend_from_slice(b"00dc");
        index.extend_from_slice(&words(&[0x10, offset, len32(frame.len())]));
    }
    let mut body = b"AVI ".to_vec();
    body.extend_from_slice(&list(*b"hdrl", &header));
    body.extend_from_slice(&list(*b"movi", &movie));
    chunk(&mut body, *b"idx1", &index);
    let mut avi = Vec::with_capacity(body.len() + 8);
    chunk(&mut avi, *b"RIFF", &body);
    avi
}

/// A one-paragraph-per-line Word document holding `lines`.
pub(super) fn word_document(lines: &[&str]) -> Vec<u8> {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut paragraphs = String::new();
    for line in lines {
        let _ = write!(
            paragraphs,
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(line)
        );
    }
    let parts: [(&str, String); 3] = [
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
                r#"</Types>"#
            )
            .to_owned(),
        ),
        (
            "_rels/.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
                r#"</Relationships>"#
            )
            .to_owned(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>"#
            ),
        ),
    ];
    stored_zip(&parts)
}

/// A ZIP archive of `parts`, stored (not compressed), with its central directory.
fn stored_zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut directory = Vec::new();
    for (name, body) in parts {
        let mut crc = flate2::Crc::new();
        crc.update(body.as_bytes());
        let (crc, size, name_len) = (
            crc.sum(),
            len32(body.len()),
            u16::try_from(name.len()).unwrap_or(0),
        );
        let offset = len32(zip.len());
        // Local header: signature, version 2.0, no flags, stored, a fixed 1980 date.
        zip.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        zip.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&name_len.to_le_bytes());
        zip.extend_from_slice(&0_u16.to_le_bytes());
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(body.as_bytes());
        // Its central directory entry.
        directory.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        directory.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        directory.extend_from_slice(&crc.to_le_bytes());
        directory.extend_from_slice(&size.to_le_bytes());
        directory.extend_from_slice(&size.to_le_bytes());
        directory.extend_from_slice(&name_len.to_le_bytes());
        directory.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let (start, count) = (len32(zip.len()), u16::try_from(parts.len()).unwrap_or(0));
    zip.extend_from_slice(&directory);
    zip.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    zip.extend_from_slice(&[0, 0, 0, 0]);
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&len32(directory.len()).to_le_bytes());
    zip.extend_from_slice(&start.to_le_bytes());
    zip.extend_from_slice(&0_u16.to_le_bytes());
    zip
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clip_is_a_riff_avi_of_jpeg_frames_under_20_kb() {
        let avi = parcel_clip();
        assert_eq!(&avi[..4], b"RIFF");
        assert_eq!(&avi[8..12], b"AVI ");
        assert_eq!(
            u32::from_le_bytes([avi[4], avi[5], avi[6], avi[7]]) as usize,
            avi.len() - 8
        );
        assert_eq!(avi.windows(4).filter(|w| w == b"00dc").count(), 12); // 6 frames, 6 index rows
        assert!(avi.len() < 20 * 1024, "{}", avi.len());
    }

    #[test]
    fn the_word_document_is_a_zip_with_its_parts() {
        let docx = word_document(&["Order form", "Signed & returned"]);
        assert!(docx.starts_with(b"PK\x03\x04"));
        let text = String::from_utf8_lossy(&docx);
        assert!(text.contains("word/document.xml") && text.contains("Signed &amp; returned"));
        assert!(docx.len() < 4 * 1024);
    }
}
