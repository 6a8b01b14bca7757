"""What each server looked like at the last pull or push: a JSON sidecar next to the store.

``<store file>.remote.json`` holds, per server and function id, a digest of each field a push or a
pull can overwrite (content, name, description, valves, active and global flags), as the server held
them and as the store held them right after the last pull or push. A push compares the server's row
now with it field by field to refuse overwriting what someone changed on the server in between; a
pull does the same with the store's row to refuse replacing local edits. A moved ``updated_at`` alone
(a toggle off and on, a write that changed nothing) is no change. Servers are keyed by
:func:`server_key`, so ``localhost`` and ``127.0.0.1`` are one. In-memory stores keep it in memory.
No token is ever written here.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ServerError
from ..store import write_atomically
from ._http import server_key

_FORMAT = 2
_MEMORY: weakref.WeakKeyDictionary[Any, dict[str, dict[str, dict[str, Any]]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()

# Every field of a function row a push writes (a pull writes them all but the name and description).
FIELDS = ("content", "name", "description", "valves", "is_active", "is_global")


def _value(row: dict[str, Any], name: str) -> Any:
    if name == "description":
        meta = row.get("meta") or {}
        return str(meta.get("description") or "") if isinstance(meta, dict) else ""
    if name in ("is_active", "is_global"):
        return bool(row.get(name))
    if name == "valves":
        return row.get("valves") or {}
    return row.get(name, "")


def digests(row: dict[str, Any]) -> dict[str, str]:
    """A short digest of each of :data:`FIELDS` in a function row (admin valves under ``"valves"``)."""
    out = {}
    for name in FIELDS:
        text = json.dumps(_value(row, name), sort_keys=True, ensure_ascii=False, default=str)
        out[name] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return out


def _legacy_fingerprint(row: dict[str, Any]) -> str:
    """The whole-row digest sidecars of format 1 kept (content, name, valves and flags)."""
    data = {name: _value(row, name) for name in ("content", "name", "valves", "is_active", "is_global")}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True)
class Synced:
    """A function at the last pull/push: the digests of the server's row and of the store's row."""

    server: dict[str, str] = field(default_factory=dict)
    store: dict[str, str] = field(default_factory=dict)
    legacy: tuple[str, str] | None = None  # a format-1 entry: (server fingerprint, store fingerprint)

    def server_changed(self, remote: dict[str, Any]) -> set[str]:
        """The fields the server's ``remote`` row holds differently from the last sync."""
        return self._changed(remote, self.server, 0)

    def store_changed(self, local: dict[str, Any]) -> set[str]:
        """The fields the store's ``local`` row holds differently from the last sync."""
        return self._changed(local, self.store, 1)

    def _changed(self, row: dict[str, Any], then: dict[str, str], side: int) -> set[str]:
        if self.legacy is not None:  # only "the same as then" or "something changed" is known
            fingerprint = self.legacy[side]
            return set() if not fingerprint or _legacy_fingerprint(row) == fingerprint else set(FIELDS)
        now = digests(row)
        return {name for name in FIELDS if now[name] != then.get(name)}


def synced_state(remote: dict[str, Any], local: dict[str, Any]) -> Synced:
    """The state to remember after a sync: the server row (with ``valves``) and the store row."""
    return Synced(digests(remote), digests(local))


def sidecar_path(store_path: str) -> Path | None:
    return None if store_path == ":memory:" else Path(store_path + ".remote.json")


class RemoteState:
    """Read and update the remembered server state of one store."""

    def __init__(self, store: Any) -> None:
        self.path = sidecar_path(str(store.path))
        self._store = store

    def get(self, server: str, function_id: str) -> Synced | None:
        entry = self._read().get(server_key(server), {}).get(function_id)
        if not isinstance(entry, dict):
            return None
        server_digests, store_digests = entry.get("server"), entry.get("store")
        if isinstance(server_digests, dict) and isinstance(store_digests, dict):
            return Synced(dict(server_digests), dict(store_digests))
        if isinstance(entry.get("fingerprint"), str):
            return Synced(legacy=(entry["fingerprint"], str(entry.get("local") or "")))
        return None

    def remember(self, server: str, synced: dict[str, Synced]) -> None:
        """Record the server state of several functions at once."""
        if not synced:
            return
        with _LOCK:
            data = self._read()
            entries = data.setdefault(server_key(server), {})
            for function_id, state in synced.items():
                entries[function_id] = {"server": state.server, "store": state.store}
            self._write(data)

    def forget(self, server: str, function_id: str) -> None:
        with _LOCK:
            data = self._read()
            if data.get(server_key(server), {}).pop(function_id, None) is not None:
                self._write(data)

    def _read(self) -> dict[str, dict[str, dict[str, Any]]]:
        if self.path is None:
            return _MEMORY.setdefault(self._store, {})
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            # A damaged sidecar only loses conflict detection; every push is then treated as first.
            return {}
        servers = raw.get("servers") if isinstance(raw, dict) else None
        merged: dict[str, dict[str, dict[str, Any]]] = {}
        for url, entries in servers.items() if isinstance(servers, dict) else ():
            if isinstance(entries, dict):  # older files may name one server in several spellings
                try:
                    key = server_key(url)
                except ServerError:
                    continue
                merged.setdefault(key, {}).update(entries)
        return merged

    def _write(self, data: dict[str, dict[str, dict[str, Any]]]) -> None:
        if self.path is None:
            _MEMORY[self._store] = data
            return
        text = json.dumps({"format": _FORMAT, "servers": data}, indent=1, sort_keys=True)
        write_atomically(
            self.path, text, "the server state", hint="check that the store's folder is writable"
        )
