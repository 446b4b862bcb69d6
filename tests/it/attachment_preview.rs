//! The attachment preview on ratatui's `TestBackend`: the Attachments tab's cursor and keys, the text preview and the half-block picture at 120×40 and 80×24 (insta snapshots), and each bad input a preview can meet said in one clear line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // fixed fixtures: a surprise should stop the test

use std::io::Cursor;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use convo::app::attachments::{Body, Drawn, FileAction, FileJob, FileMsg};
use convo::app::cmd::Cmd;
use convo::app::layout::{Areas, preview_body};
use convo::app::msg::Msg;
use convo::app::state::{Focus, State};
use convo::app::update::update;
use convo::provider::model::Conversation;
use convo::provider::{ProviderInfo, ProviderKind};
use convo::ui::render;
use convo::view::preview::{self, Content};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::state::init;

/// A conversation whose customer sent a photo, an invoice as CSV, a PDF and a voice note.
const WITH_FILES: &str = r#"{
  "id": 7, "conversation_id": "conv-parcel-7", "name": "Damaged parcel", "customer_id": "cust-9",
  "started_at": "2024-03-02T10:00:00Z",
  "messages": [
    {"id": 1, "timestamp": "2024-03-02T10:00:05Z", "sender": "end_user",
     "content": "The parcel arrived crushed, photo and invoice attached",
     "attachments": [
       {"id": 31, "type": "image", "filename": "parcel.png", "mime_type": "image/png", "size_bytes": 5120,
        "file_url": "http://127.0.0.1:9/files/parcel.png?token=t"},
       {"id": 32, "type": "text", "filename": "invoice-4471.csv", "mime_type": "text/csv", "size_bytes": 210,
        "file_url": "http://127.0.0.1:9/files/invoice.csv?token=t"}]},
    {"id": 2, "timestamp": "2024-03-02T10:00:09Z", "sender": "agent", "content": "Sorry to hear that."},
    {"id": 3, "timestamp": "2024-03-02T10:01:00Z", "sender": "end_user", "content": "Receipt and a voice note",
     "attachments": [
       {"id": 33, "type": "document", "filename": "receipt.pdf", "mime_type": "application/pdf", "size_bytes": 2048},
       {"id": 34, "type": "audio", "filename": "note.wav", "mime_type": "audio/wav", "size_bytes": 4000}]}
  ]
}"#;

const INVOICE: &str = "invoice,line,item,qty,unit_eur,total_eur\n4471,1,Headphones HP-200,1,129.90,129.90\n4471,2,Gift wrap,1,4.50,4.50\n4471,3,Shipping \u{1b}[31mexpress\u{1b}[0m,1,9.00,9.00\n4471,,TOTAL,,,143.40\n";

fn info() -> ProviderInfo {
    ProviderInfo {
        kind: ProviderKind::AgentSight,
        host: "127.0.0.1:8787".to_owned(),
    }
}

/// A browser of `width`×`height` with the conversation open on its Attachments tab.
fn opened(width: u16, height: u16) -> State {
    let mut state = State::new(convo::app::state::Init {
        size: (width, height),
        ..init("test", info())
    });
    let conversation: Conversation = serde_json::from_str(WITH_FILES).unwrap();
    let generation = state.detail.generation;
    let _ = update(
        &mut state,
        Msg::DetailLoaded {
            generation,
            conversation: Arc::new(conversation),
            fetched_at: Utc.with_ymd_and_hms(2024, 3, 2, 10, 5, 0).unwrap(),
        },
    );
    state.focus = Focus::Detail;
    press(&mut state, KeyCode::Char('4'));
    state
}

fn press(state: &mut State, code: KeyCode) -> Vec<Cmd> {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The one file job a key asked for.
fn job(cmds: &[Cmd]) -> FileJob {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::File(job) => Some(job.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no file job in {cmds:?}"))
}

fn screen(state: &State) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(state.size.0, state.size.1)).unwrap();
    terminal.draw(|frame| render(state, frame)).unwrap();
    terminal.backend().clone()
}

