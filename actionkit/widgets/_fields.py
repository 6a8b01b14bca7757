"""From a ``Valves``/``UserValves`` model to a list of form fields (no widgets here).

Each pydantic field becomes a :class:`FieldSpec` that says which control edits it, read from the
field's annotation plus the model's JSON schema and Open WebUI's ``json_schema_extra={"input": ...}``
hints. Select options given as a method name are resolved as open-webui 0.12.4's
``resolve_valves_schema_options`` does.
"""

from __future__ import annotations

import copy
import enum
import inspect
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretBytes, SecretStr, create_model
from pydantic_core import PydanticUndefined, to_jsonable_python

from ..secrets import is_secret_field

Kind = Literal[
    "checkbox",
    "slider",
    "number",
    "text",
    "textarea",
    "dropdown",
    "password",
    "tags",
    "json",
    "group",
    "color",
]

# Strings longer than this (or with a line break) get a multi-line box.
LONG_TEXT = 80


@dataclass(frozen=True)
class Option:
    """One dropdown entry: what the person sees and the value stored."""

    label: str
    value: Any


@dataclass
class FieldSpec:
    """How one valve field is edited."""

    name: str
    title: str
    kind: Kind
    description: str = ""
    required: bool = False
    optional: bool = False  # Optional[...]: None is allowed and means "not set"
    has_default: bool = False
    default: Any = None  # JSON-able default (secrets unmasked: never display it)
    number: Literal["int", "float"] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    step: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    options: list[Option] = field(default_factory=list)
    secret: bool = False
    children: list[FieldSpec] = field(default_factory=list)
    model: type[BaseModel] | None = None  # the nested model of a group
    notes: list[str] = field(default_factory=list)  # why a hint was not honoured, etc.

    @property
    def label(self) -> str:
        return f"{self.title} *" if self.required else self.title

    def bounds_text(self) -> str:
        """``"0 ≤ x ≤ 2"``-style summary of the numeric bounds ("" without bounds)."""
        low = high = ""
        if self.minimum is not None:
            low = f"{_num(self.minimum)} {'<' if self.exclusive_minimum else '≤'} "
        if self.maximum is not None:
            high = f" {'<' if self.exclusive_maximum else '≤'} {_num(self.maximum)}"
        return f"{low}x{high}" if low or high else ""


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def field_specs(model: type[BaseModel], *, user: dict[str, Any] | None = None) -> list[FieldSpec]:
    """The form fields of ``model`` in declaration order.

    ``user`` is the user dict handed to option methods that accept ``__user__`` or ``user``.
    """
    schema, broken = _schema(model)
    schema = resolve_valves_schema_options(model, schema, user)
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    defs: dict[str, Any] = schema.get("$defs", {})
    specs = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        prop = _deref(properties.get(key, {}), defs)
        spec = _field_spec(name, info, prop, defs, required=key in required, user=user)
        if name in broken:
            spec.notes.append(broken[name])
        specs.append(spec)
    return specs


def resolve_valves_schema_options(
    valves_class: type[BaseModel], schema: dict[str, Any], user: dict[str, Any] | None = None
) -> dict[str, Any]:
    """open-webui 0.12.4 ``utils/plugin.py`` logic: ``input.options`` given as a list is used as is;
    a string names a callable on the class, called with ``__user__``/``user`` when it takes them and
    a user is known; anything that fails or is not a list leaves the schema unchanged."""
    if not schema or "properties" not in schema:
        return schema
    schema = dict(schema)
    schema["properties"] = dict(schema.get("properties", {}))
    for prop_name, prop_schema in list(schema["properties"].items()):
        info = valves_class.model_fields.get(prop_name)
        if info is None:
            continue
        extra = info.json_schema_extra
        if not extra or not isinstance(extra, dict):
            continue
        input_config = extra.get("input")
        if not input_config or not isinstance(input_config, dict):
            continue
        options = input_config.get("options")
        if options is None:
            continue
        if isinstance(options, list):
            resolved: Any = options
        elif isinstance(options, str) and options:
            method = getattr(valves_class, options, None)
            if method is None or not callable(method):
                continue
            try:
                params = inspect.signature(method).parameters
                kwargs = {}
                if "__user__" in params and user is not None:
                    kwargs["__user__"] = user
                if "user" in params and user is not None:
                    kwargs["user"] = user
                resolved = method(**kwargs) if kwargs else method()
            except Exception:
                continue
            if not isinstance(resolved, list):
                continue
        else:
            continue
        new_prop = dict(prop_schema)
        new_prop["input"] = dict(new_prop.get("input") or {"type": "select"})
        new_prop["input"]["options"] = resolved
        schema["properties"][prop_name] = new_prop
    return schema


