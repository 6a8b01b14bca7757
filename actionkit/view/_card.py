"""The card a registered function shows: id, type, name, version, valves, sub-actions, models,
what an Event function is called with, or a tool's methods."""

from __future__ import annotations

import html
import inspect
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..host import FILTER_HOOKS, OFFERED
from ..secrets import masked, reveal, secret_fields
from ._style import STYLE
from ._tools import tool_card_html, tool_card_lines

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..function import Function


@dataclass
class FunctionCard:
    """Displayable summary of a function (deterministic ``text/plain`` and HTML)."""

    fn: Function
    valves: dict[str, Any] | None = None
    version: int | None = None
    store_path: str | None = None
    notes: list[str] = field(default_factory=list)
    # False when the valve editors are shown right under the card (they show the values).
    show_valves: bool = True

    def lines(self) -> list[str]:
        fn = self.fn
        head = f"{fn.type} {fn.id}"
        if fn.name != fn.id:
            head += f" — {fn.name}"
        if fn.version:
            head += f" v{fn.version}"
        out = [head]
        if fn.description:
            out.append(f"  {fn.description}")
        if self.version is not None:
            out.append(f"  saved as version {self.version}")
        if fn.type == "filter":
            hooks = [h for h in FILTER_HOOKS if callable(getattr(fn.instance, h, None))]
            out.append(f"  hooks: {', '.join(hooks) or 'none'}" + ("  (toggle)" if fn.toggle else ""))
        if fn.type == "event":
            out.append(f"  {_event_handler(fn.instance)}")
        for title, model, values in (
            ("valves", fn.Valves, self.valves),
            ("user valves", fn.UserValves, None),
        ):
            rows = _valve_rows(model, values) if self.show_valves else []
            if rows:
                out.append(f"  {title}:")
                out.extend(f"    {name} = {value}{mark}" for name, value, mark in rows)
        if fn.sub_actions:
            out.append("  sub-actions: " + ", ".join(f"{fn.id}.{a['id']}" for a in fn.sub_actions))
        if fn.is_manifold:
            models = fn.pipes(self.valves)
            out.append("  models: " + (", ".join(m["id"] for m in models) or "none"))
        if fn.type == "tool":
            out.extend(tool_card_lines(fn))
        if fn.requirements:
            out.append("  requirements: " + ", ".join(fn.requirements))
        out.extend(f"  note: {note}" for note in self.notes)
        return out

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": "\n".join(self.lines()), "text/html": self._html()}

    def _html(self) -> str:
        fn = self.fn
        lines = self.lines()
        name = f" <span class='ak-muted'>{html.escape(fn.name)}</span>" if fn.name != fn.id else ""
        version = f" <span class='ak-badge'>v{html.escape(str(fn.version))}</span>" if fn.version else ""
        rows = []
        for line in lines[1:]:
            text = line.strip()
            css = "ak-warn" if text.startswith("note:") else "ak-card-row"
            rows.append(f'<div class="{css}">{html.escape(text)}</div>')
        if fn.type == "tool":
            rows.append(tool_card_html(fn))
        return (
            f'{STYLE}<div class="akv actionkit-card"><div class="ak-head">'
            f'<span class="ak-badge">{html.escape(fn.type)}</span><b>{html.escape(fn.id)}</b>{name}{version}'
            f"</div>{''.join(rows)}</div>"
        )


def _event_handler(instance: Any) -> str:
    """What the host calls an Event function with, in one line."""
    handler = getattr(instance, "event", None)
    if not handler:
        return "no event() method: Open WebUI never calls it"
    offered = ("event", *OFFERED["event"])
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return "event(): its signature cannot be read"
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        given = list(offered)
    else:
        names = {p.name for p in parameters}
        given = [name for name in offered if name in names]
    return (
        f"event({', '.join(given)}): called for every application event Open WebUI 0.12.4 publishes "
        "(chat.created, user.updated, file.uploaded …)"
    )


def function_card(fn: Function) -> dict[str, str]:
    return FunctionCard(fn)._repr_mimebundle_()


def _valve_rows(model: type[BaseModel] | None, stored: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    if model is None:
        return []
    secrets = secret_fields(model)
    stored = stored or {}
    rows = []
    shown = masked(stored, secrets)
    for name, info in model.model_fields.items():
        if name in stored:
            value, mark = shown[name], ""
        else:
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            value = masked({name: reveal(default)}, secrets)[name]
            mark = "  (required)" if info.is_required() else "  (default)"
        rows.append((name, _short(value), mark))
    return rows


def _short(value: Any, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
