"""Facts of the Open WebUI release actionkit follows (0.12.4), each defined once.

The version, the class precedence of the loader, the filter hooks, the extra arguments the host
offers per function type and hook, the application events Event functions are called for, the fixed
ids and clocks that stand in for the host's uuids and timestamps, the default user record and the
reply an event call gets with no browser attached.
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
# The class a Tool (toolkit) source defines; the host's Tools workspace loads nothing else.
TOOL_CLASS = "Tools"
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
    # An Event function's event(): the payload as ``event`` and these, each when named in the
    # signature, every one of them to a ``**kwargs`` handler (events.py::dispatch_event_functions).
    "event": ("__id__", "__event__", "__event_id__", "__event_name__", "__app__", "__request__"),
    # A Tool method in a native tool-calling chat turn (process_chat_payload's extra_params,
    # get_tools' __id__/__user__ and the call's fresh __messages__/__files__).
    "tool": (
        "__event_emitter__",
        "__event_call__",
        "__user__",
        "__metadata__",
        "__oauth_token__",
        "__request__",
        "__model__",
        "__chat_id__",
        "__message_id__",
        "__messages__",
        "__files__",
        "__id__",
    ),
}
ALL_DUNDERS = frozenset(name for names in OFFERED.values() for name in names)

# How many rounds of tool calls one chat turn runs (CHAT_RESPONSE_MAX_TOOL_CALL_ITERATIONS).
MAX_TOOL_CALL_ITERATIONS = 256

# What ``__event_call__`` answers when no browser is connected to the chat.
NO_BROWSER_REPLY: dict[str, str] = {"error": "Client session disconnected."}

# Fixed epoch (2026-01-01T00:00:00Z) and ids used wherever the host would put a clock or a uuid4.
FIXED_TIME = 1767225600
DEFAULT_USER_ID = "user"  # the local store's default user, so stored user valves apply
CHAT_ID = "00000000-0000-4000-8000-00000000c4a7"
USER_MESSAGE_ID = "00000000-0000-4000-8000-0000000000a1"
ASSISTANT_MESSAGE_ID = "00000000-0000-4000-8000-0000000000a2"
SESSION_ID = "actionkit-session"
# A Tool call runs in a temporary chat (never saved), where the host runs the tool loop inline.
TOOL_CHAT_ID = f"local:{CHAT_ID}"
FIXED_UUID = "00000000-0000-4000-8000-000000000000"
GENERATED_FILE_ID = "00000000-0000-4000-8000-00000000f{:03x}"  # n-th file a simulation stores (1, 2 …)
DEFAULT_MODEL_ID = "gpt-4o-mini"
DEFAULT_PROMPT = "Hello!"
DEFAULT_ANSWER = "Hello! How can I help you today?"

# Application events (``events.py::EVENT_CATALOG``, in its order): ``publish_event`` refuses any
# other name, and every active Event function is called for each one published.
EVENT_NAMES: tuple[str, ...] = (
    "system.startup.started",
    "system.startup.completed",
    "system.shutdown.started",
    "system.shutdown.completed",
    "config.imported",
    "config.updated",
    "config.webhook.updated",
    "config.connections.updated",
    "config.tool_servers.updated",
    "config.terminal_servers.updated",
    "config.code_execution.updated",
    "config.models.updated",
    "config.banners.updated",
    "config.suggestions.updated",
    "auth.signup",
    "auth.mfa.enrolled",
    "auth.mfa.replaced",
    "auth.mfa.failed",
    "auth.mfa.throttled",
    "auth.mfa.recovery_used",
    "auth.mfa.recovery_codes_regenerated",
    "auth.mfa.reset_requested",
    "auth.mfa.reset_completed",
    "auth.mfa.policy_changed",
    "auth.login",
    "auth.sessions_revoked",
    "auth.logout",
    "auth.password_changed",
    "auth.api_key.created",
    "auth.api_key.deleted",
    "auth.oauth_session.deleted",
    "user.created",
    "user.updated",
    "user.deleted",
    "user.role_updated",
    "user.status_updated",
    "user.settings_updated",
    "user.profile_updated",
    "user.permissions_updated",
    "group.created",
    "group.updated",
    "group.deleted",
    "group.member_added",
    "group.member_removed",
    "chat.created",
    "chat.finished",
    "chat.failed",
    "chat.imported",
    "chat.updated",
    "chat.deleted",
    "chat.deleted_all",
    "chat.compacted",
    "chat.pinned",
    "chat.unpinned",
    "chat.cloned",
    "chat.archived",
    "chat.unarchived",
    "chat.shared",
    "chat.unshared",
    "chat.folder_updated",
    "chat.tag_added",
    "chat.tag_removed",
    "message.created",
    "message.updated",
    "message.deleted",
    "message.event_received",
    "message.reaction_added",
    "message.reaction_removed",
    "message.pinned",
    "message.unpinned",
    "channel.created",
    "channel.updated",
    "channel.deleted",
    "channel.member_added",
    "channel.member_removed",
    "channel.member_active_updated",
    "channel.message",
    "channel.webhook.created",
    "channel.webhook.updated",
    "channel.webhook.deleted",
    "file.uploaded",
    "file.content_updated",
    "file.renamed",
    "file.deleted",
    "file.deleted_all",
    "folder.created",
    "folder.updated",
    "folder.parent_updated",
    "folder.access_updated",
    "folder.deleted",
    "note.created",
    "note.updated",
    "note.access_updated",
    "note.pinned",
    "note.unpinned",
    "note.deleted",
    "memory.created",
    "memory.updated",
    "memory.deleted",
    "memory.reset",
    "knowledge.created",
    "knowledge.updated",
    "knowledge.deleted",
    "knowledge.reset",
    "knowledge.reindexed",
    "knowledge.access_updated",
    "knowledge.file.added",
    "knowledge.file.updated",
    "knowledge.file.removed",
    "knowledge.file.moved",
    "knowledge.directory.created",
    "knowledge.directory.updated",
    "knowledge.directory.deleted",
    "knowledge.external_connection.created",
    "knowledge.external_connection.updated",
    "knowledge.external_connection.deleted",
    "retrieval.content.processed",
    "retrieval.content.process_failed",
    "retrieval.collection.deleted",
    "retrieval.vector_db.reset",
    "retrieval.uploads.reset",
    "model.created",
    "model.imported",
    "model.synced",
    "model.updated",
    "model.deleted",
    "model.enabled",
    "model.disabled",
    "model.access_updated",
    "model.provider_config.updated",
    "model.provider_request.failed",
    "model.provider_model.created",
    "model.provider_model.deleted",
    "function.created",
    "function.updated",
    "function.deleted",
    "function.enabled",
    "function.disabled",
    "function.enable_started",
    "function.disable_started",
    "function.valves_updated",
    "tool.created",
    "tool.updated",
    "tool.deleted",
    "tool.access_updated",
    "tool.valves_updated",
    "skill.created",
    "skill.updated",
    "skill.deleted",
    "skill.enabled",
    "skill.disabled",
    "prompt.created",
    "prompt.updated",
    "prompt.deleted",
    "prompt.enabled",
    "prompt.disabled",
    "prompt.version_updated",
    "prompt.access_updated",
    "pipeline.uploaded",
    "pipeline.added",
    "pipeline.deleted",
    "pipeline.valves_updated",
    "calendar.created",
    "calendar.updated",
    "calendar.deleted",
    "calendar.default_updated",
    "calendar.event.created",
    "calendar.event.updated",
    "calendar.event.deleted",
    "calendar.event.rsvp_updated",
    "calendar.alert",
    "automation.created",
    "automation.updated",
    "automation.enabled",
    "automation.disabled",
    "automation.deleted",
    "automation.run_started",
    "automation.run_completed",
    "automation.run_failed",
    "feedback.created",
    "feedback.updated",
    "feedback.deleted",
    "feedback.deleted_all",
    "image.generated",
    "image.edited",
    "audio.speech_requested",
    "audio.transcription_requested",
    "terminal.session.opened",
    "terminal.session.closed",
    "notification.test",
    "notification.manual",
)
# In the catalog but never published by 0.12.4.
UNPUBLISHED_EVENTS = ("notification.test", "notification.manual")
# How ``build_event`` fills a payload: keys dropped from ``data``/``subject`` (any depth; also any key
# ending in a suffix below), strings cut to this length plus "...", the actor fields kept.
EVENT_SENSITIVE_KEYS = frozenset(
    {
        "password",
        "hashed_password",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "api_key",
        "secret",
        "key",
        "authorization",
        "cookie",
        "webhook_token",
    }
)
EVENT_SENSITIVE_SUFFIXES = ("_token", "_secret", "_api_key", "_key")
EVENT_MAX_STRING_LENGTH = 1000
EVENT_ACTOR_FIELDS = ("id", "name", "email", "role", "created_at", "updated_at")
EVENT_ID = "00000000-0000-4000-8000-0000000000e1"  # in place of the event's uuid4

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