# -- schema helpers -------------------------------------------------------------------------------


def _schema(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, str]]:
    """The model's JSON schema; when a field's ``json_schema_extra`` is not JSON (a function object,
    say) the host cannot serve the schema at all, so the offending fields are reported and the
    schema is built from a copy without them."""
    try:
        return model.model_json_schema(), {}
    except Exception:
        pass
    broken: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        clone = copy.copy(info)
        if info.json_schema_extra is not None and not callable(info.json_schema_extra):
            try:
                to_jsonable_python(info.json_schema_extra)
            except Exception:
                clone.json_schema_extra = _jsonable_only(info.json_schema_extra)
                broken[name] = (
                    "json_schema_extra holds a value that is not JSON (e.g. a function object): "
                    "Open WebUI 0.12.4 cannot send this valves form; name a method of the class "
                    'as a string instead (options="get_options")'
                )
        fields[name] = (info.annotation, clone)
    try:
        safe: type[BaseModel] = create_model(model.__name__, **fields)
        return safe.model_json_schema(), broken
    except Exception:
        return {"properties": {}}, broken


def _jsonable_only(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable_only(v) for k, v in value.items() if _is_jsonable(v)}
    return value


def _is_jsonable(value: Any) -> bool:
    try:
        to_jsonable_python(value)
    except Exception:
        return False
    return True


