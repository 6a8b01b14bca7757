"""Run a simulation through the real open-webui package (``simulate(..., runtime="open-webui")``).

:func:`run` takes the same :class:`~actionkit.sim.Call` as the simulator and returns the same
:class:`~actionkit.sim.Simulation`, but the call goes through the installed open-webui itself,
in-process: the function is created and activated with the host's own handlers, valves and user
valves are saved through its valves endpoints' handlers, and the call runs through ``chat_action``
(actions), ``process_filter_functions`` (filter hooks), ``generate_function_chat_completion``
(pipes) or ``build_event`` and ``dispatch_event_functions`` (Event functions). Only the browser is
replaced: events are recorded and event calls answered from ``replies``.

The inputs (body, user, model, metadata) are built exactly as :func:`actionkit.simulate` builds them,
and the result is turned into a :class:`Simulation` by the same code, so the two can be compared
field by field. The host is started once per process (about ten seconds: it imports
``open_webui.main`` and migrates a database in a temporary ``DATA_DIR``) and keeps its own event loop
in a daemon thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..function import extract_frontmatter
from ..host import default_user
from ..secrets import masked, secret_fields
from ..sim import (
    Call,
    Outcome,
    Plan,
    Simulation,
    build_plan,
    finalize,
    resolve_pipe_model,
    secret_values,
    stale_user_valves,
    timeout_text,
    uncaught_text,
)
from ..sim import defaults as _defaults
from ._adapters import current, db, host_module, is_available
from ._calls import function_facts, install_function, load_error, save_valves, write_user_valves
from ._events import Recorder, current_recorder, install
from ._host import OpenWebUIHost, get_host
from ._images import serve_images
from ._invoke import HostOutcome, invoke
from ._llm import current_llm, model_registry, register_models, scripted_model
from ._rows import write_call_rows
from ._tool_run import run_tool_call, run_tool_turn
from ._tools import describe_tool, host_tools_dict

if TYPE_CHECKING:
    from ..standins import MockModel


def run(call: Call) -> Simulation:
    """Run ``call`` through the installed open-webui and return a :class:`Simulation`.

    Raises :class:`~actionkit.errors.SimulationError` when open-webui is not importable,
    :class:`~actionkit.errors.FunctionLoadError` when the host cannot load the function and
    :class:`~actionkit.errors.ValvesError` when the host's valves handlers reject ``valves`` or
    ``user_valves``. ``real_ids`` has no effect: chunk ids and clocks are always the host's own.
    ``llm`` (or an enclosing ``MockModel.use()``): the scripted model, registered in the host as a
    pipe under each of its model ids (see ``_llm``); without it the host has no model of its own to
    answer ``generate_chat_completion``. ``on_record`` is not called: the host is not observed live.
    """
    host = _host()  # first: the host's environment must be set before the source is loaded here
    prepared = _prepare(call)
    return host.run(_run(host, prepared), limit=_limit(prepared), what=_what(prepared))


async def arun(call: Call) -> Simulation:
    """The async twin of :func:`run`."""
    host = await asyncio.get_running_loop().run_in_executor(None, _host)
    prepared = _prepare(call)
    return await host.arun(_run(host, prepared), limit=_limit(prepared), what=_what(prepared))


# How long past ``timeout`` a caller waits for a host loop that does not answer (blocked by sync
# code), on top of the time the host needs to store the function and its valves.
GRACE = 30.0


def _limit(run: _Run) -> float:
    return run.plan.timeout + GRACE


def _what(run: _Run) -> str:
    plan = run.plan
    return f"{plan.fn.id}.{plan.handler_name}()"


def _host() -> OpenWebUIHost:
    host = get_host()
    install()
    return host


def start() -> None:
    """Start the host now instead of on the first call (a release's worker does this first)."""
    _host()


class _Run:
    """A simulation plan, plus the call it came from (its valves are saved through the host)."""

    def __init__(self, plan: Plan, call: Call) -> None:
        self.plan = plan
        self.valves: dict[str, Any] | None = call.valves
        self.user_valves: dict[str, Any] | None = call.user_valves
        self.user: Any = call.user
        self.replies: Any = call.replies
        self.llm: MockModel | None = scripted_model(call.llm)


def _prepare(call: Call) -> _Run:
    if not is_available():
        get_host()  # raises the SimulationError that says how to install open-webui
    # Valves are validated and stored by the host's own handlers below; nothing is observed live.
    plan = build_plan(dataclasses.replace(call, valves=None, user_valves=None, on_record=None))
    return _Run(plan, call)


async def _run(host: OpenWebUIHost, run: _Run) -> Simulation:
    async with host.call_lock:
        return await _run_alone(host, run)


async def _run_alone(host: OpenWebUIHost, run: _Run) -> Simulation:
    plan = run.plan
    if plan.kind == "tool":
        return await run_tool_call(
            host, plan, valves=run.valves, user_valves=run.user_valves, user=run.user, replies=run.replies
        )
    started = time.perf_counter()
    fn = plan.fn
    outcome = await install_function(host, fn.id, fn.name, fn.content, fn.description)
    if not outcome.ok:
        raise load_error(outcome, fn.id)
    if outcome.type != plan.kind:
        raise SimulationError(
            f"open-webui loads {fn.id} as a {outcome.type}, actionkit as a {plan.kind}",
            function_id=fn.id,
        )
    user_row = await _store_valves(host, run)
    if plan.kind != "event":
        await write_call_rows(plan)
    if plan.kind == "pipe":
        await resolve_pipe_model(plan)
    scripted = await register_models(host, run.llm, fn.id) if run.llm is not None else []
    await serve_images(run.llm)
    models = model_registry(run.llm, scripted, plan.model)
    shape = current()
    recorder = Recorder(replies=run.replies, unanswered_waits=shape.event_call_waits, release=shape.version)
    token = current_recorder.set(recorder)
    llm_token = current_llm.set(run.llm)
    try:
        host_outcome = await invoke(host, plan, user_row, models)
    finally:
        current_llm.reset(llm_token)
        current_recorder.reset(token)
    return _finish(plan, host_outcome, recorder, time.perf_counter() - started)


async def _store_valves(host: OpenWebUIHost, run: _Run) -> Any:
    """Save admin valves and the user's valves with the host's handlers; return the user row."""
    plan = run.plan
    fn = plan.fn
    admin = run.valves if run.valves is not None else plan.valves
    plan.valves = await save_valves(host, fn.id, admin)
    await host.ensure_user(_defaults.user_dict(run.user, fn.id, None))
    user_id = str(plan.user["id"])
    wanted = run.user_valves if run.user_valves is not None else plan.user_valves
    stored_user_valves = {}
    if run.user_valves is not None and stale_user_valves(fn, run.user_valves):
        # Values saved before the code changed: the host's save would refuse them, so they are
        # written to the user's settings as they would have been stored then.
        stored_user_valves = await write_user_valves(host, fn.id, user_id, run.user_valves)
    elif wanted or run.user_valves is not None:
        stored_user_valves = await save_valves(host, fn.id, wanted or {}, user_id=user_id)
    plan.user_valves = stored_user_valves
    plan.user = _defaults.user_dict(run.user, fn.id, stored_user_valves)
    plan.secrets = secret_values(fn, plan.valves, stored_user_valves)
    plan.inputs["valves"] = masked(dict(plan.valves or {}), secret_fields(fn.Valves))
    plan.inputs["user_valves"] = masked(dict(stored_user_valves), secret_fields(fn.UserValves))
    users = host_module("open_webui.models.users").Users
    return await db(users.get_user_by_id(user_id))


def _finish(plan: Plan, host: HostOutcome, recorder: Recorder, duration: float) -> Simulation:
    """Turn what the host did into a Simulation with the simulator's own finishing code."""
    outcome = Outcome(result=host.result, chunks=host.chunks)
    exc = host.exception
    if host.timed_out:
        outcome.error = timeout_text(plan)
    elif exc is not None:
        outcome.error = str(exc) if isinstance(exc, Exception) else uncaught_text(exc, plan.handler_name)
        outcome.exception = exc
    elif recorder.host_errors:
        # The host caught the pipe's exception itself and answered with an error object.
        outcome.error = recorder.host_errors[-1]
    _patched_messages(plan, outcome)
    target = plan.recorder
    target.events.extend(recorder.events)
    target.calls.extend(recorder.event_calls)
    target.call_positions.extend(recorder.call_positions)
    target.warnings.extend(recorder.warnings)
    return finalize(plan, outcome, duration, timed_out=host.timed_out)


def _patched_messages(plan: Plan, outcome: Outcome) -> None:
    """A returned ``messages`` list (action result, outlet body) that the page merges by id."""
    result = outcome.result
    returns_messages = plan.kind == "action" or (plan.kind == "filter" and plan.hook == "outlet")
    if outcome.error is None and isinstance(result, dict) and returns_messages:
        outcome.patched_messages = result.get("messages")
    if plan.kind == "filter" and plan.hook == "stream" and outcome.error is None and not result:
        outcome.notes.append("stream returned a falsy value: Open WebUI drops this chunk")


def describe_in_open_webui(
    source: str,
    id: str,
    name: str | None = None,
    *,
    user: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the real host makes of ``source`` stored as ``id``: the create handler's outcome
    (``load``: ok, type, manifest or the error), the served ``Valves`` and ``UserValves`` JSON
    schemas (dynamic options resolved for ``user``, the simulator's default user when not given)
    and, for pipes, the models it lists. ``name`` defaults to the frontmatter title, as the editor
    fills it in."""
    host = _host()
    name = name or extract_frontmatter(source).get("title") or id
    return host.run(_describe(host, source, id, name, user), limit=GRACE, what=f"loading {id}")


async def _describe(
    host: OpenWebUIHost, source: str, function_id: str, name: str, user: dict[str, Any] | None
) -> dict[str, Any]:
    async with host.call_lock:
        return await _describe_alone(host, source, function_id, name, user)


async def _describe_alone(
    host: OpenWebUIHost, source: str, function_id: str, name: str, user: dict[str, Any] | None
) -> dict[str, Any]:
    outcome = await install_function(host, function_id, name, source)
    facts: dict[str, Any] = {"load": outcome.to_dict()}
    if outcome.ok:
        user_row = await host.ensure_user(user or default_user())
        facts.update(await function_facts(host, function_id, user_row))
    return facts


def describe_tool_in_open_webui(source: str, id: str, name: str | None = None) -> dict[str, Any]:
    """What the real host makes of ``source`` created as tool ``id``: the create handler's outcome
    (``load``), the stored ``specs`` and ``meta``, and the served ``Valves``/``UserValves`` schemas."""
    host = _host()
    name = name or extract_frontmatter(source).get("title") or id
    return host.run(_locked(host, describe_tool(host, source, id, name)), limit=GRACE, what=f"creating {id}")


def tools_dict_in_open_webui(tool_ids: list[str], extra_params: dict[str, Any]) -> dict[str, Any]:
    """The host's ``get_tools`` for tools already created (:func:`describe_tool_in_open_webui`), for
    the admin user: ``{name: {"tool_id", "callable", "spec", "metadata"}}``."""
    host = _host()
    return host.run(
        _locked(host, host_tools_dict(host, tool_ids, extra_params)), limit=GRACE, what="get_tools"
    )


def tool_turn_in_open_webui(
    tools: list[Any],
    llm: Any,
    messages: list[dict[str, Any]],
    *,
    valves: dict[str, dict[str, Any]] | None = None,
    user_valves: dict[str, dict[str, Any]] | None = None,
    replies: Any = None,
    timeout: float = 60.0,
    pipe: Any = None,
) -> dict[str, Any]:
    """One whole chat turn through the host's own ``POST /api/chat/completions`` handler with
    ``tools`` selected and ``llm`` (a :class:`~actionkit.MockModel`) as the model, or ``pipe`` (a
    loaded pipe) as the model: the requests the scripted model got, the turn's ``output`` items, the
    events and event calls of each tool call, and the error the request failed with."""
    host = _host()
    turn = run_tool_turn(
        host,
        tools,
        scripted_model(llm),
        messages,
        valves=valves or {},
        user_valves=user_valves or {},
        replies=replies,
        timeout=timeout,
        pipe=pipe,
    )
    return host.run(_locked(host, turn), limit=timeout + GRACE, what="a chat turn with tools")


async def _locked(host: OpenWebUIHost, coro: Any) -> Any:
    async with host.call_lock:
        return await coro
