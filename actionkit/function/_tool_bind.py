"""Binding a Tool method the way open-webui 0.12.4 does before the model may call it.

``get_async_tool_function_and_apply_extra_params`` (``utils/tools.py``): of the reserved arguments
offered, only those the method's signature names are frozen into a ``functools.partial`` (a
``**kwargs`` parameter gets none); what the model sends is coerced only ``str`` -> ``int`` (for
``int``/``Optional[int]``) and number -> ``str`` (for ``str``/``Optional[str]``); a sync method is
wrapped in a coroutine function and runs inline on the event loop. ``get_updated_tool_function``
re-binds fresh ``__messages__``/``__files__`` at call time.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import partial, update_wrapper
from typing import Any, get_args, get_type_hints

ToolCallable = Callable[..., Awaitable[Any]]


def bind_tool_function(function: Callable[..., Any], extra_params: dict[str, Any]) -> ToolCallable:
    """The async callable ``get_tools`` stores under ``"callable"`` for ``function``."""
    signature = inspect.signature(function)
    try:
        hints = get_type_hints(function)
    except Exception:
        hints = {}

    def coerce(kwargs: dict[str, Any]) -> dict[str, Any]:
        for name, value in kwargs.items():
            if name not in signature.parameters or value is None:
                continue
            annotation = hints.get(name, signature.parameters[name].annotation)
            args = set(get_args(annotation))
            if isinstance(value, str) and (annotation is int or args == {int, type(None)}):
                kwargs[name] = int(value)
            elif (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and (annotation is str or args == {str, type(None)})
            ):
                kwargs[name] = str(value)
        return kwargs

    frozen = {k: v for k, v in extra_params.items() if k in signature.parameters}
    bound = partial(function, **frozen)
    remaining = [p for name, p in signature.parameters.items() if name not in frozen]
    new_signature = inspect.Signature(parameters=remaining, return_annotation=signature.return_annotation)

    if inspect.iscoroutinefunction(function):

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await bound(*args, **coerce(kwargs))

    else:

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return bound(*args, **coerce(kwargs))

    update_wrapper(wrapper, function)
    wrapper.__signature__ = new_signature  # type: ignore[attr-defined]
    wrapper.__function__ = function  # type: ignore[attr-defined]
    wrapper.__extra_params__ = frozen  # type: ignore[attr-defined]
    return wrapper


def rebind_tool_function(function: Any, extra_params: dict[str, Any]) -> Any:
    """``get_updated_tool_function``: the same method bound again with ``extra_params`` on top."""
    original = getattr(function, "__function__", None)
    frozen = getattr(function, "__extra_params__", None)
    if original is not None and frozen is not None:
        return bind_tool_function(original, {**frozen, **extra_params})
    return function
