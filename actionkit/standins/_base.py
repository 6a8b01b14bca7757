"""Shared pieces of the ``open_webui`` stand-ins: host-async methods and helpful refusals."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine
from importlib import resources
from typing import Any, ParamSpec, TypeVar

from . import context

P = ParamSpec("P")
T = TypeVar("T")

REAL_RUNTIME_HINT = (
    "to run it against the real Open WebUI, install open-webui==0.12.4 into this environment "
    '(the stand-ins then step aside), or use simulate(..., runtime="open-webui")'
)


@functools.cache
def real_names() -> dict[str, Any]:
    """Module list, module names and table methods of the real open-webui 0.12.4 package."""
    text = resources.files("actionkit.standins").joinpath("_owui_names.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class _HTTPException(Exception):
    """``fastapi.HTTPException`` where fastapi is not installed: ``status_code``, ``detail`` and
    starlette's text (``"400: detail"``)."""

    def __init__(self, status_code: int, detail: Any = None) -> None:
        super().__init__(status_code, detail)
        self.status_code = status_code
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"


def http_exception(status_code: int, detail: Any) -> Exception:
    """The ``HTTPException`` the host raises (fastapi's when installed)."""
    try:
        from fastapi import HTTPException
    except ImportError:
        return _HTTPException(status_code, detail)
    return HTTPException(status_code=status_code, detail=detail)


def is_http_exception(exc: BaseException) -> bool:
    return hasattr(exc, "status_code") and hasattr(exc, "detail")


@functools.cache
def async_host_names() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """What is async in the real open-webui 0.12.4: ``({module: functions}, {table: methods})``,
    e.g. ``"open_webui.utils.chat"`` -> ``generate_chat_completion`` …, ``"open_webui.models.users.Users"``
    -> ``get_user_by_id`` …"""
    data = real_names()
    functions = {module: frozenset(names) for module, names in data["async_functions"].items()}
    methods = {owner: frozenset(names) for owner, names in data["async_methods"].items()}
    return functions, methods


class _HostCall(functools.partial):  # type: ignore[type-arg]
    """A host-async callable: calling it returns the plain coroutine the host's would return.

    A ``functools.partial`` of the ``async def``, so ``inspect.iscoroutinefunction`` and
    ``inspect.signature`` see the real coroutine function. Each coroutine it makes is told to the
    running simulation, which reports those never awaited (see ``SimContext.unawaited_calls``).
    """

    label: str

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        coroutine = super().__call__(*args, **kwargs)
        context.current().note_host_call(self.label, coroutine)
        return coroutine


def _host_call(method: Callable[..., Any], label: str, *bound: Any) -> _HostCall:
    call = _HostCall(method, *bound)
    functools.update_wrapper(call, method)
    del call.__wrapped__  # type: ignore[attr-defined]  # inspect.signature then leaves the bound arguments out, as for a method
    call.label = label
    return call


class _HostMethod:
    """A host-async method of a stand-in table: bound, it is a :class:`_HostCall` (made once per
    table, then found in the table's ``__dict__``)."""

    def __init__(self, method: Callable[..., Any], label: str) -> None:
        self._method = method
        self._label = label
        self._name = method.__name__
        functools.update_wrapper(self, method)  # type: ignore[arg-type]

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self._method
        bound = _host_call(self._method, self._label, instance)
        instance.__dict__[self._name] = bound
        return bound


def host_async(
    label: str,
) -> Callable[[Callable[P, Coroutine[Any, Any, T]]], Callable[P, Coroutine[Any, Any, T]]]:
    """Mark a stand-in ``async def`` as async in the host: calling it returns a plain coroutine,
    as the host's does, and a call never awaited is reported in the simulation's warnings.

    ``label`` names the owner of a method in messages (``"Users"`` gives
    ``Users.get_user_by_id``); empty for module-level functions.
    """

    def decorate(method: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
        if label:
            return _HostMethod(method, f"{label}.{method.__name__}")  # type: ignore[return-value]
        return _host_call(method, method.__name__)

    return decorate


class StandinTable:
    """Base of the ``Users``/``Chats``/... singletons: unknown methods fail with a clear reason."""

    _real_key = ""  # e.g. "open_webui.models.users.Users"
    _label = ""  # e.g. "Users"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        methods = real_names()["methods"].get(self._real_key, [])
        supported = sorted(
            n for n in dir(type(self)) if not n.startswith("_") and callable(getattr(type(self), n))
        )
        if name in methods:
            raise AttributeError(
                f"{self._label}.{name} exists in Open WebUI 0.12.4 but the actionkit stand-in does "
                f"not provide it (it provides {', '.join(supported)}); {REAL_RUNTIME_HINT}"
            )
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute {name!r} "
            f"(Open WebUI 0.12.4's {self._label} has no such method either)"
        )

    def __repr__(self) -> str:
        return f"<actionkit stand-in for open_webui {self._label}>"
