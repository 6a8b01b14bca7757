"""actionkit: write, tune and regression-test Open WebUI functions and tools in Jupyter.

Importing the package is light: the store, simulator, widgets and magics load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ActionkitError, FunctionLoadError, SimulationError, StoreError, ValvesError
from .function import Function, Tool, load, load_file

if TYPE_CHECKING:
    from .chat import Chat
    from .runtimes import asimulate, simulate
    from .sim import Simulation
    from .standins import MockModel
    from .store import Store
    from .testing import compat
    from .widgets import playground, valves_editor

__version__ = "0.1.0"

__all__ = [
    "ActionkitError",
    "Chat",
    "Function",
    "FunctionLoadError",
    "MockModel",
    "Simulation",
    "SimulationError",
    "Store",
    "StoreError",
    "Tool",
    "ValvesError",
    "asimulate",
    "compat",
    "load",
    "load_file",
    "playground",
    "simulate",
    "valves_editor",
]

_LAZY = {
    "Chat": "actionkit.chat",
    "MockModel": "actionkit.standins",
    "Simulation": "actionkit.sim",
    "Store": "actionkit.store",
    "asimulate": "actionkit.runtimes",
    "compat": "actionkit.testing",
    "simulate": "actionkit.runtimes",
    "playground": "actionkit.widgets",
    "valves_editor": "actionkit.widgets",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'actionkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext actionkit``: register the magics."""
    from .magics import register

    register(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Nothing to undo: magics stay registered until the kernel restarts."""
