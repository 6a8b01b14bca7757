"""A short, readable diff between two simulation snapshots (``Simulation.to_dict()`` shapes).

Used by snapshot assertions and recorded cases: events and event calls one line each, then the
fields that changed (result, content, message, chunks, warnings) as small unified diffs of their
JSON. Lines starting with ``-`` are what was expected, ``+`` what happened.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from ..sim import normalized
from ..view import call_line, event_line

MAX_LINES = 80
_SCALARS = ("function_id", "kind", "hook", "sub_id", "stream", "ok", "error", "timed_out")
_BLOCKS = ("result", "content", "message", "chunks", "warnings", "logs")


def without_logs(snapshot: Any) -> Any:
    """``snapshot`` without its ``logs`` (what the function printed is compared only when asked)."""
    if isinstance(snapshot, dict) and "logs" in snapshot:
        return {k: v for k, v in snapshot.items() if k != "logs"}
    return snapshot


def simulation_diff(
    expected: dict[str, Any], actual: dict[str, Any], limit: int = MAX_LINES, *, logs: bool = False
) -> list[str]:
    """Lines describing how ``actual`` differs from ``expected``; empty when they are equal.
    ``logs=True`` compares what the function printed or logged too."""
    expected, actual = normalized(expected), normalized(actual)
    if not logs:
        expected, actual = without_logs(expected), without_logs(actual)
    if expected == actual:
        return []
    lines: list[str] = []
    for key in _SCALARS:
        if expected.get(key) != actual.get(key):
            lines.append(f"{key}: {_short(expected.get(key))} -> {_short(actual.get(key))}")
    lines += _list_diff("events", expected.get("events"), actual.get("events"), _event_text)
    lines += _list_diff("event calls", expected.get("event_calls"), actual.get("event_calls"), _call_text)
    events_differ = expected.get("events") != actual.get("events")
    for key in _BLOCKS:
        # The message is built from the events: when they differ, its diff only repeats theirs.
        if key == "message" and (events_differ or _same_except_content(expected.get(key), actual.get(key))):
            continue
        if key == "chunks" and expected.get(key) != actual.get(key):
            lines += _list_diff("chunks", expected.get(key), actual.get(key), _chunk_text)
        elif key == "logs" and expected.get(key) != actual.get(key):
            lines += _list_diff("logs", expected.get(key) or [], actual.get(key) or [], _log_text)
        elif expected.get(key) != actual.get(key):
            lines += _block_diff(key, expected.get(key), actual.get(key))
    others = sorted((set(expected) | set(actual)) - set(_SCALARS) - set(_BLOCKS) - {"events", "event_calls"})
    for key in others:
        if expected.get(key) != actual.get(key):
            lines += _block_diff(key, expected.get(key), actual.get(key))
    if not lines:
        lines.append("the snapshots differ in a field that has no readable diff")
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"… {len(lines) - limit + 1} more lines"]
    return lines


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _event_text(event: Any) -> str:
    return event_line(event)


def _call_text(call: Any) -> str:
    return call_line(call) if isinstance(call, dict) else _short(call)


def _log_text(entry: Any) -> str:
    if not isinstance(entry, dict):
        return _short(entry)
    return f"{entry.get('level') or entry.get('stream')}: {entry.get('text')}"


def _chunk_text(chunk: Any) -> str:
    return str(chunk).rstrip("\n") if isinstance(chunk, str) else _short(chunk)


def _list_diff(title: str, expected: Any, actual: Any, render: Any) -> list[str]:
    old = [render(item) for item in expected] if isinstance(expected, list) else [_short(expected)]
    new = [render(item) for item in actual] if isinstance(actual, list) else [_short(actual)]
    if old == new and expected == actual:
        return []
    if old == new:  # the one-line views agree; show the full JSON of the entries that differ
        return _block_diff(title, expected, actual)
    head = f"{title} ({len(old)} expected, {len(new)} now):"
    body = [line for line in difflib.unified_diff(old, new, lineterm="", n=1)][2:]
    return [head, *("  " + line for line in body if not line.startswith("@@"))]


def _block_diff(title: str, expected: Any, actual: Any) -> list[str]:
    old = _pretty(expected)
    new = _pretty(actual)
    if len(old) == 1 and len(new) == 1:
        return [f"{title}: {_short(expected)} -> {_short(actual)}"]
    body = [line for line in difflib.unified_diff(old, new, lineterm="", n=1)][2:]
    return [f"{title}:", *("  " + line for line in body if not line.startswith("@@"))]


def _pretty(value: Any) -> list[str]:
    if isinstance(value, str) and "\n" in value:
        return value.splitlines()
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).splitlines()


def _same_except_content(expected: Any, actual: Any) -> bool:
    """The message's content is diffed on its own (``content``); skip a message diff that adds nothing."""
    if not isinstance(expected, dict) or not isinstance(actual, dict):
        return False
    return {k: v for k, v in expected.items() if k != "content"} == {
        k: v for k, v in actual.items() if k != "content"
    }
