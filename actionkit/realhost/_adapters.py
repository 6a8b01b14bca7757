"""The host calls whose shape differs between Open WebUI releases, made as the running one takes them.

Every difference comes from :func:`actionkit.releases.shape` of the installed release: 0.8's
database tables and socket helpers are sync, the module caches gained helpers in 0.10,
``process_filter_functions`` a filter-context argument in 0.11, ``get_system_oauth_token`` moved in
0.12, and so on. The rest of ``realhost`` calls these instead of the host's functions directly.
Runs on the host's event loop.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.metadata
import inspect
import types
from collections.abc import Callable
from typing import Any

from ..host import VERSION
from ..releases import HostShape, shape


def host_module(name: str) -> Any:
    """Import a module of the host environment (open_webui, fastapi, starlette) by name."""
    return importlib.import_module(name)


def is_available() -> bool:
    """True when the real ``open_webui`` package is installed here (actionkit's stand-ins for it,
    served by a meta-path finder, do not count)."""
    try:
        return importlib.machinery.PathFinder.find_spec("open_webui") is not None
    except (ImportError, ValueError):
        return False


def installed_version() -> str | None:
    try:
        return importlib.metadata.version("open-webui")
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.cache
def current() -> HostShape:
    """The shape of the open-webui installed here (0.12.4's when its version cannot be read)."""
    return shape(installed_version() or VERSION)


async def db(value: Any) -> Any:
    """The result of a host table call: awaited from 0.9 on, as it is before 0.9 (sync tables)."""
    return await value if inspect.isawaitable(value) else value


def functions_cache(request: Any) -> dict[str, Any]:
    """The host's cache of loaded function modules (``app.state.FUNCTIONS`` before 0.10)."""
    if current().cache_helpers:
        cache: dict[str, Any] = host_module("open_webui.utils.plugin").get_functions_cache(request)
        return cache
    state: dict[str, Any] = request.app.state.FUNCTIONS
    return state


def function_contents_cache(request: Any) -> dict[str, Any]:
    """The host's cache of the sources those modules were loaded from."""
    if current().cache_helpers:
        cache: dict[str, Any] = host_module("open_webui.utils.plugin").get_function_contents_cache(request)
        return cache
    state: dict[str, Any] = request.app.state.FUNCTION_CONTENTS
    return state


async def system_oauth_token(request: Any, user: Any) -> Any:
    return await host_module(current().oauth_module).get_system_oauth_token(request, user)


async def process_filters(
    request: Any, functions: list[Any], hook: str, body: Any, extra: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """``process_filter_functions`` with a fresh filter context from 0.11 on, without one before."""
    process = host_module("open_webui.utils.filter").process_filter_functions
    if current().filter_context:
        result: tuple[Any, dict[str, Any]] = await process(request, None, functions, hook, body, extra)
    else:
        result = await process(request, functions, hook, body, extra)
    return result


def is_saved_chat_id(chat_id: str | None) -> bool:
    """The host's own test from 0.11 on; before, only ``local:`` (temporary) and ``channel:`` chats
    are not saved, as the host tests inline."""
    if current().chat_id_module:
        return bool(host_module("open_webui.utils.chat_id").is_saved_chat_id(chat_id))
    return bool(chat_id) and not str(chat_id).startswith(("local:", "channel:"))


async def insert_chat(chat_id: str, user_id: str, form: Any) -> Any:
    """``Chats.insert_new_chat`` storing ``chat_id``: before 0.9 the table picks a uuid4 itself, so
    it is handed the wanted id for that one (sync) call and the host's own code does the rest."""
    chats_module = host_module("open_webui.models.chats")
    if not current().sync_database:
        return await chats_module.Chats.insert_new_chat(chat_id, user_id, form)
    real_uuid = chats_module.uuid
    chats_module.uuid = types.SimpleNamespace(uuid4=lambda: chat_id)
    try:
        return chats_module.Chats.insert_new_chat(user_id, form)
    finally:
        chats_module.uuid = real_uuid


def event_getters(
    emitter_for: Callable[[dict[str, Any]], Any], caller: Callable[[dict[str, Any]], Any]
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``get_event_emitter`` / ``get_event_call`` replacements shaped like the host's: plain
    functions before 0.9 (the host calls them without ``await``), coroutine functions after."""
    if current().sync_database:

        def sync_emitter(request_info: dict[str, Any], update_db: bool = True) -> Any:
            return emitter_for(request_info)

        def sync_caller(request_info: dict[str, Any]) -> Any:
            return caller(request_info)

        return sync_emitter, sync_caller

    async def emitter(request_info: dict[str, Any], update_db: bool = True) -> Any:
        return emitter_for(request_info)

    async def call(request_info: dict[str, Any]) -> Any:
        return caller(request_info)

    return emitter, call
