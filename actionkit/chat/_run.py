"""One chat turn as Open WebUI 0.12.4 runs it, step by step, for :class:`actionkit.Chat`.

Inlet filters in the host's order (``utils/filter.py``: toggle filters only when enabled, sorted by
``(Valves(**stored).priority, id)``), each result replacing the body; then the pipe or the mock
model; on a streamed answer every chunk through the ``stream`` hooks (a falsy result drops the
chunk, an error drops it too, as on the web-UI path); then the outlet filters on the synthetic body
of ``middleware.py`` (``{model, messages, filter_ids, chat_id, session_id, id}``), whose changed
message contents are kept; errors in outlet are logged and ignored by the host, so they are here.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ..runtimes import asimulate
from ..sim import build_message
from ..sim import defaults as d
from ..standins import context
from ._tools import ToolLoop
from ._turn import Step

if TYPE_CHECKING:
    from ..function import Function
    from ..sim import Simulation
    from ._chat import Chat
    from ._turn import Step, Turn

# Keys the host pops from the body after the inlet filters ran (middleware.py).
_POPPED_AFTER_INLET = ("features", "tool_ids", "files", "terminal_id", "skill_ids")
_LIST_KEYS = ("statusHistory", "sources", "code_executions", "notifications", "follow_ups")
_REPLACED_KEYS = ("files", "embeds")
_SCALAR_KEYS = ("title", "error", "favorite", "tasks", "usage", "output")


def message_ids(number: int) -> tuple[str, str]:
    """Deterministic, uuid-shaped ids for the user and assistant messages of turn ``number``."""
    return (f"00000000-0000-4000-8000-{2 * number - 1:012d}", f"00000000-0000-4000-8000-{2 * number:012d}")


def priority_of(fn: Function, stored: dict[str, Any] | None) -> Any:
    """``Valves(**stored).priority`` as ``utils/filter.py`` reads it (0 when absent or invalid)."""
    valves_cls = fn.Valves
    if valves_cls is None:
        return 0
    try:
        return getattr(valves_cls(**(stored or {})), "priority", 0)
    except Exception:
        return 0


def _simple(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"role": m["role"], "content": m.get("content", "")} for m in messages]


def _parse_chunks(sim: Simulation) -> list[Any]:
    if isinstance(sim.result, list):
        return list(sim.result)
    chunks: list[Any] = []
    for line in sim.chunks:
        text = line.strip()
        if not text.startswith("data:") or text == "data: [DONE]":
            continue
        try:
            chunks.append(json.loads(text[len("data:") :].strip()))
        except ValueError:
            continue
    return chunks


def _chunk_text(chunk: Any) -> str:
    if not isinstance(chunk, dict):
        return ""
    choices = chunk.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return ""
    delta = choices[0].get("delta") or choices[0].get("message") or {}
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) else ""


def _completion_text(result: Any) -> tuple[str, str | None]:
    """``(content, error)`` of a non-streamed answer."""
    if isinstance(result, dict):
        if "error" in result and not result.get("choices"):
            error = result["error"]
            detail = error.get("detail", error) if isinstance(error, dict) else error
            return "", str(detail)
        choices = result.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            message = choices[0].get("message") or {}
            content = message.get("content") if isinstance(message, dict) else None
            return (content if isinstance(content, str) else ""), None
    return "", None


def merge_message(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Combine the page message after one step with the message a later step produced."""
    merged = copy.deepcopy(base)
    merged["content"] = update.get("content", merged.get("content", ""))
    for key in _LIST_KEYS:
        merged[key] = [*(base.get(key) or []), *(update.get(key) or [])]
    for key in _REPLACED_KEYS:
        if update.get(key):
            merged[key] = update[key]
    for key in _SCALAR_KEYS:
        if update.get(key) is not None:
            merged[key] = update[key]
    if "originalContent" in update:
        merged.setdefault("originalContent", update["originalContent"])
    return merged


