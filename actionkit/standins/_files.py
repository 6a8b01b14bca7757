"""Stand-in for ``open_webui.models.files``: the files given to the simulation.

Each file item (``__files__`` shape ``{"type": "file", "id", "name", "file": {"id", "filename",
"meta", "data": {"content"}}}``, or a row ``{"id", "filename", "data", "meta"}``) becomes a
``FileModel`` row; writes change the simulation's copy only.
"""

from __future__ import annotations

import copy
from typing import Any, cast

from pydantic import BaseModel, ConfigDict

from ..host import FIXED_TIME
from . import context
from ._base import StandinTable, host_async

__all__ = ["FileForm", "FileModel", "Files", "FilesTable"]


class FileModel(BaseModel):
    """Same fields as open-webui 0.12.4's ``FileModel``."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    user_id: str
    hash: str | None = None
    filename: str
    path: str | None = None
    data: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    created_at: int | None
    updated_at: int | None


class FileForm(BaseModel):
    id: str
    hash: str | None = None
    filename: str
    path: str
    data: dict[str, Any] = {}
    meta: dict[str, Any] = {}


def _row_from_item(item: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    inner = item.get("file") if isinstance(item.get("file"), dict) else item
    assert isinstance(inner, dict)
    file_id = inner.get("id") or item.get("id")
    if not file_id:
        return None
    data = copy.deepcopy(inner.get("data") or {})
    if "content" in item and "content" not in data:
        data["content"] = item["content"]
    meta = copy.deepcopy(inner.get("meta") or {})
    name = inner.get("filename") or item.get("name") or meta.get("name") or str(file_id)
    meta.setdefault("name", name)
    return {
        "id": str(file_id),
        "user_id": str(inner.get("user_id") or item.get("user_id") or user_id),
        "hash": inner.get("hash"),
        "filename": str(name),
        "path": inner.get("path"),
        "data": data,
        "meta": meta,
        "created_at": inner.get("created_at", FIXED_TIME),
        "updated_at": inner.get("updated_at", FIXED_TIME),
    }


def _rows() -> dict[str, dict[str, Any]]:
    ctx = context.current()
    rows = ctx.tables.get("files")
    if rows is None:
        rows = {}
        for item in ctx.files:
            if isinstance(item, dict):
                row = _row_from_item(item, str(ctx.user.get("id", "")))
                if row is not None:
                    rows[row["id"]] = row
        ctx.tables["files"] = rows
    return cast("dict[str, dict[str, Any]]", rows)


def _model(row: dict[str, Any]) -> FileModel:
    return FileModel.model_validate(copy.deepcopy(row))


class FilesTable(StandinTable):
    """``Files``: reads and writes the simulation's files."""

    _real_key = "open_webui.models.files.Files"
    _label = "Files"

    @host_async("Files")
    async def get_file_by_id(self, id: str, db: Any = None) -> FileModel | None:
        row = _rows().get(id)
        return _model(row) if row is not None else None

    @host_async("Files")
    async def get_file_by_id_and_user_id(self, id: str, user_id: str, db: Any = None) -> FileModel | None:
        row = _rows().get(id)
        return _model(row) if row is not None and row["user_id"] == user_id else None

    @host_async("Files")
    async def get_files_by_ids(self, ids: list[str], db: Any = None) -> list[FileModel]:
        rows = _rows()
        return [_model(rows[i]) for i in ids if i in rows]

    @host_async("Files")
    async def get_files_by_user_id(self, user_id: str, db: Any = None) -> list[FileModel]:
        return [_model(r) for r in _rows().values() if r["user_id"] == user_id]

    @host_async("Files")
    async def get_files(self, db: Any = None) -> list[FileModel]:
        return [_model(r) for r in _rows().values()]

    @host_async("Files")
    async def insert_new_file(self, user_id: str, form_data: FileForm, db: Any = None) -> FileModel | None:
        row = {**form_data.model_dump(), "user_id": user_id}
        row.update(created_at=FIXED_TIME, updated_at=FIXED_TIME)
        _rows()[row["id"]] = row
        return _model(row)

    @host_async("Files")
    async def update_file_data_by_id(self, id: str, data: dict[str, Any], db: Any = None) -> FileModel | None:
        row = _rows().get(id)
        if row is None:
            return None
        row["data"] = {**(row.get("data") or {}), **data}
        return _model(row)

    @host_async("Files")
    async def update_file_metadata_by_id(
        self, id: str, meta: dict[str, Any], db: Any = None
    ) -> FileModel | None:
        row = _rows().get(id)
        if row is None:
            return None
        row["meta"] = {**(row.get("meta") or {}), **meta}
        return _model(row)

    @host_async("Files")
    async def delete_file_by_id(self, id: str, db: Any = None) -> bool:
        return _rows().pop(id, None) is not None


Files = FilesTable()
