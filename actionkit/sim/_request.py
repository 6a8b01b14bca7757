"""The ``__request__`` a function receives in a simulation.

In Open WebUI it is the FastAPI/starlette ``Request`` of the chat call. When starlette is
installed the simulator passes a real ``starlette.requests.Request`` built from a minimal HTTP scope
(``POST`` to the route the host would serve, ``Authorization``/``User-Agent`` headers, an ``app``
whose ``state`` holds ``MODELS`` (the simulation's model registry, shared with the stand-in
``generate_chat_completion``) and ``config``); otherwise a small stand-in with the attributes
functions use most: ``method``, ``url`` (with ``.path``), ``headers`` (case-insensitive), ``cookies``,
``query_params``, ``path_params``, ``client``, ``state``, ``app.state`` and ``scope``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

_HOST = "localhost:8080"


class _Headers(dict[str, str]):
    """Case-insensitive read access over lower-cased header names."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)


class _URL(str):
    @property
    def path(self) -> str:
        return self.split(_HOST, 1)[-1].split("?", 1)[0]

    @property
    def scheme(self) -> str:
        return self.split(":", 1)[0]

    @property
    def hostname(self) -> str:
        return _HOST.split(":")[0]


class SimulatedRequest:
    """What a function may read from ``__request__`` when starlette is not installed."""

    def __init__(self, path: str, headers: dict[str, str], app: Any):
        self.method = "POST"
        self.url = _URL(f"http://{_HOST}{path}")
        self.base_url = _URL(f"http://{_HOST}/")
        self.headers = _Headers({k.lower(): v for k, v in headers.items()})
        self.cookies: dict[str, str] = {}
        self.query_params: dict[str, str] = {}
        self.path_params: dict[str, str] = {}
        self.client = SimpleNamespace(host="127.0.0.1", port=0)
        self.state = SimpleNamespace()
        self.app = app
        self.scope: dict[str, Any] = {"type": "http", "method": "POST", "path": path, "app": app}

    def __repr__(self) -> str:
        return f"<SimulatedRequest POST {self.url.path}>"


def _app(models: dict[str, Any]) -> Any:
    state = SimpleNamespace(MODELS=models, config=SimpleNamespace(), FUNCTIONS={}, redis=None)
    return SimpleNamespace(state=state)


def make_request(path: str, model: dict[str, Any], models: dict[str, Any] | None = None) -> Any:
    """A request for ``path`` (``/api/chat/completions`` or ``/api/chat/actions/<id>``), with a fresh
    ``state``; ``app.state.MODELS`` is ``models`` (the simulation's model registry) when given, else
    just ``model``."""
    headers = {
        "host": _HOST,
        "user-agent": "Mozilla/5.0 (actionkit)",
        "authorization": "Bearer actionkit-simulated-token",
        "content-type": "application/json",
    }
    app = _app(models if models is not None else {model.get("id", ""): model})
    try:
        from starlette.requests import Request
    except ImportError:
        return SimulatedRequest(path, headers, app)
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "server": ("localhost", 8080),
        "client": ("127.0.0.1", 0),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "app": app,
        "state": {},
    }
    return Request(scope)
