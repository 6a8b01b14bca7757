"""Stand-in for ``open_webui.utils.tools``: the tools of the running simulation, as ``get_tools``
builds them.

The tools a simulation knows (the tool under test, a ``Chat``'s ``tools=``) are rows in its
:mod:`~actionkit.standins.context`; ``get_tools`` loads each one through the tool cache (the instance
lives on between calls, as in the host) and builds the dict :func:`tools_dict` builds: valves applied,
methods bound with the caller's ``extra_params``, names clashing across tools renamed. Unknown ids are
left out, as the host leaves out tools it cannot find.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..standins import context, host_async, provide
from ._cache import loaded
from ._tool import SelectedTool, Tool, tools_dict
from ._tool_bind import bind_tool_function, rebind_tool_function
from ._tool_specs import functions_of, stored_specs

__all__ = [
    "get_async_tool_function_and_apply_extra_params",
    "get_functions_from_tool",
    "get_tool_specs",
    "get_tools",
    "get_updated_tool_function",
]


def _user_id(user: Any) -> str:
    if isinstance(user, dict):
        return str(user.get("id", ""))
    return str(getattr(user, "id", ""))


def selected_tools(tool_ids: list[str], user_id: str) -> list[SelectedTool]:
    """The simulation's tools named in ``tool_ids`` (unknown ids skipped), with their valves."""
    rows = context.current().tools
    selected = []
    for tool_id in tool_ids:
        row = rows.get(tool_id)
        if row is None:
            continue
        tool = loaded(str(row["content"]), id=tool_id, name=row.get("name"), kind="tool")
        if not isinstance(tool, Tool):
            continue
        user_valves = (row.get("user_valves") or {}).get(user_id)
        selected.append(SelectedTool(tool, row.get("valves") or {}, user_valves or {}))
    return selected


@host_async("")
async def get_tools(
    request: Any, tool_ids: list[str], user: Any, extra_params: dict[str, Any]
) -> dict[str, Any]:
    """``{name: {"tool_id", "callable", "spec", "metadata"}}`` for the simulation's tools in ``tool_ids``."""
    if not tool_ids:
        return {}
    return tools_dict(selected_tools(list(tool_ids), _user_id(user)), extra_params)


def get_tool_specs(tool_module: object) -> list[dict[str, Any]]:
    return stored_specs(tool_module)


def get_functions_from_tool(tool: object) -> list[Callable[..., Any]]:
    return functions_of(tool)


@host_async("")
async def get_async_tool_function_and_apply_extra_params(
    function: Callable[..., Any], extra_params: dict[str, Any], function_introspection: Any = None
) -> Any:
    return bind_tool_function(function, extra_params)


@host_async("")
async def get_updated_tool_function(function: Callable[..., Any], extra_params: dict[str, Any]) -> Any:
    return rebind_tool_function(function, extra_params)


provide("open_webui.utils.tools", __name__)
