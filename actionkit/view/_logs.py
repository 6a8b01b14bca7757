"""What a function printed or logged during a call (``Simulation.logs``): a one-line summary for
the text view and a folded block for HTML, secrets masked."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from ..secrets import mask_text


def _label(entry: dict[str, Any]) -> str:
    return str(entry.get("level") or entry.get("stream") or "?")


def logs_summary(logs: Sequence[Any]) -> str:
    """``"3 lines (stdout 2, WARNING 1)"``; ``""`` when nothing was written."""
    entries = [e for e in logs if isinstance(e, dict)]
    if not entries:
        return ""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[_label(entry)] = counts.get(_label(entry), 0) + 1
    parts = ", ".join(f"{label} {count}" for label, count in counts.items())
    return f"{len(entries)} line{'s' if len(entries) != 1 else ''} ({parts})"


def logs_html(logs: Sequence[Any], secrets: frozenset[str], *, open_: bool = False) -> str:
    """The log lines folded under their summary: stream or level, then the text."""
    summary = logs_summary(logs)
    if not summary:
        return ""
    rows = []
    for entry in logs:
        if not isinstance(entry, dict):
            continue
        label = _label(entry)
        logger = entry.get("logger")
        where = f" {logger}" if logger else ""
        text = html.escape(mask_text(str(entry.get("text", "")), secrets))
        rows.append(
            f'<span class="s {html.escape(label)}">{html.escape(label)}{html.escape(where)}</span>'
            f"<span>{text}</span>"
        )
    state = " open" if open_ else ""
    return (
        f'<details class="ak-fold ak-logs"{state}><summary>Printed and logged: {html.escape(summary)}'
        f'</summary><div class="ak-log">{"".join(rows)}</div></details>'
    )
