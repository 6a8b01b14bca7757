"""Which behaviours may differ between the server's Open WebUI version and the 0.12.4 actionkit follows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..host import VERSION

# (version where the behaviour changed, what changed). A server older than that version behaves the
# old way; a server at or after it (and before 0.12.4, when it is older) behaves like 0.12.4.
CHANGES: tuple[tuple[str, str], ...] = (
    ("0.5.0", "module paths moved from open_webui.apps.* to open_webui.* (functions importing them break)"),
    ("0.5.17", "filters gained the stream hook"),
    ("0.6.11", "toggle filters (toggle, icon)"),
    ("0.6.14", "pipes receive the full user record in __user__"),
    ("0.6.31", "valves are saved with exclude_unset (only explicitly set fields stored)"),
    ("0.8.6", "actions are ordered by valves.priority"),
    ("0.8.11", "__event_call__ waits without a timeout unless WEBSOCKET_EVENT_CALLER_TIMEOUT is set"),
    ("0.9.0", "outlet filters run inline on the server; pipes get built-in tools in __tools__"),
    ("0.9.3", "__event_call__ failures return {'error': ...} instead of raising"),
    ("0.9.6", "pipe streams always end with a finish chunk and [DONE]"),
    ("0.10.0", "Event functions, valves encrypted at rest, outlet filters for API callers"),
)


def parse_version(text: str) -> tuple[int, ...] | None:
    match = re.match(r"^\s*v?(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


@dataclass(frozen=True)
class ServerVersion:
    """The server's ``GET /api/version`` and what that means for actionkit's guarantees."""

    version: str
    notes: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.version == VERSION

    def summary(self) -> str:
        if self.matches:
            return f"Open WebUI {self.version} (the version actionkit follows)"
        lines = [f"Open WebUI {self.version}; actionkit follows {VERSION}, so these behaviours may differ:"]
        lines += [f"  - {note}" for note in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def server_version(version: str) -> ServerVersion:
    """The notes for ``version``: changes between it and 0.12.4, in either direction."""
    if version == VERSION:
        return ServerVersion(version)
    target = parse_version(VERSION)
    found = parse_version(version)
    assert target is not None
    if found is None:
        return ServerVersion(
            version or "unknown",
            [f"the server reports no recognisable version ({version!r}); any behaviour may differ"],
        )
    if found > target:
        return ServerVersion(
            version,
            [
                f"the server is newer than {VERSION}: changes released after {VERSION} are not simulated; "
                "check its changelog for the Functions API, valves and event handling"
            ],
        )
    notes = [
        f"since {since}: {what} (this server is older)"
        for since, what in CHANGES
        if found < (parse_version(since) or target)
    ]
    notes.append(f"anything else changed between {version} and {VERSION} (see Open WebUI's changelog)")
    return ServerVersion(version, notes)