fn text_of(state: &State) -> String {
    let backend = screen(state);
    crate::support::driver::screen_text(backend.buffer())
}

macro_rules! snap {
    ($name:expr, $state:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, screen(&$state));
        });
    };
}

/// A photo of a parcel, drawn: a taped brown box on a pale floor.
pub(crate) fn parcel_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (
            f64::from(x) / f64::from(width),
            f64::from(y) / f64::from(height),
        );
        let in_box = (0.2..0.8).contains(&fx) && (0.25..0.85).contains(&fy);
        let tape = in_box && (0.46..0.54).contains(&fx);
        let crushed = in_box && fy < 0.25 + 0.15 * (1.0 - (fx - 0.5).abs() * 2.0) && fx > 0.55;
        if crushed {
            image::Rgb([90, 60, 30])
        } else if tape {
            image::Rgb([220, 200, 120])
        } else if in_box {
            image::Rgb([170, 120, 60])
        } else {
            image::Rgb([230, 230, 225])
        }
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Enter on the first file (the photo), its bytes answered as the runtime
/// answers them: classified, then encoded in half-blocks for the overlay.
fn previewing_photo(width: u16, height: u16) -> State {
    let mut state = opened(width, height);
    let preview_job = job(&press(&mut state, KeyCode::Enter));
    let FileAction::Preview { columns, rows } = preview_job.action else {
        panic!("{preview_job:?}")
    };
    let content = preview::classify(Some("image/png"), &parcel_png(240, 160), false);
    let Content::Picture(picture) = &content else {
        panic!("{content:?}")
    };
    let protocol =
        preview::picture::encode(picture, &preview::Drawing::Halfblocks, columns, rows).unwrap();
    let generation = preview_job.generation;
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Previewed {
            generation,
            content,
        }),
    );
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Encoded {
            generation,
            result: Ok(Drawn {
                size: (columns, rows),
                protocol: Arc::new(protocol),
            }),
        }),
    );
    state
}

/// `j` to the invoice, Enter, its bytes answered.
fn previewing_invoice(width: u16, height: u16) -> State {
    let mut state = opened(width, height);
    press(&mut state, KeyCode::Char('j'));
    let preview_job = job(&press(&mut state, KeyCode::Enter));
    assert_eq!(preview_job.file.filename, "invoice-4471.csv");
    let content = preview::classify(Some("text/csv"), INVOICE.as_bytes(), false);
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Previewed {
            generation: preview_job.generation,
            content,
        }),
    );
    state
}

#[test]
fn the_attachments_tab_has_a_cursor_and_its_keys_act_on_the_file_under_it() {
    let mut state = opened(80, 24);
    snap!("attachments_tab_cursor_80x24", state);
    let screen = text_of(&state);
    assert!(
        screen.contains("▶   📷 parcel.png") || screen.contains("▶ 📷"),
        "{screen}"
    );
    // The footer says what the keys do here.
    let footer = screen.lines().last().unwrap().to_owned();
    assert!(
        footer.contains("preview") && footer.contains("save file"),
        "{footer}"
    );

    press(&mut state, KeyCode::Char('j'));
    assert!(state.status.as_ref().unwrap().text.starts_with("file 2/4"));
    let save = job(&press(&mut state, KeyCode::Char('s')));
    assert_eq!(
        (save.file.filename.as_str(), save.action),
        ("invoice-4471.csv", FileAction::Save)
    );
    assert_eq!(save.file.size, Some(210));
    assert_eq!(save.file.message, 1);
    assert!(state.attachments.transfer.is_some());

    let copy = job(&press(&mut state, KeyCode::Char('Y')));
    assert_eq!(copy.action, FileAction::CopyUrl);
    // The link it holds goes with it, stamped with when it was fetched, so the
    // runtime can tell an old one.
    assert_eq!(
        copy.file.url.as_deref(),
        Some("http://127.0.0.1:9/files/invoice.csv?token=t")
    );
    assert!(copy.file.fetched_at.is_some());
    // The fresh link comes back: it is copied, and named as the file's.
    let cmds = update(
        &mut state,
        Msg::File(FileMsg::Link {
            generation: copy.generation,
            action: FileAction::CopyUrl,
            url: "http://127.0.0.1:9/files/invoice.csv?token=fresh".to_owned(),
        }),
    );
    assert!(
        matches!(&cmds[..], [Cmd::Copy { text, what: "file URL" }] if text.ends_with("fresh")),
        "{cmds:?}"
    );
    let open = job(&press(&mut state, KeyCode::Char('o')));
    assert_eq!(open.action, FileAction::OpenUrl);
    // k past the first stays on it.
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('k'));
    }
    assert!(state.status.as_ref().unwrap().text.starts_with("file 1/4"));
}

