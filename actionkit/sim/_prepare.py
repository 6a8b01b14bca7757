"""Turning ``simulate(...)`` arguments into a :class:`Plan`, with clear errors for bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..function import Function, load_file, loaded, stored_valves, with_article
from ..host import DEFAULT_USER_ID, FILTER_HOOKS, TASKS
from ..secrets import masked
from ..store import Store
from ..view import copied
from . import defaults as d
from ._bodies import build_body
from ._call import Source
from ._context import check_llm
from ._event_checks import did_you_mean
from ._event_function import plan_event, refuse_chat_options
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
from ._pipe_output import Ids
from ._plan import Plan
from ._signature import check_signature
from ._tool_call import build_tool_plan

if TYPE_CHECKING:
    from ..store import Store
    from ._call import Call
    from ._simulation import Hook

STORED_ID = re.compile(r"^[A-Za-z_]\w*(\.[\w-]+)?$")


def resolve_function(
    target: Any, store: Store | None, timeout: float | None = None, *, tool: bool = False
) -> tuple[Function, Store | None, str | None]:
    """The function (or tool) to run, the store its saved valves come from, and a sub id given as
    ``id.sub``; loading it (module code and ``__init__``) is bounded by ``timeout``. A stored id
    names a function unless ``tool`` (a tool call) or only a tool has it."""
    if isinstance(target, Function):
        if store is not None and not _stored(store, target):
            store = None
        return target, store, None
    if isinstance(target, Source):
        fn = loaded(
            target.content,
            id=target.id,
            name=target.name,
            line_offset=target.line_offset,
            timeout=timeout,
            kind=target.kind,
        )
        if store is not None and not _stored(store, fn):
            store = None
        return fn, store, None
    if not isinstance(target, str):
        raise SimulationError(
            "simulate() takes a Function, a stored function id, a .py file or function source text, "
            f"got {type(target).__name__}"
        )
    if "\n" not in target and target.strip().endswith(".py") and ("/" in target or Path(target).is_file()):
        return load_file(target.strip(), timeout=timeout), None, None
    if "\n" not in target and STORED_ID.match(target.strip()):
        function_id, _, sub = target.strip().partition(".")
        store = store if store is not None else Store()
        if function_id in store.tools and (tool or function_id not in store):
            return store.tools.load(function_id, timeout=timeout), store, sub or None
        return store.load(function_id, timeout=timeout), store, sub or None
    fn = loaded(target, timeout=timeout)
    if store is not None and not _stored(store, fn):
        store = None
    return fn, store, None


def _stored(store: Store, fn: Function) -> bool:
    return fn.id in (store.tools if fn.type == "tool" else store)


def resolve_hook(fn: Function, hook: str | None) -> Hook:
    if fn.type == "event":
        if hook is not None:
            raise SimulationError(
                f"hook={hook!r} is for filters; {fn.id} is an Event function: pass event= instead",
                function_id=fn.id,
            )
        return "event"
    if fn.type in ("action", "pipe"):
        if hook not in (None, fn.type):
            raise SimulationError(
                f"hook={hook!r} is for filters; {fn.id} is {with_article(fn.type)}: leave hook out",
                function_id=fn.id,
            )
        return "action" if fn.type == "action" else "pipe"
    present = [h for h in FILTER_HOOKS if callable(getattr(fn.instance, h, None))]
    if hook is None:
        if not present:
            raise SimulationError(
                f"filter {fn.id} defines none of the hooks {', '.join(FILTER_HOOKS)}", function_id=fn.id
            )
        return "inlet" if "inlet" in present else present[0]  # type: ignore[return-value]
    if hook not in FILTER_HOOKS:
        raise SimulationError(
            f"unknown filter hook {hook!r}{did_you_mean(str(hook), FILTER_HOOKS)}; "
            f"filter hooks are {', '.join(FILTER_HOOKS)}",
            function_id=fn.id,
        )
    if hook not in present:
        raise SimulationError(
            f"filter {fn.id} has no {hook}() hook (it defines: {', '.join(present) or 'none'}); "
            f"Open WebUI would skip it",
            function_id=fn.id,
        )
    return hook  # type: ignore[return-value]


def _check_sub_action(fn: Function, sub_id: str | None, warnings: list[str]) -> None:
    subs = [str(a["id"]) for a in fn.sub_actions]
    if sub_id is None:
        if subs:
            warnings.append(
                f"{fn.id} defines sub-actions ({', '.join(subs)}): the page shows only their buttons, "
                "so pass sub_id= to click one"
            )
        return
    if "." in sub_id:
        raise SimulationError(
            f"sub_id {sub_id!r} contains '.': Open WebUI splits '{fn.id}.{sub_id}' on every dot and fails",
            function_id=fn.id,
        )
    if not subs:
        raise SimulationError(f"action {fn.id} has no sub-actions (no `actions` list)", function_id=fn.id)
    if sub_id not in subs:
        raise SimulationError(
            f"action {fn.id} has no sub-action {sub_id!r}{did_you_mean(sub_id, subs)}; "
            f"its sub-actions are: {', '.join(subs)}",
            function_id=fn.id,
        )


def build_plan(call: Call) -> Plan:
    """Resolve the function and check every option of ``call``; bad input is a SimulationError."""
    timeout = checked_timeout(call.timeout)
    fn, store, sub_from_id = resolve_function(
        call.target, call.store, timeout, tool=call.tool_call is not None
    )
    if fn.type == "tool" or call.tool_call is not None:
        return build_tool_plan(call, fn, store)
    hook = resolve_hook(fn, call.hook)
    if hook == "event":
        refuse_chat_options(call, fn.id)
    elif call.event is not None:
        raise SimulationError(
            f"event= is for Event functions; {fn.id} is {with_article(fn.type)}"
            + (
                " (a stream filter's event is the body: simulate(fn, event_dict, hook='stream'))"
                if fn.type == "filter"
                else ""
            ),
            function_id=fn.id,
        )
    sub_id = call.sub_id if call.sub_id is not None else sub_from_id
    warnings: list[str] = []
    if sub_id is not None and not isinstance(sub_id, str):
        raise SimulationError(f"sub_id must be a string, got {type(sub_id).__name__}")
    if fn.type == "action":
        _check_sub_action(fn, sub_id, warnings)
    elif fn.type == "filter" and sub_id is not None:
        raise SimulationError(
            f"sub_id is for actions and manifold pipes; {fn.id} is a filter", function_id=fn.id
        )
    task = call.task
    if task is not None:
        if fn.type != "pipe":
            raise SimulationError(
                f"task= is for pipes (background tasks run the task model, without filters or actions); "
                f"{fn.id} is {with_article(fn.type)}",
                function_id=fn.id,
            )
        if task not in TASKS:
            warnings.append(
                f"task {task!r} is not one Open WebUI 0.12.4 runs{did_you_mean(str(task), TASKS)}"
            )
    arguments = check_signature(fn, hook, warnings)
    replies = Replies(call.replies)
    observer = call.on_record
    if observer is not None and not callable(observer):
        raise SimulationError(
            f"on_record must be a callable taking (kind, item), got {type(observer).__name__}"
        )

    if call.valves is not None:
        check_fields(fn, fn.Valves, call.valves, "Valves", warnings)
        valves: dict[str, Any] | None = stored_valves(fn.Valves, call.valves, function_id=fn.id)
    else:
        valves = store.valves(fn.id) if store is not None else None
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
        user_valves = store.user_valves(fn.id, user_id) if store is not None else {}
    user = d.user_dict(given_user, fn.id, user_valves)

    plan = Plan(
        fn=fn,
        kind=fn.type,
        hook=hook,
        handler_name=hook,
        body=None,
        user=user,
        model={},
        metadata={},
        valves=valves,
        user_valves=user_valves,
        recorder=Recorder(replies, observer),
        ids=Ids(real=bool(call.real_ids)),
        timeout=float(timeout),
        stream=bool(call.stream),
        sub_id=sub_id,
        task=task,
        files=call.files,
        warnings=warnings,
    )
    plan.llm = check_llm(call.llm)
    model_dict, model_id = model_arg(call.model)
    if hook == "event":
        plan_event(plan, call.event)
    else:
        build_body(plan, call.body, model_dict, model_id, call.metadata)
    plan.secrets = secret_values(fn, valves, user_valves)
    plan.inputs = {
        "body": plan.default_body() if plan.default_body is not None else copied(plan.body),
        "valves": _masked(valves, fn.Valves),
        "user_valves": _masked(user_valves, fn.UserValves),
        "user_id": user["id"],
        "arguments": arguments,
        **call_inputs(call, model_dict),
    }
    return plan


def _masked(values: dict[str, Any] | None, cls: Any) -> dict[str, Any]:
    """A copy of ``values`` with the secret fields of ``cls`` (and secret-named text) masked."""
    if not values:
        return {}
    return masked(dict(values), secret_names(cls))
