"""``simulate(tool, tool_call=..., runtime="open-webui")``: the call made by the real host in a chat turn.

The tool is created and its valves saved with the host's handlers; a scripted model asks for
exactly the planned tool call in round one and answers ``"Done."`` in round two; the
:class:`Simulation` is read off what the host did: the raw result ``execute_tool_call`` returned,
the ``role: tool`` message and the re-dumped arguments of the model's second request, the status of
the ``function_call_output`` item, the files and embeds ``process_tool_result`` returned, and the
events and event calls made while the tool ran.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..host import ASSISTANT_MESSAGE_ID, TOOL_CHAT_ID, VERSION
from ..secrets import masked, secret_fields
from ..sim import Outcome, Simulation, ToolOutput, finalize, secret_values, stale_user_valves
from ..sim import defaults as _defaults
from ..standins import MockModel
from ._adapters import host_module, installed_version
from ._calls import install_function, load_error
from ._host import OpenWebUIHost
from ._tools import (
    Execution,
    TurnRecord,
    install_tool,
    native_turn,
    save_tool_valves,
    tool_load_error,
    write_user_valves,
)

if TYPE_CHECKING:
    from ..sim import Plan

FINAL_ANSWER = "Done."


def check_tool_release(version: str | None, tool_id: str, *, installed: bool = False) -> None:
    """A SimulationError unless ``version`` is the release whose chat pipeline tools are run
    through (``installed``: the open-webui of this environment rather than a release's worker)."""
    if version == VERSION:
        return
    where = f"the open-webui installed here is {version}" if installed else f"open-webui {version} was asked"
    raise SimulationError(
        f"{tool_id} is a Tool: actionkit runs tools on the real host of open-webui {VERSION} only "
        f"(tool calls are made through that release's own chat pipeline), and {where}",
        function_id=tool_id,
        hint=f"use runtime='open-webui=={VERSION}' for the real host, or runtime='actionkit' "
        f"(the simulator, which follows {VERSION})",
    )


async def run_tool_call(
    host: OpenWebUIHost,
    plan: Plan,
    *,
    valves: dict[str, Any] | None,
    user_valves: dict[str, Any] | None,
    user: Any,
    replies: Any,
) -> Simulation:
    started = time.perf_counter()
    tool = plan.fn
    check_tool_release(installed_version(), tool.id, installed=True)
    if plan.user.get("role") != "admin":
        raise SimulationError(
            "the real runtime makes tool calls for admin users only: for other users open-webui checks "
            "the access grants of a workspace model, which the scripted model does not have",
            function_id=tool.id,
            hint='leave user= out, or give it "role": "admin"',
        )
    if plan.metadata.get("files"):
        raise SimulationError(
            "the real runtime cannot give a tool call the chat's files: open-webui would first run "
            "retrieval over them, which needs an embedding model",
            function_id=tool.id,
            hint="leave files= out for runtime='open-webui'",
        )
    loaded = await install_tool(host, tool.id, tool.name, tool.content, tool.description)
    if not loaded.ok:
        raise tool_load_error(loaded, tool.id)
    table = host_module("open_webui.models.tools").Tools
    if valves is not None:
        plan.valves = await save_tool_valves(host, tool.id, valves)
    else:
        await table.update_tool_valves_by_id(tool.id, dict(plan.valves or {}))
    await host.ensure_user(_defaults.user_dict(user, tool.id, None))
    users = host_module("open_webui.models.users").Users
    user_id = str(plan.user["id"])
    stored: dict[str, Any] = {}
    if user_valves is not None and not stale_user_valves(tool, user_valves):
        if user_valves:
            stored = await save_tool_valves(
                host, tool.id, user_valves, user=await users.get_user_by_id(user_id)
            )
    else:
        # A store's values, or values that no longer validate: written as the host keeps them, unchecked.
        stored = dict(user_valves if user_valves is not None else plan.user_valves or {})
        if stored:
            await write_user_valves(tool.id, user_id, stored)
    plan.user_valves = stored
    plan.user = _defaults.user_dict(user, tool.id, stored, section="tools")
    plan.secrets = secret_values(tool, plan.valves, stored)
    plan.inputs["valves"] = masked(dict(plan.valves or {}), secret_fields(tool.Valves))
    plan.inputs["user_valves"] = masked(dict(stored), secret_fields(tool.UserValves))
    assert plan.tool_call is not None
    scripted = MockModel([{"tool_calls": [plan.tool_call]}, FINAL_ANSWER], models=[str(plan.model["id"])])
    record = await native_turn(
        host,
        user=await users.get_user_by_id(user_id),
        llm=scripted,
        body=plan.body,
        tool_ids=[tool.id],
        chat_id=str(plan.metadata.get("chat_id")),
        message_id=str(plan.metadata.get("message_id")),
        model=plan.model,
        replies=replies,
        timeout=plan.timeout,
        user_agent=str(plan.metadata.get("user_agent") or ""),
    )
    return _simulation(plan, record, time.perf_counter() - started)


def _second_request(record: TurnRecord, call_id: str) -> tuple[dict[str, Any] | None, str | None]:
    """The assistant's tool call and the ``role: tool`` text of the model's next request."""
    call, text = None, None
    for request in record.requests[1:2]:
        for message in request.get("messages") or []:
            if message.get("role") == "assistant":
                for entry in message.get("tool_calls") or []:
                    if entry.get("id") == call_id:
                        call = entry
            if message.get("role") == "tool" and message.get("tool_call_id") == call_id:
                text = message.get("content")
    return call, text


def _status(record: TurnRecord, call_id: str) -> str | None:
    for item in record.output:
        if item.get("type") == "function_call_output" and item.get("call_id") == call_id:
            return str(item.get("status"))
    return None


def _simulation(plan: Plan, record: TurnRecord, duration: float) -> Simulation:
    assert plan.tool_call is not None
    call_id = str(plan.tool_call["id"])
    execution = next((e for e in record.executions if e.call_id == call_id), None)
    outcome = Outcome()
    target = plan.recorder
    if record.error is not None and execution is None:
        outcome.error = record.error
        outcome.notes.append("Open WebUI failed the whole chat request before any tool ran")
    elif execution is None:
        raise SimulationError(
            f"open-webui made no call of {plan.handler_name} in the chat turn (its events: "
            f"{[e.get('type') for e in record.events if isinstance(e, dict)]})",
            function_id=plan.fn.id,
        )
    else:
        outcome.result = execution.result
        outcome.tool = _output(plan, record, execution)
        if execution.exception is not None:
            exc = execution.exception
            outcome.error = str(exc) if str(exc) else type(exc).__name__
            outcome.exception = exc
        elif not execution.called and outcome.tool is not None:
            outcome.error = outcome.tool.text
        elif outcome.tool is None and record.error is not None:
            outcome.error = record.error  # the host failed the request after the call
        _copy_events(record, execution, target)
    target.warnings.extend(record.warnings)
    return finalize(plan, outcome, duration)


def _output(plan: Plan, record: TurnRecord, execution: Execution) -> ToolOutput | None:
    call, text = _second_request(record, execution.call_id)
    status = _status(record, execution.call_id)
    if call is None or text is None or status is None:
        return None
    files: list[Any] = []
    embeds: list[Any] = []
    if execution.processed is not None:
        _, found_files, found_embeds = execution.processed
        files, embeds = list(found_files), list(found_embeds)
    return ToolOutput(call, dict(execution.params or {}), text, status, files, embeds, plan.fn.id)


def _copy_events(record: TurnRecord, execution: Execution, target: Any) -> None:
    target.events.extend(record.events[execution.event_start : execution.event_end])
    target.calls.extend(record.event_calls[execution.call_start : execution.call_end])
    for position in record.call_positions[execution.call_start : execution.call_end]:
        target.call_positions.append(position - execution.event_start)


async def run_tool_turn(
    host: OpenWebUIHost,
    tools: list[Any],
    llm: MockModel | None,
    messages: list[dict[str, Any]],
    *,
    valves: dict[str, dict[str, Any]],
    user_valves: dict[str, dict[str, Any]],
    replies: Any,
    timeout: float,
    pipe: Any = None,
) -> dict[str, Any]:
    if llm is None:
        raise SimulationError("a chat turn with tools needs the scripted model: give llm=MockModel([...])")
    for tool in tools:
        check_tool_release(installed_version(), tool.id, installed=True)
    model = llm.model_entry(llm.models[0])
    if pipe is not None:
        installed = await install_function(host, pipe.id, pipe.name, pipe.content, pipe.description)
        if not installed.ok:
            raise load_error(installed, pipe.id)
        model = _defaults.model_dict(pipe)
    table = host_module("open_webui.models.tools").Tools
    for tool in tools:
        loaded = await install_tool(host, tool.id, tool.name, tool.content, tool.description)
        if not loaded.ok:
            raise tool_load_error(loaded, tool.id)
        if tool.id in valves:
            await save_tool_valves(host, tool.id, valves[tool.id])
        else:
            await table.update_tool_valves_by_id(tool.id, {})
    user_row = await host.ensure_user(_defaults.user_dict(None, "", None))
    for tool in tools:
        if user_valves.get(tool.id):
            await save_tool_valves(host, tool.id, user_valves[tool.id], user=user_row)
    users = host_module("open_webui.models.users").Users
    record = await native_turn(
        host,
        user=await users.get_user_by_id(user_row.id),
        llm=llm,
        body={"messages": messages},
        tool_ids=[tool.id for tool in tools],
        chat_id=TOOL_CHAT_ID,
        message_id=ASSISTANT_MESSAGE_ID,
        model=model,
        replies=replies,
        timeout=timeout,
        user_agent=_defaults.USER_AGENT,
    )
    return {
        "requests": record.requests,
        "output": record.output,
        "tool_events": [record.events[e.event_start : e.event_end] for e in record.executions],
        "event_calls": [record.event_calls[e.call_start : e.call_end] for e in record.executions],
        "error": record.error or _message_error(record),
    }


def _message_error(record: TurnRecord) -> str | None:
    for event in record.events:
        if isinstance(event, dict) and event.get("type") == "chat:message:error":
            error = (event.get("data") or {}).get("error")
            return str(error.get("content") if isinstance(error, dict) else error)
    return None