#[test]
fn a_save_shows_its_progress_and_says_the_full_path_at_the_end() {
    let mut state = opened(80, 24);
    let save = job(&press(&mut state, KeyCode::Char('s')));
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Progress {
            generation: save.generation,
            received: 2_048,
            total: Some(5_120),
        }),
    );
    let footer = text_of(&state).lines().last().unwrap().to_owned();
    assert!(
        footer.contains("saving parcel.png") && footer.contains("40%"),
        "{footer}"
    );
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Saved {
            generation: save.generation,
            result: Ok(("/home/lead/Downloads/parcel-2.png".into(), 5_120)),
        }),
    );
    assert!(state.attachments.transfer.is_none());
    assert_eq!(
        state.status.as_ref().unwrap().text,
        "saved parcel.png (5.0 KB) to /home/lead/Downloads/parcel-2.png"
    );
}

#[test]
fn text_preview_snapshots() {
    for (width, height) in [(120, 40), (80, 24)] {
        let state = previewing_invoice(width, height);
        snap!(format!("attachment_text_preview_{width}x{height}"), state);
        let screen = text_of(&state);
        // The escape in the invoice is shown as its picture, never sent.
        assert!(screen.contains("␛[31mexpress"), "{screen}");
    }
}

#[test]
fn half_block_picture_snapshots() {
    for (width, height) in [(120, 40), (80, 24)] {
        let state = previewing_photo(width, height);
        let body = preview_body(Areas::for_state(&state).main);
        snap!(
            format!("attachment_picture_preview_{width}x{height}"),
            state
        );
        let screen = text_of(&state);
        assert!(
            screen.contains("240 × 160 pixels · drawn with half-blocks"),
            "{screen}"
        );
        // The picture fills the overlay's body at its shape (3:2, a cell two
        // pixels tall): most of the body's cells are painted in its colours.
        let backend = screen_backend(&state);
        let painted = (body.top()..body.bottom())
            .flat_map(|y| (body.left()..body.right()).map(move |x| (x, y)))
            .filter(|&(x, y)| backend.buffer()[(x, y)].bg != ratatui::style::Color::Reset)
            .count();
        let cells = usize::from(body.width) * usize::from(body.height);
        assert!(painted * 3 > cells, "{painted} of {cells} cells painted");
    }
}

fn screen_backend(state: &State) -> TestBackend {
    screen(state)
}

#[test]
fn the_preview_scrolls_acts_on_its_file_and_closes() {
    let mut state = previewing_invoice(80, 24);
    press(&mut state, KeyCode::Char('j'));
    // Five lines fit in the body: nothing to scroll to.
    assert_eq!(state.attachments.preview.as_ref().unwrap().scroll, 0);
    let save = job(&press(&mut state, KeyCode::Char('s')));
    assert_eq!(save.file.filename, "invoice-4471.csv");
    press(&mut state, KeyCode::Esc);
    assert!(state.attachments.preview.is_none());
    // Esc closed the preview only: the conversation is still open.
    assert_eq!(state.focus, Focus::Detail);
}

