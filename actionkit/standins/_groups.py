"""Stand-in for ``open_webui.models.groups``: the simulated user belongs to no group."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ._base import StandinTable, host_async

__all__ = ["GroupModel", "GroupTable", "Groups"]


class GroupModel(BaseModel):
    parent_group_id: str | None = None
    id: str
    user_id: str
    name: str
    description: str
    data: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    permissions: dict[str, Any] | None = None
    created_at: int
    updated_at: int
    model_config = ConfigDict(from_attributes=True)


class GroupTable(StandinTable):
    """``Groups``: empty, as on a fresh Open WebUI."""

    _real_key = "open_webui.models.groups.Groups"
    _label = "Groups"

    @host_async("Groups")
    async def get_groups_by_member_id(
        self, user_id: str, db: Any = None, *, include_inherited: bool = False
    ) -> list[GroupModel]:
        return []

    @host_async("Groups")
    async def get_all_groups(self, db: Any = None) -> list[GroupModel]:
        return []

    @host_async("Groups")
    async def get_group_by_id(self, id: str, db: Any = None) -> GroupModel | None:
        return None

    @host_async("Groups")
    async def get_group_user_ids_by_id(self, id: str, db: Any = None) -> list[str]:
        return []


Groups = GroupTable()
