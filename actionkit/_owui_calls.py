"""Store a function in the real open-webui and call it through the host's own entry points.

Everything here runs on the host's event loop (see ``_owui_host``): functions are created with the
``POST /api/v1/functions/create`` handler, valves saved with the valves-update handlers, and calls go
through ``chat_action``, ``process_filter_functions`` and ``generate_function_chat_completion``.
"""

from __future__ import annotations

import asyncio
import traceback
from dataclasses import dataclass, field
from typing import Any

from ._owui_events import caller, emitter_for
from ._owui_host import OpenWebUIHost, host_module
from .errors import FunctionLoadError, ValvesError, pydantic_errors


@dataclass
class LoadOutcome:
    """What the host's create handler made of a source."""

    ok: bool
    type: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    error_type: str | None = None
    message: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "type": self.type,
            "manifest": self.manifest,
            "error_type": self.error_type,
            "message": self.message,
            "line": self.line,
        }


def _error_line(exc: BaseException) -> int | None:
    """The line in the function's source where ``exc`` happened (the host execs it as ``<string>``)."""
    if isinstance(exc, SyntaxError):
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<string>":
            line = frame.lineno
    return line


async def install_function(
    host: OpenWebUIHost, function_id: str, name: str, content: str, description: str = ""
) -> LoadOutcome:
    """Create (or reuse, when the stored source is the same) and activate the function."""
    http_exception = host_module("fastapi").HTTPException
    models = host_module("open_webui.models.functions")
    functions, router = models.Functions, host_module("open_webui.routers.functions")
    plugin = host_module("open_webui.utils.plugin")

    existing = await functions.get_function_by_id(function_id)
    if existing is not None and existing.content == plugin.replace_imports(content):
        if not existing.is_active:
            await functions.update_function_by_id(function_id, {"is_active": True})
        manifest = dict((existing.meta.manifest or {}) if existing.meta else {})
        return LoadOutcome(ok=True, type=existing.type, manifest=manifest)
    if existing is not None:
        await functions.delete_function_by_id(function_id)
        plugin.get_functions_cache(host.request()).pop(function_id, None)
        plugin.get_function_contents_cache(host.request()).pop(function_id, None)

    form = models.FunctionForm(
        id=function_id, name=name, content=content, meta=models.FunctionMeta(description=description)
    )
    try:
        created = await router.create_new_function(host.request(), form, user=host.admin, db=None)
    except http_exception as exc:
        cause = exc.__context__ if exc.__context__ is not None else exc
        return LoadOutcome(
            ok=False,
            error_type=type(cause).__name__,
            message=str(cause) if cause is not exc else str(exc.detail),
            line=_error_line(cause),
        )
    await functions.update_function_by_id(function_id, {"is_active": True})
    manifest = dict((created.meta.manifest or {}) if created.meta else {})
    return LoadOutcome(ok=True, type=created.type, manifest=manifest)


def load_error(outcome: LoadOutcome, function_id: str) -> FunctionLoadError:
    text = outcome.message or "the function could not be loaded"
    if outcome.error_type and outcome.error_type not in {"Exception", "HTTPException"}:
        text = f"{outcome.error_type}: {text}"
    return FunctionLoadError(
        f"open-webui could not load the function: {text}",
        function_id=function_id,
        line=outcome.line,
        kind="open-webui",
    )


async def _save_valves(
    host: OpenWebUIHost, function_id: str, values: dict[str, Any], *, user: Any = None
) -> dict[str, Any]:
    """Save through the host's valves-update handler (admin valves, or user valves for ``user``)."""
    http_exception = host_module("fastapi").HTTPException
    router = host_module("open_webui.routers.functions")

    what = "UserValves" if user is not None else "Valves"
    try:
        if user is None:
            saved = await router.update_function_valves_by_id(
                host.request(), function_id, dict(values), user=host.admin, db=None
            )
        else:
            saved = await router.update_function_user_valves_by_id(
                host.request(), function_id, dict(values), user=user, db=None
            )
    except http_exception as exc:
        if exc.status_code == 401:
            raise ValvesError(
                f"{function_id} has no {what} class, so it has no {what.lower()} to set",
                function_id=function_id,
            ) from None
        cause = exc.__context__
        errors = pydantic_errors(cause) if hasattr(cause, "errors") else {}
        reasons = "; ".join(f"{name}: {reason}" for name, reason in errors.items())
        raise ValvesError(
            f"open-webui rejected the {what} for {function_id} ({exc.detail})"
            + (f": {reasons}" if reasons else ""),
            function_id=function_id,
            errors=errors,
        ) from None
    return dict(saved or {})


async def prepare_valves(
    host: OpenWebUIHost,
    function_id: str,
    user: dict[str, Any],
    valves: dict[str, Any] | None,
    user_valves: dict[str, Any] | None,
) -> Any:
    """Store admin valves and the user's valves; return the user row as the host reads it."""
    functions = host_module("open_webui.models.functions").Functions
    users = host_module("open_webui.models.users").Users

    if valves is None:
        await functions.update_function_valves_by_id(function_id, {})
    else:
        await _save_valves(host, function_id, valves)
    user_row = await host.ensure_user(user)
    if user_valves is not None:
        await _save_valves(host, function_id, user_valves, user=user_row)
    return await users.get_user_by_id(str(user["id"]))