def _deref(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = defs.get(ref.split("/")[-1], {})
        merged = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
        return merged
    return prop


def _branch(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an ``anyOf`` (Optional[...]) with the property's own keys on top."""
    any_of = prop.get("anyOf")
    if not isinstance(any_of, list):
        return prop
    branches = [_deref(b, defs) for b in any_of if isinstance(b, dict) and b.get("type") != "null"]
    if len(branches) != 1:
        return prop
    return {**branches[0], **{k: v for k, v in prop.items() if k != "anyOf"}}


# -- annotation helpers ---------------------------------------------------------------------------


def _split_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        if len(rest) < len(args):
            if len(rest) == 1:
                return rest[0], True
            return typing.Union[tuple(rest)], True  # noqa: UP007 - built at runtime
    return annotation, False


def _is_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _default(info: Any) -> tuple[bool, Any]:
    if info.default is not PydanticUndefined:
        value = info.default
    elif info.default_factory is not None:
        try:
            value = info.default_factory()
        except Exception:
            return False, None
    else:
        return False, None
    return True, _jsonable(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, SecretStr | SecretBytes):
        return _jsonable(value.get_secret_value())
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump())
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    try:
        return to_jsonable_python(value)
    except Exception:  # not JSON: name it without its (address-bearing) repr
        return f"<{type(value).__name__} object>"


def _field_spec(
    name: str,
    info: Any,
    prop: dict[str, Any],
    defs: dict[str, Any],
    *,
    required: bool,
    user: dict[str, Any] | None,
) -> FieldSpec:
    inner, optional = _split_optional(info.annotation)
    branch = _branch(prop, defs)
    has_default, default = _default(info)
    spec = FieldSpec(
        name=name,
        title=str(prop.get("title") or info.title or name.replace("_", " ").title()),
        kind="json",
        description=str(prop.get("description") or info.description or ""),
        required=required,
        optional=optional,
        has_default=has_default,
        default=default,
    )
    hints = prop.get("input") if isinstance(prop.get("input"), dict) else {}
    input_type = hints.get("type") if isinstance(hints, dict) else None
    secret = (
        is_secret_field(name, info)
        or bool(prop.get("writeOnly") or branch.get("writeOnly"))
        or input_type == "password"
    )
    spec.secret = secret
    if secret and inner in (str, bytes, SecretStr, SecretBytes):
        spec.kind, spec.secret = "password", True
        if inspect.isclass(inner) and issubclass(inner, SecretStr | SecretBytes):
            spec.notes.append(
                f"Open WebUI 0.12.4 cannot store a {inner.__name__} value: only its default works "
                'there; use str with json_schema_extra={"input": {"type": "password"}}'
            )
        _lengths(spec, branch)
        return spec
    options = hints.get("options") if isinstance(hints, dict) else None
    if input_type == "select" or options is not None:
        if isinstance(options, list):
            spec.kind = "dropdown"
            spec.options = [_option(o) for o in options]
            return spec
        spec.notes.append(
            f"select options {options!r} did not resolve to a list the way Open WebUI resolves them "
            "(a list, or the name of a method of the Valves class returning a list); "
            "shown as a text box"
        )
    if inner is bool:
        spec.kind = "checkbox"
    elif inner is int or inner is float:
        _numbers(spec, branch, "int" if inner is int else "float")
    elif get_origin(inner) is Literal:
        spec.kind = "dropdown"
        spec.options = [Option(str(v), v) for v in get_args(inner)]
    elif inspect.isclass(inner) and issubclass(inner, enum.Enum):
        spec.kind = "dropdown"
        spec.options = [Option(str(m.value), _jsonable(m.value)) for m in inner]
    elif inner is str:
        spec.kind = "text"
        if input_type == "color":
            spec.kind = "color"
        elif input_type == "textarea" or (
            isinstance(default, str) and ("\n" in default or len(default) > LONG_TEXT)
        ):
            spec.kind = "textarea"
        _lengths(spec, branch)
    elif get_origin(inner) in (list, typing.List) and get_args(inner) in ((str,), ()):  # noqa: UP006
        spec.kind = "tags" if get_args(inner) == (str,) else "json"
    elif _is_model(inner):
        spec.kind = "group"
        spec.model = inner
        spec.children = field_specs(inner, user=user)
    return spec


def _numbers(spec: FieldSpec, prop: dict[str, Any], number: Literal["int", "float"]) -> None:
    spec.number = number
    for key, excl_key, attr in (
        ("minimum", "exclusiveMinimum", "minimum"),
        ("maximum", "exclusiveMaximum", "maximum"),
    ):
        if isinstance(prop.get(key), int | float):
            setattr(spec, attr, prop[key])
        elif isinstance(prop.get(excl_key), int | float):
            bound = prop[excl_key]
            if number == "int":  # an exclusive integer bound is the next integer, inclusive
                bound = bound + 1 if attr == "minimum" else bound - 1
                setattr(spec, attr, int(bound))
            else:
                setattr(spec, attr, bound)
                setattr(spec, f"exclusive_{attr}", True)
    if isinstance(prop.get("multipleOf"), int | float):
        spec.step = prop["multipleOf"]
    if spec.minimum is not None and spec.maximum is not None and spec.maximum > spec.minimum:
        spec.kind = "slider"
        if spec.step is None:
            spec.step = 1 if number == "int" else _float_step(spec.minimum, spec.maximum)
    else:
        spec.kind = "number"


def _float_step(low: float, high: float) -> float:
    """A round step giving about 100 to 1000 positions: 0..1 -> 0.01, 0..10 -> 0.1."""
    return float(10 ** (math.floor(math.log10(high - low)) - 2))


def _lengths(spec: FieldSpec, prop: dict[str, Any]) -> None:
    if isinstance(prop.get("minLength"), int):
        spec.min_length = prop["minLength"]
    if isinstance(prop.get("maxLength"), int):
        spec.max_length = prop["maxLength"]


def _option(entry: Any) -> Option:
    """An option as Open WebUI's select reads it: a plain value or ``{"value", "label"}``."""
    if isinstance(entry, dict) and "value" in entry:
        return Option(str(entry.get("label", entry["value"])), entry["value"])
    return Option(str(entry), entry)
