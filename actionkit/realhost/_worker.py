"""The worker process of one Open WebUI release: ``python -m actionkit.realhost._worker FD``.

Runs with the release's own interpreter (its venv), with actionkit importable. ``FD`` is its end
of the socket to the parent (see :mod:`actionkit._wire`). It says hello, starts the host (imports
``open_webui.main``, migrates a fresh database), says ready, then runs each call it is sent with
``runtime="open-webui"`` in this process, one at a time, asking the parent whenever the call needs
a callable that stayed there (``describe`` asks what the host makes of a source instead). It
exits when the parent says stop or closes the socket.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import os
import platform
import socket
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._wire import PROTOCOL, Channel, decode, decode_error, encode, encode_error
from . import _host
from ._adapters import installed_version
from ._runtime import describe_in_open_webui, run, start
from ._transfer import incoming, simulation_data

if TYPE_CHECKING:
    from ..sim import Call, Simulation


class Questions:
    """Questions to the parent and their pending answers (asked from the host's event loop)."""

    def __init__(self, channel: Channel, run_id: int) -> None:
        self.channel = channel
        self.run_id = run_id
        self._numbers = itertools.count(1)
        self._pending: dict[int, concurrent.futures.Future[Any]] = {}
        self._lock = threading.Lock()

    def ask(self, name: str, args: list[Any]) -> asyncio.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            number = next(self._numbers)
            self._pending[number] = future
        self.channel.send({"op": "ask", "id": self.run_id, "ask": number, "name": name, "args": encode(args)})
        return asyncio.wrap_future(future)

    def answer(self, message: dict[str, Any]) -> None:
        with self._lock:
            future = self._pending.pop(int(message["ask"]), None)
        if future is None:
            return
        if message.get("error") is not None:
            future.set_exception(decode_error(message["error"]))
        else:
            future.set_result(decode(message.get("value")))


def _run_one(
    channel: Channel, message: dict[str, Any], questions: Questions, run_call: Callable[[Call], Simulation]
) -> None:
    run_id = message["id"]
    try:
        if message["op"] == "describe":
            asked = decode(message["describe"])
            value = encode(describe_in_open_webui(**asked))
        else:
            value = simulation_data(run_call(incoming(message["call"], questions.ask)))
        channel.send({"op": "done", "id": run_id, "value": value})
    except BaseException as exc:  # everything goes back to the parent; the worker keeps serving
        host = _host.current_host()
        broken = host is not None and host.blocked_by is not None
        channel.send({"op": "failed", "id": run_id, "error": encode_error(exc), "broken": broken})


def serve(
    channel: Channel,
    *,
    start_host: Callable[[], None] = start,
    run_call: Callable[[Call], Simulation] = run,
    version: str | None = None,
) -> int:
    """Serve the parent on ``channel`` until it stops: ``start_host`` first, then ``run_call`` for
    each call (the real host's, unless a test hands in others)."""
    info = {
        "open_webui": version or installed_version(),
        "python": platform.python_version(),
        "actionkit": __version__,
        "pid": os.getpid(),
    }
    channel.send({"op": "hello", "protocol": PROTOCOL, "info": info})
    try:
        start_host()
    except BaseException as exc:
        channel.send({"op": "failed", "id": None, "error": encode_error(exc)})
        return 1
    channel.send({"op": "ready"})
    runs = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="actionkit-run")
    questions: Questions | None = None
    while True:
        message = channel.receive()
        if message is None or message.get("op") == "stop":
            return 0
        if message.get("op") == "answer" and questions is not None:
            questions.answer(message)
        elif message.get("op") in ("run", "describe"):
            questions = Questions(channel, message["id"])
            runs.submit(_run_one, channel, message, questions, run_call)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m actionkit.realhost._worker FD", file=sys.stderr)
        return 2
    channel = Channel(socket.socket(fileno=int(argv[0])))
    code = serve(channel)
    channel.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the host leaves non-daemon threads behind; nothing here needs them


if __name__ == "__main__":
    main(sys.argv[1:])