@dataclass
class CallInputs:
    """The prepared call, in the shapes the host's entry points take."""

    function_id: str
    kind: str
    hook: str | None
    sub_id: str | None
    stream: bool
    body: Any
    metadata: dict[str, Any]
    model: dict[str, Any]
    request_body: dict[str, Any]


@dataclass
class CallOutcome:
    result: Any = None
    error: BaseException | None = None
    chunks: list[str] = field(default_factory=list)


async def call_action(host: OpenWebUIHost, inputs: CallInputs, user: Any) -> Any:
    chat_action = host_module("open_webui.utils.actions").chat_action

    host.app.state.MODELS = {inputs.model["id"]: inputs.model}
    state: dict[str, Any] = {}
    if getattr(user, "role", None) != "admin":
        # The host's availability gate for non-admins needs a model record with access grants;
        # a direct-connection request skips that gate and nothing else.
        state = {"direct": True, "model": inputs.model}
    action_id = inputs.function_id if not inputs.sub_id else f"{inputs.function_id}.{inputs.sub_id}"
    return await chat_action(host.request(**state), action_id, inputs.body, user)


async def _filter_extra_params(
    host: OpenWebUIHost, request: Any, inputs: CallInputs, user: Any
) -> dict[str, Any]:
    """The extra parameters utils/middleware.py hands to each hook."""
    get_system_oauth_token = host_module("open_webui.utils.oauth").get_system_oauth_token

    metadata = inputs.metadata
    common: dict[str, Any] = {
        "__event_emitter__": emitter_for(metadata),
        "__event_call__": caller(),
        "__user__": user.model_dump(),
        "__metadata__": metadata,
    }
    if inputs.hook == "outlet":
        return {**common, "__request__": request, "__model__": inputs.model}
    extra = {
        **common,
        "__oauth_token__": await get_system_oauth_token(request, user),
        "__request__": request,
        "__model__": inputs.model,
        "__chat_id__": metadata.get("chat_id"),
        "__message_id__": metadata.get("message_id"),
    }
    if inputs.hook == "stream":
        return {"__body__": inputs.request_body, **extra}
    return extra


async def call_filter(host: OpenWebUIHost, inputs: CallInputs, user: Any) -> Any:
    functions = host_module("open_webui.models.functions").Functions
    process_filter_functions = host_module("open_webui.utils.filter").process_filter_functions

    request = host.request()
    function = await functions.get_function_by_id(inputs.function_id)
    extra = await _filter_extra_params(host, request, inputs, user)
    result, _ = await process_filter_functions(
        request, None, [function], inputs.hook or "inlet", inputs.body, extra
    )
    return result


async def call_pipe(host: OpenWebUIHost, inputs: CallInputs, user: Any, out: CallOutcome) -> Any:
    generate = host_module("open_webui.functions").generate_function_chat_completion

    form = {**inputs.body, "metadata": inputs.metadata}
    response = await generate(host.request(), form, user)
    if not inputs.stream or not hasattr(response, "body_iterator"):
        return response
    async for chunk in response.body_iterator:
        out.chunks.append(chunk.decode("utf-8") if isinstance(chunk, bytes) else str(chunk))
    return None


async def call_function(host: OpenWebUIHost, inputs: CallInputs, user: Any, timeout: float) -> CallOutcome:
    """Run the call, wait for tasks it started (within ``timeout``) and capture the outcome."""
    out = CallOutcome()
    before = asyncio.all_tasks()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    async def run() -> Any:
        if inputs.kind == "action":
            return await call_action(host, inputs, user)
        if inputs.kind == "filter":
            return await call_filter(host, inputs, user)
        return await call_pipe(host, inputs, user, out)

    try:
        out.result = await asyncio.wait_for(run(), timeout)
    except TimeoutError as exc:
        out.error = TimeoutError(f"the function did not finish within {timeout:g} s")
        out.error.__cause__ = exc
    except Exception as exc:
        out.error = exc
    started = {t for t in asyncio.all_tasks() - before if t is not asyncio.current_task()}
    if started:
        await asyncio.wait(started, timeout=max(0.0, deadline - loop.time()))
    return out


async def function_facts(host: OpenWebUIHost, function_id: str, user: Any) -> dict[str, Any]:
    """The valves schemas the host serves and the models a pipe lists."""
    router = host_module("open_webui.routers.functions")
    request = host.request()
    valves = await router.get_function_valves_spec_by_id(request, function_id, user=user, db=None)
    user_valves = await router.get_function_user_valves_spec_by_id(request, function_id, user=user, db=None)
    listed = await host_module("open_webui.functions").get_function_models(host.request())
    models = [
        model
        for model in listed
        if model["id"] == function_id or str(model["id"]).startswith(f"{function_id}.")
    ]
    return {"valves_schema": valves, "user_valves_schema": user_valves, "models": models}
