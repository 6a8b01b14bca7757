"""When a push or a pull would overwrite someone's work, and the ConflictError that says so.

A push must not overwrite a function changed on the server since this store last pulled or pushed it
(its ``updated_at`` or content fingerprint moved), nor one this store never synced with that server.
A pull must not replace a function changed in the store since then (or one the store holds that
never came from that server) when it differs from the server's.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConflictError
from ._state import Synced, fingerprint

# What a user can lose when a function is replaced (the name follows the title, so it is left out).
_COMPARED = ("content", "valves", "is_active", "is_global")


def synced_state(remote: dict[str, Any], local: dict[str, Any] | None) -> Synced:
    """The state to remember after a sync: the server row (with ``valves``) and the store row."""
    return Synced(
        int(remote.get("updated_at") or 0),
        fingerprint(remote, remote.get("valves") or {}),
        fingerprint(local, local.get("valves") or {}) if local is not None else "",
    )


def server_changed(remote: dict[str, Any] | None, synced: Synced | None) -> bool | None:
    """``None`` when never synced with this server, else whether the server changed since."""
    if synced is None or remote is None:
        return None
    now = synced_state(remote, None)
    return (now.updated_at, now.fingerprint) != (synced.updated_at, synced.fingerprint)


def local_changed(local: dict[str, Any], synced: Synced | None) -> bool | None:
    """``None`` when never synced, else whether the store's row changed since."""
    if synced is None:
        return None
    if not synced.local:  # remembered before local fingerprints were kept
        return False
    return fingerprint(local, local.get("valves") or {}) != synced.local


def check_push(
    server: str,
    function_id: str,
    local: dict[str, Any],
    remote: dict[str, Any],
    synced: Synced | None,
) -> None:
    """Raise :class:`ConflictError` when pushing ``local`` would overwrite work on the server."""
    changed = server_changed(remote, synced)
    if changed is None:
        if remote.get("content") == local["content"] and (remote.get("valves") or {}) == local["valves"]:
            return
        raise ConflictError(
            f"{server} already has a function {function_id!r} that this store never pulled from it; "
            "pushing would replace it",
            function_id=function_id,
            hint=f"compare with diff({function_id!r}), take the server's version with "
            f"pull({function_id!r}), push under another id, or push with force=True to overwrite it",
        )
    if changed:
        raise ConflictError(
            f"{function_id!r} changed on {server} since the last pull/push from this store; "
            "pushing would overwrite those changes",
            function_id=function_id,
            hint=f"see diff({function_id!r}); pull({function_id!r}) to take them, or push with "
            "force=True to overwrite them",
        )


def check_pull(
    server: str,
    function_id: str,
    local: dict[str, Any],
    item: dict[str, Any],
    synced: Synced | None,
) -> None:
    """Raise :class:`ConflictError` when pulling ``item`` would replace unpushed work in the store."""
    if all(_same(local, item, key) for key in _COMPARED):
        return
    changed = local_changed(local, synced)
    if changed is False:
        return
    if changed is None:
        message = f"the store's {function_id!r} was never pulled from or pushed to {server}"
    else:
        message = f"the store's {function_id!r} changed since the last pull/push from {server}"
    raise ConflictError(
        f"{message} and differs from the server's; pulling would replace it",
        function_id=function_id,
        hint=f"see diff({function_id!r}); push({function_id!r}) keeps yours (force=True if the server "
        "changed too), pull with force=True takes the server's (your content stays in Store.history)",
    )


def _same(local: dict[str, Any], item: dict[str, Any], key: str) -> bool:
    if key == "valves":
        return (local.get("valves") or {}) == (item.get("valves") or {})
    if key in ("is_active", "is_global"):
        return bool(local.get(key)) == bool(item.get(key))
    return bool(local.get(key) == item.get(key))
