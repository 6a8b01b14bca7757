"""When a push or a pull would overwrite someone's work, and the ConflictError that says so.

A conflict is a difference in what the other side holds: a field the server (for a push) or the store
(for a pull) changed since this store last pulled or pushed the function, which the push or pull
would now overwrite with something else. A moved ``updated_at`` alone is none, and neither is a
field that already holds what would be written (a push that was applied although its answer timed
out). A function this store never synced with the server may be replaced only where it is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ConflictError, ServerError
from ._state import FIELDS, Synced, digests
from ._words import Words

# What a pull writes that a user can lose (the name follows the title, so it is left out).
PULLED = ("content", "valves", "is_active", "is_global")


def differing(mine: dict[str, Any], theirs: dict[str, Any], fields: Sequence[str] = FIELDS) -> list[str]:
    """The ``fields`` two function rows (admin valves under ``"valves"``) hold differently."""
    a, b = digests(mine), digests(theirs)
    return [name for name in fields if a[name] != b[name]]


def conflicts(
    remote: dict[str, Any], local: dict[str, Any], synced: Synced | None, fields: Sequence[str] = FIELDS
) -> list[str] | None:
    """The ``fields`` someone changed on the server since the last sync that pushing ``local`` would
    overwrite; ``None`` when this store never synced the function with that server."""
    if synced is None:
        return None
    changed = synced.server_changed(remote)
    return [name for name in differing(local, remote, fields) if name in changed]


def check_push(
    server: str,
    function_id: str,
    local: dict[str, Any],
    remote: dict[str, Any],
    synced: Synced | None,
    *,
    fields: Sequence[str],
    words: Words,
) -> None:
    """Raise :class:`ConflictError` when pushing ``local`` would overwrite work on the server."""
    found = conflicts(remote, local, synced, fields)
    diff, pull = words.call("diff", function_id), words.call("pull", function_id)
    forced = words.call("push", function_id, force=True)
    if found is None:
        replaced = differing(local, remote, fields)
        if not replaced:
            return
        raise ConflictError(
            f"{server} already has a function {function_id!r} that this store never pulled from it; "
            f"pushing would replace its {', '.join(replaced)}",
            function_id=function_id,
            hint=f"compare with {diff}, take the server's version with {pull}, push under another "
            f"id, or overwrite it with {forced}",
        )
    if found:
        raise ConflictError(
            f"{function_id!r} changed on {server} since the last pull/push from this store "
            f"({', '.join(found)}); pushing would overwrite those changes",
            function_id=function_id,
            hint=f"see {diff}; {pull} takes them, {forced} overwrites them",
        )


def check_pull(
    server: str,
    function_id: str,
    local: dict[str, Any],
    item: dict[str, Any],
    synced: Synced | None,
    *,
    words: Words,
) -> None:
    """Raise :class:`ConflictError` when pulling ``item`` would replace unpushed work in the store."""
    replaced = differing(local, item, PULLED)
    if not replaced:
        return
    if synced is None:
        message = f"the store's {function_id!r} was never pulled from or pushed to {server}"
    else:
        edited = [name for name in replaced if name in synced.store_changed(local)]
        if not edited:
            return
        message = (
            f"the store's {function_id!r} changed since the last pull/push from {server} "
            f"({', '.join(edited)})"
        )
    raise ConflictError(
        f"{message} and differs from the server's; pulling would replace it",
        function_id=function_id,
        hint=f"see {words.call('diff', function_id)}; {words.call('push', function_id)} keeps yours "
        f"({words.call('push', function_id, force=True)} if the server changed too), "
        f"{words.call('pull', function_id, force=True)} takes the server's (your content stays in "
        "the store's history)",
    )


def pulled_items(
    items: list[dict[str, Any]], ids: str | Sequence[str] | None, server: str, noun: str
) -> list[dict[str, Any]]:
    """The exported ``items`` a pull of ``ids`` takes (all of them when None); ids the server lacks
    are a ServerError naming them and what it has."""
    if ids is None:
        return items
    by_id = {item["id"]: item for item in items}
    wanted = [ids] if isinstance(ids, str) else list(ids)
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise ServerError(
            f"{server} has no {noun} {', '.join(map(repr, missing))}: nothing was pulled "
            f"(it has: {', '.join(sorted(by_id)) or 'none'})",
            function_id=missing[0],
        )
    return [by_id[i] for i in wanted]
