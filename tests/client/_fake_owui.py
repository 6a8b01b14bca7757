"""A small in-memory stand-in for Open WebUI 0.12.4's Functions API, served by httpx.MockTransport.

It answers like the real server did on probes: 401 with the "not found" text for unknown ids,
400 ``ID_TAKEN`` on a second create, valves stored with ``exclude_unset`` semantics, a generic 400 for
invalid valves, and ``updated_at`` bumped on every write (a counter, so tests stay deterministic).
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

import actionkit
from actionkit.errors import ActionkitError
from actionkit.function import stored_valves

from ._fake_tools import FakeTools

TOKEN = "sk-test-0123456789abcdef"
NOT_FOUND = "We could not find what you're looking for :/"
ID_TAKEN = "Uh-oh! This id is already registered. Please choose another id string."


class FakeOpenWebUI:
    def __init__(self, version: str = "0.12.4", token: str = TOKEN) -> None:
        self.version = version
        self.token = token
        self.rows: dict[str, dict[str, Any]] = {}
        self.valves: dict[str, dict[str, Any]] = {}
        self.clock = 1_700_000_000
        self.requests: list[tuple[str, str]] = []
        self.drop_valves = False  # mimic 0.12.4 failing to store SecretStr valves
        self.refuse_create = False  # mimic a source that loads here but not on the server
        self.incompatible_valves_on_update = False
        # Sources the server loads in place of what was pushed (its environment builds other Valves).
        self.server_code: dict[str, str] = {}
        self.fail_next: dict[tuple[str, str], int] = {}  # (method, path) -> status to answer once
        self.tools = FakeTools(self)

    # -- helpers for tests -----------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def add(
        self, function_id: str, content: str, *, valves: dict[str, Any] | None = None, active: bool = False
    ) -> dict[str, Any]:
        fn = actionkit.load(content, id=function_id)
        self.clock += 1
        row = {
            "id": function_id,
            "user_id": "admin-1",
            "name": fn.name,
            "type": fn.type,
            "content": content,
            "meta": {"description": fn.description, "manifest": fn.manifest, "toggle": False},
            "is_active": active,
            "is_global": False,
            "updated_at": self.clock,
            "created_at": self.clock,
        }
        self.rows[function_id] = row
        self.valves[function_id] = dict(valves or {})
        return row

    def edit(self, function_id: str, *, bump: bool = True, **changes: Any) -> None:
        """Change a row as someone using the server's web page would."""
        self.rows[function_id].update(changes)
        if bump:
            self.clock += 1
            self.rows[function_id]["updated_at"] = self.clock

    def module(self, function_id: str) -> actionkit.Function:
        """The function as the server loaded it."""
        return actionkit.load(
            self.server_code.get(function_id, self.rows[function_id]["content"]), id=function_id
        )

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests if m != "GET"]

    # -- the API ----------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append((request.method, path))
        failing = self.fail_next.pop((request.method, path), None)
        if failing is not None:
            return _json(failing, {"detail": "Something went wrong :/"})
        if path == "/api/version":
            return _json(200, {"version": self.version, "deployment_id": ""})
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _json(401, {"detail": "401 Unauthorized"})
        body = json.loads(request.content) if request.content else None
        if request.method == "POST" and (m := re.fullmatch(r"/api/chat/actions/(\w+)", path)):
            return _json(200, {"ran": m.group(1), "model": (body or {}).get("model")})
        if path.startswith("/api/v1/tools"):
            return self.tools.handle(request.method, path.removeprefix("/api/v1/tools"), body)
        if not path.startswith("/api/v1/functions"):
            return httpx.Response(
                200, text="<!doctype html><html>Open WebUI</html>", headers={"content-type": "text/html"}
            )
        rest = path.removeprefix("/api/v1/functions")
        if request.method == "GET" and rest == "/":
            return _json(200, [_public(r) for r in self.rows.values()])
        if request.method == "GET" and rest == "/export":
            with_valves = request.url.params.get("include_valves") == "true"
            return _json(
                200,
                [
                    {**r, "valves": self.valves.get(r["id"], {})} if with_valves else dict(r)
                    for r in self.rows.values()
                ],
            )
        if request.method == "POST" and rest == "/create":
            return self._create(body)
        m = re.fullmatch(r"/id/(\w+)(/.*)?", rest)
        if not m:
            return _json(404, {"detail": "Not Found"})
        fid, action = m.group(1), m.group(2) or ""
        if fid not in self.rows:
            return _json(401, {"detail": NOT_FOUND})
        return self._on_function(request.method, fid, action, body)

    def _create(self, body: dict[str, Any]) -> httpx.Response:
        fid = body["id"]
        if not fid.isidentifier():
            return _json(
                400, {"detail": "Only alphanumeric characters and underscores are allowed in the id"}
            )
        if fid.lower() in self.rows:
            return _json(400, {"detail": ID_TAKEN})
        if self.refuse_create:
            return _json(400, {"detail": "[ERROR: Error creating function]"})
        try:
            row = self.add(fid.lower(), body["content"])
        except ActionkitError:
            return _json(400, {"detail": "[ERROR: Error creating function]"})
        row["name"] = body["name"]
        row["meta"]["description"] = body["meta"].get("description")
        return _json(200, _public(row))

    def _on_function(self, method: str, fid: str, action: str, body: Any) -> httpx.Response:
        row = self.rows[fid]
        if method == "GET" and action == "":
            return _json(200, row)
        if method == "GET" and action == "/valves":
            return _json(200, self.valves.get(fid, {}))
        if method == "GET" and action == "/valves/spec":
            model = self.module(fid).Valves
            return _json(200, model.model_json_schema() if model is not None else None)
        if method == "POST" and action == "/update":
            if self.incompatible_valves_on_update and self.valves.get(fid):
                return _json(400, {"detail": "Current Valves are incompatible with this code: limit: bad"})
            try:
                fn = actionkit.load(body["content"], id=fid)
            except ActionkitError as exc:
                return _json(400, {"detail": str(exc)})
            self.edit(
                fid,
                content=body["content"],
                name=body["name"],
                type=fn.type,
                meta={**body["meta"], "manifest": fn.manifest, "toggle": False},
            )
            return _json(200, row)
        if method == "POST" and action == "/valves/update":
            try:
                valves = stored_valves(self.module(fid).Valves, body, function_id=fid)
            except ActionkitError:
                return _json(400, {"detail": "[ERROR: Error updating function valves]"})
            if not self.drop_valves:
                self.valves[fid] = valves
            self.edit(fid)
            return _json(200, valves)
        if method == "POST" and action in ("/toggle", "/toggle/global"):
            flag = "is_active" if action == "/toggle" else "is_global"
            self.edit(fid, **{flag: not row[flag]})
            return _json(200, row)
        if method == "DELETE" and action == "/delete":
            del self.rows[fid]
            self.valves.pop(fid, None)
            return _json(200, True)
        return _json(405, {"detail": "Method Not Allowed"})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "content"}


def _json(status: int, data: Any) -> httpx.Response:
    return httpx.Response(status, json=data)


@contextmanager
def serve(fake: FakeOpenWebUI) -> Iterator[str]:
    """Serve ``fake`` over real HTTP on 127.0.0.1 (a thread); yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = httpx.Request(
                self.command,
                f"http://127.0.0.1{self.path}",
                headers=dict(self.headers.items()),
                content=self.rfile.read(length) if length else b"",
            )
            response = fake.handle(request)
            body = response.content
            self.send_response(response.status_code)
            self.send_header("content-type", response.headers.get("content-type", "application/json"))
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # a client gone
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
