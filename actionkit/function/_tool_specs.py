"""The specs of a Tool's methods, built exactly as open-webui 0.12.4 builds them.

Two lists exist in the host. The *stored* specs (``utils/tools.get_tool_specs``, written to the
tool's ``specs`` column when it is created or updated): every public callable of the instance in
``dir()`` order, each turned into a pydantic model (``create_model`` over the signature and type
hints, ``:param name:`` lines as field descriptions, the docstring's text before the first
``:param``/``:return`` line, stripped, as the model's doc), then into an OpenAI function by
langchain-core's ``convert_to_openai_function`` (``$ref`` inlined, titles removed), then cleaned
(``Optional[X]`` collapsed to ``X``, ``None`` defaults dropped, a type-less schema made a string).
And the *model-facing* specs ``get_tools`` makes of them for each chat: ``'str'`` types renamed,
reserved ``__x__`` properties removed, the description replaced by the raw docstring split once at
the first ``:param``/``:return`` (indentation kept), or by the method name without a docstring.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from typing import Any, get_type_hints

from pydantic import BaseModel, Field, create_model

_PARAM_LINE = re.compile(r":param (\w+):\s*(.*)")
_DESCRIPTION_SPLIT = re.compile(":(param|return)")


def functions_of(instance: Any) -> list[Callable[..., Any]]:
    """``get_functions_from_tool``: every public callable attribute that is not a class, in
    ``dir()`` order (bound methods, static and class methods, callable attributes)."""
    return [
        getattr(instance, name)
        for name in dir(instance)
        if callable(getattr(instance, name))
        and not name.startswith("_")
        and not inspect.isclass(getattr(instance, name))
    ]


def parse_description(docstring: str | None) -> str:
    """The stored description: stripped lines up to the first one starting ``:param``/``:return``."""
    if not docstring:
        return ""
    lines = [line.strip() for line in docstring.strip().split("\n")]
    kept: list[str] = []
    for line in lines:
        if re.match(r":param", line) or re.match(r":return", line):
            break
        kept.append(line)
    return "\n".join(kept)


def parse_docstring(docstring: str | None) -> dict[str, str]:
    """Parameter descriptions from reST ``:param name: text`` lines (continuation lines joined with
    a newline; reserved ``__x__`` names ignored)."""
    if not docstring:
        return {}
    found: dict[str, str] = {}
    current: str | None = None
    for raw in docstring.splitlines():
        line = raw.strip()
        match = _PARAM_LINE.match(line)
        if match:
            name, text = match.groups()
            current = None if name.startswith("__") else name
            if current:
                found[current] = text
            continue
        if line.startswith(":"):
            current = None
            continue
        if current and line:
            found[current] = "\n".join(filter(None, [found[current], line]))
    return found


def function_model(func: Callable[..., Any]) -> type[BaseModel]:
    """``convert_function_to_pydantic_model``: one field per parameter (untyped ones ``Any``)."""
    hints = get_type_hints(func)
    signature = inspect.signature(func)
    doc = func.__doc__
    descriptions = parse_docstring(doc)
    fields: dict[str, Any] = {}
    for name, parameter in signature.parameters.items():
        hint = hints.get(name, Any)
        default = parameter.default if parameter.default is not parameter.empty else ...
        description = descriptions.get(name)
        if description:
            fields[name] = (hint, Field(default, description=description))
        else:
            fields[name] = (hint, default)
    model: type[BaseModel] = create_model(func.__name__, **fields)
    model.__doc__ = parse_description(doc)
    return model


def _retrieve(path: str, schema: dict[str, Any]) -> Any:
    parts = path.split("/")
    if parts[0] != "#":
        raise ValueError("ref paths are expected to be URI fragments, meaning they should start with #.")
    node: Any = schema
    for part in parts[1:]:
        if part in node:
            if isinstance(node, list):
                raise KeyError(f"Reference '{path}' not found.")
            node = node[part]
        elif part.isdigit() and (
            (isinstance(node, list) and 0 <= int(part) < len(node))
            or (isinstance(node, dict) and int(part) in node)
        ):
            node = node[int(part)]
        else:
            raise KeyError(f"Reference '{path}' not found.")
    return copy.deepcopy(node)


def _dereference(value: Any, full: dict[str, Any], seen: set[str]) -> Any:
    """langchain-core's ``dereference_refs`` with its defaults (``$defs`` copied as it is, a ``$ref``
    already being resolved kept as its other keys only, so cycles end)."""
    if isinstance(value, dict) and "$ref" in value:
        path = value["$ref"]
        others = {k: v for k, v in value.items() if k != "$ref"}
        if path in seen:
            return _dereference_dict(others, full, seen)
        seen.add(path)
        resolved = _dereference(copy.deepcopy(_retrieve(path, full)), full, seen)
        seen.remove(path)
        if not others:
            return resolved
        merged: dict[str, Any] = dict(resolved) if isinstance(resolved, dict) else {}
        merged.update(_dereference_dict(others, full, seen))
        return merged
    if isinstance(value, dict):
        return _dereference_dict(value, full, seen)
    if isinstance(value, list):
        return [_dereference(item, full, seen) for item in value]
    return value


def _dereference_dict(value: dict[str, Any], full: dict[str, Any], seen: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "$defs":
            out[key] = copy.deepcopy(item)
        elif isinstance(item, dict | list):
            out[key] = _dereference(item, full, seen)
        else:
            out[key] = item
    return out


def _remove_titles(schema: dict[str, Any], parent: str = "") -> dict[str, Any]:
    """langchain-core's ``_rm_titles``: a ``title`` key goes unless it names a property."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title":
            if isinstance(value, dict) and parent == "properties":
                out[key] = _remove_titles(value, key)
        elif isinstance(value, dict):
            out[key] = _remove_titles(value, key)
        else:
            out[key] = value
    return out


