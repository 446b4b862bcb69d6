//! The Meta tab: ids, customer, device, geo, times, flags, the metadata tree, tickets, and token usage with cost (`unpriced` is unknown, never $0); for `ChatDash`, its own ids, contact, client, flags, custom analysis and metadata.

use serde_json::Value;

use super::clock;
use super::line::{Lead, Line, Lines};
use super::parts::{self, Ctx};
use crate::format::human;
use crate::provider::model::{Conversation, Flag, Ticket, Timestamp, TokenUsage, When};

/// How deep the metadata tree is drawn; deeper levels show as `…`.
pub(super) const MAX_DEPTH: usize = 32;

/// One block per section.
#[must_use]
pub(super) fn blocks(c: &Conversation, ctx: Ctx) -> Vec<Lines> {
    let mut blocks = vec![identity(c, ctx), place_and_time(c, ctx), flags(c, ctx)];
    let mut metadata = Lines::default();
    parts::heading(&mut metadata, ctx, "Metadata");
    match &c.metadata {
        Some(Value::Object(map)) if map.is_empty() => none(&mut metadata, ctx),
        Some(value) => tree(&mut metadata, ctx, value, 2, 0),
        None => none(&mut metadata, ctx),
    }
    metadata.push(Line::blank());
    blocks.push(metadata);
    blocks.push(tickets(c.tickets.as_deref().unwrap_or_default(), ctx));
    blocks.push(usage(c.token_usage.as_ref(), ctx));
    blocks
}

/// A `ChatDash` conversation's Meta tab: what the Summary tab does not show.
#[must_use]
pub(super) fn chatdash_blocks(c: &Conversation, ctx: Ctx) -> Vec<Lines> {
    let x = c.facts();
    let mut who = Lines::default();
    parts::heading(&mut who, ctx, "Conversation");
    opt(&mut who, ctx, "id", c.conversation_id.as_deref());
    opt(&mut who, ctx, "platform id", x.platform_id.as_deref());
    opt(&mut who, ctx, "name", c.name.as_deref());
    opt(&mut who, ctx, "agent", x.agent_id.as_deref());
    opt(&mut who, ctx, "lead", x.lead_id.as_deref());
    opt(&mut who, ctx, "campaign", x.campaign_id.as_deref());
    opt(&mut who, ctx, "phone", x.phone.as_deref());
    opt(&mut who, ctx, "phone 2", x.phone_secondary.as_deref());
    opt(
        &mut who,
        ctx,
        "instagram",
        x.instagram_username
            .as_ref()
            .map(|u| format!("@{u}"))
            .as_deref(),
    );
    opt(&mut who, ctx, "instagram id", x.instagram_id.as_deref());
    opt(&mut who, ctx, "ip", c.customer_ip_address.as_deref());
    opt(&mut who, ctx, "device", c.device.as_deref());
    opt(&mut who, ctx, "browser", x.browser.as_deref());
    opt(&mut who, ctx, "os", x.os.as_deref());
    who.push(Line::blank());

    let mut when = place_and_time(c, ctx);
    let updated = x.updated_at.as_ref().map(|when| match when {
        When::At(at) => clock::datetime(ctx.zone, at),
        When::Odd(text) => parts::one_line(text).into_owned(),
    });
    if let Some(updated) = updated {
        // Before the blank line that ends the section.
        let blank = when.lines.pop();
        parts::field(&mut when, ctx, 2, "updated", &updated, ctx.theme.text());
        when.lines.extend(blank);
    }

    let mut flags = Lines::default();
    parts::heading(&mut flags, ctx, "Flags");
    for (label, flag) in [
        ("read", &x.read),
        ("recorded", &x.recorded),
        ("interacted", &x.interacted),
    ] {
        let value = match flag {
            Some(Flag::Yes) => "yes".to_owned(),
            Some(Flag::No) => "no".to_owned(),
            Some(Flag::Odd(text)) => parts::one_line(text).into_owned(),
            None => "?".to_owned(),
        };
        parts::field(&mut flags, ctx, 2, label, &value, ctx.theme.text());
    }
    flags.push(Line::blank());

    let mut blocks = vec![who, when, flags];
    blocks.push(titled_tree(
        ctx,
        "Custom analysis",
        x.custom_analysis.as_ref(),
    ));
    blocks.push(titled_tree(ctx, "Metadata", c.metadata.as_ref()));
    let others = c.other_fields();
    if !others.is_empty() {
        blocks.push(titled_tree(
            ctx,
            "Other fields",
            Some(&Value::Object(others)),
        ));
    }
    blocks
}

