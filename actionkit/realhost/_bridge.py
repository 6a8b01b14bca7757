"""``runtime="open-webui==<version>"``: the call runs in a worker process of that release.

A release lives in its own virtual environment (:mod:`._install`), so its calls go to a worker
process started with that environment's Python and actionkit made importable through a folder
holding only a link to this actionkit package (:mod:`._worker`; the protocol is
:mod:`actionkit._wire`). One worker per release is started on first use (it imports
``open_webui.main``, ten to thirty seconds) and serves every later call of this process; a worker
that crashes, or that a call keeps busy past its limit, is stopped and the next call starts a new
one. Workers exit with this process.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import contextvars
import functools
import itertools
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._aio import run_sync
from .._wire import PROTOCOL, Channel, decode, decode_error, encode, encode_error
from ..errors import ReleaseError, SimulationError
from ..releases import RELEASES, is_tested, runtime_release
from ..secrets import mask_text
from ..sim import Call, Simulation
from ._adapters import installed_version
from ._install import Progress, release_python, releases_dir, say
from ._tool_run import check_tool_release
from ._transfer import Outgoing, outgoing, simulation_from

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Seconds a new worker may take to say hello (Python and actionkit imported) and to be ready.
HELLO_LIMIT = 120.0
START_LIMIT = 600.0
# How long past a call's own timeout the parent waits: the worker's host gives up first (see
# ``_runtime.GRACE``) and says why; this is for a worker that cannot answer at all.
GRACE = 90.0
_OUTPUT_LINES = 40


class Worker:
    """One running worker process of ``version``."""

    def __init__(self, version: str, python: Path, progress: Progress = say) -> None:
        self.version = version
        self.folder = Path(tempfile.mkdtemp(prefix=f"actionkit-open-webui-{version}-"))
        shim = self.folder / "path"
        shim.mkdir()
        (shim / "actionkit").symlink_to(PACKAGE_DIR, target_is_directory=True)
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [str(python), "-m", "actionkit.realhost._worker", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                cwd=self.folder,
                env=_worker_env(shim, self.folder / "data", in_cache=python.is_relative_to(releases_dir())),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            ours.close()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise ReleaseError(f"cannot start {python} for open-webui {version}: {exc}") from None
        finally:
            theirs.close()
        self.channel = Channel(ours)
        self.output: collections.deque[str] = collections.deque(maxlen=_OUTPUT_LINES)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.info: dict[str, Any] = {}
        # Set when the worker's host can run no more calls (a call blocked its event loop).
        self.broken = False
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        threading.Thread(target=self._read_output, daemon=True, name="actionkit-worker-output").start()
        threading.Thread(target=self._read_messages, daemon=True, name="actionkit-worker").start()
        try:
            self._start(progress)
        except BaseException:
            self.close()
            raise

    # -- the process ---------------------------------------------------------------------------

    def _read_output(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        for raw in stream:
            self.output.append(raw.decode("utf-8", "replace").rstrip())

    def _read_messages(self) -> None:
        while (message := self.channel.receive()) is not None:
            self.messages.put(message)
        self.messages.put(None)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _next(self, deadline: float, what: str, secrets: frozenset[str] = frozenset()) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(what) from None
        if message is None:
            self.process.wait(timeout=10)
            raise ReleaseError(
                f"the open-webui {self.version} worker stopped (exit {self.process.returncode}) "
                f"while {what}; its last output:\n{self.tail(secrets)}",
                hint="a new worker starts on the next call",
            )
        return message

    def tail(self, secrets: frozenset[str] = frozenset()) -> str:
        return mask_text("\n".join(self.output), secrets) or "(none)"

    def _start(self, progress: Progress) -> None:
        started = time.monotonic()
        progress(f"starting open-webui {self.version} (a first start takes up to a minute) ...")
        try:
            hello = self._next(started + HELLO_LIMIT, "starting")
            if hello.get("op") != "hello" or hello.get("protocol") != PROTOCOL:
                raise ReleaseError(f"the open-webui {self.version} worker answered {hello!r}, not hello")
            self.info = dict(hello.get("info") or {})
            if self.info.get("open_webui") != self.version:
                raise ReleaseError(
                    f"the environment of open-webui {self.version} has open-webui "
                    f"{self.info.get('open_webui') or 'not installed'}",
                    hint=f"reinstall it: actionkit hosts remove {self.version} && "
                    f"actionkit hosts install {self.version}",
                )
            ready = self._next(started + START_LIMIT, "starting open_webui")
        except TimeoutError as exc:
            raise ReleaseError(
                f"open-webui {self.version} did not start within {START_LIMIT:g}s ({exc}); "
                f"its last output:\n{self.tail()}"
            ) from None
        if ready.get("op") == "failed":
            error = decode_error(ready["error"])
            raise ReleaseError(
                f"open-webui {self.version} failed to start: {type(error).__name__}: {error}\n"
                f"its last output:\n{self.tail()}"
            )
        progress(f"open-webui {self.version} is ready ({time.monotonic() - started:.1f}s)")

    def close(self) -> None:
        if self.alive:
            try:
                self.channel.send({"op": "stop"})
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)
        self.channel.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- calls ---------------------------------------------------------------------------------

    def run(self, call: Outgoing, limit: float) -> dict[str, Any]:
        """Send one call, answer the worker's questions, and return the Simulation data it sent."""
        data: dict[str, Any] = self.request({"op": "run", "call": call.data}, call, limit)
        return data

    def request(self, message: dict[str, Any], call: Outgoing | None, limit: float) -> Any:
        """Send ``message`` (with a fresh id), answer the worker's questions with ``call``'s
        answers, and return the value the worker sent back."""
        answers = call.answers if call is not None else {}
        what = call.what if call is not None else str(message.get("op"))
        secrets = call.secrets if call is not None else frozenset()
        with self._lock:
            run_id = next(self._ids)
            deadline = time.monotonic() + limit
            self.channel.send({**message, "id": run_id})
            while True:
                reply = self._next(deadline, f"running {what}", secrets)
                op = reply.get("op")
                if op == "ask":
                    self.channel.send(_answer(reply, answers))
                elif op == "done" and reply.get("id") == run_id:
                    return reply["value"]
                elif op == "failed" and reply.get("id") == run_id:
                    self.broken = bool(reply.get("broken"))
                    raise decode_error(reply["error"])


