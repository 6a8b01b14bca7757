"""Open WebUI's function export format: writing it from the store and reading it back."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ActionkitError, StoreError
from ..function import load, normalize_id, stored_valves
from ..secrets import MaskedValues, secret_keys
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
    include_secrets: bool = False,
    ids: list[str] | None,
) -> list[dict[str, Any]]:
    include_valves = include_valves or include_secrets
    records = [store.get(fid) for fid in (ids if ids is not None else store.ids())]
    items = [record.to_owui(include_valves) for record in records]
    if include_valves and not include_secrets:
        for item, record in zip(items, records, strict=True):
            item["valves"] = _without_secrets(record.valves)
    if path is not None:
        write_atomically(Path(path), json.dumps(items, indent=2, ensure_ascii=False), "the export file")
    return items


def _without_secrets(valves: dict[str, Any]) -> dict[str, Any]:
    fields = valves.secrets if isinstance(valves, MaskedValues) else frozenset()
    hidden = secret_keys(valves, fields)
    return {k: v for k, v in valves.items() if k not in hidden}


def write_atomically(target: Path, text: str, what: str, hint: str | None = None) -> None:
    """Write ``text`` to ``target`` through a temporary file beside it, renamed into place; the
    temporary file is gone afterwards whatever happens, and a failure leaves ``target`` as it was."""
    if target.is_dir():
        raise StoreError(
            f"cannot write {what} {target}: it is a folder",
            hint=f"give a file name, e.g. {target / 'functions.json'}",
        )
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as handle:
            tmp = Path(handle.name)
            handle.write(text)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise StoreError(f"cannot write {what} {target}: {exc.strerror or exc}", hint=hint) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


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
    items = parse_items(data, _FORMAT_HINT)
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
            fn = load(
                item["content"],
                id=function_id,
                name=item.get("name") or None,
                timeout=timeout,
                kind="function",
            )
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


def parse_items(data: Any, hint: str) -> list[Any]:
    """The items of an export: from a path, JSON text or the parsed data (one object or a list)."""
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
            raise StoreError(f"the import is not JSON ({exc}). {hint}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise StoreError(f"the import is a {type(data).__name__}, not a list. {hint}")
    return data
