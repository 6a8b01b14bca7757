"""Comparable records of Tools, tool calls and chat turns with tools, for both runtimes.

On top of ``_records.normalise`` (uuids, clocks, pydantic's docs version) only what the host makes at
random is normalised: the hex of a tool's module name (``tool_<id>_<hex>``), the ids of output items
(``fco_``, ``msg_``, and the ``fc_``/``call_`` ids the host gives calls that came without one or were
split) and memory addresses in reprs.
"""

from __future__ import annotations

import re
from typing import Any

from actionkit.view import jsonable

from ._records import load_record, normalise

_VOLATILE = (
    (re.compile(r"\btool_(\w+?)_[0-9a-f]{32}\b"), r"tool_\1_<hex>"),
    (re.compile(r"\b(fco|msg|fc|call)_[0-9a-f]{24}\b"), r"\1_<id>"),
    (re.compile(r" at 0x[0-9a-f]+"), ""),
)

TOOL_FIELDS = (
    "ok",
    "error",
    "timed_out",
    "result",
    "events",
    "event_calls",
    "message",
    "tool_call",
    "tool_message",
    "tool_status",
    "files",
    "embeds",
)


def tool_normalise(value: Any) -> Any:
    """``value`` (JSON-able) with ids, clocks and the host's random names normalised."""
    value = normalise(value)
    if isinstance(value, dict):
        return {key: tool_normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tool_normalise(item) for item in value]
    if isinstance(value, str):
        for pattern, replacement in _VOLATILE:
            value = pattern.sub(replacement, value)
    return value


def tool_record(simulation: Any) -> dict[str, Any]:
    """The compared fields of a tool call's ``Simulation``."""
    return {"simulation": tool_normalise(jsonable({name: getattr(simulation, name) for name in TOOL_FIELDS}))}


def entries_view(tools: dict[str, Any]) -> dict[str, Any]:
    """A ``get_tools`` dict as data: per name the entry's keys, tool id, metadata, model-facing
    spec, the reserved arguments bound into the callable and what is left of its signature."""
    view = {}
    for name, entry in tools.items():
        function = entry.get("callable")
        view[name] = {
            "keys": list(entry),
            "tool_id": entry.get("tool_id"),
            "metadata": entry.get("metadata"),
            "spec": entry.get("spec"),
            "bound": sorted(getattr(function, "__extra_params__", {})),
            "signature": str(getattr(function, "__signature__", "")),
        }
    return tool_normalise(jsonable(view))


def actionkit_tool_facts(source: str, tool_id: str) -> dict[str, Any]:
    """What actionkit makes of a tool source: the same facts ``describe_tool_in_open_webui`` gives."""
    from actionkit import load
    from actionkit.errors import FunctionLoadError
    from actionkit.function import SelectedTool, tools_dict
    from actionkit.host import default_user
    from actionkit.widgets._fields import resolve_valves_schema_options

    from .tool_cases import FACT_EXTRA_PARAMS

    try:
        tool = load(source, id=tool_id, kind="tool")
    except FunctionLoadError as exc:
        cause = exc.__cause__
        error_type = (
            type(cause).__name__
            if cause is not None
            else ("SyntaxError" if exc.kind == "syntax" else "Exception")
        )
        return {"load": load_record(False, error_type=error_type, message=str(exc), line=exc.line)}

    def schema(model: Any) -> Any:
        if model is None:
            return None
        return resolve_valves_schema_options(model, model.model_json_schema(), default_user())

    facts: dict[str, Any] = {
        "load": load_record(True, "tool", tool.manifest),
        "specs": tool.specs,
        "has_user_valves": tool.UserValves is not None,
        "valves_schema": schema(tool.Valves),
        "user_valves_schema": schema(tool.UserValves),
    }
    try:
        facts["get_tools"] = entries_view(
            tools_dict([SelectedTool(tool)], {**FACT_EXTRA_PARAMS, "__user__": default_user()})
        )
        facts["tool_specs"] = tool.tool_specs
    except Exception as exc:
        facts["get_tools"] = {"raised": f"{type(exc).__name__}: {exc}"}
    return tool_normalise(jsonable(facts))


def turn_record(
    requests: list[dict[str, Any]],
    output: list[dict[str, Any]],
    tool_events: list[list[Any]],
    event_calls: list[list[Any]],
    error: str | None,
) -> dict[str, Any]:
    """A whole turn: what the model got in each request, the output items, each tool call's events
    and event calls, and the error the turn ended with."""
    stripped = [{k: v for k, v in request.items() if k != "metadata"} for request in requests]
    return tool_normalise(
        jsonable(
            {
                "requests": stripped,
                "output": output,
                "tool_events": tool_events,
                "event_calls": event_calls,
                "error": error,
            }
        )
    )
