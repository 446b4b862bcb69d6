//! The detail pane drawn on a `TestBackend`: every tab of a rich conversation at 80 and 120 columns (insta snapshots), no control character in any cell, and scrolling, search and failure jumps through the public API.
#![allow(clippy::unwrap_used)] // test helpers as well as tests stop on the first surprise

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use convo::provider::ProviderKind;
use convo::provider::chatdash::wire::ChatDashConversation;
use convo::provider::model::Conversation;
use convo::view::detail::{DetailView, Scroll, SearchStatus, Tab, TabSet, Zone};
use convo::view::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Actions that succeed, fail and never end; attachments of several types;
/// feedback; nested metadata; a ticket; usage with an unpriced model; and a
/// hostile message full of escape sequences, C1 controls and bidi overrides.
const RICH: &str = r#"{
  "id": 42, "conversation_id": "conv-abc-123", "name": "Refund for order 88412", "customer_id": "user-456",
  "customer_ip_address": "203.0.113.45", "device": "mobile", "language": "en", "environment": "production",
  "is_marked": true, "is_deleted": false, "is_used": true,
  "started_at": "2024-01-15T23:58:00Z", "ended_at": "2024-01-16T00:12:30Z",
  "metadata": {"plan": "pro", "order": {"id": 88412, "items": [{"sku": "HP-200", "qty": 1}, "gift wrap"], "total": 129.9},
               "flags": [], "vip": true, "note\u001b[2J": "evil\u202ekey"},
  "geo_location": {"ip_address": "203.0.113.45", "city": "Lyon", "country": "FR", "timezone_name": "Europe/Paris"},
  "messages": [
    {"id": 1, "timestamp": "2024-01-15T23:58:05Z", "sender": "end_user",
     "content": "Hi! My **headphones** never arrived.\nOrder 88412 — can you check? 🎧"},
    {"id": 2, "timestamp": "2024-01-15T23:58:09Z", "sender": "agent", "content": "Action lookup_order performed",
     "action_name": "lookup_order",
     "action_logs": [{"id": 10, "started_at": "2024-01-15T23:58:08Z", "ended_at": "2024-01-15T23:58:08.150Z",
                      "duration_ms": 150, "tools_used": {"database": "orders_db", "query": "order_id=88412"},
                      "response": "Order 88412: shipped, then the carrier lost the parcel somewhere near Lyon", "error_message": ""}]},
    {"id": 3, "timestamp": "2024-01-15T23:59:30Z", "sender": "agent",
     "content": "I found your order. Here is what I see:\n\n- Shipped: *Jan 12*\n- Status: `LOST`\n\n1. I'll open a claim\n2. Then refund you\n\nTrack it [here](https://example.com/track/88412).\n\n```\nclaim --order 88412\n```"},
    {"id": 4, "timestamp": "2024-01-16T00:01:00Z", "sender": "agent", "content": "Action issue_refund performed",
     "action_name": "issue_refund",
     "action_logs": [{"id": 11, "started_at": "2024-01-16T00:01:00Z", "duration_ms": 30000,
                      "tools_used": {"payments": "stripe"}, "error_message": "upstream timeout after 30 s"}]},
    {"id": 5, "timestamp": "2024-01-16T00:02:00Z", "sender": "agent", "content": "Action notify_warehouse performed",
     "action_name": "notify_warehouse", "action_logs": [{"id": 12, "started_at": "2024-01-16T00:02:00Z"}]},
    {"id": 6, "timestamp": "2024-01-16T00:03:00Z", "sender": "end_user",
     "content": "Here are screenshots 日本語のテキスト and a receipt",
     "attachments": [
       {"id": 20, "type": "image", "filename": "screenshot.png", "mime_type": "image/png", "size_bytes": 245680,
        "file_url": "https://cdn.example.com/f/screenshot.png?sig=abc"},
       {"id": 21, "type": "document", "filename": "receipt.pdf", "mime_type": "application/pdf", "size_bytes": 1048576},
       {"id": 22, "type": "audio", "filename": "voice\u001b]0;pwned\u0007.m4a", "mime_type": "audio/mp4", "size_bytes": 5000}]},
    {"id": 7, "timestamp": "2024-01-16T00:04:00Z", "sender": "human_agent",
     "content": "Hi, I'm Dana from support. I've refunded you manually."},
    {"id": 8, "timestamp": "2024-01-16T00:05:00Z", "sender": "system", "content": "Conversation transferred"},
    {"id": 9, "timestamp": "2024-01-16T00:06:00Z", "sender": "end_user",
     "content": "hostile: \u001b[31mred\u001b[0m \u001b]52;c;cHduZWQ=\u0007 \u009b2J \u202eevil\u202c &#27;[1m done\ttab"},
    {"id": 10, "timestamp": "2024-01-16T00:07:00Z", "sender": "bot-v2", "content": "ok 👍🏽 e\u0301 👩‍💻"}
  ],
  "feedbacks": [
    {"id": 1, "sentiment": "negative", "source": "customer", "comment": "Took far too long.\nSecond line.",
     "created_at": "2024-01-16T00:10:00Z"},
    {"id": 2, "sentiment": "positive", "source": "platform", "created_at": "2024-01-16T00:11:00Z"}
  ],
  "tickets": [{"id": 1, "title": "Lost parcel claim\u001b[5m", "status": "open", "priority": "high", "tags": ["shipping", "refund"],
               "created_at": "2024-01-16T00:06:00Z",
               "comments": [{"id": 1, "author": "dana", "body": "Claim filed with carrier.", "created_at": "2024-01-16T00:08:00Z"}]}],
  "token_usage": {"input_tokens": 1200, "output_tokens": 300, "total_tokens": 1500, "cost_usd": "0.0042",
                  "cost_sources": ["backend", "unpriced"],
                  "by_model": [
                    {"model": "gpt-4o-mini", "calls": 3, "input_tokens": 1000, "output_tokens": 250, "total_tokens": 1250,
                     "cost_usd": "0.0042", "cost_source": "backend"},
                    {"model": "in-house-llm\u202e", "calls": 1, "input_tokens": 200, "output_tokens": 50, "total_tokens": 250,
                     "cost_usd": null, "cost_source": "unpriced"}]},
  "brand_new_field": {"x": 1}
}"#;

