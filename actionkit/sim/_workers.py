"""Isolated worker processes as this process sees them: the zygote they are forked from, one
handle per worker, and the pool that keeps one loaded worker per function version for reuse.

The zygote (:mod:`._zygote`) is started on first use with this process's ``sys.path``, in its own
session (a Ctrl-C in the terminal reaches this process, not the workers) and with its output on
this process's standard error, so what a function prints never mixes into a command's output. A
worker that died, was killed or could not take its call is never reused.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..errors import SimulationError
from . import _portable
from ._zygote import PACKET, send

# Seconds a worker may take to start (the zygote imports actionkit once, on a possibly busy machine).
START_TIMEOUT = 60.0
# Loaded workers kept idle for reuse, over all function versions (the least recently used go first).
IDLE_LIMIT = 8
_ZYGOTE_MAIN = "import sys\nfrom actionkit.sim._zygote import main\nsys.exit(main(sys.argv))"


class WorkerGone(Exception):
    """The worker process ended (or was killed) while this process waited for it."""


def search_path() -> list[str]:
    """This process's import path with the current folder made absolute (a worker runs elsewhere)."""
    here = os.getcwd()
    return [os.path.abspath(entry) if entry else here for entry in sys.path if isinstance(entry, str)]


def _output() -> int:
    try:
        os.fstat(2)
    except OSError:
        return subprocess.DEVNULL
    return 2


