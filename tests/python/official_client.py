"""Drives the official AgentSight Python client (agentsight 0.1.4), unchanged, against `convo serve`.

Run by tests/official_client.rs with AGENTSIGHT_API_ENDPOINT pointing at a local
server and AGENTSIGHT_API_KEY set to the demo key. Exits non-zero with a message
on the first mismatch.
"""

import sys
from datetime import datetime, timezone

from agentsight.api import AgentSight
from agentsight.exceptions import NotFoundError, ValidationError


def fail(message):
    print(f"official_client.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def parse_time(text):
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def as_text(value):
    """A metadata value as the server compares it: JSON text for numbers and booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def meta(row):
    value = row.get("metadata")
    return value if isinstance(value, dict) else {}


MISSING = object()


def walk(document, dotted):
    """The value at a dotted metadata key, or MISSING."""
    current = document
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return MISSING
        current = current[part]
    return current


def typed_match(stored, text):
    """A filter value typed as it looks (1 number, true bool, null null, else text) against a stored one."""
    if text in ("true", "false"):
        return isinstance(stored, bool) and stored == (text == "true")
    if text == "null":
        return stored is None
    try:
        number = float(text)
    except ValueError:
        return isinstance(stored, str) and stored == text
    return isinstance(stored, (int, float)) and not isinstance(stored, bool) and stored == number


def votes(row):
    return [m["feedback"] for m in row.get("messages") or [] if isinstance(m.get("feedback"), dict)]


def leaf_paths(document, prefix=""):
    """Every dotted path to a value that is not an object."""
    for key, value in document.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from leaf_paths(value, path)
        else:
            yield path


def lowered(value):
    return (value or "").lower() if isinstance(value, str) else ""


def fields_of(row, f, kind, message=None):
    """A feedback row as the service derives it from the conversation it sits in."""
    return {
        "id": f["id"],
        "kind": kind,
        "conversation": row["id"],
        "conversation_id": row.get("conversation_id"),
        "message": message["id"] if message else None,
        "environment": row.get("environment"),
        "sentiment": f.get("sentiment"),
        "comment": f.get("comment"),
        "topic": f.get("topic"),
        "reason": f.get("reason"),
        "created_at": f.get("created_at") or (message or {}).get("timestamp"),
    }


def check_feedbacks(ags, all_full, ticket_rows):
    """feedbacks.list/page/get against rows derived from the conversations."""
    expected = {}
    for row in all_full:
        for f in row.get("feedbacks") or []:
            expected[f["id"]] = fields_of(row, f, "conversation")
        for m in row.get("messages") or []:
            if isinstance(m.get("feedback"), dict):
                expected[m["feedback"]["id"]] = fields_of(row, m["feedback"], "message", m)
    served = list(ags.feedbacks.list())
    ids = [f["id"] for f in served]
    check(len(ids) == len(set(ids)), "feedback ids are unique across kinds")
    agent_rows = [f for f in served if f.get("kind") == "agent"]
    check(agent_rows, "there is agent feedback")
    for f in agent_rows:
        check(f.get("conversation") is None and f.get("message") is None, f"agent feedback: {f!r}")
    check(
        {f["id"] for f in served if f.get("kind") != "agent"} == set(expected),
        "feedbacks.list() holds every conversation feedback and message vote",
    )
    universe = {}
    for f in served:
        check("ticket" not in f, "no ticket key without the gate")
        want = expected.get(f["id"])
        if want:
            for name, value in want.items():
                check(f.get(name) == value, f"feedback {f['id']} {name}: {f.get(name)!r}, expected {value!r}")
        universe[f["id"]] = f
    times = [parse_time(f.get("created_at")) for f in served]
    known = [t for t in times if t is not None]
    check(known == sorted(known, reverse=True), "feedback is newest first")

    def expect_fb(filters, predicate):
        got = {f["id"] for f in ags.feedbacks.list(**filters)}
        want = {i for i, f in universe.items() if predicate(f)}
        check(got == want, f"feedbacks.list({filters!r}): got {len(got)}, expected {len(want)}")
        page = ags.feedbacks.page(1, **filters)
        check(page.count == len(want), f"feedbacks.page({filters!r}).count")
        counts = page.extra.get("counts") or {}
        check(counts.get("all") == len(want), f"counts for {filters!r}: {counts!r}")

    for kind in ("conversation", "message", "agent"):
        expect_fb({"kind": kind}, lambda f, kind=kind: f["kind"] == kind)
    expect_fb({"sentiment": "negative"}, lambda f: f.get("sentiment") == "negative")
    some = next(f for f in served if f.get("kind") == "conversation")
    expect_fb({"conversation": some["conversation"]}, lambda f: f.get("conversation") == some["conversation"])
    expect_fb(
        {"conversation_id": some["conversation_id"]},
        lambda f: f.get("conversation_id") == some["conversation_id"],
    )
    vote = next((f for f in served if f.get("kind") == "message"), None)
    if vote:
        expect_fb({"message": vote["message"]}, lambda f: f.get("message") == vote["message"])
        expect_fb({"topic": vote["topic"]}, lambda f: f.get("topic") == vote["topic"])
        expect_fb({"reason": vote["reason"]}, lambda f: f.get("reason") == vote["reason"])
        expect_fb(
            {"conversation_id": vote["conversation_id"]},
            lambda f: f.get("conversation_id") == vote["conversation_id"],
        )
    has_text = lambda f: isinstance(f.get("comment"), str) and f["comment"].strip() != ""
    expect_fb({"has_comment": True}, has_text)
    expect_fb({"has_comment": False}, lambda f: not has_text(f))
    expect_fb({"comment_contains": "THANKS"}, lambda f: "thanks" in lowered(f.get("comment")))
    expect_fb({"env": "dev"}, lambda f: f.get("environment") == "development")
    expect_fb({"environment": "production"}, lambda f: f.get("environment") == "production")
    cutoff = datetime(2024, 1, 15, tzinfo=timezone.utc)
    expect_fb(
        {"created_at_after": cutoff},
        lambda f: (parse_time(f.get("created_at")) or datetime.min.replace(tzinfo=timezone.utc)) >= cutoff,
    )
    expect_fb(
        {"search": "fine"},
        lambda f: any("fine" in lowered(f.get(k)) for k in ("comment", "conversation_id", "category", "topic", "reason")),
    )
    ordered = [f["id"] for f in ags.feedbacks.list(ordering="id")]
    check(ordered == sorted(ordered), "ordering=id")
    try:
        list(ags.feedbacks.list(has_ticket=True))
        fail("has_ticket without include_tickets must be refused")
    except ValidationError as e:
        check("has_ticket" in str(e) or "has_ticket" in (e.errors or {}), f"refusal: {e!r}")

    # The gate narrows to promoted feedback and carries the whole ticket.
    promoted = {}
    for t in ticket_rows:
        if isinstance(t.get("feedback"), dict) and t["feedback"].get("id") in universe:
            promoted.setdefault(t["feedback"]["id"], t)
    gated = list(ags.feedbacks.list(include_tickets=True))
    check({f["id"] for f in gated} == set(promoted), "include_tickets=True narrows to promoted feedback")
    for f in gated:
        ticket = f.get("ticket") or {}
        check(ticket.get("id") == promoted[f["id"]]["id"], f"feedback {f['id']} carries its ticket")
        check(ticket.get("comments_count") == len(ticket.get("comments") or []), "comments_count")
    page = ags.feedbacks.page(1, include_tickets=True)
    counts = page.extra.get("counts") or {}
    check(counts.get("tickets") == len(promoted), f"counts.tickets: {counts!r}")
    statuses = [t.get("status") for t in promoted.values()]
    for status in ("backlog", "open", "in_progress", "in_review", "done", "closed"):
        check(counts.get(status, 0) == statuses.count(status), f"counts.{status}: {counts!r}")
    check(
        counts.get("open_tickets") == sum(1 for s in statuses if s not in ("done", "closed")),
        f"counts.open_tickets: {counts!r}",
    )
    wanted = ["open", "done"]
    either = {f["id"] for f in ags.feedbacks.list(include_tickets=True, ticket_status=wanted)}
    check(either == {i for i, t in promoted.items() if t.get("status") in wanted}, "ticket_status ORs")
    narrowed = ags.feedbacks.page(1, include_tickets=True, ticket_status=["closed"])
    check((narrowed.extra.get("counts") or {}).get("tickets") == len(promoted), "tallies ignore ticket_status")
    for f in served[:5] + gated[:3]:
        got = ags.feedbacks.get(f["id"])
        check("ticket" in got, f"feedbacks.get({f['id']}) always carries ticket")
        want_ticket = promoted.get(f["id"])
        check(
            (got["ticket"] or {}).get("id") == (want_ticket or {}).get("id"),
            f"feedbacks.get({f['id']}) ticket",
        )
        check({k: v for k, v in got.items() if k != "ticket"} == universe[f["id"]], "get() is the row")
    try:
        ags.feedbacks.get(987654321)
        fail("an unknown feedback must be 404")
    except NotFoundError:
        pass


def check_tickets(ags, all_full, ticket_rows, env_ids):
    """tickets.list/get/comments against the tickets nested in the conversations."""
    nested = {}
    for row in ags.conversations.list_full(include_tickets=True, include_deleted=True):
        for t in row.get("tickets") or []:
            nested[t["id"]] = (row, t)
    check({t["id"] for t in ticket_rows} == set(nested), "tickets.list() holds every conversation's tickets")
    times = [parse_time(t.get("created_at")) for t in ticket_rows]
    known = [t for t in times if t is not None]
    check(known == sorted(known, reverse=True), "tickets are newest first")
    for t in ticket_rows:
        row, inner = nested[t["id"]]
        for field in ("title", "status", "priority", "comments"):
            check(t.get(field) == inner.get(field), f"ticket {t['id']} {field}: {t.get(field)!r}")
        check(t.get("tags") == (inner.get("tags") or []), f"ticket {t['id']} tags")
        check(t.get("comments_count") == len(inner.get("comments") or []), f"ticket {t['id']} comments_count")
        created = [parse_time(c.get("created_at")) for c in t.get("comments") or []]
        check(created == sorted(created), f"ticket {t['id']} thread oldest first")
        summary = {
            "id": row["id"],
            "conversation_id": row.get("conversation_id"),
            "name": row.get("name"),
            "environment": row.get("environment"),
            "environment_id": env_ids.get(row.get("environment")),
        }
        check(t.get("conversation") == summary, f"ticket {t['id']} conversation: {t.get('conversation')!r}")
    by_ticket = {t["id"]: t for t in ticket_rows}

    def expect_t(filters, predicate):
        got = {t["id"] for t in ags.tickets.list(**filters)}
        want = {i for i, t in by_ticket.items() if predicate(t)}
        check(got == want, f"tickets.list({filters!r}): got {len(got)}, expected {len(want)}")

    expect_t({"status": "open"}, lambda t: t.get("status") == "open")
    expect_t({"status": ["open", "done", "backlog"]}, lambda t: t.get("status") in ("open", "done", "backlog"))
    expect_t({"priority": "high"}, lambda t: t.get("priority") == "high")
    expect_t({"tags": "billing,vip"}, lambda t: bool({"billing", "vip"} & set(t.get("tags") or [])))
    expect_t({"has_feedback": True}, lambda t: t.get("feedback") is not None)
    expect_t({"has_feedback": False}, lambda t: t.get("feedback") is None)
    expect_t({"has_conversation": True}, lambda t: t.get("conversation") is not None)
    expect_t({"search": "FOLLOW"}, lambda t: "follow" in lowered(t.get("title")))
    if ticket_rows:
        first = ticket_rows[0]["conversation"]
        expect_t({"conversation": first["id"]}, lambda t: (t.get("conversation") or {}).get("id") == first["id"])
        expect_t(
            {"conversation_id": first["conversation_id"]},
            lambda t: (t.get("conversation") or {}).get("conversation_id") == first["conversation_id"],
        )
        cutoff = parse_time(ticket_rows[len(ticket_rows) // 2].get("created_at"))
        if cutoff:
            expect_t(
                {"created_at_after": cutoff},
                lambda t: (parse_time(t.get("created_at")) or datetime.min.replace(tzinfo=timezone.utc)) >= cutoff,
            )
        titles = [t["title"] for t in ags.tickets.list(ordering="title")]
        check(titles == sorted(titles), "ordering=title")
        for t in ticket_rows[:5]:
            check(ags.tickets.get(t["id"]) == t, f"tickets.get({t['id']}) is the row")
            check(list(ags.tickets.comments(t["id"])) == t["comments"], f"tickets.comments({t['id']})")
    try:
        ags.tickets.get(987654321)
        fail("an unknown ticket must be 404")
    except NotFoundError:
        pass


def main():
    ags = AgentSight()

    # -- identity ----------------------------------------------------------
    me = ags.me()
    check(me.get("role") == "write", f"me() role: {me!r}")
    check(isinstance(me.get("agent_id"), int), f"me() agent_id: {me!r}")
    envs = ags.environments()
    check(envs == ["production", "development"], f"environments(): {envs!r}")

    # -- listing across pages ------------------------------------------------
    everything = list(ags.conversations.list())
    total = ags.conversations.list().count()
    check(len(everything) == total, f"walked {len(everything)} rows, count says {total}")
    check(total > 100, f"need more than one page of 100 to test paging, got {total}")
    ids = [row["id"] for row in everything]
    check(len(set(ids)) == len(ids), "a row came back twice while paging")
    check(all("messages" not in row for row in everything), "list() rows must not carry transcripts")
    starts = [parse_time(row.get("started_at")) for row in everything]
    known = [s for s in starts if s is not None]
    check(known == sorted(known, reverse=True), "the default order is newest first")

    full_rows = list(ags.conversations.list_full())
    check(len(full_rows) == total, "list_full() walks the same rows")
    by_id = {row["id"]: row for row in full_rows}

    # Lean rows carry the computed fields, and the counts are the transcripts'.
    env_ids = {e["slug"]: e["id"] for e in me.get("environments") or [] if isinstance(e, dict)}
    for row in everything:
        whole = by_id[row["id"]]
        check(row.get("agent") == me["agent_id"], f"agent on {row['id']}: {row.get('agent')!r}")
        check(
            row.get("environment_id") == env_ids.get(row.get("environment")),
            f"environment_id on {row['id']}: {row.get('environment_id')!r}",
        )
        check(
            row.get("message_count") == len(whole.get("messages") or []),
            f"message_count on {row['id']}: {row.get('message_count')!r}",
        )
        want_feedback = len(whole.get("feedbacks") or []) + len(votes(whole))
        check(
            row.get("feedback_count") == want_feedback,
            f"feedback_count on {row['id']}: {row.get('feedback_count')!r}, transcript has {want_feedback}",
        )
        check(whole.get("feedback_count") == want_feedback, "full rows carry the counts too")

    all_full = list(ags.conversations.list_full(include_deleted=True))
    ticket_rows = list(ags.tickets.list())
    ticketed = {t["conversation"]["id"] for t in ticket_rows if isinstance(t.get("conversation"), dict)}

    def expect(filters, predicate):
        got = list(ags.conversations.list(**filters))
        want = [row for row in full_rows if predicate(row)]
        check(
            sorted(r["id"] for r in got) == sorted(r["id"] for r in want),
            f"list({filters!r}): got {len(got)} rows, expected {len(want)}",
        )
        check(ags.conversations.list(**filters).count() == len(want), f"count for {filters!r}")
        return got

    expect({"device": "mobile"}, lambda r: r.get("device") == "mobile")
    expect({"environment": "prod"}, lambda r: r.get("environment") == "production")
    expect({"env": "development"}, lambda r: r.get("environment") == "development")
    expect({"has_feedback": True}, lambda r: bool(r.get("feedbacks")) or bool(votes(r)))
    expect({"has_feedback": False}, lambda r: not r.get("feedbacks") and not votes(r))
    expect(
        {"feedback_sentiment": "negative"},
        lambda r: any(f.get("sentiment") == "negative" for f in (r.get("feedbacks") or []) + votes(r)),
    )
    for part in ["refund", "LOOKUP", "_"]:
        expect(
            {"action_name": part},
            lambda r, part=part: any(
                part.lower() in lowered(m.get("action_name")) for m in r.get("messages") or []
            ),
        )
    for word in ["forgot", "REFUND", "conv-00"]:
        expect(
            {"search": word},
            lambda r, word=word: any(
                word.lower() in lowered(r.get(k)) for k in ("name", "conversation_id", "customer_id")
            )
            or any(word.lower() in lowered(m.get("content")) for m in r.get("messages") or []),
        )
    expect({"include_tickets": True}, lambda r: r["id"] in ticketed)
    for ordering in ["language", "-language", "is_marked", "-is_marked", "customer_id"]:
        field = ordering.lstrip("-")
        got = [r["id"] for r in ags.conversations.list(ordering=ordering)]
        key = (lambda r: (r.get(field) is None, r.get(field) or "", r["id"])) if field != "is_marked" else (
            lambda r: (bool(r.get("is_marked")), r["id"])
        )
        want = [r["id"] for r in sorted(full_rows, key=key)]
        if ordering.startswith("-"):
            want.reverse()
        check(got == want, f"ordering={ordering}")
    try:
        list(ags.conversations.list(env="staging"))
        fail("env=staging must be refused")
    except ValidationError:
        pass
    expect({"is_marked": True}, lambda r: r.get("is_marked") is True)
    expect({"name": "REFUND"}, lambda r: "refund" in (r.get("name") or "").lower())
    cutoff = datetime(2024, 1, 20, tzinfo=timezone.utc)
    expect(
        {"started_at_after": cutoff, "device": "desktop"},
        lambda r: (parse_time(r.get("started_at")) or datetime.min.replace(tzinfo=timezone.utc)) >= cutoff
        and r.get("device") == "desktop",
    )
    expect(
        {"message_contains": "password"},
        lambda r: any("password" in (m.get("content") or "").lower() for m in r.get("messages") or []),
    )

    # The server refuses a bad value with a field map the client exposes.
    try:
        list(ags.conversations.list(started_at_after="yesterday"))
        fail("a bad date must be refused")
    except ValidationError as e:
        check("started_at_after" in e.errors, f"field map: {e.errors!r}")

    # -- single conversations ------------------------------------------------
    target = next(r for r in full_rows if r.get("conversation_id") and any(
        m.get("attachments") for m in r.get("messages") or []))
    pk, string_id = target["id"], target["conversation_id"]
    one = ags.conversations.get(pk)
    two = ags.conversations.get(string_id)
    check(one == two, "get() by pk and by string id agree")
    check(one["id"] == pk and one["conversation_id"] == string_id, "get() returned the right row")
    check("tickets" in one and "token_usage" in one, "a single fetch carries tickets and token_usage")
    check(len(one["messages"]) == len(by_id[pk]["messages"]), "get() carries the transcript")
    light = ags.conversations.get(pk, full=False)
    check(light == one, "a single fetch ignores full: always the whole conversation")
    try:
        ags.conversations.get(987654321)
        fail("an unknown pk must be 404")
    except NotFoundError:
        pass
    try:
        ags.conversations.get("no-such-conversation")
        fail("an unknown string id must not resolve")
    except NotFoundError:
        pass

    attachments = ags.conversations.attachments(string_id)
    check(attachments == ags.conversations.attachments(pk), "attachments by pk and by id agree")
    want_files = [
        (a["id"], m["id"]) for m in one["messages"] for a in m.get("attachments") or []
    ]
    got_files = [(a["id"], a.get("message")) for a in attachments.get("attachments") or []]
    check(got_files == want_files, f"attachments are flat, naming their message: {attachments!r}")
    check(attachments["attachment_count"] == len(want_files), f"attachment_count: {attachments!r}")
    check(attachments["conversation"] == pk, "attachments name the pk")
    check(attachments["conversation_id"] == string_id, "attachments name the business id")

    # -- messages ------------------------------------------------------------
    voted = [(r, m) for r in full_rows for m in r.get("messages") or [] if m.get("feedback")]
    samples = [(one, m) for m in one["messages"][:2]] + voted[:3]
    for row, m in samples:
        got = ags.messages.get(m["id"])
        check(got.get("conversation") == row["id"], f"message {m['id']} names its conversation")
        for field in ("id", "timestamp", "sender", "content", "attachments"):
            check(got.get(field) == m.get(field), f"message {m['id']} {field}: {got.get(field)!r}")
        check("feedback" in got and got["feedback"] == m.get("feedback"), f"message {m['id']} vote")
        check(got.get("action_name") == m.get("action_name"), f"message {m['id']} action_name")
    try:
        ags.messages.get(987654321)
        fail("an unknown message must be 404")
    except NotFoundError:
        pass

    # -- metadata ------------------------------------------------------------
    keys = ags.conversations.metadata_keys()
    check(isinstance(keys, dict) and isinstance(keys.get("keys"), list), f"metadata_keys(): {keys!r}")
    keys = keys["keys"]
    check(keys and keys == sorted(keys) and len(keys) <= 200, f"metadata_keys(): {keys!r}")
    want_keys = sorted({k for r in full_rows for k in leaf_paths(meta(r))})[:200]
    check(keys == want_keys, f"metadata_keys() are the dotted paths of the listed conversations: {keys!r}")
    message_keys = ags.conversations.message_metadata_keys()
    want_message_keys = sorted(
        {k for r in full_rows for m in r.get("messages") or [] if isinstance(m.get("metadata"), dict)
         for k in leaf_paths(m["metadata"])}
    )[:200]
    check(message_keys == {"keys": want_message_keys}, f"message_metadata_keys(): {message_keys!r}")
    key, text = None, None
    for candidate in keys:
        answer = ags.conversations.metadata_values(candidate)
        check(answer.get("key") == candidate, f"metadata_values() names its key: {answer!r}")
        values = answer["values"]
        stored = [walk(meta(r), candidate) for r in full_rows]
        for v in values:
            check(any(type(v) is type(x) and v == x for x in stored), f"{candidate}={v!r} is stored")
        usable = [as_text(v) for v in values if isinstance(v, str) and v.strip() == v and v
                  and "," not in v and ":" not in v and not typed_match(1, v) and v not in ("true", "false", "null")]
        if usable and key is None:
            key, text = candidate, usable[0]
    check(key is not None, "some metadata key has a plain text value")
    expect({"metadata": f"{key}:{text}"}, lambda r: typed_match(walk(meta(r), key), text))
    # Values are typed as they look: `1` is the number, never the string "1".
    expect({"metadata": "plan:1"}, lambda r: typed_match(walk(meta(r), "plan"), "1"))
    expect(
        {"metadata_key": "plan", "metadata_value": "1"},
        lambda r: typed_match(walk(meta(r), "plan"), "1"),
    )
    expect({"metadata_key": key}, lambda r: True)

    check_feedbacks(ags, all_full, ticket_rows)
    check_tickets(ags, all_full, ticket_rows, env_ids)

    # -- writes --------------------------------------------------------------
    unmarked = next(r for r in full_rows if not r.get("is_marked") and r.get("conversation_id"))
    ags.conversations.mark(unmarked["conversation_id"], True)
    check(ags.conversations.get(unmarked["id"])["is_marked"] is True, "mark() is visible to get()")
    marked_ids = [r["id"] for r in ags.conversations.list(is_marked=True)]
    check(unmarked["id"] in marked_ids, "mark() is visible to list(is_marked=True)")
    ags.conversations.mark(unmarked["id"], False)
    check(ags.conversations.get(unmarked["id"])["is_marked"] is False, "unmark()")

    renamed = ags.conversations.rename(pk, "Renamed by the official client")
    check(renamed.get("name") == "Renamed by the official client", f"rename() answer: {renamed!r}")
    check(ags.conversations.get(string_id)["name"] == "Renamed by the official client", "rename() is visible")
    try:
        ags.conversations.rename(pk, "x" * 300)
        fail("the client refuses a name over 255 characters")
    except ValidationError:
        pass

    feedback = ags.feedbacks.create_for_conversation(string_id, "negative", "Filed by the official client")
    check(isinstance(feedback.get("id"), int), f"feedback id: {feedback!r}")
    check(feedback.get("sentiment") == "negative", f"feedback: {feedback!r}")
    by_pk_feedback = ags.feedbacks.create_for_conversation(pk, "positive")
    check(by_pk_feedback.get("conversation") == pk, f"feedback by pk: {by_pk_feedback!r}")
    comments = [f.get("comment") for f in ags.conversations.get(pk)["feedbacks"]]
    check("Filed by the official client" in comments, f"feedback is visible: {comments!r}")

    ticket = ags.tickets.create(
        "Filed by the official client",
        status="in_progress",
        priority="high",
        tags=["official", "client"],
        conversation=string_id,
    )
    check(isinstance(ticket.get("id"), int), f"ticket id: {ticket!r}")
    check(ticket.get("status") == "in_progress" and ticket.get("priority") == "high", f"ticket: {ticket!r}")
    titles = [t.get("title") for t in ags.conversations.get(pk)["tickets"]]
    check("Filed by the official client" in titles, f"ticket is visible: {titles!r}")
    ticketed = [r["id"] for r in ags.conversations.list(include_tickets=True)]
    check(pk in ticketed, "include_tickets=True lists the ticketed conversation")

    print(f"official_client.py: OK ({total} conversations)")


if __name__ == "__main__":
    main()
