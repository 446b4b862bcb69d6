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
    expect({"has_feedback": True}, lambda r: bool(r.get("feedbacks")))
    expect({"has_feedback": False}, lambda r: not r.get("feedbacks"))
    expect(
        {"feedback_sentiment": "negative"},
        lambda r: any(f.get("sentiment") == "negative" for f in r.get("feedbacks") or []),
    )
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
    check("messages" not in light, "get(full=False) has no transcript")
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
    want_total = sum(len(m.get("attachments") or []) for m in one["messages"])
    check(attachments["total_attachments"] == want_total, f"total_attachments: {attachments!r}")
    check(attachments["conversation"] == pk, "attachments name the pk")
    check(all(group["attachments"] for group in attachments["messages"]), "only messages with attachments")

    # -- metadata ------------------------------------------------------------
    keys = ags.conversations.metadata_keys()
    check(keys and keys == sorted(keys), f"metadata_keys(): {keys!r}")
    check(
        set(keys) == {k for r in full_rows for k in meta(r)},
        "metadata_keys() are the top-level keys of the listed conversations",
    )
    key, text = None, None
    for candidate in keys:
        values = ags.conversations.metadata_values(candidate)
        texts = [as_text(v) for v in values]
        usable = [t for t in texts if t and "," not in t and t == t.strip()]
        if usable:
            key, text = candidate, usable[0]
            break
    check(key is not None, "some metadata key has a plain value")
    expect({"metadata": f"{key}:{text}"}, lambda r: as_text(meta(r).get(key)) == text)
    expect({"metadata_key": key}, lambda r: key in meta(r))

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