def openai_function(model: type[BaseModel]) -> dict[str, Any]:
    """``convert_to_openai_function(model)``: ``{name, description, parameters}``."""
    schema = model.model_json_schema()
    schema = _dereference(schema, schema, set())
    schema.pop("definitions", None)
    schema.pop("$defs", None)
    title = schema.pop("title", "")
    description = schema.pop("description", "")
    return {"name": title, "description": description, "parameters": _remove_titles(schema)}


def _clean(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    if "anyOf" in schema:
        non_null = [t for t in schema["anyOf"] if t.get("type") != "null"]
        if len(non_null) == 1:
            schema.update(non_null[0])
            del schema["anyOf"]
        else:
            schema["anyOf"] = non_null
    if "default" in schema and schema["default"] is None:
        del schema["default"]
    if "type" not in schema and "anyOf" not in schema and "properties" not in schema:
        schema["type"] = "string"
    if "properties" in schema:
        for item in schema["properties"].values():
            _clean(item)
    if "items" in schema:
        _clean(schema["items"])


def stored_specs(instance: Any) -> list[dict[str, Any]]:
    """``get_tool_specs(instance)``: the specs the host stores for a tool. Raises what the host's
    create handler raises (an unresolvable annotation, a callable without ``__name__`` ...)."""
    specs = []
    for func in functions_of(instance):
        spec = openai_function(function_model(func))
        cleaned = copy.deepcopy(spec)
        if "parameters" in cleaned:
            _clean(cleaned["parameters"])
        specs.append(cleaned)
    return specs


def model_facing(spec: dict[str, Any], doc: str | None) -> dict[str, Any]:
    """What ``get_tools`` makes of one stored spec, for a method whose ``__doc__`` is ``doc``."""
    spec = copy.deepcopy(spec)
    properties = spec.get("parameters", {}).get("properties", {})
    for value in properties.values():
        if value.get("type") == "str":
            value["type"] = "string"
    spec["parameters"]["properties"] = {k: v for k, v in properties.items() if not k.startswith("__")}
    if doc and doc.strip() != "":
        spec["description"] = _DESCRIPTION_SPLIT.split(doc, maxsplit=1)[0]
    else:
        spec["description"] = spec["name"]
    return spec