/// A section holding a JSON value as a tree, `none` when it is empty.
fn titled_tree(ctx: Ctx, title: &str, value: Option<&Value>) -> Lines {
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, title);
    match value {
        Some(Value::Object(map)) if map.is_empty() => none(&mut out, ctx),
        Some(Value::Null) | None => none(&mut out, ctx),
        Some(value) => tree(&mut out, ctx, value, 2, 0),
    }
    out.push(Line::blank());
    out
}

fn none(out: &mut Lines, ctx: Ctx) {
    out.push(Line::plain("none", ctx.theme.muted()).indented(2));
}

/// Adds `label value` when there is a value.
fn opt(out: &mut Lines, ctx: Ctx, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        parts::field(out, ctx, 2, label, v, ctx.theme.text());
    }
}

fn identity(c: &Conversation, ctx: Ctx) -> Lines {
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Conversation");
    opt(&mut out, ctx, "id", c.conversation_id.as_deref());
    opt(
        &mut out,
        ctx,
        "pk",
        c.id.map(|pk| pk.to_string()).as_deref(),
    );
    opt(&mut out, ctx, "name", c.name.as_deref());
    opt(&mut out, ctx, "customer", c.customer_id.as_deref());
    opt(&mut out, ctx, "ip", c.customer_ip_address.as_deref());
    opt(&mut out, ctx, "device", c.device.as_deref());
    opt(&mut out, ctx, "language", c.language.as_deref());
    opt(&mut out, ctx, "environment", c.environment.as_deref());
    out.push(Line::blank());
    out
}

fn place_and_time(c: &Conversation, ctx: Ctx) -> Lines {
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Location and time");
    if let Some(geo) = &c.geo_location {
        opt(&mut out, ctx, "city", geo.city.as_deref());
        opt(&mut out, ctx, "country", geo.country.as_deref());
        opt(&mut out, ctx, "timezone", geo.timezone_name.as_deref());
        opt(&mut out, ctx, "geo ip", geo.ip_address.as_deref());
    }
    let when = |t: &Option<Timestamp>| t.as_ref().map(|t| clock::datetime(ctx.zone, t));
    opt(&mut out, ctx, "started", when(&c.started_at).as_deref());
    opt(&mut out, ctx, "ended", when(&c.ended_at).as_deref());
    let duration = c
        .started_at
        .as_ref()
        .and_then(Timestamp::instant)
        .zip(c.ended_at.as_ref().and_then(Timestamp::instant))
        .map(|(s, e)| human::between(s, e));
    opt(&mut out, ctx, "duration", duration.as_deref());
    opt(
        &mut out,
        ctx,
        "messages",
        Some(&c.messages().len().to_string()),
    );
    out.push(Line::blank());
    out
}

fn flags(c: &Conversation, ctx: Ctx) -> Lines {
    let theme = ctx.theme;
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Flags");
    parts::field(
        &mut out,
        ctx,
        2,
        "marked",
        parts::yes_no(c.is_marked),
        theme.text(),
    );
    let mut deleted = parts::yes_no(c.is_deleted).to_owned();
    if let Some(at) = &c.deleted_at {
        deleted.push_str(" · ");
        deleted.push_str(&clock::datetime(ctx.zone, at));
    }
    let style = if c.is_deleted == Some(true) {
        theme.error()
    } else {
        theme.text()
    };
    parts::field(&mut out, ctx, 2, "deleted", &deleted, style);
    parts::field(
        &mut out,
        ctx,
        2,
        "used",
        parts::yes_no(c.is_used),
        theme.text(),
    );
    out.push(Line::blank());
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => parts::one_line(s).into_owned(),
        Value::Object(m) if m.is_empty() => "{}".to_owned(),
        Value::Array(a) if a.is_empty() => "[]".to_owned(),
        other => parts::one_line(&other.to_string()).into_owned(),
    }
}