class TurnRunner:
    """Runs the steps of one turn against a :class:`Chat`'s functions and settings."""

    def __init__(self, chat: Chat, turn: Turn, replies: Any) -> None:
        self.chat = chat
        self.turn = turn
        self.replies = replies
        self.user = d.user_dict(chat.user, "chat", None)
        # The chunk objects of the last streamed answer (after the stream filters), for the tool loop.
        self.last_chunks: list[Any] | None = None

    def context(self, messages: list[dict[str, Any]], metadata: dict[str, Any]) -> Any:
        """The simulation context of this turn's calls (its user, chat, model, functions and tools)."""
        return context.simulation_context(
            user=self.user,
            users=self.chat.users,
            model=self.chat.model,
            messages=messages,
            metadata=metadata,
            files=self.turn.files,
            llm=self.chat.llm,
            functions=self.chat.sources,
            tools=self.chat.tool_rows(str(self.user["id"])),
        )

    async def _simulate(self, fn: Function, body: Any, **options: Any) -> Simulation:

        chat = self.chat
        history = self.turn.history
        with self.context(history, self.turn.metadata):
            return await asimulate(
                fn,
                body,
                user=chat.user,
                model=chat.model,
                replies=self.replies,
                valves=chat.valves.get(fn.id),
                user_valves=chat.user_valves.get(fn.id),
                store=chat.store,
                timeout=chat.timeout,
                **options,
            )

    def _step(self, stage: str, fn: Function | None, **fields: Any) -> Step:

        step = Step(stage=stage, function_id=fn.id if fn is not None else None, turn=self.turn, **fields)
        self.turn.steps.append(step)
        return step

    def add_step(self, stage: str, fn: Function | None, simulations: list[Simulation], label: str) -> Step:
        """A step of the turn (a tool call) with its simulations."""
        return self._step(stage, fn, simulations=simulations, label=label)

    # ---- the turn ---------------------------------------------------------------------------
    async def run(self) -> None:
        turn = self.turn
        filters = self.chat.active_filters()
        for fn, reason in self.chat.skipped_filters():
            self._step("inlet", fn, skipped=reason)
        body = await self._inlet(filters, self.chat.inlet_body(turn))
        if body is None:
            return
        tools = ToolLoop(self) if self.chat.tools else None
        if tools is not None:
            given = body.get("metadata")
            failure = tools.prepare(body, given if isinstance(given, dict) else turn.metadata)
            if failure is not None:
                turn.error = f"tools: {failure}"
                turn.message = merge_message(turn.message, {"error": {"content": failure}})
                return
        text, error, events = await self._answer(body)
        if tools is not None:
            text, error, events = await tools.run(body, text, error, events)
        turn.message, notes = build_message(events, message_id=turn.assistant_id, final_text=text or None)
        if tools is not None:
            turn.message["output"] = tools.output
        turn.notes.extend(notes)
        turn.record_answer(turn.content)
        if error is not None:
            turn.message = merge_message(turn.message, {"error": {"content": error}})
            return
        await self._outlet(filters)

    async def _inlet(self, filters: list[Function], body: dict[str, Any]) -> dict[str, Any] | None:
        file_handler = False
        for fn in filters:
            if not callable(getattr(fn.instance, "inlet", None)):
                continue
            file_handler = file_handler or bool(getattr(fn.instance, "file_handler", False))
            sim = await self._simulate(fn, body, hook="inlet", metadata=body.get("metadata"))
            self._step("inlet", fn, simulations=[sim])
            if not sim.ok:
                self.turn.message = merge_message(self.turn.message, {"error": {"content": sim.error}})
                self.turn.error = f"inlet {fn.id}: {sim.error}"
                return None
            body = sim.result
            if not isinstance(body, dict):
                error = f"inlet {fn.id} returned {type(body).__name__}, not the body"
                self.turn.message = merge_message(self.turn.message, {"error": {"content": error}})
                self.turn.error = error
                return None
        body = copy.deepcopy(body)  # the host's pops below must not change the filter's recorded result
        if file_handler:
            body.pop("files", None)
            if isinstance(body.get("metadata"), dict):
                body["metadata"].pop("files", None)
        for key in _POPPED_AFTER_INLET:
            body.pop(key, None)
        return body

    async def _answer(self, body: dict[str, Any]) -> tuple[str, str | None, list[Any]]:
        """Run the pipe or the mock model (then the stream hooks); ``(text, error, events)``."""
        chat = self.chat
        given = body.get("metadata")
        metadata: dict[str, Any] = given if isinstance(given, dict) else self.turn.metadata
        payload = {k: v for k, v in body.items() if k != "metadata"}
        stream = bool(payload.get("stream"))
        events: list[Any] = [e for step in self.turn.steps for e in step.events]
        self.last_chunks = None
        if chat.pipe is not None:
            sim = await self._simulate(
                chat.pipe, payload, stream=stream, metadata=metadata, sub_id=chat.sub_id
            )
            self._step("pipe", chat.pipe, simulations=[sim])
            events.extend(sim.events)
            if not sim.ok and not sim.chunks:
                return "", sim.error or "the pipe failed", events
            if not stream:
                text, error = _completion_text(sim.result)
                return text, error if error is not None else (None if sim.ok else sim.error), events
            chunks = _parse_chunks(sim)
            failure = None if sim.ok else sim.error
        else:
            with self.context(self.turn.history, metadata):
                try:
                    if stream:
                        chunks = [c async for c in chat.llm.astream(payload)]
                    else:
                        answer = await chat.llm.acomplete(payload)
                except Exception as exc:
                    self._step("model", None, label=chat.model_id, request=payload, error=str(exc))
                    return "", str(exc) or type(exc).__name__, events
            if not stream:
                self._step("model", None, label=chat.model_id, request=payload, chunks=[answer])
                text, error = _completion_text(answer)
                return text, error, events
            self._step("model", None, label=chat.model_id, request=payload, chunks=list(chunks))
            failure = None
        chunks = await self._stream_filters(chunks, body)
        self.last_chunks = chunks
        for chunk in chunks:
            if isinstance(chunk, dict) and isinstance(chunk.get("event"), dict):
                events.append(chunk["event"])
        error = next(
            (
                str(c["error"])
                for c in chunks
                if isinstance(c, dict) and c.get("error") and not c.get("choices")
            ),
            failure,
        )
        return "".join(_chunk_text(c) for c in chunks), error, events

    async def _stream_filters(self, chunks: list[Any], body: dict[str, Any]) -> list[Any]:
        hooks = [fn for fn in self.chat.active_filters() if callable(getattr(fn.instance, "stream", None))]
        if not hooks:
            return chunks
        steps = {fn.id: self._step("stream", fn, simulations=[]) for fn in hooks}
        kept: list[Any] = []
        for chunk in chunks:
            data: Any = chunk
            for fn in hooks:
                sim = await self._simulate(fn, data, hook="stream", metadata=body.get("metadata"))
                step = steps[fn.id]
                step.simulations.append(sim)
                if not sim.ok or not sim.result:
                    step.dropped += 1
                    data = None
                    break
                data = sim.result
            if data:
                kept.append(data)
        return kept

    async def _outlet(self, filters: list[Function]) -> None:
        turn = self.turn
        body = self.chat.outlet_body(turn)
        events: list[Any] = []
        for fn in filters:
            if not callable(getattr(fn.instance, "outlet", None)):
                continue
            sim = await self._simulate(fn, body, hook="outlet", metadata=turn.metadata)
            step = self._step("outlet", fn, simulations=[sim])
            events.extend(sim.events)
            if not sim.ok:
                step.note = (
                    "error ignored by Open WebUI (logged); later outlet filters did not run and no "
                    "outlet change was kept"
                )
                body = {}
                break
            if isinstance(sim.result, dict):
                body = sim.result
        messages = body.get("messages") if isinstance(body, dict) else None
        if messages:
            events.append({"type": "chat:outlet", "data": {"messages": messages}})
        if not events:
            return
        after, notes = build_message(
            events,
            message_id=turn.assistant_id,
            initial_content=turn.message.get("content", ""),
            patched_messages=messages or None,
        )
        turn.notes.extend(notes)
        turn.message = merge_message(turn.message, after)
        turn.record_answer(turn.message["content"])

    async def click(self, fn: Function, sub_id: str | None) -> Step:
        turn = self.turn
        body = self.chat.action_body(turn)
        sim = await self._simulate(fn, body, sub_id=sub_id)
        step = self._step("action", fn, simulations=[sim], label=f"{fn.id}.{sub_id}" if sub_id else fn.id)
        if sim.ok:
            patched = sim.result.get("messages") if isinstance(sim.result, dict) else None
            turn.message = merge_message(turn.message, sim.message)
            if isinstance(patched, list):
                after, _ = build_message(
                    [],
                    message_id=turn.assistant_id,
                    initial_content=turn.message["content"],
                    patched_messages=patched,
                )
                turn.message = merge_message(turn.message, after)
        else:
            turn.message = merge_message(turn.message, {"error": {"content": sim.error}})
        turn.record_answer(turn.message["content"])
        return step
