"""How a :class:`Simulation` shows itself: a deterministic text transcript, the Open WebUI message
in HTML as the page shows it (with the run's dialogs, toasts, logs and timeline beside it), and a
JSON-able snapshot."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from ..secrets import mask_text
from ._fold import FOLD_HEAD, FOLD_TAIL, capped, folded
from ._jsonable import jsonable
from ._logs import logs_html, logs_summary
from ._message import dialog_html, error_html, error_text, message_html, toasts_html
from ._style import ICONS, STYLE
from ._tools import tool_call_lines, tool_html

if TYPE_CHECKING:
    from ..sim import Simulation

_LINE_LIMIT = 300
# A tool call's page message is shown only when the call put one of these in it.
_TOOL_MESSAGE_PARTS = ("statusHistory", "files", "embeds", "error")


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
        "logs": sim.logs,
    }
    if sim.kind == "tool":
        data.update(
            tool_call=sim.tool_call,
            tool_message=sim.tool_message,
            tool_status=sim.tool_status,
            files=sim.files,
            embeds=sim.embeds,
        )
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
    entries, and how many are left out between them (built without listing them all when the run
    made no event call)."""
    events, calls = sim.events, sim.event_calls
    if len(events) + len(calls) <= FOLD_HEAD + FOLD_TAIL:
        return ordered_entries(sim), 0, []
    if not calls:
        head, hidden, tail = folded(events)
        return [("event", e) for e in head], hidden, [("event", e) for e in tail]
    head_entries, hidden, tail_entries = folded(ordered_entries(sim))
    return list(head_entries), hidden, list(tail_entries)


def fold_line(hidden: int) -> str:
    """The line standing for ``hidden`` folded entries."""
    return f"… {hidden:,} more events and calls (all kept in sim.events and sim.event_calls)"


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
    if sim.kind == "event":
        head += f" on {event_name(sim.inputs.get('event'))}"
    head += ": ok" if sim.ok else ": error"
    lines = [head]
    before, after = tool_call_lines(sim, secrets, clip_line) if sim.kind == "tool" else ([], [])
    lines.extend(before)
    first, hidden, last = folded_entries(sim)
    for kind, entry in first:
        lines.append("  " + (event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)))
    if hidden:
        lines.append(f"  {fold_line(hidden)}")
    for kind, entry in last:
        lines.append("  " + (event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)))
    lines.extend(after)
    if sim.kind == "pipe" and sim.stream:
        lines.append(f"chunks: {len(sim.chunks)}")
    if sim.content:
        lines.append(f"content: {_compact(sim.content, secrets)}")
    if sim.kind != "event" and (sim.ok or sim.result is not None):
        lines.append(f"result: {_result_text(sim, secrets)}")
    if sim.error is not None:
        lines.append(f"error: {clip_line(mask_text(sim.error, secrets))}")
        if sim.traceback:
            lines.extend("  " + clip_line(mask_text(t, secrets)) for t in sim.traceback.rstrip().splitlines())
    lines.extend(f"warning: {clip_line(mask_text(w, secrets))}" for w in sim.warnings)
    printed = logs_summary(sim.logs)
    if printed:
        lines.append(f"logs: {printed}")
    return "\n".join(lines)


def event_name(given: Any) -> str:
    """The event name in an Event function call's ``event=`` (a name or a payload dict)."""
    if isinstance(given, dict):
        given = given.get("event")
    return given if isinstance(given, str) else "?"


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


def escape_masked(text: Any, secrets: frozenset[str]) -> str:
    return html.escape(mask_text(text if isinstance(text, str) else str(text), secrets))


def _pre(value: Any, secrets: frozenset[str], where: str) -> str:
    text = json.dumps(jsonable(value, secrets), ensure_ascii=False, indent=2)
    return f"<pre>{html.escape(capped(text, where))}</pre>"


def model_name(sim: Simulation) -> str:
    """The name the page shows above the message: the pipe's name, else the chat's model id."""
    fn = sim.function
    if sim.kind == "pipe" and fn is not None:
        return str(getattr(fn, "name", sim.function_id))
    body = sim.inputs.get("body") if isinstance(sim.inputs, dict) else None
    model = body.get("model") if isinstance(body, dict) else None
    return str(model) if isinstance(model, str) and model else "Assistant"


def action_buttons(fn: Any) -> list[dict[str, Any]]:
    """The buttons an Action puts under a message (one per sub-action), as ``/api/models`` lists them."""
    if fn is None or getattr(fn, "type", None) != "action":
        return []
    manifest = getattr(fn, "manifest", None) or {}
    icon = manifest.get("icon_url") if isinstance(manifest, dict) else None
    subs = getattr(fn, "sub_actions", None) or []
    if subs:
        return [
            {
                "id": f"{fn.id}.{sub['id']}",
                "name": sub.get("name") or f"{fn.name} ({sub['id']})",
                "icon": sub.get("icon_url", icon),
            }
            for sub in subs
            if isinstance(sub, dict) and "id" in sub
        ]
    return [{"id": fn.id, "name": fn.name, "icon": icon}]