fn rich() -> Arc<Conversation> {
    Arc::new(serde_json::from_str(RICH).unwrap())
}

fn view() -> DetailView {
    DetailView::new(
        rich(),
        Zone::Utc,
        Theme {
            mono: false,
            light: false,
        },
    )
    .with_fetched_at(Utc.with_ymd_and_hms(2024, 1, 16, 9, 0, 0).unwrap())
}

fn draw(view: &mut DetailView, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    view.prepare(width, height);
    terminal
        .draw(|frame| view.render(frame.area(), frame.buffer_mut()))
        .unwrap();
    terminal
}

/// The rows of a buffer as text, wide characters once.
fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut out = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let symbol = buf[(x, y)].symbol();
                out.push_str(symbol);
                x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
            }
            out.trim_end().to_owned()
        })
        .collect()
}

fn screen(view: &mut DetailView, width: u16, height: u16) -> Vec<String> {
    rows(draw(view, width, height).backend().buffer())
}

fn is_dangerous(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn every_tab_at_80_and_120_columns() {
    for (width, height) in [(80, 64), (120, 64)] {
        for &tab in TabSet::AGENTSIGHT.tabs() {
            let mut view = view();
            view.set_tab(tab);
            let terminal = draw(&mut view, width, height);
            let name = format!("detail_{}_{width}", tab.title().to_lowercase());
            insta::assert_snapshot!(name, terminal.backend());
        }
    }
}

#[test]
fn no_cell_of_any_tab_holds_a_control_character() {
    for width in [40, 80, 120] {
        for wrap in [true, false] {
            for &tab in TabSet::AGENTSIGHT.tabs() {
                let mut view = view();
                if !wrap {
                    view.toggle_wrap();
                }
                view.set_tab(tab);
                // Every row of the tab, a screen at a time.
                for _ in 0..40 {
                    let terminal = draw(&mut view, width, 24);
                    for cell in terminal.backend().buffer().content() {
                        assert!(
                            !cell.symbol().chars().any(is_dangerous),
                            "{tab:?} at {width} (wrap {wrap}) shows {:?}",
                            cell.symbol()
                        );
                    }
                    view.scroll(Scroll::PageDown);
                }
            }
        }
    }
}

#[test]
fn the_hostile_message_is_shown_inert() {
    let mut view = view();
    let text = screen(&mut view, 120, 40).join("\n");
    assert!(text.contains("␛[31mred␛[0m"), "{text}");
    assert!(text.contains("␛]52;c;cHduZWQ=␇"), "{text}");
    assert!(text.contains("�2J"), "{text}");
    assert!(
        text.contains("␛[1m"),
        "an entity decoding to ESC is neutralised too:\n{text}"
    );
}

#[test]
fn the_header_and_tab_bar_say_what_is_inside() {
    let mut view = view();
    let text = screen(&mut view, 120, 10);
    assert_eq!(
        text[0],
        "Refund for order 88412 · conv-abc-123 · user-456 · ★ marked"
    );
    assert_eq!(
        text[1],
        "mobile · en · production · 1.5k tokens · $0.0042 + unpriced · Lyon, FR · 2024-01-15 23:58:00"
    );
    assert_eq!(
        text[2],
        " 1 Messages  2 Actions (3, 1 failed)  3 Feedback ☹  4 Attachments (3)  5 Meta  6 Raw  7 Trace"
    );
    // Narrower, failures and sentiment stay, in short.
    view.set_tab(Tab::Messages);
    let text = screen(&mut view, 80, 10);
    assert_eq!(
        text[2],
        " 1 Messages  2 Actions ✗1  3 Feedback ☹  4 Attachments  5 Meta  6 Raw  7 Trace"
    );
    // Narrower still, the current tab keeps its name and details, the others their numbers.
    view.set_tab(Tab::Actions);
    let narrow = screen(&mut view, 50, 10);
    assert_eq!(narrow[2], " 1  2 Actions (3, 1 failed)  3 ☹  4  5  6  7");
}

#[test]
fn scrolling_stops_at_both_ends() {
    let mut view = view();
    let first = screen(&mut view, 80, 12);
    view.scroll(Scroll::Up(5));
    assert_eq!(screen(&mut view, 80, 12), first, "nothing above the top");
    view.scroll(Scroll::Bottom);
    let bottom = screen(&mut view, 80, 12);
    assert!(bottom[11].contains("ok 👍🏽"), "{bottom:#?}");
    view.scroll(Scroll::Down(1));
    view.scroll(Scroll::PageDown);
    assert_eq!(screen(&mut view, 80, 12), bottom, "nothing below the end");
    view.scroll(Scroll::PageUp);
    assert_ne!(screen(&mut view, 80, 12), bottom);
    view.scroll(Scroll::Top);
    assert_eq!(screen(&mut view, 80, 12), first);
    view.scroll(Scroll::HalfPageDown);
    let half = screen(&mut view, 80, 12);
    assert_eq!(half[3], first[7], "half of nine content rows is four");
}

#[test]
fn each_tab_keeps_its_own_scroll() {
    let mut view = view();
    view.scroll(Scroll::Down(3));
    let messages = screen(&mut view, 80, 12);
    view.set_tab(Tab::Raw);
    view.scroll(Scroll::Down(10));
    let raw = screen(&mut view, 80, 12);
    view.set_tab(Tab::Messages);
    assert_eq!(screen(&mut view, 80, 12)[3..], messages[3..]);
    view.set_tab(Tab::Raw);
    assert_eq!(screen(&mut view, 80, 12)[3..], raw[3..]);
}

#[test]
fn a_width_change_rewraps_and_wrap_can_be_turned_off() {
    let mut view = view();
    let wide = screen(&mut view, 120, 40);
    let narrow = screen(&mut view, 50, 40);
    assert_ne!(wide[3..], narrow[3..]);
    for row in &narrow {
        assert!(unicode_width::UnicodeWidthStr::width(row.as_str()) <= 50);
    }
    assert!(
        narrow
            .iter()
            .any(|r| r.trim_start().starts_with("the carrier")),
        "the long response wraps under itself:\n{narrow:#?}"
    );
    assert!(!view.toggle_wrap());
    let cut = screen(&mut view, 50, 40);
    assert!(cut.iter().any(|r| r.ends_with('…')), "{cut:#?}");
    assert!(
        !cut.iter()
            .any(|r| r.trim_start().starts_with("the carrier"))
    );
    assert!(view.toggle_wrap());
    assert_eq!(screen(&mut view, 120, 40), wide, "back as it was");
}

#[test]
fn search_counts_highlights_and_goes_round() {
    let mut view = view();
    view.prepare(80, 12);
    let status = view.search("REFUND");
    assert_eq!(
        status.matches, 3,
        "message 3, the issue_refund action line, message 7"
    );
    assert_eq!(status.current, Some(1));
    assert_eq!(status.to_string(), "1/3");
    let mut seen = vec![];
    for _ in 0..3 {
        seen.push(view.next_match().current);
    }
    assert_eq!(seen, vec![Some(2), Some(3), Some(1)]);
    assert_eq!(view.prev_match().current, Some(3));
    // The current match is scrolled into view and highlighted differently from the others.
    let terminal = draw(&mut view, 80, 12);
    let buf = terminal.backend().buffer();
    let marked: Vec<_> = buf
        .content()
        .iter()
        .filter(|c| c.bg == ratatui::style::Color::LightRed)
        .collect();
    assert_eq!(marked.len(), 6, "the six letters of the current match");
    // Other tabs search their own text.
    view.set_tab(Tab::Raw);
    view.prepare(80, 12);
    let raw = view.search_status();
    assert!(raw.matches >= 3, "{raw:?}");
    assert_eq!(view.search(""), SearchStatus::default());
    assert_eq!(
        view.search("no such words"),
        SearchStatus {
            matches: 0,
            current: None
        }
    );
    assert_eq!(view.next_match().to_string(), "no match");
}

#[test]
fn failure_jumps_go_round_and_land_in_the_right_tab() {
    let mut view = view();
    view.prepare(80, 12);
    assert_eq!(view.next_failure(), Some((1, 1)));
    let text = screen(&mut view, 80, 12).join("\n");
    assert!(text.contains("✗ upstream timeout after 30 s"), "{text}");
    assert_eq!(
        view.next_failure(),
        Some((1, 1)),
        "one failure: round to itself"
    );
    assert_eq!(view.prev_failure(), Some((1, 1)));
    view.set_tab(Tab::Actions);
    assert_eq!(view.next_failure(), Some((1, 1)));
    assert_eq!(view.tab(), Tab::Actions);
    let text = screen(&mut view, 80, 12).join("\n");
    assert!(
        text.contains("error       upstream timeout after 30 s"),
        "{text}"
    );
    view.set_tab(Tab::Meta);
    assert_eq!(view.prev_failure(), Some((1, 1)));
    assert_eq!(
        view.tab(),
        Tab::Messages,
        "from another tab, e goes to Messages"
    );

    let calm: Conversation =
        serde_json::from_str(r#"{"messages": [{"sender": "agent", "content": "fine"}]}"#).unwrap();
    let mut calm = DetailView::new(
        Arc::new(calm),
        Zone::Utc,
        Theme {
            mono: true,
            light: false,
        },
    );
    calm.prepare(80, 12);
    assert_eq!(calm.next_failure(), None);
}

#[test]
fn a_record_without_a_transcript_says_so() {
    let bare: Conversation = serde_json::from_str(r#"{"id": 7, "name": null}"#).unwrap();
    let mut view = DetailView::new(
        Arc::new(bare),
        Zone::Utc,
        Theme {
            mono: true,
            light: false,
        },
    );
    let text = screen(&mut view, 80, 10);
    assert_eq!(text[0], "(untitled conversation) · 7");
    assert_eq!(text[3], "transcript not loaded");
    for (tab, note) in [
        (Tab::Actions, "no actions"),
        (Tab::Feedback, "feedback not loaded"),
        (Tab::Attachments, "attachments not loaded"),
    ] {
        view.set_tab(tab);
        let text = screen(&mut view, 80, 10).join("\n");
        assert!(text.contains(note), "{tab:?}: {text}");
    }
}

#[test]
fn tiny_areas_do_not_panic() {
    let mut view = view();
    for (w, h) in [(0, 0), (1, 1), (3, 2), (5, 4), (12, 6)] {
        for &tab in TabSet::AGENTSIGHT.tabs() {
            view.set_tab(tab);
            view.prepare(w, h);
            let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
            view.render(buf.area, &mut buf);
            view.scroll(Scroll::PageDown);
            view.render(Rect::new(0, 0, w + 10, h + 10), &mut buf);
        }
    }
}

/// A `ChatDash` voice call with a human takeover, as the provider maps it;
/// its note and a misunderstood question carry escape sequences.
const CHATDASH_CALL: &str = r#"{
  "_id": "b6f2d2b1d3036d8aaec9638d", "name": "Yuki Tanaka", "channel": "Voice", "phone": "+81 90 1234 5678",
  "countryCode": "JP", "createdAt": "2024-05-16T20:08:00.000Z", "endedAt": "2024-05-16T20:13:52.000Z",
  "isLive": true, "status": "human", "liveAgentName": "Maria Lopez", "liveAgentId": "la-01",
  "duration": 5.87, "cost": 0.4132, "endedReason": "assistant-forwarded-call", "noAnswer": false,
  "url": "https://storage.vapi.ai/recordings/9b34.wav", "topic": "Billing", "subtopic": "Invoice question",
  "summary": "Caller disputed a high bill and asked for a payment plan.",
  "evaluation": {"isSuccess": false, "reason": "A live agent had to take over."},
  "mistunderstoodQueries": [{"question": "payment \u001b[2Jplan"}],
  "note": "Send the corrected invoice\u001b]0;pwned\u0007 \u202eevil",
  "messages": [
    {"sender": "bot", "content": {"text": "Thanks for calling."}, "createdAt": "2024-05-16T20:08:04.000Z"},
    {"sender": "user", "content": {"text": "A payment plan, please."}, "createdAt": "2024-05-16T20:08:15.000Z"},
    {"sender": "agent", "content": {"text": "Maria from billing here."}, "createdAt": "2024-05-16T20:11:40.000Z"}
  ]
}"#;

fn chatdash_view() -> DetailView {
    let wire: ChatDashConversation = serde_json::from_str(CHATDASH_CALL).unwrap();
    DetailView::new(
        Arc::new(wire.into_conversation()),
        Zone::Utc,
        Theme {
            mono: false,
            light: false,
        },
    )
    .for_provider(ProviderKind::ChatDash)
}

#[test]
fn a_chatdash_view_has_its_own_four_tabs_and_opens_on_summary() {
    let mut view = chatdash_view();
    assert_eq!(view.provider(), ProviderKind::ChatDash);
    assert_eq!(view.tab(), Tab::Summary);
    assert_eq!(
        view.tabs(),
        &[Tab::Summary, Tab::Messages, Tab::Meta, Tab::Raw]
    );
    let numbered: Vec<_> = (1..=6).map(|n| view.tab_numbered(n)).collect();
    assert_eq!(
        numbered,
        [
            Some(Tab::Summary),
            Some(Tab::Messages),
            Some(Tab::Meta),
            Some(Tab::Raw),
            None,
            None
        ]
    );
    assert_eq!(view.next_tab(), Tab::Messages);
    assert_eq!(view.prev_tab(), Tab::Raw);
    view.set_tab(Tab::Raw);
    assert_eq!(view.next_tab(), Tab::Summary);
    // A tab remembered from an AgentSight view falls back to the first.
    view.set_tab(Tab::Actions);
    assert_eq!(view.tab(), Tab::Summary);
    // No action logs: e/E find nothing and switch to no tab.
    view.set_tab(Tab::Meta);
    assert!(!view.has_action_logs());
    assert_eq!(view.next_failure(), None);
    assert_eq!(view.prev_failure(), None);
    assert_eq!(view.tab(), Tab::Meta);

    let agentsight = self::view();
    assert_eq!(agentsight.tabs(), TabSet::AGENTSIGHT.tabs());
    assert_eq!(agentsight.tab_numbered(6), Some(Tab::Raw));
    assert!(agentsight.has_action_logs());
    let same = self::view().for_provider(ProviderKind::AgentSight);
    assert_eq!(same.tab(), Tab::Messages);
}

#[test]
fn the_chatdash_header_shows_channel_status_and_verdict() {
    let mut view = chatdash_view();
    let text = screen(&mut view, 100, 10);
    assert_eq!(
        text[0],
        "Yuki Tanaka · b6f2d2b1d3036d8aaec9638d · +81 90 1234 5678"
    );
    assert_eq!(
        text[1],
        "Voice · human: Maria Lopez · ● live · JP · 2024-05-16 20:08:00"
    );
    assert_eq!(text[2], " 1 Summary ✗  2 Messages  3 Meta  4 Raw");
    assert_eq!(text[3], "Summary");
    // The tab bar's labels can be clicked.
    assert_eq!(view.tab_at(1, 2), Some(Tab::Summary));
    assert_eq!(view.tab_at(16, 2), Some(Tab::Messages));
    assert_eq!(view.tab_at(37, 2), Some(Tab::Raw));
    assert_eq!(view.tab_at(60, 2), None);
    assert_eq!(view.tab_at(16, 3), None, "only the tab bar's row");
}

#[test]
fn the_chatdash_summary_tab_reads_at_80_columns() {
    let mut view = chatdash_view();
    let text = screen(&mut view, 80, 30).join("\n");
    for want in [
        "  Caller disputed a high bill and asked for a payment plan.",
        "  evaluation  ✗ unsuccessful · A live agent had to take over.",
        "  topic       Billing › Invoice question",
        "  status      human · taken over by a live agent",
        "  live agent  Maria Lopez · la-01 · live now",
        "  channel     Voice · +81 90 1234 5678",
        "Misunderstood queries (1)",
        "  duration    5 m 52 s",
        "  cost        $0.4132",
        "  recording   https://storage.vapi.ai/recordings/9b34.wav",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
}

#[test]
fn no_cell_of_a_chatdash_tab_holds_a_control_character() {
    for width in [40, 80, 120] {
        for &tab in TabSet::CHATDASH.tabs() {
            let mut view = chatdash_view();
            view.set_tab(tab);
            for _ in 0..10 {
                let terminal = draw(&mut view, width, 24);
                for cell in terminal.backend().buffer().content() {
                    assert!(
                        !cell.symbol().chars().any(is_dangerous),
                        "{tab:?} at {width} shows {:?}",
                        cell.symbol()
                    );
                }
                view.scroll(Scroll::PageDown);
            }
        }
    }
}

#[test]
fn a_bare_chatdash_record_does_not_panic_anywhere() {
    let bare = Conversation::default();
    let mut view = DetailView::new(
        Arc::new(bare),
        Zone::Utc,
        Theme {
            mono: true,
            light: false,
        },
    )
    .for_provider(ProviderKind::ChatDash);
    let text = screen(&mut view, 80, 20);
    assert_eq!(text[0], "(unnamed customer) · ?");
    assert_eq!(text[4], "  no summary");
    for (w, h) in [(0, 0), (1, 1), (3, 2), (5, 4), (12, 6)] {
        for &tab in TabSet::CHATDASH.tabs() {
            view.set_tab(tab);
            view.prepare(w, h);
            let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
            view.render(buf.area, &mut buf);
            view.scroll(Scroll::PageDown);
        }
    }
}
