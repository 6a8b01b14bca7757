"""Valve values a new version could not take, kept with the version they belonged to.

When a save drops stored values (a field gone, or a type that no longer fits), they are kept with
the version that was current; when a later save brings that version's content back (``revert``,
or saving the old source again), the kept values that fit it again are restored, so no value a
user set is lost for good. The values that are set now win over kept ones.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..function import content_hash, surviving_valves

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ._schema import Database

# The ``user_id`` under which admin valves are kept.
ADMIN = ""


def keep(db: Database, function_id: str, version: int, user_id: str, values: dict[str, Any]) -> None:
    """Keep ``values`` with ``version`` (merged with what is kept there already)."""
    if not values:
        return
    row = db.execute(
        "SELECT valves FROM kept_valves WHERE function_id = ? AND version = ? AND user_id = ?",
        (function_id, version, user_id),
    ).fetchone()
    merged = {**(json.loads(row[0]) if row else {}), **values}
    db.execute(
        "INSERT INTO kept_valves (function_id, version, user_id, valves) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(function_id, version, user_id) DO UPDATE SET valves = excluded.valves",
        (function_id, version, user_id, json.dumps(merged)),
    )


def kept_for(db: Database, function_id: str, content: str) -> dict[str, dict[str, Any]]:
    """The values kept with the latest earlier version whose content is ``content``, by user id."""
    row = db.execute(
        "SELECT max(k.version) FROM kept_valves k JOIN function_version v "
        "ON v.function_id = k.function_id AND v.version = k.version "
        "WHERE k.function_id = ? AND v.content_hash = ? AND v.content = ?",
        (function_id, content_hash(content), content),
    ).fetchone()
    if row is None or row[0] is None:
        return {}
    rows = db.execute(
        "SELECT user_id, valves FROM kept_valves WHERE function_id = ? AND version = ?",
        (function_id, row[0]),
    )
    return {user_id: dict(json.loads(raw)) for user_id, raw in rows}


def restored(
    model: type[BaseModel] | None, current: dict[str, Any], kept: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """``current`` with the ``kept`` values that fit ``model`` added; the names that came back."""
    result, back = current, list[str]()
    if model is None:
        return result, back
    for name, value in sorted(kept.items()):
        if name in result:
            continue
        merged, dropped = surviving_valves(model, {**result, name: value})
        if not dropped:
            result, back = merged, [*back, name]
    return result, back
