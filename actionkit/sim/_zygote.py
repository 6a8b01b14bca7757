"""The process isolated workers are forked from (its :func:`main` runs with the socket's fd).

Started once per process that runs isolated simulations (:mod:`._workers`), with actionkit and the
libraries a simulation needs already imported, it forks one worker per request in a few
milliseconds instead of starting a new interpreter each time. It never starts a thread, so forking
it is safe (the process asking for workers is never forked: it runs a loop thread). It talks over
one ``SOCK_SEQPACKET`` socket, one pickled message per packet:

- in: ``("fork", config)`` with the worker's end of its own socket attached;
- out: ``("ready", pid)`` once, ``("forked", pid)`` or ``("fork_failed", reason)`` per request, and
  ``("exit", pid, code)`` when a worker ends (``code`` negative: killed by that signal).

When the asking process goes away, the zygote kills the workers still running and exits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import socket
import threading
import traceback
from typing import Any

PACKET = 1 << 20


def send(sock: socket.socket, message: Any, fds: list[int] | None = None) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def _preload() -> None:
    """Import what every worker needs, so that a forked worker starts with it."""
    import asyncio  # noqa: F401
    import concurrent.futures  # noqa: F401

    from .. import store, view  # noqa: F401
    from . import _worker  # noqa: F401

    with contextlib.suppress(ImportError):
        import starlette.requests  # noqa: F401  (the __request__ of a simulated call)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[1]))
    _preload()
    from ._worker import serve

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    children: set[int] = set()
    send(control, ("ready", os.getpid()))
    while True:
        readable = select.select([control.fileno(), wake_r], [], [])[0]
        if wake_r in readable:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
            _reap(control, children)
        if control.fileno() not in readable:
            continue
        try:
            data, fds, _flags, _address = socket.recv_fds(control, PACKET, 1)
        except OSError:
            break
        if not data:
            break
        message = pickle.loads(data)
        if message[0] != "fork" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            continue
        if threading.active_count() != 1:
            os.close(fds[0])
            send(control, ("fork_failed", "the zygote started a thread, so it cannot fork safely"))
            continue
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                control.close()
                os.close(wake_r)
                os.close(wake_w)
                code = serve(fds[0], message[1])
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(fds[0])
        children.add(pid)
        send(control, ("forked", pid))
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return 0


def _reap(control: socket.socket, children: set[int]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        with contextlib.suppress(OSError):
            send(control, ("exit", pid, os.waitstatus_to_exitcode(status)))
