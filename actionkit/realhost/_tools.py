"""Tools in the real open-webui: created with its own handlers and called in a native chat turn.

A tool is created through ``POST /api/v1/tools/create``'s handler, its valves saved through the
tools valves handlers, and a call made the only way the host makes one: a whole chat turn through
``main.chat_completion`` (the ``POST /api/chat/completions`` handler) with the tool selected, in a
temporary chat with no browser session, answered by the run's scripted model (a pipe, see ``_llm``)
that asks for the tool call in round one and answers in round two. The host's ``execute_tool_call``
and ``process_tool_result`` are only watched (their return values recorded); everything between the
model and the tool is the host's code. Runs on the host's event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from ..errors import FunctionLoadError
from ..standins import MockModel
from ._adapters import event_getters, host_module
from ._calls import LoadOutcome, _error_line, load_error, rejected_valves
from ._events import Recorder, caller, current_recorder, emitter_for
from ._host import OpenWebUIHost
from ._llm import current_llm, model_registry, register_models

_TURN_MODULES = ("open_webui.utils.middleware", "open_webui.main", "open_webui.utils.chat")


async def install_tool(
    host: OpenWebUIHost, tool_id: str, name: str, content: str, description: str = ""
) -> LoadOutcome:
    """Create the tool with the host's create handler (or keep it when the stored source is the same,
    so its instance lives on as in the host's tools cache)."""
    http_exception = host_module("fastapi").HTTPException
    models = host_module("open_webui.models.tools")
    tools, router = models.Tools, host_module("open_webui.routers.tools")
    plugin = host_module("open_webui.utils.plugin")
    request = host.request()
    existing = await tools.get_tool_by_id(tool_id)
    if existing is not None and existing.content == plugin.replace_imports(content):
        return LoadOutcome(ok=True, type="tool", manifest=dict(existing.meta.manifest or {}))
    if existing is not None:
        await router.delete_tools_by_id(request, tool_id, user=host.admin, db=None)
    form = models.ToolForm(
        id=tool_id, name=name, content=content, meta=models.ToolMeta(description=description)
    )
    try:
        await router.create_new_tools(request, form, user=host.admin, db=None)
    except http_exception as exc:
        cause = exc.__context__ if exc.__context__ is not None else exc
        return LoadOutcome(
            ok=False,
            error_type=type(cause).__name__,
            message=str(cause) if cause is not exc else str(exc.detail),
            line=_error_line(cause),
        )
    created = await tools.get_tool_by_id(tool_id)
    return LoadOutcome(ok=True, type="tool", manifest=dict(created.meta.manifest or {}))


def tool_load_error(outcome: LoadOutcome, tool_id: str) -> FunctionLoadError:
    return load_error(outcome, tool_id, what="tool", step=("create", "created"))


async def save_tool_valves(
    host: OpenWebUIHost, tool_id: str, values: dict[str, Any] | None, *, user: Any = None
) -> dict[str, Any]:
    """Save through the tools valves-update handler (admin valves, or ``user``'s user valves)."""
    http_exception = host_module("fastapi").HTTPException
    router = host_module("open_webui.routers.tools")
    what = "UserValves" if user is not None else "Valves"
    try:
        if user is None:
            saved = await router.update_tools_valves_by_id(
                host.request(), tool_id, dict(values or {}), user=host.admin, db=None
            )
        else:
            saved = await router.update_tools_user_valves_by_id(
                host.request(), tool_id, dict(values or {}), user=user, db=None
            )
    except http_exception as exc:
        raise rejected_valves(exc, values, what, f"tool {tool_id}", tool_id) from None
    return dict(saved or {})


async def write_user_valves(tool_id: str, user_id: str, values: dict[str, Any]) -> None:
    """Write a user's tool valves as they are stored, unchecked (a value a code change left stale)."""
    tools = host_module("open_webui.models.tools").Tools
    await tools.update_user_valves_by_id_and_user_id(tool_id, user_id, dict(values))


async def tool_facts(host: OpenWebUIHost, tool_id: str) -> dict[str, Any]:
    """The stored specs, the valves schemas the host serves, and the ``get_tools`` entries."""
    router = host_module("open_webui.routers.tools")
    request = host.request()
    row = await host_module("open_webui.models.tools").Tools.get_tool_by_id(tool_id)
    return {
        "specs": row.specs,
        "meta": row.meta.model_dump(),
        "valves_schema": await router.get_tools_valves_spec_by_id(request, tool_id, user=host.admin, db=None),
        "user_valves_schema": await router.get_tools_user_valves_spec_by_id(
            request, tool_id, user=host.admin, db=None
        ),
    }


@dataclass
class Execution:
    """One ``execute_tool_call`` the host made: what it returned, whether the method ran (and what it
    raised), and where its events and event calls are in the turn's."""

    call_id: str
    params: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    event_start: int = 0
    event_end: int = 0
    call_start: int = 0
    call_end: int = 0
    called: bool = False
    exception: BaseException | None = None
    processed: tuple[Any, list[Any], list[Any]] | None = None


@dataclass
class TurnRecord:
    """What the host did in one chat turn: every event the page got, every request the model got,
    each tool execution, and the error the request failed with (if it did)."""

    events: list[Any] = field(default_factory=list)
    event_calls: list[dict[str, Any]] = field(default_factory=list)
    call_positions: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    executions: list[Execution] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def output(self) -> list[dict[str, Any]]:
        """The turn's ``output`` items (the last ``chat:completion`` event that carries them)."""
        for event in reversed(self.events):
            data = event.get("data") if isinstance(event, dict) else None
            if event.get("type") == "chat:completion" and isinstance(data, dict) and "output" in data:
                return list(data["output"])
        return []


