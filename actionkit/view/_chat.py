"""How a :class:`~actionkit.chat.Chat` and its turns show themselves: a deterministic text
transcript (one line per step and per event) and a small HTML replica of the conversation."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..secrets import mask_text
from ._simulation import call_line, clip_line, escape_masked, event_line, ordered_entries

if TYPE_CHECKING:
    from ..chat import Chat, Step, Turn


def _secrets(turn: Turn) -> frozenset[str]:
    found: set[str] = set()
    for step in turn.steps:
        for sim in step.simulations:
            found |= sim.secret_values
    return frozenset(found)


def step_summary(step: Step) -> str:
    """``"ok"``, ``"error: ..."``, ``"skipped: ..."`` and counts, for one step."""
    if step.skipped is not None:
        return f"skipped: {step.skipped}"
    parts: list[str] = []
    if step.stage == "stream":
        parts.append(f"{len(step.simulations)} chunks")
        if step.dropped:
            parts.append(f"{step.dropped} dropped")
    elif step.stage == "model":
        parts.append(f"mock model, {len(step.chunks)} {'chunks' if len(step.chunks) != 1 else 'answer'}")
    elif step.stage == "pipe" and step.simulations and step.simulations[0].stream:
        parts.append(f"stream, {len(step.simulations[0].chunks)} chunks")
    events = len(step.events)
    if events:
        parts.append(f"{events} event{'s' if events != 1 else ''}")
    calls = len(step.event_calls)
    if calls:
        parts.append(f"{calls} call{'s' if calls != 1 else ''}")
    errors = step.errors
    if errors and step.stage != "stream":
        parts.insert(0, f"error: {errors[0]}")
    elif errors:
        parts.append(f"{len(errors)} failed")
    else:
        parts.insert(0, "ok")
    return ", ".join(parts)


def turn_text(turn: Turn) -> str:
    secrets = _secrets(turn)
    lines = [f"Turn {turn.number}", f"  user: {clip_line(mask_text(turn.prompt, secrets))}"]
    for step in turn.steps:
        lines.append(f"  {step.stage:<7}{step.name}: {clip_line(mask_text(step_summary(step), secrets))}")
        for sim in step.simulations:
            for kind, entry in _entries(sim):
                line = event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)
                lines.append(f"           {line}")
        if step.note:
            lines.append(f"           note: {step.note}")
        lines.extend(f"           warning: {clip_line(mask_text(w, secrets))}" for w in step.warnings)
    message = turn.message
    lines.append(f"  assistant: {clip_line(mask_text(turn.content, secrets))}")
    for status in message.get("statusHistory") or []:
        if isinstance(status, dict):
            done = " (done)" if status.get("done") is True else ""
            lines.append(
                f"    status: {clip_line(mask_text(str(status.get('description', '')), secrets))}{done}"
            )
    for key in ("sources", "files", "embeds"):
        if message.get(key):
            lines.append(f"    {key}: {len(message[key])}")
    error = message.get("error")
    if error:
        content = error.get("content", error) if isinstance(error, dict) else error
        lines.append(f"    error: {clip_line(mask_text(str(content), secrets))}")
    lines.extend(f"    note: {clip_line(note)}" for note in turn.notes)
    return "\n".join(lines)


def _entries(sim: Any) -> list[tuple[str, dict[str, Any]]]:

    return ordered_entries(sim)


def chat_text(chat: Chat) -> str:
    head = f"Chat with {chat.model_id}" + (" (pipe)" if chat.pipe is not None else " (mock model)")
    lines = [head]
    if chat.filters:
        order = ", ".join(chat.filter_order) or "none active"
        lines.append(f"filters in order: {order}")
    if chat.actions:
        lines.append(f"actions: {', '.join(sorted(chat.actions))}")
    if not chat.turns:
        lines.append("no turns yet")
    lines.extend(turn_text(turn) for turn in chat.turns)
    return "\n".join(lines)


def turn_html(turn: Turn) -> str:
    secrets = _secrets(turn)
    rows = []
    for step in turn.steps:
        events = "".join(
            "<li>"
            + escape_masked(event_line(e, secrets) if k == "event" else call_line(e, secrets), secrets)
            + "</li>"
            for sim in step.simulations
            for k, e in _entries(sim)
        )
        color = "#b00020" if not step.ok else ("#888" if step.skipped else "#1b5e20")
        rows.append(
            "<tr>"
            f"<td style='padding:2px 8px;color:#555'>{escape_masked(step.stage, secrets)}</td>"
            f"<td style='padding:2px 8px'><code>{escape_masked(step.name, secrets)}</code></td>"
            f"<td style='padding:2px 8px;color:{color}'>{escape_masked(step_summary(step), secrets)}"
            f"{f'<ul style=margin:0>{events}</ul>' if events else ''}</td>"
            "</tr>"
        )
    message = turn.message
    statuses = "".join(
        f"<div style='color:#666;font-size:0.9em'>{escape_masked(s.get('description', ''), secrets)}</div>"
        for s in message.get("statusHistory") or []
        if isinstance(s, dict) and not s.get("hidden")
    )
    error = message.get("error")
    error_html = ""
    if error:
        content = error.get("content", error) if isinstance(error, dict) else error
        error_html = f"<div style='color:#b00020'>{escape_masked(content, secrets)}</div>"
    return (
        "<div class='actionkit-turn' style='font-family:sans-serif;margin:6px 0'>"
        f"<div style='font-weight:bold'>Turn {turn.number}</div>"
        f"<div style='background:#eef;padding:4px 8px;border-radius:6px;margin:4px 0'>"
        f"{escape_masked(turn.prompt, secrets)}</div>"
        f"<table style='border-collapse:collapse;font-size:0.9em'>{''.join(rows)}</table>"
        f"<div style='background:#f6f6f6;padding:4px 8px;border-radius:6px;margin:4px 0'>{statuses}"
        f"<div style='white-space:pre-wrap'>{escape_masked(turn.content, secrets)}</div>{error_html}</div>"
        "</div>"
    )


def chat_html(chat: Chat) -> str:
    head = html.escape(chat.model_id)
    turns = "".join(turn_html(turn) for turn in chat.turns) or "<div>no turns yet</div>"
    return f"<div class='actionkit-chat'><div><b>Chat with</b> <code>{head}</code></div>{turns}</div>"
