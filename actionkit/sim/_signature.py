"""The handler's parameters as the host passes them: the names it will get, and warnings about the
names it asks for that the host does not pass (checked once per handler function, type and hook)."""

from __future__ import annotations

import types
import weakref
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..host import ALL_DUNDERS, OFFERED
from ._event_checks import did_you_mean
from ._event_function import check_event_signature
from ._invoke import signature_info

if TYPE_CHECKING:
    from ..function import Function


def _handler(fn: Function, hook: str) -> Any:
    name = {"action": "action", "pipe": "pipe"}.get(hook, hook)
    return getattr(fn.instance, name, None)


# The verdict of _signature_notes per handler function, function type and hook.
_SIGNATURES: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], tuple[tuple[str, ...], list[str]]]] = (
    weakref.WeakKeyDictionary()
)


def check_signature(fn: Function, hook: str, warnings: list[str]) -> list[str]:
    """Warnings about the handler's parameters; returns the names the host will pass."""
    handler = _handler(fn, hook)
    if hook == "event":
        return check_event_signature(handler, warnings)
    if handler is None or not callable(handler):
        if hook == "pipe":
            raise SimulationError(f"pipe {fn.id} has no pipe() method", function_id=fn.id)
        return []
    func = getattr(handler, "__func__", None)
    if type(func) is not types.FunctionType:
        notes, arguments = _signature_notes(fn.type, hook, handler)
        warnings.extend(notes)
        return arguments
    verdicts = _SIGNATURES.get(func)
    if verdicts is None:
        verdicts = _SIGNATURES[func] = {}
    key = (fn.type, hook)
    found = verdicts.get(key)
    if found is None:
        found = verdicts[key] = _signature_notes(fn.type, hook, handler)
    warnings.extend(found[0])
    return list(found[1])


def _signature_notes(fn_type: str, hook: str, handler: Any) -> tuple[tuple[str, ...], list[str]]:
    """The warnings about a handler's parameters and the names the host will pass it."""
    warnings: list[str] = []
    try:
        names, var_kw = signature_info(handler)
    except (TypeError, ValueError):
        return (), []
    offered = set(OFFERED[hook])
    first = "event" if hook == "stream" else "body"
    if first not in names and not var_kw:
        warnings.append(
            f"{hook}() has no parameter named {first!r}: Open WebUI passes {first}=... by name, "
            "so the call fails"
        )
    for name in sorted(names):
        if name in offered or name in (first, "self"):
            continue
        if name in ALL_DUNDERS or name == "__event__":
            target = f"a {hook} filter hook" if fn_type == "filter" else f"{fn_type}s"
            warnings.append(
                f"{hook}() asks for {name}, which Open WebUI 0.12.4 does not pass to {target}: "
                "it keeps its default"
            )
        elif name.startswith("__") or (name.startswith("_") and name.endswith("_")):
            hint = did_you_mean(name, sorted(ALL_DUNDERS))
            warnings.append(f"{hook}() asks for {name}{hint}: Open WebUI passes nothing by that name")
    if var_kw:
        warnings.append(
            f"{hook}() takes **kwargs: Open WebUI passes extra arguments only by exact parameter name, "
            "so **kwargs stays empty"
        )
    return tuple(warnings), [first, *(name for name in OFFERED[hook] if name in names)]
