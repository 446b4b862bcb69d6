//! The sample photos, painted in code so nothing big is committed: a dented parcel on a doorstep and a till receipt on a table, as PNG and JPEG.

use std::io::Write as _;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// An RGB picture being painted.
pub(super) struct Canvas {
    pub width: u32,
    pub height: u32,
    rgb: Vec<u8>,
}

type Rgb = [u8; 3];

impl Canvas {
    fn new(width: u32, height: u32, fill: Rgb) -> Self {
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for _ in 0..width * height {
            rgb.extend_from_slice(&fill);
        }
        Self { width, height, rgb }
    }

    fn fill(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, colour: Rgb) {
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                let at = ((y * self.width + x) * 3) as usize;
                self.rgb[at..at + 3].copy_from_slice(&colour);
            }
        }
    }

    /// A vertical gradient from `top` to `bottom` over rows `y0..y1`.
    fn gradient(&mut self, y0: u32, y1: u32, top: Rgb, bottom: Rgb) {
        let span = y1.saturating_sub(y0).max(1);
        for y in y0..y1.min(self.height) {
            let t = y - y0;
            let mix = |a: u8, b: u8| {
                let v = (u32::from(a) * (span - t) + u32::from(b) * t) / span;
                u8::try_from(v).unwrap_or(u8::MAX)
            };
            let colour = [
                mix(top[0], bottom[0]),
                mix(top[1], bottom[1]),
                mix(top[2], bottom[2]),
            ];
            self.fill(0, y, self.width, y + 1, colour);
        }
    }

    /// Film grain: a small, seeded jitter on every pixel, so a photo looks like one.
    pub(super) fn grain(&mut self, seed: u64, amplitude: u8) {
        let mut state = seed | 1;
        let spread = u64::from(amplitude) * 2 + 1;
        for value in &mut self.rgb {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // `spread` is at most 511, so the jitter fits an i16.
            let jitter = i16::try_from(state % spread).unwrap_or(0) - i16::from(amplitude);
            *value = u8::try_from((i16::from(*value) + jitter).clamp(0, 255)).unwrap_or(u8::MAX);
        }
    }

    /// The picture `factor` times larger each way (each pixel a square), for a big photo.
    pub(super) fn enlarged(&self, factor: u32) -> Self {
        let (width, height) = (self.width * factor, self.height * factor);
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                let at = (((y / factor) * self.width + x / factor) * 3) as usize;
                rgb.extend_from_slice(&self.rgb[at..at + 3]);
            }
        }
        Self { width, height, rgb }
    }

    /// The `width` × `height` window whose top left is (`x`, `y`), clamped inside the picture.
    pub(super) fn crop(&self, x: u32, y: u32, width: u32, height: u32) -> Self {
        let (width, height) = (width.min(self.width), height.min(self.height));
        let (x, y) = (x.min(self.width - width), y.min(self.height - height));
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for row in y..y + height {
            let at = ((row * self.width + x) * 3) as usize;
            rgb.extend_from_slice(&self.rgb[at..at + (width * 3) as usize]);
        }
        Self { width, height, rgb }
    }

    /// The picture as a PNG (8-bit RGB, no interlace).
    pub(super) fn png(&self) -> Vec<u8> {
        let row = self.width as usize * 3;
        let mut raw = Vec::with_capacity((row + 1) * self.height as usize);
        for line in self.rgb.chunks(row) {
            raw.push(0); // filter: none
            raw.extend_from_slice(line);
        }
        png_from_raw(self.width, self.height, 8, 2, &[raw.as_slice()], 1)
    }

    /// The picture as a baseline JPEG.
    pub(super) fn jpeg(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let (Ok(width), Ok(height)) = (u16::try_from(self.width), u16::try_from(self.height))
        else {
            return out;
        };
        let encoder = jpeg_encoder::Encoder::new(&mut out, 80);
        if encoder
            .encode(&self.rgb, width, height, jpeg_encoder::ColorType::Rgb)
            .is_err()
        {
            out.clear();
        }
        out
    }
}

