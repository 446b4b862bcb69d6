"""Drives the official AgentSight Python client (agentsight 0.1.4), unchanged, over the derived planes of `convo serve`: usage, spans and traces, actions.

Run by tests/official_client.rs with AGENTSIGHT_API_ENDPOINT pointing at a local
server and AGENTSIGHT_API_KEY set to the demo key. Every answer is checked
against an independent evaluation over the served data. Exits non-zero with a
message on the first mismatch.
"""

import sys
from collections import defaultdict
from decimal import Decimal

from agentsight.api import AgentSight

COLUMNS = (
    "prompt_tokens",
    "completion_tokens",
    "embedding_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
)


def fail(message):
    print(f"official_planes.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def close(a, b):
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.000000001")


def check_usage(ags, conversations):
    rows = list(ags.usage.list())
    check(rows, "usage.list() is empty")
    check(len(rows) == ags.usage.list().count(), "usage count differs from the rows walked")
    ids = [r["id"] for r in rows]
    check(len(ids) == len(set(ids)), "usage row ids repeat")

    # Rows of each conversation add up to its token_usage, to the last digit.
    by_conversation = defaultdict(list)
    for r in rows:
        check(isinstance(r["cost_usd"], str), f"row cost is not a string: {r!r}")
        by_conversation[r["conversation"]].append(r)
    for c in conversations:
        usage = ags.conversations.get(c["id"]).get("token_usage")
        mine = by_conversation.get(c["id"], [])
        if usage is None:
            check(not mine, f"conversation {c['id']} has rows but no usage")
            continue
        cost = sum((Decimal(r["cost_usd"]) for r in mine), Decimal(0))
        check(cost == Decimal(usage["cost_usd"]), f"{c['id']}: rows cost {cost} vs {usage['cost_usd']}")
        tokens = sum(r["total_tokens"] for r in mine)
        check(tokens == usage["totals"]["total_tokens"], f"{c['id']}: tokens {tokens} vs {usage!r}")
        filtered = list(ags.usage.list(conversation=c["id"]))
        check(len(filtered) == len(mine), f"{c['id']}: conversation filter")

    # Summaries are the rows rolled up, biggest first, in each grouping.
    keys = {
        "model": lambda r: r["model"],
        "conversation": lambda r: r["conversation"],
        "day": lambda r: r["started_at"][:10],
    }
    for group_by, key in keys.items():
        expected = defaultdict(lambda: {"rows": 0, "calls": 0, "cost": Decimal(0), **{c: 0 for c in COLUMNS}})
        for r in rows:
            e = expected[key(r)]
            e["rows"] += 1
            e["calls"] += r["calls"]
            e["cost"] += Decimal(r["cost_usd"])
            for column in COLUMNS:
                e[column] += r[column]
        for currency in ("usd", "eur"):
            summary = ags.usage.summary(group_by, currency=currency)
            check(summary["group_by"] == group_by, f"summary group_by: {summary['group_by']!r}")
            check(summary["currency"] == currency.upper(), f"summary currency: {summary['currency']!r}")
            results = summary["results"]
            check(len(results) == len(expected), f"{group_by}: {len(results)} groups, expected {len(expected)}")
            for g in results:
                e = expected.get(g["group"])
                check(e is not None, f"{group_by}: unexpected group {g['group']!r}")
                check(g["rows"] == e["rows"] and g["calls"] == e["calls"], f"{group_by} {g['group']}: counts {g!r}")
                for column in COLUMNS:
                    check(g[column] == e[column], f"{group_by} {g['group']}: {column}")
                check(g["total_tokens"] == sum(e[c] for c in COLUMNS), f"{group_by} {g['group']}: total")
                check(close(g["cost_usd"], e["cost"]), f"{group_by} {g['group']}: cost {g['cost_usd']} vs {e['cost']}")
                if currency == "usd":
                    check("cost_eur" not in g, f"cost_eur in a usd summary: {g!r}")
                elif "cost_eur" in g:
                    usd = Decimal(str(g["cost_usd"]))
                    eur = Decimal(str(g["cost_eur"]))
                    check(usd * Decimal("0.89") <= eur <= usd * Decimal("0.97") + Decimal("1e-9"), f"rate: {g!r}")
            costs = [Decimal(str(g["cost_usd"])) for g in results]
            check(costs == sorted(costs, reverse=True), f"{group_by}: not biggest first")
    days = ags.usage.summary("day", currency="eur")["results"]
    check(any("cost_eur" not in g for g in days), "every day has a rate: the missing-rate case is untested")
    check(any("cost_eur" in g for g in days), "no day has a rate")

    # Filters on the summary match the list.
    model = rows[0]["model"]
    one = ags.usage.summary("model", model=model)["results"]
    check([g["group"] for g in one] == [model], f"summary model filter: {one!r}")
    incomplete = list(ags.usage.list(incomplete=True))
    check(incomplete and all(r["incomplete"] for r in incomplete), "incomplete filter")
    check(any(r["unreported_calls"] > 0 for r in rows), "no row has unreported calls")


def count_nodes(tree):
    count, stack = 0, list(tree["roots"])
    while stack:
        node = stack.pop()
        count += 1
        check("payload" not in node, "a trace node carries payload")
        stack.extend(node["children"])
    return count


def check_spans(ags, conversations):
    logs = [
        log
        for c in conversations
        for m in c.get("messages") or []
        for log in m.get("action_logs") or []
    ]
    failed = sorted(log["error_message"] for log in logs if log.get("error_message"))
    tools = list(ags.spans.list(kind="tool"))
    check(len(tools) == len(logs), f"{len(tools)} tool spans for {len(logs)} action logs")
    errors = list(ags.spans.list(kind="tool", status="error"))
    texts = sorted(s["attributes"]["agentsight.tool.error"] for s in errors)
    check(texts == failed, "failed tool spans differ from failed action logs")
    durations = sorted(float(log["duration_ms"]) for log in logs)
    check(durations == sorted(s["duration_ms"] for s in tools), "tool span durations differ from the logs")

    first = ags.spans.list().first()
    check(first is not None and "payload" not in first, f"list row: {first!r}")
    plain = ags.spans.get(first["id"])
    check("payload" not in plain and plain["span_id"] == first["span_id"], "get() without payload")
    full = ags.spans.get(first["id"], payload=True)
    check("otel" in full.get("payload", {}), f"get(payload=True): {full!r}")

    seen = 0
    for c in conversations[:20]:
        traces = defaultdict(int)
        for s in ags.spans.list(conversation=c["id"]):
            traces[s["trace_id"]] += 1
        for trace_id, n in traces.items():
            tree = ags.spans.trace(trace_id)
            nodes = count_nodes(tree)
            check(tree["span_count"] == nodes == n, f"trace {trace_id}: {tree['span_count']} / {nodes} / {n}")
            check(tree["truncated"] is False, "a small trace is truncated")
            seen += 1
    check(seen > 0, "no trace was checked")
    turns = list(ags.spans.list(kind="turn"))
    check(all("agentsight.turn.complete" in s["attributes"] for s in turns), "a turn lacks complete")


def check_actions(ags, conversations):
    runs = defaultdict(int)
    for c in conversations:
        for m in c.get("messages") or []:
            if m.get("action_name"):
                runs[m["action_name"]] += len(m.get("action_logs") or [])
    actions = list(ags.actions.list())
    check(sorted(a["name"] for a in actions) == sorted(runs), "action names differ from the transcripts")
    for a in actions:
        check(ags.actions.get(a["id"]) == a, f"get({a['id']})")
        logs = ags.actions.logs(a["id"])
        check(isinstance(logs, list), "logs() is not a list")
        check(len(logs) == runs[a["name"]], f"{a['name']}: {len(logs)} logs, expected {runs[a['name']]}")
        check(all(log["action"] == a["id"] and isinstance(log["duration_ms"], float) for log in logs), "log ids")
    name = actions[0]["name"]
    check([a["name"] for a in ags.actions.list(name=name)] == [name], "name filter")
    found = [a["name"] for a in ags.actions.list(name__icontains=name.upper())]
    check(name in found, "name__icontains filter")


def main():
    ags = AgentSight()
    conversations = list(ags.conversations.list_full(include_deleted=True))
    check(conversations, "no conversations")
    check_usage(ags, conversations)
    check_spans(ags, conversations)
    check_actions(ags, conversations)
    print("official_planes.py: OK")


if __name__ == "__main__":
    main()
