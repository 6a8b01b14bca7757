"""AK016: a valve named like a secret (``api_key``, ``OPENAI_API_KEY``, ``auth_header`` …) that Open
WebUI's valves form would show in plain text, because it has no password input."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..secrets import is_secret_name
from ._rules import Finding

_TEXT_TYPES = frozenset({"str", "bytes", "Any"})
_MAPPINGS = frozenset({"dict", "Dict", "Mapping"})
_SECRET_TYPES = frozenset({"SecretStr", "SecretBytes"})  # AK014 says what to use instead


def unmasked_secret_valves(valves_classes: list[tuple[str, ast.ClassDef]]) -> Iterator[Finding]:
    for class_name, model in valves_classes:
        for node in model.body:
            if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
                continue
            name = node.target.id
            if is_secret_name(name) and _holds_text(node.annotation) and not _password_marked(node.value):
                yield Finding(
                    "AK016",
                    node.lineno,
                    node.col_offset,
                    f"{class_name}.{name} looks like a secret but has no password input: Open WebUI's "
                    "valves form shows its value in plain text to anyone who opens it",
                    _fix(name, node),
                )


def _fix(name: str, node: ast.AnnAssign) -> str:
    extra = 'json_schema_extra={"input": {"type": "password"}}'
    value = node.value
    if isinstance(value, ast.Call) and _names(value.func) & {"Field"}:
        return f"add {extra} to its Field(...)"
    default = "" if value is None else f"{ast.unparse(value)}, "
    return f"declare it as {name}: {ast.unparse(node.annotation)} = Field({default}{extra})"


def _names(annotation: ast.AST) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(annotation)
        if isinstance(n, ast.Name | ast.Attribute)
    }


def _holds_text(annotation: ast.AST) -> bool:
    outer = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(outer, ast.Name | ast.Attribute) and _names(outer) & _MAPPINGS:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):  # "str" as text
        return annotation.value in _TEXT_TYPES
    names = _names(annotation)
    return bool(names & _TEXT_TYPES) and not names & _SECRET_TYPES


def _password_marked(value: ast.AST | None) -> bool:
    """A ``Field(...)`` whose ``json_schema_extra`` marks a password (or is not a literal to read)."""
    if not isinstance(value, ast.Call):
        return False
    for keyword in value.keywords:
        if keyword.arg != "json_schema_extra":
            continue
        if not isinstance(keyword.value, ast.Dict):
            return True  # built elsewhere: cannot tell, so no finding
        texts = {n.value for n in ast.walk(keyword.value) if isinstance(n, ast.Constant)}
        return "password" in texts or "writeOnly" in texts
    return False
