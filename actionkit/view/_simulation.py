"""How a :class:`Simulation` shows itself: a deterministic text transcript, a small replica of the
Open WebUI message in HTML, and a JSON-able snapshot."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from ..secrets import mask_text
from ._jsonable import jsonable

if TYPE_CHECKING:
    from ..sim import Simulation

_LINE_LIMIT = 300
# Long lists of events and statuses are folded in the views: the first and the last entries are
# shown with one line counting those left out (the simulation keeps them all); long text blocks
# (the content, the result) are cut at ``_TEXT_LIMIT`` characters, with the rest counted.
FOLD_HEAD = 100
FOLD_TAIL = 20
_TEXT_LIMIT = 100_000


def simulation_to_dict(sim: Simulation) -> dict[str, Any]:
    """JSON-able, deterministic: no duration, secrets masked."""
    secrets = sim.secret_values
    data: dict[str, Any] = {
        "function_id": sim.function_id,
        "kind": sim.kind,
        "hook": sim.hook,
        "sub_id": sim.sub_id,
        "stream": sim.stream,
        "ok": sim.ok,
        "error": sim.error,
        "timed_out": sim.timed_out,
        "result": sim.result,
        "events": sim.events,
        "event_calls": sim.event_calls,
        "chunks": sim.chunks,
        "content": sim.content,
        "message": sim.message,
        "warnings": sim.warnings,
    }
    return dict(jsonable(data, secrets))


def ordered_entries(sim: Simulation) -> list[tuple[str, dict[str, Any]]]:
    """Events and event calls in the order they happened."""
    if not sim.event_calls:
        return [("event", event) for event in sim.events]
    timeline = sim.timeline
    if not timeline or len(timeline) != len(sim.events) + len(sim.event_calls):
        timeline = [("event", i) for i in range(len(sim.events))] + [
            ("call", i) for i in range(len(sim.event_calls))
        ]
    out = []
    for kind, index in timeline:
        source = sim.events if kind == "event" else sim.event_calls
        if 0 <= index < len(source):
            out.append((kind, source[index]))
    return out


def folded_entries(
    sim: Simulation,
) -> tuple[list[tuple[str, dict[str, Any]]], int, list[tuple[str, dict[str, Any]]]]:
    """:func:`ordered_entries` folded: the first :data:`FOLD_HEAD` and the last :data:`FOLD_TAIL`
    entries, and how many are left out between them (built without listing them all)."""
    events, calls = sim.events, sim.event_calls
    total = len(events) + len(calls)
    if total <= FOLD_HEAD + FOLD_TAIL:
        return ordered_entries(sim), 0, []
    if not calls:
        head = [("event", event) for event in events[:FOLD_HEAD]]
        return head, total - FOLD_HEAD - FOLD_TAIL, [("event", event) for event in events[-FOLD_TAIL:]]
    entries = ordered_entries(sim)
    return entries[:FOLD_HEAD], total - FOLD_HEAD - FOLD_TAIL, entries[-FOLD_TAIL:]


def fold_line(hidden: int) -> str:
    """The line standing for ``hidden`` folded entries."""
    return f"… {hidden:,} more events and calls (all kept in sim.events and sim.event_calls)"


def capped(text: str, where: str, limit: int = _TEXT_LIMIT) -> str:
    """``text`` cut at ``limit`` characters, saying how many more ``where`` holds."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters in {where})"


