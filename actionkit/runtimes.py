"""``simulate`` and ``asimulate``: one call of a function, run where the caller asks.

Both take exactly the options of :class:`~actionkit.sim.Call` (the one place they are written) and
return a :class:`~actionkit.sim.Simulation`. ``runtime="actionkit"`` (the default) runs the call
with the simulator (:mod:`actionkit.sim`): in this process, or with ``isolate=True`` (or
``ACTIONKIT_ISOLATE=1``) in a worker process that loads the function so this one never runs it;
``runtime="open-webui"`` runs the same call through the installed open-webui package
(:mod:`actionkit.realhost`) and ``runtime="open-webui==<version>"`` through that release, in a worker
process of its own (installed on first use); the real host is not observed live, so ``on_record`` is
ignored there. In an interactive notebook, ``simulate`` draws the run in the cell as it happens
(statuses, streamed text, dialogs) and clears that when it returns; never with
``ACTIONKIT_RENDER=static``.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from . import realhost, sim
from .errors import SimulationError
from .releases import runtime_name, runtime_release
from .sim import Call, Simulation
from .standins import context, model_in_use
from .view import live_progress

__all__ = [
    "ACTIONKIT",
    "ISOLATE_ENV",
    "OPEN_WEBUI",
    "RUNTIMES",
    "asimulate",
    "isolated",
    "select_runtime",
    "simulate",
]

ACTIONKIT = "actionkit"
OPEN_WEBUI = "open-webui"
RUNTIMES = (ACTIONKIT, OPEN_WEBUI)
ISOLATE_ENV = "ACTIONKIT_ISOLATE"
_YES, _NO = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")

P = ParamSpec("P")

_DOC = """Simulate one call and return the :class:`Simulation`{twin}.

``target``: a loaded ``Function``, a stored id (``"my_action"`` or ``"my_action.sub"``,
looked up in ``store`` or the default ``Store()``), a ``.py`` path or source text. ``body``: the
request (``event`` for ``hook="stream"``); realistic defaults per hook when left out. The other
options are those of :class:`actionkit.sim.Call`: ``hook``, ``sub_id``, ``stream``, ``valves``,
``user_valves``, ``user``, ``replies``, ``model``, ``metadata``, ``task``, ``files``, ``timeout``,
``store``, ``real_ids``, ``llm``, ``on_record``, ``runtime`` (``"actionkit"``, this simulator,
``"open-webui"``, the installed open-webui itself, or ``"open-webui==0.10.2"``, that release, in a
worker process of its own, installed on first use), ``event`` (for an Event function: the
application event, a name or a dict of the payload's fields), ``isolate`` (load and run the function
in a worker process; default: ``$ACTIONKIT_ISOLATE``), ``allow_network`` and ``memory_limit`` (for
an isolated run). Bad arguments raise ``SimulationError``.
"""


def select_runtime(runtime: Any) -> str:
    """``runtime`` checked: one of :data:`RUNTIMES` or ``"open-webui==<version>"`` (a release of
    the lines 0.8 to 0.12; ``"open-webui==0.10"`` is the last of its line), else a SimulationError."""
    if runtime is ACTIONKIT or (isinstance(runtime, str) and runtime in RUNTIMES):  # the default first
        return runtime
    if isinstance(runtime, str) and runtime.startswith(f"{OPEN_WEBUI}=="):
        version = runtime_release(runtime)
        assert version is not None
        return runtime_name(version)
    raise SimulationError(
        f"unknown runtime {runtime!r}: use runtime={ACTIONKIT!r} (the simulator, the default), "
        f"runtime={OPEN_WEBUI!r} (the installed open-webui package) or "
        f"runtime='{OPEN_WEBUI}==0.10.2' (that release, installed on first use)"
    )


def _release(runtime: str) -> str | None:
    """The release a runtime runs in a worker; None for the simulator and for the open-webui
    installed here (a release that is the installed one runs here too)."""
    version = runtime_release(runtime)
    if version is not None and realhost.is_available() and realhost.installed_version() == version:
        return None
    return version


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


def isolated(call: Call) -> bool:
    """Whether ``call`` runs in a worker process: ``isolate`` as given, else ``$ACTIONKIT_ISOLATE``
    (which leaves calls of the real runtime, and calls inside a ``Chat`` or ``MockModel.use()``
    whose state lives in this process, in this process)."""
    return _isolated(call, select_runtime(call.runtime))


def _isolated(call: Call, runtime: str) -> bool:
    """:func:`isolated` for ``call`` whose runtime has been checked already (``runtime``)."""
    given = call.isolate
    if given is not None:
        if not isinstance(given, bool):
            raise SimulationError(f"isolate must be True, False or None, got {given!r}")
        if given and runtime != ACTIONKIT:
            where = (
                "the real package in this process"
                if runtime == OPEN_WEBUI
                else "that release in a worker process of its own"
            )
            raise SimulationError(
                f"isolate=True runs the simulator in a worker process; runtime={call.runtime!r} runs "
                f"{where}: choose one"
            )
        if given and _shared():
            raise SimulationError(
                "isolate=True cannot share the enclosing Chat or MockModel.use() with a worker process",
                hint="pass the scripted replies as llm=[...] instead, or run this call with isolate=False",
            )
        return given
    if runtime != ACTIONKIT or _shared():
        return False
    value = os.environ.get(ISOLATE_ENV, "").strip().lower()
    if value not in (*_YES, *_NO):
        raise SimulationError(f"{ISOLATE_ENV}={value!r}: use 1 (isolate every simulation) or 0")
    return value in _YES


def _shared() -> bool:
    """Whether a ``Chat`` or ``MockModel.use()`` holds state in this process for the call."""
    return context.active() or model_in_use() is not None


def _run(call: Call) -> Simulation:
    runtime = select_runtime(call.runtime)
    isolate = _isolated(call, runtime)  # checks isolate= against the runtime first
    if runtime != ACTIONKIT:
        version = _release(runtime)
        return realhost.run(call) if version is None else realhost.run_release(version, call)
    if isolate:
        return sim.run_isolated(call)
    progress = live_progress(call.on_record)  # in a notebook cell: the run as it happens
    if progress is None:
        return sim.run(call)
    try:
        return sim.run(dataclasses.replace(call, on_record=progress.observe))
    finally:
        progress.close()


async def _arun(call: Call) -> Simulation:
    runtime = select_runtime(call.runtime)
    isolate = _isolated(call, runtime)
    if runtime != ACTIONKIT:
        version = _release(runtime)
        return await (realhost.arun(call) if version is None else realhost.arun_release(version, call))
    if isolate:
        return await sim.arun_isolated(call)
    return await sim.arun(call)


def _sync(build: Callable[P, Call]) -> Callable[P, Simulation]:
    return _entry("simulate", _DOC.format(twin=" (works inside a running event loop)"), build, _run)


def _async(build: Callable[P, Call]) -> Callable[P, Coroutine[Any, Any, Simulation]]:
    return _entry("asimulate", _DOC.format(twin=", awaited (the async twin of simulate)"), build, _arun)


simulate = _sync(Call)
asimulate = _async(Call)