class Zygote:
    """The running zygote: forks workers on request and reports how each one ended."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(search_path())}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _ZYGOTE_MAIN, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=_output(),
                stderr=_output(),
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.owner = os.getpid()
        self.sock = ours
        self.alive = True
        self._fork_lock = threading.Lock()
        self._replies: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._exits: dict[int, int] = {}
        self._ended = threading.Condition()
        threading.Thread(target=self._read, name="actionkit-zygote", daemon=True).start()
        try:
            first = self._replies.get(timeout=START_TIMEOUT)
        except queue.Empty:
            first = ("late",)
        if first[0] != "ready":
            self.close()
            raise SimulationError(
                "the process isolated simulations are started from did not come up "
                f"({'it ended' if first[0] == 'gone' else 'no answer in time'}); see the errors above",
                hint="run with isolate=False, or check that this Python can import actionkit on its own",
            )

    def _read(self) -> None:
        while True:
            try:
                data = self.sock.recv(PACKET)
            except OSError:
                data = b""
            if not data:
                break
            message = pickle.loads(data)
            if message[0] == "exit":
                with self._ended:
                    self._exits[message[1]] = message[2]
                    self._ended.notify_all()
            else:
                self._replies.put(message)
        self.alive = False
        with self._ended:
            self._ended.notify_all()
        self._replies.put(("gone",))

    def fork(self, config: dict[str, Any]) -> tuple[int, Connection]:
        ours, theirs = socket.socketpair()
        try:
            with self._fork_lock:
                send(self.sock, ("fork", config), [theirs.fileno()])
                reply = self._replies.get(timeout=START_TIMEOUT)
        except (OSError, queue.Empty) as exc:
            ours.close()
            raise SimulationError(f"could not start an isolated worker: {exc or 'no answer'}") from None
        finally:
            theirs.close()
        if reply[0] != "forked":
            ours.close()
            raise SimulationError(f"could not start an isolated worker: {reply[-1]}")
        return int(reply[1]), Connection(ours.detach())

    def exit_code(self, pid: int, wait: float) -> int | None:
        with self._ended:
            self._ended.wait_for(lambda: pid in self._exits or not self.alive, timeout=wait)
            return self._exits.pop(pid, None)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader thread; the zygote sees the end
        with contextlib.suppress(OSError):
            self.sock.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> Zygote:
    global _zygote
    with _zygote_lock:
        current = _zygote
        if current is None or not current.alive or current.owner != os.getpid():
            current = _zygote = Zygote()
        return current


def describe_end(code: int | None) -> str:
    """``process exited with code 0`` / ``process was killed by signal 9 (SIGKILL)``."""
    if code is None:
        return "process ended (its exit code is unknown)"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown"
        return f"process was killed by signal {-code} ({name})"
    return f"process exited with code {code}"


class Worker:
    """One worker process and the connection to it."""

    def __init__(self, key: tuple[Any, ...], config: dict[str, Any]) -> None:
        self.key = key
        self.config = config
        self.zygote = zygote()
        self.pid, self.conn = self.zygote.fork(config)
        self.loaded: dict[str, Any] | None = None
        self.broken = False
        self.folder: str | None = None
        self._ended: str | None = None
        # The environment the worker runs with (each request sends it again only when it changed).
        self.env: dict[str, str] | None = config.get("env")
        ready = self.receive(START_TIMEOUT)
        if ready is None or ready[0] != "ready":
            self.kill()
            raise SimulationError("an isolated worker did not start in time")
        self.folder = ready[1]["folder"]

    def send(self, message: Any) -> None:
        try:
            self.conn.send(message)
        except (OSError, EOFError) as exc:
            self.broken = True
            raise WorkerGone(self.end()) from exc

    def receive(self, timeout: float | None) -> Any:
        """The next message, ``None`` when ``timeout`` passes first; WorkerGone when the worker ended."""
        try:
            if not self.conn.poll(timeout):
                return None
            data = self.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            self.broken = True
            raise WorkerGone(self.end()) from exc
        return _portable.loads(data)

    def alive(self) -> bool:
        """Whether an idle worker is still there (an idle one has nothing to say: data means its end)."""
        try:
            if self.conn.poll(0):
                self.broken = True
                return False
        except (OSError, EOFError, ValueError):
            self.broken = True
            return False
        return True

    def end(self) -> str:
        """How the worker ended (waits a moment for the zygote to report it)."""
        if self._ended is None:
            self._ended = describe_end(self.zygote.exit_code(self.pid, wait=5.0))
        return self._ended

    def kill(self) -> None:
        self.broken = True
        if self._ended is None:  # once it ended its pid may belong to another process
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self.end()
        self._discard()

    def close(self, wait: float = 0.0) -> None:
        """Let the worker exit (it removes its folder); ``wait`` seconds for it to be gone."""
        if self.broken:
            self.kill()
            return
        with contextlib.suppress(OSError, EOFError, ValueError):
            self.conn.send(("exit",))
        if wait and self._ended is None:
            self._ended = describe_end(self.zygote.exit_code(self.pid, wait=wait))
        self._discard()

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.folder and self.broken:
            shutil.rmtree(self.folder, ignore_errors=True)


_idle: OrderedDict[tuple[Any, ...], list[Worker]] = OrderedDict()
# One started worker with no function yet per set of limits, so the next new version need not wait
# for a fork; ``None`` while one is being started.
_spares: dict[tuple[Any, ...], Worker | None] = {}
_starting: list[threading.Thread] = []
_pool_lock = threading.Lock()


def checkout(key: tuple[Any, ...], limits: tuple[Any, ...], config: Callable[[], dict[str, Any]]) -> Worker:
    """An idle worker for ``key`` (loaded with that function version), else the spare started with
    the same ``limits`` (another is started meanwhile), else a new one started with ``config()``."""
    while True:
        with _pool_lock:
            workers = _idle.get(key)
            worker = workers.pop() if workers else None
            if workers is not None and not workers:
                del _idle[key]
        if worker is None:
            break
        if worker.alive():
            return worker
        worker.close()
    with _pool_lock:
        spare = _spares.get(limits)
        starting = limits in _spares
        _spares[limits] = None
    if not starting or spare is not None:
        thread = threading.Thread(target=_start_spare, args=(limits, config), daemon=True)
        with _pool_lock:
            _starting[:] = [t for t in _starting if t.is_alive()] + [thread]
        thread.start()
    if spare is None or not spare.alive():
        if spare is not None:
            spare.close()
        return Worker(key, config())
    spare.key = key
    return spare


def _start_spare(limits: tuple[Any, ...], config: Callable[[], dict[str, Any]]) -> None:
    try:
        spare: Worker | None = Worker(("spare",), config())
    except Exception:
        spare = None
    with _pool_lock:
        if _spares.get(limits, "gone") is None:
            _spares[limits], spare = spare, None
            if _spares[limits] is None:
                del _spares[limits]
    if spare is not None:  # the pool was shut down meanwhile
        spare.close(wait=2.0)


def checkin(worker: Worker) -> None:
    """Give ``worker`` back for reuse (a broken one is killed); the least recently used beyond
    :data:`IDLE_LIMIT` are closed."""
    if worker.broken or worker.loaded is None:
        worker.close()
        return
    surplus: list[Worker] = []
    with _pool_lock:
        _idle.setdefault(worker.key, []).append(worker)
        _idle.move_to_end(worker.key)
        while sum(len(group) for group in _idle.values()) > IDLE_LIMIT:
            oldest = next(iter(_idle))
            surplus.append(_idle[oldest].pop(0))
            if not _idle[oldest]:
                del _idle[oldest]
    for extra in surplus:
        extra.close()


def shutdown() -> None:
    """Close every idle worker and the zygote (at exit)."""
    global _zygote
    for thread in list(_starting):  # a spare being started finishes first, then goes too
        with contextlib.suppress(RuntimeError):  # not started yet
            thread.join(10)
    with _pool_lock:
        workers = [w for group in _idle.values() for w in group]
        workers += [w for w in _spares.values() if w is not None]
        _idle.clear()
        _spares.clear()
    for worker in workers:
        worker.close(wait=2.0)  # before the zygote goes, which kills what still runs
    with _zygote_lock:
        current, _zygote = _zygote, None
    if current is not None and current.owner == os.getpid():
        current.close()


def wait_until(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


atexit.register(shutdown)
