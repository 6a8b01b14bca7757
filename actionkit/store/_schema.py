"""Opening the store's SQLite file safely, and every SQLite failure as one clear StoreError.

A file is inspected with reads only before anything is written to it: a file that is not SQLite, a
database of another application (any schema object, or a ``user_version`` of its own) or one from a
newer actionkit is refused and left untouched. A store that cannot be written (the file, or the
folder SQLite needs for its journal) opens read-only: reads work, writes are a StoreError saying
why. A damaged store is refused when a read meets the damage, and before the first write of an open
store (``PRAGMA quick_check``), so nothing is ever written into a damaged file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import StoreError

# "akit": marks a database file as an actionkit store.
APPLICATION_ID = 0x616B6974
SCHEMA_VERSION = 3
_SQLITE_HEADER = b"SQLite format 3\x00"

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE function (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        content TEXT NOT NULL,
        meta TEXT NOT NULL,
        valves TEXT NOT NULL DEFAULT '{}',
        is_active INTEGER NOT NULL DEFAULT 1,
        is_global INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE function_version (
        function_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (function_id, version)
    );
    CREATE TABLE user_valves (
        function_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        valves TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (function_id, user_id)
    );
    """,
    # Valve values a new version could not take, kept with the version they belonged to.
    2: """
    CREATE TABLE kept_valves (
        function_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        valves TEXT NOT NULL,
        PRIMARY KEY (function_id, version, user_id)
    );
    """,
    # Tools: their own id namespace, as in the host's tool table (no is_active/is_global; specs kept).
    3: """
    CREATE TABLE tool (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        specs TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL,
        valves TEXT NOT NULL DEFAULT '{}',
        updated_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE tool_version (
        tool_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tool_id, version)
    );
    CREATE TABLE tool_user_valves (
        tool_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        valves TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (tool_id, user_id)
    );
    CREATE TABLE tool_kept_valves (
        tool_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        valves TEXT NOT NULL,
        PRIMARY KEY (tool_id, version, user_id)
    );
    """,
}
_WRITE_HINT = "make it writable, or point ACTIONKIT_STORE or --store at a store you can write"
_DAMAGE_HINT = (
    "restore it from a copy, or move it away and start a new store (`sqlite3 FILE .recover` may "
    "rescue its rows)"
)


class Rows:
    """The rows of one statement, fetched at once (so a read error cannot surface later)."""

    __slots__ = ("rowcount", "rows")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Any]:
        return self.rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


class Database:
    """One connection to a store file; every SQLite error leaves it as a :class:`StoreError`."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, read_only: str | None, checked: bool) -> None:
        self.conn = conn
        self.path = path
        # Why the store cannot be written (None when it can).
        self.read_only = read_only
        self._checked = checked

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Rows:
        try:
            cursor = self.conn.execute(sql, parameters)
            return Rows(cursor.fetchall(), cursor.rowcount)
        except sqlite3.Error as exc:
            raise self.error(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, else rolled back."""
        if self.read_only is not None:
            raise StoreError(f"the store {self.path} is read-only ({self.read_only})", hint=_WRITE_HINT)
        if not self._checked:
            self._check_intact()
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _check_intact(self) -> None:
        found = [row[0] for row in self.execute("PRAGMA quick_check(1)")]
        if found != ["ok"]:
            raise damaged(self.path, "; ".join(str(f) for f in found))
        self._checked = True

    def error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "malformed" in text or "not a database" in text:
            return damaged(self.path, text)
        if "readonly" in text or "read-only" in text:
            return StoreError(f"the store {self.path} is read-only (SQLite says: {text})", hint=_WRITE_HINT)
        return StoreError(f"cannot use the store {self.path}: {text}", hint=_WRITE_HINT)

    def close(self) -> None:
        self.conn.close()


def damaged(path: str, detail: str) -> StoreError:
    return StoreError(
        f"the store {path} is damaged (SQLite says: {detail}); it was left untouched", hint=_DAMAGE_HINT
    )


def open_store(path: str, *, create: bool = True) -> Database:
    """Open (creating it if ``create``) the store at ``path`` and bring its schema up to date."""
    if path == ":memory:":
        memory = Database(_connect(path), path, read_only=None, checked=True)
        _migrate(memory)
        return memory
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"the store path {path} is a folder; give a file path such as {file / 'store.db'}")
    if not file.exists():
        return _create(file, path, create)
    _check_header(file, path)
    folder = str(file.parent)
    reason = None
    uri = None
    if not os.access(folder, os.W_OK):
        reason = "its folder is not writable, and SQLite writes its journal next to it"
        uri = f"file:{quote(str(file.resolve()))}?mode=ro&immutable=1"
    elif not os.access(path, os.W_OK):
        reason = "the file is not writable"
        uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    try:
        conn = _connect(uri or path, uri=uri is not None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the store {path}: {exc}", hint=_WRITE_HINT) from None
    db = Database(conn, path, read_only=reason, checked=False)
    try:
        version = _inspect(db)
        if reason is None:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            _migrate(db)
        elif version < SCHEMA_VERSION:
            raise StoreError(
                f"the store {path} is read-only ({reason}) and was written by an older actionkit: it "
                "must be opened writable once to be upgraded",
                hint=_WRITE_HINT,
            )
    except BaseException:
        db.close()
        raise
    return db


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=60.0, isolation_level=None, check_same_thread=False, uri=uri)
    conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def _create(file: Path, path: str, create: bool) -> Database:
    if not create:
        raise StoreError(
            f"there is no store at {path}",
            hint="check the path (this command never creates a store); a store is created when a "
            "function is first saved into it",
        )
    hint = "set ACTIONKIT_STORE to a writable file, or pass Store(path=...)"
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder for the store {path}: {exc.strerror or exc}", hint=hint
        ) from None
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create the store {path}: {exc}", hint=hint) from None
    db = Database(conn, path, read_only=None, checked=True)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _check_header(file: Path, path: str) -> None:
    try:
        with file.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror or exc}", hint=_WRITE_HINT) from None
    if header and header != _SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an actionkit store (it is not a SQLite database); it was left untouched",
            hint="point ACTIONKIT_STORE or Store(path=...) at another file, or move this one away",
        )


def _inspect(db: Database) -> int:
    """The schema version of an actionkit store (0 for an empty file); refuses anything else."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    objects = db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    empty = app_id == 0 and version == 0 and not objects
    if app_id != APPLICATION_ID and not empty:
        listing = ", ".join(f"{kind} {name}" for kind, name in sorted(objects)) or "no tables"
        marks = f"application id {app_id}, " if app_id else ""
        raise StoreError(
            f"{db.path} is a database of another application ({marks}user_version {version}, "
            f"{listing}); it was left untouched",
            hint="point ACTIONKIT_STORE or Store(path=...) at another file",
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the store was written by a newer actionkit (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade actionkit to use it"
        )
    return int(version)


def _migrate(db: Database) -> None:
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    with db.transaction():
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
