//! The Summary tab of a `ChatDash` conversation: summary, evaluation, topic, status and live agent, note, channel and call facts (cost, duration, end, recording), misunderstood queries.
//!
//! It reads the conversation's typed [`ConversationFacts`]; how odd wire
//! values become those facts is the model's business, not this tab's.

use std::borrow::Cow;

use ratatui::style::Style;

use super::line::{Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::{Conversation, ConversationFacts, Flag, Number};

/// `$0.127`; a cost that is not a number shows as it came, and none is
/// "unknown" — never `$0`.
#[must_use]
pub(super) fn cost(value: Option<&Number>) -> String {
    match value {
        Some(Number::Value(v)) => human::cost(Some(&v.to_string()), false),
        Some(Number::Odd(text)) => format!("{} (not a number)", parts::one_line(text)),
        None => human::cost(None, false),
    }
}

/// A duration in minutes (as `ChatDash` counts calls) read at a glance: `58.2 s`, `3 m 00 s`.
#[must_use]
pub(super) fn minutes(value: &Number) -> String {
    // Beyond a century it is bad data, not a call: no cast can overflow.
    const LIMIT: f64 = 100.0 * 365.0 * 24.0 * 60.0;
    match value {
        Number::Value(m) if (0.0..LIMIT).contains(m) => {
            // Whole milliseconds: a call's length to the ms is all ChatDash measures.
            human::duration_ms((m * 60_000.0).round())
        }
        // Bad data: shown as it came, in a form that stays short.
        Number::Value(m) if m.abs() < 1e9 => format!("{m} min (?)"),
        Number::Value(m) => format!("{m:e} min (?)"),
        Number::Odd(text) => format!("{} (not a number)", parts::one_line(text)),
    }
}

/// What a `status` means, for people: `ai`, `pending` or `human`, and its colour.
fn status(raw: &str, ctx: Ctx) -> (String, Style) {
    let theme = ctx.theme;
    let word = parts::one_line(raw);
    match raw.trim().to_ascii_lowercase().as_str() {
        "ai" => (format!("{word} · handled by the bot"), theme.text()),
        "pending" => (
            format!("{word} · waiting for a live agent"),
            theme.warning(),
        ),
        "human" => (
            format!("{word} · taken over by a live agent"),
            theme.sender("human_agent"),
        ),
        _ => (word.into_owned(), theme.text()),
    }
}

/// A labelled line of styled pieces (already safe or sanitised here).
fn pieces(out: &mut Lines, ctx: Ctx, label: &str, pieces: &[(&str, Style)]) {
    let mut line = parts::labelled(ctx, 2, label);
    for (text, style) in pieces {
        line.push(text, *style);
    }
    out.push(line);
}

/// `label value`, or a muted `—` when the value is missing.
fn or_dash(out: &mut Lines, ctx: Ctx, label: &str, value: Option<&str>, style: Style) {
    match value {
        Some(v) => parts::field(out, ctx, 2, label, v, style),
        None => parts::field(out, ctx, 2, label, "—", ctx.theme.muted()),
    }
}

fn flag_word(flag: &Flag) -> Cow<'_, str> {
    match flag {
        Flag::Yes => Cow::Borrowed("yes"),
        Flag::No => Cow::Borrowed("no"),
        Flag::Odd(text) => parts::one_line(text),
    }
}

