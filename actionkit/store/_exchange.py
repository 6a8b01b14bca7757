"""Open WebUI's function export format: writing it from the store and reading it back."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ActionkitError, StoreError
from ..function import load, normalize_id, stored_valves
from ._records import StoreEntry

if TYPE_CHECKING:
    from ._store import Store

_FORMAT_HINT = (
    "Open WebUI's export is a JSON array of objects with at least 'id' and 'content' "
    "(community exports may wrap each one in 'function')"
)


def export_items(
    store: Store,
    path: str | os.PathLike[str] | None,
    *,
    include_valves: bool,
    ids: list[str] | None,
) -> list[dict[str, Any]]:
    items = [store.get(fid).to_owui(include_valves) for fid in (ids if ids is not None else store.ids())]
    if path is not None:
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_text(json.dumps(items, indent=2, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, target)
        except OSError as exc:
            raise StoreError(f"cannot write the export file {target}: {exc.strerror or exc}") from None
    return items


def import_items(
    store: Store,
    data: Any,
    *,
    timeout: float | None,
    on_item: Callable[[int, str], None] | None = None,
) -> list[str]:
    """Validate every item first (loading its source as the host's create does, each load bounded
    by ``timeout``); then save all of them in one go. On any problem nothing is imported and the
    error names the item and the fix."""
    items = _parse(data)
    prepared = []
    for index, raw in enumerate(items):
        item = raw.get("function", raw) if isinstance(raw, dict) else raw
        where = f"item {index}"
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise StoreError(f"{where} of the import has no 'content' text. {_FORMAT_HINT}")
        if not isinstance(item.get("id"), str):
            raise StoreError(f"{where} of the import has no 'id'. {_FORMAT_HINT}")
        where = f"item {index} ({item['id']!r})"
        if on_item is not None:
            on_item(index, item["id"])
        try:
            function_id = normalize_id(item["id"])
            fn = load(item["content"], id=function_id, name=item.get("name") or None, timeout=timeout)
            valves = item.get("valves") or {}
            if valves:
                valves = stored_valves(fn.Valves, valves, function_id=function_id)
        except ActionkitError as exc:
            raise StoreError(f"{where} cannot be imported: {exc}", function_id=item["id"]) from None
        prepared.append((fn, item, valves))
    ids = [fn.id for fn, _, _ in prepared]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise StoreError(f"the import holds the same id more than once: {', '.join(duplicates)}")
    store.save_many(
        [
            StoreEntry(
                fn,
                is_active=bool(item.get("is_active", True)),
                is_global=bool(item.get("is_global", False)),
                valves=valves,
                meta=item["meta"] if isinstance(item.get("meta"), dict) else None,
            )
            for fn, item, valves in prepared
        ]
    )
    return ids


def _parse(data: Any) -> list[Any]:
    if isinstance(data, os.PathLike) or (
        isinstance(data, str) and not data.lstrip().startswith(("[", "{", '"'))
    ):
        path = Path(data)
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read the import file {path}: {exc}") from None
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise StoreError(f"the import is not JSON ({exc}). {_FORMAT_HINT}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise StoreError(f"the import is a {type(data).__name__}, not a list. {_FORMAT_HINT}")
    return data