fn is_nested(value: &Value) -> bool {
    match value {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

/// One tree line: `key: value` (or `- value`), wrapped rows aligned under the value.
fn entry(out: &mut Lines, ctx: Ctx, indent: u16, key: &str, value: Option<&str>) {
    let mut line = Line {
        lead: Lead::indent(indent),
        cont: Lead::indent(indent + 2),
        ..Line::default()
    };
    line.push(key, ctx.theme.muted());
    if let Some(v) = value {
        line.push(" ", ctx.theme.text());
        line.push(v, ctx.theme.text());
    }
    out.push(line);
}

/// The metadata as an indented tree; untrusted, so its depth is limited.
fn tree(out: &mut Lines, ctx: Ctx, value: &Value, indent: u16, depth: usize) {
    if depth >= MAX_DEPTH {
        entry(out, ctx, indent, "…", None);
        return;
    }
    let children: Box<dyn Iterator<Item = (String, &Value)>> = match value {
        Value::Object(map) => Box::new(
            map.iter()
                .map(|(k, v)| (format!("{}:", parts::one_line(k)), v)),
        ),
        Value::Array(items) => Box::new(items.iter().map(|v| ("-".to_owned(), v))),
        scalar_value => {
            entry(out, ctx, indent, &scalar(scalar_value), None);
            return;
        }
    };
    for (key, child) in children {
        if is_nested(child) {
            entry(out, ctx, indent, &key, None);
            tree(out, ctx, child, indent + 2, depth + 1);
        } else {
            entry(out, ctx, indent, &key, Some(&scalar(child)));
        }
    }
}

fn ticket(out: &mut Lines, ctx: Ctx, t: &Ticket) {
    let theme = ctx.theme;
    let mut title = Line::default().indented(2);
    title.push(
        &parts::one_line(t.title.as_deref().unwrap_or("(untitled)")),
        theme.text().patch(theme.heading()),
    );
    out.push(title);
    let facts: Vec<String> = [t.status.as_deref(), t.priority.as_deref()]
        .into_iter()
        .flatten()
        .map(|v| parts::one_line(v).into_owned())
        .collect();
    if !facts.is_empty() {
        parts::field(out, ctx, 4, "status", &facts.join(" · "), theme.text());
    }
    let tags = t.tags.as_deref().unwrap_or_default();
    if !tags.is_empty() {
        parts::field(out, ctx, 4, "tags", &tags.join(", "), theme.text());
    }
    if let Some(env) = &t.environment {
        parts::field(out, ctx, 4, "environment", env, theme.text());
    }
    for (label, at) in [("created", &t.created_at), ("updated", &t.updated_at)] {
        if let Some(at) = at {
            parts::field(
                out,
                ctx,
                4,
                label,
                &clock::datetime(ctx.zone, at),
                theme.text(),
            );
        }
    }
    for comment in t.comments() {
        let mut head = Line::default().indented(4);
        head.push(
            &parts::one_line(comment.author.as_deref().unwrap_or("?")),
            theme.text(),
        );
        if let Some(role) = &comment.role {
            head.push(&format!(" ({})", parts::one_line(role)), theme.muted());
        }
        if let Some(at) = &comment.created_at {
            head.push(" · ", theme.muted());
            head.push(&clock::datetime(ctx.zone, at), theme.muted());
        }
        out.push(head);
        for piece in parts::multi_line(comment.body.as_deref().unwrap_or("")).split('\n') {
            out.push(Line::plain(piece, theme.text()).indented(6));
        }
    }
}

fn tickets(tickets: &[Ticket], ctx: Ctx) -> Lines {
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Tickets");
    if tickets.is_empty() {
        none(&mut out, ctx);
    }
    for t in tickets {
        ticket(&mut out, ctx, t);
    }
    out.push(Line::blank());
    out
}

fn usage(usage: Option<&TokenUsage>, ctx: Ctx) -> Lines {
    let theme = ctx.theme;
    let mut out = Lines::default();
    parts::heading(&mut out, ctx, "Token usage");
    let Some(u) = usage else {
        none(&mut out, ctx);
        return out;
    };
    parts::field(
        &mut out,
        ctx,
        2,
        "tokens",
        &human::token_counts(&u.counts()),
        theme.text(),
    );
    let unpriced = u.has_unpriced();
    let cost = human::cost(u.cost_usd.as_deref(), unpriced);
    let style = if unpriced || u.cost_usd.is_none() {
        theme.warning()
    } else {
        theme.text()
    };
    parts::field(&mut out, ctx, 2, "cost", &cost, style);
    let sources = match &u.cost_sources {
        Some(Value::Array(items)) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{}: {}", parts::one_line(k), scalar(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => scalar(other),
    };
    if !sources.is_empty() {
        parts::field(&mut out, ctx, 2, "priced by", &sources, theme.muted());
    }
    for m in u.models() {
        let mut line = Line::default().indented(2);
        line.cont = Lead::indent(6);
        line.push(
            &parts::one_line(m.model.as_deref().unwrap_or("?")),
            theme.text().patch(theme.key()),
        );
        line.push(
            &format!(" · {} · ", human::token_counts(&m.counts())),
            theme.text(),
        );
        if m.cost_source.as_deref() == Some("unpriced") {
            line.push("unknown (unpriced)", theme.warning());
        } else {
            line.push(
                &parts::one_line(&human::cost(m.cost_usd.as_deref(), false)),
                theme.text(),
            );
        }
        out.push(line);
    }
    out.push(Line::blank());
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::view::detail::Zone;
    use crate::view::theme::Theme;

    const CTX: Ctx = Ctx {
        theme: Theme {
            mono: true,
            light: false,
        },
        zone: Zone::Utc,
    };

    fn texts(lines: &Lines) -> Vec<String> {
        lines
            .lines
            .iter()
            .map(|l| {
                let lead: String = l.lead.segs.iter().map(|(s, _)| s.as_str()).collect();
                let pad = usize::from(l.lead.width).saturating_sub(crate::text::width(&lead));
                format!("{lead}{}{}", " ".repeat(pad), l.text)
            })
            .collect()
    }

    #[test]
    fn metadata_is_an_indented_tree() {
        let mut out = Lines::default();
        let value = json!({"plan": "pro", "order": {"id": 8841, "items": ["a", {"sku": "x"}]}, "empty": {}});
        tree(&mut out, CTX, &value, 0, 0);
        assert_eq!(
            texts(&out),
            vec![
                "plan: pro",
                "order:",
                "  id: 8841",
                "  items:",
                "    - a",
                "    -",
                "      sku: x",
                "empty: {}",
            ]
        );
    }

    #[test]
    fn a_deep_tree_stops_at_the_limit() {
        let mut value = json!("bottom");
        for _ in 0..100 {
            value = json!({ "k": value });
        }
        let mut out = Lines::default();
        tree(&mut out, CTX, &value, 0, 0);
        assert_eq!(out.lines.len(), MAX_DEPTH + 1);
        assert_eq!(out.lines.last().map(|l| l.text.as_str()), Some("…"));
    }

    #[test]
    fn unpriced_usage_is_unknown_never_zero() {
        let u: TokenUsage = serde_json::from_value(json!({
            "input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "cost_usd": "0.0000",
            "cost_sources": ["unpriced"],
            "by_model": [{"model": "m", "calls": 1, "cost_usd": "0", "cost_source": "unpriced"}]
        }))
        .unwrap();
        let t = texts(&usage(Some(&u), CTX)).join("\n");
        assert!(t.contains("unknown (unpriced)"), "{t}");
        assert!(t.contains("+ unknown"), "{t}");
        assert!(!t.contains("$0 "), "{t}");
    }
}
