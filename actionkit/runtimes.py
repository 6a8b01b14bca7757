"""``simulate`` and ``asimulate``: one call of a function, run where the caller asks.

Both take exactly the options of :class:`~actionkit.sim.Call` (the one place they are written) and
return a :class:`~actionkit.sim.Simulation`. ``runtime="actionkit"`` (the default) runs the call
in this process with the simulator (:mod:`actionkit.sim`); ``runtime="open-webui"`` runs the same
call through the installed open-webui package (:mod:`actionkit.realhost`), which is not observed
live, so ``on_record`` is ignored there.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from . import realhost, sim
from .errors import SimulationError
from .sim import Call, Simulation

__all__ = ["ACTIONKIT", "OPEN_WEBUI", "RUNTIMES", "asimulate", "select_runtime", "simulate"]

ACTIONKIT = "actionkit"
OPEN_WEBUI = "open-webui"
RUNTIMES = (ACTIONKIT, OPEN_WEBUI)

P = ParamSpec("P")

_DOC = """Simulate one call and return the :class:`Simulation`{twin}.

``target``: a loaded ``Function``, a stored id (``"my_action"`` or ``"my_action.sub"``,
looked up in ``store`` or the default ``Store()``), a ``.py`` path or source text. ``body``: the
request (``event`` for ``hook="stream"``); realistic defaults per hook when left out. The other
options are those of :class:`actionkit.sim.Call`: ``hook``, ``sub_id``, ``stream``, ``valves``,
``user_valves``, ``user``, ``replies``, ``model``, ``metadata``, ``task``, ``files``, ``timeout``,
``store``, ``real_ids``, ``llm``, ``on_record`` and ``runtime`` (``"actionkit"``, this simulator,
or ``"open-webui"``, the installed open-webui itself). Bad arguments raise ``SimulationError``.
"""


def select_runtime(runtime: Any) -> str:
    """``runtime`` checked: one of :data:`RUNTIMES`, else a SimulationError listing them."""
    if isinstance(runtime, str) and runtime in RUNTIMES:
        return runtime
    raise SimulationError(
        f"unknown runtime {runtime!r}: use runtime={ACTIONKIT!r} (the simulator, the default) or "
        f"runtime={OPEN_WEBUI!r} (the installed open-webui package)"
    )


def _entry(name: str, doc: str, build: Callable[P, Call], body: Callable[[Call], Any]) -> Callable[P, Any]:
    """A public entry point taking ``build``'s parameters, documented and signed like it."""

    def entry(*args: P.args, **kwargs: P.kwargs) -> Any:
        return body(build(*args, **kwargs))

    entry.__name__ = entry.__qualname__ = name
    entry.__doc__ = doc
    entry.__module__ = __name__
    entry.__signature__ = inspect.signature(build).replace(  # type: ignore[attr-defined]
        return_annotation="Simulation"
    )
    return entry


def _simulator(runtime: Any) -> bool:
    """Whether ``runtime`` is the simulator (the default, told at once), else the checked other one."""
    return (type(runtime) is str and runtime == ACTIONKIT) or select_runtime(runtime) == ACTIONKIT


def _run(call: Call) -> Simulation:
    if _simulator(call.runtime):
        return sim.run(call)
    return realhost.run(call)


async def _arun(call: Call) -> Simulation:
    if _simulator(call.runtime):
        return await sim.arun(call)
    return await realhost.arun(call)


def _sync(build: Callable[P, Call]) -> Callable[P, Simulation]:
    return _entry("simulate", _DOC.format(twin=" (works inside a running event loop)"), build, _run)


def _async(build: Callable[P, Call]) -> Callable[P, Coroutine[Any, Any, Simulation]]:
    return _entry("asimulate", _DOC.format(twin=", awaited (the async twin of simulate)"), build, _arun)


simulate = _sync(Call)
asimulate = _async(Call)
