"""Recording ``__event_emitter__`` and ``__event_call__`` stand-ins that answer from ``replies=``.

The emitter is the hot path: it records each event as it is at emit time and does nothing else;
checks run later, when the simulation is read. An event no one else holds (built in the call, as in
``await __event_emitter__({"type": ..., "data": {...}})``, with immutable values) cannot change
afterwards, so it is kept as is; any other event is deep-copied.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import inspect
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

from ..errors import SimulationError
from ..host import NO_BROWSER_REPLY
from ..view import copied
from ._event_checks import check_call, check_reply

Emitter = Callable[[Any], Awaitable[None]]
Caller = Callable[[Any], Awaitable[Any]]

_IMMUTABLE = frozenset({str, int, float, bool, type(None)})
_all_immutable = _IMMUTABLE.issuperset


def snapshot(event: Any) -> Any:
    """A deep copy of ``event`` as it is now; cheap for the usual ``{"type", "data": {...}}`` shape."""
    if type(event) is dict and len(event) == 2:
        data = event.get("data")
        kind = type(data)
        if type(event.get("type")) is str:
            if kind is dict:
                if _all_immutable(map(type, data.values())):  # type: ignore[union-attr]
                    new = event.copy()
                    new["data"] = data.copy()  # type: ignore[union-attr]
                    return new
            elif kind in _IMMUTABLE:
                return event.copy()
    return copied(event)


def _probe_refcounts() -> tuple[int, int]:
    """The reference counts an unshared event and its data have inside the emitter (measured, so the
    shortcut stays right on any CPython; (0, 0) disables it where sharing cannot be told apart)."""
    refcount = getattr(sys, "getrefcount", None)
    if refcount is None:
        return 0, 0
    seen: list[tuple[int, int]] = []

    async def probe(event_data: Any) -> None:
        if type(event_data) is dict:
            data = event_data.get("data")
            seen.append((refcount(event_data), refcount(data)))

    def drive(coro: Any) -> None:
        with contextlib.suppress(StopIteration):
            coro.send(None)

    drive(probe({"type": "status", "data": {"description": "x"}}))
    held = {"type": "status", "data": {"description": "x"}}
    drive(probe(held))
    held_data = {"description": "x"}
    drive(probe({"type": "status", "data": held_data}))
    (fresh_top, fresh_data), (shared_top, _), (_, shared_data) = seen
    if shared_top <= fresh_top or shared_data <= fresh_data:
        return 0, 0
    return fresh_top, fresh_data


_FRESH_TOP, _FRESH_DATA = _probe_refcounts()


class Replies:
    """Answers for event calls: a list consumed in order, or a callable asked for each call."""

    def __init__(self, replies: Any):
        self._callable: Callable[[dict[str, Any]], Any] | None = None
        self._items: Iterator[Any] | None = None
        self.given = replies is not None
        if replies is None:
            self._items = iter(())
        elif callable(replies):
            self._callable = replies
        elif isinstance(replies, Sequence) and not isinstance(replies, str | bytes | bytearray):
            self._items = iter(list(replies))
        else:
            raise SimulationError(
                f"replies must be a list of answers (one per __event_call__, in order) or a callable "
                f"taking the call dict, got {type(replies).__name__}",
                hint='for example replies=[True, "my input"] or replies=lambda call: True',
            )

    async def next(self, call: dict[str, Any]) -> tuple[bool, Any]:
        """``(True, reply)`` or ``(False, None)`` when there is no answer left."""
        if self._callable is not None:
            reply = self._callable(copy.deepcopy(call))
            if inspect.isawaitable(reply):
                reply = await reply
            return True, reply
        assert self._items is not None
        for reply in self._items:
            return True, reply
        return False, None


Observer = Callable[[str, Any], None]


class Recorder:
    """Collects what a function emits and asks during one simulation.

    ``observer`` (``on_record=``) is told about each record as it happens: ``("event", event)``,
    ``("call", {"type", "data"})`` when an event call starts, ``("reply", call_record)`` when it has
    its answer and ``("chunk", sse_line)`` for each line a streaming pipe yields. What it raises is
    ignored, so a broken view cannot break the run.
    """

    def __init__(self, replies: Replies, observer: Observer | None = None):
        self.observer = observer
        self.events: list[Any] = []
        self.calls: list[dict[str, Any]] = []
        # For each call, how many events had been emitted before it (to interleave them later).
        self.call_positions: list[int] = []
        self.warnings: list[str] = []
        self.replies = replies
        self.unawaited = 0
        self.closed = False
        # Tasks the function started with asyncio.create_task (awaited before the simulation ends).
        self.spawned: list[Any] = []
        # What the function printed or logged (see _logs).
        self.logs: list[dict[str, Any]] = []

    def notify(self, kind: str, item: Any) -> None:
        """Tell the observer about one record (its exceptions are swallowed)."""
        observer = self.observer
        if observer is not None:
            with contextlib.suppress(Exception):
                observer(kind, item)

    def record_event(self, event: Any) -> None:
        """Record an event the host itself emits (already a private copy)."""
        self.events.append(event)
        self.notify("event", event)

    def emitter(self, count_unawaited: bool = False) -> Emitter:
        emit = self._emitter()
        if self.observer is not None:
            emit = self._observed(emit)
        if not count_unawaited:
            return emit
        recorder = self

        def counting_emitter(event_data: Any) -> Awaitable[None]:
            recorder.unawaited += 1
            return _settle_count(recorder, emit, event_data)

        return counting_emitter

    def _observed(self, emit: Emitter) -> Emitter:
        events = self.events
        notify = self.notify

        async def __event_emitter__(event_data: Any) -> None:
            count = len(events)
            await emit(event_data)
            if len(events) > count:
                notify("event", events[-1])

        return __event_emitter__

    def _emitter(self) -> Emitter:
        append = self.events.append
        snap = snapshot
        refcount = sys.getrefcount
        is_tracked = gc.is_tracked
        fresh_top, fresh_data = _FRESH_TOP, _FRESH_DATA
        immutable = _IMMUTABLE

        async def __event_emitter__(event_data: Any) -> None:
            if type(event_data) is dict:
                if len(event_data) == 2 and refcount(event_data) <= fresh_top:
                    try:
                        data = event_data["data"]
                        kind = event_data["type"]
                    except KeyError:
                        pass
                    else:
                        # An untracked dict holds only atomic values (str, numbers, None…), so it
                        # cannot change once emitted. Values the garbage collector does not track
                        # but that can change (bytearray, arrays) are not JSON, so the host cannot
                        # send them either.
                        if type(kind) is str and (
                            (type(data) is dict and refcount(data) <= fresh_data and not is_tracked(data))
                            or type(data) in immutable
                        ):
                            append(event_data)
                            return
                append(snap(event_data))
                return
            if not callable(getattr(event_data, "get", None)):
                raise AttributeError(f"'{type(event_data).__name__}' object has no attribute 'get'")
            append(snap(event_data))

        return __event_emitter__

    def caller(self) -> Caller:
        recorder = self

        async def __event_caller__(event_data: Any) -> Any:
            return await recorder.call(event_data)

        return __event_caller__

    async def call(self, event_data: Any) -> Any:
        position = len(self.events)
        if type(event_data) is not dict and not callable(getattr(event_data, "get", None)):
            if not self.replies.given:
                self._unasked(None, None, position)
                return dict(NO_BROWSER_REPLY)
            raise AttributeError(f"'{type(event_data).__name__}' object has no attribute 'get'")
        kind = event_data.get("type")
        data = snapshot(event_data.get("data"))
        index = len(self.calls) + 1
        self.warnings.extend(check_call(index, kind, data))
        if self.closed:
            self._unasked(kind, data, position)
            return dict(NO_BROWSER_REPLY)
        if self.observer is not None:
            self.notify("call", {"type": kind, "data": snapshot(data)})
        try:
            answered, reply = await self.replies.next({"type": kind, "data": snapshot(data)})
        except Exception as exc:
            self.warnings.append(
                f"event call {index} ({kind}): the replies callable raised {type(exc).__name__}: {exc}; "
                "answered as a disconnected browser"
            )
            answered, reply = False, None
        else:
            if not answered:
                why = "no replies= given" if not self.replies.given else "replies ran out"
                self.warnings.append(
                    f"event call {index} ({kind}): {why}; answered {NO_BROWSER_REPLY!r} as Open WebUI does "
                    "when no browser answers"
                )
        if not answered:
            reply = dict(NO_BROWSER_REPLY)
        else:
            self.warnings.extend(check_reply(index, kind, reply))
        self._record_call(kind, data, reply, position)
        return reply

    def _unasked(self, kind: Any, data: Any, position: int) -> None:
        """A call answered as a disconnected browser without asking ``replies``."""
        if self.observer is not None:
            self.notify("call", {"type": kind, "data": snapshot(data)})
        self._record_call(kind, data, NO_BROWSER_REPLY, position)

    def _record_call(self, kind: Any, data: Any, reply: Any, position: int) -> None:
        record = {"type": kind, "data": data, "reply": snapshot(reply)}
        self.calls.append(record)
        self.call_positions.append(position)
        if self.observer is not None:
            self.notify("reply", record)


def timeline(call_positions: list[int], event_count: int) -> list[tuple[str, int]]:
    """``("event", i)`` and ``("call", j)`` in order, from how many events preceded each call."""
    order: list[tuple[str, int]] = []
    event_index = 0
    for call_index, position in enumerate(call_positions):
        while event_index < position:
            order.append(("event", event_index))
            event_index += 1
        order.append(("call", call_index))
    order.extend(("event", i) for i in range(event_index, event_count))
    return order


async def _settle_count(recorder: Recorder, emit: Emitter, event_data: Any) -> None:
    recorder.unawaited -= 1
    await emit(event_data)


# Python's "coroutine ... was never awaited" warning names the emitter, as in the host.
_settle_count.__qualname__ = _settle_count.__name__ = "__event_emitter__"
