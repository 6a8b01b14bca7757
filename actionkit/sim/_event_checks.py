"""Checks of emitted events, event calls and replies against what Open WebUI 0.12.4 understands.

Every problem becomes a warning text naming the event and what to change; nothing here raises.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import enum
import math
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from ..view import safe_repr

# Event types the page reacts to, with the data keys it reads (None: data is not a dict).
EVENT_KEYS: dict[str, frozenset[str] | None] = {
    "status": frozenset(
        {"description", "done", "hidden", "action", "urls", "items", "query", "queries", "count", "error"}
    ),
    "message": frozenset({"content"}),
    "chat:message:delta": frozenset({"content"}),
    "replace": frozenset({"content"}),
    "chat:message": frozenset({"content"}),
    "files": frozenset({"files"}),
    "chat:message:files": frozenset({"files"}),
    "embeds": frozenset({"embeds", "replace"}),
    "chat:message:embeds": frozenset({"embeds", "replace"}),
    "source": None,
    "citation": None,
    "notification": frozenset({"type", "content"}),
    "chat:title": None,
    "chat:tags": None,
    "chat:message:error": frozenset({"error"}),
    "chat:message:follow_ups": frozenset({"follow_ups"}),
    "chat:message:favorite": frozenset({"favorite"}),
    "chat:message:tasks": frozenset({"tasks"}),
    "chat:message:voice": frozenset({"voice"}),
    "chat:completion": frozenset(
        {
            "id",
            "content",
            "output",
            "choices",
            "sources",
            "usage",
            "error",
            "selected_model_id",
            "done",
            "title",
        }
    ),
    "chat:outlet": frozenset({"messages"}),
}
# Host-internal types the page knows; functions rarely need them, so they are not checked.
INTERNAL_TYPES = frozenset(
    {
        "chat:tasks:cancel",
        "chat:active",
        "context_compaction",
        "response:completion",
        "chat:messages",
        "chat:reload",
        "chat:list",
        "request:interaction:done",
        "voice:play_animation",
    }
)
CALL_TYPES = frozenset({"confirmation", "input", "execute", "request:user_input", "request:elicitation"})
NOTIFICATION_TYPES = ("info", "success", "warning", "error")
_KNOWN_TYPES = sorted(set(EVENT_KEYS) | INTERNAL_TYPES | CALL_TYPES)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _label(index: int, kind: Any) -> str:
    return f"event {index} ({kind})" if isinstance(kind, str) else f"event {index}"


# Events of the same type whose data has the same keys and atomic value types share the verdict,
# except the types whose checks read values (a notification's ``type``, a source's shape).
_ATOMIC = frozenset({str, int, bool, type(None)})
_CHECKED_BY_VALUE = frozenset({"source", "citation", "notification"})


def check_events(events: list[Any]) -> list[str]:
    """Warnings for every recorded event, in order (run lazily, when the simulation is read)."""
    out: list[str] = []
    cache: dict[tuple[Any, ...], list[str]] = {}
    atomic = _ATOMIC.issuperset
    for index, event in enumerate(events, 1):
        found = None
        if type(event) is dict and len(event) == 2:
            data = event.get("data")
            kind = event.get("type")
            if type(kind) is str and type(data) is dict and kind not in _CHECKED_BY_VALUE:
                key = (kind, *data, *map(type, data.values()))
                found = cache.get(key)  # a hit has the same value types, so it is atomic too
                if found is None and atomic(map(type, data.values())):
                    found = cache[key] = check_event(event)
        if found is None:
            found = check_event(event)
        if found:
            out.extend(f"{_label(index, _type_of(event))}: {text}" for text in found)
    return out


def _type_of(event: Any) -> Any:
    return event.get("type") if isinstance(event, dict) else None


def check_event(event: Any) -> list[str]:
    """Problems of one event (without the event label)."""
    if not isinstance(event, dict):
        return [f"is a {type(event).__name__}, not a dict {{'type': ..., 'data': ...}}"]
    out: list[str] = []
    extra = sorted(str(k) for k in event if k not in ("type", "data"))
    if extra:
        out.append(f"unexpected top-level keys {extra}: only 'type' and 'data' reach the page")
    if "type" not in event:
        return [*out, "has no 'type': Open WebUI ignores it"]
    kind = event["type"]
    if not isinstance(kind, str):
        return [*out, f"'type' must be a string, got {safe_repr(kind, 40)}"]
    if "data" not in event:
        out.append("has no 'data': the page reads event['data'] and finds nothing")
    data = event.get("data")
    problem = json_problem(event)
    if problem:
        out.append(f"is not JSON-serialisable ({problem}): Open WebUI cannot send it to the browser")
    if kind in CALL_TYPES:
        out.append(
            f"'{kind}' sent with __event_emitter__: the dialog opens but the answer never reaches the "
            "function; use `await __event_call__(...)` to get the reply"
        )
        return out
    if kind.startswith("terminal:") or kind in INTERNAL_TYPES:
        return out
    if kind not in EVENT_KEYS:
        hint = did_you_mean(kind, _KNOWN_TYPES)
        return [*out, f"unknown event type {kind!r}{hint}: Open WebUI ignores it"]
    out.extend(_check_data(kind, data))
    return out


def _check_data(kind: str, data: Any) -> list[str]:
    if kind == "chat:title":
        return [] if isinstance(data, str) else [f"data must be the title as a string, got {_kind(data)}"]
    if kind == "chat:tags":
        return []
    if not isinstance(data, dict):
        return [f"data must be a dict, got {_kind(data)}"]
    out: list[str] = []
    keys = EVENT_KEYS[kind]
    if keys is not None:
        for key in data:
            if key not in keys and isinstance(key, str):
                hint = did_you_mean(key, keys)
                if hint:
                    out.append(f"unknown data key {key!r}{hint}")
    checker = _CHECKERS.get(kind)
    if checker is not None:
        out.extend(checker(data))
    return out


def _kind(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def _check_status(data: dict[str, Any]) -> list[str]:
    out = []
    if "description" not in data and "action" not in data:
        out.append("status without 'description': the page shows an empty status line")
    elif "description" in data and not isinstance(data["description"], str):
        out.append(f"'description' should be a string, got {_kind(data['description'])}")
    if "done" in data and not isinstance(data["done"], bool):
        out.append(
            f"'done' must be True or False, got {safe_repr(data['done'], 30)} (the page tests it as JS)"
        )
    if "hidden" in data and not isinstance(data["hidden"], bool):
        out.append(f"'hidden' must be True or False, got {safe_repr(data['hidden'], 30)}")
    return out


def _check_content(data: dict[str, Any]) -> list[str]:
    if "content" not in data:
        return ["no 'content': the page writes the JavaScript value undefined into the message"]
    if not isinstance(data["content"], str):
        return [f"'content' should be a string, got {_kind(data['content'])} (the page coerces it as JS)"]
    return []


def _check_list_of(
    key: str, item: type | tuple[type, ...], what: str
) -> Callable[[dict[str, Any]], list[str]]:
    def check(data: dict[str, Any]) -> list[str]:
        if key not in data:
            return [f"no {key!r} list"]
        value = data[key]
        if not isinstance(value, list):
            return [f"{key!r} must be a list, got {_kind(value)}"]
        bad = [i for i, v in enumerate(value) if not isinstance(v, item)]
        return [f"{key!r} items must be {what}; items {bad[:5]} are not"] if bad else []

    return check


def _check_files(data: dict[str, Any]) -> list[str]:
    out = _check_list_of("files", dict, "dicts like {'type': 'image', 'url': ...}")(data)
    if not out:
        for i, item in enumerate(data["files"]):
            if not any(k in item for k in ("url", "id", "name")):
                out.append(f"file {i} has no 'url', 'id' or 'name': the page cannot show it")
    return out


def _check_source(data: dict[str, Any]) -> list[str]:
    if data.get("type") == "code_execution":
        return [] if "id" in data else ["code_execution source without 'id': the page cannot update it"]
    out = []
    source = data.get("source")
    if not isinstance(source, dict):
        out.append("no 'source' dict ({'name': ..., 'url'?: ...}): the citation has no title")
    elif not any(k in source for k in ("name", "id", "url")):
        out.append("'source' has no 'name', 'id' or 'url'")
    documents = data.get("document")
    metadata = data.get("metadata")
    if not isinstance(documents, list):
        out.append("no 'document' list of texts")
    if metadata is not None and not isinstance(metadata, list):
        out.append(f"'metadata' must be a list (one dict per document), got {_kind(metadata)}")
    elif isinstance(documents, list) and isinstance(metadata, list) and len(metadata) != len(documents):
        out.append(
            f"{len(documents)} documents but {len(metadata)} metadata entries: they are paired by index"
        )
    return out


def _check_notification(data: dict[str, Any]) -> list[str]:
    out = []
    kind = data.get("type", "info")
    if kind not in NOTIFICATION_TYPES:
        out.append(
            f"notification type {safe_repr(kind, 30)} is not one of {list(NOTIFICATION_TYPES)}: shown as info"
        )
    if not isinstance(data.get("content", ""), str):
        out.append(f"'content' should be a string, got {_kind(data.get('content'))}")
    elif "content" not in data:
        out.append("no 'content': the toast is empty")
    return out


def _check_error(data: dict[str, Any]) -> list[str]:
    error = data.get("error")
    if isinstance(error, str) or (isinstance(error, dict) and "content" in error):
        return []
    return ["'error' should be {'content': 'text'} (or a string)"]


def _check_favorite(data: dict[str, Any]) -> list[str]:
    return [] if isinstance(data.get("favorite"), bool) else ["'favorite' must be True or False"]


_CHECKERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "status": _check_status,
    "message": _check_content,
    "chat:message:delta": _check_content,
    "replace": _check_content,
    "chat:message": _check_content,
    "files": _check_files,
    "chat:message:files": _check_files,
    "embeds": _check_list_of("embeds", str, "HTML text or URLs"),
    "chat:message:embeds": _check_list_of("embeds", str, "HTML text or URLs"),
    "source": _check_source,
    "citation": _check_source,
    "notification": _check_notification,
    "chat:message:error": _check_error,
    "chat:message:follow_ups": _check_list_of("follow_ups", str, "strings"),
    "chat:message:favorite": _check_favorite,
    "chat:message:tasks": _check_list_of("tasks", object, "anything"),
    "chat:outlet": _check_list_of("messages", dict, "message dicts"),
}


# ------------------------------------------------------------------------------------ event calls


def check_call(index: int, kind: Any, data: Any) -> list[str]:
    label = f"event call {index} ({kind})" if isinstance(kind, str) else f"event call {index}"
    if not isinstance(kind, str):
        return [f"{label}: 'type' must be one of {sorted(CALL_TYPES)}, got {safe_repr(kind, 40)}"]
    out = []
    if kind not in CALL_TYPES:
        hint = did_you_mean(kind, sorted(CALL_TYPES | set(EVENT_KEYS)))
        if kind in EVENT_KEYS:
            out.append(
                f"{label}: {kind!r} is an event, not a call: use __event_emitter__ (the browser does not "
                "answer it, so Open WebUI waits for ever)"
            )
        else:
            out.append(
                f"{label}: unknown call type{hint}: the browser never answers it, so Open WebUI waits "
                "for ever (no timeout by default)"
            )
    elif kind in ("confirmation", "input"):
        if not isinstance(data, dict):
            out.append(f"{label}: data must be a dict with 'title' and 'message', got {_kind(data)}")
        elif "title" not in data and "message" not in data:
            out.append(f"{label}: no 'title' or 'message': the dialog is empty")
    elif kind == "execute" and not (isinstance(data, dict) and isinstance(data.get("code"), str)):
        out.append(f"{label}: data must be {{'code': '<JavaScript>'}}")
    problem = json_problem(data)
    if problem:
        out.append(f"{label}: data is not JSON-serialisable ({problem})")
    return out


def check_reply(index: int, kind: Any, reply: Any) -> list[str]:
    label = f"event call {index} ({kind})"
    if kind == "confirmation" and not isinstance(reply, bool):
        return [
            f"{label}: reply {safe_repr(reply, 40)} is not a bool; the browser answers True (confirm) or "
            "False (cancel)"
        ]
    if kind == "input" and not (isinstance(reply, str) or reply is False):
        return [
            f"{label}: reply {safe_repr(reply, 40)} is neither a string nor False; the browser answers "
            "the entered text, or False on cancel"
        ]
    problem = json_problem(reply)
    if problem:
        return [f"{label}: reply is not JSON-serialisable ({problem}); a browser can only answer JSON"]
    return []


# ---------------------------------------------------------------------------------- serialisation

_JSON_LEAVES = (str, int, float, bool, type(None), datetime.date, datetime.time, uuid.UUID, enum.Enum)


def json_problem(value: Any, path: str = "", depth: int = 0) -> str | None:
    """Where ``value`` stops being JSON the host's codec can send, or None if it can."""
    if isinstance(value, _JSON_LEAVES):
        if isinstance(value, float) and not math.isfinite(value):
            return None  # sent as null
        return None
    if depth > 60:
        return f"nested too deeply at {path or 'top level'}"
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool) and key is not None:
                return f"{type(key).__name__} key at {path or 'top level'}"
            found = json_problem(item, f"{path}.{key}" if path else str(key), depth + 1)
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = json_problem(item, f"{path}[{i}]", depth + 1)
            if found:
                return found
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return None
    return f"{type(value).__name__} at {path or 'top level'}"
