"""The playground's valve editors: started with given values, rebuilt for a new source."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ValvesError
from ._editor import ValvesEditor

if TYPE_CHECKING:
    from ..function import Function
    from ..store import Store

Pair = tuple[ValvesEditor | None, ValvesEditor | None]


def started_editors(
    fn: Function,
    store: Store,
    user_id: str | None,
    valves: dict[str, Any] | None,
    user_valves: dict[str, Any] | None,
    *,
    on_change: Callable[[ValvesEditor], None],
) -> Pair:
    """Editors for ``fn.Valves`` and ``fn.UserValves`` holding ``valves`` / ``user_valves`` as
    unsaved edits; a ``ValvesError`` when the function has no such class or the values do not fit."""
    editors: list[ValvesEditor | None] = []
    for user, given, model in ((False, valves, fn.Valves), (True, user_valves, fn.UserValves)):
        option = "user_valves" if user else "valves"
        if model is None:
            if given:
                raise ValvesError(
                    f"{fn.id} has no {'UserValves' if user else 'Valves'} class, "
                    f"so {option}= cannot be applied",
                    function_id=fn.id,
                )
            editors.append(None)
            continue
        editor = ValvesEditor(fn, user=user, store=store, user_id=user_id)
        for name, value in (given or {}).items():
            editor.set(name, value)
        if given and not editor.valid:
            raise ValvesError(
                f"{option}= for {fn.id} do not validate: "
                + "; ".join(f"{k}: {v}" for k, v in editor.errors.items()),
                function_id=fn.id,
                errors=dict(editor.errors),
            )
        editor.on_change(on_change)
        editors.append(editor)
    return editors[0], editors[1]


def carry_edits(old: Pair, new: Pair) -> None:
    """Put the unsaved edits of ``old`` editors into ``new`` ones, for the fields they still have."""
    for before, after in zip(old, new, strict=True):
        if before is None or after is None or not before.dirty or not before.valid:
            continue
        names = {spec.name for spec in after.specs}
        for name, value in dict(before.values).items():
            if name in names:
                after.set(name, value)
