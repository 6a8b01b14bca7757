"""Calling an action, a filter hook or a pipe exactly as Open WebUI 0.12.4 does.

Mirrors ``utils/actions.py::chat_action``, ``utils/filter.py::process_filter_function`` and
``functions.py::generate_function_chat_completion``: valves re-applied before the call (pipes strip
``None``), ``body``/``event`` always passed, every other name only when the handler's signature
names it and the host offers it for that type and hook, user valves injected into
``__user__["valves"]`` as a ``UserValves`` instance, sync handlers called on the loop thread,
``async def`` handlers awaited.
"""

from __future__ import annotations

import contextlib
import inspect
import types
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..function import apply_valves
from ..host import OFFERED
from ..standins import context
from ._action_result import process_action_result
from ._events import snapshot
from ._host_json import host_loads
from ._pipe_output import complete_output, stream_output
from ._plan import Plan
from ._request import make_request

_BOUND: weakref.WeakKeyDictionary[Any, tuple[frozenset[str], bool]] = weakref.WeakKeyDictionary()
_PLAIN: weakref.WeakKeyDictionary[Any, tuple[frozenset[str], bool]] = weakref.WeakKeyDictionary()


def signature_info(handler: Any) -> tuple[frozenset[str], bool]:
    """The parameter names of ``inspect.signature(handler)`` and whether it takes ``**kwargs``
    (cached per function)."""
    func = getattr(handler, "__func__", None)
    cache, key = (_BOUND, func) if func is not None else (_PLAIN, handler)
    try:
        return cache[key]
    except (KeyError, TypeError):
        pass
    parameters = inspect.signature(handler).parameters
    info = (
        frozenset(parameters),
        any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()),
    )
    with contextlib.suppress(TypeError):
        cache[key] = info
    return info


def parameter_names(handler: Any) -> frozenset[str]:
    """The names in ``inspect.signature(handler).parameters``, as the host tests them."""
    return signature_info(handler)[0]


def is_coroutine_function(handler: Any) -> bool:
    """``inspect.iscoroutinefunction(handler)``, read straight from the code flags for the usual
    handler (a method defined with ``async def``)."""
    func = handler.__func__ if type(handler) is types.MethodType else handler
    if type(func) is types.FunctionType and "_is_coroutine_marker" not in func.__dict__:
        return bool(func.__code__.co_flags & inspect.CO_COROUTINE)
    return inspect.iscoroutinefunction(handler)


@dataclass
class Outcome:
    """What the host produced: result, error text and the exception behind it, SSE lines."""

    # What the function returned and streamed may hold its secrets: the Simulation shows it masked.
    result: Any = field(default=None, repr=False)
    error: str | None = field(default=None, repr=False)
    exception: BaseException | None = field(default=None, repr=False)
    chunks: list[str] = field(default_factory=list, repr=False)
    # The text each chunk carries where the writer knows it (see ``ChunkWriter``), else None.
    chunk_texts: list[str | None] | None = field(default=None, repr=False)
    final_text: str | None = field(default=None, repr=False)
    patched_messages: Any = field(default=None, repr=False)
    model_id: str | None = None
    notes: list[str] = field(default_factory=list)
    tool: Any = None  # a Tool call's ToolOutput


def _fail(outcome: Outcome, exc: BaseException, text: str) -> None:
    outcome.error = text
    outcome.exception = exc


# The offered names a handler asks for, per (its parameter names, the names offered).
_WANTED: dict[tuple[frozenset[str], tuple[str, ...]], tuple[str, ...]] = {}
# What an action is offered: everything but ``__user__``, which is injected with its valves.
_ACTION_EXTRAS = OFFERED["action"][:-1]


