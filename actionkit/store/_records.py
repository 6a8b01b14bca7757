"""The rows the store hands out: function rows (with and without content), versions, save results."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

from ..function import loaded
from ..secrets import MaskedValues, secret_fields

if TYPE_CHECKING:
    from ..function import Function


class _Meta:
    """The ``meta`` column of a function or tool row, parsed on first use (listings stay fast)."""

    meta_json: str

    @cached_property
    def meta(self) -> dict[str, Any]:
        """``{description, manifest, …}`` (a tool's also ``has_user_valves``)."""
        meta = json.loads(self.meta_json)
        return meta if isinstance(meta, dict) else {}

    @property
    def description(self) -> str:
        return str(self.meta.get("description") or "")

    @property
    def manifest(self) -> dict[str, Any]:
        manifest = self.meta.get("manifest") or {}
        return manifest if isinstance(manifest, dict) else {}


@dataclass
class FunctionInfo(_Meta):
    """A function row without its content and valves (what a listing returns)."""

    id: str
    user_id: str
    name: str
    type: str
    meta_json: str = field(repr=False, compare=False)
    is_active: bool
    is_global: bool
    updated_at: int
    created_at: int


@dataclass
class FunctionRecord(FunctionInfo):
    """A whole function row: Open WebUI's columns (content and admin valves included). ``valves``
    holds the real values; its ``repr`` (so the record's) masks the secrets."""

    content: str = field(default="", repr=False)
    valves: dict[str, Any] = field(default_factory=dict)
    version: int = 0

    def to_owui(self, include_valves: bool = False) -> dict[str, Any]:
        """The item of Open WebUI's ``GET /api/v1/functions/export``."""
        item: dict[str, Any] = {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "type": self.type,
            "content": self.content,
            "meta": self.meta,
            "is_active": self.is_active,
            "is_global": self.is_global,
            "updated_at": self.updated_at,
            "created_at": self.created_at,
        }
        if include_valves:
            item["valves"] = self.valves
        return item


@dataclass
class ToolInfo(_Meta):
    """A tool row without its content, specs and valves (what a listing returns)."""

    id: str
    user_id: str
    name: str
    meta_json: str = field(repr=False, compare=False)
    updated_at: int
    created_at: int
    type: str = field(default="tool", init=False)


@dataclass
class ToolRecord(ToolInfo):
    """A whole tool row: Open WebUI's ``tool`` columns (content, stored specs and admin valves)."""

    content: str = ""
    specs: list[dict[str, Any]] = field(default_factory=list)
    valves: dict[str, Any] = field(default_factory=dict)
    version: int = 0

    def to_owui(self) -> dict[str, Any]:
        """The item of Open WebUI's ``GET /api/v1/tools/export`` (no valves, as in the host)."""
        return {
            "version_id": tool_version_id(self.id, self.version),
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "content": self.content,
            "specs": self.specs,
            "meta": self.meta,
            "access_grants": [],
            "updated_at": self.updated_at,
            "created_at": self.created_at,
        }


def tool_version_id(tool_id: str, version: int) -> str:
    """A stable uuid for one stored version (the host's ``version_id`` column holds a uuid)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"actionkit:tool:{tool_id}:{version}"))


@dataclass
class StoreEntry:
    """One function of :meth:`Store.save_many`: flags, valves and meta as given (``None``: keep/derive)."""

    fn: Function
    is_active: bool = True
    is_global: bool = False
    valves: dict[str, Any] | None = field(default=None, repr=False)  # secrets inside
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class Version:
    """One stored content of a function."""

    version: int
    content: str
    content_hash: str
    created_at: int


@dataclass
class SaveResult:
    """What :meth:`Store.save` did: the new row, whether the content was new, the valves it had to
    drop (kept with the version they belonged to) and those it restored from an earlier version
    with the same content."""

    record: FunctionRecord | ToolRecord
    created: bool
    new_version: bool
    dropped_valves: dict[str, str] = field(default_factory=dict)
    dropped_user_valves: dict[str, dict[str, str]] = field(default_factory=dict)
    restored_valves: list[str] = field(default_factory=list)
    restored_user_valves: dict[str, list[str]] = field(default_factory=dict)

    def notes(self) -> list[str]:
        """What the save did to stored valves, one line each (names only, never values)."""
        notes = [f"valve {name!r} dropped: {why}" for name, why in self.dropped_valves.items()]
        for user, lost in self.dropped_user_valves.items():
            notes.extend(f"user valve {name!r} of {user!r} dropped: {why}" for name, why in lost.items())
        if self.dropped_valves or self.dropped_user_valves:
            notes.append("dropped values are kept with the previous version: reverting to it restores them")
        notes.extend(
            f"valve {name!r} restored from when this source was saved before" for name in self.restored_valves
        )
        for user, back in self.restored_user_valves.items():
            notes.extend(f"user valve {name!r} of {user!r} restored" for name in back)
        return notes


def info_from_row(row: tuple[Any, ...]) -> FunctionInfo:
    return FunctionInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]), row[7], row[8])


def record_from_row(row: tuple[Any, ...]) -> FunctionRecord:
    return FunctionRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        bool(row[5]),
        bool(row[6]),
        row[7],
        row[8],
        content=row[9],
        valves=MaskedValues(json.loads(row[10]), partial(model_secrets, row[9], row[0], "Valves")),
        version=row[11] or 0,
    )


def model_secrets(content: str, function_id: str, attr: str) -> frozenset[str]:
    """The secret fields of a stored source's ``Valves``/``UserValves`` (loaded only when values are
    shown); for a source that no longer loads, the names alone decide."""
    try:
        fn = loaded(content, id=function_id)
    except Exception:
        return frozenset()
    return secret_fields(fn.Valves if attr == "Valves" else fn.UserValves)
