"""What each server looked like at the last pull or push: a JSON sidecar next to the store.

``<store file>.remote.json`` holds, per server URL and function id, the server's ``updated_at``, a
fingerprint of the server's content, name, valves and flags at that moment, and the same fingerprint
of the store's row. A push compares the server's current row against it to refuse overwriting
changes made on the server in between (the fingerprint also catches changes within the same second);
a pull compares the store's row to refuse replacing local edits. In-memory stores keep it in memory.
No token is ever written here.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import StoreError

_FORMAT = 1
_MEMORY: weakref.WeakKeyDictionary[Any, dict[str, dict[str, dict[str, Any]]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Synced:
    """A function at the last pull/push: the server's ``updated_at`` and fingerprint, and the
    fingerprint of the store's row right after (to tell local edits made since)."""

    updated_at: int
    fingerprint: str
    local: str = ""


def fingerprint(row: dict[str, Any], valves: dict[str, Any] | None) -> str:
    """A digest of what a push could overwrite: content, name, valves, active and global flags."""
    data = {
        "content": row.get("content", ""),
        "name": row.get("name", ""),
        "valves": valves or {},
        "is_active": bool(row.get("is_active")),
        "is_global": bool(row.get("is_global")),
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def sidecar_path(store_path: str) -> Path | None:
    return None if store_path == ":memory:" else Path(store_path + ".remote.json")


class RemoteState:
    """Read and update the remembered server state of one store."""

    def __init__(self, store: Any) -> None:
        self.path = sidecar_path(str(store.path))
        self._store = store

    def get(self, server: str, function_id: str) -> Synced | None:
        entry = self._read().get(server, {}).get(function_id)
        if not isinstance(entry, dict):
            return None
        try:
            return Synced(int(entry["updated_at"]), str(entry["fingerprint"]), str(entry.get("local", "")))
        except (KeyError, TypeError, ValueError):
            return None

    def remember(self, server: str, synced: dict[str, Synced]) -> None:
        """Record the server state of several functions at once."""
        if not synced:
            return
        with _LOCK:
            data = self._read()
            entries = data.setdefault(server, {})
            for function_id, state in synced.items():
                entries[function_id] = {
                    "updated_at": state.updated_at,
                    "fingerprint": state.fingerprint,
                    "local": state.local,
                }
            self._write(data)

    def forget(self, server: str, function_id: str) -> None:
        with _LOCK:
            data = self._read()
            if data.get(server, {}).pop(function_id, None) is not None:
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
        return servers if isinstance(servers, dict) else {}

    def _write(self, data: dict[str, dict[str, dict[str, Any]]]) -> None:
        if self.path is None:
            _MEMORY[self._store] = data
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        text = json.dumps({"format": _FORMAT, "servers": data}, indent=1, sort_keys=True)
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StoreError(
                f"cannot record the server state in {self.path}: {exc.strerror or exc}",
                hint="check that the store's folder is writable",
            ) from None
