"""Stand-in for ``open_webui.main``: the chat completion handler, under the names it has there.

In 0.12.4 ``generate_chat_completions`` and ``generate_chat_completion`` are ``chat_completion``, the
``POST /api/chat/completions`` handler ``(request, form_data, user)``: it looks the model up in the
registry and checks the user's access (both fail as ``HTTPException(400, "Model not found")``)
after keeping the model id on ``request.state`` (a request without ``app`` or ``state`` fails there,
unwrapped), and hands the request on (``utils.chat``'s
``generate_chat_completion``, here answered by the mock model). Called by a function, without a chat
id, it returns that answer: the ``chat.completion`` dict, or a ``StreamingResponse`` when streaming.
Anything else that goes wrong is an ``HTTPException(400, <the error text>)``.
"""

from __future__ import annotations

from typing import Any

from . import context
from ._base import host_async, http_exception, is_http_exception
from ._chat import bypass_model_access, check_access
from ._chat import generate_chat_completion as _generate_chat_completion

__all__ = ["chat_completion", "generate_chat_completion", "generate_chat_completions"]


@host_async("")
async def chat_completion(request: Any, form_data: dict[str, Any], user: Any = None) -> Any:
    """``main.chat_completion`` on the path a function takes (no chat id, no browser session)."""
    registry = context.current().models
    request.app.state  # noqa: B018 - read before anything else (the host lists models when empty)
    model_id = form_data.get("model")
    request.state.model_id = model_id
    form_data.pop("model_item", {})
    form_data.pop("background_tasks", None)
    try:
        if model_id not in registry:
            raise Exception("Model not found")
        if not bypass_model_access() and user.role != "admin":
            check_access(user, registry[model_id])
    except Exception as exc:
        if is_http_exception(exc):
            raise
        raise http_exception(400, str(exc)) from exc
    try:
        return await _generate_chat_completion(request, form_data, user)
    except Exception as exc:
        if is_http_exception(exc):
            raise
        raise http_exception(400, str(exc)) from exc


generate_chat_completions = chat_completion
generate_chat_completion = chat_completion
