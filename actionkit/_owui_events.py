"""Capturing stand-ins for the real host's Socket.IO event emitter and event caller.

Open WebUI builds ``__event_emitter__`` and ``__event_call__`` with ``get_event_emitter`` and
``get_event_call`` (``open_webui.socket.main``), which talk to a browser. The real-runtime mode puts
these replacements into the modules that use them; they record every event and answer every call
from the run's scripted replies. The recorder of the current run travels in a context variable, so
tasks a function starts with ``asyncio.create_task`` record into the same run.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# What 0.12.4's event caller answers when no browser session answers (socket/main.py).
NO_BROWSER_REPLY: dict[str, str] = {"error": "Client session disconnected."}

Replies = list[Any] | Callable[[dict[str, Any]], Any] | None


def _copy(value: Any) -> Any:
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


@dataclass
class Recorder:
    """Events and event calls of one run, in order."""

    replies: Replies = None
    events: list[dict[str, Any]] = field(default_factory=list)
    event_calls: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timeline: list[tuple[str, int]] = field(default_factory=list)
    _next_reply: int = 0

    async def emit(self, event: Any) -> None:
        self.timeline.append(("event", len(self.events)))
        self.events.append(_copy(event))

    async def call(self, event: Any) -> Any:
        entry: dict[str, Any] = {
            "type": event.get("type") if isinstance(event, dict) else None,
            "data": _copy(event.get("data") if isinstance(event, dict) else event),
        }
        reply = await self._reply(event)
        entry["reply"] = _copy(reply)
        self.timeline.append(("call", len(self.event_calls)))
        self.event_calls.append(entry)
        return reply

    async def _reply(self, event: Any) -> Any:
        if callable(self.replies):
            answer = self.replies(_copy(event))
            if inspect.isawaitable(answer):
                answer = await answer
            return answer
        if isinstance(self.replies, list | tuple) and self._next_reply < len(self.replies):
            answer = self.replies[self._next_reply]
            self._next_reply += 1
            return answer
        kind = event.get("type") if isinstance(event, dict) else type(event).__name__
        self.warnings.append(
            f"no reply left for the {kind!r} event call: answered as Open WebUI does when no "
            f"browser answers ({NO_BROWSER_REPLY})"
        )
        return dict(NO_BROWSER_REPLY)


current_recorder: ContextVar[Recorder | None] = ContextVar("actionkit_owui_recorder", default=None)

Emitter = Callable[[Any], Awaitable[None]]
Caller = Callable[[Any], Awaitable[Any]]


async def _emit(event: Any) -> None:
    recorder = current_recorder.get()
    if recorder is not None:
        await recorder.emit(event)


async def _call(event: Any) -> Any:
    recorder = current_recorder.get()
    if recorder is None:
        return dict(NO_BROWSER_REPLY)
    return await recorder.call(event)


async def get_event_emitter(request_info: dict[str, Any], update_db: bool = True) -> Emitter | None:
    """Like 0.12.4's: an emitter only when user, chat and message ids are all given."""
    if all(key in request_info for key in ("user_id", "chat_id", "message_id")):
        return _emit
    return None


async def get_event_call(request_info: dict[str, Any]) -> Caller:
    """Like 0.12.4's: always a caller (it answers with an error when no browser is there)."""
    return _call


def emitter_for(request_info: dict[str, Any]) -> Emitter | None:
    if all(key in request_info for key in ("user_id", "chat_id", "message_id")):
        return _emit
    return None


def caller() -> Caller:
    return _call


PATCHED_MODULES = ("open_webui.utils.actions", "open_webui.functions")


def install() -> None:
    """Replace ``get_event_emitter``/``get_event_call`` where the host's entry points use them."""
    import importlib

    for name in PATCHED_MODULES:
        module = importlib.import_module(name)
        module.get_event_emitter = get_event_emitter  # type: ignore[attr-defined]
        module.get_event_call = get_event_call  # type: ignore[attr-defined]
