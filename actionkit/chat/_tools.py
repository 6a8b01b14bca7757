"""The native tool-calling loop of a chat turn, as open-webui 0.12.4's streaming handler runs it.

With tools selected (``Chat(..., tools=[...])``) the tools are built once for the turn (admin valves
applied, the user's ``UserValves`` given, methods bound) and the model is given their specs as
``tools``; a pipe also gets the dict itself as ``__tools__``. After each streamed answer the model's
``delta.tool_calls`` are merged by index (concatenated JSON objects split into several calls), the
calls are executed in order, and the next request carries the assistant ``tool_calls`` message
(arguments re-dumped) and one ``role: tool`` message per call (images a tool returned follow in a
user message), until the model answers without tool calls or 256 rounds ran. As in the host, only
streamed answers run tools. The turn's ``output`` holds the host's items: ``message``,
``function_call`` and ``function_call_output``.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ..function import SelectedTool
from ..host import MAX_TOOL_CALL_ITERATIONS
from ..sim import ToolSession, defaults, host_dumps, secret_values

if TYPE_CHECKING:
    from ._run import TurnRunner

_IMAGES_TEXT = "Here are the images from the tool results above. Please analyze them."


class ToolLoop:
    """The tools of one turn and the rounds of calls the model makes."""

    def __init__(self, runner: TurnRunner) -> None:
        self.runner = runner
        self.output: list[dict[str, Any]] = []
        self.session: ToolSession | None = None
        self._ids = 0
        self._round_start = 0

    def _id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}_{self._ids:024x}"

    def prepare(self, body: dict[str, Any], metadata: dict[str, Any]) -> str | None:
        """Build the tools (``get_tools``) and give the model their specs; the error text when the
        host would fail the whole request instead."""
        runner = self.runner
        chat = runner.chat
        user = runner.user
        selected = []
        user_valves: dict[str, dict[str, Any]] = {}
        secrets: set[str] = set()
        for tool in chat.tools:
            values = chat.tool_user_valves(tool, str(user["id"]))
            admin = chat.tool_valves(tool)
            if values:
                user_valves[tool.id] = values
            secrets |= secret_values(tool, admin, values)
            selected.append(SelectedTool(tool, admin, values))
        tools_user = _with_tool_valves(user, user_valves)
        metadata["tool_ids"] = [tool.id for tool in chat.tools]
        session = ToolSession(
            selected,
            user=tools_user,
            model=chat.model,
            metadata=metadata,
            replies=runner.replies,
            secrets=frozenset(secrets),
        )
        try:
            with runner.context(runner.turn.history, metadata):
                session.build(body["messages"])
        except Exception as exc:
            return str(exc) or type(exc).__name__
        self.session = session
        body["tools"] = session.payload_tools
        return None

    async def run(
        self, body: dict[str, Any], text: str, error: str | None, events: list[Any]
    ) -> tuple[str, str | None, list[Any]]:
        """Run the rounds after the first answer; ``(all text, error, events)`` as ``_answer`` gives."""
        runner = self.runner
        session = self.session
        texts = [text] if text else []
        messages = list(body["messages"])
        rounds = 0
        calls = self._round(text, runner.last_chunks)
        while calls and error is None and session is not None:
            if rounds >= MAX_TOOL_CALL_ITERATIONS:
                return (
                    "".join(texts),
                    f"Tool-call limit reached ({MAX_TOOL_CALL_ITERATIONS} iterations).",
                    events,
                )
            rounds += 1
            round_start = self._round_start
            with runner.context(runner.turn.history, session.metadata):
                for call in calls:
                    sim, output = await session.call(call, body["messages"])
                    self._record(call, output)
                    label = call.get("function", {}).get("name", "")
                    runner.add_step("tool", sim.function if sim.function_id else None, [sim], label=label)
            system = [m for m in body["messages"] if m.get("role") == "system"]
            messages = [
                *system,
                *(m for m in messages if m.get("role") != "system"),
                *_messages(self.output[round_start:]),
            ]
            body = {**body, "messages": _merge_system(copy.deepcopy(messages))}
            text, error, events = await runner._answer(body)
            if text:
                texts.append(text)
            calls = self._round(text, runner.last_chunks)
        return "".join(texts), error, events

    def _round(self, text: str, chunks: list[Any] | None) -> list[dict[str, Any]]:
        """Add the round's message item and ``function_call`` items; the calls to execute."""
        self._round_start = len(self.output)
        if text:
            self.output.append(
                {
                    "type": "message",
                    "id": self._id("msg"),
                    "status": "completed",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": text}],
                }
            )
        streamed = self._collect(chunks or [])
        for call in streamed:  # the stream's end marks each streamed call completed
            function = call.get("function", {})
            self.output.append(
                {
                    "type": "function_call",
                    "id": call["id"],
                    "call_id": call["id"],
                    "name": function.get("name", ""),
                    "arguments": function.get("arguments", ""),
                    "status": "completed",
                }
            )
        calls = _split(streamed, self._id)
        known = {item.get("call_id"): item for item in self.output if item.get("type") == "function_call"}
        for call in calls:
            function = call.get("function", {})
            item = known.get(call["id"])
            if item is None:
                item = {
                    "type": "function_call",
                    "id": call["id"],
                    "call_id": call["id"],
                    "status": "in_progress",
                }
                self.output.append(item)
            item.update(name=function.get("name", ""), arguments=function.get("arguments", "{}"))
        return calls

    def _collect(self, chunks: list[Any]) -> list[dict[str, Any]]:
        """The streamed ``delta.tool_calls`` merged by index, as the host merges them."""
        calls: list[dict[str, Any]] = []
        used = {item.get("call_id") for item in self.output if item.get("type") == "function_call"}
        for chunk in chunks:
            choices = chunk.get("choices") if isinstance(chunk, dict) else None
            if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
                continue
            delta = choices[0].get("delta")
            for piece in (delta.get("tool_calls") or []) if isinstance(delta, dict) else []:
                index = piece.get("index")
                if index is None:
                    continue
                current = next((c for c in calls if c.get("index") == index), None)
                function = piece.get("function") or {}
                arguments = function.get("arguments")
                if arguments is not None and not isinstance(arguments, str):
                    arguments = host_dumps(arguments)
                if current is None:
                    call = copy.deepcopy(piece)
                    call.setdefault("function", {})
                    if call["function"].get("name") is None:
                        call["function"]["name"] = ""
                    call["id"] = call.get("id") or self._id("fc")
                    if call["id"] in used:
                        call["id"] = self._id("fc")
                    call["function"]["arguments"] = arguments or ""
                    calls.append(call)
                    continue
                if function.get("name"):
                    current["function"]["name"] = function["name"]
                if arguments is not None:
                    current["function"]["arguments"] = (
                        str(current["function"].get("arguments") or "") + arguments
                    )
        return calls

    def _record(self, call: dict[str, Any], output: Any) -> None:
        for item in self.output:
            if item.get("type") == "function_call" and item.get("call_id") == call["id"]:
                item["status"] = output.status
                item["arguments"] = call.get("function", {}).get("arguments", "{}")
        self.output.append(output.output_item(self._id("fco")))


