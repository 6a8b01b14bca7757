"""Stand-in for ``open_webui.models.models``: workspace model records of the simulated registry.

In the host, ``Models`` holds workspace models (presets with their own name, system prompt and
parameters); plain provider models are not in it. Likewise here: a registry entry with an ``info``
dict (the workspace record) is a row, a bare provider model is not.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..host import FIXED_TIME
from . import context
from ._base import StandinTable, host_async

__all__ = ["ModelMeta", "ModelModel", "ModelParams", "Models", "ModelsTable"]


class ModelParams(BaseModel):
    model_config = ConfigDict(extra="allow")


class ModelMeta(BaseModel):
    profile_image_url: str | None = None
    background_image_url: str | None = None
    description: str | None = None
    capabilities: dict[str, Any] | None = None
    knowledge: list[Any] | None = None
    model_config = ConfigDict(extra="allow")


class ModelModel(BaseModel):
    """Same fields as open-webui 0.12.4's ``ModelModel``."""

    version_id: str | None = None
    id: str
    user_id: str
    base_model_id: str | None = None
    name: str
    params: ModelParams
    meta: ModelMeta
    access_grants: list[dict[str, Any]] = Field(default_factory=list)
    is_active: bool
    updated_at: int
    created_at: int
    model_config = ConfigDict(from_attributes=True)


def _row(entry: dict[str, Any]) -> ModelModel | None:
    info = entry.get("info")
    if not isinstance(info, dict):
        return None
    ctx = context.current()
    data = {
        "id": entry.get("id"),
        "user_id": ctx.user.get("id", ""),
        "name": entry.get("name") or entry.get("id"),
        "params": {},
        "meta": {},
        "is_active": True,
        "updated_at": FIXED_TIME,
        "created_at": FIXED_TIME,
        **copy.deepcopy(info),
    }
    return ModelModel.model_validate(data)


def _rows() -> list[ModelModel]:
    rows = [_row(entry) for entry in context.current().models.values()]
    return [row for row in rows if row is not None]


class ModelsTable(StandinTable):
    """``Models``: the workspace model records of the simulation's model registry."""

    _real_key = "open_webui.models.models.Models"
    _label = "Models"

    @host_async("Models")
    async def get_model_by_id(self, id: str, db: Any = None) -> ModelModel | None:
        entry = context.current().models.get(id)
        return _row(entry) if isinstance(entry, dict) else None

    @host_async("Models")
    async def get_models_by_ids(self, ids: list[str], db: Any = None) -> list[ModelModel]:
        return [row for row in _rows() if row.id in set(ids)]

    @host_async("Models")
    async def get_all_models(self, db: Any = None) -> list[ModelModel]:
        return _rows()

    @host_async("Models")
    async def get_models(self, *args: Any, **kwargs: Any) -> list[ModelModel]:
        return [row for row in _rows() if row.base_model_id is not None]

    @host_async("Models")
    async def get_base_models(self, tag: str | None = None, db: Any = None) -> list[ModelModel]:
        return [row for row in _rows() if row.base_model_id is None]


Models = ModelsTable()
