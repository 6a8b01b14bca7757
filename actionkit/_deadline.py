"""Bounding code by a timeout in the thread that runs it, and stopping a thread stuck in a function.

:func:`interrupt_after` raises :class:`Interrupted` inside its block once the block has run for
``seconds``. On the main thread a ``SIGALRM`` timer does it, which also stops sleeps and lock waits;
on any other thread (or when the alarm is taken) an asynchronous exception is set for the thread,
which takes effect at its next Python instruction: a pure-Python loop stops at once, a call stuck in
C code when it returns. :func:`stop_thread` sets the same asynchronous exception on another thread.

:class:`Interrupted` is a ``BaseException``, so ``except Exception`` in the bounded code does not
swallow it.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Interrupted", "interrupt_after", "stop_thread"]


class Interrupted(BaseException):
    """Raised inside code that ran past its timeout (or in a thread asked to stop)."""


def stop_thread(thread: threading.Thread, exc: type[BaseException] = Interrupted) -> bool:
    """Raise ``exc`` in ``thread`` at its next Python instruction; whether the thread was running."""
    ident = thread.ident
    if ident is None or not thread.is_alive():
        return False
    return _raise_in(ident, exc) == 1


def _raise_in(ident: int, exc: type[BaseException] | None) -> int:
    """Set (or, with ``None``, clear) the pending asynchronous exception of thread ``ident``."""
    import ctypes  # only this path needs it, so `import actionkit` does not pay for it

    set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async_exc.restype = ctypes.c_int
    return int(set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None))


@contextmanager
def interrupt_after(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Interrupted` in the block when it runs longer than ``seconds`` (``None``: no limit)."""
    if seconds is None or not math.isfinite(seconds):
        yield
        return
    seconds = max(float(seconds), 0.001)
    if _alarm_is_free():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


def _alarm_is_free() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    try:
        handler = signal.getsignal(signal.SIGALRM)
        running = signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0)
    except (ValueError, OSError):
        return False
    return not running and handler in (signal.SIG_DFL, signal.SIG_IGN, None)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            armed[0] = False
            raise Interrupted(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            armed[0] = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _raise_in(target, Interrupted)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
            fired = state["fired"]
        timer.cancel()
        if fired:
            _raise_in(target, None)  # a pending exception the block finished before raising
