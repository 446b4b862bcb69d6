//! The keyboard and the eyes of a test that drives the real loop: keys in, and each frame's view (whatever the test records of it) out, waited on with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a broken channel should stop the test

use std::io;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::{UnboundedReceiver as EventReceiver, UnboundedSender, unbounded};
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender as FrameSender, unbounded_channel};

/// How long any one step may take on a slow, loaded machine.
pub(crate) const DEADLINE: Duration = Duration::from_secs(60);

/// What a test records of a frame; the screen is what a failure shows.
pub(crate) trait Frame: Clone + Send + 'static {
    /// The frame's text, one line a row.
    fn screen(&self) -> &str;
}

/// Every cell's symbol, row by row.
#[must_use]
pub(crate) fn screen_text(buffer: &Buffer) -> String {
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
pub(crate) struct Driver<F: Frame> {
    keys: UnboundedSender<io::Result<Event>>,
    frames: UnboundedReceiver<F>,
    /// The newest frame taken from the loop.
    pub last: Option<F>,
}

/// A driver, the event stream to give the loop, and where the observer sends frames.
#[must_use]
pub(crate) fn driver<F: Frame>() -> (Driver<F>, EventReceiver<io::Result<Event>>, FrameSender<F>) {
    let (keys, events) = unbounded();
    let (frames_tx, frames) = unbounded_channel();
    (
        Driver {
            keys,
            frames,
            last: None,
        },
        events,
        frames_tx,
    )
}

impl<F: Frame> Driver<F> {
    /// Presses a key; frames drawn before it are skipped (the newest is kept
    /// as `last`), so `until` sees only what follows.
    pub(crate) fn press(&mut self, code: KeyCode) {
        self.skip_drawn();
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        self.keys.unbounded_send(Ok(event)).unwrap();
    }

    /// Sends any terminal event (a resize, a paste); like [`Driver::press`],
    /// frames drawn before it are dropped.
    pub(crate) fn send(&mut self, event: Event) {
        self.skip_drawn();
        self.keys.unbounded_send(Ok(event)).unwrap();
    }

    /// Types text, a key a character.
    pub(crate) fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    fn skip_drawn(&mut self) {
        while let Ok(frame) = self.frames.try_recv() {
            self.last = Some(frame);
        }
    }

    /// The first frame that satisfies `what`, or a failure naming it (with the last screen).
    pub(crate) async fn until(&mut self, name: &str, what: impl Fn(&F) -> bool) -> F {
        let mut frames = self.frames_until(name, what).await;
        frames.pop().unwrap()
    }

    /// Every frame up to and including the first that satisfies `what`, or a
    /// failure naming it (with the last screen).
    pub(crate) async fn frames_until(&mut self, name: &str, what: impl Fn(&F) -> bool) -> Vec<F> {
        let mut frames: Vec<F> = Vec::new();
        let found = tokio::time::timeout(DEADLINE, async {
            while let Some(frame) = self.frames.recv().await {
                let done = what(&frame);
                frames.push(frame);
                if done {
                    return true;
                }
            }
            false
        })
        .await;
        if let Some(newest) = frames.last() {
            self.last = Some(newest.clone());
        }
        assert!(
            found == Ok(true),
            "waited in vain for: {name}\nlast frame:\n{}",
            self.last.as_ref().map(Frame::screen).unwrap_or_default()
        );
        frames
    }
}
