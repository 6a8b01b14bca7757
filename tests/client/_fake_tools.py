"""The Tools part of the in-memory Open WebUI 0.12.4 (``/api/v1/tools``), as the real server
answered on probes: the create handler lower-cases ids and refuses taken ones, ``GET /export`` has no
valves, valves are stored with ``exclude_unset`` semantics and invalid ones answer a generic 400."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import httpx

import actionkit
from actionkit.errors import ActionkitError
from actionkit.function import stored_valves

if TYPE_CHECKING:
    from ._fake_owui import FakeOpenWebUI

NOT_FOUND = "We could not find what you're looking for :/"
ID_TAKEN = "Uh-oh! This id is already registered. Please choose another id string."


def _json(status: int, data: Any) -> httpx.Response:
    return httpx.Response(status, json=data)


class FakeTools:
    def __init__(self, server: FakeOpenWebUI) -> None:
        self.server = server
        self.rows: dict[str, dict[str, Any]] = {}
        self.valves: dict[str, dict[str, Any]] = {}

    def add(self, tool_id: str, content: str, *, valves: dict[str, Any] | None = None) -> dict[str, Any]:
        tool = actionkit.load(content, id=tool_id, kind="tool")
        self.server.clock += 1
        row = {
            "version_id": f"v-{self.server.clock}",
            "id": tool_id,
            "user_id": "admin-1",
            "name": tool.name,
            "content": content,
            "specs": tool.specs,  # type: ignore[attr-defined]
            "meta": {"description": tool.description, "manifest": tool.manifest, "has_user_valves": False},
            "access_grants": [],
            "updated_at": self.server.clock,
            "created_at": self.server.clock,
        }
        self.rows[tool_id] = row
        self.valves[tool_id] = dict(valves or {})
        return row

    def edit(self, tool_id: str, **changes: Any) -> None:
        self.rows[tool_id].update(changes)
        self.server.clock += 1
        self.rows[tool_id]["updated_at"] = self.server.clock

    def handle(self, method: str, rest: str, body: Any) -> httpx.Response:
        if method == "GET" and rest == "/":
            return _json(200, [{k: v for k, v in r.items() if k != "content"} for r in self.rows.values()])
        if method == "GET" and rest == "/export":
            return _json(200, [dict(r) for r in self.rows.values()])
        if method == "POST" and rest == "/create":
            tool_id = body["id"]
            if not tool_id.isidentifier():
                return _json(
                    400, {"detail": "Only alphanumeric characters and underscores are allowed in the id"}
                )
            if tool_id.lower() in self.rows:
                return _json(400, {"detail": ID_TAKEN})
            try:
                row = self.add(tool_id.lower(), body["content"])
            except ActionkitError:
                return _json(400, {"detail": "[ERROR: Error creating tool]"})
            row.update(
                name=body["name"], meta={**row["meta"], "description": body["meta"].get("description")}
            )
            return _json(200, {k: v for k, v in row.items() if k not in ("content", "specs")})
        m = re.fullmatch(r"/id/(\w+)(/.*)?", rest)
        if not m:
            return _json(404, {"detail": "Not Found"})
        tool_id, action = m.group(1), m.group(2) or ""
        if tool_id not in self.rows:
            return _json(404 if method == "GET" else 401, {"detail": NOT_FOUND})
        row = self.rows[tool_id]
        if method == "GET" and action == "":
            return _json(200, row)
        if method == "GET" and action == "/valves":
            return _json(200, self.valves.get(tool_id, {}))
        if method == "POST" and action == "/update":
            try:
                tool = actionkit.load(body["content"], id=tool_id, kind="tool")
            except ActionkitError as exc:
                return _json(400, {"detail": str(exc)})
            self.edit(
                tool_id,
                content=body["content"],
                name=body["name"],
                specs=tool.specs,  # type: ignore[attr-defined]
                meta={
                    **body["meta"],
                    "manifest": tool.manifest,
                    "has_user_valves": tool.UserValves is not None,
                },
            )
            return _json(200, row)
        if method == "POST" and action == "/valves/update":
            model = actionkit.load(row["content"], id=tool_id, kind="tool").Valves
            if model is None:
                return _json(401, {"detail": NOT_FOUND})
            try:
                valves = stored_valves(model, body, function_id=tool_id)
            except ActionkitError:
                return _json(400, {"detail": "[ERROR: Error updating tool valves]"})
            self.valves[tool_id] = valves
            self.edit(tool_id)
            return _json(200, valves)
        if method == "DELETE" and action == "/delete":
            del self.rows[tool_id]
            self.valves.pop(tool_id, None)
            return _json(200, True)
        return _json(405, {"detail": "Method Not Allowed"})
