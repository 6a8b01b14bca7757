"""How a compat table shows itself: one row per runtime (outcome, events, result), the fields that
differ from the reference highlighted, and the known host change that explains them underneath.

The text is deterministic (no durations, ids or clocks), like every other view.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from ._simulation import clip_line

if TYPE_CHECKING:
    from ..testing._compat import Compat, CompatRow

_OUTCOME = frozenset({"ok", "error", "timed_out", "raised"})
_EVENTS = frozenset({"events", "event_calls"})
_RESULT = frozenset({"result", "message", "chunks"})
_STYLE = (
    "<style>.ak-compat td,.ak-compat th{padding:2px 8px;text-align:left;vertical-align:top}"
    ".ak-compat .ak-differs{background:#fff3cd}.ak-compat .ak-why{font-style:italic;color:#555}"
    ".ak-compat .ak-unexplained{color:#b00020}</style>"
)


def _outcome(row: CompatRow) -> str:
    outcome = row.outcome
    raised = outcome.get("raised")
    if raised:
        notes = outcome.get("notes") or [""]
        return clip_line(f"raised {raised.get('type')}: {str(notes[0]).splitlines()[0]}", 70)
    if outcome.get("timed_out"):
        return "timed out"
    if outcome.get("ok"):
        return "ok"
    return clip_line(f"error: {outcome.get('error')}", 70)


def _events(row: CompatRow) -> str:
    events = row.outcome.get("events") or []
    types = [str(event.get("type")) if isinstance(event, dict) else "?" for event in events]
    text = ", ".join(types) if types else "none"
    calls = row.outcome.get("event_calls") or []
    if calls:
        text += f"; {len(calls)} call{'s' if len(calls) != 1 else ''}"
    return clip_line(text, 50)


def _result(row: CompatRow) -> str:
    if row.outcome.get("raised"):
        return "-"
    return clip_line(json.dumps(row.outcome.get("result"), ensure_ascii=False, default=str), 50)


def _verdict(table: Compat) -> str:
    differing = [row for row in table.rows if row.differs]
    if not differing:
        return f"the same on all {len(table.rows)} runtimes"
    text = f"{len(differing)} of {len(table.rows)} runtimes differ"
    if table.explained:
        return text + "; known host changes explain every difference"
    return text + "; some differences are not explained by a known host change"


def _why(row: CompatRow) -> list[tuple[str, str]]:
    """``(kind, line)`` under a row: each explaining change, then what none explains."""
    comparison = row.comparison
    if comparison is None:
        return []
    lines = [("why", e.summary) for e in comparison.explained]
    if comparison.unexplained:
        fields = ", ".join(comparison.unexplained)
        lines.append(("unexplained", f"not explained by a known host change: {fields}"))
    return lines


def compat_text(table: Compat) -> str:
    base = table.rows[table.reference]
    head = f"compat {table.kind} {table.target} on {len(table.rows)} runtimes, compared with {base.label}"
    cells = [[row.label, _outcome(row), _events(row), _result(row)] for row in table.rows]
    widths = [max(len(cells[i][c]) for i in range(len(cells))) for c in range(3)]
    lines = [head]
    for row, values in zip(table.rows, cells, strict=True):
        padded = "  ".join(value.ljust(width) for value, width in zip(values[:3], widths, strict=True))
        if row.comparison is None:
            mark = "(reference)"
        elif row.comparison.same:
            mark = "= same"
        else:
            mark = "≠ " + ", ".join(row.comparison.fields)
        lines.append(f"  {padded}  {values[3]}  {mark}")
        lines += [f"      {text}" for _, text in _why(row)]
    lines.append(_verdict(table))
    return "\n".join(lines)


def _cell(text: str, differs: bool) -> str:
    style = ' class="ak-differs"' if differs else ""
    return f"<td{style}>{html.escape(text)}</td>"


def compat_html(table: Compat) -> str:
    base = table.rows[table.reference]
    parts: list[Any] = [
        _STYLE,
        '<div class="ak-compat"><div><b>',
        html.escape(f"{table.kind} {table.target}"),
        "</b>: compared with ",
        html.escape(base.label),
        "</div><table><tr><th>runtime</th><th>outcome</th><th>events</th><th>result</th>"
        "<th>differs in</th></tr>",
    ]
    for row in table.rows:
        fields = set(row.comparison.fields) if row.comparison is not None else set()
        differs = ", ".join(row.comparison.fields) if row.comparison and fields else ""
        mark = "reference" if row.comparison is None else (differs or "same")
        parts += [
            "<tr>",
            f"<td>{html.escape(row.label)}</td>",
            _cell(_outcome(row), bool(fields & _OUTCOME)),
            _cell(_events(row), bool(fields & _EVENTS)),
            _cell(_result(row), bool(fields & _RESULT)),
            _cell(mark, bool(fields)),
            "</tr>",
        ]
        for kind, text in _why(row):
            parts.append(f'<tr><td></td><td colspan="4" class="ak-{kind}">{html.escape(text)}</td></tr>')
    parts += ["</table><div>", html.escape(_verdict(table)), "</div></div>"]
    return "".join(parts)
