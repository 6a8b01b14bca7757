"""The store's tools: rows that mirror Open WebUI's ``tool`` table, in their own id namespace.

``Store().tools`` is a :class:`ToolStore`: the same operations as the function store (save with every
version kept, admin valves and per-user valves with the host's semantics, values a new version drops
kept with the version they belonged to, history, revert, delete),
over the host's tool columns (``id, user_id, name, content, specs, meta, valves, updated_at,
created_at``; tools have no active or global flag). A tool and a function may share an id, as in the
host. Export and import speak the host's ``GET /api/v1/tools/export`` format, which has no valves.
"""

from __future__ import annotations

import builtins
import json
import os
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ActionkitError, StoreError
from ..function import (
    LOAD_TIMEOUT,
    Tool,
    content_hash,
    load,
    loaded,
    normalize_id,
    remember,
    stored_valves,
)
from ..host import DEFAULT_USER_ID
from ..secrets import MaskedValues, secret_fields
from ._exchange import parse_items, write_atomically
from ._kept import TOOLS, carry_valves
from ._records import SaveResult, ToolInfo, ToolRecord, Version, model_secrets

if TYPE_CHECKING:
    from ._schema import Database
    from ._store import Store

_INFO = "id, user_id, name, meta, updated_at, created_at"
_RECORD = f"{_INFO}, content, specs, valves"
_FORMAT_HINT = (
    "Open WebUI's tools export is a JSON array of objects with at least 'id' and 'content' "
    "(GET /api/v1/tools/export)"
)


