"""The outcome of one simulated call of an Open WebUI function.

A :class:`Simulation` holds what Open WebUI 0.12.4 would have produced for the call: the events
the function emitted (exactly as emitted), the event calls with the replies they got, the streamed
SSE lines of a pipe, the host's return value, the error text and the assistant message as the Open
WebUI page would show it afterwards. Both the simulator and the real-runtime mode fill this object.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..view import simulation_html, simulation_text, simulation_to_dict
from ._case import save_case
from ._tool_result import ToolOutput

Kind = Literal["action", "filter", "pipe", "event", "tool"]
Hook = Literal["action", "inlet", "request", "stream", "outlet", "pipe", "event", "tool"]


def empty_message() -> dict[str, Any]:
    """The assistant message before any event: the keys the Open WebUI page reads."""
    return {
        "content": "",
        "statusHistory": [],
        "sources": [],
        "code_executions": [],
        "files": [],
        "embeds": [],
        "notifications": [],
        "title": None,
        "error": None,
        "followUps": [],
        "favorite": None,
        "tasks": None,
    }


@dataclass(eq=False)
class Simulation:
    """What one call of an action, a filter hook, a pipe or a tool method produced.

    ``events`` are the emitted ``{"type", "data"}`` dicts, deep-copied at emit time, in order;
    ``event_calls`` are ``{"type", "data", "reply"}`` in order; ``chunks`` are the SSE lines of a
    streaming pipe as the host yields them (``"data: {...}\\n\\n"`` ..., ``"data: [DONE]"``);
    ``result`` is what the host returns for the call (action: the return value after the host's embeds
    processing; filter: the new body or event; pipe: the ``chat.completion`` dict, or the parsed chunk
    objects when streaming); ``error`` is the host's error text (action: ``"Error: <msg>"``) and
    ``traceback`` the formatted traceback pointing at the function's own source lines; ``message`` is
    the assistant message as the page shows it afterwards; ``warnings`` name everything that would
    not work the same in Open WebUI; ``logs`` is what the function printed (``{"stream": "stdout" |
    "stderr", "text"}``, one per line) or logged (``{"stream": "logging" | "loguru", "level",
    "logger", "text"}``) during the call, in order, kept here instead of in the cell.

    For a Tool, ``result`` is what the method returned (``{"error": str(e)}`` when it raised, as the
    host records it), ``tool_call`` the assistant message's tool call (arguments re-dumped as the host
    re-dumps them), ``tool_message`` the ``role: tool`` text the model gets, ``tool_status``
    ``"completed"`` or ``"failed"`` by the host's own test, ``files``/``embeds`` what the host took out
    of the result; ``ok`` is false when the method raised or could not be called at all.
    """

    function_id: str
    kind: Kind = "action"
    hook: Hook = "action"
    sub_id: str | None = None
    stream: bool = False
    ok: bool = True
    error: str | None = None
    traceback: str | None = None
    result: Any = None
    events: list[dict[str, Any]] = field(default_factory=list)
    event_calls: list[dict[str, Any]] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    message: dict[str, Any] = field(default_factory=empty_message)
    warnings: list[str] = field(default_factory=list)
    # What the function printed or logged during the call, in order (see ``logs``).
    logs: list[dict[str, Any]] = field(default_factory=list)
    duration: float = 0.0
    inputs: dict[str, Any] = field(default_factory=dict)
    timed_out: bool = False
    # Order of events and event calls: ("event", index) / ("call", index).
    timeline: list[tuple[str, int]] = field(default_factory=list)
    # Secret valve values, masked wherever they would appear in text, HTML or snapshots.
    secret_values: frozenset[str] = field(default_factory=frozenset, repr=False)
    # The Function that ran (for recording the call as a case); not part of any output.
    function: Any = field(default=None, repr=False, compare=False)
    # A Tool call's outcome (actionkit.sim ToolOutput): tool_call, tool_message, status, files, embeds.
    tool: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.tool, dict):  # its fields, as an isolated worker sends them
            self.tool = ToolOutput(**self.tool)

    @property
    def content(self) -> str:
        """The assistant message's content after the call (events and streamed text applied)."""
        value = self.message.get("content", "")
        return value if isinstance(value, str) else str(value)

    @property
    def tool_call(self) -> dict[str, Any] | None:
        """A Tool call as the assistant message carries it: ``{"id", "type", "function"}``."""
        return self.tool.call if self.tool is not None else None

    @property
    def tool_message(self) -> str | None:
        """The ``role: tool`` text the model gets for a Tool call (``None`` when none was made)."""
        return self.tool.text if self.tool is not None else None

    @property
    def tool_status(self) -> str | None:
        """``"completed"`` or ``"failed"``, as the host marks the tool call's output."""
        return self.tool.status if self.tool is not None else None

    @property
    def files(self) -> list[Any]:
        """The files of a Tool call's result; for other calls, the files the page shows."""
        if self.tool is not None:
            return list(self.tool.files)
        return list(self.message.get("files") or [])

    @property
    def embeds(self) -> list[Any]:
        """The embeds of a Tool call's result; for other calls, the embeds the page shows."""
        if self.tool is not None:
            return list(self.tool.embeds)
        return list(self.message.get("embeds") or [])

    @property
    def target(self) -> str:
        """``<id>``, ``<id>.<sub_id>``, ``<id>.<hook>`` or ``<id>.<method>``: what was called."""
        if self.kind == "tool":
            given = self.inputs.get("tool_call")
            name = (
                self.tool.name
                if self.tool is not None
                else given.get("name")
                if isinstance(given, dict)
                else None
            )
            return f"{self.function_id}.{name}" if name else self.function_id
        if self.kind == "action":
            return f"{self.function_id}.{self.sub_id}" if self.sub_id else self.function_id
        if self.kind == "filter":
            return f"{self.function_id}.{self.hook}"
        return self.function_id

    def event_types(self) -> list[str]:
        """The ``type`` of each emitted event, in order."""
        return [str(event.get("type")) for event in self.events]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able, deterministic snapshot (no duration, ids only as the function made them)."""

        return simulation_to_dict(self)

    def save_case(self, path: str | os.PathLike[str]) -> Path:
        """Record this simulation as a regression case (JSON) that ``actionkit test`` replays:
        ``path`` itself when it ends in ``.json``, else a file in the folder ``path``."""

        return save_case(self, path)

    def transcript(self) -> str:
        """The deterministic ``text/plain`` view: one line per event, then result and error."""

        return simulation_text(self)

    def __repr__(self) -> str:
        # Cheap on purpose (asyncio and debuggers call it): no lazy field is computed here.
        status = "ok" if self.ok else "error"
        return (
            f"<Simulation {self.kind} {self.target} {status}: {len(self.events)} events, "
            f"{len(self.event_calls)} calls>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:

        return {"text/plain": self.transcript(), "text/html": simulation_html(self)}


class Deferred:
    """A lazy field's value computed on its own first read (as a stream's parsed chunk objects,
    which reading the message or the content does not need)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute


def defer(sim: Simulation, name: str, compute: Callable[[], Any]) -> None:
    """Make the lazy field ``name`` of ``sim`` the value ``compute()`` gives on its first read."""
    sim.__dict__["_" + name] = Deferred(compute)


def _lazy(name: str) -> property:
    """A field whose value may be computed on first read: a producer of a simulation can store a
    ``_pending`` callable that fills the lazy fields (checks, message replay), and any of them may
    be a :class:`Deferred` computed when that field itself is read."""
    private = "_" + name

    def get(self: Simulation) -> Any:
        state = self.__dict__
        pending = state.get("_pending")
        if pending is not None:
            state["_pending"] = None
            pending(self)
        value = state[private]
        if type(value) is Deferred:
            value = state[private] = value.compute()
        return value

    def set_(self: Simulation, value: Any) -> None:
        self.__dict__[private] = value

    return property(get, set_)


for _name in ("result", "message", "warnings", "timeline"):
    setattr(Simulation, _name, _lazy(_name))
del _name
