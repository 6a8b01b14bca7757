"""The Open WebUI releases actionkit can run, and what changed between them, each fact once.

actionkit follows 0.12.4 (:data:`actionkit.host.VERSION`); ``runtime="open-webui==<version>"`` runs
a call through any release of the lines 0.8 to 0.12 (:data:`RELEASES` are the last of each line,
the ones actionkit is tested on). :data:`CHANGES` lists the host changes between those lines that
change what a function sees: the real runtime adapts its calls to them (``shape``), ``actionkit
lint --target`` warns about the ones a static look can see, and ``actionkit compat`` names the one
that explains a difference between two releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SimulationError
from .host import VERSION

# The last release of each supported line, oldest first.
RELEASES: tuple[str, ...] = ("0.8.12", "0.9.6", "0.10.2", "0.11.4", "0.12.4")
LINES: tuple[tuple[int, int], ...] = ((0, 8), (0, 9), (0, 10), (0, 11), (0, 12))
PACKAGE = "open-webui"

Version = tuple[int, int, int]

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?\s*$")


def parse_version(text: str) -> Version | None:
    """``"0.10.2"`` -> ``(0, 10, 2)``; ``"0.10"`` -> ``(0, 10, 0)``; None when it is not a version."""
    match = _VERSION.match(text or "")
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def release(text: str) -> str:
    """The release ``text`` names: ``"0.10"`` is the last of its line (``"0.10.2"``), a full version
    of a supported line is itself. Anything else is a SimulationError listing what is supported."""
    found = parse_version(text)
    if found is None or found[:2] not in LINES:
        raise SimulationError(
            f"actionkit does not run Open WebUI {text!r}: it runs releases of the lines "
            f"{', '.join('.'.join(map(str, line)) for line in LINES)}",
            hint=f"tested releases: {', '.join(RELEASES)}",
        )
    if text.count(".") == 1:
        return next(r for r in RELEASES if parse_version(r)[:2] == found[:2])  # type: ignore[index]
    return "{}.{}.{}".format(*found)


def is_tested(version: str) -> bool:
    """True for the releases actionkit's suite runs (the last of each line)."""
    return version in RELEASES


def runtime_release(runtime: str) -> str | None:
    """The release of a ``runtime="open-webui==<version>"`` (checked), None for any other runtime."""
    prefix = f"{PACKAGE}=="
    if not runtime.startswith(prefix):
        return None
    return release(runtime[len(prefix) :])


def runtime_name(version: str) -> str:
    return f"{PACKAGE}=={version}"


@dataclass(frozen=True)
class HostChange:
    """One change of the host between two release lines, as a function sees it.

    ``since`` is the first release that behaves the new way; ``summary`` the one line that explains
    a difference it causes; ``signals`` are patterns that, found in an error or warning of a run on
    either side of it, show that this change is at work.
    """

    id: str
    since: str
    summary: str
    signals: tuple[str, ...] = ()

    @property
    def version(self) -> Version:
        found = parse_version(self.since)
        assert found is not None
        return found

    def between(self, older: str, newer: str) -> bool:
        """True when a run on ``older`` and one on ``newer`` fall on both sides of this change."""
        low, high = parse_version(older), parse_version(newer)
        if low is None or high is None:
            return False
        low, high = min(low, high), max(low, high)
        return low < self.version <= high


