"""The assistant message in HTML as the Open WebUI 0.12.4 page lays it out (``ResponseMessage``):
the latest status with the history folded under it, files, embeds, the Markdown content, the error
box, the numbered sources, code executions, the action buttons and the follow-ups; notifications
as toasts and ``__event_call__`` dialogs as the page's modal cards.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from ..secrets import MASK, mask_text
from ._fold import capped, folded
from ._jsonable import jsonable
from ._markdown import markdown_html, source_titles
from ._style import ICONS

TOAST_TYPES = ("info", "success", "warning", "error")


def _text(value: Any, secrets: frozenset[str]) -> str:
    return mask_text(value if isinstance(value, str) else str(value), secrets)


def _esc(value: Any, secrets: frozenset[str]) -> str:
    return html.escape(_text(value, secrets))


def status_html(
    history: Sequence[Any], secrets: frozenset[str], *, running: bool = False, owner: str = "sim"
) -> str:
    """The latest status, shimmering until it is done; the whole history folded under it (a long
    history shows its first and last steps and counts the rest, all kept in ``owner.message``)."""
    items = [item for item in history if isinstance(item, dict)]
    if not items or items[-1].get("hidden") is True:
        return ""
    latest = items[-1]
    unfinished = latest.get("done") is not True and (running or latest.get("done") is False)
    text = _esc(latest.get("description", ""), secrets) or "&nbsp;"
    label = f'<span class="ak-shimmer">{text}</span>' if unfinished else f"<span>{text}</span>"
    spinner = '<span class="ak-spin" title="not done"></span>' if unfinished else ""
    if len(items) == 1:
        return f'<div class="ak-status-one" style="color:#6b7280;font-size:15px">{spinner}{label}</div>'
    head, hidden, tail = folded([item for item in items if not item.get("hidden")])
    rows = "".join(f"<div>{_esc(item.get('description', ''), secrets)}</div>" for item in head)
    if hidden:
        rows += f'<div class="ak-more">… {hidden:,} more statuses (all kept in {owner}.message)</div>'
        rows += "".join(f"<div>{_esc(item.get('description', ''), secrets)}</div>" for item in tail)
    return (
        f'<details class="ak-status"><summary>{spinner}{label}'
        f'<span class="chev">▾ {len(items)} steps</span></summary>'
        f'<div class="ak-history">{rows}</div></details>'
    )


def _image_url(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("data:image/", "http://", "https://"))


def files_html(files: Sequence[Any], secrets: frozenset[str]) -> str:
    shown = [f for f in files if isinstance(f, dict) and f.get("type") in ("image", "file")]
    if not shown:
        return ""
    parts = []
    for item in shown:
        url = item.get("url")
        is_image = item.get("type") == "image" or str(item.get("content_type") or "").startswith("image/")
        if is_image and _image_url(url):
            alt = _esc(item.get("name") or "Generated Image", secrets)
            parts.append(f'<img src="{_esc(url, secrets)}" alt="{alt}">')
            continue
        name = _esc(item.get("name") or url or item.get("type"), secrets)
        size = item.get("size")
        extra = f' <span class="sub">{_size(size)}</span>' if isinstance(size, int | float) else ""
        parts.append(f'<span class="ak-chip">{ICONS["file"]}{name}{extra}</span>')
    return f'<div class="ak-row ak-files">{"".join(parts)}</div>'


def _size(size: float) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def embeds_html(embeds: Sequence[Any], secrets: frozenset[str]) -> str:
    parts = []
    for embed in embeds:
        if not isinstance(embed, str):
            continue
        value = _esc(embed, secrets)
        where = f'src="{value}"' if embed.startswith(("http://", "https://")) else f'srcdoc="{value}"'
        parts.append(f'<iframe sandbox="allow-scripts allow-forms allow-popups" {where}></iframe>')
    return "".join(parts)


def _citations(sources: Sequence[Any]) -> list[str]:
    """One title per distinct cited document, in the page's order (``Citations.svelte``)."""
    return source_titles(sources)


