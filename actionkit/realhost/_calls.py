"""Store a function in the real open-webui and call it through the host's own entry points.

Everything here runs on the host's event loop (see ``_host``): functions are created with the
``POST /api/v1/functions/create`` handler, valves saved with the valves-update handlers, and calls go
through ``chat_action``, ``process_filter_functions`` and ``generate_function_chat_completion``.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

from ..errors import FunctionLoadError, ValvesError
from ..function import pydantic_errors
from ._adapters import db, function_contents_cache, functions_cache, host_module
from ._host import OpenWebUIHost


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

    existing = await db(functions.get_function_by_id(function_id))
    if existing is not None and existing.content == plugin.replace_imports(content):
        if not existing.is_active:
            await db(functions.update_function_by_id(function_id, {"is_active": True}))
        manifest = dict((existing.meta.manifest or {}) if existing.meta else {})
        return LoadOutcome(ok=True, type=existing.type, manifest=manifest)
    if existing is not None:
        await db(functions.delete_function_by_id(function_id))
        functions_cache(host.request()).pop(function_id, None)
        function_contents_cache(host.request()).pop(function_id, None)

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
    await db(functions.update_function_by_id(function_id, {"is_active": True}))
    manifest = dict((created.meta.manifest or {}) if created.meta else {})
    return LoadOutcome(ok=True, type=created.type, manifest=manifest)


def load_error(
    outcome: LoadOutcome,
    function_id: str,
    *,
    what: str = "function",
    step: tuple[str, str] = ("load", "loaded"),
) -> FunctionLoadError:
    """The FunctionLoadError for a load (or, with ``step``, a create) the host refused."""
    text = outcome.message or f"the {what} could not be {step[1]}"
    if outcome.error_type and outcome.error_type not in {"Exception", "HTTPException"}:
        text = f"{outcome.error_type}: {text}"
    return FunctionLoadError(
        f"open-webui could not {step[0]} the {what}: {text}",
        function_id=function_id,
        line=outcome.line,
        kind="open-webui",
    )


async def save_valves(
    host: OpenWebUIHost,
    function_id: str,
    values: dict[str, Any] | None,
    *,
    user_id: str | None = None,
) -> dict[str, Any]:
    """Save through the host's valves-update handler (admin valves, or ``user_id``'s user valves)
    and return what it stored. ``None`` admin valves clear what is stored."""
    http_exception = host_module("fastapi").HTTPException
    router = host_module("open_webui.routers.functions")
    functions = host_module("open_webui.models.functions").Functions
    if values is None and user_id is None:
        await db(functions.update_function_valves_by_id(function_id, {}))
        return {}
    what = "UserValves" if user_id is not None else "Valves"
    try:
        if user_id is None:
            saved = await router.update_function_valves_by_id(
                host.request(), function_id, dict(values or {}), user=host.admin, db=None
            )
        else:
            user = await db(host_module("open_webui.models.users").Users.get_user_by_id(user_id))
            saved = await router.update_function_user_valves_by_id(
                host.request(), function_id, dict(values or {}), user=user, db=None
            )
    except http_exception as exc:
        if exc.status_code == 401:
            raise ValvesError(
                f"{function_id} has no {what} class, so it has no {what.lower()} to set",
                function_id=function_id,
            ) from None
        raise rejected_valves(exc, values, what, function_id, function_id) from None
    return dict(saved or {})


def rejected_valves(
    exc: Any, values: dict[str, Any] | None, what: str, subject: str, function_id: str
) -> ValvesError:
    """The ValvesError for valves the host's update handler refused (its HTTPException ``exc``),
    each field's reason given without the value of a secret field."""
    cause = exc.__context__
    errors = pydantic_errors(cause, values=values) if hasattr(cause, "errors") else {}
    reasons = "; ".join(f"{name}: {reason}" for name, reason in errors.items())
    return ValvesError(
        f"open-webui rejected the {what} for {subject} ({exc.detail})" + (f": {reasons}" if reasons else ""),
        function_id=function_id,
        errors=errors,
    )


async def write_user_valves(
    host: OpenWebUIHost, function_id: str, user_id: str, values: dict[str, Any]
) -> dict[str, Any]:
    """Store ``values`` as ``user_id``'s user valves with the host's functions table, unchecked (as
    values saved before the function's code changed are kept), and return what it holds now."""
    functions = host_module("open_webui.models.functions").Functions
    await db(functions.update_user_valves_by_id_and_user_id(function_id, user_id, dict(values)))
    return dict(await db(functions.get_user_valves_by_id_and_user_id(function_id, user_id)) or {})


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
