"""Run a simulation through the real open-webui package (``simulate(..., runtime="open-webui")``).

``run_in_open_webui`` takes the same arguments as :func:`actionkit.simulate` and returns the same
:class:`~actionkit.simulation.Simulation`, but the call goes through the installed open-webui itself,
in-process: the function is created and activated with the host's own handlers, valves and user
valves are saved through its valves endpoints' handlers, and the call runs through ``chat_action``
(actions), ``process_filter_functions`` (filter hooks) or ``generate_function_chat_completion``
(pipes). Only the browser is replaced: events are recorded and event calls answered from ``replies``.

The host is started once per process (about ten seconds: it imports ``open_webui.main`` and migrates
a database in a temporary ``DATA_DIR``) and keeps its own event loop in a daemon thread.
"""

from __future__ import annotations

import copy
import json
import time
import traceback as traceback_module
from typing import Any

from ._owui_calls import (
    CallInputs,
    CallOutcome,
    call_function,
    install_function,
    load_error,
    prepare_valves,
)
from ._owui_events import Recorder, Replies, current_recorder, install
from ._owui_host import OpenWebUIHost, get_host, is_available
from ._source import extract_frontmatter, id_from_title, normalize_id
from .errors import FunctionLoadError, SimulationError
from .simulation import Simulation

__all__ = ["arun_in_open_webui", "is_available", "run_in_open_webui"]

_HOOKS = {"action": ("action",), "filter": ("inlet", "request", "stream", "outlet"), "pipe": ("pipe",)}


def run_in_open_webui(
    fn_or_id_or_source: Any,
    body: Any = None,
    *,
    hook: str | None = None,
    sub_id: str | None = None,
    stream: bool = False,
    valves: dict[str, Any] | None = None,
    user_valves: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    replies: Replies = None,
    model: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    task: str | None = None,
    files: list[Any] | None = None,
    timeout: float = 60.0,
    store: Any = None,
) -> Simulation:
    """Run the call through the installed open-webui and return a :class:`Simulation`.

    Raises :class:`~actionkit.errors.SimulationError` when open-webui is not importable,
    :class:`~actionkit.errors.FunctionLoadError` when the host cannot load the function and
    :class:`~actionkit.errors.ValvesError` when the host's valves handlers reject ``valves`` or
    ``user_valves``.
    """
    host = _host()
    request = _Request(
        fn_or_id_or_source,
        body,
        hook,
        sub_id,
        stream,
        valves,
        user_valves,
        user,
        replies,
        model,
        metadata,
        task,
        files,
        timeout,
        store,
    )
    return host.run(_run(host, request))


async def arun_in_open_webui(
    fn_or_id_or_source: Any,
    body: Any = None,
    *,
    hook: str | None = None,
    sub_id: str | None = None,
    stream: bool = False,
    valves: dict[str, Any] | None = None,
    user_valves: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    replies: Replies = None,
    model: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    task: str | None = None,
    files: list[Any] | None = None,
    timeout: float = 60.0,
    store: Any = None,
) -> Simulation:
    """The async twin of :func:`run_in_open_webui` (same arguments)."""
    import asyncio

    host = await asyncio.get_running_loop().run_in_executor(None, _host)
    request = _Request(
        fn_or_id_or_source,
        body,
        hook,
        sub_id,
        stream,
        valves,
        user_valves,
        user,
        replies,
        model,
        metadata,
        task,
        files,
        timeout,
        store,
    )
    return await host.arun(_run(host, request))


def _host() -> OpenWebUIHost:
    host = get_host()
    install()
    return host


class _Request:
    """The arguments of one call, resolved to a function source and the call's inputs."""

    def __init__(
        self,
        target: Any,
        body: Any,
        hook: str | None,
        sub_id: str | None,
        stream: bool,
        valves: dict[str, Any] | None,
        user_valves: dict[str, Any] | None,
        user: dict[str, Any] | None,
        replies: Replies,
        model: dict[str, Any] | None,
        metadata: dict[str, Any] | None,
        task: str | None,
        files: list[Any] | None,
        timeout: float,
        store: Any,
    ) -> None:
        self.function_id, self.name, self.content, stored = _resolve(target, store)
        self.body = body
        self.hook = hook
        self.sub_id = sub_id
        self.stream = bool(stream)
        self.valves = valves if valves is not None else stored.get("valves")
        self.user_valves = user_valves
        self.user = user
        self.replies = replies
        self.model = model
        self.metadata = metadata
        self.task = task
        self.files = files
        self.timeout = float(timeout)


def _resolve(target: Any, store: Any) -> tuple[str, str, str, dict[str, Any]]:
    """``(id, name, content, stored)`` of a Function, a stored id or source text."""
    from .loader import Function

    if isinstance(target, Function):
        return target.id, target.name, target.content, {}
    if not isinstance(target, str):
        raise SimulationError(
            f"expected a Function, a stored function id or source text, got {type(target).__name__}"
        )
    if target.isidentifier():
        if store is None:
            from .store import Store

            store = Store()
        record = store.get(target)
        return record.id, record.name, record.content, {"valves": store.valves(target) or None}
    manifest = extract_frontmatter(target)
    derived = id_from_title(manifest.get("title", ""))
    if not derived:
        raise FunctionLoadError(
            "the function has no id: give one, or add a frontmatter 'title:' line",
            hint='start the source with """ then title: My Action, or load it with actionkit.load',
            kind="id",
        )
    function_id = normalize_id(derived)
    return function_id, manifest.get("title") or function_id, target, {}


