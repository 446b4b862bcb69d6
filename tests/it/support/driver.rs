//! The keyboard and the eyes of a test that drives the real loop: keys in, and each frame's view (whatever the test records of it) out, waited on with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a broken channel should stop the test

use std::io;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::{UnboundedReceiver as EventReceiver, UnboundedSender, unbounded};
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender as FrameSender, unbounded_channel};

/// How long any one step may take on a slow, loaded machine.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// What a test records of a frame; the screen is what a failure shows.
pub trait Frame: Send + 'static {
    /// The frame's text, one line a row.
    fn screen(&self) -> &str;
}

/// Every cell's symbol, row by row.
#[must_use]
pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Sends keys to the loop and waits on the frames it draws.
pub struct Driver<F: Frame> {
    keys: UnboundedSender<io::Result<Event>>,
    frames: UnboundedReceiver<F>,
}

/// A driver, the event stream to give the loop, and where the observer sends frames.
#[must_use]
pub fn driver<F: Frame>() -> (Driver<F>, EventReceiver<io::Result<Event>>, FrameSender<F>) {
    let (keys, events) = unbounded();
    let (frames_tx, frames) = unbounded_channel();
    (Driver { keys, frames }, events, frames_tx)
}

impl<F: Frame> Driver<F> {
    /// Presses a key; frames drawn before it are dropped, so `until` sees only what follows.
    pub fn press(&mut self, code: KeyCode) {
        while self.frames.try_recv().is_ok() {}
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        self.keys.unbounded_send(Ok(event)).unwrap();
    }

    /// Sends any terminal event (a resize, a paste); like [`Driver::press`],
    /// frames drawn before it are dropped.
    pub fn send(&mut self, event: Event) {
        while self.frames.try_recv().is_ok() {}
        self.keys.unbounded_send(Ok(event)).unwrap();
    }

    /// Types text, a key a character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// The first frame that satisfies `what`, or a failure naming it (with the last screen).
    pub async fn until(&mut self, name: &str, what: impl Fn(&F) -> bool) -> F {
        let mut last: Option<F> = None;
        let found = tokio::time::timeout(DEADLINE, async {
            while let Some(frame) = self.frames.recv().await {
                if what(&frame) {
                    return Some(frame);
                }
                last = Some(frame);
            }
            None
        })
        .await;
        match found {
            Ok(Some(frame)) => frame,
            _ => panic!(
                "waited in vain for: {name}\nlast frame:\n{}",
                last.as_ref().map(Frame::screen).unwrap_or_default()
            ),
        }
    }
}
