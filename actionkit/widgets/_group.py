"""The Valves and UserValves editors of one function shown together (what ``%%action`` displays)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..store import Store
from ._editor import ValvesEditor

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store


class Editors:
    """``valves`` and ``user_valves`` editors (either may be ``None``) in one block."""

    def __init__(self, valves: ValvesEditor | None, user_valves: ValvesEditor | None) -> None:
        self.valves = valves
        self.user_valves = user_valves
        self.editors = [e for e in (valves, user_valves) if e is not None]
        self.widget = w.VBox([e.widget for e in self.editors])

    def text(self) -> str:
        return "\n".join(e.text() for e in self.editors)

    def __repr__(self) -> str:
        return self.text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        for editor in self.editors:
            editor.reload(keep_edits=True)
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


def editors_for(fn: Function, store: Store | None, user_id: str | None = None) -> Editors | None:
    """The editors to show under a function's card; ``None`` when it has neither Valves class."""
    valves = ValvesEditor(fn, store=store) if fn.Valves is not None else None
    user_valves = (
        ValvesEditor(fn, user=True, store=store, user_id=user_id) if fn.UserValves is not None else None
    )
    if valves is None and user_valves is None:
        return None
    return Editors(valves, user_valves)


def resolve(fn: Function | str, store: Store | None) -> tuple[Function, Store]:
    """A Function (loading a stored id) and the store to bind to (the default one if omitted)."""

    bound = store if store is not None else Store()
    if isinstance(fn, str):
        if fn in bound.tools and fn not in bound:
            return bound.tools.load(fn), bound
        return bound.load(fn), bound
    return fn, bound