def _split(calls: list[dict[str, Any]], new_id: Any) -> list[dict[str, Any]]:
    """``_split_tool_calls``: arguments holding several JSON objects back to back become several calls."""
    decoder = json.JSONDecoder()
    expanded: list[dict[str, Any]] = []
    for call in calls:
        raw = call["function"].get("arguments") or ""
        parts: list[str] = []
        position = 0
        while position < len(raw):
            while position < len(raw) and raw[position].isspace():
                position += 1
            if position >= len(raw):
                break
            try:
                _, end = decoder.raw_decode(raw, position)
            except json.JSONDecodeError:
                parts = [raw]
                break
            parts.append(raw[position:end].strip())
            position = end
        if len(parts) <= 1:
            expanded.append(call)
            continue
        for part in parts:
            clone = copy.deepcopy(call)
            clone["id"] = new_id("call")
            clone["function"]["arguments"] = part
            expanded.append(clone)
    return expanded


def _messages(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``convert_output_to_messages(output, raw=True, flatten_tool_images=True)`` for one round."""
    messages: list[dict[str, Any]] = []
    content: list[str] = []
    tool_calls: list[dict[str, Any]] = []
    images: list[str] = []
    done = {
        item.get("call_id")
        for item in items
        if item.get("type") == "function_call" and item.get("status") in {"completed", "failed", "rejected"}
    }
    answered = done & {item.get("call_id") for item in items if item.get("type") == "function_call_output"}
    for item in items:
        kind = item.get("type")
        if kind == "message":
            text = "".join(
                p.get("text", "") for p in item.get("content", []) if p.get("type") == "output_text"
            )
            if text:
                content.append(text)
        elif kind == "function_call" and item.get("call_id") in answered:
            tool_calls.append(
                {
                    "id": item.get("call_id", ""),
                    "type": "function",
                    "function": {"name": item.get("name", ""), "arguments": item.get("arguments", "{}")},
                }
            )
    if content or tool_calls:
        message: dict[str, Any] = {"role": "assistant", "content": "\n".join(content)}
        if tool_calls:
            message["tool_calls"] = tool_calls
        messages.append(message)
    for item in items:
        if item.get("type") != "function_call_output" or item.get("call_id") not in answered:
            continue
        text = "".join(
            str(p.get("text", "")) for p in item.get("output", []) if p.get("type") == "input_text"
        )
        images.extend(
            p["image_url"]
            for p in item.get("output", [])
            if p.get("type") == "input_image" and p.get("image_url")
        )
        messages.append({"role": "tool", "tool_call_id": item.get("call_id", ""), "content": text})
    if images:
        messages.append(
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": _IMAGES_TEXT},
                    *({"type": "image_url", "image_url": {"url": url}} for url in images),
                ],
            }
        )
    return messages


def _merge_system(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``merge_system_messages``: every system message's text in one, first."""
    system = [m.get("content") for m in messages if m.get("role") == "system" and m.get("content")]
    others = [m for m in messages if m.get("role") != "system"]
    if not system:
        return others
    return [{"role": "system", "content": "\n".join(str(s) for s in system)}, *others]


def _with_tool_valves(user: dict[str, Any], values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``__user__`` with the user's tool valves where the host keeps them (``settings.tools``)."""
    result = dict(user)
    for tool_id, stored in values.items():
        result = defaults.user_dict(result, tool_id, stored, section="tools")
    return result
