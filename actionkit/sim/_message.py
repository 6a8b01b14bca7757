"""The assistant message as the Open WebUI 0.12.4 page shows it after a function's events.

This replays the page's ``events`` handler (``Chat.svelte``): ``status`` appends to
``statusHistory``, ``message``/``chat:message:delta`` append to ``content`` (with JavaScript string
coercion), ``replace``/``chat:message`` replace it, ``files``/``embeds`` replace their lists,
``source``/``citation`` push sources (code executions are upserted by id), ``notification`` shows a
toast, ``chat:title`` sets the chat title, ``chat:completion`` follows the page's completion handler.
"""

from __future__ import annotations

from typing import Any

from ._simulation import empty_message

_MISSING = object()


def js_string(value: Any) -> str:
    """``String(value)`` as JavaScript computes it for JSON values (``undefined`` when missing)."""
    if value is _MISSING:
        return "undefined"
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, list | tuple):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def output_text(output: Any) -> str:
    """The text of ``message.output`` items (the page's ``vo``), as shown in the message body."""
    if not isinstance(output, list):
        return ""
    parts: list[str] = []
    for item in output:
        if isinstance(item, dict) and item.get("type") == "message":
            for piece in item.get("content") or []:
                if isinstance(piece, dict) and isinstance(piece.get("text"), str):
                    parts.append(piece["text"])
    return "".join(parts)


def build_message(
    events: list[Any],
    *,
    message_id: str,
    initial_content: str = "",
    final_text: str | None = None,
    patched_messages: Any = None,
) -> tuple[dict[str, Any], list[str]]:
    """Replay ``events`` on an assistant message; returns the message and notes for warnings.

    ``final_text`` is a pipe's streamed or returned text: in 0.12.4 it lives in ``message.output``
    and the host's completion updates overwrite the content that ``message``/``replace`` events
    wrote. ``patched_messages`` is a returned ``messages`` list (an action's result or an outlet's
    body) that the page merges into its history by message id.
    """
    message = empty_message()
    message["content"] = initial_content
    notes: list[str] = []
    content_events = 0
    history = message["statusHistory"]
    handlers = _HANDLERS
    for event in events:
        if not isinstance(event, dict):
            continue
        kind = event.get("type")
        if kind == "status":
            history.append(event.get("data"))
            continue
        handler = handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            continue
        if kind in _CONTENT_TYPES:
            content_events += 1
        handler(message, event.get("data"), message_id)
    if final_text:
        if content_events:
            notes.append(
                f"{content_events} message/replace events were overwritten by the pipe's own output: "
                "in Open WebUI 0.12.4 the streamed answer replaces the content those events wrote"
            )
        message["content"] = final_text
    if patched_messages is not None:
        _patch(message, patched_messages, message_id)
    return message, notes


def _patch(message: dict[str, Any], messages: Any, message_id: str) -> None:
    if not isinstance(messages, list):
        return
    for item in messages:
        if (
            isinstance(item, dict)
            and item.get("id") == message_id
            and "content" in item
            and item["content"] != message["content"]
        ):
            message["originalContent"] = message["content"]
            message["content"] = item["content"]


def _get(data: Any, key: str) -> Any:
    return data.get(key, _MISSING) if isinstance(data, dict) else _MISSING


def _status(message: dict[str, Any], data: Any, _: str) -> None:
    message["statusHistory"].append(data)


def _append(message: dict[str, Any], data: Any, _: str) -> None:
    message["content"] = js_string(message["content"]) + js_string(_get(data, "content"))


def _replace(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "content")
    message["content"] = "" if value is _MISSING or value is None else js_string(value)


def _files(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "files")
    message["files"] = value if isinstance(value, list) else []


def _embeds(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "embeds")
    message["embeds"] = value if isinstance(value, list) else []


def _source(message: dict[str, Any], data: Any, _: str) -> None:
    if isinstance(data, dict) and data.get("type") == "code_execution":
        runs = message["code_executions"]
        for i, run in enumerate(runs):
            if isinstance(run, dict) and run.get("id") == data.get("id"):
                runs[i] = data
                return
        runs.append(data)
        return
    message["sources"].append(data)


def _notification(message: dict[str, Any], data: Any, _: str) -> None:
    kind = _get(data, "type")
    content = _get(data, "content")
    message["notifications"].append(
        {
            "type": kind if kind in ("success", "error", "warning") else "info",
            "content": "" if content is _MISSING or content is None else js_string(content),
        }
    )


def _title(message: dict[str, Any], data: Any, _: str) -> None:
    message["title"] = data


def _error(message: dict[str, Any], data: Any, _: str) -> None:
    error = _get(data, "error")
    if isinstance(error, dict):
        content = error.get("content", error.get("detail", error.get("message")))
        text = "Server connection failed" if content is None else js_string(content)
    elif isinstance(error, str) and error:
        text = error
    else:
        text = "Server connection failed"
    message["error"] = {"content": text}
    message["notifications"].append({"type": "error", "content": text})


def _follow_ups(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "follow_ups")
    message["followUps"] = value if isinstance(value, list) else []


def _favorite(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "favorite")
    message["favorite"] = None if value is _MISSING else value


def _tasks(message: dict[str, Any], data: Any, _: str) -> None:
    value = _get(data, "tasks")
    message["tasks"] = None if value is _MISSING else value


def _completion(message: dict[str, Any], data: Any, _: str) -> None:
    if not isinstance(data, dict):
        return
    if data.get("error"):
        _error(message, {"error": data["error"]}, _)
    output = data.get("output")
    if output:
        message["output"] = output
        message["content"] = output_text(output)
    if data.get("sources") and not message["sources"]:
        message["sources"] = data["sources"]
    choices = data.get("choices")
    if choices and not output and isinstance(choices, list) and isinstance(choices[0], dict):
        first = choices[0]
        full: dict[str, Any] = first["message"] if isinstance(first.get("message"), dict) else {}
        if full.get("content"):
            message["content"] = js_string(message["content"]) + js_string(full["content"])
        else:
            delta: dict[str, Any] = first["delta"] if isinstance(first.get("delta"), dict) else {}
            piece = delta.get("content")
            piece = "" if piece is None else js_string(piece)
            if not (message["content"] == "" and piece == "\n"):
                message["content"] = js_string(message["content"]) + piece
    if data.get("content") and not output:
        message["content"] = js_string(data["content"])
    if data.get("usage"):
        message["usage"] = data["usage"]
    if data.get("done"):
        message["done"] = True


def _outlet(message: dict[str, Any], data: Any, message_id: str) -> None:
    _patch(message, _get(data, "messages"), message_id)


_CONTENT_TYPES = frozenset({"message", "chat:message:delta", "replace", "chat:message"})
_HANDLERS = {
    "status": _status,
    "message": _append,
    "chat:message:delta": _append,
    "replace": _replace,
    "chat:message": _replace,
    "files": _files,
    "chat:message:files": _files,
    "embeds": _embeds,
    "chat:message:embeds": _embeds,
    "source": _source,
    "citation": _source,
    "notification": _notification,
    "chat:title": _title,
    "chat:message:error": _error,
    "chat:message:follow_ups": _follow_ups,
    "chat:message:favorite": _favorite,
    "chat:message:tasks": _tasks,
    "chat:completion": _completion,
    "chat:outlet": _outlet,
}
