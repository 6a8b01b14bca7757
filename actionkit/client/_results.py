"""What a push or pull did, function by function (deterministic text, no clocks)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ._version import ServerVersion


@dataclass
class Outcome:
    """One function: ``status`` is created/updated/unchanged (push) or new/updated/unchanged (pull);
    ``changes`` names what changed (content, valves, activated, global, …)."""

    function_id: str
    status: str
    changes: list[str] = field(default_factory=list)


@dataclass
class _Result:
    """Deterministic ``text/plain`` (no clocks): the server, its version, one line per function."""

    verb = "synced"
    server: str
    version: ServerVersion
    items: list[Outcome] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [item.function_id for item in self.items]

    def status(self, function_id: str) -> str:
        for item in self.items:
            if item.function_id == function_id:
                return item.status
        raise KeyError(function_id)

    def lines(self) -> list[str]:
        head = f"{self.verb} {len(self.items)} function(s), {self.server}"
        out = [f"{head} (Open WebUI {self.version.version})"]
        for item in self.items:
            extra = f"  ({', '.join(item.changes)})" if item.changes else ""
            out.append(f"  {item.function_id:<24} {item.status}{extra}")
        if not self.version.matches:
            out += self.version.summary().splitlines()
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "version": self.version.version,
            "version_matches": self.version.matches,
            "version_notes": list(self.version.notes),
            "functions": [
                {"id": i.function_id, "status": i.status, "changes": list(i.changes)} for i in self.items
            ],
        }

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        body = "\n".join(html.escape(line) for line in self.lines())
        return {"text/plain": str(self), "text/html": f'<pre class="actionkit-remote">{body}</pre>'}


@dataclass
class PushResult(_Result):
    """What a push did to each function on the server; ``untested`` says which pushed functions'
    recorded cases have not run on the server's release (with the command that runs them)."""

    verb = "pushed"
    untested: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [*super().lines(), *self.untested]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "untested": list(self.untested)}


@dataclass
class PullResult(_Result):
    """What a pull did to each function in the local store."""

    verb = "pulled"
