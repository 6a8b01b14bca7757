"""Stand-in for ``open_webui.utils.plugin``: load another function or tool the way the host does."""

from __future__ import annotations

import types
from typing import Any

from ..errors import FunctionLoadError
from ..standins import context, host_async, provide
from ._loader import load
from ._source import extract_frontmatter, rewrite_imports

__all__ = ["extract_frontmatter", "load_function_module_by_id", "load_tool_module_by_id", "replace_imports"]


def replace_imports(content: str) -> str:
    return rewrite_imports(content)


@host_async("")
async def load_function_module_by_id(
    function_id: str, content: str | None = None
) -> tuple[Any, str, dict[str, str], types.ModuleType]:
    """``(instance, type, frontmatter, module)`` of ``content``, or of a function the simulation
    knows by id; ``Exception("Function not found: <id>")`` otherwise, as in the host."""
    if content is None:
        content = context.current().functions.get(function_id)
        if content is None:
            raise Exception(f"Function not found: {function_id}")
    try:
        fn = load(content, id=function_id)
    except FunctionLoadError as exc:
        if exc.kind == "no_class":
            raise Exception("No Function class found in the module") from exc
        raise
    return fn.instance, fn.type, fn.manifest, fn.module


@host_async("")
async def load_tool_module_by_id(
    tool_id: str, content: str | None = None
) -> tuple[Any, dict[str, str], types.ModuleType]:
    """``(Tools instance, frontmatter, module)`` of ``content``, or of a tool the simulation knows by
    id; ``Exception("Toolkit not found: <id>")`` otherwise, as in the host."""
    if content is None:
        row = context.current().tools.get(tool_id)
        if row is None:
            raise Exception(f"Toolkit not found: {tool_id}")
        content = str(row["content"])
    try:
        tool = load(content, id=tool_id, kind="tool")
    except FunctionLoadError as exc:
        if exc.kind == "no_class":
            raise Exception("No Tools class found in the module") from exc
        raise
    return tool.instance, tool.manifest, tool.module


provide("open_webui.utils.plugin", __name__)