def sources_html(sources: Sequence[Any], secrets: frozenset[str]) -> str:
    titles = _citations(sources)
    if not titles:
        return ""
    count = "1 Source" if len(titles) == 1 else f"{len(titles)} Sources"
    rows = "".join(
        f'<div><span class="n">{i}</span>{_esc(title, secrets)}</div>' for i, title in enumerate(titles, 1)
    )
    return f'<details class="ak-sources"><summary>{count}</summary><div class="list">{rows}</div></details>'


def code_html(runs: Sequence[Any], secrets: frozenset[str]) -> str:
    chips = []
    for run in runs:
        if not isinstance(run, dict):
            continue
        result = run.get("result") if isinstance(run.get("result"), dict) else None
        state = "running" if result is None else ("error" if result.get("error") else "done")
        name = _esc(run.get("name") or run.get("id") or "code", secrets)
        chips.append(f'<span class="ak-chip">{ICONS["code"]}{name}<span class="sub">{state}</span></span>')
    return f'<div class="ak-row">{"".join(chips)}</div>' if chips else ""


def buttons_html(actions: Sequence[dict[str, Any]], clicked: str | None, secrets: frozenset[str]) -> str:
    """The action buttons under the message (each with its icon, else the page's sparkles)."""
    if not actions:
        return ""
    parts = []
    for action in actions:
        icon = action.get("icon")
        image = f'<img src="{_esc(icon, secrets)}" alt="">' if _image_url(icon) else ICONS["sparkles"]
        name = _esc(action.get("name") or action.get("id"), secrets)
        css = "ak-button clicked" if clicked is not None and action.get("id") == clicked else "ak-button"
        parts.append(f'<span class="{css}" title="{name}">{image}<span>{name}</span></span>')
    return f'<div class="ak-buttons">{"".join(parts)}</div>'


def follow_ups_html(follow_ups: Sequence[Any], secrets: frozenset[str]) -> str:
    items = [f for f in follow_ups if isinstance(f, str)]
    if not items:
        return ""
    rows = "".join(f'<div class="q">{_esc(item, secrets)}</div>' for item in items)
    return f'<div class="ak-followups"><div class="h">Follow up</div>{rows}</div>'


def error_text(error: Any) -> str:
    """The text of ``message.error`` as the page's error box shows it."""
    if isinstance(error, dict):
        content = error.get("content", error)
        if isinstance(content, str):
            return content
        if isinstance(content, dict):
            inner = content.get("error")
            if isinstance(inner, dict) and isinstance(inner.get("message"), str):
                return str(inner["message"])
            for key in ("detail", "message"):
                if isinstance(content.get(key), str):
                    return str(content[key])
        return json.dumps(jsonable(content), ensure_ascii=False)
    return str(error)


def error_html(error: Any, secrets: frozenset[str]) -> str:
    if not error:
        return ""
    return f'<div class="ak-error">{ICONS["info"]}<div>{_esc(error_text(error), secrets)}</div></div>'


def content_html(content: str, sources: Sequence[Any], secrets: frozenset[str]) -> str:
    return markdown_html(_text(content, secrets), [_text(t, secrets) for t in _citations(sources)])


