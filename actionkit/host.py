"""Facts of the Open WebUI release actionkit follows (0.12.4), each defined once.

The version, the class precedence of the loader, the filter hooks, the extra arguments the host
offers per function type and hook, the fixed ids and clocks that stand in for the host's uuids and
timestamps, the default user record and the reply an event call gets with no browser attached.
"""

from __future__ import annotations

from typing import Any

VERSION = "0.12.4"

# The class the loader instantiates: the first one found wins, as in the host.
CLASS_PRECEDENCE: tuple[tuple[str, str], ...] = (
    ("Pipe", "pipe"),
    ("Filter", "filter"),
    ("Action", "action"),
    ("Event", "event"),
)
# Filter hooks in the order the host runs them in one turn ("request" runs just before the model call).
FILTER_HOOKS = ("inlet", "request", "stream", "outlet")

# Names the host offers, per type and hook. ``__id__`` is added for every filter hook.
_FILTER_COMMON = (
    "__event_emitter__",
    "__event_call__",
    "__user__",
    "__metadata__",
    "__request__",
    "__model__",
)
OFFERED: dict[str, tuple[str, ...]] = {
    "action": ("__model__", "__id__", "__event_emitter__", "__event_call__", "__request__", "__user__"),
    "inlet": (*_FILTER_COMMON, "__oauth_token__", "__chat_id__", "__message_id__", "__id__"),
    "request": (
        *_FILTER_COMMON,
        "__oauth_token__",
        "__chat_id__",
        "__message_id__",
        "__features__",
        "__id__",
    ),
    "stream": ("__body__", *_FILTER_COMMON, "__oauth_token__", "__chat_id__", "__message_id__", "__id__"),
    "outlet": (*_FILTER_COMMON, "__id__"),
    "pipe": (
        "__event_emitter__",
        "__event_call__",
        "__chat_id__",
        "__session_id__",
        "__message_id__",
        "__task__",
        "__task_body__",
        "__files__",
        "__user__",
        "__metadata__",
        "__oauth_token__",
        "__request__",
        "__tools__",
    ),
}
ALL_DUNDERS = frozenset(name for names in OFFERED.values() for name in names)

# What ``__event_call__`` answers when no browser is connected to the chat.
NO_BROWSER_REPLY: dict[str, str] = {"error": "Client session disconnected."}

# Fixed epoch (2026-01-01T00:00:00Z) and ids used wherever the host would put a clock or a uuid4.
FIXED_TIME = 1767225600
DEFAULT_USER_ID = "user"  # the local store's default user, so stored user valves apply
CHAT_ID = "00000000-0000-4000-8000-00000000c4a7"
USER_MESSAGE_ID = "00000000-0000-4000-8000-0000000000a1"
ASSISTANT_MESSAGE_ID = "00000000-0000-4000-8000-0000000000a2"
SESSION_ID = "actionkit-session"
FIXED_UUID = "00000000-0000-4000-8000-000000000000"
DEFAULT_MODEL_ID = "gpt-4o-mini"
DEFAULT_PROMPT = "Hello!"
DEFAULT_ANSWER = "Hello! How can I help you today?"

# Background task names (open_webui.constants.TASKS) a pipe can be called for with __task__.
TASKS = (
    "title_generation",
    "follow_up_generation",
    "tags_generation",
    "emoji_generation",
    "query_generation",
    "image_prompt_generation",
    "autocomplete_generation",
    "function_calling",
    "moa_response_generation",
)


def default_user() -> dict[str, Any]:
    """``UserModel.model_dump()`` of a verified admin, with every 0.12.4 field."""
    return {
        "id": DEFAULT_USER_ID,
        "email": "user@example.com",
        "username": None,
        "role": "admin",
        "name": "User",
        "profile_image_url": f"/api/v1/users/{DEFAULT_USER_ID}/profile/image",
        "profile_banner_image_url": None,
        "bio": None,
        "gender": None,
        "date_of_birth": None,
        "timezone": None,
        "presence_state": None,
        "status_emoji": None,
        "status_message": None,
        "status_expires_at": None,
        "info": None,
        "settings": {"ui": {}},
        "oauth": None,
        "scim": None,
        "last_active_at": FIXED_TIME,
        "updated_at": FIXED_TIME,
        "created_at": FIXED_TIME,
    }
