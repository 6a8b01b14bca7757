"""Stand-in for ``open_webui.models.tools``: the tools the running simulation knows.

The rows come from the simulation context (``context.current().tools``: the tool under test, a
``Chat``'s ``tools=``), with the host's columns. Reads answer as 0.12.4's ``ToolsTable`` does (async,
``None`` for an unknown id, ``{}`` for valves never saved); valve updates change the simulation's
rows only, never the store.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from . import context
from ._base import StandinTable, host_async

__all__ = ["ToolMeta", "ToolModel", "ToolUserModel", "Tools", "ToolsTable"]


class ToolMeta(BaseModel):
    model_config = ConfigDict(extra="allow")
    i18n: dict[str, dict[str, str]] | None = None
    description: str | None = None
    manifest: dict[str, Any] | None = {}
    has_user_valves: bool = False


class ToolModel(BaseModel):
    version_id: str | None = None
    id: str
    user_id: str | None = None
    name: str
    content: str | None = None
    specs: list[dict[str, Any]]
    meta: ToolMeta
    access_grants: list[dict[str, Any]] = Field(default_factory=list)
    updated_at: int
    created_at: int
    model_config = ConfigDict(from_attributes=True)


class ToolUserModel(ToolModel):
    user: dict[str, Any] | None = None


def _model(row: dict[str, Any], *, content: bool = True) -> ToolModel:
    fields = {k: copy.deepcopy(v) for k, v in row.items() if k in ToolModel.model_fields}
    if not content:
        fields["content"] = None
    return ToolModel(**fields)


class ToolsTable(StandinTable):
    """``Tools``: the simulation's tools (none outside a simulation that selects some)."""

    _real_key = "open_webui.models.tools.Tools"
    _label = "Tools"

    @host_async("Tools")
    async def get_tool_by_id(self, id: str, db: Any = None) -> ToolModel | None:
        row = context.current().tools.get(id)
        return _model(row) if row is not None else None

    @host_async("Tools")
    async def get_tools_by_ids(self, tool_ids: list[str], db: Any = None) -> dict[str, ToolModel]:
        rows = context.current().tools
        return {tool_id: _model(rows[tool_id]) for tool_id in tool_ids if tool_id in rows}

    @host_async("Tools")
    async def get_tools(self, defer_content: bool = False, *args: Any, **kwargs: Any) -> list[ToolUserModel]:
        rows = context.current().tools.values()
        return [ToolUserModel(**_model(row, content=not defer_content).model_dump()) for row in rows]

    @host_async("Tools")
    async def get_tool_valves_by_id(self, id: str, db: Any = None) -> dict[str, Any] | None:
        row = context.current().tools.get(id)
        return dict(row.get("valves") or {}) if row is not None else None

    @host_async("Tools")
    async def get_user_valves_by_id_and_user_id(
        self, id: str, user_id: str, db: Any = None
    ) -> dict[str, Any] | None:
        row = context.current().tools.get(id)
        return dict((row.get("user_valves") or {}).get(user_id) or {}) if row is not None else {}

    @host_async("Tools")
    async def update_tool_valves_by_id(
        self, id: str, valves: dict[str, Any], db: Any = None
    ) -> ToolModel | None:
        row = context.current().tools.get(id)
        if row is None:
            return None
        row["valves"] = dict(valves)
        return _model(row)

    @host_async("Tools")
    async def update_user_valves_by_id_and_user_id(
        self, id: str, user_id: str, valves: dict[str, Any], db: Any = None
    ) -> dict[str, Any] | None:
        row = context.current().tools.get(id)
        if row is None:
            return None
        row.setdefault("user_valves", {})[user_id] = dict(valves)
        return dict(valves)


Tools = ToolsTable()
