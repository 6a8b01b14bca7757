"""What stands in for the host's surroundings when a function runs outside Open WebUI.

Functions written for a real Open WebUI often import the host itself (``from
open_webui.models.users import Users``, ``from open_webui.utils.chat import
generate_chat_completion`` ...). When the real ``open_webui`` package is not importable,
:func:`install` adds a meta-path finder, placed after every other finder, that serves these
modules from small, honest stand-ins; they answer from the running simulation's
:mod:`~actionkit.standins.context` (its user, chat, files, model registry and mock model) and
behave like 0.12.4 (async where the host is async, same errors for the same misuse).
:class:`MockModel` stands in for the language model.

Only the modules in :data:`STANDINS` are served. Any other module that exists in 0.12.4 fails to
import with :class:`~actionkit.errors.StandinImportError` naming what is supported and how to use
the real package; modules 0.12.4 does not have fail with the usual ``ModuleNotFoundError``, as on
the host. When the real package is importable nothing is installed, and an installed finder steps
aside.
"""

from __future__ import annotations

from . import context
from ._base import async_host_names, host_async
from ._files import Files
from ._finder import (
    STANDINS,
    install,
    installed,
    is_standin,
    provide,
    real_package_available,
    supported,
    uninstall,
    unsupported_module_message,
)
from ._mock_model import MockModel, model_in_use
from .context import SimContext

__all__ = [
    "STANDINS",
    "Files",
    "MockModel",
    "SimContext",
    "async_host_names",
    "context",
    "host_async",
    "install",
    "installed",
    "is_standin",
    "model_in_use",
    "provide",
    "real_package_available",
    "supported",
    "uninstall",
    "unsupported_module_message",
]
