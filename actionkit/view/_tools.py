"""How Tools show themselves: the methods a card lists (from the specs the model is given), the
tool call lines of a simulation transcript and the tool-call steps of a chat turn."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from ..secrets import mask_text
from ._message import embeds_html, files_html

if TYPE_CHECKING:
    from ..function import Function

_TYPE_NAMES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "array": "list",
    "object": "dict",
}


def _param(name: str, schema: dict[str, Any], required: bool) -> str:
    kind = schema.get("type")
    if kind is None and "enum" in schema:
        kind = "enum"
    if kind is None and "anyOf" in schema:
        kind = " | ".join(str(_TYPE_NAMES.get(t.get("type"), t.get("type"))) for t in schema["anyOf"])
    text = f"{name}: {_TYPE_NAMES.get(str(kind), kind)}"
    if "enum" in schema:
        text += "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"]) + "]"
    if not required:
        text += "?"
    return text


def method_line(spec: dict[str, Any]) -> str:
    """``name(a: str, b: int?) — first line of the description`` for one model-facing spec."""
    parameters = spec.get("parameters") or {}
    required = set(parameters.get("required") or [])
    params = ", ".join(
        _param(name, schema if isinstance(schema, dict) else {}, name in required)
        for name, schema in (parameters.get("properties") or {}).items()
    )
    description = str(spec.get("description") or "").strip().splitlines()
    summary = description[0].strip() if description else ""
    line = f"{spec.get('name')}({params})"
    return f"{line} — {summary}" if summary and summary != spec.get("name") else line


def tool_card_lines(fn: Function) -> list[str]:
    """The card lines of a tool: each method the model is given, or why none can be."""
    try:
        specs = [entry["function"] for entry in fn.tool_specs]  # type: ignore[attr-defined]
    except Exception as exc:
        return [f"  methods: none can be given to a model ({exc})"]
    if not specs:
        return ["  methods: none (no public method: the model is given no tool)"]
    return ["  methods:", *(f"    {method_line(spec)}" for spec in specs)]


def tool_card_html(fn: Function) -> str:
    """The specs the model is given, as JSON in a collapsed block (for the card's HTML)."""
    try:
        specs = fn.tool_specs  # type: ignore[attr-defined]
    except Exception:
        return ""
    text = json.dumps(specs, indent=2, ensure_ascii=False)
    return f'<details class="ak-fold"><summary>Tool specs</summary><pre>{html.escape(text)}</pre></details>'


def tool_html(sim: Any) -> str:
    """The tool call of a simulation: what the model called with which arguments, the ``role: tool``
    text it gets back and its status, then the files and embeds the host shows under the message."""
    tool = sim.tool
    if tool is None:
        return ""
    s = sim.secret_values

    def esc(value: Any) -> str:
        return html.escape(mask_text(value if isinstance(value, str) else str(value), s))

    function = tool.call.get("function", {})
    badge = "ok" if tool.status == "completed" else "bad"
    return (
        '<div class="ak-tool">'
        f'<div class="ak-row">the model called <code>{esc(function.get("name", ""))}</code> '
        f"with <code>{esc(function.get('arguments', ''))}</code></div>"
        f'<div class="ak-row">the model gets <span class="ak-badge {badge}">{esc(tool.status)}</span></div>'
        f'<pre class="ak-log">{esc(tool.text)}</pre>'
        f"{files_html(tool.files, s)}{embeds_html(tool.embeds, s)}</div>"
    )


def tool_call_lines(sim: Any, secrets: frozenset[str], clip: Any) -> tuple[list[str], list[str]]:
    """Lines before the events (the call) and after them (the message the model gets)."""
    tool = sim.tool
    given = sim.inputs.get("tool_call") if isinstance(sim.inputs, dict) else None
    call = tool.call if tool is not None else given
    if not isinstance(call, dict):
        return [], []
    function = call.get("function", {})
    head = [f"  call {function.get('name')} {clip(mask_text(str(function.get('arguments', '')), secrets))}"]
    if tool is None:
        return head, []
    tail = [f"tool message ({tool.status}): {clip(mask_text(tool.text, secrets))}"]
    if tool.files:
        tail.append(f"files: {len(tool.files)}")
    if tool.embeds:
        tail.append(f"embeds: {len(tool.embeds)}")
    return head, tail


def tool_step_summary(step: Any) -> str | None:
    """``"completed: <text>"`` for a chat turn's tool-call step (``None`` for other steps)."""
    if step.stage != "tool" or not step.simulations:
        return None
    sim = step.simulations[0]
    tool = sim.tool
    if tool is None:
        return f"error: {sim.error}"
    text = " ".join(tool.text.split())
    return f"{tool.status}: {text if len(text) <= 120 else text[:119] + '…'}"


def model_calls(chunks: list[Any]) -> list[str]:
    """The tool names a streamed answer asks for (``delta.tool_calls``), in order."""
    names: dict[Any, str] = {}
    for chunk in chunks:
        choices = chunk.get("choices") if isinstance(chunk, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            continue
        delta = choices[0].get("delta") or choices[0].get("message") or {}
        for call in (delta.get("tool_calls") or []) if isinstance(delta, dict) else []:
            name = (call.get("function") or {}).get("name")
            key = call.get("index", len(names))
            if name:
                names.setdefault(key, str(name))
    return list(names.values())
