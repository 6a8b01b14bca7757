"""What a filter changed in the body: one line per changed JSON path (``~`` changed, ``+`` added,
``-`` removed), for the text and HTML views of chat turns."""

from __future__ import annotations

import html
import json
from typing import Any

from ..secrets import mask_text
from ._jsonable import jsonable
from ._style import STYLE

LIMIT = 12


def _short(value: Any, secrets: frozenset[str], limit: int = 80) -> str:
    text = json.dumps(jsonable(value, secrets), ensure_ascii=False)
    text = text.replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _walk(before: Any, after: Any, path: str, out: list[tuple[str, str, Any, Any]]) -> None:
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before:
            sub = f"{path}.{key}" if path else str(key)
            if key not in after:
                out.append(("-", sub, before[key], None))
            else:
                _walk(before[key], after[key], sub, out)
        for key in after:
            if key not in before:
                out.append(("+", f"{path}.{key}" if path else str(key), None, after[key]))
        return
    if isinstance(before, list) and isinstance(after, list):
        for i in range(max(len(before), len(after))):
            sub = f"{path}[{i}]"
            if i >= len(after):
                out.append(("-", sub, before[i], None))
            elif i >= len(before):
                out.append(("+", sub, None, after[i]))
            else:
                _walk(before[i], after[i], sub, out)
        return
    out.append(("~", path or "(body)", before, after))


def changes(before: Any, after: Any) -> list[tuple[str, str, Any, Any]]:
    """``(op, path, old, new)`` for every changed leaf, in document order."""
    found: list[tuple[str, str, Any, Any]] = []
    _walk(before, after, "", found)
    return found


def change_lines(
    before: Any, after: Any, secrets: frozenset[str] = frozenset(), limit: int = LIMIT
) -> list[str]:
    """``~ messages[0].content: "Hi" -> "Hi (edited)"`` lines; at most ``limit`` and a count."""
    lines = []
    for op, path, old, new in changes(before, after):
        if op == "~":
            lines.append(f"~ {path}: {_short(old, secrets)} -> {_short(new, secrets)}")
        elif op == "+":
            lines.append(f"+ {path}: {_short(new, secrets)}")
        else:
            lines.append(f"- {path}: {_short(old, secrets)}")
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"… {len(lines) - limit + 1} more changes"]
    return [mask_text(line, secrets) for line in lines]


def changes_html(lines: list[str]) -> str:
    css = {"~": "chg", "+": "add", "-": "del"}
    rows = "".join(
        f'<div class="{css.get(line[:1], "")}">{html.escape(line)}</div>' for line in lines if line
    )
    return f'<div class="ak-diff">{rows}</div>' if rows else ""


def report_html(headline: str, lines: list[str], ok: bool) -> str:
    """A pass/fail headline over diff lines (``-`` expected, ``+`` now), as a case or snapshot shows."""
    rows = []
    for line in lines:
        mark = line.lstrip()[:1]
        css = "del" if mark == "-" else "add" if mark == "+" else ""
        rows.append(f'<div class="{css}">{html.escape(line)}</div>')
    badge = '<span class="ak-badge ok">pass</span>' if ok else '<span class="ak-badge bad">fail</span>'
    body = f'<div class="ak-diff">{"".join(rows)}</div>' if rows else ""
    return f'<div class="ak-head">{badge}<b>{html.escape(headline)}</b></div>{body}'


def wrapped_html(body: str) -> str:
    """``body`` in the views' frame and style sheet."""
    return f'{STYLE}<div class="akv">{body}</div>'
