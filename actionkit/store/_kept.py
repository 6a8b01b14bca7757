"""Valve values a new version could not take, kept with the version they belonged to.

When a save drops stored values (a field gone, or a type that no longer fits), they are kept with
the version that was current; when a later save brings that version's content back (``revert``,
or saving the old source again), the kept values that fit it again are restored, so no value a
user set is lost for good. The values that are set now win over kept ones. Tools keep theirs the
same way, in their own tables (:data:`TOOLS`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..function import content_hash, surviving_valves

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..function import Function
    from ._schema import Database

# The ``user_id`` under which admin valves are kept.
ADMIN = ""


@dataclass(frozen=True)
class Tables:
    """Where one kind of plugin keeps its versions, user valves and kept values, and its id column."""

    version: str
    user_valves: str
    kept: str
    id: str


FUNCTIONS = Tables("function_version", "user_valves", "kept_valves", "function_id")
TOOLS = Tables("tool_version", "tool_user_valves", "tool_kept_valves", "tool_id")


def keep(
    db: Database,
    function_id: str,
    version: int,
    user_id: str,
    values: dict[str, Any],
    tables: Tables = FUNCTIONS,
) -> None:
    """Keep ``values`` with ``version`` (merged with what is kept there already)."""
    if not values:
        return
    t = tables
    row = db.execute(
        f"SELECT valves FROM {t.kept} WHERE {t.id} = ? AND version = ? AND user_id = ?",
        (function_id, version, user_id),
    ).fetchone()
    merged = {**(json.loads(row[0]) if row else {}), **values}
    db.execute(
        f"INSERT INTO {t.kept} ({t.id}, version, user_id, valves) VALUES (?, ?, ?, ?) "
        f"ON CONFLICT({t.id}, version, user_id) DO UPDATE SET valves = excluded.valves",
        (function_id, version, user_id, json.dumps(merged)),
    )


def kept_for(
    db: Database, function_id: str, content: str, tables: Tables = FUNCTIONS
) -> dict[str, dict[str, Any]]:
    """The values kept with the latest earlier version whose content is ``content``, by user id."""
    t = tables
    row = db.execute(
        f"SELECT max(k.version) FROM {t.kept} k JOIN {t.version} v "
        f"ON v.{t.id} = k.{t.id} AND v.version = k.version "
        f"WHERE k.{t.id} = ? AND v.content_hash = ? AND v.content = ?",
        (function_id, content_hash(content), content),
    ).fetchone()
    if row is None or row[0] is None:
        return {}
    rows = db.execute(
        f"SELECT user_id, valves FROM {t.kept} WHERE {t.id} = ? AND version = ?",
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


@dataclass
class Carried:
    """The admin valves a save stores, and what it dropped (kept) and restored, by name."""

    valves: dict[str, Any] = field(repr=False)  # secrets inside: not in the repr
    dropped: dict[str, str] = field(default_factory=dict)
    restored: list[str] = field(default_factory=list)
    dropped_users: dict[str, dict[str, str]] = field(default_factory=dict)
    restored_users: dict[str, list[str]] = field(default_factory=dict)


def carry_valves(
    db: Database,
    fn: Function,
    stored: dict[str, Any],
    current: tuple[int, str] | None,
    changes: bool,
    now: int,
    given: dict[str, Any] | None,
    tables: Tables = FUNCTIONS,
) -> Carried:
    """Inside a save's transaction: the stored admin valves (``given`` ones as they are) and every
    user's valves carried over to ``fn``; what no longer fits is kept with the ``current`` version,
    and what was kept with an earlier version of this very content comes back. User rows that change
    are written here; the admin valves are the caller's to write with the function row."""
    t = tables
    kept = kept_for(db, fn.id, fn.content, t) if current is not None and changes else {}
    if given is not None:
        carried = Carried(given)
    else:
        valves, dropped = surviving_valves(fn.Valves, stored)
        if current is not None:
            keep(db, fn.id, current[0], ADMIN, _picked(stored, dropped), t)
        valves, back = restored(fn.Valves, valves, kept.get(ADMIN, {}))
        carried = Carried(valves, dropped, back)
    rows = dict(db.execute(f"SELECT user_id, valves FROM {t.user_valves} WHERE {t.id} = ?", (fn.id,)))
    for uid in sorted(set(rows) | (set(kept) - {ADMIN})):
        previous = json.loads(rows[uid]) if uid in rows else {}
        values, lost = surviving_valves(fn.UserValves, previous)
        values, found = restored(fn.UserValves, values, kept.get(uid, {}))
        if lost:
            carried.dropped_users[uid] = lost
            if current is not None:
                keep(db, fn.id, current[0], uid, _picked(previous, lost), t)
        if found:
            carried.restored_users[uid] = found
        if lost or found:
            db.execute(
                f"INSERT INTO {t.user_valves} ({t.id}, user_id, valves, updated_at) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT({t.id}, user_id) DO UPDATE SET valves = excluded.valves, "
                "updated_at = excluded.updated_at",
                (fn.id, uid, json.dumps(values), now),
            )
    return carried


def _picked(values: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {name: values[name] for name in names if name in values}