CHANGES: tuple[HostChange, ...] = (
    HostChange(
        "async-database",
        "0.9.0",
        "0.9 made the database layer async (`Users.get_user_by_id`, `Functions.*`, `Chats.*`, "
        "`Files.*` ...): await them from 0.9 on, and not before",
        (
            r"can't be used in 'await' expression",
            r"'coroutine' object (has no attribute|is not subscriptable|is not iterable)",
            r"coroutine '[\w.]+' was never awaited",
        ),
    ),
    HostChange(
        "stream-end",
        "0.9.0",
        "0.9 ends every pipe stream with a finish chunk and `data: [DONE]`; before, a stream whose pipe "
        "returns neither a string nor a sync generator (an async generator, a list ...) stops without them",
    ),
    HostChange(
        "event-call-without-browser",
        "0.9.0",
        "before 0.9 an event call that no browser answers waits forever (or raises a socketio "
        "TimeoutError when WEBSOCKET_EVENT_CALLER_TIMEOUT is set); from 0.9 it returns "
        "{'error': 'Client session disconnected.'}",
        (r"waits forever",),
    ),
    HostChange(
        "event-functions",
        "0.10.0",
        "0.10 added Event functions (`class Event`); before, Open WebUI finds no function class in them",
        (r"No Function class found",),
    ),
    HostChange(
        "image-file-records",
        "0.11.0",
        "0.11 returns each image `image_generations` makes as its stored file (`id`, `url`, `name`, "
        "`content_type`); before, as `{'url': ...}` only: find the file by its URL there",
    ),
    HostChange(
        "chat-finished-event",
        "0.11.0",
        "0.11 added the `chat.finished` and `chat.failed` events; before, the host refuses to publish "
        "them (`Unknown event`) and no Event function hears them",
        (r"Unknown event: chat\.(finished|failed)",),
    ),
    HostChange(
        "request-hook",
        "0.11.0",
        "0.11 added the filter `request` hook; before, Open WebUI never calls it",
        (r"never calls the request hook",),
    ),
    HostChange(
        "chat-id-module",
        "0.11.0",
        "0.11 added `open_webui.utils.chat_id` and treats `temporary:` chat ids as temporary chats; "
        "before, the module does not exist and only `local:` chats are temporary",
        (r"No module named 'open_webui\.utils\.chat_id'",),
    ),
    HostChange(
        "oauth-token-module",
        "0.12.0",
        "0.12 moved `get_system_oauth_token` to `open_webui.utils.oauth`; before, it is in "
        "`open_webui.utils.middleware`",
        (r"get_system_oauth_token",),
    ),
    HostChange(
        "image-type-from-bytes",
        "0.12.0",
        "0.12 reads a generated image's type from its bytes (a GIF is stored as `.gif`, `image/gif`) and "
        "refuses a backend reply that is no image; before, every base64 reply is stored as a PNG",
    ),
    HostChange(
        "pipe-files",
        "0.12.0",
        "0.12 passes a pipe `__files__=[]` when the chat has no files; before, `None`: check "
        "`__files__ or []` before iterating it",
    ),
    HostChange(
        "compact-sse",
        "0.12.0",
        "0.12 writes stream chunks as compact JSON in raw UTF-8; before, as `json.dumps` does "
        '(`", "` separators, `\\u00e9` escapes): the same data in other text',
    ),
    HostChange(
        "created-instance-reused",
        "0.12.0",
        "before 0.12 a newly created function is instantiated twice: its `__init__` runs again on the "
        "first call",
    ),
)
CHANGES_BY_ID = {change.id: change for change in CHANGES}


@dataclass(frozen=True)
class HostShape:
    """What a release's code looks like where actionkit's real runtime calls it."""

    version: str
    sync_database: bool  # tables, loaders and the socket's get_event_emitter/get_event_call
    cache_helpers: bool  # utils.plugin.get_functions_cache / get_function_contents_cache
    filter_context: bool  # process_filter_functions(request, filter_context, ...)
    request_hook: bool
    chat_id_module: bool
    oauth_module: str  # where get_system_oauth_token lives
    event_functions: bool
    event_call_waits: bool  # an unanswered event call never returns


def _since(version: Version, text: str) -> bool:
    found = parse_version(text)
    assert found is not None
    return version >= found


def shape(version: str) -> HostShape:
    """The shape of release ``version`` (releases newer than 0.12 are taken as 0.12-shaped)."""
    found = parse_version(version) or parse_version(VERSION)
    assert found is not None
    return HostShape(
        version=version,
        sync_database=not _since(found, "0.9.0"),
        cache_helpers=_since(found, "0.10.0"),
        filter_context=_since(found, "0.11.0"),
        request_hook=_since(found, "0.11.0"),
        chat_id_module=_since(found, "0.11.0"),
        oauth_module="open_webui.utils.oauth" if _since(found, "0.12.0") else "open_webui.utils.middleware",
        event_functions=_since(found, "0.10.0"),
        event_call_waits=not _since(found, "0.9.0"),
    )


# The table singletons of ``open_webui.models.*`` (0.12.4); their public methods are async from 0.9
# on, and sync before, except these few that stay sync.
DATABASE_TABLES = frozenset(
    {
        "AccessGrants", "Apps", "Auths", "AutomationRuns", "Automations", "CalendarEventAttendees",
        "CalendarEvents", "Calendars", "Channels", "ChatMessages", "Chats", "Feedbacks", "Files",
        "Folders", "FunctionHistories", "Functions", "Groups", "Knowledges", "Memories", "Messages",
        "ModelHistories", "Models", "Notes", "OAuthSessions", "PromptHistories", "Prompts",
        "SharedChats", "SkillHistories", "Skills", "Tags", "ToolHistories", "Tools", "Users",
    }
)  # fmt: skip
SYNC_TABLE_METHODS = frozenset(
    {
        "has_permission_filter", "clear_mfa_challenges", "get_current_message_id",
        "get_unresolved_parent_ids", "merge_history", "delete_message_from_history",
        "upsert_message_to_history", "normalize_folder_name", "new_entry", "normalize_memory_type",
        "is_active",
    }
)  # fmt: skip

# Host modules and names functions import that a release line does not have yet: (module, name or
# "" for the module itself, first release that has it, the change behind it).
LATER_IMPORTS: tuple[tuple[str, str, str, str], ...] = (
    ("open_webui.utils.chat_id", "", "0.11.0", "chat-id-module"),
    ("open_webui.utils.oauth", "get_system_oauth_token", "0.12.0", "oauth-token-module"),
)