def _answer(message: dict[str, Any], answers: dict[str, Callable[..., Any]]) -> dict[str, Any]:
    reply: dict[str, Any] = {"op": "answer", "id": message.get("id"), "ask": message.get("ask")}
    answer = answers.get(str(message.get("name")))
    try:
        if answer is None:
            raise SimulationError(f"the worker asked for {message.get('name')!r}, which this call has not")
        value = answer(*decode(message.get("args") or []))
        if asyncio.iscoroutine(value):
            value = run_sync(value)
        reply["value"] = encode(value)
    except Exception as exc:
        reply["error"] = encode_error(exc)
    return reply


def _worker_env(shim: Path, data_dir: Path, *, in_cache: bool) -> dict[str, str]:
    """This environment, minus what belongs to this process's Python; plus actionkit on the path.

    In a release of actionkit's own cache bytecode is written (uv installs none, and without .pyc
    files every start compiles open_webui again, twice as slow); an interpreter given by
    ``ACTIONKIT_OWUI_PYTHON`` is left as this environment says."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    if in_cache:
        dropped.add("PYTHONDONTWRITEBYTECODE")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env["PYTHONPATH"] = str(shim)
    env["PYTHONNOUSERSITE"] = "1"
    env["ACTIONKIT_OWUI_DATA_DIR"] = str(data_dir)
    return env


_workers: dict[str, Worker] = {}
_workers_lock = threading.Lock()
_starting: dict[str, threading.Lock] = {}


def worker(version: str, progress: Progress = say) -> Worker:
    """The running worker of ``version``, started (and the release installed) on first use.
    Workers of different releases start side by side."""
    with _workers_lock:
        starting = _starting.setdefault(version, threading.Lock())
    with starting:
        with _workers_lock:
            found = _workers.get(version)
            if found is not None and found.alive:
                return found
            _workers.pop(version, None)
        if found is not None:
            found.close()
        python = release_python(version, progress=progress)
        started = Worker(version, python, progress)
        with _workers_lock:
            _workers[version] = started
        return started


def prepare_release(version: str) -> None:
    """Install release ``version`` when needed and start its worker now, before its first call."""
    worker(version)


def prepare_releases(runtimes: list[str]) -> None:
    """Start the workers of the releases ``runtimes`` name side by side (each takes a while the first
    time); the simulator, the open-webui installed here and a release that cannot start are left
    for their first call (which says what is wrong)."""
    versions = [v for rt in runtimes if (v := runtime_release(rt)) is not None and v != installed_version()]
    if len(versions) < 2:
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(versions)) as pool:
        for done in [pool.submit(prepare_release, version) for version in versions]:
            done.exception()


def stop_workers() -> None:
    """Stop every worker this process started."""
    with _workers_lock:
        stopping = list(_workers.values())
        _workers.clear()
    for found in stopping:
        found.close()


atexit.register(stop_workers)


def run_release(version: str, call: Call) -> Simulation:
    """Run ``call`` through open-webui ``version`` and return the Simulation it made."""
    sending = outgoing(call)
    if sending.tool:
        check_tool_release(version, sending.function.id)
    found = worker(version)
    try:
        data = found.run(sending, limit=sending.timeout + GRACE)
    except TimeoutError:
        _retire(found)
        raise SimulationError(
            f"{sending.what} did not finish within {sending.timeout + GRACE:g}s on open-webui "
            f"{version}; its worker was stopped (the next call starts a new one)",
            function_id=sending.function.id,
        ) from None
    except ReleaseError:
        _retire(found)
        raise
    except BaseException:
        if found.broken:
            _retire(found)
        raise
    sim = simulation_from(data, call, sending.function)
    if not is_tested(version):
        sim.warnings = [
            *sim.warnings,
            f"open-webui {version} is not one of the releases actionkit is tested on "
            f"({', '.join(RELEASES)}): it ran with the adapters of its line",
        ]
    return sim


def _retire(found: Worker) -> None:
    with _workers_lock:
        if _workers.get(found.version) is found:
            del _workers[found.version]
    found.close()


def describe_release(
    version: str, source: str, id: str, name: str | None = None, *, user: dict[str, Any] | None = None
) -> dict[str, Any]:
    """:func:`~actionkit.realhost.describe_in_open_webui` on release ``version``."""
    found = worker(version)
    asked = {"source": source, "id": id, "name": name, "user": user}
    try:
        facts: dict[str, Any] = decode(
            found.request({"op": "describe", "describe": encode(asked)}, None, GRACE)
        )
    except (TimeoutError, ReleaseError):
        _retire(found)
        raise
    return facts


async def arun_release(version: str, call: Call) -> Simulation:
    """The async twin of :func:`run_release` (the worker is waited for in a thread)."""
    context = contextvars.copy_context()
    job = functools.partial(context.run, run_release, version, call)
    return await asyncio.get_running_loop().run_in_executor(None, job)