class ToolStore:
    """The tools of one :class:`~actionkit.Store` (``store.tools``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def store(self) -> Store:
        """The store these tools belong to."""
        return self._store

    @property
    def _conn(self) -> Database:
        return self._store._conn

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> builtins.list[ToolInfo]:
        rows = self._conn.execute(f"SELECT {_INFO} FROM tool ORDER BY id").fetchall()
        return [ToolInfo(*row) for row in rows]

    def ids(self) -> builtins.list[str]:
        return [row[0] for row in self._conn.execute("SELECT id FROM tool ORDER BY id")]

    def __contains__(self, tool_id: object) -> bool:
        return self._conn.execute("SELECT 1 FROM tool WHERE id = ?", (tool_id,)).fetchone() is not None

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM tool").fetchone()[0])

    def get(self, tool_id: str) -> ToolRecord:
        return self._record(self._conn, tool_id)

    def _record(self, conn: Database, tool_id: str) -> ToolRecord:
        row = conn.execute(
            f"SELECT {_RECORD}, (SELECT max(version) FROM tool_version WHERE tool_id = tool.id) "
            "FROM tool WHERE id = ?",
            (tool_id,),
        ).fetchone()
        if row is None:
            raise self._unknown(tool_id)
        tool_id, user_id, name, meta, updated_at, created_at, content, specs, valves, version = row
        return ToolRecord(
            tool_id,
            user_id,
            name,
            meta,
            updated_at,
            created_at,
            content=content,
            specs=json.loads(specs),
            valves=MaskedValues(json.loads(valves), partial(model_secrets, content, tool_id, "Valves")),
            version=version or 0,
        )

    def load(self, tool_id: str, *, timeout: float | None = LOAD_TIMEOUT) -> Tool:
        """The loaded tool for the stored content (one instance per content, as in the host); its
        module code and ``__init__`` are bounded by ``timeout``."""
        record = self.get(tool_id)
        tool = loaded(record.content, id=tool_id, name=record.name, kind="tool", timeout=timeout)
        assert isinstance(tool, Tool)
        return tool

    def history(self, tool_id: str) -> builtins.list[Version]:
        rows = self._conn.execute(
            "SELECT version, content, content_hash, created_at FROM tool_version WHERE tool_id = ? "
            "ORDER BY version",
            (tool_id,),
        ).fetchall()
        if not rows and tool_id not in self:
            raise self._unknown(tool_id)
        return [Version(*row) for row in rows]

    def valves(self, tool_id: str) -> dict[str, Any]:
        return self.get(tool_id).valves

    def user_valves(self, tool_id: str, user_id: str = DEFAULT_USER_ID) -> dict[str, Any]:
        content = self.get(tool_id).content
        row = self._conn.execute(
            "SELECT valves FROM tool_user_valves WHERE tool_id = ? AND user_id = ?", (tool_id, user_id)
        ).fetchone()
        values = json.loads(row[0]) if row else {}
        return MaskedValues(values, partial(model_secrets, content, tool_id, "UserValves"))

    def user_ids(self, tool_id: str) -> builtins.list[str]:
        rows = self._conn.execute(
            "SELECT user_id FROM tool_user_valves WHERE tool_id = ? ORDER BY user_id", (tool_id,)
        )
        return [row[0] for row in rows]

    # -- writing ---------------------------------------------------------------------------

    def save(self, tool: Tool, *, user_id: str = DEFAULT_USER_ID) -> SaveResult:
        """Save a loaded tool: a new version when its content changed; stored valves that no longer
        validate against the new ``Valves``/``UserValves`` are dropped (kept with the version they
        belonged to, and restored when that content is saved again) and reported."""
        _check_tool(tool)
        with self._store._write() as conn:
            result = self._save_in(conn, tool, user_id, None, None)
        remember(tool)
        return result

    def _save_in(
        self,
        conn: Database,
        tool: Tool,
        user_id: str,
        new_meta: dict[str, Any] | None,
        new_valves: dict[str, Any] | None,
    ) -> SaveResult:
        now = int(time.time())
        row = conn.execute(
            "SELECT user_id, meta, valves, created_at FROM tool WHERE id = ?", (tool.id,)
        ).fetchone()
        latest = conn.execute(
            "SELECT version, content FROM tool_version WHERE tool_id = ? ORDER BY version DESC LIMIT 1",
            (tool.id,),
        ).fetchone()
        current = (int(latest[0]), str(latest[1])) if latest is not None else None
        changes = current is None or current[1] != tool.content
        stored = json.loads(row[2]) if row else {}
        carried = carry_valves(conn, tool, stored, current, changes, now, new_valves, TOOLS)
        conn.execute(
            "INSERT INTO tool (id, user_id, name, content, specs, meta, valves, updated_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "content = excluded.content, specs = excluded.specs, meta = excluded.meta, "
            "valves = excluded.valves, updated_at = excluded.updated_at",
            (
                tool.id,
                row[0] if row else user_id,
                tool.name,
                tool.content,
                json.dumps(tool.specs),
                json.dumps(tool_meta(tool, json.loads(row[1]) if row else None, new_meta)),
                json.dumps(carried.valves),
                now,
                row[3] if row else now,
            ),
        )
        if changes:
            conn.execute(
                "INSERT INTO tool_version (tool_id, version, content, content_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (tool.id, (current[0] if current else 0) + 1, tool.content, content_hash(tool.content), now),
            )
        return SaveResult(
            record=self._record(conn, tool.id),
            created=row is None,
            new_version=changes,
            dropped_valves=carried.dropped,
            dropped_user_valves=carried.dropped_users,
            restored_valves=carried.restored,
            restored_user_valves=carried.restored_users,
        )

    def set_valves(self, tool_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Save admin valves like ``POST /tools/id/{id}/valves/update``; returns what was stored.

        The values are validated inside the write transaction, against the version current then."""
        with self._store._write() as conn:
            tool = self._current(conn, tool_id)
            stored = stored_valves(tool.Valves, values, function_id=tool_id, what="Valves")
            conn.execute(
                "UPDATE tool SET valves = ?, updated_at = ? WHERE id = ?",
                (json.dumps(stored), int(time.time()), tool_id),
            )
        return MaskedValues(stored, secret_fields(tool.Valves))

    def set_user_valves(self, tool_id: str, user_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Save one user's valves like ``POST /tools/id/{id}/valves/user/update`` (validated like
        :meth:`set_valves`, inside the write transaction)."""
        with self._store._write() as conn:
            tool = self._current(conn, tool_id)
            stored = stored_valves(tool.UserValves, values, function_id=tool_id, what="UserValves")
            conn.execute(
                "INSERT INTO tool_user_valves (tool_id, user_id, valves, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(tool_id, user_id) DO UPDATE SET valves = excluded.valves, "
                "updated_at = excluded.updated_at",
                (tool_id, user_id, json.dumps(stored), int(time.time())),
            )
        return MaskedValues(stored, secret_fields(tool.UserValves))

    def _current(self, conn: Database, tool_id: str) -> Tool:
        """The loaded tool of the version current inside the transaction ``conn`` holds."""
        row = conn.execute("SELECT content, name FROM tool WHERE id = ?", (tool_id,)).fetchone()
        if row is None:
            raise self._unknown(tool_id)
        tool = loaded(row[0], id=tool_id, name=row[1], kind="tool")
        assert isinstance(tool, Tool)
        return tool

    def revert(self, tool_id: str, version: int) -> SaveResult:
        """Make an earlier version current again (saved as a new version; history is kept)."""
        versions = {v.version: v for v in self.history(tool_id)}
        if version not in versions:
            raise StoreError(
                f"tool {tool_id} has no version {version}; versions: "
                + ", ".join(str(v) for v in sorted(versions)),
                function_id=tool_id,
            )
        tool = load(versions[version].content, id=tool_id, name=self.get(tool_id).name, kind="tool")
        assert isinstance(tool, Tool)
        return self.save(tool)

    def delete(self, tool_id: str) -> bool:
        with self._store._write() as conn:
            deleted = conn.execute("DELETE FROM tool WHERE id = ?", (tool_id,)).rowcount
            conn.execute("DELETE FROM tool_version WHERE tool_id = ?", (tool_id,))
            conn.execute("DELETE FROM tool_user_valves WHERE tool_id = ?", (tool_id,))
            conn.execute("DELETE FROM tool_kept_valves WHERE tool_id = ?", (tool_id,))
        return bool(deleted)

    # -- Open WebUI's tools export format ----------------------------------------------------

    def export(
        self, path: str | os.PathLike[str] | None = None, *, ids: builtins.list[str] | None = None
    ) -> builtins.list[dict[str, Any]]:
        """``GET /api/v1/tools/export``: a JSON array of tool rows (no valves); written to ``path``."""
        items = [self.get(tool_id).to_owui() for tool_id in (ids if ids is not None else self.ids())]
        if path is not None:
            write_atomically(Path(path), json.dumps(items, indent=2, ensure_ascii=False), "the export file")
        return items

    def import_(
        self,
        data: Any,
        *,
        valves: dict[str, dict[str, Any]] | None = None,
        timeout: float | None = LOAD_TIMEOUT,
    ) -> builtins.list[str]:
        """Import tools export JSON (a path, JSON text or the parsed list); all or nothing. Each
        source is loaded as the host's create handler loads it, bounded by ``timeout``. ``valves``:
        admin valves by id (the export has none; a pull brings them separately)."""
        prepared: builtins.list[tuple[Tool, dict[str, Any], dict[str, Any] | None]] = []
        for index, item in enumerate(parse_items(data, _FORMAT_HINT)):
            if not isinstance(item, dict) or not isinstance(item.get("content"), str):
                raise StoreError(f"item {index} of the import has no 'content' text. {_FORMAT_HINT}")
            if not isinstance(item.get("id"), str):
                raise StoreError(f"item {index} of the import has no 'id'. {_FORMAT_HINT}")
            where = f"item {index} ({item['id']!r})"
            try:
                tool_id = normalize_id(item["id"])
                name = item.get("name") or None
                tool = load(item["content"], id=tool_id, name=name, kind="tool", timeout=timeout)
                assert isinstance(tool, Tool)
                given = (valves or {}).get(tool_id)
                checked = stored_valves(tool.Valves, given, function_id=tool_id) if given else None
            except ActionkitError as exc:
                raise StoreError(f"{where} cannot be imported: {exc}", function_id=item["id"]) from None
            meta = item["meta"] if isinstance(item.get("meta"), dict) else {}
            prepared.append((tool, meta, checked))
        ids = [tool.id for tool, _, _ in prepared]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise StoreError(f"the import holds the same id more than once: {', '.join(duplicates)}")
        with self._store._write() as conn:
            for tool, meta, checked in prepared:
                self._save_in(conn, tool, DEFAULT_USER_ID, meta, checked)
        for tool, _, _ in prepared:
            remember(tool)
        return ids

    def _unknown(self, tool_id: str) -> StoreError:
        known = self.ids()
        listing = ", ".join(known[:20]) + (" …" if len(known) > 20 else "") if known else "none"
        return StoreError(
            f"no tool {tool_id!r} in the store {self._store.path} (stored tools: {listing})",
            function_id=tool_id,
        )

    def __repr__(self) -> str:
        return f"<tools of {self._store!r}: {len(self)}>"


def _check_tool(tool: Any) -> None:
    if not isinstance(tool, Tool):
        kind = getattr(tool, "type", type(tool).__name__)
        raise StoreError(f"store.tools keeps Tools (a class Tools source); this is {kind}")


def tool_meta(tool: Tool, previous: dict[str, Any] | None, given: dict[str, Any] | None) -> dict[str, Any]:
    """The row's ``meta`` as the host's create and update handlers write it: the description kept
    (from the frontmatter when none was given), ``manifest`` the frontmatter and ``has_user_valves``
    whether the module defines ``UserValves``."""
    meta = dict(given if given is not None else previous or {})
    meta.setdefault("i18n", None)
    if given is None and (tool.description or "description" not in meta):
        meta["description"] = tool.description
    meta.setdefault("description", tool.description)
    meta["manifest"] = tool.manifest
    meta["has_user_valves"] = hasattr(tool.instance, "UserValves")
    return meta
