//! Decoding an attachment's image with bounded memory: its dimensions read from the header and refused past a limit before any pixel is decoded, the decoder's own limits set, the result shrunk to what a terminal can show.

use std::fmt;
use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

/// The widest or tallest image decoded.
pub const MAX_SIDE: u32 = 8_192;
/// The most pixels decoded (a 6000 × 4000 photo passes; a bomb does not).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most the decoder may allocate.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// The side a decoded picture is shrunk to: more than any terminal shows.
pub const SHOWN_SIDE: u32 = 1_600;

/// A decoded picture, ready to be encoded for the terminal.
#[derive(Clone)]
pub struct Picture {
    /// The pixels, at most [`SHOWN_SIDE`] on a side.
    pub image: DynamicImage,
    /// The file's own width and height.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Something to say first (a MIME type that lied).
    pub note: Option<String>,
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Picture({}×{})", self.width, self.height)
    }
}

/// Why an image is not drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PictureError {
    /// Larger than the limits: said with its size.
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// The bytes do not decode.
    Corrupt(String),
}

impl fmt::Display for PictureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { width, height } => write!(
                f,
                "an image of {width} × {height} pixels: too large to preview (at most {MAX_SIDE} on a side, {} megapixels); s saves it",
                MAX_PIXELS / 1_000_000
            ),
            Self::Corrupt(why) => write!(f, "the image does not decode ({why}); s saves it"),
        }
    }
}

impl std::error::Error for PictureError {}

/// Decodes `bytes` (PNG, JPEG, GIF's first frame) within the limits above.
///
/// # Errors
/// The header says it is too large, or the bytes do not decode (a
/// decompression bomb trips the decoder's allocation limit).
pub fn decode(bytes: &[u8]) -> Result<Picture, PictureError> {
    let reader = |bytes| {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| PictureError::Corrupt(e.to_string()))
    };
    let (width, height) = reader(bytes)?
        .into_dimensions()
        .map_err(|e| PictureError::Corrupt(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooLarge { width, height });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut decoder = reader(bytes)?;
    decoder.limits(limits);
    let image = decoder
        .decode()
        .map_err(|e| PictureError::Corrupt(e.to_string()))?;
    let image = if width > SHOWN_SIDE || height > SHOWN_SIDE {
        image.thumbnail(SHOWN_SIDE, SHOWN_SIDE)
    } else {
        image
    };
    Ok(Picture {
        image,
        width,
        height,
        note: None,
    })
}

/// How pictures are drawn on this terminal.
#[derive(Clone)]
pub enum Drawing {
    /// Unicode half-blocks (`▀` in two colours): every terminal, tmux over SSH included.
    Halfblocks,
    /// The protocol the terminal said it speaks when asked at start (kitty, sixel, iTerm2).
    Detected(ratatui_image::picker::Picker),
}

impl fmt::Debug for Drawing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Halfblocks => f.write_str("Halfblocks"),
            Self::Detected(picker) => write!(f, "Detected({:?})", picker.protocol_type()),
        }
    }
}

/// The cells a `width`×`height` picture fills within `columns`×`rows` at its
/// own shape, a cell being two half-block pixels tall.
#[must_use]
pub fn fitted(width: u32, height: u32, columns: u16, rows: u16) -> (u16, u16) {
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let scale = (f64::from(columns) / w).min(f64::from(rows) * 2.0 / h);
    // Both fit in u16: they are at most `columns` and `rows`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let cells = (
        ((w * scale).floor() as u16).clamp(1, columns.max(1)),
        ((h * scale / 2.0).floor() as u16).clamp(1, rows.max(1)),
    );
    cells
}

/// The picture encoded to fill at most `columns` × `rows` cells, its shape
/// kept. Slow for large pictures: the runtime calls it off the loop.
///
/// # Errors
/// The protocol could not encode it (said in one line).
pub fn encode(
    picture: &Picture,
    drawing: &Drawing,
    columns: u16,
    rows: u16,
) -> Result<ratatui_image::protocol::Protocol, String> {
    let refused = |e: ratatui_image::errors::Errors| format!("the image cannot be drawn here: {e}");
    match drawing {
        Drawing::Halfblocks => {
            let (w, h) = fitted(picture.image.width(), picture.image.height(), columns, rows);
            ratatui_image::protocol::halfblocks::Halfblocks::new(
                picture.image.clone(),
                ratatui::layout::Size::new(w, h),
            )
            .map(ratatui_image::protocol::Protocol::Halfblocks)
            .map_err(refused)
        }
        Drawing::Detected(picker) => picker
            .new_protocol(
                picture.image.clone(),
                ratatui::layout::Size::new(columns.max(1), rows.max(1)),
                // Scale, not Fit: a small photo fills the pane too.
                ratatui_image::Resize::Scale(Some(image::imageops::FilterType::Triangle)),
            )
            .map_err(refused),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([x.to_le_bytes()[0], y.to_le_bytes()[0], 90])
        });
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// `png` with its IHDR chunk saying `width`×`height` (and a correct CRC).
    fn claiming(png: &[u8], width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png.to_vec();
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_small_png_decodes_and_a_large_one_is_shrunk() {
        let p = decode(&png(40, 20)).unwrap();
        assert_eq!((p.width, p.height, p.image.width()), (40, 20, 40));
        let big = decode(&png(2_000, 1_000)).unwrap();
        assert_eq!(
            (big.width, big.image.width(), big.image.height()),
            (2_000, 1_600, 800)
        );
    }

    #[test]
    fn a_header_claiming_20000_by_20000_is_refused_before_decoding() {
        // A valid 1×1 PNG whose header is rewritten to say 20000×20000, its
        // checksum fixed: what a decompression bomb looks like from outside.
        let bytes = claiming(&png(1, 1), 20_000, 20_000);
        let err = decode(&bytes).unwrap_err();
        assert_eq!(
            err,
            PictureError::TooLarge {
                width: 20_000,
                height: 20_000
            }
        );
        assert!(err.to_string().contains("20000 × 20000"), "{err}");
    }

    #[test]
    fn a_picture_fills_the_cells_at_its_own_shape() {
        // 3:2 in 118×34 cells (68 half-block rows): as tall as it may be.
        assert_eq!(fitted(240, 160, 118, 34), (102, 34));
        // A tall receipt in a wide pane: as tall as the pane, narrow.
        assert_eq!(fitted(90, 120, 78, 17), (25, 17));
        assert_eq!(fitted(1, 1, 0, 0), (1, 1));
    }

    #[test]
    fn truncated_bytes_are_said_not_panicked_on() {
        let bytes = png(30, 30);
        let err = decode(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(matches!(err, PictureError::Corrupt(_)), "{err:?}");
    }
}
