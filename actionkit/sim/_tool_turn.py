"""The tools of one chat turn, built once and called round after round, as open-webui 0.12.4 does.

``process_chat_payload`` builds the tools dict once per request (``get_tools``: valves applied, methods
bound to the turn's emitter, caller, user, metadata, model and request); the streaming handler then
executes the model's calls one after the other in each round. A :class:`ToolSession` does the same,
recording every event and event call of the turn, and hands back one :class:`Simulation` per call
(its events and calls are the ones made while that call ran).
"""

from __future__ import annotations

import copy
from typing import Any

from ..function import SelectedTool, function_traceback, tools_dict
from ..standins import context
from ..view import without_addresses
from ._events import Recorder, Replies
from ._message import build_message
from ._request import make_request
from ._simulation import Simulation
from ._tool_result import UNPARSABLE, Executed, ToolOutput, execute_tool_call, tool_output


class ToolSession:
    """The tools selected in one turn: :meth:`build` them, then :meth:`call` them."""

    def __init__(
        self,
        selected: list[SelectedTool],
        *,
        user: dict[str, Any],
        model: dict[str, Any],
        metadata: dict[str, Any],
        replies: Any = None,
        secrets: frozenset[str] = frozenset(),
    ) -> None:
        self.selected = selected
        self.user = user
        self.model = model
        self.metadata = metadata
        self.recorder = Recorder(Replies(replies))
        self.secrets = secrets
        self.tools: dict[str, dict[str, Any]] = {}

    def build(self, messages: list[Any]) -> dict[str, dict[str, Any]]:
        """``get_tools`` for the turn; raises what the host raises (the whole request then fails)."""
        meta = self.metadata
        recorder = self.recorder
        extra = {
            "__event_emitter__": recorder.emitter(),
            "__event_call__": recorder.caller(),
            "__user__": {k: v for k, v in self.user.items() if k != "valves"},
            "__metadata__": meta,
            "__oauth_token__": None,
            "__request__": make_request("/api/chat/completions", self.model, context.current().models),
            "__model__": self.model,
            "__chat_id__": meta.get("chat_id"),
            "__message_id__": meta.get("message_id"),
            "__messages__": messages,
            "__files__": meta.get("files") or [],
        }
        self.tools = tools_dict(self.selected, extra)
        meta["tools"] = self.tools
        return self.tools

    @property
    def payload_tools(self) -> list[dict[str, Any]]:
        """``form_data["tools"]``: what the model is given."""
        return [{"type": "function", "function": entry.get("spec", {})} for entry in self.tools.values()]

    async def call(self, tool_call: dict[str, Any], messages: list[Any]) -> tuple[Simulation, ToolOutput]:
        """Execute one of the model's calls (``tool_call`` is re-dumped in place, as in the host)."""
        recorder = self.recorder
        events, calls, warnings = len(recorder.events), len(recorder.calls), len(recorder.warnings)
        executed = await execute_tool_call(messages, self.metadata, tool_call)
        output = tool_output(tool_call, executed)
        positions = [p - events for p in recorder.call_positions[calls:]]
        sim = tool_simulation(
            executed,
            output,
            events=recorder.events[events:],
            calls=recorder.calls[calls:],
            positions=positions,
            warnings=recorder.warnings[warnings:],
            function=self._function(output),
            secrets=self.secrets,
            message_id=self.metadata.get("message_id"),
        )
        return sim, output

    def _function(self, output: ToolOutput) -> Any:
        for entry in self.selected:
            if entry.tool.id == output.tool_id:
                return entry.tool
        return None


def tool_simulation(
    executed: Executed,
    output: ToolOutput,
    *,
    events: list[Any],
    calls: list[dict[str, Any]],
    positions: list[int],
    warnings: list[str],
    function: Any,
    secrets: frozenset[str] = frozenset(),
    message_id: Any = None,
) -> Simulation:
    """The :class:`Simulation` of one tool call made in a chat turn."""
    error: str | None = None
    trace: str | None = None
    notes = list(warnings)
    exc = executed.exception
    if exc is not None:
        error = str(exc) if str(exc) else type(exc).__name__
        if function is not None:
            trace = without_addresses(function_traceback(exc, function)[0])
    elif not executed.called:
        error = output.text
    elif executed.result is None:
        notes.append(
            "the method returned None: Open WebUI 0.12.4's tool loop takes None for unparsable "
            f"arguments and tells the model {UNPARSABLE.format(name=output.name)!r} (status failed)"
        )
    sim = Simulation(
        function_id=output.tool_id or "",
        kind="tool",
        hook="tool",
        ok=error is None,
        error=without_addresses(error) if error is not None else None,
        traceback=trace,
        events=list(events),
        event_calls=list(calls),
        inputs={"tool_call": copy.deepcopy(output.call)},
        secret_values=secrets,
        function=function,
        tool=output,
    )
    sim.result = executed.result
    sim.message = build_message(list(events), message_id=str(message_id))[0]
    sim.warnings = notes
    order: list[tuple[str, int]] = []
    index = 0
    for call_index, position in enumerate(positions):
        while index < position:
            order.append(("event", index))
            index += 1
        order.append(("call", call_index))
    order.extend(("event", i) for i in range(index, len(events)))
    sim.timeline = order
    return sim
