"""The JSON text Open WebUI 0.12.4 writes into SSE lines (``JSONCodec.dumps``).

0.12.4 enables orjson by default: compact output, raw UTF-8, ``NaN``/``Infinity`` as ``null``,
``datetime``/``UUID``/dataclasses/enums serialised, and the line separators U+2028, U+2029 and U+0085
escaped. Whatever orjson rejects (non-string keys, integers beyond 64 bits, lone surrogates) falls
back to the standard library's default formatting. orjson is used when installed; otherwise this
module reproduces its output, float spelling included (``1e-7``, ``0.00001``, ``1e+16``).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import math
import uuid
from decimal import Decimal
from typing import Any

try:  # pragma: no cover - depends on the environment
    import orjson as _orjson  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover
    _orjson = None

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=None)
encode_string = json.JSONEncoder(ensure_ascii=False).encode
_LINE_SEPARATORS = ("\u2028", "\u2029", "\x85")
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1


def _escape_separators(text: str) -> str:
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    return text


def host_dumps(obj: Any) -> str:
    """``JSONCodec.dumps(obj)`` of open-webui 0.12.4 (orjson mode, the default)."""
    if _orjson is not None:
        try:
            return _escape_separators(_orjson.dumps(obj).decode("utf-8"))
        except (TypeError, ValueError):
            return json.dumps(obj)
    try:
        prepared = _prepare(obj, 0)
    except _Fallback:
        return json.dumps(obj)
    text = _COMPACT.encode(prepared)
    if "e" in text and _has_exponent_float(prepared):
        text = _encode(prepared)
    return _escape_separators(text)


def orjson_float(value: float) -> str:
    """A finite float spelled as orjson spells it: Python's shortest digits, but ``1e-7`` (not
    ``1e-07``) and plain decimals down to ``1e-5``."""
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent_text = text.split("e")
    exponent = int(exponent_text)
    if -6 < exponent < 0:
        return format(Decimal(text), "f")
    return f"{mantissa}e-{-exponent}" if exponent < 0 else f"{mantissa}e+{exponent}"


def _has_exponent_float(value: Any) -> bool:
    if type(value) is float:
        return "e" in repr(value)
    if type(value) is dict:
        return any(_has_exponent_float(item) for item in value.values())
    if type(value) is list:
        return any(_has_exponent_float(item) for item in value)
    return False


def _encode(value: Any) -> str:
    """Compact JSON of prepared data with orjson's float spelling."""
    if type(value) is float:
        return orjson_float(value)
    if type(value) is dict:
        return "{" + ",".join(f"{encode_string(k)}:{_encode(v)}" for k, v in value.items()) + "}"
    if type(value) is list:
        return "[" + ",".join(_encode(item) for item in value) + "]"
    return str(_COMPACT.encode(value))


class _Fallback(Exception):
    """orjson would reject the value: the host falls back to the standard library."""


def _prepare(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        if type(value) is not str:
            value = str(value)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Fallback from None
        return value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise _Fallback
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if depth > 254:
        raise _Fallback
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Fallback
            out[_prepare(key, depth)] = _prepare(item, depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [_prepare(item, depth + 1) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return _prepare(value.value, depth + 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _prepare(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
    raise _Fallback


def host_loads(text: str) -> Any:
    """Parse one SSE payload as the host does (``JSONCodec.loads``)."""
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except (TypeError, ValueError):
            pass
    return json.loads(text)
