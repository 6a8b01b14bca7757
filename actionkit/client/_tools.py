"""Push the store's tools to an Open WebUI server, pull them back, diff them: ``/api/v1/tools/...``.

    with OpenWebUIClient("http://localhost:8080") as server:
        server.tools.push("weather")     # create or update, then its admin valves
        server.tools.diff("weather")     # store versus server
        server.tools.pull()              # every server tool, with its admin valves, into the store

The same rules as for functions: a push refuses to overwrite a tool changed on the server since the
last pull or push (or never pulled from that server) unless ``force=True``; a pull checks everything
first and then writes in one transaction. The server's tools export carries no valves, so a pull
reads each tool's admin valves from ``GET /id/{id}/valves``. What each server held is remembered in
the same sidecar as functions, under ``tool:<id>`` (a tool and a function may share an id).
"""

from __future__ import annotations

import builtins
import contextlib
from typing import TYPE_CHECKING, Any

from ..errors import ActionkitError, ServerError
from ..function import stored_valves
from ..secrets import secret_fields
from ._conflicts import check_pull, check_push, conflicts, pulled_items
from ._diff import FunctionDiff
from ._results import Outcome, PullResult, PushResult
from ._state import RemoteState, synced_state

if TYPE_CHECKING:
    from ..store import Store
    from ._client import OpenWebUIClient

_API = "/api/v1/tools"
# What a push of a tool writes (tools have no active or global flag).
_FIELDS = ("content", "name", "description", "valves")


def _key(tool_id: str) -> str:
    return f"tool:{tool_id}"


