"""``isolate=True``: one call of a function loaded and run in a worker process, never in this one.

The target is turned into source text here without running it (a ``Function``'s content, a stored
id's row, a ``.py`` file's text); a worker per function version (:mod:`._workers`) loads it and runs
the call exactly as an in-process simulation does (:mod:`._worker`), and the same
:class:`Simulation` comes back. Loading and the call are each bounded by ``timeout`` (the worker
stops them itself; a worker that does not answer in time is killed). A worker that dies, hangs or
runs out of memory gives a failed Simulation that says which (``process exited with code 0 during
the call``, ``killed after 3 s while loading``); this process carries on. Replies given as a
callable and ``on_record`` run here, asked over the worker's socket as the call goes.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import threading
import time
from pathlib import Path
from typing import Any

from .._aio import run_sync
from ..errors import ActionkitError, SimulationError, StoreError
from ..function import Function, content_hash, declared_type, extract_frontmatter, read_source, resolve_id
from ..store import Store
from ._call import Call, Source
from ._engine import GRACE
from ._inputs import checked_timeout, plain_given
from ._prepare import STORED_ID
from ._simulation import Simulation, empty_message
from ._workers import Worker, WorkerGone, checkin, checkout, search_path, wait_until

DEFAULT_MEMORY_LIMIT = 2048
# Seconds past the timeout before a worker that does not answer is killed (the worker's own timeout,
# plus its grace for a blocked loop, come first).
MARGIN = 2.0
# The options of a Call the worker gets as they are (the target, store and callables cross otherwise).
_SENT = (
    "body",
    "hook",
    "sub_id",
    "stream",
    "valves",
    "user_valves",
    "user",
    "model",
    "metadata",
    "task",
    "files",
    "timeout",
    "real_ids",
    "llm",
    "event",
    "tool_call",
)


class _Ended(Exception):
    """The worker ended or was killed; ``text`` says how and when."""

    def __init__(self, text: str, killed: bool) -> None:
        super().__init__(text)
        self.text = text
        self.killed = killed


def run_isolated(call: Call, abort: threading.Event | None = None) -> Simulation:
    """Run ``call`` in a worker process and return its Simulation (``abort`` stops waiting)."""
    timeout = checked_timeout(call.timeout)
    if call.on_record is not None and not callable(call.on_record):
        raise SimulationError(
            f"on_record must be a callable taking (kind, item), got {type(call.on_record).__name__}"
        )
    source, store, sub_from_id = resolve_source(call)
    function_id = resolve_id(source.id, extract_frontmatter(source.content))
    options = _options(call, sub_from_id)
    limit = memory_limit(call.memory_limit)
    key = (
        function_id,
        content_hash(source.content),
        source.name,
        source.line_offset,
        source.kind,
        limit,
        call.allow_network,
    )
    limits = (limit, bool(call.allow_network), tuple(search_path()))
    worker = checkout(key, limits, lambda: _config(limit, bool(call.allow_network)))
    info = worker.loaded
    try:
        if info is None:
            load = {**_source_fields(source, function_id), "timeout": timeout, "env": _env(worker)}
            _send(worker, ("load", load), "while loading")
            info = _expect(worker, "loaded", _wait(worker, timeout, GRACE, "while loading", call, abort))
            worker.loaded = info
        request = {
            "options": options,
            "ask": callable(call.replies),
            "observe": call.on_record is not None,
            "stored": _stored(store, info["id"], tool=info["type"] == "tool"),
            "env": _env(worker),
        }
        _send(worker, ("call", request), "during the call")
        answer = _wait(worker, timeout, GRACE + MARGIN, "during the call", call, abort)
        _kind, fields, retire = _expect(worker, "done", answer, whole=True)
        worker.broken = worker.broken or bool(retire)
        return _simulation(fields, call)
    except _Ended as ended:
        return _failed(call, source, function_id, info, sub_from_id, ended)
    except ActionkitError:  # the worker's own answer (a load error, bad arguments): it is fine
        raise
    except BaseException:
        if not worker.broken:
            worker.kill()  # interrupted mid-request: its state is unknown
        raise
    finally:
        checkin(worker)


async def arun_isolated(call: Call) -> Simulation:
    """The async twin of :func:`run_isolated`: the caller's loop is never blocked."""
    abort = threading.Event()
    try:
        return await asyncio.to_thread(run_isolated, call, abort)
    except BaseException:
        abort.set()
        raise


def memory_limit(given: Any) -> int:
    if given is None:
        return DEFAULT_MEMORY_LIMIT
    if isinstance(given, bool) or not isinstance(given, int) or given < 64:
        raise SimulationError(f"memory_limit must be a whole number of megabytes (64 or more), got {given!r}")
    return given


