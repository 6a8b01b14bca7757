"""Run coroutines from synchronous code, also inside a running event loop (Jupyter)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result.

    Without a running loop this is ``asyncio.run``. Inside one (a Jupyter cell), the coroutine runs
    on a fresh loop in a helper thread, so the kernel's own loop is never re-entered or blocked by
    nested ``asyncio.run`` errors.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="actionkit") as pool:
        return pool.submit(context.run, asyncio.run, coro).result()
