"""Serving ``open_webui`` modules from actionkit's stand-ins when the real package is absent.

Functions written for a real Open WebUI often import the host itself (``from
open_webui.models.users import Users``, ``from open_webui.utils.chat import
generate_chat_completion`` ...). When the real ``open_webui`` package is not importable,
:func:`install` adds a meta-path finder, placed after every other finder, that serves these
modules from actionkit's stand-ins; they answer from the running simulation (its user, chat,
files, model registry and mock model, see ``actionkit.standins.context``) and behave like 0.12.4
(async where the host is async, same errors for the same misuse).

Only the modules in :data:`STANDINS` are served. Any other module that exists in 0.12.4 fails to
import with :class:`StandinImportError` naming what is supported and how to use the real package;
modules 0.12.4 does not have fail with the usual ``ModuleNotFoundError``, as on the host. When the
real package is importable nothing is installed, and an installed finder steps aside.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import types
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import StandinImportError
from ._base import REAL_RUNTIME_HINT, real_names

# open_webui module -> actionkit module implementing it.
STANDINS: dict[str, str] = {
    "open_webui.constants": "actionkit.standins._constants",
    "open_webui.env": "actionkit.standins._env",
    "open_webui.main": "actionkit.standins._main",
    "open_webui.models.chats": "actionkit.standins._chats",
    "open_webui.models.config": "actionkit.standins._config",
    "open_webui.models.files": "actionkit.standins._files",
    "open_webui.models.groups": "actionkit.standins._groups",
    "open_webui.models.models": "actionkit.standins._models",
    "open_webui.models.tools": "actionkit.standins._tools",
    "open_webui.models.users": "actionkit.standins._users",
    "open_webui.routers.images": "actionkit.standins._images",
    "open_webui.socket.main": "actionkit.standins._socket",
    "open_webui.storage.provider": "actionkit.standins._storage",
    "open_webui.utils.chat": "actionkit.standins._chat",
    "open_webui.utils.misc": "actionkit.standins._misc",
}


def provide(module: str, implementation: str) -> None:
    """Serve ``module`` (an ``open_webui`` module) from ``implementation`` (an importable module
    name defining ``__all__``), for stand-ins that live beside the code they stand in for, such as
    the loader's own ``open_webui.utils.plugin``."""
    STANDINS[module] = implementation


_PACKAGES = frozenset(
    {
        "open_webui",
        "open_webui.models",
        "open_webui.routers",
        "open_webui.utils",
        "open_webui.storage",
        "open_webui.socket",
    }
)
_MARK = "__actionkit_standin__"
_lock = threading.Lock()


def real_package_available() -> bool:
    """Whether a real ``open_webui`` package can be imported from ``sys.path``."""
    existing = sys.modules.get("open_webui")
    if existing is not None and not is_standin(existing):
        return True
    return importlib.machinery.PathFinder.find_spec("open_webui") is not None


def is_standin(module: Any) -> bool:
    return bool(getattr(module, _MARK, False)) if isinstance(module, types.ModuleType) else False


def supported() -> dict[str, list[str]]:
    """Each stand-in module with the names it provides."""
    return {name: list(importlib.import_module(impl).__all__) for name, impl in STANDINS.items()}


def installed() -> bool:
    return any(isinstance(finder, _StandinFinder) for finder in sys.meta_path)


def install() -> bool:
    """Serve the stand-ins when the real package is absent; ``True`` when they are in place.

    Safe to call repeatedly. When the real package is importable, nothing is installed (an
    earlier installation is removed) and ``False`` is returned.
    """
    with _lock:
        if real_package_available():
            _remove()
            return False
        if not installed():
            sys.meta_path.append(_StandinFinder())
        return True


def uninstall() -> None:
    """Remove the finder and forget every stand-in module already imported."""
    with _lock:
        _remove()


def _remove() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _StandinFinder)]
    for name in [n for n, m in sys.modules.items() if n.split(".")[0] == "open_webui" and is_standin(m)]:
        del sys.modules[name]


def unsupported_module_message(fullname: str) -> str:
    """Why ``fullname`` (a 0.12.4 module without stand-in) cannot be imported, and what to do."""
    lines = [
        f"{fullname} is part of Open WebUI 0.12.4, but the package is not installed here and "
        "actionkit has no stand-in for it. Stand-ins exist for:"
    ]
    for name, names in supported().items():
        lines.append(f"  {name}: {', '.join(names)}")
    lines.append(REAL_RUNTIME_HINT[0].upper() + REAL_RUNTIME_HINT[1:])
    return "\n".join(lines)


def _real_modules() -> frozenset[str]:
    return frozenset(real_names()["modules"])


class _StandinFinder(importlib.abc.MetaPathFinder):
    """Serves ``open_webui.*`` from the stand-ins; placed last so a real package always wins."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "open_webui" and not fullname.startswith("open_webui."):
            return None
        if fullname in STANDINS or fullname in _PACKAGES:
            loader: importlib.abc.Loader = _StandinLoader(STANDINS.get(fullname))
        elif fullname in _real_modules():
            loader = _RejectingLoader()
        else:
            return None
        return importlib.util.spec_from_loader(fullname, loader, is_package=fullname in _PACKAGES)

    def __repr__(self) -> str:
        return "<actionkit open_webui stand-ins>"


class _StandinLoader(importlib.abc.Loader):
    def __init__(self, implementation: str | None) -> None:
        self.implementation = implementation

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def __repr__(self) -> str:
        return "actionkit stand-in"

    def exec_module(self, module: types.ModuleType) -> None:
        names: list[str] = []
        if self.implementation is not None:
            source = importlib.import_module(self.implementation)
            names = list(source.__all__)
            for name in names:
                setattr(module, name, getattr(source, name))
            module.__doc__ = source.__doc__
        else:
            module.__doc__ = f"actionkit stand-in package for {module.__name__}"
        module.__all__ = names  # type: ignore[attr-defined]
        setattr(module, _MARK, True)
        module.__getattr__ = _missing_name(module.__name__, names)  # type: ignore[method-assign]


class _RejectingLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        raise StandinImportError(unsupported_module_message(module.__name__), name=module.__name__)


def _missing_name(module_name: str, provided: list[str]) -> Callable[[str], Any]:
    def __getattr__(attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
        submodule = f"{module_name}.{attr}"
        if submodule in STANDINS or submodule in _PACKAGES or submodule in _real_modules():
            raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
        real = real_names()["names"].get(module_name, [])
        if attr in real:
            raise StandinImportError(
                f"cannot import name {attr!r} from {module_name!r}: it exists in Open WebUI 0.12.4, "
                f"but the actionkit stand-in provides only {', '.join(provided) or 'its submodules'}; "
                f"{REAL_RUNTIME_HINT}",
                name=module_name,
            )
        raise ImportError(
            f"cannot import name {attr!r} from {module_name!r}: Open WebUI 0.12.4 has no such name",
            name=module_name,
        )

    return __getattr__
