"""Views that follow the store: editors, playgrounds and function cards on the same function are
told when its valves are saved or its source is registered again, and redraw from the store.

Anything that changes a function through actionkit's notebook tools calls :func:`changed`
(the editors' Save, the ``%%action`` cell); views :func:`follow` a function with a callback,
held weakly so a view that is gone is dropped. Store files are matched by path (two ``Store``
objects on one file are one store); in-memory stores by identity.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from ..errors import StoreError
from ..store import ToolStore
from ..view import FunctionCard

if TYPE_CHECKING:
    from ..store import Store

What = Literal["valves", "user_valves", "source"]
Callback = Callable[[str], None]

_lock = threading.Lock()
_followers: dict[tuple[str, str], list[Any]] = {}


def _key(rows: Store | ToolStore, function_id: str) -> tuple[str, str]:
    store = rows.store if isinstance(rows, ToolStore) else rows
    path = str(getattr(store, "path", ""))
    # A tool is followed in the store's tools: its own ids (a tool and a function may share one).
    name = f"tool:{function_id}" if isinstance(rows, ToolStore) else function_id
    return (f"memory:{id(store)}" if path in ("", ":memory:") else path, name)


def follow(store: Store | ToolStore, function_id: str, callback: Callback, *, owner: Any = None) -> None:
    """Call ``callback(what)`` when ``function_id`` changes in ``store`` (a tool: in ``store.tools``).
    A bound method is held weakly; a plain callback lives as long as ``owner`` (or for ever
    without one)."""
    if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
        ref: Any = weakref.WeakMethod(callback)
    elif owner is not None:
        owner_ref = weakref.ref(owner)

        def ref() -> Callback | None:
            return callback if owner_ref() is not None else None
    else:

        def ref() -> Callback | None:
            return callback

    with _lock:
        _followers.setdefault(_key(store, function_id), []).append(ref)


def changed(store: Store | ToolStore, function_id: str, what: What, *, source: Any = None) -> None:
    """Tell every view following ``function_id`` in ``store`` (except ``source``, the view that
    made the change) that its ``what`` changed."""
    key = _key(store, function_id)
    with _lock:
        refs = list(_followers.get(key, []))
    alive = []
    for ref in refs:
        callback = ref()
        if callback is None:
            continue
        alive.append(ref)
        if source is not None and getattr(callback, "__self__", None) is source:
            continue
        with contextlib.suppress(Exception):  # a broken view must not break a Save
            callback(what)
    with _lock:
        current = _followers.get(key, [])
        _followers[key] = [r for r in current if r in alive or r not in refs]


def follow_card(store: Store, card: FunctionCard, handle: Any) -> None:
    """Redraw a displayed function card (``handle``: its ``DisplayHandle``) when the function's
    valves or source change in ``store``."""
    function_id = card.fn.id
    rows = store.rows_of(card.fn)

    def redraw(what: str) -> None:
        try:
            record = rows.get(function_id)
            fn = rows.load(function_id) if record.content != card.fn.content else card.fn
        except StoreError:
            return
        card.fn, card.valves, card.version = fn, rows.valves(function_id), record.version
        handle.update(card)

    follow(rows, function_id, redraw)