def _compact(value: Any, secrets: frozenset[str]) -> str:
    try:
        text = json.dumps(jsonable(value, secrets), ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        text = str(jsonable(value, secrets))
    return clip_line(text)


def clip_line(text: str, limit: int = _LINE_LIMIT) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_line(event: Any, secrets: frozenset[str] = frozenset()) -> str:
    """One transcript line for an emitted event."""
    if not isinstance(event, dict):
        return f"event {_compact(event, secrets)}"
    kind = event.get("type")
    data = event.get("data")
    label = str(kind) if isinstance(kind, str) else _compact(kind, secrets)
    if isinstance(data, dict):
        if kind == "status":
            flags = "" if data.get("done") is not True else " (done)"
            if data.get("hidden") is True:
                flags += " (hidden)"
            return f"status: {clip_line(mask_text(str(data.get('description', '')), secrets))}{flags}"
        if kind in ("message", "chat:message:delta", "replace", "chat:message") and set(data) == {"content"}:
            return f"{label}: {_compact(data['content'], secrets)}"
        if kind == "notification":
            return f"notification [{data.get('type', 'info')}]: {_compact(data.get('content', ''), secrets)}"
    return f"{label}: {_compact(data, secrets)}"


def call_line(call: dict[str, Any], secrets: frozenset[str] = frozenset()) -> str:
    """One transcript line for an event call and its reply."""
    kind = call.get("type")
    label = str(kind) if isinstance(kind, str) else _compact(kind, secrets)
    return f"call {label}: {_compact(call.get('data'), secrets)} -> {_compact(call.get('reply'), secrets)}"


def simulation_text(sim: Simulation) -> str:
    secrets = sim.secret_values
    head = f"{sim.kind} {sim.target}"
    if sim.kind == "pipe":
        head += " (stream)" if sim.stream else ""
    head += ": ok" if sim.ok else ": error"
    lines = [head]
    first, hidden, last = folded_entries(sim)
    for kind, entry in first:
        lines.append("  " + (event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)))
    if hidden:
        lines.append(f"  {fold_line(hidden)}")
    for kind, entry in last:
        lines.append("  " + (event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)))
    if sim.kind == "pipe" and sim.stream:
        lines.append(f"chunks: {len(sim.chunks)}")
    if sim.content:
        lines.append(f"content: {_compact(sim.content, secrets)}")
    if sim.ok or sim.result is not None:
        lines.append(f"result: {_result_text(sim, secrets)}")
    if sim.error is not None:
        lines.append(f"error: {clip_line(mask_text(sim.error, secrets))}")
        if sim.traceback:
            lines.extend("  " + clip_line(mask_text(t, secrets)) for t in sim.traceback.rstrip().splitlines())
    lines.extend(f"warning: {clip_line(mask_text(w, secrets))}" for w in sim.warnings)
    return "\n".join(lines)


def _result_text(sim: Simulation, secrets: frozenset[str]) -> str:
    """The result line; a pipe's completion is summarised (its id and clock are not shown)."""
    result = sim.result
    if sim.kind == "pipe" and sim.stream and isinstance(result, list):
        return f"{len(result)} chunk objects"
    if sim.kind == "pipe" and isinstance(result, dict) and result.get("object") == "chat.completion":
        choices = result.get("choices")
        first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
        message = first.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        return (
            f"chat.completion (finish_reason {first.get('finish_reason')}): "
            f"{'no message' if message is None else _compact(content, secrets)}"
        )
    return _compact(result, secrets)


# --------------------------------------------------------------------------------------------- HTML

_STYLE = (
    "<style>.akm{font-family:system-ui,sans-serif;font-size:14px;max-width:760px;border:1px solid #ddd;"
    "border-radius:12px;padding:10px 14px;margin:4px 0}.akm .h{color:#666;font-size:12px}"
    ".akm .st{color:#555;font-size:13px}.akm .st.open{font-style:italic}"
    ".akm .ct{white-space:pre-wrap;margin:8px 0}.akm .chip{display:inline-block;border:1px solid #ccc;"
    "border-radius:10px;padding:1px 8px;margin:2px;font-size:12px}.akm .toast{border-left:4px solid #888;"
    "padding:2px 8px;margin:2px 0;font-size:13px}.akm .toast.error{border-color:#c33}"
    ".akm .toast.success{border-color:#3a3}.akm .toast.warning{border-color:#d90}"
    ".akm .err{color:#b00;white-space:pre-wrap}.akm .warn{color:#a60;font-size:12px}"
    ".akm pre{background:#f6f6f6;padding:6px;border-radius:6px;overflow:auto;max-height:240px;margin:4px 0}"
    ".akm iframe{width:100%;height:220px;border:1px solid #ddd;border-radius:6px}</style>"
)


def escape_masked(text: Any, secrets: frozenset[str]) -> str:
    return html.escape(mask_text(text if isinstance(text, str) else str(text), secrets))


def _pre(value: Any, secrets: frozenset[str], where: str) -> str:
    text = json.dumps(jsonable(value, secrets), ensure_ascii=False, indent=2)
    return f"<pre>{html.escape(capped(text, where))}</pre>"


def _statuses(history: list[dict[str, Any]], s: frozenset[str]) -> list[str]:
    """The status lines the page shows (hidden ones left out), folded when there are many."""
    last = len(history) - 1

    def line(i: int, item: dict[str, Any]) -> str:
        open_cls = " open" if i == last and not item.get("done") else ""
        return f'<div class="st{open_cls}">{escape_masked(item.get("description", ""), s)}</div>'

    shown = sum(1 for item in history if item.get("hidden") is not True)
    if shown <= FOLD_HEAD + FOLD_TAIL:
        return [line(i, item) for i, item in enumerate(history) if item.get("hidden") is not True]
    head: list[str] = []
    for i, item in enumerate(history):
        if item.get("hidden") is not True:
            head.append(line(i, item))
            if len(head) == FOLD_HEAD:
                break
    tail: list[str] = []
    for i in range(last, -1, -1):
        if history[i].get("hidden") is not True:
            tail.append(line(i, history[i]))
            if len(tail) == FOLD_TAIL:
                break
    fold = (
        f'<div class="st">… {shown - FOLD_HEAD - FOLD_TAIL:,} more statuses (all kept in sim.message)</div>'
    )
    return [*head, fold, *reversed(tail)]