def _extras(
    plan: Plan, names: frozenset[str], offered: tuple[str, ...], emitter: Any, caller: Any
) -> dict[str, Any]:
    """The offered extra arguments the handler asks for (built only when asked)."""
    key = (names, offered)
    wanted = _WANTED.get(key)
    if wanted is None:
        if len(_WANTED) > 4096:
            _WANTED.clear()
        wanted = _WANTED[key] = tuple(name for name in offered if name in names)
    if not wanted:
        return {}
    meta = plan.metadata
    values: dict[str, Callable[[], Any]] = {
        "__event_emitter__": lambda: emitter,
        "__event_call__": lambda: caller,
        "__user__": lambda: plan.user,
        "__metadata__": lambda: meta,
        "__model__": lambda: plan.model,
        "__request__": lambda: make_request(_route(plan), plan.model, _registry()),
        "__oauth_token__": lambda: None,
        "__chat_id__": lambda: meta.get("chat_id"),
        "__message_id__": lambda: meta.get("message_id"),
        "__session_id__": lambda: meta.get("session_id"),
        "__id__": lambda: plan.sub_id if plan.kind == "action" and plan.sub_id else plan.fn.id,
        "__features__": lambda: plan.features,
        "__body__": lambda: plan.stream_body,
        "__task__": lambda: meta.get("task"),
        "__task_body__": lambda: meta.get("task_body"),
        "__files__": lambda: meta.get("files") or [],
        "__tools__": lambda: meta.get("tools", {}),
    }
    return {name: values[name]() for name in wanted}


def _registry() -> dict[str, Any]:
    """The model registry of the running simulation (``request.app.state.MODELS`` on the host)."""

    return context.current().models


def _route(plan: Plan) -> str:
    if plan.kind == "action":
        target = f"{plan.fn.id}.{plan.sub_id}" if plan.sub_id else plan.fn.id
        return f"/api/chat/actions/{target}"
    return "/api/chat/completions"


def _inject_user_valves(plan: Plan, user: dict[str, Any], fallback_to_defaults: bool) -> None:
    user_valves_cls = getattr(plan.fn.instance, "UserValves", None)
    if user_valves_cls is None:
        return
    try:
        user["valves"] = user_valves_cls(**plan.user_valves)
    except Exception as exc:
        outcome = (
            f"calls {plan.handler_name}() with UserValves() defaults in __user__['valves']"
            if fallback_to_defaults
            else f"calls {plan.handler_name}() without __user__['valves']"
        )
        plan.recorder.warnings.append(
            f"the user valves {sorted(plan.user_valves)} do not validate against UserValves "
            f"({_reasons(exc)}): Open WebUI logs the error and {outcome}; save valid values "
            "(the valves editor shows the fields)"
        )
        if fallback_to_defaults:
            user["valves"] = user_valves_cls()


