"""The event loop simulations run on: one long-lived loop in a daemon thread, like the host's server
loop (so instance state bound to a loop keeps working across calls), isolated from the caller's loop.

A function that blocks its loop for ever (a sync ``while True``) cannot be interrupted; when that
happens the caller stops waiting at the timeout and the stuck loop is abandoned: the next simulation
starts a new one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# The recorder of the simulation a task belongs to (set while a handler runs).
CURRENT_RECORDER: contextvars.ContextVar[Any] = contextvars.ContextVar("actionkit_recorder", default=None)

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def _task_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
    """Create tasks as usual, remembering those a simulated function starts (to await them)."""
    task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, **kwargs)
    context = kwargs.get("context")
    recorder = context.get(CURRENT_RECORDER) if context is not None else CURRENT_RECORDER.get()
    if recorder is not None:
        recorder.spawned.append(task)
    return task


def _start() -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    loop = asyncio.new_event_loop()
    loop.set_task_factory(_task_factory)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        while not loop.is_closed():
            try:
                loop.run_forever()
            except BaseException:  # SystemExit/KeyboardInterrupt raised in a function's task
                continue
            break

    thread = threading.Thread(target=run, name="actionkit-simulation-loop", daemon=True)
    thread.start()
    ready.wait()
    return loop, thread


def sim_loop() -> asyncio.AbstractEventLoop:
    """The shared simulation loop (started on first use, restarted after it got stuck)."""
    global _loop, _thread
    loop = _loop
    if loop is not None and not loop.is_closed():
        return loop
    with _lock:
        if _loop is None or _loop.is_closed():
            _loop, _thread = _start()
        return _loop


def on_sim_thread() -> bool:
    return _thread is not None and threading.current_thread() is _thread


def abandon(loop: asyncio.AbstractEventLoop) -> None:
    """Stop using ``loop`` (it is blocked by a function); the next call starts a fresh one."""
    global _loop, _thread
    with _lock:
        if _loop is loop:
            _loop, _thread = None, None
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(loop.stop)


def submit(coro: Coroutine[Any, Any, T]) -> tuple[concurrent.futures.Future[T], asyncio.AbstractEventLoop]:
    """Schedule ``coro`` on the simulation loop (a private one when called from that loop's thread)."""
    if on_sim_thread():
        loop, _ = _start()
        future = asyncio.run_coroutine_threadsafe(_then_stop(coro, loop), loop)
        return future, loop
    loop = sim_loop()
    return asyncio.run_coroutine_threadsafe(coro, loop), loop


async def _then_stop(coro: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop) -> T:
    try:
        return await coro
    finally:
        loop.call_soon(loop.stop)
