"""Call an action, a filter hook, a pipe or an Event function through the real host's own entry points.

Runs on the host's event loop. The inputs are a simulation plan's (body, metadata, model, stream
body), so a real-runtime run hands the function exactly what a simulation would.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._adapters import current, db, host_module, process_filters, system_oauth_token
from ._events import caller, current_recorder, emitter_for
from ._host import OpenWebUIHost

if TYPE_CHECKING:
    from ..sim import Plan


@dataclass
class HostOutcome:
    """What the host's entry point returned or raised, and the SSE lines it streamed."""

    result: Any = None
    exception: BaseException | None = None
    chunks: list[str] = field(default_factory=list)
    timed_out: bool = False


async def _action(host: OpenWebUIHost, plan: Plan, user: Any) -> Any:
    chat_action = host_module("open_webui.utils.actions").chat_action
    state: dict[str, Any] = {}
    if getattr(user, "role", None) != "admin":
        # For non-admins the host's availability gate needs a workspace model record with access
        # grants; a direct-connection request skips that gate and nothing else.
        state = {"direct": True, "model": plan.model}
    action_id = f"{plan.fn.id}.{plan.sub_id}" if plan.sub_id else plan.fn.id
    return await chat_action(host.request(**state), action_id, plan.body, user)


async def _filter_extra_params(request: Any, plan: Plan, user: Any) -> dict[str, Any]:
    """The extra parameters utils/middleware.py hands to each hook."""
    metadata = plan.metadata
    common: dict[str, Any] = {
        "__event_emitter__": emitter_for(metadata),
        "__event_call__": caller(),
        "__user__": user.model_dump(),
        "__metadata__": metadata,
    }
    if plan.hook == "outlet":
        return {**common, "__request__": request, "__model__": plan.model}
    extra = {
        **common,
        "__oauth_token__": await system_oauth_token(request, user),
        "__request__": request,
        "__model__": plan.model,
        "__chat_id__": metadata.get("chat_id"),
        "__message_id__": metadata.get("message_id"),
    }
    if plan.hook == "request":
        extra["__features__"] = plan.features
    if plan.hook == "stream":
        return {"__body__": plan.stream_body, **extra}
    return extra


async def _filter(host: OpenWebUIHost, plan: Plan, user: Any) -> Any:
    if plan.hook == "request" and not current().request_hook:
        recorder = current_recorder.get()
        if recorder is not None:
            recorder.warnings.append(
                f"Open WebUI {current().version} never calls the request hook (added in 0.11): "
                "the body goes on to the model unchanged"
            )
        return plan.body
    functions = host_module("open_webui.models.functions").Functions
    request = host.request()
    function = await db(functions.get_function_by_id(plan.fn.id))
    extra = await _filter_extra_params(request, plan, user)
    result, _ = await process_filters(request, [function], plan.hook, plan.body, extra)
    return result


async def _pipe(host: OpenWebUIHost, plan: Plan, user: Any, out: HostOutcome) -> Any:
    generate = host_module("open_webui.functions").generate_function_chat_completion
    form = {**plan.body, "metadata": plan.metadata}
    response = await generate(host.request(), form, user)
    if not plan.stream or not hasattr(response, "body_iterator"):
        return response
    # The web UI's stream loop (utils/middleware.py) emits the "event" a chunk carries.
    emit = emitter_for(plan.metadata)
    async for chunk in response.body_iterator:
        line = chunk.decode("utf-8") if isinstance(chunk, bytes) else str(chunk)
        out.chunks.append(line)
        if emit is not None:
            await _emit_chunk_event(line, emit)
    return None


async def _emit_chunk_event(line: str, emit: Any) -> None:
    text = line.strip()
    if not text.startswith("data:"):
        return
    try:
        data = json.loads(text[5:].strip())
    except ValueError:
        return
    if isinstance(data, dict) and "event" in data:
        await emit(data.get("event", {}))


async def _event(host: OpenWebUIHost, plan: Plan, user: Any) -> None:
    """The event built by the host's ``build_event`` from the call's fields, dispatched by its
    ``dispatch_event_functions`` to this function alone (other Event functions are switched off)."""
    events = host_module("open_webui.events")
    functions = host_module("open_webui.models.functions").Functions
    for other in await functions.get_functions_by_type("event", active_only=True):
        if other.id != plan.fn.id:
            await functions.update_function_by_id(other.id, {"is_active": False})
    parts = plan.event or {}
    name = str(parts.get("event"))
    system = name.startswith("system.")
    request = None if system else host.request()
    subject = parts.get("subject") or {}
    event = events.build_event(
        request if request is not None else host.app,
        name,
        actor=parts.get("actor", None if system else user),
        subject_id=subject.get("id"),
        subject_type=subject.get("type"),
        source=parts.get("source") or ("system" if system else "api"),
        data=parts.get("data"),
        message=parts.get("message"),
    )
    given = {key: parts[key] for key in ("id", "created_at", "instance_id") if key in parts}
    if given:
        event = event.model_copy(update=given)
    await events.dispatch_event_functions(host.app, event, request)
    recorder = current_recorder.get()
    raised = recorder.event_errors.get(plan.fn.id) if recorder is not None else None
    if raised is not None:
        raise raised


async def invoke(host: OpenWebUIHost, plan: Plan, user: Any, models: dict[str, Any]) -> HostOutcome:
    """Run the planned call through the host with ``models`` as its model registry, then wait
    (within the timeout) for tasks it started."""
    host.app.state.MODELS = models
    out = HostOutcome()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + plan.timeout
    before = asyncio.all_tasks()

    async def run() -> Any:
        if plan.kind == "action":
            return await _action(host, plan, user)
        if plan.kind == "filter":
            return await _filter(host, plan, user)
        if plan.kind == "event":
            return await _event(host, plan, user)
        return await _pipe(host, plan, user, out)

    try:
        out.result = await asyncio.wait_for(run(), plan.timeout)
    except TimeoutError:
        out.timed_out = True
    except asyncio.CancelledError:
        raise
    except BaseException as exc:  # SystemExit, KeyboardInterrupt: the host does not catch them either
        out.exception = exc
    started = {t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()}
    if started:
        await asyncio.wait(started, timeout=max(0.0, deadline - loop.time()))
        recorder = current_recorder.get()
        leftovers = [t for t in started if not t.done()]
        for task in leftovers:
            task.cancel()
        if leftovers and recorder is not None:
            recorder.warnings.append(
                f"{len(leftovers)} task(s) the function started were still running after "
                f"timeout={plan.timeout:g}s and were cancelled (their later events are missing)"
            )
    return out
