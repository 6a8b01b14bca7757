"""Stand-in for ``open_webui.models.tools``: no Tools are installed in a simulation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._base import StandinTable, host_async

__all__ = ["ToolMeta", "ToolModel", "Tools", "ToolsTable"]


class ToolMeta(BaseModel):
    model_config = ConfigDict(extra="allow")
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


class ToolsTable(StandinTable):
    """``Tools``: empty, as on an Open WebUI without Tools."""

    _real_key = "open_webui.models.tools.Tools"
    _label = "Tools"

    @host_async("Tools")
    async def get_tool_by_id(self, id: str, db: Any = None) -> ToolModel | None:
        return None

    @host_async("Tools")
    async def get_tools_by_ids(self, tool_ids: list[str], db: Any = None) -> dict[str, ToolModel]:
        return {}

    @host_async("Tools")
    async def get_tools(self, *args: Any, **kwargs: Any) -> list[ToolModel]:
        return []

    @host_async("Tools")
    async def get_tool_valves_by_id(self, id: str, db: Any = None) -> dict[str, Any] | None:
        return None

    @host_async("Tools")
    async def get_user_valves_by_id_and_user_id(
        self, id: str, user_id: str, db: Any = None
    ) -> dict[str, Any] | None:
        return None


Tools = ToolsTable()
