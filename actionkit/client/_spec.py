"""Valves checked against the schema a server serves for them (``GET …/valves/spec``).

The server's ``Valves`` can differ from the one loaded here (options built from its environment, other
library versions), and its refusal names no field. Checking against its own schema first names the
field and what the server allows, without ever quoting a secret value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..view import safe_repr

if TYPE_CHECKING:
    from jsonschema import ValidationError

# How each JSON-schema keyword's limit reads in a sentence.
_LIMITS = {
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
    "minLength": "at least {} characters long",
    "maxLength": "at most {} characters long",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "multipleOf": "a multiple of {}",
    "pattern": "text matching {!r}",
    "type": "of type {}",
}


def spec_problems(spec: Any, valves: dict[str, Any], secrets: Iterable[str] = ()) -> dict[str, str]:
    """``{field: what the server allows}`` for each value of ``valves`` its schema refuses (values of
    ``secrets`` never quoted); ``{}`` when they fit or the server serves no schema."""
    import jsonschema
    import referencing.exceptions

    if not isinstance(spec, dict) or not isinstance(spec.get("properties"), dict):
        return {}
    hidden = set(secrets)
    known = spec["properties"]
    problems = {
        name: "the server's Valves has no such field (it would drop the value)"
        for name in valves
        if name not in known
    }
    try:
        validator = jsonschema.validators.validator_for(spec)(spec)
        errors = list(validator.iter_errors({k: v for k, v in valves.items() if k in known}))
    except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable):
        return problems  # a schema this checker cannot read: the server alone decides
    for error in errors:
        path = list(error.absolute_path)
        name = str(path[0]) if path else "(valves)"
        given = "" if name in hidden or not path else f" (got {safe_repr(error.instance, limit=60)})"
        problems.setdefault(name, _allowed(error) + given)
    return problems


def _allowed(error: ValidationError) -> str:
    options = _options(error)
    if options is not None:
        return "the server allows " + ", ".join(safe_repr(option, limit=40) for option in options)
    if error.validator in ("anyOf", "oneOf") and error.context:
        return "the server wants " + " or ".join(dict.fromkeys(_wanted(sub) for sub in error.context))
    return "the server wants " + _wanted(error)


def _wanted(error: ValidationError) -> str:
    limit = _LIMITS.get(str(error.validator))
    if limit is None:
        return f"a value its schema accepts ({error.validator})"
    return "a value " + limit.format(error.validator_value)


def _options(error: ValidationError) -> list[Any] | None:
    """The values an ``enum``/``const`` allows, also inside ``anyOf``/``oneOf`` (``None`` for null)."""
    if error.validator == "enum" and isinstance(error.validator_value, list):
        return list(error.validator_value)
    if error.validator == "const":
        return [error.validator_value]
    if error.validator in ("anyOf", "oneOf") and error.context:
        found: list[Any] = []
        for sub in error.context:
            if sub.validator == "type" and sub.validator_value == "null":
                found.append(None)
                continue
            options = _options(sub)
            if options is None:
                return None
            found += [o for o in options if o not in found]
        return found
    return None
