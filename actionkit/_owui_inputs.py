"""The inputs of a real-runtime call: body, user, model and metadata, completed with defaults.

The simulator's own defaults are used when they exist, so that a simulation and a real-runtime run of
the same arguments hand the function the same inputs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

DEFAULT_USER: dict[str, Any] = {
    "id": "user-1",
    "email": "user@example.com",
    "name": "User",
    "role": "user",
}
DEFAULT_MODEL_ID = "actionkit-model"


def default_user() -> dict[str, Any]:
    """The simulator's default user (the same record a simulation hands the function)."""
    try:
        from . import _defaults
    except ImportError:
        return dict(DEFAULT_USER)
    return dict(_defaults.default_user())


@dataclass
class PreparedInputs:
    user: dict[str, Any]
    model: dict[str, Any]
    metadata: dict[str, Any]
    body: Any
    request_body: dict[str, Any]
    inputs: dict[str, Any] = field(default_factory=dict)


def build_inputs(
    *,
    function_id: str,
    kind: str,
    hook: str,
    body: Any,
    sub_id: str | None,
    stream: bool,
    user: dict[str, Any] | None,
    model: dict[str, Any] | None,
    metadata: dict[str, Any] | None,
    task: str | None,
    files: list[Any] | None,
) -> PreparedInputs:
    user_dict = {**DEFAULT_USER, **(user or {})}
    model_id = function_id if kind == "pipe" else DEFAULT_MODEL_ID
    model_dict = (
        copy.deepcopy(model)
        if model is not None
        else {
            "id": model_id,
            "name": model_id,
            "object": "model",
            "owned_by": "openai",
        }
    )
    meta: dict[str, Any] = {
        "user_id": user_dict["id"],
        "chat_id": "chat-1",
        "message_id": "message-1",
        "session_id": "session-1",
    }
    if metadata:
        meta.update(copy.deepcopy(metadata))
    if task is not None:
        meta["task"] = task
    if files is not None:
        meta["files"] = copy.deepcopy(files)
    data = copy.deepcopy(body) if body is not None else {}
    if isinstance(data, dict):
        if kind == "action":
            data.setdefault("model", model_dict["id"])
            data.setdefault("messages", [])
            data.setdefault("chat_id", meta["chat_id"])
            data.setdefault("id", meta["message_id"])
            data.setdefault("session_id", meta["session_id"])
        elif kind == "pipe":
            data.setdefault("model", model_dict["id"])
            data.setdefault("messages", [])
            data["stream"] = stream
    return PreparedInputs(
        user=user_dict,
        model=model_dict,
        metadata=meta,
        body=data,
        request_body={},
        inputs={"body": copy.deepcopy(data)},
    )
