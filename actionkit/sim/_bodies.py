"""The request body, model and metadata for each kind of call, from defaults and what was given."""

from __future__ import annotations

from typing import Any

from ..errors import SimulationError
from ..host import ASSISTANT_MESSAGE_ID, CHAT_ID, DEFAULT_MODEL_ID, SESSION_ID
from ..view import copied
from . import defaults as d
from ._plan import Plan


def _require_messages(plan: Plan, body: dict[str, Any]) -> None:
    messages = body.get("messages")
    if not isinstance(messages, list):
        what = "no 'messages'" if messages is None else f"'messages' is a {type(messages).__name__}"
        raise SimulationError(
            f"the body has {what}: Open WebUI always sends a list of chat messages to "
            f"{plan.hook if plan.kind != 'pipe' else 'a pipe'} "
            '(for example "messages": [{"role": "user", "content": "Hi"}])',
            function_id=plan.fn.id,
        )


def _merged_metadata(plan: Plan, model: dict[str, Any], *layers: Any, body: Any = None) -> dict[str, Any]:
    metadata = d.metadata_dict(model, plan.user["id"])
    _user_message_from(metadata, body)
    for layer in layers:
        if layer is None:
            continue
        if not isinstance(layer, dict):
            raise SimulationError(
                f"metadata must be a dict, got {type(layer).__name__}", function_id=plan.fn.id
            )
        metadata.update(copied({k: v for k, v in layer.items() if k != "tools"}))
        if "tools" in layer:
            metadata["tools"] = layer["tools"]  # methods bound to the live tool instances: not copied
    if plan.files is not None:
        if not isinstance(plan.files, list):
            raise SimulationError(
                f"files must be a list of file items, got {type(plan.files).__name__}", function_id=plan.fn.id
            )
        metadata["files"] = copied(plan.files)
    if plan.task is not None:
        metadata["task"] = plan.task
    return metadata


def _user_message_from(metadata: dict[str, Any], body: Any) -> None:
    """``user_message`` is the message the browser sent: the body's last user message."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str | list):
                metadata["user_message"]["content"] = copied(content)
            return


def build_body(
    plan: Plan,
    body: Any,
    model: dict[str, Any] | None,
    model_id: str | None,
    metadata: Any,
) -> None:
    """Fill ``plan.body``, ``plan.model``, ``plan.metadata`` and the message the page shows."""
    if body is not None and not isinstance(body, dict) and plan.hook != "stream":
        raise SimulationError(
            f"body must be a dict (the JSON request Open WebUI passes), got {type(body).__name__}",
            function_id=plan.fn.id,
        )
    given = copied(body) if body is not None else None
    if isinstance(given, dict) and model_id is None and isinstance(given.get("model"), str):
        model_id = given["model"]
    if plan.kind == "pipe":
        _pipe_body(plan, given, model, model_id, metadata)
        return
    fn = plan.fn
    plan.model = model if model is not None else d.model_dict(fn, model_id)
    model_id = str(plan.model.get("id", model_id or DEFAULT_MODEL_ID))
    if isinstance(given, dict) and isinstance(given.get("model"), str) and given["model"] != model_id:
        plan.warnings.append(
            f"body model {given['model']!r} is not model['id'] {model_id!r}: Open WebUI looks the model "
            "up by the body's model id, so they would match"
        )
    if plan.hook == "action":
        payload = given if given is not None else d.action_body(model_id)
        if given is None:
            plan.default_body = lambda: d.action_body(model_id)
        payload.setdefault("model", model_id)
        payload.setdefault("chat_id", CHAT_ID)
        payload.setdefault("session_id", SESSION_ID)
        payload.setdefault("id", ASSISTANT_MESSAGE_ID)
        if not isinstance(payload.get("messages"), list):
            plan.warnings.append(
                "the body has no 'messages' list: the page always sends the chat's messages up to the "
                "clicked one"
            )
        plan.body = payload
        plan.metadata = _merged_metadata(plan, plan.model, metadata, body=payload)
        plan.message_id = str(payload["id"])
        plan.initial_content = _message_content(payload, plan.message_id)
        return
    if plan.hook in ("inlet", "request"):
        payload = given if given is not None else d.inlet_body(model_id)
        _require_messages(plan, payload)
        payload.setdefault("model", model_id)
        own = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None
        plan.metadata = _merged_metadata(plan, plan.model, own, metadata, body=payload)
        if plan.files is not None:
            payload["files"] = copied(plan.files)
        if plan.hook == "request":
            # After the inlet chain the host pops these (RAG, tools and features are handled by then).
            plan.features = payload.pop("features", None) or {}
            for key in ("tool_ids", "files", "terminal_id", "skill_ids"):
                payload.pop(key, None)
        payload["metadata"] = plan.metadata
        plan.body = payload
    elif plan.hook == "stream":
        plan.metadata = _merged_metadata(plan, plan.model, metadata)
        plan.body = given if body is not None else d.stream_event(model_id)
        if not isinstance(plan.body, dict):
            plan.warnings.append(
                f"event is a {type(plan.body).__name__}: in the web UI stream filters receive each parsed "
                "chunk as a dict (only API callers pass the raw SSE line)"
            )
        request_body = d.inlet_body(model_id)
        request_body.pop("features", None)
        request_body["metadata"] = plan.metadata
        plan.stream_body = request_body
    else:  # outlet
        payload = given if given is not None else d.outlet_body(model_id)
        if given is None:
            plan.default_body = lambda: d.outlet_body(model_id)
        _require_messages(plan, payload)
        payload.setdefault("model", model_id)
        plan.metadata = _merged_metadata(plan, plan.model, metadata, body=payload)
        plan.body = payload
        message_id = payload.get("id")
        plan.message_id = str(message_id if message_id is not None else plan.metadata.get("message_id"))
        plan.initial_content = _message_content(payload, plan.message_id)
        return
    plan.message_id = str(plan.metadata.get("message_id"))


def _message_content(body: dict[str, Any], message_id: str) -> str:
    """The content of the message the call is about: the one with ``message_id``, else the last
    assistant message."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return ""
    candidates = [m for m in messages if isinstance(m, dict)]
    for message in candidates:
        if message.get("id") == message_id and isinstance(message.get("content"), str):
            return str(message["content"])
    for message in reversed(candidates):
        if message.get("role") == "assistant" and isinstance(message.get("content"), str):
            return str(message["content"])
    return ""


def _pipe_body(
    plan: Plan,
    given: dict[str, Any] | None,
    model: dict[str, Any] | None,
    model_id: str | None,
    metadata: Any,
) -> None:
    fn = plan.fn
    stream = plan.stream or bool(given and given.get("stream"))
    plan.stream = stream
    payload = given if given is not None else d.pipe_body(fn.id, stream)
    _require_messages(plan, payload)
    own = payload.pop("metadata", None)
    payload["stream"] = stream
    if model_id is not None:
        payload["model"] = model_id
    payload.setdefault("model", fn.id)
    plan.model = model if model is not None else d.model_dict(fn, str(payload["model"]))
    plan.model_given = model is not None
    plan.metadata = _merged_metadata(
        plan, plan.model, own if isinstance(own, dict) else None, metadata, body=payload
    )
    plan.metadata.setdefault("model", plan.model)
    if plan.task is not None and plan.metadata.get("task_body") is None:
        plan.metadata["task_body"] = copied(payload)
    plan.body = payload
    plan.message_id = str(plan.metadata.get("message_id"))
