"""The real open-webui package, started once per process for the real-runtime mode.

Open WebUI reads its configuration from environment variables when ``open_webui.env`` is first
imported, creates and migrates its SQLite database under ``DATA_DIR`` and keeps async database
connections bound to the event loop that opened them. So the host is started once: the variables are
set, a temporary ``DATA_DIR`` is made, ``open_webui.main`` is imported, and every later call runs on one
private event loop in a daemon thread. Nothing here is imported by ``import actionkit``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from ..errors import SimulationError
from ..host import VERSION
from ._adapters import db, host_module, installed_version, is_available

T = TypeVar("T")


# Always set: keep the host offline and away from pip, telemetry and model downloads.
_FORCED_ENV = {
    "FROM_INIT_PY": "true",
    "OFFLINE_MODE": "true",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ENABLE_PIP_INSTALL_FRONTMATTER_REQUIREMENTS": "False",
    "ENABLE_VERSION_UPDATE_CHECK": "false",
    "ANONYMIZED_TELEMETRY": "false",
    "DO_NOT_TRACK": "true",
    "ENABLE_OLLAMA_API": "false",
    "ENABLE_OPENAI_API": "false",
    "ENABLE_WEB_SEARCH": "false",
}
# Set unless the caller already chose a value.
_DEFAULT_ENV = {
    "WEBUI_SECRET_KEY": "actionkit-real-runtime",
    "GLOBAL_LOG_LEVEL": "ERROR",
    "RAG_EMBEDDING_ENGINE": "openai",
    "RAG_OPENAI_API_BASE_URL": "http://127.0.0.1:9/v1",
}

ADMIN_ID = "actionkit-admin"


class OpenWebUIHost:
    """One started open-webui: its app, a temporary data folder and a private event loop."""

    def __init__(self) -> None:
        if not is_available():
            raise SimulationError(
                "the real-runtime mode needs the open-webui package, which is not importable here",
                hint=f"install it into this environment (pip install torch==2.13.0 then "
                f"pip install open-webui=={VERSION}), or run the simulation without "
                "runtime='open-webui'",
            )
        self.version = installed_version()
        self.data_dir = Path(
            os.environ.get("ACTIONKIT_OWUI_DATA_DIR") or tempfile.mkdtemp(prefix="actionkit-owui-")
        )
        self.loop = asyncio.new_event_loop()
        self.blocked_by: str | None = None
        # One call at a time: calls share the app's model registry and the database rows.
        self.call_lock = asyncio.Lock()  # bound to the host loop on first use
        self._thread = threading.Thread(target=self._serve, name="actionkit-open-webui", daemon=True)
        self._thread.start()
        self.app: Any = None
        self.admin: Any = None
        self.run(self._start())

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        while True:
            # A function may stop the loop (loop.stop()) or let SystemExit/KeyboardInterrupt escape
            # a task: the host's loop keeps serving, as a server process would be restarted.
            with contextlib.suppress(BaseException):  # the run that raised reports it
                self.loop.run_forever()
            if self.loop.is_closed():
                return

    def _check(self) -> None:
        if threading.current_thread() is self._thread:
            raise SimulationError("the real runtime cannot be re-entered from its own event loop")
        if self.blocked_by is not None:
            raise SimulationError(
                f"the real open-webui is still blocked by {self.blocked_by}, which never returned "
                "(sync code that does not give the event loop back)",
                hint="restart the Python process (the Jupyter kernel) to use the real runtime again",
            )

    def run(self, coro: Coroutine[Any, Any, T], *, limit: float | None = None, what: str = "") -> T:
        """Run ``coro`` on the host loop and wait for its result (from any other thread).

        ``limit`` bounds the wait: a call that keeps the loop blocked past it leaves the host marked
        as blocked (later runs fail with a clear error instead of hanging).
        """
        try:
            self._check()
        except SimulationError:
            coro.close()
            raise
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout=limit)
        except concurrent.futures.TimeoutError:
            self.blocked_by = what or "an earlier call"
            raise SimulationError(
                f"{self.blocked_by} blocked the real open-webui's event loop past {limit:g}s "
                "and cannot be interrupted (in Open WebUI this freezes the whole server)"
            ) from None

    async def arun(self, coro: Coroutine[Any, Any, T], *, limit: float | None = None, what: str = "") -> T:
        """Await ``coro`` on the host loop from another running loop (same rules as :meth:`run`)."""
        try:
            self._check()
        except SimulationError:
            coro.close()
            raise
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), limit)
        except TimeoutError:
            self.blocked_by = what or "an earlier call"
            raise SimulationError(
                f"{self.blocked_by} blocked the real open-webui's event loop past {limit:g}s "
                "and cannot be interrupted (in Open WebUI this freezes the whole server)"
            ) from None

    async def _start(self) -> None:
        self._configure_environment()
        self.app = host_module("open_webui.main").app
        self.admin = await self.ensure_user(
            {"id": ADMIN_ID, "name": "actionkit admin", "email": "admin@actionkit.invalid", "role": "admin"}
        )

    def _configure_environment(self) -> None:
        static = self.data_dir / "static"
        static.mkdir(parents=True, exist_ok=True)
        os.environ["DATA_DIR"] = str(self.data_dir)
        os.environ["STATIC_DIR"] = str(static)
        os.environ.update(_FORCED_ENV)
        for key, value in _DEFAULT_ENV.items():
            os.environ.setdefault(key, value)

    # -- records ------------------------------------------------------------------------------

    async def ensure_user(self, user: dict[str, Any]) -> Any:
        """Create or overwrite the user row so that ``user.model_dump()`` matches ``user``."""
        users_module = host_module("open_webui.models.users")
        user_model, users = users_module.UserModel, users_module.Users
        user_id = str(user["id"])
        email = user.get("email")
        if email:
            # Emails are unique in the host: an earlier run's user gives this one's away.
            holder = await db(users.get_user_by_email(str(email)))
            if holder is not None and holder.id != user_id:
                await db(users.update_user_by_id(holder.id, {"email": f"{holder.id}@actionkit.invalid"}))
        if await db(users.get_user_by_id(user_id)) is None:
            await db(
                users.insert_new_user(
                    user_id,
                    str(user.get("name") or user_id),
                    str(user.get("email") or f"{user_id}@actionkit.invalid"),
                    role=str(user.get("role") or "user"),
                    username=user.get("username"),
                )
            )
        fields = {
            key: value
            for key, value in user.items()
            if key in user_model.model_fields and key not in {"id", "variables"}
        }
        fields.setdefault("settings", None)
        updated = await db(users.update_user_by_id(user_id, fields))
        if updated is None:
            raise SimulationError(f"open-webui did not store the user {user_id!r}")
        return updated

    def request(self, *, user_agent: str = "actionkit", **state: Any) -> Any:
        """A fresh ``starlette.requests.Request`` whose app is Open WebUI's."""
        request_class = host_module("starlette.requests").Request
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/chat/completions",
            "raw_path": b"/api/chat/completions",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), (b"user-agent", user_agent.encode())],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 8080),
            "app": self.app,
        }
        request = request_class(scope)
        for key, value in state.items():
            setattr(request.state, key, value)
        return request


_host: OpenWebUIHost | None = None
_host_lock = threading.Lock()


def current_host() -> OpenWebUIHost | None:
    """The process's host when it has been started, else None."""
    return _host


def get_host() -> OpenWebUIHost:
    """The process's started host (started on first use)."""
    global _host
    with _host_lock:
        if _host is None:
            _host = OpenWebUIHost()
        return _host
