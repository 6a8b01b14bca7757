"""Run one call of an Open WebUI function in this process, the way open-webui 0.12.4 runs it, and
record everything it does.

:func:`run` (and its async twin :func:`arun`) take a :class:`~actionkit.sim.Call`. The call is
planned first (``_prepare``: every argument checked, defaults filled in), then executed
(:func:`execute`) and turned into a :class:`Simulation` (:func:`finalize`).

Arguments the function gets: ``body`` (``event`` for ``stream``) always; every other dunder only
when the handler's signature names it and Open WebUI offers it for that type and hook. When
``replies`` run out an event call gets the host's no-browser answer, with a warning.

:func:`run` executes on a dedicated event-loop thread (also inside Jupyter's running loop), so
nothing the function does (blocking, stopping the loop, leaving tasks behind) reaches the caller;
:func:`arun` does the same for sync handlers and runs ``async def`` handlers on the caller's loop.
The timeout bounds the call and the tasks it started. Pipe chunk ids and ``created`` are fixed
unless ``real_ids=True``. ``__request__`` is a ``starlette.requests.Request`` when starlette is
installed, else a small stand-in (see ``_request``), with a fresh ``state`` per call and the
simulation's model registry as ``app.state.MODELS``; ``__oauth_token__`` is ``None``.

Each call (with the tasks it starts and the draining of a pipe's output) runs in a simulation
context (:mod:`actionkit.standins.context`): the ``open_webui`` stand-ins answer with the call's
user, chat messages, files and models, and ``llm=`` scripts ``generate_chat_completion``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
import time
from typing import TYPE_CHECKING, Any

from ..errors import SimulationError
from ..function import function_traceback
from ..view import without_addresses
from . import _context as _call_context
from ._event_checks import check_events
from ._event_function import run_event
from ._events import timeline
from ._invoke import Outcome, is_coroutine_function, run_action, run_filter, run_pipe
from ._logs import start_logs, stop_logs
from ._loop import (
    CURRENT_RECORDER,
    Runner,
    abandon,
    current_runner,
    on_sim_thread,
    responsive,
    submit,
    track_tasks,
)
from ._message import build_message
from ._pipe_model import resolve_pipe_model
from ._pipe_output import completion_text, parse_chunks, stream_text
from ._plan import Plan
from ._prepare import build_plan
from ._simulation import Simulation, defer
from ._tool_call import run_tool

if TYPE_CHECKING:
    from ._call import Call

# How long past ``timeout`` the caller waits for a loop that does not answer (stuck in sync code).
GRACE = 1.0
# How long an interrupted caller waits for the loop to take the cancellation before abandoning it.
CANCEL_WAIT = 0.5
_FILTER_EMITTER_KEYS = ("user_id", "chat_id", "message_id")
_PIPE_EMITTER_KEYS = ("session_id", "chat_id", "message_id")


def run(call: Call) -> Simulation:
    """Plan ``call`` and run it on the simulation loop thread; wait at most its timeout (plus a
    grace period for a loop that does not answer)."""
    plan = build_plan(call)
    started = time.perf_counter()
    future, runner = submit(execute(plan))
    try:
        return future.result(timeout=plan.timeout + GRACE)
    except concurrent.futures.TimeoutError:
        return _abandoned(plan, future, runner, started)
    except BaseException:  # KeyboardInterrupt while waiting: cancel the call, keep later ones working
        _cancel(future, runner, CANCEL_WAIT)
        raise


async def arun(call: Call) -> Simulation:
    """The async twin of :func:`run`: an ``async def`` handler (or async generator pipe) runs on the
    caller's loop, as handlers share the server's loop in Open WebUI, bounded by the timeout; a sync
    handler, which can block a loop, runs on the simulation loop thread like every :func:`run`."""
    plan = build_plan(call)
    if on_sim_thread():
        return await execute(plan)
    handler = _handler(plan)
    if is_coroutine_function(handler) or inspect.isasyncgenfunction(handler):
        track_tasks(asyncio.get_running_loop())
        sim = await execute(plan)
        # Give the caller's loop one turn: a task awaiting simulations that never suspend would
        # otherwise never let the loop clear the timers of finished calls (memory would grow).
        await asyncio.sleep(0)
        return sim
    started = time.perf_counter()
    future, runner = submit(execute(plan))
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), plan.timeout + GRACE)
    except TimeoutError:
        return _abandoned(plan, future, runner, started)
    except BaseException:  # cancelled or interrupted: the caller's loop is not kept waiting
        future.cancel()
        threading.Thread(target=_abandon_unless_responsive, args=(runner,), daemon=True).start()
        raise


def _cancel(future: concurrent.futures.Future[Simulation], runner: Runner, wait: float) -> None:
    """Cancel the call; a loop that cannot take the cancellation within ``wait`` (blocked) is
    abandoned, so the next simulation gets a fresh one."""
    future.cancel()
    _abandon_unless_responsive(runner, wait)


def _abandon_unless_responsive(runner: Runner, wait: float = CANCEL_WAIT) -> None:
    if not responsive(runner, wait):
        abandon(runner)


def _abandoned(
    plan: Plan, future: concurrent.futures.Future[Simulation], runner: Runner, started: float
) -> Simulation:
    """The function blocks its loop (sync code that never returns): report what it did so far."""
    future.cancel()
    abandon(runner)
    plan.recorder.closed = True
    outcome = Outcome(error=timeout_text(plan))
    return finalize(plan, outcome, time.perf_counter() - started, timed_out=True, blocked=True)


def uncaught_text(exc: BaseException, handler_name: str) -> str:
    """The error of an exception the host's handlers do not catch: a ``BaseException`` such as
    ``SystemExit`` (``sys.exit()``) is named for what it is."""
    if isinstance(exc, Exception):
        return str(exc) or type(exc).__name__
    detail = f"({exc})" if str(exc) else ""
    return (
        f"{type(exc).__name__}{detail} raised by {handler_name}(): Open WebUI does not catch it, "
        "so the request fails"
    )


def timeout_text(plan: Plan) -> str:
    return (
        f"timed out after {plan.timeout:g}s: {plan.handler_name}() did not finish "
        "(Open WebUI would keep waiting)"
    )


def _handler(plan: Plan) -> Any:
    return getattr(plan.fn.instance, plan.handler_name, None)


async def execute(plan: Plan) -> Simulation:
    """Run the planned call on the current loop, bounded by the plan's timeout."""
    recorder = plan.recorder
    started = time.perf_counter()
    handler = _handler(plan)
    emitter_available, caller_available = _availability(plan)
    counting = not is_coroutine_function(handler)
    emitter = recorder.emitter(count_unawaited=counting) if emitter_available else None
    caller = recorder.caller() if caller_available else None
    runner = current_runner()
    stops = runner.stops if runner is not None else 0
    loop = asyncio.get_running_loop()
    outcome = Outcome()
    finished = False
    timed_out = False
    try:
        # The timeout's timer is made before the call's context (and its log capture) is set, so a
        # timer the loop has not cleared yet never holds on to the simulation.
        async with asyncio.timeout(plan.timeout):
            token = CURRENT_RECORDER.set(recorder)
            context_token = _call_context.enter(plan, emitter, caller)
            logs_token = start_logs(recorder.logs)
            try:
                try:
                    if plan.kind == "action":
                        outcome = await run_action(plan, emitter, caller)
                    elif plan.kind == "filter":
                        outcome = await run_filter(plan, emitter, caller)
                    elif plan.kind == "event":
                        outcome = await run_event(plan)
                    elif plan.kind == "tool":
                        outcome = await run_tool(plan, emitter, caller)
                    else:
                        await resolve_pipe_model(plan)
                        outcome = await run_pipe(plan, emitter, caller)
                except (Exception, SystemExit, KeyboardInterrupt, GeneratorExit) as exc:
                    if isinstance(exc, SimulationError):
                        raise
                    outcome.error = uncaught_text(exc, plan.handler_name)
                    outcome.exception = exc
                finished = True
                await _await_spawned(recorder)
            finally:
                stop_logs(logs_token)
                recorder.warnings.extend(_call_context.exit(context_token))
                CURRENT_RECORDER.reset(token)
    except TimeoutError:
        timed_out = True
    finally:
        recorder.closed = True
        _cancel_leftovers(recorder, plan, finished)
    if timed_out and not finished:
        outcome.error = timeout_text(plan)
    stopped = runner is not None and runner.stops != stops
    if getattr(loop, "_stopping", False) is True:
        # loop.stop() called by the function: undo it, so the loop (maybe the caller's) keeps running.
        loop._stopping = False  # type: ignore[attr-defined]
        stopped = True
    if stopped:
        recorder.warnings.append(
            "the function stopped the event loop (loop.stop()): in Open WebUI that stops the whole server"
        )
    return finalize(plan, outcome, time.perf_counter() - started, timed_out=timed_out and not finished)


