"""``simulate(..., runtime=...)``: this simulator, or the installed open-webui itself.

``runtime="open-webui"`` hands the call to :func:`actionkit.runtime_owui.run_in_open_webui` (or its
async twin) with the same arguments. Options that only this simulator has are handled here:
``on_record`` is left out when the real runtime does not take it (the run is simply not observed
live), ``llm`` is refused when it does not (the real runtime answers with the host's own models).
"""

from __future__ import annotations

import inspect
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


def _accepted(target: Any, options: dict[str, Any]) -> dict[str, Any]:
    parameters = inspect.signature(target).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs: dict[str, Any] = {}
    for name, value in options.items():
        if takes_all or name in parameters:
            kwargs[name] = value
        elif name == "on_record" or value is None:
            continue
        else:
            raise SimulationError(
                f"runtime={OPEN_WEBUI!r} does not take {name}=: the real open-webui answers "
                "generate_chat_completion with its own configured models"
                if name == "llm"
                else f"runtime={OPEN_WEBUI!r} does not take {name}=",
                hint=f"leave {name}= out, or use runtime={ACTIONKIT!r}",
            )
    return kwargs


def run_in_open_webui(target: Any, body: Any, options: dict[str, Any]) -> Simulation:
    from . import runtime_owui

    run = runtime_owui.run_in_open_webui
    return run(target, body, **_accepted(run, options))


async def arun_in_open_webui(target: Any, body: Any, options: dict[str, Any]) -> Simulation:
    from . import runtime_owui

    run = runtime_owui.arun_in_open_webui
    return await run(target, body, **_accepted(run, options))
