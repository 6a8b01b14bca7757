"""Widgets for tuning functions in Jupyter: valve editors and the playground.

Importing this package imports ipywidgets; ``import actionkit`` does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._editor import ValvesEditor
from ._follow import changed, follow, follow_card
from ._group import Editors, editors_for, resolve
from ._playground import Playground

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store

__all__ = [
    "Editors",
    "Playground",
    "ValvesEditor",
    "changed",
    "editors_for",
    "follow",
    "follow_card",
    "playground",
    "valves_editor",
]


def valves_editor(
    fn: Function | str,
    user: bool = False,
    *,
    store: Store | None = None,
    user_id: str | None = None,
) -> ValvesEditor:
    """An editor for ``fn.Valves`` (or ``fn.UserValves`` with ``user=True``, for ``user_id``),
    bound to ``store`` (the default store when omitted). ``fn`` may be a stored function id."""

    function, bound_store = resolve(fn, store)
    return ValvesEditor(function, user=user, store=bound_store, user_id=user_id)


def playground(fn: Function | str, body: dict[str, Any] | None = None, **options: Any) -> Playground:
    """Valve editors, a chat body editor, Run, event-call dialogs and the simulation view, re-run
    when a valve changes. ``fn`` may be a stored id; see :class:`Playground` for the options."""
    return Playground(fn, body, **options)
