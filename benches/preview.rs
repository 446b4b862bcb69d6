//! An attachment preview of a 2 MB PNG photo: from the downloaded bytes to the picture drawn at 120×40 in half-blocks (sniffed, dimensions checked, decoded, shrunk, encoded, one frame rendered), and the peak memory of doing it once.
//!
//! `cargo bench --bench preview` prints the process's peak RSS before and
//! after one preview, then criterion's timing.
// A benchmark whose setup fails should stop on the spot.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::io::Cursor;
use std::sync::Arc;

use convo::app::attachments::{Body, Drawn, FileRef, Preview};
use convo::app::layout::{Areas, preview_body};
use convo::app::state::State;
use convo::provider::ConversationRef;
use convo::ui::render;
use convo::view::preview::{self, Content, Drawing};
use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../tests/it/support/state.rs"]
mod state;

/// A photo-like PNG of about 2 MB: smooth gradients under seeded grain, so
/// it neither compresses to nothing nor is pure noise.
fn photo_png() -> Vec<u8> {
    let (width, height) = (1_000_u32, 750_u32);
    let mut seed: u32 = 0x9e37_79b9;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 48) as u8;
        let r = u8::try_from(x * 200 / width).expect("below 256") + grain;
        let g = u8::try_from(y * 180 / height).expect("below 256") + grain / 2;
        let b = u8::try_from((x + y) * 100 / (width + height)).expect("below 256") + grain;
        image::Rgb([r, g, b])
    });
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG in memory");
    out.into_inner()
}

fn browser() -> State {
    State::new(state::init(
        "bench",
        convo::provider::ProviderInfo {
            kind: convo::provider::ProviderKind::AgentSight,
            host: "127.0.0.1:8787".to_owned(),
        },
    ))
}

fn file() -> FileRef {
    FileRef {
        conversation: ConversationRef::Pk(1),
        id: Some(1),
        filename: "parcel.png".to_owned(),
        mime: Some("image/png".to_owned()),
        size: None,
        kind: Some("image".to_owned()),
        message: 1,
        url: None,
        fetched_at: None,
    }
}

/// What happens between the last byte downloaded and the picture on screen.
fn preview_drawn(bytes: &[u8], state: &mut State, terminal: &mut Terminal<TestBackend>) {
    let body = preview_body(Areas::for_state(state).main);
    let Content::Picture(picture) = preview::classify(Some("image/png"), bytes, false) else {
        panic!("the photo decodes")
    };
    let protocol =
        preview::picture::encode(&picture, &Drawing::Halfblocks, body.width, body.height)
            .expect("half-blocks encode");
    state.attachments.preview = Some(Preview {
        generation: 1,
        file: file(),
        body: Body::Picture {
            picture,
            drawn: Some(Drawn {
                size: (body.width, body.height),
                protocol: Arc::new(protocol),
            }),
        },
        scroll: 0,
    });
    terminal
        .draw(|frame| render(state, frame))
        .expect("a frame in memory");
    black_box(terminal.backend().buffer());
}

/// `VmHWM` (peak resident set) of this process, in KB.
fn peak_rss_kb() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn main() {
    let bytes = photo_png();
    let mut state = browser();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    let before = peak_rss_kb();
    preview_drawn(&bytes, &mut state, &mut terminal);
    let after = peak_rss_kb();
    println!(
        "preview of a {:.2} MB PNG (1000×750): peak RSS {} KB before, {} KB after one preview",
        f64::from(u32::try_from(bytes.len()).expect("a few MB")) / 1e6,
        before.map_or_else(|| "?".to_owned(), |k| k.to_string()),
        after.map_or_else(|| "?".to_owned(), |k| k.to_string()),
    );
    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("preview_2mb_png_to_frame_120x40", |b| {
        b.iter(|| preview_drawn(black_box(&bytes), &mut state, &mut terminal));
    });
    criterion.final_summary();
}