def _reasons(exc: Exception) -> str:
    """Why values failed to validate, by field, without the values (they may be secrets)."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return type(exc).__name__
    try:
        found = errors()
    except Exception:
        return type(exc).__name__
    parts = [
        f"{'.'.join(str(p) for p in err.get('loc', ())) or '(model)'}: {err.get('msg', 'invalid')}"
        for err in found
        if isinstance(err, dict)
    ]
    return "; ".join(parts) or type(exc).__name__


async def _call(plan: Plan, handler: Any, params: dict[str, Any]) -> Any:
    if is_coroutine_function(handler):
        return await handler(**params)
    result = handler(**params)
    if inspect.iscoroutine(result):
        plan.recorder.warnings.append(
            f"{plan.handler_name}() is not `async def` but returned a coroutine: Open WebUI does not "
            "await it (nothing in it runs); declare the handler `async def`"
        )
        result.close()
    return result


async def run_action(plan: Plan, emitter: Any, caller: Any) -> Outcome:
    outcome = Outcome()
    instance = plan.fn.instance
    try:
        apply_valves(plan.fn.instance, plan.valves, strip_none=False)
    except Exception as exc:
        _fail(outcome, exc, str(exc))
        return outcome
    if not hasattr(instance, "action"):
        outcome.result = plan.body
        return outcome
    try:
        handler = instance.action
        names = parameter_names(handler)
        params: dict[str, Any] = {"body": plan.body}
        params.update(_extras(plan, names, _ACTION_EXTRAS, emitter, caller))
        if "__user__" in names:
            _inject_user_valves(plan, plan.user, fallback_to_defaults=False)
            params["__user__"] = plan.user
        data = await _call(plan, handler, params)
        outcome.result = data
        processed, _files, embeds = process_action_result(plan.fn.id, data)
        if embeds:
            await emitter({"type": "embeds", "data": {"embeds": embeds}})
            outcome.result = processed
    except Exception as exc:
        _fail(outcome, exc, f"Error: {exc}")
        return outcome
    if isinstance(outcome.result, dict):
        outcome.patched_messages = outcome.result.get("messages")
    return outcome


async def run_filter(plan: Plan, emitter: Any, caller: Any) -> Outcome:
    outcome = Outcome()
    instance = plan.fn.instance
    hook = plan.hook
    handler = getattr(instance, hook, None)
    data = plan.body
    if not callable(handler):
        outcome.result = data
        return outcome
    skip_files = instance.file_handler if hook == "inlet" and hasattr(instance, "file_handler") else None
    try:
        apply_valves(plan.fn.instance, plan.valves, strip_none=False)
        names = parameter_names(handler)
        params: dict[str, Any] = {"event": data} if hook == "stream" else {"body": data}
        params.update(_extras(plan, names, OFFERED[hook], emitter, caller))
        if "__user__" in names:
            _inject_user_valves(plan, params["__user__"], fallback_to_defaults=False)
        data = await _call(plan, handler, params)
    except Exception as exc:
        _fail(outcome, exc, str(exc))
        return outcome
    outcome.result = data
    if skip_files:
        try:
            if "files" in data.get("metadata", {}):
                del data["metadata"]["files"]
            if "files" in data:
                del data["files"]
        except Exception as exc:
            _fail(outcome, exc, str(exc))
            return outcome
    if hook == "outlet" and isinstance(data, dict):
        outcome.patched_messages = data.get("messages")
    if hook == "stream" and not data:
        outcome.notes.append("stream returned a falsy value: Open WebUI drops this chunk")
    return outcome


async def run_pipe(plan: Plan, emitter: Any, caller: Any) -> Outcome:
    outcome = Outcome()
    instance = plan.fn.instance
    form_data = plan.body
    model_id = str(form_data.get("model"))
    outcome.model_id = model_id
    try:
        apply_valves(plan.fn.instance, plan.valves, strip_none=True)
        pipe = instance.pipe
        names = parameter_names(pipe)
        params: dict[str, Any] = {"body": form_data}
        params.update(_extras(plan, names, OFFERED["pipe"], emitter, caller))
        if "__user__" in params:
            _inject_user_valves(plan, params["__user__"], fallback_to_defaults=True)
    except Exception as exc:
        _fail(outcome, exc, str(exc))
        return outcome

    async def call() -> Any:
        return await _call(plan, pipe, params)

    if plan.stream:

        def on_payload(line: str) -> None:
            _emit_chunk_event(plan, line, emitter)

        recorder = plan.recorder
        sink = _ObservedLines(recorder.notify) if recorder.observer is not None else outcome.chunks
        outcome.chunk_texts = []
        try:
            raised = await stream_output(call, model_id, plan.ids, sink, on_payload, outcome.chunk_texts)
        except Exception as exc:  # raised while iterating: the host's stream breaks here
            outcome.notes.append(
                f"the stream broke after {len(sink)} chunks with {type(exc).__name__}: no finish "
                "chunk and no [DONE]; the page shows the error on the message"
            )
            _fail(outcome, exc, str(exc))
            return outcome
        finally:
            if sink is not outcome.chunks:
                outcome.chunks = list(sink)
        if raised is not None:
            _fail(outcome, raised, str(raised))
        return outcome
    try:
        res = await call()
    except Exception as exc:
        outcome.result = {"error": {"detail": str(exc)}}
        _fail(outcome, exc, str(exc))
        return outcome
    outcome.result = await complete_output(res, model_id, plan.ids)
    return outcome


class _ObservedLines(list[str]):
    """The SSE lines of a stream, each one told to the ``on_record`` observer as it is added."""

    def __init__(self, notify: Callable[[str, Any], None]):
        super().__init__()
        self._notify = notify

    def append(self, line: str) -> None:
        super().append(line)
        self._notify("chunk", line)


def _emit_chunk_event(plan: Plan, line: str, emitter: Any) -> None:
    """A chunk carrying ``"event"`` is emitted by the host's stream handler (web UI path)."""
    if emitter is None or '"event"' not in line:
        return
    try:
        data = host_loads(line[5:].strip())
    except ValueError:
        return
    if isinstance(data, dict) and "event" in data:
        plan.recorder.record_event(snapshot(data.get("event", {})))