/// The summary, then the verdict and who has the conversation.
fn overview(x: &ConversationFacts, ctx: Ctx) -> Lines {
    let theme = ctx.theme;
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Summary");
    match &x.summary {
        Some(summary) => {
            for piece in parts::multi_line(summary).split('\n') {
                out.push(Line::plain(piece, theme.text()).indented(2));
            }
        }
        None => out.push(Line::plain("no summary", theme.muted()).indented(2)),
    }
    out.push(Line::blank());

    match &x.evaluation {
        Some(evaluation) => {
            let (verdict, style) = match &evaluation.success {
                Some(Flag::Yes) => (Cow::Borrowed("✓ successful"), theme.success()),
                Some(Flag::No) => (Cow::Borrowed("✗ unsuccessful"), theme.error()),
                Some(Flag::Odd(text)) => (
                    Cow::Owned(format!("? {}", parts::one_line(text))),
                    theme.warning(),
                ),
                None => (Cow::Borrowed("? no verdict"), theme.muted()),
            };
            let reason = evaluation.reason.as_deref().map(parts::one_line);
            let mut shown = vec![(verdict.as_ref(), style)];
            if let Some(reason) = reason.as_deref() {
                shown.push((" · ", theme.muted()));
                shown.push((reason, theme.text()));
            }
            pieces(&mut out, ctx, "evaluation", &shown);
        }
        None => or_dash(&mut out, ctx, "evaluation", None, theme.text()),
    }

    let topic = match (&x.topic, &x.subtopic) {
        (Some(t), Some(s)) => Some(format!("{t} › {s}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(s)) => Some(format!("— › {s}")),
        (None, None) => None,
    };
    or_dash(&mut out, ctx, "topic", topic.as_deref(), theme.text());

    match x.status.as_deref() {
        Some(raw) => {
            let (text, style) = status(raw, ctx);
            parts::field(&mut out, ctx, 2, "status", &text, style);
        }
        None => or_dash(&mut out, ctx, "status", None, theme.text()),
    }
    // Who has it: the live agent, and whether the conversation is live now
    // (not being live is the usual case and goes unsaid).
    let live = x.is_live.as_ref().filter(|l| **l != Flag::No);
    let named = x.live_agent_name.is_some() || x.live_agent_id.is_some();
    if named || x.is_with_a_person() || live.is_some() {
        let name = x.live_agent_name.as_deref().map(parts::one_line);
        let id = x.live_agent_id.as_deref().map(parts::one_line);
        let odd = match live {
            Some(Flag::Odd(text)) => format!(" · live: {}", parts::one_line(text)),
            _ => String::new(),
        };
        let mut shown = Vec::new();
        match name.as_deref() {
            Some(n) => shown.push((n, theme.sender("human_agent"))),
            None => shown.push(("—", theme.muted())),
        }
        if let Some(id) = id.as_deref() {
            shown.push((" · ", theme.muted()));
            shown.push((id, theme.muted()));
        }
        if live == Some(&Flag::Yes) {
            shown.push((" · ", theme.muted()));
            shown.push(("live now", theme.warning()));
        }
        shown.push((&odd, theme.muted()));
        pieces(&mut out, ctx, "live agent", &shown);
    }
    if let Some(note) = &x.note {
        parts::field(&mut out, ctx, 2, "note", note, theme.text());
    }
    out.push(Line::blank());
    out
}

/// The questions the bot did not understand: what to train it on next.
fn misunderstood(x: &ConversationFacts, ctx: Ctx) -> Lines {
    let theme = ctx.theme;
    let mut out = Lines::default();
    let questions = &x.misunderstood;
    let title = match questions {
        Some(q) if !q.is_empty() => format!("Misunderstood queries ({})", q.len()),
        _ => "Misunderstood queries".to_owned(),
    };
    parts::heading(&mut out, ctx, &title);
    match questions {
        None => out.push(Line::plain("—", theme.muted()).indented(2)),
        Some(q) if q.is_empty() => out.push(Line::plain("none", theme.muted()).indented(2)),
        Some(q) => {
            for question in q {
                let mut line = Line::default().indented(2);
                line.cont = super::line::Lead::indent(4);
                line.push("• ", theme.muted());
                line.push(&parts::one_line(question), theme.text());
                out.push(line);
            }
        }
    }
    out.push(Line::blank());
    out
}

/// Where the conversation happened and, for a call, what it cost and how it ended.
fn channel(x: &ConversationFacts, ctx: Ctx) -> Lines {
    let theme = ctx.theme;
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, if x.is_call { "Call" } else { "Channel" });
    // The channel with the customer's address on it: a phone number, an Instagram handle.
    let contacts: Vec<String> = [
        x.phone.clone(),
        x.phone_secondary.clone(),
        x.instagram_username.as_ref().map(|u| format!("@{u}")),
    ]
    .into_iter()
    .flatten()
    .map(|c| parts::one_line(&c).into_owned())
    .collect();
    let channel = x.channel.as_deref().map(parts::one_line);
    let mut shown = vec![match channel.as_deref() {
        Some(c) => (c, theme.text()),
        None => ("—", theme.muted()),
    }];
    for contact in &contacts {
        shown.push((" · ", theme.muted()));
        shown.push((contact, theme.text()));
    }
    pieces(&mut out, ctx, "channel", &shown);
    if x.is_call {
        let duration = x.duration.as_ref().map(minutes);
        or_dash(&mut out, ctx, "duration", duration.as_deref(), theme.text());
        let cost_value = x.cost.as_ref();
        let cost_style = match cost_value {
            Some(Number::Value(_)) => theme.text(),
            Some(Number::Odd(_)) => theme.warning(),
            None => theme.muted(),
        };
        parts::field(&mut out, ctx, 2, "cost", &cost(cost_value), cost_style);
        let ended = x.ended_reason.as_deref();
        or_dash(&mut out, ctx, "end reason", ended, theme.text());
        match &x.no_answer {
            Some(flag) => {
                let style = if *flag == Flag::Yes {
                    theme.warning()
                } else {
                    theme.text()
                };
                parts::field(&mut out, ctx, 2, "no answer", &flag_word(flag), style);
            }
            None => or_dash(&mut out, ctx, "no answer", None, theme.text()),
        }
        let url = x.recording.as_deref();
        or_dash(&mut out, ctx, "recording", url, theme.link());
    }
    out.push(Line::blank());
    out
}

/// One block per section: what happened and who has it, then where (and
/// for a call, its cost and end), then what the bot did not understand.
#[must_use]
pub(super) fn blocks(conversation: &Conversation, ctx: Ctx) -> Vec<Lines> {
    facts_blocks(&conversation.facts(), ctx)
}

/// [`blocks`] for facts already read.
#[must_use]
pub(super) fn facts_blocks(facts: &ConversationFacts, ctx: Ctx) -> Vec<Lines> {
    vec![
        overview(facts, ctx),
        channel(facts, ctx),
        misunderstood(facts, ctx),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::model::Evaluation;
    use crate::view::detail::Zone;
    use crate::view::theme::Theme;

    const CTX: Ctx = Ctx {
        theme: Theme {
            mono: false,
            light: false,
        },
        zone: Zone::Utc,
    };

    #[allow(clippy::unnecessary_wraps)] // shorthand for an optional text fact
    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn texts(facts: &ConversationFacts) -> Vec<String> {
        facts_blocks(facts, CTX)
            .iter()
            .flat_map(|b| b.lines.iter())
            .map(|l| {
                let lead: String = l.lead.segs.iter().map(|(s, _)| s.as_str()).collect();
                let pad = usize::from(l.lead.width).saturating_sub(crate::text::width(&lead));
                format!("{lead}{}{}", " ".repeat(pad), l.text)
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    fn line_with<'a>(c: &'a [String], start: &str) -> &'a str {
        c.iter()
            .find(|l| l.trim_start().starts_with(start))
            .map_or("", String::as_str)
    }

    fn voice_call() -> ConversationFacts {
        ConversationFacts {
            channel: some("Voice"),
            phone: some("+81 90 1234 5678"),
            status: some("human"),
            live_agent_name: some("Maria Lopez"),
            live_agent_id: some("la-01"),
            is_live: Some(Flag::Yes),
            duration: Some(Number::Value(0.97)),
            cost: Some(Number::Value(0.127)),
            ended_reason: some("assistant-forwarded-call"),
            no_answer: Some(Flag::No),
            recording: some("https://storage.vapi.ai/recordings/9b34.wav"),
            is_call: true,
            topic: some("Billing"),
            subtopic: some("Invoice question"),
            summary: some("Caller disputed a high bill.\nTransferred to billing."),
            evaluation: Some(Evaluation {
                success: Some(Flag::No),
                reason: some("No payment plan was set up."),
            }),
            misunderstood: Some(vec![
                "payment plan".to_owned(),
                "talk to someone".to_owned(),
            ]),
            note: some("Call back Monday"),
            ..ConversationFacts::default()
        }
    }

    #[test]
    fn a_voice_call_shows_every_field() {
        let t = texts(&voice_call());
        assert_eq!(
            t[..3],
            [
                "Summary",
                "  Caller disputed a high bill.",
                "  Transferred to billing."
            ]
        );
        assert_eq!(
            line_with(&t, "evaluation"),
            "  evaluation  ✗ unsuccessful · No payment plan was set up."
        );
        assert_eq!(
            line_with(&t, "topic"),
            "  topic       Billing › Invoice question"
        );
        assert_eq!(
            line_with(&t, "status"),
            "  status      human · taken over by a live agent"
        );
        assert_eq!(
            line_with(&t, "live agent"),
            "  live agent  Maria Lopez · la-01 · live now"
        );
        assert_eq!(line_with(&t, "note"), "  note        Call back Monday");
        assert!(
            t.contains(&"Misunderstood queries (2)".to_owned()),
            "{t:#?}"
        );
        assert!(t.contains(&"  • talk to someone".to_owned()), "{t:#?}");
        assert!(t.contains(&"Call".to_owned()), "{t:#?}");
        assert_eq!(
            line_with(&t, "channel"),
            "  channel     Voice · +81 90 1234 5678"
        );
        assert_eq!(line_with(&t, "duration"), "  duration    58.2 s");
        assert_eq!(line_with(&t, "cost"), "  cost        $0.127");
        assert_eq!(
            line_with(&t, "end reason"),
            "  end reason  assistant-forwarded-call"
        );
        assert_eq!(line_with(&t, "no answer"), "  no answer   no");
        assert_eq!(
            line_with(&t, "recording"),
            "  recording   https://storage.vapi.ai/recordings/9b34.wav"
        );
    }

    #[test]
    fn the_verdict_is_coloured_and_the_recording_is_a_link() {
        let all = facts_blocks(&voice_call(), CTX);
        let lines: Vec<&Line> = all.iter().flat_map(|b| b.lines.iter()).collect();
        let evaluation = lines.iter().find(|l| l.text.starts_with('✗')).unwrap();
        assert_eq!(evaluation.style_at(0), CTX.theme.error());
        let success = ConversationFacts {
            evaluation: Some(Evaluation {
                success: Some(Flag::Yes),
                reason: None,
            }),
            ..ConversationFacts::default()
        };
        let t = texts(&success);
        assert_eq!(line_with(&t, "evaluation"), "  evaluation  ✓ successful");
        let recording = lines
            .iter()
            .find(|l| l.text.starts_with("https://"))
            .unwrap();
        assert_eq!(recording.style_at(0), CTX.theme.link());
    }

    #[test]
    fn a_chat_has_no_call_section_and_empty_queries_say_none() {
        let t = texts(&ConversationFacts {
            channel: some("Webchat"),
            status: some("ai"),
            is_live: Some(Flag::No),
            misunderstood: Some(Vec::new()),
            instagram_username: some("ana"),
            ..ConversationFacts::default()
        });
        assert!(t.contains(&"Channel".to_owned()), "{t:#?}");
        assert!(!t.iter().any(|l| l.contains("cost")), "{t:#?}");
        assert!(!t.iter().any(|l| l.contains("live agent")), "{t:#?}");
        assert_eq!(
            line_with(&t, "status"),
            "  status      ai · handled by the bot"
        );
        assert_eq!(line_with(&t, "channel"), "  channel     Webchat · @ana");
        let at = t.iter().position(|l| l == "Misunderstood queries").unwrap();
        assert_eq!(t[at + 1], "  none");
    }

    #[test]
    fn missing_facts_show_a_dash_and_nothing_crashes() {
        let t = texts(&ConversationFacts::default());
        assert_eq!(t[1], "  no summary");
        assert_eq!(line_with(&t, "evaluation"), "  evaluation  —");
        assert_eq!(line_with(&t, "topic"), "  topic       —");
        assert_eq!(line_with(&t, "status"), "  status      —");
        assert_eq!(line_with(&t, "channel"), "  channel     —");
        let at = t.iter().position(|l| l == "Misunderstood queries").unwrap();
        assert_eq!(t[at + 1], "  —", "absent is not the same as none");
        let bare_call = texts(&ConversationFacts {
            channel: some("voice"),
            is_call: true,
            ..ConversationFacts::default()
        });
        assert_eq!(line_with(&bare_call, "cost"), "  cost        unknown");
        assert_eq!(line_with(&bare_call, "duration"), "  duration    —");
        assert_eq!(line_with(&bare_call, "recording"), "  recording   —");
        assert_eq!(line_with(&bare_call, "no answer"), "  no answer   —");
    }

    #[test]
    fn odd_facts_show_as_they_came() {
        let t = texts(&ConversationFacts {
            summary: some("42"),
            evaluation: Some(Evaluation {
                success: None,
                reason: some("the bot did fine"),
            }),
            topic: some(r#"["a","b"]"#),
            subtopic: some(r#"{"x":1}"#),
            status: some("7"),
            is_live: Some(Flag::Odd("maybe".into())),
            live_agent_name: some("true"),
            misunderstood: Some(vec!["what?".to_owned()]),
            channel: some("Voice"),
            is_call: true,
            duration: Some(Number::Odd("three".into())),
            no_answer: Some(Flag::Odd("perhaps".into())),
            ..ConversationFacts::default()
        });
        assert_eq!(t[1], "  42");
        assert_eq!(
            line_with(&t, "evaluation"),
            "  evaluation  ? no verdict · the bot did fine"
        );
        assert_eq!(
            line_with(&t, "topic"),
            r#"  topic       ["a","b"] › {"x":1}"#
        );
        assert_eq!(line_with(&t, "status"), "  status      7");
        assert_eq!(
            line_with(&t, "live agent"),
            "  live agent  true · live: maybe"
        );
        assert!(t.contains(&"  • what?".to_owned()), "{t:#?}");
        assert_eq!(
            line_with(&t, "duration"),
            "  duration    three (not a number)"
        );
        assert_eq!(line_with(&t, "no answer"), "  no answer   perhaps");
        let odd = texts(&ConversationFacts {
            cost: Some(Number::Odd("free".into())),
            duration: Some(Number::Value(-3.0)),
            evaluation: Some(Evaluation {
                success: Some(Flag::Odd("sort of".into())),
                reason: None,
            }),
            is_call: true,
            ..ConversationFacts::default()
        });
        assert_eq!(line_with(&odd, "cost"), "  cost        free (not a number)");
        assert_eq!(line_with(&odd, "duration"), "  duration    -3 min (?)");
        assert_eq!(line_with(&odd, "evaluation"), "  evaluation  ? sort of");
    }

    #[test]
    fn durations_are_minutes_read_at_a_glance() {
        assert_eq!(minutes(&Number::Value(0.97)), "58.2 s");
        assert_eq!(minutes(&Number::Value(3.0)), "3 m 00 s");
        assert_eq!(minutes(&Number::Value(75.5)), "1 h 15 m");
        assert_eq!(minutes(&Number::Value(0.0)), "0 ms");
        assert_eq!(minutes(&Number::Value(-1.5)), "-1.5 min (?)");
        assert_eq!(minutes(&Number::Value(1e300)), "1e300 min (?)");
    }

    #[test]
    fn cost_is_never_zero_when_unknown() {
        assert_eq!(cost(None), "unknown");
        assert_eq!(cost(Some(&Number::Value(0.0))), "$0");
        assert_eq!(cost(Some(&Number::Value(1.5))), "$1.5");
    }

    #[test]
    fn hostile_text_is_neutralised() {
        let t = texts(&ConversationFacts {
            summary: some("a\u{1b}[2Jb\nsecond"),
            note: some("x\u{7}y"),
            topic: some("t\u{202e}"),
            misunderstood: Some(vec!["q\u{1b}]0;pwn\u{7}".to_owned()]),
            ..ConversationFacts::default()
        });
        for line in &t {
            assert!(
                !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{line:?}"
            );
        }
        assert_eq!(t[1], "  a␛[2Jb");
        assert_eq!(t[2], "  second");
    }
}
