"""One playground run as a background job: ``asimulate`` awaited on a worker thread's own loop.

The function runs off the kernel's loop (on this worker's loop, or the simulator's loop thread for
sync handlers); the job answers event calls through the dialogs and reports back to the
playground. Cancelling the job cancels the simulation and closes its dialog.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import threading
from typing import TYPE_CHECKING, Any

from ..errors import ActionkitError
from ..runtimes import asimulate
from ._dialogs import DialogBridge

if TYPE_CHECKING:
    from ..sim import Simulation
    from ._playground import Playground


def kernel_loop() -> tuple[asyncio.AbstractEventLoop | None, int | None]:
    try:
        return asyncio.get_running_loop(), threading.get_ident()
    except RuntimeError:
        return None, None


class Job:
    """One run: ``asimulate`` awaited on a worker thread's own loop, cancellable from outside."""

    def __init__(self, playground: Playground, generation: int, request: dict[str, Any]) -> None:
        self.playground = playground
        self.generation = generation
        self.request = request
        self.done = threading.Event()
        self.bridge = DialogBridge(
            playground._show_dialog,
            timeout=playground.call_timeout,
            post=playground._post,
            answered=playground._dialog_answered,
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._cancelled = False

    def start(self) -> None:
        threading.Thread(target=self.run_here, name="actionkit-playground-run", daemon=True).start()

    def run_here(self) -> None:
        sim: Simulation | None = None
        error: str | None = None
        try:
            sim = asyncio.run(self._main())
        except asyncio.CancelledError:
            error = None
        except ActionkitError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not leave the playground spinning
            error = f"{type(exc).__name__}: {exc}"
        finally:
            playground = self.playground
            if not self._cancelled:
                playground._post(lambda: playground._finished(self.generation, sim, error))
            self.done.set()

    async def _main(self) -> Simulation:

        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        if self._cancelled:
            raise asyncio.CancelledError
        options = dict(self.request)
        body = options.pop("body")
        playground = self.playground
        replies = playground.replies
        if replies is None and not playground.static:
            replies = self.bridge
        options["replies"] = replies
        if _accepts(asimulate, "on_record") and not playground.static:
            generation = self.generation
            options["on_record"] = lambda kind, item: playground._record(generation, kind, item)
        # In this process: its dialogs are answered on the kernel's loop, which a worker cannot reach.
        return await asimulate(playground.fn, body, isolate=False, **options)

    def cancel(self) -> None:
        self._cancelled = True
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)
        current = self.bridge.current
        if current is not None:
            fut: concurrent.futures.Future[Any] = current.future
            fut.cancel()
            self.playground._post(current.close)


def _accepts(function: Any, name: str) -> bool:
    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
