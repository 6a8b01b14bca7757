"""The local store: SQLite rows that mirror Open WebUI's function table, with every version kept.

One file, WAL mode, every write one ``BEGIN IMMEDIATE`` transaction. Valves and per-user valves are
saved with the host's semantics (``None`` dropped, validated inside the write transaction against the
``Valves`` of the version current at that moment, only explicitly set fields stored). Nothing already
saved is lost: a failed write changes nothing, every distinct content stays in :meth:`Store.history`,
and valve values a new version cannot take are kept with the version they belonged to (``_kept``).
"""

from __future__ import annotations

import builtins
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..function import (
    LOAD_TIMEOUT,
    Function,
    Tool,
    content_hash,
    load,
    loaded,
    remember,
    stored_valves,
)
from ..host import DEFAULT_USER_ID
from ..secrets import MaskedValues, secret_fields
from ._exchange import export_items, import_items
from ._kept import carry_valves
from ._records import (
    FunctionInfo,
    FunctionRecord,
    SaveResult,
    StoreEntry,
    Version,
    info_from_row,
    model_secrets,
    record_from_row,
)
from ._schema import Database, open_store
from ._tools import ToolStore

_INFO_COLUMNS = "id, user_id, name, type, meta, is_active, is_global, updated_at, created_at"
_RECORD_COLUMNS = f"{_INFO_COLUMNS}, content, valves"


def default_store_path(cwd: str | os.PathLike[str] | None = None) -> Path:
    """``$ACTIONKIT_STORE``, else ``.actionkit/store.db`` in the nearest folder at or above ``cwd``
    holding ``.actionkit/``, ``pyproject.toml`` or ``.git``, else in ``cwd``."""
    env = os.environ.get("ACTIONKIT_STORE")
    if env:
        return Path(env)
    start = Path(cwd or os.getcwd()).resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in (".actionkit", "pyproject.toml", ".git")):
            return folder / ".actionkit" / "store.db"
    return start / ".actionkit" / "store.db"