_turn: ContextVar[TurnRecord | None] = ContextVar("actionkit_owui_turn", default=None)
_installed = False


def _watch() -> None:
    """Record what ``execute_tool_call`` and ``process_tool_result`` return (once per process)."""
    global _installed
    if _installed:
        return
    middleware = host_module("open_webui.utils.middleware")
    execute, process = middleware.execute_tool_call, middleware.process_tool_result
    update = middleware.get_updated_tool_function

    async def watched_execute(form_data: Any, metadata: Any, event_caller: Any, tool_call: Any) -> Any:
        turn, recorder = _turn.get(), current_recorder.get()
        if turn is None or recorder is None:
            return await execute(form_data, metadata, event_caller, tool_call)
        execution = Execution(str(tool_call.get("id", "")))
        execution.event_start, execution.call_start = len(recorder.events), len(recorder.event_calls)
        turn.executions.append(execution)
        out = await execute(form_data, metadata, event_caller, tool_call)
        execution.params, execution.result = out[0], out[1]
        execution.event_end, execution.call_end = len(recorder.events), len(recorder.event_calls)
        return out

    async def watched_update(function: Any, extra_params: dict[str, Any]) -> Any:
        bound = await update(function=function, extra_params=extra_params)
        turn = _turn.get()
        if turn is None or not turn.executions:
            return bound
        execution = turn.executions[-1]

        async def called(*args: Any, **kwargs: Any) -> Any:
            execution.called = True
            try:
                return await bound(*args, **kwargs)
            except Exception as exc:
                execution.exception = exc
                raise

        return called

    async def watched_process(*args: Any, **kwargs: Any) -> Any:
        out = await process(*args, **kwargs)
        turn = _turn.get()
        if turn is not None and turn.executions and turn.executions[-1].processed is None:
            turn.executions[-1].processed = out
        return out

    middleware.execute_tool_call = watched_execute
    middleware.process_tool_result = watched_process
    middleware.get_updated_tool_function = watched_update
    get_event_emitter, get_event_call = event_getters(emitter_for, caller)
    for name in _TURN_MODULES:
        module = host_module(name)
        module.get_event_emitter = get_event_emitter
        module.get_event_call = get_event_call
    _installed = True


@contextmanager
def _recording(record: TurnRecord, recorder: Recorder, llm: MockModel) -> Iterator[None]:
    tokens = (_turn.set(record), current_recorder.set(recorder), current_llm.set(llm))
    try:
        yield
    finally:
        current_llm.reset(tokens[2])
        current_recorder.reset(tokens[1])
        _turn.reset(tokens[0])


async def native_turn(
    host: OpenWebUIHost,
    *,
    user: Any,
    llm: MockModel,
    body: dict[str, Any],
    tool_ids: list[str],
    chat_id: str,
    message_id: str,
    model: dict[str, Any],
    replies: Any = None,
    timeout: float = 60.0,
    user_agent: str = "actionkit",
) -> TurnRecord:
    """One whole turn through ``main.chat_completion`` with ``tool_ids`` selected, answered by ``llm``."""
    _watch()
    http_exception = host_module("fastapi").HTTPException
    if "pipe" in model and model.get("id") not in llm.models:
        host.app.state.MODELS = {model["id"]: model}  # a pipe under test answers
    else:
        registered = await register_models(host, llm, "")
        host.app.state.MODELS = model_registry(llm, registered, model)
    llm.reset()
    record = TurnRecord()
    recorder = Recorder(replies=replies)
    form = {
        **{k: v for k, v in body.items() if k != "metadata"},
        "model": model["id"],
        "stream": True,
        "tool_ids": list(tool_ids),
        "chat_id": chat_id,
        "id": message_id,
    }
    before = asyncio.all_tasks()
    with _recording(record, recorder, llm):
        try:
            await asyncio.wait_for(
                host_module("open_webui.main").chat_completion(
                    host.request(user_agent=user_agent), form, user=user
                ),
                timeout,
            )
        except http_exception as exc:
            record.error = str(exc.detail)
        except TimeoutError:
            record.error = f"timed out after {timeout:g}s"
        started = {t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()}
        if started:
            await asyncio.wait(started, timeout=timeout)
    record.events = recorder.events
    record.event_calls = recorder.event_calls
    record.call_positions = recorder.call_positions
    record.warnings = recorder.warnings
    record.requests = [dict(request) for request in llm.calls]
    return record


async def describe_tool(host: OpenWebUIHost, source: str, tool_id: str, name: str) -> dict[str, Any]:
    """The create handler's outcome for ``source``, and (when created) the tool's facts."""
    outcome = await install_tool(host, tool_id, name, source)
    facts: dict[str, Any] = {"load": outcome.to_dict()}
    if outcome.ok:
        facts.update(await tool_facts(host, tool_id))
    return facts


async def host_tools_dict(
    host: OpenWebUIHost, tool_ids: list[str], extra_params: dict[str, Any]
) -> dict[str, Any]:
    """``get_tools(request, tool_ids, admin, extra_params)``: the host's own tools dict."""
    get_tools = host_module("open_webui.utils.tools").get_tools
    extra = {**extra_params, "__user__": host.admin.model_dump()}
    return dict(await get_tools(host.request(), list(tool_ids), host.admin, extra))