def simulation_html(sim: Simulation) -> str:
    s = sim.secret_values
    msg = sim.message
    parts = [_STYLE, '<div class="akm">']
    status = "ok" if sim.ok else "error"
    parts.append(
        f'<div class="h">{escape_masked(sim.kind, s)} <b>{escape_masked(sim.target, s)}</b> · {status}</div>'
    )
    if msg.get("title"):
        parts.append(f'<div class="h">chat title: {escape_masked(msg["title"], s)}</div>')
    history = [h for h in msg.get("statusHistory") or [] if isinstance(h, dict)]
    parts.extend(_statuses(history, s))
    content = msg.get("content") or ""
    text = content if isinstance(content, str) else str(content)
    parts.append(f'<div class="ct">{escape_masked(capped(text, "sim.content"), s)}</div>')
    for embed in msg.get("embeds") or []:
        if isinstance(embed, str) and embed.startswith(("http://", "https://", "/")):
            parts.append(f'<iframe sandbox="allow-scripts" src="{escape_masked(embed, s)}"></iframe>')
        else:
            parts.append(f'<iframe sandbox="allow-scripts" srcdoc="{escape_masked(embed, s)}"></iframe>')
    files = [f for f in msg.get("files") or [] if isinstance(f, dict)]
    if files:
        chips = "".join(
            '<span class="chip">'
            + escape_masked(f.get("name") or f.get("url") or f.get("type") or "file", s)
            + "</span>"
            for f in files
        )
        parts.append(f"<div>files: {chips}</div>")
    sources = [x for x in msg.get("sources") or [] if isinstance(x, dict)]
    if sources:
        chips = "".join(f'<span class="chip">{escape_masked(_source_name(x), s)}</span>' for x in sources)
        parts.append(f"<div>sources: {chips}</div>")
    for run in msg.get("code_executions") or []:
        if isinstance(run, dict):
            parts.append(f"<div>code: {escape_masked(run.get('name') or run.get('id') or '', s)}</div>")
    follow_ups = msg.get("followUps") or []
    if follow_ups:
        chips = "".join(f'<span class="chip">{escape_masked(f, s)}</span>' for f in follow_ups)
        parts.append(f"<div>{chips}</div>")
    for note in msg.get("notifications") or []:
        if isinstance(note, dict):
            kind = note.get("type") if note.get("type") in ("info", "success", "warning", "error") else "info"
            parts.append(f'<div class="toast {kind}">{escape_masked(note.get("content", ""), s)}</div>')
    for call in sim.event_calls:
        raw = call.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        title = data.get("title") or call.get("type")
        reply = json.dumps(jsonable(call.get("reply"), s), ensure_ascii=False)
        parts.append(
            f'<div class="toast">{escape_masked(call.get("type"), s)}: <b>{escape_masked(title, s)}</b> '
            f"{escape_masked(data.get('message', ''), s)} → {escape_masked(reply, s)}</div>"
        )
    if msg.get("error"):
        error = msg["error"]
        text = error.get("content", error) if isinstance(error, dict) else error
        parts.append(f'<div class="err">{escape_masked(text, s)}</div>')
    if sim.result is not None:
        parts.append("<details><summary>result</summary>" + _pre(sim.result, s, "sim.result") + "</details>")
    if sim.error is not None:
        parts.append(f'<div class="err">{escape_masked(sim.error, s)}</div>')
        if sim.traceback:
            trace = escape_masked(sim.traceback, s)
            parts.append(f"<details><summary>traceback</summary><pre>{trace}</pre></details>")
    for warning in sim.warnings:
        parts.append(f'<div class="warn">⚠ {escape_masked(warning, s)}</div>')
    if sim.events:
        events = sim.events
        listed = [event_line(e, s) for e in events[:FOLD_HEAD]] if len(events) > FOLD_HEAD + FOLD_TAIL else []
        if listed:
            listed.append(f"… {len(events) - FOLD_HEAD - FOLD_TAIL:,} more events (all kept in sim.events)")
            listed.extend(event_line(e, s) for e in events[-FOLD_TAIL:])
        else:
            listed = [event_line(e, s) for e in events]
        lines = html.escape("\n".join(listed))
        parts.append(f"<details><summary>{len(events)} events</summary><pre>{lines}</pre></details>")
    parts.append("</div>")
    return "".join(parts)


def _source_name(source: dict[str, Any]) -> str:
    inner = source.get("source")
    if isinstance(inner, dict):
        return str(inner.get("name") or inner.get("url") or inner.get("id") or "source")
    return str(source.get("name") or "source")