#[test]
fn a_long_text_scrolls_and_a_cut_one_says_so() {
    let mut state = opened(80, 24);
    press(&mut state, KeyCode::Char('j'));
    let preview_job = job(&press(&mut state, KeyCode::Enter));
    let long: String = (1..=500)
        .flat_map(|n| ["line ".to_owned(), n.to_string(), "\n".to_owned()])
        .collect();
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Previewed {
            generation: preview_job.generation,
            content: preview::classify(Some("text/plain"), long.as_bytes(), true),
        }),
    );
    press(&mut state, KeyCode::PageDown);
    press(&mut state, KeyCode::Char('j'));
    let scroll = state.attachments.preview.as_ref().unwrap().scroll;
    assert!(scroll > 10, "{scroll}");
    let screen = text_of(&state);
    assert!(screen.contains(&format!("line {}", scroll + 1)), "{screen}");
    assert!(screen.contains("the first 1 MB shown"), "{screen}");
    press(&mut state, KeyCode::Char('G'));
    assert!(text_of(&state).contains("line 500"));
}

#[test]
fn pdf_and_audio_are_described_not_downloaded() {
    let mut state = opened(80, 24);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('j'));
    let cmds = press(&mut state, KeyCode::Enter);
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::File(_))), "{cmds:?}");
    let screen = text_of(&state);
    assert!(
        screen.contains("a PDF document is not drawn in a terminal: s saves it"),
        "{screen}"
    );
    assert!(
        screen.contains("application/pdf · 2.0 KB · message #3"),
        "{screen}"
    );
    press(&mut state, KeyCode::Esc);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    assert!(text_of(&state).contains("an audio file is not drawn"));
}

#[test]
fn enter_on_the_messages_tab_previews_the_chip_of_the_cursor_message() {
    let mut state = opened(80, 24);
    press(&mut state, KeyCode::Char('1'));
    // No cursor yet: said, nothing asked.
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("no file on the ▶ message")
    );
    press(&mut state, KeyCode::Char('}'));
    let preview_job = job(&press(&mut state, KeyCode::Enter));
    assert_eq!(preview_job.file.filename, "parcel.png");
    assert!(state.status.as_ref().unwrap().text.contains("has 2 files"));
}

#[test]
fn an_answer_to_a_closed_or_older_preview_is_dropped() {
    let mut state = opened(80, 24);
    let first = job(&press(&mut state, KeyCode::Enter));
    press(&mut state, KeyCode::Esc);
    press(&mut state, KeyCode::Char('j'));
    let second = job(&press(&mut state, KeyCode::Enter));
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Previewed {
            generation: first.generation,
            content: Content::NotShown("stale".to_owned()),
        }),
    );
    let preview = state.attachments.preview.as_ref().unwrap();
    assert_eq!(preview.generation, second.generation);
    assert!(matches!(preview.body, Body::Loading { .. }));
}

#[test]
fn an_expired_link_that_stays_dead_is_said_in_the_preview_and_the_status_bar() {
    let mut state = opened(80, 24);
    let preview_job = job(&press(&mut state, KeyCode::Enter));
    let _ = update(
        &mut state,
        Msg::File(FileMsg::Failed {
            generation: preview_job.generation,
            error: "the link expired or was revoked, and so was a fresh one".to_owned(),
        }),
    );
    let screen = text_of(&state);
    assert!(
        screen.contains("the link expired or was revoked"),
        "{screen}"
    );
    assert!(state.status.as_ref().unwrap().error);
}

#[test]
fn shown_text_is_drawn_whole_from_the_first_column_without_a_border() {
    let mut state = opened(80, 24);
    let url = format!("http://127.0.0.1:8787/files/{}?token=abc", "x".repeat(120));
    let _ = update(
        &mut state,
        Msg::ShowWhole(convo::app::attachments::ShownText {
            what: "file URL".to_owned(),
            text: url.clone(),
            why: "not opened: over SSH a browser would open on the server".to_owned(),
        }),
    );
    let screen = text_of(&state);
    let rows: Vec<&str> = screen.lines().collect();
    // The URL's rows, joined, are the URL: no border, no padding in between.
    let start = rows.iter().position(|r| r.starts_with("http://")).unwrap();
    let joined: String = rows[start..start + 3].concat();
    assert!(joined.starts_with(&url), "{joined}");
    assert!(!joined.contains('│'));
    press(&mut state, KeyCode::Esc);
    assert!(state.attachments.shown.is_none());
}

