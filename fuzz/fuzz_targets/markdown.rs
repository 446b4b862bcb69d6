//! Any text as a message → sanitised as the Messages tab does → Markdown rendered to lines, and the whole pane drawn: no line and no cell holds a control character, and nothing panics.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::Arc;

use common::{assert_clean, assert_inert};
use convo::fuzzing::markdown_lines;
use convo::provider::model::{Conversation, Message};
use convo::text::{self, Lines};
use convo::view::detail::{DetailView, Scroll, Zone};
use convo::view::theme::Theme;
use libfuzzer_sys::fuzz_target;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let content = text::sanitize(&raw, Lines::Keep);
    for line in markdown_lines(&content) {
        assert_inert(&line.lead, "a lead");
        assert_inert(&line.cont, "a continuation lead");
        assert_inert(&line.text, "a line");
        assert!(
            !line.text.contains('\n'),
            "a line holds a break: {:?}",
            line.text
        );
    }

    // The real pane: the raw text as a message, drawn wrapped and cut.
    let message = |sender: &str| Message {
        sender: Some(sender.to_owned()),
        content: Some(raw.clone().into_owned()),
        ..Message::default()
    };
    let conversation = Arc::new(Conversation {
        id: Some(1),
        messages: Some(vec![message("agent"), message("end_user")]),
        ..Conversation::default()
    });
    let mut view = DetailView::new(conversation, Zone::Utc, Theme { mono: false, light: false });
    for (width, height) in [(30, 10), (81, 24)] {
        for _ in 0..2 {
            for how in [Scroll::Top, Scroll::PageDown, Scroll::Bottom] {
                view.scroll(how);
                view.prepare(width, height);
                let area = Rect::new(0, 0, width, height);
                let mut buf = Buffer::empty(area);
                view.render(area, &mut buf);
                assert_clean(&buf, "the Messages tab");
            }
            view.toggle_wrap();
        }
    }
});