def resolve_source(call: Call) -> tuple[Source, Store | None, str | None]:
    """The source to load, the store saved valves come from and a sub id from ``id.sub``: read, not
    run. A stored id names a tool when only a tool has it, or when a tool call is made."""
    target, store = call.target, call.store
    if isinstance(target, Function):
        return Source.of(target), store, None
    if isinstance(target, Source):
        return target, store, None
    if not isinstance(target, str):
        raise SimulationError(
            "simulate() takes a Function, a stored function id, a .py file or function source text, "
            f"got {type(target).__name__}"
        )
    text = target.strip()
    if "\n" not in target and text.endswith(".py") and ("/" in target or Path(text).is_file()):
        content, function_id = read_source(text)
        return Source(content, function_id), None, None
    if "\n" not in target and STORED_ID.match(text):
        function_id, _, sub = text.partition(".")
        store = store if store is not None else Store()
        if function_id in store.tools and (call.tool_call is not None or function_id not in store):
            row = store.tools.get(function_id)
            return Source(row.content, function_id, row.name, kind="tool"), store, None
        record = store.get(function_id)
        return Source(record.content, function_id, record.name), store, sub or None
    return Source(target), store, None


def _source_fields(source: Source, function_id: str) -> dict[str, Any]:
    return {
        "content": source.content,
        "id": function_id,
        "name": source.name,
        "line_offset": source.line_offset,
        "kind": source.kind,
    }


def _config(limit: int, allow_network: bool) -> dict[str, Any]:
    env = dict(os.environ)
    return {"memory_limit": limit, "allow_network": allow_network, "env": env, "sys_path": search_path()}


def _env(worker: Worker) -> dict[str, str] | None:
    """This process's environment when it changed since the worker last got it (else ``None``)."""
    env = dict(os.environ)
    if env == worker.env:
        return None
    worker.env = env
    return env


def _options(call: Call, sub_from_id: str | None) -> dict[str, Any]:
    """The call's options as the worker gets them; an option that cannot be sent is a SimulationError."""
    options: dict[str, Any] = {}
    for name in _SENT:
        value = getattr(call, name)
        if name in ("user", "metadata", "files", "model") and value is not None:
            value = plain_given(value)
        options[name] = value
    if options["sub_id"] is None:
        options["sub_id"] = sub_from_id
    if not callable(call.replies):
        options["replies"] = call.replies
    try:
        pickle.dumps(options)
    except Exception:
        for name, value in options.items():  # which one
            try:
                pickle.dumps(value)
            except Exception as exc:
                raise SimulationError(
                    f"{name}= cannot be sent to the isolated worker ({type(exc).__name__}: {exc})",
                    hint=f"pass {name} as plain data (dicts, lists, strings, numbers), or run with "
                    "isolate=False",
                ) from None
        raise
    return options


def _send(worker: Worker, message: Any, phase: str) -> None:
    try:
        worker.send(message)
    except WorkerGone as gone:
        raise _Ended(f"{gone} {phase}", killed=False) from None


def _stored(store: Store | None, function_id: str, *, tool: bool = False) -> dict[str, Any] | None:
    rows = None if store is None else store.tools if tool else store
    if rows is None or function_id not in rows:
        return None
    users = {uid: rows.user_valves(function_id, uid) for uid in rows.user_ids(function_id)}
    return {"valves": rows.valves(function_id), "users": users}


def _wait(
    worker: Worker,
    timeout: float,
    grace: float,
    phase: str,
    call: Call | None,
    abort: threading.Event | None,
) -> Any:
    """The worker's answer to the request just sent, serving its records and questions meanwhile;
    a worker that ends, or does not answer within ``timeout`` (and ``grace``), raises :class:`_Ended`."""
    seconds = timeout + grace
    deadline = time.monotonic() + seconds
    while True:
        if abort is not None and abort.is_set():
            worker.kill()
            raise SimulationError("the isolated simulation was cancelled")
        step = min(wait_until(deadline), 0.1 if abort is not None else 3600.0)
        try:
            message = worker.receive(step)
        except WorkerGone as gone:
            raise _Ended(f"{gone} {phase}", killed=False) from None
        if message is None:
            if wait_until(deadline) > 0:
                continue
            worker.kill()
            raise _Ended(f"killed after {timeout:g} s {phase}", killed=True)
        kind = message[0]
        if kind == "record" and call is not None and call.on_record is not None:
            _tell(call, message[1], message[2])
        elif kind == "ask" and call is not None:
            started = time.monotonic()
            _send(worker, _answer(call, message[1]), phase)
            deadline += (
                time.monotonic() - started
            )  # the time the caller's callable took is not the function's
        elif kind == "progress":
            phase = f"while loading {message[1]}"
            deadline = time.monotonic() + seconds
        elif kind in ("record", "ask"):
            continue
        else:
            return message


