"""Values crossing between this process and an isolated worker, as plain data that always reads back.

What a function emits or returns may hold objects of its own classes (defined in its module, which
only the worker has loaded), open files, generators or locks. :func:`dumps` pickles a value with
every object that is not plain data (builtins, ``datetime``, ``decimal``, ``uuid``, ``collections``)
replaced by its JSON-able form (:func:`actionkit.view.jsonable`, what ``Simulation.to_dict()`` shows
of it anyway), so the outcome reads the same on both sides. :func:`loads` reads such data back and
refuses anything else, so data sent by a worker never imports or runs code in this process.
"""

from __future__ import annotations

import io
import pickle
import types
from typing import Any

from ..view import jsonable

# Modules whose objects cross as themselves (actionkit's errors too); everything else crosses as its
# JSON-able form.
_PLAIN_MODULES = frozenset(
    {"builtins", "datetime", "decimal", "uuid", "fractions", "collections", "copyreg", "actionkit.errors"}
)
# What loads() may look up: the plain modules and the helper that rebuilds values.
_READABLE_MODULES = _PLAIN_MODULES | {__name__}
_UNSAFE_BUILTINS = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "open",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "input",
        "breakpoint",
        "exit",
        "quit",
    }
)
_MAX_DEPTH = 200


def _same(value: Any) -> Any:
    """Rebuilds a value that crossed in its JSON-able form."""
    return value


class _PlainPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if obj is _same:
            return NotImplemented
        if isinstance(obj, type | types.FunctionType | types.BuiltinFunctionType | types.MethodType):
            module = getattr(obj, "__module__", None) or ""
        else:
            module = type(obj).__module__
        if module in _PLAIN_MODULES:
            return NotImplemented
        return _same, (jsonable(obj),)


def dumps(value: Any) -> bytes:
    """``value`` pickled as plain data (objects that are not plain data as their JSON-able form)."""
    try:
        return _dumps(value)
    except Exception:  # something that refuses to be pickled even so: replace it part by part
        return _dumps(_plain(value, 0))


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _plain(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(value, dict):
        return {_plain(k, depth + 1): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_plain(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    try:
        _dumps(value)
    except Exception:
        return jsonable(value)
    return value


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module not in _READABLE_MODULES or (module == "builtins" and name in _UNSAFE_BUILTINS):
            raise pickle.UnpicklingError(f"{module}.{name} is not plain data")
        return super().find_class(module, name)


def loads(data: bytes) -> Any:
    """Read back what :func:`dumps` wrote (``pickle.UnpicklingError`` for anything else)."""
    return _PlainUnpickler(io.BytesIO(data)).load()
