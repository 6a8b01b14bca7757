"""Capturing stand-ins for the real host's Socket.IO event emitter and event caller.

Open WebUI builds ``__event_emitter__`` and ``__event_call__`` with ``get_event_emitter`` and
``get_event_call`` (``open_webui.socket.main``), which talk to a browser. The real-runtime mode puts
these replacements into the modules that use them; they record every event and answer every call
from the run's scripted replies. The recorder of the current run travels in a context variable, so
tasks a function starts with ``asyncio.create_task`` record into the same run.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from ..host import NO_BROWSER_REPLY
from ..view import copied
from ._adapters import event_getters

Replies = list[Any] | Callable[[dict[str, Any]], Any] | None


@dataclass
class Recorder:
    """Events and event calls of one run, in order, as a browser would have received them."""

    replies: Replies = None
    events: list[Any] = field(default_factory=list)
    event_calls: list[dict[str, Any]] = field(default_factory=list)
    # For each call, how many events had been emitted before it.
    call_positions: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Errors the host caught and reported itself (it logs them as "Error: <message>").
    host_errors: list[str] = field(default_factory=list)
    # Failures of the scripted model (llm=) the host is about to log the same way: not the function's.
    model_errors: int = 0
    # What Event functions raised, by function id (the host logs it as "Event function failed for <id>").
    event_errors: dict[str, BaseException] = field(default_factory=dict)
    # Before 0.9 an event call no browser answers never returns (``release`` names the host).
    unanswered_waits: bool = False
    release: str = ""
    _next_reply: int = 0

    async def emit(self, event: Any) -> None:
        event.get("type")  # the host's emitter reads the type first (non-dicts fail here)
        self.events.append(copied(event))

    async def call(self, event: Any) -> Any:
        if self.replies is None and not callable(getattr(event, "get", None)):
            # No browser: the host answers before it looks at the call at all.
            self.call_positions.append(len(self.events))
            if self.unanswered_waits:
                return await self._wait({"type": None, "data": None})
            self.event_calls.append({"type": None, "data": None, "reply": dict(NO_BROWSER_REPLY)})
            return dict(NO_BROWSER_REPLY)
        kind = event.get("type")  # as the host's caller does once a browser session is there
        data = copied(event.get("data"))
        position = len(self.events)
        reply = await self._reply({"type": kind, "data": copied(data)})
        self.call_positions.append(position)
        if reply is _UNANSWERED:
            if self.unanswered_waits:
                return await self._wait({"type": kind, "data": data})
            index = len(self.event_calls) + 1
            self.warnings.append(
                f"event call {index} ({kind}): no reply left; answered {NO_BROWSER_REPLY!r} as "
                "Open WebUI does when no browser answers"
            )
            reply = dict(NO_BROWSER_REPLY)
        self.event_calls.append({"type": kind, "data": data, "reply": copied(reply)})
        return reply

    async def _reply(self, call: dict[str, Any]) -> Any:
        index = len(self.event_calls) + 1
        if callable(self.replies):
            try:
                answer = self.replies(call)
                if inspect.isawaitable(answer):
                    answer = await answer
            except Exception as exc:
                self.warnings.append(
                    f"event call {index} ({call['type']}): the replies callable raised "
                    f"{type(exc).__name__}: {exc}; answered as a disconnected browser"
                )
                return dict(NO_BROWSER_REPLY)
            return answer
        if isinstance(self.replies, list | tuple) and self._next_reply < len(self.replies):
            answer = self.replies[self._next_reply]
            self._next_reply += 1
            return answer
        return _UNANSWERED

    async def _wait(self, call: dict[str, Any]) -> Any:
        """A host whose unanswered event calls never return (before 0.9): record the call without
        a reply and wait until the run's timeout cancels the call."""
        index = len(self.event_calls) + 1
        self.event_calls.append({**call, "reply": None})
        self.warnings.append(
            f"event call {index} ({call['type']}): no reply left, and on Open WebUI {self.release} an "
            "event call no browser answers waits forever"
        )
        await asyncio.Event().wait()
        return None


_UNANSWERED = object()


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


def emitter_for(request_info: dict[str, Any]) -> Emitter | None:
    if all(key in request_info for key in ("user_id", "chat_id", "message_id")):
        return _emit
    return None


def caller(request_info: dict[str, Any] | None = None) -> Caller:
    """Like 0.12.4's, for the call's metadata: always a caller (it answers with an error when no
    browser is there)."""
    return _call


PATCHED_MODULES = ("open_webui.utils.actions", "open_webui.functions")


class HostErrorLog(logging.Handler):
    """Collects the errors ``open_webui.functions`` catches and logs (``log.error(f"Error: {e}")``)
    into the current run's recorder: the host's own sign that a pipe raised."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        recorder = current_recorder.get()
        if recorder is None:
            return
        message = record.getMessage()
        if not message.startswith("Error: "):
            return
        if recorder.model_errors > 0:
            recorder.model_errors -= 1
            return
        recorder.host_errors.append(message[len("Error: ") :])


class EventFunctionErrorLog(logging.Handler):
    """Collects what an Event function raised, which ``open_webui.events`` only logs
    (``log.exception("Event function failed for %s", function_id)``), into the current run's recorder."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        recorder = current_recorder.get()
        if recorder is None or record.msg != "Event function failed for %s" or not record.exc_info:
            return
        exc = record.exc_info[1]
        if exc is not None and isinstance(record.args, tuple) and record.args:
            recorder.event_errors.setdefault(str(record.args[0]), exc)


def _listen(name: str, handler_class: type[logging.Handler]) -> None:
    logger = logging.getLogger(name)
    if not any(isinstance(handler, handler_class) for handler in logger.handlers):
        logger.addHandler(handler_class())
        if logger.getEffectiveLevel() > logging.ERROR:
            logger.setLevel(logging.ERROR)


def install() -> None:
    """Replace ``get_event_emitter``/``get_event_call`` where the host's entry points use them."""
    _listen("open_webui.functions", HostErrorLog)
    _listen("open_webui.events", EventFunctionErrorLog)
    get_event_emitter, get_event_call = event_getters(emitter_for, caller)
    for name in PATCHED_MODULES:
        module = importlib.import_module(name)
        module.get_event_emitter = get_event_emitter  # type: ignore[attr-defined]
        module.get_event_call = get_event_call  # type: ignore[attr-defined]
