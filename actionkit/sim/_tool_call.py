"""One Tool call, as open-webui 0.12.4 makes it in a native tool-calling chat turn.

``simulate(tool, tool_call={"name": ..., "arguments": ...})`` plans the turn's request (a streamed
chat completion with this tool selected, in a temporary chat with no browser session: the case in
which the host runs the tool loop inline), builds the tools dict as ``get_tools`` does (admin valves
applied, ``UserValves`` from the user's stored values; values that no longer validate fail the whole
request, as in the host), runs the call through the host's ``execute_tool_call`` and records what
the round makes of it (:mod:`._tool_result`).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..function import Function, SelectedTool, Tool, stored_valves, tools_dict, with_article
from ..host import ALL_DUNDERS, DEFAULT_USER_ID, OFFERED
from ..secrets import masked
from ..standins import context
from ..view import copied
from . import defaults as d
from ._context import check_llm
from ._event_checks import did_you_mean
from ._events import Recorder, Replies
from ._inputs import (
    call_inputs,
    check_fields,
    checked_timeout,
    given_user_valves,
    model_arg,
    secret_names,
    secret_values,
)
from ._invoke import Outcome, signature_info
from ._pipe_output import Ids
from ._plan import Plan
from ._request import make_request
from ._tool_result import UNPARSABLE, execute_tool_call, tool_output

if TYPE_CHECKING:
    from ..store import Store
    from ._call import Call

TOOL_CALL_ID = "call_1"
_CALL_KEYS = frozenset({"id", "name", "arguments", "type", "function"})


def normalize_tool_call(given: Any, fn: Function) -> dict[str, Any]:
    """``tool_call=`` as the model's tool call ``{"id", "type": "function", "function": {"name",
    "arguments": <text>}}``; arguments given as a dict are the JSON text of that dict."""
    methods = ", ".join(fn.methods) if isinstance(fn, Tool) else ""
    example = 'tool_call={"name": "<method>", "arguments": {...}}'
    if not isinstance(given, dict):
        raise SimulationError(
            f"tool_call must be a dict like {example}, got {type(given).__name__}",
            function_id=fn.id,
            hint=f"{fn.id}'s methods: {methods or 'none'}",
        )
    unknown = sorted(set(given) - _CALL_KEYS)
    if unknown:
        raise SimulationError(
            f"tool_call has unknown keys {unknown}: give 'name' and 'arguments' (and 'id'), or the "
            "OpenAI shape {'id', 'type', 'function': {'name', 'arguments'}}",
            function_id=fn.id,
        )
    function = given.get("function")
    inner: dict[str, Any] = function if isinstance(function, dict) else given
    name = inner.get("name")
    if not isinstance(name, str):
        raise SimulationError(
            f"tool_call needs the method name as 'name' (text), like {example}",
            function_id=fn.id,
            hint=f"{fn.id}'s methods: {methods or 'none'}",
        )
    arguments = inner.get("arguments", "")
    if arguments is None:
        arguments = ""
    if not isinstance(arguments, str):
        try:
            arguments = json.dumps(arguments, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise SimulationError(
                f"tool_call arguments must be JSON data (what a model can send) or its text: {exc}",
                function_id=fn.id,
            ) from None
    call_id = given.get("id") or TOOL_CALL_ID
    return {"id": str(call_id), "type": "function", "function": {"name": name, "arguments": arguments}}


def _refuse_options(call: Call, fn: Function) -> None:
    for option, value, default in (
        ("hook", call.hook, None),
        ("sub_id", call.sub_id, None),
        ("stream", call.stream, False),
        ("task", call.task, None),
    ):
        if value != default:
            raise SimulationError(
                f"{option}= is not for Tools: the model calls a tool method, give tool_call= instead",
                function_id=fn.id,
            )


def build_tool_plan(call: Call, fn: Function, store: Store | None) -> Plan:
    """The plan of a Tool call; bad options are a SimulationError naming what to fix."""
    if not isinstance(fn, Tool):
        raise SimulationError(
            f"tool_call= is for Tools (a class Tools source); {fn.id} is {with_article(fn.type)}",
            function_id=fn.id,
        )
    if call.tool_call is None:
        raise SimulationError(
            f"{fn.id} is a Tool: say which method the model calls with "
            'tool_call={"name": "<method>", "arguments": {...}}',
            function_id=fn.id,
            hint=f"its methods: {', '.join(fn.methods) or 'none'}",
        )
    _refuse_options(call, fn)
    tool_call = normalize_tool_call(call.tool_call, fn)
    warnings: list[str] = []
    name = tool_call["function"]["name"]
    if name not in fn.methods:
        warnings.append(
            f"{fn.id} has no method the model can call as {name!r}{did_you_mean(name, fn.methods)}: "
            f"Open WebUI answers the model 'Error: Tool \"{name}\" not found.'"
        )
    timeout = checked_timeout(call.timeout)
    observer = call.on_record
    if observer is not None and not callable(observer):
        raise SimulationError(
            f"on_record must be a callable taking (kind, item), got {type(observer).__name__}"
        )
    tools = store.tools if store is not None else None
    known = tools is not None and fn.id in tools
    if call.valves is not None:
        check_fields(fn, fn.Valves, call.valves, "Valves", warnings)
        valves: dict[str, Any] | None = stored_valves(fn.Valves, call.valves, function_id=fn.id)
    else:
        valves = tools.valves(fn.id) if tools is not None and known else None
    given_user = call.user
    user_id = DEFAULT_USER_ID
    if isinstance(given_user, dict) and isinstance(given_user.get("id"), str):
        user_id = given_user["id"]
    elif given_user is not None and isinstance(getattr(given_user, "id", None), str):
        user_id = given_user.id
    if call.user_valves is not None:
        check_fields(fn, fn.UserValves, call.user_valves, "UserValves", warnings)
        user_valves = given_user_valves(fn, call.user_valves)
    else:
        user_valves = tools.user_valves(fn.id, user_id) if tools is not None and known else {}
    user = d.user_dict(given_user, fn.id, user_valves, section="tools")
    model, model_id = model_arg(call.model)
    plan = Plan(
        fn=fn,
        kind="tool",
        hook="tool",
        handler_name=name,
        body=None,
        user=user,
        model=model if model is not None else d.model_dict(fn, model_id),
        metadata={},
        valves=valves,
        user_valves=user_valves,
        recorder=Recorder(Replies(call.replies), observer),
        ids=Ids(real=bool(call.real_ids)),
        timeout=timeout,
        files=call.files,
        warnings=warnings,
        tool_call=tool_call,
    )
    plan.llm = check_llm(call.llm)
    plan.body = _body(call.body, fn, str(plan.model.get("id")))
    plan.metadata = d.tool_metadata(plan.model, user["id"], plan.body, [fn.id], files=call.files)
    if call.metadata is not None:
        if not isinstance(call.metadata, dict):
            raise SimulationError(
                f"metadata must be a dict, got {type(call.metadata).__name__}", function_id=fn.id
            )
        plan.metadata.update(copied(call.metadata))
    plan.message_id = str(plan.metadata.get("message_id"))
    method = fn.method_of(name)
    arguments: list[str] = []
    if method is not None:
        names, _ = signature_info(method)
        arguments = [n for n in OFFERED["tool"] if n in names]
        plan.warnings.extend(_reserved_warnings(name, names))
    plan.secrets = secret_values(fn, valves, user_valves)
    plan.inputs = {
        "body": copied(plan.body),
        "valves": masked(dict(valves or {}), secret_names(fn.Valves)),
        "user_valves": masked(dict(user_valves), secret_names(fn.UserValves)),
        "user_id": user["id"],
        "arguments": arguments,
        "tool_call": copy.deepcopy(tool_call),
        **call_inputs(call, model),
    }
    return plan


def _reserved_warnings(method: str, names: frozenset[str]) -> list[str]:
    """Reserved-looking parameters a tool method asks for that Open WebUI never gives a tool."""
    found = []
    for name in sorted(names):
        if name in OFFERED["tool"] or not (name.startswith("__") and name.endswith("__")):
            continue
        if name in ALL_DUNDERS or name == "__event__":
            found.append(
                f"{method}() asks for {name}, which Open WebUI 0.12.4 does not pass to tools: "
                "it keeps its default"
            )
        else:
            hint = did_you_mean(name, OFFERED["tool"])
            found.append(f"{method}() asks for {name}{hint}: Open WebUI passes nothing by that name")
    return found


def _body(given: Any, fn: Function, model_id: str) -> dict[str, Any]:
    """The chat request: the given body, else one user message; ``messages`` become ``__messages__``."""
    if given is None:
        return d.tool_body(model_id)
    if not isinstance(given, dict) or not isinstance(given.get("messages"), list):
        raise SimulationError(
            "body for a Tool call is the chat request, a dict with a 'messages' list "
            '(for example {"messages": [{"role": "user", "content": "Hi"}]})',
            function_id=fn.id,
        )
    body = copied(given)
    body.setdefault("model", model_id)
    body["stream"] = True
    return dict(body)


def _extra_params(plan: Plan, emitter: Any, caller: Any) -> dict[str, Any]:
    """What ``process_chat_payload`` hands ``get_tools`` (``__id__``/``__user__`` are added per tool)."""
    meta = plan.metadata
    return {
        "__event_emitter__": emitter,
        "__event_call__": caller,
        "__user__": {k: v for k, v in plan.user.items() if k != "valves"},
        "__metadata__": meta,
        "__oauth_token__": None,
        "__request__": make_request("/api/chat/completions", plan.model, context.current().models),
        "__model__": plan.model,
        "__chat_id__": meta.get("chat_id"),
        "__message_id__": meta.get("message_id"),
        "__messages__": plan.body["messages"],
        "__files__": meta.get("files") or [],
    }


async def run_tool(plan: Plan, emitter: Any, caller: Any) -> Outcome:
    """Build the tools dict, make the call and record the host's output for it."""
    outcome = Outcome()
    fn = plan.fn
    assert isinstance(fn, Tool) and plan.tool_call is not None
    try:
        tools = tools_dict(
            [SelectedTool(fn, plan.valves, plan.user_valves)], _extra_params(plan, emitter, caller)
        )
    except Exception as exc:
        outcome.error = str(exc) or type(exc).__name__
        outcome.exception = exc
        outcome.notes.append(
            "Open WebUI builds the tools before the model is asked, so this fails the whole chat "
            "request (HTTP 400, a chat:message:error on the page) and no tool runs"
        )
        return outcome
    plan.metadata["tools"] = tools
    tool_call = copy.deepcopy(plan.tool_call)
    executed = await execute_tool_call(plan.body["messages"], plan.metadata, tool_call)
    outcome.result = executed.result
    try:
        output = tool_output(tool_call, executed)
    except Exception as exc:  # process_tool_result raised: the host's chat turn breaks here
        outcome.error = str(exc) or type(exc).__name__
        outcome.exception = exc
        outcome.notes.append(
            "Open WebUI cannot turn this result into the tool message, so the whole chat request fails "
            "(HTTP 400, a chat:message:error on the page) and the model gets no answer"
        )
        return outcome
    outcome.tool = output
    raised = executed.exception
    if raised is not None:
        outcome.error = str(raised) if str(raised) else type(raised).__name__
        outcome.exception = raised
    elif not executed.called:
        outcome.error = output.text
    elif executed.result is None:
        outcome.notes.append(
            "the method returned None: Open WebUI 0.12.4's tool loop takes None for unparsable "
            f"arguments and tells the model {UNPARSABLE.format(name=output.name)!r} (status failed); "
            'return "" or a text instead'
        )
    return outcome
