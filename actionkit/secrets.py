"""Which valve fields are secrets, and masking them in every text and HTML output."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, SecretBytes, SecretStr

MASK = "••••••"


def secret_fields(model: type[BaseModel] | None) -> frozenset[str]:
    """Fields typed ``SecretStr``/``SecretBytes``, marked ``writeOnly``/``format: password`` in the
    schema, or carrying Open WebUI's ``json_schema_extra={"input": {"type": "password"}}``."""
    if model is None:
        return frozenset()
    names = set()
    for name, info in model.model_fields.items():
        annotation_text = repr(info.annotation)
        if info.annotation in (SecretStr, SecretBytes) or "Secret" in annotation_text:
            names.add(name)
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        widget = extra.get("input")
        password_input = isinstance(widget, dict) and widget.get("type") == "password"
        if password_input or extra.get("writeOnly") or extra.get("format") == "password":
            names.add(name)
    return frozenset(names)


def masked(values: dict[str, Any], secrets: frozenset[str]) -> dict[str, Any]:
    """A copy of ``values`` with every non-empty secret replaced by a mask."""
    return {k: (MASK if k in secrets and v not in (None, "") else v) for k, v in values.items()}


def reveal(value: Any) -> Any:
    """``value`` with every ``SecretStr``/``SecretBytes`` inside replaced by its secret value."""
    if isinstance(value, SecretStr | SecretBytes):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return value


def mask_text(text: str, secrets: frozenset[str]) -> str:
    """``text`` with every occurrence of a secret value replaced by the mask."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text
