"""Drives every write method of the official AgentSight Python client (agentsight 0.1.4), unchanged, against `convo serve`.

Run by tests/it/official_writes.rs with AGENTSIGHT_API_ENDPOINT pointing at a
local server, AGENTSIGHT_API_KEY set to the demo key (role write) and
AGENTSIGHT_READ_API_KEY to the demo read key. Each write is read back through
the client's read methods; with the read key each write must raise the
client's permission error. Exits non-zero with a message on the first mismatch.
"""

import os
import sys

from agentsight.api import AgentSight
from agentsight.exceptions import (
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


def fail(message):
    print(f"official_writes.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def raises(error, call, what):
    """Runs `call`, which must raise `error`; returns the exception."""
    try:
        call()
    except error as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a wrong class is the failure being reported
        fail(f"{what}: raised {type(exc).__name__}: {exc}, expected {error.__name__}")
    fail(f"{what}: did not raise {error.__name__}")
    return None


def first_live_conversation(ags, **filters):
    return next(iter(ags.conversations.list(**filters)), None)


def check_conversations(ags):
    """rename, mark, update, update_metadata and delete, each read back."""
    row = first_live_conversation(ags)
    check(row is not None, "there is a conversation to write to")
    pk, business = row["id"], row["conversation_id"]

    answer = ags.conversations.rename(business, "  Renamed by the official client  ")
    check(answer == {"id": pk, "conversation_id": business, "name": "Renamed by the official client"},
          f"rename answer: {answer!r}")
    check(ags.conversations.get(pk)["name"] == "Renamed by the official client", "rename read back")

    answer = ags.conversations.mark(pk, True)
    check(answer == {"id": pk, "conversation_id": business, "is_marked": True}, f"mark answer: {answer!r}")
    marked = [r["id"] for r in ags.conversations.list(is_marked=True)]
    check(pk in marked, "a marked conversation is listed by is_marked=True")
    ags.conversations.mark(business, False)
    check(ags.conversations.get(business)["is_marked"] is False, "unmark read back")

    answer = ags.conversations.update(pk, device="kiosk", metadata={"plan": "gold", "seats": 3})
    check(answer.get("id") == pk and answer.get("conversation_id") == business, f"update answer: {answer!r}")
    check(set(answer.get("updated_fields") or []) == {"device", "metadata"}, f"updated_fields: {answer!r}")
    detail = ags.conversations.get(pk)
    check(detail["device"] == "kiosk", "update device read back")
    check(detail["metadata"] == {"plan": "gold", "seats": 3}, f"update replaces metadata: {detail['metadata']!r}")
    found = [r["id"] for r in ags.conversations.list(metadata="seats:3")]
    check(found == [pk], f"the metadata filter finds the new document: {found!r}")

    ags.conversations.update_metadata(business, {"region": "eu", "seats": None}, remove=["plan"])
    merged = ags.conversations.get(pk)["metadata"]
    check(merged == {"seats": None, "region": "eu"}, f"update_metadata merged: {merged!r}")

    # The client refuses immutable fields itself; sent anyway, the server refuses them too.
    raises(ValidationError,
           lambda: ags._request("PATCH", f"/api/conversations/{pk}/update/", json={"conversation_id": "other"}),
           "an immutable field is refused")

    live_before = len(list(ags.conversations.list()))
    answer = ags.conversations.delete(business)
    check(answer.get("id") == pk and answer.get("is_deleted") is True and answer.get("deleted_at"),
          f"delete answer: {answer!r}")
    live_after = [r["id"] for r in ags.conversations.list()]
    check(pk not in live_after and len(live_after) == live_before - 1, "a deleted conversation leaves the list")
    shown = [r["id"] for r in ags.conversations.list(include_deleted=True)]
    check(pk in shown, "include_deleted shows it again")
    check(ags.conversations.get(pk)["is_deleted"] is True, "its detail still answers")


def a_message(ags):
    for row in ags.conversations.list_full():
        for message in row.get("messages") or []:
            return row, message
    fail("there is no message to write to")
    return None


def check_messages(ags):
    """messages.update replaces, messages.update_metadata merges."""
    row, message = a_message(ags)
    answer = ags.messages.update(message["id"], metadata={"verdict": "ok"})
    check(answer.get("id") == message["id"] and answer.get("metadata") == {"verdict": "ok"},
          f"messages.update answer: {answer!r}")
    check(ags.messages.get(message["id"])["metadata"] == {"verdict": "ok"}, "messages.update read back")
    ags.messages.update_metadata(message["id"], {"image": "a.png"})
    merged = ags.messages.get(message["id"])["metadata"]
    check(merged == {"verdict": "ok", "image": "a.png"}, f"messages.update_metadata merged: {merged!r}")
    return row, message


def lean_count(ags, pk):
    rows = [r for r in ags.conversations.list(include_deleted=True) if r["id"] == pk]
    check(len(rows) == 1, f"conversation {pk} is listed once")
    return rows[0]["feedback_count"]


def check_feedbacks(ags, row, message):
    """Each kind filed, a vote upserted, a feedback changed and deleted, each read back."""
    pk, business = row["id"], row["conversation_id"]
    before = lean_count(ags, pk)
    by_id = ags.feedbacks.create_for_conversation(business, "negative", "Slow answers")
    check(by_id.get("kind") == "conversation" and by_id.get("conversation") == pk, f"by id: {by_id!r}")
    check("ticket" not in by_id, "a create answers without the ticket key")
    by_pk = ags.feedbacks.create_for_conversation(pk, "neutral")
    check(by_pk.get("conversation_id") == business, f"by pk: {by_pk!r}")
    check(lean_count(ags, pk) == before + 2, "the lean feedback_count follows")
    listed = {f["id"] for f in ags.feedbacks.list(conversation_id=business)}
    check({by_id["id"], by_pk["id"]} <= listed, "both are listed for the conversation")

    vote = ags.feedbacks.create_for_message(message["id"], "negative", "Wrong", topic="accuracy", reason="wrong_order")
    again = ags.feedbacks.create_for_message(message["id"], "positive")
    check(again.get("id") == vote.get("id"), "one vote per message")
    check(again.get("sentiment") == "positive" and again.get("topic") == "accuracy"
          and again.get("reason") == "wrong_order" and again.get("comment") == "Wrong",
          f"a bare repeat keeps what it omits: {again!r}")
    check(ags.messages.get(message["id"])["feedback"]["sentiment"] == "positive", "the vote is on the message")

    agent = ags.feedbacks.create_for_agent("positive", "Good week", environment="development")
    check(agent.get("kind") == "agent" and agent.get("environment") == "development"
          and agent.get("agent") == ags.me()["agent_id"], f"agent feedback: {agent!r}")
    check(agent["id"] in {f["id"] for f in ags.feedbacks.list(kind="agent")}, "agent feedback listed")

    changed = ags.feedbacks.update(by_id["id"], sentiment="positive", comment="Better now")
    check(changed.get("sentiment") == "positive" and changed.get("comment") == "Better now"
          and "ticket" in changed, f"feedbacks.update answer: {changed!r}")
    read = ags.feedbacks.get(by_id["id"])
    check(read.get("comment") == "Better now", "feedbacks.update read back")
    raises(ValidationError, lambda: ags.feedbacks.update(by_id["id"], topic="tone"),
           "a topic on conversation feedback is refused")
    retopiced = ags.feedbacks.update(vote["id"], topic="tone")
    check(retopiced.get("topic") == "tone", f"a vote's topic changes: {retopiced!r}")

    ags.feedbacks.delete(by_pk["id"])
    raises(NotFoundError, lambda: ags.feedbacks.get(by_pk["id"]), "a deleted feedback is gone")
    new_vote = 0 if isinstance(message.get("feedback"), dict) else 1
    check(lean_count(ags, pk) == before + 1 + new_vote, "a feedback deleted: the count follows")
    return by_id


def check_tickets(ags, row, feedback):
    """create, update, add_comment and delete, each read back."""
    ticket = ags.tickets.create("Follow up the slow answers", priority="high", tags=["latency"],
                                environment="development", feedback_id=feedback["id"])
    check(ticket.get("status") == "open" and ticket.get("priority") == "high"
          and ticket.get("environment") == "development", f"tickets.create answer: {ticket!r}")
    check((ticket.get("conversation") or {}).get("id") == row["id"], "conversation feedback lends its conversation")
    check(ags.tickets.get(ticket["id"])["title"] == "Follow up the slow answers", "tickets.create read back")
    check(ags.feedbacks.get(feedback["id"])["ticket"]["id"] == ticket["id"], "the feedback names its ticket")
    anchored = ags.tickets.create("About this one", conversation=row["conversation_id"])
    check((anchored.get("conversation") or {}).get("id") == row["id"], "a string conversation is resolved to its pk")

    changed = ags.tickets.update(ticket["id"], status="in_progress", tags=["latency", "vip"])
    check(changed.get("status") == "in_progress" and changed.get("tags") == ["latency", "vip"],
          f"tickets.update answer: {changed!r}")
    check(ticket["id"] in {t["id"] for t in ags.tickets.list(status="in_progress")}, "tickets.update read back")

    comment = ags.tickets.add_comment(ticket["id"], "Passed to the team")
    check(comment.get("role") == "agent" and comment.get("body") == "Passed to the team"
          and comment.get("author"), f"add_comment answer: {comment!r}")
    thread = list(ags.tickets.comments(ticket["id"]))
    check([c["id"] for c in thread] == [comment["id"]], f"the thread holds the comment: {thread!r}")

    ags.tickets.delete(anchored["id"])
    raises(NotFoundError, lambda: ags.tickets.get(anchored["id"]), "a deleted ticket is gone")
    raises(NotFoundError, lambda: list(ags.tickets.comments(anchored["id"])), "and its thread with it")
    return ticket


def check_actions(ags):
    """actions.create and actions.update, read back; duplicates refused; no delete."""
    declared = ags.actions.create("send_satisfaction_survey", description="Asks the customer how it went")
    check(declared.get("name") == "send_satisfaction_survey" and declared.get("display_name") == "send_satisfaction_survey",
          f"actions.create answer: {declared!r}")
    check(ags.actions.get(declared["id"]) == declared, "actions.create read back")
    raises(ValidationError, lambda: ags.actions.create("send_satisfaction_survey"), "a duplicate name is refused")
    changed = ags.actions.update(declared["id"], display_name="Survey")
    check(changed.get("display_name") == "Survey", f"actions.update answer: {changed!r}")
    check([a["id"] for a in ags.actions.list(name="send_satisfaction_survey")] == [declared["id"]], "actions.update read back")
    raises(MethodNotAllowedError, lambda: ags._request("DELETE", f"/api/actions/{declared['id']}/"),
           "an action cannot be deleted")
    return declared


def check_read_key(endpoint, read_key, row, message, feedback, ticket, action):
    """Every write method with the read key raises the permission error."""
    reader = AgentSight(api_key=read_key, endpoint=endpoint)
    check(reader.me()["role"] == "read", "the read key's role is read")
    check(list(reader.conversations.list()) is not None, "the read key reads")
    pk = row["id"]
    writes = {
        "conversations.rename": lambda: reader.conversations.rename(pk, "x"),
        "conversations.mark": lambda: reader.conversations.mark(pk, True),
        "conversations.update": lambda: reader.conversations.update(pk, device="x"),
        "conversations.update_metadata": lambda: reader.conversations.update_metadata(pk, {"a": 1}),
        "conversations.delete": lambda: reader.conversations.delete(pk),
        "messages.update": lambda: reader.messages.update(message["id"], metadata={}),
        "messages.update_metadata": lambda: reader.messages.update_metadata(message["id"], {"a": 1}),
        "feedbacks.create_for_conversation": lambda: reader.feedbacks.create_for_conversation(pk, "positive"),
        "feedbacks.create_for_message": lambda: reader.feedbacks.create_for_message(message["id"], "positive"),
        "feedbacks.create_for_agent": lambda: reader.feedbacks.create_for_agent("positive"),
        "feedbacks.update": lambda: reader.feedbacks.update(feedback["id"], sentiment="negative"),
        "feedbacks.delete": lambda: reader.feedbacks.delete(feedback["id"]),
        "tickets.create": lambda: reader.tickets.create("x"),
        "tickets.update": lambda: reader.tickets.update(ticket["id"], status="done"),
        "tickets.add_comment": lambda: reader.tickets.add_comment(ticket["id"], "x"),
        "tickets.delete": lambda: reader.tickets.delete(ticket["id"]),
        "actions.create": lambda: reader.actions.create("read_key_action"),
        "actions.update": lambda: reader.actions.update(action["id"], display_name="x"),
    }
    for what, call in writes.items():
        exc = raises(PermissionDeniedError, call, f"{what} with the read key")
        check("permission" in str(exc).lower(), f"{what}: the 403 says why: {exc}")
    writer = AgentSight()
    check(writer.tickets.get(ticket["id"])["status"] == "in_progress", "the read key changed nothing")
    check(writer.feedbacks.get(feedback["id"])["sentiment"] == "positive", "the read key changed nothing")


def main():
    endpoint = os.environ["AGENTSIGHT_API_ENDPOINT"]
    read_key = os.environ["AGENTSIGHT_READ_API_KEY"]
    ags = AgentSight()
    check(ags.me()["role"] == "write", "the demo key's role is write")
    row, message = check_messages(ags)
    feedback = check_feedbacks(ags, row, message)
    ticket = check_tickets(ags, row, feedback)
    action = check_actions(ags)
    check_read_key(endpoint, read_key, row, message, feedback, ticket, action)
    # Last: the conversation writes end in a delete.
    check_conversations(ags)
    print("official_writes.py: OK")


if __name__ == "__main__":
    main()
