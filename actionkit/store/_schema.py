"""Opening the store's SQLite file safely: foreign or corrupt files refused, schema migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import StoreError

# "akit": marks a database file as an actionkit store.
APPLICATION_ID = 0x616B6974
SCHEMA_VERSION = 1

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
}


def connect_checked(path: str) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    A file that is not a SQLite database, or a SQLite database of another application, is refused
    with a :class:`StoreError` and left untouched.
    """
    memory = path == ":memory:"
    if not memory:
        file = Path(path)
        if file.is_dir():
            raise StoreError(
                f"the store path {path} is a folder; give a file path such as {file / 'store.db'}"
            )
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder for the store {path}: {exc.strerror or exc}",
                hint="set ACTIONKIT_STORE to a writable file, or pass Store(path=...)",
            ) from None
    try:
        conn = sqlite3.connect(path, timeout=60.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 60000")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is not an actionkit store (SQLite says: {exc}); it was left untouched",
            hint="point ACTIONKIT_STORE or Store(path=...) at another file, or move this one away",
        ) from None
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open the store {path}: {exc}",
            hint="set ACTIONKIT_STORE to a writable file, or pass Store(path=...)",
        ) from None
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        conn.close()
        raise StoreError(
            f"{path} is a database of another application (tables: {', '.join(sorted(tables)) or 'none'}); "
            "it was left untouched",
            hint="point ACTIONKIT_STORE or Store(path=...) at another file",
        )
    try:
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(
            f"cannot write the store {path}: {exc}",
            hint="check the file's permissions, or set ACTIONKIT_STORE to a writable file",
        ) from None
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the store was written by a newer actionkit (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade actionkit to use it"
        )
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
