"""The difference between a function in the local store and the same function on a server."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from typing import Any

from ..secrets import MASK, secret_keys
from ._words import PYTHON, Words

_UNSET = "(unset)"


@dataclass
class FunctionDiff:
    """Store versus server for one function id. ``same`` is true when nothing a push or pull would
    change differs. Secret valves show as a mask; ``text/plain`` holds no clock or address."""

    function_id: str
    server: str
    local: dict[str, Any] | None
    remote: dict[str, Any] | None
    changed_on_server: bool | None = None
    secrets: frozenset[str] = field(default_factory=frozenset)
    words: Words = field(default=PYTHON, repr=False, compare=False)

    @property
    def content_diff(self) -> list[str]:
        if self.local is None or self.remote is None:
            return []
        return list(
            difflib.unified_diff(
                str(self.remote.get("content", "")).splitlines(),
                str(self.local.get("content", "")).splitlines(),
                fromfile=f"server/{self.function_id}",
                tofile=f"store/{self.function_id}",
                lineterm="",
            )
        )

    @property
    def valves(self) -> dict[str, tuple[Any, Any]]:
        """``{field: (store value, server value)}`` for the admin valves that differ (secrets masked)."""
        if self.local is None or self.remote is None:
            return {}
        mine = self.local.get("valves") or {}
        theirs = self.remote.get("valves") or {}
        return {
            name: (self._show(name, mine, mine.get(name)), self._show(name, theirs, theirs.get(name)))
            for name in sorted(set(mine) | set(theirs))
            if mine.get(name, _UNSET) != theirs.get(name, _UNSET)
        }

    @property
    def fields(self) -> dict[str, tuple[Any, Any]]:
        """``{"name"|"description"|"is_active"|"is_global": (store, server)}`` for those that differ."""
        if self.local is None or self.remote is None:
            return {}
        out: dict[str, tuple[Any, Any]] = {}
        for key in ("name", "description", "is_active", "is_global"):
            mine, theirs = _field(self.local, key), _field(self.remote, key)
            if mine != theirs:
                out[key] = (mine, theirs)
        return out

    @property
    def same(self) -> bool:
        return (
            self.local is not None
            and self.remote is not None
            and not self.content_diff
            and not self.valves
            and not self.fields
        )

    def _show(self, name: str, values: dict[str, Any], value: Any) -> Any:
        if name not in values:
            return _UNSET
        return MASK if name in secret_keys(values, self.secrets) and value not in (None, "") else value

    def lines(self) -> list[str]:
        fid, server = self.function_id, self.server
        if self.local is None and self.remote is None:
            return [f"{fid}: neither in the store nor on {server}"]
        if self.remote is None:
            return [f"{fid}: only in the store; push creates it on {server}"]
        if self.local is None:
            return [f"{fid}: only on {server}; pull brings it into the store"]
        if self.same:
            head = [f"{fid}: the store and {server} agree (content, valves, flags)"]
        else:
            head = [f"{fid}: store ↔ {server}"]
        if self.changed_on_server is None:
            head.append("  never pulled from or pushed to this server")
        elif self.changed_on_server:
            head.append(f"  changed on the server since the last pull/push (a push needs {self.words.force})")
        if self.same:
            return head
        out = head
        for key, (mine, theirs) in self.fields.items():
            out.append(f"  {key}: store {_text(mine)}, server {_text(theirs)}")
        if self.valves:
            out.append("  valves:")
            out += [f"    {k}: store {_text(a)}, server {_text(b)}" for k, (a, b) in self.valves.items()]
        diff = self.content_diff
        if diff:
            out.append("  content:")
            out += [f"    {line}" for line in diff]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.function_id,
            "server": self.server,
            "same": self.same,
            "in_store": self.local is not None,
            "on_server": self.remote is not None,
            "changed_on_server": self.changed_on_server,
            "fields": {k: list(v) for k, v in self.fields.items()},
            "valves": {k: list(v) for k, v in self.valves.items()},
            "content_diff": self.content_diff,
        }

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        state = "same" if self.same else "differs"
        return f"<FunctionDiff {self.function_id!r} {state}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        rows = []
        for line in self.lines():
            stripped = line.strip()
            style = ""
            if stripped.startswith("+") and not stripped.startswith("+++"):
                style = "color:#0a7b30"
            elif stripped.startswith("-") and not stripped.startswith("---"):
                style = "color:#b3261e"
            rows.append(f'<span style="{style}">{html.escape(line)}</span>' if style else html.escape(line))
        body = "\n".join(rows)
        return {"text/plain": str(self), "text/html": f'<pre class="actionkit-diff">{body}</pre>'}


def _field(row: dict[str, Any], key: str) -> Any:
    if key == "description":
        meta = row.get("meta") or {}
        return str(meta.get("description") or "") if isinstance(meta, dict) else ""
    if key in ("is_active", "is_global"):
        return bool(row.get(key))
    return row.get(key)


def _text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value in (_UNSET, MASK):
        return str(value)
    return repr(value)
