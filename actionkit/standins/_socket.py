"""Stand-in for ``open_webui.socket.main``: event emitters for the running simulation.

``get_event_emitter(request_info)`` / ``get_event_call(request_info)`` (async in 0.12.4) return the
simulation's recording emitter and caller, so events a function sends through them are recorded
like those sent through ``__event_emitter__``; outside a simulation they return ``None``.
"""

from __future__ import annotations

from typing import Any

from . import context
from ._base import host_async

__all__ = ["get_event_call", "get_event_emitter"]


@host_async("")
async def get_event_emitter(request_info: Any, update_db: bool = True) -> Any:
    return context.current().event_emitter


@host_async("")
async def get_event_call(request_info: Any) -> Any:
    return context.current().event_call