def message_html(
    message: dict[str, Any],
    secrets: frozenset[str] = frozenset(),
    *,
    name: str = "Assistant",
    actions: Sequence[dict[str, Any]] = (),
    clicked: str | None = None,
    running: bool = False,
    owner: str = "sim",
) -> str:
    """The assistant message block, in the order ``ResponseMessage.svelte`` draws it (a long status
    history folded, a long content cut: ``owner`` names what keeps them whole, ``sim`` or ``turn``)."""
    parts = [status_html(message.get("statusHistory") or [], secrets, running=running, owner=owner)]
    parts.append(files_html(message.get("files") or [], secrets))
    parts.append(embeds_html(message.get("embeds") or [], secrets))
    content = message.get("content") or ""
    sources = message.get("sources") or []
    if content:
        text = capped(_text(content, secrets), f"{owner}.content")  # masked first: no cut secret
        parts.append(f'<div class="ak-content">{content_html(text, sources, secrets)}</div>')
    elif not running and not message.get("error"):
        parts.append('<div class="ak-content ak-empty">(no message content)</div>')
    if running:
        parts.append('<span class="ak-cursor"></span>')
    parts.append(error_html(message.get("error"), secrets))
    parts.append(sources_html(sources, secrets))
    parts.append(code_html(message.get("code_executions") or [], secrets))
    if not running:
        parts.append(buttons_html(actions, clicked, secrets))
        parts.append(follow_ups_html(message.get("followUps") or [], secrets))
    initial = html.escape((name.strip()[:1] or "A").upper())
    return (
        f'<div class="ak-msg"><div class="ak-avatar">{initial}</div><div class="ak-body">'
        f'<div class="ak-name">{html.escape(name)}</div>{"".join(parts)}</div></div>'
    )


def toasts_html(notifications: Sequence[Any], secrets: frozenset[str]) -> str:
    """Notifications as the page's toasts (top right, an icon per type)."""
    toasts = []
    for note in notifications:
        if not isinstance(note, dict):
            continue
        kind = str(note.get("type")) if note.get("type") in TOAST_TYPES else "info"
        text = _esc(note.get("content", ""), secrets)
        toasts.append(f'<div class="ak-toast {kind}">{ICONS[kind]}<div>{text}</div></div>')
    return f'<div class="ak-toasts">{"".join(toasts)}</div>' if toasts else ""


_DEFAULT_TITLES = {"confirmation": "Confirm your action", "input": "Input", "execute": "Run JavaScript"}


def dialog_html(call: dict[str, Any], secrets: frozenset[str], *, when: str = "") -> str:
    """One ``__event_call__`` as the page's dialog, with the answer it got."""
    kind = str(call.get("type"))
    data = call.get("data") if isinstance(call.get("data"), dict) else {}
    assert isinstance(data, dict)
    title = _esc(data.get("title") or _DEFAULT_TITLES.get(kind, kind), secrets)
    message = data.get("message")
    body = markdown_html(_text(message, secrets)) if isinstance(message, str) and message else ""
    if kind == "execute":
        body += f"<pre>{_esc(data.get('code', ''), secrets)}</pre>"
    answered = "reply" in call
    reply = call.get("reply")
    buttons = ""
    if kind in ("confirmation", "input"):
        cancel = "btn chosen" if answered and reply is False else "btn"
        confirm = "btn main chosen" if answered and reply not in (False, None) else "btn main"
        if answered and isinstance(reply, dict):
            cancel, confirm = "btn faded", "btn main faded"  # the browser never answered
        buttons = (
            f'<div class="btns"><span class="{cancel}">Cancel</span>'
            f'<span class="{confirm}">Confirm</span></div>'
        )
    secret_input = kind == "input" and _password_input(data)
    if not answered:
        answer = '<span class="ak-muted">waiting for an answer…</span>'
    elif secret_input and isinstance(reply, str) and reply:
        answer = f"answer: {MASK} (entered)"
    else:
        answer = (
            f"answer: <code>{_esc(json.dumps(jsonable(reply, secrets), ensure_ascii=False), secrets)}</code>"
        )
    place = f'<span class="when">{html.escape(when)}</span>' if when else ""
    return (
        f'<div class="ak-dialog">{place}<div class="t">{title}</div><div class="m">{body}</div>'
        f'{buttons}<div class="ans">{answer}</div></div>'
    )


def _password_input(data: dict[str, Any]) -> bool:
    spec = data.get("input") if isinstance(data.get("input"), dict) else {}
    return data.get("type") == "password" or (isinstance(spec, dict) and spec.get("type") == "password")
