"""Stand-in for ``open_webui.utils.chat``: ``generate_chat_completion`` answered by the mock model.

The checks are the host's (0.12.4 ``utils/chat.py`` with the OpenAI router behind it): the request
object is required (its ``state`` is written), the model must be in the model registry
(``"Model not found"`` otherwise), and for a user with role ``"user"`` without ``bypass_filter`` the
model must be a workspace model the user may read. The answer is the mock model's: a
``chat.completion`` dict, or with ``"stream": True`` a ``StreamingResponse`` whose body yields the
SSE byte lines an OpenAI-compatible provider sends (``data: {...}\\n\\n`` ..., ``data: [DONE]``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

from . import context
from ._base import host_async

__all__ = ["chat_completion", "generate_chat_completion"]


def bypass_model_access() -> bool:
    """``BYPASS_MODEL_ACCESS_CONTROL``, read from the environment as the host reads it."""
    return os.environ.get("BYPASS_MODEL_ACCESS_CONTROL", "False").lower() == "true"


def _note(exc: BaseException, text: str) -> BaseException:
    exc.add_note(f"actionkit: {text}")
    return exc


def _streaming_response(body: AsyncIterator[bytes]) -> Any:
    try:
        from starlette.responses import StreamingResponse
    except ImportError:
        return _StreamingResponse(body)
    return StreamingResponse(body, media_type="text/event-stream")


class _StreamingResponse:
    """The parts of starlette's ``StreamingResponse`` functions read (without starlette installed)."""

    def __init__(self, body: AsyncIterator[bytes]) -> None:
        self.body_iterator = body
        self.status_code = 200
        self.media_type = "text/event-stream"
        self.headers = {"content-type": "text/event-stream"}
        self.background = None


def _role(user: Any) -> Any:
    try:
        return user.role
    except AttributeError as exc:
        hint = (
            "generate_chat_completion(request, form_data, user) needs a UserModel, not "
            f"{type(user).__name__}; get one with `await Users.get_user_by_id(__user__['id'])` "
            "(from open_webui.models.users import Users)"
        )
        raise _note(exc, hint) from None


def check_access(user: Any, model: dict[str, Any]) -> None:
    """The host's read check of a workspace model for a non-admin: ``Exception("Model not found")``."""
    info = model.get("info")
    user_id = getattr(user, "id", None)
    if isinstance(info, dict):
        if info.get("user_id") == user_id:
            return
        for grant in info.get("access_grants") or []:
            if (
                isinstance(grant, dict)
                and grant.get("permission") == "read"
                and grant.get("principal_type") == "user"
                and grant.get("principal_id") in ("*", user_id)
            ):
                return
    raise _note(
        Exception("Model not found"),
        f"users with role 'user' may only call models they can read; {model.get('id')!r} is not a "
        "workspace model shared with them. Pass bypass_filter=True as many functions do, or "
        "simulate as an admin",
    )


@host_async("")
async def generate_chat_completion(
    request: Any,
    form_data: dict[str, Any],
    user: Any,
    bypass_filter: bool = False,
    bypass_system_prompt: bool = False,
) -> Any:
    """Answer ``form_data`` with the simulation's mock model, after the host's checks."""
    ctx = context.current()
    if bypass_model_access():
        bypass_filter = True
    try:
        state = request.state
    except AttributeError as exc:
        raise _note(
            exc,
            "generate_chat_completion needs the request Open WebUI gave your function: add "
            "__request__ to the handler's parameters and pass it on",
        ) from None
    state.bypass_filter = bypass_filter
    state.bypass_system_prompt = bypass_system_prompt
    if hasattr(state, "metadata"):
        if "metadata" not in form_data:
            form_data["metadata"] = state.metadata
        else:
            form_data["metadata"] = {**form_data["metadata"], **state.metadata}

    model_id = form_data["model"]
    model = ctx.models.get(model_id)
    if model is None:
        known = ", ".join(repr(m) for m in sorted(ctx.models)) or "none"
        raise _note(
            Exception("Model not found"),
            f"{model_id!r} is not in the simulated model registry (models: {known}); "
            f"use MockModel(..., models=[{model_id!r}]) to add it",
        )
    if not bypass_filter and _role(user) == "user":
        check_access(user, model)

    metadata = form_data.get("metadata", {})
    if isinstance(metadata, dict):
        metadata.pop("selected_model_id", None)
    payload = {k: v for k, v in form_data.items() if k != "metadata"}
    info = model.get("info")
    if isinstance(info, dict) and info.get("base_model_id"):
        payload["model"] = info["base_model_id"]
    if form_data.get("stream"):
        return _streaming_response(ctx.llm.asse(payload))
    return await ctx.llm.acomplete(payload)


chat_completion = generate_chat_completion
