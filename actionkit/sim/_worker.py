"""One isolated worker process: it loads one function version and runs its calls, on request.

A worker is forked from the zygote (:mod:`._zygote`) with its limits set first: an address-space
limit (``resource.setrlimit``), a fresh temporary working folder (removed when it ends) and, unless
``allow_network``, sockets limited to loopback by an audit hook. It then answers the requests of the
process that asked for it (:mod:`._workers`), one at a time, on its own socket:

- ``("load", source)``: load the function (bounded by the timeout), answer ``("loaded", info)``;
- ``("call", request)``: run one simulated call, answer ``("done", fields, retire)``; on the way,
  ``("record", kind, item)`` for an ``on_record`` observer and ``("ask", call)`` for replies given
  as a callable (answered with ``("answer", reply)``);
- ``("save", request)`` / ``("import", request)``: load and save into a store file;
- ``("exit",)``.

A request that fails answers ``("error", exc)``. Everything the worker sends is :mod:`._portable`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import resource
import shutil
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from typing import Any

from ..errors import ActionkitError, FunctionLoadError, SimulationError
from ..function import Function, load, remember
from ..store import Store
from ..view import FunctionCard
from . import _loop, _portable
from ._call import Call
from ._engine import run

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def serve(fd: int, config: dict[str, Any]) -> int:
    """Set the worker's limits, then answer requests on ``fd`` until told to exit."""
    conn = Connection(fd)
    folder = _confine(config)
    try:
        _send(conn, ("ready", {"pid": os.getpid(), "folder": folder}))
        _Worker(conn, config).serve()
    finally:
        os.chdir("/")
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _confine(config: dict[str, Any]) -> str:
    limit = config.get("memory_limit")
    if limit:
        size = int(limit) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    _environment(config.get("env"))
    sys.path[:] = list(config.get("sys_path") or sys.path)
    folder = tempfile.mkdtemp(prefix="actionkit-worker-")
    os.chdir(folder)
    tempfile.tempdir = folder
    if not config.get("allow_network"):
        sys.addaudithook(_loopback_only)
    return folder


def _environment(env: dict[str, str] | None) -> None:
    if env is not None and env != dict(os.environ):
        os.environ.clear()
        os.environ.update(env)


def _loopback_only(event: str, args: tuple[Any, ...]) -> None:
    """Refuse sockets that would reach past this machine (an audit hook: it cannot be removed)."""
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        host = address[0] if isinstance(address, tuple) and address else None
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        host = args[0]
    else:
        return
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or not isinstance(host, str) or _is_local(host):
        return
    raise PermissionError(
        f"network access to {host!r} is blocked in an isolated simulation (only loopback is allowed); "
        "pass allow_network=True to let the function reach the network"
    )


def _is_local(host: str) -> bool:
    if host in ("", *_LOCAL_NAMES) or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _send(conn: Connection, message: Any) -> None:
    conn.send_bytes(_portable.dumps(message))


class _StoredValves:
    """What a store holds for the function, as the parent read it (stands in for the Store)."""

    def __init__(self, function_id: str, valves: dict[str, Any] | None, users: dict[str, Any]) -> None:
        self.function_id = function_id
        self._valves = valves
        self._users = users

    def __contains__(self, function_id: object) -> bool:
        return function_id == self.function_id

    @property
    def tools(self) -> _StoredValves:
        """A tool's rows: the same values (the parent read them from the store's tools)."""
        return self

    def valves(self, function_id: str) -> dict[str, Any] | None:
        return dict(self._valves) if self._valves is not None else None

    def user_valves(self, function_id: str, user_id: str) -> dict[str, Any]:
        return dict(self._users.get(user_id) or {})


class _Worker:
    def __init__(self, conn: Connection, config: dict[str, Any]) -> None:
        self.conn = conn
        self.config = config
        self.fn: Function | None = None
        self.lock = threading.Lock()  # the loop thread sends records while the main thread waits

    def send(self, message: Any) -> None:
        with self.lock:
            _send(self.conn, message)

    def serve(self) -> None:
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return
            kind = message[0]
            if kind == "exit":
                return
            if len(message) > 1:
                _environment(message[1].get("env"))
            try:
                answer = getattr(self, f"_{kind}")(message[1])
            except ActionkitError as exc:
                answer = ("error", _with_memory_hint(exc, self.config))
            except BaseException as exc:
                answer = (
                    "error",
                    SimulationError(f"the isolated worker failed: {type(exc).__name__}: {exc}"),
                )
            self.send(answer)

    def _load(self, source: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        fn = load(
            source["content"],
            id=source.get("id"),
            name=source.get("name"),
            line_offset=int(source.get("line_offset") or 0),
            timeout=source.get("timeout"),
            kind=source.get("kind"),
        )
        remember(fn)
        self.fn = fn
        return "loaded", {"id": fn.id, "type": fn.type, "name": fn.name}

    def _call(self, request: dict[str, Any]) -> tuple[str, dict[str, Any], bool]:
        if self.fn is None:
            raise SimulationError("the isolated worker has no function loaded")
        options = dict(request["options"])
        if request.get("ask"):
            options["replies"] = self._ask
        if request.get("observe"):
            options["on_record"] = self._record
        stored = request.get("stored")
        store = _StoredValves(self.fn.id, stored["valves"], stored["users"]) if stored else None
        call = Call(self.fn, store=store, **options)  # type: ignore[arg-type]
        runner = _loop.runner()
        sim = run(call)
        retire = runner.abandoned
        if _ran_out_of_memory(sim.traceback):
            limit = self.config.get("memory_limit")
            sim.error = (
                f"ran out of memory during the call (the isolated worker may use {limit} MB; "
                "memory_limit= sets it)"
            )
            sim.ok, retire = False, True
        fields = {f.name: getattr(sim, f.name) for f in dataclasses.fields(sim) if f.name != "function"}
        return "done", fields, retire

    def _ask(self, call: dict[str, Any]) -> Any:
        self.send(("ask", call))
        kind, value = self.conn.recv()
        if kind == "answer_error":
            raise value if isinstance(value, BaseException) else RuntimeError(str(value))
        return value

    def _record(self, kind: str, item: Any) -> None:
        self.send(("record", kind, item))

    def _save(self, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        self._load(request)
        assert self.fn is not None
        with Store(request["store"]) as store:
            result = store.save(
                self.fn, is_active=request.get("is_active"), is_global=request.get("is_global")
            )
            notes = [*result.notes(), *request.get("notes", [])]
            card = FunctionCard(
                self.fn, valves=result.record.valves, version=result.record.version, notes=notes
            )
            return "done", {
                "id": self.fn.id,
                "version": result.record.version,
                "card": card._repr_mimebundle_(),
            }

    def _import(self, request: dict[str, Any]) -> tuple[str, list[str]]:
        def loading(index: int, function_id: str) -> None:
            self.send(("progress", f"item {index} ({function_id!r})"))

        with Store(request["store"]) as store:
            return "done", store.import_(request["data"], timeout=request.get("timeout"), on_item=loading)


def _ran_out_of_memory(trace: str | None) -> bool:
    lines = (trace or "").rstrip().splitlines()
    return bool(lines) and lines[-1].startswith("MemoryError")


def _with_memory_hint(exc: ActionkitError, config: dict[str, Any]) -> ActionkitError:
    if isinstance(exc, FunctionLoadError) and "MemoryError" in exc.message and not exc.hint:
        limit = config.get("memory_limit")
        exc.hint = f"the isolated worker may use {limit} MB while loading; memory_limit= sets it"
    return exc
