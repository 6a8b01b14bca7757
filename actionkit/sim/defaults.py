"""Realistic default arguments as Open WebUI 0.12.4 builds them: the user record, the chat-turn
metadata, the model registry entry and a request body per hook. Ids and clocks are fixed so that
simulations are deterministic."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..host import (
    ASSISTANT_MESSAGE_ID,
    CHAT_ID,
    DEFAULT_ANSWER,
    DEFAULT_MODEL_ID,
    DEFAULT_PROMPT,
    FIXED_TIME,
    FIXED_UUID,
    SESSION_ID,
    TOOL_CHAT_ID,
    USER_MESSAGE_ID,
    default_user,
)

if TYPE_CHECKING:
    from ..function import Function

# The browser's User-Agent header in the requests a simulation makes.
USER_AGENT = "Mozilla/5.0 (actionkit)"


def user_dict(
    given: Any, function_id: str, user_valves: dict[str, Any] | None, *, section: str = "functions"
) -> dict[str, Any]:
    """The ``__user__`` dict: defaults overlaid with ``given`` (a dict or a pydantic user model).

    When user valves are set they also appear where the host keeps them,
    ``settings[section]["valves"][function_id]`` (``section`` is ``"tools"`` for a Tool).
    """
    user = default_user()
    if given is not None:
        if hasattr(given, "model_dump") and callable(given.model_dump):
            given = given.model_dump()
        if not isinstance(given, dict):
            raise SimulationError(
                "user must be a dict of UserModel fields (id, name, email, role…), "
                f"got {type(given).__name__}"
            )
        user.update(copy.deepcopy(given))
        if "id" in given and "profile_image_url" not in given:
            user["profile_image_url"] = f"/api/v1/users/{user['id']}/profile/image"
    if user_valves:
        settings = user.get("settings")
        settings = dict(settings) if isinstance(settings, dict) else {"ui": {}}
        functions = dict(settings.get(section) or {})
        valves = dict(functions.get("valves") or {})
        valves[function_id] = dict(user_valves)
        functions["valves"] = valves
        settings[section] = functions
        user["settings"] = settings
    return user


def model_dict(fn: Function, model_id: str | None = None) -> dict[str, Any]:
    """The registry entry of the chat's model (``__model__``): a pipe's own model, or a plain
    OpenAI-style model listing this action/filter the way ``/api/models`` does."""
    if fn.type == "pipe":
        model_id = model_id or fn.id
        return {
            "id": model_id,
            "name": fn.name,
            "object": "model",
            "created": FIXED_TIME,
            "owned_by": "openai",
            "pipe": {"type": "pipe"},
            "has_user_valves": fn.UserValves is not None,
            "actions": [],
            "filters": [],
            "tags": [],
        }
    model_id = model_id or DEFAULT_MODEL_ID
    icon = (
        fn.manifest.get("icon_url")
        or getattr(fn.instance, "icon_url", None)
        or getattr(fn.instance, "icon", None)
    )
    actions: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    if fn.type == "action":
        subs = getattr(fn.instance, "actions", None)
        if isinstance(subs, list):
            for sub in subs:
                if isinstance(sub, dict) and "id" in sub:
                    actions.append(
                        {
                            "id": f"{fn.id}.{sub['id']}",
                            "name": sub.get("name", f"{fn.name} ({sub['id']})"),
                            "description": fn.description,
                            "icon": sub.get("icon_url", icon),
                        }
                    )
        else:
            actions.append({"id": fn.id, "name": fn.name, "description": fn.description, "icon": icon})
    elif fn.type == "filter" and fn.toggle:
        filters.append(
            {
                "id": fn.id,
                "name": fn.name,
                "description": fn.description,
                "icon": icon,
                "has_user_valves": fn.UserValves is not None,
            }
        )
    return {
        "id": model_id,
        "name": model_id,
        "object": "model",
        "created": FIXED_TIME,
        "owned_by": "openai",
        "connection_type": "external",
        "openai": {"id": model_id, "object": "model", "created": FIXED_TIME, "owned_by": "openai"},
        "urlIdx": 0,
        "actions": actions,
        "filters": filters,
        "tags": [],
    }


def metadata_dict(model: dict[str, Any], user_id: str, filter_ids: list[str] | None = None) -> dict[str, Any]:
    """The chat-turn metadata ``main.py`` builds for a web-UI request (``__metadata__``)."""
    return {
        "user_id": user_id,
        "user_agent": USER_AGENT,
        "internal": False,
        "chat_id": CHAT_ID,
        "user_message": {
            "id": USER_MESSAGE_ID,
            "parentId": None,
            "childrenIds": [],
            "role": "user",
            "content": DEFAULT_PROMPT,
            "timestamp": FIXED_TIME,
        },
        "user_message_id": USER_MESSAGE_ID,
        "assistant_message_id": None,
        "regeneration_message_id": None,
        "session_id": SESSION_ID,
        "folder_id": None,
        "filter_ids": list(filter_ids or []),
        "tool_ids": None,
        "tool_servers": None,
        "files": None,
        "features": {
            "voice": False,
            "image_generation": False,
            "code_interpreter": False,
            "web_search": False,
        },
        "variables": {
            "{{USER_NAME}}": "User",
            "{{USER_LOCATION}}": "Unknown",
            "{{CURRENT_DATETIME}}": "2026-01-01 00:00:00",
            "{{CURRENT_DATE}}": "2026-01-01",
            "{{CURRENT_TIME}}": "00:00:00",
            "{{CURRENT_WEEKDAY}}": "Thursday",
            "{{CURRENT_TIMEZONE}}": "UTC",
            "{{USER_LANGUAGE}}": "en-US",
        },
        "model": model,
        "direct": False,
        "params": {
            "stream_delta_chunk_size": None,
            "reasoning_tags": None,
            "compact_token_threshold": None,
            "function_calling": "native",
            "tool_approval_mode": "full",
        },
        "message_id": ASSISTANT_MESSAGE_ID,
    }


def chat_messages(with_answer: bool) -> list[dict[str, Any]]:
    """A one-turn conversation as the browser keeps it (ids and timestamps included)."""
    messages: list[dict[str, Any]] = [
        {"id": USER_MESSAGE_ID, "role": "user", "content": DEFAULT_PROMPT, "timestamp": FIXED_TIME}
    ]
    if with_answer:
        messages.append(
            {
                "id": ASSISTANT_MESSAGE_ID,
                "role": "assistant",
                "content": DEFAULT_ANSWER,
                "info": {},
                "timestamp": FIXED_TIME,
            }
        )
    return messages


def action_body(model_id: str) -> dict[str, Any]:
    """What the browser posts to ``/api/chat/actions/{id}`` when the button is clicked."""
    return {
        "model": model_id,
        "messages": chat_messages(with_answer=True),
        "chat_id": CHAT_ID,
        "session_id": SESSION_ID,
        "id": ASSISTANT_MESSAGE_ID,
    }


def inlet_body(model_id: str, stream: bool = True) -> dict[str, Any]:
    """The OpenAI-style request an inlet (or ``request``) filter sees (``metadata`` added later)."""
    return {
        "stream": stream,
        "model": model_id,
        "messages": [{"role": "user", "content": DEFAULT_PROMPT}],
        "features": {
            "voice": False,
            "image_generation": False,
            "code_interpreter": False,
            "web_search": False,
        },
    }


def outlet_body(model_id: str) -> dict[str, Any]:
    """The synthetic body the host builds for outlet filters after the answer completed."""
    return {
        "model": model_id,
        "messages": chat_messages(with_answer=True),
        "filter_ids": [],
        "chat_id": CHAT_ID,
        "session_id": SESSION_ID,
        "id": ASSISTANT_MESSAGE_ID,
    }


def stream_event(model_id: str, content: str = "Hello") -> dict[str, Any]:
    """One parsed ``chat.completion.chunk`` as a ``stream`` filter receives it."""
    return {
        "id": f"{model_id}-{FIXED_UUID}",
        "created": FIXED_TIME,
        "model": model_id,
        "choices": [{"index": 0, "logprobs": None, "finish_reason": None, "delta": {"content": content}}],
        "object": "chat.completion.chunk",
    }


def tool_body(model_id: str) -> dict[str, Any]:
    """The chat request a Tool call belongs to (its ``messages`` are the method's ``__messages__``)."""
    return {"model": model_id, "stream": True, "messages": [{"role": "user", "content": DEFAULT_PROMPT}]}


def pipe_body(model_id: str, stream: bool) -> dict[str, Any]:
    """The request a pipe receives (after the host popped ``metadata``)."""
    return {
        "stream": stream,
        "model": model_id,
        "messages": [{"role": "user", "content": DEFAULT_PROMPT}],
    }


def tool_metadata(
    model: dict[str, Any],
    user_id: str,
    body: dict[str, Any],
    tool_ids: list[str],
    *,
    files: list[Any] | None = None,
) -> dict[str, Any]:
    """The metadata ``main.chat_completion`` and ``process_chat_payload`` build for ``body`` sent with
    Tools selected, in a temporary chat with no browser session (``__metadata__`` of a Tool method;
    ``"tools"`` is added once they are built)."""
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    system = [m for m in messages if m.get("role") == "system"]
    users = [m for m in messages if m.get("role") == "user"]
    last_user = users[-1].get("content") if users else None
    given_files = files if files is not None else body.get("files")
    return {
        "tool_approval_resume": None,
        "user_id": user_id,
        "user_agent": USER_AGENT,
        "internal": False,
        "chat_id": TOOL_CHAT_ID,
        "user_message": None,
        "user_message_id": None,
        "assistant_message_id": None,
        "regeneration_message_id": None,
        "session_id": None,
        "automation_id": None,
        "folder_id": None,
        "filter_ids": [],
        "tool_ids": list(tool_ids),
        "tool_servers": None,
        "files": copy.deepcopy(given_files),
        "features": copy.deepcopy(body.get("features") or {}),
        "variables": copy.deepcopy(body.get("variables") or {}),
        "chat_variables": {},
        "chat_context": {
            "chat_variables": {},
            "mentioned_skill_ids": [],
            "messages": copy.deepcopy(system),
            "params": {},
            "skill_versions": {},
        },
        "model": model,
        "direct": False,
        "params": {
            "stream_delta_chunk_size": None,
            "reasoning_tags": None,
            "compact_token_threshold": None,
            "function_calling": "native",
            "tool_approval_mode": "full",
            "model_controls": {},
        },
        "model_id": model.get("id"),
        "skill_ids": [],
        "terminal_id": None,
        "base_system_prompt": system[-1].get("content") if system else None,
        "base_user_prompt": last_user,
        "include_file_context": False,
        "sources": [],
        "message_id": ASSISTANT_MESSAGE_ID,
    }
