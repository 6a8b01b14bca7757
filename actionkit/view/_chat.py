"""How a :class:`~actionkit.chat.Chat`, its turns and their steps show themselves: a deterministic
text transcript (one line per step, event and body change) and HTML laid out like the Open WebUI
chat: the user's message, what ran for it (each filter's change to the body), the dialogs and
toasts, then the answer as the page shows it with the chat's action buttons."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..secrets import mask_text
from ._changes import change_lines, changes_html
from ._logs import logs_html
from ._message import dialog_html, error_html, message_html, toasts_html
from ._simulation import action_buttons, call_line, clip_line, escape_masked, event_line, ordered_entries
from ._style import STYLE
from ._tools import model_calls, tool_step_summary

if TYPE_CHECKING:
    from ..chat import Chat, Step, Turn


def _secrets(steps: list[Step]) -> frozenset[str]:
    found: set[str] = set()
    for step in steps:
        for sim in step.simulations:
            found |= sim.secret_values
    return frozenset(found)


def step_summary(step: Step) -> str:
    """``"ok"``, ``"error: ..."``, ``"skipped: ..."`` and counts, for one step."""
    if step.skipped is not None:
        return f"skipped: {step.skipped}"
    tool = tool_step_summary(step)
    if tool is not None:
        return tool
    parts: list[str] = []
    if step.stage == "stream":
        parts.append(f"{len(step.simulations)} chunks")
        if step.dropped:
            parts.append(f"{step.dropped} dropped")
    elif step.stage == "model":
        parts.append(f"mock model, {len(step.chunks)} {'chunks' if len(step.chunks) != 1 else 'answer'}")
        asked = model_calls(step.chunks)
        if asked:
            parts.append("calls " + ", ".join(asked))
    elif step.stage == "pipe" and step.simulations and step.simulations[0].stream:
        parts.append(f"stream, {len(step.simulations[0].chunks)} chunks")
    events = len(step.events)
    if events:
        parts.append(f"{events} event{'s' if events != 1 else ''}")
    calls = len(step.event_calls)
    if calls:
        parts.append(f"{calls} call{'s' if calls != 1 else ''}")
    logs = sum(len(sim.logs) for sim in step.simulations)
    if logs:
        parts.append(f"{logs} log line{'s' if logs != 1 else ''}")
    errors = step.errors
    if errors and step.stage != "stream":
        parts.insert(0, f"error: {errors[0]}")
    elif errors:
        parts.append(f"{len(errors)} failed")
    else:
        parts.insert(0, "ok")
    return ", ".join(parts)


def body_changes(step: Step, secrets: frozenset[str] = frozenset()) -> list[str]:
    """What an inlet or outlet filter changed in the body it was given."""
    if step.stage not in ("inlet", "outlet") or len(step.simulations) != 1:
        return []
    sim = step.simulations[0]
    if not sim.ok or not isinstance(sim.result, dict):
        return []
    before = sim.inputs.get("body") if isinstance(sim.inputs, dict) else None
    if not isinstance(before, dict):
        return []
    return change_lines(before, sim.result, secrets)


def _step_lines(step: Step, secrets: frozenset[str], indent: str) -> list[str]:
    lines = []
    for sim in step.simulations:
        for kind, entry in ordered_entries(sim):
            line = event_line(entry, secrets) if kind == "event" else call_line(entry, secrets)
            lines.append(f"{indent}{line}")
    lines.extend(f"{indent}body {line}" for line in body_changes(step, secrets))
    if step.note:
        lines.append(f"{indent}note: {step.note}")
    lines.extend(f"{indent}warning: {clip_line(mask_text(w, secrets))}" for w in step.warnings)
    return lines


def turn_text(turn: Turn) -> str:
    secrets = _secrets(turn.steps)
    lines = [f"Turn {turn.number}", f"  user: {clip_line(mask_text(turn.prompt, secrets))}"]
    for step in turn.steps:
        lines.append(f"  {step.stage:<7}{step.name}: {clip_line(mask_text(step_summary(step), secrets))}")
        lines.extend(_step_lines(step, secrets, " " * 11))
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


def step_text(step: Step) -> str:
    secrets = _secrets([step])
    where = f" on turn {step.turn.number}" if step.turn is not None else ""
    lines = [f"{step.stage} {step.name}{where}: {clip_line(mask_text(step_summary(step), secrets))}"]
    lines.extend(_step_lines(step, secrets, "  "))
    if step.turn is not None:
        lines.append(f"  assistant now: {clip_line(mask_text(step.turn.content, secrets))}")
    return "\n".join(lines)


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


# --------------------------------------------------------------------------------------------- HTML


def _chat_buttons(chat: Chat | None) -> list[dict[str, Any]]:
    if chat is None:
        return []
    return [button for fn in chat.actions.values() for button in action_buttons(fn)]


def _model_name(chat: Chat | None) -> str:
    if chat is None:
        return "Assistant"
    return str(chat.pipe.name) if chat.pipe is not None else str(chat.model_id)


def _step_row(step: Step, secrets: frozenset[str]) -> str:
    summary = step_summary(step)
    css = "sum skip" if step.skipped else ("sum" if step.ok else "sum bad")
    row = (
        f'<span class="stage">{escape_masked(step.stage, secrets)}</span>'
        f'<span class="fn">{escape_masked(step.name, secrets)}</span>'
        f'<span class="{css}">{escape_masked(summary, secrets)}</span>'
    )
    more = []
    changed = body_changes(step, secrets)
    if changed:
        more.append(changes_html(changed))
    if step.note:
        more.append(f'<div class="ak-muted">{escape_masked(step.note, secrets)}</div>')
    entries = [(kind, entry) for sim in step.simulations for kind, entry in ordered_entries(sim)]
    if entries:
        items = "".join(
            f'<li class="{kind}">'
            + escape_masked(event_line(e, secrets) if kind == "event" else call_line(e, secrets), secrets)
            + "</li>"
            for kind, e in entries
        )
        more.append(
            f'<details class="ak-fold"><summary>{len(entries)} record{"s" if len(entries) != 1 else ""}'
            f'</summary><ol class="ak-timeline">{items}</ol></details>'
        )
    if more:
        row += f'<div class="more">{"".join(more)}</div>'
    return row


def _steps_logs(steps: list[Step], secrets: frozenset[str]) -> str:
    logs = [
        {**entry, "logger": entry.get("logger") or step.name}
        for step in steps
        for sim in step.simulations
        for entry in sim.logs
    ]
    return logs_html(logs, secrets)


def _dialogs(steps: list[Step], secrets: frozenset[str]) -> str:
    cards = [
        dialog_html(call, secrets, when=f"{step.stage} {step.name}")
        for step in steps
        for call in step.event_calls
    ]
    return f'<div class="ak-dialogs">{"".join(cards)}</div>' if cards else ""


def _turn_body(turn: Turn, secrets: frozenset[str]) -> str:
    status = "ok" if turn.ok else "error"
    badge = f'<span class="ak-badge {"ok" if turn.ok else "bad"}">{status}</span>'
    rows = "".join(_step_row(step, secrets) for step in turn.steps)
    clicked = [step for step in turn.steps if step.stage == "action"]
    return (
        f'<div class="ak-head"><b>Turn {turn.number}</b>{badge}</div>'
        f'<div class="ak-user"><div>{escape_masked(turn.prompt, secrets)}</div></div>'
        f'<div class="ak-steps">{rows}</div>'
        f"{toasts_html(turn.message.get('notifications') or [], secrets)}{_dialogs(turn.steps, secrets)}"
        + message_html(
            turn.message,
            secrets,
            name=_model_name(turn.chat),
            actions=_chat_buttons(turn.chat),
            clicked=clicked[-1].name if clicked else None,
            owner="turn",
        )
        + _steps_logs(turn.steps, secrets)
        + "".join(f'<div class="ak-muted">note: {html.escape(note)}</div>' for note in turn.notes)
    )


def turn_html(turn: Turn) -> str:
    secrets = _secrets(turn.steps)
    return f'{STYLE}<div class="akv actionkit-turn">{_turn_body(turn, secrets)}</div>'


def step_html(step: Step) -> str:
    """A step (what ``turn.click(...)`` returns): what it did, then the answer as it is now."""
    secrets = _secrets([step])
    where = f" on turn {step.turn.number}" if step.turn is not None else ""
    head = (
        f'<div class="ak-head"><span>{escape_masked(step.stage, secrets)}</span>'
        f"<b>{escape_masked(step.name, secrets)}</b><span>{where}</span>"
        f'<span class="ak-badge {"ok" if step.ok else "bad"}">{"ok" if step.ok else "error"}</span></div>'
    )
    parts = [head, f'<div class="ak-steps">{_step_row(step, secrets)}</div>']
    turn = step.turn
    notes = [n for sim in step.simulations for n in sim.message.get("notifications") or []]
    parts.append(toasts_html(notes, secrets))
    parts.append(_dialogs([step], secrets))
    if turn is not None:
        parts.append(
            message_html(
                turn.message,
                secrets,
                name=_model_name(turn.chat),
                actions=_chat_buttons(turn.chat),
                clicked=step.name if step.stage == "action" else None,
                owner="turn",
            )
        )
    else:
        parts.extend(error_html({"content": error}, secrets) for error in step.errors)
    parts.append(_steps_logs([step], secrets))
    return f'{STYLE}<div class="akv actionkit-step">{"".join(parts)}</div>'


def chat_html(chat: Chat) -> str:
    kind = "pipe" if chat.pipe is not None else "mock model"
    head = (
        f'<div class="ak-head"><span>Chat with</span><b>{html.escape(chat.model_id)}</b><span>({kind})</span>'
    )
    if chat.filters:
        head += f"<span>filters: {html.escape(', '.join(chat.filter_order) or 'none active')}</span>"
    head += "</div>"
    turns = (
        "".join(f'<div class="ak-turn">{_turn_body(turn, _secrets(turn.steps))}</div>' for turn in chat.turns)
        or '<div class="ak-muted">no turns yet</div>'
    )
    return f'{STYLE}<div class="akv actionkit-chat">{head}{turns}</div>'