def _availability(plan: Plan) -> tuple[bool, bool]:
    if plan.kind == "action":
        return True, True
    if plan.kind == "event":
        return False, False
    keys = _PIPE_EMITTER_KEYS if plan.kind == "pipe" else _FILTER_EMITTER_KEYS
    present = all(k in plan.metadata for k in keys)
    return present, present if plan.kind == "pipe" else True


async def _await_spawned(recorder: Any) -> None:
    if not recorder.spawned:
        return
    seen = 0
    while True:
        pending = [t for t in recorder.spawned if not t.done()]
        if not pending:
            if len(recorder.spawned) == seen:
                return
            seen = len(recorder.spawned)
            continue
        await asyncio.wait(pending)


def _cancel_leftovers(recorder: Any, plan: Plan, finished: bool) -> None:
    if not recorder.spawned:
        return
    leftovers = [t for t in recorder.spawned if not t.done()]
    for task in leftovers:
        task.cancel()
    if leftovers and finished:
        recorder.warnings.append(
            f"{len(leftovers)} task(s) the function started were still running after timeout="
            f"{plan.timeout:g}s and were cancelled (their later events are missing)"
        )
    for task in recorder.spawned:
        if task.done() and not task.cancelled():
            exc = task.exception()
            if exc is not None:
                recorder.warnings.append(
                    f"a task the function started raised {type(exc).__name__}: {exc} "
                    "(Open WebUI only logs 'Task exception was never retrieved')"
                )