class Store:
    """The local function store. ``Store()`` opens the default store; ``Store(":memory:")`` a private one.

    ``create=False`` refuses to create a store that does not exist yet (commands that only read).
    A store that cannot be written opens read-only (:attr:`read_only` says why); writing to it is a
    StoreError.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.path = str(default_store_path() if path is None else path)
        self._conn = open_store(self.path, create=create)
        self.tools = ToolStore(self)
        """The store's tools (their own ids, as in Open WebUI): ``store.tools.save(tool)`` ..."""

    @property
    def read_only(self) -> str | None:
        """Why the store cannot be written, or ``None`` when it can."""
        return self._conn.read_only

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> builtins.list[FunctionInfo]:
        rows = self._conn.execute(f"SELECT {_INFO_COLUMNS} FROM function ORDER BY id").fetchall()
        return [info_from_row(row) for row in rows]

    def ids(self) -> builtins.list[str]:
        return [row[0] for row in self._conn.execute("SELECT id FROM function ORDER BY id")]

    def __contains__(self, function_id: object) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM function WHERE id = ?", (function_id,)).fetchone() is not None
        )

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM function").fetchone()[0])

    def get(self, function_id: str) -> FunctionRecord:
        return self._record(self._conn, function_id)

    def _record(self, conn: Database, function_id: str) -> FunctionRecord:
        row = conn.execute(
            f"SELECT {_RECORD_COLUMNS}, (SELECT max(version) FROM function_version "
            "WHERE function_id = function.id) FROM function WHERE id = ?",
            (function_id,),
        ).fetchone()
        if row is None:
            raise self._unknown(function_id)
        return record_from_row(row)

    def rows_of(self, fn: Function) -> Store | ToolStore:
        """Where ``fn`` is kept: this store, or its :attr:`tools` for a Tool (their own ids)."""
        return self.tools if fn.type == "tool" else self

    def load(self, function_id: str, *, timeout: float | None = LOAD_TIMEOUT) -> Function:
        """The loaded function for the stored content (one instance per content, as in the host);
        its module code and ``__init__`` are bounded by ``timeout``."""
        record = self.get(function_id)
        return loaded(record.content, id=function_id, name=record.name, timeout=timeout, kind="function")

    def history(self, function_id: str) -> builtins.list[Version]:
        rows = self._conn.execute(
            "SELECT version, content, content_hash, created_at FROM function_version "
            "WHERE function_id = ? ORDER BY version",
            (function_id,),
        ).fetchall()
        if not rows and function_id not in self:
            raise self._unknown(function_id)
        return [Version(*row) for row in rows]

    def valves(self, function_id: str) -> dict[str, Any]:
        return self.get(function_id).valves

    def user_valves(self, function_id: str, user_id: str = DEFAULT_USER_ID) -> dict[str, Any]:
        record = self.get(function_id)
        row = self._conn.execute(
            "SELECT valves FROM user_valves WHERE function_id = ? AND user_id = ?",
            (function_id, user_id),
        ).fetchone()
        values = json.loads(row[0]) if row else {}
        return MaskedValues(values, partial(model_secrets, record.content, function_id, "UserValves"))

    def user_ids(self, function_id: str) -> builtins.list[str]:
        rows = self._conn.execute(
            "SELECT user_id FROM user_valves WHERE function_id = ? ORDER BY user_id", (function_id,)
        )
        return [row[0] for row in rows]

    # -- writing ---------------------------------------------------------------------------

    def save(
        self,
        fn: Function,
        *,
        user_id: str = DEFAULT_USER_ID,
        is_active: bool | None = None,
        is_global: bool | None = None,
    ) -> SaveResult:
        """Save a loaded function: a new version when its content changed; stored valves that no
        longer validate against the new ``Valves``/``UserValves`` are dropped and reported. A Tool
        is saved among the store's tools (:attr:`tools`)."""
        if isinstance(fn, Tool):
            return self.tools.save(fn, user_id=user_id)
        with self._write() as conn:
            result = self._save_in(conn, fn, user_id, is_active, is_global, None)
        remember(fn)
        return result

    def save_many(self, entries: builtins.list[StoreEntry]) -> None:
        """Save several functions (with their flags, valves and meta) in one transaction."""
        with self._write() as conn:
            for entry in entries:
                self._save_in(
                    conn,
                    entry.fn,
                    DEFAULT_USER_ID,
                    entry.is_active,
                    entry.is_global,
                    entry.valves,
                    entry.meta,
                )

    def _save_in(
        self,
        conn: Database,
        fn: Function,
        user_id: str,
        is_active: bool | None,
        is_global: bool | None,
        new_valves: dict[str, Any] | None,
        new_meta: dict[str, Any] | None = None,
    ) -> SaveResult:
        now = int(time.time())
        row = conn.execute(f"SELECT {_RECORD_COLUMNS}, NULL FROM function WHERE id = ?", (fn.id,)).fetchone()
        old = record_from_row(row) if row else None
        current = self._latest_version(conn, fn.id)
        changes = current is None or current[1] != fn.content
        carried = carry_valves(conn, fn, old.valves if old else {}, current, changes, now, new_valves)
        active = is_active if is_active is not None else (old.is_active if old else True)
        shared = is_global if is_global is not None else (old.is_global if old else False)
        conn.execute(
            "INSERT INTO function (id, user_id, name, type, content, meta, valves, is_active, "
            "is_global, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, "
            "content = excluded.content, meta = excluded.meta, valves = excluded.valves, "
            "is_active = excluded.is_active, is_global = excluded.is_global, "
            "updated_at = excluded.updated_at",
            (
                fn.id,
                old.user_id if old else user_id,
                fn.name,
                fn.type,
                fn.content,
                json.dumps(_meta_for(fn, old.meta if old else None, new_meta)),
                json.dumps(carried.valves),
                int(active),
                int(shared),
                now,
                old.created_at if old else now,
            ),
        )
        if changes:
            conn.execute(
                "INSERT INTO function_version (function_id, version, content, content_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (fn.id, (current[0] if current else 0) + 1, fn.content, content_hash(fn.content), now),
            )
        return SaveResult(
            record=self._record(conn, fn.id),
            created=old is None,
            new_version=changes,
            dropped_valves=carried.dropped,
            dropped_user_valves=carried.dropped_users,
            restored_valves=carried.restored,
            restored_user_valves=carried.restored_users,
        )

    def set_valves(self, function_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Save admin valves like ``POST /functions/id/{id}/valves/update``; returns what was stored.

        The values are validated inside the write transaction, against the version current then."""
        with self._write() as conn:
            fn = self._current(conn, function_id)
            stored = stored_valves(fn.Valves, values, function_id=function_id, what="Valves")
            conn.execute(
                "UPDATE function SET valves = ?, updated_at = ? WHERE id = ?",
                (json.dumps(stored), int(time.time()), function_id),
            )
        return MaskedValues(stored, secret_fields(fn.Valves))

    def set_user_valves(self, function_id: str, user_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Save one user's valves like ``POST /functions/id/{id}/valves/user/update`` (validated like
        :meth:`set_valves`, inside the write transaction)."""
        with self._write() as conn:
            fn = self._current(conn, function_id)
            stored = stored_valves(fn.UserValves, values, function_id=function_id, what="UserValves")
            conn.execute(
                "INSERT INTO user_valves (function_id, user_id, valves, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(function_id, user_id) DO UPDATE SET "
                "valves = excluded.valves, updated_at = excluded.updated_at",
                (function_id, user_id, json.dumps(stored), int(time.time())),
            )
        return MaskedValues(stored, secret_fields(fn.UserValves))

    def set_active(self, function_id: str, active: bool = True) -> FunctionRecord:
        return self._set_flag(function_id, "is_active", active)

    def set_global(self, function_id: str, is_global: bool = True) -> FunctionRecord:
        return self._set_flag(function_id, "is_global", is_global)

    def toggle(self, function_id: str) -> bool:
        """Flip ``is_active`` like ``POST /id/{id}/toggle``; returns the new state."""
        return self.set_active(function_id, not self.get(function_id).is_active).is_active

    def revert(self, function_id: str, version: int) -> SaveResult:
        """Make an earlier version current again (saved as a new version; history is kept)."""
        versions = {v.version: v for v in self.history(function_id)}
        if version not in versions:
            raise StoreError(
                f"{function_id} has no version {version}; versions: "
                + ", ".join(str(v) for v in sorted(versions)),
                function_id=function_id,
            )
        record = self.get(function_id)
        fn = load(versions[version].content, id=function_id, name=record.name, kind="function")
        return self.save(fn)

    def delete(self, function_id: str) -> bool:
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM function WHERE id = ?", (function_id,)).rowcount
            conn.execute("DELETE FROM function_version WHERE function_id = ?", (function_id,))
            conn.execute("DELETE FROM user_valves WHERE function_id = ?", (function_id,))
            conn.execute("DELETE FROM kept_valves WHERE function_id = ?", (function_id,))
        return bool(deleted)

    # -- Open WebUI export format ------------------------------------------------------------

    def export(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        include_valves: bool = False,
        include_secrets: bool = False,
        ids: builtins.list[str] | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Open WebUI's export JSON (an array of function objects); written to ``path`` if given.
        ``include_valves`` adds the admin valves, without the secret ones unless ``include_secrets``
        (which implies ``include_valves``)."""

        return export_items(
            self, path, include_valves=include_valves, include_secrets=include_secrets, ids=ids
        )

    def import_(
        self,
        data: Any,
        *,
        timeout: float | None = LOAD_TIMEOUT,
        on_item: Callable[[int, str], None] | None = None,
    ) -> builtins.list[str]:
        """Import Open WebUI export JSON (a path, JSON text or the parsed list); all or nothing.
        Loading each function is bounded by ``timeout``; ``on_item(index, id)`` is told before each."""
        return import_items(self, data, timeout=timeout, on_item=on_item)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    # -- internals ---------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Database]:
        with self._conn.transaction() as conn:
            yield conn

    def _current(self, conn: Database, function_id: str) -> Function:
        """The loaded function of the version current inside the transaction ``conn`` holds."""
        row = conn.execute("SELECT content, name FROM function WHERE id = ?", (function_id,)).fetchone()
        if row is None:
            raise self._unknown(function_id)
        return loaded(row[0], id=function_id, name=row[1], kind="function")

    @staticmethod
    def _latest_version(conn: Database, function_id: str) -> tuple[int, str] | None:
        row = conn.execute(
            "SELECT version, content FROM function_version WHERE function_id = ? "
            "ORDER BY version DESC LIMIT 1",
            (function_id,),
        ).fetchone()
        return (int(row[0]), str(row[1])) if row is not None else None

    def _set_flag(self, function_id: str, column: str, value: bool) -> FunctionRecord:
        with self._write() as conn:
            changed = conn.execute(
                f"UPDATE function SET {column} = ?, updated_at = ? WHERE id = ?",
                (int(value), int(time.time()), function_id),
            ).rowcount
        if not changed:
            raise self._unknown(function_id)
        return self.get(function_id)

    def _unknown(self, function_id: str) -> StoreError:
        known = self.ids()
        listing = ", ".join(known[:20]) + (" …" if len(known) > 20 else "") if known else "none"
        return StoreError(
            f"no function {function_id!r} in the store {self.path} (stored: {listing})",
            function_id=function_id,
        )


def _meta_for(fn: Function, previous: dict[str, Any] | None, given: dict[str, Any] | None) -> dict[str, Any]:
    """The row's ``meta`` as the host keeps it: a given meta (an import) is kept as it is; otherwise
    the previous meta, with the description filled from the frontmatter like the host's editor. The
    manifest is always the frontmatter and ``toggle`` says whether it is a toggle filter."""
    if given is not None:
        meta = dict(given)
        meta.setdefault("description", fn.description)
    else:
        meta = dict(previous or {})
        if fn.description or "description" not in meta:
            meta["description"] = fn.description
    meta["manifest"] = fn.manifest
    meta["toggle"] = fn.toggle
    return meta
