"""Valve values with Open WebUI's semantics: what is stored, and what survives a code change."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from ..errors import ValvesError
from ..secrets import mask_text, reveal, secret_fields, secret_keys, secret_values
from ..view import safe_repr


def apply_valves(instance: Any, stored: dict[str, Any] | None, *, strip_none: bool) -> None:
    """What the host does before every call: ``instance.valves = instance.Valves(**stored)`` when the
    instance has both, ``None`` values dropped first for pipes (``strip_none``). Raises whatever
    ``Valves`` raises, as the host does."""
    if not (hasattr(instance, "valves") and hasattr(instance, "Valves")):
        return
    values = stored or {}
    if strip_none:
        values = {k: v for k, v in values.items() if v is not None}
    instance.valves = instance.Valves(**values)


def pydantic_errors(
    exc: Any, model: type[BaseModel] | None = None, values: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Turn a pydantic ``ValidationError`` into ``{field: reason}`` with readable reasons. The value
    given is quoted, except for the secret fields of ``model`` (and secret-named ones of ``values``):
    their reason says what is wrong without it, and no secret text of ``values`` is left in any."""
    values = values or {}
    hidden = secret_keys(values, secret_fields(model))
    texts = secret_values(model, values)
    result: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(part) for part in err.get("loc", ())) or "(model)"
        msg = str(err.get("msg", "invalid value"))
        secret = bool(err.get("loc")) and str(err["loc"][0]) in hidden
        if "input" in err and err.get("type") != "missing" and not secret:
            msg = f"{msg} (got {safe_repr(err['input'], limit=60)})"
        result.setdefault(loc, mask_text(msg, texts))
    return result


def stored_valves(
    model: type[BaseModel] | None,
    values: dict[str, Any],
    *,
    function_id: str | None = None,
    what: str = "Valves",
) -> dict[str, Any]:
    """What the host stores for ``values``: ``None`` dropped, validated, unknown keys dropped, only
    explicitly set fields kept (``model_dump(exclude_unset=True)``, JSON mode)."""
    if model is None:
        raise ValvesError(
            f"{function_id or 'this function'} has no {what} class, so it has no {what.lower()} to set",
            function_id=function_id,
        )
    if not isinstance(values, dict):
        raise ValvesError(
            f"{what} values must be a dict of field -> value, got {type(values).__name__}",
            function_id=function_id,
        )
    given = {k: v for k, v in values.items() if v is not None}
    try:
        instance = model(**given)
    except ValidationError as exc:
        errors = pydantic_errors(exc, model, given)
        raise ValvesError(
            f"invalid {what} for {function_id or 'this function'}: "
            + "; ".join(f"{field}: {reason}" for field, reason in errors.items()),
            function_id=function_id,
            errors=errors,
        ) from None
    except Exception as exc:  # a validator that raised something else
        reason = mask_text(str(exc), secret_values(model, given))
        raise ValvesError(
            f"invalid {what} for {function_id or 'this function'}: {reason}",
            function_id=function_id,
            errors={"(model)": reason},
        ) from None
    unstorable = _unstorable_fields(instance.model_dump(exclude_unset=True))
    if unstorable:
        raise ValvesError(
            f"Open WebUI 0.12.4 cannot store {what} for {function_id or 'this function'}: "
            + "; ".join(f"{field} holds a {kind}" for field, kind in unstorable.items())
            + " (its save answers OK but stores nothing, so the function keeps its defaults)",
            function_id=function_id,
            errors={field: f"a {kind} cannot be stored by Open WebUI" for field, kind in unstorable.items()},
            hint="declare secrets as `str` with Field(json_schema_extra={'input': {'type': 'password'}}) "
            "and other values as str, int, float, bool, list or dict",
        )
    return dump_set_fields(instance)


# What the host's JSON codec (orjson, falling back to the standard json module) can write.
_STORABLE_LEAVES = (
    str,
    int,
    float,
    bool,
    type(None),
    datetime.datetime,
    datetime.date,
    datetime.time,
    uuid.UUID,
    enum.Enum,
)


def _unstorable_fields(dumped: dict[str, Any]) -> dict[str, str]:
    """Fields whose value the host cannot serialise, with the offending type's name."""
    problems: dict[str, str] = {}

    def kind_of(value: Any) -> str | None:
        if isinstance(value, _STORABLE_LEAVES):
            return None
        if isinstance(value, list | tuple):
            return next((k for k in map(kind_of, value) if k), None)
        if isinstance(value, dict):
            if not all(isinstance(key, str) for key in value):
                return "dict with non-text keys"
            return next((k for k in map(kind_of, value.values()) if k), None)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return None
        return type(value).__name__

    for field, value in dumped.items():
        kind = kind_of(value)
        if kind:
            problems[field] = kind
    return problems


def dump_set_fields(instance: BaseModel) -> dict[str, Any]:
    """``model_dump(exclude_unset=True)`` as JSON data, secrets kept (not masked) so they can be stored."""
    return dict(to_jsonable_python(reveal(instance.model_dump(exclude_unset=True))))


def surviving_valves(
    model: type[BaseModel] | None, stored: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Split stored values into those that still validate against ``model`` and those that do not.

    Returns ``(kept, dropped)`` where ``dropped`` maps each field to the reason, so a code change never
    drops a value silently.
    """
    if not stored:
        return {}, {}
    if model is None:
        return {}, {name: "the function no longer has this valves class" for name in stored}
    fields = model.model_fields
    kept = {k: v for k, v in stored.items() if k in fields}
    dropped = {k: "no longer a field" for k in stored if k not in fields}
    for _ in range(len(kept) + 1):
        try:
            instance = model(**kept)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err.get("loc")}
            reasons = pydantic_errors(exc, model, kept)
            culprits = bad & set(kept)
            if not culprits:
                return {}, {**dropped, **{k: "the valves no longer validate" for k in kept}}
            for name in culprits:
                reason = next((r for loc, r in reasons.items() if loc.split(".")[0] == name), "invalid")
                dropped[name] = reason
                kept.pop(name)
        except Exception as exc:
            reason = mask_text(str(exc), secret_values(model, kept))
            return {}, {**dropped, **{k: f"the valves no longer validate: {reason}" for k in kept}}
        else:
            return dump_set_fields(instance), dropped
    return {}, dropped
