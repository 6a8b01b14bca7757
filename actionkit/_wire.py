"""The protocol between actionkit and a worker process that runs calls for it.

A worker is a Python process (possibly of another environment, such as an Open WebUI release's)
with actionkit importable. The two talk over one socket, one JSON object per line:

========================================  =========================================================
parent → worker                           worker → parent
========================================  =========================================================
                                          ``{"op": "hello", "protocol": 1, "info": {...}}`` once
                                          ``{"op": "ready"}`` (or ``failed``) when it can work
``{"op": "run", "id": n, "call": {...}}``
                                          ``{"op": "ask", "id": n, "name": s, "args": [...]}``: a
                                          question for a callable that stayed in the parent
``{"op": "answer", "id": n, "value": v}``
(or ``"error": {...}``)
                                          ``{"op": "done", "id": n, "value": v}`` or
                                          ``{"op": "failed", "id": n, "error": {...}}``
``{"op": "stop"}`` (or the socket closes)
========================================  =========================================================

Values that JSON cannot hold travel tagged (:func:`encode` / :func:`decode`): tuples, sets, bytes,
non-string keys, non-finite floats, dates, uuids and secret strings come back as themselves; any
other object comes back as a :class:`Remote` that shows the original's ``repr``. Errors travel as
their class name and attributes (:func:`encode_error` / :func:`decode_error`): an
:class:`~actionkit.errors.ActionkitError` comes back as the same class, anything else as an
exception of a class with the original's name.
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import json
import math
import socket
import threading
import traceback
import uuid
from typing import Any

from . import errors
from .view import jsonable, safe_repr

PROTOCOL = 1
TAG = "__ak__"


class Channel:
    """One end of the socket: whole JSON messages in, whole JSON messages out (thread-safe sends)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._reader = sock.makefile("rb")
        self._send_lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False, allow_nan=False) + "\n"
        with self._send_lock:
            self.sock.sendall(line.encode("utf-8"))

    def receive(self) -> dict[str, Any] | None:
        """The next message, or None once the other end has closed the socket."""
        try:
            line = self._reader.readline()
        except (OSError, ValueError):
            return None
        if not line:
            return None
        message: dict[str, Any] = json.loads(line)
        return message

    def close(self) -> None:
        for close in (self._reader.close, self.sock.close):
            with contextlib.suppress(OSError):
                close()


class Remote:
    """An object that could not cross the process boundary: its ``repr`` (and, for pydantic models
    and dataclasses, its data) as the other process had it."""

    def __init__(self, type_name: str, text: str, data: Any = None) -> None:
        self.type_name = type_name
        self.text = text
        self.data = data

    def model_dump(self) -> Any:
        if not isinstance(self.data, dict):
            raise TypeError(f"{self.type_name} has no data")
        return dict(self.data)

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Remote) and (other.type_name, other.text) == (self.type_name, self.text)

    def __hash__(self) -> int:
        return hash((self.type_name, self.text))


def encode(value: Any, _depth: int = 0) -> Any:
    """``value`` as JSON-able data that :func:`decode` turns back into it (see the module doc)."""
    if _depth > 60:
        return {TAG: "object", "type": type(value).__name__, "repr": "…"}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "float", "repr": repr(value)}
    depth = _depth + 1
    if isinstance(value, list):
        return [encode(item, depth) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and TAG not in value:
            return {key: encode(item, depth) for key, item in value.items()}
        return {TAG: "dict", "items": [[encode(k, depth), encode(v, depth)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [encode(item, depth) for item in value]}
    if isinstance(value, set | frozenset):
        kind = "set" if isinstance(value, set) else "frozenset"
        return {TAG: kind, "items": [encode(item, depth) for item in value]}
    if isinstance(value, bytes | bytearray):
        return {TAG: "bytes", "text": bytes(value).decode("latin-1")}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return {TAG: type(value).__name__, "iso": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {TAG: "uuid", "text": str(value)}
    if type(value).__name__ == "SecretStr" and hasattr(value, "get_secret_value"):
        return {TAG: "secret", "text": value.get_secret_value()}
    return _opaque(value, depth)


def _opaque(value: Any, depth: int) -> dict[str, Any]:
    data = None
    if not isinstance(value, type) and callable(getattr(value, "model_dump", None)):
        data = encode(jsonable(value), depth)
    return {TAG: "object", "type": type(value).__name__, "repr": safe_repr(value), "data": data}


_DATES: dict[str, Any] = {
    "datetime": datetime.datetime,
    "date": datetime.date,
    "time": datetime.time,
}


def decode(data: Any) -> Any:
    """The value :func:`encode` encoded."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    tag = data.get(TAG)
    if tag is None:
        return {key: decode(item) for key, item in data.items()}
    if tag == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in data["items"]}
    if tag in ("tuple", "set", "frozenset"):
        items = [decode(item) for item in data["items"]]
        if tag == "tuple":
            return tuple(items)
        hashable = [_hashable(item) for item in items]
        return set(hashable) if tag == "set" else frozenset(hashable)
    if tag == "float":
        return float(data["repr"])
    if tag == "bytes":
        return str(data["text"]).encode("latin-1")
    if tag in _DATES:
        return _DATES[tag].fromisoformat(data["iso"])
    if tag == "uuid":
        return uuid.UUID(data["text"])
    if tag == "secret":
        from pydantic import SecretStr

        return SecretStr(data["text"])
    return Remote(str(data.get("type")), str(data.get("repr")), decode(data.get("data")))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


# Attributes an ActionkitError carries besides its message (see errors.py).
_ERROR_ATTRIBUTES = (
    "function_id",
    "hint",
    "line",
    "source_line",
    "kind",
    "errors",
    "missing",
    "command",
    "output",
    "status",
    "detail",
)


def encode_error(exc: BaseException) -> dict[str, Any]:
    """An exception as data: its class name, message and the attributes an actionkit error has."""
    if isinstance(exc, errors.ActionkitError):
        attributes = {name: getattr(exc, name) for name in _ERROR_ATTRIBUTES if hasattr(exc, name)}
        return {
            "class": type(exc).__name__,
            "actionkit": True,
            "message": exc.message,
            "attributes": encode(attributes),
        }
    return {
        "class": type(exc).__name__,
        "actionkit": False,
        "message": str(exc),
        "traceback": "".join(traceback.format_exception(exc)),
    }


def decode_error(data: dict[str, Any]) -> BaseException:
    """The exception :func:`encode_error` encoded: the same actionkit error class, else an
    exception of a class named like the original whose text is the original's."""
    name = str(data.get("class") or "Exception")
    message = str(data.get("message") or "")
    cls = getattr(errors, name, None)
    if data.get("actionkit") and isinstance(cls, type) and issubclass(cls, errors.ActionkitError):
        attributes = decode(data.get("attributes") or {})
        accepted = inspect.signature(cls.__init__).parameters
        kwargs = {key: value for key, value in attributes.items() if key in accepted}
        error = cls(message, **kwargs)
        for key, value in attributes.items():
            if key not in accepted:
                setattr(error, key, value)
        return error
    remote_class: type[Exception] = type(name, (Exception,), {"__module__": "actionkit.remote"})
    remote: Exception = remote_class(message)
    remote.remote_traceback = data.get("traceback")  # type: ignore[attr-defined]
    return remote
