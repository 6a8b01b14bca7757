"""Text <-> value for form fields, validation with readable messages, and masked summaries."""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ValvesError
from ..function import stored_valves
from ..secrets import MASK
from ..view import safe_repr
from ._fields import FieldSpec


class InputError(ValueError):
    """What a person typed cannot become a value for the field; the message says what to type."""


def parse_number(spec: FieldSpec, text: str) -> int | float:
    raw = text.strip().replace("_", "")
    if not raw:
        raise InputError("enter a number" if spec.number == "float" else "enter a whole number")
    if spec.number == "int":
        try:
            return int(raw)
        except ValueError:
            pass
        try:
            as_float = float(raw)
        except ValueError:
            raise InputError(f"enter a whole number, like 3 (got {_short(text)})") from None
        if as_float.is_integer():
            return int(as_float)
        raise InputError(f"enter a whole number, without decimals (got {_short(text)})")
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"enter a number, like 0.5 (got {_short(text)})") from None
    if math.isnan(value) or math.isinf(value):
        raise InputError(f"enter a finite number (got {_short(text)})")
    return value


def parse_json(text: str) -> Any:
    if not text.strip():
        raise InputError("enter a JSON value, like {} or []")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def format_number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return repr(value)


def format_json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        return repr(value)


def validate(
    model: type[BaseModel], custom: dict[str, Any], *, secret: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Validate the explicitly set values the way the host saves them (``None`` dropped);
    returns ``{field: message}`` (nested fields as ``group.child``), empty when valid."""
    try:
        model(**{k: v for k, v in custom.items() if v is not None})
    except ValidationError as exc:
        return friendly_errors(exc, secret=secret)
    except Exception as exc:  # a validator that raised something else
        return {"(form)": _strip_prefix(str(exc))}
    return _unstorable(model, custom)


SECRETSTR_ADVICE = (
    "Open WebUI 0.12.4 cannot store a {kind} (its save answers OK but stores nothing): declare the "
    'field as str with json_schema_extra={{"input": {{"type": "password"}}}}'
)


def default_problems(model: type[BaseModel]) -> dict[str, str]:
    """Fields whose own default breaks their rules (pydantic does not check defaults, so Open WebUI
    runs with such a default until it is set, and refuses it when it is saved): ``{field: why}``."""
    problems: dict[str, str] = {}
    try:
        blank = model.model_construct()
    except Exception:
        return problems
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        try:
            default = info.get_default(call_default_factory=True)
            model.__pydantic_validator__.validate_assignment(blank, name, default)
        except ValidationError as exc:
            errors = exc.errors()
            why = friendly_message(dict(errors[0]), hide_input=True) if errors else "invalid"
            problems[name] = f"the default {_short(default)} breaks this field's own rule ({why})"
        except Exception:
            continue
    return problems


def noted_bad_defaults(model: type[BaseModel], specs: list[FieldSpec]) -> dict[str, str]:
    """:func:`default_problems` of the non-secret fields, each also noted on its field's spec."""
    secret = {spec.name for spec in specs if spec.secret}
    bad = {name: why for name, why in default_problems(model).items() if name not in secret}
    for spec in specs:
        if spec.name in bad:
            spec.notes.append(
                f"⚠ {bad[spec.name]}: Open WebUI runs with it while the field is not set, "
                "and refuses it on save"
            )
    return bad


def secret_paths(specs: list[FieldSpec], prefix: str = "") -> list[str]:
    """The dotted paths of the secret fields (nested groups included)."""
    paths = []
    for spec in specs:
        if spec.secret:
            paths.append(prefix + spec.name)
        paths.extend(secret_paths(spec.children, f"{prefix}{spec.name}."))
    return paths


def _unstorable(model: type[BaseModel], custom: dict[str, Any]) -> dict[str, str]:
    """Valid values the host still cannot store (e.g. a set ``SecretStr``), per field."""
    try:
        stored_valves(model, {k: v for k, v in custom.items() if v is not None})
    except ValvesError as exc:
        messages = {}
        for field, reason in exc.errors.items():
            kind = reason.removeprefix("a ").split(" cannot")[0] if "cannot be stored" in reason else ""
            messages[field] = SECRETSTR_ADVICE.format(kind=kind) if kind else reason
        return messages
    return {}


def friendly_errors(exc: ValidationError, *, secret: frozenset[str] = frozenset()) -> dict[str, str]:
    result: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if not isinstance(part, int)]
        key = ".".join(loc) or "(form)"
        hide = bool(loc) and loc[0] in secret
        result.setdefault(key, friendly_message(dict(err), hide_input=hide))
    return result


def friendly_message(err: dict[str, Any], *, hide_input: bool = False) -> str:
    """One pydantic error in plain words (the typed value is never echoed for secrets)."""
    kind = str(err.get("type", ""))
    ctx: dict[str, Any] = err.get("ctx") or {}
    given = ""
    if not hide_input and "input" in err:
        raw = err["input"]
        shown = _compact(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        given = f" (got {shown if shown is not None else _short(raw)})"
    simple = {
        "missing": "required: enter a value",
        "int_parsing": f"enter a whole number, like 3{given}",
        "int_type": f"enter a whole number, like 3{given}",
        "int_from_float": f"enter a whole number, without decimals{given}",
        "float_parsing": f"enter a number, like 0.5{given}",
        "float_type": f"enter a number, like 0.5{given}",
        "finite_number": "enter a finite number",
        "bool_parsing": "choose on or off",
        "bool_type": "choose on or off",
        "string_type": "enter text",
        "list_type": 'must be a list, like ["a", "b"]',
        "dict_type": 'must be an object, like {"key": "value"}',
        "model_type": 'must be an object, like {"key": "value"}',
        "model_attributes_type": 'must be an object, like {"key": "value"}',
        "json_invalid": "not valid JSON",
        "extra_forbidden": "not a field of these valves",
    }
    if kind in simple:
        return simple[kind]
    bounds = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be more than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
        "multiple_of": ("must be a multiple of", "multiple_of"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{words} {_compact(ctx.get(key))}{given}"
    if kind in ("literal_error", "enum"):
        return f"choose one of: {ctx.get('expected', '')}{given}"
    if kind == "string_too_short":
        n = ctx.get("min_length")
        return f"must be at least {n} character{'s' if n != 1 else ''} long"
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"must be at most {n} character{'s' if n != 1 else ''} long"
    if kind in ("too_short", "too_long"):
        many = ctx.get("min_length" if kind == "too_short" else "max_length")
        bound = "least" if kind == "too_short" else "most"
        if ctx.get("field_type") in ("List", "Set", "Tuple", "Dictionary"):
            return f"must have at {bound} {many} items"
        return f"must be at {bound} {many} characters long"
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}"
    if kind in ("value_error", "assertion_error"):
        return _strip_prefix(str(err.get("msg", "invalid value")))
    return str(err.get("msg", "invalid value"))


def _compact(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _strip_prefix(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def summary(spec: FieldSpec, value: Any) -> str:
    """A one-line, deterministic rendering of a value for text output (secrets masked)."""
    if spec.secret:
        return MASK if value not in (None, "") else "(empty)"
    if spec.kind == "group" and isinstance(value, dict):
        return format_json(value)
    if spec.kind == "dropdown":
        for option in spec.options:
            if option.value == value and option.label != str(value):
                return f"{option.label} ({format_json(value)})"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:59] + '…"'
    if spec.number is not None:
        return format_number(value)
    return format_json(value)


def _short(value: Any) -> str:
    return safe_repr(value, limit=40)