def _tell(call: Call, kind: str, item: Any) -> None:
    try:
        assert call.on_record is not None
        call.on_record(kind, item)
    except Exception:  # a broken observer cannot break the run, as in this process
        pass


def _answer(call: Call, asked: Any) -> tuple[str, Any]:
    try:
        reply = call.replies(asked)
        if asyncio.iscoroutine(reply):
            reply = run_sync(reply)
        pickle.dumps(reply)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return "answer_error", exc
    return "answer", reply


def _expect(worker: Worker, kind: str, message: Any, *, whole: bool = False) -> Any:
    if message[0] == "error":
        error = message[1]
        if kind == "loaded":
            worker.broken = True  # a worker whose function did not load is not reused
        raise error if isinstance(error, BaseException) else SimulationError(str(error))
    if message[0] != kind:
        worker.broken = True
        raise SimulationError(f"the isolated worker answered {message[0]!r} instead of {kind!r}")
    return message if whole else message[1]


def _simulation(fields: dict[str, Any], call: Call) -> Simulation:
    sim = Simulation(**fields)
    sim.function = call.target if isinstance(call.target, Function | Source) else None
    if callable(call.replies):
        sim.inputs["replies"] = call.replies
    if call.llm is not None and not isinstance(call.llm, str | list | tuple):
        sim.inputs["llm"] = call.llm
    return sim


def _failed(
    call: Call,
    source: Source,
    function_id: str,
    info: dict[str, Any] | None,
    sub_id: str | None,
    ended: _Ended,
) -> Simulation:
    """The Simulation of a call whose worker died or hung: what happened, and that nothing came back."""
    kind = (info or {}).get("type") or declared_type(source.content) or "action"
    if kind not in ("action", "filter", "pipe", "event", "tool"):
        kind = "action"
    hook = kind if kind in ("action", "pipe", "event", "tool") else call.hook or "inlet"
    message = empty_message()
    message["error"] = {"content": ended.text}
    if kind == "action":
        message["notifications"].append({"type": "error", "content": ended.text})
    why = (
        "the function did not give control back in time (sync code that does not return): in Open WebUI "
        "this freezes the whole server"
        if ended.killed
        else "the function ended its process (os._exit, a crash in native code, or the system ran out "
        "of memory): in Open WebUI this takes the whole server down"
    )
    return Simulation(
        function_id=function_id,
        kind=kind,  # type: ignore[arg-type]
        hook=hook,  # type: ignore[arg-type]
        sub_id=call.sub_id if call.sub_id is not None else sub_id,
        stream=bool(call.stream),
        ok=False,
        error=ended.text,
        message=message,
        warnings=[why],
        timed_out=ended.killed,
        function=call.target if isinstance(call.target, Function) else source,
    )


def isolated_save(
    store_path: str, source: Source, *, timeout: float, is_active: bool | None, is_global: bool | None
) -> dict[str, Any]:
    """Load ``source`` in a worker and save it into the store file there (``%%action --isolate``);
    returns the id, the saved version and the card's mime bundle."""
    request = {
        **_source_fields(source, resolve_id(source.id, extract_frontmatter(source.content))),
        "store": store_path,
        "timeout": timeout,
        "is_active": is_active,
        "is_global": is_global,
        "notes": ["isolated: the function was loaded in a worker process, not in this one"],
    }
    return dict(_one_off(store_path, "save", request, timeout, "while loading"))


def isolated_import(store_path: str, data: Any, *, timeout: float) -> list[str]:
    """Import Open WebUI export data into the store file, loading every function in a worker."""
    request = {"data": data, "store": store_path, "timeout": timeout}
    return list(_one_off(store_path, "import", request, timeout, "while importing"))


def _one_off(store_path: str, kind: str, request: dict[str, Any], timeout: float, phase: str) -> Any:
    if store_path == ":memory:":
        raise StoreError("an isolated load cannot save into an in-memory store: give a store file")
    worker = Worker(("one-off",), _config(DEFAULT_MEMORY_LIMIT, False))
    try:
        _send(worker, (kind, {**request, "env": _env(worker)}), phase)
        message = _wait(worker, timeout, GRACE, phase, None, None)
        return _expect(worker, "done", message)
    except _Ended as ended:
        what = "the function was not saved" if kind == "save" else "nothing was imported"
        raise StoreError(
            f"the isolated worker {ended.text.replace('process ', '', 1)}: {what}",
            hint="module-level code must return and must not end the process",
        ) from None
    finally:
        worker.close()