/// A PNG whose filtered scanlines are `pieces` repeated `times` times
/// (so a huge, uniform picture is compressed without ever being held whole).
pub(super) fn png_from_raw(
    width: u32,
    height: u32,
    depth: u8,
    colour_type: u8,
    pieces: &[&[u8]],
    times: u32,
) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[depth, colour_type, 0, 0, 0]);
    chunk(&mut png, *b"IHDR", &header);
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::best());
    for _ in 0..times {
        for piece in pieces {
            // Writing into a Vec cannot fail.
            let _ = zlib.write_all(piece);
        }
    }
    let data = zlib.finish().unwrap_or_default();
    chunk(&mut png, *b"IDAT", &data);
    chunk(&mut png, *b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    let length = u32::try_from(data.len()).unwrap_or(u32::MAX);
    png.extend_from_slice(&length.to_be_bytes());
    png.extend_from_slice(&kind);
    png.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(&kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A cardboard parcel on a doorstep, its near corner crushed and its tape torn.
pub(super) fn parcel() -> Canvas {
    const CARDBOARD: Rgb = [176, 128, 78];
    const SHADE: Rgb = [138, 98, 58];
    const TAPE: Rgb = [206, 186, 140];
    let mut c = Canvas::new(120, 90, [0, 0, 0]);
    c.gradient(0, 50, [196, 200, 206], [150, 154, 160]); // wall
    c.gradient(50, 90, [122, 112, 100], [84, 76, 68]); // doorstep
    c.fill(20, 72, 102, 78, [60, 54, 48]); // shadow
    c.fill(24, 30, 84, 74, CARDBOARD); // front face
    c.fill(84, 24, 100, 68, SHADE); // side face
    c.fill(30, 22, 100, 30, [192, 146, 96]); // top face
    c.fill(50, 22, 58, 74, TAPE); // tape
    c.fill(34, 44, 48, 54, [240, 240, 236]); // shipping label
    for y in [46, 49, 52] {
        c.fill(36, y, 46, y + 1, [40, 40, 40]);
    }
    // The crushed corner: darker, stepped inwards.
    for (i, y) in (58..74).enumerate() {
        let i = u32::try_from(i).unwrap_or(0);
        c.fill(70 + i / 2, y, 84, y + 1, [112, 80, 46]);
    }
    c.fill(56, 40, 60, 46, [96, 70, 40]); // torn tape
    c.grain(0x9e37_79b9, 2);
    c
}

/// A till receipt on a wooden table: a header, item lines, a bold total.
pub(super) fn receipt() -> Canvas {
    let mut c = Canvas::new(90, 120, [0, 0, 0]);
    c.gradient(0, 120, [120, 84, 52], [96, 64, 38]); // table
    c.fill(18, 6, 74, 116, [246, 244, 236]); // paper
    c.fill(30, 12, 62, 16, [60, 60, 60]); // shop name
    let mut y = 24;
    while y < 88 {
        let (ink, width) = if (y / 6) % 3 == 0 {
            ([90, 90, 90], 30)
        } else {
            ([120, 120, 120], 24)
        };
        c.fill(24, y, 24 + width, y + 2, ink); // item
        c.fill(58, y, 68, y + 2, ink); // price
        y += 6;
    }
    c.fill(24, 94, 68, 95, [80, 80, 80]); // rule
    c.fill(24, 98, 44, 102, [30, 30, 30]); // TOTAL
    c.fill(54, 98, 68, 102, [30, 30, 30]); // amount
    c.grain(0x85eb_ca6b, 2);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_real_pngs_and_jpegs_of_a_few_kb() {
        for canvas in [parcel(), receipt()] {
            let png = canvas.png();
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
            assert!(png.len() < 20 * 1024, "{}", png.len());
            let jpeg = canvas.jpeg();
            assert!(jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.ends_with(&[0xFF, 0xD9]));
            assert!(jpeg.len() < 20 * 1024, "{}", jpeg.len());
        }
    }
}