/// Bad input a preview meets: each one clear line, nothing drawn that should not be.
mod bad_input {
    use super::*;

    fn not_shown(content: Content) -> String {
        match content {
            Content::NotShown(why) => why,
            other => panic!("expected a reason, got {other:?}"),
        }
    }

    #[test]
    fn an_image_whose_bytes_are_html_is_shown_as_inert_text_and_said() {
        let html = b"<!DOCTYPE html><html><script>document.location='https://evil'</script></html>";
        let Content::Text(text) = preview::classify(Some("image/png"), html, false) else {
            panic!("not text")
        };
        assert_eq!(
            text.note.as_deref(),
            Some("announced as image/png, but the bytes are HTML: shown as text, not rendered")
        );
        assert!(text.lines[0].starts_with("<!DOCTYPE html>"));
    }

    /// A PNG whose header says `width`×`height` (its checksum fixed): a
    /// decompression bomb seen from outside, a few hundred bytes.
    fn claiming(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = parcel_png(4, 4);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let mut crc = 0xffff_ffffu32;
        for &b in &bytes[12..29] {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        bytes[29..33].copy_from_slice(&(!crc).to_be_bytes());
        bytes
    }

    #[test]
    fn an_image_of_20000_by_20000_pixels_is_refused_before_decoding() {
        let why = not_shown(preview::classify(
            Some("image/png"),
            &claiming(20_000, 20_000),
            false,
        ));
        assert_eq!(
            why,
            "an image of 20000 × 20000 pixels: too large to preview (at most 8192 on a side, 40 megapixels); s saves it"
        );
    }

    #[test]
    fn a_decompression_bomb_trips_a_limit_not_the_memory() {
        // 8000 × 8000 passes the side limit but not the pixel count; a real
        // bomb (zlib of zeros) is this header with a tiny body.
        let why = not_shown(preview::classify(
            Some("image/png"),
            &claiming(8_000, 8_000),
            false,
        ));
        assert!(
            why.contains("8000 × 8000") && why.contains("too large"),
            "{why}"
        );
        // Under the limits but with no pixels behind the header: it does not decode.
        let why = not_shown(preview::classify(
            Some("image/png"),
            &claiming(4_000, 4_000),
            false,
        ));
        assert!(why.starts_with("the image does not decode"), "{why}");
    }

    #[test]
    fn a_text_file_of_binary_garbage_is_not_shown_as_text() {
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let why = not_shown(preview::classify(Some("text/plain"), &garbage, false));
        assert_eq!(
            why,
            "binary, not shown as text (announced as text/plain): s saves it"
        );
    }

    #[test]
    fn text_past_1_mb_is_cut_and_said_whatever_was_downloaded() {
        // An "image" that is 3 MB of text arrives under the image cap.
        let big = "an invoice line that goes on\n".repeat(110_000);
        let Content::Text(text) = preview::classify(Some("image/png"), big.as_bytes(), false)
        else {
            panic!("not text")
        };
        assert!(text.cut && text.bytes == 1_000_000, "{} bytes", text.bytes);
    }

    #[test]
    fn a_zero_byte_file_is_said_empty() {
        assert_eq!(
            not_shown(preview::classify(Some("text/csv"), b"", false)),
            "the file is empty (0 bytes)"
        );
    }

    #[test]
    fn a_picture_cut_at_the_cap_is_not_decoded_half() {
        let why = not_shown(preview::classify(
            Some("image/png"),
            &parcel_png(50, 50),
            true,
        ));
        assert!(
            why.contains("larger than the 16 MB a preview reads"),
            "{why}"
        );
    }
}
