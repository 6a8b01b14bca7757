"""The event loop simulations run on: one long-lived loop in a daemon thread, like the host's server
loop (so instance state bound to a loop keeps working across calls), isolated from the caller's loop.

A function that blocks its loop (a sync ``while True``, a long ``time.sleep``) past the timeout, or
whose caller is interrupted (Ctrl-C), leaves that loop abandoned: the caller stops waiting, the next
simulation starts a new loop, and the stuck function is stopped at its next Python instruction
(:func:`actionkit._deadline.stop_thread`; code stuck inside C stops when it returns), after which the
old loop shuts down. A function that stops the loop only pauses it: the loop is started again.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from .._deadline import stop_thread

T = TypeVar("T")

# The recorder of the simulation a task belongs to (set while a handler runs).
CURRENT_RECORDER: contextvars.ContextVar[Any] = contextvars.ContextVar("actionkit_recorder", default=None)


def _task_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
    """Create tasks as usual, remembering those a simulated function starts (to await them)."""
    task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, **kwargs)
    context = kwargs.get("context")
    recorder = context.get(CURRENT_RECORDER) if context is not None else CURRENT_RECORDER.get()
    if recorder is not None:
        recorder.spawned.append(task)
    return task


def track_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Make ``loop`` remember the tasks a simulated function starts (installed once, delegating to
    any task factory already set; tasks outside a simulation are untouched)."""
    previous = loop.get_task_factory()
    if getattr(previous, "_actionkit_tracking", False):
        return

    def tracking_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> Any:
        if previous is not None:
            task = previous(loop, coro, **kwargs)
        else:
            task = asyncio.Task(coro, loop=loop, **kwargs)
        context = kwargs.get("context")
        recorder = context.get(CURRENT_RECORDER) if context is not None else CURRENT_RECORDER.get()
        if recorder is not None:
            recorder.spawned.append(task)
        return task

    tracking_factory._actionkit_tracking = True  # type: ignore[attr-defined]
    loop.set_task_factory(tracking_factory)


class Runner:
    """One event loop running in its own daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.set_task_factory(_task_factory)
        self.abandoned = False
        self.stops = 0  # how often a function stopped the loop
        ready = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(ready,), name="actionkit-simulation-loop", daemon=True
        )
        self.thread.start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        while True:
            with contextlib.suppress(BaseException):  # SystemExit etc. raised in a function's task
                loop.run_forever()
            if self.abandoned:
                break
            self.stops += 1
        with contextlib.suppress(BaseException):
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        with contextlib.suppress(BaseException):
            loop.close()

    def abandon(self) -> None:
        self.abandoned = True
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.loop.stop)


_lock = threading.Lock()
_runner: Runner | None = None


def runner() -> Runner:
    """The shared simulation loop (started on first use, replaced after it got stuck)."""
    global _runner
    current = _runner
    if current is not None and not current.abandoned:
        return current
    with _lock:
        if _runner is None or _runner.abandoned:
            _runner = Runner()
        return _runner


def on_sim_thread() -> bool:
    current = _runner
    return current is not None and threading.current_thread() is current.thread


def current_runner() -> Runner | None:
    """The runner whose thread is running now, if any."""
    current = _runner
    if current is not None and threading.current_thread() is current.thread:
        return current
    return None


def abandon(target: Runner) -> None:
    """Stop using ``target`` (a function blocks it): the next call starts a fresh loop, and the code
    blocking it is stopped so that the old loop can shut down."""
    global _runner
    with _lock:
        if _runner is target:
            _runner = None
    target.abandon()
    stop_thread(target.thread)


def responsive(target: Runner, wait: float) -> bool:
    """Whether ``target``'s loop runs a callback within ``wait`` seconds (it is not blocked)."""
    done = threading.Event()
    try:
        target.loop.call_soon_threadsafe(done.set)
    except RuntimeError:  # closed
        return False
    return done.wait(wait)


def submit(coro: Coroutine[Any, Any, T]) -> tuple[concurrent.futures.Future[T], Runner]:
    """Schedule ``coro`` on the simulation loop (a private one when called from that loop's thread)."""
    if on_sim_thread():
        private = Runner()
        return _start(_then_close(coro, private), private.loop), private
    shared = runner()
    return _start(coro, shared.loop), shared


def _start(coro: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop) -> concurrent.futures.Future[T]:
    """``asyncio.run_coroutine_threadsafe`` with less work per call: the task itself settles the
    future when the coroutine ends (one loop turn fewer), and cancelling the future cancels it."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def start() -> None:
        if future.cancelled():
            coro.close()
            return
        task = loop.create_task(_settling(coro, future))
        future.add_done_callback(lambda done: done.cancelled() and loop.call_soon_threadsafe(task.cancel))

    loop.call_soon_threadsafe(start)
    return future


async def _settling(coro: Coroutine[Any, Any, T], future: concurrent.futures.Future[T]) -> None:
    try:
        result = await coro
    except asyncio.CancelledError:
        future.cancel()
        raise
    except BaseException as exc:
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            future.set_exception(exc)
        if not isinstance(exc, Exception):
            raise
    else:
        with contextlib.suppress(concurrent.futures.InvalidStateError):
            future.set_result(result)


async def _then_close(coro: Coroutine[Any, Any, T], private: Runner) -> T:
    try:
        return await coro
    finally:
        private.abandoned = True
        private.loop.call_soon(private.loop.stop)
