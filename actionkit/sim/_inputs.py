"""The parts of a plan shared by every kind of call: the model argument, the timeout, the secret
values to mask, valve names the class lacks, user valves as the host keeps them, and the call's
other options as given (enough to replay it)."""

from __future__ import annotations

import contextlib
import functools
import math
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..function import Function, stored_valves
from ..secrets import secret_fields
from ..secrets import secret_values as secret_texts
from ..view import copied
from ._event_checks import did_you_mean

if TYPE_CHECKING:
    from ._call import Call


def model_arg(model: Any) -> tuple[dict[str, Any] | None, str | None]:
    if model is None:
        return None, None
    if isinstance(model, str):
        return None, model
    if isinstance(model, dict):
        model_id = model.get("id")
        return copied(model), model_id if isinstance(model_id, str) else None
    for attr in ("model_dict", "to_model_dict", "as_model"):
        method = getattr(model, attr, None)
        if callable(method):
            value = method()
            if isinstance(value, dict):
                return model_arg(value)
    raise SimulationError(
        f"model must be a model dict (as __model__ receives it) or an id, got {type(model).__name__}"
    )


def secret_values(fn: Function, valves: dict[str, Any] | None, user_valves: dict[str, Any]) -> frozenset[str]:
    """The secret texts of a call's admin and user valves, masked wherever they would be shown."""
    return secret_texts(fn.Valves, valves) | secret_texts(fn.UserValves, user_valves)


@functools.lru_cache(maxsize=256)
def secret_names(cls: Any) -> frozenset[str]:
    return secret_fields(cls)


def stale_user_valves(fn: Function, values: Any) -> bool:
    """Whether ``values`` are user valves the host would keep but that no longer validate against
    the function's ``UserValves`` (saved before the code changed)."""
    model = fn.UserValves
    if model is None or not isinstance(values, dict):
        return False
    try:
        model(**{k: v for k, v in values.items() if v is not None})
    except Exception:
        return True
    return False


def given_user_valves(fn: Function, values: Any) -> dict[str, Any]:
    """``user_valves=`` as the host keeps them: what its save would store, or values that no
    longer validate as they are (the host hands them to the function its own way, see ``_invoke``);
    values the host cannot take at all are a ValvesError."""
    if stale_user_valves(fn, values):
        return dict(copied(values))
    return stored_valves(fn.UserValves, values, function_id=fn.id, what="UserValves")


def check_fields(fn: Function, model: Any, values: Any, what: str, warnings: list[str]) -> None:
    """A valve name the class does not have is most likely a typo: the host drops it, so the call
    runs with the default; say so."""
    if model is None or not isinstance(values, dict) or model.model_config.get("extra") == "allow":
        return
    fields = sorted(model.model_fields)
    for name in sorted(
        str(name) for name, value in values.items() if name not in fields and value is not None
    ):
        warnings.append(
            f"{fn.id}.{what} has no field {name!r}{did_you_mean(name, fields)}: Open WebUI drops it, so "
            f"the call runs with the default (its fields: {', '.join(fields) or 'none'})"
        )


def checked_timeout(timeout: Any) -> float:
    """``timeout`` as seconds, else a SimulationError."""
    if (
        not isinstance(timeout, int | float)
        or isinstance(timeout, bool)
        or not timeout > 0
        or math.isnan(timeout)
    ):
        raise SimulationError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def plain_given(value: Any) -> Any:
    """An argument as the caller gave it, as plain data where it is a pydantic model."""
    if value is None:
        return None
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        with contextlib.suppress(Exception):
            return dump(mode="json")
    if isinstance(value, dict | list | tuple):
        return copied(list(value) if isinstance(value, tuple) else value)
    return value


def call_inputs(call: Call, model_dict: dict[str, Any] | None) -> dict[str, Any]:
    """The other call options, as given (``None`` when left out): enough to replay the call.

    ``replies`` is the list given, or the callable itself; ``model`` the model dict or id given (a
    model object as its dict); ``llm`` the scripted replies when they are plain data, else the object given.
    """
    model = call.model
    llm = call.llm
    return {
        "event": plain_given(call.event),
        "replies": call.replies if callable(call.replies) else plain_given(call.replies),
        "user": plain_given(call.user),
        "model": model if model is None or isinstance(model, str) else copied(model_dict),
        "metadata": plain_given(call.metadata),
        "task": call.task,
        "files": plain_given(call.files),
        "llm": plain_given(llm) if llm is None or isinstance(llm, str | list | tuple) else llm,
    }
