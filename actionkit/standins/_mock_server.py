"""A local OpenAI-compatible HTTP endpoint answering with a :class:`~actionkit.standins.MockModel`.

Pipes that call an upstream API themselves (with requests, aiohttp or httpx) can be pointed at
``server.url`` through their valves. The server listens on 127.0.0.1 only, on a free port, in a
daemon thread; ``close()`` (or leaving the ``with`` block) stops it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..host import FIXED_TIME as CREATED

if TYPE_CHECKING:
    from ._mock_model import MockModel


_IMAGES = ("/v1/images/generations", "/images/generations")


class MockServer:
    """``POST /v1/chat/completions`` (JSON or SSE), ``POST /v1/images/generations`` (the image
    reply) and ``GET /v1/models`` for one mock model."""

    def __init__(self, model: MockModel) -> None:
        self.model = model
        handler = type("Handler", (_Handler,), {"mock": model})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="actionkit-mock-model", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MockServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<MockServer for {self.model!r}>"


class _Handler(BaseHTTPRequestHandler):
    mock: MockModel
    server_version = "actionkit-mock"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: a notebook is no place for access logs."""

    def _send_json(self, status: int, data: Any) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            data = [
                {"id": m, "object": "model", "created": CREATED, "owned_by": "actionkit"}
                for m in self.mock.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, {"error": {"message": f"unknown path {self.path}"}})

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path not in ("/v1/chat/completions", "/chat/completions", *_IMAGES):
            self._send_json(404, {"error": {"message": f"unknown path {self.path}"}})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as exc:
            self._send_json(400, {"error": {"message": f"invalid JSON body: {exc}"}})
            return
        if not isinstance(body, dict):
            self._send_json(400, {"error": {"message": "the body must be a JSON object"}})
            return
        if path in _IMAGES:
            try:
                images = self.mock.generate_images(body)
            except Exception as exc:  # the scripted failure
                self._send_json(500, {"error": {"message": str(exc), "type": type(exc).__name__}})
                return
            self._send_json(200, images)
            return
        try:
            if body.get("stream"):
                chunks = list(self.mock.stream(body))
            else:
                answer = self.mock.complete(body)
        except Exception as exc:  # the scripted failure or an exhausted script
            self._send_json(500, {"error": {"message": str(exc), "type": type(exc).__name__}})
            return
        if not body.get("stream"):
            self._send_json(200, answer)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
