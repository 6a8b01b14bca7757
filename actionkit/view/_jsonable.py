"""Deterministic JSON-able copies of whatever a function returns or emits (for display and snapshots)."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import marshal
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from ..secrets import MASK, mask_text

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_MAX_DEPTH = 40


def copied(value: Any) -> Any:
    """A deep copy of what a function gave or got (C speed for plain JSON-like data); the value
    itself when it cannot be copied."""
    try:
        return marshal.loads(marshal.dumps(value))
    except (ValueError, TypeError, EOFError):
        pass
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def without_addresses(text: str) -> str:
    """``repr`` text with memory addresses (`` at 0x7f…``) removed, so it is stable across runs."""
    return _ADDRESS.sub("", text)


def jsonable(value: Any, secrets: Iterable[str] = (), _depth: int = 0) -> Any:
    """A JSON-able copy of ``value``: containers recursed, pydantic models dumped, secrets masked,
    anything else as its address-free ``repr``. Never raises."""
    secret_set = secrets if isinstance(secrets, frozenset) else frozenset(s for s in secrets if s)
    return _convert(value, secret_set, _depth, set())


def _convert(value: Any, secrets: frozenset[str], depth: int, seen: set[int]) -> Any:
    if depth > _MAX_DEPTH:
        return "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return mask_text(value, secrets)
    if _is_secret(value):
        return MASK
    if isinstance(value, bytes | bytearray):
        return mask_text(bytes(value).decode("utf-8", "replace"), secrets)
    if id(value) in seen:
        return "<cycle>"
    if isinstance(value, Mapping):
        seen = seen | {id(value)}
        return {str(k): _convert(v, secrets, depth + 1, seen) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        seen = seen | {id(value)}
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [_convert(v, secrets, depth + 1, seen) for v in items]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return _convert(value.value, secrets, depth + 1, seen)
    dumped = _model_dump(value)
    if dumped is not None:
        return _convert(dumped, secrets, depth + 1, seen | {id(value)})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        try:
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        except Exception:
            fields = None
        if fields is not None:
            return _convert(fields, secrets, depth + 1, seen | {id(value)})
    return mask_text(safe_repr(value), secrets)


def _is_secret(value: Any) -> bool:
    return type(value).__name__ in ("SecretStr", "SecretBytes") and hasattr(value, "get_secret_value")


def _model_dump(value: Any) -> dict[str, Any] | None:
    if isinstance(value, type):
        return None
    dump = getattr(value, "model_dump", None)
    if dump is None or not callable(dump):
        return None
    try:
        result = dump()
    except Exception:
        return None
    if not isinstance(result, dict):
        return None
    # Keep secrets as objects so they get masked, not revealed.
    return {name: getattr(value, name, item) for name, item in result.items()}


def safe_repr(value: Any, limit: int = 2000) -> str:
    """``repr`` without addresses that never raises and is at most ``limit`` characters."""
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<{type(value).__name__} (repr failed: {type(exc).__name__})>"
    text = without_addresses(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
