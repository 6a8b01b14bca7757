"""Shared pieces of the ``open_webui`` stand-ins: host-async methods and helpful refusals."""

from __future__ import annotations

import collections.abc
import functools
import json
import warnings
from collections.abc import Callable, Coroutine, Generator
from importlib import resources
from typing import Any, NoReturn, ParamSpec, TypeVar

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


class Pending(collections.abc.Coroutine[Any, Any, Any]):
    """The coroutine a host-async method returns (the host returns a coroutine object).

    It is a real ``collections.abc.Coroutine``: ``await`` it, or hand it to ``asyncio.run``,
    ``create_task`` or ``gather``. Using it without awaiting fails like a coroutine would, with the
    reason spelled out, and a call that is never awaited warns as Python does.
    """

    __slots__ = ("_awaited", "_factory", "_inner", "_label")

    def __init__(self, label: str, factory: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        self._label = label
        self._factory = factory
        self._inner: Coroutine[Any, Any, Any] | None = None
        self._awaited = False

    def _coroutine(self) -> Coroutine[Any, Any, Any]:
        self._awaited = True
        if self._inner is None:
            self._inner = self._factory()
        return self._inner

    def __await__(self) -> Generator[Any, None, Any]:
        return self._coroutine().__await__()

    def send(self, value: Any) -> Any:
        return self._coroutine().send(value)

    def throw(self, *args: Any) -> Any:
        return self._coroutine().throw(*args)

    def close(self) -> None:
        self._awaited = True
        if self._inner is not None:
            self._inner.close()

    def _fail(self, what: str, exc_type: type[Exception]) -> NoReturn:
        self._awaited = True
        raise exc_type(
            f"'coroutine' object {what}: {self._label}() is async in Open WebUI 0.12.4, "
            f"write `await {self._label}(...)`"
        )

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._fail(f"has no attribute {name!r}", AttributeError)

    def __getitem__(self, key: Any) -> Any:
        self._fail("is not subscriptable", TypeError)

    def __iter__(self) -> Any:
        self._fail("is not iterable", TypeError)

    def __len__(self) -> int:
        self._fail("has no len()", TypeError)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._fail("is not callable", TypeError)

    def __repr__(self) -> str:
        return f"<coroutine object {self._label}>"

    def __del__(self) -> None:
        if not self._awaited:
            warnings.warn(
                f"coroutine '{self._label}' was never awaited: it is async in Open WebUI 0.12.4, "
                f"write `await {self._label}(...)`",
                RuntimeWarning,
                stacklevel=1,
            )


def host_async(
    label: str,
) -> Callable[[Callable[P, Coroutine[Any, Any, T]]], Callable[P, Any]]:
    """Mark a stand-in function as async in the host: calling it returns a :class:`Pending`.

    ``label`` names the owner in messages (``"Users"`` gives ``Users.get_user_by_id``); empty for
    module-level functions.
    """

    def decorate(method: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Any]:
        name = f"{label}.{method.__name__}" if label else method.__name__

        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> Pending:
            return Pending(name, lambda: method(*args, **kwargs))

        return call

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