async def _run(host: OpenWebUIHost, request: _Request) -> Simulation:
    from ._owui_inputs import build_inputs

    started = time.perf_counter()
    outcome = await install_function(host, request.function_id, request.name, request.content)
    if not outcome.ok:
        raise load_error(outcome, request.function_id)
    kind = str(outcome.type)
    if kind not in _HOOKS:
        raise SimulationError(
            f"{request.function_id} is an {kind} function; only actions, filters and pipes can be simulated",
            function_id=request.function_id,
        )
    hook = request.hook or _HOOKS[kind][0]
    if hook not in _HOOKS[kind]:
        raise SimulationError(
            f"hook {hook!r} does not apply to a {kind}; use one of {', '.join(_HOOKS[kind])}",
            function_id=request.function_id,
        )
    prepared = build_inputs(
        function_id=request.function_id,
        kind=kind,
        hook=hook,
        body=request.body,
        sub_id=request.sub_id,
        stream=request.stream,
        user=request.user,
        model=request.model,
        metadata=request.metadata,
        task=request.task,
        files=request.files,
    )
    user_row = await prepare_valves(
        host, request.function_id, prepared.user, request.valves, request.user_valves
    )
    inputs = CallInputs(
        function_id=request.function_id,
        kind=kind,
        hook=hook if kind == "filter" else None,
        sub_id=request.sub_id,
        stream=request.stream,
        body=prepared.body,
        metadata=prepared.metadata,
        model=prepared.model,
        request_body=prepared.request_body,
    )
    recorder = Recorder(replies=request.replies)
    token = current_recorder.set(recorder)
    try:
        result = await call_function(host, inputs, user_row, request.timeout)
    finally:
        current_recorder.reset(token)
    return _simulation(request, inputs, hook, kind, result, recorder, prepared.inputs, started)


def _simulation(
    request: _Request,
    inputs: CallInputs,
    hook: str,
    kind: str,
    outcome: CallOutcome,
    recorder: Recorder,
    shown_inputs: dict[str, Any],
    started: float,
) -> Simulation:
    result, error, ok = outcome.result, None, outcome.error is None
    timed_out = isinstance(outcome.error, TimeoutError)
    if outcome.error is not None:
        error = str(outcome.error)
    if kind == "pipe" and inputs.stream:
        result = [parsed for parsed in (_parse_chunk(c) for c in outcome.chunks) if parsed is not None]
    elif kind == "pipe" and isinstance(result, dict) and isinstance(result.get("error"), dict):
        ok, error = False, str(result["error"].get("detail"))
    trace = None
    if outcome.error is not None and not timed_out:
        trace = "".join(traceback_module.format_exception(outcome.error))
    simulation = Simulation(
        function_id=request.function_id,
        kind=kind,  # type: ignore[arg-type]
        hook=hook,  # type: ignore[arg-type]
        sub_id=request.sub_id,
        stream=inputs.stream,
        ok=ok,
        error=error,
        traceback=trace,
        result=result,
        events=recorder.events,
        event_calls=recorder.event_calls,
        chunks=list(outcome.chunks),
        warnings=list(recorder.warnings),
        duration=time.perf_counter() - started,
        inputs={**shown_inputs, "runtime": "open-webui"},
        timed_out=timed_out,
        timeline=list(recorder.timeline),
    )
    simulation.message = _message(simulation, str(inputs.metadata.get("message_id") or ""))
    return simulation


def _parse_chunk(chunk: str) -> Any:
    """The JSON object of one SSE line (``None`` for ``[DONE]`` and lines that are not JSON)."""
    text = chunk.strip()
    if text.startswith("data:"):
        text = text[5:].strip()
    if not text or text == "[DONE]":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _message(simulation: Simulation, message_id: str) -> dict[str, Any]:
    """The assistant message as the page shows it after the events (actionkit's own rebuild)."""
    import importlib

    from .simulation import empty_message

    try:
        build_message = importlib.import_module("actionkit._message").build_message
        message, _ = build_message(simulation.events, message_id=message_id)
    except (ImportError, AttributeError, TypeError, ValueError):
        return empty_message()
    return dict(copy.deepcopy(message))


def describe_in_open_webui(
    source: str,
    id: str,
    name: str | None = None,
    *,
    user: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the real host makes of ``source`` stored as ``id``: the create handler's outcome
    (``load``: ok, type, manifest or the error), the served ``Valves`` and ``UserValves`` JSON
    schemas (dynamic options resolved for ``user``) and, for pipes, the models it lists."""
    host = _host()
    return host.run(_describe(host, source, id, name or id, user))


async def _describe(
    host: OpenWebUIHost, source: str, function_id: str, name: str, user: dict[str, Any] | None
) -> dict[str, Any]:
    from ._owui_calls import function_facts
    from ._owui_inputs import default_user

    outcome = await install_function(host, function_id, name, source)
    facts: dict[str, Any] = {"load": outcome.to_dict()}
    if outcome.ok:
        user_row = await host.ensure_user(user or default_user())
        facts.update(await function_facts(host, function_id, user_row))
    return facts
