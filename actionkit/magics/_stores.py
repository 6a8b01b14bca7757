"""The stores the magics of one IPython session have open: one per file, shared by every magic."""

from __future__ import annotations

from pathlib import Path

from ..store import Store, default_store_path


class OpenStores:
    """Open stores keyed by their resolved path, so that after ``%cd`` into another project the
    default store follows it, and ``%%action`` and ``%action_push`` see the same one."""

    def __init__(self) -> None:
        self._stores: dict[str, Store] = {}

    def get(self, path: str | None = None) -> Store:
        """The open store at ``path`` (default: the project store for the current folder)."""
        key = path if path == ":memory:" else str(Path(path or default_store_path()).resolve())
        if key not in self._stores:
            self._stores[key] = Store(key)
        return self._stores[key]