def calls_in_order(sim: Simulation) -> list[tuple[int, dict[str, Any]]]:
    """Each event call in the order they happened, with how many events came before it."""
    events, calls = sim.events, sim.event_calls
    if not calls:
        return []
    timeline = sim.timeline
    if not timeline or len(timeline) != len(events) + len(calls):
        return [(len(events), call) for call in calls]
    found: list[tuple[int, dict[str, Any]]] = []
    before = 0
    for kind, index in timeline:
        if kind == "event":
            before += 0 <= index < len(events)
        elif 0 <= index < len(calls):
            found.append((before, calls[index]))
    return found


def _position(before: int) -> str:
    """Where an event call came in the run: after how many events."""
    if before == 0:
        return "before any event"
    return f"after {before} event{'s' if before != 1 else ''}"


def dialogs_html(sim: Simulation) -> str:
    cards = [
        dialog_html(call, sim.secret_values, when=f"dialog {n} · {_position(before)}")
        for n, (before, call) in enumerate(calls_in_order(sim), 1)
    ]
    return f'<div class="ak-dialogs">{"".join(cards)}</div>' if cards else ""


def _timeline_row(kind: str, entry: dict[str, Any], secrets: frozenset[str]) -> str:
    line = event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)
    return f'<li class="{kind}">{escape_masked(line, secrets)}</li>'


def timeline_html(sim: Simulation, secrets: frozenset[str]) -> str:
    """Every event and event call in the order they happened, folded (a long run shows its first
    and last entries and counts the rest)."""
    head, hidden, tail = folded_entries(sim)
    if not head:
        return ""
    rows = [_timeline_row(kind, entry, secrets) for kind, entry in head]
    if hidden:
        shown_calls = sum(1 for kind, _ in (*head, *tail) if kind == "call")
        hidden_calls = len(sim.event_calls) - shown_calls
        more = f"… {hidden - hidden_calls:,} more events (all kept in sim.events)"
        if hidden_calls:
            plural = "s" if hidden_calls != 1 else ""
            more += f" and {hidden_calls:,} dialog{plural} (shown above, all kept in sim.event_calls)"
        rows.append(f'<li class="more">{html.escape(more)}</li>')
        rows.extend(_timeline_row(kind, entry, secrets) for kind, entry in tail)
    events, calls = len(sim.events), len(sim.event_calls)
    label = f"{events} event{'s' if events != 1 else ''}"
    if calls:
        label += f", {calls} dialog{'s' if calls != 1 else ''}"
    return (
        f'<details class="ak-fold ak-events"><summary>Timeline: {label}</summary>'
        f'<ol class="ak-timeline">{"".join(rows)}</ol></details>'
    )


def warnings_html(warnings: list[str], secrets: frozenset[str]) -> str:
    return "".join(
        f'<div class="ak-warn">{ICONS["warning"]}<div>{escape_masked(w, secrets)}</div></div>'
        for w in warnings
    )


def head_html(sim: Simulation) -> str:
    s = sim.secret_values
    badge = '<span class="ak-badge ok">ok</span>' if sim.ok else '<span class="ak-badge bad">error</span>'
    stream = " (stream)" if sim.kind == "pipe" and sim.stream else ""
    title = sim.message.get("title")
    chat_title = f'<span class="ak-title">chat title: {escape_masked(title, s)}</span>' if title else ""
    on = f" on {escape_masked(event_name(sim.inputs.get('event')), s)}" if sim.kind == "event" else ""
    return (
        f'<div class="ak-head"><span>{escape_masked(sim.kind, s)}{stream}</span>'
        f"<b>{escape_masked(sim.target, s)}</b>{on}{badge}{chat_title}</div>"
    )


def details_html(sim: Simulation) -> str:
    """What the page does not show: traceback, warnings, logs, the host's result, the timeline."""
    s = sim.secret_values
    parts = []
    shown = msg_error = sim.message.get("error")
    if sim.error is not None and (not shown or error_text(msg_error) != sim.error):
        parts.append(error_html({"content": sim.error}, s))
    if sim.traceback:
        trace = escape_masked(sim.traceback, s)
        parts.append(f'<details class="ak-fold"><summary>Traceback</summary><pre>{trace}</pre></details>')
    parts.append(warnings_html(sim.warnings, s))
    parts.append(logs_html(sim.logs, s))
    if sim.result is not None:
        result = _pre(sim.result, s, "sim.result")
        parts.append(f'<details class="ak-fold"><summary>Result</summary>{result}</details>')
    parts.append(timeline_html(sim, s))
    return "".join(parts)


def simulation_html(sim: Simulation) -> str:
    s = sim.secret_values
    msg = sim.message
    clicked = sim.target if sim.kind == "action" else None
    return (
        f'{STYLE}<div class="akv actionkit-sim">{head_html(sim)}'
        f"{toasts_html(msg.get('notifications') or [], s)}{dialogs_html(sim)}"
        + (tool_html(sim) if sim.kind == "tool" else "")
        + (
            message_html(msg, s, name=model_name(sim), actions=action_buttons(sim.function), clicked=clicked)
            if sim.kind != "tool" or any(msg.get(key) for key in _TOOL_MESSAGE_PARTS)
            else ""
        )
        + details_html(sim)
        + "</div>"
    )