class ToolsClient:
    """The tools of one server and of the client's store (``client.tools``)."""

    def __init__(self, client: OpenWebUIClient) -> None:
        self._client = client

    @property
    def _conn(self) -> Any:
        return self._client._conn

    @property
    def _store(self) -> Store:
        return self._client.store

    def list(self) -> builtins.list[dict[str, Any]]:
        """The server's tools (``GET /api/v1/tools/``: no content, no valves)."""
        data = self._conn.request("GET", f"{_API}/").data
        if not isinstance(data, list):
            raise ServerError(f"GET {_API}/ answered a {type(data).__name__}, not a list")
        return [row for row in data if isinstance(row, dict)]

    def get(self, tool_id: str) -> dict[str, Any] | None:
        """The server's row for ``tool_id`` (content, specs), admin valves under ``"valves"``."""
        answer = self._conn.request("GET", f"{_API}/id/{tool_id}", function_id=tool_id, allow_not_found=True)
        if answer.data is None:
            return None
        if not isinstance(answer.data, dict) or "content" not in answer.data:
            raise ServerError(
                f"the server's answer for tool {tool_id!r} is not a tool row", function_id=tool_id
            )
        row = dict(answer.data)
        valves = self._conn.request("GET", f"{_API}/id/{tool_id}/valves", function_id=tool_id).data
        row["valves"] = valves if isinstance(valves, dict) else {}
        return row

    def _local(self, tool_id: str) -> dict[str, Any]:
        record = self._store.tools.get(tool_id)
        return {**record.to_owui(), "valves": record.valves}

    def diff(self, tool_id: str) -> FunctionDiff:
        """The store's tool against the server's (content, name, description, valves)."""
        self._client.version()
        tools = self._store.tools
        local = self._local(tool_id) if tool_id in tools else None
        remote = self.get(tool_id)
        secrets = secret_fields(tools.load(tool_id).Valves) if local is not None else frozenset()
        changed: bool | None = None
        if local is not None and remote is not None:
            synced = RemoteState(self._store).get(self._client.url, _key(tool_id))
            found = conflicts(remote, local, synced, _FIELDS)
            changed = None if found is None else bool(found)
        return FunctionDiff(
            tool_id, self._client.server, local, remote, changed, secrets, words=self._client.words
        )

    def push(
        self, ids: str | builtins.list[str] | None = None, *, force: bool = False, valves: bool = True
    ) -> PushResult:
        """Create or update each tool on the server, then its admin valves (default: every tool).

        Every tool is checked first: one changed on the server since the last pull/push, or never
        pulled from it, raises :class:`ConflictError` unless ``force``."""
        client = self._client
        result = PushResult(client.server, client.version())
        tools = self._store.tools
        wanted = [ids] if isinstance(ids, str) else list(ids) if ids is not None else tools.ids()
        state = RemoteState(self._store)
        plans = []
        for tool_id in wanted:
            local = self._local(tool_id)
            tool = tools.load(tool_id)
            if valves and local["valves"]:
                local["valves"] = stored_valves(tool.Valves, local["valves"], function_id=tool_id)
            remote = self.get(tool_id)
            if remote is not None and not force:
                synced = state.get(client.url, _key(tool_id))
                check_push(client.server, tool_id, local, remote, synced, fields=_FIELDS, words=client.words)
            plans.append((local, tool, remote))
        done: list[str] = []
        for local, tool, remote in plans:
            tool_id = local["id"]
            try:
                result.items.append(self._push_one(local, tool, remote, valves))
            except ActionkitError as exc:
                with contextlib.suppress(ActionkitError):
                    self._remember(state, tool_id)
                if done:
                    exc.message += f" (already pushed: {', '.join(done)})"
                raise
            self._remember(state, tool_id)
            done.append(tool_id)
        return result

    def _push_one(
        self, local: dict[str, Any], tool: Any, remote: dict[str, Any] | None, valves: bool
    ) -> Outcome:
        tool_id = local["id"]
        form = {
            "id": tool_id,
            "name": local["name"],
            "content": local["content"],
            "meta": {"description": local["meta"].get("description") or "", "manifest": tool.manifest},
        }
        if remote is None:
            outcome = Outcome(tool_id, "created")
            self._write(f"{_API}/create", form, tool_id, "create")
            remote = {"valves": {}}
        else:
            outcome = Outcome(tool_id, "updated")
            description = (remote.get("meta") or {}).get("description") or ""
            if (local["content"], local["name"], local["meta"].get("description") or "") != (
                remote.get("content"),
                remote.get("name"),
                description,
            ):
                self._write(f"{_API}/id/{tool_id}/update", form, tool_id, "update")
                outcome.changes.append("content")
        if valves and local["valves"] != (remote.get("valves") or {}):
            if tool.Valves is None:
                raise ServerError(
                    f"tool {tool_id!r} has valves in the store but no Valves class", function_id=tool_id
                )
            self._write(f"{_API}/id/{tool_id}/valves/update", local["valves"], tool_id, "set the valves of")
            outcome.changes.append("valves")
        if outcome.status == "updated" and not outcome.changes:
            outcome.status = "unchanged"
        return outcome

    def _write(self, path: str, body: Any, tool_id: str, what: str) -> Any:
        try:
            return self._conn.request("POST", path, json_body=body, function_id=tool_id).data
        except ServerError as exc:
            if exc.status != 400:
                raise
            raise self._client._remote.refused(f"{what} tool", tool_id, exc) from None

    def _remember(self, state: RemoteState, tool_id: str) -> None:
        after = self.get(tool_id)
        if after is not None:
            state.remember(self._client.url, {_key(tool_id): synced_state(after, self._local(tool_id))})

    def pull(self, ids: str | builtins.list[str] | None = None, *, force: bool = False) -> PullResult:
        """Bring the server's tools (all, or ``ids``) with their admin valves into the store: all
        are fetched and checked first, then written in one transaction (a failed pull changes nothing).
        A tool edited in the store since the last pull/push that differs from the server's raises
        :class:`ConflictError` unless ``force`` (replaced content stays in the store's history)."""
        client = self._client
        result = PullResult(client.server, client.version())
        data = self._conn.request("GET", f"{_API}/export").data
        items = [item for item in data if isinstance(item, dict)] if isinstance(data, list) else None
        if items is None or any(
            not isinstance(i.get("id"), str) or not isinstance(i.get("content"), str) for i in items
        ):
            raise ServerError(f"{client.server} exported tools without 'id' or 'content': nothing was pulled")
        items = pulled_items(items, ids, client.server, "tool")
        for item in items:
            valves = self._conn.request("GET", f"{_API}/id/{item['id']}/valves", function_id=item["id"]).data
            item["valves"] = valves if isinstance(valves, dict) else {}
        tools = self._store.tools
        state = RemoteState(self._store)
        before = {i["id"]: self._local(i["id"]) for i in items if i["id"] in tools}
        if not force:
            for item in items:
                if item["id"] in before:
                    synced = state.get(client.url, _key(item["id"]))
                    check_pull(
                        client.server, item["id"], before[item["id"]], item, synced, words=client.words
                    )
        try:
            tools.import_(items, valves={i["id"]: i["valves"] for i in items if i["valves"]})
        except ActionkitError as exc:
            raise ServerError(
                f"nothing was pulled from {client.server}: {exc.message}",
                function_id=exc.function_id,
                hint=exc.hint or "the store is unchanged; fix the tool on the server or pull other ids",
            ) from None
        after = {i["id"]: self._local(i["id"]) for i in items}
        state.remember(client.url, {_key(i["id"]): synced_state(i, after[i["id"]]) for i in items})
        for item in items:
            old, new = before.get(item["id"]), after[item["id"]]
            if old is None:
                result.items.append(Outcome(item["id"], "new"))
                continue
            changes = [k for k in ("content", "name", "valves") if old[k] != new[k]]
            result.items.append(Outcome(item["id"], "updated" if changes else "unchanged", changes))
        return result

    def delete(self, tool_id: str) -> bool:
        """Delete a tool on the server and forget its remembered state."""
        answer = self._conn.request("DELETE", f"{_API}/id/{tool_id}/delete", function_id=tool_id)
        RemoteState(self._store).forget(self._client.url, _key(tool_id))
        return bool(answer.data)

    def __repr__(self) -> str:
        return f"<tools of {self._client!r}>"
