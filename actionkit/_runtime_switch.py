"""``simulate(..., runtime=...)``: this simulator, or the installed open-webui itself.

``runtime="open-webui"`` hands the call to :func:`actionkit.runtime_owui.run_in_open_webui` (or its
async twin) with the same arguments, except ``on_record``: the real runtime is not observed live.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import SimulationError

if TYPE_CHECKING:
    from .simulation import Simulation

ACTIONKIT = "actionkit"
OPEN_WEBUI = "open-webui"
RUNTIMES = (ACTIONKIT, OPEN_WEBUI)


def select_runtime(runtime: Any) -> str:
    """``runtime`` checked: one of :data:`RUNTIMES`, else a SimulationError listing them."""
    if isinstance(runtime, str) and runtime in RUNTIMES:
        return runtime
    raise SimulationError(
        f"unknown runtime {runtime!r}: use runtime={ACTIONKIT!r} (the simulator, the default) or "
        f"runtime={OPEN_WEBUI!r} (the installed open-webui package)"
    )


def _accepted(options: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in options.items() if name != "on_record"}


def run_in_open_webui(target: Any, body: Any, options: dict[str, Any]) -> Simulation:
    from . import runtime_owui

    run = runtime_owui.run_in_open_webui
    return run(target, body, **_accepted(options))


async def arun_in_open_webui(target: Any, body: Any, options: dict[str, Any]) -> Simulation:
    from . import runtime_owui

    run = runtime_owui.arun_in_open_webui
    return await run(target, body, **_accepted(options))