def finalize(
    plan: Plan, outcome: Outcome, duration: float, *, timed_out: bool = False, blocked: bool = False
) -> Simulation:
    recorder = plan.recorder
    if recorder.unawaited > 0:
        recorder.warnings.append(
            f"{recorder.unawaited} __event_emitter__(...) call(s) were never awaited, so those events were "
            f"never sent (as in Open WebUI): make {plan.handler_name}() `async def` and `await` them"
        )
    if blocked:
        recorder.warnings.append(
            f"{plan.handler_name}() blocked its event loop past timeout={plan.timeout:g}s (sync code that "
            "does not return); in Open WebUI this freezes the whole server"
        )
    trace = None
    if outcome.exception is not None:
        text, _line = function_traceback(outcome.exception, plan.fn)
        trace = without_addresses(text)
    sim = Simulation(
        function_id=plan.fn.id,
        kind=plan.kind,
        hook=plan.hook,
        sub_id=plan.sub_id,
        stream=plan.stream,
        ok=outcome.error is None,
        error=without_addresses(outcome.error) if outcome.error is not None else None,
        traceback=trace,
        events=recorder.events,
        event_calls=recorder.calls,
        chunks=outcome.chunks,
        logs=recorder.logs,
        duration=duration,
        inputs=plan.inputs,
        timed_out=timed_out,
        secret_values=plan.secrets,
        function=plan.fn,
        tool=outcome.tool,
    )
    # The rest is computed on first read (checks, message replay, chunk parsing).
    sim.__dict__["_pending"] = _settler(plan, outcome, list(recorder.warnings))
    if plan.kind == "pipe" and plan.stream:
        return sim
    sim.result = outcome.result
    return sim


def _settler(plan: Plan, outcome: Outcome, runtime_warnings: list[str]) -> Any:
    def settle(sim: Simulation) -> None:
        final_text: str | None = None
        stream_error: Any = None
        if plan.kind == "pipe":
            if plan.stream:
                chunks = sim.chunks
                defer(sim, "result", lambda: parse_chunks(chunks))
                final_text, stream_error = stream_text(chunks, outcome.chunk_texts)
            else:
                final_text, stream_error = completion_text(sim.result)
        events = sim.events
        message, notes = build_message(
            events,
            message_id=plan.message_id,
            initial_content=plan.initial_content,
            final_text=final_text,
            patched_messages=outcome.patched_messages,
        )
        error_text = sim.error
        if error_text is None and stream_error is not None:
            error_text = stream_error.get("detail") if isinstance(stream_error, dict) else str(stream_error)
        if error_text is not None and message.get("error") is None and plan.kind != "event":
            message["error"] = {"content": error_text}
            if plan.kind == "action":
                message["notifications"].append({"type": "error", "content": error_text})
        sim.message = message
        positions, count = plan.recorder.call_positions, len(events)
        defer(sim, "timeline", lambda: timeline(positions, count))
        sim.warnings = [*plan.warnings, *check_events(events), *runtime_warnings, *outcome.notes, *notes]

    return settle
